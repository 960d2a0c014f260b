// ITI-18 Registry Stored Query tests: every stored query of ITI TF-2 3.18.4.1.2.3.7 and
// every error code, table-driven, over StoredObjects put directly into an in-memory store.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/patient_id_source.h"
#include "registry/document_registry.h"
#include "registry/sqlite_registry_store.h"
#include "registry/stored_query_params.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

constexpr char kP1[] = "p1^^^&1.2.3&ISO";
constexpr char kP2[] = "p2^^^&1.2.3&ISO";
const std::string kApproved = xds::kStatusApproved;
const std::string kDeprecated = xds::kStatusDeprecated;

std::string Q(const std::string& s) { return "'" + s + "'"; }
std::string List(const std::vector<std::string>& items) {
  std::string out = "(";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + Q(items[i]);
  return out + ")";
}

// --- the data set
//   SS1 (P1, Approved): D1, D2, Folder F1; F1 HasMember D1 (a4, itself a member of SS1: a5)
//   SS2 (P1): D3 (Deprecated), D4 RPLC D3 (a7), D5 on-demand
//   SS3 (P2): D6
StoredObject Obj(EntryKind kind, const std::string& id, const std::string& patient,
                 const std::string& status = kApproved) {
  StoredObject o;
  o.kind = kind;
  o.id = id;
  o.lid = id;
  o.status = status;
  o.patient_id = patient;
  o.unique_id = kind == EntryKind::kAssociation ? "" : "uid." + id;
  o.object_type = kind == EntryKind::kDocumentEntry ? xds::kObjectTypeStableDocument
                  : kind == EntryKind::kAssociation ? xds::kObjectTypeAssociation
                                                    : xds::kObjectTypeRegistryPackage;
  o.leaf_xml = "<leaf id=\"" + id + "\"/>";
  return o;
}

StoredObject Assoc(const std::string& id, const std::string& source, const std::string& target,
                   const std::string& type = xds::kAssocHasMember) {
  StoredObject o = Obj(EntryKind::kAssociation, id, "");
  o.assoc_type = type;
  o.source = source;
  o.target = target;
  return o;
}

std::vector<StoredObject> DataSet() {
  std::vector<StoredObject> v;
  StoredObject ss1 = Obj(EntryKind::kSubmissionSet, "SS1", kP1);
  ss1.source_id = "1.1";
  ss1.times = {{TimeAttr::kSubmission, "20040101101010"}};
  ss1.author_persons = {"^Smith^John"};
  ss1.codes = {{CodeAttr::kContentType, "CT1", "S"}};
  v.push_back(ss1);
  StoredObject d1 = Obj(EntryKind::kDocumentEntry, "D1", kP1);
  d1.codes = {{CodeAttr::kClass, "C1", "S"},
              {CodeAttr::kType, "T1", "S"},
              {CodeAttr::kPracticeSetting, "PS1", "S"},
              {CodeAttr::kHealthcareFacilityType, "H1", "S"},
              {CodeAttr::kFormat, "F1", "S"},
              {CodeAttr::kConfidentiality, "N", "C"},
              {CodeAttr::kConfidentiality, "R", "C"},
              {CodeAttr::kEvent, "E1", "S"},
              {CodeAttr::kEvent, "E2", "S"}};
  d1.times = {{TimeAttr::kCreation, "20041224"},
              {TimeAttr::kServiceStart, "200412240800"},
              {TimeAttr::kServiceStop, "200412241000"}};
  d1.author_persons = {"^Ford^Harrison"};
  d1.reference_ids = {"R1^^^&1.2&ISO"};
  v.push_back(d1);
  StoredObject d2 = Obj(EntryKind::kDocumentEntry, "D2", kP1);
  d2.codes = {{CodeAttr::kClass, "C2", "S"},
              {CodeAttr::kFormat, "F2", "S"},
              {CodeAttr::kConfidentiality, "R", "C"},
              {CodeAttr::kEvent, "E1", "S"}};
  d2.times = {{TimeAttr::kCreation, "20050101120000"}};
  d2.author_persons = {"^ford^lower"};
  v.push_back(d2);
  StoredObject f1 = Obj(EntryKind::kFolder, "F1", kP1);
  f1.codes = {{CodeAttr::kFolderCode, "FC1", "S"}};
  f1.times = {{TimeAttr::kLastUpdate, "20050102"}};
  v.push_back(f1);
  v.push_back(Assoc("a1", "SS1", "D1"));
  v.push_back(Assoc("a2", "SS1", "D2"));
  v.push_back(Assoc("a3", "SS1", "F1"));
  v.push_back(Assoc("a4", "F1", "D1"));
  v.push_back(Assoc("a5", "SS1", "a4"));

  StoredObject ss2 = Obj(EntryKind::kSubmissionSet, "SS2", kP1);
  ss2.source_id = "1.2";
  ss2.times = {{TimeAttr::kSubmission, "2006"}};
  v.push_back(ss2);
  StoredObject d3 = Obj(EntryKind::kDocumentEntry, "D3", kP1, kDeprecated);
  d3.codes = {{CodeAttr::kClass, "C1", "S"}};
  v.push_back(d3);
  StoredObject d4 = Obj(EntryKind::kDocumentEntry, "D4", kP1);
  d4.codes = {{CodeAttr::kClass, "C1", "S"}};
  d4.times = {{TimeAttr::kCreation, "2006"}};
  v.push_back(d4);
  StoredObject d5 = Obj(EntryKind::kDocumentEntry, "D5", kP1);
  d5.object_type = xds::kObjectTypeOnDemandDocument;
  d5.codes = {{CodeAttr::kClass, "C1", "S"}};
  v.push_back(d5);
  v.push_back(Assoc("a6", "SS2", "D3"));
  v.push_back(Assoc("a7", "D4", "D3", xds::kAssocRplc));
  v.push_back(Assoc("a8", "SS2", "D4"));
  v.push_back(Assoc("a9", "SS2", "D5"));
  v.push_back(Assoc("a10", "SS2", "a7"));

  v.push_back(Obj(EntryKind::kSubmissionSet, "SS3", kP2));
  v.push_back(Obj(EntryKind::kDocumentEntry, "D6", kP2));
  v.push_back(Assoc("a11", "SS3", "D6"));
  return v;
}

