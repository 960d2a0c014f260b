#include "pix/sqlite_identity_store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <thread>
#include <set>
#include <string>

namespace renkei::pix {
namespace {

constexpr char kRegion[] = "1.2.392.200119.6.1";
constexpr char kHospA[] = "1.2.392.100495.20.3.51.11310000001";
constexpr char kHospB[] = "1.2.392.100495.20.3.51.11310000002";

Cx A(const std::string& id) { return Cx{id, "", kHospA, ""}; }
Cx B(const std::string& id) { return Cx{id, "", kHospB, ""}; }
Cx R(const std::string& id) { return Cx{id, "", kRegion, ""}; }

PatientFeed Feed(std::vector<Cx> ids, std::string family = "", std::string given = "") {
  PatientFeed f;
  f.event = "A01";
  f.identifiers = std::move(ids);
  if (!family.empty()) f.names.push_back(PersonName{family, given, "", "L", "I"});
  return f;
}

class IdentityStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SqliteIdentityStore::Options o;
    o.regional_oid = kRegion;
    auto s = SqliteIdentityStore::Open(":memory:", o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
  }
  FeedResult MustFeed(const PatientFeed& f) {
    auto r = store_->Feed(f);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : FeedResult{};
  }
  std::string RegionalOf(const Cx& id) {
    auto p = store_->Find(id);
    return p.ok() ? p->regional_id : "";
  }
  std::unique_ptr<SqliteIdentityStore> store_;
};

TEST_F(IdentityStoreTest, NewLocalIdGetsANewRegionalId) {
  FeedResult r = MustFeed(Feed({A("1001")}, "山田", "太郎"));
  EXPECT_TRUE(r.created);
  EXPECT_EQ(r.regional_id, "R0000000001");
  auto p = store_->Find(A("1001"));
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->identifiers.size(), 2u);
  EXPECT_EQ(p->identifiers[0], R("R0000000001"));
  EXPECT_EQ(p->identifiers[1], A("1001"));
  EXPECT_EQ(p->names[0].family, "山田");
  // The regional ID itself resolves.
  EXPECT_EQ(RegionalOf(R("R0000000001")), "R0000000001");
  EXPECT_EQ(MustFeed(Feed({A("1002")})).regional_id, "R0000000002");
}

TEST_F(IdentityStoreTest, SeveralIdentifiersInOneFeedAreLinked) {
  FeedResult r = MustFeed(Feed({A("1001"), B("B-77")}));
  EXPECT_EQ(RegionalOf(B("B-77")), r.regional_id);
  // A later feed from hospital B alone updates the same patient; nothing new is created.
  FeedResult again = MustFeed(Feed({B("B-77")}, "ヤマダ", "タロウ"));
  EXPECT_FALSE(again.created);
  EXPECT_EQ(again.regional_id, r.regional_id);
  EXPECT_EQ(store_->Find(A("1001"))->names[0].family, "ヤマダ");
}

TEST_F(IdentityStoreTest, FeedNamingARegionalIdLinksToIt) {
  FeedResult r = MustFeed(Feed({A("1001")}));
  FeedResult linked = MustFeed(Feed({R(r.regional_id), B("B-5")}));
  EXPECT_FALSE(linked.created);
  EXPECT_EQ(RegionalOf(B("B-5")), r.regional_id);
  auto unknown = store_->Feed(Feed({R("R9999999999"), B("B-6")}));
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().detail(), "204");
  EXPECT_FALSE(store_->Find(B("B-6")).ok()) << "a refused feed changes nothing";
}

TEST_F(IdentityStoreTest, IdentifiersOfTwoPatientsAreNeverLinkedSilently) {
  MustFeed(Feed({A("1001")}, "佐藤"));
  MustFeed(Feed({B("B-1")}, "佐藤"));
  auto both = store_->Feed(Feed({A("1001"), B("B-1"), B("B-2")}));
  ASSERT_FALSE(both.ok());
  EXPECT_EQ(both.status().detail(), "205");
  EXPECT_NE(RegionalOf(A("1001")), RegionalOf(B("B-1")));
  EXPECT_FALSE(store_->Find(B("B-2")).ok());
}

