// ebRIM 2.1 -> ebRS/ebRIM 3.0 SubmitObjectsRequest translation, as the NIST XDS test
// engine performs it for testplans carrying <XDSb/> (NIST-testplan-format.html, "XDSb").
#ifndef RENKEI_TESTS_CONFORMANCE_EBRIM21_TRANSLATOR_H_
#define RENKEI_TESTS_CONFORMANCE_EBRIM21_TRANSLATOR_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace pugi {
class xml_node;
}

namespace renkei::conformance {

inline constexpr char kRim21Ns[] = "urn:oasis:names:tc:ebxml-regrep:rim:xsd:2.1";
inline constexpr char kRs21Ns[] = "urn:oasis:names:tc:ebxml-regrep:registry:xsd:2.1";
inline constexpr char kRim30Ns[] = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0";
inline constexpr char kLcm30Ns[] = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0";
inline constexpr char kRs30Ns[] = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0";

// True when `xml` is an ebRIM 2.1 (XDS.a-style) SubmitObjectsRequest.
bool IsEbrim21(std::string_view xml);

// Translates an ebRIM 2.1 rs:SubmitObjectsRequest into an ebRS 3.0 lcm:SubmitObjectsRequest:
//  - LeafRegistryObjectList becomes rim:RegistryObjectList;
//  - ObjectRefs to the well-known XDS classification scheme / node / object type UUIDs are
//    dropped (NIST does not send them in 3.0); other ObjectRefs are kept;
//  - every RegistryObject child is re-emitted in 3.0 order: Slot*, Name?, Description?,
//    VersionInfo?, Classification*, ExternalIdentifier* (others after);
//  - nested Classifications gain an id (symbolic "ID_<n>" when missing) and classifiedObject,
//    ExternalIdentifiers gain an id and registryObject = the owning object's id;
//  - short associationType values (HasMember, RPLC, APND, XFRM, XFRM_RPLC, signs) become the
//    3.0 URNs.
// Also accepts a 3.0 request: it is returned as authored (no reordering), only identifiable
// objects without an id get a symbolic "ID_<n>" one. Returns InvalidArgument when the text is not well-formed or not a
// SubmitObjectsRequest. Output is a standalone XML fragment (no XML declaration).
Result<std::string> TranslateSubmitObjectsRequest(std::string_view xml);

}  // namespace renkei::conformance

#endif  // RENKEI_TESTS_CONFORMANCE_EBRIM21_TRANSLATOR_H_
