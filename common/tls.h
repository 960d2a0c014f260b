// ITI-19 Authenticate Node: TLS contexts for every listener and outgoing call (architecture
// §5): TLS 1.2 or 1.3 only, the BCP 195 (RFC 9325 §4.2) cipher suites, client certificates
// *required* and verified against the regional CA and its CRL, the facility read from the
// verified certificate.
//
// Thread-safety: a TlsContext is shared by every connection of a listener or client;
// ReloadCrl may run while handshakes use it (OpenSSL locks its X509_STORE).
#ifndef RENKEI_COMMON_TLS_H_
#define RENKEI_COMMON_TLS_H_

#include <functional>
#include <memory>
#include <string>

#include "common/peer.h"
#include "common/status.h"

typedef struct x509_st X509;

namespace Poco::Net {
class Context;
class StreamSocket;
}  // namespace Poco::Net

namespace renkei {

// PEM files of one party: its certificate and key, the regional CA, the CA's CRL (optional
// for a client; a listener without one cannot check revocation and refuses to start).
struct TlsFiles {
  std::string cert;
  std::string key;
  std::string ca;
  std::string crl;
};

// The TLS 1.2 cipher list of BCP 195 (RFC 9325 §4.2: ECDHE with AES-GCM or ChaCha20-Poly1305);
// TLS 1.3 keeps OpenSSL's default suites, all of which RFC 9325 allows.
extern const char kBcp195Ciphers[];

class TlsContext {
 public:
  // A listener's context: presents `files.cert`, requires a client certificate chained to
  // `files.ca` and not revoked by `files.crl`. InvalidArgument naming the file when one is
  // missing, unreadable or does not match (key vs certificate).
  static Result<std::shared_ptr<TlsContext>> Server(const TlsFiles& files);
  // A client's context: presents `files.cert`, verifies the server against `files.ca`
  // (and the host name in its subjectAltName); checks `files.crl` when given.
  static Result<std::shared_ptr<TlsContext>> Client(const TlsFiles& files);
  ~TlsContext();

  // Re-reads the CRL file when it changed since the last load (a revocation takes effect for
  // new handshakes without a restart). OK when unchanged or reloaded.
  Status ReloadCrl();

  // Server side: completes the TLS handshake on an accepted socket of a listener using this
  // context and reads the peer. PermissionDenied with the reason (no certificate, unknown
  // CA, expired, revoked — also by a CRL reloaded after start —, no facility OID, ...) when
  // it fails; the caller closes the connection.
  Result<Peer> Accept(Poco::Net::StreamSocket& socket) const;

  // For a listener whose handshakes another library runs (the node's DICOM over TLS): the
  // files this context was made from, and whether `serial_hex` (Peer::serial) is in the CRL
  // as last loaded (ReloadCrl included).
  const TlsFiles& files() const;
  bool Revoked(const std::string& serial_hex) const;

  // Called for every client this listener context refuses (instead of the process-wide
  // hook below): a role records a security-alert audit event. Thread-safe.
  void SetRefusalHook(std::function<void(const std::string& address, const std::string& reason)>
                          hook);

  Poco::Net::Context* context() const;  // owned by this object
  bool server() const { return server_; }

  struct Impl;

 private:
  TlsContext(std::unique_ptr<Impl> impl, bool server);
  static Result<std::shared_ptr<TlsContext>> Create(const TlsFiles& files, bool server);
  std::unique_ptr<Impl> impl_;
  bool server_;
};

// The identity a verified certificate carries: the facility OID from its subjectAltName URI
// `urn:oid:<oid>` (InvalidArgument when it has none), its commonName, serial (hex) and the
// base64url SHA-256 of its DER (x5t#S256).
Result<Peer> PeerOfCertificate(const X509* certificate);
// The same of the first certificate of a PEM file. InvalidArgument when unreadable.
Result<Peer> PeerOfCertificateFile(const std::string& pem_path);

// The x5t#S256 thumbprint of a certificate (RFC 8705 §3.1: base64url, without padding, of
// the SHA-256 of its DER), as Peer::certificate_sha256 and an access ticket's cnf carry it.
// Empty when it cannot be computed.
std::string CertificateThumbprint(const X509* certificate);
// The same of the first certificate in PEM text. InvalidArgument (detail "invalid") when
// `pem` holds no X.509 certificate.
Result<std::string> CertificateThumbprintOfPem(const std::string& pem);

// Called for every refused TLS client (handshake failed, certificate refused): a role
// records a security-alert audit event here. `address` is the remote "ip:port".
using TlsRefusalHook =
    std::function<void(const std::string& address, const std::string& reason)>;
void SetTlsRefusalHook(TlsRefusalHook hook);
void ReportTlsRefusal(const std::string& address, const std::string& reason);

// The context outgoing HTTPS calls of this process use (HttpClient for https:// URLs).
// Set once at role start; null = https:// URLs are refused.
void SetClientTls(std::shared_ptr<TlsContext> context);
std::shared_ptr<TlsContext> ClientTls();

}  // namespace renkei

#endif  // RENKEI_COMMON_TLS_H_
