#include "pix/regional_patient_ids.h"

#include <gtest/gtest.h>

#include "pix/sqlite_identity_store.h"

namespace renkei::pix {
namespace {

constexpr char kRegion[] = "1.2.392.200119.6.1";
constexpr char kHosp[] = "1.2.392.100495.20.3.51.11310000001";

TEST(RegionalPatientIdsTest, LiveRegionalIdsAreKnownRetiredOnesAndOthersAreNot) {
  SqliteIdentityStore::Options o;
  o.regional_oid = kRegion;
  auto store = std::move(SqliteIdentityStore::Open(":memory:", o).value());
  PatientFeed a;
  a.identifiers = {Cx{"1", "", kHosp, ""}};
  PatientFeed b;
  b.identifiers = {Cx{"2", "", kHosp, ""}};
  const std::string ra = store->Feed(a)->regional_id;
  const std::string rb = store->Feed(b)->regional_id;
  ConfiguredPatientIds listed({"X^^^&9.9&ISO"});
  RegionalPatientIds ids(*store, &listed);
  EXPECT_TRUE(ids.IsKnown(ra + "^^^&" + kRegion + "&ISO"));
  EXPECT_TRUE(ids.IsKnown(rb + "^^^&" + kRegion + "&ISO"));
  EXPECT_FALSE(ids.IsKnown("R0000000099^^^&" + std::string(kRegion) + "&ISO"));
  // A local id is not an XDS patientId of the affinity domain.
  EXPECT_FALSE(ids.IsKnown(std::string("1^^^&") + kHosp + "&ISO"));
  EXPECT_TRUE(ids.IsKnown("X^^^&9.9&ISO"));  // the configured list
  EXPECT_FALSE(ids.IsKnown("garbage"));
  // After a merge the merged regional ID is no longer a patient of the registry.
  PatientFeed m = a;
  m.event = "A40";
  m.merged = b.identifiers;
  ASSERT_TRUE(store->Merge(m).ok());
  EXPECT_FALSE(ids.IsKnown(rb + "^^^&" + kRegion + "&ISO"));
  EXPECT_TRUE(ids.IsKnown(ra + "^^^&" + kRegion + "&ISO"));
}

TEST(RegionalPatientIdsTest, SplitsTheXdsForm) {
  std::string id, oid;
  EXPECT_TRUE(SplitXdsPatientId("R1^^^&1.2.3&ISO", &id, &oid));
  EXPECT_EQ(id, "R1");
  EXPECT_EQ(oid, "1.2.3");
  EXPECT_FALSE(SplitXdsPatientId("R1^^^NS", &id, &oid));
  EXPECT_FALSE(SplitXdsPatientId("^^^&1.2&ISO", &id, &oid));
  EXPECT_FALSE(SplitXdsPatientId("R1^^^&1.2&XYZ", &id, &oid));
}

}  // namespace
}  // namespace renkei::pix
