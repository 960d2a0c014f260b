// ITI-42 / ITI-57 registry-side identifier handling (ITI TF-3 §4.2.3.1.5, ebRIM 3.0 §2.5).
#include "registry/internal/submission_ids.h"

#include <cctype>
#include <chrono>
#include <ctime>
#include <random>

#include "common/utc_time.h"
#include "xds/xds_errors.h"

namespace renkei::registry::internal {
namespace {

constexpr char kUuidPrefix[] = "urn:uuid:";
constexpr size_t kUuidPrefixLen = sizeof(kUuidPrefix) - 1;

Status Unresolved(const std::string& what, const std::string& id) {
  return xds::XdsStatus(xds::XdsError::kRegistryMetadataError,
                        what + " '" + id + "' is neither defined in the submission nor a urn:uuid",
                        id);
}

// Final id of a reference: a symbolic or in-message id maps through `ids`; a urn:uuid not
// defined in the message is kept (the registry must hold it).
Status Resolve(const AssignedIds& ids, const std::string& what, std::string& ref) {
  auto it = ids.final_id.find(ref);
  if (it != ids.final_id.end()) {
    ref = it->second;
    return Status::Ok();
  }
  if (IsUuidUrn(ref)) return Status::Ok();
  return Unresolved(what, ref);
}

}  // namespace

bool IsUuidUrn(const std::string& id) {
  if (id.size() != kUuidPrefixLen + 36 || id.compare(0, kUuidPrefixLen, kUuidPrefix) != 0) {
    return false;
  }
  for (size_t i = 0; i < 36; ++i) {
    char c = id[kUuidPrefixLen + i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return true;
}

std::string NewUuidUrn() {
  thread_local std::mt19937_64 rng([] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }());
  const uint64_t unix_ms = static_cast<uint64_t>(UnixMillisNow());
  // unix_ts_ms (48 bits) | version 7 (4) | rand_a (12); variant (2) | rand_b (62).
  uint64_t hi = (unix_ms << 16) | 0x7000ULL | (rng() & 0x0FFFULL);
  uint64_t lo = (rng() & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out = kUuidPrefix;
  out.reserve(kUuidPrefixLen + 36);
  auto put = [&](uint64_t v, int from_nibble, int count) {
    for (int i = 0; i < count; ++i) out.push_back(kHex[(v >> (4 * (from_nibble - i))) & 0xF]);
  };
  put(hi, 15, 8);
  out.push_back('-');
  put(hi, 7, 4);
  out.push_back('-');
  put(hi, 3, 4);
  out.push_back('-');
  put(lo, 15, 4);
  out.push_back('-');
  put(lo, 11, 12);
  return out;
}

std::string NowDtm() {
  std::time_t now = std::time(nullptr);
  std::tm utc{};
  gmtime_r(&now, &utc);
  char buf[16];
  std::strftime(buf, sizeof(buf), "%Y%m%d%H%M%S", &utc);
  return buf;
}

Status AssignIds(xds::SubmitObjectsRequest& request, AssignedIds* out) {
  AssignedIds ids;
  for (xds::RegistryObject& o : request.objects) {
    if (o.id.empty()) {
      return xds::XdsStatus(xds::XdsError::kRegistryMetadataError,
                            "a registry object has no id attribute (ebRIM 3.0 §2.5.1)");
    }
    std::string final_id = IsUuidUrn(o.id) ? o.id : NewUuidUrn();
    if (!ids.final_id.emplace(o.id, final_id).second) {
      return xds::XdsStatus(xds::XdsError::kRegistryMetadataError,
                            "id '" + o.id + "' is used by two objects of the submission", o.id);
    }
    ids.in_message.insert(final_id);
  }
  // Standalone classifications join the object they classify.
  for (xds::Classification& c : request.classifications) {
    auto it = ids.final_id.find(c.classified_object);
    if (it == ids.final_id.end()) {
      return xds::XdsStatus(xds::XdsError::kRegistryMetadataError,
                            "classification classifies '" + c.classified_object +
                                "', which is not an object of the submission",
                            c.classified_object);
    }
    for (xds::RegistryObject& o : request.objects) {
      if (o.id != c.classified_object) continue;
      bool present = false;
      for (const xds::Classification& n : o.classifications) {
        if (n.classification_node == c.classification_node &&
            n.classification_scheme == c.classification_scheme &&
            n.node_representation == c.node_representation) {
          present = true;
        }
      }
      if (!present) o.classifications.push_back(c);
      break;
    }
  }
  request.classifications.clear();

  for (xds::RegistryObject& o : request.objects) {
    o.id = ids.final_id[o.id];
    for (xds::Classification& c : o.classifications) {
      if (!IsUuidUrn(c.id)) c.id = NewUuidUrn();
      c.classified_object = o.id;
    }
    for (xds::ExternalIdentifier& e : o.external_identifiers) {
      if (!IsUuidUrn(e.id)) e.id = NewUuidUrn();
      e.registry_object = o.id;
    }
    if (o.kind == xds::ObjectKind::kAssociation) {
      RENKEI_RETURN_IF_ERROR(Resolve(ids, "sourceObject", o.source_object));
      RENKEI_RETURN_IF_ERROR(Resolve(ids, "targetObject", o.target_object));
    }
  }
  for (std::string& ref : request.object_refs) {
    auto it = ids.final_id.find(ref);
    if (it != ids.final_id.end()) ref = it->second;
  }
  *out = std::move(ids);
  return Status::Ok();
}

}  // namespace renkei::registry::internal
