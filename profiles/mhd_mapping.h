// IHE MHD 4.2 (ITI TF-1 §33, MHD supplement §4.5 "XDS ⇄ FHIR mapping"), FHIR R4 4.0.1:
// the XDS metadata ⇄ FHIR resource mapping shared by the node (ITI-65 Document Recipient,
// which forwards as ITI-42/41) and the centre (ITI-66/67 Document Responder over the
// registry).
//
//   DocumentEntry  ⇄ DocumentReference (Comprehensive / Minimal DocumentReference)
//   SubmissionSet  ⇄ List code "submissionset"
//   Folder         ⇄ List code "folder"
//   ITI-65 Provide Document Bundle → SubmitObjectsRequest + document bytes
//
// JSON goes in and out as text; the XDS side is the plain ebRIM model of xds/rim.h (read
// it through xds/metadata.h). docs/mhd.md holds the mapping table as implemented and
// every deviation and lossy point.
//
// Errors are Status values whose detail() is a FHIR issue type (http://hl7.org/fhir/
// issue-type) for common/fhir_outcome.h: "invalid" (malformed JSON, wrong resource type,
// broken reference, bad base64 / date / identifier), "required" (an element the option
// requires is missing), "not-found" (a Patient or DocumentReference the bundle refers to
// is unknown), "code-invalid" (a code outside the fixed MHD value sets), "not-supported"
// (an MHD feature this mapping does not implement). message() names the resource and
// element; location() is the FHIRPath-like element path.
//
// Thread-safety: pure functions; MhdContext callbacks are called on the caller's thread.
#ifndef RENKEI_PROFILES_MHD_MAPPING_H_
#define RENKEI_PROFILES_MHD_MAPPING_H_

#include <functional>
#include <string>
#include <vector>

#include "common/status.h"
#include "xds/metadata.h"
#include "xds/rim.h"

