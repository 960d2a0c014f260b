// ITI-20 FHIR feed from a node: the durable audit queue and its delivery worker.
#include "audit/audit_sender.h"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "audit/fhir_audit_event.h"
#include "common/http_client.h"
#include "common/log.h"
#include "common/sqlite_connection.h"
#include "common/utc_time.h"

namespace renkei::audit {

namespace {

constexpr char kQueueError[] = "audit.queue";

constexpr char kSchema[] = R"sql(
CREATE TABLE IF NOT EXISTS audit_queue(
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  queued_at TEXT NOT NULL,
  body TEXT NOT NULL,
  state INTEGER NOT NULL DEFAULT 0,
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT NOT NULL DEFAULT '');
CREATE INDEX IF NOT EXISTS audit_queue_state ON audit_queue(state, id);
)sql";

constexpr int64_t kPending = 0;
constexpr int64_t kRefused = 1;

Status QueueError(sqlite3* db, int rc, const std::string& what) {
  if (sqlite::IsBusy(rc)) return Status::Unavailable(kQueueError, what + ": database busy");
  return Status::Internal(kQueueError, what + ": " + (db ? sqlite3_errmsg(db) : "?"));
}

bool Retryable(int status) { return status >= 500 || status == 408 || status == 429; }

}  // namespace

struct AuditSender::Impl {
  AuditSenderOptions options;
  std::mutex db_mu;  // the connection
  std::unique_ptr<sqlite::Connection> db;
  std::mutex deliver_mu;  // one delivery pass at a time
  std::mutex mu;          // worker state
  std::condition_variable cv;
  bool running = false;
  bool stop = false;
  bool wake = false;
  std::thread worker;

  struct Item {
    int64_t id;
    std::string body;
  };

  Result<std::vector<Item>> Pending(int limit) {
    std::lock_guard<std::mutex> lock(db_mu);
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt s,
        db->Prepare("SELECT id, body FROM audit_queue WHERE state = 0 ORDER BY id LIMIT ?"));
    s.Bind(1, int64_t{limit});
    std::vector<Item> items;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) items.push_back({s.Int(0), s.Text(1)});
    if (rc != SQLITE_DONE) return db->Error(rc, "read the audit queue");
    return items;
  }

  Status Run(const char* sql, const std::vector<sqlite::Value>& values, const char* what) {
    std::lock_guard<std::mutex> lock(db_mu);
    RENKEI_ASSIGN_OR_RETURN(sqlite::Stmt s, db->Prepare(sql));
    s.BindAll(values);
    return s.Run(what);
  }

  void Loop() {
    int backoff = options.initial_backoff_ms;
    while (true) {
      Result<int64_t> delivered = Deliver();
      int wait_ms = options.idle_poll_ms;
      if (!delivered.ok()) {
        wait_ms = backoff;
        backoff = std::min(backoff * 2, options.max_backoff_ms);
      } else {
        backoff = options.initial_backoff_ms;
      }
      std::unique_lock<std::mutex> lock(mu);
      cv.wait_for(lock, std::chrono::milliseconds(wait_ms), [&] { return stop || wake; });
      if (stop) return;
      // A wake-up during backoff does not cut the backoff short after a failure... unless it
      // is a new event: try again then, the next failure doubles the wait anyway.
      wake = false;
    }
  }

  Result<int64_t> Deliver() {
    std::lock_guard<std::mutex> lock(deliver_mu);
    int64_t delivered = 0;
    std::unique_ptr<HttpClient> client;
    while (true) {
      RENKEI_ASSIGN_OR_RETURN(std::vector<Item> items, Pending(100));
      if (items.empty()) return delivered;
      if (!client) {
        auto c = HttpClient::Create(options.centre_url, options.timeout_seconds, options.tls);
        if (!c.ok()) return c.status();
        client = std::move(c.value());
      }
      for (const Item& item : items) {
        auto reply = client->Post(options.path, "application/fhir+json", item.body);
        if (!reply.ok() || Retryable(reply->status)) {
          const std::string why =
              reply.ok() ? "HTTP " + std::to_string(reply->status) : reply.status().message();
          RENKEI_RETURN_IF_ERROR(
              Run("UPDATE audit_queue SET attempts = attempts + 1, "
                  "last_error = ? WHERE id = ?",
                  {why, item.id}, "note a failed delivery"));
          return Status::Unavailable(kQueueError, "audit centre unreachable: " + why);
        }
        if (reply->status == 200 || reply->status == 201) {
          RENKEI_RETURN_IF_ERROR(
              Run("DELETE FROM audit_queue WHERE id = ?", {item.id}, "dequeue a delivered event"));
          ++delivered;
        } else {
          const std::string why =
              "HTTP " + std::to_string(reply->status) + ": " + reply->body.substr(0, 500);
          LogError("audit event " + std::to_string(item.id) + " refused by the centre: " + why);
          RENKEI_RETURN_IF_ERROR(
              Run("UPDATE audit_queue SET state = 1, attempts = attempts + 1, "
                  "last_error = ? WHERE id = ?",
                  {why, item.id}, "set a refused event aside"));
        }
      }
    }
  }
};

