// ITI-66 Find Document Lists (see mhd_responder.h).
#include <algorithm>

#include "registry/mhd_responder.h"
#include "registry/mhd_responder_internal.h"
#include "registry/mhd_search_params.h"
#include "xds/metadata.h"
#include "xds/xds_constants.h"

namespace renkei::registry {

using namespace mhd;  // NOLINT: the building blocks shared with mhd_responder.cc

namespace {

// A List resource for a SubmissionSet or Folder, its members read with
// GetSubmissionSetAndContents / GetFolderAndContents.
Result<std::string> ListJson(DocumentRegistry& registry, const Found& f, const RequestContext& rc,
                             const profiles::MhdContext& mc) {
  const bool folder = f.stored.kind == EntryKind::kFolder;
  RENKEI_ASSIGN_OR_RETURN(
      std::vector<StoredObject> contents,
      Run(registry, folder ? xds::kSqGetFolderAndContents : xds::kSqGetSubmissionSetAndContents,
          {{folder ? xds::kSqpFolderEntryUuid : xds::kSqpSsEntryUuid, "", {Quoted(f.stored.id)}}},
          rc));
  profiles::ListMembers members;
  for (const StoredObject& o : contents) {
    if (o.kind == EntryKind::kDocumentEntry) members.documents.push_back(o.id);
    if (o.kind == EntryKind::kFolder && o.id != f.stored.id) members.folders.push_back(o.id);
  }
  return folder ? profiles::FolderListJson(f.rim, f.stored.status, members, mc)
                : profiles::SubmissionSetListJson(f.rim, f.stored.status, members, mc);
}

struct ListCriteria {
  bool submission_sets = true;
  bool folders = true;
  std::vector<std::vector<std::string>> identifiers;
  std::vector<std::vector<Token>> designation_types;
  std::vector<std::string> source_given, source_family;
  TimeRange date;
};

bool Matches(const ListCriteria& c, const Found& f) {
  std::string entry_uuid, unique_id, date;
  std::vector<xds::Code> codes;
  std::vector<std::string> authors;
  if (f.stored.kind == EntryKind::kFolder) {
    const xds::Folder folder = xds::ReadFolder(f.rim);
    entry_uuid = folder.entry_uuid;
    unique_id = folder.unique_id;
    date = folder.last_update_time;
    codes = folder.codes;
  } else {
    const xds::SubmissionSet ss = xds::ReadSubmissionSet(f.rim);
    entry_uuid = ss.entry_uuid;
    unique_id = ss.unique_id;
    date = ss.submission_time;
    codes = {ss.content_type_code};
    if (!ss.authors.empty()) authors.push_back(ss.authors.front().person);  // List.source
  }
  for (const auto& any_of : c.identifiers) {
    bool hit = false;
    for (const std::string& v : any_of)
      hit = hit || mhd::IdentifierMatches(v, entry_uuid, unique_id);
    if (!hit) return false;
  }
  for (const auto& any_of : c.designation_types) {
    if (!mhd::TokenMatchesAny(any_of, codes)) return false;
  }
  auto author = [&](int component, const std::string& prefix) {
    for (const std::string& xcn : authors) {
      if (mhd::XcnNameStartsWith(xcn, component, prefix)) return true;
    }
    return false;
  };
  for (const std::string& g : c.source_given) {
    if (!author(3, g)) return false;
  }
  for (const std::string& fam : c.source_family) {
    if (!author(2, fam)) return false;
  }
  return c.date.Contains(date);
}

}  // namespace

Result<MhdPage> MhdResponder::FindLists(const MhdParams& params, const RequestContext& rc,
                                        const profiles::MhdContext& mc) {
  Common common;
  ListCriteria crit;
  std::vector<std::string> statuses = {xds::kStatusApproved, xds::kStatusDeprecated};
  for (const auto& [name, value] : params) {
    if (name.find(':') != std::string::npos)
      return Bad("search parameter modifier not supported: " + name);
    RENKEI_ASSIGN_OR_RETURN(bool handled, CommonParam(name, value, options_, &common));
    if (handled) continue;
    bool known = true;
    if (name == "code") {
      bool ss = false, folder = false;
      for (const Token& t : mhd::ParseTokens(value)) {
        if (t.has_system &&
            t.system != "https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes") {
          continue;
        }
        if (t.code == "submissionset")
          ss = true;
        else if (t.code == "folder")
          folder = true;
      }
      crit.submission_sets = crit.submission_sets && ss;
      crit.folders = crit.folders && folder;
    } else if (name == "status") {
      RENKEI_ASSIGN_OR_RETURN(std::vector<std::string> s, Statuses(value, "retired"));
      statuses = Intersect(statuses, s);
    } else if (name == "identifier") {
      std::vector<std::string> any_of;
      for (const Token& t : mhd::ParseTokens(value)) {
        any_of.push_back(t.has_system ? t.system + "|" + t.code : t.code);
      }
      crit.identifiers.push_back(std::move(any_of));
    } else if (name == "designationType") {
      crit.designation_types.push_back(mhd::ParseTokens(value));
    } else if (name == "source.given") {
      crit.source_given.push_back(value);
    } else if (name == "source.family") {
      crit.source_family.push_back(value);
    } else if (name == "date") {
      RENKEI_RETURN_IF_ERROR(mhd::NarrowTimeRange(name, value, &crit.date));
    } else {
      known = false;
    }
    if (known) common.used.emplace_back(name, value);
  }
  if (!common.patient_given) return Bad("a List search needs patient or patient.identifier");

  std::vector<StoredObject> objects;
  if (!common.patient_unknown && !statuses.empty()) {
    if (crit.submission_sets) {
      RENKEI_ASSIGN_OR_RETURN(objects, Run(registry_, xds::kSqFindSubmissionSets,
                                           {{xds::kSqpSsPatientId, "", {Quoted(common.patient_cx)}},
                                            {xds::kSqpSsStatus, "", {QuotedList(statuses)}}},
                                           rc));
    }
    if (crit.folders) {
      RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> folders,
                              Run(registry_, xds::kSqFindFolders,
                                  {{xds::kSqpFolderPatientId, "", {Quoted(common.patient_cx)}},
                                   {xds::kSqpFolderStatus, "", {QuotedList(statuses)}}},
                                  rc));
      for (StoredObject& o : folders) objects.push_back(std::move(o));
    }
  }
  RENKEI_ASSIGN_OR_RETURN(std::vector<Found> found, Decode(std::move(objects)));
  std::erase_if(found, [&](const Found& f) { return !Matches(crit, f); });
  MhdPage page = PageOf(common, static_cast<int64_t>(found.size()));
  const size_t begin = static_cast<size_t>(std::min<int64_t>(common.offset, page.total));
  const size_t end = std::min(found.size(), begin + static_cast<size_t>(common.count));
  for (size_t i = begin; i < end; ++i) {
    RENKEI_ASSIGN_OR_RETURN(std::string json, ListJson(registry_, found[i], rc, mc));
    page.resources.emplace_back(IdOf(found[i].stored.id), std::move(json));
  }
  return page;
}

Result<std::string> MhdResponder::ReadList(const std::string& id, const RequestContext& rc,
                                           const profiles::MhdContext& mc) {
  if (!IsResourceId(id)) return Status::NotFound("not-found", "List/" + id + " is not known");
  const std::string uuid = "urn:uuid:" + id;
  for (const auto& [query, param] :
       {std::pair{xds::kSqGetSubmissionSetAndContents, xds::kSqpSsEntryUuid},
        std::pair{xds::kSqGetFolderAndContents, xds::kSqpFolderEntryUuid}}) {
    RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> objects,
                            Run(registry_, query, {{param, "", {Quoted(uuid)}}}, rc));
    std::erase_if(objects, [&](const StoredObject& o) { return o.id != uuid; });
    if (objects.empty()) continue;
    RENKEI_ASSIGN_OR_RETURN(std::vector<Found> found, Decode(std::move(objects)));
    return ListJson(registry_, found.front(), rc, mc);
  }
  return Status::NotFound("not-found", "List/" + id + " is not known");
}

}  // namespace renkei::registry
