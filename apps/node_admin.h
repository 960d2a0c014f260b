// Operator commands of a node that work beside the running `renkei node` on its data_dir:
//   renkei node status  --config FILE [--set K=V]...   documents and outbox at a glance
//   renkei node publish --config FILE [--set K=V]... --patient CX --kind KIND --file PATH
//                       [--title T] [--mime TYPE] [--source-patient-id CX]
// `publish` is the node originating a registration itself (as its connectors will): the
// document is stored (pending) and its registration queued in the outbox; the running
// node delivers it to the registry, retrying while the registry cannot be reached.
#ifndef RENKEI_APPS_NODE_ADMIN_H_
#define RENKEI_APPS_NODE_ADMIN_H_

#include <string>
#include <vector>

namespace renkei::apps {

int RunNodeStatus(const std::vector<std::string>& args);
int RunNodePublish(const std::vector<std::string>& args);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_NODE_ADMIN_H_
