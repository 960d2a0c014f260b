// RFC 6750 Bearer presentation of access tickets (trust/bearer.h).
#include "trust/bearer.h"

#include <strings.h>

namespace renkei::trust {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

Result<std::string_view> BearerToken(std::string_view h) {
  while (!h.empty() && IsSpace(h.front())) h.remove_prefix(1);
  while (!h.empty() && IsSpace(h.back())) h.remove_suffix(1);
  if (h.empty()) {
    return Status::PermissionDenied(kTicketMissing,
                                    "an access ticket (Authorization: Bearer) is required");
  }
  constexpr std::string_view kScheme = "bearer";
  if (h.size() <= kScheme.size() || strncasecmp(h.data(), kScheme.data(), kScheme.size()) != 0 ||
      !IsSpace(h[kScheme.size()])) {
    return Status::PermissionDenied(kTicketBadRequest,
                                    "the Authorization header is not 'Bearer <access ticket>'");
  }
  std::string_view token = h.substr(kScheme.size());
  while (!token.empty() && IsSpace(token.front())) token.remove_prefix(1);
  if (token.empty() || token.find_first_of(" \t") != std::string_view::npos) {
    return Status::PermissionDenied(kTicketBadRequest,
                                    "the Authorization header is not 'Bearer <access ticket>'");
  }
  return token;
}

int TicketRefusalHttpStatus(const Status& refusal) {
  if (refusal.code() != StatusCode::kPermissionDenied) return 500;
  return refusal.detail() == kTicketNotCovered ? 403 : 401;
}

std::string TicketChallenge(const Status& refusal) {
  std::string c = "Bearer realm=\"renkei\"";
  if (refusal.detail() == kTicketMissing) return c;
  if (refusal.detail() == kTicketBadRequest) return c + ", error=\"invalid_request\"";
  if (refusal.detail() == kTicketNotCovered) return c + ", error=\"insufficient_scope\"";
  // Details are fixed ASCII words (never the token), safe inside a quoted-string.
  return c + ", error=\"invalid_token\", error_description=\"" + refusal.detail() + "\"";
}

}  // namespace renkei::trust
