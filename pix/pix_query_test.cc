#include "pix/pix_query.h"

#include <gtest/gtest.h>

#include "pix/internal_test_corpus.h"

namespace renkei::pix {
namespace {

hl7::Message ParseConformance(const std::string& relative) {
  auto m = hl7::Parse(
      testing::PixCorpusFile("ipf-hl7v2-v3-pairs/pixquery-iti45-vs-iti9/v2/" + relative));
  EXPECT_TRUE(m.ok()) << relative << ": " << m.status().ToString();
  return m.ok() ? std::move(m.value()) : hl7::Message();
}

// The QBP^Q23 a MESA client sent, rebuilt from the QPD its recorded response echoes.
hl7::Message RequestFor(const hl7::Message& response) {
  std::string text =
      "MSH|^~\\&|MESA_PIX_CLIENT|MESA_DEPARTMENT|MESA_XREF|XYZ_HOSPITAL|20081120||QBP^Q23^QBP_Q21|"
      "10501108|P|2.5\r";
  auto qpd = hl7::Encode([&] {
    hl7::Message m = response.WithoutSegments();
    hl7::Segment& s = m.Add("QPD");
    const hl7::Segment* src = response.Find("QPD");
    for (int f = 1; src && f <= src->field_count(); ++f) s.SetField(f, *src->GetField(f));
    return m;
  }());
  text += *qpd + "RCP|I\r";
  auto m = hl7::Parse(text);
  EXPECT_TRUE(m.ok()) << m.status().ToString();
  return std::move(m.value());
}

AckContext Ctx() {
  AckContext c;
  c.application = "MESA_XREF";
  c.facility = "XYZ_HOSPITAL";
  c.control_id = "205204";
  c.timestamp = "20081120123441";
  return c;
}

TEST(PixQueryTest, DomainsInThreeSpellings) {
  hl7::Message expected = ParseConformance("ok-2_Response.hl7");
  hl7::Message request = RequestFor(expected);
  auto q = DecodePixQuery(request);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->query_tag, "QRY10501108");
  EXPECT_EQ(q->person.id, "79471");
  EXPECT_EQ(q->person.namespace_id, "HZLN");
  ASSERT_EQ(q->wanted_domains.size(), 3u);
  EXPECT_EQ(q->wanted_domains[0].namespace_id, "KHKN");
  EXPECT_EQ(q->wanted_domains[1].oid, "2.16.840.1.113883.3.37.4.1.1.2.411.1");
  EXPECT_EQ(q->wanted_domains[2].namespace_id, "PKLN");
  EXPECT_EQ(q->wanted_domains[2].oid, "2.16.840.1.113883.3.37.4.1.1.2.511.1");

  // Answered with what MESA's PIX Manager found, the response matches the recorded one.
  PixAnswer answer;
  answer.identifiers = {{"79471", "HZLN", "2.16.840.1.113883.3.37.4.1.1.2.411.1", "PI"},
                        {"78912", "PKLN", "2.16.840.1.113883.3.37.4.1.1.2.511.1", "PI"}};
  hl7::Message rsp = MakePixResponse(request, *q, answer, Ctx());
  auto mine = hl7::Encode(rsp);
  auto theirs = hl7::Encode(expected);
  ASSERT_TRUE(mine.ok() && theirs.ok());
  EXPECT_EQ(*mine, *theirs);
}

TEST(PixQueryTest, NotFoundHasNoPid) {
  hl7::Message expected = ParseConformance("nf-1_Response.hl7");
  hl7::Message request = RequestFor(expected);
  auto q = DecodePixQuery(request);
  ASSERT_TRUE(q.ok());
  PixAnswer answer;
  answer.status = PixQueryStatus::kNotFound;
  AckContext ctx = Ctx();
  ctx.control_id = "205198";
  ctx.timestamp = "20081120101527";
  EXPECT_EQ(*hl7::Encode(MakePixResponse(request, *q, answer, ctx)), *hl7::Encode(expected));
}

TEST(PixQueryTest, UnknownPatientIsAnErrorAtQpd3) {
  hl7::Message expected = ParseConformance("err-1_Response.hl7");
  hl7::Message request = RequestFor(expected);
  auto q = DecodePixQuery(request);
  ASSERT_TRUE(q.ok());
  PixAnswer answer;
  answer.status = PixQueryStatus::kError;
  answer.errors = {{"204", "QPD^1^3^1^1", "Unknown patient ID"}};
  hl7::Message rsp = MakePixResponse(request, *q, answer, Ctx());
  EXPECT_EQ(rsp.Find("MSA")->Value(1), "AE");
  EXPECT_EQ(rsp.Find("QAK")->Value(2), "AE");
  EXPECT_EQ(rsp.Find("ERR")->Value(2, 1, 1), expected.Find("ERR")->Value(2, 1, 1));
  EXPECT_EQ(rsp.Find("ERR")->Value(2, 1, 3), "3");
  EXPECT_EQ(rsp.Find("ERR")->Value(3, 1, 1), expected.Find("ERR")->Value(3));
  EXPECT_EQ(rsp.Find("PID"), nullptr);
}

TEST(PixQueryTest, MalformedQueries) {
  auto no_qpd = hl7::Parse("MSH|^~\\&|A|B|C|D|1||QBP^Q23|1|P|2.5\rRCP|I\r");
  ASSERT_TRUE(no_qpd.ok());
  EXPECT_EQ(DecodePixQuery(*no_qpd).status().detail(), "100");
  auto no_authority =
      hl7::Parse("MSH|^~\\&|A|B|C|D|1||QBP^Q23|1|P|2.5\rQPD|IHE PIX Query|T1|123\r");
  ASSERT_TRUE(no_authority.ok());
  EXPECT_EQ(DecodePixQuery(*no_authority).status().location(), "QPD^1^3^1^4");
}

}  // namespace
}  // namespace renkei::pix
