// Operating contract of `renkei centre`, `renkei config example` and `renkei demo`
// (architecture §9): ready line, config loading and its errors, loopback-only plain HTTP,
// data_dir creation and reuse across restarts (registered via ITI-42, found via ITI-18).
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include "tests/e2e/centre_process.h"
#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

using std::chrono::seconds;

std::unique_ptr<CentreProcess> StartOrFail(const CentreOptions& options) {
  std::string error;
  auto c = CentreProcess::Start(options, &error);
  EXPECT_NE(c, nullptr) << error;
  return c;
}

// `renkei centre ARGS` that must refuse to start: non-zero exit, no ready line, and a
// message on stderr that contains every one of `mentions`.
void ExpectRefused(const std::vector<std::string>& args, const std::vector<std::string>& mentions) {
  RunResult r = RunRenkei(args, seconds(30));
  SCOPED_TRACE("stderr: " + r.err);
  EXPECT_NE(r.exit_code, -1) << "still running after 30 s (it should have refused to start)";
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(r.out.find("ready"), std::string::npos) << r.out;
  for (const std::string& m : mentions) EXPECT_NE(r.err.find(m), std::string::npos) << m;
}

std::vector<std::string> CentreArgs(const std::string& data_dir,
                                    std::vector<std::string> extra_sets,
                                    const std::string& config_file = "") {
  std::vector<std::string> args = {"centre"};
  if (!config_file.empty()) args.insert(args.end(), {"--config", config_file});
  std::vector<std::string> sets = DefaultCentreOverrides();
  sets.push_back("data_dir=" + data_dir);
  sets.insert(sets.end(), extra_sets.begin(), extra_sets.end());
  for (const auto& s : sets) args.insert(args.end(), {"--set", s});
  return args;
}

SoapAnswer Query(const CentreProcess& c, const std::string& body) {
  HttpAnswer a = PostSoap(c.base_url(), wire::kActionQuery,
                          Soap12(wire::kActionQuery, c.registry_url(), body));
  EXPECT_EQ(a.status, 200) << a.error << a.body;
  return ReadSoap(a.body);
}

TEST(AppContract, ReadyLineOnAPipeNamesTheBoundPort) {
  auto c = StartOrFail({});
  ASSERT_NE(c, nullptr);
  // The fixture read the line from a pipe: it was flushed without the process exiting.
  EXPECT_TRUE(
      std::regex_match(c->ready_line(), std::regex(R"(ready centre http://127\.0\.0\.1:[0-9]+ mllp://127\.0\.0\.1:[0-9]+)")))
      << c->ready_line();
  EXPECT_GT(c->port(), 0) << "port 0 must be replaced by the port actually bound";
  EXPECT_TRUE(c->alive());
  // Exactly one ready line, and the URL it names answers.
  std::string out = c->process().out();
  EXPECT_EQ(out.find("ready"), out.rfind("ready")) << out;
  SoapAnswer r = Query(*c, FindDocumentsXml(PatientId(1)));
  EXPECT_EQ(r.status, wire::kSuccess) << r.body_xml;
  // SIGTERM stops it cleanly.
  EXPECT_EQ(c->process().Stop(seconds(10)), 0) << c->process().err();
}

TEST(AppContract, ConfigExampleLoadsUnchangedAsConfigFile) {
  RunResult ex = RunRenkei({"config", "example", "centre"});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  ASSERT_FALSE(ex.out.empty());
  for (const char* key :
       {"data_dir", "listen", "insecure_loopback", "regional_domain", "max_request_bytes"}) {
    EXPECT_NE(ex.out.find(key), std::string::npos) << "example lacks " << key;
  }
  TempDir dir;
  const std::string file = dir.path() + "/centre.json";
  WriteFileOrDie(file, ex.out);

  // Unchanged file, only the per-test overrides the contract allows (--set wins).
  CentreOptions o;
  o.config_file = file;
  auto c = StartOrFail(o);
  ASSERT_NE(c, nullptr);
  EXPECT_TRUE(c->alive());

  // Unchanged file and nothing else: the only thing it may refuse is the mutual TLS listener
  // without certificate files (tls.insecure_loopback defaults to false): the message names
  // the tls key, and nothing complains about the file itself.
  RunResult plain =
      RunRenkei({"centre", "--config", file, "--set", "data_dir=" + dir.path() + "/plain", "--set",
                 "http.listen=127.0.0.1:0"},
                seconds(30));
  if (plain.exit_code != -1 && plain.exit_code != 0) {
    EXPECT_NE(plain.err.find("config key 'tls."), std::string::npos) << plain.err;
    EXPECT_EQ(plain.err.find("malformed"), std::string::npos) << plain.err;
    EXPECT_EQ(plain.err.find("unknown"), std::string::npos) << plain.err;
  } else {
    ADD_FAILURE() << "plain HTTP started without tls.insecure_loopback=true: " << plain.out;
  }
}

