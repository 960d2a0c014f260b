// Issue 5 end-to-end fixture (tests/e2e/ticketed_region.h).
#include "tests/e2e/ticketed_region.h"

#include <chrono>
#include <thread>

namespace renkei::e2e {
namespace {
constexpr char kPnr[] = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b";
}  // namespace

std::string TicketedRegion::Start(const std::vector<std::string>& centre_overrides,
                                  const std::string& content) {
  key_file_ = dir_.path() + "/ticket.key.pem";
  RunResult key = RunRenkei({"ca", "ticket-key", "--out", key_file_});
  if (key.exit_code != 0) return "renkei ca ticket-key: " + key.err;
  CentreOptions co;
  co.overrides = {"tickets.key_file=" + key_file_};
  co.overrides.insert(co.overrides.end(), centre_overrides.begin(), centre_overrides.end());
  std::string error;
  centre_ = CentreProcess::Start(co, &error);
  if (centre_ == nullptr) return "centre: " + error;
  HttpAnswer jwks = Request("GET", centre_->base_url(), "/.well-known/jwks.json", "", "");
  if (jwks.status != 200) return "jwks: " + jwks.body;
  WriteFileOrDie(dir_.path() + "/jwks.json", jwks.body);
  NodeOptions no;
  no.registry_url = centre_->registry_url();
  no.overrides = {"tickets.jwks_file=" + dir_.path() + "/jwks.json"};
  node_ = NodeProcess::Start(no, &error);
  if (node_ == nullptr) return "node: " + error;
  sub_ = NewSubmission(PatientId(1), 1);
  sub_.for_repository = true;
  const std::string envelope =
      Soap12(kPnr, node_->repository_url(),
             ProvideAndRegisterXml(SubmitObjectsRequestXml(sub_), {{"Document1", "d@e2e"}}));
  MtomMessage m = BuildMtom(envelope, {{"d@e2e", "text/plain", content, {}}}, kPnr);
  HttpAnswer a = Post(node_->base_url(), "/xds/repository", m.content_type, m.body);
  if (a.body.find("ResponseStatusType:Success") == std::string::npos) return "ITI-41: " + a.body;
  return "";
}

bool TicketedRegion::AuditedWith(const std::string& reader, const std::string& query,
                                 const std::string& text) const {
  for (int i = 0; i < 50; ++i) {
    HttpAnswer a = Request("GET", centre_->base_url(), "/fhir/AuditEvent?" + query, "", "",
                           {{kFacilityHeader, reader}});
    if (a.status == 200 && a.body.find(text) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

}  // namespace renkei::e2e
