// The centre's directory and consent API through real HTTP (plain loopback; the requesting
// facility from the X-Renkei-Facility test header, common/peer.h): Consent create / search /
// read / revoke with the disclosing facility's rights, Organization / Endpoint / Practitioner
// reads, $break-glass with and without a reason, bad input changing nothing.
#include "directory/directory_endpoint.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <mutex>

#include "common/http_client.h"
#include "common/peer.h"
#include "directory/policy.h"
#include "directory/test_util.h"

namespace renkei::directory {
namespace {

constexpr char kA[] = "1.2.392.100495.1.1";  // disclosing
constexpr char kB[] = "1.2.392.100495.1.2";  // viewing
constexpr char kC[] = "1.2.392.100495.1.3";  // viewing
constexpr char kD[] = "1.2.392.100495.1.4";  // disclosing
constexpr char kP[] = "P001^^^&1.2.392.100495.9&ISO";
constexpr char kNow[] = "20261126060000";
constexpr char kFhirJsonType[] = "application/fhir+json";

std::string ConsentFrom(const std::string& performer, const std::string& grantee_reference,
                        const std::string& extra_provision = "") {
  return R"({"resourceType":"Consent","status":"active",)"
         R"("scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},)"
         R"("category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],)"
         R"("patient":{"identifier":{"system":"urn:oid:1.2.392.100495.9","value":"P001"}},)"
         R"("performer":[{"reference":"Organization/)" +
         performer +
         R"("}],)"
         R"("provision":{"type":"permit","actor":[{"reference":{"reference":")" +
         grantee_reference + R"("}}])" + extra_provision + "}}";
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  return d;
}

std::string At(const rapidjson::Document& d, const char* pointer) {
  const rapidjson::Value* v = rapidjson::Pointer(pointer).Get(d);
  if (v == nullptr) return "<absent>";
  if (v->IsString()) return v->GetString();
  if (v->IsInt64()) return std::to_string(v->GetInt64());
  if (v->IsBool()) return v->GetBool() ? "true" : "false";
  return "<other>";
}

class DirectoryEndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto s = DirectoryStore::Open(dir_.File(kDirectoryFileName));
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
    DirectoryEndpointOptions options;
    options.now = [] { return std::string(kNow); };
    options.on_change = [this](const PolicyChange& c) {
      std::lock_guard<std::mutex> lock(mu_);
      changes_.push_back(c);
    };
    HttpRouter router;
    AddDirectoryRoutes(router, *store_, options);
    auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server.value());
    auto client = HttpClient::Create(server_->base_url());
    ASSERT_TRUE(client.ok());
    client_ = std::move(client.value());
  }

  HttpReply Call(const std::string& facility, const std::string& method, const std::string& path,
                 const std::string& body = "", const std::string& type = kFhirJsonType) {
    std::map<std::string, std::string> headers;
    if (!facility.empty()) headers[kFacilityTestHeader] = facility;
    auto reply = client_->Send(method, path, body.empty() ? "" : type, body, headers);
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    return reply.ok() ? *reply : HttpReply{};
  }

  // Creates a grant through the API; returns its id.
  std::string Grant(const std::string& from, const std::string& to_reference,
                    const std::string& extra = "") {
    HttpReply r = Call(from, "POST", kConsentPath, ConsentFrom(from, to_reference, extra));
    EXPECT_EQ(r.status, 201) << r.body;
    return At(Parse(r.body), "/id");
  }

  std::vector<PolicyChange> Changes() {
    std::lock_guard<std::mutex> lock(mu_);
    return changes_;
  }

  size_t GrantCount() { return store_->ListGrants()->size(); }

  TempDir dir_;
  std::unique_ptr<DirectoryStore> store_;
  std::unique_ptr<HttpServer> server_;
  std::unique_ptr<HttpClient> client_;
  std::mutex mu_;
  std::vector<PolicyChange> changes_;
};

