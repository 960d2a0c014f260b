// The PIX Manager of a running `renkei centre` over MLLP (ITI-8 feed, ITI-9 query), and the
// registry accepting the regional IDs it assigns. The HL7 here is written and read by hand
// (segments split on CR, fields on '|'), independent of the centre's own codec.
#include <gtest/gtest.h>

#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>

#include <chrono>
#include <string>
#include <vector>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

constexpr char kHospA[] = "1.2.392.100495.20.3.51.11310000001";
constexpr char kHospB[] = "1.2.392.100495.20.3.51.11310000002";

class MllpClient {
 public:
  explicit MllpClient(int port)
      : socket_(Poco::Net::SocketAddress("127.0.0.1", static_cast<Poco::UInt16>(port))) {
    socket_.setReceiveTimeout(Poco::Timespan(10, 0));
  }
  void SendRaw(const std::string& bytes) {
    size_t sent = 0;
    while (sent < bytes.size()) {
      sent += static_cast<size_t>(
          socket_.sendBytes(bytes.data() + sent, static_cast<int>(bytes.size() - sent)));
    }
  }
  // Sends one framed message and returns the reply's segments ("" when none came).
  std::vector<std::string> Exchange(const std::string& message) {
    SendRaw("\x0b" + message + "\x1c\r");
    std::string got;
    char buf[4096];
    while (got.find('\x1c') == std::string::npos) {
      int n = 0;
      try {
        n = socket_.receiveBytes(buf, sizeof buf);
      } catch (const Poco::Exception&) {
        break;
      }
      if (n <= 0) break;
      got.append(buf, static_cast<size_t>(n));
    }
    std::vector<std::string> segments;
    const size_t start = got.find('\x0b');
    const size_t end = got.find('\x1c');
    if (start == std::string::npos || end == std::string::npos) return segments;
    std::string body = got.substr(start + 1, end - start - 1);
    size_t pos = 0;
    while (pos < body.size()) {
      size_t cr = body.find('\r', pos);
      if (cr == std::string::npos) cr = body.size();
      if (cr > pos) segments.push_back(body.substr(pos, cr - pos));
      pos = cr + 1;
    }
    return segments;
  }
  // True when the centre closed the connection.
  bool Closed() {
    char c;
    try {
      return socket_.receiveBytes(&c, 1) == 0;
    } catch (const Poco::Exception&) {
      return true;
    }
  }

 private:
  Poco::Net::StreamSocket socket_;
};

std::vector<std::string> Fields(const std::string& segment) {
  std::vector<std::string> out;
  size_t pos = 0;
  while (true) {
    size_t bar = segment.find('|', pos);
    out.push_back(segment.substr(pos, bar == std::string::npos ? std::string::npos : bar - pos));
    if (bar == std::string::npos) return out;
    pos = bar + 1;
  }
}

// Field n of the first segment named `id` ("" when absent); MSH counts MSH-1 as the '|'.
std::string Field(const std::vector<std::string>& segments, const std::string& id, size_t n) {
  for (const std::string& s : segments) {
    if (s.compare(0, 3, id) != 0) continue;
    std::vector<std::string> f = Fields(s);
    const size_t index = id == "MSH" ? n - 1 : n;
    return index < f.size() ? f[index] : "";
  }
  return "";
}

std::string Adt(const std::string& event, const std::string& control, const std::string& pid3,
                const std::string& name) {
  return "MSH|^~\\&|EMR|HOSP_A|RENKEI|CENTRE|20261125100000||ADT^" + event + "^ADT_A01|" +
         control + "|P|2.5||||||UNICODE UTF-8\rEVN|" + event + "|20261125100000\rPID|1||" + pid3 +
         "||" + name + "||19600101|M\rPV1|1|O\r";
}

std::string Qbp(const std::string& pid, const std::string& domains) {
  return "MSH|^~\\&|VIEWER|CLINIC|RENKEI|CENTRE|20261125100000||QBP^Q23^QBP_Q21|Q-1|P|2.5\r"
         "QPD|IHE PIX Query|TAG-1|" + pid + "|" + domains + "\rRCP|I\r";
}

std::unique_ptr<CentreProcess> StartCentre(std::vector<std::string> overrides = {}) {
  CentreOptions o;
  o.overrides = std::move(overrides);
  std::string error;
  auto c = CentreProcess::Start(o, &error);
  EXPECT_NE(c, nullptr) << error;
  return c;
}

