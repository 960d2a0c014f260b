// MHD 4.2 at the node end to end: ITI-65 Provide Document Bundle and ITI-68 Retrieve
// Document against a real centre (registry, PIX Manager) and a real node, over HTTP. The
// Comprehensive bundle is IHE's ex-comprehensiveProvideDocumentBundleSimple (JSON from
// ../shared/conformance/mhd/ipf), its Patient made one the centre knows.
#include <Poco/JSON/Parser.h>
#include <gtest/gtest.h>

#include <sstream>

#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr char kLocalDomain[] = "2.999.392.99.5";
constexpr char kHelloSha1[] = "0a4d55a8d778e5022fab701977c5d840bbc486d0";  // "Hello World"
constexpr char kDocUniqueId[] = "2.999.392.99.7.44.1";

HttpAnswer Http(const std::string& base_url, const std::string& method, const std::string& path,
                const std::string& content_type = "", const std::string& body = "",
                const std::string& accept = "") {
  std::map<std::string, std::string> headers;
  if (!accept.empty()) headers["Accept"] = accept;
  return Request(method, base_url, path, content_type, body, headers);
}

Object::Ptr ParseObject(const std::string& json) {
  try {
    return Poco::JSON::Parser().parse(json).extract<Object::Ptr>();
  } catch (const Poco::Exception&) {
    return nullptr;
  }
}

std::string Stringify(const Object::Ptr& o) {
  std::ostringstream out;
  o->stringify(out);
  return out.str();
}

Object::Ptr Resource(const Object::Ptr& bundle, size_t i) {
  return bundle->getArray("entry")->getObject(static_cast<unsigned>(i))->getObject("resource");
}

Object::Ptr Coding(const std::string& system, const std::string& code) {
  Object::Ptr coding = new Object;
  coding->set("system", system);
  coding->set("code", code);
  Array::Ptr codings = new Array;
  codings->add(coding);
  Object::Ptr cc = new Object;
  cc->set("coding", codings);
  return cc;
}

// IHE's example made acceptable to an XDS registry: the Patient `patient_id` of the centre,
// uniqueIds of at most 64 characters (the example's are 73 and 72), a sourcePatientId in an
// OID domain (the example's system is http://example.org/patients). With `region_codes`,
// the DocumentReference codes the example takes from outside the affinity domain become
// the region's progress note codes (profiles/data/region-codes.json).
Object::Ptr IheBundle(const std::string& patient_id, bool region_codes) {
  Object::Ptr b = ParseObject(ReadFileOrDie(
      ConformanceDir() + "/mhd/ipf/ex-comprehensiveProvideDocumentBundleSimple.json"));
  Object::Ptr subject = new Object;
  subject->set("reference", "Patient/" + patient_id);
  Resource(b, 0)->set("subject", subject);
  Object::Ptr doc = Resource(b, 1);
  doc->set("subject", subject);
  doc->getObject("masterIdentifier")->set("value", std::string("urn:oid:") + kDocUniqueId);
  Resource(b, 0)->getArray("identifier")->getObject(0)->set("value", "urn:oid:2.999.392.99.7.44.2");
  doc->getArray("contained")->getObject(0)->getArray("identifier")->getObject(0)->set(
      "system", std::string("urn:oid:") + kLocalDomain);
  if (region_codes) {
    Array::Ptr category = new Array;
    category->add(Coding("urn:oid:2.25.38518866043029637148133655272121541030", "ProgressNote"));
    doc->set("category", category);
    doc->set("type", Coding("http://loinc.org", "11506-3"));
    Object::Ptr context = doc->getObject("context");
    context->set("facilityType", Coding("http://snomed.info/sct", "22232009"));
    context->set("practiceSetting", Coding("http://snomed.info/sct", "394802001"));
  }
  return b;
}

