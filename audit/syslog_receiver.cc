// ITI-20 syslog listener (RFC 5425 over a caller-provided server socket) over Poco TCPServer.
#include "audit/syslog_receiver.h"

#include <Poco/Exception.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <set>

#include "common/log.h"

namespace renkei::audit {

namespace {

// What the connections share with the receiver: the store, counters, the open sockets.
struct Shared {
  AuditStore* store;
  SyslogReceiverOptions options;
  std::atomic<int64_t> stored{0}, rejected{0}, broken{0};
  std::mutex mu;
  std::condition_variable cv;
  std::set<Poco::Net::StreamSocket*> open;
  bool stopping = false;
};

class Connection : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, std::shared_ptr<Shared> shared)
      : Poco::Net::TCPServerConnection(socket), shared_(std::move(shared)) {}

  void run() override {
    {
      std::lock_guard<std::mutex> lock(shared_->mu);
      if (shared_->stopping) return;
      shared_->open.insert(&socket());
    }
    std::string peer;
    try {
      peer = socket().peerAddress().toString();
      if (shared_->options.tls) {
        socket().setReceiveTimeout(Poco::Timespan(30, 0));
        Result<Peer> tls_peer = shared_->options.tls->Accept(socket());
        if (!tls_peer.ok()) {
          Finish();
          return;  // refused (reported through the TLS refusal hook)
        }
        peer += " (" + tls_peer->facility_oid + ")";
      }
      socket().setReceiveTimeout(Poco::Timespan(shared_->options.idle_timeout_seconds, 0));
      Serve(peer);
    } catch (const Poco::Exception& e) {
      LogInfo("audit syslog " + peer + ": connection ended: " + e.displayText());
    } catch (const std::exception& e) {
      LogWarning("audit syslog " + peer + ": " + e.what());
    }
    Finish();
  }

 private:
  void Finish() {
    std::lock_guard<std::mutex> lock(shared_->mu);
    shared_->open.erase(&socket());
    shared_->cv.notify_all();
  }

  void Serve(const std::string& peer) {
    SyslogFrameReader reader(shared_->options.max_message_bytes);
    std::vector<std::string> messages;
    char buf[16384];
    while (true) {
      const int n = socket().receiveBytes(buf, sizeof buf);
      if (n <= 0) break;
      messages.clear();
      const Status framing = reader.Feed(std::string_view(buf, static_cast<size_t>(n)), &messages);
      for (const std::string& m : messages) Deliver(peer, m);
      if (!framing.ok()) {
        ++shared_->broken;
        LogWarning("audit syslog " + peer + ": closing: " + framing.message());
        return;
      }
    }
  }

  void Deliver(const std::string& peer, const std::string& message) {
    Result<AuditEvent> event = DecodeSyslogAuditMessage(message);
    if (!event.ok()) {
      ++shared_->rejected;
      LogWarning("audit syslog " + peer + ": message rejected: " + event.status().message());
      return;
    }
    Result<int64_t> seq = shared_->store->Append(*event);
    if (!seq.ok()) {
      ++shared_->rejected;
      LogError("audit syslog " + peer + ": not stored: " + seq.status().ToString());
      return;
    }
    ++shared_->stored;
  }

  std::shared_ptr<Shared> shared_;
};

class Factory : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit Factory(std::shared_ptr<Shared> shared) : shared_(std::move(shared)) {}
  Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, shared_);
  }

 private:
  std::shared_ptr<Shared> shared_;
};

}  // namespace

struct SyslogReceiver::Impl {
  std::shared_ptr<Shared> shared;
  std::unique_ptr<Poco::Net::TCPServer> server;
  int port = 0;
  bool stopped = false;
};

SyslogReceiver::SyslogReceiver(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SyslogReceiver::~SyslogReceiver() { Stop(); }

Result<std::unique_ptr<SyslogReceiver>> SyslogReceiver::Start(
    Poco::Net::ServerSocket socket, AuditStore& store, const SyslogReceiverOptions& options) {
  auto impl = std::make_unique<Impl>();
  impl->shared = std::make_shared<Shared>();
  impl->shared->store = &store;
  impl->shared->options = options;
  try {
    impl->port = socket.address().port();
    auto* params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(options.max_connections);
    params->setMaxQueued(options.max_connections);
    impl->server =
        std::make_unique<Poco::Net::TCPServer>(new Factory(impl->shared), socket, params);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("audit.syslog",
                               "cannot start the syslog listener: " + e.displayText());
  }
  return std::unique_ptr<SyslogReceiver>(new SyslogReceiver(std::move(impl)));
}

Result<std::unique_ptr<SyslogReceiver>> SyslogReceiver::Listen(
    const std::string& host, int port, AuditStore& store, const SyslogReceiverOptions& options) {
  Poco::Net::ServerSocket socket;
  try {
    const Poco::Net::SocketAddress address(host, static_cast<Poco::UInt16>(port));
    if (options.tls) {
      socket = Poco::Net::SecureServerSocket(address, 64,
                                             Poco::Net::Context::Ptr(options.tls->context(), true));
    } else {
      socket = Poco::Net::ServerSocket(address, 64);
    }
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("audit.syslog", "cannot listen on " + host + ":" +
                                                   std::to_string(port) + ": " + e.displayText());
  }
  return Start(socket, store, options);
}

void SyslogReceiver::Stop() {
  if (impl_->stopped) return;
  impl_->stopped = true;
  impl_->server->stop();
  std::unique_lock<std::mutex> lock(impl_->shared->mu);
  impl_->shared->stopping = true;
  for (Poco::Net::StreamSocket* s : impl_->shared->open) {
    try {
      s->shutdown();
    } catch (const Poco::Exception&) {
      // Already closed by the peer.
    }
  }
  impl_->shared->cv.wait(lock, [&] { return impl_->shared->open.empty(); });
}

int SyslogReceiver::port() const { return impl_->port; }

SyslogReceiverStats SyslogReceiver::stats() const {
  return SyslogReceiverStats{impl_->shared->stored.load(), impl_->shared->rejected.load(),
                             impl_->shared->broken.load()};
}

}  // namespace renkei::audit
