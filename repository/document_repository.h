// The XDS.b Document Repository of a node (ITI TF-2 §3.41 Provide and Register Document
// Set-b, §3.43 Retrieve Document Set), over the document store and the registry client.
//
// ITI-41: every DocumentEntry must have its document and every document its DocumentEntry
// (XDSMissingDocument / XDSMissingDocumentMetadata); a submitted size, hash or
// repositoryUniqueId must match what arrived (XDSRepositoryMetadataError); the repository
// then sets them, makes the bytes durable (pending), registers the metadata (ITI-42) and
// answers what the registry answered. A refusal discards the bytes; an unknown outcome
// (registry unreachable) leaves them pending for Reconcile, which asks the registry later.
// An acknowledged document is therefore always durable and registered, and bytes the
// registry does not know never stay.
//
// Thread-safety: thread-safe.
#ifndef RENKEI_REPOSITORY_DOCUMENT_REPOSITORY_H_
#define RENKEI_REPOSITORY_DOCUMENT_REPOSITORY_H_

#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "repository/document_store.h"
#include "repository/registry_client.h"
#include "xds/repository_codec.h"

namespace renkei::repository {

struct RepositoryOptions {
  std::string repository_unique_id;  // OID
  std::string home_community_id;     // urn:oid:..., may be empty
};

// MTOM parts received with an ITI-41 request, by Content-ID.
using ReceivedParts = std::map<std::string, std::unique_ptr<Upload>>;

struct RetrieveAnswer {
  std::vector<StoredDocument> documents;  // in request order
  xds::RegistryErrorList errors;
};

struct ReconcileCounts {
  int registered = 0;  // pending documents the registry holds: now served
  int discarded = 0;   // pending documents the registry does not hold: removed
  int waiting = 0;     // too recent, in flight, or the registry could not say
};

class DocumentRepository {
 public:
  DocumentRepository(DocumentStore& store, RegistryClient& registry, RepositoryOptions options);

  // ITI-41 after decoding. Empty errors, or only warnings = Success.
  xds::RegistryErrorList ProvideAndRegister(xds::ProvideAndRegisterRequest request,
                                            ReceivedParts parts);

  // ITI-43: the documents found, and XDSUnknownRepositoryId / XDSDocumentUniqueIdError
  // for the others.
  RetrieveAnswer Retrieve(const std::vector<xds::DocumentRequest>& requests);

  // Settles pending documents staged at least `min_age_ms` ago, not in flight and not in
  // `leave_alone` (the outbox's queued documents: their registration is still to be sent).
  Result<ReconcileCounts> Reconcile(int64_t min_age_ms,
                                    const std::set<std::string>& leave_alone = {});

  const RepositoryOptions& options() const { return options_; }

 private:
  Result<std::vector<StageEntry>> Prepare(xds::ProvideAndRegisterRequest& request,
                                          ReceivedParts& parts,
                                          std::vector<std::unique_ptr<Upload>>* inline_uploads,
                                          xds::RegistryErrorList* errors);

  DocumentStore& store_;
  RegistryClient& registry_;
  const RepositoryOptions options_;
  std::mutex mu_;
  std::multiset<std::string> in_flight_;  // uniqueIds whose ITI-42 is under way
};

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_DOCUMENT_REPOSITORY_H_
