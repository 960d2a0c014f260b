#include "common/patient_id_source.h"

namespace renkei {

ConfiguredPatientIds::ConfiguredPatientIds(std::vector<std::string> ids, bool accept_any)
    : ids_(ids.begin(), ids.end()), accept_any_(accept_any) {}

bool ConfiguredPatientIds::IsKnown(const std::string& cx) const {
  if (accept_any_) return !cx.empty();
  std::lock_guard<std::mutex> lock(mu_);
  return ids_.count(cx) > 0;
}

void ConfiguredPatientIds::Add(const std::string& cx) {
  std::lock_guard<std::mutex> lock(mu_);
  ids_.insert(cx);
}

}  // namespace renkei
