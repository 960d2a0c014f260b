// RAD-69 Retrieve Imaging Document Set at the node's Imaging Document Source (RAD TF-3 4.69):
// each requested instance (study, series, SOP Instance UID) is found in the DICOM store and
// served in the first transfer syntax of the consumer's list the node can give — the stored
// one, or explicit VR little endian decoded by DCMTK. The SOAP transport is the node's
// repository endpoint (/xds/repository, apps/node_rad69); this is the decision.
//
// Per instance, errors are RegistryErrors with the SOP Instance UID as location (NIST
// testkit ids_2018-4811 gives the codes):
//   another repositoryUniqueId               XDSUnknownRepositoryId
//   an empty study or series UID             XDSIRequestError
//   a study the access ticket does not cover AuthorizationException
//   not in that study and series, or unknown XDSDocumentUniqueIdError
//   no transfer syntax of the list servable  XDSRepositoryError
//   (or decoding it would pass kMaxDecodedBytesPerRequest)
//
// Thread-safety: a free function; DicomStore is thread-safe.
#ifndef RENKEI_DICOMWEB_IMAGING_RETRIEVE_H_
#define RENKEI_DICOMWEB_IMAGING_RETRIEVE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "dicomweb/dicom_store.h"
#include "dicomweb/study_access.h"
#include "xds/repository_codec.h"
#include "xds/xds_errors.h"

namespace renkei::dicomweb {

// Decoded instances are held in memory until the answer is sent; past this many bytes in one
// request the next instance to decode is refused (XDSRepositoryError).
inline constexpr uint64_t kMaxDecodedBytesPerRequest = uint64_t{512} << 20;

// One instance to send.
struct RetrievedInstance {
  std::string home_community_id;  // the request's, echoed (NIST ids_2018-4820)
  StoredFile file;
  std::string transfer_syntax_uid;  // as sent
  std::string transcoded;           // the decoded Part 10 bytes; empty: send file.path
};

struct ImagingRetrieveAnswer {
  std::vector<RetrievedInstance> instances;
  xds::RegistryErrorList errors;
};

ImagingRetrieveAnswer RetrieveImagingDocumentSet(DicomStore& store,
                                                 const xds::RetrieveImagingDocumentSetRequest& request,
                                                 const StudyAccess& access,
                                                 const std::string& repository_unique_id);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_IMAGING_RETRIEVE_H_
