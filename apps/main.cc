// renkei: one executable, one subcommand per role (architecture §1, §9).
#include <malloc.h>

#include <cstdio>
#include <string>
#include <vector>

#include "apps/audit_admin.h"
#include "apps/ca.h"
#include "apps/centre.h"
#include "apps/demo.h"
#include "apps/node.h"
#include "apps/node_admin.h"
#include "apps/query.h"
#include "directory/directory_cli.h"

namespace {

constexpr char kUsage[] =
    "usage: renkei <command> [args]\n"
    "  centre --config FILE [--set KEY=VALUE]...   run the service centre\n"
    "  node --config FILE [--set KEY=VALUE]...     run a hospital's public server\n"
    "  node status --config FILE [--set ...]       its documents and outbox\n"
    "  node publish --config FILE [--set ...] --patient CX --kind KIND --file PATH\n"
    "                                              store a document, queue its registration\n"
    "  demo [--port N] [--data-dir DIR] [--once]   a region on loopback\n"
    "  query --centre URL (--patient-id CX | --local-id ID --authority OID) [...]\n"
    "                                              a patient's documents in the region\n"
    "  config example centre|node                  print a complete, commented config\n"
    "  ca init|issue|revoke|crl|list|ticket-key    the regional CA (renkei ca for details)\n"
    "  directory facility|endpoint|staff|grant ...  the centre's facility directory and\n"
    "                                              disclosure grants (renkei directory)\n"
    "  audit verify --data-dir DIR                 check the audit trail's hash chain\n";

int RunConfig(const std::vector<std::string>& args) {
  if (args.size() == 2 && args[0] == "example" && (args[1] == "centre" || args[1] == "node")) {
    const bool centre = args[1] == "centre";
    std::fputs(renkei::Config::Example(
                   centre ? renkei::apps::CentreConfigSchema() : renkei::apps::NodeConfigSchema(),
                   "renkei " + args[1] + " configuration (JSON; // comments allowed)")
                   .c_str(),
               stdout);
    return 0;
  }
  std::fprintf(stderr, "usage: renkei config example centre|node\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  // Answers of ~100 KB (LeafClass) are built per request; glibc's default would mmap and
  // munmap each one and fault its pages in again (the bench saw half the CPU in the kernel).
  // Keep such buffers on the heap and do not hand freed memory back to the kernel eagerly.
  mallopt(M_MMAP_THRESHOLD, 64 << 20);
  mallopt(M_TRIM_THRESHOLD, 256 << 20);
  if (argc < 2) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  const std::string cmd = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (cmd == "centre") return renkei::apps::RunCentre(args);
  if (cmd == "node" && !args.empty() && args[0] == "status") {
    return renkei::apps::RunNodeStatus({args.begin() + 1, args.end()});
  }
  if (cmd == "node" && !args.empty() && args[0] == "publish") {
    return renkei::apps::RunNodePublish({args.begin() + 1, args.end()});
  }
  if (cmd == "node") return renkei::apps::RunNode(args);
  if (cmd == "demo") return renkei::apps::RunDemo(args);
  if (cmd == "query") return renkei::apps::RunQuery(args);
  if (cmd == "config") return RunConfig(args);
  if (cmd == "ca") return renkei::apps::RunCa(args);
  if (cmd == "directory") return renkei::directory::RunDirectoryCli(args);
  if (cmd == "audit") return renkei::apps::RunAudit(args);
  if (cmd == "--help" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  std::fprintf(stderr, "renkei: unknown command '%s'\n%s", cmd.c_str(), kUsage);
  return 2;
}
