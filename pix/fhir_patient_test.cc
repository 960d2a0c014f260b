// ITI-104 with the IHE PIXm example Patients (../shared/conformance/mhd/ihe-pixm-examples).
#include "pix/fhir_patient.h"

#include <gtest/gtest.h>

#include "pix/internal_test_corpus.h"
#include "pix/sqlite_identity_store.h"

namespace renkei::pix {
namespace {

constexpr char kRed[] = "1.3.6.1.4.1.21367.13.20.1000";

std::string Example(const std::string& name) {
  std::string s = testing::PixCorpusFile("../mhd/ihe-pixm-examples/" + name);
  EXPECT_FALSE(s.empty()) << name;
  return s;
}

PatientFeed Decode(const std::string& json) {
  auto f = PatientFeedFromJson(json);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? *f : PatientFeed();
}

TEST(FhirPatientTest, IhePixmExamplesDecode) {
  PatientFeed all = Decode(Example("Patient-MohrAlice.json"));
  EXPECT_EQ(all.identifiers.size(), 3u);
  EXPECT_TRUE(all.merged.empty());
  PatientFeed red = Decode(Example("Patient-MohrAlice-Red.json"));
  ASSERT_EQ(red.identifiers.size(), 1u);
  EXPECT_EQ(red.identifiers[0], (Cx{"IHERED-994", "", kRed, ""}));
  ASSERT_EQ(red.names.size(), 1u);
  EXPECT_EQ(red.names[0].family, "MOHR");
  EXPECT_EQ(red.names[0].given, "ALICE");
  EXPECT_EQ(red.sex, "F");
  EXPECT_EQ(red.birth_date, "19580130");
  // The merge representation: inactive, replaced-by the surviving identifier.
  PatientFeed merge = Decode(Example("Patient-MohrMaidenResolvedByMohrMalice-Red.json"));
  EXPECT_EQ(merge.event, "A40");
  EXPECT_EQ(merge.identifiers, (std::vector<Cx>{{"IHERED-994", "", kRed, ""}}));
  EXPECT_EQ(merge.merged, (std::vector<Cx>{{"IHERED-m94", "", kRed, ""}}));
}

TEST(FhirPatientTest, MergeLeavesOnePersonAndDeleteUnlinks) {
  SqliteIdentityStore::Options o;
  o.regional_oid = "1.2.392.200119.6.1";
  auto store = std::move(SqliteIdentityStore::Open(":memory:", o).value());
  const std::string alice = store->Feed(Decode(Example("Patient-MohrAlice.json")))->regional_id;
  const std::string maiden = store->Feed(Decode(Example("Patient-MaidenAlice-Red.json")))->regional_id;
  ASSERT_NE(alice, maiden);
  ASSERT_TRUE(store->Merge(Decode(Example("Patient-MohrMaidenResolvedByMohrMalice-Red.json"))).ok());
  EXPECT_EQ(store->Find(Cx{"IHERED-m94", "", kRed, ""})->regional_id, alice);
  PatientSearch mohr;
  mohr.family = "MOHR";
  EXPECT_EQ(store->Search(mohr)->patients.size(), 1u) << "never a second person";

  ASSERT_TRUE(store->Unlink(Cx{"IHERED-994", "", kRed, ""}).ok());
  EXPECT_FALSE(store->Find(Cx{"IHERED-994", "", kRed, ""}).ok());
  EXPECT_EQ(store->Unlink(Cx{"IHERED-994", "", kRed, ""}).code(), StatusCode::kNotFound);
  EXPECT_EQ(store->Unlink(Cx{alice, "", o.regional_oid, ""}).code(), StatusCode::kInvalidArgument);
}

TEST(FhirPatientTest, BadResources) {
  EXPECT_FALSE(PatientFeedFromJson("{").ok());
  EXPECT_FALSE(PatientFeedFromJson(R"({"resourceType":"Practitioner"})").ok());
  EXPECT_FALSE(PatientFeedFromJson(R"({"resourceType":"Patient"})").ok());  // no identifier
  auto not_oid = PatientFeedFromJson(
      R"({"resourceType":"Patient","identifier":[{"system":"http://x.org","value":"1"}]})");
  ASSERT_FALSE(not_oid.ok());
  EXPECT_EQ(not_oid.status().detail(), "code-invalid");
  EXPECT_FALSE(PatientFeedFromJson(
      R"({"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2","value":"1"}],"gender":"M"})").ok());
  EXPECT_FALSE(PatientFeedFromJson(
      R"({"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2","value":"1"}],"birthDate":"1/2/1960"})").ok());
}

}  // namespace
}  // namespace renkei::pix
