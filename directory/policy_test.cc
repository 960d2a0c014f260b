// Architecture §5 "Authorization at the centre": the disclosure policy over the directory
// (own records, grants to one facility and to every facility, scope, period boundaries,
// revocation, other disclosing facilities, break-glass windows) and the repository check.
#include "directory/policy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "directory/test_util.h"

namespace renkei::directory {
namespace {

constexpr char kA[] = "1.2.392.100495.1.1";  // disclosing
constexpr char kB[] = "1.2.392.100495.1.2";  // viewing, has grants
constexpr char kC[] = "1.2.392.100495.1.3";  // viewing, breaks the glass
constexpr char kD[] = "1.2.392.100495.1.4";  // disclosing, revoked its grant
constexpr char kX[] = "1.2.392.100495.1.5";  // disclosing, granted nothing
constexpr char kP[] = "P001^^^&1.2.392.100495.9&ISO";
constexpr char kP2[] = "P002^^^&1.2.392.100495.9&ISO";

TEST(PatientAccessTest, AllowsTable) {
  PatientAccess access;
  access.requester = kB;
  access.grants = {{kA, {"LabResult", "Prescription"}}, {kD, {}}};
  EXPECT_TRUE(access.Allows(kB, "Anything"));  // own
  EXPECT_TRUE(access.Allows(kA, "LabResult"));
  EXPECT_TRUE(access.Allows(kA, "Prescription"));
  EXPECT_FALSE(access.Allows(kA, "DischargeSummary"));
  EXPECT_TRUE(access.Allows(kD, "DischargeSummary"));  // empty scope = every class
  EXPECT_FALSE(access.Allows(kX, "LabResult"));
  access.break_glass = true;
  EXPECT_TRUE(access.Allows(kX, "LabResult"));
  PatientAccess nobody;  // no requester: nothing, not even entries without a submitter
  EXPECT_FALSE(nobody.Allows("", "LabResult"));
}

class StorePolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = DirectoryStore::Open(dir_.File(kDirectoryFileName));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
    Grant g1;  // A → B, lab results, November
    g1.disclosing_facility = kA;
    g1.grantee = kB;
    g1.patient_id = kP;
    g1.classes = {{"", "LabResult"}};
    g1.start = "20261101000000";
    g1.end = "20261201000000";
    ASSERT_TRUE(store_->AddGrant(g1, "20261020000000").ok());
    Grant g2;  // A → everyone, prescriptions, from November on
    g2.disclosing_facility = kA;
    g2.grantee = kEveryFacility;
    g2.patient_id = kP;
    g2.classes = {{"", "Prescription"}};
    g2.start = "20261101000000";
    ASSERT_TRUE(store_->AddGrant(g2, "20261020000000").ok());
    Grant g3;  // D → B, everything, revoked
    g3.disclosing_facility = kD;
    g3.grantee = kB;
    g3.patient_id = kP;
    auto stored3 = store_->AddGrant(g3, "20261020000000");
    ASSERT_TRUE(stored3.ok());
    ASSERT_TRUE(store_->RevokeGrant(stored3->id, kD, "20261021000000").ok());
    Grant g4;  // A → C, everything, from 10 December
    g4.disclosing_facility = kA;
    g4.grantee = kC;
    g4.patient_id = kP;
    g4.start = "20261210000000";
    ASSERT_TRUE(store_->AddGrant(g4, "20261020000000").ok());
    // C breaks the glass on P at 06:00 for 30 minutes.
    ASSERT_TRUE(store_->StartBreakGlass(kC, kP, "cardiac arrest", "", "20261126060000").ok());
  }
  TempDir dir_;
  std::unique_ptr<DirectoryStore> store_;
};

struct Case {
  const char* what;
  const char* requester;
  const char* patient;
  const char* now;
  const char* submitter;
  const char* class_code;
  bool want;
};

