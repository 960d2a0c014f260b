// ITI-19 Authenticate Node: `renkei ca` (apps/ca.h).
#include "apps/ca.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <set>

#include "common/status.h"
#include "trust/access_ticket.h"
#include "trust/certificate_authority.h"
#include "trust/credential_files.h"

namespace renkei::apps {
namespace {

constexpr char kUsage[] =
    "usage: renkei ca <command> [options]\n"
    "  init   --dir D [--name REGION] [--key ec|rsa] [--days N] [--crl-url URL]\n"
    "         create the regional CA in D (key, certificate, index, empty CRL); with\n"
    "         --crl-url, every certificate it issues names URL (the centre's /pki/crl)\n"
    "         as its CRL distribution point\n"
    "  issue  --dir D --facility OID [--name NAME] [--host H]... [--ip IP]... [--client]\n"
    "         [--key ec|rsa] [--days N] --out PREFIX\n"
    "         [--p12-password PW | --p12-password-file FILE]\n"
    "         a facility certificate: PREFIX.key.pem, PREFIX.cert.pem (and PREFIX.p12);\n"
    "         prints its serial\n"
    "  revoke --dir D --serial HEX [--reason REASON] [--hours N]\n"
    "         revoke and publish a new CRL (REASON: unspecified, keyCompromise,\n"
    "         cACompromise, affiliationChanged, superseded, cessationOfOperation,\n"
    "         certificateHold, privilegeWithdrawn)\n"
    "  crl    --dir D [--out FILE] [--hours N]\n"
    "         sign a new CRL into D/ca.crl.pem (and FILE; without --out, print it)\n"
    "  list   --dir D\n"
    "         every issued certificate: serial, facility, CN, notAfter, status\n"
    "  ticket-key --out FILE\n"
    "         a new EC P-256 key (0600) for signing access tickets (ES256); prints its\n"
    "         kid (RFC 7638 thumbprint)\n";

struct Options {
  std::map<std::string, std::string> values;
  std::vector<std::string> hosts;
  std::vector<std::string> ips;
  bool client = false;

  bool Has(const std::string& k) const { return values.count(k) != 0; }
  std::string Get(const std::string& k, const std::string& fallback = {}) const {
    auto it = values.find(k);
    return it == values.end() ? fallback : it->second;
  }
};

int Usage(const std::string& why) {
  std::fprintf(stderr, "renkei ca: %s\n%s", why.c_str(), kUsage);
  return 2;
}

int Fail(const std::string& what, const Status& st) {
  std::fprintf(stderr, "renkei ca %s: %s\n", what.c_str(), st.message().c_str());
  return 1;
}

// Parses `--name value` options (`allowed`), repeated --host/--ip, and the --client flag.
bool ParseOptions(const std::vector<std::string>& args, const std::set<std::string>& allowed,
                  Options* out, std::string* error) {
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || allowed.count(a.substr(2)) == 0) {
      *error = "unknown option '" + a + "'";
      return false;
    }
    const std::string name = a.substr(2);
    if (name == "client") {
      out->client = true;
      continue;
    }
    if (i + 1 >= args.size()) {
      *error = "option '" + a + "' needs a value";
      return false;
    }
    const std::string& v = args[++i];
    if (name == "host") {
      out->hosts.push_back(v);
    } else if (name == "ip") {
      out->ips.push_back(v);
    } else if (!out->values.emplace(name, v).second) {
      *error = "option '" + a + "' given twice";
      return false;
    }
  }
  return true;
}

bool ParseInt(const std::string& text, int* out) {
  if (text.empty() || text.size() > 9) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  *out = std::stoi(text);
  return true;
}

