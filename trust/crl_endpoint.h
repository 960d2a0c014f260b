// PKI publication at the centre (architecture §5 "Revocation through a CRL the centre
// publishes"): the regional CA's current CRL and its certificate over HTTP(S), where the
// cRLDistributionPoints of the certificates point (RFC 5280 §4.2.1.13, `renkei ca init
// --crl-url`). Media types and encodings of RFC 2585 §3–4: DER.
//
//   GET /pki/crl   the CA's current CRL, DER, Content-Type application/pkix-crl
//   GET /pki/ca    the CA certificate,   DER, Content-Type application/pkix-cert
//
// Each answer carries an ETag (a SHA-256 prefix of the DER); a request whose If-None-Match
// names it is answered 304 without a body. Cache-Control: no-cache (a client may keep a copy
// but revalidates it, so a new CRL is seen at once).
//
// The files are the ones the centre's TLS listener uses (tls.crl, tls.ca), in PEM (as
// `renkei ca` writes them) or DER. Each is re-read when it changes (inode, size or mtime),
// so `renkei ca revoke` / `renkei ca crl` is published without a restart. A file that is
// missing or does not parse, where it had parsed before, leaves the last good copy served
// (logged); with no good copy ever, the answer is 503 text/plain.
//
// No check of the requester is made here: on the centre every listener already requires a
// client certificate chained to the regional CA, so any participating facility may fetch.
//
// Thread-safety: the handlers may be called concurrently (a mutex guards each file's copy).
#ifndef RENKEI_TRUST_CRL_ENDPOINT_H_
#define RENKEI_TRUST_CRL_ENDPOINT_H_

#include <memory>
#include <string>

#include "common/http_server.h"
#include "common/status.h"

namespace renkei::trust {

inline constexpr char kCrlPath[] = "/pki/crl";
inline constexpr char kCaCertPath[] = "/pki/ca";
inline constexpr char kCrlMediaType[] = "application/pkix-crl";    // RFC 2585 §4.2
inline constexpr char kCertMediaType[] = "application/pkix-cert";  // RFC 2585 §4.1

// A CRL or certificate file published as DER, re-read when it changes.
class PublishedFile {
 public:
  enum class Kind { kCrl, kCertificate };

  PublishedFile(std::string path, Kind kind);
  ~PublishedFile();
  PublishedFile(const PublishedFile&) = delete;
  PublishedFile& operator=(const PublishedFile&) = delete;

  // The DER bytes of the file as it is now (read again only when it changed since the last
  // call). When it is missing or does not parse as `kind` (PEM or DER): the last good DER,
  // or NotFound (missing) / InvalidArgument "bad_pki_file" (unparseable) when there is none.
  Result<std::string> Der();

  const std::string& path() const { return path_; }

 private:
  struct Cache;
  std::string path_;
  Kind kind_;
  std::unique_ptr<Cache> cache_;
};

// The GET handler of one published file (content type per kind). An empty `path` answers 503.
HttpHandler MakePublishedFileHandler(std::string path, PublishedFile::Kind kind);

struct PkiPublicationOptions {
  std::string crl_file;      // the CA's current CRL (the centre's tls.crl); "" = no /pki/crl
  std::string ca_cert_file;  // the CA certificate (the centre's tls.ca); "" = no /pki/ca
};

// GET kCrlPath and GET kCaCertPath on `router`, each only when its file is named.
void AddPkiRoutes(HttpRouter& router, const PkiPublicationOptions& options);

}  // namespace renkei::trust

#endif  // RENKEI_TRUST_CRL_ENDPOINT_H_
