// IHE ATNA node side: the durable audit queue survives a restart and is delivered (ITI-20
// FHIR feed) once the centre comes up; refused events are set aside; StoreSink.
#include "audit/audit_sender.h"

#include <Poco/Net/HTTPServerResponse.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "audit/audit_endpoint.h"
#include "audit/audit_store.h"
#include "audit/fhir_audit_event.h"
#include "audit/transaction_events.h"
#include "common/http_server.h"

namespace renkei::audit {
namespace {

namespace fs = std::filesystem;

AuditEvent Event(int i) {
  Exchange x;
  x.requester_user_id = "node-" + std::to_string(i);
  x.requesting_facility = "1.2.392.100.1";
  x.date_time = "2026-11-26T06:00:0" + std::to_string(i) + "Z";
  return PixmQuery(x, "P1^^^&1.2.392.200&ISO", "sourceIdentifier=" + std::to_string(i));
}

template <typename Fn>
bool Eventually(Fn done) {
  for (int i = 0; i < 2000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

class AuditSenderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("audit_sender_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    // A port nobody listens on yet: taken from a server that is stopped again.
    auto probe = HttpServer::Start(HttpServerOptions{}, HttpRouter{});
    ASSERT_TRUE(probe.ok());
    port_ = (*probe)->port();
    probe->reset();
    options_.centre_url = "http://127.0.0.1:" + std::to_string(port_);
    options_.initial_backoff_ms = 20;
    options_.max_backoff_ms = 100;
    options_.idle_poll_ms = 50;
    options_.timeout_seconds = 5;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::unique_ptr<AuditSender> OpenSender() {
    auto s = AuditSender::Open((dir_ / "audit_queue.sqlite").string(), options_);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? std::move(s.value()) : nullptr;
  }

  int64_t Pending(AuditSender& s) {
    auto c = s.Counts();
    return c.ok() ? c->pending : -1;
  }

  fs::path dir_;
  int port_ = 0;
  AuditSenderOptions options_;
};

TEST_F(AuditSenderTest, EventsSurviveARestartAndAreDeliveredWhenTheCentreComesUp) {
  {
    auto sender = OpenSender();
    ASSERT_TRUE(sender);
    for (int i = 1; i <= 3; ++i) ASSERT_TRUE(sender->Enqueue(Event(i)).ok());
    auto pass = sender->DeliverPending();
    EXPECT_TRUE(pass.status().IsUnavailable()) << pass.status().ToString();
    EXPECT_EQ(Pending(*sender), 3);
    sender->Start();  // retries in the background while the centre is down
    EXPECT_TRUE(sender->Enqueue(Event(4)).ok());
  }  // the node stops
  auto sender = OpenSender();
  ASSERT_TRUE(sender);
  EXPECT_EQ(Pending(*sender), 4);
  sender->Start();

  auto store = AuditStore::Open((dir_ / "centre_audit.sqlite").string());
  ASSERT_TRUE(store.ok());
  HttpRouter router;
  AddAuditRoutes(router, **store);
  HttpServerOptions http;
  http.port = port_;
  auto centre = HttpServer::Start(http, std::move(router));
  ASSERT_TRUE(centre.ok()) << centre.status().ToString();

  ASSERT_TRUE(Eventually([&] { return Pending(*sender) == 0; }));
  sender->Stop();
  auto report = (*store)->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->records, 4);
  for (int i = 1; i <= 4; ++i) {  // in queue order
    auto got = (*store)->Get(i);
    ASSERT_TRUE(got.ok());
    auto event = DecodeFhirAuditEvent(got->json);
    ASSERT_TRUE(event.ok());
    EXPECT_EQ(*event, Event(i));
  }
}

TEST_F(AuditSenderTest, RefusedEventsAreSetAsideNotRetried) {
  int posts = 0;
  HttpRouter router;
  router.Exact("POST", kAuditEventPath,
               [&posts](Poco::Net::HTTPServerRequest&, Poco::Net::HTTPServerResponse& rs) {
                 ++posts;
                 SendResponse(rs, 400, "application/fhir+json",
                              "{\"resourceType\":\"OperationOutcome\"}");
               });
  HttpServerOptions http;
  http.port = port_;
  auto centre = HttpServer::Start(http, std::move(router));
  ASSERT_TRUE(centre.ok());
  auto sender = OpenSender();
  ASSERT_TRUE(sender);
  ASSERT_TRUE(sender->Enqueue(Event(1)).ok());
  auto pass = sender->DeliverPending();
  ASSERT_TRUE(pass.ok()) << pass.status().ToString();
  EXPECT_EQ(*pass, 0);
  auto counts = sender->Counts();
  ASSERT_TRUE(counts.ok());
  EXPECT_EQ(counts->pending, 0);
  EXPECT_EQ(counts->refused, 1);
  EXPECT_TRUE(sender->DeliverPending().ok());
  EXPECT_EQ(posts, 1);
  EXPECT_TRUE(sender->Enqueue(AuditEvent{}).status().IsInvalidArgument());
}

TEST(StoreSinkTest, RecordsIntoTheStoreAndSurvivesInvalidEvents) {
  const fs::path dir = fs::temp_directory_path() / ("store_sink_test_" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  {
    auto store = AuditStore::Open((dir / "audit.sqlite").string());
    ASSERT_TRUE(store.ok());
    StoreSink sink(**store);
    AuditSink& any = sink;
    any.Record(Event(1));
    any.Record(AuditEvent{});  // logged, not stored
    auto report = (*store)->Verify();
    ASSERT_TRUE(report.ok());
    EXPECT_EQ(report->records, 1);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace renkei::audit
