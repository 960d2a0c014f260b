// ITI-19 Authenticate Node: TLS contexts (Poco NetSSL over OpenSSL), peer identity, CRL.
#include "common/tls.h"

#include <Poco/Delegate.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/NetSSL.h>
#include <Poco/Net/SSLException.h>
#include <Poco/Net/SSLManager.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/VerificationErrorArgs.h>
#include <Poco/Net/X509Certificate.h>
#include <openssl/bn.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <mutex>
#include <set>

#include "common/base64.h"
#include "common/log.h"

namespace renkei {

const char kBcp195Ciphers[] =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

namespace {

// The last certificate-verification error of this thread's handshake (OpenSSL calls the
// verify callback on the thread doing the handshake).
thread_local std::string t_verify_error;

void OnVerificationError(const void*, Poco::Net::VerificationErrorArgs& args) {
  t_verify_error = args.errorMessage() + " (certificate '" +
                   args.certificate().commonName() + "', depth " +
                   std::to_string(args.errorDepth()) + ")";
}

void InitializeOnce() {
  static std::once_flag once;
  std::call_once(once, [] {
    Poco::Net::initializeSSL();
    // Poco names the event of a server verifying its client "ServerVerificationError";
    // both are recorded (per thread: the handshake's).
    Poco::Net::SSLManager::instance().ServerVerificationError +=
        Poco::delegate(&OnVerificationError);
    Poco::Net::SSLManager::instance().ClientVerificationError +=
        Poco::delegate(&OnVerificationError);
  });
}

std::mutex g_hooks_mutex;
TlsRefusalHook g_refusal_hook;
std::shared_ptr<TlsContext> g_client_tls;

struct X509CrlFree {
  void operator()(X509_CRL* c) const { X509_CRL_free(c); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};

std::string Hex(const ASN1_INTEGER* serial) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(serial, nullptr);
  if (bn == nullptr) return "";
  char* hex = BN_bn2hex(bn);
  std::string out = hex != nullptr ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  return out;
}

std::string Base64Url(const unsigned char* bytes, size_t n) {
  std::string b64;
  AppendBase64(&b64, std::string_view(reinterpret_cast<const char*>(bytes), n));
  std::string out;
  for (char c : b64) {
    if (c == '+') out.push_back('-');
    else if (c == '/') out.push_back('_');
    else if (c != '=' && c != '\n' && c != '\r') out.push_back(c);
  }
  return out;
}

Status CheckReadable(const std::string& key, const std::string& path) {
  if (path.empty()) return Status::InvalidArgument("config", "config key '" + key + "' is empty", key);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return Status::InvalidArgument("config", "config key '" + key + "': cannot read '" + path + "'",
                                   key);
  }
  return Status::Ok();
}

}  // namespace

struct TlsContext::Impl {
  Poco::Net::Context::Ptr context;
  TlsFiles files;
  mutable std::mutex crl_mutex;
  struct timespec crl_mtime {};
  off_t crl_size = -1;
  std::set<std::string> revoked;  // serials (hex) of the CRL last loaded
  mutable std::mutex hook_mutex;
  TlsRefusalHook refusal_hook;  // null: the process-wide hook

  // Loads the CRL file: verified with the CA's key, added to the handshake's store (the
  // first one) and kept as the set of revoked serials.
  Status LoadCrl(bool add_to_store) {
    std::unique_ptr<BIO, BioFree> bio(BIO_new_file(files.crl.c_str(), "r"));
    if (!bio) return Status::InvalidArgument("config", "cannot read CRL '" + files.crl + "'", "tls.crl");
    std::unique_ptr<X509_CRL, X509CrlFree> crl(
        PEM_read_bio_X509_CRL(bio.get(), nullptr, nullptr, nullptr));
    if (!crl) return Status::InvalidArgument("config", "'" + files.crl + "' is no PEM CRL", "tls.crl");
    // The CRL must be signed by the regional CA.
    std::unique_ptr<BIO, BioFree> cabio(BIO_new_file(files.ca.c_str(), "r"));
    X509* ca = cabio ? PEM_read_bio_X509(cabio.get(), nullptr, nullptr, nullptr) : nullptr;
    const bool signed_by_ca =
        ca != nullptr && X509_CRL_verify(crl.get(), X509_get0_pubkey(ca)) == 1;
    X509_free(ca);
    if (!signed_by_ca) {
      return Status::InvalidArgument("config", "CRL '" + files.crl + "' is not signed by the CA '" +
                                                   files.ca + "'", "tls.crl");
    }
    std::set<std::string> serials;
    STACK_OF(X509_REVOKED)* list = X509_CRL_get_REVOKED(crl.get());
    for (int i = 0; list != nullptr && i < sk_X509_REVOKED_num(list); ++i) {
      serials.insert(Hex(X509_REVOKED_get0_serialNumber(sk_X509_REVOKED_value(list, i))));
    }
    if (add_to_store) {
      X509_STORE* store = SSL_CTX_get_cert_store(context->sslContext());
      X509_STORE_add_crl(store, crl.get());
      X509_STORE_set_flags(store, X509_V_FLAG_CRL_CHECK);
    }
    struct stat st;
    if (::stat(files.crl.c_str(), &st) == 0) {
      crl_mtime = st.st_mtim;
      crl_size = st.st_size;
    }
    revoked = std::move(serials);
    return Status::Ok();
  }
};

