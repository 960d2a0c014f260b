// HTTP listener glue over Poco::Net::HTTPServer.
#include "common/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServerConnection.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/SecureServerSocket.h>
#include <Poco/Net/SecureStreamSocketImpl.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Net/StreamSocketImpl.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <fcntl.h>
#include <poll.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <istream>
#include <optional>
#include <sstream>
#include <vector>

#include "common/log.h"

namespace renkei {

void HttpRouter::Exact(const std::string& method, const std::string& path, HttpHandler handler) {
  routes_.push_back({method, path, false, std::move(handler)});
}

void HttpRouter::Prefix(const std::string& method, const std::string& prefix,
                        HttpHandler handler) {
  routes_.push_back({method, prefix, true, std::move(handler)});
}

void HttpRouter::Fallback(const std::string& prefix, Unrouted handler) {
  fallbacks_.emplace_back(prefix, std::move(handler));
}

const HttpRouter::Unrouted* HttpRouter::FallbackFor(const std::string& path) const {
  for (const auto& [prefix, handler] : fallbacks_) {
    if (path.compare(0, prefix.size(), prefix) == 0) return &handler;
  }
  return nullptr;
}

const HttpHandler* HttpRouter::Match(const std::string& method, const std::string& path,
                                     bool* path_exists) const {
  *path_exists = false;
  for (const Route& r : routes_) {
    bool hit = r.prefix ? path.compare(0, r.path.size(), r.path) == 0 : path == r.path;
    if (!hit) continue;
    *path_exists = true;
    if (r.method == method) return &r.handler;
  }
  return nullptr;
}

namespace {

std::string PathOf(const std::string& uri) {
  size_t q = uri.find_first_of("?#");
  return q == std::string::npos ? uri : uri.substr(0, q);
}

// After an answer, the rest of a request body nobody read (an error answered before the
// body, an unrouted POST) would be parsed as the next request of the keep-alive
// connection. Up to 1 MiB of it is read and dropped; beyond that the connection is closed
// after this answer.
void DiscardUnreadBody(Poco::Net::HTTPServerRequest& request,
                       Poco::Net::HTTPServerResponse& response) {
  constexpr std::streamsize kMaxDrain = 1 << 20;
  char buf[16384];
  std::streamsize drained = 0;
  std::istream& in = request.stream();
  try {
    while (in.good() && drained <= kMaxDrain) {
      in.read(buf, sizeof buf);
      drained += in.gcount();
      if (in.gcount() == 0) break;
    }
    if (drained > kMaxDrain || in.bad()) response.setKeepAlive(false);
  } catch (const Poco::Exception&) {
    response.setKeepAlive(false);
  }
}

// The peer of the request this thread serves (RequestPeer): under TLS the connection's,
// read once at the handshake; in plain mode the request's test header or the default.
thread_local const Peer* t_connection_peer = nullptr;
thread_local Peer t_plain_peer;
thread_local const Peer* t_request_peer = nullptr;

void SetPlainPeer(const Poco::Net::HTTPServerRequest& request, const std::string& fallback) {
  t_plain_peer.source = Peer::Source::kDefault;
  t_plain_peer.facility_oid = fallback;
  const std::string& header = request.get(kFacilityTestHeader, "");
  if (!header.empty()) {
    t_plain_peer.facility_oid = header;
    t_plain_peer.source = Peer::Source::kTestHeader;
  }
  t_plain_peer.address = request.clientAddress().toString();
}

class RoutingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  RoutingHandler(const HttpRouter& router, const std::string& default_facility)
      : router_(router), default_facility_(default_facility) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
    if (t_connection_peer != nullptr) {
      t_request_peer = t_connection_peer;
    } else {
      SetPlainPeer(request, default_facility_);
      t_request_peer = &t_plain_peer;
    }
    try {
      bool path_exists = false;
      const std::string path = PathOf(request.getURI());
      const HttpHandler* h = router_.Match(request.getMethod(), path, &path_exists);
      if (h == nullptr) {
        if (const HttpRouter::Unrouted* f = router_.FallbackFor(path)) {
          (*f)(request, response, path_exists ? 405 : 404);
        } else {
          SendResponse(response, path_exists ? 405 : 404, "text/plain; charset=UTF-8",
                       path_exists ? "method not allowed\n" : "not found\n");
        }
      } else {
        (*h)(request, response);
      }
      DiscardUnreadBody(request, response);
    } catch (const Poco::Exception& e) {
      LogError("http: handler failed on " + request.getURI() + ": " + e.displayText());
      if (!response.sent()) SendResponse(response, 500, "text/plain", "internal error\n");
    } catch (const std::exception& e) {
      LogError("http: handler failed on " + request.getURI() + ": " + e.what());
      if (!response.sent()) SendResponse(response, 500, "text/plain", "internal error\n");
    }
    t_request_peer = nullptr;
  }

