// The C-STORE / C-ECHO SCP (dimse_scp.h) driven by DCMTK's own command-line SCUs
// (`echoscu`, `storescu`, Debian package dcmtk), as a PACS would push.
#include "dicomweb/dimse_scp.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <thread>

#include "dicomweb/dicom_reader.h"
#include "dicomweb/rendered.h"
#include "dicomweb/dicom_test_util.h"

namespace renkei::dicomweb {
namespace {

struct ShellRun {
  int exit_code;
  std::string output;
};

ShellRun Shell(const std::string& command) {
  ShellRun r{-1, ""};
  FILE* p = ::popen((command + " 2>&1").c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0) r.output.append(buf.data(), n);
  const int status = ::pclose(p);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class DimseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/renkei-dimse-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    store_ = std::move(DicomStore::Open(dir_ + "/dicom", {}).value());
    auto scp = DimseScp::Start(*store_, DimseOptions{});
    ASSERT_TRUE(scp.ok()) << scp.status().ToString();
    scp_ = std::move(scp.value());
    target_ = "127.0.0.1 " + std::to_string(scp_->port()) + " -aec RENKEI";
  }
  void TearDown() override {
    scp_.reset();
    store_.reset();
    std::system(("rm -rf " + dir_).c_str());
  }
  std::string dir_;
  std::unique_ptr<DicomStore> store_;
  std::unique_ptr<DimseScp> scp_;
  std::string target_;
};

TEST_F(DimseTest, EchoscuIsAnswered) {
  ShellRun r = Shell("echoscu " + target_);
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST_F(DimseTest, StorescuPushesAreStoredByteForByte) {
  testing::TestInstance a, b;
  b.sop = a.series + ".2";
  b.instance_number = "2";
  ASSERT_TRUE(testing::WriteTestInstance(a, dir_ + "/a.dcm"));
  ASSERT_TRUE(testing::WriteTestInstance(b, dir_ + "/b.dcm"));
  // -xs: propose explicit VR little endian, the files' own transfer syntax.
  ShellRun r = Shell("storescu -xs " + target_ + " " + dir_ + "/a.dcm " + dir_ + "/b.dcm");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto files = store_->Files(a.study, a.series, "");
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  ASSERT_EQ(files->size(), 2u);
  // The received data set is the sent one: same pixels, same attributes (the meta header is
  // the receiver's, so compare the decoded instances and the data set bytes' tail).
  auto sent = ReadDicomFile(dir_ + "/a.dcm");
  auto got = ReadDicomFile((*files)[0].path);
  ASSERT_TRUE(sent.ok() && got.ok());
  EXPECT_EQ(got->metadata_json, sent->metadata_json);
  const std::string sent_bytes = testing::ReadAll(dir_ + "/a.dcm");
  const std::string got_bytes = testing::ReadAll((*files)[0].path);
  const size_t pixels = 16 * 16;
  EXPECT_EQ(got_bytes.substr(got_bytes.size() - pixels), sent_bytes.substr(sent_bytes.size() - pixels));
}

TEST_F(DimseTest, AnInstanceWithoutASeriesIsRefusedWithItsStatus) {
  testing::TestInstance bad;
  bad.series = "1.2..3";  // not a UID
  ASSERT_TRUE(testing::WriteTestInstance(bad, dir_ + "/bad.dcm"));
  ShellRun r = Shell("storescu -v -xs " + target_ + " " + dir_ + "/bad.dcm");
  EXPECT_NE(r.output.find("Received Store Response (Error: DataSetDoesNotMatchSOPClass)"),
            std::string::npos) << r.output;
  QidoQuery q;
  EXPECT_TRUE(store_->Search(q, 10)->empty());
  // And the SCP still serves the next association.
  EXPECT_EQ(Shell("echoscu " + target_).exit_code, 0);
}

// Associations run side by side: a peer that connects and says nothing (or a slow push)
// does not hold up the next PACS.
TEST_F(DimseTest, AnIdleConnectionHoldsUpNobody) {
  const int idle = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(scp_->port()));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(::connect(idle, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const int one_byte = ::socket(AF_INET, SOCK_STREAM, 0);  // starts a PDU, then stalls
  ASSERT_EQ(::connect(one_byte, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::send(one_byte, "\x01", 1, 0), 1);
  const auto start = std::chrono::steady_clock::now();
  ShellRun r = Shell("echoscu -to 10 " + target_);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ::close(idle);
  ::close(one_byte);
}

// dicomweb.max_instance_bytes is applied while a C-STORE data set is received: past it the
// association is aborted (no status can be sent before the data set is read), nothing is
// kept, and the next push is served.
TEST_F(DimseTest, AnOversizedPushIsCutWhileItIsReceived) {
  scp_.reset();
  DimseOptions o;
  o.max_instance_bytes = 20000;
  scp_ = std::move(DimseScp::Start(*store_, o).value());
  target_ = "127.0.0.1 " + std::to_string(scp_->port()) + " -aec RENKEI";
  testing::TestInstance big;
  big.rows = big.columns = 512;  // 256 KiB of pixels
  ASSERT_TRUE(testing::WriteTestInstance(big, dir_ + "/big.dcm"));
  ShellRun r = Shell("storescu -xs " + target_ + " " + dir_ + "/big.dcm");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_EQ(r.output.find("Received Store Response"), std::string::npos) << r.output;
  EXPECT_TRUE(store_->Search(QidoQuery{}, 10)->empty());
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_EQ(Shell("ls " + dir_ + "/dicom/tmp | wc -l").output, "0\n");
  testing::TestInstance small;
  ASSERT_TRUE(testing::WriteTestInstance(small, dir_ + "/small.dcm"));
  r = Shell("storescu -xs " + target_ + " " + dir_ + "/small.dcm");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

// A JPEG-compressed instance (DCMTK's dcmcjpeg): pushed over DIMSE as it is, its frames are
// its JPEG fragments, and it renders (DCMTK's decoders).
TEST_F(DimseTest, ACompressedInstanceIsStoredAsItIsAndServedAsItsFrames) {
  testing::TestInstance t;
  t.rows = t.columns = 64;
  t.frames = 2;
  ASSERT_TRUE(testing::WriteTestInstance(t, dir_ + "/native.dcm"));
  // --encode-baseline: JPEG baseline (1.2.840.10008.1.2.4.50); --uid-never: the same SOP
  // Instance UID (a lossy copy gets a new one by default).
  ShellRun c = Shell("dcmcjpeg --encode-baseline --uid-never " + dir_ + "/native.dcm " + dir_ + "/jpeg.dcm");
  ASSERT_EQ(c.exit_code, 0) << c.output;
  // -xy: propose JPEG baseline, the file's own transfer syntax.
  ShellRun r = Shell("storescu -xy " + target_ + " " + dir_ + "/jpeg.dcm");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  auto files = store_->Files(t.study, t.series, t.sop);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  const StoredFile& f = files->front();
  EXPECT_EQ(f.transfer_syntax_uid, "1.2.840.10008.1.2.4.50");
  EXPECT_EQ(f.pixel_offset, -1);  // encapsulated: no byte ranges
  std::string type;
  auto frames = ReadFrames(f.path, {2}, &type);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  EXPECT_EQ(type, "image/jpeg");
  EXPECT_EQ(frames->front().substr(0, 2), "\xFF\xD8");
  RenderOptions o;
  o.frame = 2;
  o.png = true;
  auto png = RenderImage(f.path, o);
  ASSERT_TRUE(png.ok()) << png.status().ToString();
  EXPECT_EQ(png->substr(1, 3), "PNG");
}

// Lossless JPEG (dcmcjpeg --encode-lossless-sv1) transcoded to explicit VR little endian:
// pixel-identical to the instance before compression.
TEST_F(DimseTest, ALosslessInstanceTranscodesToThePixelsItWasMadeFrom) {
  testing::TestInstance t;
  t.rows = t.columns = 32;
  ASSERT_TRUE(testing::WriteTestInstance(t, dir_ + "/native.dcm"));
  ShellRun c = Shell("dcmcjpeg --encode-lossless-sv1 " + dir_ + "/native.dcm " + dir_ + "/sv1.dcm");
  ASSERT_EQ(c.exit_code, 0) << c.output;
  auto explicit_le = TranscodeToExplicitLittleEndian(dir_ + "/sv1.dcm");
  ASSERT_TRUE(explicit_le.ok()) << explicit_le.status().ToString();
  {
    std::ofstream(dir_ + "/back.dcm", std::ios::binary) << *explicit_le;
  }
  auto back = ReadDicomFile(dir_ + "/back.dcm");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->transfer_syntax_uid, "1.2.840.10008.1.2.1");
  auto before = ReadBulkData(dir_ + "/native.dcm", 0x7FE00010);
  auto after = ReadBulkData(dir_ + "/back.dcm", 0x7FE00010);
  ASSERT_TRUE(before.ok() && after.ok());
  EXPECT_EQ(*after, *before);
}

TEST_F(DimseTest, ListensOnLoopbackOnly) {
  ShellRun r = Shell("ss -ltnH 'sport = :" + std::to_string(scp_->port()) + "'");
  EXPECT_NE(r.output.find("127.0.0.1:" + std::to_string(scp_->port())), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("0.0.0.0:" + std::to_string(scp_->port())), std::string::npos)
      << r.output;
}

}  // namespace
}  // namespace renkei::dicomweb

namespace renkei::dicomweb {
namespace {

// DICOM over TLS, against a PKI made by the openssl command line
// (common/testdata/make_test_pki.sh): DCMTK's echoscu / storescu with +tls.
constexpr char kGoodOid[] = "1.2.392.100495.20.3.51.1.11";

class DimseTlsTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    pki_ = new std::string("/tmp/renkei-dimse-pki-" + std::to_string(::getpid()));
    const std::string script = std::string(std::getenv("RENKEI_SOURCE_DIR")) +
                               "/common/testdata/make_test_pki.sh";
    ASSERT_EQ(std::system((script + " " + *pki_ + " >/dev/null").c_str()), 0);
  }
  static void TearDownTestSuite() {
    std::system(("rm -rf " + *pki_).c_str());
    delete pki_;
  }
  void SetUp() override {
    char dir[] = "/tmp/renkei-dimse-tls-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    store_ = std::move(DicomStore::Open(dir_ + "/dicom", {}).value());
  }
  void TearDown() override {
    scp_.reset();
    store_.reset();
    std::system(("rm -rf " + dir_).c_str());
  }
  // Starts the SCP over TLS admitting facility `admitted` only.
  void Start(const std::string& admitted) {
    DimseOptions o;
    o.tls = {F("server.cert.pem"), F("server.key.pem"), F("ca.cert.pem"), F("crl-revoked.pem")};
    o.admit = [admitted](const Peer& p) {
      return p.facility_oid == admitted
                 ? Status::Ok()
                 : Status::PermissionDenied("", "facility " + p.facility_oid + " may not push");
    };
    auto scp = DimseScp::Start(*store_, o);
    ASSERT_TRUE(scp.ok()) << scp.status().ToString();
    scp_ = std::move(scp.value());
  }
  static std::string F(const std::string& name) { return *pki_ + "/" + name; }
  // `tool` (echoscu / storescu) as client `who` of the test PKI, over TLS.
  std::string As(const std::string& tool, const std::string& who) const {
    return tool + " +tls " + F(who + ".key.pem") + " " + F(who + ".cert.pem") + " +cf " +
           F("ca.cert.pem") + " 127.0.0.1 " + std::to_string(scp_->port()) + " -aec RENKEI";
  }

  static std::string* pki_;
  std::string dir_;
  std::unique_ptr<DicomStore> store_;
  std::unique_ptr<DimseScp> scp_;
};
std::string* DimseTlsTest::pki_ = nullptr;

TEST_F(DimseTlsTest, TheOwnFacilityPushesOverMutualTls) {
  Start(kGoodOid);
  ShellRun echo = Shell(As("echoscu", "good"));
  EXPECT_EQ(echo.exit_code, 0) << echo.output;
  testing::TestInstance t;
  ASSERT_TRUE(testing::WriteTestInstance(t, dir_ + "/t.dcm"));
  ShellRun store = Shell(As("storescu -xs", "good") + " " + dir_ + "/t.dcm");
  ASSERT_EQ(store.exit_code, 0) << store.output;
  auto files = store_->Files(t.study, t.series, t.sop);
  ASSERT_TRUE(files.ok()) << files.status().ToString();
  EXPECT_EQ(files->size(), 1u);
}

TEST_F(DimseTlsTest, EveryOtherPeerIsRefusedBeforeItsAssociation) {
  Start(kGoodOid);
  testing::TestInstance t;
  ASSERT_TRUE(testing::WriteTestInstance(t, dir_ + "/t.dcm"));
  const std::string port = std::to_string(scp_->port());
  struct Case {
    const char* name;
    std::string command;
  };
  const Case cases[] = {
      {"plain TCP", "storescu -xs 127.0.0.1 " + port + " -aec RENKEI " + dir_ + "/t.dcm"},
      {"no client certificate", "storescu -xs +tla +cf " + F("ca.cert.pem") + " 127.0.0.1 " +
                                    port + " -aec RENKEI " + dir_ + "/t.dcm"},
      {"revoked", As("storescu -xs", "revoked") + " " + dir_ + "/t.dcm"},
      {"another CA", As("storescu -xs", "stranger") + " " + dir_ + "/t.dcm"},
      {"no facility OID", As("storescu -xs", "nooid") + " " + dir_ + "/t.dcm"},
  };
  for (const Case& c : cases) {
    ShellRun r = Shell(c.command);
    EXPECT_NE(r.exit_code, 0) << c.name << ": " << r.output;
  }
  EXPECT_TRUE(store_->Search(QidoQuery{}, 10)->empty());
  // And the SCP still serves the next peer.
  EXPECT_EQ(Shell(As("echoscu", "good")).exit_code, 0);
}

TEST_F(DimseTlsTest, AnotherFacilityIsRefused) {
  Start("1.2.392.100495.20.3.51.1.12");
  ShellRun r = Shell(As("echoscu", "good"));
  EXPECT_NE(r.exit_code, 0) << r.output;
}

}  // namespace
}  // namespace renkei::dicomweb