class NodeMhd : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    centre_ = CentreProcess::Start(CentreOptions{}, &error).release();
    ASSERT_NE(centre_, nullptr) << error;
    // ITI-104: the centre learns a patient from a hospital's domain and gives a regional id.
    const std::string feed = std::string(R"({"resourceType":"Patient","identifier":[)") +
                             R"({"system":"urn:oid:)" + kLocalDomain + R"(","value":"MHD-1"}],)" +
                             R"("name":[{"family":"SCHMIDT","given":["DEE"]}]})";
    HttpAnswer fed = Http(centre_->base_url(), "PUT",
                          std::string("/fhir/Patient?identifier=urn%3Aoid%3A") + kLocalDomain +
                              "%7CMHD-1",
                          "application/fhir+json", feed);
    ASSERT_TRUE(fed.status == 200 || fed.status == 201) << fed.status << fed.body;
    Object::Ptr patient = ParseObject(fed.body);
    ASSERT_NE(patient, nullptr) << fed.body;
    patient_id_ = patient->getValue<std::string>("id");
    NodeOptions o;
    o.registry_url = centre_->registry_url();
    o.overrides = {"centre.url=" + centre_->base_url(),
                   std::string("pix.regional_domain.oid=") + kRegionalDomain};
    node_ = NodeProcess::Start(o, &error).release();
    ASSERT_NE(node_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete node_;
    delete centre_;
    node_ = nullptr;
    centre_ = nullptr;
  }

  static size_t StoredFiles() {
    return FilesUnder(node_->data_dir() + "/repository/documents").size();
  }
  static SoapAnswer QueryRegistry(const std::vector<std::string>& unique_ids) {
    HttpAnswer h = PostSoap(centre_->base_url(), wire::kActionQuery,
                            Soap12(wire::kActionQuery, centre_->registry_url(),
                                   GetDocumentsXml(unique_ids)));
    return ReadSoap(h.body);
  }
  // A refused bundle leaves nothing: no document file, no temp file, no registry entry.
  static void ExpectRefused(const HttpAnswer& a, int status, const std::string& text,
                            size_t stored_before, const std::string& unique_id) {
    EXPECT_EQ(a.status, status) << a.body;
    Object::Ptr outcome = ParseObject(a.body);
    ASSERT_NE(outcome, nullptr) << a.body;
    EXPECT_EQ(outcome->getValue<std::string>("resourceType"), "OperationOutcome");
    EXPECT_NE(a.body.find(text), std::string::npos) << a.body;
    EXPECT_EQ(StoredFiles(), stored_before);
    EXPECT_TRUE(FilesUnder(node_->data_dir() + "/repository/tmp").empty());
    EXPECT_TRUE(QueryRegistry({unique_id}).extrinsic_unique_ids.empty());
  }

  static CentreProcess* centre_;
  static NodeProcess* node_;
  static std::string patient_id_;
};
CentreProcess* NodeMhd::centre_ = nullptr;
NodeProcess* NodeMhd::node_ = nullptr;
std::string NodeMhd::patient_id_;