 private:
  const HttpRouter& router_;
  const std::string& default_facility_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  Factory(const HttpRouter& router, const std::string& default_facility)
      : router_(router), default_facility_(default_facility) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RoutingHandler(router_, default_facility_);
  }
  // Ends the keep-alive loops of open connections (what Poco's HTTPServer::stopAll does).
  void NotifyStopped(bool abort_current) { serverStopped(this, abort_current); }

 private:
  const HttpRouter& router_;
  const std::string& default_facility_;
};

}  // namespace

struct HttpServer::Impl {
  HttpRouter router;
  std::string default_facility;
  std::shared_ptr<TlsContext> tls;
  Poco::Net::HTTPServerParams::Ptr params;
  Poco::SharedPtr<Factory> factory;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::TCPServer> server;
  std::string host;
  int port = 0;
  bool stopped = false;
};

namespace {

// A plain connection's socket whose poll is one poll(2): Poco 1.12's SocketImpl::poll
// creates, fills, waits on and closes an epoll instance (four system calls), and
// HTTPServerSession polls before every keep-alive request (ITI-18 ObjectRef profile: 8 % of
// the centre's CPU). Owns a dup of the accepted descriptor.
class PlainSocketImpl : public Poco::Net::StreamSocketImpl {
 public:
  explicit PlainSocketImpl(poco_socket_t fd) : StreamSocketImpl(fd) {}
  bool poll(const Poco::Timespan& timeout, int mode) override {
    pollfd p{sockfd(), 0, 0};
    if (mode & SELECT_READ) p.events |= POLLIN;
    if (mode & SELECT_WRITE) p.events |= POLLOUT;
    const int ms = static_cast<int>(std::min<Poco::Timespan::TimeDiff>(
        timeout.totalMilliseconds(), std::numeric_limits<int>::max()));
    int rc;
    do {
      rc = ::poll(&p, 1, ms);
    } while (rc < 0 && errno == EINTR);
    if (rc < 0) error();  // throws
    return rc > 0;
  }
};

// One accepted connection: under TLS the handshake and the client certificate come first
// (a refused client is closed before any byte of HTTP is read), then Poco's HTTP/1.1
// keep-alive loop.
class Connection : public Poco::Net::TCPServerConnection {
 public:
  Connection(const Poco::Net::StreamSocket& socket, const HttpServer::Impl& impl)
      : TCPServerConnection(socket), impl_(impl) {}
  void run() override {
    if (impl_.tls) {
      socket().setReceiveTimeout(Poco::Timespan(30, 0));
      Result<Peer> peer = impl_.tls->Accept(socket());
      if (!peer.ok()) return;  // refused (reported); the socket closes with this object
      peer_ = std::move(peer.value());
      t_connection_peer = &peer_;
    }
    Poco::Net::StreamSocket socket = this->socket();
    if (!impl_.tls) {
      const int fd = ::dup(socket.impl()->sockfd());
      if (fd >= 0) socket = Poco::Net::StreamSocket(new PlainSocketImpl(fd));
    }
    Poco::Net::HTTPServerConnection http(socket, impl_.params, impl_.factory);
    try {
      http.run();
    } catch (const Poco::Exception& e) {
      LogInfo("http: connection ended: " + e.displayText());
    } catch (const std::exception& e) {
      LogInfo(std::string("http: connection ended: ") + e.what());
    }
    t_connection_peer = nullptr;
  }

 private:
  const HttpServer::Impl& impl_;
  Peer peer_;
};

class ConnectionFactory : public Poco::Net::TCPServerConnectionFactory {
 public:
  explicit ConnectionFactory(const HttpServer::Impl& impl) : impl_(impl) {}
  Poco::Net::TCPServerConnection* createConnection(
      const Poco::Net::StreamSocket& socket) override {
    return new Connection(socket, impl_);
  }

 private:
  const HttpServer::Impl& impl_;
};

}  // namespace

