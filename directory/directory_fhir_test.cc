// FHIR R4 JSON of the directory and consent grants: Consent decode table (what is refused
// and why), round trip of a grant through ConsentJson, $break-glass Parameters.
#include "directory/directory_fhir.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

namespace renkei::directory {
namespace {

constexpr char kClassSystem[] = "urn:oid:2.25.38518866043029637148133655272121541030";

std::string ConsentBody(
    const std::string& provision_extra,
    const std::string& patient =
        R"({"identifier":{"system":"urn:oid:1.2.392.100495.9","value":"P001"}})",
    const std::string& status = "active") {
  return R"({"resourceType":"Consent","status":")" + status +
         R"(","scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},)"
         R"("category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],)"
         R"("patient":)" +
         patient +
         R"(,"performer":[{"reference":"Organization/1.2.392.100495.1.1"}],)"
         R"("provision":{"type":"permit")" +
         provision_extra + "}}";
}

constexpr char kActorB[] =
    R"(,"actor":[{"role":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},)"
    R"("reference":{"identifier":{"system":"urn:ietf:rfc:3986","value":"urn:oid:1.2.392.100495.1.2"}}}])";

TEST(ConsentDraftTest, DecodesAGrant) {
  const std::string body = ConsentBody(
      std::string(R"(,"period":{"start":"2026-11-26T15:00:00+09:00","end":"2026-12-31"})") +
      kActorB + R"(,"class":[{"system":")" + kClassSystem + R"(","code":"LabResult"}])");
  auto draft = ConsentDraftFromJson(body, {kClassSystem});
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_EQ(draft->grant.patient_id, "P001^^^&1.2.392.100495.9&ISO");
  EXPECT_EQ(draft->grant.grantee, "1.2.392.100495.1.2");
  EXPECT_EQ(draft->grant.start, "20261126060000");
  EXPECT_EQ(draft->grant.end, "20261231000000");
  ASSERT_EQ(draft->grant.classes.size(), 1u);
  EXPECT_EQ(draft->grant.classes[0].code, "LabResult");
  EXPECT_EQ(draft->grant.classes[0].system, kClassSystem);
  ASSERT_EQ(draft->named_organizations.size(), 1u);
  EXPECT_EQ(draft->named_organizations[0], "1.2.392.100495.1.1");
}

TEST(ConsentDraftTest, PatientReferenceNeedsTheRegionalDomain) {
  const std::string body = ConsentBody(kActorB, R"({"reference":"Patient/P001"})");
  auto with = ConsentDraftFromJson(body, {kClassSystem}, "1.2.392.100495.9");
  ASSERT_TRUE(with.ok()) << with.status().ToString();
  EXPECT_EQ(with->grant.patient_id, "P001^^^&1.2.392.100495.9&ISO");
  auto without = ConsentDraftFromJson(body, {kClassSystem});
  EXPECT_EQ(without.status().detail(), "required");
}

TEST(ConsentDraftTest, EveryParticipatingFacilityAndXmlShapedArrays) {
  // An XML Consent converted by fhir_xml has single objects where JSON has arrays.
  const std::string body = ConsentBody(
      R"(,"actor":{"reference":{"reference":"Group/every-participating-facility"}},"class":{"system":")" +
      std::string(kClassSystem) + R"(","code":"Prescription"})");
  auto draft = ConsentDraftFromJson(body, {kClassSystem});
  ASSERT_TRUE(draft.ok()) << draft.status().ToString();
  EXPECT_EQ(draft->grant.grantee, kEveryFacility);
  ASSERT_EQ(draft->grant.classes.size(), 1u);
  EXPECT_EQ(draft->grant.classes[0].code, "Prescription");
}

struct BadCase {
  const char* what;
  std::string body;
  const char* detail;
};

