// Blocking HTTP/1.1 client over Poco::Net::HTTPClientSession.
#include "common/http_client.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/Context.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include "common/tls.h"

namespace renkei {

struct HttpClient::Impl {
  std::shared_ptr<TlsContext> tls;  // keeps the context alive for the session
  std::unique_ptr<Poco::Net::HTTPClientSession> session;
};

HttpClient::HttpClient(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
HttpClient::~HttpClient() = default;

Result<std::unique_ptr<HttpClient>> HttpClient::Create(const std::string& base_url,
                                                       int timeout_seconds,
                                                       std::shared_ptr<TlsContext> tls) {
  try {
    Poco::URI uri(base_url);
    if (uri.getScheme() != "http" && uri.getScheme() != "https") {
      return Status::InvalidArgument("url", "only http:// and https:// URLs are supported: " +
                                                base_url);
    }
    auto impl = std::make_unique<Impl>();
    if (uri.getScheme() == "https") {
      // Mutual TLS with this process's certificate (common/tls.h SetClientTls).
      if (!tls) tls = ClientTls();
      if (!tls) {
        return Status::InvalidArgument("url", "https:// URL '" + base_url +
                                                  "' but this process has no TLS client "
                                                  "certificate configured");
      }
      impl->tls = tls;
      impl->session = std::make_unique<Poco::Net::HTTPSClientSession>(
          uri.getHost(), uri.getPort(), Poco::Net::Context::Ptr(tls->context(), true));
    } else {
      impl->session = std::make_unique<Poco::Net::HTTPClientSession>(uri.getHost(), uri.getPort());
    }
    impl->session->setKeepAlive(true);
    impl->session->setTimeout(Poco::Timespan(timeout_seconds, 0));
    return std::unique_ptr<HttpClient>(new HttpClient(std::move(impl)));
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("url", "malformed URL '" + base_url + "': " + e.displayText());
  }
}

Result<HttpReply> HttpClient::Send(const std::string& method, const std::string& path,
                                   const std::string& content_type, const std::string& body,
                                   const std::map<std::string, std::string>& headers) {
  try {
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    req.setKeepAlive(true);
    if (!content_type.empty()) req.setContentType(content_type);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    std::ostream& out = impl_->session->sendRequest(req);
    out.write(body.data(), static_cast<std::streamsize>(body.size()));
    Poco::Net::HTTPResponse resp;
    std::istream& in = impl_->session->receiveResponse(resp);
    HttpReply reply;
    reply.status = static_cast<int>(resp.getStatus());
    reply.content_type = resp.getContentType();
    Poco::StreamCopier::copyToString(in, reply.body);
    return reply;
  } catch (const Poco::Exception& e) {
    impl_->session->reset();
    return Status::Unavailable("http", method + " " + path + " failed: " + e.displayText());
  }
}

}  // namespace renkei
