// Synthetic DICOM studies for the demo (DCMTK), stored with STOW-RS.
#include "apps/demo_images.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace renkei::apps {
namespace {

std::string NewUid() {
  char buf[100];
  dcmGenerateUniqueIdentifier(buf, SITE_INSTANCE_UID_ROOT);
  return buf;
}

struct Series {
  std::string study_uid, series_uid;
  std::string modality, sop_class, description, study_description;
  std::string accession;
  int rows, columns, samples, bits, frames;
};

// One instance of `s` with pixels from `pixel(frame, row, column, sample)`.
template <typename Pixel>
Result<std::string> MakeInstance(const DemoImagingPatient& p, const Series& s, int number,
                                 const std::string& sop_uid, const std::string& dir,
                                 Pixel pixel) {
  DcmFileFormat file;
  DcmDataset& ds = *file.getDataset();
  ds.putAndInsertString(DCM_SpecificCharacterSet, "ISO_IR 192");
  ds.putAndInsertString(DCM_SOPClassUID, s.sop_class.c_str());
  ds.putAndInsertString(DCM_SOPInstanceUID, sop_uid.c_str());
  ds.putAndInsertString(DCM_StudyInstanceUID, s.study_uid.c_str());
  ds.putAndInsertString(DCM_SeriesInstanceUID, s.series_uid.c_str());
  ds.putAndInsertString(DCM_PatientID, p.id.c_str());
  ds.putAndInsertString(DCM_IssuerOfPatientID, p.issuer.c_str());
  ds.putAndInsertString(DCM_PatientName, p.name.c_str());
  ds.putAndInsertString(DCM_PatientBirthDate, p.birth_date.c_str());
  ds.putAndInsertString(DCM_PatientSex, p.sex.c_str());
  ds.putAndInsertString(DCM_StudyDate, "20261120");
  ds.putAndInsertString(DCM_StudyTime, "093000");
  ds.putAndInsertString(DCM_AccessionNumber, s.accession.c_str());
  ds.putAndInsertString(DCM_StudyDescription, s.study_description.c_str());
  ds.putAndInsertString(DCM_StudyID, "1");
  ds.putAndInsertString(DCM_Modality, s.modality.c_str());
  ds.putAndInsertString(DCM_SeriesNumber, "1");
  ds.putAndInsertString(DCM_SeriesDescription, s.description.c_str());
  ds.putAndInsertString(DCM_InstanceNumber, std::to_string(number).c_str());
  ds.putAndInsertUint16(DCM_Rows, static_cast<Uint16>(s.rows));
  ds.putAndInsertUint16(DCM_Columns, static_cast<Uint16>(s.columns));
  ds.putAndInsertUint16(DCM_SamplesPerPixel, static_cast<Uint16>(s.samples));
  ds.putAndInsertString(DCM_PhotometricInterpretation, s.samples == 3 ? "RGB" : "MONOCHROME2");
  if (s.samples == 3) ds.putAndInsertUint16(DCM_PlanarConfiguration, 0);
  ds.putAndInsertUint16(DCM_BitsAllocated, static_cast<Uint16>(s.bits));
  ds.putAndInsertUint16(DCM_BitsStored, static_cast<Uint16>(s.bits == 16 ? 12 : 8));
  ds.putAndInsertUint16(DCM_HighBit, static_cast<Uint16>(s.bits == 16 ? 11 : 7));
  ds.putAndInsertUint16(DCM_PixelRepresentation, 0);
  if (s.modality == "CT") {
    ds.putAndInsertString(DCM_RescaleIntercept, "-1024");
    ds.putAndInsertString(DCM_RescaleSlope, "1");
    ds.putAndInsertString(DCM_SliceThickness, "5");
    ds.putAndInsertString(DCM_ImagePositionPatient,
                          ("0\\0\\" + std::to_string(number * 5)).c_str());
    ds.putAndInsertString(DCM_ImageOrientationPatient, "1\\0\\0\\0\\1\\0");
    ds.putAndInsertString(DCM_PixelSpacing, "0.5\\0.5");
  }
  if (s.frames > 1) {
    ds.putAndInsertString(DCM_NumberOfFrames, std::to_string(s.frames).c_str());
    ds.putAndInsertString(DCM_ImageType, "DERIVED\\PRIMARY\\VOLUME\\NONE");
    ds.putAndInsertUint32(DCM_TotalPixelMatrixColumns, static_cast<Uint32>(s.columns * 2));
    ds.putAndInsertUint32(DCM_TotalPixelMatrixRows, static_cast<Uint32>(s.rows * 2));
  }
  const size_t per_frame = static_cast<size_t>(s.rows * s.columns * s.samples);
  const int frames = std::max(1, s.frames);
  if (s.bits == 16) {
    std::vector<Uint16> px(per_frame * frames);
    size_t i = 0;
    for (int f = 0; f < frames; ++f)
      for (int r = 0; r < s.rows; ++r)
        for (int c = 0; c < s.columns; ++c)
          for (int k = 0; k < s.samples; ++k) px[i++] = static_cast<Uint16>(pixel(f, r, c, k));
    ds.putAndInsertUint16Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
  } else {
    std::vector<Uint8> px(per_frame * frames);
    size_t i = 0;
    for (int f = 0; f < frames; ++f)
      for (int r = 0; r < s.rows; ++r)
        for (int c = 0; c < s.columns; ++c)
          for (int k = 0; k < s.samples; ++k) px[i++] = static_cast<Uint8>(pixel(f, r, c, k));
    ds.putAndInsertUint8Array(DCM_PixelData, px.data(), static_cast<unsigned long>(px.size()));
  }
  const std::string path = dir + "/" + sop_uid + ".dcm";
  if (file.saveFile(path.c_str(), EXS_LittleEndianExplicit).bad()) {
    return Status::Internal("demo", "cannot write " + path);
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

Status Stow(HttpClient& node, const std::string& study_uid,
            const std::vector<std::string>& instances) {
  const std::string boundary = "RenkeiDemoStudy";
  std::string body;
  for (const std::string& i : instances) {
    body += "--" + boundary + "\r\nContent-Type: application/dicom\r\n\r\n" + i + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  Result<HttpReply> r =
      node.Post("/dicomweb/studies/" + study_uid,
                "multipart/related; type=\"application/dicom\"; boundary=" + boundary, body);
  if (!r.ok()) return r.status();
  if (r->status != 200) {
    return Status::Internal("demo", "STOW-RS of study " + study_uid + " answered " +
                                        std::to_string(r->status) + ": " + r->body.substr(0, 400));
  }
  return Status::Ok();
}

Series CtSeries(const std::string& study_uid, const std::string& series_uid) {
  return {study_uid, series_uid, "CT", UID_CTImageStorage, "Chest 5mm", "CT chest",
          "DEMO-CT-1", 64, 64, 1, 16, 1};
}

// A water cylinder (0 HU) in air with a denser insert that grows with the slice number.
int CtPixel(const Series& s, int n, int r, int c) {
  const double dx = c - s.columns / 2.0, dy = r - s.rows / 2.0;
  if (std::sqrt(dx * dx + dy * dy) > 28) return 0;               // air: -1024 HU
  if (std::hypot(dx - 8, dy + 4) < 6 + n) return 1024 + 300;     // insert
  return 1024;                                                   // water
}

}  // namespace

Status AddDemoCtSlice(HttpClient& node, const DemoImagingPatient& patient,
                      const DemoImaging& imaging, const std::string& work_dir) {
  const Series s = CtSeries(imaging.study_uids.at(0), imaging.ct_series_uid);
  const int n = 9;
  Result<std::string> bytes = MakeInstance(patient, s, n, NewUid(), work_dir,
                                           [&](int, int r, int c, int) { return CtPixel(s, n, r, c); });
  if (!bytes.ok()) return bytes.status();
  return Stow(node, s.study_uid, {*bytes});
}

Result<DemoImaging> PublishDemoImages(HttpClient& node, const DemoImagingPatient& patient,
                                      const std::string& work_dir) {
  std::error_code ec;
  std::filesystem::create_directories(work_dir, ec);
  DemoImaging out;
  // CT: 8 axial slices of a water cylinder (0 HU) with a denser insert, in air.
  // Endoscopy: 2 RGB frames of a pink lumen. Pathology: 2x2 tiles of an H&E-like texture.
  const Series series[] = {
      CtSeries(NewUid(), NewUid()),
      {NewUid(), NewUid(), "ES", UID_VLEndoscopicImageStorage, "Upper GI", "Gastroscopy",
       "DEMO-ES-1", 48, 64, 3, 8, 1},
      {NewUid(), NewUid(), "SM", UID_VLWholeSlideMicroscopyImageStorage, "Biopsy HE 20x",
       "Gastric biopsy", "DEMO-SM-1", 64, 64, 3, 8, 4}};
  const int counts[] = {8, 2, 1};
  for (int k = 0; k < 3; ++k) {
    const Series& s = series[k];
    std::vector<std::string> instances;
    for (int n = 1; n <= counts[k]; ++n) {
      const std::string sop = NewUid();
      Result<std::string> bytes = MakeInstance(
          patient, s, n, sop, work_dir, [&](int f, int r, int c, int sample) -> int {
            const double dx = c - s.columns / 2.0, dy = r - s.rows / 2.0;
            const double d = std::sqrt(dx * dx + dy * dy);
            if (s.modality == "CT") return CtPixel(s, n, r, c);
            if (s.modality == "ES") {
              const int base[] = {200, 120, 120};
              return std::max(0, base[sample] - static_cast<int>(d * 3) + n * 5);
            }
            const int x = c + (f % 2) * s.columns, y = r + (f / 2) * s.rows;
            const bool nucleus = ((x / 6 + y / 6) % 5 == 0) && ((x + y) % 6 < 4);
            const int he[2][3] = {{230, 170, 210}, {90, 60, 160}};
            return he[nucleus ? 1 : 0][sample];
          });
      if (!bytes.ok()) return bytes.status();
      instances.push_back(std::move(bytes.value()));
      if (s.modality == "SM") {
        out.slide_series_uid = s.series_uid;
        out.slide_sop_uid = sop;
      }
      if (s.modality == "CT") out.ct_series_uid = s.series_uid;
    }
    RENKEI_RETURN_IF_ERROR(Stow(node, s.study_uid, instances));
    out.study_uids.push_back(s.study_uid);
    out.instances += counts[k];
  }
  return out;
}

}  // namespace renkei::apps
