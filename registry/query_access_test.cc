// Architecture §5 / issue 5: ITI-18 answers filtered by the requesting facility
// (registry/query_access.h, docs/authorization.md), table-driven over a fake
// DisclosurePolicy and StoredObjects put directly into an in-memory store.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/patient_id_source.h"
#include "directory/disclosure_policy.h"
#include "registry/document_registry.h"
#include "registry/sqlite_registry_store.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

constexpr char kP1[] = "p1^^^&1.2.3&ISO";
constexpr char kP2[] = "p2^^^&1.2.3&ISO";
constexpr char kA[] = "1.2.392.1";  // hospital A
constexpr char kB[] = "1.2.392.2";  // hospital B
constexpr char kC[] = "1.2.392.3";  // hospital C (patient P2 only)
constexpr char kX[] = "1.2.392.9";  // a viewing clinic that registered nothing
const std::string kApproved = xds::kStatusApproved;

std::string Q(const std::string& s) { return "('" + s + "')"; }

StoredObject Obj(EntryKind kind, const std::string& id, const std::string& patient,
                 const std::string& submitter, const std::string& class_code = "") {
  StoredObject o;
  o.kind = kind;
  o.id = id;
  o.lid = id;
  o.status = kApproved;
  o.patient_id = patient;
  o.submitter = submitter;
  o.unique_id = kind == EntryKind::kAssociation ? "" : "uid." + id;
  o.object_type = kind == EntryKind::kDocumentEntry ? xds::kObjectTypeStableDocument
                  : kind == EntryKind::kAssociation ? xds::kObjectTypeAssociation
                                                    : xds::kObjectTypeRegistryPackage;
  if (!class_code.empty()) o.codes = {{CodeAttr::kClass, class_code, "S"}};
  o.leaf_xml = "<leaf id=\"" + id + "\"/>";
  return o;
}

StoredObject Assoc(const std::string& id, const std::string& source, const std::string& target,
                   const std::string& submitter, const std::string& type = xds::kAssocHasMember) {
  StoredObject o = Obj(EntryKind::kAssociation, id, "", submitter);
  o.assoc_type = type;
  o.source = source;
  o.target = target;
  return o;
}

// P1: A's SubmissionSet SSA with DA1 (LAB), DA2 (IMG) and Folder FA holding DA1;
//     B's SubmissionSet SSB with DB1 (LAB) and DB2 (IMG), DB2 APND DA2 (b3).
// P2: C's SSC with DC1 (LAB).
std::vector<StoredObject> DataSet() {
  std::vector<StoredObject> v;
  v.push_back(Obj(EntryKind::kSubmissionSet, "SSA", kP1, kA));
  StoredObject da1 = Obj(EntryKind::kDocumentEntry, "DA1", kP1, kA, "LAB");
  da1.reference_ids = {"R1"};
  v.push_back(da1);
  v.push_back(Obj(EntryKind::kDocumentEntry, "DA2", kP1, kA, "IMG"));
  v.push_back(Obj(EntryKind::kFolder, "FA", kP1, kA));
  v.push_back(Assoc("a1", "SSA", "DA1", kA));
  v.push_back(Assoc("a2", "SSA", "DA2", kA));
  v.push_back(Assoc("a3", "SSA", "FA", kA));
  v.push_back(Assoc("a4", "FA", "DA1", kA));
  v.push_back(Assoc("a5", "SSA", "a4", kA));
  v.push_back(Obj(EntryKind::kSubmissionSet, "SSB", kP1, kB));
  StoredObject db1 = Obj(EntryKind::kDocumentEntry, "DB1", kP1, kB, "LAB");
  db1.reference_ids = {"R1"};
  v.push_back(db1);
  v.push_back(Obj(EntryKind::kDocumentEntry, "DB2", kP1, kB, "IMG"));
  v.push_back(Assoc("b1", "SSB", "DB1", kB));
  v.push_back(Assoc("b2", "SSB", "DB2", kB));
  v.push_back(Assoc("b3", "DB2", "DA2", kB, xds::kAssocApnd));
  v.push_back(Obj(EntryKind::kSubmissionSet, "SSC", kP2, kC));
  v.push_back(Obj(EntryKind::kDocumentEntry, "DC1", kP2, kC, "LAB"));
  v.push_back(Assoc("c1", "SSC", "DC1", kC));
  return v;
}

