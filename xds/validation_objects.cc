// ITI TF-3 §4.2.3 / Table 4.3.1-3: per-object metadata rules for the SubmissionSet,
// DocumentEntry and Folder of an ITI-42 / ITI-57 submission, as an XDS.b Document Registry
// enforces them. Required (R) attributes below are those Table 4.3.1-3 marks R for the
// sender of ITI-42 (the Document Repository / Integrated Source-Repository) and ITI-57.
#include <string>
#include <string_view>
#include <vector>

#include "xds/dtm.h"
#include "xds/internal/validation_rules.h"
#include "xds/validation_formats.h"
#include "xds/xds_constants.h"

namespace renkei::xds::internal {
namespace {

constexpr char kCiteRequired[] = "ITI TF-3 Table 4.3.1-3";
constexpr char kCiteDataTypes[] = "ITI TF-3 4.2.3.1.7";

// "DocumentEntry Document01"
std::string Label(const char* kind, const std::string& id) {
  return std::string(kind) + " " + (id.empty() ? "(no id)" : id);
}

int SlotCount(const RegistryObject& rim, std::string_view name) {
  int n = 0;
  for (const Slot& s : rim.slots) n += s.name == name ? 1 : 0;
  return n;
}

int ClassificationCount(const RegistryObject& rim, std::string_view scheme) {
  int n = 0;
  for (const Classification& c : rim.classifications) n += c.classification_scheme == scheme;
  return n;
}

bool HasClassificationNode(const RegistryObject& rim, std::string_view node) {
  for (const Classification& c : rim.classifications) {
    if (c.classification_node == node) return true;
  }
  return false;
}

int ExternalIdCount(const RegistryObject& rim, std::string_view scheme) {
  int n = 0;
  for (const ExternalIdentifier& e : rim.external_identifiers) {
    n += e.identification_scheme == scheme;
  }
  return n;
}

// Context shared by the checks of one object.
struct Obj {
  const char* kind;
  const std::string& id;
  const RegistryObject& rim;
  const ValidationOptions& o;
  Reporter& r;

  void Error(const std::string& text, const char* cite) const {
    r.Metadata(Label(kind, id) + ": " + text + " (" + cite + ")", id);
  }

  // A slot that holds at most one value (ITI TF-3 Table 4.3.1-3 cardinality 0..1 / 1..1).
  void SingleValuedSlot(const char* name) const {
    const int n = SlotCount(rim, name);
    if (n > 1) {
      Error("slot " + std::string(name) + " is given " + std::to_string(n) +
                " times; it may appear once",
            kCiteRequired);
      return;
    }
    const Slot* s = rim.FindSlot(name);
    if (s != nullptr && s->values.size() > 1) {
      Error("slot " + std::string(name) + " has " + std::to_string(s->values.size()) +
                " values; it takes one",
            kCiteRequired);
    }
  }

  void SingleClassification(const char* scheme, const char* attr) const {
    const int n = ClassificationCount(rim, scheme);
    if (n > 1) {
      Error(std::string(attr) + " is given " + std::to_string(n) + " times (classification " +
                scheme + "); it may appear once",
            kCiteRequired);
    }
  }

  void SingleExternalId(const char* scheme, const char* attr) const {
    const int n = ExternalIdCount(rim, scheme);
    if (n > 1) {
      Error(std::string(attr) + " is given " + std::to_string(n) +
                " times (ExternalIdentifier " + scheme + "); it may appear once",
            kCiteRequired);
    }
  }

  void Missing(const char* attr, const char* how) const {
    Error("required attribute " + std::string(attr) + " (" + how + ") is missing",
          kCiteRequired);
  }

