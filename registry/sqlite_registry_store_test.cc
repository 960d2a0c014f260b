// ITI-18/42/57/62 storage: SqliteRegistryStore tests (writes, rollback, every Find
// predicate, DTM precision, query plans). On a file, with concurrent connections:
// sqlite_registry_file_test.cc.
#include "registry/sqlite_registry_store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "registry/leaf_codec.h"
#include "registry/store_test_objects.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

using testing::Assoc;
using testing::Doc;

std::vector<std::string> IdsOf(const Result<std::vector<StoredObject>>& r) {
  std::vector<std::string> ids;
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  if (!r.ok()) return ids;
  for (const StoredObject& o : *r) ids.push_back(o.id);
  return ids;
}

class StoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = SqliteRegistryStore::Open(":memory:");
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
  }
  void Put(const StoredObject& o) {
    Status st = store_->Apply([&](RegistryTransaction& tx) { return tx.Put(o); });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  std::unique_ptr<SqliteRegistryStore> store_;
};

TEST_F(StoreTest, PutGetRoundTripsEveryField) {
  StoredObject d = Doc("urn:uuid:d1", "p1^^^&1.2&ISO");
  d.home = "urn:oid:1.1";
  d.submitter = "1.2.3.4";
  d.author_persons = {"^Ford^Harrison", "^Smith^Jo"};
  d.reference_ids = {"ref1^^^&1.2&ISO"};
  d.codes = {{CodeAttr::kClass, "C1", "S1"}, {CodeAttr::kEvent, "E1", "S2"}};
  d.times = {{TimeAttr::kCreation, "2004"}, {TimeAttr::kServiceStart, "200412241230"}};
  d.version = 3;
  d.lid = "urn:uuid:lid1";
  Put(d);
  auto got = store_->Get("urn:uuid:d1");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->id, d.id);
  EXPECT_EQ(got->lid, d.lid);
  EXPECT_EQ(got->version, 3);
  EXPECT_EQ(got->kind, EntryKind::kDocumentEntry);
  EXPECT_EQ(got->status, d.status);
  EXPECT_EQ(got->object_type, d.object_type);
  EXPECT_EQ(got->unique_id, d.unique_id);
  EXPECT_EQ(got->patient_id, d.patient_id);
  EXPECT_EQ(got->home, d.home);
  EXPECT_EQ(got->submitter, d.submitter);
  EXPECT_EQ(got->hash, d.hash);
  EXPECT_EQ(got->size, d.size);
  EXPECT_EQ(got->repository_unique_id, d.repository_unique_id);
  EXPECT_EQ(got->author_persons, d.author_persons);
  EXPECT_EQ(got->reference_ids, d.reference_ids);
  ASSERT_EQ(got->codes.size(), 2u);
  EXPECT_EQ(got->codes[1].code, "E1");
  EXPECT_EQ(got->codes[1].attr, CodeAttr::kEvent);
  ASSERT_EQ(got->times.size(), 2u);
  EXPECT_EQ(got->times[0].value, "2004");  // as submitted, not normalised
  EXPECT_EQ(got->leaf_xml, d.leaf_xml);
  EXPECT_TRUE(store_->Get("urn:uuid:nope").status().IsNotFound());
}

// A fragment compressed ahead (StoredObject::leaf_blob) is what the store keeps: it is
// not compressed again from leaf_xml.
TEST_F(StoreTest, PutStoresALeafBlobMadeAhead) {
  StoredObject d = Doc("urn:uuid:d1", "P1");
  const std::string ahead = "<rim:ExtrinsicObject id=\"urn:uuid:d1\"><rim:Name/></rim:ExtrinsicObject>";
  d.leaf_blob = EncodeLeaf(ahead);
  ASSERT_TRUE(store_->Apply([&](RegistryTransaction& tx) { return tx.Put(d); }).ok());
  EXPECT_EQ(store_->Get("urn:uuid:d1")->leaf_xml, ahead);
  StoredObject e = Doc("urn:uuid:d2", "P1");
  ASSERT_TRUE(store_->Apply([&](RegistryTransaction& tx) { return tx.Put(e); }).ok());
  EXPECT_EQ(store_->Get("urn:uuid:d2")->leaf_xml, e.leaf_xml);
}

