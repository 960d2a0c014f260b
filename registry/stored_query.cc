// ITI-18 Registry Stored Query (ITI TF-2 3.18): DocumentRegistry::StoredQuery — dispatch by
// query id (3.18.4.1.2.3.8), returnType, result limits, and the Find* queries
// (FindDocuments 3.18.4.1.2.3.7.1, FindDocumentsByReferenceId 3.18.4.1.2.3.7.14,
// FindSubmissionSets 3.18.4.1.2.3.7.2, FindFolders 3.18.4.1.2.3.7.3).
// Get* queries: stored_query_get.cc. Parameter syntax: stored_query_params.h.
#include <map>
#include <set>

#include "common/utc_time.h"
#include "registry/document_registry.h"
#include "registry/stored_query_internal.h"
#include "xds/xds_constants.h"
#include "xds/xds_errors.h"

namespace renkei::registry {
namespace {
// DisclosurePolicy::AccessOf's `now`: UTC "YYYYMMDDhhmmss".
constexpr char kAccessTimeFormat[] = "%Y%m%d%H%M%S";
}  // namespace

namespace sq {

Result<std::vector<std::string>> DocumentEntryTypes(const StoredQueryParams& p) {
  RENKEI_ASSIGN_OR_RETURN(std::vector<std::string> types, p.StringList(xds::kSqpDocType));
  if (types.empty()) types.push_back(xds::kObjectTypeStableDocument);
  return types;
}

Status AddCodes(const StoredQueryParams& p, const char* name, CodeAttr attr, ObjectFilter* f) {
  auto codes = p.CodeList(name);
  if (!codes.ok()) return codes.status();
  if (!codes->empty()) f->codes.push_back(CodeFilter{attr, std::move(codes.value())});
  return Status::Ok();
}

Status AddCodesAndOr(const StoredQueryParams& p, const char* name, CodeAttr attr, ObjectFilter* f) {
  auto slots = p.CodeAndOr(name);
  if (!slots.ok()) return slots.status();
  for (auto& any_of : slots.value()) f->codes.push_back(CodeFilter{attr, std::move(any_of)});
  return Status::Ok();
}

Status AddTime(const StoredQueryParams& p, const char* from, const char* to, TimeAttr attr,
               ObjectFilter* f) {
  auto lo = p.Time(from);
  if (!lo.ok()) return lo.status();
  auto hi = p.Time(to);
  if (!hi.ok()) return hi.status();
  if (!lo->empty() || !hi->empty()) f->times.push_back(TimeFilter{attr, *lo, *hi});
  return Status::Ok();
}

Result<Selector> SelectOne(const StoredQueryParams& p, const char* uuid_name,
                           const char* unique_id_name, const char* lid_name, bool multi) {
  std::vector<const char*> given;
  for (const char* name : {uuid_name, unique_id_name, lid_name}) {
    if (name != nullptr && p.Has(name)) given.push_back(name);
  }
  std::string names = std::string(uuid_name) + " or " + unique_id_name;
  if (lid_name != nullptr)
    names = std::string(uuid_name) + ", " + unique_id_name + " or " + lid_name;
  if (given.empty()) {
    return xds::XdsStatus(xds::XdsError::kStoredQueryMissingParam,
                          "one of " + names + " is required", uuid_name);
  }
  if (given.size() > 1) {
    return xds::XdsStatus(xds::XdsError::kStoredQueryParamNumber,
                          "only one of " + names + " may be given", given[1]);
  }
  std::vector<std::string> values;
  if (multi) {
    RENKEI_ASSIGN_OR_RETURN(values, p.StringList(given[0]));
  } else {
    RENKEI_ASSIGN_OR_RETURN(std::optional<std::string> v, p.String(given[0]));
    values.push_back(std::move(*v));
  }
  Selector sel;
  if (given[0] == uuid_name) {
    sel.ids = std::move(values);
  } else if (given[0] == unique_id_name) {
    sel.unique_ids = std::move(values);
  } else {
    sel.lids = std::move(values);
  }
  return sel;
}

Result<std::vector<StoredObject>> QueryRun::FindVisible(ObjectFilter f, bool answer) {
  if (!f.patient_id.empty()) {
    // One patient: one AccessOf, and the submitters it opens go into the query itself. When
    // every object of those submitters is visible (own records, break-glass, grants of
    // every class) that is the whole check: the fast path.
    RENKEI_ASSIGN_OR_RETURN(const directory::PatientAccess* patient, access.Access(f.patient_id));
    bool exact = false;
    f.submitters = QueryAccess::SubmittersFor(*patient, &exact);
    if (exact) {
      if (answer) {
        f.ids_only = !with_leaf_xml;
        f.answer_only = with_leaf_xml;
        return Read(std::move(f));
      }
      RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> rows, Read(f));
      for (const StoredObject& o : rows) access.MarkVisible(o.id);
      return rows;
    }
  }
  // Full rows, each object checked.
  f.ids_only = false;
  f.answer_only = false;
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> rows, Read(f));
  const size_t read = rows.size();
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> visible, access.Filter(std::move(rows)));
  if (f.limit > 0 && read >= static_cast<size_t>(f.limit) && visible.size() < read) {
    // The limit counted hidden objects; XDSTooManyResults must count visible ones only.
    f.limit = 0;
    RENKEI_ASSIGN_OR_RETURN(rows, Read(f));
    return access.Filter(std::move(rows));
  }
  return visible;
}

