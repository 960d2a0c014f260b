// Tests of the ATNA Audit Record Repository store: append, hash chain verification against
// edited / removed records, ITI-81 search keys.
#include "audit/audit_store.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <vector>

#include "audit/audit_query.h"
#include "audit/fhir_audit_event.h"
#include "audit/transaction_events.h"

namespace renkei::audit {
namespace {

namespace fs = std::filesystem;

class AuditStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("audit_store_test_" + std::to_string(getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    path_ = (dir_ / "audit.sqlite").string();
    auto s = AuditStore::Open(path_);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }

  // Appends `n` events, the i-th recorded at 2026-11-0(i+1)T10:00:00Z for patient P<i%2>.
  void AppendEvents(int n, int64_t first_seq = 1) {
    for (int i = 0; i < n; ++i) {
      Exchange x;
      x.requester_user_id = "https://node-" + std::to_string(i) + ".example/fhir";
      x.requester_address = "192.0.2." + std::to_string(i + 1);
      x.responder_user_id = "https://centre.example/fhir";
      x.requesting_facility = "1.2.392.100." + std::to_string(i);
      x.audit_source_id = "centre";
      x.date_time = "2026-11-0" + std::to_string(i + 1) + "T10:00:00Z";
      x.outcome = i == 2 ? 8 : 0;
      const std::string patient = "P" + std::to_string(i % 2) + "^^^&1.2.392.200&ISO";
      AuditEvent e = i % 2 == 0
                         ? FindDocumentReferences(x, patient, "patient=x")
                         : RetrieveDocumentSet(x, Side::kSender, patient,
                                               {{"1.2.4." + std::to_string(i), "1.2.5", ""}});
      auto seq = store_->Append(e);
      ASSERT_TRUE(seq.ok()) << seq.status().ToString();
      EXPECT_EQ(*seq, first_seq + i);
    }
  }

  // Runs SQL on the file behind the store's back, as someone tampering with it would.
  void Tamper(const std::string& sql) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(db);
  }

  VerifyReport VerifyNow() {
    auto r = store_->Verify();
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : VerifyReport{};
  }

  std::vector<int64_t> SearchSeqs(const std::vector<std::pair<std::string, std::string>>& p) {
    auto q = ParseAuditQuery(p);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    if (!q.ok()) return {};
    auto found = store_->Search(*q);
    EXPECT_TRUE(found.ok()) << found.status().ToString();
    std::vector<int64_t> seqs;
    if (found.ok()) {
      for (const StoredAuditEvent& s : *found) seqs.push_back(s.seq);
    }
    return seqs;
  }

  fs::path dir_;
  std::string path_;
  std::unique_ptr<AuditStore> store_;
};

TEST_F(AuditStoreTest, AppendsAndVerifies) {
  VerifyReport empty = VerifyNow();
  EXPECT_TRUE(empty.ok);
  EXPECT_EQ(empty.records, 0);
  AppendEvents(5);
  VerifyReport r = VerifyNow();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.records, 5);
  EXPECT_EQ(r.head_hash.size(), 64u);
  auto got = store_->Get(3);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(got->seq, 3);
  auto decoded = DecodeFhirAuditEvent(got->json);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->outcome, 8);
  EXPECT_NE(got->json.find("\"id\":\"3\""), std::string::npos);
  EXPECT_TRUE(store_->Get(6).status().IsNotFound());
  // Reopened (also read-only) the chain goes on and still verifies.
  store_.reset();
  auto ro = AuditStore::Open(path_, /*read_only=*/true);
  ASSERT_TRUE(ro.ok()) << ro.status().ToString();
  auto rr = (*ro)->Verify();
  ASSERT_TRUE(rr.ok());
  EXPECT_TRUE(rr->ok);
  EXPECT_EQ(rr->head_hash, r.head_hash);
  Exchange x;
  x.requester_user_id = "u";
  EXPECT_FALSE((*ro)->Append(UserAuthentication(x, true)).ok());
  ro->reset();
  store_ = std::move(AuditStore::Open(path_).value());
  AppendEvents(1, 6);
  EXPECT_TRUE(VerifyNow().ok);
}

TEST_F(AuditStoreTest, RejectsInvalidEventsAndChangesNothing) {
  AuditEvent bad;
  EXPECT_TRUE(store_->Append(bad).status().IsInvalidArgument());
  EXPECT_EQ(VerifyNow().records, 0);
}

TEST_F(AuditStoreTest, TriggersRefuseUpdateAndDelete) {
  AppendEvents(2);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  for (const char* sql : {"UPDATE audit_record SET body = 'x' WHERE seq = 1",
                          "DELETE FROM audit_record WHERE seq = 2",
                          "DELETE FROM audit_search WHERE seq = 1", "DELETE FROM audit_head"}) {
    EXPECT_NE(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), SQLITE_OK) << sql;
  }
  sqlite3_close(db);
  EXPECT_TRUE(VerifyNow().ok);
}

struct TamperCase {
  const char* name;
  const char* sql;
  int64_t first_bad;
  const char* problem_contains;
};

