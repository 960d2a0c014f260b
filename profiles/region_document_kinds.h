// The regional network's document kinds (../shared/seed/README.md, "shown to viewers"):
// discharge summary, surgery record, progress note, prescription, injection, laboratory
// result, each with the codes a Document Source puts on its DocumentEntry, taken from the
// region's affinity-domain code sets (profiles/data/region-codes.json). Used by the demo,
// the benchmarks and tests to publish documents the way a hospital would.
#ifndef RENKEI_PROFILES_REGION_DOCUMENT_KINDS_H_
#define RENKEI_PROFILES_REGION_DOCUMENT_KINDS_H_

#include <string>
#include <vector>

#include "xds/metadata.h"
#include "xds/submission_builder.h"

namespace renkei::profiles {

struct DocumentKind {
  std::string title;  // Japanese title a hospital gives the document
  xds::Code class_code;
  xds::Code type_code;  // LOINC
  xds::Code format_code;
  std::string mime_type;
  xds::Code practice_setting_code;  // SNOMED CT
};

// The six kinds, in the order above.
const std::vector<DocumentKind>& RegionDocumentKinds();
// An imaging study's XDS-I.b manifest (a DICOM KOS): class ImagingStudy, LOINC 18748-4,
// formatCode 1.2.840.10008.5.1.4.1.1.88.59 (DICOM UID registry), application/dicom.
const DocumentKind& RegionImagingManifestKind();
// confidentialityCode N (normal), HL7 v3 Confidentiality.
const xds::Code& RegionConfidentialityNormal();
// healthcareFacilityTypeCode of a hospital (SNOMED CT 22232009).
const xds::Code& RegionHospitalFacilityType();

// Gives `d` what a hospital of the region puts on a document of `kind`: title, MIME type,
// class/type/format/practice-setting codes, the hospital facility type and confidentiality N.
void ApplyRegionDocumentKind(const DocumentKind& kind, xds::SimpleDocument* d);

}  // namespace renkei::profiles

#endif  // RENKEI_PROFILES_REGION_DOCUMENT_KINDS_H_
