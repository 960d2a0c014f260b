// DocumentRegistry: the XDS.b Document Registry actor's transactions over a RegistryStore.
//   ITI-42 Register Document Set-b      register_document_set.cc
//   ITI-57 Update Document Set          update_document_set.cc
//   ITI-62 Remove Metadata              remove_metadata.cc
//   ITI-18 Registry Stored Query        stored_query.cc
// Each transaction takes decoded plain types and returns the errors to report; transport
// (registry/registry_endpoint.h) does SOAP. A failed write transaction changes nothing.
//
// Thread-safety: all methods may be called concurrently.
#ifndef RENKEI_REGISTRY_DOCUMENT_REGISTRY_H_
#define RENKEI_REGISTRY_DOCUMENT_REGISTRY_H_

#include <string>
#include <vector>

#include "common/patient_id_source.h"
#include "directory/disclosure_policy.h"
#include "registry/registry_store.h"
#include "xds/metadata.h"
#include "xds/rim.h"
#include "xds/xds_errors.h"

namespace renkei::xds {
class CodeValidator;  // xds/validation.h
}

namespace renkei::registry {

// Who is asking (filled by transport; the facility comes from the client certificate once
// mutual TLS exists).
struct RequestContext {
  std::string facility;  // requesting facility OID; may be empty in insecure loopback mode
};

struct RegistryOptions {
  int64_t max_query_results = 10000;  // XDSTooManyResults above this (0 = unlimited)
  // Registry-assigned homeCommunityId written on query answers; empty = none.
  std::string home_community_id;
};

// Architecture §5 / issue 5: who may see and write what (docs/authorization.md).
struct RegistryAuthorization {
  // Which records of a patient a requesting facility may see. Null: a facility sees only
  // what it registered itself.
  const directory::DisclosurePolicy* policy = nullptr;
  // Which facility a repositoryUniqueId belongs to (ITI-42 / ITI-57 DocumentEntries).
  // Null: repositoryUniqueIds are not checked.
  directory::RepositoryDirectory* repositories = nullptr;
};

struct QueryAnswer {
  xds::RegistryErrorList errors;
  bool object_ref = false;               // returnType
  std::vector<StoredObject> objects;     // LeafClass: in answer order
  std::vector<std::string> object_refs;  // ObjectRef: ids in answer order
};

class DocumentRegistry {
 public:
  // `codes` may be null (no code-set checking). All references must outlive this object.
  // Without `authorization` a facility sees only its own records and repositoryUniqueIds
  // are not checked.
  DocumentRegistry(RegistryStore& store, const PatientIdSource& patients,
                   const xds::CodeValidator* codes, RegistryOptions options);
  // The same with a disclosure policy and repository directory (either may be null); the
  // objects they point to must outlive this object and allow concurrent calls.
  DocumentRegistry(RegistryStore& store, const PatientIdSource& patients,
                   const xds::CodeValidator* codes, RegistryOptions options,
                   RegistryAuthorization authorization);

  // Every transaction acts for `ctx.facility` (the requesting facility):
  //  - ITI-42 records it as the submitter of every new object; a DocumentEntry's
  //    repositoryUniqueId must belong to it (RepositoryDirectory::ClaimRepository, else
  //    XDSRegistryMetadataError naming both, nothing written); replacing (RPLC, XFRM_RPLC)
  //    a document or adding to a Folder of another facility is refused
  //    (AuthorizationException, nothing written);
  //  - ITI-57 and ITI-62 change or remove only objects it registered
  //    (AuthorizationException, nothing written);
  //  - ITI-18 answers only what it may see (registry/query_access.h): hidden objects are
  //    absent, never an error; XDSTooManyResults counts visible objects only;
  //    XDSRegistryError (nothing answered) when the policy cannot be read.

  xds::RegistryErrorList RegisterDocumentSet(const xds::SubmitObjectsRequest& request,
                                             const RequestContext& ctx);
  xds::RegistryErrorList UpdateDocumentSet(const xds::SubmitObjectsRequest& request,
                                           const RequestContext& ctx);
  // `patients` (may be null): the distinct patients of the objects the request named and
  // found, for the ATNA record (ITI TF-2 §3.62.5), whether or not they were removed.
  xds::RegistryErrorList RemoveMetadata(const xds::RemoveObjectsRequest& request,
                                        const RequestContext& ctx,
                                        std::vector<std::string>* patients = nullptr);
  QueryAnswer StoredQuery(const xds::AdhocQueryRequest& request, const RequestContext& ctx);

 private:
  // ITI-42 / ITI-57: every DocumentEntry's repositoryUniqueId must belong to the requesting
  // facility (RepositoryDirectory::ClaimRepository). Adds the errors and returns false when
  // one does not; true without a repository directory.
  bool ClaimRepositories(const xds::Submission& submission, const RequestContext& ctx,
                         xds::RegistryErrorList& errors);

  RegistryStore& store_;
  const PatientIdSource& patients_;
  const xds::CodeValidator* codes_;
  RegistryOptions options_;
  const directory::DisclosurePolicy* policy_ = nullptr;
  directory::RepositoryDirectory* repositories_ = nullptr;
};

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_DOCUMENT_REGISTRY_H_
