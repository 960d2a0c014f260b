// The facts of an ITI-8 Patient Identity Feed (HL7 v2 ADT) as plain types, decoded at the
// edge (IHE ITI TF-2 3.8; HL7 v2.5 PID, MRG). The identity store never sees HL7.
//
//   PID-3  identifiers   CX: id ^ check digit ^ scheme ^ assigning authority (HD:
//                        namespace & universal id & type) ^ identifier type code
//   PID-5  names         XPN: family ^ given ^ middle ^ suffix ^ prefix ^ degree ^ name type
//                        ^ representation (I ideographic/kanji, P phonetic/kana, A alphabetic)
//   PID-7  birth date    DTM (kept as sent, YYYY[MM[DD...]])
//   PID-8  sex           M F O U A N
//   PID-11 addresses     XAD: street ^ other ^ city ^ state ^ zip ^ country ^ type; SS-MIX2
//                        puts a whole Japanese address in component 8 (other designation)
//   PID-13/14 phones     XTN: the number from component 1, else 12 (unformatted), else
//                        area code (6) + local number (7)
//   MRG-1  merged ids    (A40) the identifiers of the patient merged away
//
// An identifier whose id is the HL7 null "" is not an identifier: it names its domain in
// `removed_domains` (an update's statement that the patient has no id there) and is never
// stored as a value.
//
// Thread-safety: values; the function is pure.
#ifndef RENKEI_PIX_PATIENT_FEED_H_
#define RENKEI_PIX_PATIENT_FEED_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "pix/hl7_message.h"

namespace renkei::pix {

struct Cx {
  std::string id;
  std::string namespace_id;  // HD-1, may be empty
  std::string oid;           // HD-2 when HD-3 is ISO, may be empty
  std::string type_code;     // CX-5, e.g. PI, MR, SS
  bool operator==(const Cx&) const = default;
};

struct PersonName {
  std::string family;
  std::string given;
  std::string middle;
  std::string type;            // XPN-7: L legal, B birth, ...
  std::string representation;  // XPN-8: I, P, A or empty
  bool operator==(const PersonName&) const = default;
};

struct Address {
  std::string street;
  std::string other;  // XAD-2; SS-MIX2's full address is in XAD-8, copied here when 1–2 are empty
  std::string city;
  std::string state;
  std::string postal_code;
  std::string country;
  std::string type;  // XAD-7: H home, ...
  bool operator==(const Address&) const = default;
};

struct PatientFeed {
  std::string event;  // MSH-9.2 / EVN-1: A01, A04, A05, A08, A40, ...
  std::vector<Cx> identifiers;
  std::vector<Cx> removed_domains;  // "" ids: domain only
  std::vector<PersonName> names;
  std::string birth_date;
  std::string sex;
  std::vector<Address> addresses;
  std::vector<std::string> phones;
  std::vector<Cx> merged;  // MRG-1 (A40)
};

// Decodes the PID (and MRG for A40) of an ADT message. InvalidArgument with the HL7 error
// code (Table 0357) as detail and the place as location: "100" (detail) when PID is
// missing or, for A40, MRG; "101" when PID-3 (or MRG-1) carries no identifier at all.
Result<PatientFeed> DecodePatientFeed(const hl7::Message& m);

// The CX as XDS patient ids are written (ITI TF-3 4.2.3.2.16): "id^^^&oid&ISO" when the
// authority has an OID (namespace and type code dropped), else "id^^^namespace".
std::string FormatCx(const Cx& cx);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PATIENT_FEED_H_