struct Param {
  std::string name;
  std::vector<std::string> values;
};

struct Case {
  const char* name;
  const char* query;
  std::vector<Param> params;
  std::set<std::string> expected;  // ids, when no error
  std::string error = "";          // expected wire code
};

const std::string kPatient = Q(kP1);
const std::string kStatusApproved = List({kApproved});

std::vector<Case> Cases() {
  using namespace xds;  // NOLINT: constants
  const std::string approved_deprecated = List({kApproved, kDeprecated});
  auto find_docs = [&](std::vector<Param> extra) {
    std::vector<Param> p = {{kSqpDocPatientId, {kPatient}}, {kSqpDocStatus, {kStatusApproved}}};
    for (Param& e : extra) p.push_back(std::move(e));
    return p;
  };
  return {
      // FindDocuments (3.18.4.1.2.3.7.1)
      {"FindDocuments approved, stable only by default",
       kSqFindDocuments,
       find_docs({}),
       {"D1", "D2", "D4"}},
      {"FindDocuments approved+deprecated",
       kSqFindDocuments,
       {{kSqpDocPatientId, {kPatient}}, {kSqpDocStatus, {approved_deprecated}}},
       {"D1", "D2", "D3", "D4"}},
      {"FindDocuments both entry types",
       kSqFindDocuments,
       find_docs({{kSqpDocType, {List({kObjectTypeStableDocument, kObjectTypeOnDemandDocument})}}}),
       {"D1", "D2", "D4", "D5"}},
      {"FindDocuments on-demand only",
       kSqFindDocuments,
       find_docs({{kSqpDocType, {List({kObjectTypeOnDemandDocument})}}}),
       {"D5"}},
      {"classCode", kSqFindDocuments, find_docs({{kSqpDocClassCode, {"('C1^^S')"}}}), {"D1", "D4"}},
      {"classCode list OR",
       kSqFindDocuments,
       find_docs({{kSqpDocClassCode, {"('C1^^S', 'C2^^S')"}}}),
       {"D1", "D2", "D4"}},
      {"classCode several Value elements OR",
       kSqFindDocuments,
       find_docs({{kSqpDocClassCode, {"('C1^^S')", "('C2^^S')"}}}),
       {"D1", "D2", "D4"}},
      {"classCode scheme must match",
       kSqFindDocuments,
       find_docs({{kSqpDocClassCode, {"('C1^^X')"}}}),
       {}},
      {"typeCode", kSqFindDocuments, find_docs({{kSqpDocTypeCode, {"('T1^^S')"}}}), {"D1"}},
      {"practiceSettingCode",
       kSqFindDocuments,
       find_docs({{kSqpDocPracticeSettingCode, {"('PS1^^S')"}}}),
       {"D1"}},
      {"healthcareFacilityTypeCode",
       kSqFindDocuments,
       find_docs({{kSqpDocHealthcareFacilityTypeCode, {"('H1^^S')"}}}),
       {"D1"}},
      {"formatCode", kSqFindDocuments, find_docs({{kSqpDocFormatCode, {"('F2^^S')"}}}), {"D2"}},
      {"confidentialityCode OR in one Slot",
       kSqFindDocuments,
       find_docs({{kSqpDocConfidentialityCode, {"('N^^C','R^^C')"}}}),
       {"D1", "D2"}},
      {"confidentialityCode AND across Slots",
       kSqFindDocuments,
       find_docs({{kSqpDocConfidentialityCode, {"('N^^C')"}},
                  {kSqpDocConfidentialityCode, {"('R^^C')"}}}),
       {"D1"}},
      {"eventCodeList AND across Slots",
       kSqFindDocuments,
       find_docs({{kSqpDocEventCodeList, {"('E1^^S')"}}, {kSqpDocEventCodeList, {"('E2^^S')"}}}),
       {"D1"}},
      {"eventCodeList one Slot",
       kSqFindDocuments,
       find_docs({{kSqpDocEventCodeList, {"('E1^^S')"}}}),
       {"D1", "D2"}},
      {"creationTime between (from inclusive)",
       kSqFindDocuments,
       find_docs({{kSqpDocCreationTimeFrom, {"20041224"}}, {kSqpDocCreationTimeTo, {"20050101"}}}),
       {"D1"}},
      {"creationTime right edge exclusive",
       kSqFindDocuments,
       find_docs({{kSqpDocCreationTimeFrom, {"20041124"}}, {kSqpDocCreationTimeTo, {"20041224"}}}),
       {}},
      {"creationTime year precision",
       kSqFindDocuments,
       find_docs({{kSqpDocCreationTimeFrom, {"2005"}}}),
       {"D2", "D4"}},
      {"serviceStartTime",
       kSqFindDocuments,
       find_docs({{kSqpDocServiceStartTimeFrom, {"20041224"}},
                  {kSqpDocServiceStartTimeTo, {"20041225"}}}),
       {"D1"}},
      {"serviceStopTime to",
       kSqFindDocuments,
       find_docs({{kSqpDocServiceStopTimeTo, {"20041224"}}}),
       {}},
      {"serviceStopTime from",
       kSqFindDocuments,
       find_docs({{kSqpDocServiceStopTimeFrom, {"200412241000"}}}),
       {"D1"}},
      {"authorPerson LIKE",
       kSqFindDocuments,
       find_docs({{kSqpDocAuthorPerson, {"('%Ford%')"}}}),
       {"D1"}},
      {"authorPerson several OR",
       kSqFindDocuments,
       find_docs({{kSqpDocAuthorPerson, {"('%Ford%', '^ford%')"}}}),
       {"D1", "D2"}},
      {"AND of several parameters",
       kSqFindDocuments,
       find_docs({{kSqpDocClassCode, {"('C1^^S','C2^^S')"}},
                  {kSqpDocFormatCode, {"('F1^^S')"}},
                  {kSqpDocCreationTimeFrom, {"2004"}}}),
       {"D1"}},
      {"other patient",
       kSqFindDocuments,
       {{kSqpDocPatientId, {Q(kP2)}}, {kSqpDocStatus, {kStatusApproved}}},
       {"D6"}},
      {"extra parameters are ignored",
       kSqFindDocuments,
       find_docs({{"$XDSDocumentEntryPracticeSettingCodeScheme", {"('whatever')"}}}),
       {"D1", "D2", "D4"}},
      {"homeCommunityId accepted",
       kSqFindDocuments,
       find_docs({{kSqpHomeCommunityId, {Q("urn:oid:1.2.3")}}}),
       {"D1", "D2", "D4"}},
      // FindDocumentsByReferenceId (3.18.4.1.2.3.7.14)
      {"FindDocumentsByReferenceId",
       kSqFindDocumentsByReferenceId,
       find_docs({{kSqpDocReferenceIdList, {"('R1^^^&1.2&ISO', 'other')"}}}),
       {"D1"}},
      {"FindDocumentsByReferenceId requires the list",
       kSqFindDocumentsByReferenceId,
       find_docs({}),
       {},
       "XDSStoredQueryMissingParam"},
      // FindSubmissionSets (3.18.4.1.2.3.7.2)
      {"FindSubmissionSets",
       kSqFindSubmissionSets,
       {{kSqpSsPatientId, {kPatient}}, {kSqpSsStatus, {kStatusApproved}}},
       {"SS1", "SS2"}},
      {"FindSubmissionSets sourceId",
       kSqFindSubmissionSets,
       {{kSqpSsPatientId, {kPatient}},
        {kSqpSsStatus, {kStatusApproved}},
        {kSqpSsSourceId, {"('1.1','9.9')"}}},
       {"SS1"}},
      {"FindSubmissionSets submissionTime",
       kSqFindSubmissionSets,
       {{kSqpSsPatientId, {kPatient}},
        {kSqpSsStatus, {kStatusApproved}},
        {kSqpSsSubmissionTimeFrom, {"2004"}},
        {kSqpSsSubmissionTimeTo, {"2005"}}},
       {"SS1"}},
      {"FindSubmissionSets authorPerson",
       kSqFindSubmissionSets,
       {{kSqpSsPatientId, {kPatient}},
        {kSqpSsStatus, {kStatusApproved}},
        {kSqpSsAuthorPerson, {Q("^Smith%")}}},
       {"SS1"}},
      {"FindSubmissionSets contentType",
       kSqFindSubmissionSets,
       {{kSqpSsPatientId, {kPatient}},
        {kSqpSsStatus, {kStatusApproved}},
        {kSqpSsContentType, {"('CT1^^S')"}}},
       {"SS1"}},
      {"FindSubmissionSets missing status",
       kSqFindSubmissionSets,
       {{kSqpSsPatientId, {kPatient}}},
       {},
       "XDSStoredQueryMissingParam"},
      // FindFolders (3.18.4.1.2.3.7.3)
      {"FindFolders",
       kSqFindFolders,
       {{kSqpFolderPatientId, {kPatient}}, {kSqpFolderStatus, {kStatusApproved}}},
       {"F1"}},
      {"FindFolders codeList",
       kSqFindFolders,
       {{kSqpFolderPatientId, {kPatient}},
        {kSqpFolderStatus, {kStatusApproved}},
        {kSqpFolderCodeList, {"('FC1^^S')"}}},
       {"F1"}},
      {"FindFolders lastUpdateTime out",
       kSqFindFolders,
       {{kSqpFolderPatientId, {kPatient}},
        {kSqpFolderStatus, {kStatusApproved}},
        {kSqpFolderLastUpdateTimeFrom, {"2006"}}},
       {}},
      // GetAll (3.18.4.1.2.3.7.15)
      {"GetAll",
       kSqGetAll,
       {{kSqpPatientId, {kPatient}},
        {kSqpDocStatus, {kStatusApproved}},
        {kSqpSsStatus, {kStatusApproved}},
        {kSqpFolderStatus, {kStatusApproved}}},
       {"SS1", "SS2", "D1", "D2", "D4", "F1", "a1", "a2", "a3", "a4", "a5", "a8"}},
      {"GetAll formatCode",
       kSqGetAll,
       {{kSqpPatientId, {kPatient}},
        {kSqpDocStatus, {kStatusApproved}},
        {kSqpSsStatus, {kStatusApproved}},
        {kSqpFolderStatus, {kStatusApproved}},
        {kSqpDocFormatCode, {"('F2^^S')"}}},
       {"SS1", "SS2", "D2", "F1", "a2", "a3"}},
      {"GetAll missing folder status",
       kSqGetAll,
       {{kSqpPatientId, {kPatient}},
        {kSqpDocStatus, {kStatusApproved}},
        {kSqpSsStatus, {kStatusApproved}}},
       {},
       "XDSStoredQueryMissingParam"},
      // GetDocuments (3.18.4.1.2.3.7.5)
      {"GetDocuments uuids", kSqGetDocuments, {{kSqpDocEntryUuid, {"('D1','D2')"}}}, {"D1", "D2"}},
      {"GetDocuments uuids in several Values",
       kSqGetDocuments,
       {{kSqpDocEntryUuid, {"('D1')", "('D2')"}}},
       {"D1", "D2"}},
      {"GetDocuments uniqueId", kSqGetDocuments, {{kSqpDocUniqueId, {"('uid.D3')"}}}, {"D3"}},
      {"GetDocuments logicalID", kSqGetDocuments, {{kSqpDocLogicalId, {"('D4')"}}}, {"D4"}},
      {"GetDocuments with homeCommunityId",
       kSqGetDocuments,
       {{kSqpDocEntryUuid, {"('D1')"}}, {kSqpHomeCommunityId, {Q("urn:oid:1.2")}}},
       {"D1"}},
      {"GetDocuments both uuid and uniqueId",
       kSqGetDocuments,
       {{kSqpDocEntryUuid, {"('D1')"}}, {kSqpDocUniqueId, {"('uid.D1')"}}},
       {},
       "XDSStoredQueryParamNumber"},
      {"GetDocuments neither", kSqGetDocuments, {}, {}, "XDSStoredQueryMissingParam"},
      // ObjectRef answers carry ids only: no single-patient rule (NIST 21002 query_ref);
      // the LeafClass form is refused (SinglePatientRuleGuardsLeafClassOnly).
      {"GetDocuments two patients, ObjectRef",
       kSqGetDocuments,
       {{kSqpDocEntryUuid, {"('D1','D6')"}}},
       {"D1", "D6"}},
      // GetFolders (3.18.4.1.2.3.7.6)
      {"GetFolders uuid", kSqGetFolders, {{kSqpFolderEntryUuid, {"('F1')"}}}, {"F1"}},
      {"GetFolders uniqueId", kSqGetFolders, {{kSqpFolderUniqueId, {"('uid.F1')"}}}, {"F1"}},
      {"GetFolders neither", kSqGetFolders, {}, {}, "XDSStoredQueryMissingParam"},
      // GetAssociations (3.18.4.1.2.3.7.7)
      {"GetAssociations", kSqGetAssociations, {{kSqpUuid, {"('D1')"}}}, {"a1", "a4"}},
      {"GetAssociations two",
       kSqGetAssociations,
       {{kSqpUuid, {"('D1','D3')"}}},
       {"a1", "a4", "a6", "a7"}},
      {"GetAssociations missing $uuid", kSqGetAssociations, {}, {}, "XDSStoredQueryMissingParam"},
      // GetDocumentsAndAssociations (3.18.4.1.2.3.7.8)
      {"GetDocumentsAndAssociations",
       kSqGetDocumentsAndAssociations,
       {{kSqpDocUniqueId, {"('uid.D1')"}}},
       {"D1", "a1", "a4"}},
      // GetSubmissionSets (3.18.4.1.2.3.7.9)
      {"GetSubmissionSets",
       kSqGetSubmissionSets,
       {{kSqpUuid, {"('D1','D4')"}}},
       {"SS1", "SS2", "a1", "a8"}},
      {"GetSubmissionSets of a folder",
       kSqGetSubmissionSets,
       {{kSqpUuid, {"('F1')"}}},
       {"SS1", "a3"}},
      // GetSubmissionSetAndContents (3.18.4.1.2.3.7.10)
      {"GetSubmissionSetAndContents",
       kSqGetSubmissionSetAndContents,
       {{kSqpSsEntryUuid, {Q("SS1")}}},
       {"SS1", "D1", "D2", "F1", "a1", "a2", "a3", "a4", "a5"}},
      {"GetSubmissionSetAndContents by uniqueId",
       kSqGetSubmissionSetAndContents,
       {{kSqpSsUniqueId, {Q("uid.SS2")}}},
       {"SS2", "D3", "D4", "a6", "a7", "a8", "a10"}},
      {"GetSubmissionSetAndContents formatCode keeps D1",
       kSqGetSubmissionSetAndContents,
       {{kSqpSsEntryUuid, {Q("SS1")}}, {kSqpDocFormatCode, {"('F1^^S')"}}},
       {"SS1", "D1", "F1", "a1", "a3", "a4", "a5"}},
      {"GetSubmissionSetAndContents formatCode keeps D2",
       kSqGetSubmissionSetAndContents,
       {{kSqpSsEntryUuid, {Q("SS1")}}, {kSqpDocFormatCode, {"('F2^^S')"}}},
       {"SS1", "D2", "F1", "a2", "a3"}},
      {"GetSubmissionSetAndContents confidentiality AND",
       kSqGetSubmissionSetAndContents,
       {{kSqpSsEntryUuid, {Q("SS1")}},
        {kSqpDocConfidentialityCode, {"('N^^C')"}},
        {kSqpDocConfidentialityCode, {"('R^^C')"}}},
       {"SS1", "D1", "F1", "a1", "a3", "a4", "a5"}},
      {"GetSubmissionSetAndContents single-valued uuid",
       kSqGetSubmissionSetAndContents,
       {{kSqpSsEntryUuid, {"('SS1','SS2')"}}},
       {},
       "XDSStoredQueryParamNumber"},
      // GetFolderAndContents (3.18.4.1.2.3.7.11)
      {"GetFolderAndContents",
       kSqGetFolderAndContents,
       {{kSqpFolderEntryUuid, {Q("F1")}}},
       {"F1", "D1", "a4"}},
      {"GetFolderAndContents conf code",
       kSqGetFolderAndContents,
       {{kSqpFolderUniqueId, {Q("uid.F1")}}, {kSqpDocConfidentialityCode, {"('R^^C')"}}},
       {"F1", "D1", "a4"}},
      {"GetFolderAndContents format filters out",
       kSqGetFolderAndContents,
       {{kSqpFolderEntryUuid, {Q("F1")}}, {kSqpDocFormatCode, {"('F2^^S')"}}},
       {"F1"}},
      // GetFoldersForDocument (3.18.4.1.2.3.7.12)
      {"GetFoldersForDocument", kSqGetFoldersForDocument, {{kSqpDocEntryUuid, {Q("D1")}}}, {"F1"}},
      {"GetFoldersForDocument none",
       kSqGetFoldersForDocument,
       {{kSqpDocUniqueId, {Q("uid.D2")}}},
       {}},
      // GetRelatedDocuments (3.18.4.1.2.3.7.13)
      {"GetRelatedDocuments RPLC",
       kSqGetRelatedDocuments,
       {{kSqpDocEntryUuid, {Q("D3")}}, {kSqpAssociationTypes, {List({kAssocRplc})}}},
       {"D3", "D4", "a7"}},
      {"GetRelatedDocuments other type",
       kSqGetRelatedDocuments,
       {{kSqpDocEntryUuid, {Q("D3")}}, {kSqpAssociationTypes, {List({kAssocApnd})}}},
       {}},
      {"GetRelatedDocuments none related",
       kSqGetRelatedDocuments,
       {{kSqpDocUniqueId, {Q("uid.D1")}}, {kSqpAssociationTypes, {List({kAssocRplc})}}},
       {}},
      {"GetRelatedDocuments unknown document",
       kSqGetRelatedDocuments,
       {{kSqpDocEntryUuid, {Q("nope")}}, {kSqpAssociationTypes, {List({kAssocRplc})}}},
       {}},
      {"GetRelatedDocuments missing types",
       kSqGetRelatedDocuments,
       {{kSqpDocEntryUuid, {Q("D3")}}},
       {},
       "XDSStoredQueryMissingParam"},
      // Error codes of the parameter syntax (3.18.4.1.2.3.5) and the query id.
      {"unknown stored query",
       "urn:uuid:00000000-0000-0000-0000-000000000000",
       {},
       {},
       "XDSUnknownStoredQuery"},
      {"missing patient id",
       kSqFindDocuments,
       {{kSqpDocStatus, {kStatusApproved}}},
       {},
       "XDSStoredQueryMissingParam"},
      {"missing status",
       kSqFindDocuments,
       {{kSqpDocPatientId, {kPatient}}},
       {},
       "XDSStoredQueryMissingParam"},
      {"patient id with two values",
       kSqFindDocuments,
       {{kSqpDocPatientId, {kPatient, Q(kP2)}}, {kSqpDocStatus, {kStatusApproved}}},
       {},
       "XDSStoredQueryParamNumber"},
      {"patient id in two Slots",
       kSqFindDocuments,
       {{kSqpDocPatientId, {kPatient}},
        {kSqpDocPatientId, {kPatient}},
        {kSqpDocStatus, {kStatusApproved}}},
       {},
       "XDSStoredQueryParamNumber"},
      {"classCode Slot repeated (no AND semantics)",
       kSqFindDocuments,
       find_docs({{kSqpDocClassCode, {"('C1^^S')"}}, {kSqpDocClassCode, {"('C2^^S')"}}}),
       {},
       "XDSStoredQueryParamNumber"},
      {"creationTimeFrom twice",
       kSqFindDocuments,
       find_docs({{kSqpDocCreationTimeFrom, {"2004", "2005"}}}),
       {},
       "XDSStoredQueryParamNumber"},
      {"unquoted string",
       kSqFindDocuments,
       {{kSqpDocPatientId, {kP1}}, {kSqpDocStatus, {kStatusApproved}}},
       {},
       "XDSRegistryError"},
      {"unterminated quote",
       kSqFindDocuments,
       {{kSqpDocPatientId, {"'abc"}}, {kSqpDocStatus, {kStatusApproved}}},
       {},
       "XDSRegistryError"},
      {"list not closed",
       kSqFindDocuments,
       {{kSqpDocPatientId, {kPatient}}, {kSqpDocStatus, {"('a','b'"}}},
       {},
       "XDSRegistryError"},
      {"code without scheme (old format)",
       kSqFindDocuments,
       find_docs({{kSqpDocPracticeSettingCode, {"('Dialysis')"}}}),
       {},
       "XDSRegistryError"},
      {"code with empty scheme",
       kSqFindDocuments,
       find_docs({{kSqpDocClassCode, {"('C1^^S', 'a^^')"}}}),
       {},
       "XDSRegistryError"},
      {"time not a DTM",
       kSqFindDocuments,
       find_docs({{kSqpDocCreationTimeFrom, {"2004-01-01"}}}),
       {},
       "XDSRegistryError"},
      {"time of odd length",
       kSqFindDocuments,
       find_docs({{kSqpDocCreationTimeFrom, {"20041"}}}),
       {},
       "XDSRegistryError"},
  };
}

