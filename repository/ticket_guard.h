// IUA-style access tickets at the data holder (IHE ITI TF-1 34 IUA Resource Server, RFC 6750
// Bearer, RFC 8705 §3 certificate-bound tokens; issue 5, architecture §5): a node serves
// ITI-43 / ITI-68 to another facility only with a valid ticket from the centre covering the
// content; its own facility's systems are trusted by their certificate.
//
// A request is admitted in two steps: Admit (once per request: who asks, and the ticket it
// presents) and Admission::Allows (once per document: does the ticket cover it). Check does
// both for one document. docs/access-tickets.md has the HTTP / SOAP answers of a refusal.
//
// Thread-safety: TicketGuard is immutable after construction; Admit and Check may be called
// from any number of threads at once. An Admission is a plain value.
#ifndef RENKEI_REPOSITORY_TICKET_GUARD_H_
#define RENKEI_REPOSITORY_TICKET_GUARD_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/peer.h"
#include "common/status.h"
#include "trust/access_ticket.h"
#include "trust/bearer.h"

namespace renkei::repository {

// Status::detail() of a refusal (all PermissionDenied): trust/bearer.h (missing_ticket,
// invalid_request, wrong_requester: sub ≠ peer facility, not_covered: patient / document not
// in it) and the verifier's own (trust/access_ticket.h).
using trust::kTicketBadRequest;
using trust::kTicketMissing;
using trust::kTicketNotCovered;
using trust::kTicketWrongRequester;

struct TicketGuardOptions {
  std::string own_facility_oid;  // required: requests from it need no ticket
  // Insecure loopback only (tls.insecure_loopback=true, no client certificates): a peer
  // without a certificate presents its facility OID as the ticket holder (the centre's
  // token endpoint then binds `cnf` `x5t#S256` to that OID, TicketIssuerOptions). Never set
  // with TLS: a peer with a certificate always presents its certificate's thumbprint.
  bool insecure_holder_is_facility = false;
  // Unix seconds now; null: the system clock.
  std::function<int64_t()> clock;
  // Called for every refusal by Admit, Allows and Check (may be null), with the peer, the
  // refusal (PermissionDenied, detail as below) and the document ("" when Admit refused the
  // request): the node records the ATNA security alert / failed retrieve. Must be
  // thread-safe; must not throw.
  std::function<void(const Peer& peer, const Status& refusal,
                     const std::string& document_unique_id)>
      on_refusal;
};

// The outcome of Admit for one request.
class Admission {
 public:
  // The peer is the node's own facility: everything is allowed.
  static Admission Own() { return Admission(std::nullopt); }
  // Another facility with a verified ticket.
  static Admission With(trust::AccessTicket ticket) { return Admission(std::move(ticket)); }

  bool own() const { return !ticket_.has_value(); }
  const trust::AccessTicket* ticket() const { return ticket_ ? &*ticket_ : nullptr; }

  // OK when the peer may fetch document `document_unique_id` of `patient` from repository
  // `repository_unique_id` (the patient and repository the node recorded for that document;
  // an empty patient — a document stored before patients were recorded — is never covered
  // for another facility). PermissionDenied kTicketNotCovered otherwise.
  Status Allows(std::string_view patient, std::string_view repository_unique_id,
                std::string_view document_unique_id) const;
  // True when the ticket names this document or repository at all, whatever the patient:
  // a document the node does not hold may then be answered "unknown" without revealing
  // anything the requester was not told by the centre. Always true for Own().
  bool Names(std::string_view repository_unique_id, std::string_view document_unique_id) const;

 private:
  explicit Admission(std::optional<trust::AccessTicket> t) : ticket_(std::move(t)) {}
  std::optional<trust::AccessTicket> ticket_;
};

class TicketGuard {
 public:
  // `verifier` must have been created with audience = options.own_facility_oid.
  // InvalidArgument "bad_options" when own_facility_oid is empty.
  static Result<std::unique_ptr<TicketGuard>> Create(TicketGuardOptions options,
                                                     trust::TicketVerifier verifier);

  // Reads the centre's ticket key(s) for a node: `jwks_file` (a JWK Set, as the centre's
  // GET /.well-known/jwks.json answers it) or else `public_key_file` (SubjectPublicKeyInfo
  // PEM, as `renkei ca ticket-key` writes its .pub.pem / TicketSigner::public_key_pem()).
  // `issuer`, when non-empty, must equal the tickets' iss. NotFound when a named file
  // cannot be read; InvalidArgument "bad_key" / "bad_options" as TicketVerifier::Create;
  // InvalidArgument "bad_options" when neither file is named.
  static Result<std::unique_ptr<TicketGuard>> FromFiles(TicketGuardOptions options,
                                                        const std::string& jwks_file,
                                                        const std::string& public_key_file,
                                                        const std::string& issuer);

  // The request-level step. OK Own() when peer.facility_oid is the own facility. Otherwise
  // `authorization_header` must be "Bearer <jwt>" (scheme case-insensitive) and the JWT
  // valid for this node (TicketVerifier::Verify with peer.certificate_sha256 as the holder)
  // and issued to peer.facility_oid (sub) — or, for a ticket the centre's relay presents on
  // behalf of `sub`, naming peer.facility_oid as its actor (act.sub). PermissionDenied with detail kTicketMissing
  // (empty header), kTicketBadRequest (another scheme, no token), the verifier's detail, or
  // kTicketWrongRequester. The message never echoes the token.
  Result<Admission> Admit(const Peer& peer, std::string_view authorization_header) const;

  // admission.Allows(...), reporting a refusal to options.on_refusal. An empty `patient`
  // (the node does not know the document) refuses another facility.
  Status Allows(const Peer& peer, const Admission& admission, std::string_view patient,
                std::string_view repository_unique_id, std::string_view document_unique_id) const;

  // Admit, then Allows: OK when `peer` may fetch that document.
  Status Check(const Peer& peer, const std::string& authorization_header,
               const std::string& patient, const std::string& repository_unique_id,
               const std::string& document_unique_id) const;

  const std::string& own_facility_oid() const { return options_.own_facility_oid; }

 private:
  TicketGuard(TicketGuardOptions options, trust::TicketVerifier verifier);
  Result<Admission> AdmitQuietly(const Peer& peer, std::string_view authorization_header) const;
  TicketGuardOptions options_;
  trust::TicketVerifier verifier_;
};

// How HTTP answers a refusal of Admit / Allows (trust/bearer.h).
using trust::TicketChallenge;
using trust::TicketRefusalHttpStatus;

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_TICKET_GUARD_H_