std::string Date(int64_t unix_seconds) {
  time_t t = static_cast<time_t>(unix_seconds);
  struct tm tm = {};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

int Init(const Options& o) {
  trust::InitOptions init;
  if (o.Has("name")) init.region_name = o.Get("name");
  if (o.Has("key") && !trust::ParseKeyType(o.Get("key"), &init.key_type)) {
    return Usage("--key must be ec or rsa");
  }
  if (o.Has("days") && !ParseInt(o.Get("days"), &init.validity_days)) {
    return Usage("--days must be a number of days");
  }
  init.crl_url = o.Get("crl-url");
  auto ca = trust::CertificateAuthority::Init(o.Get("dir"), init);
  if (!ca.ok()) return Fail("init", ca.status());
  std::printf("regional CA '%s' created in %s\ncertificate: %s\nCRL: %s\n",
              ca->region_name().c_str(), ca->dir().c_str(), ca->cert_path().c_str(),
              ca->crl_path().c_str());
  if (!ca->crl_url().empty()) std::printf("CRL distribution point: %s\n", ca->crl_url().c_str());
  return 0;
}

int Issue(const Options& o) {
  if (!o.Has("facility")) return Usage("issue needs --facility OID");
  if (!o.Has("out")) return Usage("issue needs --out PREFIX");
  if (o.Has("p12-password") && o.Has("p12-password-file")) {
    return Usage("give --p12-password or --p12-password-file, not both");
  }
  trust::IssueRequest request;
  request.facility_oid = o.Get("facility");
  request.facility_name = o.Get("name");
  request.hosts = o.hosts;
  request.ips = o.ips;
  if (o.client) request.usage = trust::CertificateUsage::kClient;
  if (o.Has("key") && !trust::ParseKeyType(o.Get("key"), &request.key_type)) {
    return Usage("--key must be ec or rsa");
  }
  if (o.Has("days") && !ParseInt(o.Get("days"), &request.validity_days)) {
    return Usage("--days must be a number of days");
  }
  std::string password = o.Get("p12-password");
  if (o.Has("p12-password-file")) {
    std::ifstream in(o.Get("p12-password-file"), std::ios::binary);
    if (!in) {
      return Fail("issue", Status::NotFound("file", "cannot read " + o.Get("p12-password-file")));
    }
    std::getline(in, password);
  }
  if ((o.Has("p12-password") || o.Has("p12-password-file")) && password.empty()) {
    return Usage("the PKCS#12 password is empty");
  }

  const std::string prefix = o.Get("out");
  const std::string key_path = prefix + ".key.pem";
  const std::string cert_path = prefix + ".cert.pem";
  const std::string p12_path = prefix + ".p12";
  for (const std::string& p : {key_path, cert_path, p12_path}) {
    if (std::filesystem::exists(p)) {
      return Fail("issue", Status::Conflict("file_exists", p + " already exists"));
    }
  }
  auto ca = trust::CertificateAuthority::Open(o.Get("dir"));
  if (!ca.ok()) return Fail("issue", ca.status());
  auto issued = ca->Issue(request);
  if (!issued.ok()) return Fail("issue", issued.status());
  Status st = trust::SaveCredentials(issued.value(), prefix);
  if (st.ok() && !password.empty()) {
    const std::string name =
        request.facility_name.empty() ? request.facility_oid : request.facility_name;
    auto p12 = ca->Pkcs12(issued->key_pem, issued->cert_pem, password, name);
    st = p12.ok() ? trust::WriteNewFile(p12_path, p12.value(), 0600) : p12.status();
  }
  if (!st.ok()) {
    std::fprintf(stderr, "renkei ca issue: certificate %s was issued, but: %s\n",
                 issued->serial_hex.c_str(), st.message().c_str());
    return 1;
  }
  std::printf("%s\n", issued->serial_hex.c_str());
  std::fprintf(stderr, "issued %s for %s until %s: %s, %s%s\n", issued->serial_hex.c_str(),
               request.facility_oid.c_str(), Date(issued->not_after).c_str(), key_path.c_str(),
               cert_path.c_str(), password.empty() ? "" : (", " + p12_path).c_str());
  return 0;
}

int Revoke(const Options& o) {
  if (!o.Has("serial")) return Usage("revoke needs --serial HEX");
  trust::RevocationReason reason = trust::RevocationReason::kUnspecified;
  if (o.Has("reason") && !trust::ParseRevocationReason(o.Get("reason"), &reason)) {
    return Usage("unknown --reason '" + o.Get("reason") + "'");
  }
  int hours = 24 * 7;
  if (o.Has("hours") && (!ParseInt(o.Get("hours"), &hours) || hours < 1)) {
    return Usage("--hours must be a positive number");
  }
  auto ca = trust::CertificateAuthority::Open(o.Get("dir"));
  if (!ca.ok()) return Fail("revoke", ca.status());
  Status st = ca->Revoke(o.Get("serial"), reason);
  if (!st.ok()) return Fail("revoke", st);
  auto crl = ca->Crl(hours);
  if (!crl.ok()) return Fail("revoke", crl.status());
  std::printf("revoked %s (%s); CRL published in %s\n", o.Get("serial").c_str(),
              trust::RevocationReasonName(reason), ca->crl_path().c_str());
  return 0;
}

int Crl(const Options& o) {
  int hours = 24 * 7;
  if (o.Has("hours") && (!ParseInt(o.Get("hours"), &hours) || hours < 1)) {
    return Usage("--hours must be a positive number");
  }
  auto ca = trust::CertificateAuthority::Open(o.Get("dir"));
  if (!ca.ok()) return Fail("crl", ca.status());
  auto crl = ca->Crl(hours);
  if (!crl.ok()) return Fail("crl", crl.status());
  if (!o.Has("out")) {
    std::fputs(crl->c_str(), stdout);
    return 0;
  }
  const std::string out = o.Get("out");
  const std::string tmp = out + ".tmp." + std::to_string(::getpid());
  ::unlink(tmp.c_str());
  Status st = trust::WriteNewFile(tmp, crl.value(), 0644);
  if (st.ok() && ::rename(tmp.c_str(), out.c_str()) != 0) {
    st = Status::Internal("file", "cannot write " + out + ": " + std::strerror(errno));
    ::unlink(tmp.c_str());
  }
  if (!st.ok()) return Fail("crl", st);
  std::printf("CRL written to %s and %s\n", ca->crl_path().c_str(), out.c_str());
  return 0;
}

int List(const Options& o) {
  auto ca = trust::CertificateAuthority::Open(o.Get("dir"));
  if (!ca.ok()) return Fail("list", ca.status());
  auto rows = ca->List();
  if (!rows.ok()) return Fail("list", rows.status());
  const int64_t now = static_cast<int64_t>(std::time(nullptr));
  std::printf("%-32s  %-28s  %-20s  %s  %s\n", "SERIAL", "FACILITY", "NOT_AFTER", "STATUS", "CN");
  for (const trust::CertificateRecord& r : rows.value()) {
    std::string status;
    switch (r.StatusAt(now)) {
      case trust::CertificateStatus::kValid:
        status = "valid";
        break;
      case trust::CertificateStatus::kExpired:
        status = "expired";
        break;
      case trust::CertificateStatus::kRevoked:
        status = std::string("revoked(") + trust::RevocationReasonName(r.reason) + ")";
        break;
    }
    std::printf("%-32s  %-28s  %-20s  %s  %s\n", r.serial_hex.c_str(), r.facility_oid.c_str(),
                Date(r.not_after).c_str(), status.c_str(), r.common_name.c_str());
  }
  return 0;
}

int TicketKey(const Options& o) {
  if (!o.Has("out") || o.Get("out").empty()) return Usage("ticket-key needs --out FILE");
  auto pem = trust::GenerateTicketKeyPem();
  if (!pem.ok()) return Fail("ticket-key", pem.status());
  auto signer = trust::TicketSigner::Create(pem.value());
  if (!signer.ok()) return Fail("ticket-key", signer.status());
  Status st = trust::WriteNewFile(o.Get("out"), pem.value(), 0600);
  if (!st.ok()) return Fail("ticket-key", st);
  std::printf("%s\n", signer->kid().c_str());
  return 0;
}

}  // namespace