TEST_F(AuditStoreTest, VerifyNamesTheFirstTamperedRecord) {
  const TamperCase cases[] = {
      {"edited body",
       "UPDATE audit_record SET body = replace(body, '\"outcome\":\"0\"', '\"outcome\":\"4\"') "
       "WHERE seq = 2",
       2, "edited"},
      {"edited received_at",
       "UPDATE audit_record SET received_at = '2000-01-01T00:00:00Z' WHERE seq = 4", 4, "edited"},
      {"removed middle", "DELETE FROM audit_record WHERE seq = 3", 3, "removed"},
      {"removed first", "DELETE FROM audit_record WHERE seq = 1", 1, "removed"},
      {"removed last", "DELETE FROM audit_record WHERE seq = 5", 5, "removed"},
      {"removed last two", "DELETE FROM audit_record WHERE seq >= 4", 4, "removed"},
      {"edited date column", "UPDATE audit_record SET recorded_ms = 0 WHERE seq = 2", 2,
       "search columns"},
      {"removed search key", "DELETE FROM audit_search WHERE seq = 3 AND kind = 1", 3, "search keys"},
      {"added search key", "INSERT INTO audit_search VALUES (0, 1, 'P9|', 4)", 4, "search keys"},
      {"edited search key",
       "UPDATE audit_search SET value = 'P9|1.2.392.200' WHERE seq = 2 AND kind = 1", 2,
       "search keys"},
      {"renumbered",
       "DELETE FROM audit_record WHERE seq = 3; "
       "UPDATE audit_record SET seq = seq - 1 WHERE seq > 3",
       3, "link"},
  };
  for (const TamperCase& c : cases) {
    SCOPED_TRACE(c.name);
    store_.reset();
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    store_ = std::move(AuditStore::Open(path_).value());
    AppendEvents(5);
    ASSERT_TRUE(VerifyNow().ok);
    store_.reset();
    Tamper(std::string("DROP TRIGGER audit_record_no_update; DROP TRIGGER audit_record_no_delete;"
                       "DROP TRIGGER audit_search_no_update; DROP TRIGGER audit_search_no_delete; ") +
           c.sql);
    store_ = std::move(AuditStore::Open(path_).value());  // recreates the triggers
    const VerifyReport r = VerifyNow();
    EXPECT_FALSE(r.ok);
    EXPECT_EQ(r.first_bad_seq, c.first_bad) << r.problem;
    EXPECT_NE(r.problem.find(c.problem_contains), std::string::npos) << r.problem;
  }
}

