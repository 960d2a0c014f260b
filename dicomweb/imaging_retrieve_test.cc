// RAD-69's choices (imaging_retrieve.h): which instances, in which transfer syntax, and the
// RegistryError of each refusal. Over SOAP: tests/conformance (NIST ids_2018-48xx) and
// tests/e2e (with access tickets).
#include "dicomweb/imaging_retrieve.h"

#include <gtest/gtest.h>

#include <cstdlib>

#include "dicomweb/dicom_test_util.h"

namespace renkei::dicomweb {
namespace {

constexpr char kRepository[] = "1.2.392.1.50";
constexpr char kExplicit[] = "1.2.840.10008.1.2.1";
constexpr char kLosslessSv1[] = "1.2.840.10008.1.2.4.70";

class ImagingRetrieveTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/renkei-rad69-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    store_ = std::move(DicomStore::Open(dir_ + "/dicom", {}).value());
    native_.sop = native_.series + ".1";
    compressed_ = native_;
    compressed_.sop = native_.series + ".2";
    compressed_.instance_number = "2";
    ASSERT_TRUE(Put(native_, false));
    ASSERT_TRUE(Put(compressed_, true));
  }
  void TearDown() override {
    store_.reset();
    std::system(("rm -rf " + dir_).c_str());
  }
  bool Put(const testing::TestInstance& t, bool jpeg) {
    const std::string src = dir_ + "/" + t.sop + ".dcm";
    if (!testing::WriteTestInstance(t, src)) return false;
    std::string path = src;
    if (jpeg) {
      path = src + ".sv1";
      if (std::system(("dcmcjpeg --encode-lossless-sv1 " + src + " " + path).c_str()) != 0) {
        return false;
      }
    }
    auto in = store_->Begin();
    return in.ok() && (*in)->Write(testing::ReadAll(path)).ok() && store_->Store(**in, "").ok();
  }
  xds::ImagingDocumentRequest Ask(const testing::TestInstance& t) const {
    return {t.study, t.series, {"", kRepository, t.sop}};
  }
  ImagingRetrieveAnswer Retrieve(std::vector<xds::ImagingDocumentRequest> docs,
                                 std::vector<std::string> syntaxes,
                                 const StudyAccess& access = StudyAccess::Everything()) {
    return RetrieveImagingDocumentSet(*store_, {std::move(docs), std::move(syntaxes)}, access,
                                      kRepository);
  }

  std::string dir_;
  std::unique_ptr<DicomStore> store_;
  testing::TestInstance native_, compressed_;
};

TEST_F(ImagingRetrieveTest, TheStoredSyntaxIsSentFromTheFile) {
  ImagingRetrieveAnswer a = Retrieve({Ask(native_), Ask(compressed_)}, {kLosslessSv1, kExplicit});
  EXPECT_TRUE(a.errors.empty());
  ASSERT_EQ(a.instances.size(), 2u);
  EXPECT_EQ(a.instances[0].file.sop_instance_uid, native_.sop);
  EXPECT_EQ(a.instances[0].transfer_syntax_uid, kExplicit);
  EXPECT_TRUE(a.instances[0].transcoded.empty());
  EXPECT_EQ(a.instances[1].transfer_syntax_uid, kLosslessSv1);
  EXPECT_TRUE(a.instances[1].transcoded.empty());
}

