// ITI-66 / ITI-67 Document Responder over a real in-memory registry (registry/mhd_responder.h)
// and its parameter helpers (registry/mhd_search_params.h).
#include "registry/mhd_responder.h"

#include <gtest/gtest.h>

#include "registry/internal/test_submissions.h"
#include "registry/mhd_search_params.h"

namespace renkei::registry {
namespace {

using testing::kOtherPid;
using testing::kPid;
using testing::NewOid;
using testing::RequestBuilder;

TEST(MhdSearchParamsTest, DatesBecomeDtmRanges) {
  const struct {
    std::vector<std::string> values;
    std::string from, to;
  } kCases[] = {
      {{"2024"}, "2024", "2025"},
      {{"2024-02"}, "202402", "202403"},
      {{"eq2024-02-29"}, "20240229", "20240301"},
      {{"ge2024-01-31", "lt2024-03"}, "20240131", "202403"},
      {{"gt2024-12-31"}, "20250101", ""},
      {{"le2024-03-01T10:15:00Z"}, "", "20240301101501"},
  };
  for (const auto& c : kCases) {
    mhd::TimeRange r;
    for (const std::string& v : c.values)
      ASSERT_TRUE(mhd::NarrowTimeRange("date", v, &r).ok()) << v;
    EXPECT_EQ(r.from, c.from) << c.values[0];
    EXPECT_EQ(r.to, c.to) << c.values[0];
  }
  mhd::TimeRange r;
  EXPECT_EQ(mhd::NarrowTimeRange("date", "ne2024", &r).detail(), "invalid");
  EXPECT_EQ(mhd::NarrowTimeRange("date", "2024-13-45x", &r).detail(), "invalid");
}

TEST(MhdSearchParamsTest, TokensAndNames) {
  auto t = mhd::ParseTokens("http://loinc.org|11488-4,REPORTS,urn:oid:1.2|");
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0].scheme, "2.16.840.1.113883.6.1");
  EXPECT_TRUE(mhd::TokenMatches(t, xds::Code{"11488-4", "2.16.840.1.113883.6.1", ""}));
  EXPECT_TRUE(mhd::TokenMatches(t, xds::Code{"REPORTS", "any", ""}));
  EXPECT_TRUE(mhd::TokenMatches(t, xds::Code{"X", "1.2", ""}));
  EXPECT_FALSE(mhd::TokenMatches(t, xds::Code{"11488-4", "1.3", ""}));
  EXPECT_TRUE(mhd::XcnNameStartsWith("^Yamada^Taro^^^", 2, "yam"));
  EXPECT_FALSE(mhd::XcnNameStartsWith("^Yamada^Taro^^^", 3, "Yam"));
  EXPECT_TRUE(mhd::IdentifierMatches("urn:ietf:rfc:3986|urn:oid:1.2.3", "urn:uuid:x", "1.2.3"));
  EXPECT_TRUE(mhd::IdentifierMatches("urn:uuid:x", "urn:uuid:x", "1.2.3"));
  EXPECT_FALSE(mhd::IdentifierMatches("1.2.4", "urn:uuid:x", "1.2.3"));
  EXPECT_FALSE(mhd::ParseCount("0").ok());
  EXPECT_EQ(*mhd::ParseCount("500"), 100);
}

class MhdResponderTest : public testing::RegistryFixture {
 protected:
  void SetUp() override {
    RegistryFixture::SetUp();
    MhdResponderOptions o;
    o.patient_cx = [](const std::string& id) {
      return id == "P-1001" ? std::string(kPid) : id == "P-2002" ? std::string(kOtherPid) : "";
    };
    o.patient_of_identifier = [](const std::string& system, const std::string& value) {
      return system == "urn:oid:1.2.392.200119.6.102.9" && value == "L-4711" ? std::string(kPid)
                                                                             : std::string();
    };
    responder_ = std::make_unique<MhdResponder>(*registry_, o);
    mc_.fhir_base = "http://centre/fhir";
    mc_.document_url = [](const std::string& repo, const std::string& uid) {
      return "http://node/fhir/Binary/" + uid + "?repo=" + repo;
    };
    for (int i = 0; i < 3; ++i) {
      uids_.push_back(NewOid());
      RequestBuilder b;
      b.SubmissionSet().Document({.uid = uids_.back()}).Member("hm1", "Document01");
      if (i == 0) {
        b.Folder({}).Member("hm2", "Folder01");
        b.Association("hm3", xds::kAssocHasMember, "Folder01", "Document01");
        b.Member("hm4", "hm3");
      }
      ASSERT_TRUE(Register(b).empty());
    }
  }
  // Ids of the resources of a page.
  std::vector<std::string> Search(const MhdParams& p, bool lists = false) {
    auto page = lists ? responder_->FindLists(p, ctx_, mc_)
                      : responder_->FindDocumentReferences(p, ctx_, mc_);
    EXPECT_TRUE(page.ok()) << page.status().ToString();
    std::vector<std::string> ids;
    if (page.ok()) {
      for (const auto& [id, json] : page->resources) ids.push_back(id);
      last_ = *page;
    }
    return ids;
  }
  std::unique_ptr<MhdResponder> responder_;
  profiles::MhdContext mc_;
  std::vector<std::string> uids_;
  MhdPage last_;
};

