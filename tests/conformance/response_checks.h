// Client-side verdicts of the NIST XDS test engine: ExpectedStatus, ExpectedErrorCode /
// ExpectedErrorMessage and ExpectedContents of an ITI-18 response (NIST-testplan-format.html).
#ifndef RENKEI_TESTS_CONFORMANCE_RESPONSE_CHECKS_H_
#define RENKEI_TESTS_CONFORMANCE_RESPONSE_CHECKS_H_

#include <string>
#include <vector>

#include "tests/conformance/testplan.h"

namespace pugi {
class xml_node;
}

namespace renkei::conformance {

struct RegistryErrorEntry {
  std::string code;
  std::string context;
  std::string severity;
};

// What the engine extracted from a registry response body.
struct ParsedResponse {
  bool soap_fault = false;
  std::string fault_text;
  std::string status;  // full status URN, "" when absent
  std::vector<RegistryErrorEntry> errors;
};

// Reads a RegistryResponse / AdhocQueryResponse / RetrieveDocumentSetResponse (or a SOAP
// Fault) element.
ParsedResponse ParseRegistryResponse(pugi::xml_node body_child);

// ParseRegistryResponse of a logged reply (soap_client.h ReadSoapReply), whose placeholders
// <NoSoapReply/> and <EmptySoapBody/> count as a SOAP Fault.
ParsedResponse ParseReply(pugi::xml_node response);

// ExpectedStatus (CheckStatus) and ExpectedErrorCode/Message (CheckErrors) of `step` against a
// logged reply; nothing when `response` is null (the transport failure is already recorded).
std::vector<std::string> CheckStepVerdict(const TestStep& step, pugi::xml_node response);

// A wire example's verdict (wire_cases.txt) against a logged reply: `expect` Success |
// Failure | SuccessEmptyOrFailure (success must then return no documents), and, unless the
// reply is a SOAP Fault, some RegistryError with one of `codes` when `codes` is not empty.
std::vector<std::string> CheckWireVerdict(pugi::xml_node response, const std::string& expect,
                                          const std::vector<std::string>& codes);

// "Success" accepts ...:Success and PartialSuccess (a warning); "Failure" accepts ...:Failure
// and a SOAP Fault. Returns "" when it matches, otherwise why not.
std::string CheckStatus(const ParsedResponse& r, const std::string& expected);

// ExpectedErrorCode: some RegistryError has errorCode == code. ExpectedErrorMessage: some
// RegistryError's codeContext contains the text (NIST's indexOf rule) or its errorCode equals
// it. Returns one message per unmet expectation.
std::vector<std::string> CheckErrors(const ParsedResponse& r, const TestStep& step);

// Evaluates ExpectedContents against an AdhocQueryResponse element. Returns one message per
// unmet or uninterpreted expectation.
std::vector<std::string> CheckExpectedContents(pugi::xml_node response,
                                               const std::vector<ExpectedContent>& expected);

}  // namespace renkei::conformance

#endif  // RENKEI_TESTS_CONFORMANCE_RESPONSE_CHECKS_H_
