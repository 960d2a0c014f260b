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
#include "registry/registry_store.h"
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

struct QueryAnswer {
  xds::RegistryErrorList errors;
  bool object_ref = false;               // returnType
  std::vector<StoredObject> objects;     // LeafClass: in answer order
  std::vector<std::string> object_refs;  // ObjectRef: ids in answer order
};

class DocumentRegistry {
 public:
  // `codes` may be null (no code-set checking). All references must outlive this object.
  DocumentRegistry(RegistryStore& store, const PatientIdSource& patients,
                   const xds::CodeValidator* codes, RegistryOptions options);

  xds::RegistryErrorList RegisterDocumentSet(const xds::SubmitObjectsRequest& request,
                                             const RequestContext& ctx);
  xds::RegistryErrorList UpdateDocumentSet(const xds::SubmitObjectsRequest& request,
                                           const RequestContext& ctx);
  xds::RegistryErrorList RemoveMetadata(const xds::RemoveObjectsRequest& request,
                                        const RequestContext& ctx);
  QueryAnswer StoredQuery(const xds::AdhocQueryRequest& request, const RequestContext& ctx);

 private:
  RegistryStore& store_;
  const PatientIdSource& patients_;
  const xds::CodeValidator* codes_;
  RegistryOptions options_;
};

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_DOCUMENT_REGISTRY_H_