TEST_F(StorePolicyTest, Table) {
  const Case kCases[] = {
      {"own records", kB, kP, "20261126000000", kB, "DischargeSummary", true},
      {"own records without any grant", kX, kP, "20261126000000", kX, "LabResult", true},
      {"grant to one, in scope", kB, kP, "20261126000000", kA, "LabResult", true},
      {"grant to one, out of scope", kB, kP, "20261126000000", kA, "DischargeSummary", false},
      {"grant to every facility", kB, kP, "20261126000000", kA, "Prescription", true},
      {"grant to every facility, any facility", kX, kP, "20261126000000", kA, "Prescription", true},
      {"start is inclusive", kB, kP, "20261101000000", kA, "LabResult", true},
      {"before the start", kB, kP, "20261031235959", kA, "LabResult", false},
      {"last second of the period", kB, kP, "20261130235959", kA, "LabResult", true},
      {"end is exclusive", kB, kP, "20261201000000", kA, "LabResult", false},
      {"open-ended grant later", kB, kP, "20300101000000", kA, "Prescription", true},
      {"revoked grant", kB, kP, "20261126000000", kD, "LabResult", false},
      {"other disclosing facility", kB, kP, "20261126000000", kX, "LabResult", false},
      {"other patient", kB, kP2, "20261126000000", kA, "LabResult", false},
      {"future grant not yet", kC, kP, "20261209235959", kA, "DischargeSummary", false},
      {"future grant in force", kC, kP, "20261210000000", kA, "DischargeSummary", true},
      {"break-glass start inclusive", kC, kP, "20261126060000", kD, "DischargeSummary", true},
      {"break-glass last second", kC, kP, "20261126062959", kX, "LabResult", true},
      {"break-glass expired", kC, kP, "20261126063000", kX, "LabResult", false},
      {"break-glass not yet", kC, kP, "20261126055959", kX, "LabResult", false},
      {"break-glass is the breaker's only", kB, kP, "20261126061000", kX, "LabResult", false},
      {"break-glass is for that patient only", kC, kP2, "20261126061000", kX, "LabResult", false},
      {"no requester", "", kP, "20261126000000", kA, "Prescription", false},
  };
  StorePolicy policy(*store_);
  const DisclosurePolicy& as_interface = policy;
  for (const Case& c : kCases) {
    Result<PatientAccess> access = as_interface.AccessOf(c.requester, c.patient, c.now);
    ASSERT_TRUE(access.ok()) << c.what << ": " << access.status().ToString();
    EXPECT_EQ(access->Allows(c.submitter, c.class_code), c.want) << c.what;
  }
}

TEST_F(StorePolicyTest, AccessOfListsGrantsInForce) {
  StorePolicy policy(*store_);
  auto access = policy.AccessOf(kB, kP, "20261126000000");
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->requester, kB);
  EXPECT_FALSE(access->break_glass);
  ASSERT_EQ(access->grants.size(), 2u);  // g1 and g2; g3 revoked
  for (const GrantInForce& g : access->grants) {
    EXPECT_EQ(g.disclosing_facility, kA);
    ASSERT_EQ(g.class_codes.size(), 1u);
  }
  auto emergency = policy.AccessOf(kC, kP, "20261126061500");
  ASSERT_TRUE(emergency.ok());
  EXPECT_TRUE(emergency->break_glass);
}

// Another process (the CLI) writes through its own connection: the policy's in-memory index
// picks the change up (here checked on every call).
TEST(StorePolicyIndexTest, SeesChangesOfAnotherConnection) {
  TempDir dir;
  DirectoryStoreOptions options;
  options.external_change_check_ms = 0;
  auto centre = DirectoryStore::Open(dir.File(kDirectoryFileName), options);
  auto cli = DirectoryStore::Open(dir.File(kDirectoryFileName));
  ASSERT_TRUE(centre.ok());
  ASSERT_TRUE(cli.ok());
  StorePolicy policy(**centre);
  const char* kNow = "20261126000000";
  ASSERT_TRUE(policy.AccessOf(kB, kP, kNow).ok());  // index loaded, nothing granted
  EXPECT_FALSE(policy.AccessOf(kB, kP, kNow)->Allows(kA, "LabResult"));

  Grant g;
  g.disclosing_facility = kA;
  g.grantee = kB;
  g.patient_id = kP;
  auto stored = (*cli)->AddGrant(g, "20261101000000");
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(policy.AccessOf(kB, kP, kNow)->Allows(kA, "LabResult"));
  ASSERT_TRUE((*cli)->StartBreakGlass(kC, kP, "ER", "", "20261125235000").ok());
  EXPECT_TRUE(policy.AccessOf(kC, kP, kNow)->break_glass);
  ASSERT_TRUE((*cli)->RevokeGrant(stored->id, kA, kNow).ok());
  EXPECT_FALSE(policy.AccessOf(kB, kP, kNow)->Allows(kA, "LabResult"));

  // The centre's own writes show at once, whatever the check interval.
  auto own = (*centre)->AddGrant(g, "20261101000000");
  ASSERT_TRUE(own.ok());
  EXPECT_TRUE(policy.AccessOf(kB, kP, kNow)->Allows(kA, "LabResult"));
  ASSERT_TRUE((*centre)->RevokeGrant(own->id, kA, kNow).ok());
  EXPECT_FALSE(policy.AccessOf(kB, kP, kNow)->Allows(kA, "LabResult"));
}

