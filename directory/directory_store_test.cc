// Facility directory, consent grants and break-glass: the SQLite store (round trips, the
// repository check, refusals that change nothing).
#include "directory/directory_store.h"

#include <gtest/gtest.h>

#include "directory/test_util.h"

namespace renkei::directory {
namespace {

// A self-signed test certificate and its x5t#S256, computed independently with
// `openssl x509 -outform der | openssl dgst -sha256 -binary | base64url`.
constexpr char kCertPem[] = R"(-----BEGIN CERTIFICATE-----
MIIBsjCCAVegAwIBAgIUDa+X93Z9S2dZQCe/eJ+4YEdRZfwwCgYIKoZIzj0EAwIw
LjEWMBQGA1UEAwwNdGVzdC1mYWNpbGl0eTEUMBIGA1UECgwLUmVua2VpIHRlc3Qw
HhcNMjYxMTI2MDYzMTI4WhcNMzYxMTIzMDYzMTI4WjAuMRYwFAYDVQQDDA10ZXN0
LWZhY2lsaXR5MRQwEgYDVQQKDAtSZW5rZWkgdGVzdDBZMBMGByqGSM49AgEGCCqG
SM49AwEHA0IABAD+h89mDuaCZOpXKvDYeGlRTfWeefDBrRFPa3DIe6u3Q0hrSup0
4DG9cvhmLS9aKnvjtbMrCyYXqLlEgXOU0VmjUzBRMB0GA1UdDgQWBBSe6siuBbOE
cWMq9z+i2XBgF1Uo1TAfBgNVHSMEGDAWgBSe6siuBbOEcWMq9z+i2XBgF1Uo1TAP
BgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQDOu8UgQkV0qSQ3OKps
QuGnd9qiz/y628Y9zN6k4gqUxQIhAKisaO6LC/JXr8QFlYEzO6C1tZg81/X0YEsS
dQDHlF9j
-----END CERTIFICATE-----
)";
constexpr char kCertSha256[] = "7R6JslD280RICrXJbya8PL3ZDgXS3SYBELQXM4vurAA";

constexpr char kA[] = "1.2.392.100495.1.1";
constexpr char kB[] = "1.2.392.100495.1.2";
constexpr char kPatient[] = "P001^^^&1.2.392.100495.9&ISO";
constexpr char kNow[] = "20261126060000";

class DirectoryStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = DirectoryStore::Open(dir_.File(kDirectoryFileName));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
  }
  void AddFacility(const std::string& oid, FacilityType type) {
    Facility f;
    f.oid = oid;
    f.name = "病院 " + oid;
    f.type = type;
    ASSERT_TRUE(store_->PutFacility(f).ok());
  }
  TempDir dir_;
  std::unique_ptr<DirectoryStore> store_;
};

TEST_F(DirectoryStoreTest, FacilityRoundTripWithCertificate) {
  Facility f;
  f.oid = kA;
  f.name = "連携総合病院";
  f.name_romaji = "Renkei General Hospital";
  f.type = FacilityType::kDisclosing;
  f.certificate_pem = kCertPem;
  ASSERT_TRUE(store_->PutFacility(f).ok());
  auto got = store_->GetFacility(kA);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->name, "連携総合病院");
  EXPECT_EQ(got->name_romaji, "Renkei General Hospital");
  EXPECT_EQ(got->type, FacilityType::kDisclosing);
  EXPECT_EQ(got->certificate_pem, kCertPem);
  EXPECT_EQ(got->certificate_sha256, kCertSha256);
  EXPECT_TRUE(got->active);
  EXPECT_FALSE(got->recorded);

  f.type = FacilityType::kHostedClinic;  // replace
  f.active = false;
  ASSERT_TRUE(store_->PutFacility(f).ok());
  auto list = store_->ListFacilities();
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().type, FacilityType::kHostedClinic);
  EXPECT_FALSE(list->front().active);
  EXPECT_TRUE(store_->GetFacility(kB).status().IsNotFound());
}