TlsContext::TlsContext(std::unique_ptr<Impl> impl, bool server)
    : impl_(std::move(impl)), server_(server) {}
TlsContext::~TlsContext() = default;

Result<std::shared_ptr<TlsContext>> TlsContext::Server(const TlsFiles& files) {
  RENKEI_RETURN_IF_ERROR(CheckReadable("tls.crl", files.crl));
  return Create(files, true);
}

Result<std::shared_ptr<TlsContext>> TlsContext::Client(const TlsFiles& files) {
  return Create(files, false);
}

Result<std::shared_ptr<TlsContext>> TlsContext::Create(const TlsFiles& files, bool server) {
  InitializeOnce();
  auto impl = std::make_unique<Impl>();
  impl->files = files;
  RENKEI_RETURN_IF_ERROR(CheckReadable("tls.cert", files.cert));
  RENKEI_RETURN_IF_ERROR(CheckReadable("tls.key", files.key));
  RENKEI_RETURN_IF_ERROR(CheckReadable("tls.ca", files.ca));
  try {
    Poco::Net::Context::Params p;
    p.privateKeyFile = files.key;
    p.certificateFile = files.cert;
    p.caLocation = files.ca;
    p.verificationMode =
        server ? Poco::Net::Context::VERIFY_STRICT : Poco::Net::Context::VERIFY_RELAXED;
    p.verificationDepth = 4;
    p.loadDefaultCAs = false;
    p.cipherList = kBcp195Ciphers;
    impl->context = new Poco::Net::Context(
        server ? Poco::Net::Context::TLS_SERVER_USE : Poco::Net::Context::TLS_CLIENT_USE, p);
    impl->context->requireMinimumProtocol(Poco::Net::Context::PROTO_TLSV1_2);
    // A server checks the client's chain and CRL, not a host name; a client checks the
    // server's host name against the certificate's subjectAltName.
    impl->context->enableExtendedCertificateVerification(!server);
    SSL_CTX* ssl = impl->context->sslContext();
    SSL_CTX_set_options(ssl, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION |
                                 SSL_OP_CIPHER_SERVER_PREFERENCE);
    if (SSL_CTX_check_private_key(ssl) != 1) {
      return Status::InvalidArgument("config", "config key 'tls.key': '" + files.key +
                                                   "' is not the key of '" + files.cert + "'",
                                     "tls.key");
    }
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("config", "TLS certificate/key/CA '" + files.cert + "', '" +
                                                 files.key + "', '" + files.ca +
                                                 "' not usable: " + e.displayText(),
                                   "tls.cert");
  }
  if (!files.crl.empty()) RENKEI_RETURN_IF_ERROR(impl->LoadCrl(/*add_to_store=*/true));
  return std::shared_ptr<TlsContext>(new TlsContext(std::move(impl), server));
}

Status TlsContext::ReloadCrl() {
  if (impl_->files.crl.empty()) return Status::Ok();
  struct stat st;
  if (::stat(impl_->files.crl.c_str(), &st) != 0) {
    return Status::Unavailable("tls", "cannot stat CRL '" + impl_->files.crl + "'");
  }
  std::lock_guard<std::mutex> lock(impl_->crl_mutex);
  if (st.st_mtim.tv_sec == impl_->crl_mtime.tv_sec &&
      st.st_mtim.tv_nsec == impl_->crl_mtime.tv_nsec && st.st_size == impl_->crl_size) {
    return Status::Ok();
  }
  Status s = impl_->LoadCrl(/*add_to_store=*/false);
  if (s.ok()) {
    LogInfo("tls: CRL '" + impl_->files.crl + "' reloaded: " +
            std::to_string(impl_->revoked.size()) + " revoked certificate(s)");
  }
  return s;
}

Poco::Net::Context* TlsContext::context() const { return impl_->context.get(); }

void TlsContext::SetRefusalHook(TlsRefusalHook hook) {
  std::lock_guard<std::mutex> lock(impl_->hook_mutex);
  impl_->refusal_hook = std::move(hook);
}

