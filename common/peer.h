// ITI-19 Authenticate Node: who is on the other end of an HTTP request.
//
// With TLS (the normal mode) the requesting facility is read from the client certificate the
// TLS handshake verified against the regional CA and its CRL (the facility OID in the
// certificate's subjectAltName URI `urn:oid:<oid>`); never from a message field.
// Only in the explicit insecure-loopback mode (tls.insecure_loopback=true, plain HTTP on
// 127.0.0.1, for protocol tests) it comes from the documented test header
// `X-Renkei-Facility`, or, absent, the listener's configured default facility.
//
// Thread-safety: RequestPeer may be called from any request thread, for the request that
// thread is serving.
#ifndef RENKEI_COMMON_PEER_H_
#define RENKEI_COMMON_PEER_H_

#include <string>

namespace Poco::Net {
class HTTPServerRequest;
}  // namespace Poco::Net

namespace renkei {

// The documented test header of insecure-loopback mode.
inline constexpr char kFacilityTestHeader[] = "X-Renkei-Facility";

struct Peer {
  enum class Source {
    kCertificate,  // verified client certificate (TLS)
    kTestHeader,   // insecure loopback: X-Renkei-Facility
    kDefault,      // insecure loopback: the listener's default facility (may be empty)
  };
  std::string facility_oid;  // requesting facility; empty only in insecure mode without default
  Source source = Source::kDefault;
  // TLS only: SHA-256 of the client certificate's DER, base64url without padding (the
  // `x5t#S256` an access ticket's `cnf` claim binds to); the certificate's subject
  // commonName and serial number (hex).
  std::string certificate_sha256;
  std::string common_name;
  std::string serial;
  std::string address;  // remote "ip:port"
};

// The peer of the request the calling thread is serving (set by HttpServer before the
// route's handler runs). For a request not dispatched by HttpServer (never in production):
// a kDefault peer with an empty facility.
const Peer& RequestPeer(const Poco::Net::HTTPServerRequest& request);

}  // namespace renkei

#endif  // RENKEI_COMMON_PEER_H_
