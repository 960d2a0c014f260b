// What every long-running role (`renkei centre`, `renkei node`) shares: its command line,
// the stop signals, the log level and the insecure-loopback rule (architecture §9).
#ifndef RENKEI_APPS_ROLE_H_
#define RENKEI_APPS_ROLE_H_

#include <string>
#include <vector>

#include "common/config.h"
#include "common/status.h"

namespace renkei::apps {

// Parses `--config FILE` and `--set K=V` from args. InvalidArgument on anything else.
Status ParseRoleArgs(const std::vector<std::string>& args, std::string* config_file,
                     std::vector<std::string>* overrides);

// Blocks until SIGINT or SIGTERM arrives (REQUIRES: BlockStopSignals() called first, before
// any thread started).
void BlockStopSignals();
void WaitForStopSignal();

// Applies config key `log.level`. InvalidArgument naming it when it is not a level.
Status ApplyLogLevel(const Config& config);

// TLS listeners are not built yet: `tls.insecure_loopback` must be true and `host` (of the
// listener named by `key`) must be 127.0.0.1. InvalidArgument naming the key otherwise.
Status RequireInsecureLoopback(const Config& config, const std::string& key,
                               const std::string& host);

// Creates `data_dir` when missing. InvalidArgument naming the key when it cannot.
Status MakeDataDir(const std::string& data_dir);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_ROLE_H_
