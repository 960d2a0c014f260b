// ITI TF-3 §4 metadata validation (xds/validation.h): one table row per rule, each built
// from a valid ITI-42 submission by one mutation, asserting the exact XDS error codes and
// locations ValidateSubmission reports.
#include "xds/validation.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "common/patient_id_source.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

constexpr char kPid[] = "pid1^^^&1.3.6.1.4.1.21367.2005.3.7&ISO";
constexpr char kOtherPid[] = "pid2^^^&1.3.6.1.4.1.21367.2005.3.7&ISO";
constexpr char kSs[] = "SubmissionSet01";
constexpr char kDoc[] = "Document01";
constexpr char kFol[] = "Folder01";
constexpr char kUuidDoc[] = "urn:uuid:0f2a1b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b";
constexpr char kUuidSs[] = "urn:uuid:1a2b3c4d-5e6f-4a1b-8c2d-3e4f5a6b7c8d";
constexpr char kUuidAssoc[] = "urn:uuid:2b3c4d5e-6f7a-4b2c-9d3e-4f5a6b7c8d9e";
constexpr char kExisting[] = "urn:uuid:e0985823-dc50-45a5-a6c8-a11a829893bd";

Classification CodeCls(const std::string& parent, const char* scheme, const Code& c) {
  Classification cl;
  cl.classification_scheme = scheme;
  cl.classified_object = parent;
  cl.node_representation = c.code;
  cl.name.strings.push_back({c.display, "", ""});
  cl.slots.push_back({kSlotCodingScheme, "", {c.scheme}});
  return cl;
}

ExternalIdentifier Ext(const std::string& parent, const char* scheme, const std::string& v) {
  ExternalIdentifier e;
  e.identification_scheme = scheme;
  e.registry_object = parent;
  e.value = v;
  return e;
}

const Code kClass{"History and Physical", "Connect-a-thon classCodes", "History and Physical"};
const Code kConf{"1.3.6.1.4.1.21367.2006.7.101", "Connect-a-thon confidentialityCodes",
                 "Clinical-Staff"};
const Code kFormat{"CDAR2/IHE 1.0", "Connect-a-thon formatCodes", "CDAR2/IHE 1.0"};
const Code kFacility{"Outpatient", "Connect-a-thon healthcareFacilityTypeCodes", "Outpatient"};
const Code kPractice{"General Medicine", "Connect-a-thon practiceSettingCodes",
                     "General Medicine"};
const Code kType{"34108-1", "LOINC", "Outpatient Evaluation And Management"};
const Code kContent{"History and Physical", "Connect-a-thon contentTypeCodes",
                    "History and Physical"};
const Code kFolderCode{"Referrals", "Connect-a-thon folderCodeList", "Referrals"};

DocumentEntry MakeDoc(const std::string& id, const std::string& unique_id) {
  DocumentEntry d;
  d.rim.kind = ObjectKind::kExtrinsicObject;
  d.rim.id = id;
  d.rim.object_type = kObjectTypeStableDocument;
  d.rim.mime_type = "text/plain";
  d.entry_uuid = id;
  d.object_type = kObjectTypeStableDocument;
  d.mime_type = "text/plain";
  d.unique_id = unique_id;
  d.patient_id = kPid;
  d.source_patient_id = "89765a87b^^^&3.4.5&ISO";
  d.hash = "e543712c0e10501972de13a5bfcbe826c49feb75";
  d.size = "36";
  d.creation_time = "20051224";
  d.service_start_time = "200412230800";
  d.service_stop_time = "200412230801";
  d.language_code = "en-us";
  d.repository_unique_id = "1.19.6.24.109.42.1";
  d.class_code = kClass;
  d.confidentiality_codes = {kConf};
  d.format_code = kFormat;
  d.healthcare_facility_type_code = kFacility;
  d.practice_setting_code = kPractice;
  d.type_code = kType;
  d.rim.slots = {{kSlotCreationTime, "", {d.creation_time}},
                 {kSlotLanguageCode, "", {d.language_code}},
                 {kSlotServiceStartTime, "", {d.service_start_time}},
                 {kSlotServiceStopTime, "", {d.service_stop_time}},
                 {kSlotSourcePatientId, "", {d.source_patient_id}},
                 {kSlotHash, "", {d.hash}},
                 {kSlotSize, "", {d.size}},
                 {kSlotRepositoryUniqueId, "", {d.repository_unique_id}}};
  Classification author;
  author.classification_scheme = kDocEntryAuthor;
  author.classified_object = id;
  author.slots = {{kSlotAuthorPerson, "", {"^Smitty^Gerald^^^"}},
                  {kSlotAuthorInstitution, "", {"Cleveland Clinic", "Parma Community"}}};
  d.rim.classifications = {author,
                           CodeCls(id, kDocEntryClassCode, kClass),
                           CodeCls(id, kDocEntryConfidentialityCode, kConf),
                           CodeCls(id, kDocEntryFormatCode, kFormat),
                           CodeCls(id, kDocEntryHealthcareFacilityTypeCode, kFacility),
                           CodeCls(id, kDocEntryPracticeSettingCode, kPractice),
                           CodeCls(id, kDocEntryTypeCode, kType)};
  d.rim.external_identifiers = {Ext(id, kDocEntryPatientId, kPid),
                                Ext(id, kDocEntryUniqueId, unique_id)};
  return d;
}

