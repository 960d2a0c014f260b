// DICOM JSON model (PS3.18 Annex F) for what the DICOMweb endpoint writes itself: QIDO-RS
// answers from index rows, and the STOW-RS response data set.
//
// Thread-safety: free functions.
#ifndef RENKEI_DICOMWEB_DICOM_JSON_H_
#define RENKEI_DICOMWEB_DICOM_JSON_H_

#include <string>
#include <vector>

#include "dicomweb/dicom_store.h"

namespace renkei::dicomweb {

// One QIDO-RS answer object; `retrieve_url` becomes RetrieveURL (0008,1190) in tag order.
void AppendQidoObject(const QidoRow& row, const std::string& retrieve_url, std::string* out);

// STOW-RS (PS3.18 §10.5.3): the outcome of one instance.
struct StowOutcome {
  std::string sop_class_uid;     // may be empty for a part that was not DICOM
  std::string sop_instance_uid;  // may be empty
  std::string retrieve_url;      // stored: its WADO-RS URL
  int failure_reason = 0;        // 0: stored
};

// The response data set: RetrieveURL of the study (when known), FailedSOPSequence
// (0008,1198) and ReferencedSOPSequence (0008,1199).
std::string StowResponse(const std::string& study_retrieve_url,
                         const std::vector<StowOutcome>& outcomes);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_DICOM_JSON_H_