TEST_F(DirectoryStoreTest, BadFacilityIsRefusedAndNothingStored) {
  Facility f;
  f.oid = kA;
  f.name = "x";
  f.certificate_pem = "-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n";
  EXPECT_TRUE(store_->PutFacility(f).IsInvalidArgument());
  Facility nameless;
  nameless.oid = kB;
  EXPECT_TRUE(store_->PutFacility(nameless).IsInvalidArgument());
  auto list = store_->ListFacilities();
  ASSERT_TRUE(list.ok());
  EXPECT_TRUE(list->empty());
}

TEST_F(DirectoryStoreTest, EndpointsAndRepositoryOwners) {
  AddFacility(kA, FacilityType::kDisclosing);
  AddFacility(kB, FacilityType::kDisclosing);
  auto e1 = store_->AddEndpoint(
      Endpoint{0, kA, EndpointKind::kIti43, "https://a.example/xds/repository", "1.2.3.100"});
  ASSERT_TRUE(e1.ok()) << e1.status().ToString();
  auto e2 = store_->AddEndpoint(
      Endpoint{0, kA, EndpointKind::kIti68, "https://a.example/fhir", "1.2.3.100"});
  ASSERT_TRUE(e2.ok());
  auto e3 = store_->AddEndpoint(
      Endpoint{0, kB, EndpointKind::kDicomWeb, "https://b.example/dicomweb", ""});
  ASSERT_TRUE(e3.ok());
  // Another facility's repository, an unknown facility, a missing URL: refused.
  EXPECT_TRUE(
      store_->AddEndpoint(Endpoint{0, kB, EndpointKind::kIti43, "https://b.example/x", "1.2.3.100"})
          .status()
          .IsConflict());
  EXPECT_TRUE(store_->AddEndpoint(Endpoint{0, "9.9", EndpointKind::kIti43, "https://z", ""})
                  .status()
                  .IsNotFound());
  EXPECT_TRUE(store_->AddEndpoint(Endpoint{0, kA, EndpointKind::kIti43, "", ""})
                  .status()
                  .IsInvalidArgument());

  auto got = store_->GetEndpoint(*e2);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->facility, kA);
  EXPECT_EQ(got->kind, EndpointKind::kIti68);
  EXPECT_EQ(got->url, "https://a.example/fhir");
  EXPECT_EQ(got->repository_unique_id, "1.2.3.100");
  auto of_a = store_->ListEndpoints(kA);
  ASSERT_TRUE(of_a.ok());
  EXPECT_EQ(of_a->size(), 2u);
  auto all = store_->ListEndpoints();
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->size(), 3u);
  auto owner = store_->RepositoryOwner("1.2.3.100");
  ASSERT_TRUE(owner.ok());
  EXPECT_EQ(*owner, kA);
  EXPECT_TRUE(store_->RepositoryOwner("1.2.3.999").status().IsNotFound());
}

TEST_F(DirectoryStoreTest, ClaimRepositoryTable) {
  AddFacility(kA, FacilityType::kDisclosing);
  ASSERT_TRUE(
      store_->AddEndpoint(Endpoint{0, kA, EndpointKind::kIti43, "https://a.example/r", "1.2.3.100"})
          .ok());
  struct Case {
    const char* repository;
    const char* facility;
    bool record_unknown;
    StatusCode want;
  };
  const Case kCases[] = {
      {"1.2.3.100", kA, false, StatusCode::kOk},  // listed for it
      {"1.2.3.100", kA, true, StatusCode::kOk},
      {"1.2.3.100", kB, false, StatusCode::kPermissionDenied},  // listed for another
      {"1.2.3.100", kB, true, StatusCode::kPermissionDenied},   // even in loopback mode
      {"1.2.3.200", kB, false, StatusCode::kPermissionDenied},  // unknown, not recorded
      {"1.2.3.200", kB, true, StatusCode::kOk},                 // unknown, recorded for B
      {"1.2.3.200", kB, false, StatusCode::kOk},                // now listed for B
      {"1.2.3.200", kA, true, StatusCode::kPermissionDenied},   // B's now
      {"", kA, true, StatusCode::kPermissionDenied},
      {"1.2.3.300", "", true, StatusCode::kPermissionDenied},
  };
  for (const Case& c : kCases) {
    Status st = store_->ClaimRepository(c.repository, c.facility, c.record_unknown);
    EXPECT_EQ(st.code(), c.want) << c.repository << " by '" << c.facility << "' record "
                                 << c.record_unknown << ": " << st.ToString();
  }
  // Recording 1.2.3.200 recorded facility B too.
  auto b = store_->GetFacility(kB);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->recorded);
  EXPECT_EQ(*store_->RepositoryOwner("1.2.3.200"), kB);
  EXPECT_TRUE(store_->RepositoryOwner("1.2.3.300").status().IsNotFound());
}