SubmissionSet MakeSubmissionSet(const std::string& id, const std::string& unique_id) {
  SubmissionSet s;
  s.rim.kind = ObjectKind::kRegistryPackage;
  s.rim.id = id;
  s.entry_uuid = id;
  s.unique_id = unique_id;
  s.patient_id = kPid;
  s.source_id = "1.3.6.1.4.1.21367.2005.3.7.1";
  s.submission_time = "20041225235050";
  s.content_type_code = kContent;
  s.rim.slots = {{kSlotSubmissionTime, "", {s.submission_time}}};
  Classification node;
  node.classification_node = kSubmissionSetNode;
  node.classified_object = id;
  s.rim.classifications = {node, CodeCls(id, kSubmissionSetContentTypeCode, kContent)};
  s.rim.external_identifiers = {Ext(id, kSubmissionSetUniqueId, unique_id),
                                Ext(id, kSubmissionSetSourceId, s.source_id),
                                Ext(id, kSubmissionSetPatientId, kPid)};
  return s;
}

Folder MakeFolder(const std::string& id, const std::string& unique_id) {
  Folder f;
  f.rim.kind = ObjectKind::kRegistryPackage;
  f.rim.id = id;
  f.rim.name.strings.push_back({"Referrals folder", "", ""});
  f.entry_uuid = id;
  f.title = "Referrals folder";
  f.unique_id = unique_id;
  f.patient_id = kPid;
  f.codes = {kFolderCode};
  Classification node;
  node.classification_node = kFolderNode;
  node.classified_object = id;
  f.rim.classifications = {node, CodeCls(id, kFolderCodeList, kFolderCode)};
  f.rim.external_identifiers = {Ext(id, kFolderUniqueId, unique_id),
                                Ext(id, kFolderPatientId, kPid)};
  return f;
}

Association MakeAssoc(const std::string& id, AssociationType type, const char* urn,
                      const std::string& source, const std::string& target,
                      const std::string& ss_status = "") {
  Association a;
  a.rim.kind = ObjectKind::kAssociation;
  a.rim.id = id;
  a.rim.association_type = urn;
  a.rim.source_object = source;
  a.rim.target_object = target;
  a.entry_uuid = id;
  a.type = type;
  a.type_urn = urn;
  a.source = source;
  a.target = target;
  if (!ss_status.empty()) {
    a.submission_set_status = ss_status;
    a.rim.slots.push_back({kSlotSubmissionSetStatus, "", {ss_status}});
  }
  return a;
}

Association HasMember(const std::string& id, const std::string& source,
                      const std::string& target, const std::string& ss_status = "") {
  return MakeAssoc(id, AssociationType::kHasMember, kAssocHasMember, source, target, ss_status);
}

// A valid ITI-42 submission: one SubmissionSet, one DocumentEntry, its HasMember.
Submission Baseline() {
  Submission s;
  s.submission_sets.push_back(MakeSubmissionSet(kSs, "1.3.6.1.4.1.21367.2005.3.99.100"));
  s.documents.push_back(MakeDoc(kDoc, "1.3.6.1.4.1.21367.2005.3.99.200"));
  s.associations.push_back(HasMember("HasMember01", kSs, kDoc, "Original"));
  return s;
}

