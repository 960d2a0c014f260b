// FHIR R4 <-> identity-store (HL7 v2) values, in one place for PIXm, PDQm and ITI-104:
// identifier systems (urn:oid), administrative gender, dates, and the JP Core name
// representation extension (iso21090-EN-representation: IDE kanji, SYL kana, ABC roman,
// HL7 v2 XPN-8 I / P / A).
// Thread-safety: pure functions.
#ifndef RENKEI_PIX_FHIR_CODES_H_
#define RENKEI_PIX_FHIR_CODES_H_

#include <string>

namespace renkei::pix {

inline constexpr char kNameRepresentationUrl[] =
    "http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation";

// "urn:oid:1.2.3" -> "1.2.3"; "" for any other system.
std::string OidOfSystem(const std::string& system);
// "1.2.3" -> "urn:oid:1.2.3".
std::string SystemOfOid(const std::string& oid);

// male / female / other / unknown -> M / F / O / U; "" for anything else.
std::string SexOfGender(const std::string& gender);
// M / F / O,A / U,N -> male / female / other / unknown; "" for anything else.
std::string GenderOfSex(const std::string& sex);

// FHIR date YYYY, YYYY-MM or YYYY-MM-DD -> HL7 DTM YYYY[MM[DD]]; "" when malformed.
std::string DtmOfDate(const std::string& date);
// HL7 DTM (first 4, 6 or 8 digits) -> FHIR date; "" when malformed.
std::string DateOfDtm(const std::string& dtm);

// IDE / SYL / ABC -> I / P / A, and back; "" for anything else.
std::string RepresentationOfCode(const std::string& code);
std::string CodeOfRepresentation(const std::string& representation);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_FHIR_CODES_H_
