// The whole-file mapping VFS (see sqlite_mapped_vfs.h).
#include "common/sqlite_mapped_vfs.h"

#include <fcntl.h>
#include <sqlite3.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <mutex>
#include <vector>

namespace renkei::sqlite {
namespace {

constexpr char kVfsName[] = "renkei-mapped";
// A file's mapping reserves this much address space past the file's end when it is made
// (address space only: pages past the end are never touched), so that it never has to be
// moved while connections hold pointers into it; a file that outgrows it is read past the
// reservation through the wrapped file. Tests make it small.
int64_t g_reserve = int64_t{1} << 40;
// Files larger than this when first mapped are advised MADV_RANDOM (SQLite's own limit).
constexpr int64_t kRandomAbove = 2147418112;

sqlite3_vfs g_vfs;
sqlite3_vfs* g_real = nullptr;  // the default VFS that does the work

// One mapping per file per process, shared by all its connections: a page is faulted into
// the process once, not once per connection (eight readers each faulting in the same 16 GB
// of B-trees spent their CPU on page faults).
struct SharedMap {
  dev_t dev;
  ino_t ino;
  int fd;
  const char* base;
  int64_t len;  // bytes reserved
  int refs;
};
std::mutex g_maps_mu;
std::vector<SharedMap*> g_maps;

SharedMap* AcquireMap(const char* name) {
  const int fd = open(name, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return nullptr;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    close(fd);
    return nullptr;
  }
  std::lock_guard<std::mutex> lock(g_maps_mu);
  for (SharedMap* m : g_maps) {
    if (m->dev == st.st_dev && m->ino == st.st_ino) {
      ++m->refs;
      close(fd);
      return m;
    }
  }
  const int64_t page = sysconf(_SC_PAGESIZE);
  const int64_t len = (static_cast<int64_t>(st.st_size) + g_reserve + page - 1) / page * page;
  void* p = mmap(nullptr, static_cast<size_t>(len), PROT_READ, MAP_SHARED, fd, 0);
  if (p == MAP_FAILED) {
    close(fd);
    return nullptr;
  }
  // A store larger than SQLite's own mapping limit is read one B-tree page at a time, at
  // random, and is not expected to fit in memory: without MADV_RANDOM a fault on a page not
  // in memory reads the pages around it too (32 of them: GetDocuments at 10 million entries
  // fell from 9,000 to 75 answers/s, the disk busy with pages nobody asked for). A smaller
  // one keeps the kernel's readahead, which warms it in a few large reads (the PIX store of
  // 1 million patients, 0.65 GB, cold: PIXm 1,076 q/s at 1 connection with MADV_RANDOM).
  if (static_cast<int64_t>(st.st_size) > kRandomAbove) {
    madvise(p, static_cast<size_t>(len), MADV_RANDOM);
  }
  g_maps.push_back(new SharedMap{st.st_dev, st.st_ino, fd, static_cast<const char*>(p), len, 1});
  return g_maps.back();
}

void ReleaseMap(SharedMap* m) {
  std::lock_guard<std::mutex> lock(g_maps_mu);
  if (--m->refs > 0) return;
  munmap(const_cast<char*>(m->base), static_cast<size_t>(m->len));
  close(m->fd);
  g_maps.erase(std::find(g_maps.begin(), g_maps.end(), m));
  delete m;
}

struct MappedFile {
  sqlite3_file base;     // pMethods = &kMethods once opened
  sqlite3_file* real;    // the wrapped file, stored right after this struct
  SharedMap* map;        // the main database file's mapping, else nullptr
  int64_t known_size;    // file size last seen, at most the reservation's end: [0,
                         // known_size) is read through `map`
};

constexpr size_t kHeaderSize = (sizeof(MappedFile) + 15) & ~size_t{15};

MappedFile* Self(sqlite3_file* f) { return reinterpret_cast<MappedFile*>(f); }
sqlite3_file* Real(sqlite3_file* f) { return Self(f)->real; }

// Whether [0, end) can be read through the mapping: within the file (its size is checked
// again when `end` passes the size last seen) and within the reservation. False: read
// through the wrapped file instead.
bool Cover(MappedFile* m, int64_t end) {
  if (m->map == nullptr) return false;
  if (end <= m->known_size) return true;
  struct stat st;
  if (fstat(m->map->fd, &st) != 0) return false;
  const int64_t size = static_cast<int64_t>(st.st_size);
  m->known_size = std::min(size, m->map->len);
  return end <= m->known_size;
}

int Close(sqlite3_file* f) {
  MappedFile* m = Self(f);
  if (m->map != nullptr) ReleaseMap(m->map);
  m->map = nullptr;
  return Real(f)->pMethods->xClose(Real(f));
}

int Read(sqlite3_file* f, void* buf, int amt, sqlite3_int64 off) {
  MappedFile* m = Self(f);
  if (Cover(m, off + amt)) {
    std::memcpy(buf, m->map->base + off, static_cast<size_t>(amt));
    return SQLITE_OK;
  }
  return Real(f)->pMethods->xRead(Real(f), buf, amt, off);
}

int Write(sqlite3_file* f, const void* buf, int amt, sqlite3_int64 off) {
  return Real(f)->pMethods->xWrite(Real(f), buf, amt, off);
}

int Truncate(sqlite3_file* f, sqlite3_int64 size) {
  MappedFile* m = Self(f);
  if (size < m->known_size) m->known_size = size;  // this connection never reads past it
  return Real(f)->pMethods->xTruncate(Real(f), size);
}

int Sync(sqlite3_file* f, int flags) { return Real(f)->pMethods->xSync(Real(f), flags); }
int FileSize(sqlite3_file* f, sqlite3_int64* size) {
  return Real(f)->pMethods->xFileSize(Real(f), size);
}
int Lock(sqlite3_file* f, int level) { return Real(f)->pMethods->xLock(Real(f), level); }
int Unlock(sqlite3_file* f, int level) { return Real(f)->pMethods->xUnlock(Real(f), level); }
int CheckReservedLock(sqlite3_file* f, int* out) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), out);
}
int FileControl(sqlite3_file* f, int op, void* arg) {
  return Real(f)->pMethods->xFileControl(Real(f), op, arg);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
  return Real(f)->pMethods->xShmMap(Real(f), region, size, extend, out);
}
int ShmLock(sqlite3_file* f, int offset, int n, int flags) {
  return Real(f)->pMethods->xShmLock(Real(f), offset, n, flags);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int delete_flag) {
  return Real(f)->pMethods->xShmUnmap(Real(f), delete_flag);
}

