// ITI-41 / ITI-43 end to end: a real centre (registry) and a real node (repository) as child
// processes, driven over HTTP with MTOM built by hand (tests/e2e/node_process.h).
#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

constexpr char kPnr[] = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b";
constexpr char kRetrieve[] = "urn:ihe:iti:2007:RetrieveDocumentSet";
constexpr char kPartialSuccess[] = "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess";

std::string Sha1Hex(const std::string& bytes) {
  Poco::SHA1Engine sha1;
  sha1.update(bytes);
  return Poco::DigestEngine::digestToHex(sha1.digest());
}

// Bytes 0..255 repeated, with CRLFs and dashes: what a naive multipart reader trips on.
std::string BinaryDocument(size_t n) {
  std::string s;
  for (size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(i % 256));
  s += "\r\n--\r\n--e2e\r\n";
  return s;
}

struct Answer {
  int http = -1;
  SoapAnswer soap;
  std::vector<MimePart> parts;  // MTOM answers: all parts, root first
};

Answer PostMtom(const std::string& url_base, const std::string& action, const std::string& body_xml,
                const std::vector<MimePart>& attachments) {
  const std::string envelope = Soap12(action, url_base + "/xds/repository", body_xml);
  MtomMessage m = BuildMtom(envelope, attachments, action);
  HttpAnswer h = Post(url_base, "/xds/repository", m.content_type, m.body);
  Answer a;
  a.http = h.status;
  if (h.content_type.find("multipart/related") != std::string::npos) {
    a.parts = SplitMultipart(h.content_type, h.body);
    if (!a.parts.empty()) a.soap = ReadSoap(a.parts.front().data);
  } else {
    a.soap = ReadSoap(h.body);
  }
  return a;
}

class NodeRepository : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    std::string error;
    centre_ = CentreProcess::Start(CentreOptions{}, &error).release();
    ASSERT_NE(centre_, nullptr) << error;
    NodeOptions o;
    o.registry_url = centre_->registry_url();
    node_ = NodeProcess::Start(o, &error).release();
    ASSERT_NE(node_, nullptr) << error;
  }
  static void TearDownTestSuite() {
    delete node_;
    delete centre_;
    node_ = nullptr;
    centre_ = nullptr;
  }

  static size_t StoredFiles() {
    return FilesUnder(node_->data_dir() + "/repository/documents").size();
  }
  // Nothing of a refused submission may stay: no new document file, no temp file.
  static void ExpectNothingStoredSince(size_t stored_before) {
    EXPECT_EQ(StoredFiles(), stored_before);
    EXPECT_TRUE(FilesUnder(node_->data_dir() + "/repository/tmp").empty());
  }

  static SoapAnswer QueryRegistry(const std::vector<std::string>& unique_ids) {
    HttpAnswer h = PostSoap(centre_->base_url(), wire::kActionQuery,
                            Soap12(wire::kActionQuery, centre_->registry_url(),
                                   GetDocumentsXml(unique_ids)));
    return ReadSoap(h.body);
  }

  static CentreProcess* centre_;
  static NodeProcess* node_;
};
CentreProcess* NodeRepository::centre_ = nullptr;
NodeProcess* NodeRepository::node_ = nullptr;

