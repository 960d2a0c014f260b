// Conformance replay: every NIST XDS testkit registry and repository test (register/, query/,
// update/, fixtures/, pid-change/, repository/) and the ebRS 3.0 wire examples, against a
// running `renkei centre` and a `renkei node` registering at it.
#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include <Poco/Pipe.h>
#include <Poco/PipeStream.h>
#include <Poco/Process.h>
#include <gtest/gtest.h>

#include "dicomweb/dicom_test_util.h"
#include "tests/conformance/replay_engine.h"
#include "tests/conformance/soap_client.h"
#include "tests/conformance/test_paths.h"

namespace renkei::conformance {
namespace {

namespace fs = std::filesystem;

// Order matters: fixtures first; queries before the register/update/repository tests that add
// more documents for the same fixture patients.
const char* const kFamilies[] = {"fixtures", "query",      "register",
                                 "update",   "pid-change", "repository", "xdsi"};
// The node's repositoryUniqueId and facility (the harness's own OID arc; no testplan names
// one: RetrieveTransaction steps take it from the stored query, report "repuid").
constexpr char kRepositoryUniqueId[] = "1.3.6.1.4.1.21367.2026.99.2";
constexpr char kFacilityOid[] = "1.3.6.1.4.1.21367.2026.99.3";
// The Imaging Document Source's repositoryUniqueId in NIST's RAD-69 requests (xdsi/).
constexpr char kNistImagingRepository[] = "1.3.6.1.4.1.21367.13.80.110";

// The instances NIST's RAD-69 tests retrieve (ids_2018-4801a/b "import the imaging data"):
// its reference images are not in the corpus, so small CT images are made at the same study /
// series / SOP Instance UIDs, as the requests place them. {study, series, sop}.
const char* const kNistImages[][3] = {
    // ids_2018-4803a and 4811 case-00, case-02 (an unknown SOP in this series)
    {"1.3.6.1.4.1.14519.5.2.1.2857.3273.184862055846930271614754681036",
     "1.3.6.1.4.1.14519.5.2.1.2857.3273.181092492540572112241403328675",
     "1.3.6.1.4.1.14519.5.2.1.2857.3273.393987221165344252190796851776"},
    // 4820, 4811 case-04 (asked under another study), case-08/09
    {"1.3.6.1.4.1.14519.5.2.1.7085.2626.192997540292073877946622133586",
     "1.3.6.1.4.1.14519.5.2.1.7085.2626.831285735928731782652048570955",
     "1.3.6.1.4.1.14519.5.2.1.7085.2626.310894536700672302243471156028"},
    // 4811 case-03: in the same study, another series than the one asked
    {"1.3.6.1.4.1.14519.5.2.1.7085.2626.192997540292073877946622133586",
     "1.3.6.1.4.1.14519.5.2.1.7085.2626.831285735928731782652048570956",
     "1.3.6.1.4.1.14519.5.2.1.7085.2626.917173693042362721495240037775"},
    // 4811 case-01, case-05..07
    {"1.3.6.1.4.1.21367.201599.1.201604020954059", "1.3.6.1.4.1.21367.201599.2.201604020954059",
     "1.3.6.1.4.1.21367.201599.3.201604020954059.1"},
};

// Stores kNistImages at the node by STOW-RS (what a PACS would do); their bytes by SOP UID.
Result<std::map<std::string, std::string>> ImportNistImages(const std::string& node_url) {
  std::map<std::string, std::string> images;
  std::string body;
  const fs::path dir = fs::temp_directory_path() / ("renkei-xdsi-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  for (const auto& uids : kNistImages) {
    dicomweb::testing::TestInstance t;
    t.study = uids[0];
    t.series = uids[1];
    t.sop = uids[2];
    t.patient_id = "C3L-00277";
    const std::string path = (dir / (t.sop + ".dcm")).string();
    if (!dicomweb::testing::WriteTestInstance(t, path)) {
      return Status::Internal("xdsi", "cannot write " + path);
    }
    images[t.sop] = dicomweb::testing::ReadAll(path);
    body += "--NIST\r\nContent-Type: application/dicom\r\n\r\n" + images[t.sop] + "\r\n";
  }
  body += "--NIST--\r\n";
  std::error_code ec;
  fs::remove_all(dir, ec);
  HttpTransport stow(node_url + "/dicomweb/studies");
  Result<HttpReply> r =
      stow.Post("multipart/related; type=\"application/dicom\"; boundary=NIST", body);
  if (!r.ok()) return r.status();
  if (r->status != 200) {
    return Status::Internal("xdsi", "STOW-RS of the RAD-69 images answered " +
                                        std::to_string(r->status) + ": " + r->body);
  }
  return images;
}

struct CaseRef {
  std::string name;    // gtest parameter name
  std::string family;  // table row
  std::string nist_id;  // empty for wire cases
  WireCase wire;
};

// Keeps gtest's listing readable (and parseable by gtest_discover_tests).
void PrintTo(const CaseRef& c, std::ostream* os) { *os << c.name; }

// registry_cases.txt: `<case>|<reason>` for cases the harness does not run.
std::map<std::string, std::string> NotApplicable() {
  std::map<std::string, std::string> out;
  std::ifstream in(HarnessDir() + "/registry_cases.txt");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    size_t bar = line.find('|');
    out[line.substr(0, bar)] = bar == std::string::npos ? "" : line.substr(bar + 1);
  }
  return out;
}

std::string GtestName(std::string s) {
  for (char& c : s) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return s;
}

std::vector<CaseRef> AllCases() {
  std::vector<CaseRef> out;
  std::map<std::string, std::string> na = NotApplicable();
  fs::path xds = fs::path(CorpusDir()) / "xds";
  for (const char* family : kFamilies) {
    std::vector<std::string> folders;
    if (!fs::exists(xds / family)) continue;
    for (const auto& e : fs::directory_iterator(xds / family)) {
      if (e.is_directory()) folders.push_back(e.path().filename().string());
    }
    std::sort(folders.begin(), folders.end());
    for (const std::string& f : folders) {
      std::string key = std::string(family) + "/" + f;
      if (na.count(key)) continue;
      out.push_back({GtestName(std::string(family) + "_" + f), family, NistIdOf(f), {}});
    }
  }
  Result<std::vector<WireCase>> wire = LoadWireCases(HarnessDir() + "/wire_cases.txt");
  if (wire.ok()) {
    for (WireCase& wc : *wire) {
      if (na.count(wc.file)) continue;
      std::string family = fs::path(wc.file).parent_path().string();
      out.push_back({GtestName(wc.name), family, "", wc});
    }
  }
  return out;
}

// One `renkei <role>` child: launched, its "ready <role> <url> ..." line awaited (a 30 s
// watchdog kills a child that neither prints it nor exits), stdout drained, stopped by pid.
class RoleProcess {
 public:
  // Returns the URL of the ready line, or "" with the reason in *error.
  std::string Start(const std::string& exe, const std::vector<std::string>& args,
                    const std::string& role, std::string* error) {
    const std::string ready = "ready " + role + " ";
    std::string url;
    try {
      Poco::Pipe out_pipe;
      Poco::ProcessHandle h = Poco::Process::launch(exe, args, nullptr, &out_pipe, nullptr);
      pid_ = h.id();
      handle_ = std::make_unique<Poco::ProcessHandle>(h);
      Poco::PipeInputStream out(out_pipe);
      std::atomic<bool> settled{false};
      std::thread watchdog([this, &settled] {
        for (int i = 0; i < 300 && !settled; ++i) {
          std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        if (!settled) ::kill(pid_, SIGKILL);
      });
      std::string line;
      // The child exiting closes the pipe and ends the loop.
      while (std::getline(out, line)) {
        if (line.rfind(ready, 0) == 0) {
          url = line.substr(ready.size(), line.find(' ', ready.size()) - ready.size());
          break;
        }
      }
      settled = true;
      watchdog.join();
      if (url.empty()) {
        *error = "renkei " + role + " did not print '" + ready + "' (exited or hung > 30 s)";
      }
      // Keep draining stdout so the child never blocks on a full pipe.
      drain_ = std::thread([p = std::move(out_pipe)]() mutable {
        Poco::PipeInputStream in(p);
        std::string l;
        while (std::getline(in, l)) {
        }
      });
    } catch (const std::exception& e) {
      *error = "cannot start renkei " + role + ": " + e.what();
    }
    return url;
  }

  // SIGTERM, then SIGKILL after 5 s; reaps the child.
  void Stop() {
    if (handle_) {
      ::kill(pid_, SIGTERM);
      bool exited = false;
      for (int i = 0; i < 50 && !exited; ++i) {
        exited = handle_->tryWait() != -1;
        if (!exited) std::this_thread::sleep_for(std::chrono::milliseconds(100));
      }
      if (!exited) {
        ::kill(pid_, SIGKILL);
        handle_->wait();
      }
      handle_.reset();
    }
    if (drain_.joinable()) drain_.join();
  }

 private:
  Poco::ProcessHandle::PID pid_ = 0;
  std::unique_ptr<Poco::ProcessHandle> handle_;
  std::thread drain_;
};

// Starts one `renkei centre` and one `renkei node` (registering at the centre) for the whole
// suite and owns the replay engine: ITI-18/42/57 go to the centre, ITI-41/43 to the node.
class Centre : public ::testing::Environment {
 public:
  static Centre* instance;
  std::unique_ptr<HttpTransport> transport;
  std::unique_ptr<HttpTransport> repository;
  std::unique_ptr<ReplayEngine> engine;
  std::string start_error;
  std::map<std::string, std::pair<int, int>> table;  // family -> passed, total
  std::vector<std::string> failures;

