// ExpectedContents / ExpectedStatus / ExpectedErrorCode verdicts (NIST-testplan-format.html).
#include "tests/conformance/response_checks.h"

#include <gtest/gtest.h>
#include <pugixml.hpp>

namespace renkei::conformance {
namespace {

constexpr char kApproved[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved";
constexpr char kDeprecated[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated";

std::string Ss(const char* id) {
  return std::string("<rim:RegistryPackage id=\"") + id + "\" status=\"" + kApproved +
         "\"><rim:ExternalIdentifier identificationScheme=\"urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8\" value=\"1.2\"/></rim:RegistryPackage>";
}
std::string Fol(const char* id) {
  return std::string("<rim:RegistryPackage id=\"") + id + "\" status=\"" + kApproved +
         "\"><rim:ExternalIdentifier identificationScheme=\"urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a\" value=\"1.3\"/></rim:RegistryPackage>";
}
std::string Doc(const char* id, const char* status = kApproved) {
  return std::string("<rim:ExtrinsicObject id=\"") + id + "\" status=\"" + status + "\"/>";
}
std::string Hm(const char* id, const char* s, const char* t, const char* type = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember") {
  return std::string("<rim:Association id=\"") + id + "\" associationType=\"" + type +
         "\" sourceObject=\"" + s + "\" targetObject=\"" + t + "\"/>";
}

std::vector<std::string> Check(const std::string& objects, std::vector<ExpectedContent> e) {
  static pugi::xml_document d;
  std::string xml = "<query:AdhocQueryResponse xmlns:query=\"q\" xmlns:rim=\"r\" status=\"s\"><rim:RegistryObjectList>" +
                    objects + "</rim:RegistryObjectList></query:AdhocQueryResponse>";
  EXPECT_TRUE(d.load_string(xml.c_str()));
  return CheckExpectedContents(d.document_element(), e);
}

struct Row {
  const char* name;
  std::string objects;
  std::vector<ExpectedContent> expected;
  bool pass;
};

TEST(ResponseChecks, ExpectedContentsTable) {
  const std::string one_doc = Ss("ss") + Doc("d1") + Hm("a1", "ss", "d1");
  const std::string doc_fol = Ss("ss") + Doc("d1") + Fol("f") + Hm("a1", "ss", "d1") +
                              Hm("a2", "ss", "f") + Hm("a3", "f", "d1") + Hm("a4", "ss", "a3");
  const std::vector<Row> rows = {
      {"SSwithOneDoc ok", one_doc, {{"SSwithOneDoc", {}}}, true},
      {"SSwithOneDoc no assoc", Ss("ss") + Doc("d1"), {{"SSwithOneDoc", {}}}, false},
      {"SSwithTwoDoc wrong", one_doc, {{"SSwithTwoDoc", {}}}, false},
      {"SSwithOneDocOneFol ok", doc_fol, {{"SSwithOneDocOneFol", {}}}, true},
      {"SSwithOneDocOneFol missing ss->assoc", Ss("ss") + Doc("d1") + Fol("f") + Hm("a1", "ss", "d1") + Hm("a2", "ss", "f") + Hm("a3", "f", "d1"), {{"SSwithOneDocOneFol", {}}}, false},
      {"counts", doc_fol, {{"Documents", 1}, {"Folders", 1}, {"SubmissionSets", 1}, {"Associations", 4}}, true},
      {"count wrong", doc_fol, {{"Documents", 2}}, false},
      {"ObjectRefs", "<rim:ObjectRef id=\"a\"/><rim:ObjectRef id=\"b\"/>", {{"ObjectRefs", 2}}, true},
      {"DocDep", Doc("d1", kDeprecated), {{"DocDep", {}}, {"OneDocDep", {}}}, true},
      {"DocApp fails on deprecated", Doc("d1", kDeprecated), {{"DocApp", {}}}, false},
      {"DocApp vacuous on none", "", {{"Documents", 0}, {"DocApp", {}}}, true},
      {"DocRplcDoc", Doc("new") + Doc("old", kDeprecated) + Hm("r", "new", "old", "urn:ihe:iti:2007:AssociationType:RPLC"), {{"DocRplcDoc", {}}, {"HasRPLC", {}}}, true},
      {"None", "", {{"None", {}}}, true},
      {"None fails", Doc("d1"), {{"None", {}}}, false},
      {"unknown pattern must fail", one_doc, {{"SomethingNew", {}}}, false},
  };
  for (const Row& r : rows) {
    EXPECT_EQ(Check(r.objects, r.expected).empty(), r.pass) << r.name;
  }
}

TEST(ResponseChecks, StatusAndErrors) {
  pugi::xml_document d;
  ASSERT_TRUE(d.load_string(R"(<rs:RegistryResponse xmlns:rs="x" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"><rs:RegistryErrorList><rs:RegistryError errorCode="XDSPatientIdDoesNotMatch" codeContext="patient mismatch" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/></rs:RegistryErrorList></rs:RegistryResponse>)"));
  ParsedResponse r = ParseRegistryResponse(d.document_element());
  EXPECT_EQ(CheckStatus(r, "Failure"), "");
  EXPECT_NE(CheckStatus(r, "Success"), "");
  TestStep step;
  step.expected_error_codes = {"XDSPatientIdDoesNotMatch"};
  step.expected_error_messages = {"mismatch"};
  EXPECT_TRUE(CheckErrors(r, step).empty());
  step.expected_error_codes = {"XDSUnknownPatientId"};
  EXPECT_EQ(CheckErrors(r, step).size(), 1u);
  ParsedResponse fault = ParseRegistryResponse(pugi::xml_node());
  EXPECT_TRUE(fault.soap_fault);
  EXPECT_EQ(CheckStatus(fault, "Failure"), "");
}

}  // namespace
}  // namespace renkei::conformance
