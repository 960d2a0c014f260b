// Test instances made with DCMTK: small Part 10 files with the attributes the index reads.
#ifndef RENKEI_DICOMWEB_DICOM_TEST_UTIL_H_
#define RENKEI_DICOMWEB_DICOM_TEST_UTIL_H_

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace renkei::dicomweb::testing {

struct TestInstance {
  std::string study = "1.2.826.0.1.3680043.10.1.1";
  std::string series = "1.2.826.0.1.3680043.10.1.1.1";
  std::string sop = "1.2.826.0.1.3680043.10.1.1.1.1";
  std::string sop_class = UID_CTImageStorage;
  std::string patient_id = "P1";
  std::string patient_name = "Yamada^Taro";
  std::string study_date = "20261101";
  std::string modality = "CT";
  std::string accession = "A1";
  std::string instance_number = "1";
  int rows = 16;
  int columns = 16;
  int frames = 0;  // > 0: NumberOfFrames
};

// Writes `t` as an explicit VR little endian Part 10 file at `path`.
inline bool WriteTestInstance(const TestInstance& t, const std::string& path) {
  DcmFileFormat file;
  DcmDataset* ds = file.getDataset();
  ds->putAndInsertString(DCM_SOPClassUID, t.sop_class.c_str());
  ds->putAndInsertString(DCM_SOPInstanceUID, t.sop.c_str());
  ds->putAndInsertString(DCM_StudyInstanceUID, t.study.c_str());
  ds->putAndInsertString(DCM_SeriesInstanceUID, t.series.c_str());
  ds->putAndInsertString(DCM_PatientID, t.patient_id.c_str());
  ds->putAndInsertString(DCM_PatientName, t.patient_name.c_str());
  ds->putAndInsertString(DCM_StudyDate, t.study_date.c_str());
  ds->putAndInsertString(DCM_Modality, t.modality.c_str());
  ds->putAndInsertString(DCM_AccessionNumber, t.accession.c_str());
  ds->putAndInsertString(DCM_InstanceNumber, t.instance_number.c_str());
  ds->putAndInsertString(DCM_SeriesNumber, "1");
  ds->putAndInsertUint16(DCM_Rows, static_cast<Uint16>(t.rows));
  ds->putAndInsertUint16(DCM_Columns, static_cast<Uint16>(t.columns));
  ds->putAndInsertUint16(DCM_BitsAllocated, 8);
  ds->putAndInsertUint16(DCM_BitsStored, 8);
  ds->putAndInsertUint16(DCM_HighBit, 7);
  ds->putAndInsertUint16(DCM_PixelRepresentation, 0);
  ds->putAndInsertUint16(DCM_SamplesPerPixel, 1);
  ds->putAndInsertString(DCM_PhotometricInterpretation, "MONOCHROME2");
  const int frames = t.frames > 0 ? t.frames : 1;
  if (t.frames > 0) ds->putAndInsertString(DCM_NumberOfFrames, std::to_string(t.frames).c_str());
  std::vector<Uint8> pixels(static_cast<size_t>(t.rows * t.columns * frames));
  for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<Uint8>(i * 7);
  ds->putAndInsertUint8Array(DCM_PixelData, pixels.data(), static_cast<unsigned long>(pixels.size()));
  return file.saveFile(path.c_str(), EXS_LittleEndianExplicit).good();
}

inline std::string ReadAll(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace renkei::dicomweb::testing

#endif  // RENKEI_DICOMWEB_DICOM_TEST_UTIL_H_