  // A coded attribute (ITI TF-3 4.2.3.1.7 Code: nodeRepresentation + codingScheme slot),
  // checked against the affinity domain's code set when one is configured.
  void CheckCode(const Code& c, const char* attr, const char* scheme, bool required) const {
    if (c.code.empty()) {
      if (required) Missing(attr, (std::string("classification ") + scheme).c_str());
      return;
    }
    if (c.scheme.empty()) {
      Error(std::string(attr) + " '" + c.code + "' has no codingScheme slot", kCiteDataTypes);
      return;
    }
    if (o.codes != nullptr && !o.codes->IsKnownCode(scheme, c.code, c.scheme)) {
      Error(std::string(attr) + " code '" + c.code + "' of codingScheme '" + c.scheme +
                "' is not in the affinity domain's " + attr + " code set",
            "ITI TF-1 10.4.1 affinity domain vocabulary, ITI TF-3 4.2.3.2");
    }
  }

  // A DTM-valued attribute (ITI TF-3 4.2.3.1.7 DTM).
  void CheckDtm(const std::string& value, const char* attr, bool required) const {
    if (value.empty()) {
      if (required) Missing(attr, "slot");
      return;
    }
    std::string problem = DtmProblem(TrimAscii(value));
    if (!problem.empty()) {
      Error(std::string(attr) + " '" + value + "' " + problem, kCiteDataTypes);
    }
  }

  void CheckCx(const std::string& value, const char* attr, const char* how) const {
    if (value.empty()) {
      Missing(attr, how);
      return;
    }
    std::string problem = CxProblem(TrimAscii(value));
    if (!problem.empty()) {
      Error(std::string(attr) + " '" + value + "' " + problem +
                "; expected id^^^&OID&ISO (CX)",
            kCiteDataTypes);
    }
  }

  void CheckOid(const std::string& value, const char* attr, const char* how,
                bool required) const {
    if (value.empty()) {
      if (required) Missing(attr, how);
      return;
    }
    std::string problem = OidProblem(TrimAscii(value));
    if (!problem.empty()) Error(std::string(attr) + " '" + value + "' " + problem, kCiteDataTypes);
  }

  // authorPerson holds at most one XCN per author (ITI TF-3 4.2.3.1.4).
  void CheckAuthors(const char* author_scheme) const {
    for (const Classification& c : rim.classifications) {
      if (c.classification_scheme != author_scheme) continue;
      int persons = 0;
      for (const Slot& s : c.slots) {
        if (s.name == kSlotAuthorPerson) persons += static_cast<int>(s.values.size());
      }
      if (persons > 1) {
        Error("an author has " + std::to_string(persons) +
                  " authorPerson values; an author has at most one",
              "ITI TF-3 4.2.3.1.4");
      }
    }
  }