namespace renkei::profiles {

enum class MhdOption {
  kComprehensive,  // IHE.MHD.Comprehensive.*: every XDS-required attribute present
  kMinimal,        // IHE.MHD.Minimal.*: XDS-required attributes may be missing
};

// Codes a Document Recipient fills into a Minimal Metadata submission when the bundle
// omits them (empty = leave absent). See DecodeProvideDocumentBundle.
struct MhdMinimalDefaults {
  xds::Code class_code;
  xds::Code type_code;
  xds::Code format_code;
  xds::Code confidentiality_code;
  xds::Code healthcare_facility_type_code;
  xds::Code practice_setting_code;
  xds::Code content_type_code;  // SubmissionSet
  std::string language_code;
};

// What the mapping needs to know about the server it runs in. Callbacks may be empty.
struct MhdContext {
  // The FHIR base of the centre, e.g. "https://centre.example/fhir" (no trailing '/').
  // Patient references are written as fhir_base + "/Patient/{id}"; ITI-65 subjects of that
  // form (or relative "Patient/{id}") are resolved through patient_cx.
  std::string fhir_base;
  // XDS patientId (CX) → Patient.id at fhir_base; "" when there is none, in which case
  // subject is written as a logical reference {identifier: {system urn:oid:, value}}.
  std::function<std::string(const std::string& cx)> patient_resource_id;
  // Patient.id at fhir_base → XDS patientId (CX, e.g. "123^^^&1.2.3&ISO"); "" when the
  // Patient is unknown (→ "not-found").
  std::function<std::string(const std::string& patient_id)> patient_cx;
  // The ITI-68 Retrieve Document URL of a document; "" → attachment.url is omitted.
  std::function<std::string(const std::string& repository_unique_id, const std::string& unique_id)>
      document_url;
  // ITI-65: the option assumed when Bundle.meta.profile names neither MHD ProvideBundle.
  MhdOption default_option = MhdOption::kComprehensive;
  // ITI-65: refuse ("required") a Bundle whose meta.profile names no MHD ProvideBundle
  // profile, instead of assuming default_option (the NIST Document Recipient tests expect it).
  bool require_bundle_profile = false;
  MhdMinimalDefaults minimal_defaults;
};

// A DocumentReference.relatesTo: an RPLC/APND/XFRM/signs association whose source is the
// entry being written and whose target is another DocumentEntry (entryUUID).
struct MhdRelatesTo {
  std::string association_type;  // xds::kAssocRplc, ...
  std::string target_entry_uuid;
};

// What a DocumentEntry alone does not say, but its DocumentReference shows.
struct DocumentReferenceExtras {
  // DTM submissionTime of the SubmissionSet that registered the entry: DocumentReference.date.
  // "" → creationTime is used.
  std::string submission_time;
  std::vector<MhdRelatesTo> relates_to;  // XFRM_RPLC has no FHIR code and is skipped
};

// An XDS DocumentEntry (ExtrinsicObject, ids urn:uuid:) as a DocumentReference (JSON).
// status_urn overrides entry.status when non-empty (Approved → current, Deprecated →
// superseded, anything else → entered-in-error). Never fails: absent XDS attributes are
// simply absent in FHIR.
std::string DocumentReferenceJson(const xds::RegistryObject& entry, const std::string& status_urn,
                                  const MhdContext& ctx,
                                  const DocumentReferenceExtras& extras = {});

// Members of a List: entryUUIDs ("urn:uuid:...") of DocumentEntries and of Folders.
struct ListMembers {
  std::vector<std::string> documents;  // → {"item": {"reference": "DocumentReference/{id}"}}
  std::vector<std::string> folders;    // → {"item": {"reference": "List/{id}"}}
};

// An XDS SubmissionSet / Folder (RegistryPackage) as a List (JSON), code "submissionset" /
// "folder". status_urn as above (Approved → current, Deprecated → retired).
std::string SubmissionSetListJson(const xds::RegistryObject& submission_set,
                                  const std::string& status_urn, const ListMembers& members,
                                  const MhdContext& ctx);
std::string FolderListJson(const xds::RegistryObject& folder, const std::string& status_urn,
                           const ListMembers& members, const MhdContext& ctx);

// One resource alone → the ebRIM object it describes, with id = entryUUID from
// identifier[use=official] (else "urn:uuid:" + id, else `fallback_id`). Classifications are
// nested (the SubmissionSet / Folder node classification too). References to other
// resources are not resolved here except the subject (ctx) and contained resources, so
// entry items and relatesTo are dropped; use DecodeProvideDocumentBundle for a submission.
Result<xds::RegistryObject> DecodeDocumentReference(const std::string& json, MhdOption option,
                                                    const MhdContext& ctx,
                                                    const std::string& fallback_id = {});
Result<xds::RegistryObject> DecodeList(const std::string& json, MhdOption option,
                                       const MhdContext& ctx, const std::string& fallback_id = {});

// The bytes of one document of an ITI-65 bundle.
struct MhdDocumentData {
  std::string entry_id;  // the ExtrinsicObject id in `request` ("urn:uuid:...")
  std::string mime_type;
  std::string bytes;  // decoded from Binary.data or attachment.data
  std::string binary_full_url;  // the fullUrl of the Binary entry it came from; "" for data
};

// One Bundle.entry, in order, for the transaction-response.
struct MhdBundleEntry {
  std::string full_url;
  std::string resource_type;  // "List" | "DocumentReference" | "Binary" | "Patient"
  std::string object_id;      // entryUUID of the XDS object it became; "" for Binary / Patient
};

struct MhdSubmission {
  MhdOption option = MhdOption::kComprehensive;
  // SubmissionSet RegistryPackage, ExtrinsicObjects, Folder RegistryPackages, HasMember
  // (SubmissionSetStatus Original / Reference) and RPLC/APND/XFRM/signs associations, all
  // with urn:uuid ids; the SubmissionSet / Folder node classifications are nested in their
  // RegistryPackage (xds::ReadSubmission reads both placements alike).
  xds::SubmitObjectsRequest request;
  std::vector<MhdDocumentData> documents;
  std::vector<MhdBundleEntry> entries;
  // Comprehensive: always false. Minimal: true when an XDS-required attribute stayed
  // missing after filling defaults; the objects then carry the limitedMetadata
  // classification (ITI TF-3 §4.1.1.1) so XDS validation names what is missing.
  bool limited_metadata = false;
};

// ITI-65 Provide Document Bundle (a transaction Bundle) → an XDS submission. The option
// comes from Bundle.meta.profile (IHE.MHD.Comprehensive.ProvideBundle /
// IHE.MHD.Minimal.ProvideBundle), else ctx.default_option. Every entry needs a fullUrl and
// request.method POST; references between entries are resolved by fullUrl.
Result<MhdSubmission> DecodeProvideDocumentBundle(const std::string& bundle_json,
                                                  const MhdContext& ctx);

// ITI-66/67 search parameters (centre Document Responder): a token's system as the XDS
// coding scheme it names, the inverse of the coding system written (http://loinc.org →
// 2.16.840.1.113883.6.1, urn:oid:X → X, any other system as it is).
std::string XdsSchemeOfFhirSystem(const std::string& system);
// A FHIR date or dateTime (YYYY, YYYY-MM, YYYY-MM-DD, or with a time and a zone) as an XDS
// DTM of the same precision (times in UTC). InvalidArgument "invalid" otherwise.
Result<std::string> DtmOfFhirDateTime(const std::string& value);

}  // namespace renkei::profiles

#endif  // RENKEI_PROFILES_MHD_MAPPING_H_
