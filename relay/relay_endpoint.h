// The centre's streaming retrieve relay (architecture §1, §3, §9: `/relay/{facility-oid}/…`;
// issue 5 "Outgoing calls (… centre relay → node) use the facility's certificate and verify
// the peer's"). A consumer that cannot reach a hospital's node directly (a browser behind the
// centre, a clinic network that only reaches the centre) sends the node request to the
// centre instead, prefixed with the node's facility OID:
//
//   GET  /relay/{oid}/fhir/Binary/{uniqueId}      → GET  {node}/fhir/Binary/{uniqueId}  (ITI-68)
//   POST /relay/{oid}/xds/repository              → POST {node}/xds/repository          (ITI-43)
//   GET  /relay/{oid}/dicomweb/…, /relay/{oid}/wado…   (DICOMweb, WADO-URI; later issues)
//
// The relay never writes the content down: the node's answer is streamed to the consumer
// through a fixed buffer as it arrives (architecture §3: document bytes never stored at the
// centre).
//
// Authorization (docs/relay.md). The consumer presents, as it would to the node, the access
// ticket the centre issued it for that node (`Authorization: Bearer`, docs/access-tickets.md):
// the relay verifies it (signature, lifetime, issuer, audience = the target facility, bound
// to the consumer's own certificate, issued to the consumer's facility, not itself a relay
// ticket) and forwards the request with a relay ticket instead: the same claims, `act.sub`
// the centre's facility (RFC 8693 §4.1), bound (`cnf`) to the centre's client certificate,
// over mutual TLS with that certificate. The node checks it as any ticket, admitting it from
// its actor (repository/ticket_guard.h), so it decides document by document what it serves.
//
// Answers of the relay itself (FHIR paths: OperationOutcome; other paths: text/plain):
//   400  malformed facility OID or path (not /xds/repository, /fhir/…, /dicomweb/…, /wado…,
//        or with dot segments, encoded slashes or dots, backslashes, empty segments)
//   401  missing or invalid ticket (WWW-Authenticate: Bearer …, RFC 6750 §3)
//   404  no node listed for that facility
//   413  a request body over max_request_bytes
//   502  the node could not be reached or answered garbage; 504 it timed out
// Everything else is the node's own answer (status, body and its content headers).
//
// Thread-safety: the handler runs concurrently; each request opens its own connection to
// the node (no pooling). The callbacks must be thread-safe.
#ifndef RENKEI_RELAY_RELAY_ENDPOINT_H_
#define RENKEI_RELAY_RELAY_ENDPOINT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/http_server.h"
#include "common/status.h"
#include "common/tls.h"
#include "trust/access_ticket.h"

namespace renkei::relay {

inline constexpr char kRelayPrefix[] = "/relay/";

// One relayed (or refused) request, for the ATNA record.
struct RelayEvent {
  std::string requester;  // the consumer's facility (may be empty when refused early)
  std::string target;     // the facility relayed to (as asked; may be malformed when refused)
  std::string method;
  std::string path;  // the node path, without query string
  std::string patient;                 // the ticket's (empty when refused before verifying)
  std::vector<std::string> documents;  // the ticket's
  std::string purpose_of_use;          // the ticket's
  int status = 0;      // the HTTP status the consumer got
  Status outcome;      // OK when forwarded (whatever the node answered), else the refusal
  uint64_t bytes = 0;  // body bytes relayed to the consumer
};

struct RelayOptions {
  // Required: the base URL ("https://host:port") of the node of facility `oid`. NotFound
  // answers 404; other errors 502.
  std::function<Result<std::string>(const std::string& oid)> node_of;
  // Required: the centre's ticket key (verifies consumers' tickets, signs relay tickets).
  std::shared_ptr<const trust::TicketSigner> signer;
  std::string issuer;            // required: the tickets' iss
  std::string relay_facility;    // required: the centre's facility OID (act.sub)
  std::string relay_thumbprint;  // required: cnf of relay tickets (the centre's client
                                 // certificate; insecure loopback: relay_facility)
  // Client context to the nodes (the centre's certificate). Null: plain http:// nodes only
  // (insecure loopback; the relay then names itself with the X-Renkei-Facility test header).
  std::shared_ptr<TlsContext> tls;
  // Insecure loopback only: a consumer without a certificate presents its facility OID as
  // the ticket holder (as registry/ticket_endpoint.h TicketIssuerOptions).
  bool insecure_holder_is_facility = false;
  std::function<int64_t()> clock;  // Unix seconds; null: the system clock
  std::function<void(const RelayEvent&)> on_relay;  // every request, relayed or refused
  int timeout_seconds = 60;
  size_t max_request_bytes = 1 << 20;
};

// The handler of GET and POST under kRelayPrefix. A broken `options` (no node_of, signer,
// issuer, relay facility or thumbprint) answers 500 to every request.
HttpHandler MakeRelayHandler(RelayOptions options);

// GET and POST prefix routes kRelayPrefix on `router`.
void AddRelayRoutes(HttpRouter& router, RelayOptions options);

// "scheme://host:port" of an absolute http(s) URL; InvalidArgument otherwise.
Result<std::string> OriginOf(const std::string& url);

}  // namespace renkei::relay

#endif  // RENKEI_RELAY_RELAY_ENDPOINT_H_
