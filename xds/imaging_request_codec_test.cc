// RAD-69 Retrieve Imaging Document Set requests (repository_codec.h): NIST's requests
// (conformance/xds/xdsi), a round trip, and what the decoder refuses.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "xds/internal/codec_test_util.h"
#include "xds/internal/test_vectors.h"
#include "xds/repository_codec.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using testing::ExpectInvalid;

Result<SoapMessage> Request(const std::string& body) {
  return SoapMessage::Parse(
      EncodeSoapRequest(kActionRetrieveImagingDocumentSet, "http://node.example/xds", body),
      SoapLimits{});
}

std::string Nist(const std::string& relative) {
  return testing::ReadFile(testing::XdsVectorDir() / "xdsi" / relative);
}

TEST(DecodeImagingRequest, NistSingleImage) {
  const std::string body = Nist("ids_2018-4803a_rad69-retrieve-single-image/Rad69RetrieveRequest/rad69-request.xml");
  ASSERT_FALSE(body.empty());
  Result<SoapMessage> m = Request(body);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<RetrieveImagingDocumentSetRequest> r = DecodeRetrieveImagingDocumentSetRequest(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->documents.size(), 1u);
  const ImagingDocumentRequest& d = r->documents[0];
  EXPECT_EQ(d.study_instance_uid, "1.3.6.1.4.1.14519.5.2.1.2857.3273.184862055846930271614754681036");
  EXPECT_EQ(d.series_instance_uid, "1.3.6.1.4.1.14519.5.2.1.2857.3273.181092492540572112241403328675");
  EXPECT_EQ(d.document.repository_unique_id, "1.3.6.1.4.1.21367.13.80.110");
  EXPECT_EQ(d.document.document_unique_id,
            "1.3.6.1.4.1.14519.5.2.1.2857.3273.393987221165344252190796851776");
  EXPECT_TRUE(d.document.home_community_id.empty());
  EXPECT_EQ(r->transfer_syntax_uids, std::vector<std::string>{"1.2.840.10008.1.2.1"});
}

// Every NIST request decodes; what is wrong in the exception cases (empty UIDs, a bad
// transfer syntax) is the retrieve's to answer, with RegistryErrors.
TEST(DecodeImagingRequest, EveryNistRequestDecodes) {
  const char* const files[] = {
      "ids_2018-4811_rad69-exception-cases/case-00_Comparison_Transaction/rad69-request.xml",
      "ids_2018-4811_rad69-exception-cases/case-01_Invalid_RepositoryUID/rad69-request.xml",
      "ids_2018-4811_rad69-exception-cases/case-02_Unknown_SOP_Instance_UID/rad69-request.xml",
      "ids_2018-4811_rad69-exception-cases/case-05_Empty_Study_Instance_UID/rad69-request.xml",
      "ids_2018-4811_rad69-exception-cases/case-07_Empty_Study_and_Series_Instance_UIDs/rad69-request.xml",
      "ids_2018-4811_rad69-exception-cases/case-08_Empty_Transfer_Syntax_UID/rad69-request.xml",
      "ids_2018-4811_rad69-exception-cases/case-09_Invalid_Transfer_Syntax_UID/rad69-request.xml",
      "ids_2018-4820_rad69-homecommunityid/case-01_With_HomeCommunityID/rad69-request.xml",
  };
  for (const char* f : files) {
    SCOPED_TRACE(f);
    Result<SoapMessage> m = Request(Nist(f));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Result<RetrieveImagingDocumentSetRequest> r = DecodeRetrieveImagingDocumentSetRequest(*m);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_EQ(r->documents.size(), 1u);
    ASSERT_FALSE(r->transfer_syntax_uids.empty());
  }
  Result<SoapMessage> m = Request(Nist(files[4]));
  ASSERT_TRUE(m.ok());
  auto empty = DecodeRetrieveImagingDocumentSetRequest(*m);
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->documents[0].study_instance_uid, "");
  EXPECT_EQ(empty->documents[0].series_instance_uid, "");
  m = Request(Nist(files[5]));
  auto no_ts = DecodeRetrieveImagingDocumentSetRequest(*m);
  ASSERT_TRUE(no_ts.ok());
  EXPECT_EQ(no_ts->transfer_syntax_uids, std::vector<std::string>{""});
  m = Request(Nist(files[7]));
  auto hcid = DecodeRetrieveImagingDocumentSetRequest(*m);
  ASSERT_TRUE(hcid.ok());
  EXPECT_EQ(hcid->documents[0].document.home_community_id, "urn:oid:1.3.6.1.4.1.21367.13.70.200");
}

