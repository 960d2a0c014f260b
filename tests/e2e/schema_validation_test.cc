// ebRS 3.0 schema validity (OASIS regrep rs/query/lcm/rim 3.0 XSDs, NIST's offline set in
// shared/conformance/schemas/xds-ebrs30-nist) of what the running registry answers —
// ITI-42 RegistryResponse (Success and Failure), ITI-18 AdhocQueryResponse as LeafClass and
// ObjectRef, with and without errors — and of the requests the e2e tests send. Validation is
// done by libxml2's xmllint (--nonet) in a subprocess on the SOAP Body's element.
#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <sstream>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

using std::chrono::seconds;

std::string Xsd(const std::string& name) {
  return ConformanceDir() + "/schemas/xds-ebrs30-nist/" + name;
}

// The SOAP Body's element as a standalone document, with every namespace declaration in
// scope on the Envelope/Body copied onto it (so prefixes declared higher up still resolve).
std::string BodyElement(const std::string& envelope) {
  pugi::xml_document in;
  if (!in.load_buffer(envelope.data(), envelope.size())) return "";
  pugi::xml_node payload;
  for (pugi::xml_node n = in.document_element().first_child(); n && !payload;
       n = n.next_sibling()) {
    std::string name = n.name();
    if (name.size() >= 4 && name.compare(name.size() - 4, 4, "Body") == 0) {
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (c.type() == pugi::node_element) {
          payload = c;
          break;
        }
      }
    }
  }
  if (!payload) return "";
  pugi::xml_document out;
  pugi::xml_node copy = out.append_copy(payload);
  for (pugi::xml_node a = payload.parent(); a && a.type() == pugi::node_element; a = a.parent()) {
    for (pugi::xml_attribute attr = a.first_attribute(); attr; attr = attr.next_attribute()) {
      std::string an = attr.name();
      if ((an == "xmlns" || an.rfind("xmlns:", 0) == 0) && !copy.attribute(an.c_str())) {
        copy.append_attribute(an.c_str()) = attr.value();
      }
    }
  }
  std::ostringstream s;
  out.save(s, "", pugi::format_raw | pugi::format_no_declaration);
  return s.str();
}

struct Validation {
  int exit_code = -1;
  std::string output;
};

Validation Xmllint(const std::string& xsd, const std::string& xml) {
  TempDir dir;
  const std::string file = dir.path() + "/message.xml";
  WriteFileOrDie(file, xml);
  ChildProcess p("/usr/bin/xmllint", {"--nonet", "--noout", "--schema", xsd, file});
  Validation v;
  v.exit_code = p.WaitForExit(seconds(60));
  if (v.exit_code == -1) p.Stop(seconds(1));
  v.output = p.err() + p.out();
  return v;
}

void ExpectValid(const std::string& xsd_name, const std::string& xml, const std::string& what) {
  SCOPED_TRACE(what);
  ASSERT_FALSE(xml.empty()) << "no Body element";
  Validation v = Xmllint(Xsd(xsd_name), xml);
  EXPECT_EQ(v.exit_code, 0) << v.output << "\n" << xml.substr(0, 4000);
}

class SchemaValidation : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    centre_ = CentreProcess::Start({}, &error);
    ASSERT_NE(centre_, nullptr) << error;
  }
  HttpAnswer Send(const char* action, const std::string& body) {
    HttpAnswer a =
        PostSoap(centre_->base_url(), action, Soap12(action, centre_->registry_url(), body));
    EXPECT_EQ(a.status, 200) << a.error << a.body;
    return a;
  }
  std::unique_ptr<CentreProcess> centre_;
};

TEST(SchemaValidationSelfCheck, InvalidMessagesAreRejected) {
  // The validator can fail: NIST's element-order vector (Name before Slot) and a
  // RegistryResponse without its required status attribute.
  std::string bad = ReadFileOrDie(
      ConformanceDir() + "/xds/wire-examples/nist-validator-samples/pnr-element-order.xml");
  EXPECT_NE(Xmllint(Xsd("XDS.b_DocumentRepository.xsd"), bad).exit_code, 0);
  EXPECT_NE(
      Xmllint(Xsd("rs.xsd"), std::string("<rs:RegistryResponse xmlns:rs=\"") + wire::kRs + "\"/>")
          .exit_code,
      0);
  EXPECT_EQ(Xmllint(Xsd("rs.xsd"), std::string("<rs:RegistryResponse xmlns:rs=\"") + wire::kRs +
                                       "\" status=\"" + wire::kSuccess + "\"/>")
                .exit_code,
            0);
  std::string lifted = BodyElement(
      "<e:Envelope xmlns:e='urn:e' xmlns:r='urn:r'><e:Body><r:x/></e:Body></e:Envelope>");
  EXPECT_EQ(lifted.rfind("<r:x ", 0), 0u) << lifted;
  EXPECT_NE(lifted.find("xmlns:r=\"urn:r\""), std::string::npos) << lifted;
}

