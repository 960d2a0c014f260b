// The FHIR messages of an MHD 4.2 Document Recipient (ITI-65) and of ITI-68 Retrieve Document
// besides the XDS ⇄ FHIR mapping itself (profiles/mhd_mapping.h): the transaction-response
// Bundle, the Binary resource of a document, and the regional identifier of a Patient read
// from the centre (ITI TF-2 §3.65.4.2, §3.68.4.1; FHIR R4 http.html#transaction-response).
// JSON goes in and out as text.
//
// Thread-safety: pure functions.
#ifndef RENKEI_PROFILES_MHD_MESSAGES_H_
#define RENKEI_PROFILES_MHD_MESSAGES_H_

#include <string>
#include <string_view>
#include <vector>

namespace renkei::profiles {

// A Bundle of type transaction-response with one entry per location, in order, each
// response.status "201 Created" and response.location the given location.
std::string TransactionResponseJson(const std::vector<std::string>& locations);

// A Binary resource: id, contentType and data (base64 of `bytes`).
std::string BinaryJson(const std::string& id, const std::string& content_type,
                       std::string_view bytes);

// The XDS patientId ("value^^^&oid&ISO") of a Patient resource (JSON) in the domain `oid`:
// its identifier whose system is "urn:oid:" + oid. "" when the JSON is no Patient or it has
// no identifier in that domain.
std::string PatientCxInDomain(const std::string& patient_json, const std::string& oid);

}  // namespace renkei::profiles

#endif  // RENKEI_PROFILES_MHD_MESSAGES_H_
