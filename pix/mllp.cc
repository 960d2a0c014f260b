// MLLP framing and server (see mllp.h).
#include "pix/mllp.h"

#include <Poco/Exception.h>
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/Net/TCPServerParams.h>
#include <Poco/ThreadPool.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <set>

#include "common/log.h"

namespace renkei::mllp {

std::string Frame(std::string_view message) {
  std::string out;
  out.reserve(message.size() + 3);
  out.push_back(kStartBlock);
  out.append(message);
  out.push_back(kEndBlock);
  out.push_back(kCarriageReturn);
  return out;
}

Status MllpFramer::Feed(std::string_view bytes, std::vector<std::string>* messages) {
  if (failed_) return Status::ResourceExhausted("mllp.frame", "framer failed before");
  size_t i = 0;
  while (i < bytes.size()) {
    if (!in_frame_) {
      // Outside a frame everything up to the next start byte is ignored (CR/LF after a
      // trailer, a missing 0x0D's successor, line noise).
      const size_t start = bytes.find(kStartBlock, i);
      if (start == std::string_view::npos) return Status::Ok();
      in_frame_ = true;
      current_.clear();
      i = start + 1;
      continue;
    }
    const size_t end = bytes.find(kEndBlock, i);
    const size_t take = (end == std::string_view::npos ? bytes.size() : end) - i;
    if (current_.size() + take > max_) {
      failed_ = true;
      in_frame_ = false;
      current_.clear();
      return Status::ResourceExhausted(
          "mllp.frame", "an MLLP frame exceeds the limit of " + std::to_string(max_) + " bytes");
    }
    current_.append(bytes.substr(i, take));
    if (end == std::string_view::npos) return Status::Ok();
    messages->push_back(std::move(current_));
    current_.clear();
    in_frame_ = false;
    i = end + 1;
  }
  return Status::Ok();
}

Result<std::string> MllpExchange(const std::string& host, int port, const std::string& message,
                                 int timeout_ms, bool tls) {
  std::shared_ptr<TlsContext> client_tls;
  if (tls) {
    client_tls = ClientTls();
    if (!client_tls) {
      return Status::InvalidArgument("mllp", "MLLP over TLS but this process has no TLS client "
                                             "certificate configured");
    }
  }
  try {
    Poco::Net::StreamSocket s;
    if (client_tls) {
      s = Poco::Net::SecureStreamSocket(Poco::Net::Context::Ptr(client_tls->context(), true));
    }
    s.connect(Poco::Net::SocketAddress(host, static_cast<Poco::UInt16>(port)),
              Poco::Timespan(static_cast<long>(timeout_ms) * 1000));
    s.setReceiveTimeout(Poco::Timespan(static_cast<long>(timeout_ms) * 1000));
    const std::string frame = Frame(message);
    size_t sent = 0;
    while (sent < frame.size()) {
      const int n = s.sendBytes(frame.data() + sent, static_cast<int>(frame.size() - sent));
      if (n <= 0) return Status::Unavailable("mllp", "send failed");
      sent += static_cast<size_t>(n);
    }
    MllpFramer framer(16 << 20);
    std::vector<std::string> replies;
    char buf[16384];
    while (replies.empty()) {
      const int n = s.receiveBytes(buf, sizeof buf);
      if (n <= 0) return Status::Unavailable("mllp", "the peer closed without a reply");
      RENKEI_RETURN_IF_ERROR(framer.Feed(std::string_view(buf, static_cast<size_t>(n)), &replies));
    }
    return replies.front();
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("mllp", "MLLP exchange with " + host + ":" +
                                           std::to_string(port) + ": " + e.displayText());
  }
}

struct MllpServer::Impl {
  MllpServerOptions options;
  MllpHandler handler;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::TCPServer> server;
  int port = 0;
  std::atomic<bool> stopping{false};
  std::mutex open_mu;
  std::set<Poco::Net::StreamSocket*> open;  // connections being served (Stop shuts them)
  bool stopped = false;
};

namespace {

class Connection : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, MllpServer::Impl* impl)
      : TCPServerConnection(socket), impl_(impl) {}

