// End to end, architecture §5 / issue 5: a real `renkei centre` (insecure loopback, the
// requesting facility from the X-Renkei-Facility test header, common/peer.h) answers ITI-18
// and ITI-67 for the requesting facility only (docs/authorization.md). Two hospitals; no
// grants: each sees what it registered itself and nothing of the other, and an ITI-62 of the
// other's objects is refused with nothing removed.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

constexpr char kHospitalA[] = "2.999.392.55.1";
constexpr char kHospitalB[] = "2.999.392.55.2";
constexpr char kActionRemove[] = "urn:ihe:iti:2010:DeleteDocumentSet";
constexpr char kSoapContentType[] = "application/soap+xml; charset=UTF-8";

HttpAnswer SoapAs(const CentreProcess& centre, const std::string& facility,
                  const std::string& action, const std::string& body) {
  return Post(centre.base_url(), "/xds/registry",
              std::string(kSoapContentType) + "; action=\"" + action + "\"",
              Soap12(action, centre.registry_url(), body), {{"X-Renkei-Facility", facility}});
}

class RegistryFilterE2e : public ::testing::Test {
 protected:
  // The two facilities' registrations, once for the suite. A failure here fails every test
  // (SetUp), never skips them.
  static void SetUpTestSuite() {
    setup_error_ = new std::string;
    centre_ = CentreProcess::Start(CentreOptions(), setup_error_).release();
    if (centre_ == nullptr) return;
    a_ = new TestSubmission(NewSubmission(PatientId(1), 2));
    b_ = new TestSubmission(NewSubmission(PatientId(1), 1));
    b_->repository_unique_id = "2.999.392.55.2.1";  // hospital B's own repository
    for (const auto& [facility, s] : {std::pair{kHospitalA, a_}, std::pair{kHospitalB, b_}}) {
      HttpAnswer h = SoapAs(*centre_, facility, wire::kActionRegister, SubmitObjectsRequestXml(*s));
      SoapAnswer r = ReadSoap(h.body);
      if (h.status != 200 || r.status != wire::kSuccess) {
        *setup_error_ = "registration as " + std::string(facility) + " failed: " + h.error + h.body;
        return;
      }
    }
  }
  void SetUp() override { ASSERT_TRUE(setup_error_->empty()) << *setup_error_; }
  static void TearDownTestSuite() {
    delete setup_error_;
    delete centre_;
    delete a_;
    delete b_;
    centre_ = nullptr;
  }

  static std::vector<std::string> Sorted(std::vector<std::string> v) {
    std::sort(v.begin(), v.end());
    return v;
  }
  static SoapAnswer Query(const std::string& facility, const std::string& body) {
    HttpAnswer h = SoapAs(*centre_, facility, wire::kActionQuery, body);
    EXPECT_EQ(h.status, 200) << h.error;
    return ReadSoap(h.body);
  }

  static std::string* setup_error_;
  static CentreProcess* centre_;
  static TestSubmission* a_;
  static TestSubmission* b_;
};
std::string* RegistryFilterE2e::setup_error_ = nullptr;
CentreProcess* RegistryFilterE2e::centre_ = nullptr;
TestSubmission* RegistryFilterE2e::a_ = nullptr;
TestSubmission* RegistryFilterE2e::b_ = nullptr;

TEST_F(RegistryFilterE2e, FindDocumentsAnswersOwnRecordsOnly) {
  struct Row {
    const char* facility;
    std::vector<std::string> expected;
  };
  const Row rows[] = {{kHospitalA, a_->document_unique_ids},
                      {kHospitalB, b_->document_unique_ids},
                      {"2.999.392.55.9", {}}};
  for (const Row& row : rows) {
    SoapAnswer q = Query(row.facility, FindDocumentsXml(PatientId(1)));
    EXPECT_EQ(q.status, wire::kSuccess) << row.facility << "\n" << q.body_xml;
    EXPECT_EQ(Sorted(q.extrinsic_unique_ids), Sorted(row.expected)) << row.facility;
    SoapAnswer sets = Query(row.facility, FindSubmissionSetsXml(PatientId(1)));
    EXPECT_EQ(sets.status, wire::kSuccess);
    EXPECT_EQ(sets.package_ids.size(), row.expected.empty() ? 0u : 1u) << row.facility;
  }
}

TEST_F(RegistryFilterE2e, GetDocumentsOfAnotherFacilityAnswersAsIfAbsent) {
  SoapAnswer theirs = Query(kHospitalB, GetDocumentsXml(a_->document_unique_ids));
  EXPECT_EQ(theirs.status, wire::kSuccess) << theirs.body_xml;
  EXPECT_TRUE(theirs.extrinsic_unique_ids.empty());
  EXPECT_TRUE(theirs.error_codes.empty());
  SoapAnswer own = Query(kHospitalA, GetDocumentsXml(a_->document_unique_ids));
  EXPECT_EQ(Sorted(own.extrinsic_unique_ids), Sorted(a_->document_unique_ids));
}

TEST_F(RegistryFilterE2e, MhdSearchAnswersOwnRecordsOnly) {
  for (const auto& [facility, expected] :
       {std::pair{kHospitalA, a_->document_unique_ids.size()},
        std::pair{kHospitalB, b_->document_unique_ids.size()}, std::pair{"2.999.392.55.9", 0ul}}) {
    HttpAnswer h = Request("GET", centre_->base_url(), "/fhir/DocumentReference?patient=E2E0001",
                           "", "",
                           {{"Accept", "application/fhir+json"}, {"X-Renkei-Facility", facility}});
    ASSERT_EQ(h.status, 200) << h.body;
    size_t count = 0;
    for (size_t p = h.body.find("\"DocumentReference\""); p != std::string::npos;
         p = h.body.find("\"DocumentReference\"", p + 1)) {
      ++count;
    }
    EXPECT_EQ(count, expected) << facility << "\n" << h.body;
  }
}

TEST_F(RegistryFilterE2e, RemoveMetadataOfAnotherFacilityIsRefused) {
  SoapAnswer refs = Query(kHospitalA, GetDocumentsXml(a_->document_unique_ids, true));
  ASSERT_EQ(refs.object_refs.size(), a_->document_unique_ids.size());
  std::string body = std::string("<lcm:RemoveObjectsRequest xmlns:lcm=\"") + wire::kLcm +
                     "\" xmlns:rim=\"" + wire::kRim + "\"><rim:ObjectRefList>";
  for (const std::string& id : refs.object_refs) body += "<rim:ObjectRef id=\"" + id + "\"/>";
  body += "</rim:ObjectRefList></lcm:RemoveObjectsRequest>";
  HttpAnswer h = SoapAs(*centre_, kHospitalB, kActionRemove, body);
  ASSERT_EQ(h.status, 200) << h.error;
  SoapAnswer r = ReadSoap(h.body);
  EXPECT_EQ(r.status, wire::kFailure) << r.body_xml;
  EXPECT_NE(std::find(r.error_codes.begin(), r.error_codes.end(), "AuthorizationException"),
            r.error_codes.end())
      << r.body_xml;
  SoapAnswer after = Query(kHospitalA, GetDocumentsXml(a_->document_unique_ids));
  EXPECT_EQ(Sorted(after.extrinsic_unique_ids), Sorted(a_->document_unique_ids));
}

}  // namespace
}  // namespace renkei::e2e
