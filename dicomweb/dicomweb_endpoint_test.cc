// DICOMweb over HTTP (dicomweb_endpoint.h): STOW-RS, QIDO-RS, WADO-RS and their errors.
#include "dicomweb/dicomweb_endpoint.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>
#include <gtest/gtest.h>

#include <mutex>
#include <sstream>

#include "dicomweb/dicom_test_util.h"

namespace renkei::dicomweb {
namespace {

struct Reply {
  int status = 0;
  std::string content_type;
  std::string body;
  std::string challenge;  // WWW-Authenticate
};

class EndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/renkei-dicomweb-XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    store_ = std::move(DicomStore::Open(dir_ + "/dicom", {}).value());
    Start(nullptr);
  }
  void Start(StudyAccessOf access) {
    server_.reset();
    HttpRouter router;
    DicomwebOptions o;
    o.access = std::move(access);
    o.on_other_facility = [this](Poco::Net::HTTPServerRequest&, const StudyAccess& a,
                                 const std::vector<std::string>& studies, int status) {
      std::lock_guard<std::mutex> lock(reported_mu_);
      std::string line = std::to_string(status) + (a.refused_status ? " refused" : "");
      for (const std::string& s : studies) line += " " + s;
      reported_.push_back(line);
    };
    AddDicomwebRoutes(router, *store_, o);
    HttpServerOptions h;
    h.default_facility = "1.2.392.1";
    server_ = std::move(HttpServer::Start(h, std::move(router)).value());
  }
  void TearDown() override {
    server_.reset();
    store_.reset();
    std::system(("rm -rf " + dir_).c_str());
  }
  Reply Call(const std::string& method, const std::string& path, const std::string& body = "",
             const std::string& content_type = "", const std::string& accept = "",
             const std::string& facility = "", const std::string& authorization = "") {
    Poco::Net::HTTPClientSession s("127.0.0.1", static_cast<Poco::UInt16>(server_->port()));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!accept.empty()) req.set("Accept", accept);
    if (!facility.empty()) req.set("X-Renkei-Facility", facility);
    if (!authorization.empty()) req.set("Authorization", authorization);
    if (!content_type.empty()) req.setContentType(content_type);
    req.setContentLength(static_cast<std::streamsize>(body.size()));
    s.sendRequest(req) << body;
    Poco::Net::HTTPResponse res;
    std::istream& in = s.receiveResponse(res);
    Reply r;
    r.status = res.getStatus();
    r.content_type = res.getContentType();
    r.challenge = res.get("WWW-Authenticate", "");
    Poco::StreamCopier::copyToString(in, r.body);
    return r;
  }
  std::string File(const testing::TestInstance& t) {
    const std::string path = dir_ + "/" + t.sop + ".dcm";
    EXPECT_TRUE(testing::WriteTestInstance(t, path));
    return testing::ReadAll(path);
  }
  static std::string Multipart(const std::vector<std::pair<std::string, std::string>>& parts) {
    std::string body;
    for (const auto& [type, data] : parts) {
      body += "--XYZ\r\nContent-Type: " + type + "\r\n\r\n" + data + "\r\n";
    }
    return body + "--XYZ--\r\n";
  }
  static constexpr char kStowType[] = "multipart/related; type=\"application/dicom\"; boundary=XYZ";

  std::string dir_;
  std::mutex reported_mu_;
  std::vector<std::string> reported_;  // on_other_facility: "status [refused] studies..."
  std::unique_ptr<DicomStore> store_;
  std::unique_ptr<HttpServer> server_;
};

testing::TestInstance Instance(const std::string& sop_suffix) {
  testing::TestInstance t;
  t.sop = t.series + "." + sop_suffix;
  t.instance_number = sop_suffix;
  return t;
}