// Baseline plus a new Folder holding the DocumentEntry (ITI TF-3 4.2.2.1.2-4.2.2.1.3).
void AddFolder(Submission& s) {
  s.folders.push_back(MakeFolder(kFol, "1.3.6.1.4.1.21367.2005.3.99.300"));
  s.associations.push_back(HasMember("HasMember02", kSs, kFol));
  s.associations.push_back(HasMember("HasMember03", kFol, kDoc));
  s.associations.push_back(HasMember("HasMember04", kSs, "HasMember03"));
}

// An affinity-domain code set that knows the baseline's codes only.
class FakeCodes : public CodeValidator {
 public:
  bool IsKnownCode(const std::string& scheme, const std::string& code,
                   const std::string& coding_scheme) const override {
    static const std::set<std::tuple<std::string, std::string, std::string>> kKnown = {
        {kDocEntryClassCode, kClass.code, kClass.scheme},
        {kDocEntryConfidentialityCode, kConf.code, kConf.scheme},
        {kDocEntryFormatCode, kFormat.code, kFormat.scheme},
        {kDocEntryHealthcareFacilityTypeCode, kFacility.code, kFacility.scheme},
        {kDocEntryPracticeSettingCode, kPractice.code, kPractice.scheme},
        {kDocEntryTypeCode, kType.code, kType.scheme},
        {kSubmissionSetContentTypeCode, kContent.code, kContent.scheme},
        {kFolderCodeList, kFolderCode.code, kFolderCode.scheme},
    };
    return kKnown.count({scheme, code, coding_scheme}) != 0;
  }
};

const FakeCodes kCodes;
const ConfiguredPatientIds kPatients({kPid});

DocumentEntry& Doc(Submission& s) { return s.documents.front(); }
SubmissionSet& Ss(Submission& s) { return s.submission_sets.front(); }
Folder& Fol(Submission& s) { return s.folders.front(); }

struct Expect {
  XdsError error;
  std::string location;
};

struct Case {
  const char* name;
  std::function<void(Submission&, ValidationOptions&)> mutate;
  std::vector<Expect> expected;
};

void PrintTo(const Case& c, std::ostream* os) { *os << c.name; }

const XdsError kMeta = XdsError::kRegistryMetadataError;

