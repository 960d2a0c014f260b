// ITI-20 over syslog: RFC 5425 framing (split reads, several frames per read, oversized
// MSG-LEN, garbage), RFC 5424 header, and the TCP receiver feeding the store.
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <thread>

#include "audit/dicom_audit_xml.h"
#include "audit/syslog_frame.h"
#include "audit/syslog_receiver.h"
#include "audit/transaction_events.h"

namespace renkei::audit {
namespace {

AuditEvent SampleEvent(int i) {
  Exchange x;
  x.requester_user_id = "node-" + std::to_string(i);
  x.requesting_facility = "1.2.392.100.1";
  x.date_time = "2026-11-26T06:00:0" + std::to_string(i) + "Z";
  return RegistryStoredQuery(x, "P1^^^&1.2.392.200&ISO", "urn:uuid:q", "<q/>");
}

std::string Frame(int i) {
  return FrameSyslogAuditMessage(EncodeDicomAuditXml(SampleEvent(i)), "node.example", "renkei",
                                 "2026-11-26T06:00:00Z");
}

TEST(SyslogFrameReaderTest, FramesSplitAcrossReadsAndSeveralInOneRead) {
  const std::string stream = Frame(1) + Frame(2) + "5 hello";
  // Every split: byte by byte, and all at once.
  for (size_t chunk : {size_t{1}, size_t{7}, stream.size()}) {
    SCOPED_TRACE(chunk);
    SyslogFrameReader reader;
    std::vector<std::string> messages;
    for (size_t i = 0; i < stream.size(); i += chunk) {
      ASSERT_TRUE(reader.Feed(std::string_view(stream).substr(i, chunk), &messages).ok());
    }
    ASSERT_EQ(messages.size(), 3u);
    EXPECT_EQ(messages[2], "hello");
    EXPECT_TRUE(reader.at_frame_boundary());
    auto first = DecodeSyslogAuditMessage(messages[0]);
    ASSERT_TRUE(first.ok()) << first.status().ToString();
    EXPECT_EQ(*first, SampleEvent(1));
    auto second = DecodeSyslogAuditMessage(messages[1]);
    ASSERT_TRUE(second.ok());
    EXPECT_EQ(*second, SampleEvent(2));
  }
  SyslogFrameReader partial;
  std::vector<std::string> none;
  ASSERT_TRUE(partial.Feed("12 abc", &none).ok());
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(partial.at_frame_boundary());
}

TEST(SyslogFrameReaderTest, RejectsBrokenFraming) {
  const std::vector<std::string> bad = {
      "x",                     // garbage: no MSG-LEN
      "0 ",                    // leading zero
      "012 abc",               // leading zero
      "12abc",                 // no SP after MSG-LEN
      " 12 abc",               // SP first
      "1000001 ",              // over the 1 MB bound given below
      "99999999999999999999",  // over the bound before any SP
  };
  for (const std::string& s : bad) {
    SyslogFrameReader reader(1000000);
    std::vector<std::string> messages;
    const Status st = reader.Feed(s, &messages);
    EXPECT_TRUE(st.IsInvalidArgument()) << s;
    EXPECT_TRUE(messages.empty());
    // The reader stays failed.
    EXPECT_FALSE(reader.Feed("5 hello", &messages).ok());
  }
  // The default bound.
  SyslogFrameReader reader;
  std::vector<std::string> messages;
  EXPECT_FALSE(reader.Feed(std::to_string(kDefaultMaxSyslogMessage + 1) + " ", &messages).ok());
}

TEST(SyslogMessageTest, ParsesTheRfc5424Header) {
  auto m = ParseSyslogMessage(
      "<85>1 2026-11-26T06:00:00Z node.example renkei 42 IHE+RFC-3881 "
      "[origin ip=\"192.0.2.1\"][x@1 a=\"q\\\"]\\]\"] \xEF\xBB\xBF<AuditMessage/>");
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->facility, 10);
  EXPECT_EQ(m->severity, 5);
  EXPECT_EQ(m->version, 1);
  EXPECT_EQ(m->timestamp, "2026-11-26T06:00:00Z");
  EXPECT_EQ(m->hostname, "node.example");
  EXPECT_EQ(m->app_name, "renkei");
  EXPECT_EQ(m->procid, "42");
  EXPECT_EQ(m->msgid, "IHE+RFC-3881");
  EXPECT_EQ(m->structured_data, "[origin ip=\"192.0.2.1\"][x@1 a=\"q\\\"]\\]\"]");
  EXPECT_EQ(m->msg, "<AuditMessage/>");
  for (const char* bad :
       {"", "85>1 - - - - - -", "<192>1 - - - - - -", "<85>0 - - - - - -", "<85>1 - - - -",
        "<85>1 - - - - - [x a=\"]", "<85>1 - - - - - x", "<85>1 - - - - -x"}) {
    EXPECT_FALSE(ParseSyslogMessage(bad).ok()) << bad;
  }
  EXPECT_FALSE(DecodeSyslogAuditMessage("<85>1 - - - - - -").ok());  // no MSG
  EXPECT_FALSE(DecodeSyslogAuditMessage("<85>1 - - - - - - <notaudit/>").ok());
}

class SyslogReceiverTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("syslog_receiver_test_" + std::to_string(getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    store_ = std::move(AuditStore::Open((dir_ / "audit.sqlite").string()).value());
    auto r = SyslogReceiver::Listen("127.0.0.1", 0, *store_);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    receiver_ = std::move(r.value());
  }
  void TearDown() override {
    receiver_.reset();
    store_.reset();
    std::filesystem::remove_all(dir_);
  }
  // Waits (bounded) until `done` holds; no timing is asserted, the bound only ends a hang.
  template <typename Fn>
  bool Eventually(Fn done) {
    for (int i = 0; i < 1000 && !done(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return done();
  }

  std::filesystem::path dir_;
  std::unique_ptr<AuditStore> store_;
  std::unique_ptr<SyslogReceiver> receiver_;
};

TEST_F(SyslogReceiverTest, StoresFramesCountsBadMessagesClosesOnBadFraming) {
  Poco::Net::StreamSocket client(Poco::Net::SocketAddress("127.0.0.1", receiver_->port()));
  const std::string two = Frame(1) + Frame(2);
  // Split in the middle of the first frame, second frame in the same write as its end.
  client.sendBytes(two.data(), 10);
  client.sendBytes(two.data() + 10, static_cast<int>(two.size() - 10));
  const std::string junk = "<85>1 - - - - - - not xml";
  const std::string junk_frame = std::to_string(junk.size()) + " " + junk;
  client.sendBytes(junk_frame.data(), static_cast<int>(junk_frame.size()));
  const std::string third = Frame(3);
  client.sendBytes(third.data(), static_cast<int>(third.size()));
  ASSERT_TRUE(Eventually([&] { return receiver_->stats().messages_stored == 3; }));
  EXPECT_EQ(receiver_->stats().messages_rejected, 1);
  // Garbage framing closes the connection.
  client.sendBytes("garbage", 7);
  char buf[16];
  client.setReceiveTimeout(Poco::Timespan(10, 0));
  EXPECT_EQ(client.receiveBytes(buf, sizeof buf), 0);
  EXPECT_EQ(receiver_->stats().connections_broken, 1);
  auto verify = store_->Verify();
  ASSERT_TRUE(verify.ok());
  EXPECT_TRUE(verify->ok);
  EXPECT_EQ(verify->records, 3);
  auto first = store_->Get(1);
  ASSERT_TRUE(first.ok());
  EXPECT_NE(first->json.find("node-1"), std::string::npos);
}

TEST_F(SyslogReceiverTest, StopClosesOpenConnections) {
  Poco::Net::StreamSocket client(Poco::Net::SocketAddress("127.0.0.1", receiver_->port()));
  const std::string f = Frame(1);
  client.sendBytes(f.data(), static_cast<int>(f.size()));
  ASSERT_TRUE(Eventually([&] { return receiver_->stats().messages_stored == 1; }));
  receiver_->Stop();  // returns although the client keeps its connection open
  char buf[16];
  client.setReceiveTimeout(Poco::Timespan(10, 0));
  EXPECT_EQ(client.receiveBytes(buf, sizeof buf), 0);
}

}  // namespace
}  // namespace renkei::audit