TEST_F(EndpointTest, StoreSearchRetrieve) {
  const std::string a = File(Instance("1")), b = File(Instance("2"));
  Reply stow = Call("POST", "/dicomweb/studies",
                    Multipart({{"application/dicom", a}, {"application/dicom", b}}), kStowType);
  ASSERT_EQ(stow.status, 200) << stow.body;
  EXPECT_EQ(stow.content_type, "application/dicom+json");
  EXPECT_NE(stow.body.find("\"00081199\""), std::string::npos);
  EXPECT_EQ(stow.body.find("\"00081198\""), std::string::npos);

  Reply studies = Call("GET", "/dicomweb/studies?PatientID=P1", "", "", "application/dicom+json");
  ASSERT_EQ(studies.status, 200);
  EXPECT_NE(studies.body.find("\"0020000D\":{\"vr\":\"UI\",\"Value\":[\"1.2.826.0.1.3680043.10.1.1\"]}"),
            std::string::npos) << studies.body;
  EXPECT_NE(studies.body.find("\"00201208\":{\"vr\":\"IS\",\"Value\":[2]}"), std::string::npos);
  EXPECT_NE(studies.body.find("\"00100010\":{\"vr\":\"PN\",\"Value\":[{\"Alphabetic\":\"Yamada^Taro\"}]}"),
            std::string::npos);
  EXPECT_EQ(Call("GET", "/dicomweb/studies?PatientID=nobody").status, 204);

  const testing::TestInstance t = Instance("1");
  const std::string instance_path = "/dicomweb/studies/" + t.study + "/series/" + t.series +
                                    "/instances/" + t.sop;
  Reply one = Call("GET", instance_path, "", "",
                   "multipart/related; type=\"application/dicom\"; transfer-syntax=*");
  ASSERT_EQ(one.status, 200);
  const std::string boundary = one.content_type.substr(one.content_type.find("boundary=") + 9);
  const size_t start = one.body.find("\r\n\r\n") + 4;
  const size_t end = one.body.find("\r\n--" + boundary + "--");
  EXPECT_EQ(one.body.substr(start, end - start), a);  // byte-identical

  Reply series = Call("GET", "/dicomweb/studies/" + t.study + "/series/" + t.series);
  ASSERT_EQ(series.status, 200);
  EXPECT_NE(series.body.find(a), std::string::npos);
  EXPECT_NE(series.body.find(b), std::string::npos);

  Reply meta = Call("GET", "/dicomweb/studies/" + t.study + "/metadata");
  ASSERT_EQ(meta.status, 200);
  EXPECT_NE(meta.body.find("\"BulkDataURI\":\"http://127.0.0.1:" + std::to_string(server_->port()) +
                           instance_path + "/bulkdata/7FE00010\""),
            std::string::npos) << meta.body.substr(0, 400);
}

TEST_F(EndpointTest, FramesAreByteRangesOfThePixelData) {
  testing::TestInstance t = Instance("1");
  t.frames = 3;
  ASSERT_EQ(Call("POST", "/dicomweb/studies", Multipart({{"application/dicom", File(t)}}), kStowType)
                .status, 200);
  const std::string base = "/dicomweb/studies/" + t.study + "/series/" + t.series +
                           "/instances/" + t.sop + "/frames/";
  Reply r = Call("GET", base + "2,3", "", "", "multipart/related; type=\"application/octet-stream\"");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.content_type.find("type=\"application/octet-stream\""), std::string::npos);
  std::string expected2, expected3;
  for (int i = 0; i < 256; ++i) {
    expected2 += static_cast<char>(static_cast<uint8_t>((256 + i) * 7));
    expected3 += static_cast<char>(static_cast<uint8_t>((512 + i) * 7));
  }
  const size_t first = r.body.find("\r\n\r\n") + 4;
  EXPECT_EQ(r.body.substr(first, 256), expected2);
  const size_t second = r.body.find("\r\n\r\n", first + 256) + 4;
  EXPECT_EQ(r.body.substr(second, 256), expected3);
  EXPECT_EQ(Call("GET", base + "4").status, 404);
  EXPECT_EQ(Call("GET", base + "0").status, 400);
  EXPECT_EQ(Call("GET", base + "x").status, 400);
  EXPECT_EQ(Call("GET", base + "1", "", "", "image/jpeg").status, 406);
  EXPECT_EQ(Call("GET", base + "1", "", "", "application/octet-stream").status, 406);  // not multipart
}

