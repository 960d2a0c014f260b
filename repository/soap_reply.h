// SOAP 1.2 answers of the node's /xds/repository endpoint (ITI TF-2 Appendix V), shared by
// ITI-41 / ITI-43 (repository_endpoint.cc) and RAD-69 (apps/node_rad69.cc): a plain SOAP
// envelope or MTOM (root part, then one part per attachment streamed from its file or
// memory), a SOAP Fault, and the 401 / 403 Fault of a refused access ticket.
//
// Thread-safety: free functions, one request each.
#ifndef RENKEI_REPOSITORY_SOAP_REPLY_H_
#define RENKEI_REPOSITORY_SOAP_REPLY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/status.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace renkei::repository {

// One MTOM part of an answer: the file `path` (`size` bytes), or `bytes` when path is empty.
struct SoapAttachment {
  std::string content_id;
  std::string content_type;
  std::string path;
  uint64_t size = 0;
  std::string bytes;
};

// 200 with the envelope of `action` around `body_xml`: MTOM when `mtom` (with the
// attachments after the root part), else plain SOAP (attachments must then be empty).
void SendSoapReply(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const char* action, const std::string& relates_to, const std::string& body_xml,
                   bool mtom, const std::vector<SoapAttachment>& attachments = {});

// A SOAP Fault for `status` (xds::ToSoapFault, xds::SoapFaultHttpStatus). A Fault ends the
// exchange: the request body may be partly unread, so the connection closes.
void SendSoapFault(Poco::Net::HTTPServerResponse& response, const Status& status,
                   const std::string& relates_to);

// A refused access ticket: `http_status` (401 or 403) with WWW-Authenticate `challenge`
// (when not empty) and a soap:Sender Fault "access ticket refused: <reason>".
void SendTicketFault(Poco::Net::HTTPServerResponse& response, int http_status,
                     const std::string& challenge, const std::string& reason,
                     const std::string& relates_to);

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_SOAP_REPLY_H_
