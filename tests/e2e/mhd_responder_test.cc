// End to end: the centre's MHD Document Responder (ITI-66 / ITI-67) against a real
// `renkei centre`. Documents are registered over ITI-42 (tests/e2e/soap_wire.h), a local ID
// is linked over ITI-104, and the FHIR answers are read with Poco::JSON (not the centre's
// own codecs).
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <vector>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

constexpr char kLocalDomain[] = "1.2.392.99.5";
constexpr char kRepository[] = "1.2.392.100495.20.3.51.12410000017.1";  // soap_wire.cc

HttpAnswer Send(const std::string& base_url, const std::string& method, const std::string& target,
                const std::string& content_type = "", const std::string& body = "",
                const std::string& accept = "application/fhir+json") {
  return Request(method, base_url, target, content_type, body, {{"Accept", accept}});
}

Object::Ptr Json(const HttpAnswer& a) {
  return Poco::JSON::Parser().parse(a.body).extract<Object::Ptr>();
}

std::string Enc(const std::string& s) {
  std::string out;
  Poco::URI::encode(s, "?#/:;+@&=%|,", out);
  return out;
}

// Entries' resources of a Bundle.
std::vector<Object::Ptr> Resources(const Object::Ptr& bundle) {
  std::vector<Object::Ptr> out;
  Array::Ptr entries = bundle->getArray("entry");
  if (!entries) return out;
  for (size_t i = 0; i < entries->size(); ++i) {
    out.push_back(entries->getObject(static_cast<unsigned>(i))->getObject("resource"));
  }
  return out;
}

std::string Link(const Object::Ptr& bundle, const std::string& relation) {
  Array::Ptr links = bundle->getArray("link");
  for (size_t i = 0; links && i < links->size(); ++i) {
    Object::Ptr l = links->getObject(static_cast<unsigned>(i));
    if (l->getValue<std::string>("relation") == relation) return l->getValue<std::string>("url");
  }
  return "";
}

class MhdResponderE2e : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    CentreOptions o;
    o.overrides = {"mhd.repositories=[\"" + std::string(kRepository) +
                   "=http://node.example:8081/\"]"};
    std::string error;
    centre_ = CentreProcess::Start(o, &error).release();
    ASSERT_NE(centre_, nullptr) << error;
    // ITI-104: a local ID of a hospital; the centre assigns the regional ID.
    const std::string feed = R"({"resourceType":"Patient","identifier":[{"system":"urn:oid:)" +
                             std::string(kLocalDomain) +
                             R"(","value":"L-77"}],)"
                             R"("name":[{"family":"Mhd","given":["Taro"]}],"gender":"male"})";
    HttpAnswer put =
        Send(centre_->base_url(), "PUT",
             "/fhir/Patient?identifier=" + Enc(std::string("urn:oid:") + kLocalDomain + "|L-77"),
             "application/fhir+json", feed);
    ASSERT_EQ(put.status, 201) << put.body << put.error;
    regional_ = Json(put)->getValue<std::string>("id");
    const std::string cx = regional_ + "^^^&" + std::string(kRegionalDomain) + "&ISO";
    // ITI-42: 3 documents of the fed patient, 1 of another.
    for (const auto& [pid, n] : {std::pair{cx, 3}, std::pair{PatientId(1), 1}}) {
      const TestSubmission s = NewSubmission(pid, n);
      SoapAnswer r = ReadSoap(PostSoap(centre_->base_url(), wire::kActionRegister,
                                       Soap12(wire::kActionRegister, centre_->registry_url(),
                                              SubmitObjectsRequestXml(s)))
                                  .body);
      ASSERT_EQ(r.status, wire::kSuccess) << r.body_xml;
    }
  }
  static void TearDownTestSuite() {
    delete centre_;
    centre_ = nullptr;
  }
  HttpAnswer Get(const std::string& target, const std::string& accept = "application/fhir+json") {
    return Send(centre_->base_url(), "GET", target, "", "", accept);
  }
  // A search that must answer 200 with a searchset: its resources.
  std::vector<Object::Ptr> Search(const std::string& target, Object::Ptr* bundle = nullptr) {
    HttpAnswer a = Get(target);
    EXPECT_EQ(a.status, 200) << target << ": " << a.body << a.error;
    if (a.status != 200) return {};
    Object::Ptr b = Json(a);
    EXPECT_EQ(b->getValue<std::string>("type"), "searchset");
    if (bundle) *bundle = b;
    return Resources(b);
  }
  void ExpectOutcome(const std::string& target, int status) {
    HttpAnswer a = Get(target);
    EXPECT_EQ(a.status, status) << target << ": " << a.body;
    if (a.status == status) {
      EXPECT_EQ(Json(a)->getValue<std::string>("resourceType"), "OperationOutcome");
    }
  }
  static CentreProcess* centre_;
  static std::string regional_;
};
CentreProcess* MhdResponderE2e::centre_ = nullptr;
std::string MhdResponderE2e::regional_;

