// Issue 5 / architecture §3 end to end: the centre's streaming retrieve relay
// (/relay/{facility-oid}/…, docs/relay.md) between a viewing clinic and a hospital's node,
// real processes (insecure loopback: the facility comes from the X-Renkei-Facility test
// header; the relay names itself with relay.facility). The operator lists the node's
// endpoint and the hospital grants the clinic with `renkei directory`; the clinic fetches the
// document through the centre with the ticket the centre issued it, ITI-68 and ITI-43; the
// node admits the relay's ticket; the centre records the relay and writes no content down.
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <iterator>
#include <regex>
#include <thread>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"
#include "tests/e2e/ticketed_region.h"

namespace renkei::e2e {
namespace {

constexpr char kCentreFacility[] = "2.999.392.99.2";  // the relay's facility (relay.facility)
constexpr char kClinic[] = "2.999.392.99.310";        // a viewing clinic
constexpr char kStranger[] = "2.999.392.99.311";      // a facility nobody granted anything
constexpr char kAuditor[] = "2.999.392.99.900";
constexpr char kRetrieve[] = "urn:ihe:iti:2007:RetrieveDocumentSet";
constexpr char kFacility[] = "X-Renkei-Facility";
constexpr char kMarker[] = "RELAY-E2E-MARKER-7f3a9c";

class RelayTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(region_.Start({std::string("relay.facility=") + kCentreFacility,
                             std::string("audit.readers=[\"") + kAuditor + "\"]"}, std::string(kMarker) + "\n"), "");
    centre_ = &region_.centre();
    node_ = &region_.node();
    sub_ = region_.submission();
  }

