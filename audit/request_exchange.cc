// IHE ATNA: the Exchange of an HTTP request (audit/request_exchange.h).
#include "audit/request_exchange.h"

#include <Poco/Net/HTTPServerRequest.h>

#include "common/peer.h"

namespace renkei::audit {

Exchange RequestExchange(const Poco::Net::HTTPServerRequest& request,
                         const std::string& audit_source_id, const std::string& audit_site,
                         const std::string& responder_user_id) {
  const Peer& peer = RequestPeer(request);
  Exchange x = RequesterExchange(peer.facility_oid, peer.address, peer.common_name);
  const std::string& host = request.getHost();
  if (responder_user_id.empty()) {
    const std::string scheme = peer.source == Peer::Source::kCertificate ? "https://" : "http://";
    x.responder_user_id = scheme + host + request.getURI().substr(0, request.getURI().find('?'));
  } else {
    x.responder_user_id = responder_user_id;
  }
  x.responder_address = host.substr(0, host.rfind(':'));
  x.audit_source_id = audit_source_id;
  x.audit_site = audit_site;
  return x;
}

}  // namespace renkei::audit
