// SqliteRegistryStore's prewarm (Options::prewarm): the B-trees every patient's queries
// and registrations go through, read by one scan (the store runs it twice: with pread, then
// through the process's mapping).
#include <atomic>
#include <chrono>

#include "registry/sqlite_registry_internal.h"

namespace renkei::registry::sqlite_internal {

Result<double> Prewarm(Connection& c, const std::atomic<bool>& stop) {
  // Fragments first, the indexes last: what is read last is what a query needs first.
  static const char* const kScans[] = {
      "SELECT sum(unicode(substr(xml, -1))) FROM leaves",  // overflow pages too
      "SELECT count(*) FROM objects INDEXED BY objects_unique WHERE unique_id IS NOT NULL",
      "SELECT count(*) FROM objects INDEXED BY objects_patient WHERE patient_id IS NOT NULL"};
  const auto start = std::chrono::steady_clock::now();
  for (const char* sql : kScans) {
    if (stop.load()) break;
    auto st = c.Prepare(sql);
    if (!st.ok()) return st.status();
    Stmt s = std::move(st.value());
    int rc = s.Step();
    if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
      if (stop.load()) break;  // interrupted by the store's closing
      return SqliteError(c.db(), rc, "prewarm");
    }
  }
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace renkei::registry::sqlite_internal
