// Internal to profiles/: the JSON-level decoders of the MHD resources, shared by the
// one-resource entry points (profiles/mhd_mapping.h) and the ITI-65 bundle decoder.
#ifndef RENKEI_PROFILES_INTERNAL_MHD_RESOURCES_H_
#define RENKEI_PROFILES_INTERNAL_MHD_RESOURCES_H_

#include <functional>
#include <string>

#include "profiles/internal/mhd_json.h"
#include "profiles/mhd_mapping.h"

namespace renkei::profiles::internal {

// Maps a subject Reference of `resource` (element at `location`) to an XDS patientId CX.
using SubjectResolver = std::function<Result<std::string>(const Json& subject, const Json& resource,
                                                          const std::string& location)>;

struct DecodeContext {
  MhdOption option = MhdOption::kComprehensive;
  const MhdContext* ctx = nullptr;
  SubjectResolver subject;               // empty → ResolveSubject(ctx)
  bool in_submission = false;            // ITI-65: objects carry no status; status must be current
  std::string fallback_submission_time;  // DTM for a Minimal SubmissionSet without date
};

// The default subject resolution: "Patient/{id}" or ctx.fhir_base + "/Patient/{id}" through
// ctx.patient_cx; a contained "#id" Patient or a logical {identifier} with an urn:oid: system.
Result<std::string> ResolveSubject(const Json& subject, const MhdContext& ctx, const Json& resource,
                                   const std::string& location);

// entryUUID of a DocumentReference / List: identifier[use=official] urn:uuid:, else
// "urn:uuid:" + id when id is a UUID, else `fallback`.
std::string EntryUuidOf(const Json& resource, const std::string& fallback);

// A DocumentReference → ExtrinsicObject with id `id` (relatesTo and attachment.url /
// data are left to the caller). *missing_required is set when Minimal left an
// XDS-required attribute absent (the limitedMetadata classification is then added).
Result<xds::RegistryObject> DocumentEntryOfJson(const Json& doc, const std::string& id,
                                                const DecodeContext& dc, bool* missing_required);

// A List → RegistryPackage (SubmissionSet or Folder by List.code; the node classification
// nested) with id `id`; entry items are left to the caller.
Result<xds::RegistryObject> PackageOfJson(const Json& list, const std::string& id,
                                          const DecodeContext& dc, bool* is_folder,
                                          bool* missing_required);

}  // namespace renkei::profiles::internal

#endif  // RENKEI_PROFILES_INTERNAL_MHD_RESOURCES_H_
