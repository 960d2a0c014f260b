// Issue 5 end to end: consent-based disclosure, break-glass and access tickets through a
// real centre and a real node (insecure loopback: the facility comes from the documented
// X-Renkei-Facility test header, tickets are bound to the facility; the certificate-bound
// variant is tests/e2e/mutual_tls_test.cc and repository/ticket_guard_test.cc). Every
// refusal is checked for its answer *and* for the audit record the centre keeps (ITI-81).
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"
#include "tests/e2e/ticketed_region.h"

namespace renkei::e2e {
namespace {

constexpr char kClinic[] = "2.999.392.99.300";    // a viewing clinic
constexpr char kStranger[] = "2.999.392.99.301";  // a facility nobody granted anything
constexpr char kAuditor[] = "2.999.392.99.900";   // reads the whole audit trail (audit.readers)
constexpr char kReportsSystem[] = "urn:oid:1.3.6.1.4.1.19376.1.2.6.1";  // the e2e classCode scheme

class AccessControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(region_.Start({std::string("directory.class_systems=[\"") + kReportsSystem + "\"]",
                             std::string("audit.readers=[\"") + kAuditor + "\"]"}, "ACCESS-E2E\n"), "");
    centre_ = &region_.centre();
    node_ = &region_.node();
    sub_ = region_.submission();
  }

