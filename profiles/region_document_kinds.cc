// The region's document kinds and their codes (profiles/data/region-codes.json).
#include "profiles/region_document_kinds.h"

namespace renkei::profiles {
namespace {

// The region's document-class code system (see region-codes.json "description").
constexpr char kClassScheme[] = "2.25.38518866043029637148133655272121541030";
constexpr char kLoinc[] = "2.16.840.1.113883.6.1";
constexpr char kSnomed[] = "2.16.840.1.113883.6.96";
constexpr char kIheFormat[] = "1.3.6.1.4.1.19376.1.2.3";

}  // namespace

const std::vector<DocumentKind>& RegionDocumentKinds() {
  static const std::vector<DocumentKind> kKinds = {
      {"退院時サマリー", {"DischargeSummary", kClassScheme, "退院時サマリー (Discharge summary)"},
       {"18842-5", kLoinc, "Discharge summary"},
       {"urn:ihe:pcc:xds-ms:2007", kIheFormat, "Medical Summaries (CDA R2)"},
       "text/xml", {"394802001", kSnomed, "内科 (General medicine)"}},
      {"手術記録", {"OperationRecord", kClassScheme, "手術記録 (Surgery record)"},
       {"34874-6", kLoinc, "Surgical operation note"},
       {"urn:ihe:iti:xds-sd:pdf:2008", kIheFormat, "Scanned Documents (PDF)"},
       "application/pdf", {"394609007", kSnomed, "外科 (General surgery)"}},
      {"経過記録", {"ProgressNote", kClassScheme, "経過記録 (Progress note)"},
       {"11506-3", kLoinc, "Progress note"},
       {"urn:ihe:iti:xds-sd:text:2008", kIheFormat, "Scanned Documents (text)"},
       "text/plain", {"394579002", kSnomed, "循環器科 (Cardiology)"}},
      {"処方", {"Prescription", kClassScheme, "処方 (Prescription)"},
       {"57833-6", kLoinc, "Prescription for medication"},
       {"urn:ihe:iti:xds-sd:text:2008", kIheFormat, "Scanned Documents (text)"},
       "text/plain", {"394802001", kSnomed, "内科 (General medicine)"}},
      {"注射", {"Injection", kClassScheme, "注射 (Injection)"},
       {"29549-3", kLoinc, "Medication administered"},
       {"urn:ihe:iti:xds-sd:text:2008", kIheFormat, "Scanned Documents (text)"},
       "text/plain", {"394537008", kSnomed, "小児科 (Pediatric specialty)"}},
      {"検体検査結果", {"LabResult", kClassScheme, "検体検査結果 (Laboratory result)"},
       {"11502-2", kLoinc, "Laboratory report"},
       {"urn:ihe:lab:xd-lab:2008", kIheFormat, "CDA Laboratory Report"},
       "text/xml", {"394802001", kSnomed, "内科 (General medicine)"}},
  };
  return kKinds;
}

const xds::Code& RegionConfidentialityNormal() {
  static const xds::Code kN{"N", "2.16.840.1.113883.5.25", "normal"};
  return kN;
}

const xds::Code& RegionHospitalFacilityType() {
  static const xds::Code kHospital{"22232009", kSnomed, "病院 (Hospital)"};
  return kHospital;
}

const DocumentKind& RegionImagingManifestKind() {
  static const DocumentKind kKind{
      "画像検査", {"ImagingStudy", kClassScheme, "画像検査 (Imaging study)"},
      {"18748-4", kLoinc, "Diagnostic imaging study"},
      {"1.2.840.10008.5.1.4.1.1.88.59", "1.2.840.10008.2.6.1",
       "Key Object Selection Document (XDS-I.b manifest)"},
      "application/dicom", {"394802001", kSnomed, "内科 (General medicine)"}};
  return kKind;
}

void ApplyRegionDocumentKind(const DocumentKind& kind, xds::SimpleDocument* d) {
  d->title = kind.title;
  d->mime_type = kind.mime_type;
  d->class_code = kind.class_code;
  d->type_code = kind.type_code;
  d->format_code = kind.format_code;
  d->practice_setting_code = kind.practice_setting_code;
  d->healthcare_facility_type_code = RegionHospitalFacilityType();
  d->confidentiality_code = RegionConfidentialityNormal();
}

}  // namespace renkei::profiles
