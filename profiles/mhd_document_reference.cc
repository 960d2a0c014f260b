// MHD 4.2 DocumentEntry ⇄ DocumentReference (MHD §4.5.1 "DocumentEntry Metadata
// Attributes" mapping table; IHE.MHD.Comprehensive/Minimal.DocumentReference).
#include <cctype>

#include "profiles/internal/mhd_json.h"
#include "profiles/internal/mhd_resources.h"
#include "profiles/mhd_mapping.h"
#include "common/base64.h"
#include "xds/xds_constants.h"

namespace renkei::profiles {
namespace {

using namespace internal;  // NOLINT: the building blocks of this mapping

constexpr char kSourcePatientId[] = "src-patient";
constexpr char kHex[] = "0123456789abcdef";

// ITI TF-3 §4.2.3.2.4: hash is the SHA-1 in hex; FHIR Attachment.hash is base64 of the bytes.
std::string HashBase64OfHex(const std::string& hex) {
  if (hex.size() % 2 != 0) return "";
  std::string bytes;
  for (size_t i = 0; i < hex.size(); i += 2) {
    auto nibble = [](char c) {
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return c >= 'a' ? c - 'a' + 10 : c - '0';
    };
    if (!std::isxdigit(static_cast<unsigned char>(hex[i])) ||
        !std::isxdigit(static_cast<unsigned char>(hex[i + 1]))) {
      return "";
    }
    bytes.push_back(static_cast<char>(nibble(hex[i]) * 16 + nibble(hex[i + 1])));
  }
  std::string out;
  AppendBase64(&out, bytes);
  return out;
}

Result<std::string> HashHexOfBase64(const std::string& b64, const std::string& where,
                                    const std::string& location) {
  std::string bytes;
  if (!DecodeBase64(b64, &bytes))
    return Invalid(where + ": content.attachment.hash is not base64", location);
  if (bytes.size() == 40) {  // hex text in base64, as in IHE's own example bundles
    bool hex = true;
    for (char c : bytes) hex = hex && std::isxdigit(static_cast<unsigned char>(c));
    if (hex) {
      for (char& c : bytes) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      return bytes;
    }
  }
  if (bytes.size() != 20)
    return Invalid(where + ": content.attachment.hash is not a SHA-1 (20 bytes)", location);
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

const char* DocumentStatus(const std::string& urn) {
  if (urn == xds::kStatusApproved) return "current";
  if (urn == xds::kStatusDeprecated) return "superseded";
  return "entered-in-error";
}

const char* RelationCode(const std::string& association_type) {
  if (association_type == xds::kAssocRplc) return "replaces";
  if (association_type == xds::kAssocApnd) return "appends";
  if (association_type == xds::kAssocXfrm) return "transforms";
  if (association_type == xds::kAssocSigns) return "signs";
  return nullptr;  // XFRM_RPLC and others: no FHIR DocumentRelationshipType
}

// PID-5 / PID-7 / PID-8 of sourcePatientInfo (ITI TF-3 §4.2.3.2.23) on a contained Patient.
Json SourcePatient(const xds::DocumentEntry& d, Alloc& a) {
  Json p(rapidjson::kObjectType);
  p.AddMember("resourceType", "Patient", a);
  p.AddMember("id", kSourcePatientId, a);
  Json ids(rapidjson::kArrayType);
  if (!d.source_patient_id.empty()) ids.PushBack(IdentifierOfCx(d.source_patient_id, a), a);
  std::string name, birth, gender;
  for (const std::string& line : d.source_patient_info) {
    const std::string field = line.substr(0, line.find('|'));
    const std::string value =
        line.find('|') == std::string::npos ? "" : line.substr(line.find('|') + 1);
    if (field == "PID-3" && value != d.source_patient_id) ids.PushBack(IdentifierOfCx(value, a), a);
    if (field == "PID-5" && name.empty()) name = value;
    if (field == "PID-7" && birth.empty()) birth = value.substr(0, 8);
    if (field == "PID-8" && gender.empty()) gender = value;
  }
  Put(p, "identifier", std::move(ids), a);
  if (!name.empty()) {
    Json n = PractitionerOfXcn("", "^" + name, a);  // XPN family^given^middle = XCN from .2
    if (const Json* names = Array(n, "name")) p.AddMember("name", Json(*names, a), a);
  }
  const char* g = gender == "M"   ? "male"
                  : gender == "F" ? "female"
                  : gender == "O" ? "other"
                  : gender == "U" ? "unknown"
                                  : "";
  Put(p, "gender", g, a);
  Put(p, "birthDate", FhirTimeOfDtm(birth, false), a);
  return p;
}

void ReadSourcePatient(const Json& p, xds::RegistryObject& o) {
  std::vector<std::string> info;
  std::string source_id;
  if (const Json* ids = Array(p, "identifier")) {
    for (const Json& id : ids->GetArray()) {
      std::string cx = CxOfIdentifier(id);
      if (cx.empty()) continue;
      if (source_id.empty()) {
        source_id = cx;
      } else {
        info.push_back("PID-3|" + cx);
      }
    }
  }
  if (const Json* names = Array(p, "name"); names != nullptr && !names->Empty()) {
    // XPN family^given^middle^suffix^prefix = the name part of an XCN without its id.
    Json copy(rapidjson::kObjectType);
    Alloc a;
    copy.AddMember("name", Json(*names, a), a);
    const std::string xpn = XcnOfPractitioner(copy);
    if (xpn.size() > 1) info.push_back("PID-5|" + xpn.substr(1));
  }
  const std::string birth = Str(p, "birthDate");
  if (birth.size() >= 4) {
    std::string dtm;
    for (char c : birth)
      if (c != '-') dtm.push_back(c);
    info.push_back("PID-7|" + dtm);
  }
  const std::string g = Str(p, "gender");
  const char* sex = g == "male"      ? "M"
                    : g == "female"  ? "F"
                    : g == "other"   ? "O"
                    : g == "unknown" ? "U"
                                     : "";
  if (*sex != '\0') info.push_back(std::string("PID-8|") + sex);
  AddSlot(o, xds::kSlotSourcePatientId, source_id);
  AddSlotValues(o, xds::kSlotSourcePatientInfo, info);
}

Json SubjectOf(const std::string& cx, const MhdContext& ctx, Alloc& a) {
  const std::string id = ctx.patient_resource_id ? ctx.patient_resource_id(cx) : "";
  if (!id.empty()) return Reference(ctx.fhir_base + "/Patient/" + id, a);
  Json r(rapidjson::kObjectType);
  r.AddMember("identifier", IdentifierOfCx(cx, a), a);
  return r;
}

}  // namespace

std::string DocumentReferenceJson(const xds::RegistryObject& entry, const std::string& status_urn,
                                  const MhdContext& ctx, const DocumentReferenceExtras& extras) {
  const xds::DocumentEntry d = xds::ReadDocumentEntry(entry);
  rapidjson::Document doc(rapidjson::kObjectType);
  Alloc& a = doc.GetAllocator();
  Json contained(rapidjson::kArrayType);
  Json authors(rapidjson::kArrayType);
  for (size_t i = 0; i < d.authors.size(); ++i) {
    authors.PushBack(AuthorReference(d.authors[i], "author" + std::to_string(i + 1), contained, a),
                     a);
  }
  Json authenticator;
  if (!d.legal_authenticator.empty()) {
    contained.PushBack(PractitionerOfXcn("legal-authenticator", d.legal_authenticator, a), a);
    authenticator = Reference("#legal-authenticator", a);
  }
  const bool has_source_patient = !d.source_patient_id.empty() || !d.source_patient_info.empty();
  if (has_source_patient) contained.PushBack(SourcePatient(d, a), a);

  doc.AddMember("resourceType", "DocumentReference", a);
  Put(doc, "id", ResourceIdOf(d.entry_uuid), a);
  Json meta(rapidjson::kObjectType);
  Json profiles(rapidjson::kArrayType);
  profiles.PushBack(rapidjson::StringRef(d.limited_metadata ? kProfileMinimalDocRef
                                                            : kProfileComprehensiveDocRef),
                    a);
  meta.AddMember("profile", profiles, a);
  doc.AddMember("meta", meta, a);
  Put(doc, "contained", std::move(contained), a);
  if (!d.unique_id.empty())
    doc.AddMember("masterIdentifier", UniqueIdIdentifier(nullptr, d.unique_id, a), a);
  Json ids(rapidjson::kArrayType);
  ids.PushBack(IdentifierJson("official", kSystemRfc3986, d.entry_uuid, a), a);
  doc.AddMember("identifier", ids, a);
  doc.AddMember(
      "status",
      rapidjson::StringRef(DocumentStatus(status_urn.empty() ? d.availability_status : status_urn)),
      a);
  Put(doc, "type", CodeableConceptJson(d.type_code, a), a);
  if (!d.class_code.empty()) {
    Json category(rapidjson::kArrayType);
    category.PushBack(CodeableConceptJson(d.class_code, a), a);
    doc.AddMember("category", category, a);
  }
  if (!d.patient_id.empty()) doc.AddMember("subject", SubjectOf(d.patient_id, ctx, a), a);
  Put(doc, "date",
      FhirTimeOfDtm(extras.submission_time.empty() ? d.creation_time : extras.submission_time,
                    true),
      a);
  Put(doc, "author", std::move(authors), a);
  Put(doc, "authenticator", std::move(authenticator), a);
  Json relates(rapidjson::kArrayType);
  for (const MhdRelatesTo& r : extras.relates_to) {
    const char* code = RelationCode(r.association_type);
    if (code == nullptr) continue;
    Json rel(rapidjson::kObjectType);
    rel.AddMember("code", rapidjson::StringRef(code), a);
    rel.AddMember("target", Reference("DocumentReference/" + ResourceIdOf(r.target_entry_uuid), a),
                  a);
    relates.PushBack(rel, a);
  }
  Put(doc, "relatesTo", std::move(relates), a);
  Put(doc, "description", d.comments, a);
  Json labels(rapidjson::kArrayType);
  for (const xds::Code& c : d.confidentiality_codes) labels.PushBack(CodeableConceptJson(c, a), a);
  Put(doc, "securityLabel", std::move(labels), a);

  Json attachment(rapidjson::kObjectType);
  Put(attachment, "contentType", d.mime_type, a);
  Put(attachment, "language", d.language_code, a);
  if (ctx.document_url && !d.repository_unique_id.empty()) {
    Put(attachment, "url", ctx.document_url(d.repository_unique_id, d.unique_id), a);
  }
  if (!d.size.empty() && d.size.find_first_not_of("0123456789") == std::string::npos &&
      d.size.size() < 10) {
    attachment.AddMember("size", static_cast<unsigned>(std::stoul(d.size)), a);
  }
  Put(attachment, "hash", HashBase64OfHex(d.hash), a);
  Put(attachment, "title", d.title, a);
  Put(attachment, "creation", FhirTimeOfDtm(d.creation_time, false), a);
  Json content(rapidjson::kObjectType);
  content.AddMember("attachment", attachment, a);
  Put(content, "format", CodingJson(d.format_code, a), a);
  Json contents(rapidjson::kArrayType);
  contents.PushBack(content, a);
  doc.AddMember("content", contents, a);

  Json context(rapidjson::kObjectType);
  Json events(rapidjson::kArrayType);
  for (const xds::Code& c : d.event_codes) events.PushBack(CodeableConceptJson(c, a), a);
  Put(context, "event", std::move(events), a);
  Json period(rapidjson::kObjectType);
  Put(period, "start", FhirTimeOfDtm(d.service_start_time, false), a);
  Put(period, "end", FhirTimeOfDtm(d.service_stop_time, false), a);
  Put(context, "period", std::move(period), a);
  Put(context, "facilityType", CodeableConceptJson(d.healthcare_facility_type_code, a), a);
  Put(context, "practiceSetting", CodeableConceptJson(d.practice_setting_code, a), a);
  if (has_source_patient) {
    context.AddMember("sourcePatientInfo", Reference(std::string("#") + kSourcePatientId, a), a);
  }
  Json related(rapidjson::kArrayType);
  for (const std::string& cxi : d.reference_ids) {
    // CXi value^^^&oid&ISO^type (ITI TF-3 §4.2.3.1.7): type as Identifier.type.text.
    Json id = IdentifierOfCx(cxi, a);
    const std::vector<std::string> parts = [&] {
      std::vector<std::string> p;
      size_t s = 0;
      for (size_t at; (at = cxi.find('^', s)) != std::string::npos; s = at + 1)
        p.push_back(cxi.substr(s, at - s));
      p.push_back(cxi.substr(s));
      return p;
    }();
    if (parts.size() > 4 && !parts[4].empty()) {
      Json type(rapidjson::kObjectType);
      Put(type, "text", parts[4], a);
      id.AddMember("type", type, a);
    }
    Json ref(rapidjson::kObjectType);
    ref.AddMember("identifier", id, a);
    related.PushBack(ref, a);
  }
  Put(context, "related", std::move(related), a);
  Put(doc, "context", std::move(context), a);
  return Write(doc);
}

namespace internal {

Result<xds::RegistryObject> DocumentEntryOfJson(const Json& doc, const std::string& id,
                                                const DecodeContext& dc, bool* missing_required) {
  const bool comprehensive = dc.option == MhdOption::kComprehensive;
  const std::string where = "DocumentReference/" + ResourceIdOf(id);
  auto loc = [&](const char* path) { return std::string("DocumentReference.") + path; };
  auto need = [&](bool present, const char* path) -> Status {
    if (present || !comprehensive) return Status::Ok();
    return Required(where + ": " + path + " is required (Comprehensive Metadata)", loc(path));
  };
  if (Str(doc, "resourceType") != "DocumentReference")
    return Invalid(where + " is not a DocumentReference", "DocumentReference");
  xds::RegistryObject o;
  o.kind = xds::ObjectKind::kExtrinsicObject;
  o.id = id;
  o.object_type = xds::kObjectTypeStableDocument;

  const std::string status = Str(doc, "status");
  if (status.empty()) return Required(where + ": status is required", loc("status"));
  if (dc.in_submission && status != "current") {
    return CodeInvalid(where + ": status must be 'current' in a Provide Document Bundle",
                       loc("status"));
  }
  if (!dc.in_submission) {
    o.status = status == "current"      ? xds::kStatusApproved
               : status == "superseded" ? xds::kStatusDeprecated
                                        : "";
    if (o.status.empty())
      return CodeInvalid(where + ": status '" + status + "' has no XDS form", loc("status"));
  }
  const Json* master = Object(doc, "masterIdentifier");
  const std::string unique_id = master ? UniqueIdOf(*master) : "";
  if (unique_id.empty())
    return Required(where + ": masterIdentifier (uniqueId) is required", loc("masterIdentifier"));

  const Json* contents = Array(doc, "content");
  if (contents == nullptr || contents->Empty())
    return Required(where + ": content is required", loc("content"));
  if (contents->Size() > 1)
    return Invalid(where + ": an XDS DocumentEntry has exactly one content", loc("content"));
  const Json* attachment = Object((*contents)[0], "attachment");
  if (attachment == nullptr)
    return Required(where + ": content.attachment is required", loc("content.attachment"));
  o.mime_type = Str(*attachment, "contentType");
  if (o.mime_type.empty())
    return Required(where + ": content.attachment.contentType is required",
                    loc("content.attachment.contentType"));
  o.name = XdsText(Str(*attachment, "title"));
  o.description = XdsText(Str(doc, "description"));

  RENKEI_ASSIGN_OR_RETURN(std::string creation, DtmOfFhirTime(Str(*attachment, "creation"),
                                                              loc("content.attachment.creation")));
  RENKEI_RETURN_IF_ERROR(need(!creation.empty(), "content.attachment.creation"));
  if (creation.empty()) {  // Minimal: DocumentReference.date stands in for creationTime
    RENKEI_ASSIGN_OR_RETURN(creation, DtmOfFhirTime(Str(doc, "date"), loc("date")));
  }
  AddSlot(o, xds::kSlotCreationTime, creation);
  const std::string hash = Str(*attachment, "hash");
  if (!hash.empty()) {
    RENKEI_ASSIGN_OR_RETURN(std::string hex,
                            HashHexOfBase64(hash, where, loc("content.attachment.hash")));
    AddSlot(o, xds::kSlotHash, hex);
  }
  std::string language = Str(*attachment, "language");
  RENKEI_RETURN_IF_ERROR(need(!language.empty(), "content.attachment.language"));
  if (language.empty()) language = dc.ctx->minimal_defaults.language_code;
  AddSlot(o, xds::kSlotLanguageCode, language);

  std::string source_patient_id;
  if (const Json* ctxt = Object(doc, "context")) {
    if (const Json* period = Object(*ctxt, "period")) {
      RENKEI_ASSIGN_OR_RETURN(std::string start,
                              DtmOfFhirTime(Str(*period, "start"), loc("context.period.start")));
      RENKEI_ASSIGN_OR_RETURN(std::string end,
                              DtmOfFhirTime(Str(*period, "end"), loc("context.period.end")));
      AddSlot(o, xds::kSlotServiceStartTime, start);
      AddSlot(o, xds::kSlotServiceStopTime, end);
    }
    if (const Json* spi = Object(*ctxt, "sourcePatientInfo")) {
      const Json* p = FindContained(doc, Str(*spi, "reference"));
      if (p == nullptr || Str(*p, "resourceType") != "Patient") {
        return Invalid(where + ": context.sourcePatientInfo must reference a contained Patient",
                       loc("context.sourcePatientInfo"));
      }
      ReadSourcePatient(*p, o);
      source_patient_id = o.SlotValue(xds::kSlotSourcePatientId);
    }
  }
  if (const Json* size = Member(*attachment, "size")) {
    if (!size->IsUint())
      return Invalid(where + ": content.attachment.size is not an unsignedInt",
                     loc("content.attachment.size"));
    AddSlot(o, xds::kSlotSize, std::to_string(size->GetUint()));
  }
  RENKEI_RETURN_IF_ERROR(need(!source_patient_id.empty(), "context.sourcePatientInfo"));

  if (const Json* auth = Object(doc, "authenticator")) {
    const Json* p = FindContained(doc, Str(*auth, "reference"));
    if (p != nullptr && Str(*p, "resourceType") == "PractitionerRole") {
      const Json* pr = Object(*p, "practitioner");
      p = pr != nullptr ? FindContained(doc, Str(*pr, "reference")) : nullptr;
    }
    if (p == nullptr || Str(*p, "resourceType") != "Practitioner") {
      return NotSupported(where + ": authenticator must reference a contained Practitioner",
                          loc("authenticator"));
    }
    AddSlot(o, xds::kSlotLegalAuthenticator, XcnOfPractitioner(*p));
  }
  if (const Json* authors = Array(doc, "author")) {
    for (const Json& r : authors->GetArray()) {
      RENKEI_ASSIGN_OR_RETURN(xds::Author author, AuthorOfReference(doc, r, loc("author")));
      AddAuthor(o, xds::kDocEntryAuthor, author);
    }
  }

  const MhdMinimalDefaults& defaults = dc.ctx->minimal_defaults;
  auto code = [&](const char* scheme, const Json* cc_json, const char* path,
                  const xds::Code& fallback) -> Status {
    xds::Code c = cc_json != nullptr ? CodeOfCodeableConcept(*cc_json) : xds::Code{};
    RENKEI_RETURN_IF_ERROR(need(!c.empty(), path));
    AddCode(o, scheme, c.empty() ? fallback : c);
    return Status::Ok();
  };
  const Json* categories = Array(doc, "category");
  RENKEI_RETURN_IF_ERROR(code(xds::kDocEntryClassCode,
                              categories && !categories->Empty() ? &(*categories)[0] : nullptr,
                              "category", defaults.class_code));
  const Json* labels = Array(doc, "securityLabel");
  if (labels != nullptr && !labels->Empty()) {
    for (const Json& l : labels->GetArray())
      RENKEI_RETURN_IF_ERROR(code(xds::kDocEntryConfidentialityCode, &l, "securityLabel", {}));
  } else {
    RENKEI_RETURN_IF_ERROR(code(xds::kDocEntryConfidentialityCode, nullptr, "securityLabel",
                                defaults.confidentiality_code));
  }
  const Json* ctxt = Object(doc, "context");
  if (const Json* events = ctxt ? Array(*ctxt, "event") : nullptr) {
    for (const Json& e : events->GetArray())
      AddCode(o, xds::kDocEntryEventCodeList, CodeOfCodeableConcept(e));
  }
  const Json* format = Object((*contents)[0], "format");
  xds::Code format_code = format ? CodeOfCoding(*format) : xds::Code{};
  RENKEI_RETURN_IF_ERROR(need(!format_code.empty(), "content.format"));
  AddCode(o, xds::kDocEntryFormatCode, format_code.empty() ? defaults.format_code : format_code);
  RENKEI_RETURN_IF_ERROR(code(xds::kDocEntryHealthcareFacilityTypeCode,
                              ctxt ? Object(*ctxt, "facilityType") : nullptr,
                              "context.facilityType", defaults.healthcare_facility_type_code));
  RENKEI_RETURN_IF_ERROR(code(xds::kDocEntryPracticeSettingCode,
                              ctxt ? Object(*ctxt, "practiceSetting") : nullptr,
                              "context.practiceSetting", defaults.practice_setting_code));
  RENKEI_RETURN_IF_ERROR(
      code(xds::kDocEntryTypeCode, Object(doc, "type"), "type", defaults.type_code));
  if (const Json* related = ctxt ? Array(*ctxt, "related") : nullptr) {
    std::vector<std::string> ids;
    for (const Json& r : related->GetArray()) {
      const Json* ident = Object(r, "identifier");
      std::string cx = ident ? CxOfIdentifier(*ident) : "";
      if (cx.empty()) continue;  // a Reference to a resource has no referenceIdList form
      const Json* type = ident ? Object(*ident, "type") : nullptr;
      const std::string t = type ? Str(*type, "text") : "";
      ids.push_back(t.empty() ? cx : cx + "^" + t);
    }
    AddSlotValues(o, xds::kSlotReferenceIdList, ids);
  }

  std::string patient;
  if (const Json* subject = Object(doc, "subject")) {
    auto resolved = dc.subject ? dc.subject(*subject, doc, loc("subject"))
                               : ResolveSubject(*subject, *dc.ctx, doc, loc("subject"));
    if (!resolved.ok()) return resolved.status();
    patient = *resolved;
  }
  RENKEI_RETURN_IF_ERROR(need(!patient.empty(), "subject"));
  AddExternalId(o, xds::kDocEntryPatientId, patient, "XDSDocumentEntry.patientId");
  AddExternalId(o, xds::kDocEntryUniqueId, unique_id, "XDSDocumentEntry.uniqueId");
  if (!comprehensive && source_patient_id.empty() && !patient.empty()) {
    AddSlot(o, xds::kSlotSourcePatientId, patient);  // Minimal: the regional id stands in
  }

  const xds::DocumentEntry d = xds::ReadDocumentEntry(o);
  const bool complete = !d.class_code.empty() && !d.type_code.empty() && !d.format_code.empty() &&
                        !d.healthcare_facility_type_code.empty() &&
                        !d.practice_setting_code.empty() && !d.confidentiality_codes.empty() &&
                        !d.creation_time.empty() && !d.language_code.empty() &&
                        !d.patient_id.empty() && !d.source_patient_id.empty();
  if (!complete) {
    AddNode(o, xds::kDocEntryLimitedMetadata);
  }
  if (missing_required != nullptr) *missing_required = !complete;
  return o;
}

}  // namespace internal

Result<xds::RegistryObject> DecodeDocumentReference(const std::string& json, MhdOption option,
                                                    const MhdContext& ctx,
                                                    const std::string& fallback_id) {
  rapidjson::Document doc;
  doc.Parse(json.c_str(), json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return Invalid("the DocumentReference is not a JSON object", "DocumentReference");
  DecodeContext dc;
  dc.option = option;
  dc.ctx = &ctx;
  return DocumentEntryOfJson(doc, EntryUuidOf(doc, fallback_id), dc, nullptr);
}

}  // namespace renkei::profiles
