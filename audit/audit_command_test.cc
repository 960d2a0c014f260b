// `renkei audit verify` (audit/audit_command.h): ok, tampered, usage.
#include "audit/audit_command.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <sstream>

#include "audit/audit_store.h"
#include "audit/transaction_events.h"

namespace renkei::audit {
namespace {

namespace fs = std::filesystem;

TEST(AuditCommandTest, VerifyReportsOkThenTheTamperedRecord) {
  const fs::path dir =
      fs::temp_directory_path() / ("audit_command_test_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    auto store = AuditStore::Open((dir / kAuditStoreFile).string());
    ASSERT_TRUE(store.ok());
    Exchange x;
    x.requester_user_id = "user";
    for (int i = 0; i < 3; ++i) ASSERT_TRUE((*store)->Append(UserAuthentication(x, true)).ok());
  }
  std::ostringstream out, err;
  EXPECT_EQ(RunAuditCommand({"verify", "--data-dir", dir.string()}, out, err), 0) << err.str();
  EXPECT_EQ(out.str().rfind("ok: 3 records, head ", 0), 0u) << out.str();

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir / kAuditStoreFile).c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db,
                         "DROP TRIGGER audit_record_no_delete; "
                         "DELETE FROM audit_record WHERE seq = 3",
                         nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  std::ostringstream out2, err2;
  EXPECT_EQ(RunAuditCommand({"verify", "--data-dir", dir.string()}, out2, err2), 1);
  EXPECT_NE(out2.str().find("first bad record 3"), std::string::npos) << out2.str();

  std::ostringstream out3, err3;
  EXPECT_EQ(RunAuditCommand({"verify"}, out3, err3), 2);
  EXPECT_EQ(RunAuditCommand({"verify", "--data-dir", (dir / "none").string()}, out3, err3), 2);
  EXPECT_EQ(RunAuditCommand({"frobnicate"}, out3, err3), 2);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace renkei::audit
