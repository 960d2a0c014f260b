// ITI-8 and ITI-9 through Hl7PixService with the conformance corpus's messages
// (../shared/conformance/pix/expected.txt says what each must produce).
#include "pix/hl7_pix_service.h"

#include <gtest/gtest.h>

#include <cstring>

#include "pix/internal_test_corpus.h"
#include "pix/sqlite_identity_store.h"

namespace renkei::pix {
namespace {

constexpr char kRegion[] = "1.2.392.200119.6.1";
constexpr char kMpi[] = "2.16.840.1.113883.3.37.4.1.1.2.1.1";
constexpr char kKhkn[] = "2.16.840.1.113883.3.37.4.1.1.2.611.1";

std::string Corpus(const std::string& relative) {
  std::string bytes = testing::PixCorpusFile(relative);
  EXPECT_FALSE(bytes.empty()) << relative;
  return bytes;
}

class Hl7PixServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { Start({}); }
  void Start(Domains domains) {
    service_.reset();
    SqliteIdentityStore::Options o;
    o.regional_oid = kRegion;
    store_ = std::move(SqliteIdentityStore::Open(":memory:", o).value());
    service_ = std::make_unique<Hl7PixService>(*store_, std::move(domains), "RENKEI", "CENTRE");
  }
  hl7::Message Send(const std::string& bytes) {
    auto reply = hl7::Parse(service_->Handle(bytes));
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? std::move(reply.value()) : hl7::Message();
  }
  static std::string Msa(const hl7::Message& m) { return m.Find("MSA") ? m.Find("MSA")->Value(1) : ""; }
  static std::string ErrCode(const hl7::Message& m, int nth = 1) {
    const hl7::Segment* e = m.Find("ERR", nth);
    if (!e) return "";
    return e->Value(3).empty() ? e->Value(1, 1, 4, 1) : e->Value(3);
  }
  static std::string Query(const std::string& cx, const std::string& domains = "") {
    return "MSH|^~\\&|CLIENT|CLINIC|RENKEI|CENTRE|20261125||QBP^Q23^QBP_Q21|Q1|P|2.5\r"
           "QPD|IHE PIX Query|TAG1|" + cx + "|" + domains + "\rRCP|I\r";
  }
  std::unique_ptr<SqliteIdentityStore> store_;
  std::unique_ptr<Hl7PixService> service_;
};

TEST_F(Hl7PixServiceTest, IpfFeedsAndAQueryAcrossDomains) {
  hl7::Message ack = Send(Corpus("ipf-hl7v2-v3-pairs/pixsource-iti8-to-iti44/v2/A01.hl7"));
  EXPECT_EQ(Msa(ack), "AA");
  EXPECT_EQ(ack.Find("MSA")->Value(2), "371601");
  EXPECT_EQ(ack.Find("MSH")->Value(9, 1, 1), "ACK");
  EXPECT_EQ(ack.Find("MSH")->Value(12), "2.3.1");
  // The "" id of domain 2.71 was not stored.
  EXPECT_FALSE(store_->Find(Cx{"\"\"", "", "2.71", ""}).ok());
  EXPECT_EQ(Msa(Send(Corpus("ipf-hl7v2-v3-pairs/pixsource-iti8-to-iti44/v2/A04.hl7"))), "AA");
  EXPECT_EQ(Msa(Send(Corpus("ipf-hl7v2-v3-pairs/pixsource-iti8-to-iti44/v2/A08.hl7"))), "AA");
  EXPECT_EQ(Msa(Send(Corpus("ipf-hl7v2-v3-pairs/pixsource-iti8-to-iti44/v2/A01_with_BR.hl7"))), "AA");

  hl7::Message rsp = Send(Query(std::string("306563^^^&") + kMpi + "&ISO",
                                std::string("^^^&") + kKhkn + "&ISO"));
  EXPECT_EQ(rsp.Find("MSH")->Value(9, 1, 1), "RSP");
  EXPECT_EQ(Msa(rsp), "AA");
  EXPECT_EQ(rsp.Find("QAK")->Value(2), "OK");
  ASSERT_NE(rsp.Find("PID"), nullptr);
  EXPECT_EQ(rsp.Find("PID")->Repetitions(3), 1);
  EXPECT_EQ(rsp.Find("PID")->Value(3, 1, 1), "30753");
  // Without QPD-4: every other domain, the regional one included.
  hl7::Message all = Send(Query(std::string("306563^^^&") + kMpi + "&ISO"));
  EXPECT_EQ(all.Find("PID")->Repetitions(3), 2);
  EXPECT_EQ(all.Find("PID")->Value(3, 1, 4, 2), kRegion);
}

TEST_F(Hl7PixServiceTest, A10IsNotAFeedAndCreatesNothing) {
  hl7::Message ack = Send(Corpus("ipf-hl7v2-v3-pairs/pixsource-iti8-to-iti44/v2/A10.hl7"));
  EXPECT_EQ(Msa(ack), "AR");
  EXPECT_EQ(ErrCode(ack), "201");
  EXPECT_FALSE(store_->Find(Cx{"306563", "", kMpi, ""}).ok());
}

TEST_F(Hl7PixServiceTest, MergeMakesTheOldIdResolveToTheSurvivor) {
  EXPECT_EQ(Msa(Send(std::string("MSH|^~\\&|ICW_MPI|ICW|PIX|CENTRE|2010||ADT^A01|1|P|2.3.1\r"
                                 "PID|1||704686^^^130&") + kMpi + "&ISO||LENNON^JOHN\r")),
            "AA");
  hl7::Message ack = Send(Corpus("ipf-hl7v2-v3-pairs/pixsource-iti8-to-iti44/v2/A40.hl7"));
  EXPECT_EQ(Msa(ack), "AA") << ErrCode(ack);
  auto old_id = store_->Find(Cx{"704686", "", kMpi, ""});
  auto survivor = store_->Find(Cx{"142025", "", kMpi, ""});
  ASSERT_TRUE(old_id.ok() && survivor.ok());
  EXPECT_EQ(old_id->regional_id, survivor->regional_id);
  // A merge of an id nobody knows is an error, at MRG-1.
  hl7::Message unknown = Send(Corpus("ipf-hl7v2/iti8-a40.hl7"));
  EXPECT_EQ(Msa(unknown), "AE");
}

TEST_F(Hl7PixServiceTest, IdsWithoutAuthorityNeedTheSendersDefaultDomain) {
  hl7::Message refused = Send(Corpus("ipf-hl7v2/hl7v2message.hl7"));
  EXPECT_EQ(Msa(refused), "AE");
  EXPECT_EQ(ErrCode(refused), "204");
  EXPECT_EQ(refused.Find("ERR")->Value(1, 1, 1), "PID");  // v2.3.1: ERR-1

  Domains d;
  d.facility_default_oid["HZL"] = "1.2.392.100495.20.3.51.11310000009";
  d.facility_default_oid["SEND"] = "1.2.392.100495.20.3.51.12210000001";
  Start(d);
  EXPECT_EQ(Msa(Send(Corpus("ipf-hl7v2/hl7v2message.hl7"))), "AA");
  hl7::Message jp = Send(Corpus("ssmix2-jp-iso2022jp/ADT-22_A01_admit.hl7"));
  EXPECT_EQ(Msa(jp), "AA");
  EXPECT_EQ(jp.charset(), hl7::Charset::kIso2022Jp);
  auto p = store_->Find(Cx{"9999013", "", "1.2.392.100495.20.3.51.12210000001", ""});
  ASSERT_TRUE(p.ok());
  ASSERT_EQ(p->names.size(), 2u);
  EXPECT_EQ(p->names[0].family, "患者");
  EXPECT_EQ(p->names[1].family, "カンジャ");
  // The SS-MIX2 update adds the address without a second patient.
  EXPECT_EQ(Msa(Send(Corpus("ssmix2-jp-iso2022jp/ADT-00_A08_patient-info-update.hl7"))), "AA");
  auto updated = store_->Find(Cx{"9999013", "", "1.2.392.100495.20.3.51.12210000001", ""});
  EXPECT_EQ(updated->regional_id, p->regional_id);
  EXPECT_EQ(updated->addresses.size(), 1u);
}

TEST_F(Hl7PixServiceTest, NamespaceOnlyDomainsNeedTheMap) {
  const std::string reg = Corpus("ipf-hl7v2-v3-pairs/pixfeed-iti44-to-iti8/v2/PIX_FEED_REG_Maximal_Request.hl7");
  hl7::Message refused = Send(reg);
  EXPECT_EQ(Msa(refused), "AE");
  EXPECT_EQ(refused.Find("ERR")->Value(1, 1, 3), "3");
  Domains d;
  d.namespace_to_oid["domain2"] = "1.2.3.4.5.2000";
  Start(d);
  EXPECT_EQ(Msa(Send(reg)), "AA");
  auto p = store_->Find(Cx{"PIX10515W5", "", "1.2.3.4.5.2000", ""});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->identifiers.size(), 4u);  // regional + three
}

