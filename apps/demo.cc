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
#include "apps/role.h"
#include "apps/demo_data.h"
#include "apps/query.h"
#include "common/http_client.h"
#include "pix/hl7_message.h"
#include "pix/mllp.h"
#include "pix/regional_patient_ids.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::apps {
namespace {

constexpr char kUsage[] = "usage: renkei demo [--port N] [--data-dir DIR] [--once]\n";

// ITI-8 then ITI-9 over MLLP: hospital A admits each patient (the PIX Manager assigns a
// regional ID), the centre is asked for that ID, and hospital B admits the patient with the
// regional ID the patient's card shows, which links B's local ID. Fills the regional IDs.
Status FeedPatients(int mllp_port, DemoRegion* r) {
  auto ask = [&](const std::string& message) -> Result<hl7::Message> {
    RENKEI_ASSIGN_OR_RETURN(std::string reply, mllp::MllpExchange("127.0.0.1", mllp_port, message));
    return hl7::Parse(reply);
  };
  for (size_t p = 0; p < r->patients.size(); ++p) {
    const std::string tag = std::to_string(p + 1);
    RENKEI_ASSIGN_OR_RETURN(hl7::Message ack_a, ask(DemoAdmission(*r, p, 0, "DEMO-A" + tag)));
    RENKEI_ASSIGN_OR_RETURN(
        hl7::Message rsp,
        ask("MSH|^~\\&|DEMO|CENTRE|RENKEI|CENTRE|20261125090000||QBP^Q23^QBP_Q21|DEMO-Q" + tag +
            "|P|2.5\rQPD|IHE PIX Query|Q" + tag + "|" + r->patients[p].local_ids[0] + "|^^^&" +
            r->regional_domain_oid + "&ISO\rRCP|I\r"));
    const hl7::Segment* pid = rsp.Find("PID");
    if (ack_a.Find("MSA") == nullptr || ack_a.Find("MSA")->Value(1) != "AA" || pid == nullptr) {
      return Status::Internal("demo", "the PIX Manager did not register patient " + tag);
    }
    r->patients[p].regional_id = pid->Value(3, 1, 1) + "^^^&" + r->regional_domain_oid + "&ISO";
    RENKEI_ASSIGN_OR_RETURN(hl7::Message ack_b, ask(DemoAdmission(*r, p, 1, "DEMO-B" + tag)));
    if (ack_b.Find("MSA") == nullptr || ack_b.Find("MSA")->Value(1) != "AA") {
      return Status::Internal("demo", "the PIX Manager did not link hospital B's patient " + tag);
    }
  }
  return Status::Ok();
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

  DemoRegion region = MakeDemoRegion();
  std::vector<std::string> overrides = {
      "data_dir=" + data_dir + "/centre", "http.listen=127.0.0.1:" + port,
      "mllp.listen=127.0.0.1:0",
      "tls.insecure_loopback=true", "pix.regional_domain.oid=" + region.regional_domain_oid};
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

  Status fed = FeedPatients((*centre)->mllp_port(), &region);
  if (!fed.ok()) {
    std::fprintf(stderr, "renkei demo: %s\n", fed.ToString().c_str());
    return 1;
  }
  // Each hospital registers its documents through ITI-42, as its repository would.
  int documents = 0;
  for (const xds::SimpleSubmission& s : DemoSubmissions(region)) {
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
  std::ofstream(query_file, std::ios::binary)
      << FindDocumentsRequest(first.regional_id, {xds::kStatusApproved});

  // Run the printed examples once ourselves, so what we print is known to work: the query
  // by regional ID, and `renkei query` by hospital B's own patient ID (PIXm, then ITI-18).
  std::string local_id, local_oid, b_id, b_oid;
  pix::SplitXdsPatientId(first.local_ids[0], &local_id, &local_oid);
  pix::SplitXdsPatientId(first.local_ids[1], &b_id, &b_oid);
  Result<std::string> resolved =
      ResolveRegionalId(**client, b_id, b_oid, region.regional_domain_oid);
  Result<FoundDocuments> found =
      resolved.ok() ? FindDocuments(**client, *resolved, {xds::kStatusApproved})
                    : Result<FoundDocuments>(resolved.status());
  if (!found.ok() || found->entries.empty() || *resolved != first.regional_id) {
    std::fprintf(stderr, "renkei demo: the example query found nothing: %s\n",
                 found.ok() ? "no documents" : found.status().ToString().c_str());
    return 1;
  }
  std::printf("ready demo %s\n", base.c_str());
  std::printf(
      "\nRenkei demo region on loopback\n"
      "  centre (XDS.b Document Registry, SQLite in %s/centre): %s/xds/registry\n"
      "  PIX Manager: %s (ITI-8, ITI-9), %s/fhir (PIXm, PDQm, ITI-104)\n"
      "  %zu hospitals fed their patients (ITI-8; hospital B linked by the regional ID)\n"
      "  and registered %d documents for %zu patients (ITI-42)\n\n"
      "Find %s's documents (ITI-18 FindDocuments, regional ID %s):\n\n"
      "  curl -s -H 'Content-Type: application/soap+xml; charset=UTF-8' \\\n"
      "       --data-binary @%s %s/xds/registry\n\n"
      "(the answer lists %zu DocumentEntries). The same patient at the other hospital\n"
      "(PIXm, ITI-83):\n\n"
      "  curl -s '%s/fhir/Patient/$ihe-pix?sourceIdentifier=urn:oid:%s|%s'\n\n"
      "The same documents by hospital B's own patient ID (PIXm, then ITI-18):\n\n"
      "  renkei query --centre %s --local-id %s --authority %s --regional-oid %s\n\n"
      "Press Ctrl-C to stop.\n",
      data_dir.c_str(), base.c_str(), (*centre)->mllp_url().c_str(), base.c_str(),
      region.hospitals.size(), documents,
      region.patients.size(), (first.family_kanji + " " + first.given_kanji).c_str(),
      first.regional_id.c_str(),
      query_file.c_str(), base.c_str(), found->entries.size(), base.c_str(), local_oid.c_str(),
      local_id.c_str(), base.c_str(), b_id.c_str(), b_oid.c_str(),
      region.regional_domain_oid.c_str());
  std::fflush(stdout);
  if (!once) WaitForStopSignal();
  centre->reset();
  return 0;
}

}  // namespace renkei::apps