TEST_F(StoreTest, UnknownStatusAndTypesRoundTripAsText) {
  StoredObject d = Doc("urn:uuid:d1", "p1");
  d.status = "urn:example:status:Odd";
  d.object_type = "urn:uuid:odd-type";
  Put(d);
  StoredObject a = Assoc("urn:uuid:a1", "urn:uuid:d1", "urn:uuid:x", "urn:example:assoc");
  Put(a);
  EXPECT_EQ(store_->Get("urn:uuid:d1")->status, "urn:example:status:Odd");
  EXPECT_EQ(store_->Get("urn:uuid:d1")->object_type, "urn:uuid:odd-type");
  EXPECT_EQ(store_->Get("urn:uuid:a1")->assoc_type, "urn:example:assoc");
  ObjectFilter f;
  f.statuses = {"urn:example:status:Odd"};
  f.patient_id = "p1";
  EXPECT_EQ(IdsOf(store_->Find(f)), std::vector<std::string>{"urn:uuid:d1"});
}

TEST_F(StoreTest, PutDuplicateIdIsConflictAndRollsBackTheWholeTransaction) {
  Put(Doc("urn:uuid:d1", "p1"));
  Status st = store_->Apply([&](RegistryTransaction& tx) {
    RENKEI_RETURN_IF_ERROR(tx.Put(Doc("urn:uuid:d2", "p1")));
    return tx.Put(Doc("urn:uuid:d1", "p1"));
  });
  EXPECT_TRUE(st.IsConflict()) << st.ToString();
  EXPECT_TRUE(store_->Get("urn:uuid:d2").status().IsNotFound());
  EXPECT_EQ(*store_->Count(EntryKind::kDocumentEntry), 1);
}

TEST_F(StoreTest, ErrorFromFunctionRollsBack) {
  Status st = store_->Apply([&](RegistryTransaction& tx) {
    RENKEI_RETURN_IF_ERROR(tx.Put(Doc("urn:uuid:d1", "p1")));
    // Reads inside the transaction see its own writes.
    EXPECT_TRUE(tx.Get("urn:uuid:d1").ok());
    return Status::InvalidArgument("XDSRegistryMetadataError", "nope");
  });
  EXPECT_EQ(st.detail(), "XDSRegistryMetadataError");
  EXPECT_TRUE(store_->Get("urn:uuid:d1").status().IsNotFound());
  EXPECT_EQ(*store_->Count(EntryKind::kDocumentEntry), 0);
}

// A first version's lid equals its id (stored without an objects_lid entry); later versions
// carry it. By lid both are found, the latest alone with latest_version_only.
TEST_F(StoreTest, VersionsByLogicalId) {
  StoredObject v1 = Doc("urn:uuid:v1", "p1", xds::kStatusDeprecated);
  Put(v1);
  StoredObject v2 = Doc("urn:uuid:v2", "p1");
  v2.lid = "urn:uuid:v1";
  v2.version = 2;
  v2.unique_id = v1.unique_id;
  Put(v2);
  StoredObject other = Doc("urn:uuid:o1", "p1");
  Put(other);
  EXPECT_EQ(store_->Get("urn:uuid:v1")->lid, "urn:uuid:v1");
  EXPECT_EQ(store_->Get("urn:uuid:v2")->lid, "urn:uuid:v1");
  ObjectFilter f;
  f.lids = {"urn:uuid:v1", "urn:uuid:o1"};
  EXPECT_EQ(IdsOf(store_->Find(f)),
            (std::vector<std::string>{"urn:uuid:v1", "urn:uuid:v2", "urn:uuid:o1"}));
  f.latest_version_only = true;
  EXPECT_EQ(IdsOf(store_->Find(f)), (std::vector<std::string>{"urn:uuid:v2", "urn:uuid:o1"}));
  ObjectFilter by_uid;
  by_uid.unique_ids = {v1.unique_id};
  by_uid.latest_version_only = true;
  EXPECT_EQ(IdsOf(store_->Find(by_uid)), std::vector<std::string>{"urn:uuid:v2"});
}