// Grants keyed by (viewer, patient); viewer "*" = every participating facility.
class FakePolicy : public directory::DisclosurePolicy {
 public:
  struct Entry {
    bool break_glass = false;
    std::vector<directory::GrantInForce> grants;
  };
  Result<directory::PatientAccess> AccessOf(const std::string& requester,
                                            const std::string& patient_id,
                                            const std::string& now) const override {
    ++calls[{requester, patient_id}];
    last_now = now;
    if (unavailable) return Status::Unavailable("policy", "policy store locked");
    directory::PatientAccess a;
    a.requester = requester;
    for (const std::string& viewer : {requester, std::string("*")}) {
      auto it = entries.find({viewer, patient_id});
      if (it == entries.end()) continue;
      a.break_glass = a.break_glass || it->second.break_glass;
      for (const auto& g : it->second.grants) a.grants.push_back(g);
    }
    return a;
  }
  std::map<std::pair<std::string, std::string>, Entry> entries;
  mutable std::map<std::pair<std::string, std::string>, int> calls;
  mutable std::string last_now;
  bool unavailable = false;
};

using Grants = std::vector<directory::GrantInForce>;

struct Param {
  std::string name;
  std::vector<std::string> values;
};

struct Case {
  const char* name;
  std::string requester;
  Grants grants;  // for (requester, P1), unless `viewer` says otherwise
  bool break_glass;
  const char* query;
  std::vector<Param> params;
  std::set<std::string> expected;
  std::string viewer = "";  // "*" puts the grants on every facility
};

std::vector<Param> FindDocs(std::vector<Param> extra = {}) {
  std::vector<Param> p = {{xds::kSqpDocPatientId, {"'" + std::string(kP1) + "'"}},
                          {xds::kSqpDocStatus, {Q(kApproved)}}};
  for (Param& e : extra) p.push_back(std::move(e));
  return p;
}