TEST(AppContract, ConfigErrorsExitNonZeroNamingTheKey) {
  TempDir dir;
  const std::string dd = dir.path() + "/d";
  // Unknown key, by --set and in a file.
  ExpectRefused(CentreArgs(dd, {"http.lisen=127.0.0.1:0"}), {"http.lisen"});
  ExpectRefused(CentreArgs(dd, {"no_such_key=1"}), {"no_such_key"});
  WriteFileOrDie(dir.path() + "/unknown.json", R"({"registry": {"max_query_result": 5}})");
  ExpectRefused(CentreArgs(dd, {}, dir.path() + "/unknown.json"), {"max_query_result"});
  // Wrong type, by --set and in a file.
  ExpectRefused(CentreArgs(dd, {"http.max_threads=many"}), {"http.max_threads"});
  ExpectRefused(CentreArgs(dd, {"tls.insecure_loopback=\"yes\""}), {"tls.insecure_loopback"});
  ExpectRefused(CentreArgs(dd, {"registry.known_patient_ids=5"}), {"registry.known_patient_ids"});
  ExpectRefused(CentreArgs(dd, {"registry.readers=0"}), {"registry.readers", ">= 1"});
  WriteFileOrDie(dir.path() + "/type.json", R"({"soap": {"max_request_bytes": "big"}})");
  ExpectRefused(CentreArgs(dd, {}, dir.path() + "/type.json"), {"soap.max_request_bytes"});
  // Malformed JSON: names the file.
  WriteFileOrDie(dir.path() + "/bad.json", "{\"http\": {\"listen\": ");
  ExpectRefused(CentreArgs(dd, {}, dir.path() + "/bad.json"), {"bad.json"});
  // Missing config file.
  ExpectRefused(CentreArgs(dd, {}, dir.path() + "/absent.json"), {"absent.json"});
  // Bad http.listen values.
  for (const char* v :
       {"nohostport", "127.0.0.1:", "127.0.0.1:http", "127.0.0.1:99999", "127.0.0.1:-1", ":8080"}) {
    SCOPED_TRACE(v);
    ExpectRefused(CentreArgs(dd, {std::string("http.listen=") + v}), {"http.listen"});
  }
}

// `renkei node`: its example config loads unchanged (with the e2e overrides), and bad
// values are refused naming the key.
TEST(AppContract, NodeConfigExampleLoadsAndErrorsNameTheKey) {
  RunResult ex = RunRenkei({"config", "example", "node"});
  ASSERT_EQ(ex.exit_code, 0) << ex.err;
  for (const char* key : {"data_dir", "listen", "registry.url", "repository.unique_id",
                          "facility.oid", "centre.url", "max_document_bytes"}) {
    const std::string leaf = std::string(key).substr(std::string(key).rfind('.') + 1);
    EXPECT_NE(ex.out.find(leaf), std::string::npos) << "example lacks " << key;
  }
  TempDir dir;
  const std::string file = dir.path() + "/node.json";
  WriteFileOrDie(file, ex.out);
  RunResult bad = RunRenkei({"node", "--config", file, "--set", "tls.insecure_loopback=true",
                             "--set", "http.listen=127.0.0.1:0", "--set",
                             "registry.url=ftp://centre/xds/registry", "--set",
                             "data_dir=" + dir.path() + "/n"},
                            seconds(30));
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("registry.url"), std::string::npos) << bad.err;
  ExpectRefused({"node", "--set", "repository.max_document_bytes=0", "--set",
                 "tls.insecure_loopback=true", "--set", "data_dir=" + dir.path() + "/n"},
                {"repository.max_document_bytes"});
  ExpectRefused({"node", "--set", "repository.unique_idd=1.2"}, {"repository.unique_idd"});
  NodeOptions o;
  o.registry_url = "http://127.0.0.1:9/xds/registry";
  o.data_dir = dir.path() + "/ok";
  std::string error;
  auto node = NodeProcess::Start(o, &error);
  ASSERT_NE(node, nullptr) << error;
}

