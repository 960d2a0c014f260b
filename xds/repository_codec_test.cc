// Document Repository request codecs: ITI-41 Provide and Register Document Set-b and the
// ITI-43 Retrieve Document Set request, against the NIST wire samples
// (conformance/xds/wire-examples) and in encode → decode round trips. The answers are
// tested in repository_response_test.cc.
#include "xds/repository_codec.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "xds/internal/codec_test_util.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using testing::AllBytes;
using testing::ExpectInvalid;
using testing::Sample;
using testing::WithoutDeclaration;

const char kRepositoryError[] = "XDSRepositoryError";
const char kRepositoryMetadataError[] = "XDSRepositoryMetadataError";
const char kRegistryMetadataError[] = "XDSRegistryMetadataError";

Result<SoapMessage> Request(const std::string& action, const std::string& body) {
  return SoapMessage::Parse(EncodeSoapRequest(action, "http://repository.example/xds", body),
                            SoapLimits{});
}

// The root part (SOAP envelope) of a captured MTOM message.
std::string MtomRoot(const std::string& capture) {
  const std::string end = "</soapenv:Envelope>";
  size_t from = capture.find("<?xml");
  size_t to = capture.find(end, from);
  if (from == std::string::npos || to == std::string::npos) return {};
  return capture.substr(from, to + end.size() - from);
}

size_t CountKind(const SubmitObjectsRequest& r, ObjectKind kind) {
  size_t n = 0;
  for (const RegistryObject& o : r.objects) n += o.kind == kind;
  return n;
}

// --- ITI-41 against the NIST samples

