// ITI-19 Authenticate Node end to end: a region whose certificates come from `renkei ca`,
// a centre and a node started with mutual TLS (tls.insecure_loopback=false), driven over
// HTTPS and MLLP/TLS. Every listener answers only peers with a certificate of the regional
// CA that is not revoked; the requesting facility is the certificate's.
#include <Poco/Net/Context.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "common/http_client.h"
#include "common/tls.h"
#include "pix/mllp.h"
#include "tests/e2e/centre_process.h"
#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

constexpr char kCentreFacility[] = "2.999.392.99.100";
constexpr char kClinicFacility[] = "2.999.392.99.200";
constexpr char kForeignFacility[] = "2.999.392.99.202";  // certificate of another CA
constexpr char kExpiredFacility[] = "2.999.392.99.203";  // the region's CA, expired

class MutualTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    Ca({"init", "--dir", P("ca"), "--name", "E2E Region"});
    Issue("centre", kCentreFacility, {"--host", "localhost", "--ip", "127.0.0.1"});
    Issue("node", kNodeFacility, {"--ip", "127.0.0.1"});
    Issue("clinic", kClinicFacility, {"--client"});
    Issue("revoked", "2.999.392.99.201", {"--client"});
    Issue("pacs", kNodeFacility, {"--client"});  // the hospital's PACS: the node's facility
    // A CA that is not the region's, and a facility certificate it issued.
    Ca({"init", "--dir", P("other-ca"), "--name", "Other Region"});
    Issue("foreign", kForeignFacility, {"--client"}, "other-ca");
    // A certificate of the regional CA that expired in 2020: `renkei ca` cannot issue one,
    // the openssl command line can (common/testdata/make_test_pki.sh --expired-leaf).
    const char* source = std::getenv("RENKEI_SOURCE_DIR");
    ASSERT_NE(source, nullptr) << "RENKEI_SOURCE_DIR is not set";
    const std::string script = std::string(source) + "/common/testdata/make_test_pki.sh";
    ChildProcess pki("/bin/bash", {script, "--expired-leaf", P("ca"), P("expired"),
                                   kExpiredFacility, "Expired Clinic"});
    ASSERT_EQ(pki.WaitForExit(std::chrono::seconds(60)), 0) << pki.err();
  }
  static void TearDownTestSuite() { delete dir_; }
  static std::string P(const std::string& name) { return dir_->path() + "/" + name; }
  static std::string Ca(const std::vector<std::string>& args) {
    std::vector<std::string> all = {"ca"};
    all.insert(all.end(), args.begin(), args.end());
    RunResult r = RunRenkei(all);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }
  static void Issue(const std::string& who, const std::string& oid, std::vector<std::string> extra,
                    const std::string& ca = "ca") {
    std::vector<std::string> args = {"issue",  "--dir", P(ca),   "--facility", oid,
                                     "--name", who,     "--out", P(who)};
    args.insert(args.end(), extra.begin(), extra.end());
    serials_[who] = Ca(args);
  }
  static std::vector<std::string> TlsSets(const std::string& who) {
    return {"tls.insecure_loopback=false", "tls.cert=" + P(who + ".cert.pem"),
            "tls.key=" + P(who + ".key.pem"), "tls.ca=" + P("ca/ca.cert.pem"),
            "tls.crl=" + P("ca/ca.crl.pem")};
  }
  static TlsFiles Files(const std::string& who) {
    return {P(who + ".cert.pem"), P(who + ".key.pem"), P("ca/ca.cert.pem"), ""};
  }

  void SetUp() override {
    CentreOptions co;
    co.overrides = TlsSets("centre");
    std::string error;
    centre_ = CentreProcess::Start(co, &error);
    ASSERT_NE(centre_, nullptr) << error;
  }
  void TearDown() override { SetClientTls(nullptr); }

  // An HTTPS request to the centre as `who` (its certificate as this process's client
  // certificate). Unavailable when the connection is refused.
  Result<HttpReply> AsFacility(const std::string& who, const std::string& method,
                               const std::string& path, const std::string& content_type = "",
                               const std::string& body = "") {
    auto ctx = TlsContext::Client(Files(who));
    if (!ctx.ok()) return ctx.status();
    SetClientTls(*ctx);
    auto client = HttpClient::Create(centre_->base_url(), 10);
    if (!client.ok()) return client.status();
    return (*client)->Send(method, path, content_type, body);
  }
  // True once the centre's audit records matching the ITI-81 search `query` (read as the
  // centre itself, which reads the whole trail) contain every one of `texts`; false after 5 s.
  bool TrailContains(const std::string& query, const std::vector<std::string>& texts) {
    for (int i = 0; i < 50; ++i) {
      auto trail = AsFacility("centre", "GET", "/fhir/AuditEvent?" + query);
      bool all = trail.ok() && trail->status == 200;
      for (const std::string& t : texts) all = all && trail->body.find(t) != std::string::npos;
      if (all) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
  }
  // TrailContains for the security alerts (110113).
  bool AlertsContain(const std::vector<std::string>& texts) {
    return TrailContains("type=http://dicom.nema.org/resources/ontology/DCM%7C110113&_count=1000",
                         texts);
  }

  static TempDir* dir_;
  static std::map<std::string, std::string> serials_;
  std::unique_ptr<CentreProcess> centre_;
};