TEST_F(NodeRepository, ProvideAndRegisterThenRetrieveByteIdentical) {
  TestSubmission s = NewSubmission(PatientId(1), 2);
  s.for_repository = true;
  const std::string text = "discharge summary of patient E2E0001\r\n";
  const std::string binary = BinaryDocument(300000);
  Answer put = PostMtom(node_->base_url(), kPnr,
                        ProvideAndRegisterXml(SubmitObjectsRequestXml(s),
                                              {{"Document1", "doc1@e2e"}, {"Document2", "doc2@e2e"}}),
                        {{"doc1@e2e", "text/plain", text, {}}, {"doc2@e2e", "text/plain", binary, {}}});
  ASSERT_EQ(put.http, 200);
  EXPECT_EQ(put.soap.status, wire::kSuccess) << put.soap.body_xml;
  EXPECT_EQ(put.soap.action, std::string(kPnr) + "Response");

  // The registry holds both, with the hash, size and repositoryUniqueId the node set.
  SoapAnswer q = QueryRegistry(s.document_unique_ids);
  EXPECT_EQ(q.extrinsic_unique_ids.size(), 2u);
  EXPECT_NE(q.body_xml.find(Sha1Hex(text)), std::string::npos);
  EXPECT_NE(q.body_xml.find(Sha1Hex(binary)), std::string::npos);
  EXPECT_NE(q.body_xml.find(std::to_string(binary.size())), std::string::npos);
  EXPECT_NE(q.body_xml.find(kNodeRepositoryId), std::string::npos);

  // ITI-43: both documents and one unknown → PartialSuccess, bytes identical.
  Answer got = PostMtom(node_->base_url(), kRetrieve,
                        RetrieveXml({{kNodeRepositoryId, s.document_unique_ids[1]},
                                     {kNodeRepositoryId, s.document_unique_ids[0]},
                                     {kNodeRepositoryId, "2.25.1"}}),
                        {});
  ASSERT_EQ(got.http, 200);
  EXPECT_EQ(got.soap.status, kPartialSuccess);
  ASSERT_EQ(got.soap.error_codes.size(), 1u);
  EXPECT_EQ(got.soap.error_codes[0], "XDSDocumentUniqueIdError");
  ASSERT_EQ(got.parts.size(), 3u);
  EXPECT_EQ(got.parts[1].data, binary);
  EXPECT_EQ(got.parts[2].data, text);
  // Each document part is the one its DocumentResponse includes.
  const std::string root = got.parts[0].data;
  EXPECT_LT(root.find("cid:" + got.parts[1].content_id), root.find("cid:" + got.parts[2].content_id));
  EXPECT_LT(root.find(s.document_unique_ids[1]), root.find(s.document_unique_ids[0]));
}

TEST_F(NodeRepository, WrongHashIsRepositoryMetadataErrorAndStoresNothing) {
  const size_t stored = StoredFiles();
  TestSubmission s = NewSubmission(PatientId(2), 1);
  s.for_repository = false;  // carries hash of the empty document and size 0
  Answer put = PostMtom(node_->base_url(), kPnr,
                        ProvideAndRegisterXml(SubmitObjectsRequestXml(s), {{"Document1", "d@e2e"}}),
                        {{"d@e2e", "text/plain", "not empty", {}}});
  ASSERT_EQ(put.http, 200);
  EXPECT_EQ(put.soap.status, wire::kFailure);
  ASSERT_FALSE(put.soap.error_codes.empty());
  EXPECT_EQ(put.soap.error_codes[0], "XDSRepositoryMetadataError");
  EXPECT_TRUE(QueryRegistry(s.document_unique_ids).extrinsic_unique_ids.empty());
  ExpectNothingStoredSince(stored);
}

TEST_F(NodeRepository, RegistryRefusalIsForwardedAndBytesRemoved) {
  const size_t stored = StoredFiles();
  TestSubmission s = NewSubmission("NOBODY^^^&2.999.392.99.1&ISO", 1);
  s.for_repository = true;
  Answer put = PostMtom(node_->base_url(), kPnr,
                        ProvideAndRegisterXml(SubmitObjectsRequestXml(s), {{"Document1", "d@e2e"}}),
                        {{"d@e2e", "text/plain", "for an unknown patient", {}}});
  ASSERT_EQ(put.http, 200);
  EXPECT_EQ(put.soap.status, wire::kFailure);
  ASSERT_FALSE(put.soap.error_codes.empty());
  EXPECT_EQ(put.soap.error_codes[0], "XDSUnknownPatientId");
  Answer got = PostMtom(node_->base_url(), kRetrieve,
                        RetrieveXml({{kNodeRepositoryId, s.document_unique_ids[0]}}), {});
  EXPECT_EQ(got.soap.status, wire::kFailure);
  ExpectNothingStoredSince(stored);
}

