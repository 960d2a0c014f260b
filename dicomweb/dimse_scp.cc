// C-STORE / C-ECHO SCP with DCMTK's DcmSCP over a socket this class binds.
#include "dicomweb/dimse_scp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmnet/dimse.h>
#include <dcmtk/dcmnet/dul.h>
#include <dcmtk/dcmnet/scp.h>
#include <dcmtk/dcmtls/tlslayer.h>
#include <dcmtk/oflog/oflog.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>

#include "common/log.h"
#include "dicomweb/dicom_reader.h"

namespace renkei::dicomweb {
namespace {

// DCMTK 3.6.7 binds its listening socket to every interface and has no bind-address option;
// instead this class accepts connections on its own socket and hands each one to DCMTK
// through dcmExternalSocketHandle (DCMTK's inetd mode: the network is initialised without
// a listening socket and the association is received on the given connection). The global
// is process-wide, so associations are served one at a time in the process.
std::mutex& HandOverMutex() {
  static std::mutex mu;
  return mu;
}

// In order of preference: a compressed syntax the SCU proposes is taken first, so that an
// instance is stored as the modality made it (no conversion on either side); then the
// uncompressed ones, explicit VR little endian first.
OFList<OFString> TransferSyntaxes() {
  OFList<OFString> ts;
  for (const char* uid :
       {UID_JPEGProcess1TransferSyntax, UID_JPEGProcess2_4TransferSyntax,
        UID_JPEGProcess14SV1TransferSyntax, UID_JPEGProcess14TransferSyntax,
        UID_JPEGLSLosslessTransferSyntax, UID_JPEGLSLossyTransferSyntax,
        UID_JPEG2000LosslessOnlyTransferSyntax, UID_JPEG2000TransferSyntax,
        UID_RLELosslessTransferSyntax, UID_MPEG2MainProfileAtMainLevelTransferSyntax,
        UID_MPEG4HighProfileLevel4_1TransferSyntax, UID_LittleEndianExplicitTransferSyntax,
        UID_LittleEndianImplicitTransferSyntax, UID_BigEndianExplicitTransferSyntax,
        UID_DeflatedExplicitVRLittleEndianTransferSyntax}) {
    ts.push_back(uid);
  }
  return ts;
}

class StoreScp : public DcmSCP {
 public:
  explicit StoreScp(DicomStore& store) : store_(store) {}

 protected:
  OFCondition handleIncomingCommand(T_DIMSE_Message* msg,
                                    const DcmPresentationContextInfo& info) override {
    if (msg->CommandField == DIMSE_C_ECHO_RQ) {
      return handleECHORequest(msg->msg.CEchoRQ, info.presentationContextID);
    }
    if (msg->CommandField != DIMSE_C_STORE_RQ) {
      return DcmSCP::handleIncomingCommand(msg, info);
    }
    T_DIMSE_C_StoreRQ& req = msg->msg.CStoreRQ;
    auto incoming = store_.Begin();
    if (!incoming.ok()) {
      // No temp file (disk full, no descriptors): the data set is not read into memory
      // instead; the association is aborted, and the SCU sends it again later.
      LogError("dimse: C-STORE of " + std::string(req.AffectedSOPInstanceUID) +
               " aborted: " + incoming.status().message());
      return DIMSE_RECEIVEFAILED;
    }
    OFCondition rc = receiveSTORERequest(req, info.presentationContextID,
                                         (*incoming)->path().c_str());
    if (rc.bad()) return rc;  // the association is gone; the temp file goes with `incoming`
    Uint16 status = STATUS_Success;
    Status taken = (*incoming)->TakeWrittenFile();
    Result<DicomInstance> stored =
        taken.ok() ? store_.Store(**incoming, "") : Result<DicomInstance>(taken);
    if (!stored.ok()) {
      const int reason = FailureReasonOf(stored.status());
      // A failure of the node itself (0x0110, e.g. the index busy) is a processing failure
      // the SCU may retry, not "cannot understand", which a PACS takes as permanent.
      status = reason == kFailureDoesNotMatch     ? STATUS_STORE_Error_DataSetDoesNotMatchSOPClass
               : reason == kFailureOutOfResources ? STATUS_STORE_Refused_OutOfResources
               : reason == kFailureCannotUnderstand ? STATUS_STORE_Error_CannotUnderstand
                                                    : Uint16{0x0110};
      LogInfo("dimse: C-STORE of " + std::string(req.AffectedSOPInstanceUID) +
              " refused: " + stored.status().message());
    }
    return sendSTOREResponse(info.presentationContextID, req, status);
  }

