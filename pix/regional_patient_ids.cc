#include "pix/regional_patient_ids.h"

namespace renkei::pix {

bool SplitXdsPatientId(const std::string& cx, std::string* id, std::string* oid) {
  const size_t sep = cx.find("^^^&");
  if (sep == std::string::npos || sep == 0) return false;
  const size_t amp = cx.find('&', sep + 4);
  if (amp == std::string::npos || cx.compare(amp, std::string::npos, "&ISO") != 0) return false;
  *id = cx.substr(0, sep);
  *oid = cx.substr(sep + 4, amp - sep - 4);
  return !oid->empty();
}

bool RegionalPatientIds::IsKnown(const std::string& cx) const {
  std::string id, oid;
  if (SplitXdsPatientId(cx, &id, &oid) && oid == store_.regional_oid()) {
    auto ids = store_.CrossReference(Cx{id, "", oid, ""});
    if (ids.ok() && ids->front().id == id) return true;  // the live regional ID
  }
  return fallback_ != nullptr && fallback_->IsKnown(cx);
}

}  // namespace renkei::pix