TEST_F(StoreTest, NestedApplyIsRefused) {
  Status inner;
  Status st = store_->Apply([&](RegistryTransaction&) {
    inner = store_->Apply([](RegistryTransaction&) { return Status::Ok(); });
    return Status::Ok();
  });
  EXPECT_TRUE(st.ok());
  EXPECT_FALSE(inner.ok());
}

TEST_F(StoreTest, ReplaceSetStatusRemove) {
  StoredObject d = Doc("urn:uuid:d1", "p1");
  d.codes = {{CodeAttr::kClass, "C1", "S"}};
  Put(d);
  d.codes = {{CodeAttr::kClass, "C2", "S"}};
  d.leaf_xml = "<new/>";
  ASSERT_TRUE(store_->Apply([&](RegistryTransaction& tx) { return tx.Replace(d); }).ok());
  ObjectFilter f;
  f.patient_id = "p1";
  f.codes = {{CodeAttr::kClass, {{"C1", "S"}}}};
  EXPECT_TRUE(IdsOf(store_->Find(f)).empty());  // old child rows are gone
  f.codes = {{CodeAttr::kClass, {{"C2", "S"}}}};
  EXPECT_EQ(IdsOf(store_->Find(f)).size(), 1u);
  EXPECT_EQ(store_->Get("urn:uuid:d1")->leaf_xml, "<new/>");

  ASSERT_TRUE(store_
                  ->Apply([&](RegistryTransaction& tx) {
                    return tx.SetStatus("urn:uuid:d1", xds::kStatusDeprecated);
                  })
                  .ok());
  EXPECT_EQ(store_->Get("urn:uuid:d1")->status, xds::kStatusDeprecated);

  EXPECT_TRUE(store_
                  ->Apply([&](RegistryTransaction& tx) {
                    return tx.SetStatus("urn:uuid:none", xds::kStatusDeprecated);
                  })
                  .IsNotFound());
  EXPECT_TRUE(
      store_->Apply([&](RegistryTransaction& tx) { return tx.Replace(Doc("urn:uuid:x", "p")); })
          .IsNotFound());
  EXPECT_EQ(*store_->Count(EntryKind::kDocumentEntry), 1);
  ASSERT_TRUE(
      store_->Apply([&](RegistryTransaction& tx) { return tx.Remove("urn:uuid:d1"); }).ok());
  EXPECT_EQ(*store_->Count(EntryKind::kDocumentEntry), 0);
  EXPECT_TRUE(store_->Get("urn:uuid:d1").status().IsNotFound());
  EXPECT_TRUE(IdsOf(store_->Find(f)).empty());
  EXPECT_TRUE(store_->Apply([&](RegistryTransaction& tx) { return tx.Remove("urn:uuid:d1"); })
                  .IsNotFound());
}

// One row per predicate of ObjectFilter: the filter and the documents it must return.
struct FindCase {
  const char* name;
  ObjectFilter filter;
  std::vector<std::string> expected;
};

class FindTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    StoredObject a = Doc("urn:uuid:a", "p1");
    a.codes = {{CodeAttr::kClass, "C1", "S1"},
               {CodeAttr::kEvent, "E1", "S"},
               {CodeAttr::kEvent, "E2", "S"},
               {CodeAttr::kConfidentiality, "N", "CS"}};
    a.times = {{TimeAttr::kCreation, "20041224"}, {TimeAttr::kServiceStart, "2004"}};
    a.author_persons = {"^Ford^Harrison"};
    a.reference_ids = {"R1"};
    a.home = "h1";
    Put(a);
    StoredObject b = Doc("urn:uuid:b", "p1", xds::kStatusDeprecated);
    b.codes = {{CodeAttr::kClass, "C2", "S1"}, {CodeAttr::kEvent, "E1", "S"}};
    b.times = {{TimeAttr::kCreation, "20050101120000"}};
    b.author_persons = {"^ford^lower"};
    b.lid = "urn:uuid:a";
    b.version = 2;
    Put(b);
    StoredObject c = Doc("urn:uuid:c", "p1");
    c.object_type = xds::kObjectTypeOnDemandDocument;
    c.codes = {{CodeAttr::kClass, "C1", "S2"}};
    c.author_persons = {"^Ab_c^X"};
    Put(c);
    Put(Doc("urn:uuid:other", "p2"));
    StoredObject ss;
    ss.kind = EntryKind::kSubmissionSet;
    ss.id = "urn:uuid:ss";
    ss.status = xds::kStatusApproved;
    ss.patient_id = "p1";
    ss.source_id = "1.2.3";
    ss.unique_id = "9.9";
    Put(ss);
  }
};

TEST_F(FindTest, EveryPredicate) {
  auto base = [] {
    ObjectFilter f;
    f.patient_id = "p1";
    return f;
  };
  std::vector<FindCase> cases;
  cases.push_back({"patient", base(), {"urn:uuid:a", "urn:uuid:b", "urn:uuid:c"}});
  {
    ObjectFilter f = base();
    f.statuses = {xds::kStatusApproved};
    cases.push_back({"status", f, {"urn:uuid:a", "urn:uuid:c"}});
  }
  {
    ObjectFilter f = base();
    f.object_types = {xds::kObjectTypeOnDemandDocument};
    cases.push_back({"object_type", f, {"urn:uuid:c"}});
  }
  {
    ObjectFilter f;
    f.ids = {"urn:uuid:a", "urn:uuid:other"};
    cases.push_back({"ids across patients", f, {"urn:uuid:a", "urn:uuid:other"}});
  }
  {
    ObjectFilter f;
    f.unique_ids = {"1.2.3.urn:uuid:b"};
    cases.push_back({"unique_id", f, {"urn:uuid:b"}});
  }
  {
    ObjectFilter f;
    f.lids = {"urn:uuid:a"};
    cases.push_back({"lid", f, {"urn:uuid:a", "urn:uuid:b"}});
    f.latest_version_only = true;
    cases.push_back({"lid latest", f, {"urn:uuid:b"}});
  }
  {
    ObjectFilter f = base();
    f.kind = EntryKind::kSubmissionSet;
    f.source_ids = {"1.2.3"};
    cases.push_back({"source_id", f, {"urn:uuid:ss"}});
    f.source_ids = {"1.2.4"};
    cases.push_back({"source_id none", f, {}});
  }
  {
    ObjectFilter f = base();
    f.reference_ids = {"R1", "R9"};
    cases.push_back({"reference_id", f, {"urn:uuid:a"}});
  }
  {
    ObjectFilter f = base();
    f.homes = {"h1"};
    cases.push_back({"home", f, {"urn:uuid:a"}});
  }
  {
    ObjectFilter f = base();
    f.author_person_patterns = {"%Ford%"};
    cases.push_back({"author LIKE is case-sensitive", f, {"urn:uuid:a"}});
    f.author_person_patterns = {"%Ford%", "%ford%"};
    cases.push_back({"author patterns OR-ed", f, {"urn:uuid:a", "urn:uuid:b"}});
    f.author_person_patterns = {"^Ab\\_c%"};
    cases.push_back({"author escaped underscore", f, {"urn:uuid:c"}});
    f.author_person_patterns = {"^_b_c^_"};
    cases.push_back({"author underscore wildcard", f, {"urn:uuid:c"}});
    f.author_person_patterns = {"^Ford"};
    cases.push_back({"author no implicit wildcard", f, {}});
  }
  {
    ObjectFilter f = base();
    f.codes = {{CodeAttr::kClass, {{"C1", "S1"}, {"C2", "S1"}}}};
    cases.push_back({"codes OR", f, {"urn:uuid:a", "urn:uuid:b"}});
    f.codes = {{CodeAttr::kClass, {{"C1", "S2"}}}};
    cases.push_back({"code scheme must match", f, {"urn:uuid:c"}});
    f.codes = {{CodeAttr::kClass, {{"C1", ""}}}};
    cases.push_back({"code without scheme", f, {"urn:uuid:a", "urn:uuid:c"}});
    f.codes = {{CodeAttr::kEvent, {{"E1", "S"}}}, {CodeAttr::kEvent, {{"E2", "S"}}}};
    cases.push_back({"event codes AND", f, {"urn:uuid:a"}});
    f.codes = {{CodeAttr::kEvent, {{"E1", "S"}}}, {CodeAttr::kClass, {{"C2", "S1"}}}};
    cases.push_back({"two attributes AND", f, {"urn:uuid:b"}});
    f.codes = {{CodeAttr::kType, {{"C1", "S1"}}}};
    cases.push_back({"attribute must match", f, {}});
  }
  for (const FindCase& c : cases) {
    EXPECT_EQ(IdsOf(store_->Find(c.filter)), c.expected) << c.name;
  }
  // A limit bounds the answer; which of the matches it keeps is unspecified, their order
  // is still registration order.
  ObjectFilter all = base();
  std::vector<std::string> every = IdsOf(store_->Find(all));
  ASSERT_GT(every.size(), 2u);
  all.limit = 2;
  std::vector<std::string> two = IdsOf(store_->Find(all));
  ASSERT_EQ(two.size(), 2u);
  auto pos0 = std::find(every.begin(), every.end(), two[0]);
  auto pos1 = std::find(every.begin(), every.end(), two[1]);
  EXPECT_TRUE(pos0 != every.end() && pos1 != every.end() && pos0 < pos1);
}