// IPF's ITI-44 <-> ITI-8 pair: register, revise (A08 with a null id of another domain), and
// a merge whose merged id is fed first.
TEST_F(Hl7PixServiceTest, IpfRegisterReviseMerge) {
  Domains d;
  d.namespace_to_oid["domain2"] = "1.2.3.4.5.2000";
  Start(d);
  const std::string dir = "ipf-hl7v2-v3-pairs/pixfeed-iti44-to-iti8/v2/";
  EXPECT_EQ(Msa(Send(Corpus(dir + "PIX_FEED_REG_Maximal_Request.hl7"))), "AA");
  const std::string regional = store_->Find(Cx{"PIX10515W3", "", "1.3.6.1.4.1.21367.2005.1.1", ""})->regional_id;
  EXPECT_EQ(Msa(Send(Corpus(dir + "PIX_FEED_REV_Maximal_Request.hl7"))), "AA");
  auto revised = store_->Find(Cx{"PIX10515W5", "", "1.2.3.4.5.2000", ""});
  ASSERT_TRUE(revised.ok());
  EXPECT_EQ(revised->regional_id, regional);
  EXPECT_EQ(revised->names[0].family, "WASHINGTON-UPDATE");
  // The merge names 120-02 (domain1) as merged away: unknown until fed.
  hl7::Message unknown = Send(Corpus(dir + "PIX_FEED_MERGE_Maximal_Request.hl7"));
  EXPECT_EQ(Msa(unknown), "AE");
  EXPECT_EQ(ErrCode(unknown), "204");
  EXPECT_EQ(Msa(Send("MSH|^~\\&|A|B|C|D|2009||ADT^A01|9|P|2.3.1\rPID|||120-02^^^domain1&1.2.3.4.666&ISO\r")), "AA");
  EXPECT_EQ(Msa(Send(Corpus(dir + "PIX_FEED_MERGE_Maximal_Request.hl7"))), "AA");
  EXPECT_EQ(store_->Find(Cx{"120-02", "", "1.2.3.4.666", ""})->regional_id,
            store_->Find(Cx{"120-01", "", "1.2.3.4.5.1000", ""})->regional_id);
}

