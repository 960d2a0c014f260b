// XDS.b metadata views over ebRIM objects (ITI TF-3 §4.2.3: DocumentEntry §4.2.3.2,
// SubmissionSet §4.2.3.3, Folder §4.2.3.4, Association types §4.2.2).
#include "xds/metadata.h"

#include <algorithm>
#include <cstdlib>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

const Slot* FindSlot(const std::vector<Slot>& slots, std::string_view name) {
  for (const Slot& s : slots) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

std::string FirstValue(const std::vector<Slot>& slots, std::string_view name) {
  const Slot* s = FindSlot(slots, name);
  return (s == nullptr || s->values.empty()) ? std::string() : s->values.front();
}

std::vector<std::string> AllValues(const std::vector<Slot>& slots, std::string_view name) {
  const Slot* s = FindSlot(slots, name);
  return s == nullptr ? std::vector<std::string>() : s->values;
}

// The classification marking an object as SubmissionSet / Folder / limited metadata.
bool HasNode(const RegistryObject& object, std::string_view node) {
  for (const Classification& c : object.classifications) {
    if (c.classification_node == node) return true;
  }
  return false;
}

// ITI TF-3 §4.2.3.2.24: URI is one value; values longer than a slot value allows were split
// into "1|...", "2|..." parts, which are joined back in order.
std::string ReadUri(const RegistryObject& object) {
  const Slot* s = object.FindSlot(kSlotUri);
  if (s == nullptr || s->values.empty()) return {};
  if (s->values.size() == 1) return s->values.front();
  std::vector<std::pair<long, std::string_view>> parts;
  for (const std::string& v : s->values) {
    size_t bar = v.find('|');
    if (bar == 0 || bar == std::string::npos ||
        !std::all_of(v.begin(), v.begin() + bar, [](char c) { return c >= '0' && c <= '9'; })) {
      return s->values.front();
    }
    parts.emplace_back(std::strtol(v.c_str(), nullptr, 10), std::string_view(v).substr(bar + 1));
  }
  std::stable_sort(parts.begin(), parts.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::string uri;
  for (const auto& p : parts) uri.append(p.second);
  return uri;
}

struct AssociationTypeRow {
  AssociationType type;
  const char* urn;
};
constexpr AssociationTypeRow kAssociationTypes[] = {
    {AssociationType::kHasMember, kAssocHasMember},
    {AssociationType::kRplc, kAssocRplc},
    {AssociationType::kApnd, kAssocApnd},
    {AssociationType::kXfrm, kAssocXfrm},
    {AssociationType::kXfrmRplc, kAssocXfrmRplc},
    {AssociationType::kSigns, kAssocSigns},
    {AssociationType::kIsSnapshotOf, kAssocIsSnapshotOf},
    {AssociationType::kUpdateAvailabilityStatus, kAssocUpdateAvailabilityStatus},
};

}  // namespace

bool DocumentEntry::on_demand() const { return object_type == kObjectTypeOnDemandDocument; }

AssociationType ParseAssociationType(const std::string& urn) {
  for (const AssociationTypeRow& row : kAssociationTypes) {
    if (urn == row.urn) return row.type;
  }
  return AssociationType::kOther;
}

const char* AssociationTypeUrn(AssociationType type) {
  for (const AssociationTypeRow& row : kAssociationTypes) {
    if (row.type == type) return row.urn;
  }
  return "";
}

Code ReadCode(const RegistryObject& object, const std::string& scheme) {
  for (const Classification& c : object.classifications) {
    if (c.classification_scheme == scheme) {
      return Code{c.node_representation, FirstValue(c.slots, kSlotCodingScheme), c.name.text()};
    }
  }
  return Code{};
}

std::vector<Code> ReadCodes(const RegistryObject& object, const std::string& scheme) {
  std::vector<Code> codes;
  for (const Classification& c : object.classifications) {
    if (c.classification_scheme == scheme) {
      codes.push_back(
          Code{c.node_representation, FirstValue(c.slots, kSlotCodingScheme), c.name.text()});
    }
  }
  return codes;
}

std::vector<Author> ReadAuthors(const RegistryObject& object, const std::string& scheme) {
  std::vector<Author> authors;
  for (const Classification& c : object.classifications) {
    if (c.classification_scheme != scheme) continue;
    Author a;
    a.person = FirstValue(c.slots, kSlotAuthorPerson);
    a.institutions = AllValues(c.slots, kSlotAuthorInstitution);
    a.roles = AllValues(c.slots, kSlotAuthorRole);
    a.specialties = AllValues(c.slots, kSlotAuthorSpecialty);
    a.telecoms = AllValues(c.slots, kSlotAuthorTelecommunication);
    authors.push_back(std::move(a));
  }
  return authors;
}

namespace {
// Reads the view from `object`, then moves the object into it.
DocumentEntry ReadDocumentEntryOwned(RegistryObject object) {
  DocumentEntry d;
  d.entry_uuid = object.id;
  d.logical_id = object.lid.empty() ? object.id : object.lid;
  d.version = object.version_name;
  d.object_type = object.object_type;
  d.availability_status = object.status;
  d.mime_type = object.mime_type;
  d.unique_id = object.ExternalIdValue(kDocEntryUniqueId);
  d.patient_id = object.ExternalIdValue(kDocEntryPatientId);
  d.source_patient_id = object.SlotValue(kSlotSourcePatientId);
  d.source_patient_info = AllValues(object.slots, kSlotSourcePatientInfo);
  d.hash = object.SlotValue(kSlotHash);
  d.size = object.SlotValue(kSlotSize);
  d.creation_time = object.SlotValue(kSlotCreationTime);
  d.service_start_time = object.SlotValue(kSlotServiceStartTime);
  d.service_stop_time = object.SlotValue(kSlotServiceStopTime);
  d.language_code = object.SlotValue(kSlotLanguageCode);
  d.repository_unique_id = object.SlotValue(kSlotRepositoryUniqueId);
  d.uri = ReadUri(object);
  d.legal_authenticator = object.SlotValue(kSlotLegalAuthenticator);
  d.title = object.name.text();
  d.comments = object.description.text();
  d.class_code = ReadCode(object, kDocEntryClassCode);
  d.type_code = ReadCode(object, kDocEntryTypeCode);
  d.format_code = ReadCode(object, kDocEntryFormatCode);
  d.healthcare_facility_type_code = ReadCode(object, kDocEntryHealthcareFacilityTypeCode);
  d.practice_setting_code = ReadCode(object, kDocEntryPracticeSettingCode);
  d.confidentiality_codes = ReadCodes(object, kDocEntryConfidentialityCode);
  d.event_codes = ReadCodes(object, kDocEntryEventCodeList);
  d.authors = ReadAuthors(object, kDocEntryAuthor);
  d.reference_ids = AllValues(object.slots, kSlotReferenceIdList);
  d.limited_metadata = HasNode(object, kDocEntryLimitedMetadata);
  d.rim = std::move(object);
  return d;
}
}  // namespace

DocumentEntry ReadDocumentEntry(const RegistryObject& object) {
  return ReadDocumentEntryOwned(object);
}

namespace {
// Reads the view from `object`, then moves the object into it.
SubmissionSet ReadSubmissionSetOwned(RegistryObject object) {
  SubmissionSet s;
  s.entry_uuid = object.id;
  s.unique_id = object.ExternalIdValue(kSubmissionSetUniqueId);
  s.patient_id = object.ExternalIdValue(kSubmissionSetPatientId);
  s.source_id = object.ExternalIdValue(kSubmissionSetSourceId);
  s.submission_time = object.SlotValue(kSlotSubmissionTime);
  s.availability_status = object.status;
  s.title = object.name.text();
  s.comments = object.description.text();
  s.content_type_code = ReadCode(object, kSubmissionSetContentTypeCode);
  s.authors = ReadAuthors(object, kSubmissionSetAuthor);
  s.intended_recipients = AllValues(object.slots, kSlotIntendedRecipient);
  s.limited_metadata = HasNode(object, kSubmissionSetLimitedMetadata);
  s.rim = std::move(object);
  return s;
}
}  // namespace

SubmissionSet ReadSubmissionSet(const RegistryObject& object) {
  return ReadSubmissionSetOwned(object);
}

namespace {
// Reads the view from `object`, then moves the object into it.
Folder ReadFolderOwned(RegistryObject object) {
  Folder f;
  f.entry_uuid = object.id;
  f.logical_id = object.lid.empty() ? object.id : object.lid;
  f.version = object.version_name;
  f.unique_id = object.ExternalIdValue(kFolderUniqueId);
  f.patient_id = object.ExternalIdValue(kFolderPatientId);
  f.availability_status = object.status;
  f.last_update_time = object.SlotValue(kSlotLastUpdateTime);
  f.title = object.name.text();
  f.comments = object.description.text();
  f.codes = ReadCodes(object, kFolderCodeList);
  f.limited_metadata = HasNode(object, kFolderLimitedMetadata);
  f.rim = std::move(object);
  return f;
}
}  // namespace

Folder ReadFolder(const RegistryObject& object) { return ReadFolderOwned(object); }

namespace {
// Reads the view from `object`, then moves the object into it.
Association ReadAssociationOwned(RegistryObject object) {
  Association a;
  a.entry_uuid = object.id;
  a.type_urn = object.association_type;
  a.type = ParseAssociationType(object.association_type);
  a.source = object.source_object;
  a.target = object.target_object;
  a.availability_status = object.status;
  a.submission_set_status = object.SlotValue(kSlotSubmissionSetStatus);
  a.previous_version = object.SlotValue(kSlotPreviousVersion);
  a.original_status = object.SlotValue(kSlotOriginalStatus);
  a.new_status = object.SlotValue(kSlotNewStatus);
  a.association_propagation = object.SlotValue(kSlotAssociationPropagation);
  a.rim = std::move(object);
  return a;
}
}  // namespace

Association ReadAssociation(const RegistryObject& object) { return ReadAssociationOwned(object); }

Submission ReadSubmission(const SubmitObjectsRequest& request) {
  std::vector<RegistryObject> objects = request.objects;
  std::unordered_map<std::string_view, size_t> by_id;
  by_id.reserve(objects.size());
  for (size_t i = 0; i < objects.size(); ++i) by_id.emplace(objects[i].id, i);

  Submission s;
  for (const Classification& c : request.classifications) {
    auto it = by_id.find(c.classified_object);
    if (it == by_id.end()) {
      s.unmatched_classifications.push_back(c);
      continue;
    }
    std::vector<Classification>& nested = objects[it->second].classifications;
    bool duplicate =
        !c.id.empty() && std::any_of(nested.begin(), nested.end(),
                                     [&](const Classification& x) { return x.id == c.id; });
    if (!duplicate) nested.push_back(c);
  }

  for (RegistryObject& o : objects) {
    switch (o.kind) {
      case ObjectKind::kExtrinsicObject:
        s.documents.push_back(ReadDocumentEntryOwned(std::move(o)));
        break;
      case ObjectKind::kAssociation:
        s.associations.push_back(ReadAssociationOwned(std::move(o)));
        break;
      case ObjectKind::kRegistryPackage:
        if (HasNode(o, kSubmissionSetNode)) {
          s.submission_sets.push_back(ReadSubmissionSetOwned(std::move(o)));
        } else if (HasNode(o, kFolderNode)) {
          s.folders.push_back(ReadFolderOwned(std::move(o)));
        } else {
          s.unclassified_packages.push_back(std::move(o));
        }
        break;
    }
  }
  s.object_refs = request.object_refs;
  return s;
}

}  // namespace renkei::xds
