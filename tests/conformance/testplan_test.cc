// NIST testplan.xml reader: section order, flags, linkage and fixture dependencies.
#include "tests/conformance/testplan.h"

#include <algorithm>

#include <gtest/gtest.h>

#include "tests/conformance/test_paths.h"

namespace renkei::conformance {
namespace {

std::filesystem::path Xds() { return std::filesystem::path(CorpusDir()) / "xds"; }

TEST(TestPlan, NistIds) {
  EXPECT_EQ(NistIdOf("11990_single-docentry"), "11990");
  EXPECT_EQ(NistIdOf("15817b_pif-alt-patient"), "15817b");
  EXPECT_EQ(NistIdOf("ids_2018-4811_rad69-exception-cases"), "ids_2018-4811");
  EXPECT_EQ(NistIdOf("12346"), "12346");
}

TEST(TestPlan, ResolvesTestDirsInNistLayout) {
  using P = std::pair<std::string, std::string>;
  EXPECT_EQ(ResolveTestDir("11990", "eval", "../submit"), P("11990", "submit"));
  EXPECT_EQ(ResolveTestDir("11897", "approved", "../../12346/single_doc"), P("12346", "single_doc"));
  EXPECT_EQ(ResolveTestDir("123", "", "../12346/single_doc"), P("12346", "single_doc"));
  EXPECT_EQ(ResolveTestDir("12021", "retrieve", "submit"), P("12021", "submit"));
}

TEST(TestPlan, LoadsSectionsInIndexOrderWithDependencies) {
  Result<TestDefinition> def = LoadTestDefinition(Xds() / "fixtures/12346_sq-testdata-preload", "fixtures");
  ASSERT_TRUE(def.ok()) << def.status().ToString();
  EXPECT_EQ(def->nist_id, "12346");
  std::vector<std::string> names;
  for (const Section& s : def->sections) names.push_back(s.name);
  EXPECT_EQ(names, (std::vector<std::string>{"single_doc", "doc_w_fol", "two_doc_w_fol",
                                             "doc_for_rplc", "rplc"}));
  EXPECT_EQ(def->dependencies, std::vector<std::string>{"15818"});
  const TestStep& rplc = def->sections[4].steps[0];
  EXPECT_EQ(rplc.transaction, "RegisterTransaction");
  EXPECT_TRUE(rplc.assign_uuids);
  EXPECT_TRUE(rplc.xdsb);
  ASSERT_EQ(rplc.use_ids.size(), 1u);
  EXPECT_EQ(rplc.use_ids[0].testdir, "../doc_for_rplc");
  EXPECT_EQ(rplc.use_ids[0].section, "AssignedUuids");
  EXPECT_EQ(rplc.use_ids[0].symbol, "$rplc_doc_uuid$");
}

TEST(TestPlan, ReadsExpectationsAndAsserts) {
  Result<TestDefinition> def = LoadTestDefinition(Xds() / "update/15800_de-update", "update");
  ASSERT_TRUE(def.ok());
  EXPECT_EQ(def->dependencies, std::vector<std::string>{"15817"});
  const TestStep& update = def->sections[1].steps[0];
  EXPECT_EQ(update.transaction, "MuTransaction");
  EXPECT_EQ(update.no_assign_uid_ids, std::vector<std::string>{"Document01"});
  EXPECT_FALSE(update.no_assign_uids);
  ASSERT_EQ(update.reports.size(), 1u);
  EXPECT_EQ(update.reports[0].section, "InputMetadata");
  const Section& q = def->sections[2];
  ASSERT_EQ(q.steps.size(), 2u);
  ASSERT_EQ(q.steps[0].expected_contents.size(), 1u);
  EXPECT_EQ(q.steps[0].expected_contents[0].name, "Documents");
  EXPECT_EQ(q.steps[0].expected_contents[0].count, 2);
  EXPECT_TRUE(q.steps[0].uninterpreted.empty());
  EXPECT_EQ(q.steps[1].transaction, "NullTransaction");
  EXPECT_EQ(q.steps[1].asserts.size(), 9u);
  EXPECT_FALSE(q.steps[1].expected_status.has_value());
}

TEST(TestPlan, MissingSectionIsAnError) {
  EXPECT_FALSE(LoadTestDefinition("/nonexistent/dir/1_x", "register").ok());
}

}  // namespace
}  // namespace renkei::conformance