TEST_F(DirectoryEndpointTest, DisclosingFacilityCreatesAConsent) {
  HttpReply r =
      Call(kA, "POST", kConsentPath,
           ConsentFrom(kA, std::string("Organization/") + kB,
                       R"(,"period":{"end":"2026-12-31T00:00:00Z"},"class":[{"system":")" +
                           std::string(kRegionClassCodeSystem) + R"(","code":"LabResult"}])"));
  ASSERT_EQ(r.status, 201) << r.body;
  rapidjson::Document d = Parse(r.body);
  EXPECT_EQ(At(d, "/resourceType"), "Consent");
  EXPECT_EQ(At(d, "/status"), "active");
  EXPECT_EQ(At(d, "/performer/0/reference"), std::string("Organization/") + kA);
  EXPECT_EQ(At(d, "/provision/actor/0/reference/reference"), std::string("Organization/") + kB);
  EXPECT_EQ(At(d, "/provision/period/start"), "2026-11-26T06:00:00Z");
  EXPECT_EQ(At(d, "/provision/class/0/code"), "LabResult");

  auto grants = store_->ListGrants();
  ASSERT_EQ(grants->size(), 1u);
  EXPECT_EQ(grants->front().disclosing_facility, kA);
  EXPECT_EQ(grants->front().patient_id, kP);
  EXPECT_EQ(std::to_string(grants->front().id), At(d, "/id"));
  auto changes = Changes();
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].kind, PolicyChange::Kind::kGrant);
  EXPECT_EQ(changes[0].facility, kA);
  EXPECT_EQ(changes[0].patient_id, kP);
  EXPECT_EQ(changes[0].grantee, kB);

  // The grant is now in force for B, for lab results only.
  StorePolicy policy(*store_);
  auto access = policy.AccessOf(kB, kP, kNow);
  ASSERT_TRUE(access.ok());
  EXPECT_TRUE(access->Allows(kA, "LabResult"));
  EXPECT_FALSE(access->Allows(kA, "DischargeSummary"));
}

TEST_F(DirectoryEndpointTest, ConsentForAnotherFacilityIsForbiddenAndNothingChanges) {
  // B posts a Consent naming A as performer: B cannot grant access to A's records.
  HttpReply r = Call(kB, "POST", kConsentPath, ConsentFrom(kA, std::string("Organization/") + kB));
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(At(Parse(r.body), "/resourceType"), "OperationOutcome");
  EXPECT_EQ(At(Parse(r.body), "/issue/0/code"), "forbidden");
  // No requesting facility at all.
  HttpReply anonymous = Call("", "POST", kConsentPath, ConsentFrom(kA, "Organization/1.2"));
  EXPECT_EQ(anonymous.status, 403);
  EXPECT_EQ(GrantCount(), 0u);
  EXPECT_TRUE(Changes().empty());
}

TEST_F(DirectoryEndpointTest, OnlyTheDisclosingFacilityRevokes) {
  const std::string id = Grant(kA, std::string("Organization/") + kB);
  const std::string path = std::string(kConsentPath) + "/" + id;
  const std::string inactive =
      R"({"resourceType":"Consent","id":")" + id + R"(","status":"inactive"})";

  EXPECT_EQ(Call(kB, "PUT", path, inactive).status, 403);  // the grantee
  EXPECT_EQ(Call(kC, "DELETE", path).status, 403);         // a stranger
  EXPECT_EQ(Call(kA, "PUT", std::string(kConsentPath) + "/999", inactive).status, 400);  // id
  EXPECT_EQ(Call(kA, "DELETE", std::string(kConsentPath) + "/999").status, 404);
  EXPECT_EQ(Call(kA, "DELETE", std::string(kConsentPath) + "/abc").status, 404);
  EXPECT_EQ(store_->ListGrants()->front().status, GrantStatus::kActive);
  EXPECT_EQ(Changes().size(), 1u);  // the grant only

  // Reactivation is refused; revocation by A works.
  EXPECT_EQ(Call(kA, "PUT", path, R"({"resourceType":"Consent","status":"proposed"})").status, 400);
  HttpReply r = Call(kA, "PUT", path, inactive);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(At(Parse(r.body), "/status"), "inactive");
  EXPECT_EQ(store_->ListGrants()->front().status, GrantStatus::kRevoked);
  auto changes = Changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].kind, PolicyChange::Kind::kRevoke);
  EXPECT_EQ(changes[1].facility, kA);
  EXPECT_EQ(std::to_string(changes[1].grant_id), id);

  // DELETE of a revoked grant answers it again and records no second change.
  HttpReply again = Call(kA, "DELETE", path);
  EXPECT_EQ(again.status, 200);
  EXPECT_EQ(At(Parse(again.body), "/status"), "inactive");
  EXPECT_EQ(Changes().size(), 2u);
  StorePolicy policy(*store_);
  EXPECT_FALSE(policy.AccessOf(kB, kP, kNow)->Allows(kA, "LabResult"));
}

