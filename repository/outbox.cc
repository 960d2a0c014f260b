// The node's outbox table (repository/outbox.h).
#include "repository/outbox.h"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <sstream>

#include "common/sqlite_connection.h"
#include "common/utc_time.h"
#include "repository/document_store.h"
#include "xds/submission_builder.h"

namespace renkei::repository {
namespace {

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS outbox(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  state INTEGER NOT NULL,            -- 0 queued, 1 delivered, 2 refused
  submission TEXT NOT NULL,          -- lcm:SubmitObjectsRequest
  unique_ids TEXT NOT NULL,          -- the documents' uniqueIds, one per line
  attempts INTEGER NOT NULL DEFAULT 0,
  created INTEGER NOT NULL,          -- Unix ms
  next_attempt INTEGER NOT NULL,     -- Unix ms
  last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS outbox_due ON outbox(next_attempt) WHERE state = 0;
)sql";

Status OutboxSqlError(sqlite3* db, int rc, const std::string& what) {
  if (sqlite::IsBusy(rc)) return Status::Unavailable(kStoreError, "outbox busy: " + what);
  return Status::Internal(kStoreError, "outbox: " + what + ": " + sqlite3_errmsg(db));
}

std::string JoinLines(const std::vector<std::string>& v) {
  std::string s;
  for (const std::string& x : v) s += x + "\n";
  return s;
}

std::vector<std::string> SplitLines(const std::string& s) {
  std::vector<std::string> v;
  std::istringstream in(s);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) v.push_back(line);
  }
  return v;
}

constexpr char kColumns[] =
    "id, state, submission, unique_ids, attempts, created, next_attempt, last_error";

OutboxEntry Row(sqlite::Stmt& s) {
  OutboxEntry e;
  e.id = s.Int(0);
  e.state = static_cast<OutboxState>(s.Int(1));
  e.submission_xml = s.Text(2);
  e.unique_ids = SplitLines(s.Text(3));
  e.attempts = static_cast<int>(s.Int(4));
  e.created_ms = s.Int(5);
  e.next_attempt_ms = s.Int(6);
  e.last_error = s.Text(7);
  return e;
}

}  // namespace

int64_t OutboxBackoffMs(int attempts) {
  constexpr int64_t kMaxMs = 5 * 60 * 1000;
  if (attempts <= 0) return 0;
  if (attempts > 20) return kMaxMs;
  return std::min<int64_t>(kMaxMs, int64_t{1000} << (attempts - 1));
}

struct Outbox::Impl {
  std::mutex mu;
  std::unique_ptr<sqlite::Connection> db;

  Result<std::vector<OutboxEntry>> Select(const std::string& where_order,
                                          const std::vector<sqlite::Value>& values) {
    std::lock_guard<std::mutex> lock(mu);
    auto s = db->Prepare(std::string("SELECT ") + kColumns + " FROM outbox " + where_order);
    if (!s.ok()) return s.status();
    s->BindAll(values);
    std::vector<OutboxEntry> out;
    while (s->Step() == SQLITE_ROW) out.push_back(Row(*s));
    return out;
  }

  Status Run(const char* sql, const std::vector<sqlite::Value>& values, const char* what) {
    std::lock_guard<std::mutex> lock(mu);
    auto s = db->Prepare(sql);
    if (!s.ok()) return s.status();
    s->BindAll(values);
    return s->Run(what);
  }
};

Outbox::Outbox(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Outbox::~Outbox() = default;

Result<std::unique_ptr<Outbox>> Outbox::Open(const std::string& path, bool read_only) {
  sqlite::OpenOptions o;
  o.read_only = read_only;
  o.synchronous_full = true;  // a queued registration is durable when Enqueue returns
  o.cache_kib = 2048;
  o.map_whole_file = false;
  o.mmap_bytes = 0;
  auto db = sqlite::Connection::Open(path, o, &OutboxSqlError);
  if (!db.ok()) return db.status();
  auto impl = std::make_unique<Impl>();
  impl->db = std::move(db.value());
  if (!read_only) {
    char* err = nullptr;
    if (sqlite3_exec(impl->db->db(), kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string m = err ? err : "?";
      sqlite3_free(err);
      return Status::Internal(kStoreError, "outbox schema: " + m);
    }
  }
  return std::unique_ptr<Outbox>(new Outbox(std::move(impl)));
}

Result<int64_t> Outbox::Enqueue(const xds::SubmitObjectsRequest& submission,
                                const std::vector<std::string>& unique_ids) {
  const int64_t now = UnixMillisNow();
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto s = impl_->db->Prepare(
      "INSERT INTO outbox(state, submission, unique_ids, created, next_attempt) "
      "VALUES(0, ?, ?, ?, ?)");
  if (!s.ok()) return s.status();
  s->BindAll({xds::EncodeSubmitObjectsRequest(submission), JoinLines(unique_ids), now, now});
  RENKEI_RETURN_IF_ERROR(s->Run("queue a registration"));
  return static_cast<int64_t>(sqlite3_last_insert_rowid(impl_->db->db()));
}

Result<std::vector<OutboxEntry>> Outbox::Due(int64_t now_ms, int limit) {
  return impl_->Select("WHERE state = 0 AND next_attempt <= ? ORDER BY next_attempt, id LIMIT ?",
                       {now_ms, static_cast<int64_t>(limit)});
}

Status Outbox::MarkDelivered(int64_t id) {
  return impl_->Run("UPDATE outbox SET state = 1, attempts = attempts + 1, last_error = '' "
                    "WHERE id = ?",
                    {id}, "mark delivered");
}

Status Outbox::MarkRetry(int64_t id, const std::string& error, int64_t next_attempt_ms) {
  return impl_->Run("UPDATE outbox SET attempts = attempts + 1, last_error = ?, "
                    "next_attempt = ? WHERE id = ? AND state = 0",
                    {error, next_attempt_ms, id}, "schedule a retry");
}

Status Outbox::MarkRefused(int64_t id, const std::string& errors) {
  return impl_->Run("UPDATE outbox SET state = 2, attempts = attempts + 1, last_error = ? "
                    "WHERE id = ?",
                    {errors, id}, "mark refused");
}

Result<std::set<std::string>> Outbox::QueuedUniqueIds() {
  Result<std::vector<OutboxEntry>> queued = impl_->Select("WHERE state = 0", {});
  if (!queued.ok()) return queued.status();
  std::set<std::string> ids;
  for (const OutboxEntry& e : *queued) ids.insert(e.unique_ids.begin(), e.unique_ids.end());
  return ids;
}

Result<OutboxCounts> Outbox::Counts() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  auto s = impl_->db->Prepare(
      "SELECT state, count(*), min(created) FROM outbox GROUP BY state");
  if (!s.ok()) return s.status();
  OutboxCounts c;
  while (s->Step() == SQLITE_ROW) {
    switch (s->Int(0)) {
      case 0:
        c.queued = s->Int(1);
        c.oldest_queued_ms = s->Int(2);
        break;
      case 1: c.delivered = s->Int(1); break;
      default: c.refused = s->Int(1); break;
    }
  }
  return c;
}

Result<std::vector<OutboxEntry>> Outbox::Recent(int limit) {
  return impl_->Select("ORDER BY id DESC LIMIT ?", {static_cast<int64_t>(limit)});
}

}  // namespace renkei::repository
