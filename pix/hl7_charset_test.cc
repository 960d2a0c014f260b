#include "pix/hl7_charset.h"

#include <gtest/gtest.h>

#include <string>

namespace renkei::hl7 {
namespace {

Charset Named(std::string_view msh18, std::string_view msh20 = "") {
  auto c = CharsetFromMsh(msh18, '~', msh20);
  EXPECT_TRUE(c.ok()) << msh18 << ": " << c.status().ToString();
  return c.ok() ? *c : Charset::kDefault;
}

TEST(Hl7CharsetTest, Msh18Names) {
  EXPECT_EQ(Named(""), Charset::kDefault);
  EXPECT_EQ(Named("ASCII"), Charset::kDefault);
  EXPECT_EQ(Named("UNICODE UTF-8"), Charset::kUtf8);
  EXPECT_EQ(Named("8859/1"), Charset::kLatin1);
  EXPECT_EQ(Named("ISO IR87"), Charset::kIso2022Jp);
  // Japanese senders: an empty default, then the alternate set; MSH-20 names ISO 2022.
  EXPECT_EQ(Named("~ISO IR87", "ISO 2022-1994"), Charset::kIso2022Jp);
  EXPECT_EQ(Named("", "ISO2022-1994"), Charset::kIso2022Jp);
  EXPECT_EQ(Named("ISO IR6~ISO IR87"), Charset::kIso2022Jp);
  auto bad = CharsetFromMsh("EBCDIC", '~', "");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().location(), "MSH-18");
}

TEST(Hl7CharsetTest, Iso2022JpRoundTrip) {
  const std::string utf8 = "患者^太郎~カンジャ";
  auto jis = FromUtf8(utf8, Charset::kIso2022Jp);
  ASSERT_TRUE(jis.ok()) << jis.status().ToString();
  EXPECT_NE(jis->find("\x1b$B"), std::string::npos);  // JIS X 0208 designation
  EXPECT_EQ(jis->substr(jis->size() - 3), "\x1b(B");   // back to ASCII at the end
  for (unsigned char c : *jis) EXPECT_LT(c, 0x80);     // 7-bit on the wire
  auto back = ToUtf8(*jis, Charset::kIso2022Jp);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, utf8);
}

TEST(Hl7CharsetTest, BadBytesAreErrorsNotMojibake) {
  // An 8-bit byte is not ISO 2022 (7-bit).
  EXPECT_FALSE(ToUtf8("PID|\xb4\xb5", Charset::kIso2022Jp).ok());
  // A kanji designation followed by half a character.
  EXPECT_FALSE(ToUtf8("\x1b$B4", Charset::kIso2022Jp).ok());
  EXPECT_FALSE(ToUtf8("\xe6\x82", Charset::kUtf8).ok());
  // Not representable: an emoji in ISO 2022 JIS X 0208.
  EXPECT_FALSE(FromUtf8("\xf0\x9f\x98\x80", Charset::kIso2022Jp).ok());
}

TEST(Hl7CharsetTest, DefaultKeepsUtf8AndFallsBackToLatin1) {
  EXPECT_EQ(*ToUtf8("M\xc3\xbcller", Charset::kDefault), "M\xc3\xbcller");
  EXPECT_EQ(*ToUtf8("M\xfcller", Charset::kDefault), "M\xc3\xbcller");
  EXPECT_EQ(*ToUtf8("M\xfcller", Charset::kLatin1), "M\xc3\xbcller");
  EXPECT_EQ(*FromUtf8("M\xc3\xbcller", Charset::kLatin1), "M\xfcller");
}

TEST(Hl7CharsetTest, Utf8Validation) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("\xe6\x82\xa3\xe8\x80\x85"));  // 患者
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // past U+10FFFF
  EXPECT_FALSE(IsValidUtf8("\xe6\x82"));          // truncated
  EXPECT_FALSE(IsValidUtf8("\x80"));
}

}  // namespace
}  // namespace renkei::hl7
