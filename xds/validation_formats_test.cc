// ITI TF-3 4.2.3.1.7 data types: tables of valid and invalid OID, UUID, CX, uniqueId, hash,
// size, language and MIME values.
#include "xds/validation_formats.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>

namespace renkei::xds {
namespace {

struct FormatCase {
  const char* name;
  std::function<std::string(std::string_view)> check;
  std::string value;
  bool valid;
};

std::string Oid(std::string_view s) { return OidProblem(s); }
std::string Uuid(std::string_view s) { return IsUuidUrn(s) ? "" : "not a uuid"; }

class FormatTest : public ::testing::TestWithParam<FormatCase> {};

TEST_P(FormatTest, Validity) {
  const FormatCase& c = GetParam();
  EXPECT_EQ(c.check(c.value).empty(), c.valid) << c.name << " '" << c.value << "'";
}

const std::string k64(64, '1');
const std::string kOid64 = "1." + std::string(62, '2');  // 64 characters
const std::string kOid65 = "1." + std::string(63, '2');  // 65 characters

INSTANTIATE_TEST_SUITE_P(
    Table, FormatTest,
    ::testing::Values(
        FormatCase{"oid", Oid, "1.3.6.1.4.1.21367.2005.3.7", true},
        FormatCase{"oid", Oid, "2.16.840.1.113883.5.25", true},
        FormatCase{"oid", Oid, "0.0", true},
        FormatCase{"oid", Oid, kOid64, true},
        FormatCase{"oid", Oid, kOid65, false},
        FormatCase{"oid", Oid, "3670984664", false},  // one arc, first arc > 2
        FormatCase{"oid", Oid, "1", false},
        FormatCase{"oid", Oid, "1.2.03", false},
        FormatCase{"oid", Oid, "1..2", false},
        FormatCase{"oid", Oid, "1.2.", false},
        FormatCase{"oid", Oid, "1.2.a", false},
        FormatCase{"oid", Oid, "", false},
        FormatCase{"uuid", Uuid, "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1", true},
        FormatCase{"uuid", Uuid, "urn:uuid:7EDCA82F-054D-47F2-A032-9B2A5B5186C1", true},
        FormatCase{"uuid", Uuid, "urn:uuid:7edca82f054d47f2a0329b2a5b5186c1", false},
        FormatCase{"uuid", Uuid, "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c", false},
        FormatCase{"uuid", Uuid, "urn:uuid:7edca82g-054d-47f2-a032-9b2a5b5186c1", false},
        FormatCase{"uuid", Uuid, "7edca82f-054d-47f2-a032-9b2a5b5186c1", false},
        FormatCase{"cx", CxProblem, "SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO", true},
        FormatCase{"cx", CxProblem, "12345^^^&1.2.392.100495.20.3.51.11312345678&ISO", true},
        FormatCase{"cx", CxProblem, "89765a87b^^^&3.4.5&ISO", true},  // NIST pnr.xml
        FormatCase{"cx", CxProblem, "12345^^^&1..2&ISO", false},
        FormatCase{"cx", CxProblem, "12345", false},
        FormatCase{"cx", CxProblem, "^^^&1.2.3&ISO", false},
        FormatCase{"cx", CxProblem, "12345^^^1.2.3&ISO", false},
        FormatCase{"cx", CxProblem, "12345^^^&1.2.3&DNS", false},
        FormatCase{"cx", CxProblem, "12345^^^&1.2.3", false},
        FormatCase{"cx", CxProblem, "12345^^^&1.2.3&ISO^PI", false},
        FormatCase{"cx", CxProblem, "12345^1^^&1.2.3&ISO", false},
        FormatCase{"cx", CxProblem, "12345^^^NS&1.2.3&ISO", false},
        FormatCase{"cx", CxProblem, "12345^^^&abc&ISO", false},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, "1.3.6.1.4.1.21367.2005.3.99.1", true},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, "1.2.3^A-12345", true},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, "1.2.3^1234567890123456", true},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, "1.2.3^12345678901234567", false},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, "1.2.3^", false},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, "1.2.3^a^b", false},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, "Document01", false},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, kOid65, false},
        FormatCase{"uniqueId", DocumentUniqueIdProblem, kOid64 + "^X", true},
        FormatCase{"hash", HashProblem, "e543712c0e10501972de13a5bfcbe826c49feb75", true},
        FormatCase{"hash", HashProblem, "E543712C0E10501972DE13A5BFCBE826C49FEB75", true},
        FormatCase{"hash", HashProblem, "123e2", false},
        FormatCase{"hash", HashProblem, "e543712c0e10501972de13a5bfcbe826c49feb7g", false},
        FormatCase{"size", SizeProblem, "0", true},
        FormatCase{"size", SizeProblem, "061224", true},
        FormatCase{"size", SizeProblem, "-1", false},
        FormatCase{"size", SizeProblem, "12a", false},
        FormatCase{"size", SizeProblem, "", false},
        FormatCase{"language", LanguageCodeProblem, "en-us", true},
        FormatCase{"language", LanguageCodeProblem, "ja-JP", true},
        FormatCase{"language", LanguageCodeProblem, "ja", true},
        FormatCase{"language", LanguageCodeProblem, "ja_JP", false},
        FormatCase{"language", LanguageCodeProblem, "en-", false},
        FormatCase{"language", LanguageCodeProblem, "1en", false},
        FormatCase{"mime", MimeTypeProblem, "text/plain", true},
        FormatCase{"mime", MimeTypeProblem, "application/pdf", true},
        FormatCase{"mime", MimeTypeProblem, "text/xml; charset=UTF-8", true},
        FormatCase{"mime", MimeTypeProblem, "text", false},
        FormatCase{"mime", MimeTypeProblem, "text/", false},
        FormatCase{"mime", MimeTypeProblem, "te xt/plain", false}));

TEST(TrimAsciiTest, StripsBothEnds) {
  EXPECT_EQ(TrimAscii("  a b\n\t"), "a b");
  EXPECT_EQ(TrimAscii(""), "");
}

}  // namespace
}  // namespace renkei::xds