TEST_F(DirectoryEndpointTest, SearchShowsOnlyOwnGrantsAndThoseNamingTheRequester) {
  const std::string a_to_b = Grant(kA, std::string("Organization/") + kB);
  const std::string a_to_all = Grant(kA, kEveryFacilityReference);
  const std::string d_to_c = Grant(kD, std::string("Organization/") + kC);
  const std::string patient = "?patient=urn:oid:1.2.392.100495.9%7CP001";
  struct Case {
    const char* requester;
    std::vector<std::string> ids;
  };
  const Case kCases[] = {
      {kA, {a_to_b, a_to_all}},
      {kB, {a_to_b, a_to_all}},
      {kC, {a_to_all, d_to_c}},
      {kD, {a_to_all, d_to_c}},
      {"1.2.392.100495.1.99", {a_to_all}},
  };
  for (const Case& c : kCases) {
    HttpReply r = Call(c.requester, "GET", std::string(kConsentPath) + patient);
    ASSERT_EQ(r.status, 200) << r.body;
    rapidjson::Document d = Parse(r.body);
    EXPECT_EQ(At(d, "/type"), "searchset");
    std::vector<std::string> ids;
    for (const auto& e : d["entry"].GetArray()) ids.push_back(e["resource"]["id"].GetString());
    EXPECT_EQ(ids, c.ids) << c.requester;
  }
  // Reads follow the same visibility; XML on request.
  EXPECT_EQ(Call(kB, "GET", std::string(kConsentPath) + "/" + a_to_b).status, 200);
  HttpReply xml = Call(kB, "GET", std::string(kConsentPath) + "/" + a_to_b + "?_format=xml");
  EXPECT_EQ(xml.status, 200);
  EXPECT_NE(xml.body.find("<Consent xmlns=\"http://hl7.org/fhir\">"), std::string::npos)
      << xml.body;
  EXPECT_NE(xml.body.find("<status value=\"active\"/>"), std::string::npos) << xml.body;
  EXPECT_EQ(Call(kC, "GET", std::string(kConsentPath) + "/" + a_to_b).status, 404);
  EXPECT_EQ(Call(kC, "GET", std::string(kConsentPath) + "/" + d_to_c).status, 200);
  // Another patient: nothing.
  HttpReply other =
      Call(kA, "GET", std::string(kConsentPath) + "?patient=urn:oid:1.2.392.100495.9%7CP002");
  EXPECT_EQ(At(Parse(other.body), "/total"), "0");
  EXPECT_EQ(Call(kA, "GET", std::string(kConsentPath) + "?patient=P001").status, 400);
}

TEST_F(DirectoryEndpointTest, BadConsentsAre400AndStoreNothing) {
  const std::string lab = R"(,"class":[{"system":"http://loinc.org","code":"11502-2"}])";
  const std::string b = std::string("Organization/") + kB;
  const std::string bodies[] = {
      "{\"resourceType\":\"Consent\"",  // malformed JSON
      R"({"resourceType":"Consent","status":"active","provision":{"type":"permit","actor":[{"reference":{"reference":"Organization/1.2"}}]}})",  // no patient
      ConsentFrom(kA, b, lab),  // unknown class system
      ConsentFrom(kA, b, R"(,"period":{"start":"2026-12-01","end":"2026-11-01"})"),  // end < start
      ConsentFrom(kA, b, R"(,"period":{"end":"2026-11-01"})"),  // ends before now
  };
  for (const std::string& body : bodies) {
    HttpReply r = Call(kA, "POST", kConsentPath, body);
    EXPECT_EQ(r.status, 400) << body << " -> " << r.body;
    EXPECT_EQ(At(Parse(r.body), "/resourceType"), "OperationOutcome");
  }
  EXPECT_EQ(Call(kA, "POST", kConsentPath, ConsentFrom(kA, b), "text/plain").status, 415);
  EXPECT_EQ(GrantCount(), 0u);
  EXPECT_TRUE(Changes().empty());
}

