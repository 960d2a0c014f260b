// ITI-18 Registry Stored Query and ITI-42 Register Document Set-b request bodies for the
// registry benchmark (ITI TF-2 §3.18.4.1.2, §3.42.4.1.2): SOAP 1.2 envelopes as a
// Document Consumer / Document Source sends them.
//
// Thread-safety: pure functions.
#ifndef RENKEI_BENCH_REGISTRY_SOAP_REQUESTS_H_
#define RENKEI_BENCH_REGISTRY_SOAP_REQUESTS_H_

#include <string>

#include "xds/submission_builder.h"

namespace renkei::bench {

// Where the value goes in a query template (the wrk script substitutes it per request).
inline constexpr char kValuePlaceholder[] = "@VALUE@";

// FindDocuments ($XDSDocumentEntryPatientId = placeholder, Approved) with returnType
// "ObjectRef" or "LeafClass". The placeholder stands for an XML-escaped patient CX.
std::string FindDocumentsTemplate(const std::string& return_type, const std::string& to);
// GetDocuments by $XDSDocumentEntryUniqueId = placeholder, LeafClass.
std::string GetDocumentsTemplate(const std::string& to);
// An ITI-42 request registering `submission` (one line: no newline characters).
std::string RegisterRequest(const xds::SimpleSubmission& submission, const std::string& to);
// `text` with &, <, > and ' escaped for an XML text node.
std::string XmlEscape(const std::string& text);

}  // namespace renkei::bench

#endif  // RENKEI_BENCH_REGISTRY_SOAP_REQUESTS_H_