std::vector<Case> Cases() {
  using O = ValidationOptions;
  return {
      // --- valid submissions
      {"ValidRegister", [](Submission&, O&) {}, {}},
      {"ValidWithFolder", [](Submission& s, O&) { AddFolder(s); }, {}},
      {"ValidWithCodesAndPatients",
       [](Submission& s, O& o) {
         AddFolder(s);
         o.codes = &kCodes;
         o.patients = &kPatients;
       },
       {}},
      {"ValidUuidIds",
       [](Submission& s, O&) {
         s = Submission();
         s.submission_sets.push_back(MakeSubmissionSet(kUuidSs, "1.2.3.4.1"));
         s.documents.push_back(MakeDoc(kUuidDoc, "1.2.3.4.2^ext-01"));
         s.associations.push_back(HasMember(kUuidAssoc, kUuidSs, kUuidDoc, "Original"));
       },
       {}},
      {"ValidOnDemandWithoutHashSizeRepository",
       [](Submission& s, O&) {
         Doc(s).object_type = kObjectTypeOnDemandDocument;
         Doc(s).rim.object_type = kObjectTypeOnDemandDocument;
         Doc(s).hash.clear();
         Doc(s).size.clear();
         Doc(s).repository_unique_id.clear();
       },
       {}},
      {"ValidReplaceOfExistingDocument",
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Rplc01", AssociationType::kRplc, kAssocRplc, kDoc,
                                            kExisting));
         Classification doc;
         doc.classification_scheme = kAssociationDocumentation;
         doc.classified_object = "Rplc01";
         doc.node_representation = "Additional_Information";
         doc.slots.push_back({kSlotCodingScheme, "", {"1.3.6.1.4.1.21367.2017.3"}});
         s.associations.back().rim.classifications.push_back(doc);
       },
       {}},
      {"ValidSourceSuppliedFolderLastUpdateTime",
       [](Submission& s, O&) {
         AddFolder(s);
         Fol(s).last_update_time = "20041224000000";
         Fol(s).rim.slots.push_back({kSlotLastUpdateTime, "", {"20041224000000"}});
       },
       {}},
      {"ValidSubmitAssociationOfExistingDocuments",  // NIST 20001 submit_apnd_assoc
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Apnd01", AssociationType::kApnd, kAssocApnd,
                                            kExisting,
                                            "urn:uuid:4a2da65b-4ea2-4416-9d5a-6eb13872249c"));
         s.associations.push_back(MakeAssoc("Submit01", AssociationType::kOther,
                                            kAssocSubmitAssociation, kSs, "Apnd01"));
       },
       {}},
      {"SubmitAssociationNotToAnAssociation",
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Submit01", AssociationType::kOther,
                                            kAssocSubmitAssociation, kSs, kDoc));
       },
       {{kMeta, "Submit01"}}},
      {"ValidReferenceToExistingDocument",
       [](Submission& s, O&) {
         s.associations.push_back(HasMember("HasMember09", kSs, kExisting, "Reference"));
       },
       {}},
      {"ValidUpdateAvailabilityStatusInUpdate",
       [](Submission& s, O& o) {
         o.transaction = O::Transaction::kUpdate;
         s.associations.push_back(MakeAssoc("Uas01", AssociationType::kUpdateAvailabilityStatus,
                                            kAssocUpdateAvailabilityStatus, kSs, kExisting));
       },
       {}},

      // --- submission structure (ITI TF-3 4.1.4)
      {"NoSubmissionSet",
       [](Submission& s, O&) {
         s.submission_sets.clear();
         s.associations.clear();
       },
       {{kMeta, ""}}},
      {"TwoSubmissionSets",
       [](Submission& s, O&) {
         s.submission_sets.push_back(MakeSubmissionSet("SubmissionSet02", "1.2.3.4.5.6"));
       },
       {{kMeta, "SubmissionSet02"}}},
      {"UnclassifiedRegistryPackage",
       [](Submission& s, O&) {
         RegistryObject p;
         p.kind = ObjectKind::kRegistryPackage;
         p.id = "Package01";
         s.unclassified_packages.push_back(p);
       },
       {{kMeta, "Package01"}}},

      {"StandaloneClassificationOfNoObject",
       [](Submission& s, O&) {
         Classification c;
         c.id = "cl01";
         c.classification_node = kSubmissionSetNode;
         c.classified_object = "SubmissionSet99";
         s.unmatched_classifications.push_back(c);
       },
       {{kMeta, "cl01"}}},

      // --- DocumentEntry required attributes (ITI TF-3 Table 4.3.1-3)
      {"DocMissingClassCode", [](Submission& s, O&) { Doc(s).class_code = {}; },
       {{kMeta, kDoc}}},
      {"DocMissingConfidentialityCode",
       [](Submission& s, O&) { Doc(s).confidentiality_codes.clear(); }, {{kMeta, kDoc}}},
      {"DocMissingCreationTime", [](Submission& s, O&) { Doc(s).creation_time.clear(); },
       {{kMeta, kDoc}}},
      {"DocMissingFormatCode", [](Submission& s, O&) { Doc(s).format_code = {}; },
       {{kMeta, kDoc}}},
      {"DocMissingHealthcareFacilityTypeCode",
       [](Submission& s, O&) { Doc(s).healthcare_facility_type_code = {}; }, {{kMeta, kDoc}}},
      {"DocMissingLanguageCode", [](Submission& s, O&) { Doc(s).language_code.clear(); },
       {{kMeta, kDoc}}},
      {"DocMissingMimeType",
       [](Submission& s, O&) {
         Doc(s).mime_type.clear();
         Doc(s).rim.mime_type.clear();
       },
       {{kMeta, kDoc}}},
      {"DocMissingPatientId", [](Submission& s, O&) { Doc(s).patient_id.clear(); },
       {{kMeta, kDoc}}},
      {"DocMissingPracticeSettingCode",
       [](Submission& s, O&) { Doc(s).practice_setting_code = {}; }, {{kMeta, kDoc}}},
      {"DocMissingSourcePatientId",
       [](Submission& s, O&) { Doc(s).source_patient_id.clear(); }, {{kMeta, kDoc}}},
      {"DocMissingTypeCode", [](Submission& s, O&) { Doc(s).type_code = {}; },
       {{kMeta, kDoc}}},
      {"DocMissingUniqueId", [](Submission& s, O&) { Doc(s).unique_id.clear(); },
       {{kMeta, kDoc}}},
      {"StableDocMissingHash", [](Submission& s, O&) { Doc(s).hash.clear(); },
       {{kMeta, kDoc}}},
      {"StableDocMissingSize", [](Submission& s, O&) { Doc(s).size.clear(); },
       {{kMeta, kDoc}}},
      {"StableDocMissingRepositoryUniqueId",
       [](Submission& s, O&) { Doc(s).repository_unique_id.clear(); }, {{kMeta, kDoc}}},
      {"DocMissingObjectType",
       [](Submission& s, O&) {
         Doc(s).object_type.clear();
         Doc(s).rim.object_type.clear();
       },
       {{kMeta, kDoc}}},
      {"DocUnknownObjectType",
       [](Submission& s, O&) {
         Doc(s).object_type = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b518fff";
         Doc(s).rim.object_type = Doc(s).object_type;
       },
       {{kMeta, kDoc}}},
      {"EveryProblemIsReported",
       [](Submission& s, O&) {
         Doc(s).class_code = {};
         Doc(s).type_code = {};
         Ss(s).source_id.clear();
       },
       {{kMeta, kSs}, {kMeta, kDoc}, {kMeta, kDoc}}},

      // --- cardinality: an attribute given twice where at most one is allowed
      {"ClassCodeTwice",
       [](Submission& s, O&) {
         Doc(s).rim.classifications.push_back(CodeCls(kDoc, kDocEntryClassCode, kClass));
       },
       {{kMeta, kDoc}}},
      {"CreationTimeSlotTwice",
       [](Submission& s, O&) { Doc(s).rim.slots.push_back({kSlotCreationTime, "", {"2005"}}); },
       {{kMeta, kDoc}}},
      {"CreationTimeTwoValues",
       [](Submission& s, O&) {
         Doc(s).rim.slots.front().values.push_back("20061224");
       },
       {{kMeta, kDoc}}},
      {"DocUniqueIdTwice",
       [](Submission& s, O&) {
         Doc(s).rim.external_identifiers.push_back(Ext(kDoc, kDocEntryUniqueId, "1.2.3.9"));
       },
       {{kMeta, kDoc}}},
      {"SubmissionTimeTwice",
       [](Submission& s, O&) { Ss(s).rim.slots.push_back({kSlotSubmissionTime, "", {"2004"}}); },
       {{kMeta, kSs}}},
      {"TwoAuthorPersons",
       [](Submission& s, O&) {
         Doc(s).rim.classifications.front().slots.front().values.push_back("^Other^Person");
       },
       {{kMeta, kDoc}}},

      // --- Limited Metadata refused by an XDS.b registry (ITI TF-3 4.1.1)
      {"LimitedMetadataDocumentEntry", [](Submission& s, O&) { Doc(s).limited_metadata = true; },
       {{kMeta, kDoc}}},
      {"LimitedMetadataSubmissionSetByClassification",
       [](Submission& s, O&) {
         Classification c;
         c.classification_node = kSubmissionSetLimitedMetadata;
         c.classified_object = kSs;
         Ss(s).rim.classifications.push_back(c);
       },
       {{kMeta, kSs}}},
      {"LimitedMetadataFolder",
       [](Submission& s, O&) {
         AddFolder(s);
         Fol(s).limited_metadata = true;
       },
       {{kMeta, kFol}}},

      // --- uniqueId formats
      {"DocUniqueIdNotOid", [](Submission& s, O&) { Doc(s).unique_id = "Document01_uniqueid"; },
       {{kMeta, kDoc}}},
      {"DocUniqueIdExtensionTooLong",
       [](Submission& s, O&) { Doc(s).unique_id = "1.2.3^12345678901234567"; },
       {{kMeta, kDoc}}},
      {"SubmissionSetUniqueIdWithExtension",
       [](Submission& s, O&) { Ss(s).unique_id = "1.2.3^abc"; }, {{kMeta, kSs}}},
      {"SubmissionSetUniqueIdTooLong",
       [](Submission& s, O&) { Ss(s).unique_id = "1." + std::string(63, '2'); },
       {{kMeta, kSs}}},
      {"FolderUniqueIdNotOid",
       [](Submission& s, O&) {
         AddFolder(s);
         Fol(s).unique_id = "folder_uniqueid";
       },
       {{kMeta, kFol}}},
      {"SourceIdNotOid", [](Submission& s, O&) { Ss(s).source_id = "3670984664"; },
       {{kMeta, kSs}}},
      {"RepositoryUniqueIdNotOid",
       [](Submission& s, O&) { Doc(s).repository_unique_id = "repo-1"; }, {{kMeta, kDoc}}},

      // --- patientId (CX format, one patient, known patient)
      {"PatientIdNotCx",
       [](Submission& s, O&) {
         Ss(s).patient_id = "patient_id";
         Doc(s).patient_id = "patient_id";
       },
       {{kMeta, kSs}, {kMeta, kDoc}}},
      {"SourcePatientIdNotCx",
       [](Submission& s, O&) { Doc(s).source_patient_id = "89765a87b"; }, {{kMeta, kDoc}}},
      {"DocPatientIdDoesNotMatch", [](Submission& s, O&) { Doc(s).patient_id = kOtherPid; },
       {{XdsError::kPatientIdDoesNotMatch, kDoc}}},
      {"FolderPatientIdDoesNotMatch",
       [](Submission& s, O&) {
         AddFolder(s);
         Fol(s).patient_id = kOtherPid;
       },
       {{XdsError::kPatientIdDoesNotMatch, kFol}}},
      {"UnknownPatientId",
       [](Submission& s, O& o) {
         o.patients = &kPatients;
         Ss(s).patient_id = kOtherPid;
         Doc(s).patient_id = kOtherPid;
       },
       {{XdsError::kUnknownPatientId, kSs}}},

      // --- ids and uniqueIds inside the message
      {"DuplicateUniqueIdInMessage",
       [](Submission& s, O&) {
         s.documents.push_back(MakeDoc("Document02", Doc(s).unique_id));
         s.associations.push_back(HasMember("HasMember05", kSs, "Document02", "Original"));
       },
       {{XdsError::kRegistryDuplicateUniqueIdInMessage, "Document02"}}},
      {"DuplicateUniqueIdAcrossObjectTypes",
       [](Submission& s, O&) {
         AddFolder(s);
         Fol(s).unique_id = Ss(s).unique_id;
       },
       {{XdsError::kRegistryDuplicateUniqueIdInMessage, kFol}}},
      {"DuplicateEntryUuidInMessage",
       [](Submission& s, O&) {
         s.documents.push_back(MakeDoc(kDoc, "1.2.3.4.77"));
       },
       {{kMeta, kDoc}}},
      {"MalformedUuidId",
       [](Submission& s, O&) {
         const std::string bad = "urn:uuid:not-a-uuid";
         s.documents[0] = MakeDoc(bad, "1.2.3.4.78");
         s.associations[0].target = bad;
       },
       {{kMeta, "urn:uuid:not-a-uuid"}}},
      {"ObjectWithoutId",
       [](Submission& s, O&) {
         s.associations.push_back(HasMember("", kSs, kExisting, "Reference"));
       },
       {{kMeta, ""}}},

      // --- associations (ITI TF-3 4.2.2)
      {"UnknownAssociationType",
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Assoc09", AssociationType::kOther,
                                            "urn:example:AssociationType:Related", kDoc,
                                            kExisting));
       },
       {{kMeta, "Assoc09"}}},
      {"UpdateAvailabilityStatusInRegister",
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Uas01", AssociationType::kUpdateAvailabilityStatus,
                                            kAssocUpdateAvailabilityStatus, kSs, kExisting));
       },
       {{kMeta, "Uas01"}}},
      {"HasMemberToDocumentWithoutSubmissionSetStatus",
       [](Submission& s, O&) {
         s.associations[0] = HasMember("HasMember01", kSs, kDoc);
       },
       {{kMeta, "HasMember01"}}},
      {"BadSubmissionSetStatus",
       [](Submission& s, O&) { s.associations[0] = HasMember("HasMember01", kSs, kDoc, "Copy"); },
       {{kMeta, "HasMember01"}}},
      {"UnresolvedSymbolicTarget",
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Rplc01", AssociationType::kRplc, kAssocRplc, kDoc,
                                            "Document99"));
       },
       {{kMeta, "Rplc01"}}},
      {"MalformedUuidTarget",
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Rplc01", AssociationType::kRplc, kAssocRplc, kDoc,
                                            "urn:uuid:1234"));
       },
       {{kMeta, "Rplc01"}}},
      {"AssociationPointsAtItself",  // NIST pnr-assoc-to-self.xml
       [](Submission& s, O&) {
         s.associations.push_back(HasMember("ID_6144893_1", kSs, "ID_6144893_1", "Original"));
       },
       {{kMeta, "ID_6144893_1"}}},
      {"AssociationSourceEqualsTarget",
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Apnd01", AssociationType::kApnd, kAssocApnd, kDoc,
                                            kDoc));
       },
       {{kMeta, "Apnd01"}}},
      {"RelationshipSourceNotADocumentEntry",
       [](Submission& s, O&) {
         s.associations.push_back(MakeAssoc("Xfrm01", AssociationType::kXfrm, kAssocXfrm, kSs,
                                            kExisting));
       },
       {{kMeta, "Xfrm01"}}},
      {"RelationshipTargetNotADocumentEntry",
       [](Submission& s, O&) {
         AddFolder(s);
         s.associations.push_back(MakeAssoc("Rplc01", AssociationType::kRplc, kAssocRplc, kDoc,
                                            kFol));
       },
       {{kMeta, "Rplc01"}}},
      {"DocumentationClassificationOnHasMember",  // NIST 12370 not_configured
       [](Submission& s, O&) {
         Classification doc;
         doc.classification_scheme = kAssociationDocumentation;
         doc.classified_object = "HasMember01";
         doc.node_representation = "Additional_Information";
         s.associations[0].rim.classifications.push_back(doc);
       },
       {{kMeta, "HasMember01"}}},
      {"DocumentNotMemberOfSubmissionSet",
       [](Submission& s, O&) { s.associations.clear(); }, {{kMeta, kDoc}}},
      {"FolderNotMemberOfSubmissionSet",
       [](Submission& s, O&) {
         AddFolder(s);
         s.associations.erase(s.associations.begin() + 1);  // HasMember02 SS -> Folder
       },
       {{kMeta, kFol}}},

      // --- nested Classification / ExternalIdentifier must name their parent
      {"ClassificationNotOnItsParent",  // NIST pnr-bad-uplink.xml
       [](Submission& s, O&) { Doc(s).rim.classifications[1].classified_object = "Document011"; },
       {{kMeta, kDoc}}},
      {"ClassificationWithoutClassifiedObject",
       [](Submission& s, O&) { Doc(s).rim.classifications[1].classified_object.clear(); },
       {{kMeta, kDoc}}},
      {"ExternalIdentifierNotOnItsParent",
       [](Submission& s, O&) {
         Ss(s).rim.external_identifiers[0].registry_object = kDoc;
       },
       {{kMeta, kSs}}},

      // --- hash, size, DTM, language, mime
      {"HashWrongLength", [](Submission& s, O&) { Doc(s).hash = "123e2"; }, {{kMeta, kDoc}}},
      {"HashNotHex",
       [](Submission& s, O&) { Doc(s).hash = "g543712c0e10501972de13a5bfcbe826c49feb75"; },
       {{kMeta, kDoc}}},
      {"SizeNotDecimal", [](Submission& s, O&) { Doc(s).size = "12a"; }, {{kMeta, kDoc}}},
      {"CreationTimeBadMonth", [](Submission& s, O&) { Doc(s).creation_time = "20051324"; },
       {{kMeta, kDoc}}},
      {"ServiceStartTimeOddLength",
       [](Submission& s, O&) { Doc(s).service_start_time = "2004122308001"; },
       {{kMeta, kDoc}}},
      {"ServiceStopTimeWithZone",
       [](Submission& s, O&) { Doc(s).service_stop_time = "200412230801+0100"; },
       {{kMeta, kDoc}}},
      {"SubmissionTimeBadSecond",
       [](Submission& s, O&) { Ss(s).submission_time = "20041225235060"; }, {{kMeta, kSs}}},
      {"SubmissionSetMissingSubmissionTime",
       [](Submission& s, O&) { Ss(s).submission_time.clear(); }, {{kMeta, kSs}}},
      {"FolderLastUpdateTimeBadDay",
       [](Submission& s, O&) {
         AddFolder(s);
         Fol(s).last_update_time = "20040230";
       },
       {{kMeta, kFol}}},
      {"LanguageCodeMalformed", [](Submission& s, O&) { Doc(s).language_code = "en_US"; },
       {{kMeta, kDoc}}},
      {"MimeTypeMalformed",
       [](Submission& s, O&) {
         Doc(s).mime_type = "textplain";
         Doc(s).rim.mime_type = "textplain";
       },
       {{kMeta, kDoc}}},

      // --- SubmissionSet and Folder required attributes
      {"SubmissionSetMissingContentTypeCode",
       [](Submission& s, O&) { Ss(s).content_type_code = {}; }, {{kMeta, kSs}}},
      {"SubmissionSetMissingUniqueId", [](Submission& s, O&) { Ss(s).unique_id.clear(); },
       {{kMeta, kSs}}},
      {"FolderMissingCodeList",
       [](Submission& s, O&) {
         AddFolder(s);
         Fol(s).codes.clear();
       },
       {{kMeta, kFol}}},
      {"FolderMissingTitle",
       [](Submission& s, O&) {
         AddFolder(s);
         Fol(s).title.clear();
         Fol(s).rim.name = {};
       },
       {{kMeta, kFol}}},

      // --- codes (affinity domain code sets)
      {"UnknownClassCode",
       [](Submission& s, O& o) {
         o.codes = &kCodes;
         Doc(s).class_code = {"XYZ", "Connect-a-thon classCodes", "?"};
       },
       {{kMeta, kDoc}}},
      {"KnownCodeWrongCodingScheme",
       [](Submission& s, O& o) {
         o.codes = &kCodes;
         Doc(s).type_code.scheme = "2.16.840.1.113883.6.1";
       },
       {{kMeta, kDoc}}},
      {"UnknownContentTypeCode",
       [](Submission& s, O& o) {
         o.codes = &kCodes;
         Ss(s).content_type_code.code = "Nope";
       },
       {{kMeta, kSs}}},
      {"UnknownFolderCode",
       [](Submission& s, O& o) {
         AddFolder(s);
         o.codes = &kCodes;
         Fol(s).codes.push_back({"Nope", "Connect-a-thon folderCodeList", ""});
       },
       {{kMeta, kFol}}},
      {"CodeWithoutCodingScheme", [](Submission& s, O&) { Doc(s).format_code.scheme.clear(); },
       {{kMeta, kDoc}}},
  };
}

