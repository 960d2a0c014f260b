// ITI-78 Mobile Patient Demographics Query (PDQm, IHE PDQm 2.x on FHIR R4): Patient search
// parameters as plain criteria, and the centre's patients as FHIR Patient resources.
//
//   _id          the regional ID (the centre's Patient.id)
//   identifier   token "urn:oid:<oid>|value" (or "value" in any domain)
//   family, given, name   string: starts with, ASCII case-insensitive; kanji and kana
//                         names are names like any other (JP Core marks them with the
//                         iso21090-EN-representation extension: IDE kanji, SYL kana)
//   birthdate    date YYYY, YYYY-MM or YYYY-MM-DD ("eq", the default prefix, only)
//   gender       male | female | other | unknown
//   address      string: contained in any address part
//   telecom      token "[phone|]number": contained in a phone number
//   _count       page size (1..100, default 20); the next page is a `next` link with an
//                opaque `_page` cursor
// A parameter the server does not know is ignored (FHIR lenient handling) and left out of
// the self link; a value it cannot use (a birthdate prefix other than eq, a gender outside
// the value set, a bad _count) is InvalidArgument -> 400 OperationOutcome.
//
// Thread-safety: pure functions.
#ifndef RENKEI_PIX_PDQM_H_
#define RENKEI_PIX_PDQM_H_

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "pix/fhir_http.h"
#include "pix/identity_store.h"

namespace renkei::pix {

// The criteria of a Patient search, and the parameters it used (for the self link).
Result<PatientSearch> PatientSearchFromParams(const QueryParams& params, QueryParams* used);

// The Patient resource (JSON) of a record.
std::string PatientJson(const PatientRecord& p);

// A searchset Bundle of `page`: self link with `used`, next link when page.next != 0;
// `base` is the FHIR base URL ("http://host:port/fhir").
std::string SearchBundleJson(const std::string& base, const QueryParams& used,
                             const SearchPage& page, int count);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PDQM_H_
