// The node's document store: files, index, states, group commit, crash leftovers.
#include "repository/document_store.h"

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace renkei::repository {
namespace {

namespace fs = std::filesystem;

class DocumentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("renkei-store-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    Reopen();
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
  }
  void Reopen(DocumentStore::Options o = {}) {
    store_.reset();
    auto s = DocumentStore::Open(dir_.string(), o);
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(s.value());
  }
  std::unique_ptr<Upload> Finished(const std::string& bytes) {
    auto u = store_->BeginUpload();
    EXPECT_TRUE(u.ok());
    std::istringstream in(bytes);
    EXPECT_TRUE((*u)->WriteFrom(in).ok());
    EXPECT_TRUE((*u)->Finish().ok());
    return std::move(u.value());
  }
  size_t FilesIn(const std::string& sub) {
    size_t n = 0;
    for (const auto& e : fs::recursive_directory_iterator(dir_ / sub)) n += e.is_regular_file();
    return n;
  }
  static std::string Read(const std::string& path) {
    std::ifstream f(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(f), {});
  }

  fs::path dir_;
  std::unique_ptr<DocumentStore> store_;
};

TEST_F(DocumentStoreTest, StagedDocumentIsServedOnlyOnceRegistered) {
  auto u = Finished("abc");
  EXPECT_EQ(u->size(), 3u);
  EXPECT_EQ(u->sha1_hex(), "a9993e364706816aba3e25717850c26c9cd0d89d");  // FIPS 180 "abc"
  ASSERT_TRUE(store_->Stage({{"1.2.3", "text/plain", u.get()}}).ok());
  EXPECT_EQ(FilesIn("tmp"), 0u);
  EXPECT_EQ(FilesIn("documents"), 1u);
  EXPECT_TRUE(store_->Find("1.2.3").status().IsNotFound());
  ASSERT_EQ(store_->Pending()->size(), 1u);

  ASSERT_TRUE(store_->MarkRegistered({"1.2.3"}).ok());
  Result<StoredDocument> d = store_->Find("1.2.3");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->mime_type, "text/plain");
  EXPECT_EQ(d->size, 3u);
  EXPECT_EQ(d->hash, "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Read(d->path), "abc");
  EXPECT_TRUE(store_->Pending()->empty());
  // A registered document survives a Discard and a reopen.
  ASSERT_TRUE(store_->Discard({"1.2.3"}).ok());
  Reopen();
  EXPECT_TRUE(store_->Find("1.2.3").ok());
  EXPECT_EQ(store_->Counts()->second, 1);
}

TEST_F(DocumentStoreTest, DiscardRemovesPendingRowAndFile) {
  auto u = Finished("x");
  ASSERT_TRUE(store_->Stage({{"9.9", "text/plain", u.get()}}).ok());
  ASSERT_TRUE(store_->Discard({"9.9", "unknown"}).ok());
  EXPECT_EQ(FilesIn("documents"), 0u);
  EXPECT_TRUE(store_->Pending()->empty());
}

TEST_F(DocumentStoreTest, DuplicateUniqueIdIsRefusedWholeSubmission) {
  auto a = Finished("same");
  ASSERT_TRUE(store_->Stage({{"1.1", "text/plain", a.get()}}).ok());
  auto b = Finished("same");
  auto c = Finished("other");
  Status s = store_->Stage({{"2.2", "text/plain", c.get()}, {"1.1", "text/plain", b.get()}});
  EXPECT_TRUE(s.IsConflict());
  EXPECT_EQ(s.detail(), "XDSDuplicateUniqueIdInRegistry");
  auto d = Finished("different");
  EXPECT_EQ(store_->Stage({{"1.1", "text/plain", d.get()}}).detail(), "XDSNonIdenticalHash");
  // Nothing of the refused submissions was kept: 2.2 neither.
  EXPECT_EQ(store_->Pending()->size(), 1u);
  b.reset();
  c.reset();
  d.reset();
  EXPECT_EQ(FilesIn("tmp"), 0u);
  EXPECT_EQ(FilesIn("documents"), 1u);
}

TEST_F(DocumentStoreTest, ConcurrentStagesShareCommitsAndOneRefusalHurtsNoOther) {
  auto first = Finished("taken");
  ASSERT_TRUE(store_->Stage({{"taken", "text/plain", first.get()}}).ok());
  constexpr int kThreads = 8, kEach = 25;
  std::atomic<int> ok{0}, refused{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) {
        auto u = Finished("doc " + std::to_string(t) + "/" + std::to_string(i));
        // Thread 0 also tries the taken uniqueId every fifth time.
        const std::string id =
            (t == 0 && i % 5 == 0) ? "taken" : std::to_string(t) + "." + std::to_string(i);
        if (store_->Stage({{id, "text/plain", u.get()}}).ok()) {
          ++ok;
        } else {
          ++refused;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(refused.load(), kEach / 5);
  EXPECT_EQ(ok.load(), kThreads * kEach - kEach / 5);
  EXPECT_EQ(store_->Pending()->size(), static_cast<size_t>(ok.load()) + 1);
  EXPECT_EQ(FilesIn("documents"), static_cast<size_t>(ok.load()) + 1);
}

TEST_F(DocumentStoreTest, UploadOverTheLimitIsResourceExhausted) {
  DocumentStore::Options o;
  o.max_document_bytes = 10;
  Reopen(o);
  auto u = store_->BeginUpload();
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE((*u)->Write("0123456789", 10).ok());
  Status s = (*u)->Write("x", 1);
  EXPECT_EQ(s.code(), StatusCode::kResourceExhausted);
  u->reset();
  EXPECT_EQ(FilesIn("tmp"), 0u);
}

TEST_F(DocumentStoreTest, TempFilesOfACrashedProcessAreRemovedAtOpen) {
  auto u = store_->BeginUpload();
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE((*u)->Write("half", 4).ok());
  // A crash: the process dies without the Upload's destructor; its file stays.
  const std::string leftover = (*u)->temp_path();
  fs::copy_file(leftover, leftover + ".crashed");
  EXPECT_EQ(FilesIn("tmp"), 2u);
  u->reset();
  Reopen();
  EXPECT_EQ(FilesIn("tmp"), 0u);
}

}  // namespace
}  // namespace renkei::repository
