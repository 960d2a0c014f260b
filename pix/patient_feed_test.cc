#include "pix/patient_feed.h"

#include <gtest/gtest.h>

#include "pix/internal_test_corpus.h"

namespace renkei::pix {
namespace {

hl7::Message ParseFile(const std::string& relative) {
  auto m = hl7::Parse(testing::PixCorpusFile(relative));
  EXPECT_TRUE(m.ok()) << relative << ": " << m.status().ToString();
  return m.ok() ? std::move(m.value()) : hl7::Message();
}

PatientFeed Decode(const hl7::Message& m) {
  auto f = DecodePatientFeed(m);
  EXPECT_TRUE(f.ok()) << f.status().ToString();
  return f.ok() ? std::move(f.value()) : PatientFeed();
}

TEST(PatientFeedTest, IpfA01NullIdNamesADomainAndIsNotAnIdentifier) {
  PatientFeed f = Decode(ParseFile("ipf-hl7v2-v3-pairs/pixsource-iti8-to-iti44/v2/A01.hl7"));
  EXPECT_EQ(f.event, "A01");
  ASSERT_EQ(f.identifiers.size(), 2u);
  EXPECT_EQ(f.identifiers[0].id, "306563");
  EXPECT_EQ(f.identifiers[0].namespace_id, "MPI");
  EXPECT_EQ(f.identifiers[0].oid, "2.16.840.1.113883.3.37.4.1.1.2.1.1");
  EXPECT_EQ(FormatCx(f.identifiers[1]), "30753^^^&2.16.840.1.113883.3.37.4.1.1.2.611.1&ISO");
  ASSERT_EQ(f.removed_domains.size(), 1u);
  EXPECT_EQ(f.removed_domains[0].oid, "2.71");
  ASSERT_EQ(f.names.size(), 1u);
  EXPECT_EQ(f.names[0].family, "Bob");
  EXPECT_EQ(f.names[0].given, "Barker");
  EXPECT_EQ(f.birth_date, "19290405");
  EXPECT_EQ(f.sex, "M");
  EXPECT_TRUE(f.addresses.empty());  // "^^^^^^H": a type and nothing else
}

TEST(PatientFeedTest, SsMix2KanjiAndKanaNamesAddressAndPhones) {
  PatientFeed f = Decode(ParseFile("ssmix2-jp-iso2022jp/ADT-00_A08_patient-info-update.hl7"));
  EXPECT_EQ(f.event, "A08");
  ASSERT_EQ(f.identifiers.size(), 1u);
  EXPECT_EQ(f.identifiers[0].id, "9999013");
  EXPECT_TRUE(f.identifiers[0].oid.empty());  // SS-MIX2: the domain comes from configuration
  ASSERT_EQ(f.names.size(), 2u);
  EXPECT_EQ(f.names[0], (PersonName{"患者", "太郎", "", "L", "I"}));
  EXPECT_EQ(f.names[1], (PersonName{"カンジャ", "タロウ", "", "L", "P"}));
  ASSERT_EQ(f.addresses.size(), 1u);
  EXPECT_EQ(f.addresses[0].postal_code, "422-8033");
  EXPECT_EQ(f.addresses[0].country, "JPN");
  EXPECT_EQ(f.addresses[0].other.rfind("静岡県静岡市", 0), 0u);
  EXPECT_EQ(f.phones, (std::vector<std::string>{"054-000-0000", "03-5999-9999", "03-3599-9993"}));
}

TEST(PatientFeedTest, MergeCarriesTheIdsMergedAway) {
  PatientFeed f = Decode(ParseFile("ipf-hl7v2/iti8-a40.hl7"));
  EXPECT_EQ(f.event, "A40");
  ASSERT_EQ(f.identifiers.size(), 3u);
  ASSERT_EQ(f.merged.size(), 2u);
  EXPECT_EQ(f.merged[0].id, "305010");
  EXPECT_TRUE(f.merged[0].oid.empty());
  EXPECT_EQ(f.merged[1].oid, "2.16.840.1.113883.3.37.4.1.1.2.611.1");
}

TEST(PatientFeedTest, MissingPiecesAreErrorsWithTheirHl7Codes) {
  auto no_pid = hl7::Parse("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rEVN|A01\r");
  ASSERT_TRUE(no_pid.ok());
  auto f = DecodePatientFeed(*no_pid);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().detail(), "100");

  auto no_ids = hl7::Parse("MSH|^~\\&|A|B|C|D|1||ADT^A01|1|P|2.5\rPID|1||\"\"^^^&1.2&ISO\r");
  ASSERT_TRUE(no_ids.ok());
  f = DecodePatientFeed(*no_ids);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().detail(), "101");
  EXPECT_EQ(f.status().location(), "PID^1^3");

  auto no_mrg = hl7::Parse("MSH|^~\\&|A|B|C|D|1||ADT^A40|1|P|2.5\rPID|1||1^^^&1.2&ISO\r");
  ASSERT_TRUE(no_mrg.ok());
  f = DecodePatientFeed(*no_mrg);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().location(), "MRG");
}

}  // namespace
}  // namespace renkei::pix
