// The outbox table: durable queue, due order, backoff, refusal, restart.
#include "repository/outbox.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "xds/rim.h"

namespace renkei::repository {
namespace {

namespace fs = std::filesystem;

class OutboxTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("renkei-outbox-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    Reopen();
  }
  void TearDown() override {
    outbox_.reset();
    fs::remove_all(dir_);
  }
  void Reopen() {
    outbox_.reset();
    auto o = Outbox::Open((dir_ / "outbox.sqlite").string());
    ASSERT_TRUE(o.ok()) << o.status().ToString();
    outbox_ = std::move(o.value());
  }
  static xds::SubmitObjectsRequest Submission(const std::string& id) {
    xds::SubmitObjectsRequest r;
    xds::RegistryObject o;
    o.id = id;
    o.mime_type = "text/plain";
    r.objects.push_back(o);
    return r;
  }

  fs::path dir_;
  std::unique_ptr<Outbox> outbox_;
};

TEST_F(OutboxTest, QueuedEntriesSurviveRestartAndComeDueInOrder) {
  auto a = outbox_->Enqueue(Submission("Document01"), {"1.1", "1.2"});
  auto b = outbox_->Enqueue(Submission("Document02"), {"2.1"});
  ASSERT_TRUE(a.ok() && b.ok());
  Reopen();
  auto due = outbox_->Due(INT64_MAX, 10);
  ASSERT_TRUE(due.ok());
  ASSERT_EQ(due->size(), 2u);
  EXPECT_EQ((*due)[0].id, *a);
  EXPECT_EQ((*due)[0].unique_ids, (std::vector<std::string>{"1.1", "1.2"}));
  EXPECT_NE((*due)[0].submission_xml.find("Document01"), std::string::npos);
  EXPECT_EQ(*outbox_->QueuedUniqueIds(), (std::set<std::string>{"1.1", "1.2", "2.1"}));
}

TEST_F(OutboxTest, RetryWaitsDeliveredAndRefusedLeaveTheQueue) {
  auto a = outbox_->Enqueue(Submission("A"), {"a"});
  auto b = outbox_->Enqueue(Submission("B"), {"b"});
  auto c = outbox_->Enqueue(Submission("C"), {"c"});
  const int64_t later = INT64_MAX / 2;
  ASSERT_TRUE(outbox_->MarkRetry(*a, "registry unreachable", later).ok());
  ASSERT_TRUE(outbox_->MarkDelivered(*b).ok());
  ASSERT_TRUE(outbox_->MarkRefused(*c, "XDSUnknownPatientId: who").ok());
  EXPECT_TRUE(outbox_->Due(later - 1, 10)->empty());
  ASSERT_EQ(outbox_->Due(later, 10)->size(), 1u);
  EXPECT_EQ(outbox_->Due(later, 10)->front().attempts, 1);
  EXPECT_EQ(outbox_->Due(later, 10)->front().last_error, "registry unreachable");
  auto counts = outbox_->Counts();
  EXPECT_EQ(counts->queued, 1);
  EXPECT_EQ(counts->delivered, 1);
  EXPECT_EQ(counts->refused, 1);
  EXPECT_EQ(*outbox_->QueuedUniqueIds(), (std::set<std::string>{"a"}));
  auto recent = outbox_->Recent(10);
  ASSERT_EQ(recent->size(), 3u);
  EXPECT_EQ(recent->front().state, OutboxState::kRefused);
  EXPECT_EQ(recent->front().last_error, "XDSUnknownPatientId: who");
}

TEST(OutboxBackoff, DoublesFromOneSecondUpToFiveMinutes) {
  EXPECT_EQ(OutboxBackoffMs(1), 1000);
  EXPECT_EQ(OutboxBackoffMs(2), 2000);
  EXPECT_EQ(OutboxBackoffMs(5), 16000);
  EXPECT_EQ(OutboxBackoffMs(9), 256000);
  EXPECT_EQ(OutboxBackoffMs(10), 300000);
  EXPECT_EQ(OutboxBackoffMs(1000), 300000);
}

}  // namespace
}  // namespace renkei::repository
