#include "fhir/fhir_http.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <cctype>

#include "common/fhir_outcome.h"
#include "common/http_server.h"
#include "fhir/fhir_xml.h"

namespace renkei::fhir {

bool IsJsonMediaType(const std::string& content_type) {
  const std::string media = content_type.substr(0, content_type.find(';'));
  return media == "application/fhir+json" || media == "application/json";
}

std::string FhirBase(const Poco::Net::HTTPServerRequest& request) {
  return "http://" + request.getHost() + "/fhir";
}

namespace {

std::string MediaOf(const std::string& content_type) {
  std::string media = content_type.substr(0, content_type.find(';'));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  while (!media.empty() && media.front() == ' ') media.erase(0, 1);
  for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return media;
}

bool IsXmlMediaType(const std::string& media) {
  return media == "application/fhir+xml" || media == "application/xml" || media == "text/xml" ||
         media == "xml";
}

}  // namespace

FhirSyntax AnswerSyntax(const Poco::Net::HTTPServerRequest& request) {
  // The query is decoded again only when it can name a format (every answer asks).
  if (request.getURI().find("_format") != std::string::npos) {
    auto params = QueryParamsOf(request);
    if (params.ok()) {
      for (const auto& [name, value] : *params) {
        if (name == "_format") {
          return IsXmlMediaType(MediaOf(value)) ? FhirSyntax::kXml : FhirSyntax::kJson;
        }
      }
    }
  }
  const std::string accept = request.get("Accept", "");
  size_t start = 0;
  while (start < accept.size()) {  // the first FHIR syntax the client lists
    size_t comma = accept.find(',', start);
    if (comma == std::string::npos) comma = accept.size();
    const std::string media = MediaOf(accept.substr(start, comma - start));
    if (IsXmlMediaType(media)) return FhirSyntax::kXml;
    if (IsJsonMediaType(media)) return FhirSyntax::kJson;
    start = comma + 1;
  }
  return FhirSyntax::kJson;
}

void SendFhir(const Poco::Net::HTTPServerRequest& request,
              Poco::Net::HTTPServerResponse& response, int status, const std::string& json) {
  if (AnswerSyntax(request) == FhirSyntax::kXml) {
    Result<std::string> xml = JsonToXml(json);
    if (xml.ok()) return SendResponse(response, status, kFhirXml, *xml);
    // Our own JSON always converts; if it ever did not, the client still gets the answer.
  }
  SendResponse(response, status, kFhirJson, json);
}

void SendOutcome(const Poco::Net::HTTPServerRequest& request,
                 Poco::Net::HTTPServerResponse& response, int status, const std::string& code,
                 const std::string& text) {
  SendFhir(request, response, status, OperationOutcomeJson(code, text));
}

Result<std::string> ReadFhirBody(Poco::Net::HTTPServerRequest& request, size_t max_bytes) {
  const std::string media = MediaOf(request.getContentType());
  const bool xml = IsXmlMediaType(media);
  if (!xml && !IsJsonMediaType(media)) {
    return Status::InvalidArgument("not-supported", "a resource must be sent as "
                                   "application/fhir+json or application/fhir+xml, not '" +
                                   media + "'");
  }
  Result<std::string> body = ReadRequestBody(request, max_bytes);
  if (!body.ok()) return Status::ResourceExhausted("too-costly", body.status().message());
  if (!xml) return body;
  return XmlToJson(*body);
}

void SendBodyError(const Poco::Net::HTTPServerRequest& request,
                   Poco::Net::HTTPServerResponse& response, const Status& error) {
  const int status = error.detail() == "not-supported" ? 415
                     : error.detail() == "too-costly"  ? 413
                                                       : 400;
  SendOutcome(request, response, status, error.detail().empty() ? "invalid" : error.detail(),
              error.message());
}

void SendUnrouted(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                  int status) {
  const std::string what = request.getMethod() + " " + request.getURI();
  if (status == 405) {
    SendOutcome(request, response, 405, "not-supported", what + ": this interaction is not supported");
  } else {
    SendOutcome(request, response, 404, "not-found", what + ": no such resource type or operation");
  }
}

}  // namespace renkei::fhir