Result<std::vector<StoredObject>> FindSelected(QueryRun& q, EntryKind kind, const Selector& sel) {
  ObjectFilter f;
  f.kind = kind;
  f.ids = sel.ids;
  f.unique_ids = sel.unique_ids;
  f.lids = sel.lids;
  f.limit = q.limit;
  return q.Find(f);
}

namespace {

// FindDocuments / FindDocumentsByReferenceId (ITI TF-2 3.18.4.1.2.3.7.1 / .14).
Status FindDocuments(QueryRun& q, bool by_reference_id) {
  const StoredQueryParams& p = q.params;
  ObjectFilter f;
  f.kind = EntryKind::kDocumentEntry;
  f.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(f.patient_id, p.RequiredString(xds::kSqpDocPatientId));
  RENKEI_ASSIGN_OR_RETURN(f.statuses, p.RequiredStringList(xds::kSqpDocStatus));
  RENKEI_ASSIGN_OR_RETURN(f.object_types, DocumentEntryTypes(p));
  if (by_reference_id) {
    RENKEI_ASSIGN_OR_RETURN(f.reference_ids, p.RequiredStringList(xds::kSqpDocReferenceIdList));
  }
  RENKEI_RETURN_IF_ERROR(AddCodes(p, xds::kSqpDocClassCode, CodeAttr::kClass, &f));
  RENKEI_RETURN_IF_ERROR(AddCodes(p, xds::kSqpDocTypeCode, CodeAttr::kType, &f));
  RENKEI_RETURN_IF_ERROR(
      AddCodes(p, xds::kSqpDocPracticeSettingCode, CodeAttr::kPracticeSetting, &f));
  RENKEI_RETURN_IF_ERROR(
      AddCodes(p, xds::kSqpDocHealthcareFacilityTypeCode, CodeAttr::kHealthcareFacilityType, &f));
  RENKEI_RETURN_IF_ERROR(AddCodes(p, xds::kSqpDocFormatCode, CodeAttr::kFormat, &f));
  RENKEI_RETURN_IF_ERROR(AddCodesAndOr(p, xds::kSqpDocEventCodeList, CodeAttr::kEvent, &f));
  RENKEI_RETURN_IF_ERROR(
      AddCodesAndOr(p, xds::kSqpDocConfidentialityCode, CodeAttr::kConfidentiality, &f));
  RENKEI_RETURN_IF_ERROR(AddTime(p, xds::kSqpDocCreationTimeFrom, xds::kSqpDocCreationTimeTo,
                                 TimeAttr::kCreation, &f));
  RENKEI_RETURN_IF_ERROR(AddTime(p, xds::kSqpDocServiceStartTimeFrom,
                                 xds::kSqpDocServiceStartTimeTo, TimeAttr::kServiceStart, &f));
  RENKEI_RETURN_IF_ERROR(AddTime(p, xds::kSqpDocServiceStopTimeFrom, xds::kSqpDocServiceStopTimeTo,
                                 TimeAttr::kServiceStop, &f));
  // Several authorPerson values are OR-ed; each may use the LIKE wildcards.
  RENKEI_ASSIGN_OR_RETURN(f.author_person_patterns, p.StringList(xds::kSqpDocAuthorPerson));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> docs, q.FindAnswer(f));
  q.AddAll(std::move(docs));
  return Status::Ok();
}