TEST(DecodeProvideAndRegister, NistSoapSampleWithoutDocuments) {
  Result<SoapMessage> m = SoapMessage::Parse(Sample("nist-validator-samples/soap-pnr.xml"), {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->action(), kActionProvideAndRegister);
  Result<ProvideAndRegisterRequest> r = DecodeProvideAndRegisterRequest(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(CountKind(r->submission, ObjectKind::kExtrinsicObject), 2u);
  EXPECT_EQ(r->submission.objects.at(0).id, "Document01");
  EXPECT_TRUE(r->documents.empty());
}

TEST(DecodeProvideAndRegister, NistBareBodies) {
  const std::pair<const char*, size_t> cases[] = {{"nist-validator-samples/pnr.xml", 2},
                                                  {"nist-misc/PnR1Doc.xml", 1}};
  for (const auto& [file, documents] : cases) {
    Result<SoapMessage> m = Request(kActionProvideAndRegister, WithoutDeclaration(Sample(file)));
    ASSERT_TRUE(m.ok()) << file << ": " << m.status().ToString();
    Result<ProvideAndRegisterRequest> r = DecodeProvideAndRegisterRequest(*m);
    ASSERT_TRUE(r.ok()) << file << ": " << r.status().ToString();
    EXPECT_EQ(CountKind(r->submission, ObjectKind::kExtrinsicObject), documents) << file;
    EXPECT_EQ(CountKind(r->submission, ObjectKind::kRegistryPackage), 1u) << file;
    EXPECT_TRUE(r->documents.empty()) << file;
  }
}

TEST(DecodeProvideAndRegister, NistMtomCaptures) {
  struct Case {
    const char* file;
    const char* id;
    const char* cid;
  };
  const Case cases[] = {
      {"nist-validator-samples/http-mtom-pnr.txt", "urn:uuid:102439f8-5881-4b36-8b42-ef73ae560c04",
       "1.urn:uuid:3D4B161591CD1DEC0C1286850962319@apache.org"},
      // The href names "1.…@apache.org" though the part's Content-ID is <2.…>: as captured.
      {"nist-misc/sample_mtom_message.txt", "Document01",
       "1.694859fac46e21a68c012f8f4fe208a370fc32b6e07ae79f@apache.org"},
  };
  for (const Case& c : cases) {
    std::string capture = Sample(c.file);
    Result<SoapMessage> m = SoapMessage::Parse(MtomRoot(capture), SoapLimits{});
    ASSERT_TRUE(m.ok()) << c.file << ": " << m.status().ToString();
    Result<ProvideAndRegisterRequest> r = DecodeProvideAndRegisterRequest(*m);
    ASSERT_TRUE(r.ok()) << c.file << ": " << r.status().ToString();
    ASSERT_EQ(r->documents.size(), 1u) << c.file;
    EXPECT_EQ(r->documents[0].id, c.id);
    EXPECT_EQ(r->documents[0].include_cid, c.cid);
    EXPECT_TRUE(r->documents[0].inline_bytes.empty());
    ASSERT_EQ(CountKind(r->submission, ObjectKind::kExtrinsicObject), 1u);
    EXPECT_EQ(r->submission.objects.at(0).id, c.id);
  }
  // The first capture's document part carries the Content-ID the href names.
  EXPECT_NE(Sample(cases[0].file).find(std::string("Content-ID: <") + cases[0].cid + ">"),
            std::string::npos);
}

// --- ITI-41 round trips

SubmitObjectsRequest TwoDocumentSubmission() {
  SimpleSubmission s;
  s.patient_id = "P1^^^&1.2.3&ISO";
  s.unique_id = "1.2.3.4.5";
  s.source_id = "1.2.3";
  s.submission_time = "20240101120000";
  s.title = "R&D <results>";
  for (const char* id : {"Document01", "urn:uuid:7b2c3f1e-0d4b-4a39-9b8e-2f6a1c5d9e00"}) {
    SimpleDocument d;
    d.symbolic_id = id;
    d.unique_id = std::string("1.2.3.4.") + (id[0] == 'D' ? "6" : "7");
    d.mime_type = "application/octet-stream";
    s.documents.push_back(d);
  }
  return BuildSubmitObjectsRequest(s);
}

TEST(ProvideAndRegisterRoundTrip, InlineAndXopDocuments) {
  ProvideAndRegisterRequest request;
  request.submission = TwoDocumentSubmission();
  request.submission.object_refs = {"urn:uuid:5f1c3a9e-8d7b-4e2a-9c6f-0b1d2e3f4a5b"};
  request.documents = {
      {"Document01", "", AllBytes()},
      // RFC 2392: a space, '%' and '"' in a Content-ID travel %-encoded.
      {"urn:uuid:7b2c3f1e-0d4b-4a39-9b8e-2f6a1c5d9e00", "doc 1%\"x\"@example.org", ""},
      {"Empty&<Doc>", "", ""},
  };
  std::string xml = EncodeProvideAndRegisterRequest(request);
  EXPECT_NE(xml.find("href=\"cid:doc%201%25%22x%22@example.org\""), std::string::npos) << xml;
  Result<SoapMessage> m = Request(kActionProvideAndRegister, xml);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<ProvideAndRegisterRequest> r = DecodeProvideAndRegisterRequest(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->submission.objects, request.submission.objects);
  EXPECT_EQ(r->submission.classifications, request.submission.classifications);
  EXPECT_EQ(r->submission.object_refs, request.submission.object_refs);
  ASSERT_EQ(r->documents.size(), request.documents.size());
  for (size_t i = 0; i < request.documents.size(); ++i) {
    EXPECT_EQ(r->documents[i].id, request.documents[i].id) << i;
    EXPECT_EQ(r->documents[i].include_cid, request.documents[i].include_cid) << i;
    EXPECT_EQ(r->documents[i].inline_bytes, request.documents[i].inline_bytes) << i;
  }
}

TEST(ProvideAndRegisterRoundTrip, NistMetadataSurvives) {
  Result<SoapMessage> m = SoapMessage::Parse(Sample("nist-validator-samples/soap-pnr.xml"), {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<ProvideAndRegisterRequest> first = DecodeProvideAndRegisterRequest(*m);
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  first->documents = {{"Document01", "part1@renkei", ""},
                      {"Document02", "", "<ClinicalDocument/>"}};
  Result<SoapMessage> again =
      Request(kActionProvideAndRegister, EncodeProvideAndRegisterRequest(*first));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  Result<ProvideAndRegisterRequest> second = DecodeProvideAndRegisterRequest(*again);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->submission.objects, first->submission.objects);
  EXPECT_EQ(second->submission.classifications, first->submission.classifications);
  ASSERT_EQ(second->documents.size(), 2u);
  EXPECT_EQ(second->documents[0].include_cid, "part1@renkei");
  EXPECT_EQ(second->documents[1].inline_bytes, "<ClinicalDocument/>");
}

// --- ITI-41 errors

std::string PnrBody(const std::string& after_submission) {
  return std::string("<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb=\"") + kNsXdsb +
         "\" xmlns:xop=\"" + kNsXop + "\"><lcm:SubmitObjectsRequest xmlns:lcm=\"" + kNsLcm +
         "\"><rim:RegistryObjectList xmlns:rim=\"" + kNsRim + "\"/></lcm:SubmitObjectsRequest>" +
         after_submission + "</xdsb:ProvideAndRegisterDocumentSetRequest>";
}

TEST(DecodeProvideAndRegister, InlineBase64IgnoresWhitespace) {
  Result<SoapMessage> m =
      Request(kActionProvideAndRegister,
              PnrBody("<xdsb:Document id=\"D1\">\n  SGVs\r\n  bG8g\tV29y\n bGQ=\n</xdsb:Document>"
                      "<Document xmlns=\"urn:ihe:iti:xds-b:2007\" id=\"D2\"><i:Include "
                      "xmlns:i=\"http://www.w3.org/2004/08/xop/include\" href=\" CID:a%40b \"/>"
                      "</Document>"));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<ProvideAndRegisterRequest> r = DecodeProvideAndRegisterRequest(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->documents.size(), 2u);
  EXPECT_EQ(r->documents[0].inline_bytes, "Hello World");
  EXPECT_EQ(r->documents[1].include_cid, "a@b");
}

TEST(DecodeProvideAndRegister, ErrorCases) {
  struct Case {
    const char* name;
    std::string body;
    const char* detail;
    const char* location;
    const char* message;
  };
  const std::string inc = "<xop:Include href=\"cid:x@y\"/>";
  const Case cases[] = {
      {"bare SubmitObjectsRequest",
       std::string("<lcm:SubmitObjectsRequest xmlns:lcm=\"") + kNsLcm + "\"/>", kRepositoryError,
       "", "expected xdsb:ProvideAndRegisterDocumentSetRequest"},
      {"no SubmitObjectsRequest",
       std::string("<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb=\"") + kNsXdsb +
           "\"><xdsb:Document id=\"D\">QQ==</xdsb:Document>"
           "</xdsb:ProvideAndRegisterDocumentSetRequest>",
       kRepositoryError, "", "must start with lcm:SubmitObjectsRequest"},
      {"other element", PnrBody("<xdsb:Attachment id=\"D\"/>"), kRepositoryError, "Document[1]",
       "only xdsb:Document may follow"},
      {"no id",
       PnrBody("<xdsb:Document id=\"D\">QQ==</xdsb:Document><xdsb:Document>QQ==</xdsb:Document>"),
       kRepositoryMetadataError, "Document[2]", "without an id"},
      {"include and text", PnrBody("<xdsb:Document id=\"D\">QQ==" + inc + "</xdsb:Document>"),
       kRepositoryMetadataError, "D", "both an xop:Include and inline content"},
      {"two includes", PnrBody("<xdsb:Document id=\"D\">" + inc + inc + "</xdsb:Document>"),
       kRepositoryMetadataError, "D", "unexpected element"},
      {"include without cid",
       PnrBody("<xdsb:Document id=\"D\"><xop:Include href=\"http://x/y\"/>"
               "</xdsb:Document>"),
       kRepositoryMetadataError, "D", "cid: href"},
      {"include without href", PnrBody("<xdsb:Document id=\"D\"><xop:Include/></xdsb:Document>"),
       kRepositoryMetadataError, "D", "cid: href"},
      {"bad escape in cid",
       PnrBody("<xdsb:Document id=\"D\"><xop:Include href=\"cid:a%4\"/>"
               "</xdsb:Document>"),
       kRepositoryMetadataError, "D", "cid: href"},
      {"base64 alphabet", PnrBody("<xdsb:Document id=\"D\">QQ=!</xdsb:Document>"),
       kRepositoryMetadataError, "D", "not valid base64"},
      {"base64 length", PnrBody("<xdsb:Document id=\"D\">QUJDR</xdsb:Document>"),
       kRepositoryMetadataError, "D", "not valid base64"},
      {"base64 padding", PnrBody("<xdsb:Document id=\"D\">QQ=A</xdsb:Document>"),
       kRepositoryMetadataError, "D", "not valid base64"},
      {"metadata error",
       std::string("<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb=\"") + kNsXdsb +
           "\"><lcm:SubmitObjectsRequest xmlns:lcm=\"" + kNsLcm +
           "\"/>"
           "</xdsb:ProvideAndRegisterDocumentSetRequest>",
       kRegistryMetadataError, "", "no rim:RegistryObjectList"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<SoapMessage> m = Request(kActionProvideAndRegister, c.body);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Result<ProvideAndRegisterRequest> r = DecodeProvideAndRegisterRequest(*m);
    ExpectInvalid(r.status(), c.detail, c.location, c.message);
  }
}

// --- ITI-43 request

TEST(DecodeRetrieveRequest, NistSample) {
  Result<SoapMessage> m = SoapMessage::Parse(Sample("nist-validator-samples/soap-ret-req.xml"), {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->action(), kActionRetrieve);
  Result<std::vector<DocumentRequest>> r = DecodeRetrieveDocumentSetRequest(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  EXPECT_EQ((*r)[0].repository_unique_id, "1.3.6.1.4...1000");
  EXPECT_EQ((*r)[0].document_unique_id, "1.3.6.1.4...2300");
  EXPECT_EQ((*r)[1].document_unique_id, "1.3.6.1.4...2301");
  EXPECT_TRUE((*r)[0].home_community_id.empty());
}

TEST(DecodeRetrieveRequest, NistOutOfOrderSampleIsRefused) {
  Result<SoapMessage> m =
      SoapMessage::Parse(Sample("nist-validator-samples/soap-ret-req-order.xml"), {});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ExpectInvalid(DecodeRetrieveDocumentSetRequest(*m).status(), kRepositoryError,
                "DocumentRequest[1]", "out of order");
}

TEST(RetrieveRequestRoundTrip, KeepsEveryField) {
  const std::vector<DocumentRequest> requests = {
      {"urn:oid:1.2.3", "1.2.3.4", "1.2.3.4.5"},
      {"", "1.2.3.4", "odd & <id>"},
  };
  Result<SoapMessage> m = Request(kActionRetrieve, EncodeRetrieveDocumentSetRequest(requests));
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<std::vector<DocumentRequest>> r = DecodeRetrieveDocumentSetRequest(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->size(), 2u);
  for (size_t i = 0; i < requests.size(); ++i) {
    EXPECT_EQ((*r)[i].home_community_id, requests[i].home_community_id);
    EXPECT_EQ((*r)[i].repository_unique_id, requests[i].repository_unique_id);
    EXPECT_EQ((*r)[i].document_unique_id, requests[i].document_unique_id);
  }
}

TEST(DecodeRetrieveRequest, ErrorCases) {
  auto body = [](const std::string& inner) {
    return std::string("<RetrieveDocumentSetRequest xmlns=\"") + kNsXdsb + "\">" + inner +
           "</RetrieveDocumentSetRequest>";
  };
  const std::string good =
      "<DocumentRequest><RepositoryUniqueId>1.2</RepositoryUniqueId>"
      "<DocumentUniqueId>1.2.3</DocumentUniqueId></DocumentRequest>";
  struct Case {
    const char* name;
    std::string body;
    const char* location;
    const char* message;
  };
  const Case cases[] = {
      {"wrong body", PnrBody(""), "", "expected xdsb:RetrieveDocumentSetRequest"},
      {"no DocumentRequest", body(""), "", "no DocumentRequest"},
      {"no RepositoryUniqueId",
       body(good + "<DocumentRequest><DocumentUniqueId>1</DocumentUniqueId></DocumentRequest>"),
       "DocumentRequest[2]", "has no RepositoryUniqueId"},
      {"empty DocumentUniqueId",
       body("<DocumentRequest><RepositoryUniqueId>1</RepositoryUniqueId><DocumentUniqueId> "
            "</DocumentUniqueId></DocumentRequest>"),
       "DocumentRequest[1]", "has no DocumentUniqueId"},
      {"repeated element",
       body("<DocumentRequest><RepositoryUniqueId>1</RepositoryUniqueId><RepositoryUniqueId>1"
            "</RepositoryUniqueId><DocumentUniqueId>2</DocumentUniqueId></DocumentRequest>"),
       "DocumentRequest[1]", "out of order"},
      {"unknown element", body(good + "<Other/>"), "DocumentRequest[2]", "unexpected element"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Result<SoapMessage> m = Request(kActionRetrieve, c.body);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    ExpectInvalid(DecodeRetrieveDocumentSetRequest(*m).status(), kRepositoryError, c.location,
                  c.message);
  }
}

}  // namespace
}  // namespace renkei::xds
