// RFC 6750 Bearer presentation of access tickets (docs/access-tickets.md): reading the
// `Authorization: Bearer <ticket>` header and answering a refusal (§3 WWW-Authenticate,
// §3.1 error codes), shared by every resource server of a ticket: the node's guard
// (repository/ticket_guard.h) and the centre's relay (relay/relay_endpoint.h).
// Thread-safety: pure functions.
#ifndef RENKEI_TRUST_BEARER_H_
#define RENKEI_TRUST_BEARER_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace renkei::trust {

// Status::detail() of a refused presentation (all PermissionDenied), besides the verifier's
// own (access_ticket.h: invalid_token, bad_signature, expired, ...).
inline constexpr char kTicketMissing[] = "missing_ticket";          // no Authorization header
inline constexpr char kTicketBadRequest[] = "invalid_request";      // not "Bearer <token>"
inline constexpr char kTicketWrongRequester[] = "wrong_requester";  // sub ≠ presenting facility
inline constexpr char kTicketNotCovered[] = "not_covered";          // patient / document not in it

// The token of `authorization_header` "Bearer <token>" (scheme case-insensitive, blanks
// around it ignored; a view into the header). PermissionDenied kTicketMissing for an empty
// header, kTicketBadRequest for another scheme, no token or more than one.
Result<std::string_view> BearerToken(std::string_view authorization_header);

// How HTTP answers a refusal (RFC 6750 §3.1): 401 for a missing or invalid ticket, 403
// (insufficient_scope) for kTicketNotCovered, 500 for a non-refusal.
int TicketRefusalHttpStatus(const Status& refusal);
// The WWW-Authenticate value of a 401: `Bearer realm="renkei"` for a missing ticket,
// `Bearer realm="renkei", error="invalid_request"` for a malformed header, else
// `Bearer realm="renkei", error="invalid_token", error_description="<detail>"`.
std::string TicketChallenge(const Status& refusal);

}  // namespace renkei::trust

#endif  // RENKEI_TRUST_BEARER_H_