TEST_F(SchemaValidation, RequestsTheTestsSendAreValid) {
  TestSubmission s = NewSubmission(PatientId(1), 3);
  ExpectValid("lcm.xsd", SubmitObjectsRequestXml(s), "ITI-42 SubmitObjectsRequest");
  ExpectValid("query.xsd", FindDocumentsXml(PatientId(1)), "FindDocuments LeafClass");
  ExpectValid("query.xsd", FindDocumentsXml(PatientId(1), true), "FindDocuments ObjectRef");
  ExpectValid("query.xsd", FindSubmissionSetsXml(PatientId(1)), "FindSubmissionSets");
  ExpectValid("query.xsd", GetDocumentsXml(s.document_unique_ids), "GetDocuments");
  // And as they travel, taken back out of the envelope.
  ExpectValid("lcm.xsd",
              BodyElement(Soap12(wire::kActionRegister, centre_->registry_url(),
                                 SubmitObjectsRequestXml(s))),
              "ITI-42 from its envelope");
}

TEST_F(SchemaValidation, RegistryResponses) {
  TestSubmission s = NewSubmission(PatientId(1), 2);
  HttpAnswer ok = Send(wire::kActionRegister, SubmitObjectsRequestXml(s));
  ASSERT_EQ(ReadSoap(ok.body).status, wire::kSuccess) << ok.body;
  ExpectValid("rs.xsd", BodyElement(ok.body), "RegistryResponse Success");

  // Failure with a RegistryErrorList: the same uniqueIds again, and an unknown patient.
  HttpAnswer dup = Send(wire::kActionRegister, SubmitObjectsRequestXml(s));
  ASSERT_EQ(ReadSoap(dup.body).status, wire::kFailure) << dup.body;
  ExpectValid("rs.xsd", BodyElement(dup.body), "RegistryResponse Failure (duplicate)");
  TestSubmission stranger = NewSubmission("NOBODY^^^&" + std::string(kRegionalDomain) + "&ISO");
  HttpAnswer unknown = Send(wire::kActionRegister, SubmitObjectsRequestXml(stranger));
  SoapAnswer ru = ReadSoap(unknown.body);
  ASSERT_EQ(ru.status, wire::kFailure) << unknown.body;
  EXPECT_NE(std::find(ru.error_codes.begin(), ru.error_codes.end(), "XDSUnknownPatientId"),
            ru.error_codes.end())
      << unknown.body;
  ExpectValid("rs.xsd", BodyElement(unknown.body), "RegistryResponse Failure (patient)");
}

TEST_F(SchemaValidation, AdhocQueryResponses) {
  TestSubmission s = NewSubmission(PatientId(1), 2);
  ASSERT_EQ(ReadSoap(Send(wire::kActionRegister, SubmitObjectsRequestXml(s)).body).status,
            wire::kSuccess);

  HttpAnswer leaf = Send(wire::kActionQuery, FindDocumentsXml(PatientId(1)));
  SoapAnswer rl = ReadSoap(leaf.body);
  ASSERT_EQ(rl.status, wire::kSuccess) << leaf.body;
  ASSERT_EQ(rl.extrinsic_unique_ids.size(), 2u) << leaf.body;
  ExpectValid("query.xsd", BodyElement(leaf.body), "FindDocuments LeafClass");

  HttpAnswer refs = Send(wire::kActionQuery, FindDocumentsXml(PatientId(1), true));
  SoapAnswer rr = ReadSoap(refs.body);
  ASSERT_EQ(rr.status, wire::kSuccess) << refs.body;
  EXPECT_EQ(rr.object_refs.size(), 2u) << refs.body;
  ExpectValid("query.xsd", BodyElement(refs.body), "FindDocuments ObjectRef");

  HttpAnswer ss = Send(wire::kActionQuery, FindSubmissionSetsXml(PatientId(1)));
  SoapAnswer rs = ReadSoap(ss.body);
  ASSERT_EQ(rs.status, wire::kSuccess) << ss.body;
  EXPECT_EQ(rs.package_ids.size(), 1u) << ss.body;
  ExpectValid("query.xsd", BodyElement(ss.body), "FindSubmissionSets LeafClass");

  HttpAnswer get = Send(wire::kActionQuery, GetDocumentsXml(s.document_unique_ids));
  EXPECT_EQ(ReadSoap(get.body).extrinsic_unique_ids.size(), 2u) << get.body;
  ExpectValid("query.xsd", BodyElement(get.body), "GetDocuments LeafClass");

  HttpAnswer empty = Send(wire::kActionQuery, FindDocumentsXml(PatientId(3)));
  EXPECT_EQ(ReadSoap(empty.body).status, wire::kSuccess) << empty.body;
  ExpectValid("query.xsd", BodyElement(empty.body), "FindDocuments, no match");

  HttpAnswer failure =
      Send(wire::kActionQuery, AdhocQueryXml("urn:uuid:00000000-0000-4000-8000-000000000000", {}));
  EXPECT_EQ(ReadSoap(failure.body).status, wire::kFailure) << failure.body;
  ExpectValid("query.xsd", BodyElement(failure.body), "AdhocQueryResponse Failure");
}

}  // namespace
}  // namespace renkei::e2e
