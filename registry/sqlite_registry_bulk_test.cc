// SqliteRegistryStore bulk loading: DropIndexes / BuildIndexes, and an interrupted load.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <string>
#include <vector>

#include "registry/sqlite_registry_store.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

StoredObject Entry(int i, const std::string& patient) {
  StoredObject o;
  o.kind = EntryKind::kDocumentEntry;
  o.id = "urn:uuid:bulk-" + std::to_string(i);
  o.lid = o.id;
  o.status = xds::kStatusApproved;
  o.object_type = xds::kObjectTypeStableDocument;
  o.unique_id = "1.2.3.4." + std::to_string(i);
  o.patient_id = patient;
  o.leaf_xml = "<rim:ExtrinsicObject id=\"" + o.id + "\"/>";
  return o;
}

ObjectFilter PatientFilter(const std::string& patient) {
  ObjectFilter f;
  f.patient_id = patient;
  f.statuses = {xds::kStatusApproved};
  f.object_types = {xds::kObjectTypeStableDocument};
  return f;
}

bool PlanMentions(SqliteRegistryStore& store, const ObjectFilter& f, const std::string& what) {
  auto plan = store.ExplainFind(f);
  EXPECT_TRUE(plan.ok()) << plan.status().ToString();
  if (!plan.ok()) return false;
  for (const std::string& line : *plan) {
    if (line.find(what) != std::string::npos) return true;
  }
  return false;
}

// The ebRIM fragments a LeafClass Find answers, in answer order.
std::vector<std::string> Leaves(SqliteRegistryStore& store, ObjectFilter f) {
  f.with_leaf_xml = true;
  auto r = store.Find(f);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> leaves;
  if (r.ok()) {
    for (const StoredObject& o : *r) leaves.push_back(o.leaf_xml);
  }
  return leaves;
}

std::vector<std::string> ExpectedLeaves(const std::vector<int>& entries) {
  std::vector<std::string> out;
  for (int i : entries) out.push_back(Entry(i, "").leaf_xml);
  return out;
}

std::vector<std::string> Ids(SqliteRegistryStore& store, const ObjectFilter& f) {
  auto r = store.Find(f);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  std::vector<std::string> ids;
  if (r.ok()) {
    for (const StoredObject& o : *r) ids.push_back(o.id);
  }
  return ids;
}

class BulkLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("renkei-bulk-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "registry.sqlite").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::unique_ptr<SqliteRegistryStore> Open() {
    auto s = SqliteRegistryStore::Open(path_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s.value()) : nullptr;
  }
  static void PutRange(SqliteRegistryStore& store, int from, int to) {
    Status st = store.Apply([&](RegistryTransaction& tx) {
      for (int i = from; i < to; ++i) {
        RENKEI_RETURN_IF_ERROR(tx.Put(Entry(i, i % 2 ? "odd" : "even")));
      }
      return Status::Ok();
    });
    ASSERT_TRUE(st.ok()) << st.ToString();
  }
  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(BulkLoadTest, AnswersStayTheSameWithoutIndexesAndAfterTheyAreBuilt) {
  auto store = Open();
  ASSERT_TRUE(store);
  PutRange(*store, 0, 10);
  const std::vector<std::string> before = Ids(*store, PatientFilter("odd"));
  ASSERT_EQ(before.size(), 5u);

  ASSERT_TRUE(store->DropIndexes().ok());
  EXPECT_FALSE(PlanMentions(*store, PatientFilter("odd"), "objects_patient"));
  PutRange(*store, 10, 20);
  std::vector<std::string> without = Ids(*store, PatientFilter("odd"));
  EXPECT_EQ(without.size(), 10u);
  EXPECT_FALSE(PlanMentions(*store, PatientFilter("odd"), "objects_patient"));
  // Uniqueness of entryUUIDs does not depend on the secondary indexes.
  Status dup = store->Apply([&](RegistryTransaction& tx) { return tx.Put(Entry(3, "odd")); });
  EXPECT_FALSE(dup.ok());

  ASSERT_TRUE(store->BuildIndexes().ok());
  EXPECT_TRUE(PlanMentions(*store, PatientFilter("odd"), "INDEX objects_patient"));
  EXPECT_EQ(Ids(*store, PatientFilter("odd")), without);
  ObjectFilter by_unique;
  by_unique.unique_ids = {"1.2.3.4.17"};
  EXPECT_EQ(Ids(*store, by_unique), std::vector<std::string>{"urn:uuid:bulk-17"});
}

// Fragments put during a load are staged beside the store and reach their patients'
// clusters in BuildIndexes; fragments put before stay where they were.
TEST_F(BulkLoadTest, FragmentsStagedDuringALoadAreAnsweredAfterBuildIndexes) {
  auto store = Open();
  ASSERT_TRUE(store);
  PutRange(*store, 0, 4);
  ASSERT_TRUE(store->DropIndexes().ok());
  PutRange(*store, 4, 10);
  EXPECT_TRUE(std::filesystem::exists(path_ + "-bulk"));
  ASSERT_TRUE(store->BuildIndexes().ok());
  EXPECT_FALSE(std::filesystem::exists(path_ + "-bulk"));
  EXPECT_EQ(Leaves(*store, PatientFilter("odd")), ExpectedLeaves({1, 3, 5, 7, 9}));
  EXPECT_EQ(Leaves(*store, PatientFilter("even")), ExpectedLeaves({0, 2, 4, 6, 8}));
  auto got = store->Get("urn:uuid:bulk-7");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->leaf_xml, Entry(7, "").leaf_xml);
  // After the load, fragments go straight to their clusters again.
  PutRange(*store, 10, 12);
  EXPECT_FALSE(std::filesystem::exists(path_ + "-bulk"));
  EXPECT_EQ(Leaves(*store, PatientFilter("odd")), ExpectedLeaves({1, 3, 5, 7, 9, 11}));
}

// A load that stops between DropIndexes and BuildIndexes leaves a store whose next opening
// builds the indexes again and merges the staged fragments.
TEST_F(BulkLoadTest, ReopeningAfterAnInterruptedLoadBuildsTheIndexes) {
  {
    auto store = Open();
    ASSERT_TRUE(store);
    ASSERT_TRUE(store->DropIndexes().ok());
    PutRange(*store, 0, 6);
  }
  auto store = Open();
  ASSERT_TRUE(store);
  EXPECT_TRUE(PlanMentions(*store, PatientFilter("even"), "objects_patient"));
  EXPECT_EQ(Ids(*store, PatientFilter("even")).size(), 3u);
  EXPECT_EQ(Leaves(*store, PatientFilter("even")), ExpectedLeaves({0, 2, 4}));
  EXPECT_FALSE(std::filesystem::exists(path_ + "-bulk"));
}

}  // namespace
}  // namespace renkei::registry
