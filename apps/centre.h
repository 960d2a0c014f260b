// `renkei centre`: the service centre role (architecture §1). For now: the XDS.b Document
// Registry at /xds/registry on one HTTP listener, the PIX Manager (ITI-8, ITI-9) on the MLLP
// listener, SQLite stores under data_dir.
#ifndef RENKEI_APPS_CENTRE_H_
#define RENKEI_APPS_CENTRE_H_

#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/status.h"

namespace renkei::apps {

// The centre's configuration keys (architecture §9), in the order `config example` prints.
const std::vector<ConfigKey>& CentreConfigSchema();

// A running centre. Stops on destruction.
class Centre {
 public:
  static Result<std::unique_ptr<Centre>> Start(const Config& config);
  ~Centre();
  // "http://127.0.0.1:port"
  std::string base_url() const;
  std::string registry_url() const { return base_url() + "/xds/registry"; }
  // "mllp://127.0.0.1:port" (ITI-8, ITI-9)
  std::string mllp_url() const;
  int mllp_port() const;

  struct Impl;

 private:
  explicit Centre(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `renkei centre --config FILE [--set K=V]...`: runs until SIGINT/SIGTERM. Exit code.
int RunCentre(const std::vector<std::string>& args);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_CENTRE_H_
