// `renkei audit …`: operator commands on the centre's ATNA Audit Record Repository.
//   renkei audit verify --data-dir D   walks the hash chain of D/audit.sqlite (opened
//                                      read-only, beside a running centre) and prints
//                                      "ok: N records, head <sha256>" (exit 0) or
//                                      "tampered: first bad record <seq>: <problem>" (exit 1).
// Exit 2 for a usage error or a store that cannot be opened.
// Thread-safety: call from one thread.
#ifndef RENKEI_AUDIT_AUDIT_COMMAND_H_
#define RENKEI_AUDIT_AUDIT_COMMAND_H_

#include <ostream>
#include <string>
#include <vector>

namespace renkei::audit {

// `args` are the words after "audit" (e.g. {"verify", "--data-dir", "var/centre"}).
int RunAuditCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_COMMAND_H_