// ITI TF-2 3.18.4.1.2.3.6.3: from inclusive, to exclusive; values of different precision
// compare on their common (padded) precision. Stored: a=20041224 (creation),
// b=20050101120000, a serviceStart=2004.
TEST_F(FindTest, WithoutLeafXmlReadsEverythingElse) {
  ObjectFilter f;
  f.ids = {"urn:uuid:a"};
  f.with_leaf_xml = false;
  auto r = store_->Find(f);
  ASSERT_TRUE(r.ok() && r->size() == 1);
  EXPECT_TRUE(r->front().leaf_xml.empty());
  EXPECT_EQ(r->front().patient_id, "p1");
  EXPECT_EQ(r->front().codes.size(), 4u);
  f.with_leaf_xml = true;
  EXPECT_FALSE(store_->Find(f)->front().leaf_xml.empty());
  EXPECT_EQ(*store_->Count(EntryKind::kDocumentEntry), 4);
  EXPECT_EQ(*store_->Count(EntryKind::kSubmissionSet), 1);
  EXPECT_EQ(*store_->Count(EntryKind::kFolder), 0);
}

TEST_F(FindTest, AnswerOnlyReturnsWhatAnAnswerNeedsAndNothingElse) {
  ObjectFilter f;
  f.patient_id = "p1";
  auto full = store_->Find(f);
  ASSERT_TRUE(full.ok());
  ASSERT_FALSE(full->empty());
  f.answer_only = true;
  auto answer = store_->Find(f);
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(answer->size(), full->size());
  for (size_t i = 0; i < answer->size(); ++i) {
    const StoredObject& a = (*answer)[i];
    const StoredObject& o = (*full)[i];
    EXPECT_EQ(a.id, o.id);
    EXPECT_EQ(a.kind, o.kind);
    EXPECT_EQ(a.status, o.status);
    EXPECT_EQ(a.patient_id, o.patient_id);
    EXPECT_EQ(a.leaf_xml, o.leaf_xml);
    EXPECT_FALSE(a.leaf_xml.empty());
    EXPECT_TRUE(a.lid.empty());
    EXPECT_TRUE(a.codes.empty());
    EXPECT_TRUE(a.unique_id.empty());
  }
}