// A store of before the bucketed search keys (a table audit_key) is indexed again from its
// records when opened for writing; its chain still verifies and searches find its records.
TEST_F(AuditStoreTest, MigratesTheSearchKeysOfAnOlderStore) {
  AppendEvents(3);
  store_.reset();
  Tamper(
      "DROP TABLE audit_search;"
      "CREATE TABLE audit_key(seq INTEGER NOT NULL, kind INTEGER NOT NULL, value TEXT NOT NULL);"
      "INSERT INTO audit_key VALUES (1, 1, 'P0');"
      "CREATE TRIGGER audit_key_no_delete BEFORE DELETE ON audit_key "
      "BEGIN SELECT RAISE(ABORT, 'audit records are append-only'); END;");
  store_ = std::move(AuditStore::Open(path_).value());
  const VerifyReport r = VerifyNow();
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.records, 3);
  auto q = ParseAuditQuery({{"patient", "P0"}});
  ASSERT_TRUE(q.ok());
  auto found = store_->Search(*q);
  ASSERT_TRUE(found.ok());
  ASSERT_EQ(found->size(), 2u);
  EXPECT_EQ((*found)[1].seq, 3);
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
  EXPECT_NE(sqlite3_exec(db, "SELECT 1 FROM audit_key", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
}

TEST_F(AuditStoreTest, SearchesByEachParameter) {
  AppendEvents(5);  // seq i+1: day i+1, patient P(i%2), odd seq: ITI-67, even: ITI-43
  using P = std::vector<std::pair<std::string, std::string>>;
  struct Case {
    P params;
    std::vector<int64_t> want;
  };
  const std::vector<Case> cases = {
      {{}, {1, 2, 3, 4, 5}},
      {{{"patient", "urn:oid:1.2.392.200|P0"}}, {1, 3, 5}},
      {{{"patient", "1.2.392.200|P1"}}, {2, 4}},
      {{{"patient", "P1"}}, {2, 4}},
      {{{"patient", "Patient/P1"}}, {2, 4}},
      {{{"patient", "P1^^^&1.2.392.200&ISO"}}, {2, 4}},
      {{{"patient", "9.9|P1"}}, {}},
      {{{"patient", "P"}}, {}},
      {{{"patient", "|P1"}}, {2, 4}},
      {{{"patient", "P0,P1"}}, {1, 2, 3, 4, 5}},
      {{{"date", "ge2026-11-02"}, {"date", "lt2026-11-04"}}, {2, 3}},
      {{{"date", "2026-11-03"}}, {3}},
      {{{"date", "gt2026-11-03"}}, {4, 5}},
      {{{"date", "le2026-11-02T10:00:00Z"}}, {1, 2}},
      {{{"date", "2026-11"}}, {1, 2, 3, 4, 5}},
      {{{"date", "2025"}}, {}},
      {{{"agent", "urn:oid:1.2.392.100.3"}}, {4}},
      {{{"agent", "1.2.392.100.3"}}, {4}},
      {{{"agent", "https://centre.example/fhir"}}, {1, 2, 3, 4, 5}},
      {{{"entity", "1.2.4.3"}}, {4}},
      {{{"entity", "urn:ietf:rfc:3986|1.2.4.1"}}, {2}},
      {{{"type", "ITI-43"}}, {2, 4}},
      {{{"type", "urn:ihe:event-type-code|ITI-67"}}, {1, 3, 5}},
      {{{"type", "http://dicom.nema.org/resources/ontology/DCM|110112"}}, {1, 3, 5}},
      {{{"type", "DCM|110106"}}, {2, 4}},
      {{{"type", "110106"}, {"patient", "P0"}}, {}},
      {{{"outcome", "8"}}, {3}},
      {{{"outcome", "0"}, {"patient", "P0"}}, {1, 5}},
      {{{"_count", "2"}}, {1, 2}},
      {{{"_count", "2"}, {"_offset", "2"}}, {3, 4}},
  };
  for (const Case& c : cases) {
    std::string trace;
    for (const auto& [k, v] : c.params) trace += k + "=" + v + "&";
    SCOPED_TRACE(trace);
    EXPECT_EQ(SearchSeqs(c.params), c.want);
  }
}

TEST(AuditQueryTest, RejectsBadParameters) {
  using P = std::vector<std::pair<std::string, std::string>>;
  const std::vector<std::pair<P, const char*>> cases = {
      {{{"unknown", "1"}}, "unknown"},      {{{"date", "yesterday"}}, "date"},
      {{{"date", "xx2026-01-01"}}, "date"}, {{{"outcome", "3"}}, "outcome"},
      {{{"_count", "0"}}, "_count"},        {{{"_count", "abc"}}, "_count"},
      {{{"patient", ""}}, "patient"},
  };
  for (const auto& [params, location] : cases) {
    auto q = ParseAuditQuery(params);
    ASSERT_FALSE(q.ok()) << location;
    EXPECT_TRUE(q.status().IsInvalidArgument());
    EXPECT_EQ(q.status().location(), location);
  }
}

// Two stores on one file (the centre and `renkei directory` appending while it runs):
// appends from both interleave into one chain without a lost or forked record, and a third
// connection verifying meanwhile never reports a record the others are appending as removed.
TEST_F(AuditStoreTest, TwoStoresOnOneFileAppendConcurrently) {
  auto other = AuditStore::Open(path_);
  ASSERT_TRUE(other.ok()) << other.status().ToString();
  auto checker = AuditStore::Open(path_, /*read_only=*/true);
  ASSERT_TRUE(checker.ok()) << checker.status().ToString();
  constexpr int kEach = 30;
  auto event = [](const std::string& who, int i) {
    Exchange x;
    x.requester_user_id = who;
    x.requesting_facility = who == "a" ? "1.2.392.100.1" : "1.2.392.100.2";
    x.date_time = "2026-11-02T10:00:00Z";
    return PermissionChange(x, i % 2 == 0, std::to_string(i), "P1^^^&1.2.392.200&ISO", who);
  };
  std::atomic<bool> done{false};
  std::vector<std::string> failures[3];
  auto append = [&](AuditStore* store, const std::string& who, int slot) {
    for (int i = 0; i < kEach; ++i) {
      // One writer also appends in batches (the centre's group commit).
      Result<int64_t> seq = who == "b" && i % 3 == 0
                                ? store->AppendBatch({event(who, i), event(who, i + 1000)})
                                : store->Append(event(who, i));
      if (!seq.ok()) failures[slot].push_back(seq.status().ToString());
    }
  };
  std::thread verifier([&] {
    int rounds = 0;
    while (!done.load() || rounds == 0) {
      ++rounds;
      auto report = (*checker)->Verify();
      if (!report.ok()) {
        failures[2].push_back(report.status().ToString());
      } else if (!report->ok) {
        failures[2].push_back(report->problem);
      }
    }
  });
  std::thread a(append, store_.get(), "a", 0);
  std::thread b(append, other->get(), "b", 1);
  a.join();
  b.join();
  done = true;
  verifier.join();
  for (const auto& f : failures) EXPECT_EQ(f, std::vector<std::string>{});
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok()) << report.status().ToString();
  EXPECT_TRUE(report->ok) << report->problem;
  EXPECT_EQ(report->records, kEach * 2 + kEach / 3);
  auto seen = (*other)->Verify();
  ASSERT_TRUE(seen.ok());
  EXPECT_EQ(seen->head_hash, report->head_hash);
}

}  // namespace
}  // namespace renkei::audit
