// C-STORE / C-ECHO SCP with DCMTK's DcmSCP over a socket this class binds.
#include "dicomweb/dimse_scp.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/ioctl.h>
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

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <thread>
#include <vector>

#include "common/log.h"
#include "dicomweb/dicom_reader.h"

namespace renkei::dicomweb {
namespace {

// DCMTK 3.6.7 binds its listening socket to every interface and has no bind-address option;
// instead this class accepts connections on its own socket and hands each one to DCMTK
// through dcmExternalSocketHandle (DCMTK's inetd mode: the network is initialised without
// a listening socket and the association is received on the given connection). The global
// is process-wide: it is held from the hand-over until DCMTK has received the association
// request on that connection (StoreScp::waitForAssociationRQ), so only that short step is
// serialised; the associations themselves run side by side, one worker thread each.
std::mutex& HandOverMutex() {
  static std::mutex mu;
  return mu;
}

constexpr int kWorkers = 8;                 // associations served at once
constexpr size_t kMaxWaiting = 64;          // accepted connections waiting for a worker
constexpr int kFirstBytesTimeoutMs = 30000;  // a peer must send its first message within this

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

  // One association per acceptAssociations() call: the connection is handed over by a
  // worker (DimseScp::Impl::Serve), as in DCMTK's inetd mode.
  OFBool stopAfterConnectionTimeout() override { return OFTrue; }
  OFBool stopAfterCurrentAssociation() override { return OFTrue; }

 public:
  // The connection of this association and the largest data set it may send (0: no limit).
  void Limit(int conn, uint64_t max_bytes) {
    conn_ = conn;
    max_bytes_ = max_bytes;
    cut_ = false;
  }
  // The hand-over lock this association holds until its request is received.
  void HoldHandOver(std::unique_lock<std::mutex>* lock) { handover_ = lock; }
  void ReleaseHandOver() {
    if (handover_ != nullptr && handover_->owns_lock()) {
      dcmExternalSocketHandle.set(-1);
      handover_->unlock();
    }
  }

 protected:
  OFCondition waitForAssociationRQ(T_ASC_Network* network) override {
    OFCondition rc = DcmSCP::waitForAssociationRQ(network);
    ReleaseHandOver();  // the connection is the association's now
    return rc;
  }

  // A data set that passes the limit while it is received: the connection is cut, so that
  // it fills no more disk (the SCU sees the association aborted; the temp file goes).
  void notifyRECEIVEProgress(const unsigned long byte_count) override {
    if (max_bytes_ != 0 && byte_count > max_bytes_ && !cut_) {
      cut_ = true;
      LogWarning("dimse: a C-STORE data set passed " + std::to_string(max_bytes_) +
                 " bytes (dicomweb.max_instance_bytes): the association is aborted");
      ::shutdown(conn_, SHUT_RDWR);
    }
  }


 private:
  DicomStore& store_;
  std::unique_lock<std::mutex>* handover_ = nullptr;
  int conn_ = -1;
  uint64_t max_bytes_ = 0;
  bool cut_ = false;
};

}  // namespace

struct DimseScp::Impl {
  int port = 0;
  int fd = -1;
  std::atomic<bool> stop{false};
  std::unique_ptr<DcmTLSTransportLayer> tls;  // null: plain TCP; outlives the associations
  std::function<Status(const Peer&)> admit;
  DicomStore* store = nullptr;
  uint64_t max_instance_bytes = 0;
  std::string ae_title;
  std::mutex queue_mu;
  std::condition_variable queue_cv;
  std::deque<int> waiting;  // accepted connections
  std::thread acceptor;
  std::vector<std::thread> workers;

  void Accept() {
    pthread_setname_np(pthread_self(), "dimse-accept");
    while (!stop.load()) {
      pollfd p{fd, POLLIN, 0};
      if (::poll(&p, 1, 200) <= 0) continue;
      const int conn = ::accept4(fd, nullptr, nullptr, SOCK_CLOEXEC);
      if (conn < 0) continue;
      std::lock_guard<std::mutex> lock(queue_mu);
      if (waiting.size() >= kMaxWaiting) {
        ::close(conn);  // the SCU tries again later
        continue;
      }
      waiting.push_back(conn);
      queue_cv.notify_one();
    }
    queue_cv.notify_all();
  }

