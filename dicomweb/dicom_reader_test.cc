// DICOM Part 10 decoding (dicom_reader.h): attributes, DICOM JSON metadata, refusals.
#include "dicomweb/dicom_reader.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "dicomweb/dicom_test_util.h"

namespace renkei::dicomweb {
namespace {

class ReaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/renkei-dicom-reader-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
  }
  void TearDown() override { std::system(("rm -rf " + dir_).c_str()); }
  std::string dir_;
};

TEST_F(ReaderTest, ReadsTheIndexedAttributesAndTheMetadata) {
  testing::TestInstance t;
  t.frames = 3;
  const std::string path = dir_ + "/a.dcm";
  ASSERT_TRUE(testing::WriteTestInstance(t, path));
  auto d = ReadDicomFile(path);
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_EQ(d->study_uid, t.study);
  EXPECT_EQ(d->series_uid, t.series);
  EXPECT_EQ(d->sop_instance_uid, t.sop);
  EXPECT_EQ(d->sop_class_uid, t.sop_class);
  EXPECT_EQ(d->patient_id, "P1");
  EXPECT_EQ(d->patient_name, "Yamada^Taro");
  EXPECT_EQ(d->modality, "CT");
  EXPECT_EQ(d->transfer_syntax_uid, "1.2.840.10008.1.2.1");
  EXPECT_EQ(d->rows, 16);
  EXPECT_EQ(d->number_of_frames, 3);
  EXPECT_EQ(d->bits_allocated, 8);
  // Native pixel data last in the file: frames are byte ranges of it.
  EXPECT_EQ(d->pixel_offset, static_cast<int64_t>(testing::ReadAll(path).size()) - 16 * 16 * 3);
  rapidjson::Document doc;
  doc.Parse(d->metadata_json.c_str());
  ASSERT_FALSE(doc.HasParseError()) << d->metadata_json;
  ASSERT_TRUE(doc.IsObject());
  EXPECT_STREQ(doc["00080018"]["Value"][0].GetString(), t.sop.c_str());
  // Pixel data is a BulkDataURI under the instance URL marker, never inline.
  EXPECT_NE(d->metadata_json.find("\"7FE00010\":{\"vr\":\"OB\",\"BulkDataURI\":\"@INSTANCE@/bulkdata/7FE00010\"}"),
            std::string::npos)
      << d->metadata_json;
  EXPECT_EQ(d->metadata_json.find("InlineBinary"), std::string::npos);
  EXPECT_NE(d->metadata_json.find("\"00100020\":{\"vr\":\"LO\",\"Value\":[\"P1\"]}"),
            std::string::npos);
  EXPECT_EQ(d->metadata_json.find("\"00020010\""), std::string::npos);  // no meta header
}

TEST_F(ReaderTest, RefusesWhatIsNotDicomPart10) {
  const std::string path = dir_ + "/text.dcm";
  std::ofstream(path) << "this is not DICOM";
  auto d = ReadDicomFile(path);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(FailureReasonOf(d.status()), kFailureCannotUnderstand);
}

TEST_F(ReaderTest, RefusesATruncatedFile) {
  testing::TestInstance t;
  t.rows = t.columns = 256;
  const std::string path = dir_ + "/a.dcm";
  ASSERT_TRUE(testing::WriteTestInstance(t, path));
  const std::string whole = testing::ReadAll(path);
  std::ofstream(path, std::ios::binary | std::ios::trunc) << whole.substr(0, whole.size() - 1000);
  auto d = ReadDicomFile(path);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(FailureReasonOf(d.status()), kFailureCannotUnderstand);
}

TEST_F(ReaderTest, RefusesAnInstanceWithoutAValidUid) {
  testing::TestInstance t;
  t.series = "1.2.x";
  const std::string path = dir_ + "/a.dcm";
  ASSERT_TRUE(testing::WriteTestInstance(t, path));
  auto d = ReadDicomFile(path);
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(FailureReasonOf(d.status()), kFailureDoesNotMatch);
  EXPECT_NE(d.status().message().find("SeriesInstanceUID"), std::string::npos);
}

TEST_F(ReaderTest, ReadFramesSlicesNativePixelData) {
  testing::TestInstance t;
  t.frames = 3;
  const std::string path = dir_ + "/a.dcm";
  ASSERT_TRUE(testing::WriteTestInstance(t, path));
  std::string type;
  auto frames = ReadFrames(path, {3, 1}, &type);
  ASSERT_TRUE(frames.ok()) << frames.status().ToString();
  EXPECT_EQ(type, "application/octet-stream");
  ASSERT_EQ(frames->size(), 2u);
  ASSERT_EQ((*frames)[0].size(), 256u);
  for (size_t i = 0; i < 256; ++i) {
    ASSERT_EQ(static_cast<uint8_t>((*frames)[0][i]), static_cast<uint8_t>((512 + i) * 7));
    ASSERT_EQ(static_cast<uint8_t>((*frames)[1][i]), static_cast<uint8_t>(i * 7));
  }
  EXPECT_EQ(ReadFrames(path, {4}, &type).status().code(), StatusCode::kNotFound);
}

TEST_F(ReaderTest, ReadBulkDataAnswersTheElementsBytes) {
  testing::TestInstance t;
  const std::string path = dir_ + "/a.dcm";
  ASSERT_TRUE(testing::WriteTestInstance(t, path));
  auto pixels = ReadBulkData(path, 0x7FE00010);
  ASSERT_TRUE(pixels.ok()) << pixels.status().ToString();
  ASSERT_EQ(pixels->size(), 256u);
  EXPECT_EQ(static_cast<uint8_t>((*pixels)[3]), 21);
  EXPECT_EQ(ReadBulkData(path, 0x00091000).status().code(), StatusCode::kNotFound);
}

TEST(UidTest, Syntax) {
  EXPECT_TRUE(IsValidUid("1.2.840.10008.1.2.1"));
  EXPECT_FALSE(IsValidUid(""));
  EXPECT_FALSE(IsValidUid("1..2"));
  EXPECT_FALSE(IsValidUid(".1.2"));
  EXPECT_FALSE(IsValidUid("1.2."));
  EXPECT_FALSE(IsValidUid("1.2/../3"));
  EXPECT_FALSE(IsValidUid(std::string(65, '1')));
}

}  // namespace
}  // namespace renkei::dicomweb
