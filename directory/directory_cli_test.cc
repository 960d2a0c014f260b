// `renkei directory ...`: the operator's commands on a data directory, and their refusals.
#include "directory/directory_cli.h"

#include <gtest/gtest.h>

#include <sstream>

#include "audit/audit_codes.h"
#include "audit/audit_store.h"
#include "audit/fhir_audit_event.h"
#include "directory/directory_store.h"
#include "directory/policy.h"
#include "directory/test_util.h"

namespace renkei::directory {
namespace {

constexpr char kA[] = "1.2.392.100495.1.1";
constexpr char kB[] = "1.2.392.100495.1.2";

class DirectoryCliTest : public ::testing::Test {
 protected:
  int Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--data-dir", dir_.path() + "/centre"});
    out_.str("");
    err_.str("");
    return RunDirectoryCli(args, out_, err_);
  }
  std::unique_ptr<DirectoryStore> Open() {
    auto s = DirectoryStore::Open(dir_.path() + "/centre/" + kDirectoryFileName);
    EXPECT_TRUE(s.ok());
    return s.ok() ? std::move(s.value()) : nullptr;
  }
  TempDir dir_;
  std::ostringstream out_, err_;
};

TEST_F(DirectoryCliTest, FacilitiesEndpointsStaff) {
  ASSERT_EQ(Run({"facility", "add", "--oid", kA, "--name", "連携総合病院", "--romaji",
                 "Renkei General", "--type", "disclosing"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"facility", "add", "--oid", kB, "--name", "みなと診療所", "--type", "hosted"}), 0);
  ASSERT_EQ(Run({"endpoint", "add", "--facility", kA, "--kind", "iti43", "--url",
                 "https://a.example/xds/repository", "--repository", "1.2.3.100"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "endpoint 1\n");
  ASSERT_EQ(
      Run({"staff", "add", "--id", "S-1", "--facility", kA, "--family", "山田", "--given", "太郎"}),
      0);
  ASSERT_EQ(Run({"facility", "list"}), 0);
  EXPECT_EQ(out_.str(), std::string(kA) + "\tdisclosing\t連携総合病院\tRenkei General\tactive\n" +
                            kB + "\thosted\tみなと診療所\t\tactive\n");
  ASSERT_EQ(Run({"endpoint", "list", "--facility", kA}), 0);
  EXPECT_EQ(out_.str(),
            std::string("1\t") + kA + "\titi43\thttps://a.example/xds/repository\t1.2.3.100\n");

  // Refusals: usage errors (2) and store refusals (1).
  EXPECT_EQ(Run({"facility", "add", "--oid", kA, "--name", "x", "--type", "museum"}), 2);
  EXPECT_EQ(Run({"facility", "add", "--oid", kA, "--type", "viewing"}), 2);  // no name
  EXPECT_EQ(Run({"facility", "add", "--oid", kA, "--name", "x", "--type", "viewing", "--cert",
                 dir_.path() + "/missing.pem"}),
            1);
  EXPECT_EQ(Run({"endpoint", "add", "--facility", kB, "--kind", "iti43", "--url", "https://b",
                 "--repository", "1.2.3.100"}),
            1);  // A's repository
  EXPECT_NE(err_.str().find("Conflict"), std::string::npos) << err_.str();
  EXPECT_EQ(Run({"endpoint", "add", "--facility", kB, "--kind", "ftp", "--url", "x"}), 2);
  EXPECT_EQ(
      Run({"staff", "add", "--id", "S-2", "--facility", "9.9", "--family", "a", "--given", "b"}),
      1);
  EXPECT_EQ(Run({"frobnicate", "list"}), 2);
  EXPECT_EQ(RunDirectoryCli({"facility", "list"}, out_, err_), 2);  // no --data-dir
  auto store = Open();
  EXPECT_EQ(*store->RepositoryOwner("1.2.3.100"), kA);
  EXPECT_EQ(store->GetFacility(kA)->name, "連携総合病院");
}

TEST_F(DirectoryCliTest, GrantAddListRevoke) {
  ASSERT_EQ(Run({"grant", "add", "--from", kA, "--to", kB, "--patient",
                 "P001^^^&1.2.392.100495.9&ISO", "--class", "LabResult", "--class", "Prescription",
                 "--start", "2026-01-01", "--end", "2099-01-01"}),
            0)
      << err_.str();
  EXPECT_EQ(out_.str(), "grant 1\n");
  ASSERT_EQ(Run({"grant", "add", "--from", kA, "--to", "*", "--patient",
                 "urn:oid:1.2.392.100495.9|P002"}),
            0)
      << err_.str();
  ASSERT_EQ(Run({"grant", "list", "--patient", "urn:oid:1.2.392.100495.9|P001"}), 0);
  EXPECT_EQ(out_.str(), std::string("1\tactive\t") + kA + "\t" + kB +
                            "\tP001^^^&1.2.392.100495.9&ISO\tLabResult,Prescription\t"
                            "2026-01-01T00:00:00Z\t2099-01-01T00:00:00Z\n");
  {
    auto store = Open();
    StorePolicy policy(*store);
    auto access = policy.AccessOf(kB, "P001^^^&1.2.392.100495.9&ISO", "20261126000000");
    ASSERT_TRUE(access.ok());
    EXPECT_TRUE(access->Allows(kA, "Prescription"));
    EXPECT_FALSE(access->Allows(kA, "ImagingStudy"));
  }
  // Bad input changes nothing.
  EXPECT_EQ(Run({"grant", "add", "--from", kA, "--to", kB, "--patient", "P001"}), 2);
  EXPECT_EQ(Run({"grant", "add", "--from", kA, "--to", kB, "--patient", "urn:oid:1.2|P", "--start",
                 "2026-12-01", "--end", "2026-11-01"}),
            1);
  EXPECT_EQ(Run({"grant", "add", "--from", kA, "--to", kB, "--patient", "urn:oid:1.2|P", "--end",
                 "soon"}),
            2);
  EXPECT_EQ(Open()->ListGrants()->size(), 2u);

  // Only the disclosing facility revokes.
  EXPECT_EQ(Run({"grant", "revoke", "--from", kB, "--id", "1"}), 1);
  EXPECT_NE(err_.str().find("PermissionDenied"), std::string::npos);
  EXPECT_EQ(Run({"grant", "revoke", "--from", kA, "--id", "x1"}), 2);
  EXPECT_EQ(Run({"grant", "revoke", "--from", kA, "--id", "77"}), 1);
  ASSERT_EQ(Run({"grant", "revoke", "--from", kA, "--id", "1"}), 0) << err_.str();
  ASSERT_EQ(Run({"grant", "list"}), 0);
  EXPECT_NE(out_.str().find("1\trevoked\t"), std::string::npos) << out_.str();
  EXPECT_NE(out_.str().find("2\tactive\t"), std::string::npos) << out_.str();
}

TEST_F(DirectoryCliTest, HelpAndBreakGlassList) {
  EXPECT_EQ(RunDirectoryCli({"help"}, out_, err_), 0);
  EXPECT_NE(out_.str().find("grant revoke"), std::string::npos);
  ASSERT_EQ(Run({"break-glass", "list"}), 0);  // creates the data directory
  EXPECT_EQ(out_.str(), "");
  {
    auto store = Open();
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(store->StartBreakGlass(kB, "P1^^^&1.2&ISO", "ER", "", "20261126060000").ok());
  }
  ASSERT_EQ(Run({"break-glass", "list"}), 0);
  EXPECT_EQ(out_.str(), std::string("1\t") + kB +
                            "\tP1^^^&1.2&ISO\t2026-11-26T06:00:00Z\t2026-11-26T06:30:00Z\t\tER\n");
}

// A grant or revocation made here leaves the same audit record in the centre's trail as the
// FHIR Consent API (110113 + 110135); a refused change leaves none.
TEST_F(DirectoryCliTest, GrantAndRevokeAreAudited) {
  const std::string patient = "P001^^^&1.2.392.100495.9&ISO";
  ASSERT_EQ(Run({"grant", "add", "--from", kA, "--to", kB, "--patient", patient, "--class",
                 "LabResult", "--start", "2026-01-01"}),
            0)
      << err_.str();
  EXPECT_EQ(Run({"grant", "revoke", "--from", kB, "--id", "1"}), 1);  // not B's grant
  EXPECT_EQ(Run({"grant", "add", "--from", kA, "--to", kB, "--patient", "P001"}), 2);
  ASSERT_EQ(Run({"grant", "revoke", "--from", kA, "--id", "1"}), 0) << err_.str();
  ASSERT_EQ(Run({"grant", "revoke", "--from", kA, "--id", "1"}), 0);  // already revoked

  auto store = audit::AuditStore::Open(dir_.path() + "/centre/" + audit::kAuditStoreFile,
                                       /*read_only=*/true);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  auto verified = (*store)->Verify();
  ASSERT_TRUE(verified.ok());
  EXPECT_TRUE(verified->ok) << verified->problem;
  auto found = (*store)->Search(audit::AuditQuery{});
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  ASSERT_EQ(found->size(), 2u);
  struct Expected {
    const char* action;
    std::string description;
  };
  const Expected expected[] = {
      {"C", std::string("to ") + kB + " classes LabResult 20260101000000.."},
      {"D", "grant 1"},
  };
  for (size_t i = 0; i < 2; ++i) {
    SCOPED_TRACE(i);
    auto e = audit::DecodeFhirAuditEvent((*found)[i].json);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    EXPECT_EQ(e->event_id.code, audit::kEventSecurityAlert);
    ASSERT_EQ(e->event_types.size(), 1u);
    EXPECT_EQ(e->event_types[0].code, audit::kTypeObjectSecurityAttributesChanged);
    EXPECT_EQ(e->action, expected[i].action);
    EXPECT_EQ(e->outcome_description, expected[i].description);
    EXPECT_EQ(e->source.id, "renkei-directory-cli");
    bool facility = false, human = false;
    for (const audit::ActiveParticipant& p : e->participants) {
      facility |= p.user_id == std::string("urn:oid:") + kA && p.is_requestor;
      human |= !p.user_id.empty() && p.user_id != kA && p.user_id.find(kA) == std::string::npos;
    }
    EXPECT_TRUE(facility);
    EXPECT_TRUE(human);  // the operator
    bool has_patient = false, has_grant = false;
    for (const audit::ParticipantObject& o : e->objects) {
      has_patient |= o.role_code == audit::kRolePatient && o.id == patient;
      has_grant |= o.role_code == audit::kRoleSecurityResource && o.id == "1";
    }
    EXPECT_TRUE(has_patient);
    EXPECT_TRUE(has_grant);
  }
}

}  // namespace
}  // namespace renkei::directory
