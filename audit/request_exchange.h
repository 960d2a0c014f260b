// IHE ATNA at an HTTP endpoint: the audit::Exchange of the request being served, decoded at
// the edge from the transport — who asked (common/peer.h: the facility of its certificate,
// its address, the certificate's commonName) and who answered (this endpoint's URL and host).
// Shared by every endpoint that records ITI transactions (registry, repository, MHD, PIXm,
// PDQm).
// Thread-safety: a pure function of the request the calling thread serves.
#ifndef RENKEI_AUDIT_REQUEST_EXCHANGE_H_
#define RENKEI_AUDIT_REQUEST_EXCHANGE_H_

#include <string>

#include "audit/transaction_events.h"

namespace Poco::Net {
class HTTPServerRequest;
}  // namespace Poco::Net

namespace renkei::audit {

// The requester (RequesterExchange of RequestPeer(request)); the responder's UserID
// `responder_user_id`, or when empty the request's URL without its query
// ("https://host:port/xds/repository"), and its address (the Host header without the port);
// AuditSourceID `audit_source_id` and AuditEnterpriseSiteID `audit_site`.
Exchange RequestExchange(const Poco::Net::HTTPServerRequest& request,
                         const std::string& audit_source_id, const std::string& audit_site,
                         const std::string& responder_user_id = "");

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_REQUEST_EXCHANGE_H_