  // Limited Metadata is defined for XDR and XDM only (the Metadata-Limited Document Source);
  // an XDS.b Document Registry refuses it (ITI TF-3 4.1.1).
  void RefuseLimitedMetadata(bool typed_flag, const char* node, const char* cite) const {
    if (typed_flag || HasClassificationNode(rim, node)) {
      Error(std::string("is marked as Limited Metadata (classification node ") + node +
                "); an XDS.b Document Registry accepts complete metadata only",
            cite);
    }
  }
};

}  // namespace

void ValidateRimStructure(const RegistryObject& rim, const std::string& id, const char* kind,
                          Reporter& r) {
  // ebRIM 3.0 IdentifiableType/@id is required; a value starting with urn:uuid: is an
  // entryUUID and must be a well-formed UUID, anything else is a symbolic id that the
  // registry replaces (ITI TF-3 4.2.3.2.7 entryUUID; ebRIM 3.0 IdentifiableType).
  const std::string& own = rim.id.empty() ? id : rim.id;
  if (own.empty()) {
    r.Metadata(std::string(kind) + " has no id attribute (ebRIM 3.0 IdentifiableType/@id is "
                                   "required; use a urn:uuid or a symbolic id)",
               id);
  } else if (StartsWithUuidPrefix(own) && !IsUuidUrn(own)) {
    r.Metadata(Label(kind, own) +
                   ": id starts with urn:uuid: but is not a well-formed UUID (ITI TF-3 4.2.3.1.7 "
                   "UUID, RFC 4122)",
               own);
  }
  // A nested Classification / ExternalIdentifier describes its parent: classifiedObject /
  // registryObject must name it (ebRIM 3.0 4.3.1, 2.11; ITI TF-3 4.2.3.1.2).
  for (const Classification& c : rim.classifications) {
    if (c.classified_object.empty()) {
      r.Metadata(Label(kind, own) + ": a Classification (scheme " +
                     (c.classification_scheme.empty() ? c.classification_node
                                                      : c.classification_scheme) +
                     ") has no classifiedObject (ebRIM 3.0 ClassificationType)",
                 own);
    } else if (c.classified_object != own) {
      r.Metadata(Label(kind, own) + ": a Classification (scheme " +
                     (c.classification_scheme.empty() ? c.classification_node
                                                      : c.classification_scheme) +
                     ") has classifiedObject '" + c.classified_object +
                     "', not its parent object (ebRIM 3.0 ClassificationType; ITI TF-3 4.2.3.1.2)",
                 own);
    }
  }
  for (const ExternalIdentifier& e : rim.external_identifiers) {
    if (e.registry_object.empty()) {
      r.Metadata(Label(kind, own) + ": ExternalIdentifier " + e.identification_scheme +
                     " has no registryObject (ebRIM 3.0 ExternalIdentifierType)",
                 own);
    } else if (e.registry_object != own) {
      r.Metadata(Label(kind, own) + ": ExternalIdentifier " + e.identification_scheme +
                     " has registryObject '" + e.registry_object +
                     "', not its parent object (ebRIM 3.0 ExternalIdentifierType; ITI TF-3 "
                     "4.2.3.1.3)",
                 own);
    }
  }
}

void ValidateSubmissionSet(const SubmissionSet& ss, const ValidationOptions& o, Reporter& r) {
  const std::string& id = IdOr(ss.entry_uuid, ss.rim.id, ss.unique_id);
  const char* kind = "SubmissionSet";
  ValidateRimStructure(ss.rim, id, kind, r);
  Obj obj{kind, id, ss.rim, o, r};
  obj.RefuseLimitedMetadata(ss.limited_metadata, kSubmissionSetLimitedMetadata,
                            "ITI TF-3 4.1.1, 4.2.3.3 SubmissionSet.limitedMetadata");

  // ITI TF-3 4.2.3.3 / Table 4.3.1-3: contentTypeCode, patientId, sourceId, submissionTime,
  // uniqueId are R; author is R2; title, comments, intendedRecipient are O.
  obj.CheckCode(ss.content_type_code, "contentTypeCode", kSubmissionSetContentTypeCode, true);
  obj.SingleClassification(kSubmissionSetContentTypeCode, "contentTypeCode");
  obj.CheckCx(ss.patient_id, "patientId", "ExternalIdentifier");
  obj.SingleExternalId(kSubmissionSetPatientId, "patientId");
  obj.CheckOid(ss.source_id, "sourceId", "ExternalIdentifier", true);
  obj.SingleExternalId(kSubmissionSetSourceId, "sourceId");
  obj.CheckDtm(ss.submission_time, "submissionTime", true);
  obj.SingleValuedSlot(kSlotSubmissionTime);
  obj.CheckOid(ss.unique_id, "uniqueId", "ExternalIdentifier", true);
  obj.SingleExternalId(kSubmissionSetUniqueId, "uniqueId");
  obj.CheckAuthors(kSubmissionSetAuthor);
}

void ValidateDocumentEntry(const DocumentEntry& de, const ValidationOptions& o, Reporter& r) {
  const std::string& id = IdOr(de.entry_uuid, de.rim.id, de.unique_id);
  const char* kind = "DocumentEntry";
  ValidateRimStructure(de.rim, id, kind, r);
  Obj obj{kind, id, de.rim, o, r};
  obj.RefuseLimitedMetadata(de.limited_metadata, kDocEntryLimitedMetadata,
                            "ITI TF-3 4.1.1, 4.2.3.2.29 DocumentEntry.limitedMetadata");

  // objectType: stable or On-Demand DocumentEntry (ITI TF-3 4.2.3.2 objectType, 4.1.1).
  const std::string& object_type = de.object_type.empty() ? de.rim.object_type : de.object_type;
  const bool stable = object_type == kObjectTypeStableDocument;
  if (object_type.empty()) {
    obj.Missing("objectType", "ExtrinsicObject/@objectType");
  } else if (!stable && object_type != kObjectTypeOnDemandDocument) {
    obj.Error("objectType '" + object_type + "' is neither the stable (" +
                  kObjectTypeStableDocument + ") nor the On-Demand (" +
                  kObjectTypeOnDemandDocument + ") DocumentEntry type",
              "ITI TF-3 4.2.3.2 objectType");
  }

  // Coded attributes (ITI TF-3 4.2.3.2 classCode, confidentialityCode, eventCodeList,
  // formatCode, healthcareFacilityTypeCode, practiceSettingCode, typeCode).
  obj.CheckCode(de.class_code, "classCode", kDocEntryClassCode, true);
  obj.SingleClassification(kDocEntryClassCode, "classCode");
  if (de.confidentiality_codes.empty()) {
    obj.Missing("confidentialityCode", "classification urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f");
  }
  for (const Code& c : de.confidentiality_codes) {
    obj.CheckCode(c, "confidentialityCode", kDocEntryConfidentialityCode, true);
  }
  for (const Code& c : de.event_codes) {
    obj.CheckCode(c, "eventCodeList", kDocEntryEventCodeList, false);
  }
  obj.CheckCode(de.format_code, "formatCode", kDocEntryFormatCode, true);
  obj.SingleClassification(kDocEntryFormatCode, "formatCode");
  obj.CheckCode(de.healthcare_facility_type_code, "healthcareFacilityTypeCode",
                kDocEntryHealthcareFacilityTypeCode, true);
  obj.SingleClassification(kDocEntryHealthcareFacilityTypeCode, "healthcareFacilityTypeCode");
  obj.CheckCode(de.practice_setting_code, "practiceSettingCode", kDocEntryPracticeSettingCode,
                true);
  obj.SingleClassification(kDocEntryPracticeSettingCode, "practiceSettingCode");
  obj.CheckCode(de.type_code, "typeCode", kDocEntryTypeCode, true);
  obj.SingleClassification(kDocEntryTypeCode, "typeCode");

  // Times (ITI TF-3 4.2.3.2 creationTime R, serviceStartTime / serviceStopTime O; DTM).
  obj.CheckDtm(de.creation_time, "creationTime", true);
  obj.SingleValuedSlot(kSlotCreationTime);
  obj.CheckDtm(de.service_start_time, "serviceStartTime", false);
  obj.SingleValuedSlot(kSlotServiceStartTime);
  obj.CheckDtm(de.service_stop_time, "serviceStopTime", false);
  obj.SingleValuedSlot(kSlotServiceStopTime);

  // languageCode R (RFC 3066), mimeType R (ITI TF-3 4.2.3.2 languageCode, mimeType).
  if (de.language_code.empty()) {
    obj.Missing("languageCode", "slot");
  } else if (std::string p = LanguageCodeProblem(TrimAscii(de.language_code)); !p.empty()) {
    obj.Error("languageCode '" + de.language_code + "' " + p, "ITI TF-3 4.2.3.2 languageCode");
  }
  obj.SingleValuedSlot(kSlotLanguageCode);
  const std::string& mime = de.mime_type.empty() ? de.rim.mime_type : de.mime_type;
  if (mime.empty()) {
    obj.Missing("mimeType", "ExtrinsicObject/@mimeType");
  } else if (std::string p = MimeTypeProblem(mime); !p.empty()) {
    obj.Error("mimeType '" + mime + "' " + p, "ITI TF-3 4.2.3.2 mimeType");
  }

  // Patient identity (ITI TF-3 4.2.3.2 patientId R, sourcePatientId R; CX).
  obj.CheckCx(de.patient_id, "patientId", "ExternalIdentifier");
  obj.SingleExternalId(kDocEntryPatientId, "patientId");
  obj.CheckCx(de.source_patient_id, "sourcePatientId", "slot");
  obj.SingleValuedSlot(kSlotSourcePatientId);
  obj.SingleValuedSlot(kSlotLegalAuthenticator);

  // uniqueId R: OID or OID^extension (ITI TF-3 4.2.3.2 uniqueId).
  if (de.unique_id.empty()) {
    obj.Missing("uniqueId", "ExternalIdentifier");
  } else if (std::string p = DocumentUniqueIdProblem(TrimAscii(de.unique_id)); !p.empty()) {
    obj.Error("uniqueId '" + de.unique_id + "' " + p, "ITI TF-3 4.2.3.2 uniqueId");
  }
  obj.SingleExternalId(kDocEntryUniqueId, "uniqueId");

  // hash, size, repositoryUniqueId: set by the Document Repository, so R in ITI-42 / ITI-57
  // for a stable DocumentEntry; an On-Demand entry has none of its own (ITI TF-3 4.2.3.2
  // hash, size, repositoryUniqueId; Table 4.3.1-3).
  if (de.hash.empty()) {
    if (stable) obj.Missing("hash", "slot");
  } else if (std::string p = HashProblem(TrimAscii(de.hash)); !p.empty()) {
    obj.Error("hash '" + de.hash + "' " + p, "ITI TF-3 4.2.3.2 hash");
  }
  obj.SingleValuedSlot(kSlotHash);
  if (de.size.empty()) {
    if (stable) obj.Missing("size", "slot");
  } else if (std::string p = SizeProblem(TrimAscii(de.size)); !p.empty()) {
    obj.Error("size '" + de.size + "' " + p, "ITI TF-3 4.2.3.2 size");
  }
  obj.SingleValuedSlot(kSlotSize);
  obj.CheckOid(de.repository_unique_id, "repositoryUniqueId", "slot", stable);
  obj.SingleValuedSlot(kSlotRepositoryUniqueId);

  obj.CheckAuthors(kDocEntryAuthor);
}

void ValidateFolder(const Folder& f, const ValidationOptions& o, Reporter& r) {
  const std::string& id = IdOr(f.entry_uuid, f.rim.id, f.unique_id);
  const char* kind = "Folder";
  ValidateRimStructure(f.rim, id, kind, r);
  Obj obj{kind, id, f.rim, o, r};
  obj.RefuseLimitedMetadata(f.limited_metadata, kFolderLimitedMetadata,
                            "ITI TF-3 4.1.1, 4.2.3.4 Folder.limitedMetadata");

  // ITI TF-3 4.2.3.4 / Table 4.3.1-3: codeList (1..*), patientId, title, uniqueId are R.
  if (f.codes.empty()) {
    obj.Missing("codeList", "classification urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5");
  }
  for (const Code& c : f.codes) obj.CheckCode(c, "codeList", kFolderCodeList, true);
  obj.CheckCx(f.patient_id, "patientId", "ExternalIdentifier");
  obj.SingleExternalId(kFolderPatientId, "patientId");
  if (f.title.empty() && f.rim.name.empty()) obj.Missing("title", "rim:Name");
  obj.CheckOid(f.unique_id, "uniqueId", "ExternalIdentifier", true);
  obj.SingleExternalId(kFolderUniqueId, "uniqueId");
  // lastUpdateTime is maintained by the Document Registry (ITI TF-3 4.2.3.4 lastUpdateTime:
  // the registry sets it when the Folder is created or its membership changes). A value a
  // source sends is tolerated and replaced by the registry (NIST test 12346 submits one and
  // expects Success); it must still be a single DTM.
  obj.CheckDtm(f.last_update_time, "lastUpdateTime", false);
  obj.SingleValuedSlot(kSlotLastUpdateTime);
}

}  // namespace renkei::xds::internal