TEST_F(NodeMhd, ComprehensiveBundleIsRegisteredAndRetrieved) {
  HttpAnswer a = Http(node_->base_url(), "POST", "/fhir/", "application/fhir+json",
                      Stringify(IheBundle(patient_id_, true)));
  ASSERT_EQ(a.status, 200) << a.body;
  Object::Ptr response = ParseObject(a.body);
  ASSERT_NE(response, nullptr);
  EXPECT_EQ(response->getValue<std::string>("type"), "transaction-response");
  Array::Ptr entries = response->getArray("entry");
  ASSERT_EQ(entries->size(), 3u);
  const std::vector<std::string> locations = {
      "List/aaaaaaaa-bbbb-cccc-dddd-e00333300001",
      "DocumentReference/aaaaaaaa-bbbb-cccc-dddd-e00333300002",
      std::string("Binary/") + kDocUniqueId};
  for (unsigned i = 0; i < 3; ++i) {
    Object::Ptr r = entries->getObject(i)->getObject("response");
    EXPECT_EQ(r->getValue<std::string>("status"), "201 Created");
    EXPECT_EQ(r->getValue<std::string>("location"), locations[i]);
  }

  // ITI-18: the registry holds the entry with the hash, size and repository the node set.
  SoapAnswer q = QueryRegistry({kDocUniqueId});
  ASSERT_EQ(q.extrinsic_unique_ids.size(), 1u) << q.body_xml;
  EXPECT_NE(q.body_xml.find(kHelloSha1), std::string::npos);
  EXPECT_NE(q.body_xml.find(">11<"), std::string::npos);
  EXPECT_NE(q.body_xml.find(kNodeRepositoryId), std::string::npos);
  EXPECT_NE(q.body_xml.find("urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00333300002"), std::string::npos);

  // ITI-68: the bytes by default and for */*, a Binary resource for FHIR JSON.
  const std::string path = "/fhir/" + locations[2];
  for (const char* accept : {"", "*/*", "text/plain", "text/plain, application/fhir+json"}) {
    HttpAnswer got = Http(node_->base_url(), "GET", path, "", "", accept);
    EXPECT_EQ(got.status, 200) << accept;
    EXPECT_EQ(got.body, "Hello World") << accept;
    EXPECT_EQ(got.content_type, "text/plain") << accept;
  }
  HttpAnswer binary = Http(node_->base_url(), "GET", path, "", "", "application/fhir+json");
  EXPECT_EQ(binary.status, 200);
  Object::Ptr b = ParseObject(binary.body);
  ASSERT_NE(b, nullptr) << binary.body;
  EXPECT_EQ(b->getValue<std::string>("resourceType"), "Binary");
  EXPECT_EQ(b->getValue<std::string>("contentType"), "text/plain");
  EXPECT_EQ(b->getValue<std::string>("data"), "SGVsbG8gV29ybGQ=");
  HttpAnswer xml = Http(node_->base_url(), "GET", path, "", "", "application/fhir+xml");
  EXPECT_EQ(xml.status, 200);
  EXPECT_EQ(xml.body.rfind("<Binary", 0), 0u) << xml.body;

  // The same bundle again: the uniqueId is taken → 422 with the XDS code, nothing new.
  const size_t before = StoredFiles();
  HttpAnswer again = Http(node_->base_url(), "POST", "/fhir", "application/fhir+json",
                          Stringify(IheBundle(patient_id_, true)));
  EXPECT_EQ(again.status, 422) << again.body;
  EXPECT_NE(again.body.find("XDS"), std::string::npos) << again.body;
  EXPECT_EQ(StoredFiles(), before);
}

TEST_F(NodeMhd, MinimalBundleGetsTheRegionDefaults) {
  Object::Ptr b = IheBundle(patient_id_, false);
  Array::Ptr profile = new Array;
  profile->add("https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.ProvideBundle");
  b->getObject("meta")->set("profile", profile);
  const std::string uid = "2.999.392.99.7.55.1";
  Object::Ptr doc = Resource(b, 1);
  for (const char* e : {"category", "type", "securityLabel", "context"}) doc->remove(e);
  doc->getArray("content")->getObject(0)->remove("format");
  doc->getObject("masterIdentifier")->set("value", "urn:oid:" + uid);
  Resource(b, 0)->getArray("identifier")->getObject(0)->set("value", "urn:oid:2.999.392.99.7.55.2");
  // Fresh entryUUIDs: the Comprehensive test registered the example's.
  std::string json = Stringify(b);
  for (size_t p; (p = json.find("aaaaaaaa-bbbb-cccc-dddd-e0033330")) != std::string::npos;) {
    json.replace(p, 32, "bbbbbbbb-bbbb-cccc-dddd-e0044440");
  }
  HttpAnswer a = Http(node_->base_url(), "POST", "/fhir", "application/fhir+json", json);
  ASSERT_EQ(a.status, 200) << a.body;
  SoapAnswer q = QueryRegistry({uid});
  ASSERT_EQ(q.extrinsic_unique_ids.size(), 1u) << q.body_xml;
  for (const char* code : {"ProgressNote", "11506-3", "urn:ihe:iti:xds-sd:text:2008", "22232009",
                           "394802001"}) {
    EXPECT_NE(q.body_xml.find(code), std::string::npos) << code;
  }
  HttpAnswer got = Http(node_->base_url(), "GET", "/fhir/Binary/" + uid, "", "", "*/*");
  EXPECT_EQ(got.body, "Hello World");
}

