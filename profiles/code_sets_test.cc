// Affinity-domain code sets: loading the shipped data files, lookups, union of files, and
// every way a data file can be malformed.
#include "profiles/code_sets.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "xds/validation_formats.h"
#include "xds/xds_constants.h"

namespace renkei::profiles {
namespace {

constexpr char kLoinc[] = "2.16.840.1.113883.6.1";
constexpr char kConfidentiality[] = "2.16.840.1.113883.5.25";
constexpr char kIheFormat[] = "1.3.6.1.4.1.19376.1.2.3";

std::string DataFile(const char* name) { return std::string(SourceDataDir()) + "/" + name; }

const CodeSets& Defaults() {
  static const CodeSets* sets = [] {
    Result<CodeSets> r = CodeSets::LoadDefault(SourceDataDir());
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return new CodeSets(r.ok() ? std::move(r).value() : CodeSets());
  }();
  return *sets;
}

struct LookupCase {
  const char* scheme;
  const char* code;
  const char* coding_scheme;
  bool known;
};

class DefaultCodeSetsTest : public ::testing::TestWithParam<LookupCase> {};

TEST_P(DefaultCodeSetsTest, Lookup) {
  const LookupCase& c = GetParam();
  EXPECT_EQ(Defaults().IsKnownCode(c.scheme, c.code, c.coding_scheme), c.known)
      << c.scheme << " " << c.code << " " << c.coding_scheme;
}

using xds::kDocEntryClassCode;
using xds::kDocEntryConfidentialityCode;
using xds::kDocEntryFormatCode;
using xds::kDocEntryHealthcareFacilityTypeCode;
using xds::kDocEntryPracticeSettingCode;
using xds::kDocEntryTypeCode;
using xds::kFolderCodeList;
using xds::kSubmissionSetContentTypeCode;

INSTANTIATE_TEST_SUITE_P(
    Table, DefaultCodeSetsTest,
    ::testing::Values(
        // region-codes.json
        LookupCase{kDocEntryTypeCode, "18842-5", kLoinc, true},
        LookupCase{kDocEntryTypeCode, "34874-6", kLoinc, true},
        LookupCase{kDocEntryTypeCode, "11506-3", kLoinc, true},
        LookupCase{kDocEntryTypeCode, "57833-6", kLoinc, true},
        LookupCase{kDocEntryTypeCode, "11502-2", kLoinc, true},
        LookupCase{kDocEntryTypeCode, "57133-1", kLoinc, true},
        LookupCase{kDocEntryTypeCode, "18842-5", "LOINC", false},  // codingScheme matters
        LookupCase{kDocEntryTypeCode, "99999-9", kLoinc, false},
        LookupCase{kDocEntryFormatCode, "urn:ihe:iti:xds-sd:pdf:2008", kIheFormat, true},
        LookupCase{kDocEntryFormatCode, "urn:ihe:iti:xds-sd:text:2008", kIheFormat, true},
        LookupCase{kDocEntryFormatCode, "urn:ihe:lab:xd-lab:2008", kIheFormat, true},
        LookupCase{kDocEntryFormatCode, "urn:example:unknown", kIheFormat, false},
        LookupCase{kDocEntryConfidentialityCode, "N", kConfidentiality, true},
        LookupCase{kDocEntryConfidentialityCode, "R", kConfidentiality, true},
        LookupCase{kDocEntryConfidentialityCode, "V", kConfidentiality, true},
        LookupCase{kDocEntryConfidentialityCode, "L", kConfidentiality, false},
        LookupCase{kDocEntryClassCode, "DischargeSummary",
                   "2.25.38518866043029637148133655272121541030", true},
        LookupCase{kDocEntryHealthcareFacilityTypeCode, "22232009", "2.16.840.1.113883.6.96",
                   true},
        LookupCase{kDocEntryPracticeSettingCode, "394802001", "2.16.840.1.113883.6.96", true},
        // conformance-codes.json (NIST testkit / IHE examples)
        LookupCase{kDocEntryClassCode, "Consult", "Connect-a-thon classCodes", true},
        LookupCase{kDocEntryConfidentialityCode, "1.3.6.1.4.1.21367.2006.7.101",
                   "Connect-a-thon confidentialityCodes", true},
        LookupCase{kDocEntryFormatCode, "CDAR2/IHE 1.0", "Connect-a-thon formatCodes", true},
        LookupCase{kDocEntryTypeCode, "34108-1", "LOINC", true},
        LookupCase{kFolderCodeList, "Referrals", "Connect-a-thon folderCodeList", true},
        LookupCase{kSubmissionSetContentTypeCode, "225728007", "2.16.840.1.113883.6.96", true},
        // an attribute no file restricts accepts anything
        LookupCase{"urn:uuid:00000000-0000-4000-8000-000000000000", "x", "y", true}));

TEST(CodeSetsTest, DefaultsHoldBothFiles) {
  EXPECT_GT(Defaults().size(), 100u);
  EXPECT_EQ(Defaults().AttributeName(kDocEntryClassCode), "classCode");
  EXPECT_EQ(Defaults().Display(kDocEntryTypeCode, "18842-5", kLoinc), "Discharge summary");
  EXPECT_EQ(Defaults().Display(kDocEntryTypeCode, "nope", kLoinc), "");
  ASSERT_NE(Defaults().Codes(kDocEntryConfidentialityCode), nullptr);
  EXPECT_EQ(Defaults().Codes("urn:uuid:00000000-0000-4000-8000-000000000000"), nullptr);
  bool pdf = false;
  for (const std::string& m : Defaults().mime_types()) pdf = pdf || m == "application/pdf";
  EXPECT_TRUE(pdf);
}

TEST(CodeSetsTest, RegionFileAloneRefusesConformanceCodes) {
  Result<CodeSets> r = CodeSets::Load({DataFile(kRegionCodesFile)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_FALSE(r->IsKnownCode(kDocEntryClassCode, "Consult", "Connect-a-thon classCodes"));
  EXPECT_TRUE(r->IsKnownCode(kDocEntryTypeCode, "57133-1", kLoinc));
}

TEST(CodeSetsTest, RegionCodesAreWellFormed) {
  Result<CodeSets> r = CodeSets::Load({DataFile(kRegionCodesFile)});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  for (const char* scheme :
       {kDocEntryClassCode, kDocEntryTypeCode, kDocEntryFormatCode, kDocEntryConfidentialityCode,
        kDocEntryHealthcareFacilityTypeCode, kDocEntryPracticeSettingCode,
        kSubmissionSetContentTypeCode, kFolderCodeList}) {
    const std::vector<CodeEntry>* codes = r->Codes(scheme);
    ASSERT_NE(codes, nullptr) << scheme;
    EXPECT_FALSE(codes->empty()) << scheme;
    for (const CodeEntry& e : *codes) {
      EXPECT_TRUE(xds::IsOid(e.coding_scheme)) << scheme << " " << e.code;
      EXPECT_FALSE(e.display.empty()) << scheme << " " << e.code;
    }
  }
}

TEST(CodeSetsTest, AddAndUnion) {
  CodeSets sets;
  EXPECT_TRUE(sets.IsKnownCode(kDocEntryClassCode, "A", "S"));  // unrestricted
  sets.Add(kDocEntryClassCode, "classCode", {"A", "S", "a"});
  sets.Add(kDocEntryClassCode, "classCode", {"A", "S", "duplicate"});
  EXPECT_EQ(sets.size(), 1u);
  EXPECT_TRUE(sets.IsKnownCode(kDocEntryClassCode, "A", "S"));
  EXPECT_FALSE(sets.IsKnownCode(kDocEntryClassCode, "B", "S"));
  ASSERT_TRUE(sets.MergeJson(R"({"attributes":[{"classificationScheme":")" +
                                 std::string(kDocEntryClassCode) +
                                 R"(","codes":[{"code":"B","codingScheme":"S"}]}]})",
                             "inline")
                  .ok());
  EXPECT_TRUE(sets.IsKnownCode(kDocEntryClassCode, "A", "S"));
  EXPECT_TRUE(sets.IsKnownCode(kDocEntryClassCode, "B", "S"));
}