  void SetUp() override {
    instance = this;
    fs::path xds = fs::path(CorpusDir()) / "xds";
    // The URLs are known from the ready lines: each process binds a free port itself (a port
    // picked here and released could be taken by a parallel test before it binds).
    transport = std::make_unique<HttpTransport>("");
    repository = std::make_unique<HttpTransport>("");
    engine = std::make_unique<ReplayEngine>(transport.get(), "", (xds).string());
    for (const char* family : kFamilies) {
      if (!fs::exists(xds / family)) continue;
      for (const auto& e : fs::directory_iterator(xds / family)) {
        if (!e.is_directory()) continue;
        Result<TestDefinition> d = LoadTestDefinition(e.path(), family);
        if (d.ok()) engine->AddTest(std::move(d).value());
      }
    }
    std::string pids = "[";
    for (const std::string& p : engine->KnownPatientIds()) {
      pids += (pids.size() > 1 ? "," : "") + std::string("\"") + p + "\"";
    }
    pids += "]";
    std::string exe = BinaryDir() + "/apps/renkei";
    data_dir_ = fs::temp_directory_path() / ("renkei-replay-" + std::to_string(::getpid()));
    fs::create_directories(data_dir_);
    fs::path config = data_dir_ / "centre.json";
    std::ofstream(config) << "{}\n";
    if (!fs::exists(exe)) {
      start_error = exe + " does not exist";
      return;
    }
    const std::string centre_url =
        centre_.Start(exe,
                      {"centre", "--config", config.string(),
                       "--set", "data_dir=" + (data_dir_ / "data").string(),
                       "--set", "http.listen=127.0.0.1:0",
                       "--set", "mllp.listen=127.0.0.1:0",
                       "--set", "tls.insecure_loopback=true",
                       // The replay registers and queries as one facility, the node's
                       // (default deny: a facility sees what it registered itself).
                       "--set", std::string("registry.default_facility=") + kFacilityOid,
                       "--set", "registry.known_patient_ids=" + pids},
                      "centre", &start_error);
    if (centre_url.empty()) return;
    transport->set_url(centre_url + "/xds/registry");
    engine->SetEndpoint(centre_url + "/xds/registry");
    const std::string node_url =
        node_.Start(exe,
                    {"node",
                     "--set", "data_dir=" + (data_dir_ / "node").string(),
                     "--set", "http.listen=127.0.0.1:0",
                     "--set", "tls.insecure_loopback=true",
                     "--set", "registry.url=" + centre_url + "/xds/registry",
                     "--set", std::string("repository.unique_id=") + kRepositoryUniqueId,
                     "--set", std::string("facility.oid=") + kFacilityOid},
                    "node", &start_error);
    if (node_url.empty()) return;
    repository->set_url(node_url + "/xds/repository");
    engine->SetRepository(repository.get(), node_url + "/xds/repository");
    Result<std::map<std::string, std::string>> images = ImportNistImages(node_url);
    if (!images.ok()) {
      start_error = images.status().ToString();
      return;
    }
    engine->AddImportedImages(kNistImagingRepository, kRepositoryUniqueId, *images);
  }

