// HTTP listener glue over Poco::Net::HTTPServer.
#include "common/http_server.h"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/ThreadPool.h>
#include <Poco/URI.h>

#include <fcntl.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <istream>
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

class RoutingHandler : public Poco::Net::HTTPRequestHandler {
 public:
  explicit RoutingHandler(const HttpRouter& router) : router_(router) {}
  void handleRequest(Poco::Net::HTTPServerRequest& request,
                     Poco::Net::HTTPServerResponse& response) override {
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
  }

 private:
  const HttpRouter& router_;
};

class Factory : public Poco::Net::HTTPRequestHandlerFactory {
 public:
  explicit Factory(const HttpRouter& router) : router_(router) {}
  Poco::Net::HTTPRequestHandler* createRequestHandler(
      const Poco::Net::HTTPServerRequest&) override {
    return new RoutingHandler(router_);
  }

 private:
  const HttpRouter& router_;
};

}  // namespace

struct HttpServer::Impl {
  HttpRouter router;
  std::unique_ptr<Poco::ThreadPool> pool;
  std::unique_ptr<Poco::Net::HTTPServer> server;
  std::string host;
  int port = 0;
  bool stopped = false;
};

HttpServer::HttpServer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

HttpServer::~HttpServer() { Stop(); }

Result<std::unique_ptr<HttpServer>> HttpServer::Start(const HttpServerOptions& options,
                                                      HttpRouter router) {
  auto impl = std::make_unique<Impl>();
  impl->router = std::move(router);
  impl->host = options.host;
  try {
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR for quick restarts, but never SO_REUSEPORT: a second process on the same
    // port must fail instead of silently sharing the traffic.
    socket.bind(Poco::Net::SocketAddress(options.host, static_cast<Poco::UInt16>(options.port)),
                /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(1024);
    impl->port = socket.address().port();
    auto* params = new Poco::Net::HTTPServerParams;
    params->setMaxThreads(options.max_threads);
    params->setMaxQueued(options.max_queued);
    params->setKeepAlive(true);
    params->setKeepAliveTimeout(Poco::Timespan(options.keep_alive_seconds, 0));
    params->setMaxKeepAliveRequests(options.max_keep_alive_requests);
    params->setTimeout(Poco::Timespan(60, 0));
    impl->pool = std::make_unique<Poco::ThreadPool>(2, options.max_threads + 4);
    impl->server = std::make_unique<Poco::Net::HTTPServer>(new Factory(impl->router), *impl->pool,
                                                           socket, params);
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
  return "http://" + host + ":" + std::to_string(impl_->port);
}

void HttpServer::Stop() {
  if (impl_ && !impl_->stopped) {
    impl_->stopped = true;
    impl_->server->stopAll(true);
    impl_->pool->joinAll();
  }
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
  // One writev of all pieces (no copy into one buffer); a blocking socket may still take
  // part of it (send timeout, signal): the rest follows piece by piece.
  Poco::Net::SocketBufVec iov;
  for (std::string_view p : pieces) {
    iov.push_back(Poco::Net::Socket::makeBuffer(const_cast<char*>(p.data()), p.size()));
  }
  Poco::Net::StreamSocket& socket = dynamic_cast<Poco::Net::HTTPServerRequestImpl&>(request).socket();
  size_t sent = static_cast<size_t>(socket.sendBytes(iov));
  for (std::string_view p : pieces) {
    if (sent >= p.size()) {
      sent -= p.size();
      continue;
    }
    socket.sendBytes(p.data() + sent, static_cast<int>(p.size() - sent));
    sent = 0;
  }
}

namespace {

class SocketBodyWriter : public ResponseBodyWriter {
 public:
  explicit SocketBodyWriter(Poco::Net::StreamSocket& socket) : socket_(socket) {}

  Status Write(std::string_view bytes) override {
    try {
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

  Status WriteFile(const std::string& path, uint64_t size) override {
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return Status::Internal("file", "cannot open " + path + ": " + std::strerror(errno));
    }
    ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
    off_t offset = 0;
    uint64_t left = size;
    Status status;
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
  Poco::Net::StreamSocket& socket_;
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
