// IUA-style access-ticket token endpoint of the centre (IHE ITI-71 Get Access Token, as
// profiled for Renkei; RFC 6749 §4.4 client_credentials grant, §5.1/§5.2 answers; RFC 8705
// certificate-bound tokens; issue 5, architecture §5). docs/access-tickets.md.
//
//   POST /oauth2/token              application/x-www-form-urlencoded:
//                                     grant_type=client_credentials   (required)
//                                     patient=<regional CX>           (required)
//                                     document=<DocumentEntry.uniqueId> (1..max, repeatable)
//                                     purpose_of_use=<code>           (optional, e.g. BTG)
//                                   other parameters are ignored (RFC 6749 §3.2).
//   GET /.well-known/jwks.json      the ticket signing key as a JWK Set
//                                   (application/jwk-set+json)
//
// The requester is the TLS peer (RequestPeer: its facility and the SHA-256 thumbprint of
// its certificate, which the tickets bind as `cnf` `x5t#S256`). Each document is looked up
// with ITI-18 GetDocuments (by uniqueId, LeafClass) AS THE REQUESTER, so the registry's
// disclosure filter decides what it may see. One ticket is issued per repository holding the
// documents, its audience the facility holding that repository (`holder_of`), its
// `documents` the requested uniqueIds in that repository.
//
// Break-glass (purpose of use): the requester's access to the patient (`access_of`, the
// disclosure policy now) decides each document's footing: its own record or one a grant in
// force covers is "ordinary"; one visible only because a break-glass window of the requester
// is in force is "break-glass". A ticket holding a break-glass document carries
// purpose_of_use "BTG" (trust::kPurposeBreakGlass) whatever the client asked; the other
// tickets carry the client's purpose_of_use as asked (or none). A client asking BTG without
// a break-glass window in force is refused (403 access_denied), and so is a request whose
// document lost its footing between the registry's answer and `access_of` (the window just
// closed). Answer 200:
//   {"access_token": <first ticket>, "token_type": "Bearer", "expires_in": N,
//    "tickets": [{"audience": oid, "repository": rid, "access_token": jwt,
//                 "documents": [uid, ...]}, ...]}
// Errors (RFC 6749 §5.2 JSON {"error", "error_description"}, Cache-Control: no-store):
//   400 invalid_request         no certificate thumbprint (see insecure mode), another
//                               Content-Type, a missing / repeated / malformed parameter, too
//                               many documents, a document of another patient
//   400 unsupported_grant_type  grant_type other than client_credentials
//   401 invalid_client          no requesting facility
//   403 access_denied           a document unknown or not visible to the requester (which
//                               one is not said); purpose_of_use=BTG without a break-glass
//                               window of the requester for that patient in force
//   413 invalid_request         a body over max_body_bytes
//   500 server_error            a document without repositoryUniqueId, an unknown holder,
//                               a signing failure, no holder_of
//   503 temporarily_unavailable the registry or its disclosure policy (access_of) could not
//                               answer
//
// Thread-safety: the handlers are called concurrently; the registry, the signer and the
// callbacks must allow that.
#ifndef RENKEI_REGISTRY_TICKET_ENDPOINT_H_
#define RENKEI_REGISTRY_TICKET_ENDPOINT_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/http_server.h"
#include "common/status.h"
#include "directory/disclosure_policy.h"
#include "registry/document_registry.h"
#include "trust/access_ticket.h"

namespace renkei::registry {

inline constexpr char kTokenPath[] = "/oauth2/token";
inline constexpr char kJwksPath[] = "/.well-known/jwks.json";

// One call of the token endpoint, for the ATNA record (the lead's on_issue).
struct TicketIssueEvent {
  std::string requester;               // facility OID of the peer (may be empty when refused)
  std::string holder;                  // the bound thumbprint (or facility OID in insecure mode)
  std::string patient;                 // as requested (may be empty when refused)
  std::vector<std::string> documents;  // as requested
  // The effective purpose: "BTG" when a ticket was issued under break-glass (the ATNA
  // record then says emergency access), else as requested (also when refused).
  std::string purpose_of_use;
  std::string requested_purpose_of_use;  // as the client asked ("" = none)
  Status outcome;                        // OK, or the refusal (detail = the RFC 6749 error code)
  std::vector<trust::AccessTicket> tickets;  // as issued (with jti, iat, exp); empty if refused
};

struct TicketIssuerOptions {
  // Required: signs the tickets; shared with whoever else needs the key (JWKS).
  std::shared_ptr<const trust::TicketSigner> signer;
  std::string issuer;  // required: the tickets' iss (the centre's base URL or OID)
  int64_t lifetime_seconds = trust::kDefaultTicketLifetimeSeconds;
  // Required: the facility OID holding a repository (the lead: directory RepositoryOwner).
  // A non-OK answer refuses the request (500 server_error), naming nothing to the client.
  std::function<Result<std::string>(const std::string& repository_unique_id)> holder_of;
  // The access of `requester` (facility OID) to the records of `patient` (regional CX) now,
  // as the registry's disclosure filter sees it (the centre: AccessFromPolicy(its
  // DisclosurePolicy)). Tells break-glass-only documents from own or granted ones.
  // Unavailable → 503 temporarily_unavailable; another non-OK answer → 500 server_error.
  // Called at most once per request, only when a document is another facility's or BTG is
  // asked. Null (a centre not wired yet; logged once): no ticket is marked BTG and BTG is
  // never issued — asking it is refused 403 access_denied, as without a window — other
  // purposes are copied as asked. Set it wherever break-glass exists.
  std::function<Result<directory::PatientAccess>(const std::string& requester,
                                                 const std::string& patient)>
      access_of;
  // Called once per token request, issued or refused (may be null).
  std::function<void(const TicketIssueEvent&)> on_issue;
  // Unix seconds now; null: the system clock.
  std::function<int64_t()> clock;
  // Insecure loopback only (tls.insecure_loopback=true): a peer without a certificate gets
  // tickets bound to its facility OID (cnf x5t#S256 = the OID); a node whose
  // TicketGuardOptions::insecure_holder_is_facility is set accepts them from plain HTTP peers
  // only. Never set with TLS (a certificate peer is always bound to its certificate).
  bool insecure_holder_is_facility = false;
  size_t max_body_bytes = 64 * 1024;
  size_t max_documents = 100;
};

// TicketIssuerOptions::access_of from `policy` (which must outlive the function): its
// AccessOf at the current UTC time, as the registry's stored queries ask it.
std::function<Result<directory::PatientAccess>(const std::string&, const std::string&)>
AccessFromPolicy(const directory::DisclosurePolicy& policy);

// The POST /oauth2/token handler. `registry` must outlive it. A broken `options` (no signer,
// issuer or holder_of) answers 500 server_error to every request, never crashes.
HttpHandler MakeTicketHandler(DocumentRegistry& registry, TicketIssuerOptions options);

// The GET /.well-known/jwks.json handler: `signer`->jwks().
HttpHandler MakeJwksHandler(std::shared_ptr<const trust::TicketSigner> signer);

// Both routes above on `router`.
void AddTicketRoutes(HttpRouter& router, DocumentRegistry& registry, TicketIssuerOptions options);

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_TICKET_ENDPOINT_H_
