#include "pix/hl7_message.h"

#include <gtest/gtest.h>

#include <string>

namespace renkei::hl7 {
namespace {

constexpr char kAdt[] =
    "MSH|^~\\&|EMR|HOSP_A|RENKEI|CENTRE|20261125103000||ADT^A01^ADT_A01|MSG0001|P|2.5\r"
    "EVN|A01|20261125103000\r"
    "PID|1||1001^^^&1.2.392.100495.20.3.51.11311234567&ISO~R-77^^^&1.2.392.200119.6.1&ISO||"
    "YAMADA^TARO^^^^^L||19600101|M|||1-2-3 Chuo\\S\\Bldg^^Chiyoda^Tokyo^100-0001^JPN\r"
    "PV1|1|O\r";

Message MustParse(std::string_view text) {
  auto m = Parse(text);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return m.ok() ? std::move(m.value()) : Message();
}

TEST(Hl7MessageTest, PositionsFollowTheStandardsNumbering) {
  Message m = MustParse(kAdt);
  ASSERT_EQ(m.segments().size(), 4u);
  EXPECT_EQ(m.MessageCode(), "ADT");
  EXPECT_EQ(m.TriggerEvent(), "A01");
  EXPECT_EQ(m.ControlId(), "MSG0001");
  EXPECT_EQ(m.Version(), "2.5");
  const Segment* msh = m.Find("MSH");
  ASSERT_NE(msh, nullptr);
  EXPECT_EQ(msh->Value(1), "|");
  EXPECT_EQ(msh->Value(2), "^~\\&");
  EXPECT_EQ(msh->Value(3), "EMR");
  EXPECT_EQ(msh->Value(9, 1, 3), "ADT_A01");
  const Segment* pid = m.Find("PID");
  ASSERT_NE(pid, nullptr);
  EXPECT_EQ(pid->Repetitions(3), 2);
  EXPECT_EQ(pid->Value(3, 1, 1), "1001");
  EXPECT_EQ(pid->Value(3, 1, 4, 2), "1.2.392.100495.20.3.51.11311234567");
  EXPECT_EQ(pid->Value(3, 2, 4, 3), "ISO");
  EXPECT_EQ(pid->Value(3, 2, 1), "R-77");
  EXPECT_EQ(pid->Value(5, 1, 2), "TARO");
  EXPECT_EQ(pid->Value(11, 1, 1), "1-2-3 Chuo^Bldg");  // \S\ resolved
  EXPECT_EQ(pid->Value(4), "");                           // empty field
  EXPECT_EQ(pid->Value(40, 3, 2, 1), "");                 // far past the end
  EXPECT_EQ(m.Find("PID", 2), nullptr);
}

TEST(Hl7MessageTest, SegmentTerminatorsCrLfAndCrLfAreEquivalent) {
  std::string lf = kAdt, crlf;
  for (char& c : lf) {
    if (c == '\r') c = '\n';
  }
  for (char c : std::string(kAdt)) {
    if (c == '\r') crlf += "\r\n";
    else crlf.push_back(c);
  }
  for (const std::string& text : {lf, crlf, "\r\n" + std::string(kAdt) + "\r\n\r\n"}) {
    Message m = MustParse(text);
    ASSERT_EQ(m.segments().size(), 4u);
    EXPECT_EQ(m.Find("PID")->Value(5, 1, 1), "YAMADA");
  }
}

TEST(Hl7MessageTest, NullIsKeptAndRecognised) {
  Message m = MustParse(
      "MSH|^~\\&|A|B|C|D|20260101||ADT^A08|1|P|2.3.1\rPID|||\"\"^^^&2.71&ISO~X1^^^&2.71&ISO\r");
  EXPECT_TRUE(IsNull(m.Find("PID")->Value(3, 1, 1)));
  EXPECT_FALSE(IsNull(m.Find("PID")->Value(3, 2, 1)));
}

TEST(Hl7MessageTest, EscapesRoundTrip) {
  Delimiters d;
  const std::string text = "a|b^c&d~e\\f";
  const std::string escaped = Escape(text, d);
  EXPECT_EQ(escaped, "a\\F\\b\\S\\c\\T\\d\\R\\e\\E\\f");
  EXPECT_EQ(Unescape(escaped, d), text);
  EXPECT_EQ(Unescape("\\X414243\\", d), "ABC");
  EXPECT_EQ(Unescape("line\\.br\\two", d), "line\\.br\\two");  // formatting kept as written
  EXPECT_EQ(Unescape("trailing\\", d), "trailing\\");           // unterminated: kept
}

TEST(Hl7MessageTest, EncodeWritesWhatParseReads) {
  Message m = MustParse(kAdt);
  auto bytes = Encode(m);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(*bytes, std::string(kAdt));
}

TEST(Hl7MessageTest, BuiltMessagesEncodeWithEscapes) {
  Message m;
  Segment& msh = m.Add("MSH");
  msh.Set(3, "RENKEI");
  msh.Set(9, 1, 1, 1, "ACK");
  msh.Set(9, 1, 2, 1, "A01");
  msh.Set(10, "C1");
  msh.Set(12, "2.5");
  Segment& msa = m.Add("MSA");
  msa.Set(1, "AE");
  msa.Set(2, "MSG|1");
  auto bytes = Encode(m);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes, "MSH|^~\\&|RENKEI||||||ACK^A01|C1||2.5\rMSA|AE|MSG\\F\\1\r");
  Message back = MustParse(*bytes);
  EXPECT_EQ(back.Find("MSA")->Value(2), "MSG|1");
}

TEST(Hl7MessageTest, OtherDelimitersAreHonoured) {
  Message m = MustParse("MSH#$*!@#A#B#C#D#20260101##ADT$A04#9#P#2.5\rPID#1##X1$$$@1.2.3@ISO*X2\r");
  EXPECT_EQ(m.TriggerEvent(), "A04");
  EXPECT_EQ(m.Find("PID")->Value(3, 1, 4, 2), "1.2.3");
  EXPECT_EQ(m.Find("PID")->Value(3, 2, 1), "X2");
  auto bytes = Encode(m);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(MustParse(*bytes).Find("PID")->Value(3, 2, 1), "X2");
}

struct BadCase {
  const char* name;
  std::string text;
  const char* location;
};

TEST(Hl7MessageTest, BrokenMessagesAreParseErrorsNamingWhere) {
  const BadCase cases[] = {
      {"empty", "", "MSH-1"},
      {"no MSH", "PID|1||X\r", "MSH-1"},
      {"MSH too short", "MSH|^~", "MSH-1"},
      {"three encoding characters", "MSH|^~\\|A|B\r", "MSH-2"},
      {"alphanumeric delimiter", "MSH|^~a&|A|B\r", "MSH-2"},
      {"repeated delimiter", "MSH|^^\\&|A|B\r", "MSH-2"},
      {"bad segment id", "MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rpid|1\r", "segment 2"},
      {"long segment id", "MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPIDX|1\r", "segment 2"},
      {"unknown charset", "MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5||||||KLINGON\r", "MSH-18"},
      {"invalid UTF-8", "MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5||||||UNICODE UTF-8\rPID|||\xff\xfe\r",
       "MSH-18"},
  };
  for (const BadCase& c : cases) {
    auto m = Parse(c.text);
    ASSERT_FALSE(m.ok()) << c.name;
    EXPECT_EQ(m.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_EQ(m.status().location(), c.location) << c.name << ": " << m.status().ToString();
  }
}

}  // namespace
}  // namespace renkei::hl7