  // ITI-18 FindDocuments (ObjectRef) as `facility`: the entry ids it sees.
  size_t Visible(const std::string& facility) {
    HttpAnswer h = Post(centre_->base_url(), "/xds/registry",
                        "application/soap+xml; charset=UTF-8; action=\"" +
                            std::string(wire::kActionQuery) + "\"",
                        Soap12(wire::kActionQuery, centre_->registry_url(),
                               FindDocumentsXml(PatientId(1), /*object_ref=*/true)),
                        {{kFacility, facility}});
    SoapAnswer r = ReadSoap(h.body);
    EXPECT_EQ(r.status, wire::kSuccess) << h.body;
    return r.object_refs.size();
  }
  // A Consent of the node's hospital granting `grantee` the classes `codes` (empty: all),
  // for the FHIR Period `period` (a JSON object; empty: from now on, without end).
  HttpAnswer Grant(const std::string& grantee, const std::vector<std::string>& codes,
                   const std::string& period = "") {
    std::string classes;
    for (const std::string& c : codes) {
      classes += std::string(classes.empty() ? "" : ",") + R"({"system":")" + kReportsSystem +
                 R"(","code":")" + c + R"("})";
    }
    const std::string consent =
        std::string(R"({"resourceType":"Consent","status":"active",)") +
        R"("scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},)"
        R"("category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],)"
        R"("patient":{"identifier":{"system":"urn:oid:)" + kRegionalDomain +
        R"(","value":"E2E0001"}},"performer":[{"reference":"Organization/)" + kNodeFacility +
        R"("}],"provision":{"type":"permit","actor":[{"role":{"coding":[{"system":)"
        R"("http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},)"
        R"("reference":{"reference":"Organization/)" + grantee + R"("}}])" +
        (classes.empty() ? "" : R"(,"class":[)" + classes + "]") +
        (period.empty() ? "" : R"(,"period":)" + period) + "}}";
    return Post(centre_->base_url(), "/fhir/Consent", "application/fhir+json", consent,
                {{kFacility, kNodeFacility}});
  }
  // POST /oauth2/token as `facility` for the published document.
  HttpAnswer Ticket(const std::string& facility) {
    return Post(centre_->base_url(), "/oauth2/token", "application/x-www-form-urlencoded",
                "grant_type=client_credentials&patient=E2E0001%5E%5E%5E%26" +
                    std::string(kRegionalDomain) + "%26ISO&document=" +
                    sub_.document_unique_ids[0],
                {{kFacility, facility}});
  }
  static std::string TokenOf(const HttpAnswer& a) {
    std::smatch m;
    return std::regex_search(a.body, m, std::regex(R"re("access_token"\s*:\s*"([^"]+)")re"))
               ? std::string(m[1])
               : "";
  }
  // ITI-68 of the published document at the node as `facility` with `ticket` (may be "").
  HttpAnswer Fetch(const std::string& facility, const std::string& ticket) {
    std::map<std::string, std::string> h = {{kFacility, facility}};
    if (!ticket.empty()) h["Authorization"] = "Bearer " + ticket;
    return Request("GET", node_->base_url(), "/fhir/Binary/" + sub_.document_unique_ids[0], "",
                   "", h);
  }
  // How many audit records of the centre match the ITI-81 search `query`.
  size_t Audited(const std::string& query) {
    HttpAnswer a = Request("GET", centre_->base_url(), "/fhir/AuditEvent?" + query, "", "",
                           {{kFacility, kAuditor}});
    EXPECT_EQ(a.status, 200) << a.body;
    size_t n = 0;
    for (size_t p = a.body.find("\"resourceType\":\"AuditEvent\""); p != std::string::npos;
         p = a.body.find("\"resourceType\":\"AuditEvent\"", p + 1)) {
      ++n;
    }
    return n;
  }

  // Audited(query) once it reaches `at_least`, or after 5 s: transaction events are written
  // by the centre's group-committing audit writer, a moment after the answer.
  size_t AuditedAtLeast(const std::string& query, size_t at_least) {
    size_t n = 0;
    for (int i = 0; i < 50 && (n = Audited(query)) < at_least; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return n;
  }

  // True once an audit record matching the ITI-81 search `query` contains `text`; false
  // after 5 s (records the node ships arrive a moment after its answer).
  bool AuditedWith(const std::string& query, const std::string& text) {
    return region_.AuditedWith(kAuditor, query, text);
  }

  static constexpr char kFacility[] = "X-Renkei-Facility";
  static constexpr char kSecurityAlert[] = "type=http://dicom.nema.org/resources/ontology/DCM%7C110113";
  TicketedRegion region_;
  CentreProcess* centre_ = nullptr;  // region_'s
  NodeProcess* node_ = nullptr;
  TestSubmission sub_;
};

TEST_F(AccessControlTest, AFacilitySeesOnlyWhatItIsGranted) {
  EXPECT_EQ(Visible(kNodeFacility), 1u);  // its own records
  EXPECT_EQ(Visible(kClinic), 0u);        // default deny
  // A grant of another class opens nothing; a grant of the document's class opens it.
  HttpAnswer other = Grant(kClinic, {"LABORATORY"});
  ASSERT_EQ(other.status, 201) << other.body;
  EXPECT_EQ(Visible(kClinic), 0u);
  HttpAnswer reports = Grant(kClinic, {"REPORTS"});
  ASSERT_EQ(reports.status, 201) << reports.body;
  EXPECT_EQ(Visible(kClinic), 1u);
  EXPECT_EQ(Visible(kStranger), 0u);
  // Only the disclosing facility may grant its records: the clinic cannot grant itself more.
  HttpAnswer forged = Post(centre_->base_url(), "/fhir/Consent", "application/fhir+json",
                           "{\"resourceType\":\"Consent\"}", {{kFacility, kClinic}});
  EXPECT_GE(forged.status, 400);
  // Revoked: the clinic sees nothing again, and cannot get a ticket.
  std::smatch id;
  ASSERT_TRUE(std::regex_search(reports.body, id, std::regex(R"re("id"\s*:\s*"([0-9]+)")re")));
  HttpAnswer revoked = Request("DELETE", centre_->base_url(), "/fhir/Consent/" + std::string(id[1]),
                               "", "", {{kFacility, kNodeFacility}});
  EXPECT_EQ(revoked.status, 200) << revoked.body;
  EXPECT_EQ(Visible(kClinic), 0u);
  EXPECT_EQ(Ticket(kClinic).status, 403);
  // Each grant and the revocation left a security-alert record (110135), and every query of
  // the clinic a Query record (110112, ITI-18) naming it.
  EXPECT_GE(Audited(std::string(kSecurityAlert) + "&agent=urn:oid:" + kNodeFacility), 3u);
  EXPECT_GE(AuditedAtLeast(
                "type=http://dicom.nema.org/resources/ontology/DCM%7C110112&agent=urn:oid:" +
                    std::string(kClinic),
                4u),
            4u);
}

TEST_F(AccessControlTest, AnExpiredGrantOpensNothingAndTheQueryIsAudited) {
  // A Consent of the document's class whose period ended in 2021: accepted, opens nothing.
  HttpAnswer ended = Grant(kClinic, {"REPORTS"},
                           R"({"start":"2021-01-01T00:00:00Z","end":"2021-12-31T23:59:59Z"})");
  ASSERT_EQ(ended.status, 201) << ended.body;
  EXPECT_EQ(Visible(kClinic), 0u);
  // No ticket either; the refusal is a security alert naming the clinic.
  EXPECT_EQ(Ticket(kClinic).status, 403);
  EXPECT_GE(Audited(std::string(kSecurityAlert) + "&outcome=8&agent=urn:oid:" + kClinic), 1u);
  // The clinic's query was recorded (Query 110112, ITI-18) naming it.
  const std::string queries =
      "type=http://dicom.nema.org/resources/ontology/DCM%7C110112&agent=urn:oid:" +
      std::string(kClinic);
  EXPECT_GE(AuditedAtLeast(queries, 1u), 1u);
  // The same grant with a period that has not ended opens the document: it was the period.
  HttpAnswer running = Grant(kClinic, {"REPORTS"},
                             R"({"start":"2021-01-01T00:00:00Z","end":"2099-12-31T23:59:59Z"})");
  ASSERT_EQ(running.status, 201) << running.body;
  EXPECT_EQ(Visible(kClinic), 1u);
  EXPECT_GE(AuditedAtLeast(queries, 2u), 2u);
}

TEST_F(AccessControlTest, ABreakGlassWithoutAReasonIsRefusedAndAudited) {
  const std::string no_reason =
      R"({"resourceType":"Parameters","parameter":[{"name":"patient","valueString":"urn:oid:)" +
      std::string(kRegionalDomain) + R"(|E2E0001"}]})";
  HttpAnswer refused = Post(centre_->base_url(), "/fhir/$break-glass", "application/fhir+json",
                            no_reason, {{kFacility, kStranger}});
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(Visible(kStranger), 0u);
  // The refused emergency access is a security alert naming the facility that asked.
  const std::string refusals =
      std::string(kSecurityAlert) + "&outcome=4,8&agent=urn:oid:" + kStranger;
  EXPECT_GE(AuditedAtLeast(refusals, 1u), 1u);
}

