// ITI-65 Provide Document Bundle → XDS submission (MHD ITI TF-2 §3.65.4.1.3 "Expected
// Actions": the Document Recipient grouped with an XDS Document Source turns the
// transaction Bundle into ITI-41/42 metadata; references between entries go by fullUrl).
#include <map>
#include <set>

#include "common/utc_time.h"
#include "profiles/internal/mhd_json.h"
#include "profiles/internal/mhd_resources.h"
#include "profiles/mhd_mapping.h"
#include "common/base64.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::profiles {
namespace internal {

namespace {

std::string OfficialEntryUuid(const Json& resource) {
  if (const Json* ids = Array(resource, "identifier")) {
    for (const Json& i : ids->GetArray()) {
      const std::string v = Str(i, "value");
      if (Str(i, "use") == "official" && v.rfind(kUrnUuid, 0) == 0 && IsUuid(v.substr(9))) return v;
    }
  }
  return "";
}

// "Patient/{id}" or base + "/Patient/{id}" (with an optional /_history/...) → id; "" else.
std::string IdOfReference(const std::string& ref, const std::string& type,
                          const std::string& base) {
  std::string rel = ref;
  if (!base.empty() && rel.rfind(base + "/", 0) == 0) rel = rel.substr(base.size() + 1);
  if (rel.rfind(type + "/", 0) != 0) return "";
  std::string id = rel.substr(type.size() + 1);
  id = id.substr(0, id.find('/'));
  return id;
}

std::string FirstCx(const Json& patient) {
  if (const Json* ids = Array(patient, "identifier")) {
    for (const Json& i : ids->GetArray()) {
      std::string cx = CxOfIdentifier(i);
      if (IsIsoCx(cx)) return cx;
    }
  }
  return "";
}

}  // namespace

Result<std::string> ResolveSubject(const Json& subject, const MhdContext& ctx, const Json& resource,
                                   const std::string& location) {
  const std::string ref = Str(subject, "reference");
  if (ref.empty()) {
    const Json* identifier = Object(subject, "identifier");
    if (identifier == nullptr)
      return Invalid("subject has neither reference nor identifier", location);
    std::string cx = CxOfIdentifier(*identifier);
    if (!IsIsoCx(cx))
      return CodeInvalid("subject.identifier.system must be an urn:oid: assigning authority",
                         location);
    return cx;
  }
  if (ref[0] == '#') {
    const Json* p = FindContained(resource, ref);
    if (p == nullptr || Str(*p, "resourceType") != "Patient")
      return Invalid("subject '" + ref + "' is no contained Patient", location);
    std::string cx = FirstCx(*p);
    if (cx.empty())
      return CodeInvalid("the contained subject Patient has no urn:oid: identifier", location);
    return cx;
  }
  const std::string id = IdOfReference(ref, "Patient", ctx.fhir_base);
  if (id.empty())
    return Invalid("subject '" + ref + "' is not a Patient of " + ctx.fhir_base, location);
  const std::string cx = ctx.patient_cx ? ctx.patient_cx(id) : "";
  if (cx.empty()) return NotFound("subject Patient/" + id + " is not known", location);
  return cx;
}

std::string EntryUuidOf(const Json& resource, const std::string& fallback) {
  std::string official = OfficialEntryUuid(resource);
  if (!official.empty()) return official;
  const std::string id = Str(resource, "id");
  return IsUuid(id) ? kUrnUuid + id : fallback;
}

}  // namespace internal

namespace {

using namespace internal;  // NOLINT: the building blocks of this mapping

struct Entry {
  std::string full_url;
  std::string type;
  const Json* resource = nullptr;
  std::string object_id;
};

const char* AssociationOfRelation(const std::string& code) {
  if (code == "replaces") return xds::kAssocRplc;
  if (code == "appends") return xds::kAssocApnd;
  if (code == "transforms") return xds::kAssocXfrm;
  if (code == "signs") return xds::kAssocSigns;
  return nullptr;
}

xds::RegistryObject Association(const char* type, const std::string& source,
                                const std::string& target, const char* submission_set_status) {
  xds::RegistryObject a;
  a.kind = xds::ObjectKind::kAssociation;
  a.id = xds::NewUrnUuid();
  a.association_type = type;
  a.source_object = source;
  a.target_object = target;
  if (submission_set_status != nullptr)
    a.slots.push_back({xds::kSlotSubmissionSetStatus, "", {submission_set_status}});
  return a;
}

class BundleDecoder {
 public:
  BundleDecoder(const Json& bundle, const MhdContext& ctx) : bundle_(bundle), ctx_(ctx) {}

