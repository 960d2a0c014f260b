// Builds ITI-42 Register Document Set-b requests (ebRS 3.0 lcm:SubmitObjectsRequest in a
// SOAP 1.2 envelope) from a few plain fields: what a Document Source or Repository sends.
// Used by `renkei demo`, the benchmarks and tests as a client would use it; the registry
// itself never builds requests.
#ifndef RENKEI_XDS_SUBMISSION_BUILDER_H_
#define RENKEI_XDS_SUBMISSION_BUILDER_H_

#include <string>
#include <vector>

#include "xds/metadata.h"
#include "xds/rim.h"

namespace renkei::xds {

struct SimpleDocument {
  std::string symbolic_id;  // e.g. "Document01"; urn:uuid ids are used as given
  std::string unique_id;
  std::string title;
  std::string mime_type = "text/xml";
  std::string hash;  // SHA-1 hex
  std::string size;
  std::string creation_time;  // DTM
  std::string service_start_time;
  std::string language_code = "ja-JP";
  std::string repository_unique_id;
  std::string source_patient_id;  // CX in the facility's domain
  std::string author_person;      // XCN, may be empty
  std::string author_institution;  // XON, may be empty
  Code class_code;
  Code type_code;
  Code format_code;
  Code healthcare_facility_type_code;
  Code practice_setting_code;
  Code confidentiality_code;
  std::vector<Code> event_codes;
};

struct SimpleSubmission {
  std::string patient_id;  // CX in the regional domain
  std::string unique_id;   // SubmissionSet uniqueId
  std::string source_id;   // OID of the source
  std::string submission_time;
  std::string title;
  std::string author_person;
  std::string author_institution;
  Code content_type_code;
  std::vector<SimpleDocument> documents;
};

// The SubmitObjectsRequest as ebRIM objects (symbolic ids, no status).
SubmitObjectsRequest BuildSubmitObjectsRequest(const SimpleSubmission& submission);
// The lcm:SubmitObjectsRequest element as XML text (namespaces declared on it).
// Objects, standalone classifications and rim:ObjectRefs; request slots are not written.
std::string EncodeSubmitObjectsRequest(const SubmitObjectsRequest& request);
// A SOAP 1.2 request envelope with wsa:Action, wsa:MessageID (a fresh urn:uuid), wsa:To and
// wsa:ReplyTo anonymous.
std::string EncodeSoapRequest(const std::string& action, const std::string& to,
                              const std::string& body_xml);
// A fresh random "urn:uuid:..." (RFC 4122 version 4).
std::string NewUrnUuid();

}  // namespace renkei::xds

#endif  // RENKEI_XDS_SUBMISSION_BUILDER_H_