TEST_F(Hl7PixServiceTest, NistA43MoveIsNotSupported) {
  std::string a43 = Corpus("nist-toolkit-hl7v2/A43-template.hl7");
  for (const char* v : {"$MSH3$", "$MSH4$", "$MSH5$", "$MSH6$", "$MSH7$"}) a43.replace(a43.find(v), strlen(v), "X");
  a43.replace(a43.find("$NewXADPID$"), 11, "N1^^^&1.2.3&ISO");
  a43.replace(a43.find("$NewLocalPID$"), 13, "N2^^^&1.2.4&ISO");
  a43.replace(a43.find("$OldXADPID$"), 11, "O1^^^&1.2.3&ISO");
  a43.replace(a43.find("$OldLocalPID$"), 13, "O2^^^&1.2.4&ISO");
  hl7::Message ack = Send(a43);
  EXPECT_EQ(Msa(ack), "AR");
  EXPECT_EQ(ErrCode(ack), "201");
  EXPECT_FALSE(store_->Find(Cx{"N1", "", "1.2.3", ""}).ok());
}

TEST_F(Hl7PixServiceTest, NistFeeds) {
  std::string tpl = Corpus("nist-toolkit-hl7v2/A01-template.hl7");
  tpl.replace(tpl.find("$pid$"), 5, "NIST-77^^^&1.3.6.1.4.1.21367.2005.13.20.1000&ISO");
  EXPECT_EQ(Msa(Send(tpl)), "AA");
  EXPECT_EQ(Msa(Send(Corpus("nist-toolkit-hl7v2/A01-2.hl7"))), "AA");
  auto p = store_->Find(Cx{"000-00-0000", "", "2.16.840.1.113883.4.1", ""});
  ASSERT_TRUE(p.ok());
}

