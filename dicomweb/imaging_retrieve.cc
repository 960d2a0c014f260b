// RAD-69: the instances of a Retrieve Imaging Document Set request, or why not.
#include "dicomweb/imaging_retrieve.h"

#include <algorithm>

#include "dicomweb/dicom_reader.h"

namespace renkei::dicomweb {
namespace {

constexpr char kExplicitLittleEndian[] = "1.2.840.10008.1.2.1";
constexpr char kAccessDenied[] = "AuthorizationException";  // as ITI-43 at this node

xds::RegistryError Error(xds::XdsError code, std::string context, const std::string& sop) {
  return {xds::XdsErrorCode(code), std::move(context), sop, xds::Severity::kError};
}

}  // namespace

ImagingRetrieveAnswer RetrieveImagingDocumentSet(DicomStore& store,
                                                 const xds::RetrieveImagingDocumentSetRequest& request,
                                                 const StudyAccess& access,
                                                 const std::string& repository_unique_id) {
  ImagingRetrieveAnswer answer;
  const std::vector<std::string>& wanted = request.transfer_syntax_uids;
  uint64_t decoded_bytes = 0;
  for (const xds::ImagingDocumentRequest& r : request.documents) {
    const std::string& sop = r.document.document_unique_id;
    if (r.document.repository_unique_id != repository_unique_id) {
      answer.errors.push_back(Error(xds::XdsError::kUnknownRepositoryId,
                                    "unknown repositoryUniqueId " + r.document.repository_unique_id,
                                    sop));
      continue;
    }
    if (r.study_instance_uid.empty() || r.series_instance_uid.empty()) {
      answer.errors.push_back(Error(xds::XdsError::kImagingRequestError,
                                    "the StudyRequest and SeriesRequest of instance " + sop +
                                        " must name their UIDs",
                                    sop));
      continue;
    }
    if (!access.Covers(r.study_instance_uid)) {
      answer.errors.push_back({kAccessDenied,
                               "access denied: the access ticket does not cover study " +
                                   r.study_instance_uid,
                               sop, xds::Severity::kError});
      continue;
    }
    Result<std::vector<StoredFile>> files =
        store.Files(r.study_instance_uid, r.series_instance_uid, sop);
    if (!files.ok()) {
      const bool unknown = files.status().code() == StatusCode::kNotFound;
      answer.errors.push_back(Error(
          unknown ? xds::XdsError::kDocumentUniqueIdError : xds::XdsError::kRepositoryError,
          unknown ? "no instance " + sop + " in series " + r.series_instance_uid + " of study " +
                        r.study_instance_uid
                  : "the DICOM store failed: " + files.status().message(),
          sop));
      continue;
    }
    const StoredFile& f = files->front();
    // The consumer's first choice the node can give: as stored, or decoded.
    auto as_stored = std::find(wanted.begin(), wanted.end(), f.transfer_syntax_uid);
    auto decoded = std::find(wanted.begin(), wanted.end(), kExplicitLittleEndian);
    RetrievedInstance out{r.document.home_community_id, f, f.transfer_syntax_uid, ""};
    if (as_stored == wanted.end() || (decoded != wanted.end() && decoded < as_stored)) {
      Result<std::string> bytes = decoded == wanted.end()
                                      ? Result<std::string>(Status::InvalidArgument("", "not asked"))
                                      : TranscodeToExplicitLittleEndian(f.path);
      if (!bytes.ok()) {
        if (as_stored == wanted.end()) {
          answer.errors.push_back(Error(
              xds::XdsError::kRepositoryError,
              decoded == wanted.end()
                  ? "instance " + sop + " is stored in " + f.transfer_syntax_uid +
                        "; it is served in that or in " + kExplicitLittleEndian +
                        ", and the request takes neither"
                  : "instance " + sop + " cannot be decoded to " + kExplicitLittleEndian +
                        ": " + bytes.status().message(),
              sop));
          continue;
        }
      } else if (decoded_bytes + bytes->size() > kMaxDecodedBytesPerRequest) {
        // Decoded instances are held until the answer is sent: bounded per request.
        answer.errors.push_back(Error(
            xds::XdsError::kRepositoryError,
            "instance " + sop + " is not decoded: the instances decoded for this request " +
                "would pass " + std::to_string(kMaxDecodedBytesPerRequest >> 20) +
                " MiB; ask for fewer, or for " + f.transfer_syntax_uid,
            sop));
        continue;
      } else {
        decoded_bytes += bytes->size();
        out.transfer_syntax_uid = kExplicitLittleEndian;
        out.transcoded = std::move(bytes.value());
      }
    }
    answer.instances.push_back(std::move(out));
  }
  return answer;
}

}  // namespace renkei::dicomweb