TEST_F(NodeMhd, RefusedBundlesLeaveNothing) {
  const size_t before = StoredFiles();
  const std::string uid = "2.999.392.99.7.66.1";
  auto bundle = [&](const std::string& patient) {
    Object::Ptr b = IheBundle(patient, true);
    Resource(b, 1)->getObject("masterIdentifier")->set("value", "urn:oid:" + uid);
    return b;
  };
  {  // A broken reference: attachment.url names no Binary of the Bundle.
    Object::Ptr b = bundle(patient_id_);
    Resource(b, 1)->getArray("content")->getObject(0)->getObject("attachment")->set(
        "url", "urn:uuid:99999999-bbbb-cccc-dddd-e00333300003");
    ExpectRefused(Http(node_->base_url(), "POST", "/fhir/", "application/fhir+json", Stringify(b)),
                  400, "invalid", before, uid);
  }
  {  // Bad base64.
    Object::Ptr b = bundle(patient_id_);
    Resource(b, 2)->set("data", "SGVsbG8*V29ybGQ=");
    ExpectRefused(Http(node_->base_url(), "POST", "/fhir/", "application/fhir+json", Stringify(b)),
                  400, "base64", before, uid);
  }
  // A Patient the centre does not know.
  ExpectRefused(Http(node_->base_url(), "POST", "/fhir/", "application/fhir+json",
                     Stringify(bundle("R9999999999"))),
                400, "not-found", before, uid);
  {  // IHE's own codes are outside the affinity domain: the registry refuses them.
    Object::Ptr b = IheBundle(patient_id_, false);
    Resource(b, 1)->getObject("masterIdentifier")->set("value", "urn:oid:" + uid);
    HttpAnswer a = Http(node_->base_url(), "POST", "/fhir/", "application/fhir+json", Stringify(b));
    ExpectRefused(a, 422, "XDS", before, uid);
  }
  // Not a Bundle, not JSON, another media type.
  ExpectRefused(Http(node_->base_url(), "POST", "/fhir/", "application/fhir+json", "{\"x\":1}"),
                400, "invalid", before, uid);
  ExpectRefused(Http(node_->base_url(), "POST", "/fhir/", "application/fhir+json", "{"), 400,
                "invalid", before, uid);
  ExpectRefused(Http(node_->base_url(), "POST", "/fhir/", "text/plain", "hello"), 415,
                "not-supported", before, uid);
}

TEST_F(NodeMhd, UnknownDocumentsAndPathsAnswerOperationOutcomes) {
  HttpAnswer a = Http(node_->base_url(), "GET", "/fhir/Binary/1.2.3.4.404", "", "", "*/*");
  EXPECT_EQ(a.status, 404);
  EXPECT_NE(a.body.find("OperationOutcome"), std::string::npos);
  HttpAnswer p = Http(node_->base_url(), "GET", "/fhir/Observation/1");
  EXPECT_EQ(p.status, 404);
  EXPECT_NE(p.body.find("OperationOutcome"), std::string::npos);
}

TEST_F(NodeMhd, MetadataNamesTheDocumentRecipient) {
  HttpAnswer a = Http(node_->base_url(), "GET", "/fhir/metadata");
  ASSERT_EQ(a.status, 200);
  Object::Ptr cs = ParseObject(a.body);
  ASSERT_NE(cs, nullptr) << a.body;
  EXPECT_EQ(cs->getValue<std::string>("resourceType"), "CapabilityStatement");
  EXPECT_NE(a.body.find("IHE.MHD.DocumentRecipient"), std::string::npos);
  EXPECT_NE(a.body.find("ITI-65"), std::string::npos);
  EXPECT_NE(a.body.find("ITI-68"), std::string::npos);
  HttpAnswer xml = Http(node_->base_url(), "GET", "/fhir/metadata", "", "", "application/fhir+xml");
  EXPECT_EQ(xml.status, 200);
  EXPECT_EQ(xml.body.rfind("<CapabilityStatement", 0), 0u) << xml.body;
}

}  // namespace
}  // namespace renkei::e2e
