// What every long-running role (`renkei centre`, `renkei node`) shares: its command line,
// the stop signals, the log level, TLS and the insecure-loopback rule (architecture §9).
#ifndef RENKEI_APPS_ROLE_H_
#define RENKEI_APPS_ROLE_H_

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "common/config.h"
#include "common/status.h"
#include "audit/audit_sink.h"
#include "audit/transaction_events.h"
#include "common/tls.h"

namespace renkei::apps {

// Parses `--config FILE` and `--set K=V` from args. InvalidArgument on anything else.
Status ParseRoleArgs(const std::vector<std::string>& args, std::string* config_file,
                     std::vector<std::string>* overrides);

// What a role's start function returns: the running role (destroyed to stop it) and the
// rest of its ready line (the URLs after "ready <role> ").
struct RunningRole {
  std::shared_ptr<void> role;
  std::string ready;
};

// Runs a long-running role as architecture §9 says: parses `--config`/`--set` (exit 2 with
// the usage), loads the config against `schema` (exit 2 naming the key), blocks the stop
// signals, starts the role (exit 1 with the reason), prints "ready <role> <urls>" flushed,
// waits for SIGINT/SIGTERM, stops the role, exits 0.
int RunRole(const std::string& role, const std::vector<ConfigKey>& schema,
            const std::vector<std::string>& args,
            const std::function<Result<RunningRole>(const Config&)>& start);

// Blocks until SIGINT or SIGTERM arrives (REQUIRES: BlockStopSignals() called first, before
// any thread started).
void BlockStopSignals();
void WaitForStopSignal();

// The keys of the TLS listener every role has (architecture §9): tls.insecure_loopback,
// tls.cert, tls.key (of `who`: "centre", "node"), tls.ca, tls.crl.
std::vector<ConfigKey> TlsConfigKeys(const std::string& who);
// The lists one after the other (a role's schema from its parts).
std::vector<ConfigKey> JoinKeys(std::initializer_list<std::vector<ConfigKey>> parts);

// Applies config key `log.level`. InvalidArgument naming it when it is not a level.
Status ApplyLogLevel(const Config& config);

// The TLS of a role (ITI-19, architecture §5/§9). With tls.insecure_loopback=false (the
// default): the listeners' context (tls.cert, tls.key, tls.ca, tls.crl: client certificates
// required and checked against the CA and the CRL, which is re-read when the file changes),
// the process's client context for outgoing calls (common/tls.h SetClientTls), and the
// facility of the role's own certificate. With true: plain TCP, logged loudly; `server` is
// null and `self` empty.
class RoleTls {
 public:
  static Result<std::unique_ptr<RoleTls>> Start(const Config& config, const std::string& role);
  ~RoleTls();  // stops watching the CRL
  bool insecure() const { return server_ == nullptr; }
  const std::shared_ptr<TlsContext>& server() const { return server_; }
  // The role's client context (its own certificate) for outgoing calls; null when insecure.
  const std::shared_ptr<TlsContext>& client() const { return client_; }
  const Peer& self() const { return self_; }  // the role's own certificate
  // `host` of the listener named by config key `key`: in insecure mode it must be
  // 127.0.0.1 (InvalidArgument naming the key otherwise).
  Status CheckListener(const std::string& key, const std::string& host) const;
  // Records every client the role's listeners refuse (no, unknown, expired or revoked
  // certificate) as an ATNA security alert in `sink` (must outlive the listeners), with
  // `self` as the audit source. No-op when insecure.
  void AuditRefusals(audit::AuditSink* sink, const audit::Exchange& self);

 private:
  RoleTls() = default;
  void WatchCrl();
  std::shared_ptr<TlsContext> server_;
  std::shared_ptr<TlsContext> client_;
  Peer self_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread watcher_;
};

// Creates `data_dir` when missing. InvalidArgument naming the key when it cannot.
Status MakeDataDir(const std::string& data_dir);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_ROLE_H_
