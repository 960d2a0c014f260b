// ITI-67 Find Document References (see mhd_responder.h); shared helpers.
#include "registry/mhd_responder.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "registry/mhd_responder_internal.h"
#include "registry/mhd_search_params.h"
#include "xds/ebrim_codec.h"
#include "xds/metadata.h"
#include "xds/xds_constants.h"

namespace renkei::registry {

namespace mhd {

Status Bad(const std::string& message) { return Status::InvalidArgument("invalid", message); }

std::string Quoted(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}
std::string QuotedList(const std::vector<std::string>& values) {
  std::string out = "(";
  for (const std::string& v : values) out += (out.size() > 1 ? "," : "") + Quoted(v);
  return out + ")";
}

// Runs one stored query (LeafClass) as `rc`.
Result<std::vector<StoredObject>> Run(DocumentRegistry& registry, const char* query_id,
                                      std::vector<xds::Slot> slots, const RequestContext& rc) {
  xds::AdhocQueryRequest request;
  request.query_id = query_id;
  request.return_type = xds::kReturnTypeLeafClass;
  request.params = std::move(slots);
  QueryAnswer answer = registry.StoredQuery(request, rc);
  for (const xds::RegistryError& e : answer.errors) {
    if (e.severity != xds::Severity::kError) continue;
    if (e.error_code == "XDSTooManyResults") {
      return Status::ResourceExhausted("too-costly", e.code_context);
    }
    return Status::Internal("exception",
                            "registry query failed: " + e.error_code + ": " + e.code_context);
  }
  return std::move(answer.objects);
}

Result<std::vector<Found>> Decode(std::vector<StoredObject> objects) {
  std::vector<Found> out;
  out.reserve(objects.size());
  for (StoredObject& o : objects) {
    Result<xds::RegistryObject> rim = xds::DecodeRegistryObjectFragment(o.leaf_xml);
    if (!rim.ok())
      return Status::Internal("exception", "stored object " + o.id + ": " + rim.status().message());
    rim->status = o.status;
    out.push_back(Found{std::move(o), std::move(rim.value())});
  }
  return out;
}

// Handles patient, patient.identifier, _count, _page; true when `name` was one of them.
Result<bool> CommonParam(const std::string& name, const std::string& value,
                         const MhdResponderOptions& o, Common* c) {
  if (name == "patient") {
    std::string id = value;
    const size_t at = id.rfind("Patient/");
    if (at != std::string::npos) id = id.substr(at + 8);
    const std::string cx = o.patient_cx && !id.empty() ? o.patient_cx(id) : "";
    if (c->patient_given && cx != c->patient_cx) c->patient_unknown = true;
    c->patient_given = true;
    c->patient_cx = cx;
    if (cx.empty()) c->patient_unknown = true;
  } else if (name == "patient.identifier") {
    const size_t bar = value.find('|');
    if (bar == std::string::npos || bar == 0 || bar + 1 == value.size()) {
      return Bad("patient.identifier must be system|value");
    }
    const std::string cx = o.patient_of_identifier ? o.patient_of_identifier(value.substr(0, bar),
                                                                             value.substr(bar + 1))
                                                   : "";
    if (c->patient_given && cx != c->patient_cx) c->patient_unknown = true;
    c->patient_given = true;
    c->patient_cx = cx;
    if (cx.empty()) c->patient_unknown = true;
  } else if (name == "_count") {
    RENKEI_ASSIGN_OR_RETURN(c->count, mhd::ParseCount(value));
  } else if (name == "_page") {
    RENKEI_ASSIGN_OR_RETURN(c->offset, mhd::ParsePage(value));
    return true;  // not part of the self link
  } else {
    return false;
  }
  c->used.emplace_back(name, value);
  return true;
}

// FHIR status values → XDS availability statuses (`deprecated_code` is superseded for a
// DocumentReference, retired for a List). An empty list: nothing can match.
Result<std::vector<std::string>> Statuses(const std::string& value, const char* deprecated_code) {
  std::vector<std::string> out;
  for (const Token& t : mhd::ParseTokens(value)) {
    if (t.code == "current") {
      out.push_back(xds::kStatusApproved);
    } else if (t.code == deprecated_code) {
      out.push_back(xds::kStatusDeprecated);
    } else if (t.code != "entered-in-error") {
      return Bad("status '" + t.code + "' is not a status of this resource");
    }
  }
  return out;
}

std::vector<std::string> Intersect(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const std::string& s : a) {
    for (const std::string& t : b) {
      if (s == t) out.push_back(s);
    }
  }
  return out;
}

MhdPage PageOf(const Common& c, int64_t total) {
  MhdPage page;
  page.used = c.used;
  page.count = c.count;
  page.total = total;
  if (c.offset + c.count < total) page.next = c.offset + c.count;
  return page;
}

std::string IdOf(const std::string& entry_uuid) {
  return entry_uuid.rfind("urn:uuid:", 0) == 0 ? entry_uuid.substr(9) : entry_uuid;
}

bool IsResourceId(const std::string& id) {
  if (id.empty() || id.size() > 64) return false;
  for (char c : id) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.') return false;
  }
  return true;
}

}  // namespace mhd

