// PatientIdSource: which patient identifiers of the regional domain exist.
// The registry asks it for XDSUnknownPatientId (ITI TF-3 §4.2.4). Until the PIX Manager
// exists it is a configured list (ConfiguredPatientIds); the PIX identity store implements
// the same interface.
//
// Thread-safety: implementations must be safe for concurrent calls.
#ifndef RENKEI_COMMON_PATIENT_ID_SOURCE_H_
#define RENKEI_COMMON_PATIENT_ID_SOURCE_H_

#include <mutex>
#include <set>
#include <string>
#include <vector>

namespace renkei {

class PatientIdSource {
 public:
  virtual ~PatientIdSource() = default;
  // True when `cx` (e.g. "id^^^&1.2.3&ISO") is a known patient of the affinity domain.
  virtual bool IsKnown(const std::string& cx) const = 0;
};

// A fixed list plus ids added at run time (the demo and the conformance replay feed their
// patients through Add, as a patient identity feed would).
class ConfiguredPatientIds : public PatientIdSource {
 public:
  // accept_any: every syntactically plausible id is known (a test-only convenience).
  explicit ConfiguredPatientIds(std::vector<std::string> ids, bool accept_any = false);
  bool IsKnown(const std::string& cx) const override;
  void Add(const std::string& cx);

 private:
  mutable std::mutex mu_;
  std::set<std::string> ids_;
  bool accept_any_;
};

}  // namespace renkei

#endif  // RENKEI_COMMON_PATIENT_ID_SOURCE_H_