// Each row of a one-patient answer gets its own fragment, also when the filter leaves out
// entries registered between them (here the deprecated b, between a and c).
TEST_F(FindTest, AnswerOnlyWithAStatusFilterGetsEachRowItsOwnFragment) {
  ObjectFilter f;
  f.patient_id = "p1";
  f.statuses = {xds::kStatusApproved};
  auto full = store_->Find(f);
  ASSERT_TRUE(full.ok());
  f.answer_only = true;
  auto answer = store_->Find(f);
  ASSERT_TRUE(answer.ok());
  ASSERT_EQ(answer->size(), 2u);
  ASSERT_EQ(full->size(), 2u);
  for (size_t i = 0; i < answer->size(); ++i) {
    EXPECT_EQ((*answer)[i].id, (*full)[i].id);
    EXPECT_EQ((*answer)[i].leaf_xml, (*full)[i].leaf_xml);
    EXPECT_NE((*answer)[i].leaf_xml.find((*answer)[i].id), std::string::npos)
        << (*answer)[i].leaf_xml;
  }
  EXPECT_EQ((*answer)[0].id, "urn:uuid:a");
  EXPECT_EQ((*answer)[1].id, "urn:uuid:c");
}

TEST_F(FindTest, IdsOnlyReturnsTheSameIdsAndNothingElse) {
  ObjectFilter f;
  f.patient_id = "p1";
  auto full = store_->Find(f);
  ASSERT_TRUE(full.ok());
  ASSERT_FALSE(full->empty());
  f.ids_only = true;
  auto ids = store_->Find(f);
  ASSERT_TRUE(ids.ok());
  ASSERT_EQ(ids->size(), full->size());
  for (size_t i = 0; i < ids->size(); ++i) {
    EXPECT_EQ((*ids)[i].id, (*full)[i].id);
    EXPECT_EQ((*ids)[i].kind, EntryKind::kDocumentEntry);
    EXPECT_TRUE((*ids)[i].patient_id.empty());
    EXPECT_TRUE((*ids)[i].leaf_xml.empty());
    EXPECT_TRUE((*ids)[i].codes.empty());
  }
}

TEST_F(FindTest, TimePrecision) {
  struct Row {
    TimeAttr attr;
    const char* from;
    const char* to;
    std::vector<std::string> expected;
  };
  const Row rows[] = {
      {TimeAttr::kCreation, "20040101", "20050101", {"urn:uuid:a"}},
      {TimeAttr::kCreation, "20041224", "20050101", {"urn:uuid:a"}},  // left edge inclusive
      {TimeAttr::kCreation, "20041124", "20041224", {}},              // right edge exclusive
      {TimeAttr::kCreation, "200412", "200501", {"urn:uuid:a"}},      // month precision
      {TimeAttr::kCreation, "2004", "2006", {"urn:uuid:a", "urn:uuid:b"}},
      {TimeAttr::kCreation, "", "2005", {"urn:uuid:a"}},
      {TimeAttr::kCreation, "200501011200", "", {"urn:uuid:b"}},
      {TimeAttr::kCreation, "20050101120001", "", {}},
      {TimeAttr::kCreation, "200401010934", "200501010856", {"urn:uuid:a"}},
      {TimeAttr::kServiceStart, "2004", "2005", {"urn:uuid:a"}},
      {TimeAttr::kServiceStart, "20040101000000", "20040101000001", {"urn:uuid:a"}},
      {TimeAttr::kServiceStart, "20040102", "", {}},
      {TimeAttr::kServiceStop, "1900", "", {}},  // absent attribute never matches
  };
  for (const Row& r : rows) {
    ObjectFilter f;
    f.patient_id = "p1";
    f.times = {{r.attr, r.from, r.to}};
    EXPECT_EQ(IdsOf(store_->Find(f)), r.expected) << r.from << " .. " << r.to;
  }
}