std::vector<Case> Cases() {
  using namespace xds;  // NOLINT: constants
  const std::string p1 = "'" + std::string(kP1) + "'";
  const Grants a_lab = {{kA, {"LAB"}}};
  const Grants a_img = {{kA, {"IMG"}}};
  const Grants a_all = {{kA, {}}};
  const Grants b_all = {{kB, {}}};
  const Grants a_xray = {{kA, {"XRAY"}}};
  const std::vector<Param> find_sets = {{kSqpSsPatientId, {p1}}, {kSqpSsStatus, {Q(kApproved)}}};
  const std::vector<Param> find_folders = {{kSqpFolderPatientId, {p1}},
                                           {kSqpFolderStatus, {Q(kApproved)}}};
  const std::vector<Param> get_all = {{kSqpPatientId, {p1}},
                                      {kSqpDocStatus, {Q(kApproved)}},
                                      {kSqpSsStatus, {Q(kApproved)}},
                                      {kSqpFolderStatus, {Q(kApproved)}}};
  return {
      // FindDocuments: the grant table of issue 5.
      {"own records", kA, {}, false, kSqFindDocuments, FindDocs(), {"DA1", "DA2"}},
      {"granted class", kB, a_lab, false, kSqFindDocuments, FindDocs(), {"DA1", "DB1", "DB2"}},
      {"other class", kX, a_img, false, kSqFindDocuments, FindDocs(), {"DA2"}},
      {"class the grant does not hold", kX, a_xray, false, kSqFindDocuments, FindDocs(), {}},
      {"other submitter's grant", kX, b_all, false, kSqFindDocuments, FindDocs(), {"DB1", "DB2"}},
      {"grant to every facility", kX, a_all, false, kSqFindDocuments, FindDocs(), {"DA1", "DA2"},
       "*"},
      {"break-glass", kX, {}, true, kSqFindDocuments, FindDocs(), {"DA1", "DA2", "DB1", "DB2"}},
      {"no grant: zero entries", kX, {}, false, kSqFindDocuments, FindDocs(), {}},
      {"grant of another patient opens nothing", kC, {}, false, kSqFindDocuments, FindDocs(), {}},
      {"query filters still apply", kB, a_lab, false, kSqFindDocuments,
       FindDocs({{kSqpDocClassCode, {"('IMG^^S')"}}}), {"DB2"}},
      {"FindDocumentsByReferenceId own", kB, {}, false, kSqFindDocumentsByReferenceId,
       FindDocs({{kSqpDocReferenceIdList, {"('R1')"}}}), {"DB1"}},
      {"FindDocumentsByReferenceId granted", kX, a_lab, false, kSqFindDocumentsByReferenceId,
       FindDocs({{kSqpDocReferenceIdList, {"('R1')"}}}), {"DA1"}},
      // SubmissionSets and Folders.
      {"FindSubmissionSets own", kB, {}, false, kSqFindSubmissionSets, find_sets, {"SSB"}},
      {"FindSubmissionSets with a visible member", kB, a_lab, false, kSqFindSubmissionSets,
       find_sets, {"SSA", "SSB"}},
      {"FindSubmissionSets hides a set whose members are all hidden", kB, a_xray, false,
       kSqFindSubmissionSets, find_sets, {"SSB"}},
      {"FindSubmissionSets no grant", kX, {}, false, kSqFindSubmissionSets, find_sets, {}},
      {"FindFolders granted member", kB, a_lab, false, kSqFindFolders, find_folders, {"FA"}},
      {"FindFolders member of another class", kB, a_img, false, kSqFindFolders, find_folders, {}},
      {"FindFolders grant of every class", kX, a_all, false, kSqFindFolders, find_folders,
       {"FA"}},
      // GetAll: associations only between visible objects.
      {"GetAll granted class", kB, a_lab, false, kSqGetAll, get_all,
       {"SSA", "DA1", "FA", "a1", "a3", "a4", "a5", "SSB", "DB1", "DB2", "b1", "b2"}},
      {"GetAll no grant", kX, {}, false, kSqGetAll, get_all, {}},
      {"GetAll break-glass", kX, {}, true, kSqGetAll, get_all,
       {"SSA", "DA1", "DA2", "FA", "a1", "a2", "a3", "a4", "a5", "SSB", "DB1", "DB2", "b1", "b2",
        "b3"}},
      // Get* by id: an invisible object answers as if it did not exist.
      {"GetDocuments visible", kB, a_lab, false, kSqGetDocuments,
       {{kSqpDocEntryUuid, {"('DA1','DA2')"}}}, {"DA1"}},
      {"GetDocuments by uuid, invisible", kX, {}, false, kSqGetDocuments,
       {{kSqpDocEntryUuid, {Q("DA1")}}}, {}},
      {"GetDocuments by uniqueId, invisible", kB, a_lab, false, kSqGetDocuments,
       {{kSqpDocUniqueId, {Q("uid.DA2")}}}, {}},
      {"GetFolders own", kA, {}, false, kSqGetFolders, {{kSqpFolderEntryUuid, {Q("FA")}}},
       {"FA"}},
      {"GetFolders no grant", kX, {}, false, kSqGetFolders, {{kSqpFolderEntryUuid, {Q("FA")}}},
       {}},
      {"GetAssociations both ends visible", kA, {}, false, kSqGetAssociations,
       {{kSqpUuid, {Q("DA2")}}}, {"a2"}},
      {"GetAssociations break-glass", kX, {}, true, kSqGetAssociations, {{kSqpUuid, {Q("DA2")}}},
       {"a2", "b3"}},
      {"GetDocumentsAndAssociations", kB, {}, false, kSqGetDocumentsAndAssociations,
       {{kSqpDocEntryUuid, {Q("DB2")}}}, {"DB2", "b2"}},
      {"GetSubmissionSets granted", kB, a_lab, false, kSqGetSubmissionSets,
       {{kSqpUuid, {Q("DA1")}}}, {"SSA", "a1"}},
      {"GetSubmissionSets no grant", kX, {}, false, kSqGetSubmissionSets,
       {{kSqpUuid, {Q("DA1")}}}, {}},
      {"GetSubmissionSetAndContents granted class", kB, a_lab, false,
       kSqGetSubmissionSetAndContents, {{kSqpSsEntryUuid, {"'SSA'"}}},
       {"SSA", "DA1", "FA", "a1", "a3", "a4", "a5"}},
      {"GetSubmissionSetAndContents no grant", kX, {}, false, kSqGetSubmissionSetAndContents,
       {{kSqpSsEntryUuid, {"'SSA'"}}}, {}},
      {"GetFolderAndContents granted", kB, a_lab, false, kSqGetFolderAndContents,
       {{kSqpFolderEntryUuid, {"'FA'"}}}, {"FA", "DA1", "a4"}},
      {"GetFoldersForDocument granted", kB, a_lab, false, kSqGetFoldersForDocument,
       {{kSqpDocEntryUuid, {"'DA1'"}}}, {"FA"}},
      {"GetFoldersForDocument no grant", kX, {}, false, kSqGetFoldersForDocument,
       {{kSqpDocEntryUuid, {"'DA1'"}}}, {}},
      {"GetRelatedDocuments target hidden", kB, {}, false, kSqGetRelatedDocuments,
       {{kSqpDocEntryUuid, {"'DB2'"}}, {kSqpAssociationTypes, {Q(kAssocApnd)}}}, {}},
      {"GetRelatedDocuments break-glass", kX, {}, true, kSqGetRelatedDocuments,
       {{kSqpDocEntryUuid, {"'DB2'"}}, {kSqpAssociationTypes, {Q(kAssocApnd)}}},
       {"DB2", "DA2", "b3"}},
  };
}

