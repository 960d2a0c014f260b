// Architecture §5 "Authorization at the centre" and issue 5: the disclosure policy and the
// repository check the registry asks, answered from the directory store
// (directory/directory_store.h).
//
// StorePolicy: grants apply while active and start <= now < end, to their grantee or, for
// "*", to every facility; a break-glass window applies while started <= now < expires. One
// indexed query per AccessOf.
// StoreRepositoryDirectory: DirectoryStore::ClaimRepository with the role's
// insecure-loopback choice (record unknown repositoryUniqueIds and facilities on first use).
//
// Ownership: both keep a reference to the store, which must outlive them.
// Thread-safety: thread-safe (the store is).
#ifndef RENKEI_DIRECTORY_POLICY_H_
#define RENKEI_DIRECTORY_POLICY_H_

#include <string>

#include "directory/directory_store.h"
#include "directory/disclosure_policy.h"

namespace renkei::directory {

class StorePolicy : public DisclosurePolicy {
 public:
  explicit StorePolicy(DirectoryStore& store) : store_(store) {}
  // Unavailable when the store cannot be read (an Internal read error is reported as
  // Unavailable too: the caller then answers nothing).
  Result<PatientAccess> AccessOf(const std::string& requester, const std::string& patient_id,
                                 const std::string& now) const override;

 private:
  DirectoryStore& store_;
};

class StoreRepositoryDirectory : public RepositoryDirectory {
 public:
  // `record_unknown`: true only in insecure-loopback mode.
  StoreRepositoryDirectory(DirectoryStore& store, bool record_unknown)
      : store_(store), record_unknown_(record_unknown) {}
  Status ClaimRepository(const std::string& repository_unique_id,
                         const std::string& facility) override;

 private:
  DirectoryStore& store_;
  bool record_unknown_;
};

}  // namespace renkei::directory

#endif  // RENKEI_DIRECTORY_POLICY_H_