class ValidationTest : public ::testing::TestWithParam<Case> {};

TEST_P(ValidationTest, ReportsExactlyTheExpectedErrors) {
  const Case& c = GetParam();
  Submission s = Baseline();
  ValidationOptions o;
  c.mutate(s, o);
  RegistryErrorList errors = ValidateSubmission(s, o);
  std::string all;
  for (const RegistryError& e : errors) {
    all += e.error_code + " @" + e.location + ": " + e.code_context + "\n";
  }
  ASSERT_EQ(errors.size(), c.expected.size()) << all;
  for (size_t i = 0; i < errors.size(); ++i) {
    EXPECT_EQ(errors[i].error_code, XdsErrorCode(c.expected[i].error)) << all;
    EXPECT_EQ(errors[i].location, c.expected[i].location) << all;
    EXPECT_FALSE(errors[i].code_context.empty());
    EXPECT_EQ(errors[i].severity, Severity::kError);
  }
}

INSTANTIATE_TEST_SUITE_P(Rules, ValidationTest, ::testing::ValuesIn(Cases()),
                         [](const ::testing::TestParamInfo<Case>& info) {
                           return std::string(info.param.name);
                         });

TEST(ValidationContextTest, UnknownCodeNamesAttributeCodeAndScheme) {
  Submission s = Baseline();
  ValidationOptions o;
  o.codes = &kCodes;
  Doc(s).class_code = {"XYZ", "Connect-a-thon classCodes", "?"};
  RegistryErrorList errors = ValidateSubmission(s, o);
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].code_context.find("classCode"), std::string::npos);
  EXPECT_NE(errors[0].code_context.find("'XYZ'"), std::string::npos);
  EXPECT_NE(errors[0].code_context.find("Connect-a-thon classCodes"), std::string::npos);
}

TEST(ValidationContextTest, MissingAttributeIsNamed) {
  Submission s = Baseline();
  Doc(s).practice_setting_code = {};
  RegistryErrorList errors = ValidateSubmission(s, {});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_NE(errors[0].code_context.find("practiceSettingCode"), std::string::npos);
  EXPECT_NE(errors[0].code_context.find("Table 4.3.1-3"), std::string::npos);
}

}  // namespace
}  // namespace renkei::xds
