// ITI-83 Mobile Patient Identifier Cross-reference Query (PIXm `$ihe-pix`, IHE PIXm 3.0):
// the request's parameters as plain types, the cross-reference, and the FHIR answer.
//
//   in   sourceIdentifier 1..1  "system|value" (GET query, or a POST Parameters with
//                               valueString "system|value" or valueIdentifier)
//        targetSystem     0..*  the domains wanted (repeated, or comma-separated)
//   out  200  Parameters: one targetIdentifier per identifier of the patient in a wanted
//             domain (all other domains when none is named), never the source itself, and one
//             targetId, the reference Patient/<regional ID> of the centre's Patient resource
//             (PDQm); no parameter at all when the patient has none in those domains
//        400  OperationOutcome invalid: no or malformed sourceIdentifier; code-invalid: the
//             source domain is not known
//        403  OperationOutcome code-invalid: a targetSystem is not a known domain
//        404  OperationOutcome not-found: the source identifier is not known in its domain
// Systems are "urn:oid:<oid>"; other system URIs are not domains of this PIX Manager.
//
// Thread-safety: pure functions but for the store's.
#ifndef RENKEI_PIX_PIXM_H_
#define RENKEI_PIX_PIXM_H_

#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "pix/identity_store.h"

namespace renkei::pix {

struct PixmQuery {
  Cx source;                             // id and oid
  std::vector<std::string> target_oids;  // empty: every other domain
};

struct FhirAnswer {
  int status = 200;
  std::string json;
};

// From GET query parameters (name, value), in order. InvalidArgument -> 400.
Result<PixmQuery> PixmQueryFromParams(const std::vector<std::pair<std::string, std::string>>& params);
// From a POST body (Parameters resource, JSON).
Result<PixmQuery> PixmQueryFromJson(const std::string& body);

// The answer for `query` (200 / 400 / 403 / 404 as above).
FhirAnswer AnswerPixm(IdentityStore& store, const PixmQuery& query);

// The consumer's side: the targetIdentifiers of a 200 answer (a Parameters resource), as
// id + oid; identifiers whose system is not urn:oid are skipped. InvalidArgument when the
// body is not a Parameters resource.
Result<std::vector<Cx>> PixmTargetsFromJson(const std::string& body);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_PIXM_H_
