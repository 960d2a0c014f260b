// One stored DICOM instance as the DICOMweb store indexes it (PS3.18 §10.6.1.2 matching and
// return attributes of each level), decoded from the Part 10 file at the edge
// (dicomweb/dicom_reader.h). Plain values, as DICOM writes them (DA "YYYYMMDD", TM, PN with
// its ^ components); empty when absent.
#ifndef RENKEI_DICOMWEB_DICOM_INSTANCE_H_
#define RENKEI_DICOMWEB_DICOM_INSTANCE_H_

#include <cstdint>
#include <string>

namespace renkei::dicomweb {

struct DicomInstance {
  // Patient (PS3.18 Table 10.6.1-5, study level)
  std::string patient_id;
  std::string issuer_of_patient_id;
  std::string patient_name;
  std::string patient_birth_date;
  std::string patient_sex;
  // Study
  std::string study_uid;
  std::string study_date;
  std::string study_time;
  std::string accession_number;
  std::string study_id;
  std::string study_description;
  std::string referring_physician_name;
  // Series
  std::string series_uid;
  std::string modality;
  std::string series_number;
  std::string series_description;
  std::string performed_start_date;
  std::string performed_start_time;
  // Instance
  std::string sop_class_uid;
  std::string sop_instance_uid;
  std::string instance_number;
  std::string transfer_syntax_uid;  // of the file (its meta header)
  int64_t rows = 0;
  int64_t columns = 0;
  int64_t number_of_frames = 0;  // 0: not a multi-frame instance
  int64_t samples_per_pixel = 0;
  int64_t bits_allocated = 0;
  // Where the native (uncompressed, little endian) pixel data starts in the file, so that a
  // frame is a byte range of it; -1 when it is encapsulated, elsewhere or absent.
  int64_t pixel_offset = -1;
  // The data set (meta header excluded) as a DICOM JSON object (PS3.18 §F.2), its bulk data
  // (pixel data, large binary values) as "BulkDataURI": "<kBulkBase>/bulkdata/gggg eeee"
  // — the served form replaces kBulkBase with the instance's URL.
  std::string metadata_json;
};

// Where a stored metadata object's BulkDataURIs start (replaced when served).
inline constexpr char kBulkBase[] = "@INSTANCE@";

// A DICOM UID: 1 to 64 characters, digits and dots, no empty component (PS3.5 §9.1; its
// "no leading zero" rule is not enforced: PACS in the field break it). Stored instances'
// UIDs name their files, so only these are accepted.
bool IsValidUid(const std::string& uid);

}  // namespace renkei::dicomweb

#endif  // RENKEI_DICOMWEB_DICOM_INSTANCE_H_