  void TearDown() override {
    node_.Stop();
    centre_.Stop();
    std::error_code ec;
    fs::remove_all(data_dir_, ec);
    std::cout << "\n=== Conformance replay: passed/total per folder ===\n";
    for (const auto& [family, pt] : table) {
      std::cout << "  " << family << ": " << pt.first << "/" << pt.second << "\n";
    }
    if (!failures.empty()) std::cout << "=== Failing cases ===\n";
    for (const std::string& f : failures) std::cout << "  " << f << "\n";
    // Also kept on disk for the report: <binary dir>/conformance_replay_results.txt, from a
    // whole-suite run only (ctest runs one case per process).
    int ran = 0;
    for (const auto& [family, pt] : table) ran += pt.second;
    if (ran < 2) return;
    std::ofstream res(BinaryDir() + "/conformance_replay_results.txt");
    for (const auto& [family, pt] : table) res << family << " " << pt.first << "/" << pt.second << "\n";
    for (const std::string& f : failures) res << "FAIL " << f << "\n";
  }

 private:
  fs::path data_dir_;
  RoleProcess centre_;
  RoleProcess node_;
};
Centre* Centre::instance = nullptr;

class ConformanceReplay : public ::testing::TestWithParam<CaseRef> {};

TEST_P(ConformanceReplay, Case) {
  Centre* c = Centre::instance;
  const CaseRef& ref = GetParam();
  auto& row = c->table[ref.family];
  ++row.second;
  if (!c->start_error.empty()) {
    c->failures.push_back(ref.family + "/" + ref.name + ": " + c->start_error);
    FAIL() << c->start_error;
  }
  TestOutcome o = ref.nist_id.empty() ? c->engine->RunWireCase(ref.wire) : c->engine->RunTest(ref.nist_id);
  if (o.passed()) {
    ++row.first;
  } else {
    c->failures.push_back(ref.family + "/" + ref.name + ": " + o.FailureSummary());
  }
  EXPECT_TRUE(o.passed()) << o.FailureSummary();
}

INSTANTIATE_TEST_SUITE_P(Xds, ConformanceReplay, ::testing::ValuesIn(AllCases()),
                         [](const ::testing::TestParamInfo<CaseRef>& i) { return i.param.name; });

const ::testing::Environment* const kCentre = ::testing::AddGlobalTestEnvironment(new Centre);

}  // namespace
}  // namespace renkei::conformance