TEST_F(EndpointTest, BulkDataUrisOfTheMetadataAreServed) {
  testing::TestInstance t = Instance("1");
  t.frames = 2;
  ASSERT_EQ(Call("POST", "/dicomweb/studies", Multipart({{"application/dicom", File(t)}}), kStowType)
                .status, 200);
  const std::string instance = "/dicomweb/studies/" + t.study + "/series/" + t.series +
                               "/instances/" + t.sop;
  Reply meta = Call("GET", instance + "/metadata");
  ASSERT_EQ(meta.status, 200);
  const std::string key = "\"BulkDataURI\":\"";
  const size_t at = meta.body.find(key);
  ASSERT_NE(at, std::string::npos) << meta.body;
  const std::string uri = meta.body.substr(at + key.size(),
                                           meta.body.find('"', at + key.size()) - at - key.size());
  const std::string path = uri.substr(uri.find("/dicomweb/"));
  Reply bulk = Call("GET", path, "", "", "multipart/related; type=\"application/octet-stream\"");
  ASSERT_EQ(bulk.status, 200) << bulk.body;
  std::string pixels;
  for (int i = 0; i < 2 * 256; ++i) pixels += static_cast<char>(static_cast<uint8_t>(i * 7));
  const size_t start = bulk.body.find("\r\n\r\n") + 4;
  EXPECT_EQ(bulk.body.substr(start, pixels.size()), pixels);
  EXPECT_EQ(Call("GET", instance + "/bulkdata/00280010x").status, 404);
  EXPECT_EQ(Call("GET", instance + "/bulkdata/00091000").status, 404);  // no such element
  EXPECT_EQ(Call("GET", instance + "/metadata", "", "", "application/dicom+xml").status, 406);
}

TEST_F(EndpointTest, RenderedFramesAndThumbnails) {
  testing::TestInstance t = Instance("1");
  t.frames = 2;
  ASSERT_EQ(Call("POST", "/dicomweb/studies", Multipart({{"application/dicom", File(t)}}), kStowType)
                .status, 200);
  const std::string study = "/dicomweb/studies/" + t.study;
  const std::string instance = study + "/series/" + t.series + "/instances/" + t.sop;
  Reply jpeg = Call("GET", instance + "/rendered");
  ASSERT_EQ(jpeg.status, 200) << jpeg.body;
  EXPECT_EQ(jpeg.content_type, "image/jpeg");
  EXPECT_EQ(jpeg.body.substr(0, 2), "\xFF\xD8");
  Reply png = Call("GET", instance + "/frames/2/rendered?viewport=8,8&window=100,200", "", "",
                   "image/png");
  ASSERT_EQ(png.status, 200) << png.body;
  ASSERT_EQ(png.body.substr(1, 3), "PNG");
  // IHDR: width and height, big endian, at bytes 16 and 20.
  EXPECT_EQ(static_cast<uint8_t>(png.body[19]), 8);
  EXPECT_EQ(static_cast<uint8_t>(png.body[23]), 8);
  for (const std::string& path :
       {instance + "/thumbnail", study + "/series/" + t.series + "/thumbnail", study + "/thumbnail"}) {
    Reply thumb = Call("GET", path);
    EXPECT_EQ(thumb.status, 200) << path;
    EXPECT_EQ(thumb.body.substr(0, 2), "\xFF\xD8") << path;
  }
  EXPECT_EQ(Call("GET", instance + "/frames/3/rendered").status, 404);
  EXPECT_EQ(Call("GET", instance + "/rendered?window=1,0").status, 400);
  EXPECT_EQ(Call("GET", instance + "/rendered?quality=101").status, 400);
  EXPECT_EQ(Call("GET", instance + "/rendered", "", "", "image/gif").status, 406);
  // A study or series rendered: each instance, as a multipart/related of images.
  for (const std::string& path : {study + "/rendered", study + "/series/" + t.series + "/rendered"}) {
    Reply all = Call("GET", path, "", "", "multipart/related; type=\"image/png\"");
    ASSERT_EQ(all.status, 200) << path << all.body;
    EXPECT_EQ(all.content_type.rfind("multipart/related; type=\"image/png\"", 0), 0u);
    EXPECT_NE(all.body.find("\x89PNG"), std::string::npos);
    EXPECT_NE(all.body.find("Content-Location: "), std::string::npos);
    EXPECT_NE(all.body.find(t.sop + "/rendered"), std::string::npos);
  }
  EXPECT_EQ(Call("GET", "/dicomweb/studies/1.2.3.9/rendered").status, 404);
}