TEST_F(MhdResponderE2e, FindsDocumentReferencesByPatientAndLocalId) {
  auto docs = Search("/fhir/DocumentReference?patient=" + regional_);
  ASSERT_EQ(docs.size(), 3u);
  for (const Object::Ptr& d : docs) {
    EXPECT_EQ(d->getValue<std::string>("resourceType"), "DocumentReference");
    EXPECT_EQ(d->getValue<std::string>("status"), "current");
    const std::string url =
        d->getArray("content")->getObject(0)->getObject("attachment")->getValue<std::string>("url");
    EXPECT_EQ(url.rfind("http://node.example:8081/fhir/Binary/", 0), 0u) << url;
    EXPECT_EQ(d->getObject("subject")->getValue<std::string>("reference"),
              centre_->base_url() + "/fhir/Patient/" + regional_);
    EXPECT_EQ(d->getValue<std::string>("date"), "2026-11-02T09:30:00Z");
  }
  EXPECT_EQ(Search("/fhir/DocumentReference?patient=" +
                   Enc(centre_->base_url() + "/fhir/Patient/" + regional_))
                .size(),
            3u);
  EXPECT_EQ(Search("/fhir/DocumentReference?patient.identifier=" +
                   Enc(std::string("urn:oid:") + kLocalDomain + "|L-77"))
                .size(),
            3u);
  EXPECT_TRUE(Search("/fhir/DocumentReference?patient.identifier=" +
                     Enc(std::string("urn:oid:") + kLocalDomain + "|L-78"))
                  .empty());
  EXPECT_EQ(Search("/fhir/DocumentReference?patient=E2E0001").size(), 1u);
  EXPECT_EQ(Search("/fhir/DocumentReference?patient.identifier=" +
                   Enc(std::string("urn:oid:") + kRegionalDomain + "|" + regional_))
                .size(),
            3u);
}

TEST_F(MhdResponderE2e, FiltersByStatusTypeAndDate) {
  const std::string p = "/fhir/DocumentReference?patient=" + regional_;
  EXPECT_EQ(Search(p + "&status=current").size(), 3u);
  EXPECT_TRUE(Search(p + "&status=superseded,entered-in-error").empty());
  EXPECT_EQ(Search(p + "&type=" + Enc("http://loinc.org|11506-3")).size(), 3u);
  EXPECT_TRUE(Search(p + "&type=" + Enc("http://loinc.org|34133-9")).empty());
  EXPECT_EQ(Search(p + "&category=REPORTS").size(), 3u);
  EXPECT_EQ(Search(p + "&date=ge2026-11-02&date=lt2026-11-03").size(), 3u);
  EXPECT_TRUE(Search(p + "&date=lt2026-11-02").empty());
  EXPECT_EQ(Search(p + "&creation=2026-11-01").size(), 3u);
  EXPECT_EQ(Search(p + "&author.family=ishi").size(), 3u);
  EXPECT_TRUE(Search(p + "&author.given=Hanako").empty());
}