const Peer& RequestPeer(const Poco::Net::HTTPServerRequest&) {
  static const Peer kNone;
  return t_request_peer != nullptr ? *t_request_peer : kNone;
}

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpRouter router) {
  auto impl = std::make_unique<Impl>();
  impl->router = std::move(router);
  impl->host = options.host;
  impl->default_facility = options.default_facility;
  impl->tls = options.tls;
  if (impl->tls && !impl->tls->server()) {
    return Status::Internal("listen", "HttpServer needs a TlsContext::Server context");
  }
  try {
    std::unique_ptr<Poco::Net::ServerSocket> socket =
        impl->tls ? std::make_unique<Poco::Net::SecureServerSocket>(
                        Poco::Net::Context::Ptr(impl->tls->context(), /*shared=*/true))
                  : std::make_unique<Poco::Net::ServerSocket>();
    // SO_REUSEADDR for quick restarts, but never SO_REUSEPORT: a second process on the same
    // port must fail instead of silently sharing the traffic.
    socket->bind(Poco::Net::SocketAddress(options.host, static_cast<Poco::UInt16>(options.port)),
                 /*reuseAddress=*/true, /*reusePort=*/false);
    socket->listen(1024);
    impl->port = socket->address().port();
    impl->params = new Poco::Net::HTTPServerParams;
    impl->params->setMaxThreads(options.max_threads);
    impl->params->setMaxQueued(options.max_queued);
    impl->params->setKeepAlive(true);
    impl->params->setKeepAliveTimeout(Poco::Timespan(options.keep_alive_seconds, 0));
    impl->params->setMaxKeepAliveRequests(options.max_keep_alive_requests);
    impl->params->setTimeout(Poco::Timespan(60, 0));
    impl->factory = new Factory(impl->router, impl->default_facility);
    impl->pool = std::make_unique<Poco::ThreadPool>(2, options.max_threads + 4);
    Poco::Net::TCPServerParams::Ptr tcp_params(impl->params.get(), /*shared=*/true);
    impl->server = std::make_unique<Poco::Net::TCPServer>(new ConnectionFactory(*impl),
                                                          *impl->pool, *socket, tcp_params);
    impl->server->start();
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("listen", "cannot listen on " + options.host + ":" +
                                             std::to_string(options.port) + ": " +
                                             e.displayText());
  }
  return std::unique_ptr<HttpServer>(new HttpServer(std::move(impl)));
}

int HttpServer::port() const { return impl_->port; }

std::string HttpServer::base_url() const {
  std::string host = impl_->host.find(':') != std::string::npos ? "[" + impl_->host + "]"
                                                                 : impl_->host;
  return (impl_->tls ? "https://" : "http://") + host + ":" + std::to_string(impl_->port);
}

void HttpServer::Stop() {
  if (impl_ && !impl_->stopped) {
    impl_->stopped = true;
    impl_->server->stop();
    impl_->factory->NotifyStopped(/*abort_current=*/true);
    impl_->pool->joinAll();
  }
}

Result<QueryParams> QueryParamsOf(const Poco::Net::HTTPServerRequest& request) {
  QueryParams params;
  try {
    for (const auto& [k, v] : Poco::URI(request.getURI()).getQueryParameters()) {
      params.emplace_back(k, v);
    }
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("invalid", "malformed query string: " + e.displayText());
  }
  return params;
}

Result<std::string> ReadRequestBody(Poco::Net::HTTPServerRequest& request, size_t max_bytes) {
  if (request.hasContentLength() && request.getContentLength64() > 0 &&
      static_cast<uint64_t>(request.getContentLength64()) > max_bytes) {
    // Read (and drop) a bounded part of the body first, so that a client that writes the
    // whole body before reading sees the answer rather than a reset (RFC 9112 §9.6); larger
    // bodies are cut off when the connection closes.
    constexpr std::streamsize kDrainLimit = 4 << 20;
    std::streamsize left = std::min<Poco::Int64>(request.getContentLength64(), kDrainLimit);
    char sink[16384];
    std::istream& in = request.stream();
    while (left > 0 && in.read(sink, std::min<std::streamsize>(left, sizeof sink))) {
      left -= in.gcount();
    }
    return Status::ResourceExhausted(
        "body", "request body of " + std::to_string(request.getContentLength64()) +
                    " bytes exceeds the limit of " + std::to_string(max_bytes));
  }
  std::string body;
  if (request.hasContentLength() && request.getContentLength64() > 0) {
    body.reserve(static_cast<size_t>(request.getContentLength64()));
  }
  std::istream& in = request.stream();
  char buf[16384];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    body.append(buf, static_cast<size_t>(in.gcount()));
    if (body.size() > max_bytes) {
      return Status::ResourceExhausted(
          "body", "request body exceeds the limit of " + std::to_string(max_bytes) + " bytes");
    }
  }
  return body;
}

