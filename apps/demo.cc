// `renkei demo`: a region on loopback (architecture §1). This version: the centre with its
// XDS.b registry (embedded SQLite), seeded through ITI-42 with synthetic Japanese patients'
// documents from two hospitals, and a printed FindDocuments query to paste.
#include "apps/demo.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "apps/centre.h"
#include "apps/demo_data.h"
#include "common/http_client.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::apps {
namespace {

constexpr char kUsage[] = "usage: renkei demo [--port N] [--data-dir DIR] [--once]\n";

// A FindDocuments (LeafClass) request for one patient, approved entries.
std::string FindDocumentsBody(const std::string& patient_id) {
  return std::string("<query:AdhocQueryRequest xmlns:query=\"") + xds::kNsQuery +
         "\" xmlns:rim=\"" + xds::kNsRim +
         "\"><query:ResponseOption returnComposedObjects=\"true\" returnType=\"LeafClass\"/>"
         "<rim:AdhocQuery id=\"" + xds::kSqFindDocuments +
         "\"><rim:Slot name=\"$XDSDocumentEntryPatientId\"><rim:ValueList><rim:Value>'" +
         patient_id +
         "'</rim:Value></rim:ValueList></rim:Slot><rim:Slot name=\"$XDSDocumentEntryStatus\">"
         "<rim:ValueList><rim:Value>('" + xds::kStatusApproved +
         "')</rim:Value></rim:ValueList></rim:Slot></rim:AdhocQuery></query:AdhocQueryRequest>";
}

size_t CountOccurrences(const std::string& haystack, const std::string& needle) {
  size_t n = 0;
  for (size_t p = haystack.find(needle); p != std::string::npos; p = haystack.find(needle, p + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

int RunDemo(const std::vector<std::string>& args) {
  std::string port = "8080";
  std::string data_dir = "./var/demo";
  bool once = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--port" && i + 1 < args.size()) {
      port = args[++i];
    } else if (args[i] == "--data-dir" && i + 1 < args.size()) {
      data_dir = args[++i];
    } else if (args[i] == "--once") {
      once = true;
    } else {
      std::fprintf(stderr, "renkei demo: unexpected argument '%s'\n%s", args[i].c_str(), kUsage);
      return 2;
    }
  }
  // A demo starts from a clean region every time.
  std::error_code ec;
  std::filesystem::remove_all(data_dir + "/centre", ec);
  std::filesystem::create_directories(data_dir + "/centre", ec);

  const DemoRegion region = MakeDemoRegion();
  std::vector<std::string> overrides = {
      "data_dir=" + data_dir + "/centre", "http.listen=127.0.0.1:" + port,
      "mllp.listen=127.0.0.1:0",
      "tls.insecure_loopback=true", "pix.regional_domain.oid=" + region.regional_domain_oid};
  std::string known = "registry.known_patient_ids=[";
  for (size_t i = 0; i < region.patients.size(); ++i) {
    known += (i ? ",\"" : "\"") + region.patients[i].regional_id + "\"";
  }
  overrides.push_back(known + "]");
  Result<Config> config = Config::Load(CentreConfigSchema(), "", overrides);
  if (!config.ok()) {
    std::fprintf(stderr, "renkei demo: %s\n", config.status().message().c_str());
    return 1;
  }
  BlockStopSignals();
  Result<std::unique_ptr<Centre>> centre = Centre::Start(*config);
  if (!centre.ok()) {
    std::fprintf(stderr, "renkei demo: cannot start the centre: %s\n",
                 centre.status().message().c_str());
    return 1;
  }
  const std::string base = (*centre)->base_url();
  auto client = HttpClient::Create(base);
  if (!client.ok()) return 1;

  // Each hospital registers its documents through ITI-42, as its repository would.
  int documents = 0;
  for (const xds::SimpleSubmission& s : region.submissions) {
    std::string body = xds::EncodeSoapRequest(
        xds::kActionRegister, (*centre)->registry_url(),
        xds::EncodeSubmitObjectsRequest(xds::BuildSubmitObjectsRequest(s)));
    auto reply = (*client)->Post("/xds/registry", "application/soap+xml; charset=UTF-8", body);
    if (!reply.ok() || reply->status != 200 ||
        reply->body.find(xds::kResponseSuccess) == std::string::npos) {
      std::fprintf(stderr, "renkei demo: registering %s failed: %s\n", s.title.c_str(),
                   reply.ok() ? reply->body.c_str() : reply.status().ToString().c_str());
      return 1;
    }
    documents += static_cast<int>(s.documents.size());
  }

  const DemoPatient& first = region.patients.front();
  const std::string query_file = data_dir + "/find-documents.xml";
  const std::string query = xds::EncodeSoapRequest(xds::kActionStoredQuery,
                                                   (*centre)->registry_url(),
                                                   FindDocumentsBody(first.regional_id));
  std::ofstream(query_file, std::ios::binary) << query;

  // Run the printed example once ourselves, so what we print is known to work.
  auto check = (*client)->Post("/xds/registry", "application/soap+xml; charset=UTF-8", query);
  size_t found = check.ok() ? CountOccurrences(check->body, "<rim:ExtrinsicObject ") : 0;
  if (!check.ok() || found == 0) {
    std::fprintf(stderr, "renkei demo: the example query returned nothing: %s\n",
                 check.ok() ? check->body.c_str() : check.status().ToString().c_str());
    return 1;
  }

  std::printf("ready demo %s\n", base.c_str());
  std::printf(
      "\nRenkei demo region on loopback\n"
      "  centre (XDS.b Document Registry, SQLite in %s/centre): %s/xds/registry\n"
      "  %zu hospitals registered %d documents for %zu patients (ITI-42)\n\n"
      "Find %s's documents (ITI-18 FindDocuments, regional ID %s):\n\n"
      "  curl -s -H 'Content-Type: application/soap+xml; charset=UTF-8' \\\n"
      "       --data-binary @%s %s/xds/registry\n\n"
      "(the answer lists %zu DocumentEntries). Press Ctrl-C to stop.\n",
      data_dir.c_str(), base.c_str(), region.hospitals.size(), documents,
      region.patients.size(), first.name_kanji.c_str(), first.regional_id.c_str(),
      query_file.c_str(), base.c_str(), found);
  std::fflush(stdout);
  if (!once) WaitForStopSignal();
  centre->reset();
  return 0;
}

}  // namespace renkei::apps