TEST(AppContract, PlainHttpNeedsInsecureLoopbackAndOnlyOn127001) {
  TempDir dir;
  const std::string dd = dir.path() + "/d";
  // Without insecure loopback every listener is mutual TLS: without certificate files it
  // cannot start, and says which key is missing.
  ExpectRefused(CentreArgs(dd, {"tls.insecure_loopback=false"}), {"config key 'tls."});
  // Another loopback address is still not 127.0.0.1 (never bind anything wider in tests).
  ExpectRefused(CentreArgs(dd, {"http.listen=127.0.0.2:0"}), {"127.0.0.1"});
}

TEST(AppContract, PortInUseExitsNonZero) {
  auto first = StartOrFail({});
  ASSERT_NE(first, nullptr);
  TempDir dir;
  ExpectRefused(
      CentreArgs(dir.path() + "/d", {"http.listen=127.0.0.1:" + std::to_string(first->port())}),
      {std::to_string(first->port())});
  EXPECT_TRUE(first->alive());
}

TEST(AppContract, DataDirIsCreatedAndReusedAcrossRestart) {
  TempDir dir;
  const std::string data_dir = dir.path() + "/nested/deeper/centre";
  ASSERT_FALSE(std::filesystem::exists(data_dir));
  TestSubmission sub = NewSubmission(PatientId(1), 2);
  {
    CentreOptions o;
    o.data_dir = data_dir;
    auto c = StartOrFail(o);
    ASSERT_NE(c, nullptr);
    EXPECT_TRUE(std::filesystem::is_directory(data_dir));
    HttpAnswer a =
        PostSoap(c->base_url(), wire::kActionRegister,
                 Soap12(wire::kActionRegister, c->registry_url(), SubmitObjectsRequestXml(sub)));
    ASSERT_EQ(a.status, 200) << a.error << a.body;
    SoapAnswer r = ReadSoap(a.body);
    ASSERT_EQ(r.status, wire::kSuccess) << a.body;
    EXPECT_EQ(c->process().Stop(seconds(10)), 0) << c->process().err();
  }
  EXPECT_FALSE(std::filesystem::is_empty(data_dir));
  CentreOptions o;
  o.data_dir = data_dir;
  auto c = StartOrFail(o);
  ASSERT_NE(c, nullptr);
  SoapAnswer r = Query(*c, FindDocumentsXml(PatientId(1)));
  EXPECT_EQ(r.status, wire::kSuccess) << r.body_xml;
  std::vector<std::string> got = r.extrinsic_unique_ids;
  std::sort(got.begin(), got.end());
  std::vector<std::string> want = sub.document_unique_ids;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(got, want);
  // And the data is reused, not re-registered: the same uniqueId is now a duplicate.
  HttpAnswer again =
      PostSoap(c->base_url(), wire::kActionRegister,
               Soap12(wire::kActionRegister, c->registry_url(), SubmitObjectsRequestXml(sub)));
  SoapAnswer ra = ReadSoap(again.body);
  EXPECT_EQ(ra.status, wire::kFailure) << again.body;
}

