// XDS-I.b manifests (kos_manifest.h): read back with DCMTK and with the store's own reader.
#include "dicomweb/kos_manifest.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcdeftag.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcsequen.h>
#include <gtest/gtest.h>

#include <fstream>

#include "dicomweb/dicom_reader.h"
#include "dicomweb/dicom_test_util.h"

namespace renkei::dicomweb {
namespace {

DicomInstance Instance(const std::string& series, const std::string& sop) {
  DicomInstance d;
  d.patient_id = "A000107";
  d.issuer_of_patient_id = "1.2.392.200.1";
  d.patient_name = "Yamada^Hanako";
  d.study_uid = "1.2.3.9";
  d.series_uid = series;
  d.sop_class_uid = "1.2.840.10008.5.1.4.1.1.2";  // CT
  d.sop_instance_uid = sop;
  d.study_date = "20261120";
  d.accession_number = "ACC1";
  return d;
}

TEST(KosManifestTest, ReferencesEveryInstanceWithItsRetrieveLocation) {
  ManifestOptions o;
  o.retrieve_location_uid = "1.2.392.200.2.1";
  auto m = BuildManifest({Instance("1.2.3.9.1", "1.2.3.9.1.1"), Instance("1.2.3.9.1", "1.2.3.9.1.2"),
                          Instance("1.2.3.9.2", "1.2.3.9.2.1")},
                         o);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  char dir[] = "/tmp/renkei-kos-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  const std::string path = std::string(dir) + "/kos.dcm";
  std::ofstream(path, std::ios::binary) << m->bytes;

  auto read = ReadDicomFile(path);  // storable as any instance
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(read->sop_class_uid, "1.2.840.10008.5.1.4.1.1.88.59");  // Key Object Selection
  EXPECT_EQ(read->modality, "KO");
  EXPECT_EQ(read->study_uid, "1.2.3.9");
  EXPECT_EQ(read->sop_instance_uid, m->sop_instance_uid);
  EXPECT_EQ(read->series_uid, m->series_uid);
  EXPECT_NE(m->series_uid, "1.2.3.9.1");
  EXPECT_EQ(read->patient_id, "A000107");

  DcmFileFormat file;
  ASSERT_TRUE(file.loadFile(path.c_str()).good());
  DcmDataset& ds = *file.getDataset();
  DcmItem* title = nullptr;
  ASSERT_TRUE(ds.findAndGetSequenceItem(DCM_ConceptNameCodeSequence, title, 0).good());
  OFString code, scheme;
  title->findAndGetOFString(DCM_CodeValue, code);
  title->findAndGetOFString(DCM_CodingSchemeDesignator, scheme);
  EXPECT_EQ(code, "113030");
  EXPECT_EQ(scheme, "DCM");
  DcmItem* study = nullptr;
  ASSERT_TRUE(ds.findAndGetSequenceItem(DCM_CurrentRequestedProcedureEvidenceSequence, study, 0)
                  .good());
  DcmSequenceOfItems* series = nullptr;
  ASSERT_TRUE(study->findAndGetSequence(DCM_ReferencedSeriesSequence, series).good());
  ASSERT_EQ(series->card(), 2u);
  size_t referenced = 0;
  for (unsigned long i = 0; i < series->card(); ++i) {
    OFString location;
    series->getItem(i)->findAndGetOFString(DCM_RetrieveLocationUID, location);
    EXPECT_EQ(location, "1.2.392.200.2.1");
    DcmSequenceOfItems* sops = nullptr;
    ASSERT_TRUE(series->getItem(i)->findAndGetSequence(DCM_ReferencedSOPSequence, sops).good());
    referenced += sops->card();
  }
  EXPECT_EQ(referenced, 3u);
  DcmSequenceOfItems* content = nullptr;
  ASSERT_TRUE(ds.findAndGetSequence(DCM_ContentSequence, content).good());
  EXPECT_EQ(content->card(), 3u);
  std::system((std::string("rm -rf ") + dir).c_str());
}

TEST(KosManifestTest, RefusesAnEmptyOrMixedStudy) {
  EXPECT_EQ(BuildManifest({}, {}).status().code(), StatusCode::kInvalidArgument);
  DicomInstance other = Instance("1.2.4.1", "1.2.4.1.1");
  other.study_uid = "1.2.4";
  EXPECT_EQ(BuildManifest({Instance("1.2.3.9.1", "1.2.3.9.1.1"), other}, {}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace renkei::dicomweb
