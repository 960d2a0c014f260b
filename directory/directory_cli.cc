// `renkei directory ...`: operator commands on the facility directory and consent grants
// (directory/directory_cli.h).
#include "directory/directory_cli.h"

#include <pwd.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "audit/audit_store.h"
#include "audit/transaction_events.h"
#include "directory/directory_fhir.h"
#include "directory/directory_store.h"
#include "directory/instant.h"

namespace renkei::directory {
namespace {

// AuditSourceID of the records this tool writes.
constexpr char kCliAuditSourceId[] = "renkei-directory-cli";

constexpr char kUsage[] =
    "usage: renkei directory --data-dir D <command>\n"
    "  facility add --oid O --name N [--romaji R] --type disclosing|viewing|hosted "
    "[--cert PEMFILE] [--inactive]\n"
    "  facility list\n"
    "  endpoint add --facility O --kind iti43|iti68|dicomweb|iti41 --url U [--repository RID]\n"
    "  endpoint list [--facility O]\n"
    "  staff add --id S --facility O --family F --given G [--family-alt F] [--given-alt G] "
    "[--role R]\n"
    "  staff list [--facility O]\n"
    "  grant add --from O --to O|'*' --patient CX [--class C]... [--start T] [--end T] "
    "[--note TEXT] [--consent REF]\n"
    "  grant revoke --from O --id N\n"
    "  grant list [--patient CX]\n"
    "  break-glass list [--patient CX]\n";

// Parsed command line: positional words and --options (repeatable).
struct Args {
  std::vector<std::string> words;
  std::multimap<std::string, std::string> options;
  std::vector<std::string> flags;  // options without a value

  std::string Get(const std::string& name) const {
    auto it = options.find(name);
    return it == options.end() ? "" : it->second;
  }
  bool Has(const std::string& name) const { return options.count(name) > 0; }
  std::vector<std::string> All(const std::string& name) const {
    std::vector<std::string> v;
    for (auto [it, end] = options.equal_range(name); it != end; ++it) v.push_back(it->second);
    return v;
  }
  bool Flag(const std::string& name) const {
    for (const std::string& f : flags) {
      if (f == name) return true;
    }
    return false;
  }
};

const std::vector<std::string> kFlags = {"--inactive"};

bool ParseArgs(const std::vector<std::string>& in, Args* out, std::string* error) {
  for (size_t i = 0; i < in.size(); ++i) {
    const std::string& a = in[i];
    if (a.rfind("--", 0) != 0) {
      out->words.push_back(a);
      continue;
    }
    if (std::find(kFlags.begin(), kFlags.end(), a) != kFlags.end()) {
      out->flags.push_back(a);
      continue;
    }
    if (i + 1 >= in.size()) {
      *error = a + " needs a value";
      return false;
    }
    out->options.emplace(a, in[++i]);
  }
  return true;
}

struct Cli {
  std::ostream& out;
  std::ostream& err;

