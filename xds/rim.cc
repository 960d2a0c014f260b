#include "xds/rim.h"

namespace renkei::xds {
namespace {
const std::string& Empty() {
  static const std::string kEmpty;
  return kEmpty;
}
}  // namespace

const std::string& InternationalString::text() const {
  return strings.empty() ? Empty() : strings.front().value;
}

const Slot* RegistryObject::FindSlot(const std::string& slot_name) const {
  for (const Slot& s : slots) {
    if (s.name == slot_name) return &s;
  }
  return nullptr;
}

const std::string& RegistryObject::SlotValue(const std::string& slot_name) const {
  const Slot* s = FindSlot(slot_name);
  return (s == nullptr || s->values.empty()) ? Empty() : s->values.front();
}

const std::string& RegistryObject::ExternalIdValue(const std::string& scheme) const {
  for (const ExternalIdentifier& e : external_identifiers) {
    if (e.identification_scheme == scheme) return e.value;
  }
  return Empty();
}

}  // namespace renkei::xds