TEST(PixMllp, FeedLinksTwoHospitalsAndTheRegistryAcceptsTheRegionalId) {
  auto centre = StartCentre();
  ASSERT_NE(centre, nullptr);
  MllpClient mllp(centre->mllp_port());
  // ITI-8: hospital A's and hospital B's ids of one person, in one feed.
  std::vector<std::string> ack = mllp.Exchange(
      Adt("A01", "CTRL-1",
          std::string("1001^^^&") + kHospA + "&ISO~B-77^^^&" + kHospB + "&ISO",
          "山田^太郎^^^^^L^I~ヤマダ^タロウ^^^^^L^P"));
  ASSERT_FALSE(ack.empty());
  EXPECT_EQ(Field(ack, "MSH", 9), "ACK^A01^ACK");
  EXPECT_EQ(Field(ack, "MSA", 1), "AA");
  EXPECT_EQ(Field(ack, "MSA", 2), "CTRL-1");

  // ITI-9 on the same connection: hospital B's id in the regional domain.
  std::vector<std::string> rsp =
      mllp.Exchange(Qbp(std::string("B-77^^^&") + kHospB + "&ISO",
                        std::string("^^^&") + kRegionalDomain + "&ISO"));
  EXPECT_EQ(Field(rsp, "MSA", 1), "AA");
  EXPECT_EQ(Field(rsp, "QAK", 2), "OK");
  const std::string pid3 = Field(rsp, "PID", 3);
  const std::string regional = pid3.substr(0, pid3.find('^'));
  EXPECT_EQ(pid3, regional + "^^^&" + kRegionalDomain + "&ISO");
  ASSERT_FALSE(regional.empty());

  // ITI-42 with that regional ID is accepted; with an unknown one it is XDSUnknownPatientId.
  const std::string xds_pid = regional + "^^^&" + kRegionalDomain + "&ISO";
  const TestSubmission submission = NewSubmission(xds_pid, 2);
  SoapAnswer ok = ReadSoap(
      PostSoap(centre->base_url(), wire::kActionRegister,
               Soap12(wire::kActionRegister, centre->registry_url(),
                      SubmitObjectsRequestXml(submission)))
          .body);
  EXPECT_EQ(ok.status, wire::kSuccess) << (ok.error_codes.empty() ? "" : ok.error_codes[0]);

  // `renkei query` by hospital B's own ID: PIXm to the regional ID, then FindDocuments.
  RunResult by_local = RunRenkei({"query", "--centre", centre->base_url(), "--local-id", "B-77",
                                  "--authority", kHospB, "--regional-oid", kRegionalDomain});
  EXPECT_EQ(by_local.exit_code, 0) << by_local.err;
  EXPECT_NE(by_local.out.find("is " + xds_pid + " in the region"), std::string::npos)
      << by_local.out;
  EXPECT_NE(by_local.out.find("2 documents of " + xds_pid), std::string::npos) << by_local.out;
  for (const std::string& uid : submission.document_unique_ids) {
    EXPECT_NE(by_local.out.find("uniqueId " + uid), std::string::npos) << by_local.out;
  }
  // By the regional ID itself; and an ID the PIX Manager does not know.
  RunResult by_regional =
      RunRenkei({"query", "--centre", centre->base_url(), "--patient-id", xds_pid});
  EXPECT_EQ(by_regional.exit_code, 0) << by_regional.err;
  EXPECT_NE(by_regional.out.find("2 documents of"), std::string::npos) << by_regional.out;
  RunResult unknown_local = RunRenkei({"query", "--centre", centre->base_url(), "--local-id",
                                       "B-78", "--authority", kHospB, "--regional-oid",
                                       kRegionalDomain});
  EXPECT_EQ(unknown_local.exit_code, 1);
  EXPECT_NE(unknown_local.err.find("does not know B-78"), std::string::npos) << unknown_local.err;
  EXPECT_EQ(unknown_local.out, "");
  RunResult usage = RunRenkei({"query", "--centre", centre->base_url(), "--local-id", "B-77"});
  EXPECT_EQ(usage.exit_code, 2);
  SoapAnswer unknown = ReadSoap(
      PostSoap(centre->base_url(), wire::kActionRegister,
               Soap12(wire::kActionRegister, centre->registry_url(),
                      SubmitObjectsRequestXml(NewSubmission(
                          std::string("R0000009999^^^&") + kRegionalDomain + "&ISO"))))
          .body);
  EXPECT_EQ(unknown.status, wire::kFailure);
  ASSERT_FALSE(unknown.error_codes.empty());
  EXPECT_EQ(unknown.error_codes[0], "XDSUnknownPatientId");
}

TEST(PixMllp, BrokenInputGetsArOrAClosedConnectionAndChangesNothing) {
  auto centre = StartCentre({"mllp.max_message_bytes=2048", "mllp.idle_timeout_seconds=1"});
  ASSERT_NE(centre, nullptr);
  {
    MllpClient garbage(centre->mllp_port());
    std::vector<std::string> ar = garbage.Exchange("not an HL7 message at all");
    EXPECT_EQ(Field(ar, "MSA", 1), "AR");
    // Unknown message type and broken charset bytes on the same connection.
    EXPECT_EQ(Field(garbage.Exchange("MSH|^~\\&|A|B|C|D|1||ORU^R01|X1|P|2.5\rPID|1\r"), "MSA", 1),
              "AR");
    std::vector<std::string> bytes = garbage.Exchange(
        "MSH|^~\\&|A|B|C|D|1||ADT^A01|X2|P|2.5||||||UNICODE UTF-8\rPID|1||\xff\xfe^^^&1.2&ISO\r");
    EXPECT_EQ(Field(bytes, "MSA", 1), "AR");
    EXPECT_EQ(Field(bytes, "MSA", 2), "X2");
  }
  {
    MllpClient big(centre->mllp_port());
    big.SendRaw("\x0b" + std::string(4096, 'X'));
    EXPECT_TRUE(big.Closed());
  }
  {
    MllpClient half(centre->mllp_port());
    half.SendRaw("\x0bMSH|^~\\&|A|B|C|D|1||ADT^A01|H1|P|2.5\rPID|1||77^^^&1.2&ISO");
    const auto t0 = std::chrono::steady_clock::now();
    EXPECT_TRUE(half.Closed());
    EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  }
  // Nothing was created: the half-sent patient is unknown; the centre still answers.
  MllpClient after(centre->mllp_port());
  std::vector<std::string> rsp = after.Exchange(Qbp("77^^^&1.2&ISO", ""));
  EXPECT_EQ(Field(rsp, "MSA", 1), "AE");
  EXPECT_EQ(Field(rsp, "QAK", 2), "AE");
  EXPECT_TRUE(centre->alive());
}

}  // namespace
}  // namespace renkei::e2e