  Result<MhdSubmission> Decode() {
    RENKEI_RETURN_IF_ERROR(ReadEntries());
    RENKEI_RETURN_IF_ERROR(ReadObjects());
    RENKEI_RETURN_IF_ERROR(ReadMembers());
    for (const Entry& e : entries_) out_.entries.push_back({e.full_url, e.type, e.object_id});
    return std::move(out_);
  }

 private:
  Status ReadEntries() {
    if (Str(bundle_, "resourceType") != "Bundle")
      return Invalid("the body is not a Bundle", "Bundle");
    if (Str(bundle_, "type") != "transaction")
      return CodeInvalid("Bundle.type must be 'transaction'", "Bundle.type");
    out_.option = ctx_.default_option;
    bool declared = false;
    if (const Json* meta = Object(bundle_, "meta");
        const Json* profiles = meta ? Array(*meta, "profile") : nullptr) {
      for (const Json& p : profiles->GetArray()) {
        const std::string s = p.IsString() ? p.GetString() : "";
        if (s == kProfileComprehensiveBundle) out_.option = MhdOption::kComprehensive;
        if (s == kProfileMinimalBundle) out_.option = MhdOption::kMinimal;
        declared |= s == kProfileComprehensiveBundle || s == kProfileMinimalBundle;
        if (s == kProfileUnContainedBundle)
          return NotSupported("the UnContained References option is not supported",
                              "Bundle.meta.profile");
      }
    }
    if (ctx_.require_bundle_profile && !declared)
      return Required("Bundle.meta.profile must name IHE.MHD.Comprehensive.ProvideBundle or "
                      "IHE.MHD.Minimal.ProvideBundle", "Bundle.meta.profile");
    const Json* entries = Array(bundle_, "entry");
    if (entries == nullptr || entries->Empty())
      return Required("Bundle.entry is required", "Bundle.entry");
    std::set<std::string> seen;
    for (rapidjson::SizeType i = 0; i < entries->Size(); ++i) {
      const Json& e = (*entries)[i];
      const std::string at = "Bundle.entry[" + std::to_string(i) + "]";
      Entry entry;
      entry.full_url = Str(e, "fullUrl");
      entry.resource = Object(e, "resource");
      if (entry.full_url.empty()) return Required(at + ".fullUrl is required", at + ".fullUrl");
      if (entry.resource == nullptr)
        return Required(at + ".resource is required", at + ".resource");
      if (!seen.insert(entry.full_url).second)
        return Invalid(at + ": fullUrl " + entry.full_url + " occurs twice", at + ".fullUrl");
      const Json* request = Object(e, "request");
      if (request == nullptr || Str(*request, "method") != "POST") {
        return NotSupported(at + ".request.method must be POST (ITI-65 creates resources)",
                            at + ".request.method");
      }
      entry.type = Str(*entry.resource, "resourceType");
      if (entry.type != "List" && entry.type != "DocumentReference" && entry.type != "Binary" &&
          entry.type != "Patient") {
        return Invalid(at + ": a " + entry.type + " has no place in a Provide Document Bundle",
                       at + ".resource");
      }
      if (entry.type == "List" || entry.type == "DocumentReference") {
        entry.object_id = OfficialEntryUuid(*entry.resource);
        if (entry.object_id.empty()) {
          const bool uuid =
              entry.full_url.rfind(kUrnUuid, 0) == 0 && IsUuid(entry.full_url.substr(9));
          entry.object_id = uuid ? entry.full_url : xds::NewUrnUuid();
        }
        if (!ids_.insert(entry.object_id).second)
          return Invalid(at + ": entryUUID " + entry.object_id + " occurs twice",
                         at + ".resource.identifier");
      }
      by_url_[entry.full_url] = entries_.size();
      entries_.push_back(std::move(entry));
    }
    return Status::Ok();
  }

  // The entry a reference names: by fullUrl, else (leniently) a relative "Type/id" naming
  // an entry's resourceType and resource.id.
  const Entry* Find(const std::string& reference) const {
    auto it = by_url_.find(reference);
    if (it != by_url_.end()) return &entries_[it->second];
    const size_t slash = reference.find('/');
    if (slash == std::string::npos || reference.find(':') != std::string::npos) return nullptr;
    for (const Entry& e : entries_) {
      if (e.type == reference.substr(0, slash) &&
          Str(*e.resource, "id") == reference.substr(slash + 1))
        return &e;
    }
    return nullptr;
  }

