// The whole-file mapping VFS: what a reader sees through it equals what was written, while
// the file grows past its mapping's reservation and with SQLite's fetch path on and off; the
// pages really come through a mapping of the file, one per process.
#include "common/sqlite_mapped_vfs.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "common/sqlite_connection.h"

namespace renkei::sqlite {
namespace {

class MappedVfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("renkei-mapped-vfs-" + std::to_string(getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name() + ".sqlite"))
                .string();
    Remove();
    // A small reservation, so that the growth below outgrows the mapping.
    SetMappedVfsReserveForTesting(64 << 10);
  }
  void TearDown() override {
    SetMappedVfsReserveForTesting(int64_t{1} << 40);
    Remove();
  }
  void Remove() {
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }
  std::unique_ptr<Connection> Open(bool read_only, int64_t mmap_bytes) {
    OpenOptions o;
    o.read_only = read_only;
    o.mmap_bytes = mmap_bytes;
    o.cache_kib = 64;  // a small page cache: the reader goes back to the file often
    auto c = Connection::Open(path_, o);
    EXPECT_TRUE(c.ok()) << c.status().message();
    return c.ok() ? std::move(c.value()) : nullptr;
  }
  // Appends `n` rows of ~1 KB (row i holds a text derived from i) and checkpoints them into
  // the database file, so that readers read them from the file, not the WAL.
  static void Grow(Connection& w, int from, int n) {
    ASSERT_EQ(w.Exec("BEGIN"), SQLITE_OK);
    for (int i = from; i < from + n; ++i) {
      auto st = w.Prepare("INSERT INTO t(k, v) VALUES(?, ?)");
      ASSERT_TRUE(st.ok());
      Stmt s = std::move(st.value());
      s.Bind(1, static_cast<int64_t>(i));
      s.Bind(2, Payload(i));
      ASSERT_TRUE(s.Run("insert").ok());
    }
    ASSERT_EQ(w.Exec("COMMIT"), SQLITE_OK);
    ASSERT_EQ(w.Exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
  }
  static std::string Payload(int i) {
    std::string v = "row " + std::to_string(i) + ":";
    while (v.size() < 1000) v += static_cast<char>('a' + (i + v.size()) % 26);
    return v;
  }
  // Reads every row back through `r` and checks it.
  static void ExpectRows(Connection& r, int n) {
    auto st = r.Prepare("SELECT k, v FROM t ORDER BY k");
    ASSERT_TRUE(st.ok());
    Stmt s = std::move(st.value());
    int seen = 0;
    while (s.Step() == SQLITE_ROW) {
      ASSERT_EQ(s.Int(0), seen);
      ASSERT_EQ(s.Text(1), Payload(seen)) << "row " << seen;
      ++seen;
    }
    EXPECT_EQ(seen, n);
  }
  // How many mappings of the database file itself (not its -shm or -wal file) this process
  // has.
  int MappingsOf(const std::string& file) {
    std::ifstream maps("/proc/self/maps");
    std::string line;
    const std::string suffix = "/" + file;
    int n = 0;
    while (std::getline(maps, line)) {
      if (line.size() >= suffix.size() &&
          line.compare(line.size() - suffix.size(), suffix.size(), suffix) == 0) {
        ++n;
      }
    }
    return n;
  }
  bool ProcessMaps(const std::string& file) { return MappingsOf(file) > 0; }

  std::string path_;
};

TEST_F(MappedVfsTest, ReaderSeesEveryRowWhileTheFileOutgrowsItsMapping) {
  auto w = Open(false, 0);
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(w->Exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)"), SQLITE_OK);
  for (int64_t mmap_bytes : {int64_t{2147418112}, int64_t{0}}) {  // fetch path, then xRead
    SCOPED_TRACE(mmap_bytes);
    Remove();
    w = Open(false, 0);
    ASSERT_EQ(w->Exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)"), SQLITE_OK);
    Grow(*w, 0, 10);
    auto r = Open(true, mmap_bytes);
    ASSERT_NE(r, nullptr);
    ExpectRows(*r, 10);
    int rows = 10;
    for (int round = 0; round < 6; ++round) {  // ~300 KB each: past the 64 KB reservation
      Grow(*w, rows, 300);
      rows += 300;
      ExpectRows(*r, rows);
    }
    EXPECT_GT(std::filesystem::file_size(path_), 1u << 20);
    EXPECT_TRUE(ProcessMaps(std::filesystem::path(path_).filename().string()))
        << "the reader's pages did not come through a mapping of the file";
  }
}

TEST_F(MappedVfsTest, WritesOfTheWritingConnectionAreReadBackThroughItsOwnMapping) {
  auto w = Open(false, 2147418112);
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(w->Exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)"), SQLITE_OK);
  int rows = 0;
  for (int round = 0; round < 4; ++round) {
    Grow(*w, rows, 200);
    rows += 200;
    ExpectRows(*w, rows);
  }
  // Rows changed in place (pages rewritten by the checkpoint) read back changed.
  ASSERT_EQ(w->Exec("UPDATE t SET v = 'changed' WHERE k % 7 = 0"), SQLITE_OK);
  ASSERT_EQ(w->Exec("PRAGMA wal_checkpoint(TRUNCATE)"), SQLITE_OK);
  auto r = Open(true, 2147418112);
  auto st = r->Prepare("SELECT count(*) FROM t WHERE v = 'changed'");
  ASSERT_TRUE(st.ok());
  Stmt s = std::move(st.value());
  ASSERT_EQ(s.Step(), SQLITE_ROW);
  EXPECT_EQ(s.Int(0), (rows + 6) / 7);
}

TEST_F(MappedVfsTest, ConnectionsOfAProcessShareOneMappingOfTheFile) {
  // mmap_bytes 0 for the writer: with it SQLite maps the file itself when its checkpoint
  // announces the size (SQLITE_FCNTL_SIZE_HINT), a mapping this test does not count.
  auto w = Open(false, 0);
  ASSERT_NE(w, nullptr);
  ASSERT_EQ(w->Exec("CREATE TABLE t(k INTEGER PRIMARY KEY, v TEXT)"), SQLITE_OK);
  Grow(*w, 0, 50);
  auto r1 = Open(true, 2147418112);
  auto r2 = Open(true, 0);
  ExpectRows(*r1, 50);
  ExpectRows(*r2, 50);
  EXPECT_EQ(MappingsOf(std::filesystem::path(path_).filename().string()), 1);
  r1.reset();
  r2.reset();
  w.reset();
  EXPECT_EQ(MappingsOf(std::filesystem::path(path_).filename().string()), 0)
      << "the mapping outlived the last connection";
}

}  // namespace
}  // namespace renkei::sqlite