// FindSubmissionSets (ITI TF-2 3.18.4.1.2.3.7.2).
Status FindSubmissionSets(QueryRun& q) {
  const StoredQueryParams& p = q.params;
  ObjectFilter f;
  f.kind = EntryKind::kSubmissionSet;
  f.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(f.patient_id, p.RequiredString(xds::kSqpSsPatientId));
  RENKEI_ASSIGN_OR_RETURN(f.statuses, p.RequiredStringList(xds::kSqpSsStatus));
  RENKEI_ASSIGN_OR_RETURN(f.source_ids, p.StringList(xds::kSqpSsSourceId));
  RENKEI_RETURN_IF_ERROR(AddTime(p, xds::kSqpSsSubmissionTimeFrom, xds::kSqpSsSubmissionTimeTo,
                                 TimeAttr::kSubmission, &f));
  // $XDSSubmissionSetAuthorPerson is single-valued (wildcards allowed).
  RENKEI_ASSIGN_OR_RETURN(std::optional<std::string> author, p.String(xds::kSqpSsAuthorPerson));
  if (author.has_value()) f.author_person_patterns.push_back(*author);
  RENKEI_RETURN_IF_ERROR(AddCodes(p, xds::kSqpSsContentType, CodeAttr::kContentType, &f));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> sets, q.FindAnswer(f));
  q.AddAll(std::move(sets));
  return Status::Ok();
}

// FindFolders (ITI TF-2 3.18.4.1.2.3.7.3).
Status FindFolders(QueryRun& q) {
  const StoredQueryParams& p = q.params;
  ObjectFilter f;
  f.kind = EntryKind::kFolder;
  f.limit = q.limit;
  RENKEI_ASSIGN_OR_RETURN(f.patient_id, p.RequiredString(xds::kSqpFolderPatientId));
  RENKEI_ASSIGN_OR_RETURN(f.statuses, p.RequiredStringList(xds::kSqpFolderStatus));
  RENKEI_RETURN_IF_ERROR(AddTime(p, xds::kSqpFolderLastUpdateTimeFrom,
                                 xds::kSqpFolderLastUpdateTimeTo, TimeAttr::kLastUpdate, &f));
  RENKEI_RETURN_IF_ERROR(AddCodesAndOr(p, xds::kSqpFolderCodeList, CodeAttr::kFolderCode, &f));
  RENKEI_ASSIGN_OR_RETURN(std::vector<StoredObject> folders, q.FindAnswer(f));
  q.AddAll(std::move(folders));
  return Status::Ok();
}

using QueryFn = Status (*)(QueryRun&);

struct QueryDef {
  const char* id;
  QueryFn fn;
  // XDSResultNotSinglePatient applies (queries that do not take a patient id).
  bool check_single_patient;
};

Status FindDocumentsQuery(QueryRun& q) { return FindDocuments(q, false); }
Status FindDocumentsByRefQuery(QueryRun& q) { return FindDocuments(q, true); }

// ITI TF-2 3.18.4.1.2.3.8 (stored query ids).
const QueryDef kQueries[] = {
    {xds::kSqFindDocuments, &FindDocumentsQuery, false},
    {xds::kSqFindDocumentsByReferenceId, &FindDocumentsByRefQuery, false},
    {xds::kSqFindSubmissionSets, &FindSubmissionSets, false},
    {xds::kSqFindFolders, &FindFolders, false},
    {xds::kSqGetAll, &GetAll, false},
    {xds::kSqGetDocuments, &GetDocuments, true},
    {xds::kSqGetFolders, &GetFolders, true},
    {xds::kSqGetAssociations, &GetAssociations, true},
    {xds::kSqGetDocumentsAndAssociations, &GetDocumentsAndAssociations, true},
    {xds::kSqGetSubmissionSets, &GetSubmissionSets, true},
    {xds::kSqGetSubmissionSetAndContents, &GetSubmissionSetAndContents, true},
    {xds::kSqGetFolderAndContents, &GetFolderAndContents, true},
    {xds::kSqGetFoldersForDocument, &GetFoldersForDocument, true},
    {xds::kSqGetRelatedDocuments, &GetRelatedDocuments, true},
};

