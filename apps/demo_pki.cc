// ITI-19 for `renkei demo`: the region's CA and certificates (see demo_pki.h).
#include "apps/demo_pki.h"

#include <filesystem>

#include "trust/access_ticket.h"
#include "trust/certificate_authority.h"
#include "trust/credential_files.h"

namespace renkei::apps {

std::vector<std::string> DemoPki::TlsSets(const DemoParty& party) const {
  return {"tls.insecure_loopback=false", "tls.cert=" + party.cert, "tls.key=" + party.key,
          "tls.ca=" + ca_cert, "tls.crl=" + crl};
}

Result<std::shared_ptr<TlsContext>> DemoPki::Client(const DemoParty& party) const {
  return TlsContext::Client({party.cert, party.key, ca_cert, crl});
}

Result<DemoPki> MakeDemoPki(const std::string& dir, const DemoRegion& region) {
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  std::filesystem::create_directories(dir, ec);
  if (ec) return Status::Internal("demo", "cannot create " + dir + ": " + ec.message());
  DemoPki pki;
  pki.dir = dir;
  trust::InitOptions init;
  init.region_name = region.name;
  RENKEI_ASSIGN_OR_RETURN(trust::CertificateAuthority ca,
                          trust::CertificateAuthority::Init(dir + "/ca", init));
  pki.ca_cert = dir + "/ca/ca.cert.pem";
  pki.crl = dir + "/ca/ca.crl.pem";
  auto issue = [&](const DemoHospital& who, const std::string& file, bool server,
                   DemoParty* party) -> Result<trust::IssuedCertificate> {
    trust::IssueRequest req;
    req.facility_oid = who.oid;
    // The name part before " (": the Japanese name (a CN has at most 64 characters).
    req.facility_name = who.name.substr(0, who.name.find(" ("));
    if (server) {
      req.hosts = {"localhost"};
      req.ips = {"127.0.0.1"};
    } else {
      req.usage = trust::CertificateUsage::kClient;
    }
    RENKEI_ASSIGN_OR_RETURN(trust::IssuedCertificate issued, ca.Issue(req));
    RENKEI_RETURN_IF_ERROR(trust::SaveCredentials(issued, dir + "/" + file));
    *party = {who.oid, dir + "/" + file + ".cert.pem", dir + "/" + file + ".key.pem"};
    return issued;
  };
  RENKEI_RETURN_IF_ERROR(issue(region.centre, "centre", true, &pki.centre).status());
  for (size_t h = 0; h < region.hospitals.size(); ++h) {
    pki.hospitals.emplace_back();
    RENKEI_RETURN_IF_ERROR(
        issue(region.hospitals[h], "node-" + std::to_string(h + 1), true, &pki.hospitals.back())
            .status());
  }
  RENKEI_ASSIGN_OR_RETURN(trust::IssuedCertificate clinic,
                          issue(region.clinic, "clinic", false, &pki.clinic));
  pki.p12_password = "renkei-demo";
  RENKEI_ASSIGN_OR_RETURN(std::string p12, ca.Pkcs12(clinic.key_pem, clinic.cert_pem,
                                                     pki.p12_password, "Minato Clinic"));
  pki.clinic_p12 = dir + "/clinic.p12";
  RENKEI_RETURN_IF_ERROR(trust::WriteNewFile(pki.clinic_p12, p12, 0600));
  RENKEI_RETURN_IF_ERROR(ca.Crl().status());
  RENKEI_ASSIGN_OR_RETURN(std::string ticket_key, trust::GenerateTicketKeyPem());
  RENKEI_ASSIGN_OR_RETURN(trust::TicketSigner signer, trust::TicketSigner::Create(ticket_key));
  pki.ticket_key = dir + "/ticket.key.pem";
  pki.ticket_jwks = dir + "/tickets.jwks.json";
  RENKEI_RETURN_IF_ERROR(trust::WriteNewFile(pki.ticket_key, ticket_key, 0600));
  RENKEI_RETURN_IF_ERROR(trust::WriteNewFile(pki.ticket_jwks, signer.jwks(), 0644));
  return pki;
}

}  // namespace renkei::apps