TEST_F(FindTest, Associations) {
  Put(Assoc("urn:uuid:as1", "urn:uuid:ss", "urn:uuid:a"));
  Put(Assoc("urn:uuid:as2", "urn:uuid:b", "urn:uuid:a", xds::kAssocRplc));
  Put(Assoc("urn:uuid:as3", "urn:uuid:ss", "urn:uuid:c"));
  AssociationFilter af;
  af.sources = {"urn:uuid:ss"};
  EXPECT_EQ(IdsOf(store_->FindAssociations(af)),
            (std::vector<std::string>{"urn:uuid:as1", "urn:uuid:as3"}));
  af.targets = {"urn:uuid:a"};
  EXPECT_EQ(IdsOf(store_->FindAssociations(af)), std::vector<std::string>{"urn:uuid:as1"});
  af.source_or_target = true;
  EXPECT_EQ(IdsOf(store_->FindAssociations(af)),
            (std::vector<std::string>{"urn:uuid:as1", "urn:uuid:as2", "urn:uuid:as3"}));
  af.types = {xds::kAssocRplc};
  EXPECT_EQ(IdsOf(store_->FindAssociations(af)), std::vector<std::string>{"urn:uuid:as2"});
  af.types = {};
  af.statuses = {xds::kStatusDeprecated};
  EXPECT_TRUE(IdsOf(store_->FindAssociations(af)).empty());
}