TEST_F(NodeRepository, MissingPartAndMissingMetadataAreRefused) {
  const size_t stored = StoredFiles();
  TestSubmission s = NewSubmission(PatientId(1), 1);
  s.for_repository = true;
  Answer no_part = PostMtom(node_->base_url(), kPnr,
                            ProvideAndRegisterXml(SubmitObjectsRequestXml(s), {{"Document1", "absent@e2e"}}),
                            {{"other@e2e", "text/plain", "x", {}}});
  ASSERT_FALSE(no_part.soap.error_codes.empty());
  EXPECT_EQ(no_part.soap.error_codes[0], "XDSMissingDocument");
  Answer extra = PostMtom(node_->base_url(), kPnr,
                          ProvideAndRegisterXml(SubmitObjectsRequestXml(s),
                                                {{"Document1", "a@e2e"}, {"Document9", "b@e2e"}}),
                          {{"a@e2e", "text/plain", "a", {}}, {"b@e2e", "text/plain", "b", {}}});
  ASSERT_FALSE(extra.soap.error_codes.empty());
  EXPECT_EQ(extra.soap.error_codes[0], "XDSMissingDocumentMetadata");
  EXPECT_TRUE(QueryRegistry(s.document_unique_ids).extrinsic_unique_ids.empty());
  ExpectNothingStoredSince(stored);
}

TEST_F(NodeRepository, BrokenMtomGetsSoapFaultAndStoresNothing) {
  const size_t stored = StoredFiles();
  TestSubmission s = NewSubmission(PatientId(1), 1);
  s.for_repository = true;
  const std::string envelope =
      Soap12(kPnr, node_->repository_url(),
             ProvideAndRegisterXml(SubmitObjectsRequestXml(s), {{"Document1", "d@e2e"}}));
  MtomMessage m = BuildMtom(envelope, {{"d@e2e", "text/plain", std::string(100000, 'x'), {}}}, kPnr);

  // Truncated: the body stops in the middle of the document, Content-Length says so.
  HttpAnswer cut = Post(node_->base_url(), "/xds/repository", m.content_type,
                        m.body.substr(0, m.body.size() - 50000));
  EXPECT_EQ(cut.status, 400);
  EXPECT_TRUE(ReadSoap(cut.body).fault) << cut.body;

  // The Content-Type names another boundary.
  std::string wrong = m.content_type;
  wrong.replace(wrong.find("e2e-boundary"), 3, "xyz");
  HttpAnswer bad = Post(node_->base_url(), "/xds/repository", wrong, m.body);
  EXPECT_EQ(bad.status, 400);
  EXPECT_TRUE(ReadSoap(bad.body).fault) << bad.body;

  EXPECT_TRUE(QueryRegistry(s.document_unique_ids).extrinsic_unique_ids.empty());
  ExpectNothingStoredSince(stored);
}

TEST_F(NodeRepository, RetrieveFromAnotherRepositoryIsUnknownRepositoryId) {
  Answer got = PostMtom(node_->base_url(), kRetrieve, RetrieveXml({{"1.2.3.4", "2.25.9"}}), {});
  ASSERT_EQ(got.http, 200);
  EXPECT_EQ(got.soap.status, wire::kFailure);
  ASSERT_EQ(got.soap.error_codes.size(), 1u);
  EXPECT_EQ(got.soap.error_codes[0], "XDSUnknownRepositoryId");
}

