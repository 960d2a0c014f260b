// The disclosing hospitals' side of the demo's consent (architecture §5, issue 5): after
// the patient's consent, a hospital opens its records of that patient to another facility
// with a FHIR Consent POSTed to the centre under its own certificate.
#ifndef RENKEI_APPS_DEMO_CONSENT_H_
#define RENKEI_APPS_DEMO_CONSENT_H_

#include <string>

#include "common/http_client.h"
#include "common/status.h"

namespace renkei::apps {

// The FHIR R4 Consent granting `grantee_oid` access to every class of `discloser_oid`'s
// records of the patient `regional_id` (the id in `regional_domain_oid`).
std::string GrantConsentJson(const std::string& discloser_oid, const std::string& grantee_oid,
                             const std::string& regional_domain_oid,
                             const std::string& regional_id);

// POSTs it to the centre (`centre` presents the discloser's certificate). Internal with
// the centre's answer unless 201.
Status PostConsent(HttpClient& centre, const std::string& consent_json);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_CONSENT_H_