  DecodeContext Context() const {
    DecodeContext dc;
    dc.option = out_.option;
    dc.ctx = &ctx_;
    dc.in_submission = true;
    dc.fallback_submission_time = fallback_time_;
    dc.subject = [this](const Json& subject, const Json& resource,
                        const std::string& location) -> Result<std::string> {
      if (const Entry* e = Find(Str(subject, "reference")); e != nullptr) {
        if (e->type != "Patient")
          return Invalid("subject " + e->full_url + " is a " + e->type + ", not a Patient",
                         location);
        std::string cx = FirstCx(*e->resource);
        if (cx.empty())
          return CodeInvalid("the Patient " + e->full_url + " has no urn:oid: identifier",
                             location);
        return cx;
      }
      return ResolveSubject(subject, ctx_, resource, location);
    };
    return dc;
  }

  Status ReadObjects() {
    const std::string ts = Str(bundle_, "timestamp");
    auto bundle_time = DtmOfFhirTime(ts, "Bundle.timestamp");
    fallback_time_ =
        bundle_time.ok() && !bundle_time->empty() ? *bundle_time : UtcNow("%Y%m%d%H%M%S");
    const DecodeContext dc = Context();
    for (Entry& e : entries_) {
      bool missing = false;
      if (e.type == "List") {
        bool folder = false;
        RENKEI_ASSIGN_OR_RETURN(xds::RegistryObject o,
                                PackageOfJson(*e.resource, e.object_id, dc, &folder, &missing));
        if (!folder) {
          if (!submission_set_.empty())
            return Invalid("the Bundle holds two SubmissionSet Lists", "Bundle.entry.resource");
          submission_set_ = e.object_id;
          ss_entry_ = &e;
        } else {
          folders_.push_back(&e);
        }
        out_.request.objects.push_back(std::move(o));
      } else if (e.type == "DocumentReference") {
        RENKEI_ASSIGN_OR_RETURN(xds::RegistryObject o,
                                DocumentEntryOfJson(*e.resource, e.object_id, dc, &missing));
        RENKEI_RETURN_IF_ERROR(ReadContent(e, o));
        RENKEI_RETURN_IF_ERROR(ReadRelatesTo(e));
        documents_.push_back(&e);
        out_.request.objects.push_back(std::move(o));
      }
      out_.limited_metadata = out_.limited_metadata || missing;
    }
    if (submission_set_.empty())
      return Required("the Bundle has no SubmissionSet List", "Bundle.entry");
    return Status::Ok();
  }

  Status ReadContent(const Entry& e, xds::RegistryObject& o) {
    const std::string where = "DocumentReference " + e.full_url;
    const Json& attachment = (*Array(*e.resource, "content"))[0]["attachment"];
    MhdDocumentData data;
    data.entry_id = e.object_id;
    data.mime_type = o.mime_type;
    std::string b64 = Str(attachment, "data");
    const std::string url = Str(attachment, "url");
    if (b64.empty() && !url.empty()) {
      const Entry* binary = Find(url);
      if (binary == nullptr || binary->type != "Binary") {
        return Invalid(where + ": content.attachment.url " + url + " is not a Binary of the Bundle",
                       "DocumentReference.content.attachment.url");
      }
      b64 = Str(*binary->resource, "data");
      data.binary_full_url = binary->full_url;
      if (b64.empty()) return Required("Binary " + url + ": data is required", "Binary.data");
    }
    if (b64.empty())
      return Required(where + ": content.attachment needs url (a Binary) or data",
                      "DocumentReference.content.attachment");
    if (!DecodeBase64(b64, &data.bytes))
      return Invalid(where + ": the document content is not valid base64", "Binary.data");
    if (o.SlotValue(xds::kSlotSize).empty())
      AddSlot(o, xds::kSlotSize, std::to_string(data.bytes.size()));
    out_.documents.push_back(std::move(data));
    return Status::Ok();
  }

