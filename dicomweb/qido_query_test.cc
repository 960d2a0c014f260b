// QIDO-RS parameters (qido_query.h).
#include "dicomweb/qido_query.h"

#include <gtest/gtest.h>

namespace renkei::dicomweb {
namespace {

Result<QidoQuery> Parse(std::vector<std::pair<std::string, std::string>> params,
                        Level level = Level::kStudy) {
  QidoQuery q;
  q.level = level;
  std::vector<std::string> ignored;
  RENKEI_RETURN_IF_ERROR(ParseQidoParams(params, &q, &ignored));
  return q;
}

TEST(QidoQueryTest, MatchKinds) {
  auto q = Parse({{"PatientID", "P1"},
                  {"StudyDate", "20260101-20261231"},
                  {"PatientName", "Yama*"},
                  {"StudyInstanceUID", "1.2.3,1.2.4"},
                  {"00080061", "CT"},
                  {"limit", "10"},
                  {"offset", "5"},
                  {"fuzzymatching", "true"}});
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->matches.size(), 5u);
  EXPECT_EQ(q->matches[0].kind, MatchKind::kSingle);
  EXPECT_EQ(q->matches[1].kind, MatchKind::kRange);
  EXPECT_EQ(q->matches[1].from, "20260101");
  EXPECT_EQ(q->matches[1].to, "20261231");
  EXPECT_EQ(q->matches[2].kind, MatchKind::kWildcard);
  EXPECT_EQ(q->matches[3].kind, MatchKind::kValueList);
  EXPECT_EQ(q->matches[3].values.size(), 2u);
  EXPECT_STREQ(q->matches[4].attr->keyword, "ModalitiesInStudy");
  EXPECT_EQ(q->limit, 10);
  EXPECT_EQ(q->offset, 5);
  EXPECT_TRUE(q->fuzzy);
}

TEST(QidoQueryTest, OpenRangesAndIncludeFields) {
  QidoQuery q;
  std::vector<std::string> ignored;
  ASSERT_TRUE(ParseQidoParams({{"StudyDate", "-20261231"},
                               {"includefield", "00081030,all,PatientWeight"}},
                              &q, &ignored)
                  .ok());
  EXPECT_EQ(q.matches[0].from, "");
  EXPECT_TRUE(q.include_all);
  ASSERT_EQ(q.includes.size(), 1u);
  EXPECT_EQ(ignored, std::vector<std::string>{"PatientWeight"});
}

TEST(QidoQueryTest, BadParametersAreNamed) {
  for (const auto& [name, value] :
       std::vector<std::pair<std::string, std::string>>{{"limit", "-1"},
                                                        {"offset", "x"},
                                                        {"NoSuchAttribute", "1"},
                                                        {"StudyDate", "2026-01-01"},
                                                        {"StudyInstanceUID", "1.2.x"},
                                                        {"fuzzymatching", "yes"},
                                                        {"NumberOfStudyRelatedSeries", "3"}}) {
    auto q = Parse({{name, value}});
    ASSERT_FALSE(q.ok()) << name;
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(q.status().message().find(name), std::string::npos) << q.status().message();
  }
  // A series attribute is not matched in a study search.
  EXPECT_FALSE(Parse({{"Modality", "CT"}}).ok());
  EXPECT_TRUE(Parse({{"Modality", "CT"}}, Level::kSeries).ok());
}

TEST(QidoQueryTest, Wildcards) {
  EXPECT_TRUE(WildcardMatch("Yama*", "Yamada^Taro"));
  EXPECT_TRUE(WildcardMatch("*Taro", "Yamada^Taro"));
  EXPECT_TRUE(WildcardMatch("Y?mada*", "Yamada^Taro"));
  EXPECT_TRUE(WildcardMatch("*", ""));
  EXPECT_FALSE(WildcardMatch("Yama?", "Yamada"));
  EXPECT_FALSE(WildcardMatch("Suzuki*", "Yamada^Taro"));
}

}  // namespace
}  // namespace renkei::dicomweb
