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
// Access (dicomweb/study_access.h): with `access` set, each request is admitted by it. A
// refused one answers its status (401 with WWW-Authenticate for a missing or invalid
// ticket); a facility with a ticket reads the studies it covers: QIDO-RS finds those only,
// a path or WADO-URI naming another study answers 403 (insufficient_scope) whether or not
// it exists, and STOW-RS is refused (403). Without `access` every peer reads everything.
#ifndef RENKEI_DICOMWEB_DICOMWEB_ENDPOINT_H_
#define RENKEI_DICOMWEB_DICOMWEB_ENDPOINT_H_

#include <cstdint>
#include <functional>
#include <vector>
#include <string>

#include "common/http_server.h"
#include "dicomweb/dicom_store.h"
#include "dicomweb/study_access.h"

namespace renkei::dicomweb {

struct DicomwebOptions {
  StudyAccessOf access;  // null: every peer reads every study
  // Called after each request `access` did not admit to everything (another facility's, or
  // a refused one) with the studies it named (its path's or WADO-URI's study; for QIDO-RS
  // the studies the ticket covers) and the HTTP status answered: the node's ATNA record.
  std::function<void(Poco::Net::HTTPServerRequest& request, const StudyAccess& access,
                     const std::vector<std::string>& studies, int http_status)>
      on_other_facility;
  int64_t max_qido_results = 1000;
  int max_stow_parts = 10000;
};

inline constexpr char kDicomwebPrefix[] = "/dicomweb/";

// Adds the routes above to `router`.
void AddDicomwebRoutes(HttpRouter& router, DicomStore& store, const DicomwebOptions& options);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_DICOMWEB_ENDPOINT_H_