class QueryAccessTest : public ::testing::Test {
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
    RegistryAuthorization auth;
    auth.policy = &policy_;
    registry_ = std::make_unique<DocumentRegistry>(*store_, patients_, nullptr, options, auth);
  }
  void Policy(const Case& c) {
    policy_.entries.clear();
    policy_.calls.clear();
    FakePolicy::Entry e{c.break_glass, c.grants};
    policy_.entries[{c.viewer.empty() ? c.requester : c.viewer, kP1}] = e;
  }
  QueryAnswer Run(const std::string& requester, const std::string& id,
                  const std::vector<Param>& params, const std::string& return_type) {
    xds::AdhocQueryRequest req;
    req.query_id = id;
    req.return_type = return_type;
    for (const Param& p : params) req.params.push_back(xds::Slot{p.name, "", p.values});
    return registry_->StoredQuery(req, RequestContext{requester});
  }
  static std::set<std::string> Ids(const QueryAnswer& a) {
    std::set<std::string> ids(a.object_refs.begin(), a.object_refs.end());
    for (const StoredObject& o : a.objects) ids.insert(o.id);
    return ids;
  }
  static std::string Errors(const QueryAnswer& a) {
    std::string out;
    for (const auto& e : a.errors) out += e.error_code + ": " + e.code_context + "; ";
    return out;
  }

  FakePolicy policy_;
  ConfiguredPatientIds patients_{{}, true};
  std::unique_ptr<SqliteRegistryStore> store_;
  std::unique_ptr<DocumentRegistry> registry_;
};

TEST_F(QueryAccessTest, TableObjectRefAndLeafClass) {
  for (const Case& c : Cases()) {
    for (const char* rt : {xds::kReturnTypeObjectRef, xds::kReturnTypeLeafClass}) {
      Policy(c);
      QueryAnswer a = Run(c.requester, c.query, c.params, rt);
      EXPECT_TRUE(a.errors.empty()) << c.name << " " << rt << ": " << Errors(a);
      EXPECT_EQ(Ids(a), c.expected) << c.name << " " << rt;
      EXPECT_EQ(a.object_refs.size() + a.objects.size(), c.expected.size())
          << c.name << " " << rt << ": duplicates";
      for (const StoredObject& o : a.objects) {
        EXPECT_EQ(o.leaf_xml, "<leaf id=\"" + o.id + "\"/>") << c.name << ": LeafClass fragment";
      }
      // One AccessOf per (requester, patient) and query, never one per entry.
      for (const auto& [key, n] : policy_.calls) {
        EXPECT_EQ(n, 1) << c.name << " " << rt << ": AccessOf(" << key.first << ", "
                        << key.second << ") called " << n << " times";
      }
    }
  }
}

