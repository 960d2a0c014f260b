// ITI-18 / ITI-42 over SOAP 1.2 as a Document Source or Consumer sends them (ITI TF-2
// §3.18.4, §3.42.4, Appendix V; ebRS 3.0; ITI TF-3 §4.2.3), written by hand in the test so
// that the e2e tests check the registry against an independent client, not against the
// registry's own codecs. The spec identifiers below are therefore spelled out here on
// purpose (the one test-side copy); the registry's copy lives in xds/xds_constants.h.
#ifndef RENKEI_TESTS_E2E_SOAP_WIRE_H_
#define RENKEI_TESTS_E2E_SOAP_WIRE_H_

#include <map>
#include <string>
#include <vector>

namespace renkei::e2e {

namespace wire {
inline constexpr char kSoap12[] = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr char kSoap11[] = "http://schemas.xmlsoap.org/soap/envelope/";
inline constexpr char kWsa[] = "http://www.w3.org/2005/08/addressing";
inline constexpr char kRim[] = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0";
inline constexpr char kRs[] = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0";
inline constexpr char kLcm[] = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0";
inline constexpr char kQuery[] = "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0";

inline constexpr char kActionRegister[] = "urn:ihe:iti:2007:RegisterDocumentSet-b";
inline constexpr char kActionRegisterResponse[] = "urn:ihe:iti:2007:RegisterDocumentSet-bResponse";
inline constexpr char kActionQuery[] = "urn:ihe:iti:2007:RegistryStoredQuery";
inline constexpr char kActionQueryResponse[] = "urn:ihe:iti:2007:RegistryStoredQueryResponse";
inline constexpr char kActionFault[] = "http://www.w3.org/2005/08/addressing/soap/fault";

inline constexpr char kSuccess[] = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success";
inline constexpr char kFailure[] = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure";
inline constexpr char kSeverityError[] = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error";
inline constexpr char kApproved[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved";
inline constexpr char kDeprecated[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated";

inline constexpr char kSqFindDocuments[] = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d";
inline constexpr char kSqFindSubmissionSets[] = "urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9";
inline constexpr char kSqGetDocuments[] = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4";
}  // namespace wire

// The regional patient-ID domain and patients every e2e centre knows (DefaultCentreOverrides).
inline constexpr char kRegionalDomain[] = "2.999.392.99.1";
std::string PatientId(int n);  // "E2E000n^^^&2.999.392.99.1&ISO", n in 1..3

// One ITI-42 submission: a SubmissionSet with `documents.size()` stable DocumentEntries.
struct TestSubmission {
  std::string patient_id;
  std::string submission_set_unique_id;
  std::vector<std::string> document_unique_ids;
  // true: without the hash, size and repositoryUniqueId slots, as a Document Source sends
  // an ITI-41 (the repository sets them).
  bool for_repository = false;
  // The repositoryUniqueId slot (ITI-42 only); a repository belongs to one facility.
  std::string repository_unique_id = "1.2.392.100495.20.3.51.12410000017.1";
};
// A submission with fresh OIDs (2.25.<random>) for the SubmissionSet and `documents` entries.
TestSubmission NewSubmission(const std::string& patient_id, int documents = 1);
// lcm:SubmitObjectsRequest (symbolic ids, HasMember associations, all required attributes).
std::string SubmitObjectsRequestXml(const TestSubmission& s);
// query:AdhocQueryRequest for FindDocuments (patient, Approved and Deprecated).
std::string FindDocumentsXml(const std::string& patient_id, bool object_ref = false);
// query:AdhocQueryRequest for FindSubmissionSets (patient, Approved).
std::string FindSubmissionSetsXml(const std::string& patient_id);
// query:AdhocQueryRequest for GetDocuments by $XDSDocumentEntryUniqueId.
std::string GetDocumentsXml(const std::vector<std::string>& unique_ids, bool object_ref = false);
// An AdhocQueryRequest with any query id and raw slots {name, value}.
std::string AdhocQueryXml(const std::string& query_id,
                          const std::vector<std::pair<std::string, std::string>>& slots,
                          const std::string& return_type = "LeafClass");

// A SOAP 1.2 request envelope with wsa:Action, MessageID, ReplyTo (anonymous) and To.
std::string Soap12(const std::string& action, const std::string& to, const std::string& body);
// Strips a leading <?xml ...?> declaration from a file's bytes so it can go into a Body.
std::string WithoutXmlDeclaration(const std::string& xml);

// --- HTTP (Poco::Net client)
struct HttpAnswer {
  int status = -1;  // -1: no HTTP answer (error says why)
  std::string content_type;
  std::string body;
  std::string error;
};
// Sends `method` with `body` (Content-Length always) to base_url + path; `headers` as given.
// `content_type` empty: no header.
HttpAnswer Request(const std::string& method, const std::string& base_url, const std::string& path,
                   const std::string& content_type, const std::string& body,
                   const std::map<std::string, std::string>& headers = {}, int timeout_s = 60);
// POSTs `body` to base_url + path with Content-Length. `content_type` empty: no header.
HttpAnswer Post(const std::string& base_url, const std::string& path,
                const std::string& content_type, const std::string& body,
                const std::map<std::string, std::string>& headers = {}, int timeout_s = 60);
// POSTs a SOAP 1.2 message to /xds/registry with application/soap+xml; action="...".
HttpAnswer PostSoap(const std::string& base_url, const std::string& action,
                    const std::string& envelope);

// POSTs `body` with Content-Length over a raw socket, stopping to send as soon as the server
// answers early (e.g. 413 decided from Content-Length), and returns that answer.
HttpAnswer PostEarlyAnswer(const std::string& base_url, const std::string& path,
                           const std::string& content_type, const std::string& body);
// Sends `total_bytes` of filler as a chunked request body (no Content-Length) to
// base_url + path in `chunk_bytes` chunks over a raw socket, stopping as soon as the server
// answers or closes. Returns the answer (status -1 when none could be read) and how many
// body bytes were written before the server stopped reading.
HttpAnswer PostChunkedFiller(const std::string& base_url, const std::string& path,
                             const std::string& content_type, size_t total_bytes,
                             size_t chunk_bytes, size_t* bytes_sent);

// --- SOAP / ebRS answers, read namespace-aware
struct SoapAnswer {
  bool well_formed = false;
  bool soap12 = false;  // root is {SOAP 1.2}Envelope
  std::string action;   // wsa:Action header
  std::string relates_to;
  // Fault (SOAP 1.2 Part 1 §5.4): code/subcode resolved to "{namespace}local".
  bool fault = false;
  std::string fault_code, fault_subcode, fault_reason;
  // ebRS body: "{namespace}local" of the Body's element, its status and errors.
  std::string body_element;
  std::string status;
  std::vector<std::string> error_codes;       // RegistryError/@errorCode, in order
  std::vector<std::string> error_severities;  // RegistryError/@severity
  // AdhocQueryResponse content.
  std::vector<std::string> extrinsic_unique_ids;  // XDSDocumentEntry.uniqueId values
  std::vector<std::string> extrinsic_ids;         // ExtrinsicObject/@id
  std::vector<std::string> package_ids;           // RegistryPackage/@id
  std::vector<std::string> object_refs;           // ObjectRef/@id
  std::string body_xml;  // the Body's element serialised (raw), for before/after comparison
};
SoapAnswer ReadSoap(const std::string& xml);
std::string Qn(const char* ns, const char* local);  // "{ns}local"

}  // namespace renkei::e2e

#endif  // RENKEI_TESTS_E2E_SOAP_WIRE_H_
