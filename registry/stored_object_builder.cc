// ITI-42 / ITI-57 storage mapping: XDS metadata views -> RegistryStore rows (ITI TF-3 §4.2.3,
// index columns for the ITI-18 stored queries of ITI TF-2 §3.18.4.1.2.3.7).
#include "registry/stored_object_builder.h"

#include <charconv>

#include "xds/ebrim_codec.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

void AddCode(StoredObject& row, CodeAttr attr, const xds::Code& code) {
  if (code.empty()) return;
  row.codes.push_back(StoredCode{attr, code.code, code.scheme});
}

void AddTime(StoredObject& row, TimeAttr attr, const std::string& value) {
  if (value.empty()) return;
  row.times.push_back(StoredTime{attr, value});
}

void FillCommon(StoredObject& row, const xds::RegistryObject& rim,
                const StoredObjectContext& ctx) {
  row.id = rim.id;
  row.lid = rim.lid.empty() ? rim.id : rim.lid;
  row.version = ParseVersionName(rim.version_name);
  row.status = ctx.status;
  row.home = rim.home;
  row.submitter = ctx.submitter;
  row.leaf_xml = xds::EncodeRegistryObject(rim);
}

void AddAuthors(StoredObject& row, const std::vector<xds::Author>& authors) {
  for (const xds::Author& a : authors) {
    if (!a.person.empty()) row.author_persons.push_back(a.person);
  }
}

}  // namespace

int64_t ParseVersionName(const std::string& version_name) {
  int64_t v = 0;
  auto [ptr, ec] =
      std::from_chars(version_name.data(), version_name.data() + version_name.size(), v);
  if (ec != std::errc() || ptr != version_name.data() + version_name.size() || v < 1) return 1;
  return v;
}

StoredObject BuildStoredObject(const xds::DocumentEntry& e, const StoredObjectContext& ctx) {
  StoredObject row;
  row.kind = EntryKind::kDocumentEntry;
  FillCommon(row, e.rim, ctx);
  row.object_type = e.rim.object_type;
  row.unique_id = e.unique_id;
  row.patient_id = e.patient_id;
  row.hash = e.hash;
  row.size = e.size;
  row.repository_unique_id = e.repository_unique_id;
  AddAuthors(row, e.authors);
  row.reference_ids = e.reference_ids;
  AddCode(row, CodeAttr::kClass, e.class_code);
  AddCode(row, CodeAttr::kType, e.type_code);
  AddCode(row, CodeAttr::kFormat, e.format_code);
  AddCode(row, CodeAttr::kHealthcareFacilityType, e.healthcare_facility_type_code);
  AddCode(row, CodeAttr::kPracticeSetting, e.practice_setting_code);
  for (const xds::Code& c : e.confidentiality_codes) AddCode(row, CodeAttr::kConfidentiality, c);
  for (const xds::Code& c : e.event_codes) AddCode(row, CodeAttr::kEvent, c);
  AddTime(row, TimeAttr::kCreation, e.creation_time);
  AddTime(row, TimeAttr::kServiceStart, e.service_start_time);
  AddTime(row, TimeAttr::kServiceStop, e.service_stop_time);
  return row;
}

StoredObject BuildStoredObject(const xds::SubmissionSet& s, const StoredObjectContext& ctx) {
  StoredObject row;
  row.kind = EntryKind::kSubmissionSet;
  FillCommon(row, s.rim, ctx);
  row.object_type = xds::kObjectTypeRegistryPackage;
  row.unique_id = s.unique_id;
  row.patient_id = s.patient_id;
  row.source_id = s.source_id;
  AddAuthors(row, s.authors);
  AddCode(row, CodeAttr::kContentType, s.content_type_code);
  AddTime(row, TimeAttr::kSubmission, s.submission_time);
  return row;
}

StoredObject BuildStoredObject(const xds::Folder& f, const StoredObjectContext& ctx) {
  StoredObject row;
  row.kind = EntryKind::kFolder;
  FillCommon(row, f.rim, ctx);
  row.object_type = xds::kObjectTypeRegistryPackage;
  row.unique_id = f.unique_id;
  row.patient_id = f.patient_id;
  for (const xds::Code& c : f.codes) AddCode(row, CodeAttr::kFolderCode, c);
  AddTime(row, TimeAttr::kLastUpdate, f.last_update_time);
  return row;
}

StoredObject BuildStoredObject(const xds::Association& a, const StoredObjectContext& ctx) {
  StoredObject row;
  row.kind = EntryKind::kAssociation;
  FillCommon(row, a.rim, ctx);
  row.object_type = xds::kObjectTypeAssociation;
  row.assoc_type = a.type == xds::AssociationType::kOther ? a.rim.association_type
                                                          : xds::AssociationTypeUrn(a.type);
  row.source = a.rim.source_object;
  row.target = a.rim.target_object;
  return row;
}

StoredObject BuildStoredObject(const xds::RegistryObject& object, bool is_submission_set,
                               const StoredObjectContext& ctx) {
  switch (object.kind) {
    case xds::ObjectKind::kExtrinsicObject:
      return BuildStoredObject(xds::ReadDocumentEntry(object), ctx);
    case xds::ObjectKind::kAssociation:
      return BuildStoredObject(xds::ReadAssociation(object), ctx);
    case xds::ObjectKind::kRegistryPackage:
      break;
  }
  if (is_submission_set) return BuildStoredObject(xds::ReadSubmissionSet(object), ctx);
  return BuildStoredObject(xds::ReadFolder(object), ctx);
}

}  // namespace renkei::registry
