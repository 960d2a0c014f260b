// IHE MHD 4.2 Document Responder over the registry (the centre's side of MHD):
//   ITI-67 Find Document References   DocumentReference search and read
//   ITI-66 Find Document Lists        List (SubmissionSet / Folder) search and read
// Entries are found through the registry's own stored queries (FindDocuments,
// FindSubmissionSets, FindFolders, GetDocuments, GetSubmissionSets, GetAssociations,
// GetSubmissionSetAndContents, GetFolderAndContents) with the caller's RequestContext, so
// whatever the registry filters for a requesting facility it filters here too; the
// resources are written by profiles/mhd_mapping.h. Transport: registry/mhd_endpoint.h.
//
// Search parameters (FHIR R4 search; values separated by ',' are OR-ed, a repeated
// parameter is AND-ed; tokens are "system|code", "code" or "system|"):
//   DocumentReference: patient, patient.identifier, status, identifier, type, category,
//     setting, facility, event, security-label, format, related, author.given,
//     author.family, date, period, creation
//   List: patient, patient.identifier, code (submissionset | folder), status, identifier,
//     designationType, date, source.given, source.family
//   both: _count (1..100, default 20) and the opaque paging cursor _page
// patient (or patient.identifier) is required, except that a DocumentReference search may
// select by identifier alone. A parameter not listed is ignored and left out of `used`
// (FHIR lenient handling, as PDQm); a modifier (name:modifier) or a value that cannot be
// used is InvalidArgument detail "invalid". Dates take the prefixes eq (default), ge, gt,
// le, lt; `date` of a DocumentReference is its submission time (else creation time).
//
// Errors: InvalidArgument "invalid" (400), NotFound "not-found" (read: 404),
// ResourceExhausted "too-costly" (more matches than the registry answers), Internal
// "exception".
//
// Thread-safety: all methods may be called concurrently.
#ifndef RENKEI_REGISTRY_MHD_RESPONDER_H_
#define RENKEI_REGISTRY_MHD_RESPONDER_H_

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "profiles/mhd_mapping.h"
#include "registry/document_registry.h"

namespace renkei::registry {

using MhdParams = std::vector<std::pair<std::string, std::string>>;

struct MhdResponderOptions {
  // Patient.id at the centre (its regional ID) → XDS patientId (CX); "" when unknown.
  std::function<std::string(const std::string& patient_id)> patient_cx;
  // patient.identifier: (system, value) → the XDS patientId of the patient it names (the
  // regional ID of any linked local ID); "" when unknown.
  std::function<std::string(const std::string& system, const std::string& value)>
      patient_of_identifier;
};

// One page of a search.
struct MhdPage {
  std::vector<std::pair<std::string, std::string>> resources;  // (resource id, JSON)
  MhdParams used;     // the parameters applied (for the self link), without _page
  int64_t total = 0;  // matches over all pages
  int count = 0;      // page size
  int64_t next = 0;   // _page of the next page; 0 on the last page
};

class MhdResponder {
 public:
  // `registry` must outlive this object.
  MhdResponder(DocumentRegistry& registry, MhdResponderOptions options);

  Result<MhdPage> FindDocumentReferences(const MhdParams& params, const RequestContext& rc,
                                         const profiles::MhdContext& mc);
  Result<MhdPage> FindLists(const MhdParams& params, const RequestContext& rc,
                            const profiles::MhdContext& mc);
  // `id` is the entryUUID without urn:uuid:. NotFound when the registry has no such object.
  Result<std::string> ReadDocumentReference(const std::string& id, const RequestContext& rc,
                                            const profiles::MhdContext& mc);
  Result<std::string> ReadList(const std::string& id, const RequestContext& rc,
                               const profiles::MhdContext& mc);

 private:
  DocumentRegistry& registry_;
  MhdResponderOptions options_;
};

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_MHD_RESPONDER_H_