class StoredQueryTest : public ::testing::Test {
 protected:
  void SetUp() override { Load(RegistryOptions{}); }
  void Load(RegistryOptions options) {
    auto s = SqliteRegistryStore::Open(":memory:");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
    Status st = store_->Apply([](RegistryTransaction& tx) {
      for (const StoredObject& o : DataSet()) RENKEI_RETURN_IF_ERROR(tx.Put(o));
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
    registry_ = std::make_unique<DocumentRegistry>(*store_, patients_, nullptr, options);
  }
  QueryAnswer Run(const std::string& id, const std::vector<Param>& params,
                  const std::string& return_type = xds::kReturnTypeObjectRef) {
    xds::AdhocQueryRequest req;
    req.query_id = id;
    req.return_type = return_type;
    for (const Param& p : params) req.params.push_back(xds::Slot{p.name, "", p.values});
    return registry_->StoredQuery(req, RequestContext{});
  }

  ConfiguredPatientIds patients_{{}, true};
  std::unique_ptr<SqliteRegistryStore> store_;
  std::unique_ptr<DocumentRegistry> registry_;
};

TEST_F(StoredQueryTest, Table) {
  for (const Case& c : Cases()) {
    QueryAnswer a = Run(c.query, c.params);
    if (!c.error.empty()) {
      ASSERT_EQ(a.errors.size(), 1u) << c.name;
      EXPECT_EQ(a.errors[0].error_code, c.error) << c.name << ": " << a.errors[0].code_context;
      EXPECT_TRUE(a.object_refs.empty() && a.objects.empty()) << c.name;
      continue;
    }
    std::string errs;
    for (const auto& e : a.errors) errs += e.error_code + ": " + e.code_context + "; ";
    EXPECT_TRUE(a.errors.empty()) << c.name << ": " << errs;
    std::set<std::string> got(a.object_refs.begin(), a.object_refs.end());
    EXPECT_EQ(got, c.expected) << c.name;
    EXPECT_EQ(got.size(), a.object_refs.size()) << c.name << ": duplicates";
  }
}

TEST_F(StoredQueryTest, SinglePatientRuleGuardsLeafClassOnly) {
  QueryAnswer leaf = Run(xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {"('D1','D6')"}}},
                         xds::kReturnTypeLeafClass);
  ASSERT_EQ(leaf.errors.size(), 1u);
  EXPECT_EQ(leaf.errors[0].error_code, "XDSResultNotSinglePatient");
  EXPECT_TRUE(leaf.objects.empty());
  QueryAnswer refs = Run(xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {"('D1','D6')"}}},
                         xds::kReturnTypeObjectRef);
  EXPECT_TRUE(refs.errors.empty());
  EXPECT_EQ(refs.object_refs.size(), 2u);
}

