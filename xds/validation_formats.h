// ITI TF-3 4.2.3.1.7 (Table 4.2.3.1.7-2) metadata data types used by xds/validation.h:
// OID, UUID (urn:uuid:), CX patient identifiers, SHA-1 hash, Integer size, DocumentEntry
// uniqueId, RFC 3066 language tags and MIME types. Each *Problem function returns "" when the
// value is well formed, else a short sentence saying what is wrong (for a codeContext).
//
// Thread-safety: pure functions.
#ifndef RENKEI_XDS_VALIDATION_FORMATS_H_
#define RENKEI_XDS_VALIDATION_FORMATS_H_

#include <string>
#include <string_view>

#include "common/oid.h"

namespace renkei::xds {

// Longest OID the TF allows for SubmissionSet/Folder uniqueId, sourceId, repositoryUniqueId
// and the root of a DocumentEntry uniqueId (ITI TF-3 4.2.3.1.7, 4.2.3.2, 4.2.3.3, 4.2.3.4).
inline constexpr size_t kMaxOidLength = 64;
// DocumentEntry.uniqueId: whole value at most 128 characters, extension at most 16.
inline constexpr size_t kMaxDocumentUniqueIdLength = 128;
inline constexpr size_t kMaxUniqueIdExtensionLength = 16;

// ASCII whitespace stripped from both ends.
std::string_view TrimAscii(std::string_view s);

// OID syntax checks (common/oid.h).
using ::renkei::IsDottedDecimal;
using ::renkei::IsOid;
// "" | why `s` is not an OID of at most kMaxOidLength characters.
std::string OidProblem(std::string_view s);

// "urn:uuid:" followed by 8-4-4-4-12 hex digits (RFC 4122 text form, any case).
bool IsUuidUrn(std::string_view s);
bool StartsWithUuidPrefix(std::string_view s);

// CX as ITI TF-3 4.2.3.1.7 profiles it: exactly "id^^^&OID&ISO" (id non-empty; no other
// component or sub-component filled).
std::string CxProblem(std::string_view s);

// DocumentEntry.uniqueId (ITI TF-3 4.2.3.2 uniqueId): an OID (<= 64) or OID^extension
// (root <= 64, extension 1..16 characters), at most 128 characters in all.
std::string DocumentUniqueIdProblem(std::string_view s);

// DocumentEntry.hash: SHA-1 as 40 hexadecimal characters (either case).
std::string HashProblem(std::string_view s);
// DocumentEntry.size: a non-negative decimal integer.
std::string SizeProblem(std::string_view s);
// DocumentEntry.languageCode: RFC 3066 tag (1-8 letters, then "-" 1-8 alphanumerics each).
std::string LanguageCodeProblem(std::string_view s);
// DocumentEntry.mimeType: RFC 2045 "type/subtype" of token characters (parameters allowed).
std::string MimeTypeProblem(std::string_view s);

}  // namespace renkei::xds

#endif  // RENKEI_XDS_VALIDATION_FORMATS_H_
