// ITI TF-3 4.2.3.1.7 metadata data types: OID, UUID, CX, hash, size, uniqueId, language, MIME.
#include "xds/validation_formats.h"

#include <cctype>

namespace renkei::xds {
namespace {

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) {
  return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}
bool IsAlpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// RFC 2045 token character.
bool IsTokenChar(char c) {
  if (c <= 0x20 || c >= 0x7f) return false;
  static constexpr std::string_view kTspecials = "()<>@,;:\\\"/[]?=";
  return kTspecials.find(c) == std::string_view::npos;
}

}  // namespace

std::string_view TrimAscii(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string OidProblem(std::string_view s) {
  if (s.empty()) return "is empty; an OID is required";
  if (!IsOid(s)) {
    return "is not an OID (digits separated by dots, first arc 0, 1 or 2, no leading zeros)";
  }
  if (s.size() > kMaxOidLength) {
    return "is " + std::to_string(s.size()) + " characters long; an OID here is at most 64";
  }
  return {};
}

bool StartsWithUuidPrefix(std::string_view s) { return s.rfind("urn:uuid:", 0) == 0; }

bool IsUuidUrn(std::string_view s) {
  if (!StartsWithUuidPrefix(s)) return false;
  std::string_view u = s.substr(9);
  if (u.size() != 36) return false;
  for (size_t i = 0; i < u.size(); ++i) {
    const bool dash_pos = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_pos ? u[i] != '-' : !IsHex(u[i])) return false;
  }
  return true;
}

std::string CxProblem(std::string_view s) {
  if (s.empty()) return "is empty";
  const size_t caret = s.find('^');
  if (caret == std::string_view::npos || s.substr(caret, 4) != "^^^&") {
    return "is not of the form id^^^&OID&ISO";
  }
  std::string_view id = s.substr(0, caret);
  if (id.empty()) return "has an empty id (CX.1)";
  if (id.find('&') != std::string_view::npos) return "has '&' in its id (CX.1)";
  std::string_view authority = s.substr(caret + 4);  // OID&ISO
  if (authority.find('^') != std::string_view::npos) {
    return "has components after the assigning authority (only CX.1 and CX.4 are allowed)";
  }
  const size_t amp = authority.find('&');
  if (amp == std::string_view::npos || authority.substr(amp + 1) != "ISO") {
    return "does not end in &ISO (CX.4.3 universal id type must be ISO)";
  }
  // Dotted-decimal only: NIST testkit vectors that must succeed use authorities such as
  // "3.4.5" for sourcePatientId, so the OID first-arc rule is not applied here.
  std::string_view oid = authority.substr(0, amp);
  if (!IsDottedDecimal(oid)) {
    return "has an assigning authority that is not an OID (CX.4.2)";
  }
  return {};
}

std::string DocumentUniqueIdProblem(std::string_view s) {
  if (s.empty()) return "is empty";
  if (s.size() > kMaxDocumentUniqueIdLength) {
    return "is " + std::to_string(s.size()) + " characters long; at most 128 are allowed";
  }
  const size_t caret = s.find('^');
  std::string_view root = s.substr(0, caret);
  if (!IsOid(root)) {
    return caret == std::string_view::npos
               ? "is not an OID (or OID^extension)"
               : "has a root before '^' that is not an OID";
  }
  if (root.size() > kMaxOidLength) return "has an OID root longer than 64 characters";
  if (caret != std::string_view::npos) {
    std::string_view ext = s.substr(caret + 1);
    if (ext.empty()) return "has '^' with no extension (omit '^' when there is none)";
    if (ext.size() > kMaxUniqueIdExtensionLength) {
      return "has an extension longer than 16 characters";
    }
    if (ext.find('^') != std::string_view::npos) return "has more than one '^'";
  }
  return {};
}

std::string HashProblem(std::string_view s) {
  if (s.size() != 40) {
    return "has " + std::to_string(s.size()) +
           " characters; a SHA-1 hash is 40 hexadecimal characters";
  }
  for (char c : s) {
    if (!IsHex(c)) return "contains a character that is not hexadecimal";
  }
  return {};
}

std::string SizeProblem(std::string_view s) {
  if (s.empty()) return "is empty";
  if (s.size() > 19) return "is too large";
  for (char c : s) {
    if (!IsDigit(c)) return "is not a non-negative decimal integer";
  }
  return {};
}

std::string LanguageCodeProblem(std::string_view s) {
  if (s.empty()) return "is empty";
  size_t start = 0;
  bool first = true;
  while (true) {
    size_t dash = s.find('-', start);
    std::string_view tag = s.substr(start, dash == std::string_view::npos ? s.npos : dash - start);
    if (tag.empty() || tag.size() > 8) return "is not an RFC 3066 language tag";
    for (char c : tag) {
      if (first ? !IsAlpha(c) : !(IsAlpha(c) || IsDigit(c))) {
        return "is not an RFC 3066 language tag";
      }
    }
    first = false;
    if (dash == std::string_view::npos) break;
    start = dash + 1;
  }
  return {};
}

std::string MimeTypeProblem(std::string_view s) {
  std::string_view main = s.substr(0, s.find(';'));
  main = TrimAscii(main);
  const size_t slash = main.find('/');
  if (slash == std::string_view::npos || slash == 0 || slash + 1 == main.size()) {
    return "is not a MIME type of the form type/subtype";
  }
  for (size_t i = 0; i < main.size(); ++i) {
    if (i != slash && !IsTokenChar(main[i])) return "is not a MIME type of the form type/subtype";
  }
  return {};
}

}  // namespace renkei::xds
