// ITI TF-3 §4 metadata validation: the pieces xds/validation.cc is assembled from. Internal
// to xds/ (validation.cc, validation_objects.cc, validation_associations.cc).
#ifndef RENKEI_XDS_INTERNAL_VALIDATION_RULES_H_
#define RENKEI_XDS_INTERNAL_VALIDATION_RULES_H_

#include <string>
#include <utility>

#include "xds/metadata.h"
#include "xds/validation.h"
#include "xds/xds_errors.h"

namespace renkei::xds::internal {

// Collects RegistryErrors in order.
class Reporter {
 public:
  void Add(XdsError e, std::string context, std::string location) {
    RegistryError err;
    err.error_code = XdsErrorCode(e);
    err.code_context = std::move(context);
    err.location = std::move(location);
    err.severity = Severity::kError;
    errors_.push_back(std::move(err));
  }
  void Metadata(std::string context, std::string location) {
    Add(XdsError::kRegistryMetadataError, std::move(context), std::move(location));
  }
  RegistryErrorList Take() { return std::move(errors_); }

 private:
  RegistryErrorList errors_;
};

// The id an object is reported under: its id as written in the request (rim.id, else the
// typed entryUUID), else `fallback` (its uniqueId).
inline const std::string& IdOr(const std::string& entry_uuid, const std::string& rim_id,
                               const std::string& fallback) {
  if (!rim_id.empty()) return rim_id;
  if (!entry_uuid.empty()) return entry_uuid;
  return fallback;
}

// Per-object rules (validation_objects.cc).
void ValidateSubmissionSet(const SubmissionSet& ss, const ValidationOptions& o, Reporter& r);
void ValidateDocumentEntry(const DocumentEntry& de, const ValidationOptions& o, Reporter& r);
void ValidateFolder(const Folder& f, const ValidationOptions& o, Reporter& r);
// ebRIM structure shared by every object: id present and well formed, nested
// Classifications / ExternalIdentifiers point at their parent.
void ValidateRimStructure(const RegistryObject& rim, const std::string& id, const char* kind,
                          Reporter& r);

// Association rules and SubmissionSet membership (validation_associations.cc).
void ValidateAssociations(const Submission& s, const ValidationOptions& o, Reporter& r);

}  // namespace renkei::xds::internal

#endif  // RENKEI_XDS_INTERNAL_VALIDATION_RULES_H_