TEST_F(DirectoryStoreTest, EnsureFacility) {
  AddFacility(kA, FacilityType::kViewing);
  EXPECT_TRUE(store_->EnsureFacility(kA, false).ok());
  EXPECT_EQ(store_->EnsureFacility(kB, false).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(store_->GetFacility(kB).status().IsNotFound());
  EXPECT_TRUE(store_->EnsureFacility(kB, true).ok());
  EXPECT_TRUE(store_->GetFacility(kB)->recorded);
  EXPECT_TRUE(store_->EnsureFacility(kB, false).ok());
  Facility inactive = *store_->GetFacility(kA);
  inactive.active = false;
  ASSERT_TRUE(store_->PutFacility(inactive).ok());
  EXPECT_EQ(store_->EnsureFacility(kA, true).code(), StatusCode::kPermissionDenied);
}

TEST_F(DirectoryStoreTest, StaffRoundTrip) {
  AddFacility(kA, FacilityType::kDisclosing);
  Staff s{"S-0001", kA, "山田", "太郎", "ヤマダ", "タロウ", "physician"};
  ASSERT_TRUE(store_->PutStaff(s).ok());
  auto got = store_->GetStaff("S-0001");
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->family, "山田");
  EXPECT_EQ(got->given_alt, "タロウ");
  EXPECT_EQ(got->role, "physician");
  EXPECT_TRUE(store_->PutStaff(Staff{"S-2", "9.9", "a", "b", "", "", ""}).IsNotFound());
  EXPECT_TRUE(store_->PutStaff(Staff{"", kA, "a", "b", "", "", ""}).IsInvalidArgument());
  EXPECT_EQ(store_->ListStaff(kA)->size(), 1u);
  EXPECT_TRUE(store_->ListStaff(kB)->empty());
}

TEST_F(DirectoryStoreTest, GrantRoundTripAndRevocation) {
  Grant g;
  g.disclosing_facility = kA;
  g.patient_id = kPatient;
  g.grantee = kB;
  g.classes = {{"urn:oid:2.25.1", "LabResult"}, {"", "Prescription"}};
  g.end = "20261231000000";
  g.consent_reference = "DocumentReference/consent-form-1";
  g.note = "同意書 2026-11-20";
  auto stored = store_->AddGrant(g, kNow);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_GT(stored->id, 0);
  EXPECT_EQ(stored->start, kNow);  // defaults to creation
  EXPECT_EQ(stored->created_at, kNow);

  auto got = store_->GetGrant(stored->id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->disclosing_facility, kA);
  EXPECT_EQ(got->patient_id, kPatient);
  EXPECT_EQ(got->grantee, kB);
  ASSERT_EQ(got->classes.size(), 2u);
  EXPECT_EQ(got->classes[0].system, "urn:oid:2.25.1");
  EXPECT_EQ(got->classes[0].code, "LabResult");
  EXPECT_EQ(got->classes[1].system, "");
  EXPECT_EQ(got->classes[1].code, "Prescription");
  EXPECT_EQ(got->end, "20261231000000");
  EXPECT_EQ(got->consent_reference, "DocumentReference/consent-form-1");
  EXPECT_EQ(got->note, "同意書 2026-11-20");
  EXPECT_EQ(got->status, GrantStatus::kActive);

  // Only the disclosing facility revokes; the refusal changes nothing.
  EXPECT_EQ(store_->RevokeGrant(stored->id, kB, kNow).status().code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(store_->GetGrant(stored->id)->status, GrantStatus::kActive);
  EXPECT_TRUE(store_->RevokeGrant(999, kA, kNow).status().IsNotFound());
  auto revoked = store_->RevokeGrant(stored->id, kA, "20261126070000");
  ASSERT_TRUE(revoked.ok());
  EXPECT_EQ(revoked->status, GrantStatus::kRevoked);
  EXPECT_EQ(revoked->revoked_at, "20261126070000");
  auto again = store_->RevokeGrant(stored->id, kA, "20261126080000");
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->revoked_at, "20261126070000");  // unchanged
}

