// ITI-42 benchmark data: deterministic synthetic DocumentEntries (ITI TF-3 §4.2.3.2).
#include "bench/registry/synthetic_region.h"

#include <cstdio>

#include "profiles/region_document_kinds.h"

namespace renkei::bench {
namespace {

// Example arc (ITU-T X.660 2.999), prefecture 24, as the demo region uses.
constexpr char kRegionalDomain[] = "2.999.392.24.1";
constexpr char kUniqueIdRoot[] = "2.999.392.24.9";
const char* const kHospitalNames[kHospitalCount] = {
    "伊勢中央病院", "鈴鹿湾総合病院", "津市民病院", "四日市北医療センター",
    "松阪記念病院", "桑名東クリニック", "伊賀山手病院", "尾鷲港診療所"};

// A well-mixed 64-bit value of e (splitmix64), for hashes, sizes and dates.
uint64_t Mix(uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

// A DTM YYYYMMDDhhmm between 2016 and 2026 derived from `r`.
std::string Dtm(uint64_t r) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d", 2016 + static_cast<int>(r % 11),
                1 + static_cast<int>((r >> 8) % 12), 1 + static_cast<int>((r >> 16) % 28),
                8 + static_cast<int>((r >> 24) % 10), static_cast<int>((r >> 32) % 60));
  return buf;
}

}  // namespace

std::string HospitalOid(int h) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "1.2.392.100495.20.3.51.124100000%02d", 17 + h);
  return buf;
}

std::string HospitalName(int h) { return kHospitalNames[h]; }

std::string HospitalRepositoryUniqueId(int h) { return HospitalOid(h) + ".1"; }

std::string PatientCx(int64_t p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "RB%08lld^^^&%s&ISO", static_cast<long long>(p),
                kRegionalDomain);
  return buf;
}

int64_t PatientCount(const RegionOptions& o) {
  const int64_t per = o.entries_per_patient > 0 ? o.entries_per_patient : 1;
  const int64_t n = (o.entries + per - 1) / per;
  return n > 0 ? n : 1;
}

std::string DocumentUniqueId(const RegionOptions& o, int64_t e) {
  return std::string(kUniqueIdRoot) + "." + o.unique_id_tag + ".1." + std::to_string(e);
}

int64_t PatientOfEntry(const RegionOptions& o, int64_t e) {
  // Patients are interleaved (entry e -> patient e mod P): a patient's documents arrive
  // over the years between everybody else's, as in a real registry, not side by side.
  return e % PatientCount(o);
}

int HospitalOfEntry(const RegionOptions& o, int64_t e) {
  const int home = static_cast<int>(PatientOfEntry(o, e) % kHospitalCount);
  return Mix(static_cast<uint64_t>(e)) % 3 == 0 ? (home + 3) % kHospitalCount : home;
}

xds::SimpleSubmission SubmissionForEntry(const RegionOptions& o, int64_t e) {
  const int64_t p = PatientOfEntry(o, e);
  const uint64_t r = Mix(static_cast<uint64_t>(e));
  const int h = HospitalOfEntry(o, e);
  const std::string hosp_oid = HospitalOid(h);
  const std::string hosp_name = kHospitalNames[h];
  const auto& kinds = profiles::RegionDocumentKinds();
  const profiles::DocumentKind& kind = kinds[(r >> 40) % kinds.size()];

  xds::SimpleSubmission s;
  s.patient_id = PatientCx(p);
  s.unique_id = std::string(kUniqueIdRoot) + "." + o.unique_id_tag + ".2." + std::to_string(e);
  s.source_id = hosp_oid;
  const std::string created = Dtm(r);
  s.submission_time = created + "00";
  s.title = hosp_name + " 文書登録";
  s.author_institution = hosp_name + "^^^^^&" + hosp_oid + "&ISO";
  s.content_type_code = kind.class_code;

  xds::SimpleDocument d;
  d.symbolic_id = "Document01";
  profiles::ApplyRegionDocumentKind(kind, &d);
  d.unique_id = DocumentUniqueId(o, e);
  char hash[41];
  std::snprintf(hash, sizeof hash, "%016llx%016llx%08x",
                static_cast<unsigned long long>(Mix(r)),
                static_cast<unsigned long long>(Mix(r + 1)),
                static_cast<unsigned>(Mix(r + 2) & 0xffffffffu));
  d.hash = hash;
  d.size = std::to_string(1024 + (r >> 12) % 500000);
  d.creation_time = created;
  d.service_start_time = created.substr(0, 8);
  d.repository_unique_id = HospitalRepositoryUniqueId(h);
  char local[32];
  std::snprintf(local, sizeof local, "%c%07lld", 'A' + h, static_cast<long long>(p % 10000000));
  d.source_patient_id = std::string(local) + "^^^&" + hosp_oid + "&ISO";
  d.author_person = "^医師" + std::to_string(1 + (r >> 20) % 40) + "^太郎^^^";
  d.author_institution = s.author_institution;
  s.documents.push_back(std::move(d));
  return s;
}

}  // namespace renkei::bench
