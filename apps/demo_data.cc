// Synthetic demo region: two hospitals of one prefecture, four patients, the document kinds
// of the regional network's design (discharge summary, surgery record, progress note,
// prescription, injection, laboratory result).
#include "apps/demo_data.h"

#include <cstdio>

#include "profiles/region_document_kinds.h"

namespace renkei::apps {
namespace {

// Example arc (ITU-T X.660 2.999) so no real domain is impersonated; prefecture 24.
constexpr char kRegionalDomain[] = "2.999.392.24.1";

std::string Cx(const std::string& id, const std::string& oid) {
  return id + "^^^&" + oid + "&ISO";
}

}  // namespace

DemoRegion MakeDemoRegion() {
  DemoRegion r;
  r.regional_domain_oid = kRegionalDomain;
  r.name = "三重地域医療連携 (Mie Regional Network, demo)";
  r.centre = {"2.999.392.24.9", "連携サービスセンター (Service Centre)", ""};
  r.clinic = {"1.2.392.100495.20.3.51.12410000033", "みなと診療所 (Minato Clinic)", ""};
  // Medical-institution-code OIDs: 1.2.392.100495.20.3.51 + 1 + prefecture 24 + fee table 1
  // + a made-up 7-digit institution code.
  r.hospitals = {
      {"1.2.392.100495.20.3.51.12410000017", "伊勢中央病院 (Ise Central Hospital)",
       "1.2.392.100495.20.3.51.12410000017.1"},
      {"1.2.392.100495.20.3.51.12410000025", "鈴鹿湾総合病院 (Suzuka Bay General Hospital)",
       "1.2.392.100495.20.3.51.12410000025.1"},
  };
  const struct {
    const char *family, *given, *family_kana, *given_kana, *birth, *sex;
  } people[] = {{"山田", "花子", "ヤマダ", "ハナコ", "19520314", "F"},
                {"鈴木", "一郎", "スズキ", "イチロウ", "19480722", "M"},
                {"佐藤", "美咲", "サトウ", "ミサキ", "19790105", "F"},
                {"田中", "健太", "タナカ", "ケンタ", "19661130", "M"}};
  int n = 0;
  for (const auto& who : people) {
    ++n;
    DemoPatient p{"", who.family, who.given, who.family_kana, who.given_kana, who.birth, who.sex, {}};
    for (size_t h = 0; h < r.hospitals.size(); ++h) {
      char lid[32];
      std::snprintf(lid, sizeof lid, "%c%06d", h == 0 ? 'A' : 'B', 100 + n * 7);
      p.local_ids.push_back(Cx(lid, r.hospitals[h].oid));
    }
    r.patients.push_back(p);
  }
  return r;
}

std::string DemoAdmission(const DemoRegion& r, size_t p, size_t h, const std::string& control_id) {
  const DemoPatient& who = r.patients[p];
  std::string pid3 = who.local_ids[h];
  if (!who.regional_id.empty()) pid3 += "~" + who.regional_id;
  return "MSH|^~\\&|EMR|" + r.hospitals[h].oid + "|RENKEI|CENTRE|20261125090000||ADT^A01^ADT_A01|" +
         control_id + "|P|2.5||||||UNICODE UTF-8\rEVN|A01|20261125090000\rPID|1||" + pid3 +
         "||" + who.family_kanji + "^" + who.given_kanji + "^^^^^L^I~" + who.family_kana + "^" +
         who.given_kana + "^^^^^L^P||" + who.birth_date + "|" + who.sex + "\rPV1|1|O\r";
}

std::vector<DemoPublication> DemoPublications(const DemoRegion& r) {
  std::vector<DemoPublication> publications;
  int serial = 0;
  for (size_t pi = 0; pi < r.patients.size(); ++pi) {
    const DemoPatient& p = r.patients[pi];
    for (size_t h = 0; h < r.hospitals.size(); ++h) {
      const DemoHospital& hosp = r.hospitals[h];
      DemoPublication pub;
      pub.hospital = h;
      pub.patient = pi;
      xds::SimpleSubmission& s = pub.submission;
      s.patient_id = p.regional_id;
      s.unique_id = hosp.oid + ".2." + std::to_string(++serial);
      s.source_id = hosp.oid;
      s.submission_time = "202611" + std::string(h == 0 ? "02" : "16") + "093000";
      s.title = hosp.name + " / " + p.family_kanji + " " + p.given_kanji;
      s.author_institution = hosp.name + "^^^^^&" + hosp.oid + "&ISO";
      // Hospital A holds the first three kinds, hospital B the other three.
      const auto& kinds = profiles::RegionDocumentKinds();
      s.content_type_code = kinds[h * 3].class_code;
      for (size_t k = h * 3; k < h * 3 + 3; ++k) {
        const profiles::DocumentKind& kind = kinds[k];
        xds::SimpleDocument d;
        d.symbolic_id = "Document" + std::to_string(k - h * 3 + 1);
        profiles::ApplyRegionDocumentKind(kind, &d);
        d.unique_id = hosp.oid + ".1." + std::to_string(serial) + "." + std::to_string(k);
        d.creation_time = "2026110" + std::to_string(1 + k) + "0830";
        d.service_start_time = "2026100" + std::to_string(1 + k);
        d.source_patient_id = p.local_ids[h];
        d.author_person = "^医師^太郎^^^";
        d.author_institution = s.author_institution;
        s.documents.push_back(d);
        pub.kinds.push_back(k);
      }
      publications.push_back(std::move(pub));
    }
  }
  return publications;
}

}  // namespace renkei::apps
