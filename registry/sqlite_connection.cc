// The registry's SQLite connections: its error mapping (XDS codes) and the xds_like() SQL
// function (ITI TF-2 3.18.4.1.2.3.5 LIKE rules).
#include <string>
#include <string_view>
#include <vector>

#include "registry/sqlite_registry_internal.h"
#include "xds/xds_errors.h"

namespace renkei::registry::sqlite_internal {

Status SqliteError(sqlite3* db, int rc, const std::string& what) {
  std::string msg = what + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  if (IsBusy(rc)) return xds::XdsStatus(xds::XdsError::kRegistryBusy, msg);
  return xds::XdsStatus(xds::XdsError::kRegistryError, msg);
}

// --- xds_like(value, pattern): the LIKE of stored-query wildcard parameters
// (ITI TF-2 3.18.4.1.2.3.5: '%' matches any string, '_' any single character; '\' makes
// the next character literal). Case-sensitive, as SQL LIKE in ebRS 3.0 stored queries;
// '_' matches one UTF-8 character, not one byte.
namespace {

size_t Utf8Len(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xe) return 3;
  if ((c >> 3) == 0x1e) return 4;
  return 1;
}

bool LikeMatch(const char* v, size_t vn, const char* p, size_t pn) {
  size_t vi = 0, pi = 0;
  size_t star_p = std::string::npos, star_v = 0;
  while (vi < vn) {
    if (pi < pn && p[pi] == '%') {
      star_p = ++pi;
      star_v = vi;
      continue;
    }
    if (pi < pn && p[pi] == '_') {
      vi += Utf8Len(static_cast<unsigned char>(v[vi]));
      ++pi;
      continue;
    }
    if (pi < pn) {
      size_t lit = pi;
      if (p[pi] == '\\' && pi + 1 < pn) lit = pi + 1;
      if (p[lit] == v[vi]) {
        pi = lit + 1;
        ++vi;
        continue;
      }
    }
    if (star_p == std::string::npos) return false;
    star_v += Utf8Len(static_cast<unsigned char>(v[star_v]));
    vi = star_v;
    pi = star_p;
  }
  while (pi < pn && p[pi] == '%') ++pi;
  return pi == pn;
}

void XdsLikeFunc(sqlite3_context* ctx, int argc, sqlite3_value** argv) {
  const char* v = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  const char* p = reinterpret_cast<const char*>(sqlite3_value_text(argv[1]));
  if (v == nullptr || p == nullptr) {
    sqlite3_result_int(ctx, 0);
    return;
  }
  sqlite3_result_int(ctx, LikeMatch(v, static_cast<size_t>(sqlite3_value_bytes(argv[0])), p,
                                    static_cast<size_t>(sqlite3_value_bytes(argv[1])))
                              ? 1
                              : 0);
}

// renkei_cluster(patient_id): the `leaves` cluster of an object (LeafCluster).
void ClusterFunc(sqlite3_context* ctx, int, sqlite3_value** argv) {
  const char* v = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
  size_t n = v ? static_cast<size_t>(sqlite3_value_bytes(argv[0])) : 0;
  sqlite3_result_int64(ctx, LeafCluster(std::string_view(v ? v : "", n)));
}

}  // namespace

int64_t LeafCluster(std::string_view patient_id) {
  if (patient_id.empty()) return 0;
  // FNV-1a, 64 bits (a fixed, published function: stored keys must not change between
  // builds), folded to a positive 62-bit integer (a compact varint key).
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : patient_id) {
    h ^= ch;
    h *= 0x100000001b3ull;
  }
  return static_cast<int64_t>((h ^ (h >> 62)) & 0x3fffffffffffffffull) | 1;
}

Result<std::unique_ptr<Connection>> OpenConnection(const std::string& path, bool read_only,
                                                   int busy_timeout_ms, int cache_kib,
                                                   bool synchronous_full, bool mapped) {
  sqlite::OpenOptions options;
  options.read_only = read_only;
  options.map_whole_file = mapped;
  options.busy_timeout_ms = busy_timeout_ms;
  options.cache_kib = cache_kib;
  options.synchronous_full = synchronous_full;
  // 4 KiB pages: compressed fragments (~700 bytes) are far smaller than a page, and each
  // registration writes ~25 pages at random places of the B-trees into the WAL. Pages are
  // read through a mapping of the whole file (common/sqlite_mapped_vfs.h; the bench saw
  // 10-35 % of a FindDocuments in pread's copies without a mapping).
  options.page_size = kPageSize;
  auto c = Connection::Open(path, options, &SqliteError);
  if (!c.ok()) return c.status();
  sqlite3_create_function((*c)->db(), "xds_like", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                          nullptr, &XdsLikeFunc, nullptr, nullptr);
  sqlite3_create_function((*c)->db(), "renkei_cluster", 1,
                          SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, nullptr,
                          &ClusterFunc, nullptr, nullptr);
  return c;
}

}  // namespace renkei::registry::sqlite_internal
