// FHIR R4 OperationOutcome (JSON) for errors of every FHIR endpoint of Renkei: one issue
// with severity "error", an issue type code (http://hl7.org/fhir/issue-type: invalid,
// code-invalid, not-found, not-supported, processing, exception, ...) and a text a person
// can act on (details.text and diagnostics).
//
// Thread-safety: pure functions.
#ifndef RENKEI_COMMON_FHIR_OUTCOME_H_
#define RENKEI_COMMON_FHIR_OUTCOME_H_

#include <string>

namespace renkei {

inline constexpr char kFhirJson[] = "application/fhir+json; charset=utf-8";

std::string OperationOutcomeJson(const std::string& issue_code, const std::string& text);

// The reader's side: the first issue's diagnostics (else its details.text) of an
// OperationOutcome in JSON; "" when `json` is none.
std::string OperationOutcomeText(const std::string& json);

}  // namespace renkei

#endif  // RENKEI_COMMON_FHIR_OUTCOME_H_
