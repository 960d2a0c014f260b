// The XDS.b metadata model (ITI TF-3 §4.2.3): DocumentEntry, SubmissionSet, Folder and
// Association as typed views over the ebRIM objects of xds/rim.h.
//
// Each view keeps the RegistryObject it was read from (`rim`), so extra metadata and
// anything not modelled survive a round trip; the typed fields are what validation,
// storage indexing and queries use. Read*() only extracts: it reports nothing. Rules
// (cardinality, formats, codes) are checked by xds/validation.h.
//
// Thread-safety: plain values.
#ifndef RENKEI_XDS_METADATA_H_
#define RENKEI_XDS_METADATA_H_

#include <string>
#include <vector>

#include "xds/rim.h"

namespace renkei::xds {

// A coded value: Classification nodeRepresentation + codingScheme slot + Name.
struct Code {
  std::string code;
  std::string scheme;
  std::string display;
  bool empty() const { return code.empty(); }
  bool operator==(const Code&) const = default;
};

// An author classification (ITI TF-3 §4.2.3.1.4).
struct Author {
  std::string person;                     // XCN
  std::vector<std::string> institutions;  // XON
  std::vector<std::string> roles;
  std::vector<std::string> specialties;
  std::vector<std::string> telecoms;  // XTN
  bool operator==(const Author&) const = default;
};

struct DocumentEntry {
  RegistryObject rim;  // kind == kExtrinsicObject

  std::string entry_uuid;  // rim.id
  std::string logical_id;  // rim.lid (empty → entry_uuid)
  std::string version;     // rim.version_name
  std::string object_type;
  std::string availability_status;
  std::string mime_type;
  std::string unique_id;
  std::string patient_id;  // CX, e.g. id^^^&1.2.3&ISO
  std::string source_patient_id;
  std::vector<std::string> source_patient_info;
  std::string hash;  // SHA-1 hex
  std::string size;  // decimal text as submitted
  std::string creation_time;
  std::string service_start_time;
  std::string service_stop_time;
  std::string language_code;
  std::string repository_unique_id;
  std::string uri;
  std::string legal_authenticator;
  std::string title;
  std::string comments;
  Code class_code;
  Code type_code;
  Code format_code;
  Code healthcare_facility_type_code;
  Code practice_setting_code;
  std::vector<Code> confidentiality_codes;
  std::vector<Code> event_codes;
  std::vector<Author> authors;
  std::vector<std::string> reference_ids;  // urn:ihe:iti:xds:2013:referenceIdList
  bool limited_metadata = false;
  bool on_demand() const;
};

struct SubmissionSet {
  RegistryObject rim;  // kind == kRegistryPackage
  std::string entry_uuid;
  std::string unique_id;
  std::string patient_id;
  std::string source_id;
  std::string submission_time;
  std::string availability_status;
  std::string title;
  std::string comments;
  Code content_type_code;
  std::vector<Author> authors;
  std::vector<std::string> intended_recipients;
  bool limited_metadata = false;
};

struct Folder {
  RegistryObject rim;  // kind == kRegistryPackage
  std::string entry_uuid;
  std::string logical_id;
  std::string version;
  std::string unique_id;
  std::string patient_id;
  std::string availability_status;
  std::string last_update_time;
  std::string title;
  std::string comments;
  std::vector<Code> codes;  // codeList
  bool limited_metadata = false;
};

enum class AssociationType {
  kHasMember,
  kRplc,
  kApnd,
  kXfrm,
  kXfrmRplc,
  kSigns,
  kIsSnapshotOf,
  kUpdateAvailabilityStatus,
  kOther,  // not an XDS association type: invalid in a submission
};

struct Association {
  RegistryObject rim;  // kind == kAssociation
  std::string entry_uuid;
  AssociationType type = AssociationType::kOther;
  std::string type_urn;
  std::string source;
  std::string target;
  std::string availability_status;
  std::string submission_set_status;  // "Original" | "Reference" | "" (HasMember from a SS)
  std::string previous_version;       // ITI-57 HasMember slot PreviousVersion
  std::string original_status;        // ITI-57 UpdateAvailabilityStatus
  std::string new_status;
  std::string association_propagation;  // ITI-57 "yes" | "no" | ""
};

AssociationType ParseAssociationType(const std::string& urn);
const char* AssociationTypeUrn(AssociationType type);

// A submission (ITI-42 or ITI-57) read into XDS terms.
struct Submission {
  std::vector<SubmissionSet> submission_sets;  // exactly one when valid
  std::vector<DocumentEntry> documents;
  std::vector<Folder> folders;
  std::vector<Association> associations;
  std::vector<std::string> object_refs;
  // RegistryPackages that carry neither the SubmissionSet nor the Folder classification,
  // and anything else that is not XDS metadata: reported by validation.
  std::vector<RegistryObject> unclassified_packages;
  // Standalone classifications whose classifiedObject is no object of the request
  // (e.g. a dangling reference): reported by validation.
  std::vector<Classification> unmatched_classifications;
};

// Reads the XDS view of a decoded request. Standalone classifications of the request are
// matched to the object they classify by classifiedObject and appended to that view's
// `rim.classifications` (unless the object already nests a classification with the same
// non-empty id), so both placements read, validate and store identically; a RegistryPackage
// is a SubmissionSet / Folder when a classification with classificationNode
// kSubmissionSetNode / kFolderNode classifies it either way.
Submission ReadSubmission(const SubmitObjectsRequest& request);

DocumentEntry ReadDocumentEntry(const RegistryObject& object);
SubmissionSet ReadSubmissionSet(const RegistryObject& object);
Folder ReadFolder(const RegistryObject& object);
Association ReadAssociation(const RegistryObject& object);

// The coded value of the first classification with this scheme ("" code when absent),
// and every one of them.
Code ReadCode(const RegistryObject& object, const std::string& scheme);
std::vector<Code> ReadCodes(const RegistryObject& object, const std::string& scheme);
std::vector<Author> ReadAuthors(const RegistryObject& object, const std::string& scheme);

}  // namespace renkei::xds

#endif  // RENKEI_XDS_METADATA_H_
