// Synthetic region for `renkei demo`: hospitals, patients (Japanese names, regional and
// local IDs) and the documents each hospital publishes. Everything here is made up.
#ifndef RENKEI_APPS_DEMO_DATA_H_
#define RENKEI_APPS_DEMO_DATA_H_

#include <string>
#include <vector>

#include "xds/submission_builder.h"

namespace renkei::apps {

struct DemoHospital {
  std::string oid;  // medical-institution-code OID (architecture §4)
  std::string name;
  std::string repository_unique_id;
};

struct DemoPatient {
  std::string regional_id;  // CX in the regional domain, assigned by the PIX Manager
  std::string family_kanji, given_kanji;
  std::string family_kana, given_kana;
  std::string birth_date;  // YYYYMMDD
  std::string sex;         // M / F
  std::vector<std::string> local_ids;  // CX per hospital
};

struct DemoRegion {
  std::string regional_domain_oid;
  std::string name;        // the region (the CA's subject O)
  DemoHospital centre;     // the service centre's facility (no repository)
  DemoHospital clinic;     // a viewing clinic without an EMR (browser certificate)
  std::vector<DemoHospital> hospitals;
  std::vector<DemoPatient> patients;
};

// Hospitals and patients (without regional IDs).
DemoRegion MakeDemoRegion();

// The ITI-8 ADT^A01 hospital `h` sends for patient `p` (UTF-8; `regional_id` included in
// PID-3 when not empty: the patient showed the regional card at that hospital).
std::string DemoAdmission(const DemoRegion& r, size_t p, size_t h, const std::string& control_id);

// What one hospital publishes for one patient: the submission's metadata (without hash,
// size and repositoryUniqueId: the hospital's repository sets them) and, per document, the
// index of its kind in profiles::RegionDocumentKinds().
struct DemoPublication {
  size_t hospital = 0;
  size_t patient = 0;
  xds::SimpleSubmission submission;
  std::vector<size_t> kinds;
};

// One publication per hospital and patient (REQUIRES: regional IDs known).
std::vector<DemoPublication> DemoPublications(const DemoRegion& r);

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_DATA_H_
