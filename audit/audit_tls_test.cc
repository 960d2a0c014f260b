// ITI-20 over TLS (RFC 5425): the syslog receiver with mutual TLS (required client
// certificate of the regional CA; another CA's client is refused and reported), and the
// node's audit sender posting to an https centre. PKI from common/testdata/make_test_pki.sh.
#include <Poco/Net/Context.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <mutex>
#include <thread>

#include "audit/audit_endpoint.h"
#include "audit/audit_sender.h"
#include "audit/dicom_audit_xml.h"
#include "audit/syslog_frame.h"
#include "audit/syslog_receiver.h"
#include "audit/transaction_events.h"
#include "common/http_server.h"
#include "common/tls.h"

namespace renkei::audit {
namespace {

namespace fs = std::filesystem;

template <typename Fn>
bool Eventually(Fn done) {
  for (int i = 0; i < 1000 && !done(); ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  return done();
}

AuditEvent Event(int i) {
  Exchange x;
  x.requester_user_id = "node-" + std::to_string(i);
  x.date_time = "2026-11-26T06:00:0" + std::to_string(i) + "Z";
  return UserAuthentication(x, true);
}

class AuditTlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("audit_tls_test_" + std::to_string(getpid()));
    fs::remove_all(dir_);
    const std::string script =
        std::string(RENKEI_AUDIT_SOURCE_ROOT) + "/common/testdata/make_test_pki.sh";
    ASSERT_EQ(std::system((script + " " + dir_.string() + " >/dev/null 2>&1").c_str()), 0);
    store_ = std::move(AuditStore::Open((dir_ / "audit.sqlite").string()).value());
    SetTlsRefusalHook([this](const std::string&, const std::string& reason) {
      std::lock_guard<std::mutex> lock(mu_);
      refusals_.push_back(reason);
    });
  }
  void TearDown() override {
    SetTlsRefusalHook(nullptr);
    store_.reset();
    fs::remove_all(dir_);
  }
  std::string F(const std::string& name) { return (dir_ / name).string(); }
  TlsFiles Files(const std::string& who) {
    return {F(who + ".cert.pem"), F(who + ".key.pem"), F("ca.cert.pem"), F("crl.pem")};
  }
  size_t RefusalCount() {
    std::lock_guard<std::mutex> lock(mu_);
    return refusals_.size();
  }

  fs::path dir_;
  std::unique_ptr<AuditStore> store_;
  std::mutex mu_;
  std::vector<std::string> refusals_;
};

TEST_F(AuditTlsTest, SyslogOverMutualTls) {
  auto server_tls = TlsContext::Server(Files("server"));
  ASSERT_TRUE(server_tls.ok()) << server_tls.status().ToString();
  SyslogReceiverOptions options;
  options.tls = *server_tls;
  auto receiver = SyslogReceiver::Listen("127.0.0.1", 0, *store_, options);
  ASSERT_TRUE(receiver.ok()) << receiver.status().ToString();
  const Poco::Net::SocketAddress address("127.0.0.1", (*receiver)->port());
  const std::string frame =
      FrameSyslogAuditMessage(EncodeDicomAuditXml(Event(1)), "node", "renkei", "-");

  // A client of the regional CA: stored.
  Poco::Net::Context::Ptr good = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, F("good.key.pem"), F("good.cert.pem"), F("ca.cert.pem"),
      Poco::Net::Context::VERIFY_RELAXED);
  Poco::Net::SecureStreamSocket client(address, good);
  client.sendBytes(frame.data(), static_cast<int>(frame.size()));
  ASSERT_TRUE(Eventually([&] { return (*receiver)->stats().messages_stored == 1; }));

  // A client certificate of another CA: refused before any frame is read, and reported.
  Poco::Net::Context::Ptr stranger = new Poco::Net::Context(
      Poco::Net::Context::TLS_CLIENT_USE, F("stranger.key.pem"), F("stranger.cert.pem"),
      F("ca.cert.pem"), Poco::Net::Context::VERIFY_RELAXED);
  try {
    Poco::Net::SecureStreamSocket bad(address, stranger);
    bad.sendBytes(frame.data(), static_cast<int>(frame.size()));
    char buf[16];
    bad.setReceiveTimeout(Poco::Timespan(10, 0));
    bad.receiveBytes(buf, sizeof buf);
  } catch (const Poco::Exception&) {
    // The handshake fails on the client side too, as it may.
  }
  ASSERT_TRUE(Eventually([&] { return RefusalCount() >= 1; }));
  EXPECT_EQ((*receiver)->stats().messages_stored, 1);
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->records, 1);
}

TEST_F(AuditTlsTest, SenderPostsToAnHttpsCentre) {
  auto server_tls = TlsContext::Server(Files("server"));
  ASSERT_TRUE(server_tls.ok()) << server_tls.status().ToString();
  HttpRouter router;
  AddAuditRoutes(router, *store_);
  HttpServerOptions http;
  http.tls = *server_tls;
  auto centre = HttpServer::Start(http, std::move(router));
  ASSERT_TRUE(centre.ok()) << centre.status().ToString();
  auto client_tls =
      TlsContext::Client({F("good.cert.pem"), F("good.key.pem"), F("ca.cert.pem"), ""});
  ASSERT_TRUE(client_tls.ok()) << client_tls.status().ToString();
  AuditSenderOptions options;
  options.centre_url = "https://127.0.0.1:" + std::to_string((*centre)->port());
  options.tls = *client_tls;
  auto sender = AuditSender::Open(F("queue.sqlite"), options);
  ASSERT_TRUE(sender.ok());
  ASSERT_TRUE((*sender)->Enqueue(Event(1)).ok());
  ASSERT_TRUE((*sender)->Enqueue(Event(2)).ok());
  auto delivered = (*sender)->DeliverPending();
  ASSERT_TRUE(delivered.ok()) << delivered.status().ToString();
  EXPECT_EQ(*delivered, 2);
  auto report = store_->Verify();
  ASSERT_TRUE(report.ok());
  EXPECT_EQ(report->records, 2);
}

}  // namespace
}  // namespace renkei::audit
