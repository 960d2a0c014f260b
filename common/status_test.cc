#include "common/status.h"

#include <gtest/gtest.h>

namespace renkei {
namespace {

TEST(StatusTest, OkIsCheapAndEmpty) {
  Status s;
  EXPECT_TRUE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kOk);
  EXPECT_EQ(s.detail(), "");
  EXPECT_EQ(s.ToString(), "OK");
}

TEST(StatusTest, CarriesDetailMessageLocation) {
  Status s = Status::InvalidArgument("XDSRegistryMetadataError", "size is not a number", "Doc1");
  EXPECT_FALSE(s.ok());
  EXPECT_TRUE(s.IsInvalidArgument());
  EXPECT_EQ(s.detail(), "XDSRegistryMetadataError");
  EXPECT_EQ(s.ToString(), "InvalidArgument XDSRegistryMetadataError: size is not a number (at Doc1)");
}

TEST(ResultTest, ValueOrStatus) {
  Result<int> good(7);
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  Result<int> bad(Status::NotFound("", "no such thing"));
  EXPECT_FALSE(bad.ok());
  EXPECT_TRUE(bad.status().IsNotFound());
}

}  // namespace
}  // namespace renkei
