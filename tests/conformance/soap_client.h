// SOAP 1.2 + WS-Addressing client side of the XDS.b registry transactions (ITI TF-2x V.3):
// request envelope, HTTP POST (common/http_client.h) and response body extraction (plain or MTOM).
#ifndef RENKEI_TESTS_CONFORMANCE_SOAP_CLIENT_H_
#define RENKEI_TESTS_CONFORMANCE_SOAP_CLIENT_H_

#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/status.h"
#include "xds/xds_constants.h"

namespace pugi {
class xml_document;
class xml_node;
}  // namespace pugi

namespace renkei::conformance {

inline constexpr const char* kActionIti42 = xds::kActionRegister;
inline constexpr const char* kActionIti18 = xds::kActionStoredQuery;
inline constexpr const char* kActionIti57 = xds::kActionUpdate;
inline constexpr const char* kActionIti62 = xds::kActionRemove;
inline constexpr const char* kActionIti41 = xds::kActionProvideAndRegister;
inline constexpr const char* kActionIti43 = xds::kActionRetrieve;

using HttpReply = ::renkei::HttpReply;

// Sends one HTTP POST. Implementations: HttpTransport (real), fakes in unit tests.
class Transport {
 public:
  virtual ~Transport() = default;
  // Returns Unavailable when no HTTP exchange happened (connection refused, timeout).
  virtual Result<HttpReply> Post(const std::string& content_type, const std::string& body) = 0;
};

// POSTs to a fixed http:// URL (host, port and path taken from it). Not thread-safe.
class HttpTransport : public Transport {
 public:
  explicit HttpTransport(std::string url) : url_(std::move(url)) {}
  // Where to post (known only once the server printed its bound port).
  void set_url(std::string url) { url_ = std::move(url); }
  Result<HttpReply> Post(const std::string& content_type, const std::string& body) override;

 private:
  std::string url_;
};

// SOAP 1.2 envelope with wsa:Action/MessageID/ReplyTo/To around `body_xml` (no declaration).
std::string WrapSoap12(const std::string& body_xml, const std::string& action,
                       const std::string& to);

// `application/soap+xml; charset=UTF-8; action="<action>"`.
std::string SoapContentType(const std::string& action);

// Parses the reply (a SOAP envelope, possibly as the root part of multipart/related) into
// `doc` and returns the first element child of soap:Body (null when the Body is empty).
// InvalidArgument when the reply is not XML or has no SOAP Body.
Result<pugi::xml_node> ExtractSoapBody(const HttpReply& reply, pugi::xml_document& doc);

// What the engine logs as a step's Result: the SOAP Body's first element, copied into `doc`;
// a <NoSoapReply http="status"/> or <EmptySoapBody/> placeholder when the reply holds no SOAP
// answer; null, with a failure added, when no HTTP exchange happened.
pugi::xml_node ReadSoapReply(const Result<HttpReply>& reply, pugi::xml_document& doc,
                             std::vector<std::string>& failures);

}  // namespace renkei::conformance

#endif  // RENKEI_TESTS_CONFORMANCE_SOAP_CLIENT_H_