  // A DocumentReference of the server ("DocumentReference/{uuid}", relative or at fhir_base)
  // or of the Bundle → its entryUUID.
  Result<std::string> Target(const std::string& ref, const char* type,
                             const std::string& location) const {
    if (const Entry* e = Find(ref)) {
      if (e->type != type) return Invalid(ref + " is a " + e->type + ", not a " + type, location);
      return e->object_id;
    }
    const std::string id = IdOfReference(ref, type, ctx_.fhir_base);
    if (!IsUuid(id))
      return NotFound(
          "'" + ref + "' is neither an entry of the Bundle nor a " + type + " of this server",
          location);
    return kUrnUuid + id;
  }

  Status ReadRelatesTo(const Entry& e) {
    const Json* relates = Array(*e.resource, "relatesTo");
    if (relates == nullptr) return Status::Ok();
    for (const Json& r : relates->GetArray()) {
      const char* type = AssociationOfRelation(Str(r, "code"));
      if (type == nullptr)
        return CodeInvalid(
            "relatesTo.code '" + Str(r, "code") + "' is not replaces, appends, transforms or signs",
            "DocumentReference.relatesTo.code");
      const Json* target = Object(r, "target");
      RENKEI_ASSIGN_OR_RETURN(std::string id,
                              Target(target ? Str(*target, "reference") : "", "DocumentReference",
                                     "DocumentReference.relatesTo.target"));
      out_.request.objects.push_back(Association(type, e.object_id, id, nullptr));
    }
    return Status::Ok();
  }

  Status ReadMembers() {
    std::set<std::string> members;
    if (const Json* items = Array(*ss_entry_->resource, "entry")) {
      for (const Json& item : items->GetArray()) {
        const Json* ref = Object(item, "item");
        const std::string r = ref ? Str(*ref, "reference") : "";
        const Entry* e = Find(r);
        if (e != nullptr && e->type != "DocumentReference" && e->type != "List") {
          return Invalid("SubmissionSet entry " + r + " is a " + e->type, "List.entry.item");
        }
        if (e == nullptr) {  // an existing document, by reference (SubmissionSetStatus Reference)
          RENKEI_ASSIGN_OR_RETURN(std::string id,
                                  Target(r, "DocumentReference", "List.entry.item"));
          out_.request.objects.push_back(
              Association(xds::kAssocHasMember, submission_set_, id, "Reference"));
          continue;
        }
        if (members.insert(e->object_id).second) {
          out_.request.objects.push_back(
              Association(xds::kAssocHasMember, submission_set_, e->object_id, "Original"));
        }
      }
    }
    // XDS needs every new object in the SubmissionSet, listed or not (ITI TF-3 §4.2.2.1.1).
    for (const std::vector<const Entry*>* group : {&documents_, &folders_}) {
      for (const Entry* e : *group) {
        if (members.insert(e->object_id).second) {
          out_.request.objects.push_back(
              Association(xds::kAssocHasMember, submission_set_, e->object_id, "Original"));
        }
      }
    }
    for (const Entry* f : folders_) {
      const Json* items = Array(*f->resource, "entry");
      if (items == nullptr) continue;
      for (const Json& item : items->GetArray()) {
        const Json* ref = Object(item, "item");
        RENKEI_ASSIGN_OR_RETURN(std::string id, Target(ref ? Str(*ref, "reference") : "",
                                                       "DocumentReference", "List.entry.item"));
        xds::RegistryObject a = Association(xds::kAssocHasMember, f->object_id, id, nullptr);
        // ITI TF-3 §4.2.2.1.2: the SubmissionSet holds the Folder-to-document association too.
        xds::RegistryObject link =
            Association(xds::kAssocHasMember, submission_set_, a.id, nullptr);
        out_.request.objects.push_back(std::move(a));
        out_.request.objects.push_back(std::move(link));
      }
    }
    return Status::Ok();
  }

  const Json& bundle_;
  const MhdContext& ctx_;
  MhdSubmission out_;
  std::vector<Entry> entries_;
  std::map<std::string, size_t> by_url_;
  std::set<std::string> ids_;
  std::string fallback_time_;
  std::string submission_set_;
  const Entry* ss_entry_ = nullptr;
  std::vector<const Entry*> documents_;
  std::vector<const Entry*> folders_;
};

}  // namespace

Result<MhdSubmission> DecodeProvideDocumentBundle(const std::string& bundle_json,
                                                  const MhdContext& ctx) {
  rapidjson::Document doc;
  doc.Parse(bundle_json.c_str(), bundle_json.size());
  if (doc.HasParseError() || !doc.IsObject())
    return Invalid("the body is not a JSON object", "Bundle");
  return BundleDecoder(doc, ctx).Decode();
}

}  // namespace renkei::profiles
