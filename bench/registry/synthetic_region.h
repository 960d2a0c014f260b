// ITI-42 benchmark data: a deterministic synthetic region of N DocumentEntries (ITI TF-3
// §4.2.3.2 attributes with realistic sizes), ~20 entries per patient, a few code values.
//
// Entry e belongs to patient e / entries_per_patient and is registered in a submission of
// its own (1 DocumentEntry + 1 SubmissionSet + 1 HasMember association), as a hospital
// node publishing each document when it is produced does. Everything is a pure function
// of (e, options), so the loader, the request generator and the unit test agree.
//
// Thread-safety: pure functions.
#ifndef RENKEI_BENCH_REGISTRY_SYNTHETIC_REGION_H_
#define RENKEI_BENCH_REGISTRY_SYNTHETIC_REGION_H_

#include <cstdint>
#include <string>

#include "xds/submission_builder.h"

namespace renkei::bench {

struct RegionOptions {
  int64_t entries = 100000;
  int64_t entries_per_patient = 20;
  // Prefix of the uniqueIds: distinct per batch of generated requests, so that ITI-42
  // requests generated for a run never collide with the loaded entries or an earlier run.
  std::string unique_id_tag = "0";
};

// The region's hospitals, h in [0, kHospitalCount): each registers its entries as itself
// (sourceId, submitter) into its repository.
inline constexpr int kHospitalCount = 8;
std::string HospitalOid(int h);
std::string HospitalName(int h);  // Japanese
std::string HospitalRepositoryUniqueId(int h);

// Regional-domain patient id (CX) of patient p.
std::string PatientCx(int64_t p);
// Number of patients for `options.entries`.
int64_t PatientCount(const RegionOptions& options);
// The patient of entry e, and the hospital that registers it: the patient's home hospital
// (p mod kHospitalCount) or, for about a third of its entries, home + 3.
int64_t PatientOfEntry(const RegionOptions& options, int64_t e);
int HospitalOfEntry(const RegionOptions& options, int64_t e);
// DocumentEntry uniqueId of entry e.
std::string DocumentUniqueId(const RegionOptions& options, int64_t e);
// The ITI-42 submission that registers entry e (1 document), symbolic ids.
xds::SimpleSubmission SubmissionForEntry(const RegionOptions& options, int64_t e);

}  // namespace renkei::bench

#endif  // RENKEI_BENCH_REGISTRY_SYNTHETIC_REGION_H_
