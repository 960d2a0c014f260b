// ITI-41 / ITI-43 requests of the demo's hospital EMRs (apps/demo_publish.h).
#include "apps/demo_publish.h"

#include <cctype>

#include "common/mtom.h"
#include "xds/repository_codec.h"
#include "xds/xds_constants.h"

namespace renkei::apps {

Status ProvideAndRegister(HttpClient& node, const std::string& repository_url,
                          const xds::SimpleSubmission& submission,
                          const std::vector<std::string>& contents) {
  xds::ProvideAndRegisterRequest pnr;
  pnr.submission = xds::BuildSubmitObjectsRequest(submission);
  for (size_t i = 0; i < submission.documents.size(); ++i) {
    pnr.documents.push_back({submission.documents[i].symbolic_id,
                             "document" + std::to_string(i + 1) + "@emr", ""});
  }
  const std::string envelope = xds::EncodeSoapRequest(
      xds::kActionProvideAndRegister, repository_url, xds::EncodeProvideAndRegisterRequest(pnr));
  const std::string boundary = NewMtomBoundary();
  std::string body = MtomPartHeader(boundary, "root@emr", MtomRootPartContentType()) + envelope;
  for (size_t i = 0; i < contents.size(); ++i) {
    body += MtomPartHeader(boundary, pnr.documents[i].include_cid,
                           submission.documents[i].mime_type);
    body += contents[i];
  }
  body += MtomClosing(boundary);
  const std::string path = repository_url.substr(repository_url.find('/', repository_url.find("://") + 3));
  Result<HttpReply> reply = node.Post(
      path, MtomContentType(boundary, "root@emr", xds::kActionProvideAndRegister), body);
  if (!reply.ok()) return reply.status();
  if (reply->status != 200 || reply->body.find(xds::kResponseSuccess) == std::string::npos) {
    return Status::Internal("demo", "ITI-41 '" + submission.title + "' failed: " + reply->body);
  }
  return Status::Ok();
}

std::string RetrieveRequest(const std::string& repository_url, const std::string& repository_id,
                            const std::string& document_unique_id) {
  return xds::EncodeSoapRequest(
      xds::kActionRetrieve, repository_url,
      xds::EncodeRetrieveDocumentSetRequest({{"", repository_id, document_unique_id}}));
}

// `text` percent-encoded for an application/x-www-form-urlencoded value.
std::string FormValue(const std::string& text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '.' || c == '-' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

}  // namespace renkei::apps
