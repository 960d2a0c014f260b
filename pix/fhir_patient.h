// ITI-104 Patient Identity Feed FHIR (IHE PIXm 3.0): a Patient resource (JSON, R4) decoded
// into the plain PatientFeed the identity store takes.
//
//   identifier[]   system "urn:oid:<oid>" + value; other systems are not domains here (400)
//   name[]         family, given[0] (given[1] as middle), use official -> L / maiden -> B,
//                  iso21090-EN-representation IDE / SYL / ABC -> I / P / A
//   gender         male F female ... -> M / F / O / U
//   birthDate      YYYY[-MM[-DD]] -> YYYY[MM[DD]]
//   address[]      line[0] -> street, text -> other, city, state, postalCode, country, use
//   telecom[]      phone values
//   active false + link[type=replaced-by].other.identifier   a merge: this resource's
//                  identifiers are merged into the patient of that identifier (`merged`
//                  holds them, `identifiers` the survivor's)
//
// Thread-safety: pure functions.
#ifndef RENKEI_PIX_FHIR_PATIENT_H_
#define RENKEI_PIX_FHIR_PATIENT_H_

#include <string>

#include "common/status.h"
#include "pix/patient_feed.h"

namespace renkei::pix {

// InvalidArgument (detail: a FHIR issue type, "invalid" or "code-invalid") for a body that
// is not a Patient, an identifier without an urn:oid system, a bad date or gender.
Result<PatientFeed> PatientFeedFromJson(const std::string& body);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_FHIR_PATIENT_H_