// registry.prewarm (default on): after the ready line the centre reads its store's hot
// B-trees once, says so at info level, and keeps the file mapped (what protects those pages
// from a host's reclaim of unmapped page cache: common/sqlite_mapped_vfs.h).
TEST(AppContract, RestartedCentrePrewarmsItsStoreAndKeepsItMapped) {
  TempDir dir;
  const std::string data_dir = dir.path() + "/centre";
  {
    CentreOptions o;
    o.data_dir = data_dir;
    auto c = StartOrFail(o);
    ASSERT_NE(c, nullptr);
    HttpAnswer a = PostSoap(
        c->base_url(), wire::kActionRegister,
        Soap12(wire::kActionRegister, c->registry_url(),
               SubmitObjectsRequestXml(NewSubmission(PatientId(1), 3))));
    ASSERT_EQ(ReadSoap(a.body).status, wire::kSuccess) << a.body;
    EXPECT_EQ(c->process().Stop(seconds(10)), 0) << c->process().err();
  }
  CentreOptions o;
  o.data_dir = data_dir;
  o.overrides = {"log.level=info"};
  auto c = StartOrFail(o);
  ASSERT_NE(c, nullptr);
  const auto deadline = std::chrono::steady_clock::now() + seconds(20);
  while (c->process().err().find("registry: prewarmed") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  EXPECT_NE(c->process().err().find("registry: prewarmed"), std::string::npos)
      << c->process().err();
  std::ifstream maps("/proc/" + std::to_string(c->process().pid()) + "/maps");
  std::string line;
  bool mapped = false;
  while (std::getline(maps, line)) {
    mapped = mapped || (line.size() > 16 &&
                        line.compare(line.size() - 16, 16, "/registry.sqlite") == 0);
  }
  EXPECT_TRUE(mapped) << "registry.sqlite is not mapped by the centre";
  SoapAnswer r = Query(*c, FindDocumentsXml(PatientId(1)));
  EXPECT_EQ(r.status, wire::kSuccess) << r.body_xml;
  EXPECT_EQ(r.extrinsic_unique_ids.size(), 3u);
}

TEST(AppContract, DemoOncePrintsWorkingCurlLineAndExitsZero) {
  TempDir dir;
  RunResult r = RunRenkei({"demo", "--port", "0", "--data-dir", dir.path() + "/demo", "--once"},
                          seconds(120));
  SCOPED_TRACE("stdout: " + r.out + "\nstderr: " + r.err);
  ASSERT_EQ(r.exit_code, 0);
  std::smatch m;
  ASSERT_TRUE(std::regex_search(
      r.out, m, std::regex(R"((^|\n)ready demo (https://127\.0\.0\.1:([0-9]+))\n)")));
  const std::string base = m[2];
  EXPECT_NE(std::string(m[3]), "0") << "port 0 must be printed as the port actually bound";
  EXPECT_NE(r.out.find("curl "), std::string::npos);
  // The demo runs over mutual TLS: the printed commands present a facility certificate of
  // the region's CA, which the demo made.
  const std::string pki = dir.path() + "/demo/pki";
  EXPECT_NE(r.out.find("--cacert " + pki + "/ca/ca.cert.pem --cert " + pki + "/node-2.cert.pem"),
            std::string::npos);
  for (const char* f : {"/ca/ca.cert.pem", "/ca/ca.crl.pem", "/centre.cert.pem",
                        "/node-1.key.pem", "/clinic.p12"}) {
    EXPECT_TRUE(std::filesystem::exists(pki + f)) << f;
  }
  const std::string query_file = dir.path() + "/demo/find-documents.xml";
  EXPECT_NE(r.out.find("@" + query_file), std::string::npos);
  EXPECT_NE(r.out.find(base + "/xds/registry"), std::string::npos);
  ASSERT_TRUE(std::filesystem::exists(query_file));
  // The printed request is a SOAP 1.2 ITI-18 message.
  std::string q = ReadFileOrDie(query_file);
  EXPECT_NE(q.find(wire::kActionQuery), std::string::npos);
  EXPECT_NE(q.find(wire::kSqFindDocuments), std::string::npos);
  // Each hospital's node holds the bytes of its 12 documents (ITI-41), hospital A's also the
  // XDS-I.b manifests of its 3 imaging studies and the one that replaced the CT's when it
  // gained a slice, and the printed ITI-43 request names one of them.
  EXPECT_EQ(FilesUnder(dir.path() + "/demo/node-1/repository/documents").size(), 16u);
  EXPECT_EQ(FilesUnder(dir.path() + "/demo/node-2/repository/documents").size(), 12u);
  const std::string retrieve_file = dir.path() + "/demo/retrieve-document.xml";
  EXPECT_NE(r.out.find("@" + retrieve_file), std::string::npos);
  EXPECT_NE(r.out.find("/xds/repository"), std::string::npos);
  EXPECT_NE(ReadFileOrDie(retrieve_file).find("urn:ihe:iti:2007:RetrieveDocumentSet"),
            std::string::npos);
}

}  // namespace
}  // namespace renkei::e2e
