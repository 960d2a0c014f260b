// ITI-83 PIXm with the IHE PIXm examples (../shared/conformance/mhd/ihe-pixm-examples):
// Alice Mohr's RED, GREEN and BLUE Connectathon identifiers.
#include "pix/pixm.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <set>

#include "pix/sqlite_identity_store.h"

namespace renkei::pix {
namespace {

constexpr char kRegion[] = "1.2.392.200119.6.1";
constexpr char kRed[] = "1.3.6.1.4.1.21367.13.20.1000";
constexpr char kGreen[] = "1.3.6.1.4.1.21367.13.20.2000";
constexpr char kBlue[] = "1.3.6.1.4.1.21367.13.20.3000";

class PixmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteIdentityStore::Options o;
    o.regional_oid = kRegion;
    store_ = std::move(SqliteIdentityStore::Open(":memory:", o).value());
    PatientFeed alice;  // Patient-MohrAlice.json's identifiers
    alice.identifiers = {{"IHEBLUE-994", "", kBlue, ""}, {"IHEGREEN-994", "", kGreen, ""},
                         {"IHERED-994", "", kRed, ""}};
    regional_ = store_->Feed(alice)->regional_id;
  }
  FhirAnswer Get(std::vector<std::pair<std::string, std::string>> params) {
    auto q = PixmQueryFromParams(params);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return AnswerPixm(*store_, *q);
  }
  // targetIdentifier values as "system|value", and the targetId references.
  static std::set<std::string> Targets(const FhirAnswer& a, std::set<std::string>* refs = nullptr) {
    rapidjson::Document d;
    d.Parse(a.json.c_str());
    EXPECT_TRUE(d.IsObject());
    EXPECT_STREQ(d["resourceType"].GetString(), "Parameters");
    std::set<std::string> out;
    if (!d.HasMember("parameter")) return out;
    EXPECT_GT(d["parameter"].Size(), 0u);
    for (const auto& p : d["parameter"].GetArray()) {
      const std::string name = p["name"].GetString();
      if (name == "targetIdentifier") {
        out.insert(std::string(p["valueIdentifier"]["system"].GetString()) + "|" +
                   p["valueIdentifier"]["value"].GetString());
      } else if (name == "targetId" && refs) {
        refs->insert(p["valueReference"]["reference"].GetString());
      }
    }
    return out;
  }
  static std::string IssueCode(const FhirAnswer& a) {
    rapidjson::Document d;
    d.Parse(a.json.c_str());
    return d["issue"][0]["code"].GetString();
  }
  std::unique_ptr<SqliteIdentityStore> store_;
  std::string regional_;
};

// pixm-request-mohralice-red-all: every other domain, never the source identifier.
TEST_F(PixmTest, RedToAll) {
  FhirAnswer a = Get({{"sourceIdentifier", std::string("urn:oid:") + kRed + "|IHERED-994"}});
  ASSERT_EQ(a.status, 200) << a.json;
  std::set<std::string> refs;
  EXPECT_EQ(Targets(a, &refs),
            (std::set<std::string>{std::string("urn:oid:") + kBlue + "|IHEBLUE-994",
                                   std::string("urn:oid:") + kGreen + "|IHEGREEN-994",
                                   std::string("urn:oid:") + kRegion + "|" + regional_}));
  EXPECT_EQ(refs, std::set<std::string>{"Patient/" + regional_});
}

// pixm-request-mohralice-red-to-blue (as a POST Parameters, valueString / repeated targets).
TEST_F(PixmTest, RedToBlueAndGreenByPost) {
  auto q = PixmQueryFromJson(std::string(R"({"resourceType":"Parameters","parameter":[
      {"name":"sourceIdentifier","valueString":"urn:oid:)") + kRed + R"(|IHERED-994"},
      {"name":"targetSystem","valueString":"urn:oid:)" + kBlue + R"("},
      {"name":"targetSystem","valueUri":"urn:oid:)" + kGreen + R"("},
      {"name":"_format","valueString":"application/fhir+json"}]})");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  FhirAnswer a = AnswerPixm(*store_, *q);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(Targets(a), (std::set<std::string>{std::string("urn:oid:") + kBlue + "|IHEBLUE-994",
                                               std::string("urn:oid:") + kGreen + "|IHEGREEN-994"}));
  // The Swiss form: valueIdentifier and comma-separated targets in one GET parameter.
  auto ch = PixmQueryFromJson(std::string(R"({"resourceType":"Parameters","parameter":[
      {"name":"sourceIdentifier","valueIdentifier":{"system":"urn:oid:)") + kBlue +
                              R"(","value":"IHEBLUE-994"}}]})");
  ASSERT_TRUE(ch.ok());
  EXPECT_EQ(AnswerPixm(*store_, *ch).status, 200);
  FhirAnswer comma = Get({{"sourceIdentifier", std::string("urn:oid:") + kRed + "|IHERED-994"},
                          {"targetSystem", std::string("urn:oid:") + kBlue + ",urn:oid:" + kRegion}});
  EXPECT_EQ(Targets(comma).size(), 2u);
}