TEST_F(QueryAccessTest, PassesTheCurrentUtcInstantToThePolicy) {
  Run(kX, xds::kSqFindDocuments, FindDocs(), xds::kReturnTypeObjectRef);
  ASSERT_EQ(policy_.last_now.size(), 14u) << policy_.last_now;
  EXPECT_EQ(policy_.last_now.find_first_not_of("0123456789"), std::string::npos);
  EXPECT_EQ(policy_.calls.size(), 1u);
  EXPECT_EQ((policy_.calls[{kX, kP1}]), 1);
}

TEST_F(QueryAccessTest, PolicyUnavailableAnswersNothing) {
  policy_.unavailable = true;
  for (const char* query : {xds::kSqFindDocuments, xds::kSqGetDocuments}) {
    std::vector<Param> params = query == std::string(xds::kSqFindDocuments)
                                    ? FindDocs()
                                    : std::vector<Param>{{xds::kSqpDocEntryUuid, {Q("DB1")}}};
    QueryAnswer a = Run(kX, query, params, xds::kReturnTypeLeafClass);
    ASSERT_EQ(a.errors.size(), 1u) << query;
    EXPECT_EQ(a.errors[0].error_code, "XDSRegistryError");
    EXPECT_TRUE(a.objects.empty() && a.object_refs.empty());
  }
}

// XDSTooManyResults counts the visible entries only.
TEST_F(QueryAccessTest, TooManyResultsCountsVisibleEntries) {
  RegistryOptions options;
  options.max_query_results = 2;
  Load(options);
  struct Limit {
    const char* name;
    std::string requester;
    Grants grants;
    bool break_glass;
    bool too_many;
  };
  const Limit limits[] = {
      {"own two of four", kA, {}, false, false},
      {"break-glass sees four", kX, {}, true, true},
      {"granted class: three visible", kB, {{kA, {"LAB"}}}, false, true},
      {"grant holds no class: two visible of four read", kB, {{kA, {"XRAY"}}}, false, false},
  };
  for (const Limit& l : limits) {
    Case c{l.name, l.requester, l.grants, l.break_glass, xds::kSqFindDocuments, FindDocs(), {}};
    Policy(c);
    QueryAnswer a = Run(l.requester, xds::kSqFindDocuments, FindDocs(), xds::kReturnTypeObjectRef);
    if (l.too_many) {
      ASSERT_EQ(a.errors.size(), 1u) << l.name;
      EXPECT_EQ(a.errors[0].error_code, "XDSTooManyResults") << l.name;
    } else {
      EXPECT_TRUE(a.errors.empty()) << l.name << ": " << Errors(a);
      EXPECT_EQ(a.object_refs.size(), 2u) << l.name;
    }
  }
}

// Without a policy a facility sees what it registered itself, nothing else.
TEST_F(QueryAccessTest, NullPolicySeesOwnRecordsOnly) {
  registry_ = std::make_unique<DocumentRegistry>(*store_, patients_, nullptr, RegistryOptions{});
  EXPECT_EQ(Ids(Run(kB, xds::kSqFindDocuments, FindDocs(), xds::kReturnTypeObjectRef)),
            (std::set<std::string>{"DB1", "DB2"}));
  EXPECT_TRUE(Ids(Run(kX, xds::kSqFindDocuments, FindDocs(), xds::kReturnTypeLeafClass)).empty());
  EXPECT_TRUE(Ids(Run(kX, xds::kSqGetDocuments, {{xds::kSqpDocEntryUuid, {Q("DA1")}}},
                      xds::kReturnTypeLeafClass))
                  .empty());
}

}  // namespace
}  // namespace renkei::registry
