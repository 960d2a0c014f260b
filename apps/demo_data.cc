// Synthetic demo region: two hospitals of one prefecture, four patients, the document kinds
// of the regional network's design (discharge summary, surgery record, progress note,
// prescription, injection, laboratory result).
#include "apps/demo_data.h"

#include <cstdio>

namespace renkei::apps {
namespace {

// Example arc (ITU-T X.660 2.999) so no real domain is impersonated; prefecture 24.
constexpr char kRegionalDomain[] = "2.999.392.24.1";

struct DocKind {
  const char* title;
  xds::Code class_code;
  xds::Code type_code;
  xds::Code format_code;
  const char* mime;
  xds::Code practice;
};

const xds::Code kConfN{"N", "2.16.840.1.113883.5.25", "normal"};
const xds::Code kHospital{"22232009", "2.16.840.1.113883.6.96", "病院 (Hospital)"};
// The region's document-class code system (profiles/data/region-codes.json).
constexpr char kClassScheme[] = "2.25.38518866043029637148133655272121541030";
const xds::Code kContentType{"ReferralLetter", kClassScheme, "診療情報提供書"};

const DocKind kKinds[] = {
    {"退院時サマリー", {"DischargeSummary", kClassScheme, "退院時サマリー"},
     {"18842-5", "2.16.840.1.113883.6.1", "Discharge summary"},
     {"urn:ihe:pcc:xds-ms:2007", "1.3.6.1.4.1.19376.1.2.3", "Medical Summaries (CDA R2)"},
     "text/xml", {"394802001", "2.16.840.1.113883.6.96", "General medicine"}},
    {"手術記録", {"OperationRecord", kClassScheme, "手術記録"},
     {"34874-6", "2.16.840.1.113883.6.1", "Surgical operation note"},
     {"urn:ihe:iti:xds-sd:pdf:2008", "1.3.6.1.4.1.19376.1.2.3", "PDF"},
     "application/pdf", {"394609007", "2.16.840.1.113883.6.96", "General surgery"}},
    {"経過記録", {"ProgressNote", kClassScheme, "経過記録"},
     {"11506-3", "2.16.840.1.113883.6.1", "Progress note"},
     {"urn:ihe:iti:xds-sd:text:2008", "1.3.6.1.4.1.19376.1.2.3", "Text"},
     "text/plain", {"394802001", "2.16.840.1.113883.6.96", "General medicine"}},
    {"処方", {"Prescription", kClassScheme, "処方"},
     {"57833-6", "2.16.840.1.113883.6.1", "Prescription for medication"},
     {"urn:ihe:iti:xds-sd:text:2008", "1.3.6.1.4.1.19376.1.2.3", "Text"},
     "text/plain", {"394802001", "2.16.840.1.113883.6.96", "General medicine"}},
    {"注射", {"Injection", kClassScheme, "注射"},
     {"29549-3", "2.16.840.1.113883.6.1", "Medication administered"},
     {"urn:ihe:iti:xds-sd:text:2008", "1.3.6.1.4.1.19376.1.2.3", "Text"},
     "text/plain", {"394802001", "2.16.840.1.113883.6.96", "General medicine"}},
    {"検体検査結果", {"LabResult", kClassScheme, "検体検査結果"},
     {"11502-2", "2.16.840.1.113883.6.1", "Laboratory report"},
     {"urn:ihe:lab:xd-lab:2008", "1.3.6.1.4.1.19376.1.2.3", "XD-LAB"},
     "text/xml", {"394802001", "2.16.840.1.113883.6.96", "General medicine"}},
};

std::string Cx(const std::string& id, const std::string& oid) {
  return id + "^^^&" + oid + "&ISO";
}

}  // namespace

DemoRegion MakeDemoRegion() {
  DemoRegion r;
  r.regional_domain_oid = kRegionalDomain;
  // Medical-institution-code OIDs: 1.2.392.100495.20.3.51 + 1 + prefecture 24 + fee table 1
  // + a made-up 7-digit institution code.
  r.hospitals = {
      {"1.2.392.100495.20.3.51.12410000017", "伊勢中央病院 (Ise Central Hospital)",
       "1.2.392.100495.20.3.51.12410000017.1"},
      {"1.2.392.100495.20.3.51.12410000025", "鈴鹿湾総合病院 (Suzuka Bay General Hospital)",
       "1.2.392.100495.20.3.51.12410000025.1"},
  };
  const struct {
    const char* kanji;
    const char* kana;
  } names[] = {{"山田 花子", "ヤマダ ハナコ"},
               {"鈴木 一郎", "スズキ イチロウ"},
               {"佐藤 美咲", "サトウ ミサキ"},
               {"田中 健太", "タナカ ケンタ"}};
  int n = 0;
  for (const auto& name : names) {
    ++n;
    char rid[32];
    std::snprintf(rid, sizeof rid, "RJ%07d", 2400000 + n);
    DemoPatient p{Cx(rid, kRegionalDomain), name.kanji, name.kana, {}};
    for (size_t h = 0; h < r.hospitals.size(); ++h) {
      char lid[32];
      std::snprintf(lid, sizeof lid, "%c%06d", h == 0 ? 'A' : 'B', 100 + n * 7);
      p.local_ids.push_back(Cx(lid, r.hospitals[h].oid));
    }
    r.patients.push_back(p);
  }
  int serial = 0;
  for (size_t pi = 0; pi < r.patients.size(); ++pi) {
    const DemoPatient& p = r.patients[pi];
    for (size_t h = 0; h < r.hospitals.size(); ++h) {
      const DemoHospital& hosp = r.hospitals[h];
      xds::SimpleSubmission s;
      s.patient_id = p.regional_id;
      s.unique_id = hosp.oid + ".2." + std::to_string(++serial);
      s.source_id = hosp.oid;
      s.submission_time = "202611" + std::string(h == 0 ? "02" : "16") + "093000";
      s.title = hosp.name + " / " + p.name_kanji;
      s.author_institution = hosp.name + "^^^^^&" + hosp.oid + "&ISO";
      s.content_type_code = kContentType;
      // Hospital A holds the first three kinds, hospital B the other three.
      for (size_t k = h * 3; k < h * 3 + 3; ++k) {
        const DocKind& kind = kKinds[k];
        xds::SimpleDocument d;
        d.symbolic_id = "Document" + std::to_string(k - h * 3 + 1);
        d.unique_id = hosp.oid + ".1." + std::to_string(serial) + "." + std::to_string(k);
        d.title = kind.title;
        d.mime_type = kind.mime;
        // SHA-1 and size of the bytes the hospital's repository holds (issue 4 stores them).
        char hash[41];
        std::snprintf(hash, sizeof hash, "%040x", serial * 16 + static_cast<int>(k));
        d.hash = hash;
        d.size = std::to_string(2048 + 97 * serial + static_cast<int>(k));
        d.creation_time = "2026110" + std::to_string(1 + k) + "0830";
        d.service_start_time = "2026100" + std::to_string(1 + k);
        d.repository_unique_id = hosp.repository_unique_id;
        d.source_patient_id = p.local_ids[h];
        d.author_person = "^医師^太郎^^^";
        d.author_institution = s.author_institution;
        d.class_code = kind.class_code;
        d.type_code = kind.type_code;
        d.format_code = kind.format_code;
        d.healthcare_facility_type_code = kHospital;
        d.practice_setting_code = kind.practice;
        d.confidentiality_code = kConfN;
        s.documents.push_back(d);
      }
      r.submissions.push_back(s);
    }
  }
  return r;
}

}  // namespace renkei::apps
