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
  std::string regional_id;  // CX in the regional domain
  std::string name_kanji;
  std::string name_kana;
  std::vector<std::string> local_ids;  // CX per hospital
};

struct DemoRegion {
  std::string regional_domain_oid;
  std::vector<DemoHospital> hospitals;
  std::vector<DemoPatient> patients;
  std::vector<xds::SimpleSubmission> submissions;  // one per hospital and patient
};

DemoRegion MakeDemoRegion();

}  // namespace renkei::apps

#endif  // RENKEI_APPS_DEMO_DATA_H_
