#include "registry/leaf_codec.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>

#include "registry/internal/test_submissions.h"

namespace renkei::registry {
namespace {

std::string DocumentEntryFragment() {
  return testing::Fill(
      testing::ReadTestdata("document_entry.xml"),
      {{"$DOC_ID$", "urn:uuid:3f1c2a9e-5b7d-4e21-9c0a-7d6e5f4a3b21"},
       {"$LID_ATTR$", ""},
       {"$DOC_UID$", "1.2.392.200119.6.102.7.42"},
       {"$PID$", testing::kPid},
       {"$HASH$", testing::kHashA},
       {"$TITLE$", "退院時サマリー"}});
}

std::string RoundTrip(const std::string& xml) {
  std::string blob = EncodeLeaf(xml);
  std::string back = "prefix:";
  Status st = DecodeLeaf(blob.data(), blob.size(), &back);
  EXPECT_TRUE(st.ok()) << st.message();
  return back.substr(7);
}

TEST(LeafCodecTest, DocumentEntryRoundTripsAndShrinks) {
  std::string xml = DocumentEntryFragment();
  ASSERT_GT(xml.size(), 2000u);
  std::string blob = EncodeLeaf(xml);
  EXPECT_EQ(static_cast<unsigned char>(blob[0]), 0x02);
  // The dictionary holds the XDS vocabulary: a DocumentEntry keeps well under a third.
  EXPECT_LT(blob.size() * 3, xml.size()) << blob.size() << " of " << xml.size();
  EXPECT_EQ(RoundTrip(xml), xml);
}

TEST(LeafCodecTest, SmallAndIncompressibleFragmentsAreStoredAsIs) {
  std::string tiny = "<rim:Association/>";
  std::string blob = EncodeLeaf(tiny);
  EXPECT_EQ(static_cast<unsigned char>(blob[0]), 0x00);
  EXPECT_EQ(blob.substr(1), tiny);
  EXPECT_EQ(RoundTrip(tiny), tiny);

  std::string noise;
  uint32_t x = 12345;
  for (int i = 0; i < 4000; ++i) {
    x = x * 1664525u + 1013904223u;
    noise.push_back(static_cast<char>(x >> 24));
  }
  EXPECT_EQ(static_cast<unsigned char>(EncodeLeaf(noise)[0]), 0x00);
  EXPECT_EQ(RoundTrip(noise), noise);
  EXPECT_EQ(RoundTrip(""), "");
}

TEST(LeafCodecTest, CorruptOrUnknownBlobsAreErrorsNotCrashes) {
  std::string blob = EncodeLeaf(DocumentEntryFragment());
  std::string out;
  EXPECT_FALSE(DecodeLeaf(nullptr, 0, &out).ok());
  std::string unknown = "\x07<rim:x/>";
  EXPECT_FALSE(DecodeLeaf(unknown.data(), unknown.size(), &out).ok());
  std::string truncated = blob.substr(0, blob.size() / 2);
  EXPECT_FALSE(DecodeLeaf(truncated.data(), truncated.size(), &out).ok());
  std::string flipped = blob;
  for (size_t i = 12; i < flipped.size(); i += 7) flipped[i] = static_cast<char>(flipped[i] ^ 0x5a);
  out.clear();
  Status st = DecodeLeaf(flipped.data(), flipped.size(), &out);
  // Without a checksum a flipped byte may still decode, but never to the original bytes.
  if (st.ok()) {
    EXPECT_NE(out, DocumentEntryFragment());
  }
}

// A fragment written with format 0x01 (by the program before dictionary 2, testdata) still
// decodes to what was stored.
TEST(LeafCodecTest, FormatOneBlobsStillDecode) {
  std::string blob = testing::ReadTestdata("leaf_v1_document_entry.bin");
  ASSERT_EQ(static_cast<unsigned char>(blob[0]), 0x01);
  std::string out;
  Status st = DecodeLeaf(blob.data(), blob.size(), &out);
  ASSERT_TRUE(st.ok()) << st.message();
  EXPECT_EQ(out, DocumentEntryFragment());
}

uint64_t Fnv1a(std::string_view d) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : d) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Stored fragments are decoded with these exact bytes for ever (leaf_dictionary*.cc).
TEST(LeafCodecTest, DictionariesNeverChange) {
  EXPECT_EQ(LeafDictionaryV1().size(), 15156u);
  EXPECT_EQ(Fnv1a(LeafDictionaryV1()), 8168942151695629791ull) << "dictionary 1 changed";
  EXPECT_EQ(LeafDictionaryV2().size(), 15321u);
  EXPECT_EQ(Fnv1a(LeafDictionaryV2()), 8169033778268457345ull) << "dictionary 2 changed";
}

}  // namespace
}  // namespace renkei::registry