TEST(ImagingRequestRoundTrip, GroupsByStudyAndSeries) {
  RetrieveImagingDocumentSetRequest in;
  in.documents = {{"1.2.1", "1.2.1.1", {"", "1.9", "1.2.1.1.1"}},
                  {"1.2.1", "1.2.1.1", {"urn:oid:1.8", "1.9", "1.2.1.1.2"}},
                  {"1.2.1", "1.2.1.2", {"", "1.9", "1.2.1.2.1"}},
                  {"1.2.2", "1.2.2.1", {"", "1.9", "odd & <uid>"}}};
  in.transfer_syntax_uids = {"1.2.840.10008.1.2.4.50", "1.2.840.10008.1.2.1"};
  const std::string xml = EncodeRetrieveImagingDocumentSetRequest(in);
  EXPECT_EQ(xml.find("<iherad:StudyRequest", xml.find("<iherad:StudyRequest") + 1),
            xml.rfind("<iherad:StudyRequest"));  // two StudyRequests
  Result<SoapMessage> m = Request(xml);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<RetrieveImagingDocumentSetRequest> out = DecodeRetrieveImagingDocumentSetRequest(*m);
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  ASSERT_EQ(out->documents.size(), in.documents.size());
  for (size_t i = 0; i < in.documents.size(); ++i) {
    EXPECT_EQ(out->documents[i].study_instance_uid, in.documents[i].study_instance_uid);
    EXPECT_EQ(out->documents[i].series_instance_uid, in.documents[i].series_instance_uid);
    EXPECT_EQ(out->documents[i].document.home_community_id, in.documents[i].document.home_community_id);
    EXPECT_EQ(out->documents[i].document.document_unique_id,
              in.documents[i].document.document_unique_id);
  }
  EXPECT_EQ(out->transfer_syntax_uids, in.transfer_syntax_uids);
}

TEST(DecodeImagingRequest, ErrorCases) {
  const std::string ns = std::string(" xmlns=\"") + kNsXdsiB + "\" xmlns:b=\"" + kNsXdsb + "\"";
  const std::string doc =
      "<b:DocumentRequest><b:RepositoryUniqueId>1.2</b:RepositoryUniqueId>"
      "<b:DocumentUniqueId>1.2.3</b:DocumentUniqueId></b:DocumentRequest>";
  const std::string ts = "<TransferSyntaxUIDList><TransferSyntaxUID>1.2.840.10008.1.2.1"
                         "</TransferSyntaxUID></TransferSyntaxUIDList>";
  auto body = [&](const std::string& inner) {
    return "<RetrieveImagingDocumentSetRequest" + ns + ">" + inner +
           "</RetrieveImagingDocumentSetRequest>";
  };
  auto study = [](const std::string& inner) {
    return "<StudyRequest studyInstanceUID=\"1.2\"><SeriesRequest seriesInstanceUID=\"1.2.1\">" +
           inner + "</SeriesRequest></StudyRequest>";
  };
  struct Case {
    const char* name;
    std::string body;
    const char* location;
    const char* message;
  };
  const Case cases[] = {
      {"ITI-43 body", "<b:RetrieveDocumentSetRequest xmlns:b=\"" + std::string(kNsXdsb) + "\">" + doc +
                          "</b:RetrieveDocumentSetRequest>",
       "", "expected iherad:RetrieveImagingDocumentSetRequest"},
      {"no StudyRequest", body(ts), "", "has no StudyRequest"},
      {"no SeriesRequest", body("<StudyRequest studyInstanceUID=\"1.2\"/>" + ts),
       "StudyRequest[1]", "has no SeriesRequest"},
      {"no DocumentRequest", body(study("") + ts), "StudyRequest[1]/SeriesRequest[1]",
       "has no DocumentRequest"},
      {"no DocumentUniqueId",
       body(study("<b:DocumentRequest><b:RepositoryUniqueId>1</b:RepositoryUniqueId>"
                  "</b:DocumentRequest>") + ts),
       "StudyRequest[1]/SeriesRequest[1]/DocumentRequest[1]", "has no DocumentUniqueId"},
      {"no TransferSyntaxUIDList", body(study(doc)), "", "has no TransferSyntaxUIDList"},
      {"empty TransferSyntaxUIDList", body(study(doc) + "<TransferSyntaxUIDList/>"),
       "TransferSyntaxUIDList", "has no TransferSyntaxUID"},
      {"something after the list", body(study(doc) + ts + "<Other/>"), "", "unexpected element"},
      {"something in a series", body(study(doc + "<Other/>") + ts),
       "StudyRequest[1]/SeriesRequest[1]/DocumentRequest[2]", "unexpected element"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<SoapMessage> m = Request(c.body);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ExpectInvalid(DecodeRetrieveImagingDocumentSetRequest(*m).status(), "XDSRepositoryError",
                  c.location, c.message);
  }
}

}  // namespace
}  // namespace renkei::xds