// SQLite's memory-mapped read path: a pointer into the mapping, or *pp = nullptr to make
// the pager read the page with xRead.
int Fetch(sqlite3_file* f, sqlite3_int64 off, int amt, void** pp) {
  MappedFile* m = Self(f);
  *pp = nullptr;
  if (Cover(m, off + amt)) *pp = const_cast<char*>(m->map->base + off);
  return SQLITE_OK;
}

// The mapping never moves while the file is open: nothing to do.
int Unfetch(sqlite3_file*, sqlite3_int64, void*) { return SQLITE_OK; }

const sqlite3_io_methods kMethods = {
    3,        Close,     Read,         Write,      Truncate,          Sync,
    FileSize, Lock,      Unlock,       CheckReservedLock, FileControl, SectorSize,
    DeviceCharacteristics, ShmMap, ShmLock, ShmBarrier, ShmUnmap,   Fetch,
    Unfetch};

int Open(sqlite3_vfs* /*vfs*/, sqlite3_filename name, sqlite3_file* f, int flags,
         int* out_flags) {
  MappedFile* m = Self(f);
  m->base.pMethods = nullptr;
  m->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + kHeaderSize);
  m->map = nullptr;
  m->known_size = 0;
  int rc = g_real->xOpen(g_real, name, m->real, flags, out_flags);
  if (rc != SQLITE_OK || m->real->pMethods == nullptr) return rc;
  // The wrapped file must offer what the wrapper forwards (the unix VFS's is version 3).
  if (m->real->pMethods->iVersion < 3) {
    m->real->pMethods->xClose(m->real);
    return SQLITE_CANTOPEN;
  }
  if ((flags & SQLITE_OPEN_MAIN_DB) != 0 && name != nullptr) {
    m->map = AcquireMap(name);  // nullptr: read through the wrapped file
  }
  m->base.pMethods = &kMethods;
  return SQLITE_OK;
}

// The VFS's own methods are the default VFS's, called with that VFS.
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
  return g_real->xDelete(g_real, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* out) {
  return g_real->xAccess(g_real, name, flags, out);
}
int FullPathname(sqlite3_vfs*, const char* name, int n, char* out) {
  return g_real->xFullPathname(g_real, name, n, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) { return g_real->xDlOpen(g_real, name); }
void DlError(sqlite3_vfs*, int n, char* out) { g_real->xDlError(g_real, n, out); }
void (*DlSym(sqlite3_vfs*, void* h, const char* sym))(void) {
  return g_real->xDlSym(g_real, h, sym);
}
void DlClose(sqlite3_vfs*, void* h) { g_real->xDlClose(g_real, h); }
int Randomness(sqlite3_vfs*, int n, char* out) { return g_real->xRandomness(g_real, n, out); }
int Sleep(sqlite3_vfs*, int us) { return g_real->xSleep(g_real, us); }
int CurrentTime(sqlite3_vfs*, double* out) { return g_real->xCurrentTime(g_real, out); }
int GetLastError(sqlite3_vfs*, int n, char* out) {
  return g_real->xGetLastError(g_real, n, out);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* out) {
  return g_real->xCurrentTimeInt64(g_real, out);
}

}  // namespace

void SetMappedVfsReserveForTesting(int64_t bytes) { g_reserve = bytes; }

const char* RegisterMappedVfs() {
  static std::once_flag once;
  std::call_once(once, [] {
    g_real = sqlite3_vfs_find(nullptr);
    g_vfs = sqlite3_vfs{};
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(kHeaderSize) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = kVfsName;
    g_vfs.xOpen = Open;
    g_vfs.xDelete = Delete;
    g_vfs.xAccess = Access;
    g_vfs.xFullPathname = FullPathname;
    g_vfs.xDlOpen = DlOpen;
    g_vfs.xDlError = DlError;
    g_vfs.xDlSym = DlSym;
    g_vfs.xDlClose = DlClose;
    g_vfs.xRandomness = Randomness;
    g_vfs.xSleep = Sleep;
    g_vfs.xCurrentTime = CurrentTime;
    g_vfs.xGetLastError = GetLastError;
    g_vfs.xCurrentTimeInt64 = CurrentTimeInt64;
    sqlite3_vfs_register(&g_vfs, 0);
  });
  return kVfsName;
}

}  // namespace renkei::sqlite