TEST_F(DirectoryStoreTest, BadGrantsAreRefusedAndNothingStored) {
  Grant base;
  base.disclosing_facility = kA;
  base.patient_id = kPatient;
  base.grantee = kB;
  std::vector<Grant> bad(6, base);
  bad[0].disclosing_facility = "";
  bad[1].patient_id = " ";
  bad[2].grantee = "";
  bad[3].start = "20261201000000";
  bad[3].end = "20261130000000";  // ends before it starts
  bad[4].end = "2026-12-01";      // not the stored form
  bad[5].classes = {{"", ""}};
  for (const Grant& g : bad) EXPECT_TRUE(store_->AddGrant(g, kNow).status().IsInvalidArgument());
  EXPECT_TRUE(store_->ListGrants()->empty());
}

TEST_F(DirectoryStoreTest, ListGrantsByPatientAndParty) {
  const char* kC = "1.2.392.100495.1.3";
  auto add = [&](const char* from, const char* to, const char* patient) {
    Grant g;
    g.disclosing_facility = from;
    g.grantee = to;
    g.patient_id = patient;
    ASSERT_TRUE(store_->AddGrant(g, kNow).ok());
  };
  add(kA, kB, kPatient);
  add(kA, kEveryFacility, kPatient);
  add(kB, kA, kPatient);
  add(kA, kB, "P002^^^&1.2.392.100495.9&ISO");
  EXPECT_EQ(store_->ListGrants()->size(), 4u);
  EXPECT_EQ(store_->ListGrants(GrantFilter{kPatient, ""})->size(), 3u);
  EXPECT_EQ(store_->ListGrants(GrantFilter{"", kB})->size(), 4u);
  EXPECT_EQ(store_->ListGrants(GrantFilter{"", kC})->size(), 1u);  // only the "*" grant
  EXPECT_EQ(store_->ListGrants(GrantFilter{kPatient, kA})->size(), 3u);
}

Grant GrantOf(const std::string& from, const std::string& patient, const std::string& to) {
  Grant g;
  g.disclosing_facility = from;
  g.patient_id = patient;
  g.grantee = to;
  return g;
}