namespace {

bool IsTls(Poco::Net::StreamSocket& socket) {
  return dynamic_cast<Poco::Net::SecureStreamSocketImpl*>(socket.impl()) != nullptr;
}

// The largest plaintext of one TLS record (RFC 8446 §5.1, RFC 5246 §6.2.1).
constexpr size_t kTlsRecordBytes = 16384;

// Sends bytes through a TLS socket in as few records as possible. Every SSL_write is at
// least one record and one write(2) — Poco's TLS socket has no gathering send — so small
// pieces (status line and headers, an envelope's start and end) are copied into one
// buffer and leave as one record of up to 16 KiB; full records of a large piece are
// written straight from it (no copy). Flush sends what is left. Exceptions of the socket
// (timeout, reset) propagate.
class TlsGather {
 public:
  explicit TlsGather(Poco::Net::StreamSocket& socket) : socket_(socket) {
    buffer_.clear();
    buffer_.reserve(kTlsRecordBytes);
  }

  // False when the peer stopped taking bytes.
  bool Append(std::string_view bytes) {
    while (!bytes.empty()) {
      if (buffer_.empty() && bytes.size() >= kTlsRecordBytes) {
        const size_t whole = bytes.size() - bytes.size() % kTlsRecordBytes;
        if (!SendAll(bytes.substr(0, whole))) return false;
        bytes.remove_prefix(whole);
        continue;
      }
      const size_t take = std::min(bytes.size(), kTlsRecordBytes - buffer_.size());
      buffer_.append(bytes.data(), take);
      bytes.remove_prefix(take);
      if (buffer_.size() == kTlsRecordBytes && !Flush()) return false;
    }
    return true;
  }

  bool Flush() {
    const bool ok = SendAll(buffer_);
    buffer_.clear();
    return ok;
  }

 private:
  bool SendAll(std::string_view bytes) {
    while (!bytes.empty()) {
      const int n = socket_.sendBytes(bytes.data(),
                                      static_cast<int>(std::min<size_t>(bytes.size(), 1 << 30)));
      if (n <= 0) return false;
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  Poco::Net::StreamSocket& socket_;
  // One per thread (a connection's answers are sent by the thread serving it).
  static thread_local std::string buffer_;
};

thread_local std::string TlsGather::buffer_;

}  // namespace

void SendWhole(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::initializer_list<std::string_view> parts) {
  size_t body = 0;
  for (std::string_view p : parts) body += p.size();
  response.setChunkedTransferEncoding(false);
  response.setContentLength64(static_cast<Poco::Int64>(body));
  std::ostringstream head_stream;
  response.write(head_stream);  // status line, headers, blank line
  const std::string head = head_stream.str();
  std::vector<std::string_view> pieces{head};
  if (request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD) {
    for (std::string_view p : parts) {
      if (!p.empty()) pieces.push_back(p);
    }
  }
  Poco::Net::StreamSocket& socket =
      dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
  if (IsTls(socket)) {
    // Poco's TLS socket has no gathering send (its writev would bypass TLS): the pieces
    // are gathered into records of up to 16 KiB, a small answer is one record.
    TlsGather gather(socket);
    for (std::string_view p : pieces) {
      if (!gather.Append(p)) return;
    }
    gather.Flush();
    return;
  }
  // One writev of all pieces (no copy into one buffer) on plain sockets; a blocking socket
  // may still take part of it (send timeout, signal): the rest follows piece by piece.
  Poco::Net::SocketBufVec iov;
  for (std::string_view p : pieces) {
    iov.push_back(Poco::Net::Socket::makeBuffer(const_cast<char*>(p.data()), p.size()));
  }
  size_t sent = static_cast<size_t>(socket.sendBytes(iov));
  for (std::string_view p : pieces) {
    if (sent >= p.size()) {
      sent -= p.size();
      continue;
    }
    for (size_t off = sent; off < p.size();) {
      const int n = socket.sendBytes(p.data() + off, static_cast<int>(p.size() - off));
      if (n <= 0) return;
      off += static_cast<size_t>(n);
    }
    sent = 0;
  }
}

namespace {

class SocketBodyWriter : public ResponseBodyWriter {
 public:
  explicit SocketBodyWriter(Poco::Net::StreamSocket& socket) : socket_(socket) {
    if (IsTls(socket)) tls_.emplace(socket);
  }

  Status Write(std::string_view bytes) override {
    try {
      if (tls_) {
        if (!tls_->Append(bytes)) return Status::Unavailable("http", "the client stopped reading");
        written_ += bytes.size();
        return Status::Ok();
      }
      while (!bytes.empty()) {
        const int n = socket_.sendBytes(bytes.data(), static_cast<int>(std::min<size_t>(
                                                          bytes.size(), 1 << 30)));
        if (n <= 0) return Status::Unavailable("http", "the client stopped reading");
        bytes.remove_prefix(static_cast<size_t>(n));
        written_ += static_cast<uint64_t>(n);
      }
    } catch (const Poco::Exception& e) {
      return Status::Unavailable("http", "sending the response failed: " + e.displayText());
    }
    return Status::Ok();
  }

