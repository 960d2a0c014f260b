#include "pix/pdqm.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include "pix/sqlite_identity_store.h"

namespace renkei::pix {
namespace {

constexpr char kRegion[] = "1.2.392.200119.6.1";
constexpr char kHosp[] = "1.2.392.100495.20.3.51.11310000001";

class PdqmTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteIdentityStore::Options o;
    o.regional_oid = kRegion;
    store_ = std::move(SqliteIdentityStore::Open(":memory:", o).value());
    for (int i = 0; i < 5; ++i) {
      PatientFeed f;
      f.identifiers = {Cx{"H-" + std::to_string(i), "", kHosp, ""}};
      f.names = {PersonName{"山田", "太郎", "", "L", "I"}, PersonName{"ヤマダ", "タロウ", "", "L", "P"}};
      f.birth_date = i < 2 ? "19600102" : "19700304";
      f.sex = i % 2 ? "F" : "M";
      f.phones = {"054-000-000" + std::to_string(i)};
      f.addresses = {Address{"", "静岡県静岡市" + std::to_string(i), "", "", "422-8033", "JPN", "H"}};
      ASSERT_TRUE(store_->Feed(f).ok());
    }
  }
  rapidjson::Document Search(const QueryParams& params, int* total = nullptr) {
    QueryParams used;
    auto q = PatientSearchFromParams(params, &used);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    auto page = store_->Search(*q);
    EXPECT_TRUE(page.ok());
    rapidjson::Document d;
    d.Parse(SearchBundleJson("http://centre/fhir", used, *page, q->limit).c_str());
    EXPECT_FALSE(d.HasParseError());
    if (total) *total = d.HasMember("entry") ? static_cast<int>(d["entry"].Size()) : 0;
    return d;
  }
  std::unique_ptr<SqliteIdentityStore> store_;
};

TEST_F(PdqmTest, SearchesByTheParametersOfIti78) {
  int n = 0;
  Search({{"family", "山田"}}, &n);
  EXPECT_EQ(n, 5);
  Search({{"name", "タロ"}}, &n);  // a given name in kana
  EXPECT_EQ(n, 5);
  Search({{"birthdate", "1960-01-02"}}, &n);
  EXPECT_EQ(n, 2);
  Search({{"birthdate", "eq1970"}, {"gender", "female"}}, &n);
  EXPECT_EQ(n, 1);
  Search({{"identifier", std::string("urn:oid:") + kHosp + "|H-3"}}, &n);
  EXPECT_EQ(n, 1);
  Search({{"identifier", "H-3"}}, &n);  // the value in any domain
  EXPECT_EQ(n, 1);
  Search({{"identifier", "http://example.org|H-3"}}, &n);  // not a domain here
  EXPECT_EQ(n, 0);
  Search({{"address", "静岡市4"}}, &n);
  EXPECT_EQ(n, 1);
  Search({{"telecom", "phone|054-000-0002"}}, &n);
  EXPECT_EQ(n, 1);
  Search({{"_id", "R0000000003"}}, &n);
  EXPECT_EQ(n, 1);
  Search({{"family", "佐藤"}}, &n);
  EXPECT_EQ(n, 0);
}

TEST_F(PdqmTest, PagesWithNextLinks) {
  rapidjson::Document first = Search({{"family", "山田"}, {"_count", "2"}, {"_format", "json"}});
  ASSERT_EQ(first["entry"].Size(), 2u);
  EXPECT_STREQ(first["link"][0]["relation"].GetString(), "self");
  // Known parameters only, percent-encoded.
  EXPECT_STREQ(first["link"][0]["url"].GetString(),
               "http://centre/fhir/Patient?family=%E5%B1%B1%E7%94%B0&_count=2");
  ASSERT_EQ(first["link"].Size(), 2u);
  const std::string next = first["link"][1]["url"].GetString();
  const std::string cursor = next.substr(next.find("_page=") + 6);
  rapidjson::Document second = Search({{"family", "山田"}, {"_count", "2"}, {"_page", cursor}});
  ASSERT_EQ(second["entry"].Size(), 2u);
  EXPECT_STRNE(second["entry"][0]["resource"]["id"].GetString(),
               first["entry"][0]["resource"]["id"].GetString());
}

TEST_F(PdqmTest, PatientResourceCarriesJapaneseNamesAndIdentifiers) {
  auto p = store_->Find(Cx{"H-1", "", kHosp, ""});
  ASSERT_TRUE(p.ok());
  rapidjson::Document d;
  d.Parse(PatientJson(*p).c_str());
  EXPECT_STREQ(d["resourceType"].GetString(), "Patient");
  EXPECT_STREQ(d["id"].GetString(), "R0000000002");
  EXPECT_STREQ(d["identifier"][0]["system"].GetString(), (std::string("urn:oid:") + kRegion).c_str());
  EXPECT_STREQ(d["identifier"][1]["value"].GetString(), "H-1");
  EXPECT_STREQ(d["name"][0]["family"].GetString(), "山田");
  EXPECT_STREQ(d["name"][0]["extension"][0]["valueCode"].GetString(), "IDE");
  EXPECT_STREQ(d["name"][1]["extension"][0]["valueCode"].GetString(), "SYL");
  EXPECT_STREQ(d["name"][1]["given"][0].GetString(), "タロウ");
  EXPECT_STREQ(d["gender"].GetString(), "female");
  EXPECT_STREQ(d["birthDate"].GetString(), "1960-01-02");
  EXPECT_STREQ(d["address"][0]["postalCode"].GetString(), "422-8033");
  EXPECT_STREQ(d["telecom"][0]["value"].GetString(), "054-000-0001");
}

TEST_F(PdqmTest, UnusableValuesAreRefused) {
  for (const QueryParams& bad : std::vector<QueryParams>{{{"birthdate", "ge1960"}},
                                                         {{"birthdate", "1960/01/02"}},
                                                         {{"gender", "M"}},
                                                         {{"_count", "0"}},
                                                         {{"_count", "many"}},
                                                         {{"family:exact", "山田"}},
                                                         {{"_page", "x"}}}) {
    EXPECT_FALSE(PatientSearchFromParams(bad, nullptr).ok()) << bad[0].first << "=" << bad[0].second;
  }
  // Unknown parameters are ignored (lenient).
  EXPECT_TRUE(PatientSearchFromParams({{"mothersMaidenName", "x"}}, nullptr).ok());
}

}  // namespace
}  // namespace renkei::pix
