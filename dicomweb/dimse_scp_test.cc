// The C-STORE / C-ECHO SCP (dimse_scp.h) driven by DCMTK's own command-line SCUs
// (`echoscu`, `storescu`, Debian package dcmtk), as a PACS would push.
#include "dicomweb/dimse_scp.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <fstream>

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
