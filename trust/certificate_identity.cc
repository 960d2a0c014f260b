// ITI-19 Authenticate Node: the identity in a regional certificate
// (trust/certificate_identity.h).
#include "trust/certificate_identity.h"

#include <strings.h>

#include "common/tls.h"
#include "trust/certificate_authority.h"
#include "trust/internal/base64url.h"
#include "trust/internal/openssl_handles.h"

namespace renkei::trust {
namespace {

std::string NameEntry(X509_NAME* name, int nid) {
  int i = X509_NAME_get_index_by_NID(name, nid, -1);
  if (i < 0) return std::string();
  ASN1_STRING* data = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(name, i));
  unsigned char* utf8 = nullptr;
  int n = ASN1_STRING_to_UTF8(&utf8, data);
  if (n < 0) {
    internal::ClearOpensslErrors();
    return std::string();
  }
  std::string out(reinterpret_cast<char*>(utf8), static_cast<size_t>(n));
  OPENSSL_free(utf8);
  return out;
}

std::string Ia5(const ASN1_IA5STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<size_t>(ASN1_STRING_length(s)));
}

}  // namespace

Result<CertificateIdentity> IdentityOf(X509* cert) {
  CertificateIdentity id;
  auto* names =
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  internal::GeneralNamesPtr owned(names);
  constexpr char kPrefix[] = "urn:oid:";
  constexpr size_t kPrefixLen = sizeof kPrefix - 1;
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names, i);
    if (gn->type == GEN_URI) {
      std::string uri = Ia5(gn->d.uniformResourceIdentifier);
      if (uri.size() <= kPrefixLen || strncasecmp(uri.c_str(), kPrefix, kPrefixLen) != 0) {
        continue;
      }
      std::string oid = uri.substr(kPrefixLen);
      if (!IsValidOid(oid)) continue;
      if (!id.facility_oid.empty() && id.facility_oid != oid) {
        return Status::InvalidArgument("ambiguous_facility_oid",
                                       "the certificate names two facilities");
      }
      id.facility_oid = oid;
    } else if (gn->type == GEN_DNS) {
      id.dns_names.push_back(Ia5(gn->d.dNSName));
    }
  }
  if (id.facility_oid.empty()) {
    return Status::InvalidArgument("no_facility_oid",
                                   "the certificate names no facility (SAN URI urn:oid:)");
  }
  X509_NAME* subject = X509_get_subject_name(cert);
  id.common_name = NameEntry(subject, NID_commonName);
  id.organization = NameEntry(subject, NID_organizationName);
  id.serial_hex = internal::SerialHex(X509_get0_serialNumber(cert));
  id.not_before = internal::UnixTimeOf(X509_get0_notBefore(cert));
  id.not_after = internal::UnixTimeOf(X509_get0_notAfter(cert));
  id.sha256 = CertificateThumbprint(cert);  // common/tls.h, as Peer::certificate_sha256
  if (id.sha256.empty()) return internal::OpensslError("openssl", "encode certificate");
  return id;
}

Result<CertificateIdentity> IdentityOfPem(const std::string& cert_pem) {
  auto cert = internal::CertificateFromPem(cert_pem, "bad_certificate");
  if (!cert.ok()) return cert.status();
  return IdentityOf(cert->get());
}

}  // namespace renkei::trust
