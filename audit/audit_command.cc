// `renkei audit verify`: tamper check of the ATNA Audit Record Repository's hash chain.
#include "audit/audit_command.h"

#include <filesystem>

#include "audit/audit_store.h"

namespace renkei::audit {

namespace {

constexpr char kUsage[] =
    "usage: renkei audit verify --data-dir DIR   (checks DIR/audit.sqlite)\n"
    "       renkei audit verify --file PATH\n";

}  // namespace

int RunAuditCommand(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  if (args.empty() || args[0] != "verify") {
    err << kUsage;
    return 2;
  }
  std::string path;
  for (size_t i = 1; i < args.size(); ++i) {
    if ((args[i] == "--data-dir" || args[i] == "--file") && i + 1 < args.size()) {
      path = args[i] == "--file" ? args[i + 1]
                                 : (std::filesystem::path(args[i + 1]) / kAuditStoreFile).string();
      ++i;
    } else {
      err << "unknown argument '" << args[i] << "'\n" << kUsage;
      return 2;
    }
  }
  if (path.empty()) {
    err << kUsage;
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    err << "no audit store at " << path << "\n";
    return 2;
  }
  auto store = AuditStore::Open(path, /*read_only=*/true);
  if (!store.ok()) {
    err << "cannot open " << path << ": " << store.status().ToString() << "\n";
    return 2;
  }
  auto report = (*store)->Verify();
  if (!report.ok()) {
    err << "cannot read " << path << ": " << report.status().ToString() << "\n";
    return 2;
  }
  if (!report->ok) {
    out << "tampered: first bad record " << report->first_bad_seq << ": " << report->problem << " ("
        << report->records << " records verified before it)\n";
    return 1;
  }
  out << "ok: " << report->records << " records, head "
      << (report->head_hash.empty() ? "-" : report->head_hash) << "\n";
  return 0;
}

}  // namespace renkei::audit