TEST_F(StoredQueryTest, MetadataLevelMustBeOneOrTwo) {
  for (const char* bad : {"3", "'x'", "0"}) {
    QueryAnswer a = Run(xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {"('D1')"}},
                                               {xds::kSqpMetadataLevel, {bad}}});
    ASSERT_EQ(a.errors.size(), 1u) << bad;
    EXPECT_EQ(a.errors[0].error_code, "XDSRegistryError") << bad;
  }
  for (const char* good : {"1", "'2'"}) {
    QueryAnswer a = Run(xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {"('D1')"}},
                                               {xds::kSqpMetadataLevel, {good}}});
    EXPECT_TRUE(a.errors.empty()) << good;
  }
}

TEST_F(StoredQueryTest, LeafClassReturnsObjectsWithTheirEncodedXml) {
  QueryAnswer a =
      Run(xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {"('D1')"}}}, xds::kReturnTypeLeafClass);
  ASSERT_TRUE(a.errors.empty());
  EXPECT_FALSE(a.object_ref);
  ASSERT_EQ(a.objects.size(), 1u);
  EXPECT_TRUE(a.object_refs.empty());
  EXPECT_EQ(a.objects[0].leaf_xml, "<leaf id=\"D1\"/>");
  EXPECT_EQ(a.objects[0].status, kApproved);

  QueryAnswer r = Run(xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {"('D1')"}}});
  EXPECT_TRUE(r.object_ref);
  EXPECT_TRUE(r.objects.empty());
  EXPECT_EQ(r.object_refs, std::vector<std::string>{"D1"});
}

