// XDS.b Document Registry actor (ITI TF-1 §10, ITI TF-2 §3.18/§3.42/§3.57/§3.62): the
// object that owns the store and runs the transactions. Each transaction lives in its own
// file (see registry/document_registry.h).
#include "registry/document_registry.h"

#include <set>
#include <utility>

#include "xds/xds_errors.h"

namespace renkei::registry {

DocumentRegistry::DocumentRegistry(RegistryStore& store, const PatientIdSource& patients,
                                   const xds::CodeValidator* codes, RegistryOptions options)
    : store_(store), patients_(patients), codes_(codes), options_(std::move(options)) {}

DocumentRegistry::DocumentRegistry(RegistryStore& store, const PatientIdSource& patients,
                                   const xds::CodeValidator* codes, RegistryOptions options,
                                   RegistryAuthorization authorization)
    : store_(store),
      patients_(patients),
      codes_(codes),
      options_(std::move(options)),
      policy_(authorization.policy),
      repositories_(authorization.repositories) {}

// Issue 5: "the registry accepts a repositoryUniqueId only from the facility the directory
// lists it for". Checked before the transaction, so a refusal writes nothing. The code is
// XDSRegistryMetadataError: the registry detected the metadata problem (ITI TF-3 Table
// 4.2.4.1-2: the actor name in the code tells where an error was detected;
// XDSRepositoryMetadataError and XDSUnknownRepositoryId are the repository's).
bool DocumentRegistry::ClaimRepositories(const xds::Submission& submission,
                                         const RequestContext& ctx,
                                         xds::RegistryErrorList& errors) {
  if (repositories_ == nullptr) return true;
  std::set<std::string> claimed;
  bool ok = true;
  for (const xds::DocumentEntry& d : submission.documents) {
    const std::string& repository = d.repository_unique_id;
    if (repository.empty() || !claimed.insert(repository).second) continue;
    Status st = repositories_->ClaimRepository(repository, ctx.facility);
    if (st.ok()) continue;
    ok = false;
    xds::RegistryError e;
    if (st.code() == StatusCode::kPermissionDenied) {
      e.error_code = xds::XdsErrorCode(xds::XdsError::kRegistryMetadataError);
      e.code_context = "repositoryUniqueId " + repository +
                       " is not listed in the directory for facility '" + ctx.facility +
                       "': a facility registers documents of its own repositories only";
    } else {
      e.error_code = xds::XdsErrorCode(xds::XdsError::kRegistryError);
      e.code_context = "the repository directory cannot be read to check repositoryUniqueId " +
                       repository + " of facility '" + ctx.facility + "': " + st.message();
    }
    e.location = repository;
    errors.push_back(std::move(e));
  }
  return ok;
}

}  // namespace renkei::registry
