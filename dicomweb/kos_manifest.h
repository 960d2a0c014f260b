// The XDS-I.b imaging manifest of a stored study (IHE RAD TF-3 §4.68.4.1.2.1, PS3.3 A.35.4):
// a DICOM Key Object Selection document titled (113030, DCM, "Manifest") that references
// every instance of the study, with the Current Requested Procedure Evidence Sequence naming
// each series' Retrieve Location UID (the node's repositoryUniqueId, where RAD-69 fetches
// them). Made with DCMTK (dcmsr).
//
// Thread-safety: free functions.
#ifndef RENKEI_DICOMWEB_KOS_MANIFEST_H_
#define RENKEI_DICOMWEB_KOS_MANIFEST_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "dicomweb/dicom_instance.h"

namespace renkei::dicomweb {

struct ManifestOptions {
  std::string retrieve_location_uid;  // the repositoryUniqueId that holds the images
  std::string manufacturer = "Renkei";
};

struct Manifest {
  std::string sop_instance_uid;  // new for every manifest
  std::string series_uid;        // the manifest's own series, in the study
  std::string bytes;             // Part 10, explicit VR little endian
};

// The manifest of `instances` (one study: the first one's patient and study attributes are
// the manifest's). InvalidArgument when `instances` is empty or spans studies.
Result<Manifest> BuildManifest(const std::vector<DicomInstance>& instances,
                               const ManifestOptions& options);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_KOS_MANIFEST_H_