TEST_F(MhdResponderE2e, ReadsPagesAndAnswersXml) {
  Object::Ptr bundle;
  auto first = Search("/fhir/DocumentReference?patient=" + regional_ + "&_count=2", &bundle);
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(bundle->getValue<int>("total"), 3);
  const std::string next = Link(bundle, "next");
  ASSERT_FALSE(next.empty());
  ASSERT_EQ(next.rfind(centre_->base_url(), 0), 0u) << next;
  auto second = Search(next.substr(centre_->base_url().size()), &bundle);
  ASSERT_EQ(second.size(), 1u);
  EXPECT_TRUE(Link(bundle, "next").empty());
  const std::string id = second[0]->getValue<std::string>("id");
  HttpAnswer read = Get("/fhir/DocumentReference/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json(read)->getValue<std::string>("id"), id);
  HttpAnswer xml = Get("/fhir/DocumentReference/" + id, "application/fhir+xml");
  EXPECT_EQ(xml.status, 200);
  EXPECT_EQ(xml.content_type.rfind("application/fhir+xml", 0), 0u);
  EXPECT_NE(xml.body.find("<DocumentReference xmlns=\"http://hl7.org/fhir\""), std::string::npos)
      << xml.body;
  HttpAnswer xml_search = Get("/fhir/DocumentReference?patient=" + regional_ + "&_format=xml");
  EXPECT_NE(xml_search.body.find("<Bundle xmlns=\"http://hl7.org/fhir\""), std::string::npos);
  // POST _search with a form body.
  HttpAnswer post =
      Send(centre_->base_url(), "POST", "/fhir/DocumentReference/_search",
           "application/x-www-form-urlencoded", "patient=" + regional_ + "&status=current");
  ASSERT_EQ(post.status, 200) << post.body;
  EXPECT_EQ(Resources(Json(post)).size(), 3u);
}

TEST_F(MhdResponderE2e, FindsAndReadsLists) {
  auto lists = Search("/fhir/List?patient=" + regional_);
  ASSERT_EQ(lists.size(), 1u);
  EXPECT_EQ(lists[0]->getValue<std::string>("resourceType"), "List");
  EXPECT_EQ(lists[0]->getArray("entry")->size(), 3u);
  EXPECT_EQ(Search("/fhir/List?patient=" + regional_ + "&code=submissionset&status=current").size(),
            1u);
  EXPECT_TRUE(Search("/fhir/List?patient=" + regional_ + "&code=folder").empty());
  EXPECT_EQ(Search("/fhir/List?patient.identifier=" +
                   Enc(std::string("urn:oid:") + kLocalDomain + "|L-77") + "&date=2026-11-02")
                .size(),
            1u);
  HttpAnswer read = Get("/fhir/List/" + lists[0]->getValue<std::string>("id"));
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json(read)->getObject("code")->getArray("coding")->getObject(0)->getValue<std::string>(
                "code"),
            "submissionset");
}

TEST_F(MhdResponderE2e, ErrorsAreOperationOutcomes) {
  ExpectOutcome("/fhir/DocumentReference/00000000-0000-0000-0000-000000000000", 404);
  ExpectOutcome("/fhir/List/00000000-0000-0000-0000-000000000000", 404);
  ExpectOutcome("/fhir/DocumentReference", 400);  // no patient
  ExpectOutcome("/fhir/DocumentReference?patient=" + regional_ + "&_count=0", 400);
  ExpectOutcome("/fhir/DocumentReference?patient=" + regional_ + "&date=ne2026", 400);
  ExpectOutcome("/fhir/DocumentReference?patient=" + regional_ + "&status=draft", 400);
  ExpectOutcome("/fhir/DocumentReference?patient=" + regional_ + "&type:text=x", 400);
  ExpectOutcome("/fhir/List?code=folder", 400);
  // Unknown parameters are ignored and left out of the self link.
  Object::Ptr bundle;
  EXPECT_EQ(Search("/fhir/DocumentReference?patient=" + regional_ + "&foo=bar", &bundle).size(),
            3u);
  EXPECT_EQ(Link(bundle, "self").find("foo"), std::string::npos);
}

TEST_F(MhdResponderE2e, MetadataNamesTheMhdResources) {
  HttpAnswer a = Get("/fhir/metadata");
  ASSERT_EQ(a.status, 200);
  Array::Ptr resources = Json(a)->getArray("rest")->getObject(0)->getArray("resource");
  std::vector<std::string> types;
  for (size_t i = 0; i < resources->size(); ++i) {
    types.push_back(resources->getObject(static_cast<unsigned>(i))->getValue<std::string>("type"));
  }
  EXPECT_EQ(types, (std::vector<std::string>{"Patient", "DocumentReference", "List"}));
}

}  // namespace
}  // namespace renkei::e2e