TEST_F(DirectoryEndpointTest, XmlConsentIsAccepted) {
  const std::string xml =
      R"(<Consent xmlns="http://hl7.org/fhir"><status value="active"/>)"
      R"(<patient><identifier><system value="urn:oid:1.2.392.100495.9"/><value value="P001"/></identifier></patient>)"
      R"(<performer><reference value="Organization/1.2.392.100495.1.1"/></performer>)"
      R"(<provision><type value="permit"/><actor><reference><reference value="Organization/1.2.392.100495.1.2"/></reference></actor></provision></Consent>)";
  HttpReply r = Call(kA, "POST", kConsentPath, xml, "application/fhir+xml");
  ASSERT_EQ(r.status, 201) << r.body;
  ASSERT_EQ(GrantCount(), 1u);
  EXPECT_EQ(store_->ListGrants()->front().grantee, kB);
}

TEST_F(DirectoryEndpointTest, BreakGlassNeedsAReason) {
  const std::string without =
      R"({"resourceType":"Parameters","parameter":[)"
      R"({"name":"patient","valueIdentifier":{"system":"urn:oid:1.2.392.100495.9","value":"P001"}}]})";
  HttpReply refused = Call(kC, "POST", kBreakGlassPath, without);
  EXPECT_EQ(refused.status, 400) << refused.body;
  EXPECT_EQ(At(Parse(refused.body), "/resourceType"), "OperationOutcome");
  EXPECT_TRUE(store_->ListBreakGlass()->empty());
  // Refused, and reported for the audit trail.
  ASSERT_EQ(Changes().size(), 1u);
  EXPECT_EQ(Changes()[0].kind, PolicyChange::Kind::kBreakGlassRefused);
  EXPECT_EQ(Changes()[0].facility, kC);
  EXPECT_NE(Changes()[0].detail.find("reason"), std::string::npos) << Changes()[0].detail;

  const std::string with =
      R"({"resourceType":"Parameters","parameter":[)"
      R"({"name":"patient","valueIdentifier":{"system":"urn:oid:1.2.392.100495.9","value":"P001"}},)"
      R"({"name":"reason","valueString":"意識不明で救急搬送"},)"
      R"({"name":"practitioner","valueString":"S-0001"}]})";
  HttpReply r = Call(kC, "POST", kBreakGlassPathEncoded, with);
  ASSERT_EQ(r.status, 200) << r.body;
  rapidjson::Document d = Parse(r.body);
  EXPECT_EQ(At(d, "/resourceType"), "Parameters");
  EXPECT_EQ(At(d, "/parameter/0/name"), "expires");
  EXPECT_EQ(At(d, "/parameter/0/valueInstant"), "2026-11-26T06:30:00Z");
  auto changes = Changes();
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[1].kind, PolicyChange::Kind::kBreakGlass);
  EXPECT_EQ(changes[1].facility, kC);
  EXPECT_EQ(changes[1].detail, "意識不明で救急搬送");
  EXPECT_EQ(changes[1].staff_id, "S-0001");
  StorePolicy policy(*store_);
  EXPECT_TRUE(policy.AccessOf(kC, kP, "20261126061000")->break_glass);
  EXPECT_FALSE(policy.AccessOf(kC, kP, "20261126063000")->break_glass);
  EXPECT_EQ(Call("", "POST", kBreakGlassPath, with).status, 403);
}

