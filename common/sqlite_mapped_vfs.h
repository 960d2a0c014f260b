// A SQLite VFS that reads the main database file through one read-only mapping of the
// whole file, for stores larger than SQLite's own mmap limit (SQLITE_MAX_MMAP_SIZE: 2 GiB in
// Debian's build; beyond it every page is copied with pread).
//
// Why: a registry of 10 million entries is 36 GB, and its hot B-trees (the patient index,
// the fragments) lie past the first 2 GiB. Pages read with pread are page cache that no
// process maps; the benchmark machines' kernel pages such memory out when it has not been
// touched for a few seconds (a DAMON "pageout" scheme for unmapped file pages, up to 128
// MB/s), so a random-patient workload kept re-reading its B-trees from the disk. Pages read
// through a mapping are mapped file pages, which that scheme leaves alone (the kernel's own
// LRU still reclaims them under real memory pressure), and reading them costs no system
// call. See docs/adr-2611-registry-leaf-fragments.md (session 5).
//
// How: every file of a connection opened with this VFS is the default VFS's file, wrapped.
// For the main database file, xFetch hands out pointers into the mapping (SQLite's
// memory-mapped I/O path, used with PRAGMA mmap_size > 0) and xRead copies from it, for any
// page within the file's size; everything else, and every write, goes to the wrapped file.
// Writes through pwrite are seen through the mapping (one page cache). There is one mapping
// per file per process, shared by its connections, made when the first opens the file with
// room to grow (1 TiB of address space past its end), so it never moves. A file larger than
// 2 GiB when mapped is advised MADV_RANDOM (its B-tree pages are read one at a time: no
// readahead on a fault); a smaller one keeps the kernel's readahead (it warms up fast).
//
// Constraint (the same as SQLite's own mmap): a database file must not shrink while another
// connection maps it (a page beyond the new end would raise SIGBUS). SQLite shrinks a file
// only after VACUUM or with auto_vacuum, which Renkei's stores never use.
//
// Thread-safety: RegisterMappedVfs may be called from any thread, any number of times; a
// wrapped file is used by one connection, hence one thread at a time (SQLite's contract).
#ifndef RENKEI_COMMON_SQLITE_MAPPED_VFS_H_
#define RENKEI_COMMON_SQLITE_MAPPED_VFS_H_

#include <cstdint>

namespace renkei::sqlite {

// Registers the VFS (once; not as the default) and returns its name for sqlite3_open_v2.
const char* RegisterMappedVfs();

// Tests: the address space mappings made from now on reserve past the file's end (default
// 1 TiB); a file that outgrows it is read past it through the wrapped file.
void SetMappedVfsReserveForTesting(int64_t bytes);

}  // namespace renkei::sqlite

#endif  // RENKEI_COMMON_SQLITE_MAPPED_VFS_H_
