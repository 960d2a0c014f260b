// NewUuidUrn: RFC 9562 version-7 UUIDs (time-ordered), as urn:uuid.
#include "registry/internal/submission_ids.h"

#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <string>
#include <thread>

namespace renkei::registry::internal {
namespace {

constexpr size_t kPrefix = 9;  // "urn:uuid:"

TEST(NewUuidUrn, IsAVersion7UuidWithTheRfcVariant) {
  for (int i = 0; i < 1000; ++i) {
    const std::string id = NewUuidUrn();
    ASSERT_TRUE(IsUuidUrn(id)) << id;
    EXPECT_EQ(id[kPrefix + 14], '7') << id;  // version nibble
    EXPECT_NE(std::string("89ab").find(id[kPrefix + 19]), std::string::npos) << id;  // variant
  }
}

TEST(NewUuidUrn, StartsWithTheUnixMillisecondsSoLaterIdsSortAfterEarlierOnes) {
  const auto ms_of = [](const std::string& id) {
    std::string hex = id.substr(kPrefix, 8) + id.substr(kPrefix + 9, 4);
    return std::stoull(hex, nullptr, 16);
  };
  const uint64_t now_ms = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(
          std::chrono::system_clock::now().time_since_epoch())
          .count());
  const std::string first = NewUuidUrn();
  EXPECT_GE(ms_of(first), now_ms);
  EXPECT_LT(ms_of(first), now_ms + 1000);
  std::this_thread::sleep_for(std::chrono::milliseconds(3));
  const std::string later = NewUuidUrn();
  EXPECT_GT(ms_of(later), ms_of(first));
  EXPECT_GT(later, first);  // text order is time order (lower-case hex, fixed width)
}

TEST(NewUuidUrn, IdsOfOneMillisecondDiffer) {
  std::set<std::string> ids;
  for (int i = 0; i < 10000; ++i) ids.insert(NewUuidUrn());
  EXPECT_EQ(ids.size(), 10000u);
}

}  // namespace
}  // namespace renkei::registry::internal
