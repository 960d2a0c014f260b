// SOAP and MTOM answers of /xds/repository.
#include "repository/soap_reply.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "common/http_server.h"
#include "common/log.h"
#include "common/mtom.h"
#include "xds/soap.h"
#include "xds/soap_http.h"
#include "xds/xds_constants.h"

namespace renkei::repository {
namespace {

constexpr char kRootId[] = "root.message@renkei";

}  // namespace

void SendSoapReply(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                   const char* action, const std::string& relates_to, const std::string& body_xml,
                   bool mtom, const std::vector<SoapAttachment>& attachments) {
  const std::string envelope = xds::EncodeSoapResponseStart(action, relates_to) + body_xml +
                               std::string(xds::kSoapResponseEnd);
  response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  if (!mtom) {
    response.setContentType(xds::SoapContentType(action));
    SendWhole(request, response, {envelope});
    return;
  }
  const std::string boundary = NewMtomBoundary();
  const std::string root_head = MtomPartHeader(boundary, kRootId, MtomRootPartContentType());
  std::vector<std::string> heads;
  uint64_t length = root_head.size() + envelope.size();
  for (const SoapAttachment& a : attachments) {
    heads.push_back(MtomPartHeader(boundary, a.content_id, a.content_type));
    length += heads.back().size() + (a.path.empty() ? a.bytes.size() : a.size);
  }
  const std::string closing = MtomClosing(boundary);
  length += closing.size();
  response.setContentType(MtomContentType(boundary, kRootId, action));
  Status s = SendStreamed(request, response, length, [&](ResponseBodyWriter& w) -> Status {
    RENKEI_RETURN_IF_ERROR(w.Write(root_head));
    RENKEI_RETURN_IF_ERROR(w.Write(envelope));
    for (size_t i = 0; i < attachments.size(); ++i) {
      const SoapAttachment& a = attachments[i];
      RENKEI_RETURN_IF_ERROR(w.Write(heads[i]));
      RENKEI_RETURN_IF_ERROR(a.path.empty() ? w.Write(a.bytes) : w.WriteFile(a.path, a.size));
    }
    return w.Write(closing);
  });
  if (!s.ok()) LogWarning("repository: answer cut off: " + s.message());
}

void SendSoapFault(Poco::Net::HTTPServerResponse& response, const Status& status,
                   const std::string& relates_to) {
  response.setKeepAlive(false);
  SendResponse(response, xds::SoapFaultHttpStatus(status),
               xds::SoapContentType(xds::kActionSoapFault),
               xds::EncodeSoapFault(xds::ToSoapFault(status), relates_to));
}

void SendTicketFault(Poco::Net::HTTPServerResponse& response, int http_status,
                     const std::string& challenge, const std::string& reason,
                     const std::string& relates_to) {
  response.setKeepAlive(false);
  if (!challenge.empty()) response.set("WWW-Authenticate", challenge);
  xds::SoapFault fault =
      xds::ToSoapFault(Status::PermissionDenied("", "access ticket refused: " + reason));
  SendResponse(response, http_status, xds::SoapContentType(xds::kActionSoapFault),
               xds::EncodeSoapFault(fault, relates_to));
}

}  // namespace renkei::repository