TEST_F(DirectoryStoreTest, AddGrantsStoresABatchAndTheIndexSeesIt) {
  const char* kP2 = "P002^^^&1.2.392.100495.9&ISO";
  // The in-memory index is loaded before the batch: the batch must update it too.
  ASSERT_TRUE(store_->AccessOf(kB, kPatient, kNow)->grants.empty());
  std::vector<Grant> batch = {GrantOf(kA, kPatient, kB), GrantOf(kA, kP2, kB),
                              GrantOf(kB, kP2, kA)};
  batch[1].classes = {GrantClass{"urn:oid:1.2.392.200119.5.5", "LabResult"}};
  batch[1].start = "20160101000000";
  batch[2].end = "20261201000000";
  auto stored = store_->AddGrants(batch, kNow);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->size(), 3u);
  EXPECT_LT((*stored)[0].id, (*stored)[1].id);
  EXPECT_LT((*stored)[1].id, (*stored)[2].id);
  EXPECT_EQ((*stored)[0].start, kNow);  // defaulted as AddGrant does
  EXPECT_EQ((*stored)[1].start, "20160101000000");
  auto got = store_->GetGrant((*stored)[1].id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->patient_id, kP2);
  ASSERT_EQ(got->classes.size(), 1u);
  EXPECT_EQ(got->classes[0].code, "LabResult");
  EXPECT_EQ(got->created_at, kNow);
  EXPECT_EQ(store_->ListGrants()->size(), 3u);
  auto access = store_->AccessOf(kB, kP2, kNow);
  ASSERT_TRUE(access.ok());
  ASSERT_EQ(access->grants.size(), 1u);
  EXPECT_EQ(access->grants[0].disclosing_facility, kA);
  EXPECT_TRUE(access->Allows(kA, "LabResult"));
  EXPECT_FALSE(access->Allows(kA, "Prescription"));
  EXPECT_EQ(store_->AccessOf(kA, kP2, kNow)->grants.size(), 1u);
  EXPECT_TRUE(store_->AccessOf(kA, kP2, "20261201000000")->grants.empty());  // ended
  // An empty batch stores nothing and is no error.
  auto none = store_->AddGrants({}, kNow);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

TEST_F(DirectoryStoreTest, AddGrantsWithOneBadGrantStoresNone) {
  const Grant good = GrantOf(kA, kPatient, kB);
  Grant bad = good;
  bad.end = "20250101000000";  // before it starts (kNow)
  auto stored = store_->AddGrants({good, good, bad, good}, kNow);
  ASSERT_TRUE(stored.status().IsInvalidArgument());
  EXPECT_NE(stored.status().message().find("grant 2"), std::string::npos)
      << stored.status().message();
  EXPECT_TRUE(store_->ListGrants()->empty());
  EXPECT_TRUE(store_->AccessOf(kB, kPatient, kNow)->grants.empty());
  EXPECT_TRUE(store_->AddGrants({good}, "2026-11-26").status().IsInvalidArgument());
  EXPECT_TRUE(store_->ListGrants()->empty());
}

TEST_F(DirectoryStoreTest, BreakGlassWindow) {
  EXPECT_TRUE(store_->StartBreakGlass(kB, kPatient, "  ", "", kNow).status().IsInvalidArgument());
  EXPECT_TRUE(store_->ListBreakGlass()->empty());
  auto b = store_->StartBreakGlass(kB, kPatient, "unconscious patient in ER", "S-1", kNow);
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_EQ(b->started, kNow);
  EXPECT_EQ(b->expires, "20261126063000");  // default 30 minutes
  auto list = store_->ListBreakGlass(kPatient);
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().reason, "unconscious patient in ER");
  EXPECT_EQ(list->front().staff_id, "S-1");
}

TEST(DirectoryStoreOptionsTest, BreakGlassMinutesConfigurable) {
  TempDir dir;
  auto store = DirectoryStore::Open(dir.File(kDirectoryFileName), DirectoryStoreOptions{5, 2});
  ASSERT_TRUE(store.ok());
  auto b = (*store)->StartBreakGlass(kB, kPatient, "ER", "", kNow);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->expires, "20261126060500");
  EXPECT_TRUE(DirectoryStore::Open(dir.File("other.sqlite"), DirectoryStoreOptions{0, 1})
                  .status()
                  .IsInvalidArgument());
}

TEST(DirectoryStoreReopenTest, DataSurvivesReopening) {
  TempDir dir;
  int64_t id = 0;
  {
    auto store = DirectoryStore::Open(dir.File(kDirectoryFileName));
    ASSERT_TRUE(store.ok());
    Grant g;
    g.disclosing_facility = kA;
    g.grantee = kB;
    g.patient_id = kPatient;
    auto stored = (*store)->AddGrant(g, kNow);
    ASSERT_TRUE(stored.ok());
    id = stored->id;
  }
  auto store = DirectoryStore::Open(dir.File(kDirectoryFileName));
  ASSERT_TRUE(store.ok());
  auto got = (*store)->GetGrant(id);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->grantee, kB);
}

}  // namespace
}  // namespace renkei::directory
