#include "pix/mllp.h"

#include <gtest/gtest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "pix/internal_test_corpus.h"

namespace renkei::mllp {
namespace {

std::vector<std::string> FeedAll(MllpFramer& f, const std::vector<std::string>& chunks) {
  std::vector<std::string> out;
  for (const std::string& c : chunks) EXPECT_TRUE(f.Feed(c, &out).ok());
  return out;
}

TEST(MllpFramerTest, FramesSurviveAnySegmentation) {
  const std::string two = Frame("MSH|first\r") + Frame("MSH|second\r");
  // Whole, then one byte at a time.
  MllpFramer whole(1024);
  EXPECT_EQ(FeedAll(whole, {two}), (std::vector<std::string>{"MSH|first\r", "MSH|second\r"}));
  MllpFramer bytes(1024);
  std::vector<std::string> singles;
  for (char c : two) singles.emplace_back(1, c);
  EXPECT_EQ(FeedAll(bytes, singles), (std::vector<std::string>{"MSH|first\r", "MSH|second\r"}));
  EXPECT_FALSE(bytes.in_frame());
}

TEST(MllpFramerTest, NoiseOutsideFramesIsIgnored) {
  MllpFramer f(1024);
  // CR LF after the trailer (NIST), junk before the start byte, a trailer without its CR.
  std::string bytes = "junk\r\n\x0bMSH|a\r\x1c\r\n\r\n\x0bMSH|b\r\x1c\x0bMSH|c\r\x1c\r";
  EXPECT_EQ(FeedAll(f, {bytes}), (std::vector<std::string>{"MSH|a\r", "MSH|b\r", "MSH|c\r"}));
}

TEST(MllpFramerTest, OversizedFrameFailsAndStaysFailed) {
  MllpFramer f(10);
  std::vector<std::string> out;
  EXPECT_TRUE(f.Feed("\x0b" "12345", &out).ok());
  EXPECT_TRUE(f.in_frame());
  Status st = f.Feed("678901", &out);
  EXPECT_EQ(st.code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(f.Feed(Frame("ok"), &out).ok());
}

// --- the server, driven through a plain TCP socket

class MllpServerTest : public ::testing::Test {
 protected:
  void StartServer(MllpServerOptions options = {}) {
    auto s = MllpServer::Start(options, [this](const std::string& m, const Peer&) {
      ++handled_;
      return m == "silent" ? std::string() : "ACK:" + m;
    });
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    server_ = std::move(s.value());
  }
  Poco::Net::StreamSocket Connect() {
    Poco::Net::StreamSocket s(Poco::Net::SocketAddress("127.0.0.1", server_->port()));
    s.setReceiveTimeout(Poco::Timespan(5, 0));
    return s;
  }
  static void Send(Poco::Net::StreamSocket& s, const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      sent += static_cast<size_t>(
          s.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent)));
    }
  }
  // Reads until `n` frames arrived (or the peer closes / 5 s pass).
  static std::vector<std::string> Read(Poco::Net::StreamSocket& s, size_t n) {
    MllpFramer f(1 << 20);
    std::vector<std::string> out;
    char buf[4096];
    while (out.size() < n) {
      int got = s.receiveBytes(buf, sizeof buf);
      if (got <= 0) break;
      EXPECT_TRUE(f.Feed(std::string_view(buf, static_cast<size_t>(got)), &out).ok());
    }
    return out;
  }
  // True when the server closed the connection (a read returns 0).
  static bool ClosedByPeer(Poco::Net::StreamSocket& s) {
    char c;
    try {
      return s.receiveBytes(&c, 1) == 0;
    } catch (const Poco::Exception&) {
      return true;  // reset
    }
  }
  std::atomic<int> handled_{0};
  std::unique_ptr<MllpServer> server_;
};

TEST_F(MllpServerTest, ManyMessagesOnOneConnectionInAnySegmentation) {
  StartServer();
  Poco::Net::StreamSocket s = Connect();
  const std::string frames = Frame("one") + Frame("silent") + Frame("two");
  for (char c : frames) Send(s, std::string(1, c));  // one byte per write
  EXPECT_EQ(Read(s, 2), (std::vector<std::string>{"ACK:one", "ACK:two"}));
  Send(s, Frame("three"));
  EXPECT_EQ(Read(s, 1), (std::vector<std::string>{"ACK:three"}));
  EXPECT_EQ(handled_.load(), 4);
}