using namespace mhd;  // NOLINT: this file's building blocks

MhdResponder::MhdResponder(DocumentRegistry& registry, MhdResponderOptions options)
    : registry_(registry), options_(std::move(options)) {}

namespace {

// What a DocumentEntry alone does not say (profiles::DocumentReferenceExtras), for `ids`.
Result<std::map<std::string, profiles::DocumentReferenceExtras>> ExtrasOf(
    DocumentRegistry& registry, const std::vector<std::string>& ids, const RequestContext& rc) {
  std::map<std::string, profiles::DocumentReferenceExtras> out;
  if (ids.empty()) return out;
  const std::set<std::string> wanted(ids.begin(), ids.end());
  RENKEI_ASSIGN_OR_RETURN(
      std::vector<StoredObject> sets,
      Run(registry, xds::kSqGetSubmissionSets, {{xds::kSqpUuid, "", {QuotedList(ids)}}}, rc));
  std::map<std::string, std::string> submission_time;  // SubmissionSet id → DTM
  for (const StoredObject& o : sets) {
    if (o.kind != EntryKind::kSubmissionSet) continue;
    for (const StoredTime& t : o.times) {
      if (t.attr == TimeAttr::kSubmission) submission_time[o.id] = t.value;
    }
  }
  RENKEI_ASSIGN_OR_RETURN(
      std::vector<StoredObject> assocs,
      Run(registry, xds::kSqGetAssociations, {{xds::kSqpUuid, "", {QuotedList(ids)}}}, rc));
  for (const StoredObject& a : assocs) {
    if (a.assoc_type == xds::kAssocHasMember) {
      auto st = submission_time.find(a.source);
      if (st != submission_time.end() && wanted.count(a.target) != 0) {
        out[a.target].submission_time = st->second;
      }
    } else if (wanted.count(a.source) != 0) {
      out[a.source].relates_to.push_back(profiles::MhdRelatesTo{a.assoc_type, a.target});
    }
  }
  return out;
}

// The criteria of a DocumentReference search that are checked on the decoded entries.
struct DocumentCriteria {
  std::vector<std::pair<std::string, std::vector<Token>>> codes;  // (parameter, any_of)
  std::vector<std::vector<std::string>> identifiers;              // AND of OR
  std::vector<std::vector<Token>> related;
  std::vector<std::string> author_given, author_family;
  TimeRange creation, date, period;
  bool has_date = false;
};

std::vector<xds::Code> CodesOf(const xds::DocumentEntry& d, const std::string& param) {
  if (param == "type") return {d.type_code};
  if (param == "category") return {d.class_code};
  if (param == "setting") return {d.practice_setting_code};
  if (param == "facility") return {d.healthcare_facility_type_code};
  if (param == "format") return {d.format_code};
  if (param == "event") return d.event_codes;
  return d.confidentiality_codes;  // security-label
}

bool AnyAuthor(const xds::DocumentEntry& d, int component, const std::string& prefix) {
  for (const xds::Author& a : d.authors) {
    if (mhd::XcnNameStartsWith(a.person, component, prefix)) return true;
  }
  return false;
}

bool RelatedMatches(const std::vector<Token>& any_of, const std::vector<std::string>& cxis) {
  for (const std::string& cxi : cxis) {
    const std::string value = cxi.substr(0, cxi.find('^'));
    for (const Token& t : any_of) {
      if (t.code != value) continue;
      if (!t.has_system || cxi.find("&" + t.scheme + "&") != std::string::npos) return true;
    }
  }
  return false;
}

bool Matches(const DocumentCriteria& c, const xds::DocumentEntry& d) {
  for (const auto& [param, any_of] : c.codes) {
    if (!mhd::TokenMatchesAny(any_of, CodesOf(d, param))) return false;
  }
  for (const auto& any_of : c.identifiers) {
    bool hit = false;
    for (const std::string& v : any_of)
      hit = hit || mhd::IdentifierMatches(v, d.entry_uuid, d.unique_id);
    if (!hit) return false;
  }
  for (const auto& any_of : c.related) {
    if (!RelatedMatches(any_of, d.reference_ids)) return false;
  }
  for (const std::string& g : c.author_given) {
    if (!AnyAuthor(d, 3, g)) return false;
  }
  for (const std::string& f : c.author_family) {
    if (!AnyAuthor(d, 2, f)) return false;
  }
  if (!c.creation.Contains(d.creation_time)) return false;
  // period overlaps [from, to): starts before `to`, stops at or after `from`.
  if (!c.period.to.empty() &&
      !(!d.service_start_time.empty() && d.service_start_time < c.period.to)) {
    return false;
  }
  if (!c.period.from.empty()) {
    const std::string& stop =
        d.service_stop_time.empty() ? d.service_start_time : d.service_stop_time;
    if (stop.empty() || stop < c.period.from) return false;
  }
  return true;
}

}  // namespace

