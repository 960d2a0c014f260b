// ITI TF-3 4.2.3.1.7 DTM: table of valid and invalid values.
#include "xds/dtm.h"

#include <gtest/gtest.h>

namespace renkei::xds {
namespace {

struct DtmCase {
  const char* text;
  bool valid;
};

class DtmTest : public ::testing::TestWithParam<DtmCase> {};

TEST_P(DtmTest, Validity) {
  const DtmCase& c = GetParam();
  EXPECT_EQ(IsValidDtm(c.text), c.valid) << c.text;
  EXPECT_EQ(DtmProblem(c.text).empty(), c.valid) << c.text;
}

INSTANTIATE_TEST_SUITE_P(
    Table, DtmTest,
    ::testing::Values(DtmCase{"2004", true}, DtmCase{"200412", true},
                      DtmCase{"20041224", true}, DtmCase{"2004122423", true},
                      DtmCase{"200412242359", true}, DtmCase{"20041224235959", true},
                      DtmCase{"20000229", true},   // leap year (divisible by 400)
                      DtmCase{"20240229", true},   // leap year
                      DtmCase{"19000229", false},  // not a leap year (divisible by 100)
                      DtmCase{"20230229", false}, DtmCase{"20041131", false},
                      DtmCase{"20041301", false}, DtmCase{"20040001", false},
                      DtmCase{"20041200", false}, DtmCase{"2004122424", false},
                      DtmCase{"200412242360", false}, DtmCase{"20041224235960", false},
                      DtmCase{"", false}, DtmCase{"200", false}, DtmCase{"20041", false},
                      DtmCase{"2004122", false}, DtmCase{"200412242359591", false},
                      DtmCase{"2004-12-24", false}, DtmCase{"20041224T1200", false},
                      DtmCase{"20041224235959Z", false}, DtmCase{"2004122423595+", false},
                      DtmCase{"200412242359.5", false}));

TEST(DtmParseTest, FillsFieldsUpToPrecision) {
  Dtm d;
  ASSERT_TRUE(ParseDtm("200412242359", &d));
  EXPECT_EQ(d.year, 2004);
  EXPECT_EQ(d.month, 12);
  EXPECT_EQ(d.day, 24);
  EXPECT_EQ(d.hour, 23);
  EXPECT_EQ(d.minute, 59);
  EXPECT_EQ(d.second, 0);
  EXPECT_EQ(d.digits, 12);
  ASSERT_TRUE(ParseDtm("2004", &d));
  EXPECT_EQ(d.month, 1);
  EXPECT_EQ(d.day, 1);
  EXPECT_EQ(d.digits, 4);
}

}  // namespace
}  // namespace renkei::xds
