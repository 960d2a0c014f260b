// The demo's cross-facility image view (demo_image_access.h).
#include "apps/demo_image_access.h"

#include <regex>

#include "apps/demo_publish.h"
#include "xds/repository_codec.h"
#include "xds/soap.h"
#include "xds/soap_http.h"
#include "xds/xds_constants.h"

namespace renkei::apps {
namespace {

Status Failed(const std::string& step, const Result<HttpReply>& r) {
  return Status::Internal("demo", step + ": " +
                                      (r.ok() ? "HTTP " + std::to_string(r->status) + " " +
                                                    r->body.substr(0, 300)
                                              : r.status().ToString()));
}

// The value of DICOM JSON attribute `tag` (a single string value) in `json`, from `from`.
std::string JsonValue(const std::string& json, const std::string& tag, size_t from = 0) {
  std::smatch m;
  const std::string rest = json.substr(std::min(from, json.size()));
  if (!std::regex_search(rest, m, std::regex("\"" + tag + R"re("\s*:\s*\{[^}]*"Value"\s*:\s*\[\s*"([^"]+)")re"))) {
    return "";
  }
  return m[1];
}

}  // namespace

Result<std::string> ShowImageAccess(HttpClient& centre, HttpClient& node_a,
                                    const DemoImageAccess& access) {
  Result<HttpReply> refused =
      node_a.Send("GET", "/dicomweb/studies", "", "", {{"Accept", "application/dicom+json"}});
  if (!refused.ok() || refused->status != 401) return Failed("QIDO-RS without a ticket", refused);
  Result<HttpReply> token = centre.Post(
      "/oauth2/token", "application/x-www-form-urlencoded",
      "grant_type=client_credentials&patient=" + FormValue(access.regional_id) +
          "&document=" + access.manifest_unique_id);
  std::smatch m;
  const std::string token_body = token.ok() ? token->body : "";
  if (!token.ok() || token->status != 200 ||
      !std::regex_search(token_body, m, std::regex(R"re("access_token"\s*:\s*"([^"]+)")re"))) {
    return Failed("a ticket for manifest " + access.manifest_unique_id, token);
  }
  const std::map<std::string, std::string> bearer = {{"Authorization", "Bearer " + std::string(m[1])},
                                                     {"Accept", "application/dicom+json"}};
  // The manifest itself (ITI-43): the KOS naming the study, as an XDS-I.b consumer reads it.
  Result<HttpReply> kos = node_a.Send(
      "POST", "/xds/repository", xds::SoapContentType(xds::kActionRetrieve),
      RetrieveRequest(access.repository_url, access.repository_unique_id,
                      access.manifest_unique_id),
      {{"Authorization", "Bearer " + std::string(m[1])}});
  if (!kos.ok() || kos->status != 200 ||
      kos->body.find("ResponseStatusType:Success") == std::string::npos ||
      kos->body.find("DICM") == std::string::npos) {
    return Failed("ITI-43 of manifest " + access.manifest_unique_id, kos);
  }
  // The ticket opens the manifest's study, and no other of the patient's.
  Result<HttpReply> studies = node_a.Send("GET", "/dicomweb/studies", "", "", bearer);
  if (!studies.ok() || studies->status != 200) return Failed("QIDO-RS with the ticket", studies);
  const std::string study = JsonValue(studies->body, "0020000D");
  if (study.empty() || studies->body.find("0020000D", studies->body.find("0020000D") + 1) !=
                           std::string::npos) {
    return Failed("QIDO-RS with the ticket: not one study", studies);
  }
  Result<HttpReply> instances =
      node_a.Send("GET", "/dicomweb/studies/" + study + "/instances", "", "", bearer);
  if (!instances.ok() || instances->status != 200) return Failed("QIDO-RS of its instances", instances);
  const std::string series = JsonValue(instances->body, "0020000E");
  const std::string sop = JsonValue(instances->body, "00080018");
  std::map<std::string, std::string> wado = bearer;
  wado["Accept"] = "multipart/related; type=\"application/dicom\"";
  Result<HttpReply> retrieved = node_a.Send("GET", "/dicomweb/studies/" + study, "", "", wado);
  if (!retrieved.ok() || retrieved->status != 200 ||
      retrieved->body.find("DICM") == std::string::npos) {
    return Failed("WADO-RS of study " + study, retrieved);
  }
  // The patient's other studies stay closed to this ticket.
  for (const std::string& other : access.studies) {
    if (other == study) continue;
    Result<HttpReply> closed = node_a.Send("GET", "/dicomweb/studies/" + other, "", "", wado);
    if (!closed.ok() || closed->status != 403) return Failed("WADO-RS of study " + other, closed);
  }
  // RAD-69: one instance, in explicit VR little endian.
  xds::RetrieveImagingDocumentSetRequest rad69;
  rad69.documents.push_back({study, series, {"", access.repository_unique_id, sop}});
  rad69.transfer_syntax_uids = {"1.2.840.10008.1.2.1"};
  std::map<std::string, std::string> soap = bearer;
  soap.erase("Accept");
  Result<HttpReply> imaging = node_a.Send(
      "POST", "/xds/repository", xds::SoapContentType(xds::kActionRetrieveImagingDocumentSet),
      xds::EncodeSoapRequest(xds::kActionRetrieveImagingDocumentSet, access.repository_url,
                             xds::EncodeRetrieveImagingDocumentSetRequest(rad69)),
      soap);
  if (!imaging.ok() || imaging->status != 200 ||
      imaging->body.find("ResponseStatusType:Success") == std::string::npos ||
      imaging->body.find(sop) == std::string::npos ||
      imaging->body.find("DICM") == std::string::npos) {
    return Failed("RAD-69 of instance " + sop, imaging);
  }
  return study;
}

}  // namespace renkei::apps