TEST_F(EndpointTest, ACompressedInstanceIsServedInExplicitLittleEndianOnRequest) {
  testing::TestInstance t = Instance("1");
  ASSERT_TRUE(testing::WriteTestInstance(t, dir_ + "/native.dcm"));
  ASSERT_EQ(std::system(("dcmcjpeg --encode-lossless-sv1 " + dir_ + "/native.dcm " + dir_ +
                         "/sv1.dcm").c_str()), 0);
  ASSERT_EQ(Call("POST", "/dicomweb/studies",
                 Multipart({{"application/dicom", testing::ReadAll(dir_ + "/sv1.dcm")}}), kStowType)
                .status, 200);
  const std::string path = "/dicomweb/studies/" + t.study + "/series/" + t.series +
                           "/instances/" + t.sop;
  const std::string dicom = "multipart/related; type=\"application/dicom\"; transfer-syntax=";
  Reply stored = Call("GET", path, "", "", dicom + "*");
  ASSERT_EQ(stored.status, 200);
  EXPECT_NE(stored.body.find("transfer-syntax=1.2.840.10008.1.2.4.70"), std::string::npos);
  Reply decoded = Call("GET", path, "", "", dicom + "1.2.840.10008.1.2.1");
  ASSERT_EQ(decoded.status, 200) << decoded.body;
  EXPECT_NE(decoded.body.find("transfer-syntax=1.2.840.10008.1.2.1\r\n"), std::string::npos);
  std::string pixels;  // the pixels the instance was made with, uncompressed again
  for (int i = 0; i < 256; ++i) pixels += static_cast<char>(static_cast<uint8_t>(i * 7));
  EXPECT_NE(decoded.body.find(pixels), std::string::npos);
  EXPECT_EQ(stored.body.find(pixels), std::string::npos);
  EXPECT_EQ(Call("GET", path, "", "", dicom + "1.2.840.10008.1.2.4.80").status, 406);
}

TEST_F(EndpointTest, WadoUriServesTheFileOrAnImage) {
  testing::TestInstance t = Instance("1");
  const std::string file = File(t);
  ASSERT_EQ(Call("POST", "/dicomweb/studies", Multipart({{"application/dicom", file}}), kStowType)
                .status, 200);
  const std::string q = "?requestType=WADO&studyUID=" + t.study + "&seriesUID=" + t.series +
                        "&objectUID=" + t.sop;
  for (const std::string& base : {std::string("/wado"), std::string("/dicomweb/wado")}) {
    Reply dicom = Call("GET", base + q + "&contentType=application%2Fdicom");
    ASSERT_EQ(dicom.status, 200) << base;
    EXPECT_EQ(dicom.content_type, "application/dicom");
    EXPECT_EQ(dicom.body, file);  // byte-identical
    Reply jpeg = Call("GET", base + q);  // image/jpeg is the default
    ASSERT_EQ(jpeg.status, 200);
    EXPECT_EQ(jpeg.content_type, "image/jpeg");
    Reply png = Call("GET", base + q + "&contentType=image%2Fpng&rows=8&columns=8");
    ASSERT_EQ(png.status, 200);
    EXPECT_EQ(static_cast<uint8_t>(png.body[19]), 8);
  }
  EXPECT_EQ(Call("GET", "/wado?requestType=WADO&studyUID=" + t.study).status, 400);
  EXPECT_EQ(Call("GET", "/wado" + q.substr(0, q.size() - 1) + "9").status, 404);
  EXPECT_EQ(Call("GET", "/wado" + q + "&contentType=text%2Fhtml").status, 406);
  EXPECT_EQ(Call("GET", "/wado?requestType=RAW&studyUID=1&seriesUID=1&objectUID=1").status, 400);
}

