// FHIR Consent grants of the demo's hospitals (see demo_consent.h).
#include "apps/demo_consent.h"

namespace renkei::apps {

std::string GrantConsentJson(const std::string& discloser_oid, const std::string& grantee_oid,
                             const std::string& regional_domain_oid,
                             const std::string& regional_id) {
  return R"({"resourceType":"Consent","status":"active",)"
         R"("scope":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/consentscope","code":"patient-privacy"}]},)"
         R"("category":[{"coding":[{"system":"http://loinc.org","code":"59284-0"}]}],)"
         R"("patient":{"identifier":{"system":"urn:oid:)" + regional_domain_oid +
         R"(","value":")" + regional_id + R"("}},)"
         R"("performer":[{"reference":"Organization/)" + discloser_oid + R"("}],)"
         R"("policyRule":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/v3-ActCode","code":"OPTIN"}]},)"
         R"("provision":{"type":"permit","actor":[{"role":{"coding":[{"system":)"
         R"("http://terminology.hl7.org/CodeSystem/v3-ParticipationType","code":"IRCP"}]},)"
         R"("reference":{"reference":"Organization/)" + grantee_oid + R"("}}]}})";
}

Status PostConsent(HttpClient& centre, const std::string& consent_json) {
  RENKEI_ASSIGN_OR_RETURN(HttpReply reply,
                          centre.Send("POST", "/fhir/Consent", "application/fhir+json",
                                      consent_json, {{"Accept", "application/fhir+json"}}));
  if (reply.status != 201) {
    return Status::Internal("demo", "the centre refused a Consent (HTTP " +
                                        std::to_string(reply.status) + "): " +
                                        reply.body.substr(0, 600));
  }
  return Status::Ok();
}

}  // namespace renkei::apps
