// HTTP side of the centre's facility directory and consent API (issue 5 "Directory" and
// "Disclosure permissions"), FHIR R4 (JSON, or XML through fhir/fhir_http.h):
//   GET    /fhir/Organization[?identifier=urn:oid:<oid>&name=<prefix>&type=<code>&_id=<oid>]
//   GET    /fhir/Organization/{oid}
//   GET    /fhir/Endpoint[?organization=<oid or Organization/oid>&identifier=<repositoryUniqueId>]
//   GET    /fhir/Endpoint/{n}
//   GET    /fhir/Practitioner[?identifier=[system|]<staff id>]
//   GET    /fhir/Practitioner/{staff id}
//   POST   /fhir/Consent                 a grant by the REQUESTING facility → 201 Consent
//   GET    /fhir/Consent[?patient=<urn:oid:domain|id, CX or Patient/id>&status=active|inactive]
//   GET    /fhir/Consent/{n}
//   PUT    /fhir/Consent/{n}             status inactive: revoke → 200 Consent
//   DELETE /fhir/Consent/{n}             revoke → 200 Consent
//   POST   /fhir/$break-glass            Parameters {patient, reason, practitioner?}
//                                        → 200 Parameters {expires, started, patient, id}
// The resources are mapped as directory/directory_fhir.h documents.
//
// The requesting facility is RequestPeer(request).facility_oid (common/peer.h): the
// certificate's facility, or in insecure-loopback mode the X-Renkei-Facility test header.
// Consent visibility: a facility reads and searches the grants it made and those naming it
// (or every facility) as grantee; any other grant is 404 / absent. Only the disclosing
// facility may create (a Consent naming another organization as performer or organization
// is 403) or revoke (403) its grants; nothing changes on a refusal.
//
// Errors as OperationOutcome: 400 invalid / required / code-invalid (malformed JSON, missing
// patient, unknown class system, period ending before it starts, break-glass without a
// reason; nothing stored), 403 forbidden, 404 not-found, 413 too-costly, 415 not-supported,
// 500 exception, 503 transient (store busy).
//
// Thread-safety: the handlers run concurrently; the store is thread-safe; on_change may be
// called from several request threads at once.
#ifndef RENKEI_DIRECTORY_DIRECTORY_ENDPOINT_H_
#define RENKEI_DIRECTORY_DIRECTORY_ENDPOINT_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "common/http_server.h"
#include "directory/directory_fhir.h"
#include "directory/directory_store.h"

namespace renkei::directory {

inline constexpr char kOrganizationPath[] = "/fhir/Organization";
inline constexpr char kEndpointPath[] = "/fhir/Endpoint";
inline constexpr char kPractitionerPath[] = "/fhir/Practitioner";
inline constexpr char kConsentPath[] = "/fhir/Consent";
inline constexpr char kBreakGlassPath[] = "/fhir/$break-glass";
inline constexpr char kBreakGlassPathEncoded[] = "/fhir/%24break-glass";
// The region's classCode scheme (profiles/data/region-codes.json) as a FHIR system.
inline constexpr char kRegionClassCodeSystem[] =
    "urn:oid:2.25.38518866043029637148133655272121541030";

// A permission change or emergency access, for the ATNA audit (issue 5 "Audit").
struct PolicyChange {
  enum class Kind { kGrant, kRevoke, kBreakGlass, kBreakGlassRefused };
  Kind kind = Kind::kGrant;
  std::string facility;    // the requesting facility that made the change / broke the glass
  std::string patient_id;  // regional CX
  std::string detail;      // grant: "to <grantee> classes <c1,c2|all> <start>..<end>";
                           // revoke: "grant <n>"; break-glass: the reason; refused
                           // break-glass: why (no reason, no patient, ...)
  int64_t grant_id = 0;    // grant / revoke: the grant; break-glass: the window's id
  std::string grantee;     // grant / revoke
  std::string staff_id;    // break-glass: the practitioner, if given
  std::string expires;     // break-glass: end of the window ("YYYYMMDDhhmmss")
};
const char* PolicyChangeKindName(PolicyChange::Kind kind);  // "grant" | "revoke" | "break_glass"

struct DirectoryEndpointOptions {
  // Accepted Consent.provision.class systems (the classCode schemes as FHIR systems).
  std::vector<std::string> class_systems = {kRegionClassCodeSystem};
  std::string staff_id_system = kDefaultStaffIdSystem;
  // pix.regional_domain.oid: when set, a patient may also be named "Patient/<id>" (the
  // centre's PDQm Patient.id) or by a bare regional ID in Consent, searches and $break-glass.
  std::string regional_domain_oid;
  size_t max_body_bytes = 65536;
  // Called after every stored grant, revocation and break-glass, and for a break-glass
  // request refused as invalid (kBreakGlassRefused; other refusals change nothing and are
  // not reported).
  std::function<void(const PolicyChange&)> on_change;
  // The current time "YYYYMMDDhhmmss" (tests); null: the clock.
  std::function<std::string()> now;
};

// Registers the routes above on `router`. `store` must outlive the router's handlers.
void AddDirectoryRoutes(HttpRouter& router, DirectoryStore& store,
                        DirectoryEndpointOptions options);

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_DIRECTORY_ENDPOINT_H_
