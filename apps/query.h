// `renkei query`: a document consumer on the command line. A clinician's own hospital
// patient ID is resolved to the regional ID through the centre's PIX Manager (ITI-83 PIXm),
// then the registry is asked for the patient's documents (ITI-18 FindDocuments, LeafClass).
#ifndef RENKEI_APPS_QUERY_H_
#define RENKEI_APPS_QUERY_H_

#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/status.h"
#include "xds/metadata.h"
#include "xds/xds_errors.h"

namespace renkei::apps {

// The regional patient ID (CX id^^^&oid&ISO) linked to `local_id` of assigning authority
// `authority_oid`, asked of the PIX Manager at `centre` (PIXm GET with targetSystem the
// regional domain). NotFound when the centre does not know the local ID or it has no
// regional ID; Unavailable when the centre cannot be reached.
Result<std::string> ResolveRegionalId(HttpClient& centre, const std::string& local_id,
                                      const std::string& authority_oid,
                                      const std::string& regional_oid);

struct FoundDocuments {
  std::vector<xds::DocumentEntry> entries;
  xds::RegistryErrorList errors;  // warnings, or the errors of a PartialSuccess
};

// The SOAP request of an ITI-18 FindDocuments (LeafClass) for `patient_id` (CX) with these
// availability statuses (URNs).
std::string FindDocumentsRequest(const std::string& patient_id,
                                 const std::vector<std::string>& statuses);

// ITI-18 FindDocuments for `patient_id` (CX) with these availability statuses (URNs),
// LeafClass, from the registry at `centre` (/xds/registry). The registry's errors of a
// Failure come back as InvalidArgument naming each code and context.
Result<FoundDocuments> FindDocuments(HttpClient& centre, const std::string& patient_id,
                                     const std::vector<std::string>& statuses);

// `renkei query --centre URL (--patient-id CX | --local-id ID --authority OID)
//  [--regional-oid OID] [--status approved|deprecated|all]`. Exit code.
int RunQuery(const std::vector<std::string>& args);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_QUERY_H_
