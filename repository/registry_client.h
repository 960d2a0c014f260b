// The node's side of the registry transactions it originates (ITI TF-2 §3.42 ITI-42
// Register Document Set-b, §3.18 ITI-18 GetDocuments), over SOAP 1.2 to the centre's
// `registry.url`. Keeps a few keep-alive connections for the request threads.
//
// Thread-safety: thread-safe.
#ifndef RENKEI_REPOSITORY_REGISTRY_CLIENT_H_
#define RENKEI_REPOSITORY_REGISTRY_CLIENT_H_

#include <memory>
#include <set>
#include <string>
#include <vector>

#include "common/status.h"
#include "common/tls.h"
#include "xds/repository_codec.h"
#include "xds/rim.h"

namespace renkei::repository {

struct RegistryClientOptions {
  std::string registry_url;  // http(s)://host:port/xds/registry (https: mutual TLS, common/tls.h)
  // Sent as X-Renkei-Facility (the requesting facility in insecure loopback mode).
  std::string facility_oid;
  int timeout_seconds = 30;
  // https: the node's client certificate context (null: the process's, common/tls.h).
  std::shared_ptr<TlsContext> tls;
};

class RegistryClient {
 public:
  // InvalidArgument naming registry.url when it is not an http(s):// URL with a path.
  static Result<std::unique_ptr<RegistryClient>> Create(RegistryClientOptions options);
  ~RegistryClient();

  // ITI-42. The registry's RegistryResponse (Success or Failure with its errors), also for
  // a SOAP Fault (as one XDSRegistryError). Unavailable (detail XDSRegistryNotAvailable)
  // when the outcome is unknown: no connection, a timeout, or an answer that is not SOAP.
  Result<xds::RegistryResponse> Register(const xds::SubmitObjectsRequest& request);

  // ITI-18 GetDocuments by uniqueId (LeafClass): which of `unique_ids` the registry holds,
  // whatever their status and patient (a batch refused with XDSResultNotSinglePatient is
  // asked again one uniqueId at a time). Unavailable when the registry cannot say.
  Result<std::set<std::string>> RegisteredUniqueIds(const std::vector<std::string>& unique_ids);

  const std::string& url() const;

  struct Impl;

 private:
  explicit RegistryClient(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::repository

#endif  // RENKEI_REPOSITORY_REGISTRY_CLIENT_H_
