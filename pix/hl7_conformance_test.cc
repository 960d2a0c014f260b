// Every HL7 v2 message of the shared conformance corpus (../shared/conformance/pix, curated
// in its expected.txt) parses, and what a PIX Manager reads from it comes out right.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "pix/hl7_message.h"
#include "pix/internal_test_corpus.h"

namespace renkei::hl7 {
namespace {

using ::renkei::pix::testing::PixCorpusDir;
using ::renkei::pix::testing::PixCorpusFile;

Message MustParseFile(const std::string& relative) {
  const std::string bytes = PixCorpusFile(relative);
  EXPECT_FALSE(bytes.empty()) << relative;
  auto m = Parse(bytes);
  EXPECT_TRUE(m.ok()) << relative << ": " << m.status().ToString();
  return m.ok() ? std::move(m.value()) : Message();
}

TEST(Hl7ConformanceTest, EveryHl7FileParsesAndReencodes) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::recursive_directory_iterator(PixCorpusDir())) {
    if (e.is_regular_file() && e.path().extension() == ".hl7") files.push_back(e.path());
  }
  ASSERT_GE(files.size(), 30u) << PixCorpusDir();
  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto m = Parse(bytes);
    ASSERT_TRUE(m.ok()) << path << ": " << m.status().ToString();
    EXPECT_EQ(m->Find("MSH"), &m->segments().front()) << path;
    EXPECT_FALSE(m->MessageCode().empty()) << path;
    // Encoding and parsing again gives the same values.
    auto again = Encode(*m);
    ASSERT_TRUE(again.ok()) << path << ": " << again.status().ToString();
    auto m2 = Parse(*again);
    ASSERT_TRUE(m2.ok()) << path;
    ASSERT_EQ(m2->segments().size(), m->segments().size()) << path;
    for (size_t i = 0; i < m->segments().size(); ++i) {
      const Segment& a = m->segments()[i];
      const Segment& b = m2->segments()[i];
      EXPECT_EQ(a.id(), b.id()) << path;
      for (int f = 3; f <= a.field_count(); ++f) {
        for (int r = 1; r <= a.Repetitions(f); ++r) {
          for (int c = 1; c <= a.Components(f, r); ++c) {
            EXPECT_EQ(a.Value(f, r, c), b.Value(f, r, c))
                << path << " " << a.id() << "-" << f << "(" << r << ")." << c;
          }
        }
      }
    }
  }
}

// SS-MIX2 (ISO-2022-JP, MSH-18 "~ISO IR87", MSH-20 "ISO 2022-1994"): kanji and kana names
// decode without mojibake, ids unchanged.
TEST(Hl7ConformanceTest, SsMix2JapaneseNames) {
  Message m = MustParseFile("ssmix2-jp-iso2022jp/ADT-22_A01_admit.hl7");
  EXPECT_EQ(m.charset(), Charset::kIso2022Jp);
  const Segment* pid = m.Find("PID");
  ASSERT_NE(pid, nullptr);
  EXPECT_EQ(pid->Value(3), "9999013");
  EXPECT_EQ(pid->Value(5, 1, 1), "患者");
  EXPECT_EQ(pid->Value(5, 1, 2), "太郎");
  EXPECT_EQ(pid->Value(5, 1, 8), "I");  // ideographic
  EXPECT_EQ(pid->Value(5, 2, 1), "カンジャ");
  EXPECT_EQ(pid->Value(5, 2, 8), "P");  // phonetic
  EXPECT_EQ(pid->Value(7), "19480405");

  Message update = MustParseFile("ssmix2-jp-iso2022jp/ADT-00_A08_patient-info-update.hl7");
  EXPECT_EQ(update.TriggerEvent(), "A08");
  const Segment* upid = update.Find("PID");
  ASSERT_NE(upid, nullptr);
  EXPECT_EQ(upid->Value(11, 1, 5), "422-8033");
  EXPECT_EQ(upid->Value(11, 1, 8).substr(0, 9), "静岡県");
  // The reply is written in the sender's character set.
  auto bytes = Encode(update);
  ASSERT_TRUE(bytes.ok());
  EXPECT_NE(bytes->find("\x1b$B"), std::string::npos);
}

// IPF pairs: the v2.3.1 A01 whose first PID-3 repetition is the HL7 null.
TEST(Hl7ConformanceTest, NullIdentifierRepetitionIsVisible) {
  Message m = MustParseFile("ipf-hl7v2-v3-pairs/pixsource-iti8-to-iti44/v2/A01.hl7");
  const Segment* pid = m.Find("PID");
  ASSERT_NE(pid, nullptr);
  ASSERT_GE(pid->Repetitions(3), 3);
  EXPECT_TRUE(IsNull(pid->Value(3, 1, 1)));
  EXPECT_EQ(pid->Value(3, 1, 4, 2), "2.71");
  EXPECT_FALSE(pid->Value(3, 2, 1).empty());
}

// IPF iti8-a40: no MSH-18, MRG-1 with one id lacking an assigning authority.
TEST(Hl7ConformanceTest, MergeWithoutCharset) {
  Message m = MustParseFile("ipf-hl7v2/iti8-a40.hl7");
  EXPECT_EQ(m.charset(), Charset::kDefault);
  EXPECT_EQ(m.TriggerEvent(), "A40");
  const Segment* mrg = m.Find("MRG");
  ASSERT_NE(mrg, nullptr);
  EXPECT_EQ(mrg->Value(1, 1, 1), "305010");
  EXPECT_EQ(mrg->Value(1, 1, 4, 2), "");
  EXPECT_EQ(mrg->Value(1, 2, 1), "7200117359");
  EXPECT_EQ(mrg->Value(1, 2, 4, 2), "2.16.840.1.113883.3.37.4.1.1.2.611.1");
}

// NIST A01-2: LF-terminated and wrapped at a fixed width inside PID and PV1; the pieces
// are joined back (PID-7/PID-8 and PV1-44 straddle the wraps).
TEST(Hl7ConformanceTest, WrappedLinesAreJoined) {
  Message m = MustParseFile("nist-toolkit-hl7v2/A01-2.hl7");
  ASSERT_EQ(m.segments().size(), 4u);
  const Segment* pid = m.Find("PID");
  ASSERT_NE(pid, nullptr);
  EXPECT_EQ(pid->Value(7), "20011212");
  EXPECT_EQ(pid->Value(8), "M");
  EXPECT_EQ(pid->Value(3, 2, 1), "000-00-0000");
  EXPECT_EQ(pid->Value(3, 2, 4, 2), "2.16.840.1.113883.4.1");
  EXPECT_EQ(m.Find("PV1")->Value(44), "201212201024");
}

}  // namespace
}  // namespace renkei::hl7