TEST_F(IdentityStoreTest, IdentifierWithoutOidIsRefused) {
  auto r = store_->Feed(Feed({Cx{"9999013", "HIS123", "", ""}}));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail(), "204");
}

TEST_F(IdentityStoreTest, MergeMovesEverythingToTheSurvivorAndKeepsOldIdsResolvable) {
  FeedResult survivor = MustFeed(Feed({A("1001")}, "鈴木"));
  FeedResult merged = MustFeed(Feed({A("1009"), B("B-9")}, "鈴木"));
  PatientFeed m = Feed({A("1001")});
  m.event = "A40";
  m.merged = {A("1009")};
  auto r = store_->Merge(m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->regional_id, survivor.regional_id);
  // Every old identifier now resolves to the survivor...
  EXPECT_EQ(RegionalOf(A("1009")), survivor.regional_id);
  EXPECT_EQ(RegionalOf(B("B-9")), survivor.regional_id);
  EXPECT_EQ(RegionalOf(R(merged.regional_id)), survivor.regional_id);
  // ...but only the live ones are listed: the merged regional ID and the second hospital-A
  // id are retired; hospital B's id is the survivor's first in that domain.
  auto p = store_->Find(A("1001"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->identifiers,
            (std::vector<Cx>{R(survivor.regional_id), A("1001"), B("B-9")}));
  // The cross-reference alone (no demographics) is the same list, from any old id too.
  auto linked = store_->CrossReference(A("1009"));
  ASSERT_TRUE(linked.ok());
  EXPECT_EQ(*linked, p->identifiers);
  EXPECT_EQ(store_->CrossReference(A("nobody")).status().code(), StatusCode::kNotFound);
  // Merging again changes nothing; merging an unknown id is an error.
  EXPECT_TRUE(store_->Merge(m).ok());
  PatientFeed unknown = m;
  unknown.merged = {A("7777")};
  auto u = store_->Merge(unknown);
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.status().location(), "MRG^1^1");
  // PDQ lists the survivor once, never the merged patient.
  PatientSearch q;
  q.family = "鈴木";
  auto page = store_->Search(q);
  ASSERT_TRUE(page.ok());
  ASSERT_EQ(page->patients.size(), 1u);
  EXPECT_EQ(page->patients[0].regional_id, survivor.regional_id);
}