AuditSender::AuditSender(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

AuditSender::~AuditSender() { Stop(); }

Result<std::unique_ptr<AuditSender>> AuditSender::Open(const std::string& queue_path,
                                                       const AuditSenderOptions& options) {
  sqlite::OpenOptions o;
  o.synchronous_full = true;  // an event is durable when Enqueue returns
  o.cache_kib = 1024;
  o.map_whole_file = false;
  o.mmap_bytes = 0;
  auto db = sqlite::Connection::Open(queue_path, o, &QueueError);
  if (!db.ok()) return db.status();
  char* err = nullptr;
  if (sqlite3_exec(db.value()->db(), kSchema, nullptr, nullptr, &err) != SQLITE_OK) {
    std::string m = err ? err : "?";
    sqlite3_free(err);
    return Status::Internal(kQueueError, "audit queue schema: " + m);
  }
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->db = std::move(db.value());
  return std::unique_ptr<AuditSender>(new AuditSender(std::move(impl)));
}

Result<int64_t> AuditSender::Enqueue(const AuditEvent& event) {
  RENKEI_RETURN_IF_ERROR(Validate(event));
  const std::string body = EncodeFhirAuditEvent(event);
  int64_t id;
  {
    std::lock_guard<std::mutex> lock(impl_->db_mu);
    RENKEI_ASSIGN_OR_RETURN(
        sqlite::Stmt s,
        impl_->db->Prepare("INSERT INTO audit_queue(queued_at, body) VALUES (?, ?)"));
    s.BindAll({UtcNow(kIso8601Utc), body});
    RENKEI_RETURN_IF_ERROR(s.Run("queue an audit event"));
    id = sqlite3_last_insert_rowid(impl_->db->db());
  }
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->wake = true;
  }
  impl_->cv.notify_all();
  return id;
}

void AuditSender::Record(const AuditEvent& event) {
  Result<int64_t> id = Enqueue(event);
  if (!id.ok()) {
    LogError("audit event " + event.event_id.code + " not queued: " + id.status().ToString());
  }
}

void AuditSender::Start() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  if (impl_->running) return;
  impl_->running = true;
  impl_->stop = false;
  impl_->worker = std::thread([this] { impl_->Loop(); });
}

void AuditSender::Stop() {
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    if (!impl_->running) return;
    impl_->stop = true;
  }
  impl_->cv.notify_all();
  impl_->worker.join();
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->running = false;
}

Result<int64_t> AuditSender::DeliverPending() { return impl_->Deliver(); }

Result<AuditQueueCounts> AuditSender::Counts() {
  std::lock_guard<std::mutex> lock(impl_->db_mu);
  RENKEI_ASSIGN_OR_RETURN(
      sqlite::Stmt s, impl_->db->Prepare("SELECT state, count(*) FROM audit_queue GROUP BY state"));
  AuditQueueCounts counts;
  int rc;
  while ((rc = s.Step()) == SQLITE_ROW) {
    if (s.Int(0) == kPending) counts.pending = s.Int(1);
    if (s.Int(0) == kRefused) counts.refused = s.Int(1);
  }
  if (rc != SQLITE_DONE) return impl_->db->Error(rc, "count the audit queue");
  return counts;
}

}  // namespace renkei::audit