  void run() override {
    Poco::Net::StreamSocket& s = socket();
    {
      std::lock_guard<std::mutex> lock(impl_->open_mu);
      if (impl_->stopping) return;
      impl_->open.insert(&s);
    }
    try {
      Serve(s);
    } catch (const std::exception& e) {
      LogWarning(std::string("mllp: connection closed: ") + e.what());
    }
    std::lock_guard<std::mutex> lock(impl_->open_mu);
    impl_->open.erase(&s);
  }

 private:
  void Serve(Poco::Net::StreamSocket& s) {
    s.setNoDelay(true);
    s.setReceiveTimeout(Poco::Timespan(static_cast<long>(impl_->options.idle_timeout_ms) * 1000));
    Peer peer;
    if (impl_->options.tls) {
      Result<Peer> verified = impl_->options.tls->Accept(s);
      if (!verified.ok()) return;  // refused, reported
      peer = std::move(verified.value());
    }
    try {
      if (peer.address.empty()) peer.address = s.peerAddress().toString();
    } catch (const Poco::Exception&) {
    }
    MllpFramer framer(impl_->options.max_message_bytes);
    std::vector<char> buf(64 * 1024);
    std::vector<std::string> messages;
    while (!impl_->stopping) {
      int n = 0;
      try {
        n = s.receiveBytes(buf.data(), static_cast<int>(buf.size()));
      } catch (const Poco::TimeoutException&) {
        LogInfo(framer.in_frame() ? "mllp: closing a connection silent in mid-frame"
                                  : "mllp: closing an idle connection");
        return;
      } catch (const Poco::Exception&) {
        return;  // reset by the peer, or shut down by Stop
      }
      if (n <= 0) return;  // the peer closed
      messages.clear();
      Status st = framer.Feed(std::string_view(buf.data(), static_cast<size_t>(n)), &messages);
      for (const std::string& m : messages) {
        const std::string reply = impl_->handler(m, peer);
        if (!reply.empty()) SendAll(s, Frame(reply));
      }
      if (!st.ok()) {
        LogWarning("mllp: " + st.message() + "; closing the connection");
        return;
      }
    }
  }

  static void SendAll(Poco::Net::StreamSocket& s, const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      int n = s.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent));
      if (n <= 0) throw Poco::IOException("send failed");
      sent += static_cast<size_t>(n);
    }
  }

  MllpServer::Impl* impl_;
};

class Factory : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit Factory(MllpServer::Impl* impl) : impl_(impl) {}
  Poco::Net::TCPServerConnection* createConnection(
      const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, impl_);
  }

 private:
  MllpServer::Impl* impl_;
};

}  // namespace

MllpServer::MllpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

MllpServer::~MllpServer() { Stop(); }

Result<std::unique_ptr<MllpServer>> MllpServer::Start(const MllpServerOptions& options,
                                                      MllpHandler handler) {
  auto impl = std::make_unique<Impl>();
  impl->options = options;
  impl->handler = std::move(handler);
  try {
    std::unique_ptr<Poco::Net::ServerSocket> owned =
        options.tls ? std::make_unique<Poco::Net::SecureServerSocket>(
                          Poco::Net::Context::Ptr(options.tls->context(), /*shared=*/true))
                    : std::make_unique<Poco::Net::ServerSocket>();
    Poco::Net::ServerSocket& socket = *owned;
    socket.bind(Poco::Net::SocketAddress(options.host, static_cast<Poco::UInt16>(options.port)),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(256);
    impl->port = socket.address().port();
    auto* params = new Poco::Net::TCPServerParams;
    params->setMaxThreads(options.max_connections);
    params->setMaxQueued(options.max_connections);
    impl->pool = std::make_unique<Poco::ThreadPool>(1, options.max_connections + 2);
    impl->server = std::make_unique<Poco::Net::TCPServer>(new Factory(impl.get()), *impl->pool,
                                                          socket, params);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("listen", "cannot listen for MLLP on " + options.host + ":" +
                                             std::to_string(options.port) + ": " +
                                             e.displayText());
  }
  return std::unique_ptr<MllpServer>(new MllpServer(std::move(impl)));
}

int MllpServer::port() const { return impl_->port; }

void MllpServer::Stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->stopping = true;
  impl_->server->stop();
  {
    std::lock_guard<std::mutex> lock(impl_->open_mu);
    for (Poco::Net::StreamSocket* s : impl_->open) {
      try {
        s->shutdown();
      } catch (const Poco::Exception&) {
      }
    }
  }
  impl_->pool->joinAll();
}

}  // namespace renkei::mllp
