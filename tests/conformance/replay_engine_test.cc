// Replay engine against an in-process fake registry: linkage, id assignment, verdicts.
#include "tests/conformance/replay_engine.h"

#include <cstring>
#include <set>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "tests/conformance/metadata_rewriter.h"
#include "tests/conformance/test_paths.h"

namespace renkei::conformance {
namespace {

std::string_view Local(const char* q) {
  const char* c = std::strchr(q, ':');
  return c ? c + 1 : q;
}

// A toy registry: ITI-42 stores every submitted object (status `status_`), rejects unknown
// patients; ITI-18 returns everything stored. Enough to exercise the engine, not XDS.
class FakeRegistry : public Transport {
 public:
  std::set<std::string> known;
  std::string status = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved";
  std::vector<std::string> actions;

  Result<HttpReply> Post(const std::string& content_type, const std::string& body) override {
    pugi::xml_document env;
    if (!env.load_string(body.c_str())) return Reply("<bad/>");
    pugi::xml_node req = env.document_element().find_node(
        [](pugi::xml_node n) { return Local(n.name()) == "Body"; }).first_child();
    std::string action = content_type.substr(content_type.find("action=\"") + 8);
    action.pop_back();
    actions.push_back(action);
    if (action == kActionIti42) {
      for (const pugi::xpath_node& x : req.select_nodes("//*[local-name()='ExternalIdentifier']")) {
        pugi::xml_node ei = x.node();
        std::string scheme = ei.attribute("identificationScheme").value();
        if (scheme.find("58a6f841") != std::string::npos && !known.count(ei.attribute("value").value())) {
          return Reply(R"(<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"><rs:RegistryErrorList><rs:RegistryError errorCode="XDSUnknownPatientId" codeContext="unknown" severity="urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"/></rs:RegistryErrorList></rs:RegistryResponse>)");
        }
      }
      pugi::xml_node list = req.find_node([](pugi::xml_node n) { return Local(n.name()) == "RegistryObjectList"; });
      for (pugi::xml_node o : list.children()) {
        pugi::xml_node c = store_.append_copy(o);
        if (Local(c.name()) != "ObjectRef") c.append_attribute("status") = status.c_str();
      }
      return Reply(R"(<rs:RegistryResponse xmlns:rs="urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0" status="urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"/>)");
    }
    std::ostringstream os;
    store_.print(os, "", pugi::format_raw);
    return Reply("<query:AdhocQueryResponse xmlns:query=\"urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0\" "
                 "status=\"urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success\">"
                 "<rim:RegistryObjectList xmlns:rim=\"urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0\">" +
                 os.str() + "</rim:RegistryObjectList></query:AdhocQueryResponse>");
  }