TEST_F(StoredQueryTest, UnsupportedReturnTypeIsAnError) {
  QueryAnswer a = Run(xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {"('D1')"}}}, "Nonsense");
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].error_code, "XDSRegistryError");
}

TEST_F(StoredQueryTest, TooManyResults) {
  RegistryOptions options;
  options.max_query_results = 2;
  Load(options);
  QueryAnswer a = Run(xds::kSqFindDocuments, {{xds::kSqpDocPatientId, {kPatient}},
                                              {xds::kSqpDocStatus, {kStatusApproved}}});
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].error_code, "XDSTooManyResults");
  QueryAnswer ok = Run(xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {"('D1','D2')"}}});
  EXPECT_TRUE(ok.errors.empty());
  EXPECT_EQ(ok.object_refs.size(), 2u);
}

// Parameter value syntax (ITI TF-2 3.18.4.1.2.3.5).
TEST(StoredQueryParamsTest, ValueSyntax) {
  struct Row {
    const char* text;
    std::vector<ParamItem> items;  // empty = malformed
  };
  const Row rows[] = {
      {"'abc'", {{"abc", true}}},
      {"  'a b'  ", {{"a b", true}}},
      {"'O''Brien'", {{"O'Brien", true}}},
      {"''", {{"", true}}},
      {"20040101", {{"20040101", false}}},
      {"('a')", {{"a", true}}},
      {"('a','b')", {{"a", true}, {"b", true}}},
      {"( 'a' , 'b,c' , 12 )", {{"a", true}, {"b,c", true}, {"12", false}}},
      {"('it''s', 'x)')", {{"it's", true}, {"x)", true}}},
      {"'abc", {}},
      {"'a' 'b'", {}},
      {"('a'", {}},
      {"('a',)", {}},
      {"()", {}},
      {"('a') x", {}},
      {"", {}},
      {"a'b", {}},
  };
  for (const Row& r : rows) {
    auto got = ParseParamValue(r.text);
    if (r.items.empty()) {
      EXPECT_FALSE(got.ok()) << r.text;
      if (!got.ok()) {
        EXPECT_EQ(got.status().detail(), "XDSRegistryError") << r.text;
      }
    } else {
      ASSERT_TRUE(got.ok()) << r.text << ": " << got.status().ToString();
      EXPECT_EQ(*got, r.items) << r.text;
    }
  }
}

TEST(StoredQueryParamsTest, CodeSyntax) {
  auto ok = ParseCodeParam("urn:x:y^^1.2.3", "$p");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->first, "urn:x:y");
  EXPECT_EQ(ok->second, "1.2.3");
  auto with_display = ParseCodeParam("C^Display^S", "$p");
  ASSERT_TRUE(with_display.ok());
  EXPECT_EQ(with_display->second, "S");
  for (const char* bad : {"C", "C^^", "^^S", "C^S", "C^^S^X", ""}) {
    auto r = ParseCodeParam(bad, "$p");
    EXPECT_FALSE(r.ok()) << bad;
  }
}

TEST(StoredQueryParamsTest, DtmSyntax) {
  for (const char* good :
       {"2004", "200412", "20041224", "2004122410", "200412241030", "20041224103059"}) {
    EXPECT_TRUE(IsDtmParam(good)) << good;
  }
  for (const char* bad : {"", "200", "20041", "2004-12", "200412241030590", "2004122410305x"}) {
    EXPECT_FALSE(IsDtmParam(bad)) << bad;
  }
}

}  // namespace
}  // namespace renkei::registry
