// SqliteRegistryStore on a file, with concurrent connections: readers see committed
// snapshots, two stores write one file, the WAL stays bounded, group commit keeps each
// Apply's outcome.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "registry/sqlite_registry_store.h"
#include "registry/store_test_objects.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

using testing::Doc;

std::string TempDbPath() {
  auto dir = std::filesystem::temp_directory_path();
  return (dir / ("renkei_store_test_" + std::to_string(::getpid()) + "_" +
                 std::to_string(std::rand()) + ".db"))
      .string();
}

void RemoveDb(const std::string& path) {
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path + suffix).c_str());
}

// Readers on their own connections see only committed transactions, while one writer
// keeps committing: every snapshot holds whole transactions (two documents each).
TEST(SqliteRegistryStoreFile, ConcurrentReadersSeeCommittedSnapshots) {
  std::string path = TempDbPath();
  {
    SqliteRegistryStore::Options opt;
    opt.reader_connections = 3;
    auto s = SqliteRegistryStore::Open(path, opt);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    SqliteRegistryStore& store = **s;
    std::atomic<bool> done{false};
    std::atomic<int> bad{0}, reads{0};
    std::vector<std::thread> readers;
    for (int r = 0; r < 3; ++r) {
      readers.emplace_back([&] {
        ObjectFilter f;
        f.patient_id = "p";
        while (!done) {
          auto found = store.Find(f);
          if (!found.ok() || found->size() % 2 != 0) ++bad;
          ++reads;
        }
      });
    }
    const int kTx = 200;
    for (int i = 0; i < kTx; ++i) {
      Status st = store.Apply([&](RegistryTransaction& tx) {
        RENKEI_RETURN_IF_ERROR(tx.Put(Doc("urn:uuid:x" + std::to_string(i), "p")));
        return tx.Put(Doc("urn:uuid:y" + std::to_string(i), "p"));
      });
      ASSERT_TRUE(st.ok()) << st.ToString();
    }
    done = true;
    for (auto& t : readers) t.join();
    EXPECT_EQ(bad.load(), 0);
    EXPECT_GT(reads.load(), 0);
    EXPECT_EQ(*store.Count(EntryKind::kDocumentEntry), 2 * kTx);
  }
  // Durable across reopen.
  {
    auto s = SqliteRegistryStore::Open(path);
    ASSERT_TRUE(s.ok());
    EXPECT_EQ(*(*s)->Count(EntryKind::kDocumentEntry), 400);
  }
  RemoveDb(path);
}