TEST_F(MllpServerTest, NistStoredFrameIsAnswered) {
  StartServer();
  const std::string bytes =
      pix::testing::PixCorpusFile("nist-toolkit-hl7v2/V2FeedMessageWithWrapper-mllp.bin");
  ASSERT_FALSE(bytes.empty());
  Poco::Net::StreamSocket s = Connect();
  Send(s, bytes);
  std::vector<std::string> replies = Read(s, 1);
  ASSERT_EQ(replies.size(), 1u);
  EXPECT_EQ(replies[0].substr(0, 8), "ACK:MSH|");
}

TEST_F(MllpServerTest, OversizedFrameClosesTheConnectionWithoutHandlingIt) {
  MllpServerOptions options;
  options.max_message_bytes = 100;
  StartServer(options);
  Poco::Net::StreamSocket s = Connect();
  Send(s, "\x0b" + std::string(500, 'x'));
  EXPECT_TRUE(ClosedByPeer(s));
  EXPECT_EQ(handled_.load(), 0);
  // The server goes on serving others.
  Poco::Net::StreamSocket t = Connect();
  Send(t, Frame("after"));
  EXPECT_EQ(Read(t, 1), (std::vector<std::string>{"ACK:after"}));
}

TEST_F(MllpServerTest, HalfAFrameThenSilenceIsClosedAfterTheIdleTimeout) {
  MllpServerOptions options;
  options.idle_timeout_ms = 200;
  StartServer(options);
  Poco::Net::StreamSocket s = Connect();
  Send(s, "\x0bMSH|^~\\&|half");
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_TRUE(ClosedByPeer(s));
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
  EXPECT_EQ(handled_.load(), 0);
}

TEST_F(MllpServerTest, StopClosesOpenConnections) {
  StartServer();
  Poco::Net::StreamSocket s = Connect();
  Send(s, Frame("hello"));
  ASSERT_EQ(Read(s, 1).size(), 1u);
  const auto t0 = std::chrono::steady_clock::now();
  server_->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  EXPECT_TRUE(ClosedByPeer(s));
}

// ITI-19 over MLLP: a TLS listener serves a client with a certificate of the regional CA and
// refuses a plain-TCP one (PKI made by common/testdata/make_test_pki.sh).
TEST(MllpTlsTest, MutualTlsExchangeAndPlainClientRefused) {
  const std::string dir = ::testing::TempDir() + "mllp-tls-" + std::to_string(::getpid());
  const std::string script =
      std::string(std::getenv("RENKEI_SOURCE_DIR")) + "/common/testdata/make_test_pki.sh";
  ASSERT_EQ(std::system((script + " " + dir + " >/dev/null").c_str()), 0);
  auto f = [&](const std::string& n) { return dir + "/" + n; };
  auto server_tls = TlsContext::Server(
      {f("server.cert.pem"), f("server.key.pem"), f("ca.cert.pem"), f("crl.pem")});
  ASSERT_TRUE(server_tls.ok()) << server_tls.status().ToString();
  MllpServerOptions opts;
  opts.tls = *server_tls;
  // The handler learns the sender's facility from its certificate (ITI-19).
  auto server = MllpServer::Start(opts, [](const std::string& m, const Peer& peer) {
    return "ACK:" + m + "|" + peer.facility_oid;
  });
  ASSERT_TRUE(server.ok());
  const int port = (*server)->port();
  // No client certificate for this process: refused before connecting.
  SetClientTls(nullptr);
  EXPECT_FALSE(MllpExchange("127.0.0.1", port, "MSH|x", 5000, /*tls=*/true).ok());
  // A plain client gets no reply.
  EXPECT_FALSE(MllpExchange("127.0.0.1", port, "MSH|x", 2000).ok());
  auto client_tls =
      TlsContext::Client({f("good.cert.pem"), f("good.key.pem"), f("ca.cert.pem"), ""});
  ASSERT_TRUE(client_tls.ok());
  SetClientTls(*client_tls);
  auto reply = MllpExchange("127.0.0.1", port, "MSH|y", 5000, /*tls=*/true);
  SetClientTls(nullptr);
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  auto good = PeerOfCertificateFile(f("good.cert.pem"));
  ASSERT_TRUE(good.ok());
  ASSERT_FALSE(good->facility_oid.empty());
  EXPECT_EQ(*reply, "ACK:MSH|y|" + good->facility_oid);
  (*server)->Stop();
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace renkei::mllp