  // One association per acceptAssociations() call: the connection is handed over by the
  // accept loop (DimseScp::Impl::Serve), as in DCMTK's inetd mode.
  OFBool stopAfterConnectionTimeout() override { return OFTrue; }
  OFBool stopAfterCurrentAssociation() override { return OFTrue; }

 private:
  DicomStore& store_;
};

}  // namespace

struct DimseScp::Impl {
  int port = 0;
  int fd = -1;
  std::atomic<bool> stop{false};
  std::unique_ptr<DcmTLSTransportLayer> tls;  // null: plain TCP; outlives `scp`
  std::function<Status(const Peer&)> admit;
  std::unique_ptr<StoreScp> scp;
  std::thread thread;

  void Serve() {
    pthread_setname_np(pthread_self(), "dimse-scp");
    while (!stop.load()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      const int conn = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      // DCMTK gives up on a connection whose peer is already gone (getpeername fails)
      // without closing it: check here, and close it ourselves.
      sockaddr_storage peer{};
      socklen_t peer_len = sizeof peer;
      if (::getpeername(conn, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
        ::close(conn);
        continue;
      }
      std::lock_guard<std::mutex> lock(HandOverMutex());
      dcmExternalSocketHandle.set(conn);
      OFCondition rc = scp->openListenPort();  // a network without a listening socket
      if (rc.good()) rc = scp->acceptAssociations();  // the association on `conn`; closes it
      else ::close(conn);
      dcmExternalSocketHandle.set(-1);
      if (rc.bad() && rc != DUL_NOASSOCIATIONREQUEST) {
        LogWarning(std::string("dimse: association ended: ") + rc.text());
      }
    }
  }
};

namespace {

// OpenSSL's verification of the peer's chain, then, for its own certificate, the node's
// decision (its facility, the CRL as reloaded): a refused peer fails the handshake, before
// any association is read.
int VerifyPeer(int chain_ok, X509_STORE_CTX* ctx) {
  X509* cert = X509_STORE_CTX_get_current_cert(ctx);
  if (!chain_ok) {
    LogWarning(std::string("dimse: TLS peer refused: ") +
               X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)));
    return 0;
  }
  if (X509_STORE_CTX_get_error_depth(ctx) != 0) return 1;
  auto* ssl = static_cast<SSL*>(
      X509_STORE_CTX_get_ex_data(ctx, SSL_get_ex_data_X509_STORE_CTX_idx()));
  auto* impl = static_cast<DimseScp::Impl*>(SSL_CTX_get_app_data(SSL_get_SSL_CTX(ssl)));
  Result<Peer> peer = PeerOfCertificate(cert);
  Status admitted = !peer.ok()     ? peer.status()
                    : impl->admit ? impl->admit(*peer)
                                  : Status::Ok();
  if (!admitted.ok()) {
    LogWarning("dimse: TLS peer refused: " + admitted.message());
    return 0;
  }
  return 1;
}

// The TLS layer of the SCP from the node's files. InvalidArgument naming the file that does
// not do.
Result<std::unique_ptr<DcmTLSTransportLayer>> MakeTls(const TlsFiles& files, DimseScp::Impl* impl) {
  auto tls = std::make_unique<DcmTLSTransportLayer>(NET_ACCEPTOR, nullptr, OFTrue);
  auto check = [](OFCondition c, const std::string& what) -> Status {
    if (c.good()) return Status::Ok();
    return Status::InvalidArgument("config", "dimse.listen over TLS: " + what + ": " + c.text());
  };
  RENKEI_RETURN_IF_ERROR(check(tls->setTLSProfile(TSP_Profile_BCP195_ND), "TLS profile"));
  RENKEI_RETURN_IF_ERROR(check(tls->activateCipherSuites(), "cipher suites"));
  RENKEI_RETURN_IF_ERROR(
      check(tls->setPrivateKeyFile(files.key.c_str(), DCF_Filetype_PEM), "tls.key " + files.key));
  RENKEI_RETURN_IF_ERROR(check(tls->setCertificateFile(files.cert.c_str(), DCF_Filetype_PEM),
                               "tls.cert " + files.cert));
  if (!tls->checkPrivateKeyMatchesCertificate()) {
    return Status::InvalidArgument("config", "dimse.listen over TLS: tls.key does not match tls.cert");
  }
  RENKEI_RETURN_IF_ERROR(check(tls->addTrustedCertificateFile(files.ca.c_str(), DCF_Filetype_PEM),
                               "tls.ca " + files.ca));
  if (!files.crl.empty()) {
    RENKEI_RETURN_IF_ERROR(check(
        tls->addCertificateRevocationList(files.crl.c_str(), DCF_Filetype_PEM), "tls.crl " + files.crl));
    RENKEI_RETURN_IF_ERROR(check(tls->setCRLverification(TCR_checkLeafCRL), "CRL checking"));
  }
  tls->setCertificateVerification(DCV_requireCertificate);
  SSL_CTX* ctx = tls->getNativeHandle();
  SSL_CTX_set_app_data(ctx, impl);
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, &VerifyPeer);
  return tls;
}

}  // namespace

