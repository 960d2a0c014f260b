// `renkei audit …`: operator commands on the centre's ATNA Audit Record Repository
// (audit/audit_command.h): `renkei audit verify --data-dir DIR` checks the hash chain of
// DIR/audit.sqlite, read-only, beside a running centre; exit 0 ok, 1 tampered, 2 usage.
#ifndef RENKEI_APPS_AUDIT_ADMIN_H_
#define RENKEI_APPS_AUDIT_ADMIN_H_

#include <string>
#include <vector>

namespace renkei::apps {

// `args`: the words after "audit", e.g. {"verify", "--data-dir", "var/centre"}.
int RunAudit(const std::vector<std::string>& args);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_AUDIT_ADMIN_H_