  int Usage(const std::string& message) {
    if (!message.empty()) err << "renkei directory: " << message << "\n";
    err << kUsage;
    return 2;
  }
  int Fail(const Status& st) {
    err << "renkei directory: " << st.ToString() << "\n";
    return 1;
  }
  // Checks that every name in `required` is given.
  bool Require(const Args& a, std::initializer_list<const char*> required, int* rc) {
    for (const char* name : required) {
      if (a.Get(name).empty()) {
        *rc = Usage(std::string(name) + " is required");
        return false;
      }
    }
    return true;
  }
};

Result<std::string> Instant(const std::string& text) {
  if (text.empty()) return std::string();
  return ParseInstant(text);
}

int FacilityCommand(Cli& cli, DirectoryStore& store, const Args& a) {
  const std::string& verb = a.words[1];
  int rc = 0;
  if (verb == "add") {
    if (!cli.Require(a, {"--oid", "--name", "--type"}, &rc)) return rc;
    Facility f;
    f.oid = a.Get("--oid");
    f.name = a.Get("--name");
    f.name_romaji = a.Get("--romaji");
    if (!ParseFacilityType(a.Get("--type"), &f.type)) {
      return cli.Usage("--type must be disclosing, viewing or hosted");
    }
    if (a.Has("--cert")) {
      std::ifstream in(a.Get("--cert"), std::ios::binary);
      if (!in) return cli.Fail(Status::NotFound("", "cannot read " + a.Get("--cert")));
      std::ostringstream pem;
      pem << in.rdbuf();
      f.certificate_pem = pem.str();
    }
    f.active = !a.Flag("--inactive");
    Status st = store.PutFacility(f);
    if (!st.ok()) return cli.Fail(st);
    cli.out << "facility " << f.oid << "\n";
    return 0;
  }
  if (verb == "list") {
    auto list = store.ListFacilities();
    if (!list.ok()) return cli.Fail(list.status());
    for (const Facility& f : *list) {
      cli.out << f.oid << "\t" << FacilityTypeName(f.type) << "\t" << f.name << "\t"
              << f.name_romaji << "\t" << (f.active ? "active" : "inactive")
              << (f.recorded ? "\trecorded" : "") << "\n";
    }
    return 0;
  }
  return cli.Usage("unknown facility command '" + verb + "'");
}

int EndpointCommand(Cli& cli, DirectoryStore& store, const Args& a) {
  const std::string& verb = a.words[1];
  int rc = 0;
  if (verb == "add") {
    if (!cli.Require(a, {"--facility", "--kind"}, &rc)) return rc;
    Endpoint e;
    e.facility = a.Get("--facility");
    if (!ParseEndpointKind(a.Get("--kind"), &e.kind)) {
      return cli.Usage("--kind must be iti43, iti68, dicomweb or iti41");
    }
    e.url = a.Get("--url");
    e.repository_unique_id = a.Get("--repository");
    auto id = store.AddEndpoint(e);
    if (!id.ok()) return cli.Fail(id.status());
    cli.out << "endpoint " << *id << "\n";
    return 0;
  }
  if (verb == "list") {
    auto list = store.ListEndpoints(a.Get("--facility"));
    if (!list.ok()) return cli.Fail(list.status());
    for (const Endpoint& e : *list) {
      cli.out << e.id << "\t" << e.facility << "\t" << EndpointKindName(e.kind) << "\t" << e.url
              << "\t" << e.repository_unique_id << "\n";
    }
    return 0;
  }
  return cli.Usage("unknown endpoint command '" + verb + "'");
}

int StaffCommand(Cli& cli, DirectoryStore& store, const Args& a) {
  const std::string& verb = a.words[1];
  int rc = 0;
  if (verb == "add") {
    if (!cli.Require(a, {"--id", "--facility", "--family", "--given"}, &rc)) return rc;
    Staff s{a.Get("--id"),         a.Get("--facility"),  a.Get("--family"), a.Get("--given"),
            a.Get("--family-alt"), a.Get("--given-alt"), a.Get("--role")};
    Status st = store.PutStaff(s);
    if (!st.ok()) return cli.Fail(st);
    cli.out << "staff " << s.id << "\n";
    return 0;
  }
  if (verb == "list") {
    auto list = store.ListStaff(a.Get("--facility"));
    if (!list.ok()) return cli.Fail(list.status());
    for (const Staff& s : *list) {
      cli.out << s.id << "\t" << s.facility << "\t" << s.family << " " << s.given << "\t"
              << s.family_alt << " " << s.given_alt << "\t" << s.role << "\n";
    }
    return 0;
  }
  return cli.Usage("unknown staff command '" + verb + "'");
}

void PrintGrant(std::ostream& out, const Grant& g) {
  std::string classes;
  for (const GrantClass& c : g.classes) classes += (classes.empty() ? "" : ",") + c.code;
  out << g.id << "\t" << (g.status == GrantStatus::kActive ? "active" : "revoked") << "\t"
      << g.disclosing_facility << "\t" << g.grantee << "\t" << g.patient_id << "\t"
      << (classes.empty() ? "all" : classes) << "\t" << IsoOfInstant(g.start) << "\t"
      << (g.end.empty() ? "-" : IsoOfInstant(g.end)) << "\n";
}

// The operator running the command (the login of the effective user), for the audit record.
std::string OperatorName() {
  if (const passwd* pw = getpwuid(geteuid()); pw != nullptr && pw->pw_name != nullptr) {
    return pw->pw_name;
  }
  return "uid " + std::to_string(geteuid());
}

// The centre's audit trail: a grant or revocation made here is recorded as the FHIR Consent
// API records it (110113 Security Alert, 110135; apps/centre.cc), with the operator as the
// human requestor. Opened before the change, so that a trail that cannot be written
// refuses the change instead of leaving it unrecorded.
struct AuditTrail {
  std::unique_ptr<audit::AuditStore> store;