TEST_F(EndpointTest, PartialStowNamesTheFailures) {
  testing::TestInstance other = Instance("3");
  other.study = "1.2.3.4";
  const std::string body = Multipart({{"application/dicom", File(Instance("1"))},
                                      {"application/dicom", "not dicom at all"},
                                      {"application/dicom", File(other)}});
  Reply r = Call("POST", "/dicomweb/studies/1.2.826.0.1.3680043.10.1.1", body, kStowType);
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_NE(r.body.find("\"00081197\":{\"vr\":\"US\",\"Value\":[49152]}"), std::string::npos)
      << r.body;  // 0xC000
  EXPECT_NE(r.body.find("\"00081197\":{\"vr\":\"US\",\"Value\":[43264]}"), std::string::npos)
      << r.body;  // 0xA900: another study
  Reply all = Call("GET", "/dicomweb/studies");
  EXPECT_EQ(all.body.find("1.2.3.4"), std::string::npos);  // nothing of the refused one

  Reply none = Call("POST", "/dicomweb/studies", Multipart({{"application/dicom", "x"}}), kStowType);
  EXPECT_EQ(none.status, 409) << none.body;
}

TEST_F(EndpointTest, BadRequestsGetTheirStatus) {
  EXPECT_EQ(Call("POST", "/dicomweb/studies", "x", "application/dicom").status, 415);
  EXPECT_EQ(Call("POST", "/dicomweb/studies", "garbage", kStowType).status, 400);
  EXPECT_EQ(Call("GET", "/dicomweb/studies?NoSuchKey=1").status, 400);
  EXPECT_EQ(Call("GET", "/dicomweb/studies?limit=x").status, 400);
  EXPECT_EQ(Call("GET", "/dicomweb/studies/1.2.3").status, 404);
  EXPECT_EQ(Call("GET", "/dicomweb/studies/1.2.3/metadata").status, 404);
  EXPECT_EQ(Call("GET", "/dicomweb/studies/..%2f..%2fetc").status, 400);
  EXPECT_EQ(Call("GET", "/dicomweb/studies/1.2/frogs").status, 404);
  EXPECT_EQ(Call("GET", "/dicomweb/studies", "", "", "application/xml").status, 406);
  EXPECT_EQ(Call("DELETE", "/dicomweb/studies/1.2").status, 405);
}

// The access function stands in for the node's ticket check (apps/node_image_access, tested
// over TLS with real tickets in tests/e2e): facility 1.2.392.1 is the node's own, 1.2.392.99
// holds a ticket for study `covered` when it presents "Bearer good", nothing otherwise.
StudyAccessOf TestAccess(const std::string& covered) {
  return [covered](const Peer& peer, const std::string& authorization) {
    StudyAccess a;
    if (peer.facility_oid == "1.2.392.1") return a;
    if (authorization.empty()) {
      a.refused_status = 401;
      a.challenge = "Bearer realm=\"renkei\"";
      a.reason = "access ticket refused: missing_ticket";
      return a;
    }
    a.all = false;
    if (authorization == "Bearer good") a.studies = {covered};
    return a;
  };
}