  void Work() {
    pthread_setname_np(pthread_self(), "dimse-scp");
    // One DcmSCP per worker, configured once and reused for each of its associations
    // (openListenPort sets its network up again for each connection). Each is configured
    // itself: a DcmSCPConfig copied from another (setConfig) crashed DCMTK 3.6.7 when
    // receiving an association.
    StoreScp scp(*store);
    Configure(scp);
    for (;;) {
      int conn;
      {
        std::unique_lock<std::mutex> lock(queue_mu);
        queue_cv.wait(lock, [this] { return stop.load() || !waiting.empty(); });
        if (waiting.empty()) return;  // stopping
        conn = waiting.front();
        waiting.pop_front();
      }
      if (stop.load()) {
        ::close(conn);
        continue;
      }
      Serve(conn, scp);
    }
  }

  void Configure(StoreScp& scp) const {
    scp.setAETitle(ae_title.c_str());
    scp.setPort(static_cast<Uint16>(port));
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
    if (tls) scp.getConfig().setTransportLayer(tls.get());
  }

  // True once the peer's whole first message is waiting in the socket (read with MSG_PEEK,
  // so DCMTK still reads it): the A-ASSOCIATE-RQ PDU (type, reserved, 4-byte length), or
  // over TLS the first record (type, version, 2-byte length) — its ClientHello. False when
  // it does not come within kFirstBytesTimeoutMs or the node stops. Awaited without the
  // hand-over lock, so an idle or slow peer holds up nobody else.
  bool FirstMessageArrived(int conn) const {
    const bool tls_layer = tls != nullptr;
    const size_t head = tls_layer ? 5 : 6;
    size_t need = head;
    unsigned char buf[16];
    for (int waited = 0; waited < kFirstBytesTimeoutMs && !stop.load(); waited += 100) {
      pollfd p{conn, POLLIN, 0};
      if (::poll(&p, 1, 100) < 0) return false;
      int avail = 0;
      if (::ioctl(conn, FIONREAD, &avail) != 0) return false;
      if (need == head && static_cast<size_t>(avail) >= head) {
        if (::recv(conn, buf, head, MSG_PEEK) != static_cast<ssize_t>(head)) return false;
        const size_t length = tls_layer ? (size_t{buf[3]} << 8 | buf[4])
                                        : (size_t{buf[2]} << 24 | size_t{buf[3]} << 16 |
                                           size_t{buf[4]} << 8 | buf[5]);
        // A first message larger than the socket buffer cannot all wait there: DCMTK reads
        // the rest (and answers a malformed one).
        need = head + std::min<size_t>(length, 32768);
      }
      if (need > head && static_cast<size_t>(avail) >= need) return true;
      if ((p.revents & (POLLHUP | POLLERR)) != 0) return false;
    }
    return false;
  }

  // One association on `conn` (closed when done).
  void Serve(int conn, StoreScp& scp) {
    if (!FirstMessageArrived(conn)) {
      ::close(conn);
      return;
    }
    // DCMTK gives up on a connection whose peer is already gone (getpeername fails)
    // without closing it: check here, and close it ourselves.
    sockaddr_storage peer{};
    socklen_t peer_len = sizeof peer;
    if (::getpeername(conn, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0) {
      ::close(conn);
      return;
    }
    scp.Limit(conn, max_instance_bytes);
    std::unique_lock<std::mutex> handover(HandOverMutex());
    scp.HoldHandOver(&handover);
    dcmExternalSocketHandle.set(conn);
    OFCondition rc = scp.openListenPort();  // a network without a listening socket
    if (rc.good()) {
      rc = scp.acceptAssociations();  // the association on `conn`; closes it
    } else {
      ::close(conn);
    }
    scp.ReleaseHandOver();  // when DCMTK failed before receiving the request
    if (rc.bad() && rc != DUL_NOASSOCIATIONREQUEST) {
      LogWarning(std::string("dimse: association ended: ") + rc.text());
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
  if (!impl_->acceptor.joinable()) return;
  impl_->stop = true;
  impl_->acceptor.join();
  impl_->queue_cv.notify_all();
  for (std::thread& w : impl_->workers) w.join();
  for (int conn : impl_->waiting) ::close(conn);
  impl_->waiting.clear();
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
  impl->store = &store;
  impl->max_instance_bytes = options.max_instance_bytes;
  impl->ae_title = options.ae_title;
  if (!options.tls.cert.empty()) {
    impl->admit = options.admit;
    Result<std::unique_ptr<DcmTLSTransportLayer>> tls = MakeTls(options.tls, impl.get());
    if (!tls.ok()) {
      ::close(impl->fd);
      return tls.status();
    }
    impl->tls = std::move(tls.value());
  }
  Impl* raw = impl.get();
  for (int i = 0; i < kWorkers; ++i) impl->workers.emplace_back([raw] { raw->Work(); });
  impl->acceptor = std::thread([raw] { raw->Accept(); });
  return std::unique_ptr<DimseScp>(new DimseScp(std::move(impl)));
}

}  // namespace renkei::dicomweb
