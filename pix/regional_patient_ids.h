// The registry's view of known patients (common/patient_id_source.h) backed by the PIX
// Manager: an XDS patientId "id^^^&oid&ISO" is known when oid is the regional domain and id
// is the live regional ID of a patient of the identity store (a regional ID retired by a
// merge is not: documents go to the survivor). Anything else is asked of `fallback` (the
// configured list), when given.
//
// Thread-safety: as the identity store.
#ifndef RENKEI_PIX_REGIONAL_PATIENT_IDS_H_
#define RENKEI_PIX_REGIONAL_PATIENT_IDS_H_

#include <string>

#include "common/patient_id_source.h"
#include "pix/identity_store.h"

namespace renkei::pix {

class RegionalPatientIds : public PatientIdSource {
 public:
  RegionalPatientIds(IdentityStore& store, const PatientIdSource* fallback)
      : store_(store), fallback_(fallback) {}
  bool IsKnown(const std::string& cx) const override;

 private:
  IdentityStore& store_;
  const PatientIdSource* fallback_;
};

// The id and OID of "id^^^&oid&ISO"; false for another form.
bool SplitXdsPatientId(const std::string& cx, std::string* id, std::string* oid);

}  // namespace renkei::pix

#endif  // RENKEI_PIX_REGIONAL_PATIENT_IDS_H_