TEST(StorePolicyIndexTest, OwnWritesShowAtOnceWithARareCheck) {
  TempDir dir;
  DirectoryStoreOptions options;
  options.external_change_check_ms = 24 * 3600 * 1000;
  auto centre = DirectoryStore::Open(dir.File(kDirectoryFileName), options);
  ASSERT_TRUE(centre.ok());
  StorePolicy policy(**centre);
  const char* kNow = "20261126000000";
  EXPECT_FALSE(policy.AccessOf(kC, kP, kNow)->break_glass);
  ASSERT_TRUE((*centre)->StartBreakGlass(kC, kP, "ER", "", "20261125235000").ok());
  EXPECT_TRUE(policy.AccessOf(kC, kP, kNow)->break_glass);
  Grant g;
  g.disclosing_facility = kA;
  g.grantee = kEveryFacility;
  g.patient_id = kP;
  g.classes = {{"", "Prescription"}};
  auto stored = (*centre)->AddGrant(g, "20261101000000");
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(policy.AccessOf(kX, kP, kNow)->Allows(kA, "Prescription"));
  EXPECT_FALSE(policy.AccessOf(kX, kP, kNow)->Allows(kA, "LabResult"));
  ASSERT_TRUE((*centre)->RevokeGrant(stored->id, kA, kNow).ok());
  EXPECT_FALSE(policy.AccessOf(kX, kP, kNow)->Allows(kA, "Prescription"));
}

// Concurrent AccessOf calls while grants are added and revoked (DisclosurePolicy's
// thread-safety contract): every call succeeds, and the end state is what was written.
TEST(StorePolicyIndexTest, ConcurrentReadersDuringWrites) {
  TempDir dir;
  DirectoryStoreOptions options;
  options.external_change_check_ms = 0;  // readers also take the check path
  auto store = DirectoryStore::Open(dir.File(kDirectoryFileName), options);
  ASSERT_TRUE(store.ok());
  StorePolicy policy(**store);
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (!policy.AccessOf(kB, kP, "20261126000000").ok()) ++failures;
      }
    });
  }
  std::vector<int64_t> ids;
  for (int i = 0; i < 40; ++i) {
    Grant g;
    g.disclosing_facility = kA;
    g.grantee = kB;
    g.patient_id = kP;
    g.classes = {{"", "Class" + std::to_string(i)}};
    auto stored = (*store)->AddGrant(g, "20261101000000");
    if (!stored.ok()) {  // no ASSERT here: the reader threads must be joined
      ADD_FAILURE() << stored.status().ToString();
      break;
    }
    ids.push_back(stored->id);
    if (i % 2 == 1) {
      EXPECT_TRUE((*store)->RevokeGrant(stored->id, kA, "20261101000000").ok());
    }
  }
  stop = true;
  for (std::thread& t : readers) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto access = policy.AccessOf(kB, kP, "20261126000000");
  ASSERT_TRUE(access.ok());
  EXPECT_EQ(access->grants.size(), 20u);
  EXPECT_TRUE(access->Allows(kA, "Class0"));
  EXPECT_FALSE(access->Allows(kA, "Class1"));
}

TEST(StoreRepositoryDirectoryTest, RecordsOnlyInLoopbackMode) {
  TempDir dir;
  auto store = DirectoryStore::Open(dir.File(kDirectoryFileName));
  ASSERT_TRUE(store.ok());
  StoreRepositoryDirectory strict(**store, false);
  StoreRepositoryDirectory loopback(**store, true);
  RepositoryDirectory& strict_if = strict;
  EXPECT_EQ(strict_if.ClaimRepository("1.2.3.1", kA).code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(loopback.ClaimRepository("1.2.3.1", kA).ok());
  EXPECT_TRUE(strict_if.ClaimRepository("1.2.3.1", kA).ok());
  EXPECT_EQ(loopback.ClaimRepository("1.2.3.1", kB).code(), StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace renkei::directory
