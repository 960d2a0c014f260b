// A small blocking HTTP/1.1 client over Poco (keep-alive per HttpClient object), for
// role-to-role calls, `renkei demo`, tools and tests.
// Thread-safety: one HttpClient per thread.
#ifndef RENKEI_COMMON_HTTP_CLIENT_H_
#define RENKEI_COMMON_HTTP_CLIENT_H_

#include <map>
#include <memory>
#include <string>

#include "common/status.h"
#include "common/tls.h"

namespace renkei {

struct HttpReply {
  int status = 0;
  std::string content_type;
  std::string body;
};

class HttpClient {
 public:
  // `base_url`: "http://host:port" or "https://host:port" (mutual TLS with the process's
  // client context, common/tls.h SetClientTls). InvalidArgument for another scheme, a
  // malformed URL, or https without a client context.
  // `tls`: the client certificate context for https:// (null: the process's, ClientTls()).
  static Result<std::unique_ptr<HttpClient>> Create(const std::string& base_url,
                                                    int timeout_seconds = 30,
                                                    std::shared_ptr<TlsContext> tls = nullptr);
  ~HttpClient();
  // Sends a request with `body` to `path` (absolute path, may carry a query string).
  // Unavailable when the connection fails; any HTTP status is a successful reply.
  Result<HttpReply> Send(const std::string& method, const std::string& path,
                         const std::string& content_type, const std::string& body,
                         const std::map<std::string, std::string>& headers = {});
  Result<HttpReply> Post(const std::string& path, const std::string& content_type,
                         const std::string& body) {
    return Send("POST", path, content_type, body);
  }

  struct Impl;

 private:
  explicit HttpClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei

#endif  // RENKEI_COMMON_HTTP_CLIENT_H_