TEST(ConsentDraftTest, RefusalTable) {
  const BadCase kCases[] = {
      {"not JSON", "{\"resourceType\":\"Consent\",", "invalid"},
      {"not an object", "[]", "invalid"},
      {"another resource", R"({"resourceType":"Patient"})", "invalid"},
      {"status draft",
       ConsentBody(kActorB, R"({"identifier":{"system":"urn:oid:1.2","value":"P"}})", "draft"),
       "invalid"},
      {"no patient", ConsentBody(kActorB, R"({"display":"someone"})"), "required"},
      {"patient of a non-OID system",
       ConsentBody(kActorB, R"({"identifier":{"system":"http://x","value":"P"}})"), "invalid"},
      {"patient without a value",
       ConsentBody(kActorB, R"({"identifier":{"system":"urn:oid:1.2","value":""}})"), "invalid"},
      {"no actor", ConsentBody(""), "required"},
      {"two actors",
       ConsentBody(
           R"(,"actor":[{"reference":{"reference":"Organization/1.2"}},{"reference":{"reference":"Organization/1.3"}}])"),
       "required"},
      {"actor a Practitioner",
       ConsentBody(R"(,"actor":[{"reference":{"reference":"Practitioner/7"}}])"), "invalid"},
      {"deny provision",
       R"({"resourceType":"Consent","status":"active","patient":{"identifier":{"system":"urn:oid:1.2","value":"P"}},"provision":{"type":"deny"}})",
       "invalid"},
      {"no provision",
       R"({"resourceType":"Consent","status":"active","patient":{"identifier":{"system":"urn:oid:1.2","value":"P"}}})",
       "required"},
      {"unknown class system",
       ConsentBody(std::string(kActorB) +
                   R"(,"class":[{"system":"http://loinc.org","code":"11502-2"}])"),
       "code-invalid"},
      {"class without code",
       ConsentBody(std::string(kActorB) + R"(,"class":[{"system":")" + kClassSystem + R"("}])"),
       "invalid"},
      {"end before start",
       ConsentBody(std::string(R"(,"period":{"start":"2026-12-01","end":"2026-11-01"})") + kActorB),
       "invalid"},
      {"bad date", ConsentBody(std::string(R"(,"period":{"start":"next week"})") + kActorB),
       "invalid"},
      {"status not a string", R"({"resourceType":"Consent","status":1})", "invalid"},
  };
  for (const BadCase& c : kCases) {
    auto draft = ConsentDraftFromJson(c.body, {kClassSystem});
    ASSERT_FALSE(draft.ok()) << c.what;
    EXPECT_TRUE(draft.status().IsInvalidArgument()) << c.what;
    EXPECT_EQ(draft.status().detail(), c.detail) << c.what << ": " << draft.status().ToString();
  }
}

TEST(ConsentJsonTest, RoundTripsThroughTheDecoder) {
  Grant g;
  g.id = 42;
  g.disclosing_facility = "1.2.392.100495.1.1";
  g.patient_id = "P001^^^&1.2.392.100495.9&ISO";
  g.grantee = "1.2.392.100495.1.2";
  g.classes = {{kClassSystem, "LabResult"}, {kClassSystem, "ImagingStudy"}};
  g.start = "20261126060000";
  g.end = "20270101000000";
  g.created_at = "20261126060000";
  g.consent_reference = "DocumentReference/form-9";
  g.note = "紙の同意書";
  const std::string json = ConsentJson(g);
  rapidjson::Document d;
  d.Parse(json.c_str());
  ASSERT_FALSE(d.HasParseError()) << json;
  EXPECT_STREQ(rapidjson::Pointer("/id").Get(d)->GetString(), "42");
  EXPECT_STREQ(rapidjson::Pointer("/status").Get(d)->GetString(), "active");
  EXPECT_STREQ(rapidjson::Pointer("/provision/period/end").Get(d)->GetString(),
               "2027-01-01T00:00:00Z");
  EXPECT_STREQ(rapidjson::Pointer("/organization/0/reference").Get(d)->GetString(),
               "Organization/1.2.392.100495.1.1");
  auto back = ConsentDraftFromJson(json, {kClassSystem});
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->grant.patient_id, g.patient_id);
  EXPECT_EQ(back->grant.grantee, g.grantee);
  EXPECT_EQ(back->grant.start, g.start);
  EXPECT_EQ(back->grant.end, g.end);
  EXPECT_EQ(back->grant.consent_reference, g.consent_reference);
  EXPECT_EQ(back->grant.note, g.note);
  ASSERT_EQ(back->grant.classes.size(), 2u);
  EXPECT_EQ(back->grant.classes[1].code, "ImagingStudy");

  g.grantee = kEveryFacility;
  g.status = GrantStatus::kRevoked;
  g.revoked_at = "20261127000000";
  const std::string revoked = ConsentJson(g);
  d.Parse(revoked.c_str());
  EXPECT_STREQ(rapidjson::Pointer("/status").Get(d)->GetString(), "inactive");
  EXPECT_STREQ(rapidjson::Pointer("/provision/actor/0/reference/reference").Get(d)->GetString(),
               kEveryFacilityReference);
  EXPECT_STREQ(rapidjson::Pointer("/meta/lastUpdated").Get(d)->GetString(), "2026-11-27T00:00:00Z");
}

TEST(BreakGlassRequestTest, Table) {
  auto ok = BreakGlassRequestFromJson(
      R"({"resourceType":"Parameters","parameter":[)"
      R"({"name":"patient","valueIdentifier":{"system":"urn:oid:1.2.392.100495.9","value":"P001"}},)"
      R"({"name":"reason","valueString":"unconscious, no relatives"},)"
      R"({"name":"practitioner","valueIdentifier":{"value":"S-0001"}}]})");
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->patient_id, "P001^^^&1.2.392.100495.9&ISO");
  EXPECT_EQ(ok->reason, "unconscious, no relatives");
  EXPECT_EQ(ok->practitioner, "S-0001");
  auto token = BreakGlassRequestFromJson(
      R"({"resourceType":"Parameters","parameter":[{"name":"patient","valueString":"urn:oid:1.2|P9"},)"
      R"({"name":"reason","valueString":"ER"}]})");
  ASSERT_TRUE(token.ok());
  EXPECT_EQ(token->patient_id, "P9^^^&1.2&ISO");

  auto reference = BreakGlassRequestFromJson(
      R"({"resourceType":"Parameters","parameter":[{"name":"patient","valueReference":{"reference":"Patient/P7"}},)"
      R"({"name":"reason","valueString":"ER"}]})",
      "1.2.9");
  ASSERT_TRUE(reference.ok()) << reference.status().ToString();
  EXPECT_EQ(reference->patient_id, "P7^^^&1.2.9&ISO");

  const char* kBad[] = {
      R"({"resourceType":"Parameters","parameter":[{"name":"patient","valueString":"urn:oid:1.2|P9"}]})",
      R"({"resourceType":"Parameters","parameter":[{"name":"patient","valueString":"urn:oid:1.2|P9"},{"name":"reason","valueString":"   "}]})",
      R"({"resourceType":"Parameters","parameter":[{"name":"reason","valueString":"ER"}]})",
      R"({"resourceType":"Parameters","parameter":[{"name":"patient","valueString":"P9"},{"name":"reason","valueString":"ER"}]})",
      R"({"resourceType":"Parameters","parameter":[{"name":"reason","valueBoolean":true}]})",
      R"({"resourceType":"Bundle"})",
      "not json",
  };
  for (const char* body : kBad) {
    EXPECT_TRUE(BreakGlassRequestFromJson(body).status().IsInvalidArgument()) << body;
  }
}

TEST(PatientTokenTest, Forms) {
  EXPECT_EQ(*PatientCxOfToken("P1^^^&1.2.3&ISO"), "P1^^^&1.2.3&ISO");
  EXPECT_EQ(*PatientCxOfToken("urn:oid:1.2.3|P1"), "P1^^^&1.2.3&ISO");
  EXPECT_FALSE(PatientCxOfToken("P1").ok());
  EXPECT_FALSE(PatientCxOfToken("http://x|P1").ok());
  EXPECT_FALSE(PatientCxOfToken("urn:oid:1..2|P1").ok());
  // With the regional domain: the centre's Patient.id or a bare regional ID.
  EXPECT_EQ(*PatientCxOfToken("Patient/P1", "1.2.9"), "P1^^^&1.2.9&ISO");
  EXPECT_EQ(*PatientCxOfToken("P1", "1.2.9"), "P1^^^&1.2.9&ISO");
  EXPECT_EQ(*PatientCxOfToken("urn:oid:1.2.3|P1", "1.2.9"), "P1^^^&1.2.3&ISO");
  EXPECT_FALSE(PatientCxOfToken("Patient/", "1.2.9").ok());
  EXPECT_EQ(OidOfOrganizationToken("urn:ietf:rfc:3986|urn:oid:1.2.3"), "1.2.3");
  EXPECT_EQ(OidOfOrganizationToken("Organization/1.2.3"), "1.2.3");
  EXPECT_EQ(OidOfOrganizationToken("1.2.3"), "1.2.3");
}

}  // namespace
}  // namespace renkei::directory
