// FHIR R4 JSON of the facility directory and the consent grants (issue 5): Organization
// (a facility), Endpoint (its ITI-43 / ITI-68 / DICOMweb / ITI-41 endpoints), Practitioner (a
// regional staff account), Consent (a grant), and the Parameters of $break-glass. Decoded
// here into the plain types of directory/directory_store.h; the endpoints never walk JSON.
//
// Mapping (documented for clients):
// - Organization.id = the facility OID; identifier {urn:ietf:rfc:3986, urn:oid:<oid>};
//   type = organization-type "prov" and {kFacilityTypeSystem, disclosing|viewing|hosted};
//   name = Japanese name; alias = romaji; endpoint = its Endpoints; the certificate's
//   x5t#S256 in extension kCertificateThumbprintExtension (valueString).
// - Endpoint.id = its number; extension kEndpointKindExtension valueCode iti43|iti68|
//   dicomweb|iti41; identifier {urn:ietf:rfc:3986, urn:oid:<repositoryUniqueId>};
//   connectionType mCSD ihe-xds (ITI-43, ITI-41), ihe-mhd (ITI-68) or
//   endpoint-connection-type dicom-wado-rs; managingOrganization Organization/<oid>;
//   payloadType endpoint-payload-type "any"; address = the URL.
// - Practitioner.id = the regional staff ID, identifier {staff system, id}; name[0] kanji
//   (iso21090-EN-representation IDE), name[1] kana or romaji (SYL).
// - Consent.id = the grant number; status active | inactive (revoked); scope
//   patient-privacy; category LOINC 59284-0; patient.identifier {urn:oid:<domain>, id} (the
//   regional ID); dateTime = created; performer and organization = the disclosing facility
//   (Organization/<oid> with identifier urn:oid:<oid>); sourceReference.reference = the
//   consent reference, .display = the note; policyRule v3-ActCode OPTIN;
//   provision.type permit; provision.period; provision.actor[0] role v3-ParticipationType
//   IRCP with reference Organization/<oid> (or identifier urn:ietf:rfc:3986 urn:oid:<oid>),
//   or kEveryFacilityReference "Group/every-participating-facility" for every participating
//   facility; provision.class = the document classCodes (empty = every class).
//
// Decoders accept a one-item array written as an object (what fhir/fhir_xml.h makes of an
// XML Consent, whose repeating elements it does not know). Errors: InvalidArgument with the
// FHIR issue type as detail ("invalid", "code-invalid", "required") and a message naming the
// element.
// Thread-safety: pure functions.
#ifndef RENKEI_DIRECTORY_DIRECTORY_FHIR_H_
#define RENKEI_DIRECTORY_DIRECTORY_FHIR_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "directory/directory_store.h"

namespace renkei::directory {

inline constexpr char kRfc3986System[] = "urn:ietf:rfc:3986";
inline constexpr char kFacilityTypeSystem[] =
    "https://renkei.example/fhir/CodeSystem/facility-type";
inline constexpr char kCertificateThumbprintExtension[] =
    "https://renkei.example/fhir/StructureDefinition/certificate-x5t-s256";
inline constexpr char kEndpointKindExtension[] =
    "https://renkei.example/fhir/StructureDefinition/endpoint-transaction";
inline constexpr char kDefaultStaffIdSystem[] = "https://renkei.example/fhir/NamingSystem/staff-id";
inline constexpr char kEveryFacilityReference[] = "Group/every-participating-facility";

// The regional CX "id^^^&oid&ISO" of a patient identifier {system urn:oid:<oid>, value};
// InvalidArgument for another system or an empty value.
Result<std::string> PatientCxOfIdentifier(const std::string& system, const std::string& value);
// A patient search/parameter value: a token "urn:oid:<oid>|<id>" or a CX "id^^^&oid&ISO";
// when `regional_domain_oid` is given also "Patient/<id>" or a bare <id> (the centre's
// PDQm Patient.id is the regional ID value).
Result<std::string> PatientCxOfToken(const std::string& token,
                                     const std::string& regional_domain_oid = {});
// The OID an organization token names: "urn:oid:<oid>", "urn:ietf:rfc:3986|urn:oid:<oid>",
// "Organization/<oid>" or the bare OID.
std::string OidOfOrganizationToken(const std::string& token);

std::string OrganizationJson(const Facility& facility, const std::vector<Endpoint>& endpoints);
std::string EndpointJson(const Endpoint& endpoint);
std::string PractitionerJson(const Staff& staff, const std::string& staff_id_system);
std::string ConsentJson(const Grant& grant);

// What a POSTed Consent asks for: the grant (without its disclosing facility, which is the
// requester) and the organizations it names as performer / organization.
struct ConsentDraft {
  Grant grant;
  std::vector<std::string> named_organizations;  // OIDs
};
// `class_systems`: the accepted provision.class systems (an unknown one is "code-invalid").
// With `regional_domain_oid`, Consent.patient may also be {"reference": "Patient/<id>"}.
Result<ConsentDraft> ConsentDraftFromJson(const std::string& json,
                                          const std::vector<std::string>& class_systems,
                                          const std::string& regional_domain_oid = {});

// A PUT Consent's status ("active", "inactive", ...) and id ("" when absent).
struct ConsentUpdate {
  std::string id;
  std::string status;
};
Result<ConsentUpdate> ConsentUpdateFromJson(const std::string& json);

// $break-glass input: Parameters {patient (valueIdentifier, valueString token/CX, or with
// `regional_domain_oid` valueReference Patient/<id>),
// reason (valueString, required non-blank), practitioner (valueString or
// valueIdentifier.value, optional)}.
struct BreakGlassRequest {
  std::string patient_id;  // CX
  std::string reason;
  std::string practitioner;
};
Result<BreakGlassRequest> BreakGlassRequestFromJson(const std::string& json,
                                                    const std::string& regional_domain_oid = {});
// The answer: Parameters {expires (valueInstant), started (valueInstant), patient
// (valueIdentifier), id (valueString)}.
std::string BreakGlassResultJson(const BreakGlass& window);

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_DIRECTORY_FHIR_H_
