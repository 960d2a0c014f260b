// Directory and disclosure policy (issue 5): UTC instants.
#include "directory/instant.h"

#include <gtest/gtest.h>

namespace renkei::directory {
namespace {

struct Case {
  const char* text;
  const char* want;  // nullptr: refused
};

TEST(InstantTest, ParseTable) {
  const Case kCases[] = {
      {"20261126063000", "20261126063000"},
      {"2026-11-26", "20261126000000"},
      {"2026-11-26T06:30:00Z", "20261126063000"},
      {"2026-11-26T06:30:00.123Z", "20261126063000"},
      {"2026-11-26T15:30:00+09:00", "20261126063000"},
      {"2026-11-26T01:00:00+09:00", "20261125160000"},  // crosses midnight backwards
      {"2026-12-31T20:00:00-05:00", "20270101010000"},  // crosses the year
      {"2024-02-29", "20240229000000"},
      {"2026-02-29", nullptr},  // not a leap year
      {"2026-13-01", nullptr},
      {"2026-11-26T06:30:00", nullptr},  // a time needs a zone
      {"2026-11-26T24:00:00Z", nullptr},
      {"2026-11-26T06:30Z", nullptr},
      {"2026-11-26T06:30:00.Z", nullptr},
      {"20261126", nullptr},
      {"2026112606300a", nullptr},
      {"", nullptr},
      {"yesterday", nullptr},
  };
  for (const Case& c : kCases) {
    Result<std::string> r = ParseInstant(c.text);
    if (c.want == nullptr) {
      EXPECT_FALSE(r.ok()) << c.text;
    } else {
      ASSERT_TRUE(r.ok()) << c.text << ": " << r.status().ToString();
      EXPECT_EQ(*r, c.want) << c.text;
    }
  }
}

TEST(InstantTest, IsoAndArithmetic) {
  EXPECT_EQ(IsoOfInstant("20261126063000"), "2026-11-26T06:30:00Z");
  EXPECT_EQ(IsoOfInstant("garbage"), "garbage");
  EXPECT_EQ(AddSeconds("20261126234500", 30 * 60), "20261127001500");
  EXPECT_EQ(AddSeconds("20261126063000", -60), "20261126062900");
  const std::string now = NowInstant();
  ASSERT_EQ(now.size(), 14u);
  EXPECT_TRUE(ParseInstant(now).ok());
}

}  // namespace
}  // namespace renkei::directory