Result<MhdPage> MhdResponder::FindDocumentReferences(const MhdParams& params,
                                                     const RequestContext& rc,
                                                     const profiles::MhdContext& mc) {
  Common common;
  DocumentCriteria crit;
  std::vector<std::string> statuses = {xds::kStatusApproved, xds::kStatusDeprecated};
  static const std::set<std::string> kCodeParams = {
      "type", "category", "setting", "facility", "event", "security-label", "format"};
  for (const auto& [name, value] : params) {
    if (name.find(':') != std::string::npos)
      return Bad("search parameter modifier not supported: " + name);
    RENKEI_ASSIGN_OR_RETURN(bool handled, CommonParam(name, value, options_, &common));
    if (handled) continue;
    bool known = true;
    if (name == "status") {
      RENKEI_ASSIGN_OR_RETURN(std::vector<std::string> s, Statuses(value, "superseded"));
      statuses = Intersect(statuses, s);
    } else if (kCodeParams.count(name) != 0) {
      crit.codes.emplace_back(name, mhd::ParseTokens(value));
    } else if (name == "identifier" || name == "_id") {
      std::vector<std::string> any_of;
      for (const Token& t : mhd::ParseTokens(value)) {
        any_of.push_back(t.has_system ? t.system + "|" + t.code : t.code);
      }
      crit.identifiers.push_back(std::move(any_of));
    } else if (name == "related") {
      crit.related.push_back(mhd::ParseTokens(value));
    } else if (name == "author.given") {
      crit.author_given.push_back(value);
    } else if (name == "author.family") {
      crit.author_family.push_back(value);
    } else if (name == "creation") {
      RENKEI_RETURN_IF_ERROR(mhd::NarrowTimeRange(name, value, &crit.creation));
    } else if (name == "period") {
      RENKEI_RETURN_IF_ERROR(mhd::NarrowTimeRange(name, value, &crit.period));
    } else if (name == "date") {
      RENKEI_RETURN_IF_ERROR(mhd::NarrowTimeRange(name, value, &crit.date));
      crit.has_date = true;
    } else {
      known = false;  // lenient: ignored, left out of the self link
    }
    if (known) common.used.emplace_back(name, value);
  }
  if (!common.patient_given && crit.identifiers.empty()) {
    return Bad("a DocumentReference search needs patient or patient.identifier (or identifier)");
  }

  std::vector<StoredObject> objects;
  if (common.patient_unknown || statuses.empty()) {
    // nothing matches
  } else if (common.patient_given) {
    RENKEI_ASSIGN_OR_RETURN(objects, Run(registry_, xds::kSqFindDocuments,
                                         {{xds::kSqpDocPatientId, "", {Quoted(common.patient_cx)}},
                                          {xds::kSqpDocStatus, "", {QuotedList(statuses)}}},
                                         rc));
  } else {
    // By identifier alone: the first identifier parameter's values, as entryUUIDs and
    // uniqueIds (GetDocuments takes one kind per query).
    std::vector<std::string> uuids, unique_ids;
    for (const std::string& v : crit.identifiers.front()) {
      std::string value = v.substr(v.find('|') == std::string::npos ? 0 : v.find('|') + 1);
      if (value.rfind("urn:uuid:", 0) == 0) {
        uuids.push_back(value);
      } else {
        unique_ids.push_back(value.rfind("urn:oid:", 0) == 0 ? value.substr(8) : value);
      }
    }
    if (!uuids.empty()) {
      RENKEI_ASSIGN_OR_RETURN(objects, Run(registry_, xds::kSqGetDocuments,
                                           {{xds::kSqpDocEntryUuid, "", {QuotedList(uuids)}}}, rc));
    }
    if (!unique_ids.empty()) {
      RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> more,
                              Run(registry_, xds::kSqGetDocuments,
                                  {{xds::kSqpDocUniqueId, "", {QuotedList(unique_ids)}}}, rc));
      for (StoredObject& o : more) objects.push_back(std::move(o));
    }
    std::erase_if(objects, [&](const StoredObject& o) {
      for (const std::string& s : statuses) {
        if (o.status == s) return false;
      }
      return true;
    });
  }
  RENKEI_ASSIGN_OR_RETURN(std::vector<Found> found, Decode(std::move(objects)));
  std::vector<Found> hits;
  for (Found& f : found) {
    if (Matches(crit, xds::ReadDocumentEntry(f.rim))) hits.push_back(std::move(f));
  }
  // `date` is the registering SubmissionSet's submissionTime (else creationTime): known
  // only with the extras, so they are read for every hit when it is asked for.
  std::map<std::string, profiles::DocumentReferenceExtras> extras;
  if (crit.has_date) {
    std::vector<std::string> ids;
    for (const Found& f : hits) ids.push_back(f.stored.id);
    RENKEI_ASSIGN_OR_RETURN(extras, ExtrasOf(registry_, ids, rc));
    std::erase_if(hits, [&](const Found& f) {
      auto e = extras.find(f.stored.id);
      std::string date = e != extras.end() ? e->second.submission_time : "";
      if (date.empty()) date = xds::ReadDocumentEntry(f.rim).creation_time;
      return !crit.date.Contains(date);
    });
  }
  MhdPage page = PageOf(common, static_cast<int64_t>(hits.size()));
  const size_t begin = static_cast<size_t>(std::min<int64_t>(common.offset, page.total));
  const size_t end = std::min(hits.size(), begin + static_cast<size_t>(common.count));
  if (!crit.has_date) {
    std::vector<std::string> ids;
    for (size_t i = begin; i < end; ++i) ids.push_back(hits[i].stored.id);
    RENKEI_ASSIGN_OR_RETURN(extras, ExtrasOf(registry_, ids, rc));
  }
  for (size_t i = begin; i < end; ++i) {
    const Found& f = hits[i];
    page.resources.emplace_back(
        IdOf(f.stored.id),
        profiles::DocumentReferenceJson(f.rim, f.stored.status, mc, extras[f.stored.id]));
  }
  return page;
}

Result<std::string> MhdResponder::ReadDocumentReference(const std::string& id,
                                                        const RequestContext& rc,
                                                        const profiles::MhdContext& mc) {
  if (!IsResourceId(id))
    return Status::NotFound("not-found", "DocumentReference/" + id + " is not known");
  const std::string uuid = "urn:uuid:" + id;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> objects,
                          Run(registry_, xds::kSqGetDocuments,
                              {{xds::kSqpDocEntryUuid, "", {QuotedList({uuid})}}}, rc));
  RENKEI_ASSIGN_OR_RETURN(std::vector<Found> found, Decode(std::move(objects)));
  for (const Found& f : found) {
    if (f.stored.id != uuid) continue;
    RENKEI_ASSIGN_OR_RETURN(auto extras, ExtrasOf(registry_, {uuid}, rc));
    return profiles::DocumentReferenceJson(f.rim, f.stored.status, mc, extras[uuid]);
  }
  return Status::NotFound("not-found", "DocumentReference/" + id + " is not known");
}
}  // namespace renkei::registry
