// XDS-I.b at the node (issue 6): once a stored study has been quiet for
// `dicomweb.manifest_delay_seconds` and is linked to a regional patient ID, its imaging
// manifest (dicomweb/kos_manifest.h) is stored as a document of the node's repository and
// its registration queued in the outbox (ITI-42 by the outbox worker, retried while the
// registry cannot be reached). A study that gains instances later gets a new manifest.
//
// Thread-safety: Start/Stop from one thread; RunOnce from one thread at a time.
#ifndef RENKEI_APPS_NODE_MANIFESTS_H_
#define RENKEI_APPS_NODE_MANIFESTS_H_

#include <cstdint>
#include <string>

#include "common/periodic_worker.h"
#include "common/status.h"
#include "dicomweb/dicom_store.h"
#include "repository/document_store.h"
#include "repository/outbox.h"

namespace renkei::apps {

struct ManifestPublisherOptions {
  int64_t delay_ms = 60000;  // a study quiet this long gets its manifest
  int64_t poll_ms = 1000;
  std::string repository_unique_id;
  std::string facility_oid;
};

class ManifestPublisher {
 public:
  ManifestPublisher(dicomweb::DicomStore& images, repository::DocumentStore& documents,
                    repository::Outbox& outbox, ManifestPublisherOptions options);
  ~ManifestPublisher();
  void Start();
  void Stop();
  // One pass: the manifests of the studies due now; how many were queued.
  Result<int> RunOnce();

 private:
  Status Publish(const std::string& study_uid);

  dicomweb::DicomStore& images_;
  repository::DocumentStore& documents_;
  repository::Outbox& outbox_;
  const ManifestPublisherOptions options_;
  PeriodicWorker worker_;  // last: stopped before the rest goes
};

}  // namespace renkei::apps

#endif  // RENKEI_APPS_NODE_MANIFESTS_H_