TEST_F(ImagingRetrieveTest, TheConsumersOrderDecidesAndDecodingIsOffered) {
  // Explicit VR little endian first: the JPEG instance is decoded, pixel for pixel.
  ImagingRetrieveAnswer a = Retrieve({Ask(compressed_)}, {kExplicit, kLosslessSv1});
  ASSERT_TRUE(a.errors.empty());
  ASSERT_EQ(a.instances.size(), 1u);
  EXPECT_EQ(a.instances[0].transfer_syntax_uid, kExplicit);
  std::string pixels;  // what the test instance was made with (dicom_test_util.h)
  for (int i = 0; i < 256; ++i) pixels += static_cast<char>(static_cast<uint8_t>(i * 7));
  EXPECT_NE(a.instances[0].transcoded.find(pixels), std::string::npos);
  // Only JPEG baseline asked: neither the stored syntax nor a decoded one will do.
  a = Retrieve({Ask(native_), Ask(compressed_)}, {"1.2.840.10008.1.2.4.50"});
  EXPECT_TRUE(a.instances.empty());
  ASSERT_EQ(a.errors.size(), 2u);
  EXPECT_EQ(a.errors[0].error_code, "XDSRepositoryError");
  EXPECT_EQ(a.errors[0].location, native_.sop);
  // NIST ids_2018-4811 case-08 / case-09: an empty and an unknown transfer syntax.
  EXPECT_EQ(Retrieve({Ask(native_)}, {""}).errors.at(0).error_code, "XDSRepositoryError");
  EXPECT_EQ(Retrieve({Ask(native_)}, {"1.2.840.10008.1.2.1.999"}).errors.at(0).error_code,
            "XDSRepositoryError");
}

TEST_F(ImagingRetrieveTest, EachRefusalHasItsCodeAndTheRestIsServed) {
  xds::ImagingDocumentRequest other_repository = Ask(native_);
  other_repository.document.repository_unique_id = std::string(kRepository) + ".999";
  xds::ImagingDocumentRequest no_study = Ask(native_);
  no_study.study_instance_uid = "";
  xds::ImagingDocumentRequest no_series = Ask(native_);
  no_series.series_instance_uid = "";
  xds::ImagingDocumentRequest unknown = Ask(native_);
  unknown.document.document_unique_id = native_.series + ".77";
  xds::ImagingDocumentRequest other_series = Ask(native_);
  other_series.series_instance_uid = native_.series + ".5";
  xds::ImagingDocumentRequest other_study = Ask(native_);
  other_study.study_instance_uid = native_.study + ".5";
  ImagingRetrieveAnswer a = Retrieve({other_repository, no_study, no_series, unknown, other_series,
                                      other_study, Ask(compressed_)},
                                     {kExplicit, kLosslessSv1});
  ASSERT_EQ(a.instances.size(), 1u);
  EXPECT_EQ(a.instances[0].file.sop_instance_uid, compressed_.sop);
  const char* const codes[] = {"XDSUnknownRepositoryId", "XDSIRequestError", "XDSIRequestError",
                               "XDSDocumentUniqueIdError", "XDSDocumentUniqueIdError",
                               "XDSDocumentUniqueIdError"};
  ASSERT_EQ(a.errors.size(), std::size(codes));
  for (size_t i = 0; i < std::size(codes); ++i) {
    EXPECT_EQ(a.errors[i].error_code, codes[i]) << i;
    EXPECT_EQ(a.errors[i].severity, xds::Severity::kError);
  }
}

TEST_F(ImagingRetrieveTest, AStudyTheTicketDoesNotCoverIsRefused) {
  StudyAccess ticket;
  ticket.all = false;
  ticket.studies = {"1.2.3.4"};
  ImagingRetrieveAnswer a = Retrieve({Ask(native_)}, {kExplicit}, ticket);
  EXPECT_TRUE(a.instances.empty());
  ASSERT_EQ(a.errors.size(), 1u);
  EXPECT_EQ(a.errors[0].error_code, "AuthorizationException");
  ticket.studies.push_back(native_.study);
  EXPECT_EQ(Retrieve({Ask(native_)}, {kExplicit}, ticket).instances.size(), 1u);
}

TEST_F(ImagingRetrieveTest, HomeCommunityIdIsEchoed) {
  xds::ImagingDocumentRequest r = Ask(native_);
  r.document.home_community_id = "urn:oid:1.2.392.9";
  ImagingRetrieveAnswer a = Retrieve({r, Ask(native_)}, {kExplicit});
  ASSERT_EQ(a.instances.size(), 2u);
  EXPECT_EQ(a.instances[0].home_community_id, "urn:oid:1.2.392.9");
  EXPECT_EQ(a.instances[1].home_community_id, "");
}

}  // namespace
}  // namespace renkei::dicomweb
