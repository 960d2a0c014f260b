#include "profiles/region_document_kinds.h"

#include <gtest/gtest.h>

#include "profiles/code_sets.h"
#include "xds/xds_constants.h"

namespace renkei::profiles {
namespace {

// Every code a regional document kind carries is in the region's own code sets, so the demo
// and the benchmarks register what `renkei centre` accepts with code checking on.
TEST(RegionDocumentKindsTest, EveryCodeIsInTheRegionCodeSets) {
  auto codes = CodeSets::Load({std::string(RENKEI_PROFILES_DATA_DIR) + "/region-codes.json"});
  ASSERT_TRUE(codes.ok()) << codes.status().ToString();
  ASSERT_EQ(RegionDocumentKinds().size(), 6u);
  auto known = [&](const char* scheme, const xds::Code& c) {
    return codes->IsKnownCode(scheme, c.code, c.scheme);
  };
  for (const DocumentKind& k : RegionDocumentKinds()) {
    EXPECT_TRUE(known(xds::kDocEntryClassCode, k.class_code)) << k.title;
    EXPECT_TRUE(known(xds::kSubmissionSetContentTypeCode, k.class_code)) << k.title;
    EXPECT_TRUE(known(xds::kDocEntryTypeCode, k.type_code)) << k.title;
    EXPECT_TRUE(known(xds::kDocEntryFormatCode, k.format_code)) << k.title;
    EXPECT_TRUE(known(xds::kDocEntryPracticeSettingCode, k.practice_setting_code)) << k.title;
  }
  EXPECT_TRUE(known(xds::kDocEntryConfidentialityCode, RegionConfidentialityNormal()));
  EXPECT_TRUE(known(xds::kDocEntryHealthcareFacilityTypeCode, RegionHospitalFacilityType()));
  // And the check can fail: a code outside the set is not known.
  EXPECT_FALSE(known(xds::kDocEntryClassCode, {"NoSuchClass", "1.2.3", ""}));
}

}  // namespace
}  // namespace renkei::profiles
