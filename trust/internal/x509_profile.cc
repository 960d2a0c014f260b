// RFC 5280 certificate profile of the regional CA (trust/internal/x509_profile.h).
#include "trust/internal/x509_profile.h"

#include <openssl/rand.h>

#include <cctype>

namespace renkei::trust::internal {

Result<PkeyPtr> GenerateKey(KeyType type) {
  PkeyPtr key(type == KeyType::kEcP256 ? EVP_EC_gen("P-256") : EVP_RSA_gen(3072));
  if (!key) return OpensslError("openssl", "generate key");
  return key;
}

int Utf8Length(const std::string& text) {
  int chars = 0;
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    uint32_t cp;
    size_t n;
    if (c < 0x80) {
      cp = c;
      n = 1;
    } else if ((c & 0xE0) == 0xC0) {
      cp = c & 0x1F;
      n = 2;
    } else if ((c & 0xF0) == 0xE0) {
      cp = c & 0x0F;
      n = 3;
    } else if ((c & 0xF8) == 0xF0) {
      cp = c & 0x07;
      n = 4;
    } else {
      return -1;
    }
    if (i + n > text.size()) return -1;
    for (size_t k = 1; k < n; ++k) {
      const unsigned char cc = static_cast<unsigned char>(text[i + k]);
      if ((cc & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    if (cp < 0x20 || cp == 0x7F) return -1;
    i += n;
    ++chars;
  }
  return chars;
}

Status CheckNameValue(const std::string& value, const std::string& field,
                      const std::string& detail) {
  int n = Utf8Length(value);
  if (n < 1 || n > 64) {
    return Status::InvalidArgument(detail, field + " must be 1 to 64 characters of UTF-8 text",
                                   field);
  }
  return Status::Ok();
}

bool IsValidDnsName(const std::string& host) {
  std::string name = host;
  if (name.rfind("*.", 0) == 0) name = name.substr(2);
  if (name.empty() || name.size() > 253) return false;
  size_t start = 0;
  while (true) {
    size_t dot = name.find('.', start);
    std::string label =
        name.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
    for (char c : label) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-') return false;
    }
    if (dot == std::string::npos) return true;
    start = dot + 1;
  }
}

Result<NamePtr> BuildName(const std::string& organization, const std::string& unit,
                          const std::string& common_name) {
  NamePtr name(X509_NAME_new());
  auto add = [&](int nid, int type, const std::string& v) {
    return X509_NAME_add_entry_by_NID(name.get(), nid, type,
                                      reinterpret_cast<const unsigned char*>(v.data()),
                                      static_cast<int>(v.size()), -1, 0) == 1;
  };
  // countryName is PrintableString (RFC 5280 Appendix A: X520countryName).
  bool ok = name && add(NID_countryName, V_ASN1_PRINTABLESTRING, "JP") &&
            add(NID_organizationName, V_ASN1_UTF8STRING, organization) &&
            (unit.empty() || add(NID_organizationalUnitName, V_ASN1_UTF8STRING, unit)) &&
            add(NID_commonName, V_ASN1_UTF8STRING, common_name);
  if (!ok) return OpensslError("openssl", "build subject name");
  return name;
}

Status AddExtension(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  ExtensionPtr ext(X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return OpensslError("openssl", std::string("add extension ") + OBJ_nid2sn(nid));
  }
  return Status::Ok();
}

Status AddSubjectAltName(X509* cert, const std::string& oid, const std::vector<std::string>& hosts,
                         const std::vector<std::string>& ips) {
  GeneralNamesPtr names(GENERAL_NAMES_new());
  if (!names) return OpensslError("openssl", "subjectAltName");
  auto push = [&](int type, ASN1_STRING* value) {
    GENERAL_NAME* gn = GENERAL_NAME_new();
    if (gn == nullptr) {
      ASN1_STRING_free(value);
      return false;
    }
    GENERAL_NAME_set0_value(gn, type, value);
    if (sk_GENERAL_NAME_push(names.get(), gn) == 0) {
      GENERAL_NAME_free(gn);
      return false;
    }
    return true;
  };
  auto ia5 = [](const std::string& s) {
    ASN1_IA5STRING* v = ASN1_IA5STRING_new();
    if (v != nullptr && ASN1_STRING_set(v, s.data(), static_cast<int>(s.size())) != 1) {
      ASN1_IA5STRING_free(v);
      return static_cast<ASN1_IA5STRING*>(nullptr);
    }
    return v;
  };
  ASN1_IA5STRING* uri = ia5("urn:oid:" + oid);
  if (uri == nullptr || !push(GEN_URI, uri)) return OpensslError("openssl", "SAN URI");
  for (const std::string& h : hosts) {
    ASN1_IA5STRING* dns = ia5(h);
    if (dns == nullptr || !push(GEN_DNS, dns)) return OpensslError("openssl", "SAN DNS");
  }
  for (const std::string& ip : ips) {
    ASN1_OCTET_STRING* addr = a2i_IPADDRESS(ip.c_str());
    if (addr == nullptr) {
      ClearOpensslErrors();
      return Status::InvalidArgument("bad_ip", "not an IPv4 or IPv6 address: " + ip, "ips");
    }
    if (!push(GEN_IPADD, addr)) return OpensslError("openssl", "SAN IP");
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1) {
    return OpensslError("openssl", "add subjectAltName");
  }
  return Status::Ok();
}

Result<Asn1IntegerPtr> RandomSerial() {
  unsigned char bytes[16];
  if (RAND_bytes(bytes, sizeof bytes) != 1) return OpensslError("openssl", "random serial");
  bytes[0] &= 0x7F;  // positive, and DER needs no leading zero byte
  bytes[0] |= 0x40;  // always 16 bytes long (never zero)
  BnPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  Asn1IntegerPtr serial(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!serial) return OpensslError("openssl", "random serial");
  return serial;
}

const EVP_MD* SignatureDigest() { return EVP_sha256(); }

Result<CrlPtr> SignCrl(X509* ca, EVP_PKEY* key, int64_t number,
                       const std::vector<CertificateRecord>& revoked, int64_t now,
                       int next_update_hours) {
  CrlPtr crl(X509_CRL_new());
  if (!crl) return OpensslError("openssl", "new CRL");
  Asn1TimePtr this_update(ASN1_TIME_set(nullptr, static_cast<time_t>(now)));
  Asn1TimePtr next_update(
      ASN1_TIME_set(nullptr, static_cast<time_t>(now + int64_t{next_update_hours} * 3600)));
  if (X509_CRL_set_version(crl.get(), 1) != 1 ||  // v2
      X509_CRL_set_issuer_name(crl.get(), X509_get_subject_name(ca)) != 1 || !this_update ||
      !next_update || X509_CRL_set1_lastUpdate(crl.get(), this_update.get()) != 1 ||
      X509_CRL_set1_nextUpdate(crl.get(), next_update.get()) != 1) {
    return OpensslError("openssl", "CRL fields");
  }
  for (const CertificateRecord& r : revoked) {
    RevokedPtr entry(X509_REVOKED_new());
    BnPtr bn;
    BIGNUM* raw = nullptr;
    if (BN_hex2bn(&raw, r.serial_hex.c_str()) == 0) {
      return Status::Internal("ca_index", "bad serial in index: " + r.serial_hex);
    }
    bn.reset(raw);
    Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
    Asn1TimePtr when(ASN1_TIME_set(nullptr, static_cast<time_t>(r.revoked_at)));
    if (!entry || !serial || !when ||
        X509_REVOKED_set_serialNumber(entry.get(), serial.get()) != 1 ||
        X509_REVOKED_set_revocationDate(entry.get(), when.get()) != 1) {
      return OpensslError("openssl", "CRL entry");
    }
    // RFC 5280 §5.3.1: the reason code unspecified SHOULD be absent.
    if (r.reason != RevocationReason::kUnspecified) {
      Asn1EnumPtr code(ASN1_ENUMERATED_new());
      if (!code || ASN1_ENUMERATED_set(code.get(), static_cast<long>(r.reason)) != 1 ||
          X509_REVOKED_add1_ext_i2d(entry.get(), NID_crl_reason, code.get(), 0, 0) != 1) {
        return OpensslError("openssl", "CRL entry reason");
      }
    }
    if (X509_CRL_add0_revoked(crl.get(), entry.get()) != 1) {
      return OpensslError("openssl", "CRL entry");
    }
    entry.release();  // owned by the CRL now
  }
  X509_CRL_sort(crl.get());
  Asn1IntegerPtr crl_number(ASN1_INTEGER_new());
  if (!crl_number || ASN1_INTEGER_set_int64(crl_number.get(), number) != 1 ||
      X509_CRL_add1_ext_i2d(crl.get(), NID_crl_number, crl_number.get(), 0, 0) != 1) {
    return OpensslError("openssl", "CRL number");
  }
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, ca, nullptr, nullptr, crl.get(), 0);
  ExtensionPtr aki(
      X509V3_EXT_nconf_nid(nullptr, &ctx, NID_authority_key_identifier, "keyid:always"));
  if (!aki || X509_CRL_add_ext(crl.get(), aki.get(), -1) != 1) {
    return OpensslError("openssl", "CRL authority key identifier");
  }
  if (X509_CRL_sign(crl.get(), key, SignatureDigest()) <= 0) {
    return OpensslError("openssl", "sign CRL");
  }
  return crl;
}

}  // namespace renkei::trust::internal
