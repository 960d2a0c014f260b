#include "xds/xds_errors.h"

#include <gtest/gtest.h>

namespace renkei::xds {
namespace {

TEST(XdsErrorsTest, EveryRowRoundTrips) {
  const XdsError all[] = {
#define X(name, wire, code) XdsError::k##name,
#include "xds/xds_errors.def"
#undef X
  };
  for (XdsError e : all) {
    XdsError back;
    ASSERT_TRUE(ParseXdsErrorCode(XdsErrorCode(e), &back)) << XdsErrorCode(e);
    EXPECT_EQ(back, e);
  }
  XdsError unused;
  EXPECT_FALSE(ParseXdsErrorCode("XDSNoSuchError", &unused));
}

TEST(XdsErrorsTest, StatusCarriesWireCode) {
  Status s = XdsStatus(XdsError::kStoredQueryMissingParam, "$XDSDocumentEntryStatus missing");
  RegistryError e = ToRegistryError(s);
  EXPECT_EQ(e.error_code, "XDSStoredQueryMissingParam");
  EXPECT_EQ(e.code_context, "$XDSDocumentEntryStatus missing");
}

}  // namespace
}  // namespace renkei::xds
