// Base64 of inline document content (RFC 4648 §4 and its §10 test vectors).
#include "common/base64.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

namespace renkei {
namespace {

TEST(Base64, Rfc4648Vectors) {
  const std::pair<const char*, const char*> vectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : vectors) {
    std::string out;
    AppendBase64(&out, plain);
    EXPECT_EQ(out, encoded);
    std::string back;
    ASSERT_TRUE(DecodeBase64(encoded, &back)) << encoded;
    EXPECT_EQ(back, plain);
  }
}

TEST(Base64, RefusesMalformedInput) {
  for (const char* bad : {"Zg", "Zg=", "Z===", "=Zg=", "Zg==Zg==", "Zm9v!", "Zm9v-_", "Zg= =x"}) {
    std::string out;
    EXPECT_FALSE(DecodeBase64(bad, &out)) << bad;
  }
  std::string out;
  EXPECT_TRUE(DecodeBase64(" Zm9v\r\nYmE=\n ", &out));
  EXPECT_EQ(out, "fooba");
}

}  // namespace
}  // namespace renkei