TEST(CodeSetsTest, EmptyCodeListRestrictsEverything) {
  CodeSets sets;
  ASSERT_TRUE(sets.MergeJson(R"({"attributes":[{"classificationScheme":")" +
                                 std::string(kDocEntryClassCode) + R"(","codes":[]}]})",
                             "inline")
                  .ok());
  EXPECT_FALSE(sets.IsKnownCode(kDocEntryClassCode, "A", "S"));
}

TEST(CodeSetsTest, MissingFileIsNotFound) {
  Result<CodeSets> r = CodeSets::Load({"/nonexistent/codes.json"});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(r.status().IsNotFound());
  EXPECT_EQ(r.status().detail(), "CodeSetError");
  EXPECT_EQ(r.status().location(), "/nonexistent/codes.json");
}

struct BadCase {
  const char* json;
  const char* message_part;
};

class BadCodeSetTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadCodeSetTest, IsInvalidArgumentNamingThePath) {
  CodeSets sets;
  sets.Add(kDocEntryClassCode, "classCode", {"A", "S", ""});
  Status st = sets.MergeJson(GetParam().json, "bad.json");
  ASSERT_FALSE(st.ok());
  EXPECT_TRUE(st.IsInvalidArgument());
  EXPECT_EQ(st.detail(), "CodeSetError");
  EXPECT_EQ(st.location(), "bad.json");
  EXPECT_NE(st.message().find(GetParam().message_part), std::string::npos) << st.message();
  // A bad file changes nothing.
  EXPECT_EQ(sets.size(), 1u);
  EXPECT_TRUE(sets.IsKnownCode(xds::kDocEntryTypeCode, "any", "thing"));
}

