// DICOMweb at the node (PS3.18), under /dicomweb/:
//   STOW-RS   POST /studies, POST /studies/{study}
//   QIDO-RS   GET  /studies, /studies/{study}/series, /series,
//                  /studies/{study}/series/{series}/instances, /studies/{study}/instances,
//                  /instances
//   WADO-RS   GET  /studies/{study}[/series/{series}[/instances/{sop}]]  (multipart/related;
//                  type="application/dicom", the stored transfer syntax, files by sendfile)
//             GET  …/metadata at each of those levels (from the index), …/frames/{list},
//                  …/bulkdata/{tag}, …/rendered, …/thumbnail
//   WADO-URI  GET  /dicomweb/wado?requestType=WADO&studyUID=…, and the same at /wado
// Errors are HTTP statuses with a text/plain reason (PS3.18 §8.6.3); a STOW answers a
// response data set (ReferencedSOPSequence / FailedSOPSequence) with 200, 202 or 409.
//
// Access: the node's own facility is served. Until access tickets name imaging studies,
// another facility is refused (403) whenever tickets are configured; without tickets every
// peer is served, as for ITI-43.
#ifndef RENKEI_DICOMWEB_DICOMWEB_ENDPOINT_H_
#define RENKEI_DICOMWEB_DICOMWEB_ENDPOINT_H_

#include <cstdint>
#include <string>

#include "common/http_server.h"
#include "dicomweb/dicom_store.h"

namespace renkei::dicomweb {

struct DicomwebOptions {
  std::string own_facility_oid;
  bool other_facilities_refused = false;  // tickets configured
  int64_t max_qido_results = 1000;
  int max_stow_parts = 10000;
};

inline constexpr char kDicomwebPrefix[] = "/dicomweb/";

// Adds the routes above to `router`.
void AddDicomwebRoutes(HttpRouter& router, DicomStore& store, const DicomwebOptions& options);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_DICOMWEB_ENDPOINT_H_
