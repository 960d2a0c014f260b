#include "pix/hl7_ack.h"

#include <gtest/gtest.h>

namespace renkei::pix {
namespace {

AckContext Ctx() {
  AckContext c;
  c.application = "RENKEI_PIX";
  c.facility = "CENTRE";
  c.control_id = "ACK-1";
  c.timestamp = "20261125120000+0900";
  return c;
}

hl7::Message Request(const std::string& version, const std::string& charset = "") {
  auto m = hl7::Parse("MSH|^~\\&|EMR|HOSP_A|PIX|CENTRE|20261125||ADT^A01^ADT_A01|REQ-7|P|" +
                      version + "||||||" + charset + "\rPID|1||1^^^&1.2&ISO\r");
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(m.value());
}

TEST(Hl7AckTest, AcceptSwapsPartiesAndEchoesTheControlId) {
  hl7::Message ack = MakeAck(Request("2.5"), AckCode::kAccept, {}, Ctx());
  auto bytes = hl7::Encode(ack);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(*bytes,
            "MSH|^~\\&|RENKEI_PIX|CENTRE|EMR|HOSP_A|20261125120000+0900||ACK^A01^ACK|ACK-1|P|2.5\r"
            "MSA|AA|REQ-7\r");
}

TEST(Hl7AckTest, ErrorsInV25UseErr2To8) {
  hl7::Message ack = MakeAck(Request("2.5"), AckCode::kError,
                             {{"204", "PID^1^3^1^4", "unknown assigning authority 1.2"}}, Ctx());
  const hl7::Segment* msa = ack.Find("MSA");
  ASSERT_NE(msa, nullptr);
  EXPECT_EQ(msa->Value(1), "AE");
  EXPECT_EQ(msa->Value(3), "unknown assigning authority 1.2");
  const hl7::Segment* err = ack.Find("ERR");
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->Value(2, 1, 1), "PID");
  EXPECT_EQ(err->Value(2, 1, 3), "3");
  EXPECT_EQ(err->Value(2, 1, 5), "4");
  EXPECT_EQ(err->Value(3, 1, 1), "204");
  EXPECT_EQ(err->Value(3, 1, 2), "Unknown key identifier");
  EXPECT_EQ(err->Value(3, 1, 3), "HL70357");
  EXPECT_EQ(err->Value(4), "E");
  EXPECT_EQ(err->Value(8), "unknown assigning authority 1.2");
}

TEST(Hl7AckTest, ErrorsInV231UseErr1) {
  hl7::Message ack = MakeAck(Request("2.3.1"), AckCode::kError,
                             {{"101", "PID^1^3", "no identifier"}}, Ctx());
  EXPECT_EQ(ack.Find("MSH")->Value(12), "2.3.1");
  const hl7::Segment* err = ack.Find("ERR");
  ASSERT_NE(err, nullptr);
  EXPECT_EQ(err->Value(1, 1, 1), "PID");
  EXPECT_EQ(err->Value(1, 1, 3), "3");
  EXPECT_EQ(err->Value(1, 1, 4, 1), "101");
  EXPECT_EQ(err->Value(1, 1, 4, 2), "Required field missing");
  EXPECT_EQ(err->Value(3), "");
}

TEST(Hl7AckTest, ReplyKeepsTheRequestsCharacterSet) {
  hl7::Message ack = MakeAck(Request("2.5", "~ISO IR87"), AckCode::kError,
                             {{"204", "PID^1^3", "患者IDが見つかりません"}}, Ctx());
  EXPECT_EQ(ack.charset(), hl7::Charset::kIso2022Jp);
  auto bytes = hl7::Encode(ack);
  ASSERT_TRUE(bytes.ok());
  EXPECT_NE(bytes->find("|~ISO IR87"), std::string::npos);
  EXPECT_NE(bytes->find("\x1b$B"), std::string::npos);
  auto back = hl7::Parse(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->Find("MSA")->Value(3), "患者IDが見つかりません");
}

TEST(Hl7AckTest, UnparsableInputGetsAnArReject) {
  hl7::Message ack = MakeRejectForUnparsable(
      "MSH|^~\\&|A|B|C|D|2026||ADT^A01|CTRL42|P|2.5||||||KLINGON\r",
      {"203", "MSH^1^18", "unsupported character set"}, Ctx());
  EXPECT_EQ(ack.Find("MSA")->Value(1), "AR");
  EXPECT_EQ(ack.Find("MSA")->Value(2), "CTRL42");
  EXPECT_EQ(ack.Find("ERR")->Value(3, 1, 1), "203");
  hl7::Message garbage = MakeRejectForUnparsable("\x01\x02 not hl7", {"100", "", "no MSH"}, Ctx());
  EXPECT_EQ(garbage.Find("MSA")->Value(2), "");
  EXPECT_TRUE(hl7::Encode(garbage).ok());
}

}  // namespace
}  // namespace renkei::pix