TEST_F(AccessControlTest, BreakGlassWithAReasonOpensThePatientAndIsAudited) {
  EXPECT_EQ(Visible(kStranger), 0u);
  const std::string with_reason =
      R"({"resourceType":"Parameters","parameter":[{"name":"patient","valueString":"urn:oid:)" +
      std::string(kRegionalDomain) +
      R"(|E2E0001"},{"name":"reason","valueString":"unconscious patient in the ER"}]})";
  HttpAnswer broke = Post(centre_->base_url(), "/fhir/$break-glass", "application/fhir+json",
                          with_reason, {{kFacility, kStranger}});
  ASSERT_EQ(broke.status, 200) << broke.body;
  EXPECT_EQ(Visible(kStranger), 1u);
  // One emergency access (Security Alert, Emergency Override Started 110127) by the stranger.
  const std::string emergencies =
      "type=http://dicom.nema.org/resources/ontology/DCM%7C110127&outcome=0&agent=urn:oid:" +
      std::string(kStranger);
  EXPECT_EQ(Audited(emergencies), 1u);
  // ITI-81 is a disclosure too: another facility reads only the records naming it.
  HttpAnswer other = Request("GET", centre_->base_url(),
                             std::string("/fhir/AuditEvent?") + kSecurityAlert + "&_count=1000",
                             "", "", {{kFacility, kClinic}});
  EXPECT_EQ(other.status, 200);
  EXPECT_EQ(other.body.find("unconscious patient"), std::string::npos) << other.body;
  HttpAnswer own = Request("GET", centre_->base_url(),
                           std::string("/fhir/AuditEvent?") + kSecurityAlert + "&_count=1000",
                           "", "", {{kFacility, kStranger}});
  EXPECT_NE(own.body.find("unconscious patient"), std::string::npos) << own.body;
  // The stranger's ticket is marked break-glass (BTG), whatever it asked, and so are the
  // disclosure record at the centre and the retrieve record the node ships.
  HttpAnswer issued = Ticket(kStranger);
  ASSERT_EQ(issued.status, 200) << issued.body;
  EXPECT_EQ(Fetch(kStranger, TokenOf(issued)).status, 200);
  EXPECT_TRUE(AuditedWith("type=http://dicom.nema.org/resources/ontology/DCM%7C110106&agent=urn:"
                          "oid:" + std::string(kStranger),
                          "\"code\":\"BTG\""));
  // The patient's access log: the hospital that discloses E2E0001 reads every record of that
  // patient, the stranger's emergency access included; the clinic, which discloses nothing,
  // reads none of them.
  const std::string log = "/fhir/AuditEvent?patient=urn:oid:" + std::string(kRegionalDomain) +
                          "%7CE2E0001&_count=1000";
  HttpAnswer hospital = Request("GET", centre_->base_url(), log, "", "", {{kFacility, kNodeFacility}});
  EXPECT_EQ(hospital.status, 200);
  EXPECT_NE(hospital.body.find("unconscious patient"), std::string::npos) << hospital.body;
  HttpAnswer clinic = Request("GET", centre_->base_url(), log, "", "", {{kFacility, kClinic}});
  EXPECT_EQ(clinic.status, 200);
  EXPECT_EQ(clinic.body.find("unconscious patient"), std::string::npos) << clinic.body;
}