// The consumer's decoding of an answer reads back what AnswerPixm wrote.
TEST_F(PixmTest, ConsumerReadsTheTargets) {
  FhirAnswer a = Get({{"sourceIdentifier", std::string("urn:oid:") + kRed + "|IHERED-994"},
                      {"targetSystem", std::string("urn:oid:") + kRegion}});
  ASSERT_EQ(a.status, 200) << a.json;
  auto targets = PixmTargetsFromJson(a.json);
  ASSERT_TRUE(targets.ok()) << targets.status().ToString();
  EXPECT_EQ(*targets, (std::vector<Cx>{{regional_, "", kRegion, ""}}));
  auto none = PixmTargetsFromJson(R"({"resourceType":"Parameters"})");
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
  auto foreign = PixmTargetsFromJson(R"({"resourceType":"Parameters","parameter":[
      {"name":"targetIdentifier","valueIdentifier":{"system":"http://x.org/ids","value":"7"}},
      {"name":"targetId","valueReference":{"reference":"Patient/7"}}]})");
  ASSERT_TRUE(foreign.ok());
  EXPECT_TRUE(foreign->empty());
  for (const char* bad : {"", "[]", R"({"resourceType":"OperationOutcome"})",
                          R"({"resourceType":"Parameters","parameter":{}})",
                          R"({"resourceType":"Parameters","parameter":[{"name":"targetIdentifier"}]})"}) {
    EXPECT_FALSE(PixmTargetsFromJson(bad).ok()) << bad;
  }
}

TEST_F(PixmTest, ErrorCasesOfIti83) {
  // Identifier not found in a known domain: 404 not-found.
  FhirAnswer missing = Get({{"sourceIdentifier", std::string("urn:oid:") + kRed + "|IHERED-000"}});
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(IssueCode(missing), "not-found");
  // Unknown source domain: 400 code-invalid.
  FhirAnswer domain = Get({{"sourceIdentifier", "urn:oid:1.2.3.999|X"}});
  EXPECT_EQ(domain.status, 400);
  EXPECT_EQ(IssueCode(domain), "code-invalid");
  FhirAnswer not_oid = Get({{"sourceIdentifier", "http://example.org/ids|X"}});
  EXPECT_EQ(not_oid.status, 400);
  // Unknown target domain: 403 code-invalid.
  FhirAnswer target = Get({{"sourceIdentifier", std::string("urn:oid:") + kRed + "|IHERED-994"},
                           {"targetSystem", "urn:oid:1.2.3.999"}});
  EXPECT_EQ(target.status, 403);
  EXPECT_EQ(IssueCode(target), "code-invalid");
  // Known patient, nothing in the wanted domain: 200 without parameters.
  PatientFeed lonely;
  lonely.identifiers = {{"ONLY-RED", "", kRed, ""}};
  ASSERT_TRUE(store_->Feed(lonely).ok());
  FhirAnswer none = Get({{"sourceIdentifier", std::string("urn:oid:") + kRed + "|ONLY-RED"},
                         {"targetSystem", std::string("urn:oid:") + kBlue}});
  EXPECT_EQ(none.status, 200);
  EXPECT_TRUE(Targets(none).empty());
  EXPECT_EQ(none.json.find("\"parameter\""), std::string::npos);
  // Malformed requests are refused before any lookup.
  EXPECT_FALSE(PixmQueryFromParams({}).ok());
  EXPECT_FALSE(PixmQueryFromParams({{"sourceIdentifier", "no-bar"}}).ok());
  EXPECT_FALSE(PixmQueryFromParams({{"sourceIdentifier", "a|1"}, {"sourceIdentifier", "a|2"}}).ok());
  EXPECT_FALSE(PixmQueryFromJson("{not json").ok());
  EXPECT_FALSE(PixmQueryFromJson(R"({"resourceType":"Patient"})").ok());
}

}  // namespace
}  // namespace renkei::pix