DimseScp::DimseScp(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
DimseScp::~DimseScp() { Stop(); }
int DimseScp::port() const { return impl_->port; }

void DimseScp::Stop() {
  if (!impl_->thread.joinable()) return;
  impl_->stop = true;
  impl_->thread.join();
  ::close(impl_->fd);
}

Result<std::unique_ptr<DimseScp>> DimseScp::Start(DicomStore& store, const DimseOptions& options) {
  auto impl = std::make_unique<Impl>();
  const std::string where = options.host + ":" + std::to_string(options.port);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(options.port));
  if (inet_pton(AF_INET, options.host.c_str(), &addr.sin_addr) != 1) {
    return Status::InvalidArgument("config", "dimse.listen: '" + options.host +
                                                 "' is not an IPv4 address");
  }
  impl->fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  const int one = 1;
  ::setsockopt(impl->fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  if (impl->fd < 0 || ::bind(impl->fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
      ::listen(impl->fd, 64) != 0) {
    const std::string why = std::strerror(errno);
    if (impl->fd >= 0) ::close(impl->fd);
    return Status::Unavailable("dimse", "cannot listen for DICOM on " + where + ": " + why);
  }
  socklen_t len = sizeof addr;
  ::getsockname(impl->fd, reinterpret_cast<sockaddr*>(&addr), &len);
  impl->port = ntohs(addr.sin_port);

  // DCMTK logs each association at INFO on stderr; the node logs refusals itself.
  OFLog::configure(OFLogger::WARN_LOG_LEVEL);
  impl->scp = std::make_unique<StoreScp>(store);
  StoreScp& scp = *impl->scp;
  scp.setAETitle(options.ae_title.c_str());
  scp.setPort(static_cast<Uint16>(impl->port));
  scp.setConnectionBlockingMode(DUL_BLOCK);
  scp.setDIMSETimeout(60);
  scp.setACSETimeout(30);
  scp.setHostLookupEnabled(OFFalse);
  scp.setVerbosePCMode(OFFalse);
  const OFList<OFString> ts = TransferSyntaxes();
  OFList<OFString> echo_ts;
  echo_ts.push_back(UID_LittleEndianImplicitTransferSyntax);
  echo_ts.push_back(UID_LittleEndianExplicitTransferSyntax);
  scp.addPresentationContext(UID_VerificationSOPClass, echo_ts);
  for (int i = 0; i < numberOfDcmAllStorageSOPClassUIDs; ++i) {
    scp.addPresentationContext(dcmAllStorageSOPClassUIDs[i], ts);
  }
  if (!options.tls.cert.empty()) {
    impl->admit = options.admit;
    Result<std::unique_ptr<DcmTLSTransportLayer>> tls = MakeTls(options.tls, impl.get());
    if (!tls.ok()) {
      ::close(impl->fd);
      return tls.status();
    }
    impl->tls = std::move(tls.value());
    scp.getConfig().setTransportLayer(impl->tls.get());
  }
  Impl* raw = impl.get();
  impl->thread = std::thread([raw] { raw->Serve(); });
  return std::unique_ptr<DimseScp>(new DimseScp(std::move(impl)));
}

}  // namespace renkei::dicomweb