TEST_F(AccessControlTest, TheNodeServesAnotherFacilityOnlyWithItsOwnValidTicket) {
  // Its own facility needs no ticket.
  EXPECT_EQ(Fetch(kNodeFacility, "").status, 200);
  // Another facility: no ticket, a garbage ticket → refused.
  EXPECT_EQ(Fetch(kClinic, "").status, 401);
  EXPECT_EQ(Fetch(kClinic, "not.a.jwt").status, 401);
  // Without a grant the centre issues no ticket (and records the refusal).
  HttpAnswer denied = Ticket(kClinic);
  EXPECT_EQ(denied.status, 403) << denied.body;
  EXPECT_GE(Audited(std::string(kSecurityAlert) + "&agent=urn:oid:" + kClinic), 1u);
  ASSERT_EQ(Grant(kClinic, {}).status, 201);
  HttpAnswer issued = Ticket(kClinic);
  ASSERT_EQ(issued.status, 200) << issued.body;
  const std::string ticket = TokenOf(issued);
  ASSERT_FALSE(ticket.empty()) << issued.body;
  HttpAnswer served = Fetch(kClinic, ticket);
  EXPECT_EQ(served.status, 200) << served.body;
  EXPECT_EQ(served.body, "ACCESS-E2E\n");
  // The clinic's ticket presented by another facility, or tampered with: refused.
  EXPECT_EQ(Fetch(kStranger, ticket).status, 401);
  std::string tampered = ticket;
  const size_t dot = tampered.find('.');
  tampered[dot + 5] = tampered[dot + 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(Fetch(kClinic, tampered).status, 401);
  // Each refusal of the clinic is a security alert the node shipped to the centre, naming
  // why: no ticket, a malformed one, a signature that does not verify (the tampered one).
  const std::string clinic_alerts =
      std::string(kSecurityAlert) + "&outcome=8&agent=urn:oid:" + kClinic + "&_count=1000";
  EXPECT_TRUE(AuditedWith(clinic_alerts, "ITI-68 access ticket refused: missing_ticket"));
  EXPECT_TRUE(AuditedWith(clinic_alerts, "ITI-68 access ticket refused: invalid_token"));
  EXPECT_TRUE(AuditedWith(clinic_alerts, "ITI-68 access ticket refused: bad_signature"));
  // The node refused the stranger (another facility's ticket): a security alert the node
  // shipped to the centre's Audit Record Repository.
  EXPECT_GE(AuditedAtLeast(std::string(kSecurityAlert) + "&agent=urn:oid:" + kStranger, 1u), 1u);
  // Path traversal in the retrieve id: no such document, nothing outside the store is read.
  for (const char* id : {"..%2F..%2F..%2Fetc%2Fpasswd", "%2Fetc%2Fpasswd", "..", "a%00b"}) {
    HttpAnswer t = Request("GET", node_->base_url(), std::string("/fhir/Binary/") + id, "", "",
                           {{kFacility, kNodeFacility}});
    EXPECT_TRUE(t.status == 404 || t.status == 400) << id << ": " << t.status;
    EXPECT_EQ(t.body.find("root:"), std::string::npos) << id;
  }
  // Each traversal attempt was recorded as a failed retrieve (Export, outcome 8) naming the
  // id asked for, shipped by the node to the centre.
  const std::string failed_exports =
      "type=http://dicom.nema.org/resources/ontology/DCM%7C110106&outcome=8&agent=urn:oid:" +
      std::string(kNodeFacility) + "&_count=1000";
  EXPECT_TRUE(AuditedWith(failed_exports, "no document with uniqueId ../../../etc/passwd"));
  EXPECT_TRUE(AuditedWith(failed_exports, "no document with uniqueId /etc/passwd"));
  // The issue was recorded as a disclosure (110106) to the clinic.
  EXPECT_GE(Audited("type=http://dicom.nema.org/resources/ontology/DCM%7C110106&agent=urn:oid:" +
                    std::string(kClinic)),
            1u);
}

}  // namespace
}  // namespace renkei::e2e