TEST_F(Hl7PixServiceTest, QueryErrorsOfIti9) {
  Domains d;
  d.namespace_to_oid["HZLN"] = "2.16.840.1.113883.3.37.4.1.1.2.411.1";
  d.namespace_to_oid["PKLN"] = "2.16.840.1.113883.3.37.4.1.1.2.511.1";
  Start(d);
  EXPECT_EQ(Msa(Send("MSH|^~\\&|A|B|C|D|2008||ADT^A01|1|P|2.5\rPID|1||79471^^^HZLN^PI\r")), "AA");
  // Unknown patient: AE, QAK AE, ERR 204 at QPD^1^3^1^1 (MESA err-1).
  hl7::Message unknown = Send(Query("NonExistingPatientId^^^HZLN^PI"));
  EXPECT_EQ(Msa(unknown), "AE");
  EXPECT_EQ(unknown.Find("QAK")->Value(2), "AE");
  EXPECT_EQ(ErrCode(unknown), "204");
  EXPECT_EQ(unknown.Find("ERR")->Value(2, 1, 3), "3");
  // Unknown wanted domains: one ERR each at QPD^1^4^<repetition> (MESA err-2).
  hl7::Message domains = Send(Query("79471^^^HZLN^PI", "^^^PKLN~^^^NONEXISTING~^^^&1.2.3.4&ISO"));
  EXPECT_EQ(Msa(domains), "AE");
  ASSERT_NE(domains.Find("ERR", 2), nullptr);
  EXPECT_EQ(domains.Find("ERR", 1)->Value(2, 1, 4), "2");
  EXPECT_EQ(domains.Find("ERR", 2)->Value(2, 1, 4), "3");
  // Known, nothing in the wanted domain: AA / NF and no PID (MESA nf-1).
  hl7::Message nf = Send(Query("79471^^^HZLN^PI", "^^^PKLN"));
  EXPECT_EQ(Msa(nf), "AA");
  ASSERT_NE(nf.Find("QAK"), nullptr);
  EXPECT_EQ(nf.Find("QAK")->Value(2), "NF");
  EXPECT_EQ(nf.Find("PID"), nullptr);
  // Found: the namespace is written back with the OID (MESA ok-3 form).
  EXPECT_EQ(Msa(Send("MSH|^~\\&|A|B|C|D|2008||ADT^A08|2|P|2.5\rPID|1||79471^^^HZLN~78912^^^PKLN\r")), "AA");
  hl7::Message ok = Send(Query("79471^^^HZLN^PI", "^^^PKLN"));
  EXPECT_EQ(ok.Find("QAK")->Value(2), "OK");
  EXPECT_EQ(ok.Find("PID")->Value(3, 1, 1), "78912");
  EXPECT_EQ(ok.Find("PID")->Value(3, 1, 4, 1), "PKLN");
}

TEST_F(Hl7PixServiceTest, BrokenAndUnsupportedMessages) {
  hl7::Message garbage = Send("this is not HL7");
  EXPECT_EQ(Msa(garbage), "AR");
  EXPECT_EQ(ErrCode(garbage), "100");
  hl7::Message charset = Send("MSH|^~\\&|A|B|C|D|1||ADT^A01|C9|P|2.5||||||KLINGON\rPID|1||1^^^&1.2&ISO\r");
  EXPECT_EQ(Msa(charset), "AR");
  EXPECT_EQ(ErrCode(charset), "103");
  EXPECT_EQ(charset.Find("MSA")->Value(2), "C9");
  hl7::Message bytes = Send("MSH|^~\\&|A|B|C|D|1||ADT^A01|C9|P|2.5||||||UNICODE UTF-8\rPID|1||\xff\r");
  EXPECT_EQ(ErrCode(bytes), "102");
  hl7::Message version = Send("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|3.0\rPID|1||1^^^&1.2&ISO\r");
  EXPECT_EQ(Msa(version), "AR");
  EXPECT_EQ(ErrCode(version), "203");
  hl7::Message type = Send("MSH|^~\\&|A|B|C|D|1||ORU^R01|1|P|2.5\rPID|1||1^^^&1.2&ISO\r");
  EXPECT_EQ(ErrCode(type), "200");
  hl7::Message pdq = Send(Corpus("ipf-hl7v2/qbp-q22-pdq-query.hl7"));
  EXPECT_EQ(Msa(pdq), "AR");
  EXPECT_EQ(ErrCode(pdq), "201");
  hl7::Message no_pid = Send("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rEVN|A01\r");
  EXPECT_EQ(Msa(no_pid), "AE");
  EXPECT_EQ(ErrCode(no_pid), "100");
  // None of these created a patient.
  PatientSearch everyone;
  EXPECT_TRUE(store_->Search(everyone)->patients.empty());
}

}  // namespace
}  // namespace renkei::pix
