// `renkei directory ...`: the operator's tool for the centre's facility directory and
// consent grants (issue 5 "Directory" / "Disclosure permissions"; the CLI next to the FHIR
// Consent API), working on `<data-dir>/directory.sqlite` (safe while the centre runs: SQLite
// WAL).
//
//   --data-dir D                      the centre's data_dir (required, anywhere in args)
//   facility add --oid O --name N [--romaji R] --type disclosing|viewing|hosted
//                [--cert PEMFILE] [--inactive]        (adds or replaces)
//   facility list
//   endpoint add --facility O --kind iti43|iti68|dicomweb|iti41 --url U [--repository RID]
//   endpoint list [--facility O]
//   staff add --id S --facility O --family F --given G [--family-alt F2] [--given-alt G2]
//             [--role R]
//   staff list [--facility O]
//   grant add --from O --to O|'*' --patient CX|urn:oid:<domain>|<id> [--class C]...
//             [--start T] [--end T] [--note TEXT] [--consent REF]
//             (T: YYYY-MM-DD, YYYY-MM-DDThh:mm:ssZ or YYYYMMDDhhmmss UTC)
//   grant revoke --from O --id N
//   grant list [--patient CX]
//   break-glass list [--patient CX]
//
// `grant add` and the revocation of an active grant append the same ATNA record as the FHIR
// Consent API (audit/transaction_events.h PermissionChange: 110113 Security Alert + 110135,
// action C / D, the --from facility as requesting facility, the operator's login as human
// requestor, AuditSourceID "renkei-directory-cli") to the centre's audit trail
// `<data-dir>/audit.sqlite` (audit::kAuditStoreFile; safe while the centre appends to it).
// The trail is opened before the change: when it cannot be, nothing changes (1). When the
// append itself fails after the change was stored, the change stays and the command says
// so on `err` and returns 1.
//
// Output on `out` (lists: one tab-separated line per row), errors on `err`. Returns 0 on
// success, 1 when the store refuses or fails, 2 for a usage error.
// Thread-safety: not for concurrent use within one process.
#ifndef RENKEI_DIRECTORY_DIRECTORY_CLI_H_
#define RENKEI_DIRECTORY_DIRECTORY_CLI_H_

#include <ostream>
#include <string>
#include <vector>

namespace renkei::directory {

// `args`: the words after `renkei directory`.
int RunDirectoryCli(const std::vector<std::string>& args);
int RunDirectoryCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_DIRECTORY_CLI_H_