// ITI TF-3 Table 4.2.4.1-2 XDSResultNotSinglePatient: the answer would reference more than
// one patient.
Status CheckSinglePatient(const std::vector<StoredObject>& objects) {
  const std::string* first = nullptr;
  for (const StoredObject& o : objects) {
    if (o.patient_id.empty()) continue;
    if (first == nullptr) {
      first = &o.patient_id;
    } else if (*first != o.patient_id) {
      return xds::XdsStatus(xds::XdsError::kResultNotSinglePatient,
                            "the result would contain objects of more than one patient (" + *first +
                                ", " + o.patient_id + ")",
                            o.id);
    }
  }
  return Status::Ok();
}

}  // namespace
}  // namespace sq

QueryAnswer DocumentRegistry::StoredQuery(const xds::AdhocQueryRequest& request,
                                          const RequestContext& ctx) {
  QueryAnswer answer;
  auto fail = [&answer](const Status& st) {
    answer.errors.push_back(xds::ToRegistryError(st));
    answer.objects.clear();
    answer.object_refs.clear();
    return answer;
  };

  // ebRS 3.0 ResponseOption/@returnType.
  const std::string& rt = request.return_type;
  if (rt == xds::kReturnTypeObjectRef) {
    answer.object_ref = true;
  } else if (!(rt.empty() || rt == xds::kReturnTypeLeafClass ||
               rt == xds::kReturnTypeLeafClassWithRepositoryItem)) {
    return fail(xds::XdsStatus(xds::XdsError::kRegistryError, "unsupported returnType '" + rt + "'",
                               "returnType"));
  }

  const sq::QueryDef* def = nullptr;
  for (const sq::QueryDef& d : sq::kQueries) {
    if (request.query_id == d.id) def = &d;
  }
  if (def == nullptr) {
    return fail(xds::XdsStatus(xds::XdsError::kUnknownStoredQuery,
                               "unknown stored query id '" + request.query_id + "'",
                               request.query_id));
  }

  auto params = StoredQueryParams::Parse(request.params);
  if (!params.ok()) return fail(params.status());
  // $homeCommunityId (and AdhocQuery/@home) address this community; accepted and not a
  // filter: the registry answers for its own community only.

  QueryAccess access(store_, policy_, ctx.facility, UtcNow(kAccessTimeFormat));
  sq::QueryRun run{store_, *params, access, 0, !answer.object_ref, {}, {}};
  {
    auto level = params->Integer(xds::kSqpMetadataLevel);
    if (!level.ok()) return fail(level.status());
    if (level->has_value()) {
      if (**level != 1 && **level != 2) {
        return fail(xds::XdsStatus(xds::XdsError::kRegistryError,
                                   "$MetadataLevel must be 1 or 2", xds::kSqpMetadataLevel));
      }
      run.metadata_level = static_cast<int>(**level);
    }
  }
  const int64_t max = options_.max_query_results;
  if (max > 0) run.limit = max + 1;
  Status st = def->fn(run);
  if (!st.ok()) return fail(st);
  if (max > 0 && static_cast<int64_t>(run.out.size()) > max) {
    return fail(
        xds::XdsStatus(xds::XdsError::kTooManyResults,
                       "the query matches more than " + std::to_string(max) + " objects; narrow it",
                       request.query_id));
  }
  // XDSResultNotSinglePatient guards LeafClass answers (metadata of another patient);
  // ObjectRef answers carry ids only (NIST 21002 query_ref expects Success).
  if (def->check_single_patient && !answer.object_ref) {
    Status single = sq::CheckSinglePatient(run.out);
    if (!single.ok()) return fail(single);
  }
  if (answer.object_ref) {
    answer.object_refs.reserve(run.out.size());
    for (StoredObject& o : run.out) answer.object_refs.push_back(std::move(o.id));
  } else {
    answer.objects = std::move(run.out);
  }
  return answer;
}

}  // namespace renkei::registry
