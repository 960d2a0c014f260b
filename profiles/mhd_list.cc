// MHD 4.2 SubmissionSet / Folder ⇄ List (MHD §4.5.2 SubmissionSet and §4.5.3 Folder
// mapping tables; IHE.MHD.Comprehensive/Minimal.SubmissionSet and .Folder).
#include "profiles/internal/mhd_json.h"
#include "profiles/internal/mhd_resources.h"
#include "profiles/mhd_mapping.h"
#include "xds/xds_constants.h"

namespace renkei::profiles {
namespace {

using namespace internal;  // NOLINT: the building blocks of this mapping

const char* ListStatus(const std::string& urn) {
  if (urn == xds::kStatusApproved) return "current";
  if (urn == xds::kStatusDeprecated) return "retired";
  return "entered-in-error";
}

Json Subject(const std::string& cx, const MhdContext& ctx, Alloc& a) {
  const std::string id = ctx.patient_resource_id ? ctx.patient_resource_id(cx) : "";
  if (!id.empty()) return Reference(ctx.fhir_base + "/Patient/" + id, a);
  Json r(rapidjson::kObjectType);
  r.AddMember("identifier", IdentifierOfCx(cx, a), a);
  return r;
}

struct ListFields {
  const char* profile;
  const char* code;
  std::string entry_uuid;
  std::string unique_id;
  std::string patient_id;
  std::string status_urn;
  std::string title;
  std::string comments;
  std::string date;  // DTM
};

// The List skeleton in FHIR element order; `contained`, `extensions` and `source` come from
// the caller (the SubmissionSet has them, the Folder only designationType extensions).
std::string ListJson(const ListFields& f, Json&& contained, Json&& extensions, Json&& source,
                     const ListMembers& members, const MhdContext& ctx) {
  rapidjson::Document doc(rapidjson::kObjectType);
  Alloc& a = doc.GetAllocator();
  doc.AddMember("resourceType", "List", a);
  Put(doc, "id", ResourceIdOf(f.entry_uuid), a);
  Json meta(rapidjson::kObjectType);
  Json profiles(rapidjson::kArrayType);
  profiles.PushBack(rapidjson::StringRef(f.profile), a);
  meta.AddMember("profile", profiles, a);
  doc.AddMember("meta", meta, a);
  Put(doc, "contained", Json(contained, a), a);
  Put(doc, "extension", Json(extensions, a), a);
  Json ids(rapidjson::kArrayType);
  ids.PushBack(IdentifierJson("official", kSystemRfc3986, f.entry_uuid, a), a);
  if (!f.unique_id.empty()) ids.PushBack(UniqueIdIdentifier("usual", f.unique_id, a), a);
  doc.AddMember("identifier", ids, a);
  doc.AddMember("status", rapidjson::StringRef(ListStatus(f.status_urn)), a);
  doc.AddMember("mode", "working", a);
  Put(doc, "title", f.title, a);
  Json coding(rapidjson::kObjectType);
  coding.AddMember("system", rapidjson::StringRef(kListTypesSystem), a);
  coding.AddMember("code", rapidjson::StringRef(f.code), a);
  Json codings(rapidjson::kArrayType);
  codings.PushBack(coding, a);
  Json code(rapidjson::kObjectType);
  code.AddMember("coding", codings, a);
  doc.AddMember("code", code, a);
  if (!f.patient_id.empty()) doc.AddMember("subject", Subject(f.patient_id, ctx, a), a);
  Put(doc, "date", FhirTimeOfDtm(f.date, false), a);
  Put(doc, "source", Json(source, a), a);
  if (!f.comments.empty()) {
    Json note(rapidjson::kObjectType);
    Put(note, "text", f.comments, a);
    Json notes(rapidjson::kArrayType);
    notes.PushBack(note, a);
    doc.AddMember("note", notes, a);
  }
  Json entries(rapidjson::kArrayType);
  auto add = [&](const std::string& type, const std::string& uuid) {
    Json e(rapidjson::kObjectType);
    e.AddMember("item", Reference(type + "/" + ResourceIdOf(uuid), a), a);
    entries.PushBack(e, a);
  };
  for (const std::string& d : members.documents) add("DocumentReference", d);
  for (const std::string& f2 : members.folders) add("List", f2);
  Put(doc, "entry", std::move(entries), a);
  return Write(doc);
}

}  // namespace

std::string SubmissionSetListJson(const xds::RegistryObject& submission_set,
                                  const std::string& status_urn, const ListMembers& members,
                                  const MhdContext& ctx) {
  const xds::SubmissionSet s = xds::ReadSubmissionSet(submission_set);
  rapidjson::Document scratch;
  Alloc& a = scratch.GetAllocator();
  Json contained(rapidjson::kArrayType);
  Json extensions(rapidjson::kArrayType);
  Json source(rapidjson::kObjectType);
  if (!s.authors.empty()) {  // List.source is 0..1 Reference(Practitioner|Patient|Device)
    const xds::Author& author = s.authors.front();
    if (!author.institutions.empty()) {
      contained.PushBack(OrganizationOfXon("author-org", author.institutions.front(), a), a);
      Json ext(rapidjson::kArrayType);
      ext.PushBack(ExtensionJson(kExtAuthorOrg, "valueReference", Reference("#author-org", a), a),
                   a);
      source.AddMember("extension", ext, a);
    }
    if (!author.person.empty()) {
      Json p = PractitionerOfXcn("author-person", author.person, a);
      Json telecom(rapidjson::kArrayType);
      for (const std::string& x : author.telecoms) {
        Json t = TelecomOfXtn(x, a);
        if (!t.IsNull()) telecom.PushBack(t, a);
      }
      Put(p, "telecom", std::move(telecom), a);
      contained.PushBack(p, a);
      source.AddMember("reference", "#author-person", a);
    }
  }
  if (!s.content_type_code.empty()) {
    extensions.PushBack(ExtensionJson(kExtDesignationType, "valueCodeableConcept",
                                      CodeableConceptJson(s.content_type_code, a), a),
                        a);
  }
  if (!s.source_id.empty()) {
    Json id(rapidjson::kObjectType);
    Put(id, "value", UriOfXdsId(s.source_id), a);
    extensions.PushBack(ExtensionJson(kExtSourceId, "valueIdentifier", std::move(id), a), a);
  }
  for (size_t i = 0; i < s.intended_recipients.size(); ++i) {
    Json ref = RecipientReference(s.intended_recipients[i], "recipient" + std::to_string(i + 1),
                                  contained, a);
    extensions.PushBack(ExtensionJson(kExtIntendedRecipient, "valueReference", std::move(ref), a),
                        a);
  }
  ListFields f{
      s.limited_metadata ? kProfileMinimalSubmissionSet : kProfileComprehensiveSubmissionSet,
      kListCodeSubmissionSet,
      s.entry_uuid,
      s.unique_id,
      s.patient_id,
      status_urn.empty() ? s.availability_status : status_urn,
      s.title,
      s.comments,
      s.submission_time};
  return ListJson(f, std::move(contained), std::move(extensions), std::move(source), members, ctx);
}

std::string FolderListJson(const xds::RegistryObject& folder, const std::string& status_urn,
                           const ListMembers& members, const MhdContext& ctx) {
  const xds::Folder fo = xds::ReadFolder(folder);
  rapidjson::Document scratch;
  Alloc& a = scratch.GetAllocator();
  Json extensions(rapidjson::kArrayType);
  for (const xds::Code& c : fo.codes) {
    extensions.PushBack(
        ExtensionJson(kExtDesignationType, "valueCodeableConcept", CodeableConceptJson(c, a), a),
        a);
  }
  ListFields f{fo.limited_metadata ? kProfileMinimalFolder : kProfileComprehensiveFolder,
               kListCodeFolder,
               fo.entry_uuid,
               fo.unique_id,
               fo.patient_id,
               status_urn.empty() ? fo.availability_status : status_urn,
               fo.title,
               fo.comments,
               fo.last_update_time};
  return ListJson(f, Json(rapidjson::kArrayType), std::move(extensions),
                  Json(rapidjson::kObjectType), members, ctx);
}

namespace internal {

Result<xds::RegistryObject> PackageOfJson(const Json& list, const std::string& id,
                                          const DecodeContext& dc, bool* is_folder,
                                          bool* missing_required) {
  const bool comprehensive = dc.option == MhdOption::kComprehensive;
  const std::string where = "List/" + ResourceIdOf(id);
  auto loc = [](const char* path) { return std::string("List.") + path; };
  auto need = [&](bool present, const char* path) -> Status {
    if (present || !comprehensive) return Status::Ok();
    return Required(where + ": " + path + " is required (Comprehensive Metadata)", loc(path));
  };
  if (Str(list, "resourceType") != "List") return Invalid(where + " is not a List", "List");
  const Json* code = Object(list, "code");
  const xds::Code list_type = code ? CodeOfCodeableConcept(*code) : xds::Code{};
  if (list_type.code != kListCodeSubmissionSet && list_type.code != kListCodeFolder) {
    return CodeInvalid(where + ": code must be " + kListTypesSystem + "#submissionset or #folder",
                       loc("code"));
  }
  const bool folder = list_type.code == kListCodeFolder;
  *is_folder = folder;
  xds::RegistryObject o;
  o.kind = xds::ObjectKind::kRegistryPackage;
  o.id = id;
  const std::string status = Str(list, "status");
  if (dc.in_submission && status != "current") {
    return CodeInvalid(where + ": status must be 'current' in a Provide Document Bundle",
                       loc("status"));
  }
  if (!dc.in_submission)
    o.status = status == "retired" ? xds::kStatusDeprecated : xds::kStatusApproved;
  if (!Str(list, "mode").empty() && Str(list, "mode") != "working") {
    return CodeInvalid(where + ": mode must be 'working'", loc("mode"));
  }
  std::string unique_id;
  if (const Json* ids = Array(list, "identifier")) {
    for (const Json& i : ids->GetArray()) {
      if (Str(i, "use") != "official" && unique_id.empty()) unique_id = UniqueIdOf(i);
    }
  }
  if (unique_id.empty())
    return Required(where + ": identifier (uniqueId, use usual) is required", loc("identifier"));
  o.name = XdsText(Str(list, "title"));
  if (folder) RENKEI_RETURN_IF_ERROR(need(!o.name.empty(), "title"));
  if (const Json* notes = Array(list, "note"); notes != nullptr && !notes->Empty()) {
    o.description = XdsText(Str((*notes)[0], "text"));
  }
  std::string patient;
  if (const Json* subject = Object(list, "subject")) {
    auto resolved = dc.subject ? dc.subject(*subject, list, loc("subject"))
                               : ResolveSubject(*subject, *dc.ctx, list, loc("subject"));
    if (!resolved.ok()) return resolved.status();
    patient = *resolved;
  }
  RENKEI_RETURN_IF_ERROR(need(!patient.empty(), "subject"));
  RENKEI_ASSIGN_OR_RETURN(std::string date, DtmOfFhirTime(Str(list, "date"), loc("date")));
  std::vector<xds::Code> designations;
  for (const Json* v : Extensions(list, kExtDesignationType, "valueCodeableConcept")) {
    xds::Code c = CodeOfCodeableConcept(*v);
    if (!c.empty()) designations.push_back(std::move(c));
  }
  RENKEI_RETURN_IF_ERROR(need(!designations.empty(), "extension:designationType"));
  bool complete = !patient.empty() && !o.name.empty();

  if (folder) {
    for (const xds::Code& c : designations) AddCode(o, xds::kFolderCodeList, c);
    if (!dc.in_submission) AddSlot(o, xds::kSlotLastUpdateTime, date);  // the registry sets it
    AddExternalId(o, xds::kFolderPatientId, patient, "XDSFolder.patientId");
    AddExternalId(o, xds::kFolderUniqueId, unique_id, "XDSFolder.uniqueId");
    complete = complete && !designations.empty();
    AddNode(o, xds::kFolderNode);
    if (!complete) AddNode(o, xds::kFolderLimitedMetadata);
    if (missing_required != nullptr) *missing_required = !complete;
    return o;
  }

  RENKEI_RETURN_IF_ERROR(need(!date.empty(), "date"));
  if (date.empty()) date = dc.fallback_submission_time;
  AddSlot(o, xds::kSlotSubmissionTime, date);
  for (const Json* v : Extensions(list, kExtIntendedRecipient, "valueReference")) {
    RENKEI_ASSIGN_OR_RETURN(std::string r,
                            RecipientOfReference(list, *v, loc("extension:intendedRecipient")));
    if (!r.empty()) {
      if (o.slots.empty() || o.slots.back().name != xds::kSlotIntendedRecipient) {
        o.slots.push_back({xds::kSlotIntendedRecipient, "", {}});
      }
      o.slots.back().values.push_back(std::move(r));
    }
  }
  if (const Json* source = Object(list, "source")) {
    xds::Author author;
    if (!Str(*source, "reference").empty()) {
      RENKEI_ASSIGN_OR_RETURN(author, AuthorOfReference(list, *source, loc("source")));
    }
    if (const Json* org = Extension(*source, kExtAuthorOrg, "valueReference")) {
      RENKEI_ASSIGN_OR_RETURN(xds::Author o2,
                              AuthorOfReference(list, *org, loc("source.extension:authorOrg")));
      for (std::string& x : o2.institutions) author.institutions.push_back(std::move(x));
    }
    AddAuthor(o, xds::kSubmissionSetAuthor, author);
  }
  xds::Code content_type =
      designations.empty() ? dc.ctx->minimal_defaults.content_type_code : designations.front();
  AddCode(o, xds::kSubmissionSetContentTypeCode, content_type);
  const Json* source_id = Extension(list, kExtSourceId, "valueIdentifier");
  const std::string sid = source_id ? XdsIdOfUri(Str(*source_id, "value")) : "";
  if (sid.empty())
    return Required(where + ": extension:sourceId is required", loc("extension:sourceId"));
  AddExternalId(o, xds::kSubmissionSetUniqueId, unique_id, "XDSSubmissionSet.uniqueId");
  AddExternalId(o, xds::kSubmissionSetSourceId, sid, "XDSSubmissionSet.sourceId");
  AddExternalId(o, xds::kSubmissionSetPatientId, patient, "XDSSubmissionSet.patientId");
  AddNode(o, xds::kSubmissionSetNode);
  complete = !patient.empty() && !content_type.empty() && !date.empty();
  if (!complete) AddNode(o, xds::kSubmissionSetLimitedMetadata);
  if (missing_required != nullptr) *missing_required = !complete;
  return o;
}

}  // namespace internal

Result<xds::RegistryObject> DecodeList(const std::string& json, MhdOption option,
                                       const MhdContext& ctx, const std::string& fallback_id) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return Invalid("the List is not a JSON object", "List");
  DecodeContext dc;
  dc.option = option;
  dc.ctx = &ctx;
  bool folder = false;
  return PackageOfJson(doc, EntryUuidOf(doc, fallback_id), dc, &folder, nullptr);
}

std::string XdsSchemeOfFhirSystem(const std::string& system) {
  return internal::SchemeOfSystem(system);
}

Result<std::string> DtmOfFhirDateTime(const std::string& value) {
  if (value.empty()) return Status::InvalidArgument("invalid", "a date is empty");
  return internal::DtmOfFhirTime(value, "date");
}

}  // namespace renkei::profiles