  // Sends what TLS gathering still holds (nothing on plain sockets).
  Status Flush() {
    if (!tls_) return Status::Ok();
    try {
      if (!tls_->Flush()) return Status::Unavailable("http", "the client stopped reading");
    } catch (const Poco::Exception& e) {
      return Status::Unavailable("http", "sending the response failed: " + e.displayText());
    }
    return Status::Ok();
  }

  Status WriteFileRange(const std::string& path, uint64_t start, uint64_t size) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Status::Internal("file", "cannot open " + path + ": " + std::strerror(errno));
    }
    ::posix_fadvise(fd, static_cast<off_t>(start), static_cast<off_t>(size),
                    POSIX_FADV_SEQUENTIAL);
    Status status;
    if (tls_) {
      status = ::lseek(fd, static_cast<off_t>(start), SEEK_SET) < 0
                   ? Status::Internal("file", "cannot seek in " + path)
                   : CopyThroughTls(fd, path, size);
      ::close(fd);
      return status;
    }
    off_t offset = static_cast<off_t>(start);
    uint64_t left = size;
    while (left > 0) {
      const ssize_t n = ::sendfile(socket_.impl()->sockfd(), fd, &offset,
                                   static_cast<size_t>(std::min<uint64_t>(left, 1 << 30)));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        // A send timeout on the blocking socket: the client is not reading.
        status = Status::Unavailable("http", "the client stopped reading");
        break;
      }
      if (n < 0) {
        status = Status::Unavailable("http", std::string("sendfile: ") + std::strerror(errno));
        break;
      }
      if (n == 0) {
        status = Status::Internal("file", path + " is shorter than " + std::to_string(size));
        break;
      }
      left -= static_cast<uint64_t>(n);
      written_ += static_cast<uint64_t>(n);
    }
    ::close(fd);
    return status;
  }

  uint64_t written() const { return written_; }

 private:
  // TLS: the file is read and encrypted in user space (no sendfile; Poco has no kTLS).
  Status CopyThroughTls(int fd, const std::string& path, uint64_t size) {
    thread_local std::vector<char> buffer(256 * 1024);
    uint64_t left = size;
    while (left > 0) {
      const ssize_t n = ::read(fd, buffer.data(), std::min<uint64_t>(left, buffer.size()));
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) return Status::Internal("file", "cannot read " + path + ": " + std::strerror(errno));
      if (n == 0) return Status::Internal("file", path + " is shorter than " + std::to_string(size));
      RENKEI_RETURN_IF_ERROR(Write(std::string_view(buffer.data(), static_cast<size_t>(n))));
      left -= static_cast<uint64_t>(n);
    }
    return Status::Ok();
  }

  Poco::Net::StreamSocket& socket_;
  std::optional<TlsGather> tls_;  // set on TLS sockets
  uint64_t written_ = 0;
};

}  // namespace

Status SendStreamed(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                    uint64_t content_length,
                    const std::function<Status(ResponseBodyWriter&)>& body) {
  response.setChunkedTransferEncoding(false);
  response.setContentLength64(static_cast<Poco::Int64>(content_length));
  std::ostringstream head_stream;
  response.write(head_stream);
  Poco::Net::StreamSocket& socket =
      dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
  SocketBodyWriter writer(socket);
  Status status = writer.Write(head_stream.str());
  const uint64_t head = writer.written();
  if (status.ok() && request.getMethod() != Poco::Net::HTTPRequest::HTTP_HEAD) {
    status = body(writer);
    if (status.ok() && writer.written() - head != content_length) {
      status = Status::Internal("http", "streamed " + std::to_string(writer.written() - head) +
                                            " bytes of a body announced as " +
                                            std::to_string(content_length));
    }
  }
  if (status.ok()) status = writer.Flush();
  if (!status.ok()) {
    response.setKeepAlive(false);
    try {
      socket.shutdown();
    } catch (const Poco::Exception&) {
    }
  }
  return status;
}

void SendResponse(Poco::Net::HTTPServerResponse& response, int status,
                  const std::string& content_type, const std::string& body) {
  response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(status));
  response.setContentType(content_type);
  response.setContentLength64(static_cast<Poco::Int64>(body.size()));
  response.sendBuffer(body.data(), body.size());
}

}  // namespace renkei