bool PlanUses(const std::vector<std::string>& plan, const std::string& needle) {
  for (const std::string& line : plan) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

std::string Join(const std::vector<std::string>& lines) {
  std::string s;
  for (const std::string& l : lines) s += l + "\n";
  return s;
}

// FindDocuments for one patient must be an index range scan, never a table scan, whatever
// residual filters it carries.
TEST_F(FindTest, QueryPlanFindDocumentsIsIndexRangeScan) {
  ObjectFilter f;
  f.patient_id = "p1";
  f.statuses = {xds::kStatusApproved, xds::kStatusDeprecated};
  f.object_types = {xds::kObjectTypeStableDocument};
  f.codes = {{CodeAttr::kClass, {{"C1", "S1"}}}, {CodeAttr::kEvent, {{"E1", "S"}}}};
  f.times = {{TimeAttr::kCreation, "2004", "2005"}};
  f.author_person_patterns = {"%Ford%"};
  f.reference_ids = {"R1"};
  auto plan = store_->ExplainFind(f);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::string text = Join(*plan);
  EXPECT_TRUE(PlanUses(*plan, "USING INDEX objects_patient (patient_id=? AND kind=? AND status=? "
                              "AND object_type=?)"))
      << text;
  EXPECT_TRUE(PlanUses(*plan, "SEARCH c USING PRIMARY KEY (seq=? AND attr=?")) << text;
  EXPECT_TRUE(
      PlanUses(*plan, "SEARCH t USING PRIMARY KEY (seq=? AND attr=? AND value>? AND value<?)"))
      << text;
  EXPECT_FALSE(PlanUses(*plan, "SCAN o")) << text;
  // Rows are put in order in memory, never whole rows through a temporary B-tree.
  EXPECT_FALSE(PlanUses(*plan, "TEMP B-TREE")) << text;
}

// An ObjectRef FindDocuments (ids only, no residual filter) reads the index alone.
TEST_F(FindTest, QueryPlanObjectRefFindDocumentsIsCovered) {
  ObjectFilter f;
  f.patient_id = "p1";
  f.statuses = {xds::kStatusApproved};
  f.object_types = {xds::kObjectTypeStableDocument, xds::kObjectTypeOnDemandDocument};
  f.ids_only = true;
  f.limit = 1001;
  auto plan = store_->ExplainFind(f);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(PlanUses(*plan, "USING COVERING INDEX objects_patient")) << Join(*plan);
}

// The authorization filter's submitters (docs/authorization.md) are index columns too: an
// ObjectRef FindDocuments of a requester without grants still reads the index alone (a store
// made before the submitter joined objects_patient reads each row instead: same answers).
TEST_F(FindTest, QueryPlanSubmitterRestrictionIsCovered) {
  for (const std::vector<std::string>& submitters :
       {std::vector<std::string>{"1.2.3"}, std::vector<std::string>{"1.2.3", "1.2.4"},
        std::vector<std::string>{"1.2.3", ""}}) {
    ObjectFilter f;
    f.patient_id = "p1";
    f.statuses = {xds::kStatusApproved};
    f.object_types = {xds::kObjectTypeStableDocument};
    f.submitters = submitters;
    f.ids_only = true;
    f.limit = 1001;
    auto plan = store_->ExplainFind(f);
    ASSERT_TRUE(plan.ok()) << plan.status().ToString();
    EXPECT_TRUE(PlanUses(*plan, "USING COVERING INDEX objects_patient")) << Join(*plan);
    // The submitters filter the rows of the seek, they are not seek keys: as keys SQLite
    // would build an ephemeral table of them at every run.
    EXPECT_FALSE(PlanUses(*plan, "submitter=?")) << Join(*plan);
  }
}

// A LeafClass FindDocuments without residual filters reads the covering index and, per
// entry, its fragment by primary key in the patient's cluster (no objects row, no scan).
TEST_F(FindTest, QueryPlanLeafClassFindDocumentsReadsFragmentsByClusterKey) {
  ObjectFilter f;
  f.patient_id = "p1";
  f.statuses = {xds::kStatusApproved};
  f.object_types = {xds::kObjectTypeStableDocument, xds::kObjectTypeOnDemandDocument};
  f.answer_only = true;
  auto plan = store_->ExplainFind(f);
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(PlanUses(*plan, "USING COVERING INDEX objects_patient")) << Join(*plan);
  EXPECT_TRUE(PlanUses(*plan, "SEARCH l USING PRIMARY KEY (cluster=? AND kind=? AND seq=?)"))
      << Join(*plan);
  EXPECT_FALSE(PlanUses(*plan, "SCAN")) << Join(*plan);
}

TEST_F(FindTest, QueryPlanGetPathsUseTheirIndexes) {
  ObjectFilter by_uid;
  by_uid.unique_ids = {"1.2"};
  EXPECT_TRUE(PlanUses(*store_->ExplainFind(by_uid), "objects_unique"))
      << Join(*store_->ExplainFind(by_uid));
  ObjectFilter by_id;
  by_id.ids = {"urn:uuid:a"};
  EXPECT_TRUE(PlanUses(*store_->ExplainFind(by_id), "sqlite_autoindex_objects_1"))
      << Join(*store_->ExplainFind(by_id));
  ObjectFilter by_lid;
  by_lid.lids = {"urn:uuid:a"};
  by_lid.latest_version_only = true;
  EXPECT_FALSE(PlanUses(*store_->ExplainFind(by_lid), "SCAN"))
      << Join(*store_->ExplainFind(by_lid));
  AssociationFilter af;
  af.sources = {"x"};
  af.targets = {"x"};
  af.source_or_target = true;
  auto plan = store_->ExplainFindAssociations(af);
  EXPECT_TRUE(PlanUses(*plan, "objects_source")) << Join(*plan);
  EXPECT_TRUE(PlanUses(*plan, "objects_target")) << Join(*plan);
}

}  // namespace
}  // namespace renkei::registry
