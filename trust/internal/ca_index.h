// The regional CA's index of issued certificates and their revocations (RFC 5280 §5 CRL
// input), in SQLite through common/sqlite_connection.h. Several processes may share one
// index: every change is one transaction; CRL numbering holds the write lock while the CRL
// is signed and written, so CRL numbers and files never go backwards.
//
// Thread-safety: one thread at a time per CaIndex. Private header of renkei_trust.
#ifndef RENKEI_TRUST_INTERNAL_CA_INDEX_H_
#define RENKEI_TRUST_INTERNAL_CA_INDEX_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/sqlite_connection.h"
#include "common/status.h"
#include "trust/certificate_authority.h"

namespace renkei::trust::internal {

class CaIndex {
 public:
  // Opens the index at `path`; creates it (and its tables) only when `create`. NotFound
  // "not_a_ca" when !create and the file does not exist.
  static Result<std::unique_ptr<CaIndex>> Open(const std::string& path, bool create);

  // Records an issued certificate. Conflict "duplicate_serial" if the serial exists.
  Status Insert(const CertificateRecord& record);
  // Revokes `serial_hex` (canonical form) at `now`: NotFound "unknown_serial"; OK and
  // unchanged when already revoked.
  Status Revoke(const std::string& serial_hex, RevocationReason reason, int64_t now);
  // All rows, oldest first.
  Result<std::vector<CertificateRecord>> All();

  // In one write transaction: reads the last CRL number, calls `sign(number + 1, revoked)`,
  // and stores number + 1 when `sign` succeeds. Returns what `sign` returned.
  Result<std::string> WithNextCrlNumber(
      const std::function<Result<std::string>(
          int64_t number, const std::vector<CertificateRecord>& revoked)>& sign);

  // Small key/value settings (region name).
  Status SetMeta(const std::string& key, const std::string& value);
  Result<std::string> Meta(const std::string& key);

 private:
  explicit CaIndex(std::unique_ptr<sqlite::Connection> db) : db_(std::move(db)) {}
  Result<std::vector<CertificateRecord>> Select(const std::string& where);
  std::unique_ptr<sqlite::Connection> db_;
};

}  // namespace renkei::trust::internal

#endif  // RENKEI_TRUST_INTERNAL_CA_INDEX_H_
