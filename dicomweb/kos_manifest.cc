// XDS-I.b KOS manifests with DCMTK's dcmsr.
#include "dicomweb/kos_manifest.h"

#include <dcmtk/config/osconfig.h>
#include <dcmtk/dcmdata/dcfilefo.h>
#include <dcmtk/dcmdata/dcuid.h>
#include <dcmtk/dcmsr/dsrdoc.h>
#include <dcmtk/dcmsr/dsrimgvl.h>


#include "dicomweb/part10_bytes.h"

namespace renkei::dicomweb {
namespace {

Status Failed(const std::string& what, const OFCondition& rc) {
  return Status::Internal("dicom.0x0110", "manifest: " + what + ": " + rc.text());
}

}  // namespace

Result<Manifest> BuildManifest(const std::vector<DicomInstance>& instances,
                               const ManifestOptions& options) {
  if (instances.empty()) return Status::InvalidArgument("manifest", "a study without instances");
  const DicomInstance& first = instances.front();
  for (const DicomInstance& i : instances) {
    if (i.study_uid != first.study_uid) {
      return Status::InvalidArgument("manifest", "instances of more than one study");
    }
  }
  DSRDocument doc(DSRTypes::DT_KeyObjectSelectionDocument);
  doc.setSpecificCharacterSetType(DSRTypes::CS_UTF8);
  doc.setPatientName(first.patient_name.c_str(), OFFalse);
  doc.setPatientID(first.patient_id.c_str(), OFFalse);
  if (!first.issuer_of_patient_id.empty()) {
    doc.setIssuerOfPatientID(first.issuer_of_patient_id.c_str(), OFFalse);
  }
  doc.setPatientBirthDate(first.patient_birth_date.c_str(), OFFalse);
  doc.setPatientSex(first.patient_sex.c_str(), OFFalse);
  doc.setStudyDate(first.study_date.c_str(), OFFalse);
  doc.setStudyTime(first.study_time.c_str(), OFFalse);
  doc.setAccessionNumber(first.accession_number.c_str(), OFFalse);
  doc.setStudyID(first.study_id.c_str(), OFFalse);
  doc.setStudyDescription(first.study_description.c_str(), OFFalse);
  doc.setReferringPhysicianName(first.referring_physician_name.c_str(), OFFalse);
  OFCondition rc = doc.createNewSeriesInStudy(first.study_uid.c_str());
  if (rc.bad()) return Failed("new series", rc);
  doc.setSeriesDescription("XDS-I.b imaging manifest", OFFalse);
  doc.setManufacturer(options.manufacturer.c_str(), OFFalse);

  DSRDocumentTree& tree = doc.getTree();
  if (tree.addContentItem(DSRTypes::RT_isRoot, DSRTypes::VT_Container) == 0) {
    return Status::Internal("dicom.0x0110", "manifest: cannot add the root container");
  }
  tree.getCurrentContentItem().setConceptName(DSRCodedEntryValue("113030", "DCM", "Manifest"));
  DSRSOPInstanceReferenceList& evidence = doc.getCurrentRequestedProcedureEvidence();
  bool first_child = true;
  for (const DicomInstance& i : instances) {
    const bool image = dcmIsImageStorageSOPClassUID(i.sop_class_uid.c_str());
    if (tree.addContentItem(DSRTypes::RT_contains,
                            image ? DSRTypes::VT_Image : DSRTypes::VT_Composite,
                            first_child ? DSRTypes::AM_belowCurrent : DSRTypes::AM_afterCurrent) ==
        0) {
      return Status::Internal("dicom.0x0110", "manifest: cannot reference " + i.sop_instance_uid);
    }
    first_child = false;
    rc = image ? tree.getCurrentContentItem().setImageReference(
                     DSRImageReferenceValue(i.sop_class_uid.c_str(), i.sop_instance_uid.c_str()),
                     OFFalse)
               : tree.getCurrentContentItem().setCompositeReference(
                     DSRCompositeReferenceValue(i.sop_class_uid.c_str(), i.sop_instance_uid.c_str()),
                     OFFalse);
    if (rc.bad()) return Failed("reference " + i.sop_instance_uid, rc);
    rc = evidence.addItem(i.study_uid.c_str(), i.series_uid.c_str(), i.sop_class_uid.c_str(),
                          i.sop_instance_uid.c_str(), OFFalse);
    if (rc.bad()) return Failed("evidence " + i.sop_instance_uid, rc);
    rc = evidence.gotoItem(i.study_uid.c_str(), i.series_uid.c_str(), i.sop_instance_uid.c_str());
    if (rc.good()) rc = evidence.setRetrieveLocationUID(options.retrieve_location_uid.c_str(), OFFalse);
    if (rc.bad()) return Failed("retrieve location of " + i.series_uid, rc);
  }
  DcmFileFormat file;
  rc = doc.write(*file.getDataset());
  if (rc.bad()) return Failed("write", rc);
  Manifest m;
  OFString uid;
  doc.getSOPInstanceUID(uid);
  m.sop_instance_uid = uid.c_str();
  doc.getSeriesInstanceUID(uid);
  m.series_uid = uid.c_str();
  RENKEI_ASSIGN_OR_RETURN(m.bytes, Part10Bytes(file));
  return m;
}

}  // namespace renkei::dicomweb