 private:
  static Result<HttpReply> Reply(const std::string& body) {
    return HttpReply{200, "application/soap+xml",
                     "<s:Envelope xmlns:s=\"http://www.w3.org/2003/05/soap-envelope\"><s:Body>" + body +
                         "</s:Body></s:Envelope>"};
  }
  pugi::xml_document store_;
};

std::filesystem::path Xds() { return std::filesystem::path(CorpusDir()) / "xds"; }

void Load(ReplayEngine& e, const std::string& rel, const std::string& family) {
  Result<TestDefinition> d = LoadTestDefinition(Xds() / rel, family);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  e.AddTest(std::move(d).value());
}

TEST(ReplayEngine, RunsFixtureThenTestWithLinkage) {
  FakeRegistry reg;
  ReplayEngine e(&reg, "http://127.0.0.1:1/xds/registry", CorpusDir());
  Load(e, "fixtures/15817_pif-main-patient", "fixtures");
  Load(e, "register/11990_single-docentry", "register");
  std::vector<std::string> pids = e.KnownPatientIds();
  ASSERT_FALSE(pids.empty());
  reg.known.insert(pids.begin(), pids.end());
  TestOutcome o = e.RunTest("11990");
  EXPECT_TRUE(o.passed()) << o.FailureSummary();
  ASSERT_EQ(reg.actions.size(), 2u);
  EXPECT_EQ(reg.actions[0], kActionIti42);
  EXPECT_EQ(reg.actions[1], kActionIti18);
  ASSERT_EQ(o.steps.size(), 3u);  // submit, by_uid, verify_availabilityStatus
}

TEST(ReplayEngine, FailsWhenRegistryMisbehaves) {
  FakeRegistry reg;
  reg.status = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated";
  ReplayEngine e(&reg, "http://127.0.0.1:1/xds/registry", CorpusDir());
  Load(e, "fixtures/15817_pif-main-patient", "fixtures");
  Load(e, "register/11990_single-docentry", "register");
  std::vector<std::string> pids = e.KnownPatientIds();
  reg.known.insert(pids.begin(), pids.end());
  TestOutcome o = e.RunTest("11990");
  EXPECT_FALSE(o.passed());
  // SSwithOneDoc needs an Approved SubmissionSet; the XPath assert needs an Approved entry.
  EXPECT_NE(o.FailureSummary().find("SSwithOneDoc"), std::string::npos) << o.FailureSummary();
  EXPECT_NE(o.FailureSummary().find("availabilityStatus"), std::string::npos);
}

TEST(ReplayEngine, UnknownPatientIsRejectedAsExpected) {
  FakeRegistry reg;  // knows nobody
  ReplayEngine e(&reg, "http://127.0.0.1:1/xds/registry", CorpusDir());
  Load(e, "register/11996_reject-unknown-patient", "register");
  TestOutcome o = e.RunTest("11996");
  EXPECT_TRUE(o.passed()) << o.FailureSummary();
}

TEST(ReplayEngine, TransportFailureFailsTheStep) {
  HttpTransport dead("http://127.0.0.1:1/xds/registry");
  ReplayEngine e(&dead, "http://127.0.0.1:1/xds/registry", CorpusDir());
  Load(e, "register/11996_reject-unknown-patient", "register");
  TestOutcome o = e.RunTest("11996");
  EXPECT_FALSE(o.passed());
  EXPECT_NE(o.FailureSummary().find("transport"), std::string::npos);
}

TEST(MetadataRewriter, AssignsUuidsUidsAndPatient) {
  pugi::xml_document d;
  ASSERT_TRUE(d.load_string(R"(<lcm:SubmitObjectsRequest xmlns:lcm="l" xmlns:rim="r"><rim:RegistryObjectList>
    <rim:ExtrinsicObject id="Document01">
      <rim:ExternalIdentifier id="ID_1" registryObject="Document01" identificationScheme="urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427" value="old"/>
      <rim:ExternalIdentifier id="ID_2" registryObject="Document01" identificationScheme="urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab" value="1.2.3"/>
    </rim:ExtrinsicObject>
    <rim:Association id="ID_3" sourceObject="SubmissionSet01" targetObject="Document01"/>
    </rim:RegistryObjectList></lcm:SubmitObjectsRequest>)"));
  RewriteOptions opt;
  opt.replace_patient_id = true;
  opt.patient_id = "P^^^&1.2&ISO";
  opt.assign_uuids = true;
  AssignedIds ids = RewriteSubmission(d.document_element(), opt);
  EXPECT_EQ(ids.patient_ids["Document01"], "P^^^&1.2&ISO");
  EXPECT_NE(ids.uids["Document01"], "1.2.3");
  ASSERT_EQ(ids.uuids.count("Document01"), 1u);
  pugi::xml_node assoc = d.select_node("//*[local-name()='Association']").node();
  EXPECT_EQ(std::string(assoc.attribute("targetObject").value()), ids.uuids["Document01"]);
  EXPECT_STREQ(assoc.attribute("sourceObject").value(), "SubmissionSet01");  // not in message
}

}  // namespace
}  // namespace renkei::conformance

namespace renkei::conformance {
namespace {

// Every registry case must be interpretable by the harness: against a registry that accepts
// everything, no failure may come from the harness itself (unknown instruction, bad XPath,
// unreadable file, linkage to a value that was never recorded).
TEST(ReplayEngine, InterpretsEveryRegistryCase) {
  FakeRegistry reg;
  ReplayEngine e(&reg, "http://127.0.0.1:1/xds/registry", CorpusDir());
  std::vector<std::string> ids;
  for (const char* family : {"fixtures", "query", "register", "update"}) {
    for (const auto& d : std::filesystem::directory_iterator(Xds() / family)) {
      Result<TestDefinition> def = LoadTestDefinition(d.path(), family);
      ASSERT_TRUE(def.ok()) << def.status().ToString();
      ids.push_back(def->nist_id);
      e.AddTest(std::move(def).value());
    }
  }
  std::vector<std::string> pids = e.KnownPatientIds();
  reg.known.insert(pids.begin(), pids.end());
  for (const std::string& id : ids) {
    TestOutcome o = e.RunTest(id);
    std::string s = o.FailureSummary();
    for (const char* harness : {"not interpreted", "bad XPath", "cannot read", "not available",
                                "not supported", "not well-formed", "metadata:"}) {
      EXPECT_EQ(s.find(harness), std::string::npos) << id << ": " << s;
    }
  }
}

}  // namespace
}  // namespace renkei::conformance
