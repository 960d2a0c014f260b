// `renkei audit verify` (apps/audit_admin.h): thin wiring of audit/audit_command.h.
#include "apps/audit_admin.h"

#include <iostream>

#include "audit/audit_command.h"

namespace renkei::apps {

int RunAudit(const std::vector<std::string>& args) {
  return audit::RunAuditCommand(args, std::cout, std::cerr);
}

}  // namespace renkei::apps