TEST_F(IdentityStoreTest, DemographicsArePartlyReplaced) {
  PatientFeed f = Feed({A("1001")}, "田中", "花子");
  f.birth_date = "19700102";
  f.sex = "F";
  f.phones = {"03-1111-2222"};
  MustFeed(f);
  PatientFeed update = Feed({A("1001")});
  update.addresses = {Address{"", "東京都千代田区1-1", "", "", "100-0001", "JPN", "H"}};
  MustFeed(update);
  auto p = store_->Find(A("1001"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->names.size(), 1u);
  EXPECT_EQ(p->birth_date, "19700102");
  EXPECT_EQ(p->sex, "F");
  EXPECT_EQ(p->phones, std::vector<std::string>{"03-1111-2222"});
  ASSERT_EQ(p->addresses.size(), 1u);
  EXPECT_EQ(p->addresses[0].postal_code, "100-0001");
}

TEST_F(IdentityStoreTest, SearchByNamesKanaBirthDateAddressAndPaging) {
  for (int i = 0; i < 5; ++i) {
    PatientFeed f = Feed({A("P" + std::to_string(i))});
    f.names = {PersonName{"山田", "太郎", "", "L", "I"}, PersonName{"ヤマダ", "タロウ", "", "L", "P"},
               PersonName{"Yamada", "Taro", "", "L", "A"}};
    f.birth_date = i < 3 ? "19600101" : "19610101";
    f.addresses = {Address{"", "静岡県静岡市" + std::to_string(i), "", "", "", "JPN", "H"}};
    MustFeed(f);
  }
  MustFeed(Feed({A("X")}, "佐藤", "一郎"));
  auto count = [&](PatientSearch q) {
    auto r = store_->Search(q);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? r->patients.size() : 0u;
  };
  PatientSearch kana;
  kana.family = "ヤマ";
  EXPECT_EQ(count(kana), 5u);
  PatientSearch latin;
  latin.family = "yamada";  // case-insensitive for ASCII letters
  latin.birth_date = "1960";
  EXPECT_EQ(count(latin), 3u);
  PatientSearch address;
  address.address = "静岡市3";
  EXPECT_EQ(count(address), 1u);
  PatientSearch wildcard;
  wildcard.family = "%";  // a literal percent sign, not a wildcard
  EXPECT_EQ(count(wildcard), 0u);

  PatientSearch paged;
  paged.given = "タロウ";
  paged.limit = 2;
  std::set<std::string> seen;
  int pages = 0;
  do {
    auto r = store_->Search(paged);
    ASSERT_TRUE(r.ok());
    for (const PatientRecord& p : r->patients) seen.insert(p.regional_id);
    paged.after = r->next;
    ++pages;
  } while (paged.after != 0 && pages < 10);
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_EQ(pages, 3);
}

TEST(IdentityStoreFileTest, SurvivesReopening) {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("renkei-ids-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  SqliteIdentityStore::Options o;
  o.regional_oid = kRegion;
  std::string regional;
  {
    auto s = SqliteIdentityStore::Open(dir + "/identities.sqlite", o);
    ASSERT_TRUE(s.ok());
    regional = (*s)->Feed(Feed({A("1001")}, "山田"))->regional_id;
  }
  auto s = SqliteIdentityStore::Open(dir + "/identities.sqlite", o);
  ASSERT_TRUE(s.ok());
  auto p = (*s)->Find(A("1001"));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->regional_id, regional);
  EXPECT_EQ((*s)->Feed(Feed({A("1002")}))->regional_id, "R0000000002");
  std::filesystem::remove_all(dir);
  SqliteIdentityStore::Options none;
  EXPECT_FALSE(SqliteIdentityStore::Open(":memory:", none).ok());
}

// Reads run on the reader pool beside a stream of feeds: every feed a writer saw
// acknowledged is found by the readers (read-after-write across connections), and no read
// fails while a write transaction is open.
TEST(IdentityStoreFileTest, ReadersSeeEveryAcknowledgedFeedWhileFeedsRun) {
  const std::string dir = std::filesystem::temp_directory_path() /
                          ("renkei-ids-pool-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  SqliteIdentityStore::Options o;
  o.regional_oid = kRegion;
  o.reader_connections = 2;
  auto store = SqliteIdentityStore::Open(dir + "/identities.sqlite", o);
  ASSERT_TRUE(store.ok()) << store.status().ToString();
  constexpr int kFeeds = 300;
  std::atomic<int> acknowledged{0};
  std::atomic<int> failures{0}, lookups{0};
  std::thread writer([&] {
    for (int i = 0; i < kFeeds; ++i) {
      if (!(*store)->Feed(Feed({A("P" + std::to_string(i))}, "山田")).ok()) ++failures;
      acknowledged.store(i + 1);
    }
  });
  std::vector<std::thread> readers;
  for (int t = 0; t < 4; ++t) {
    readers.emplace_back([&, t] {
      while (acknowledged.load() < kFeeds) {
        const int n = acknowledged.load();
        if (n == 0) continue;
        const int i = (n * 7 + t) % n;
        auto ids = (*store)->CrossReference(A("P" + std::to_string(i)));
        if (!ids.ok() || ids->empty() || ids->front().oid != kRegion) ++failures;
        ++lookups;
      }
    });
  }
  writer.join();
  for (auto& r : readers) r.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_GT(lookups.load(), 0);
  auto page = (*store)->Search([] {
    PatientSearch q;
    q.family = "山田";
    q.limit = 1000;
    return q;
  }());
  ASSERT_TRUE(page.ok());
  EXPECT_EQ(page->patients.size(), static_cast<size_t>(kFeeds));
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace renkei::pix