TEST_F(DirectoryEndpointTest, OrganizationEndpointPractitionerReads) {
  Facility a;
  a.oid = kA;
  a.name = "連携総合病院";
  a.name_romaji = "Renkei General Hospital";
  a.type = FacilityType::kDisclosing;
  ASSERT_TRUE(store_->PutFacility(a).ok());
  Facility b;
  b.oid = kB;
  b.name = "みなと診療所";
  b.name_romaji = "Minato Clinic";
  b.type = FacilityType::kViewing;
  ASSERT_TRUE(store_->PutFacility(b).ok());
  auto e = store_->AddEndpoint(
      Endpoint{0, kA, EndpointKind::kIti43, "https://a.example/xds/repository", "1.2.3.100"});
  ASSERT_TRUE(e.ok());
  ASSERT_TRUE(
      store_
          ->AddEndpoint(Endpoint{0, kA, EndpointKind::kDicomWeb, "https://a.example/dicomweb", ""})
          .ok());
  ASSERT_TRUE(store_->PutStaff(Staff{"S-0001", kA, "山田", "太郎", "Yamada", "Taro", "MD"}).ok());

  HttpReply org = Call(kB, "GET", std::string(kOrganizationPath) + "/" + kA);
  ASSERT_EQ(org.status, 200) << org.body;
  rapidjson::Document d = Parse(org.body);
  EXPECT_EQ(At(d, "/identifier/0/system"), "urn:ietf:rfc:3986");
  EXPECT_EQ(At(d, "/identifier/0/value"), std::string("urn:oid:") + kA);
  EXPECT_EQ(At(d, "/name"), "連携総合病院");
  EXPECT_EQ(At(d, "/alias/0"), "Renkei General Hospital");
  EXPECT_EQ(At(d, "/type/0/coding/1/code"), "disclosing");
  EXPECT_EQ(At(d, "/endpoint/0/reference"), "Endpoint/" + std::to_string(*e));
  EXPECT_EQ(Call(kB, "GET", std::string(kOrganizationPath) + "/9.9.9").status, 404);

  auto count = [&](const std::string& path) {
    HttpReply r = Call(kB, "GET", path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return At(Parse(r.body), "/total");
  };
  EXPECT_EQ(count(std::string(kOrganizationPath)), "2");
  EXPECT_EQ(count(std::string(kOrganizationPath) + "?identifier=urn:oid:" + kB), "1");
  EXPECT_EQ(count(std::string(kOrganizationPath) + "?name=minato"), "1");
  EXPECT_EQ(count(std::string(kOrganizationPath) + "?name=%E9%80%A3%E6%90%BA"), "1");  // 連携
  EXPECT_EQ(count(std::string(kOrganizationPath) + "?type=viewing"), "1");
  EXPECT_EQ(count(std::string(kEndpointPath) + "?organization=Organization/" + kA), "2");
  EXPECT_EQ(count(std::string(kEndpointPath) + "?organization=" + kB), "0");
  EXPECT_EQ(count(std::string(kEndpointPath) + "?identifier=urn:oid:1.2.3.100"), "1");
  EXPECT_EQ(count(std::string(kPractitionerPath) + "?identifier=S-0001"), "1");
  EXPECT_EQ(count(std::string(kPractitionerPath) + "?identifier=S-0002"), "0");

  HttpReply ep = Call(kB, "GET", std::string(kEndpointPath) + "/" + std::to_string(*e));
  ASSERT_EQ(ep.status, 200);
  d = Parse(ep.body);
  EXPECT_EQ(At(d, "/address"), "https://a.example/xds/repository");
  EXPECT_EQ(At(d, "/identifier/0/value"), "urn:oid:1.2.3.100");
  EXPECT_EQ(At(d, "/managingOrganization/reference"), std::string("Organization/") + kA);
  EXPECT_EQ(At(d, "/extension/0/valueCode"), "iti43");
  EXPECT_EQ(At(d, "/connectionType/code"), "ihe-xds");

  HttpReply pr = Call(kB, "GET", std::string(kPractitionerPath) + "/S-0001");
  ASSERT_EQ(pr.status, 200);
  d = Parse(pr.body);
  EXPECT_EQ(At(d, "/name/0/family"), "山田");
  EXPECT_EQ(At(d, "/name/1/given/0"), "Taro");

  HttpReply xml = Call(kB, "GET", std::string(kOrganizationPath) + "/" + kA + "?_format=xml");
  EXPECT_EQ(xml.status, 200);
  EXPECT_NE(xml.body.find("<Organization xmlns=\"http://hl7.org/fhir\">"), std::string::npos)
      << xml.body;
}

}  // namespace
}  // namespace renkei::directory