  static Result<AuditTrail> Open(const std::string& data_dir) {
    RENKEI_ASSIGN_OR_RETURN(
        std::unique_ptr<audit::AuditStore> store,
        audit::AuditStore::Open(
            (std::filesystem::path(data_dir) / audit::kAuditStoreFile).string()));
    return AuditTrail{std::move(store)};
  }

  Status Record(bool grant, const Grant& g, const std::string& facility,
                const std::string& detail) {
    audit::Exchange x;
    x.requesting_facility = facility;
    x.requester_user_id = facility;
    x.human_user_id = OperatorName();
    x.audit_source_id = kCliAuditSourceId;
    Result<int64_t> seq = store->Append(
        audit::PermissionChange(x, grant, std::to_string(g.id), g.patient_id, detail));
    return seq.ok() ? Status::Ok() : seq.status();
  }
};

std::string ClassList(const Grant& g) {
  if (g.classes.empty()) return "all";
  std::string s;
  for (const GrantClass& c : g.classes) s += (s.empty() ? "" : ",") + c.code;
  return s;
}

int GrantCommand(Cli& cli, DirectoryStore& store, const std::string& data_dir, const Args& a) {
  const std::string& verb = a.words[1];
  int rc = 0;
  // A change fails after it is made only when the record cannot be appended.
  auto recorded = [&](const Status& st, const std::string& what) {
    if (st.ok()) return 0;
    cli.err << "renkei directory: " << what
            << " was made but its audit record failed: " << st.ToString() << "\n";
    return 1;
  };
  if (verb == "add") {
    if (!cli.Require(a, {"--from", "--to", "--patient"}, &rc)) return rc;
    Grant g;
    g.disclosing_facility = a.Get("--from");
    g.grantee = a.Get("--to");
    Result<std::string> cx = PatientCxOfToken(a.Get("--patient"));
    if (!cx.ok()) return cli.Usage(cx.status().message());
    g.patient_id = *cx;
    for (const std::string& code : a.All("--class")) g.classes.push_back(GrantClass{"", code});
    Result<std::string> start = Instant(a.Get("--start"));
    Result<std::string> end = Instant(a.Get("--end"));
    if (!start.ok()) return cli.Usage("--start: " + start.status().message());
    if (!end.ok()) return cli.Usage("--end: " + end.status().message());
    g.start = *start;
    g.end = *end;
    g.note = a.Get("--note");
    g.consent_reference = a.Get("--consent");
    Result<AuditTrail> trail = AuditTrail::Open(data_dir);
    if (!trail.ok()) return cli.Fail(trail.status());
    auto stored = store.AddGrant(g, NowInstant());
    if (!stored.ok()) return cli.Fail(stored.status());
    cli.out << "grant " << stored->id << "\n";
    const std::string detail = "to " + stored->grantee + " classes " + ClassList(*stored) + " " +
                               stored->start + ".." + stored->end;
    return recorded(trail->Record(true, *stored, stored->disclosing_facility, detail),
                    "grant " + std::to_string(stored->id));
  }
  if (verb == "revoke") {
    if (!cli.Require(a, {"--from", "--id"}, &rc)) return rc;
    int64_t id = 0;
    try {
      size_t used = 0;
      id = std::stoll(a.Get("--id"), &used);
      if (used != a.Get("--id").size()) throw std::invalid_argument("id");
    } catch (const std::exception&) {
      return cli.Usage("--id must be a grant number");
    }
    Result<AuditTrail> trail = AuditTrail::Open(data_dir);
    if (!trail.ok()) return cli.Fail(trail.status());
    // As the Consent API: only the revocation of an active grant is a change to record.
    auto before = store.GetGrant(id);
    const bool was_active = before.ok() && before->status == GrantStatus::kActive;
    auto revoked = store.RevokeGrant(id, a.Get("--from"), NowInstant());
    if (!revoked.ok()) return cli.Fail(revoked.status());
    cli.out << "revoked grant " << revoked->id << "\n";
    if (!was_active) return 0;
    return recorded(
        trail->Record(false, *revoked, a.Get("--from"), "grant " + std::to_string(revoked->id)),
        "the revocation of grant " + std::to_string(revoked->id));
  }
  if (verb == "list") {
    GrantFilter filter;
    if (a.Has("--patient")) {
      Result<std::string> cx = PatientCxOfToken(a.Get("--patient"));
      if (!cx.ok()) return cli.Usage(cx.status().message());
      filter.patient_id = *cx;
    }
    auto list = store.ListGrants(filter);
    if (!list.ok()) return cli.Fail(list.status());
    for (const Grant& g : *list) PrintGrant(cli.out, g);
    return 0;
  }
  return cli.Usage("unknown grant command '" + verb + "'");
}

int BreakGlassCommand(Cli& cli, DirectoryStore& store, const Args& a) {
  if (a.words[1] != "list") return cli.Usage("unknown break-glass command '" + a.words[1] + "'");
  std::string patient;
  if (a.Has("--patient")) {
    Result<std::string> cx = PatientCxOfToken(a.Get("--patient"));
    if (!cx.ok()) return cli.Usage(cx.status().message());
    patient = *cx;
  }
  auto list = store.ListBreakGlass(patient);
  if (!list.ok()) return cli.Fail(list.status());
  for (const BreakGlass& b : *list) {
    cli.out << b.id << "\t" << b.requester << "\t" << b.patient_id << "\t"
            << IsoOfInstant(b.started) << "\t" << IsoOfInstant(b.expires) << "\t" << b.staff_id
            << "\t" << b.reason << "\n";
  }
  return 0;
}

}  // namespace

int RunDirectoryCli(const std::vector<std::string>& args) {
  return RunDirectoryCli(args, std::cout, std::cerr);
}

int RunDirectoryCli(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  Cli cli{out, err};
  Args a;
  std::string error;
  if (!ParseArgs(args, &a, &error)) return cli.Usage(error);
  if (a.words.size() == 1 && (a.words[0] == "help" || a.words[0] == "-h")) {
    out << kUsage;
    return 0;
  }
  if (a.words.size() != 2) return cli.Usage(a.words.empty() ? "" : "expected <noun> <verb>");
  const std::string data_dir = a.Get("--data-dir");
  if (data_dir.empty()) return cli.Usage("--data-dir is required");
  const std::string& noun = a.words[0];
  if (noun != "facility" && noun != "endpoint" && noun != "staff" && noun != "grant" &&
      noun != "break-glass") {
    return cli.Usage("unknown command '" + noun + "'");
  }
  std::error_code ec;
  std::filesystem::create_directories(data_dir, ec);
  if (ec)
    return cli.Fail(Status::Unavailable("", "cannot create " + data_dir + ": " + ec.message()));
  auto store = DirectoryStore::Open((std::filesystem::path(data_dir) / kDirectoryFileName).string(),
                                    DirectoryStoreOptions{30, 1});
  if (!store.ok()) return cli.Fail(store.status());
  if (noun == "facility") return FacilityCommand(cli, **store, a);
  if (noun == "endpoint") return EndpointCommand(cli, **store, a);
  if (noun == "staff") return StaffCommand(cli, **store, a);
  if (noun == "grant") return GrantCommand(cli, **store, data_dir, a);
  return BreakGlassCommand(cli, **store, a);
}

}  // namespace renkei::directory
