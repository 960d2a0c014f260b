// The hospital PACS's side of the demo (issue 6): a CT series, an endoscopy study and a small
// pathology slide (whole-slide tiles as one multi-frame instance), made with DCMTK and stored
// on the hospital's node with STOW-RS.
#ifndef RENKEI_APPS_DEMO_IMAGES_H_
#define RENKEI_APPS_DEMO_IMAGES_H_

#include <string>
#include <vector>

#include "common/http_client.h"
#include "common/status.h"

namespace renkei::apps {

struct DemoImagingPatient {
  std::string id;      // the hospital's own patient ID
  std::string issuer;  // its assigning authority (OID)
  std::string name;    // DICOM PN, UTF-8 (ISO_IR 192)
  std::string birth_date;
  std::string sex;
};

struct DemoImaging {
  std::vector<std::string> study_uids;  // CT, endoscopy, pathology
  int instances = 0;
  // The pathology instance, for a frame example.
  std::string slide_series_uid;
  std::string slide_sop_uid;
  std::string ct_series_uid;  // study_uids[0]'s series
};

// Makes the three studies under `work_dir` and stores them on the node `node` (its
// /dicomweb/studies). Internal with the node's answer when a study is not stored whole.
Result<DemoImaging> PublishDemoImages(HttpClient& node, const DemoImagingPatient& patient,
                                      const std::string& work_dir);

// One more slice of the CT series (as a modality adds one later): its study changes.
Status AddDemoCtSlice(HttpClient& node, const DemoImagingPatient& patient,
                      const DemoImaging& imaging, const std::string& work_dir);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_IMAGES_H_
