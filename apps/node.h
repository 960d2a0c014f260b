// `renkei node`: a disclosing hospital's public server (architecture §1). For now: the XDS.b
// Document Repository (ITI-41, ITI-43) at /xds/repository, its document store under
// data_dir, registering at the centre's registry (registry.url).
#ifndef RENKEI_APPS_NODE_H_
#define RENKEI_APPS_NODE_H_

#include <memory>
#include <string>
#include <vector>

#include "common/config.h"
#include "common/status.h"

namespace renkei::apps {

// The node's configuration keys (architecture §9), in the order `config example` prints.
const std::vector<ConfigKey>& NodeConfigSchema();

// A running node. Stops on destruction.
class Node {
 public:
  static Result<std::unique_ptr<Node>> Start(const Config& config);
  ~Node();
  std::string base_url() const;  // "http://127.0.0.1:port"
  std::string repository_url() const { return base_url() + "/xds/repository"; }
  // "dicom://host:port" of the C-STORE/C-ECHO listener; empty when dimse.listen is.
  std::string dimse_url() const;

  struct Impl;

 private:
  explicit Node(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// `renkei node --config FILE [--set K=V]...`: runs until SIGINT/SIGTERM. Exit code.
int RunNode(const std::vector<std::string>& args);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_NODE_H_
