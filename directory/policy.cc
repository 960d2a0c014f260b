// Architecture §5 "Authorization at the centre": the policy over the directory store
// (directory/policy.h).
#include "directory/policy.h"

namespace renkei::directory {

Result<PatientAccess> StorePolicy::AccessOf(const std::string& requester,
                                            const std::string& patient_id,
                                            const std::string& now) const {
  Result<PatientAccess> access = store_.AccessOf(requester, patient_id, now);
  if (!access.ok() && !access.status().IsUnavailable()) {
    return Status::Unavailable(access.status().detail(), access.status().message());
  }
  return access;
}

Status StoreRepositoryDirectory::ClaimRepository(const std::string& repository_unique_id,
                                                 const std::string& facility) {
  Status st = store_.ClaimRepository(repository_unique_id, facility, record_unknown_);
  if (st.code() == StatusCode::kInternal) return Status::Unavailable(st.detail(), st.message());
  return st;
}

}  // namespace renkei::directory