// A document over repository.max_document_bytes, and an envelope over
// soap.max_request_bytes: a SOAP Fault with HTTP 413, and nothing stored.
TEST(NodeRepositoryLimits, OversizeDocumentAndEnvelopeGet413AndStoreNothing) {
  std::string error;
  std::unique_ptr<CentreProcess> centre = CentreProcess::Start(CentreOptions{}, &error);
  ASSERT_NE(centre, nullptr) << error;
  NodeOptions o;
  o.registry_url = centre->registry_url();
  o.overrides = {"repository.max_document_bytes=4096", "soap.max_request_bytes=20000"};
  auto node = NodeProcess::Start(o, &error);
  ASSERT_NE(node, nullptr) << error;
  TestSubmission s = NewSubmission(PatientId(1), 1);
  s.for_repository = true;
  const std::string envelope =
      Soap12(kPnr, node->repository_url(),
             ProvideAndRegisterXml(SubmitObjectsRequestXml(s), {{"Document1", "d@e2e"}}));
  MtomMessage big_doc = BuildMtom(envelope, {{"d@e2e", "text/plain", std::string(5000, 'x'), {}}}, kPnr);
  HttpAnswer a = Post(node->base_url(), "/xds/repository", big_doc.content_type, big_doc.body);
  EXPECT_EQ(a.status, 413);
  EXPECT_TRUE(ReadSoap(a.body).fault) << a.body;
  const std::string padded = Soap12(
      kPnr, node->repository_url(),
      ProvideAndRegisterXml(SubmitObjectsRequestXml(s) + "<!--" + std::string(30000, 'p') + "-->",
                            {{"Document1", "d@e2e"}}));
  MtomMessage big_envelope = BuildMtom(padded, {{"d@e2e", "text/plain", "small", {}}}, kPnr);
  HttpAnswer b = Post(node->base_url(), "/xds/repository", big_envelope.content_type, big_envelope.body);
  EXPECT_EQ(b.status, 413);
  EXPECT_TRUE(ReadSoap(b.body).fault) << b.body;
  EXPECT_TRUE(FilesUnder(node->data_dir() + "/repository/documents").empty());
  EXPECT_TRUE(FilesUnder(node->data_dir() + "/repository/tmp").empty());
  // The node still works.
  Answer ok = PostMtom(node->base_url(), kPnr,
                       ProvideAndRegisterXml(SubmitObjectsRequestXml(s), {{"Document1", "d@e2e"}}),
                       {{"d@e2e", "text/plain", "small", {}}});
  EXPECT_EQ(ok.soap.status, wire::kSuccess) << ok.soap.body_xml;
}

// The registry cannot be reached: the caller gets XDSRegistryNotAvailable, and once the
// registry is back the node settles the pending bytes (the registry never got them: removed).
TEST(NodeRepositoryOutage, UnreachableRegistryThenReconciled) {
  std::string error;
  std::unique_ptr<CentreProcess> centre = CentreProcess::Start(CentreOptions{}, &error);
  ASSERT_NE(centre, nullptr) << error;
  TempDir dir;
  NodeOptions o;
  o.data_dir = dir.path() + "/node";
  o.registry_url = "http://127.0.0.1:9/xds/registry";  // discard port: nothing listens
  auto node = NodeProcess::Start(o, &error);
  ASSERT_NE(node, nullptr) << error;
  TestSubmission s = NewSubmission(PatientId(1), 1);
  s.for_repository = true;
  Answer put = PostMtom(node->base_url(), kPnr,
                        ProvideAndRegisterXml(SubmitObjectsRequestXml(s), {{"Document1", "d@e2e"}}),
                        {{"d@e2e", "text/plain", "written while the centre was away", {}}});
  ASSERT_EQ(put.http, 200);
  EXPECT_EQ(put.soap.status, wire::kFailure);
  ASSERT_FALSE(put.soap.error_codes.empty());
  EXPECT_EQ(put.soap.error_codes[0], "XDSRegistryNotAvailable");
  EXPECT_EQ(FilesUnder(o.data_dir + "/repository/documents").size(), 1u);  // pending
  EXPECT_EQ(node->process().Stop(), 0);

  o.registry_url = centre->registry_url();
  node = NodeProcess::Start(o, &error);
  ASSERT_NE(node, nullptr) << error;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  while (!FilesUnder(o.data_dir + "/repository/documents").empty() &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_TRUE(FilesUnder(o.data_dir + "/repository/documents").empty());
}

}  // namespace
}  // namespace renkei::e2e