  RunResult Directory(std::vector<std::string> args) {
    args.insert(args.begin(), {"directory", "--data-dir", centre_->data_dir()});
    return RunRenkei(args);
  }
  // POST /oauth2/token as `facility` for the published document: the ticket, or "".
  std::string Ticket(const std::string& facility) {
    HttpAnswer a = Post(centre_->base_url(), "/oauth2/token", "application/x-www-form-urlencoded",
                        "grant_type=client_credentials&patient=E2E0001%5E%5E%5E%26" +
                            std::string(kRegionalDomain) + "%26ISO&document=" +
                            sub_.document_unique_ids[0],
                        {{kFacility, facility}});
    std::smatch m;
    EXPECT_EQ(a.status, 200) << a.body;
    return std::regex_search(a.body, m, std::regex(R"re("access_token"\s*:\s*"([^"]+)")re"))
               ? std::string(m[1])
               : "";
  }
  std::map<std::string, std::string> As(const std::string& facility, const std::string& ticket) {
    std::map<std::string, std::string> h = {{kFacility, facility}};
    if (!ticket.empty()) h["Authorization"] = "Bearer " + ticket;
    return h;
  }
  std::string RelayPath(const std::string& node_path) const {
    return std::string("/relay/") + kNodeFacility + node_path;
  }
  // True once an ITI-81 search `query` (as the auditor) finds a record containing `text`.
  bool AuditedWith(const std::string& query, const std::string& text) {
    return region_.AuditedWith(kAuditor, query, text);
  }

  TicketedRegion region_;
  CentreProcess* centre_ = nullptr;  // region_'s
  NodeProcess* node_ = nullptr;
  TestSubmission sub_;
};

TEST_F(RelayTest, AGrantedClinicFetchesThroughTheCentreWhichKeepsNothing) {
  const std::string binary = RelayPath("/fhir/Binary/" + sub_.document_unique_ids[0]);
  // Until the operator lists the node's endpoint the relay does not know where to go.
  ASSERT_EQ(Directory({"grant", "add", "--from", kNodeFacility, "--to", kClinic, "--patient",
                       PatientId(1)})
                .exit_code,
            0);
  const std::string ticket = Ticket(kClinic);
  ASSERT_FALSE(ticket.empty());
  EXPECT_EQ(Request("GET", centre_->base_url(), binary, "", "", As(kClinic, ticket)).status, 404);
  RunResult listed = Directory({"endpoint", "add", "--facility", kNodeFacility, "--kind", "iti68",
                                "--url", node_->base_url() + "/fhir/Binary"});
  ASSERT_EQ(listed.exit_code, 0) << listed.err;

  // No ticket, or another facility presenting the clinic's: refused by the relay itself.
  EXPECT_EQ(Request("GET", centre_->base_url(), binary, "", "", As(kClinic, "")).status, 401);
  EXPECT_EQ(Request("GET", centre_->base_url(), binary, "", "", As(kStranger, ticket)).status,
            401);
  // ITI-68 through the relay (the centre notices the directory change within a second).
  HttpAnswer got;
  for (int i = 0; i < 30; ++i) {
    got = Request("GET", centre_->base_url(), binary, "", "", As(kClinic, ticket));
    if (got.status != 404) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.body, std::string(kMarker) + "\n");
  // ITI-43 through the relay: the same document in an MTOM answer.
  const std::string envelope =
      Soap12(kRetrieve, node_->repository_url(),
             RetrieveXml({{kNodeRepositoryId, sub_.document_unique_ids[0]}}));
  MtomMessage m = BuildMtom(envelope, {}, kRetrieve);
  HttpAnswer retrieved = Post(centre_->base_url(), RelayPath("/xds/repository"), m.content_type,
                              m.body, As(kClinic, ticket));
  EXPECT_EQ(retrieved.status, 200) << retrieved.body;
  EXPECT_NE(retrieved.body.find("ResponseStatusType:Success"), std::string::npos)
      << retrieved.body;
  EXPECT_NE(retrieved.body.find(kMarker), std::string::npos);

  // The centre recorded the relay as a disclosure (110106) to the clinic, and the refused
  // ticket as a security alert naming the stranger.
  EXPECT_TRUE(AuditedWith("type=http://dicom.nema.org/resources/ontology/DCM%7C110106&agent=urn:"
                          "oid:" + std::string(kClinic),
                          "relayed to " + std::string(kNodeFacility)));
  EXPECT_TRUE(AuditedWith("type=http://dicom.nema.org/resources/ontology/DCM%7C110113&agent=urn:"
                          "oid:" + std::string(kStranger),
                          "relay: access ticket refused"));
  // Architecture §3: the relay streamed the document; no file the centre wrote holds it.
  // (SQLite's -wal / -shm files may come and go meanwhile.)
  size_t read = 0;
  for (const std::string& file : FilesUnder(centre_->data_dir())) {
    std::ifstream in(centre_->data_dir() + "/" + file, std::ios::binary);
    if (!in) continue;
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    ++read;
    EXPECT_EQ(bytes.find(kMarker), std::string::npos) << file;
  }
  EXPECT_GE(read, 3u);  // registry, directory, audit trail at least
}

TEST_F(RelayTest, TheNodeStillDecidesWhatTheTicketCovers) {
  ASSERT_EQ(Directory({"endpoint", "add", "--facility", kNodeFacility, "--kind", "iti43", "--url",
                       node_->repository_url()})
                .exit_code,
            0);
  // The node's own facility may use the relay too, with a ticket for its own records; a
  // document the ticket does not name is the node's refusal (403 insufficient_scope),
  // passed through.
  const std::string own = Ticket(kNodeFacility);
  ASSERT_FALSE(own.empty());
  HttpAnswer mine;
  for (int i = 0; i < 30; ++i) {
    mine = Request("GET", centre_->base_url(),
                   RelayPath("/fhir/Binary/" + sub_.document_unique_ids[0]), "", "",
                   As(kNodeFacility, own));
    if (mine.status != 404) break;  // the centre noticed the endpoint (within a second)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(mine.status, 200) << mine.body;
  HttpAnswer other = Request("GET", centre_->base_url(), RelayPath("/fhir/Binary/2.25.1234"), "",
                             "", As(kNodeFacility, own));
  EXPECT_TRUE(other.status == 403 || other.status == 404) << other.status << other.body;
  EXPECT_EQ(other.body.find(kMarker), std::string::npos);
  // Paths that are no node protocol path are refused before anything is forwarded.
  EXPECT_EQ(Request("GET", centre_->base_url(), RelayPath("/fhir/../oauth2/token"), "", "",
                    As(kNodeFacility, own))
                .status,
            400);
}

}  // namespace
}  // namespace renkei::e2e