TEST_F(EndpointTest, AnotherFacilityReadsTheStudiesItsTicketCovers) {
  testing::TestInstance other = Instance("9");
  other.study = "1.2.826.0.1.3680043.10.1.2";
  other.series = other.study + ".1";
  other.sop = other.series + ".1";
  other.patient_id = "P1";
  ASSERT_EQ(Call("POST", "/dicomweb/studies",
                 Multipart({{"application/dicom", File(Instance("1"))},
                            {"application/dicom", File(other)}}),
                 kStowType).status, 200);
  const testing::TestInstance t = Instance("1");
  Start(TestAccess(t.study));
  const std::string wado = "/wado?requestType=WADO&studyUID=" + t.study + "&seriesUID=" +
                           t.series + "&objectUID=" + t.sop + "&contentType=application%2Fdicom";
  const std::string other_wado = "/wado?requestType=WADO&studyUID=" + other.study +
                                 "&seriesUID=" + other.series + "&objectUID=" + other.sop +
                                 "&contentType=application%2Fdicom";
  const std::string kOther = "1.2.392.99";

  // No ticket: 401 with the Bearer challenge, at every route.
  Reply r = Call("GET", "/dicomweb/studies", "", "", "", kOther);
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.challenge, "Bearer realm=\"renkei\"");
  EXPECT_EQ(Call("GET", wado, "", "", "", kOther).status, 401);
  EXPECT_EQ(Call("GET", "/dicomweb/studies/" + t.study, "", "", "", kOther).status, 401);

  // With the ticket: QIDO finds the covered study only, at every level.
  r = Call("GET", "/dicomweb/studies?PatientID=P1", "", "", "", kOther, "Bearer good");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(t.study), std::string::npos);
  EXPECT_EQ(r.body.find(other.study), std::string::npos);
  r = Call("GET", "/dicomweb/instances", "", "", "", kOther, "Bearer good");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(t.sop), std::string::npos);
  EXPECT_EQ(r.body.find(other.sop), std::string::npos);
  EXPECT_EQ(Call("GET", "/dicomweb/series?StudyInstanceUID=" + other.study, "", "", "", kOther,
                 "Bearer good").status, 204);
  // ... and retrieves it, its metadata and by WADO-URI.
  EXPECT_EQ(Call("GET", "/dicomweb/studies/" + t.study, "", "", "", kOther, "Bearer good").status,
            200);
  EXPECT_EQ(Call("GET", "/dicomweb/studies/" + t.study + "/metadata", "", "", "", kOther,
                 "Bearer good").status, 200);
  EXPECT_EQ(Call("GET", wado, "", "", "", kOther, "Bearer good").status, 200);

  // Another study: 403 insufficient_scope, the same whether it exists or not.
  for (const std::string& path : std::vector<std::string>{
           "/dicomweb/studies/" + other.study, "/dicomweb/studies/" + other.study + "/metadata",
        "/dicomweb/studies/" + other.study + "/series/" + other.series + "/instances/" +
            other.sop + "/frames/1",
        "/dicomweb/studies/" + other.study + "/series", "/dicomweb/studies/1.2.3.4.5",
        other_wado}) {
    r = Call("GET", path, "", "", "", kOther, "Bearer good");
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_EQ(r.challenge, kInsufficientScopeChallenge) << path;
    EXPECT_EQ(r.body.find("Yamada"), std::string::npos) << path;
  }
  // A ticket covering nothing here finds nothing.
  EXPECT_EQ(Call("GET", "/dicomweb/studies", "", "", "", kOther, "Bearer other").status, 204);
  // Another facility never stores, ticket or not.
  EXPECT_EQ(Call("POST", "/dicomweb/studies", Multipart({{"application/dicom", File(Instance("3"))}}),
                 kStowType, "", kOther, "Bearer good").status, 403);
  EXPECT_EQ(Call("GET", "/dicomweb/studies/" + t.study + "/series/" + t.series + "/instances", "",
                 "", "", "1.2.392.1").body.find(Instance("3").sop), std::string::npos);
  // Each request of the other facility was reported for the audit trail, none of the own.
  {
    std::lock_guard<std::mutex> lock(reported_mu_);
    ASSERT_GE(reported_.size(), 14u);
    EXPECT_EQ(reported_[0], "401 refused");
    EXPECT_EQ(reported_[3], "200 " + t.study);  // QIDO: the covered studies
    EXPECT_EQ(reported_[7], "200 " + t.study);  // the study's metadata
    EXPECT_EQ(reported_[10], "403 " + other.study);
    reported_.clear();
  }
  // The own facility reads everything without a ticket.
  r = Call("GET", "/dicomweb/studies", "", "", "", "1.2.392.1");
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.body.find(other.study), std::string::npos);
  std::lock_guard<std::mutex> lock(reported_mu_);
  EXPECT_TRUE(reported_.empty());
}

}  // namespace
}  // namespace renkei::dicomweb