TempDir* MutualTlsTest::dir_ = nullptr;
std::map<std::string, std::string> MutualTlsTest::serials_;

TEST_F(MutualTlsTest, EveryListenerIsMutualTls) {
  ASSERT_EQ(centre_->base_url().rfind("https://127.0.0.1:", 0), 0u) << centre_->ready_line();
  EXPECT_NE(centre_->ready_line().find(" mllps://127.0.0.1:"), std::string::npos);
  // A facility certificate of the region: answered.
  auto ok = AsFacility("clinic", "GET", "/fhir/metadata");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->status, 200);
  // The centre publishes the region's CRL and CA certificate (DER) to its facilities.
  auto crl = AsFacility("clinic", "GET", "/pki/crl");
  ASSERT_TRUE(crl.ok()) << crl.status().ToString();
  EXPECT_EQ(crl->status, 200);
  EXPECT_EQ(crl->content_type, "application/pkix-crl");
  ASSERT_FALSE(crl->body.empty());
  EXPECT_EQ(static_cast<unsigned char>(crl->body[0]), 0x30u);  // a DER SEQUENCE
  // Plain HTTP to the TLS port: no HTTP answer.
  HttpAnswer plain = Request("GET", "http://127.0.0.1:" + std::to_string(centre_->port()),
                             "/fhir/metadata", "", "", {}, 5);
  EXPECT_EQ(plain.status, -1) << plain.body;
  // TLS without a client certificate: the handshake fails.
  Poco::Net::Context::Ptr anonymous = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, P("ca/ca.cert.pem"), Poco::Net::Context::VERIFY_RELAXED);
  bool answered = false;
  try {
    Poco::Net::HTTPSClientSession s("127.0.0.1", static_cast<Poco::UInt16>(centre_->port()),
                                    anonymous);
    s.setTimeout(Poco::Timespan(5, 0));
    Poco::Net::HTTPRequest req("GET", "/fhir/metadata", Poco::Net::HTTPMessage::HTTP_1_1);
    s.sendRequest(req);
    Poco::Net::HTTPResponse resp;
    s.receiveResponse(resp);
    answered = true;
  } catch (const Poco::Exception&) {
  }
  EXPECT_FALSE(answered);
  // The refusal is in the centre's audit trail: a security alert (110113) naming the reason.
  bool audited = false;
  for (int i = 0; i < 50 && !audited; ++i) {
    auto trail = AsFacility("centre", "GET",
                            "/fhir/AuditEvent?type=http://dicom.nema.org/resources/ontology/"
                            "DCM%7C110113&_count=1000");
    audited = trail.ok() && trail->body.find("did not return a certificate") != std::string::npos;
    if (!audited) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(audited);
  // MLLP over TLS with the node's certificate: an ITI-8 feed is acknowledged.
  auto ctx = TlsContext::Client(Files("node"));
  ASSERT_TRUE(ctx.ok());
  SetClientTls(*ctx);
  const std::string a01 =
      "MSH|^~\\&|EMR|HOSPA|RENKEI|REGION|20261126090000||ADT^A01^ADT_A01|TLS1|P|2.5\r"
      "EVN||20261126090000\r"
      "PID|||TLS0001^^^&2.999.392.99.7.9&ISO||YAMADA^TARO||19700101|M\r"
      "PV1||O\r";
  auto ack = mllp::MllpExchange("127.0.0.1", centre_->mllp_port(), a01, 10000, /*tls=*/true);
  ASSERT_TRUE(ack.ok()) << ack.status().ToString();
  EXPECT_NE(ack->find("MSA|AA|TLS1"), std::string::npos) << *ack;
  // The ITI-8 record names the facility of the sender's certificate, not MSH-4 ("HOSPA").
  EXPECT_TRUE(TrailContains("type=urn:ihe:event-type-code%7CITI-8&agent=urn:oid:" +
                                std::string(kNodeFacility) + "&_count=1000",
                            {"TLS0001^^^&2.999.392.99.7.9&ISO"}));
  // The same over plain TCP: no answer.
  EXPECT_FALSE(mllp::MllpExchange("127.0.0.1", centre_->mllp_port(), a01, 3000).ok());
}

