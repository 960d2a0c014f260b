// Command line, signals and start-up checks shared by the roles (apps/role.h).
#include "apps/role.h"

#include <signal.h>

#include <cstdio>
#include <filesystem>

#include "common/log.h"

namespace renkei::apps {

Status ParseRoleArgs(const std::vector<std::string>& args, std::string* config_file,
                     std::vector<std::string>* overrides) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--config" || a == "--set") && i + 1 >= args.size()) {
      return Status::InvalidArgument("usage", a + " needs a value");
    }
    if (a == "--config") {
      *config_file = args[++i];
    } else if (a == "--set") {
      overrides->push_back(args[++i]);
    } else if (a.rfind("--set=", 0) == 0) {
      overrides->push_back(a.substr(6));
    } else if (a.rfind("--config=", 0) == 0) {
      *config_file = a.substr(9);
    } else {
      return Status::InvalidArgument("usage", "unexpected argument '" + a + "'");
    }
  }
  return Status::Ok();
}

void BlockStopSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  signal(SIGPIPE, SIG_IGN);
}

void WaitForStopSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  int sig = 0;
  sigwait(&set, &sig);
}

int RunRole(const std::string& role, const std::vector<ConfigKey>& schema,
            const std::vector<std::string>& args,
            const std::function<Result<RunningRole>(const Config&)>& start) {
  std::string file;
  std::vector<std::string> overrides;
  Status s = ParseRoleArgs(args, &file, &overrides);
  if (!s.ok()) {
    std::fprintf(stderr, "renkei %s: %s\nusage: renkei %s --config FILE [--set KEY=VALUE]...\n",
                 role.c_str(), s.message().c_str(), role.c_str());
    return 2;
  }
  Result<Config> config = Config::Load(schema, file, overrides);
  if (!config.ok()) {
    std::fprintf(stderr, "renkei %s: %s\n", role.c_str(), config.status().message().c_str());
    return 2;
  }
  BlockStopSignals();
  Result<RunningRole> running = start(*config);
  if (!running.ok()) {
    std::fprintf(stderr, "renkei %s: cannot start: %s\n", role.c_str(),
                 running.status().message().c_str());
    return 1;
  }
  std::printf("ready %s %s\n", role.c_str(), running->ready.c_str());
  std::fflush(stdout);
  WaitForStopSignal();
  LogInfo(role + ": stopping");
  running->role.reset();
  return 0;
}

std::vector<ConfigKey> TlsConfigKeys(const std::string& who) {
  return {
      {"tls.insecure_loopback", ConfigType::kBool, "false",
       "true = plain TCP without client certificates, allowed only on 127.0.0.1, for "
       "protocol tests; logged loudly. false = mutual TLS on every listener"},
      {"tls.cert", ConfigType::kString, "\"\"", "PEM certificate of this " + who},
      {"tls.key", ConfigType::kString, "\"\"", "PEM private key of this " + who},
      {"tls.ca", ConfigType::kString, "\"\"", "PEM certificate of the regional CA"},
      {"tls.crl", ConfigType::kString, "\"\"",
       "PEM CRL of the regional CA (`renkei ca crl`); re-read when the file changes"},
  };
}

std::vector<ConfigKey> JoinKeys(std::initializer_list<std::vector<ConfigKey>> parts) {
  std::vector<ConfigKey> all;
  for (const std::vector<ConfigKey>& p : parts) all.insert(all.end(), p.begin(), p.end());
  return all;
}

Status ApplyLogLevel(const Config& config) {
  LogLevel level;
  if (!ParseLogLevel(config.GetString("log.level"), &level)) {
    return Status::InvalidArgument("config", "config key 'log.level': must be debug, info, "
                                             "warning or error", "log.level");
  }
  SetLogLevel(level);
  return Status::Ok();
}

Result<std::unique_ptr<RoleTls>> RoleTls::Start(const Config& config, const std::string& role) {
  std::unique_ptr<RoleTls> tls(new RoleTls);
  if (config.GetBool("tls.insecure_loopback")) {
    LogWarning("INSECURE: tls.insecure_loopback=true: " + role +
               " listens with plain TCP, without client authentication, on 127.0.0.1 only; "
               "the requesting facility comes from the X-Renkei-Facility test header "
               "(tests only, never in production)");
    return tls;
  }
  TlsFiles files{config.GetString("tls.cert"), config.GetString("tls.key"),
                 config.GetString("tls.ca"), config.GetString("tls.crl")};
  RENKEI_ASSIGN_OR_RETURN(tls->server_, TlsContext::Server(files));
  RENKEI_ASSIGN_OR_RETURN(tls->client_, TlsContext::Client(files));
  // The process default for tools' outgoing calls; roles pass client() explicitly (several
  // roles may share a process: `renkei demo`).
  if (!ClientTls()) SetClientTls(tls->client_);
  // The role's own facility, from its certificate.
  Result<Peer> self = PeerOfCertificateFile(files.cert);
  if (!self.ok()) {
    return Status::InvalidArgument("config", "config key 'tls.cert': " + self.status().message(),
                                   "tls.cert");
  }
  tls->self_ = std::move(self.value());
  LogInfo("tls: " + role + " is facility " + tls->self_.facility_oid + " ('" +
          tls->self_.common_name + "'); mutual TLS on every listener, TLS 1.2+, CRL " +
          files.crl);
  tls->watcher_ = std::thread([t = tls.get()] { t->WatchCrl(); });
  return tls;
}

RoleTls::~RoleTls() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (watcher_.joinable()) watcher_.join();
}

void RoleTls::WatchCrl() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!cv_.wait_for(lock, std::chrono::seconds(2), [this] { return stop_; })) {
    Status s = server_->ReloadCrl();
    if (!s.ok()) LogWarning("tls: CRL not reloaded: " + s.message());
  }
}

void RoleTls::AuditRefusals(audit::AuditSink* sink, const audit::Exchange& self) {
  if (!server_) return;
  server_->SetRefusalHook([sink, self](const std::string& address, const std::string& reason) {
    audit::Exchange x = self;
    x.requester_address = address.substr(0, address.rfind(':'));
    x.requester_user_id = address;
    x.outcome = 8;
    x.outcome_description = reason;
    sink->Record(audit::AuthenticationFailure(x, reason));
  });
}

Status RoleTls::CheckListener(const std::string& key, const std::string& host) const {
  if (insecure() && host != "127.0.0.1") {
    return Status::InvalidArgument("config", "config key '" + key +
                                                 "': tls.insecure_loopback=true is allowed only "
                                                 "on 127.0.0.1, not '" + host + "'", key);
  }
  return Status::Ok();
}

Status MakeDataDir(const std::string& data_dir) {
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec) {
    return Status::InvalidArgument("config", "config key 'data_dir': cannot create '" + data_dir +
                                                 "': " + ec.message());
  }
  return Status::Ok();
}

}  // namespace renkei::apps