int RunCa(const std::vector<std::string>& args) {
  if (args.empty()) return Usage("a command is required");
  const std::string& cmd = args[0];
  if (cmd == "--help" || cmd == "help") {
    std::fputs(kUsage, stdout);
    return 0;
  }
  static const std::map<std::string, std::set<std::string>> kAllowed = {
      {"init", {"dir", "name", "key", "days", "crl-url"}},
      {"issue",
       {"dir", "facility", "name", "host", "ip", "client", "key", "days", "out", "p12-password",
        "p12-password-file"}},
      {"revoke", {"dir", "serial", "reason", "hours"}},
      {"crl", {"dir", "out", "hours"}},
      {"list", {"dir"}},
      {"ticket-key", {"out"}},
  };
  auto allowed = kAllowed.find(cmd);
  if (allowed == kAllowed.end()) return Usage("unknown command '" + cmd + "'");
  Options o;
  std::string error;
  if (!ParseOptions(args, allowed->second, &o, &error)) return Usage(error);
  if (cmd == "ticket-key") return TicketKey(o);
  if (!o.Has("dir") || o.Get("dir").empty()) return Usage(cmd + " needs --dir D");
  if (cmd == "init") return Init(o);
  if (cmd == "issue") return Issue(o);
  if (cmd == "revoke") return Revoke(o);
  if (cmd == "crl") return Crl(o);
  return List(o);
}

}  // namespace renkei::apps