INSTANTIATE_TEST_SUITE_P(
    Table, BadCodeSetTest,
    ::testing::Values(
        BadCase{"{", "not valid JSON"}, BadCase{"[]", "top level"},
        BadCase{"{}", "\"attributes\""}, BadCase{R"({"attributes":{}})", "\"attributes\""},
        BadCase{R"({"attributes":[1]})", "attributes[0] must be an object"},
        BadCase{R"({"attributes":[{"codes":[]}]})", "attributes[0].classificationScheme"},
        BadCase{R"({"attributes":[{"classificationScheme":"classCode","codes":[]}]})",
                "attributes[0].classificationScheme"},
        BadCase{R"({"attributes":[{"classificationScheme":"urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"}]})",
                "attributes[0].codes"},
        BadCase{R"({"attributes":[{"classificationScheme":"urn:uuid:f0306f51-975f-434e-a61c-c59651d33983","codes":[{"code":"x","codingScheme":"y"},{"code":"x"}]}]})",
                "attributes[0].codes[1].codingScheme"},
        BadCase{R"({"attributes":[{"classificationScheme":"urn:uuid:f0306f51-975f-434e-a61c-c59651d33983","codes":[{"code":"","codingScheme":"y"}]}]})",
                "attributes[0].codes[0].code"},
        BadCase{R"({"attributes":[{"classificationScheme":"urn:uuid:f0306f51-975f-434e-a61c-c59651d33983","codes":[{"code":"x","codingScheme":"y","display":3}]}]})",
                "display"},
        BadCase{R"({"attributes":[],"mimeTypes":[1]})", "mimeTypes[0]"},
        BadCase{R"({"attributes":[]} trailing)", "not valid JSON"}));

TEST(CodeSetsTest, LoadBuiltInEqualsDefaults) {
  Result<CodeSets> r = CodeSets::LoadBuiltIn();
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->size(), Defaults().size());
}

TEST(CodeSetsTest, BuildDataDirHoldsACopy) {
  std::ifstream in(std::string(BuildDataDir()) + "/" + kRegionCodesFile);
  EXPECT_TRUE(in.good()) << BuildDataDir();
}

}  // namespace
}  // namespace renkei::profiles