TEST_F(MhdResponderTest, FindsByPatientAndCriteria) {
  EXPECT_EQ(Search({{"patient", "http://centre/fhir/Patient/P-1001"}}).size(), 3u);
  EXPECT_EQ(last_.total, 3);
  EXPECT_EQ(Search({{"patient.identifier", "urn:oid:1.2.392.200119.6.102.9|L-4711"}}).size(), 3u);
  EXPECT_TRUE(Search({{"patient", "P-2002"}}).empty());
  EXPECT_TRUE(Search({{"patient", "Patient/nobody"}}).empty());
  EXPECT_EQ(Search({{"patient", "P-1001"}, {"status", "current"}}).size(), 3u);
  EXPECT_TRUE(Search({{"patient", "P-1001"}, {"status", "superseded"}}).empty());
  EXPECT_EQ(Search({{"patient", "P-1001"},
                    {"category", "urn:oid:1.3.6.1.4.1.19376.1.2.6.1|REPORTS"},
                    {"event", "SNM3|T-D4909"},
                    {"author.family", "yama"},
                    {"creation", "2024-03-01"},
                    {"date", "ge2024-03-01T10:20:00Z"},
                    {"period", "ge2024-02-01"}})
                .size(),
            3u);
  EXPECT_TRUE(Search({{"patient", "P-1001"}, {"category", "urn:oid:9.9|REPORTS"}}).empty());
  EXPECT_TRUE(Search({{"patient", "P-1001"}, {"creation", "lt2024-03-01"}}).empty());
  EXPECT_TRUE(Search({{"patient", "P-1001"}, {"date", "gt2024-03-01T10:20:00Z"}}).empty());
  EXPECT_TRUE(Search({{"patient", "P-1001"}, {"author.given", "Hanako"}}).empty());
  EXPECT_EQ(Search({{"patient", "P-1001"}, {"identifier", "urn:oid:" + uids_[1]}}).size(), 1u);
  EXPECT_EQ(Search({{"identifier", "urn:ietf:rfc:3986|urn:oid:" + uids_[2]}}).size(), 1u);
  // Unknown parameters are ignored and not echoed.
  Search({{"patient", "P-1001"}, {"foo", "bar"}});
  EXPECT_EQ(last_.used, (MhdParams{{"patient", "P-1001"}}));
}

TEST_F(MhdResponderTest, PagesAndReads) {
  auto first = Search({{"patient", "P-1001"}, {"_count", "2"}});
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(last_.next, 2);
  auto second = Search({{"patient", "P-1001"}, {"_count", "2"}, {"_page", "2"}});
  ASSERT_EQ(second.size(), 1u);
  EXPECT_EQ(last_.next, 0);
  auto json = responder_->ReadDocumentReference(second[0], ctx_, mc_);
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  EXPECT_NE(json->find("\"resourceType\":\"DocumentReference\""), std::string::npos);
  EXPECT_NE(json->find("http://node/fhir/Binary/"), std::string::npos) << *json;
  EXPECT_NE(json->find("2024-03-01T10:20:00Z"), std::string::npos) << *json;  // date
  EXPECT_EQ(responder_->ReadDocumentReference("00000000-0000-0000-0000-000000000000", ctx_, mc_)
                .status()
                .detail(),
            "not-found");
  EXPECT_EQ(responder_->ReadDocumentReference("../x", ctx_, mc_).status().detail(), "not-found");
}

TEST_F(MhdResponderTest, FindsAndReadsLists) {
  EXPECT_EQ(Search({{"patient", "P-1001"}}, true).size(), 4u);
  EXPECT_EQ(Search({{"patient", "P-1001"}, {"code", "submissionset"}}, true).size(), 3u);
  auto folders = Search({{"patient", "P-1001"}, {"code", "folder"}}, true);
  ASSERT_EQ(folders.size(), 1u);
  auto folder = responder_->ReadList(folders[0], ctx_, mc_);
  ASSERT_TRUE(folder.ok()) << folder.status().ToString();
  EXPECT_NE(folder->find("\"code\":\"folder\""), std::string::npos) << *folder;
  EXPECT_NE(folder->find("DocumentReference/"), std::string::npos) << *folder;
  auto sets =
      Search({{"patient", "P-1001"}, {"code", "submissionset"}, {"date", "2024-03-01"}}, true);
  ASSERT_EQ(sets.size(), 3u);
  auto ss = responder_->ReadList(sets[0], ctx_, mc_);
  ASSERT_TRUE(ss.ok());
  EXPECT_NE(ss->find("\"code\":\"submissionset\""), std::string::npos);
  EXPECT_EQ(
      responder_->ReadList("00000000-0000-0000-0000-000000000000", ctx_, mc_).status().detail(),
      "not-found");
}

TEST_F(MhdResponderTest, RefusesBadSearches) {
  const MhdParams kBad[] = {
      {},
      {{"status", "current"}},
      {{"patient", "P-1001"}, {"status", "draft"}},
      {{"patient", "P-1001"}, {"date", "xx2024"}},
      {{"patient", "P-1001"}, {"_count", "-1"}},
      {{"patient", "P-1001"}, {"type:text", "x"}},
      {{"patient.identifier", "L-4711"}},
  };
  for (const MhdParams& p : kBad) {
    auto page = responder_->FindDocumentReferences(p, ctx_, mc_);
    EXPECT_EQ(page.status().detail(), "invalid") << (p.empty() ? "" : p.back().first);
  }
  EXPECT_EQ(responder_->FindLists({{"code", "folder"}}, ctx_, mc_).status().detail(), "invalid");
}

}  // namespace
}  // namespace renkei::registry
