// HTTP(S) listener glue over Poco::Net::HTTPServer: one route table per role
// (Orthanc-style: every route registered in one place), keep-alive, a bounded thread pool,
// and one catch-all per request so a handler failure answers 500 and the process lives on.
//
// Thread-safety: handlers are called concurrently from the server's threads.
#ifndef RENKEI_COMMON_HTTP_SERVER_H_
#define RENKEI_COMMON_HTTP_SERVER_H_

#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/status.h"
#include "common/tls.h"

namespace Poco::Net {
class HTTPServerRequest;
class HTTPServerResponse;
}  // namespace Poco::Net

namespace renkei {

using HttpHandler =
    std::function<void(Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse&)>;

// Routes by method and path. An exact route matches the path alone (query string ignored);
// a prefix route ("/fhir/") matches every path starting with it. First match wins.
class HttpRouter {
 public:
  void Exact(const std::string& method, const std::string& path, HttpHandler handler);
  void Prefix(const std::string& method, const std::string& prefix, HttpHandler handler);
  // Answers the requests under `prefix` that no route takes, in that protocol's own error
  // form (e.g. a FHIR OperationOutcome); `status` is 404, or 405 when the path exists for
  // another method. Without one, such requests get a plain-text 404 / 405.
  using Unrouted = std::function<void(Poco::Net::HTTPServerRequest&,
                                      Poco::Net::HTTPServerResponse&, int status)>;
  void Fallback(const std::string& prefix, Unrouted handler);
  // The handler for a request, or null (→ 404, or 405 when the path exists for another
  // method; `*method_exists` tells which).
  const HttpHandler* Match(const std::string& method, const std::string& path,
                           bool* path_exists) const;
  // The fallback whose prefix `path` starts with, or null.
  const Unrouted* FallbackFor(const std::string& path) const;

 private:
  struct Route {
    std::string method;
    std::string path;
    bool prefix;
    HttpHandler handler;
  };
  std::vector<Route> routes_;
  std::vector<std::pair<std::string, Unrouted>> fallbacks_;
};

struct HttpServerOptions {
  std::string host = "127.0.0.1";
  int port = 0;  // 0: any free port
  int max_threads = 64;
  int max_queued = 256;
  int keep_alive_seconds = 15;
  int max_keep_alive_requests = 0;  // 0 = unlimited
  // Mutual TLS (TlsContext::Server): every connection completes a TLS handshake with a
  // verified client certificate before any request is read; the requesting facility is the
  // certificate's (common/peer.h). Null: plain HTTP (insecure loopback, tests only), the
  // facility from the X-Renkei-Facility test header, else `default_facility`.
  std::shared_ptr<TlsContext> tls;
  std::string default_facility;
};

class HttpServer {
 public:
  // Binds and starts serving. Unavailable (naming host:port) when the address cannot be bound.
  static Result<std::unique_ptr<HttpServer>> Start(const HttpServerOptions& options,
                                                   HttpRouter router);
  ~HttpServer();  // stops
  int port() const;
  // "http://host:port", or "https://host:port" with TLS
  std::string base_url() const;
  void Stop();

  struct Impl;

 private:
  explicit HttpServer(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

// The request's query parameters, decoded, in order. InvalidArgument (detail "invalid") when
// the query string is malformed.
Result<QueryParams> QueryParamsOf(const Poco::Net::HTTPServerRequest& request);

// Reads a request body of at most `max_bytes` (ResourceExhausted beyond, decided from
// Content-Length before reading when present, otherwise while reading).
Result<std::string> ReadRequestBody(Poco::Net::HTTPServerRequest& request, size_t max_bytes);

// Answers with a body and content type.
void SendResponse(Poco::Net::HTTPServerResponse& response, int status,
                  const std::string& content_type, const std::string& body);

// Answers with `parts` concatenated as the body: status line, headers and the parts go to
// the socket in one writev, uncopied. Poco 1.11 sends any body (send(), sendBuffer()) through a
// 4 KiB stream buffer, one send() per 4 KiB: ~30 system calls for a 120 KB ITI-18 answer.
// Use for large answers; the response's status, content type and other headers are set
// before the call (keep-alive and Date are Poco's). Over TLS the pieces are gathered into
// records of up to 16 KiB instead (one SSL_write and one write(2) per record).
void SendWhole(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
               std::initializer_list<std::string_view> parts);

// The body of a streamed response: pieces go straight to the socket (no stream buffer),
// file contents by sendfile(2) (no copy through user space). Over TLS both are gathered
// into records of up to 16 KiB and sent once the body callback returned OK.
class ResponseBodyWriter {
 public:
  virtual ~ResponseBodyWriter() = default;
  virtual Status Write(std::string_view bytes) = 0;
  // Sends `size` bytes of the file at `path` from byte `offset`. Internal when the file
  // cannot be opened or is shorter.
  virtual Status WriteFileRange(const std::string& path, uint64_t offset, uint64_t size) = 0;
  // Sends `size` bytes of the file at `path` from its start.
  Status WriteFile(const std::string& path, uint64_t size) { return WriteFileRange(path, 0, size); }
};

// Answers with a body of exactly `content_length` bytes written by `body` (status, content
// type and other headers set before the call). When `body` fails, or writes another length,
// the connection is shut down: the client sees a truncated response, never a wrong one.
// Returns what `body` returned.
Status SendStreamed(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response,
                    uint64_t content_length,
                    const std::function<Status(ResponseBodyWriter&)>& body);

}  // namespace renkei

#endif  // RENKEI_COMMON_HTTP_SERVER_H_