// Two store instances on one file (two processes in production): the second writer waits
// on the lock (busy_timeout / retry) and both commits land.
TEST(SqliteRegistryStoreFile, TwoWritersOnOneFileBothCommit) {
  std::string path = TempDbPath();
  {
    auto s1 = SqliteRegistryStore::Open(path);
    auto s2 = SqliteRegistryStore::Open(path);
    ASSERT_TRUE(s1.ok() && s2.ok());
    std::thread t([&] {
      for (int i = 0; i < 50; ++i) {
        Status st = (*s1)->Apply([&](RegistryTransaction& tx) {
          return tx.Put(Doc("urn:uuid:a" + std::to_string(i), "p"));
        });
        EXPECT_TRUE(st.ok()) << st.ToString();
      }
    });
    for (int i = 0; i < 50; ++i) {
      Status st = (*s2)->Apply([&](RegistryTransaction& tx) {
        return tx.Put(Doc("urn:uuid:b" + std::to_string(i), "p"));
      });
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
    t.join();
    EXPECT_EQ(*(*s1)->Count(EntryKind::kDocumentEntry), 100);
  }
  RemoveDb(path);
}

// A steady stream of commits must not grow the WAL without bound: the checkpointer rewinds
// it once it passes wal_restart_bytes.
TEST(SqliteRegistryStoreFile, WalStaysBoundedUnderSteadyCommits) {
  std::string path = TempDbPath();
  {
    SqliteRegistryStore::Options opt;
    opt.checkpoint_interval_ms = 5;
    opt.wal_restart_bytes = 512 << 10;
    auto s = SqliteRegistryStore::Open(path, opt);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    constexpr int kCommits = 6000;
    uintmax_t largest = 0;
    for (int i = 0; i < kCommits; ++i) {
      Status st = (*s)->Apply([&](RegistryTransaction& tx) {
        StoredObject d = Doc("urn:uuid:w" + std::to_string(i), "p" + std::to_string(i % 97));
        d.leaf_xml = std::string(3000, 'x') + std::to_string(i);
        return tx.Put(d);
      });
      ASSERT_TRUE(st.ok()) << st.ToString();
      std::error_code ec;
      largest = std::max(largest, std::filesystem::file_size(path + "-wal", ec));
    }
    EXPECT_EQ(*(*s)->Count(EntryKind::kDocumentEntry), kCommits);
    // Never rewound, it would hold every commit: ~200 MB here.
    EXPECT_LT(largest, 100u << 20) << "WAL grew to " << largest << " bytes";
  }
  RemoveDb(path);
}

// Group commit: concurrent Applys share transactions (a slow function makes the others
// queue behind it), yet each keeps its own outcome: failures and exceptions roll back only
// their own writes and reach only their own caller; of two Puts of one id exactly one wins.
TEST(SqliteRegistryStoreFile, GroupCommitKeepsEachApplysOutcome) {
  std::string path = TempDbPath();
  {
    auto s = SqliteRegistryStore::Open(path);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    SqliteRegistryStore& store = **s;
    constexpr int kThreads = 8, kEach = 60;
    std::atomic<int> ok{0}, failed{0}, thrown{0}, dup_wins{0}, wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t) {
      threads.emplace_back([&, t] {
        for (int i = 0; i < kEach; ++i) {
          std::string id = "urn:uuid:t" + std::to_string(t) + "-" + std::to_string(i);
          int mode = (t * kEach + i) % 5;  // 0 ok, 1 fails, 2 throws, 3 slow ok, 4 shared id
          try {
            Status st = store.Apply([&](RegistryTransaction& tx) -> Status {
              if (mode == 4) return tx.Put(Doc("urn:uuid:shared-" + std::to_string(i), "p"));
              RENKEI_RETURN_IF_ERROR(tx.Put(Doc(id, "p")));
              if (!tx.Get(id).ok()) return Status::Internal("test", "own write not visible");
              if (mode == 1) return Status::InvalidArgument("XDSRegistryMetadataError", "no");
              if (mode == 2) throw std::runtime_error("boom " + id);
              if (mode == 3) std::this_thread::sleep_for(std::chrono::milliseconds(2));
              return Status::Ok();
            });
            if (mode == 4) {
              if (st.ok()) ++dup_wins;
              else if (!st.IsConflict()) ++wrong;
            } else if (mode == 1) {
              if (st.detail() == "XDSRegistryMetadataError") ++failed; else ++wrong;
            } else if (mode == 2) {
              ++wrong;  // must have thrown
            } else if (st.ok()) {
              ++ok;
            } else {
              ++wrong;
            }
          } catch (const std::runtime_error& e) {
            if (mode == 2 && std::string(e.what()) == "boom " + id) ++thrown; else ++wrong;
          }
        }
      });
    }
    for (auto& th : threads) th.join();
    EXPECT_EQ(wrong.load(), 0);
    const int per_mode = kThreads * kEach / 5;
    EXPECT_EQ(ok.load(), 2 * per_mode);
    EXPECT_EQ(failed.load(), per_mode);
    EXPECT_EQ(thrown.load(), per_mode);
    // Every shared id was put by several threads; each id landed exactly once.
    std::set<int> shared_indexes;
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < kEach; ++i) {
        if ((t * kEach + i) % 5 == 4) shared_indexes.insert(i);
      }
    }
    EXPECT_EQ(dup_wins.load(), static_cast<int>(shared_indexes.size()));
    // Stored: exactly the successful ones.
    EXPECT_EQ(*store.Count(EntryKind::kDocumentEntry), ok.load() + dup_wins.load());
    for (int t = 0; t < kThreads; ++t) {
      for (int i = 0; i < kEach; ++i) {
        int mode = (t * kEach + i) % 5;
        if (mode == 4) continue;
        bool stored = store.Get("urn:uuid:t" + std::to_string(t) + "-" + std::to_string(i)).ok();
        EXPECT_EQ(stored, mode == 0 || mode == 3) << t << "-" << i;
      }
    }
  }
  RemoveDb(path);
}

}  // namespace
}  // namespace renkei::registry
