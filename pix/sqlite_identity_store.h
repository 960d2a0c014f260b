// IdentityStore on SQLite (WAL), the embedded default (architecture §6).
//
// Schema (file identities.sqlite in the centre's data_dir):
//   patients(pid INTEGER PRIMARY KEY, regional_id UNIQUE, merged_into, birth_date, sex,
//            updated)
//   identifiers(oid, value, pid, retired)  PRIMARY KEY (oid, value) WITHOUT ROWID; index pid
//   names(pid, ord, family, given, middle, type, representation, family_key, given_key)
//                                          indexes (family_key), (given_key) for PDQ
//   addresses(pid, ord, street, other, city, state, postal_code, country, type)
//   phones(pid, ord, value)
//   history(seq, at, action, pid, other_pid, detail)  every create, link, update, merge
// The regional ID is an identifier too (oid = the regional domain), so every lookup is one
// primary-key probe. Regional IDs are `id_prefix` + the pid in 10 digits.
//
// Thread-safety: one connection behind a mutex.
#ifndef RENKEI_PIX_SQLITE_IDENTITY_STORE_H_
#define RENKEI_PIX_SQLITE_IDENTITY_STORE_H_

#include <memory>
#include <string>

#include "pix/identity_store.h"

namespace renkei::pix {

class SqliteIdentityStore : public IdentityStore {
 public:
  struct Options {
    std::string regional_oid;      // required
    std::string id_prefix = "R";   // regional IDs: prefix + 10 digits
    // Read-only connections for queries (PIX, PDQ, the registry's patient check), so that
    // reads run side by side and never wait for a feed; ignored for ":memory:".
    int reader_connections = 4;
  };
  // Opens or creates the store at `path` (":memory:" for tests). InvalidArgument without a
  // regional OID; Internal when the file is not an identity store of this version.
  static Result<std::unique_ptr<SqliteIdentityStore>> Open(const std::string& path,
                                                           const Options& options);
  ~SqliteIdentityStore() override;

  Result<FeedResult> Feed(const PatientFeed& feed) override;
  Result<FeedResult> Merge(const PatientFeed& feed) override;
  Status Unlink(const Cx& id) override;
  Result<std::vector<Cx>> CrossReference(const Cx& id) override;
  Result<PatientRecord> Find(const Cx& id) override;
  Result<SearchPage> Search(const PatientSearch& query) override;
  Result<bool> KnowsDomain(const std::string& oid) override;
  const std::string& regional_oid() const override;

  class Impl;

 private:
  explicit SqliteIdentityStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::pix

#endif  // RENKEI_PIX_SQLITE_IDENTITY_STORE_H_