Result<Peer> TlsContext::Accept(Poco::Net::StreamSocket& socket) const {
  std::string address;
  try {
    address = socket.peerAddress().toString();
  } catch (const Poco::Exception&) {
  }
  t_verify_error.clear();
  auto refuse = [&](const std::string& reason) -> Status {
    TlsRefusalHook hook;
    {
      std::lock_guard<std::mutex> lock(impl_->hook_mutex);
      hook = impl_->refusal_hook;
    }
    if (hook) {
      LogWarning("tls: refused " + address + ": " + reason);
      hook(address, reason);
    } else {
      ReportTlsRefusal(address, reason);
    }
    return Status::PermissionDenied("tls", "TLS client " + address + " refused: " + reason);
  };
  Result<Peer> peer = Status::Internal("tls", "no peer");
  try {
    Poco::Net::SecureStreamSocket secure(socket);
    secure.completeHandshake();
    if (!secure.havePeerCertificate()) return refuse("no client certificate");
    Poco::Net::X509Certificate cert = secure.peerCertificate();
    peer = PeerOfCertificate(cert.certificate());
  } catch (const Poco::Exception& e) {
    std::string reason = t_verify_error.empty() ? e.displayText() : t_verify_error;
    if (t_verify_error.empty() && reason.find("certificate") == std::string::npos &&
        e.displayText().find("alert") == std::string::npos) {
      reason = "TLS handshake failed: " + reason;
    }
    return refuse(reason);
  }
  if (!peer.ok()) return refuse(peer.status().message());
  {
    std::lock_guard<std::mutex> lock(impl_->crl_mutex);
    if (impl_->revoked.count(peer->serial) != 0) {
      return refuse("certificate revoked (serial " + peer->serial + ", facility " +
                    peer->facility_oid + ")");
    }
  }
  peer->address = address;
  return peer;
}

const TlsFiles& TlsContext::files() const { return impl_->files; }

bool TlsContext::Revoked(const std::string& serial_hex) const {
  std::lock_guard<std::mutex> lock(impl_->crl_mutex);
  return impl_->revoked.count(serial_hex) != 0;
}

Result<Peer> PeerOfCertificate(const X509* certificate) {
  if (certificate == nullptr) return Status::InvalidArgument("tls", "no certificate");
  Peer peer;
  peer.source = Peer::Source::kCertificate;
  auto* names = static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate, NID_subject_alt_name, nullptr, nullptr));
  for (int i = 0; names != nullptr && i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* n = sk_GENERAL_NAME_value(names, i);
    if (n->type != GEN_URI) continue;
    const ASN1_IA5STRING* uri = n->d.uniformResourceIdentifier;
    std::string text(reinterpret_cast<const char*>(ASN1_STRING_get0_data(uri)),
                     static_cast<size_t>(ASN1_STRING_length(uri)));
    if (text.rfind("urn:oid:", 0) == 0 && text.size() > 8) {
      peer.facility_oid = text.substr(8);
      break;
    }
  }
  GENERAL_NAMES_free(names);
  const X509_NAME* subject = X509_get_subject_name(certificate);
  const int cn = X509_NAME_get_index_by_NID(subject, NID_commonName, -1);
  if (cn >= 0) {
    unsigned char* utf8 = nullptr;
    const int len = ASN1_STRING_to_UTF8(
        &utf8, X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, cn)));
    if (len > 0) peer.common_name.assign(reinterpret_cast<char*>(utf8), static_cast<size_t>(len));
    OPENSSL_free(utf8);
  }
  peer.serial = Hex(X509_get0_serialNumber(certificate));
  peer.certificate_sha256 = CertificateThumbprint(certificate);
  if (peer.facility_oid.empty()) {
    return Status::InvalidArgument("tls", "certificate '" + peer.common_name + "' (serial " +
                                              peer.serial +
                                              ") carries no facility OID (subjectAltName "
                                              "URI urn:oid:...)");
  }
  return peer;
}

std::string CertificateThumbprint(const X509* certificate) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int md_len = 0;
  if (certificate == nullptr || X509_digest(certificate, EVP_sha256(), md, &md_len) != 1) {
    return "";
  }
  return Base64Url(md, md_len);
}

Result<std::string> CertificateThumbprintOfPem(const std::string& pem) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  X509* cert = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (cert == nullptr) return Status::InvalidArgument("invalid", "no PEM X.509 certificate");
  std::string thumbprint = CertificateThumbprint(cert);
  X509_free(cert);
  if (thumbprint.empty()) return Status::Internal("tls", "cannot hash the certificate");
  return thumbprint;
}

Result<Peer> PeerOfCertificateFile(const std::string& pem_path) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new_file(pem_path.c_str(), "r"));
  X509* cert = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  if (cert == nullptr) {
    return Status::InvalidArgument("tls", "cannot read a PEM certificate from '" + pem_path + "'");
  }
  Result<Peer> peer = PeerOfCertificate(cert);
  X509_free(cert);
  return peer;
}

void SetTlsRefusalHook(TlsRefusalHook hook) {
  std::lock_guard<std::mutex> lock(g_hooks_mutex);
  g_refusal_hook = std::move(hook);
}

void ReportTlsRefusal(const std::string& address, const std::string& reason) {
  LogWarning("tls: refused " + address + ": " + reason);
  TlsRefusalHook hook;
  {
    std::lock_guard<std::mutex> lock(g_hooks_mutex);
    hook = g_refusal_hook;
  }
  if (hook) hook(address, reason);
}

void SetClientTls(std::shared_ptr<TlsContext> context) {
  std::lock_guard<std::mutex> lock(g_hooks_mutex);
  g_client_tls = std::move(context);
}

std::shared_ptr<TlsContext> ClientTls() {
  std::lock_guard<std::mutex> lock(g_hooks_mutex);
  return g_client_tls;
}

}  // namespace renkei