TEST_F(MutualTlsTest, ARevokedCertificateIsRefusedWithoutARestart) {
  auto before = AsFacility("revoked", "GET", "/fhir/metadata");
  ASSERT_TRUE(before.ok()) << before.status().ToString();
  EXPECT_EQ(before->status, 200);
  std::string serial = serials_["revoked"];
  while (!serial.empty() && (serial.back() == '\n' || serial.back() == '\r')) serial.pop_back();
  Ca({"revoke", "--dir", P("ca"), "--serial", serial, "--reason", "keyCompromise"});
  // The centre re-reads the CRL file when it changes (every 2 s).
  bool refused = false;
  for (int i = 0; i < 50 && !refused; ++i) {
    refused = !AsFacility("revoked", "GET", "/fhir/metadata").ok();
    if (!refused) std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  EXPECT_TRUE(refused);
  auto other = AsFacility("clinic", "GET", "/fhir/metadata");
  ASSERT_TRUE(other.ok());
  EXPECT_EQ(other->status, 200);
  EXPECT_NE(centre_->process().err().find("certificate revoked"), std::string::npos)
      << centre_->process().err();
  auto trail = AsFacility("centre", "GET",
                          "/fhir/AuditEvent?type=http://dicom.nema.org/resources/ontology/"
                          "DCM%7C110113&_count=1000");
  ASSERT_TRUE(trail.ok());
  EXPECT_NE(trail->body.find("certificate revoked"), std::string::npos) << trail->body;
}

TEST_F(MutualTlsTest, ACertificateOfAnotherCaIsRefusedAndAudited) {
  // The foreign certificate is well formed and names a facility; only its issuer is wrong.
  auto foreign = AsFacility("foreign", "GET", "/fhir/metadata");
  EXPECT_FALSE(foreign.ok()) << "answered " << foreign->status;
  auto clinic = AsFacility("clinic", "GET", "/fhir/metadata");
  ASSERT_TRUE(clinic.ok()) << clinic.status().ToString();
  EXPECT_EQ(clinic->status, 200);
  // MLLP over TLS refuses it too.
  auto ctx = TlsContext::Client(Files("foreign"));
  ASSERT_TRUE(ctx.ok());
  SetClientTls(*ctx);
  const std::string a01 =
      "MSH|^~\\&|EMR|HOSPF|RENKEI|REGION|20261126090000||ADT^A01^ADT_A01|TLS2|P|2.5\r"
      "EVN||20261126090000\r"
      "PID|||TLS0002^^^&2.999.392.99.7.9&ISO||SUZUKI^HANAKO||19800101|F\r"
      "PV1||O\r";
  EXPECT_FALSE(mllp::MllpExchange("127.0.0.1", centre_->mllp_port(), a01, 5000, true).ok());
  // A security alert (110113) naming the reason and the certificate.
  EXPECT_TRUE(AlertsContain({"unable to get local issuer certificate", "'foreign'"}))
      << centre_->process().err();
}

TEST_F(MutualTlsTest, AnExpiredCertificateIsRefusedAndAudited) {
  auto expired = AsFacility("expired", "GET", "/fhir/metadata");
  EXPECT_FALSE(expired.ok()) << "answered " << expired->status;
  EXPECT_TRUE(AlertsContain({"certificate has expired", "'Expired Clinic'"}))
      << centre_->process().err();
}

TEST_F(MutualTlsTest, ANodeRegistersAtTheCentreWithItsCertificate) {
  NodeOptions no;
  no.registry_url = centre_->registry_url();
  no.overrides = TlsSets("node");
  std::string error;
  auto node = NodeProcess::Start(no, &error);
  ASSERT_NE(node, nullptr) << error;
  ASSERT_EQ(node->base_url().rfind("https://", 0), 0u);
  // The operator lists the hospital and its repository in the centre's directory: over TLS
  // the registry accepts a repositoryUniqueId only from the facility listed for it.
  auto directory = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {"directory", "--data-dir", centre_->data_dir()});
    RunResult r = RunRenkei(args);
    EXPECT_EQ(r.exit_code, 0) << r.err;
  };
  directory({"facility", "add", "--oid", kNodeFacility, "--name", "E2E Hospital", "--type",
             "disclosing"});
  directory({"endpoint", "add", "--facility", kNodeFacility, "--kind", "iti43", "--url",
             node->repository_url(), "--repository", kNodeRepositoryId});
  // The hospital's EMR publishes through its node (ITI-41 over mutual TLS); the node
  // registers at the centre (ITI-42 over mutual TLS, as facility kNodeFacility).
  TestSubmission sub = NewSubmission(PatientId(1));
  sub.for_repository = true;
  const char kPnr[] = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b";
  const std::string envelope =
      Soap12(kPnr, node->repository_url(),
             ProvideAndRegisterXml(SubmitObjectsRequestXml(sub), {{"Document1", "d@e2e"}}));
  MtomMessage iti41 =
      BuildMtom(envelope, {{"d@e2e", "text/plain", "TLS-E2E document body\n", {}}}, kPnr);
  auto ctx = TlsContext::Client(Files("node"));
  ASSERT_TRUE(ctx.ok());
  SetClientTls(*ctx);
  auto client = HttpClient::Create(node->base_url(), 30);
  ASSERT_TRUE(client.ok());
  auto reply = (*client)->Send("POST", "/xds/repository", iti41.content_type, iti41.body);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_NE(reply->body.find("ResponseStatusType:Success"), std::string::npos) << reply->body;
  // The centre knows the registration came from the node's facility: the node (its own
  // records) finds it; another facility's query over TLS is answered too.
  auto centre_client = HttpClient::Create(centre_->base_url(), 30);
  ASSERT_TRUE(centre_client.ok());
  const std::string query = Soap12("urn:ihe:iti:2007:RegistryStoredQuery", centre_->registry_url(),
                                   FindDocumentsXml(PatientId(1), /*object_ref=*/true));
  auto found = (*centre_client)->Send("POST", "/xds/registry",
                                      "application/soap+xml; charset=UTF-8; "
                                      "action=\"urn:ihe:iti:2007:RegistryStoredQuery\"",
                                      query);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_NE(found->body.find("ObjectRef"), std::string::npos) << found->body;
  // A valid certificate of a facility without a grant (the clinic): zero entries, even when
  // it names the hospital in the insecure-mode test header (over TLS the facility is the
  // certificate's, never a message field's).
  auto clinic_ctx = TlsContext::Client(Files("clinic"));
  ASSERT_TRUE(clinic_ctx.ok());
  SetClientTls(*clinic_ctx);
  auto clinic_client = HttpClient::Create(centre_->base_url(), 30);
  ASSERT_TRUE(clinic_client.ok());
  auto none = (*clinic_client)
                  ->Send("POST", "/xds/registry",
                         "application/soap+xml; charset=UTF-8; "
                         "action=\"urn:ihe:iti:2007:RegistryStoredQuery\"",
                         query, {{"X-Renkei-Facility", kNodeFacility}});
  ASSERT_TRUE(none.ok()) << none.status().ToString();
  EXPECT_NE(none->body.find("ResponseStatusType:Success"), std::string::npos) << none->body;
  EXPECT_EQ(none->body.find("ObjectRef"), std::string::npos) << none->body;
  // Its query is in the audit trail (Query 110112, ITI-18) naming the clinic.
  EXPECT_TRUE(TrailContains("type=http://dicom.nema.org/resources/ontology/DCM%7C110112&agent=" +
                                std::string("urn:oid:") + kClinicFacility,
                            {"\"resourceType\":\"AuditEvent\"", kClinicFacility}));
}

