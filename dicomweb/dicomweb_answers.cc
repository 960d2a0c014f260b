// Plain answers, URLs and Accept checks of the DICOMweb endpoint (dicomweb_handlers.h).
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include "common/http_server.h"
#include "common/peer.h"
#include "dicomweb/dicomweb_handlers.h"

namespace renkei::dicomweb {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

void Text(HTTPServerResponse& response, int status, const std::string& message) {
  SendResponse(response, status, "text/plain; charset=utf-8", message + "\n");
}

void Failed(HTTPServerResponse& response, const Status& status) {
  const StatusCode code = status.code();
  Text(response, code == StatusCode::kNotFound ? 404 : code == StatusCode::kInvalidArgument ? 406 : 500,
       status.message());
}

std::string BaseUrl(const HTTPServerRequest& request) {
  const bool tls = RequestPeer(request).source == Peer::Source::kCertificate;
  return std::string(tls ? "https://" : "http://") + request.getHost() + "/dicomweb";
}

std::string StudyUrl(const std::string& base, const std::string& study) {
  return base + "/studies/" + study;
}
std::string SeriesUrl(const std::string& base, const std::string& study, const std::string& s) {
  return StudyUrl(base, study) + "/series/" + s;
}
std::string InstanceUrl(const std::string& base, const StoredFile& f) {
  return SeriesUrl(base, f.study_uid, f.series_uid) + "/instances/" + f.sop_instance_uid;
}

std::optional<int64_t> FrameNumber(const std::string& s) {
  if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  const int64_t n = std::stoll(s);
  return n >= 1 ? std::optional<int64_t>(n) : std::nullopt;
}

bool AcceptsJson(const HTTPServerRequest& request) {
  const std::string accept = request.get("Accept", "");
  return accept.empty() || accept.find("*/*") != std::string::npos ||
         accept.find("application/dicom+json") != std::string::npos ||
         accept.find("application/json") != std::string::npos;
}

bool Accepts(const std::string& accept, const std::string& type) {
  if (accept.empty() || accept.find("*/*") != std::string::npos) return true;
  return accept.find("multipart/related") != std::string::npos &&
         (accept.find("type=\"" + type + "\"") != std::string::npos ||
          accept.find("type=" + type) != std::string::npos);
}

}  // namespace renkei::dicomweb