// DICOM over TLS at the node (issue 6): its PACS, with a certificate of the node's own
// facility, pushes (C-ECHO here; C-STORE in dicomweb/dimse_scp_test.cc); another facility's
// certificate of the same CA is refused at the handshake, and the refusal is audited.
TEST_F(MutualTlsTest, TheNodesDicomListenerAdmitsItsOwnFacilityOnly) {
  NodeOptions no;
  no.registry_url = centre_->registry_url();
  no.overrides = TlsSets("node");
  const int port = FreeLoopbackPort();
  no.overrides.push_back("dimse.listen=127.0.0.1:" + std::to_string(port));
  std::string error;
  auto node = NodeProcess::Start(no, &error);
  ASSERT_NE(node, nullptr) << error;
  auto echo = [&](const std::string& who) {
    ChildProcess scu("/usr/bin/echoscu",
                     {"+tls", P(who + ".key.pem"), P(who + ".cert.pem"), "+cf",
                      P("ca/ca.cert.pem"), "-aec", "RENKEI", "127.0.0.1", std::to_string(port)});
    return scu.WaitForExit(std::chrono::seconds(30));
  };
  EXPECT_EQ(echo("pacs"), 0);
  EXPECT_NE(echo("clinic"), 0);
  {
    ChildProcess plain("/usr/bin/echoscu", {"-aec", "RENKEI", "127.0.0.1", std::to_string(port)});
    EXPECT_NE(plain.WaitForExit(std::chrono::seconds(30)), 0);
  }
  EXPECT_EQ(echo("pacs"), 0);  // still serving
  EXPECT_TRUE(AlertsContain({"DICOM TLS: facility " + std::string(kClinicFacility)}));
}

TEST_F(MutualTlsTest, StartRefusesIncompleteOrInconsistentTls) {
  // No CRL: a listener could not check revocation.
  CentreOptions co;
  co.overrides = TlsSets("centre");
  co.overrides.push_back("tls.crl=");
  std::string error;
  EXPECT_EQ(CentreProcess::Start(co, &error), nullptr);
  EXPECT_NE(error.find("'tls.crl'"), std::string::npos) << error;
  // A node whose facility.oid is not its certificate's.
  NodeOptions no;
  no.registry_url = centre_->registry_url();
  no.overrides = TlsSets("node");
  no.overrides.push_back("facility.oid=2.999.1");
  no.ready_timeout = std::chrono::seconds(10);
  EXPECT_EQ(NodeProcess::Start(no, &error), nullptr);
  EXPECT_NE(error.find("facility.oid"), std::string::npos) << error;
  // Insecure mode anywhere but loopback.
  CentreOptions open;
  open.overrides = {"http.listen=0.0.0.0:0"};
  EXPECT_EQ(CentreProcess::Start(open, &error), nullptr);
  EXPECT_NE(error.find("127.0.0.1"), std::string::npos) << error;
}

}  // namespace
}  // namespace renkei::e2e
