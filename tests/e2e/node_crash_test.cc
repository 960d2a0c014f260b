// Crash tests of the node's Document Repository (ITI-41 Provide and Register, ITI-43
// Retrieve) and its registrations at the centre (ITI-42): a stream of ITI-41 submissions runs
// from a few client threads while a killer thread SIGKILLs the node, or the centre, at random
// moments and restarts it on the same data_dir. The durability design
// (repository/document_store.h, repository/document_repository.h, repository/reconciler.h)
// promises that afterwards, once the node has settled its pending documents:
//   (a) every acknowledged document is retrievable by ITI-43, byte-identical, and the registry
//       holds it with the SHA-1 of its bytes;
//   (b) no temp file is left in repository/tmp;
//   (c) every file in repository/documents is named by a registered index row, every row's
//       file is there with the row's hash, and the registry holds every registered document;
//   (d) the registry holds no entry of this repository that the node cannot return.
// A request that got no answer (the process died under it) is simply not acknowledged.
#include <Poco/DigestEngine.h>
#include <Poco/SHA1Engine.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <pugixml.hpp>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kPnr[] = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b";
constexpr char kRetrieve[] = "urn:ihe:iti:2007:RetrieveDocumentSet";
constexpr char kNotAvailable[] = "XDSRegistryNotAvailable";

constexpr uint64_t kSeed = 0x5eed'2e2c'0de5ULL;  // sizes, document counts, kill moments
constexpr int kClients = 3;
constexpr int kKillRounds = 5;
constexpr int kPatients = 3;  // PatientId(1..3), known to every e2e centre
constexpr size_t kMinBytes = 1024;
constexpr size_t kMaxBytes = 300 * 1024;
// Each client pauses between submissions, which bounds the documents to check afterwards
// on a fast machine; the kills still land among requests in flight.
constexpr int kPauseMinMs = 10;
constexpr int kPauseMaxMs = 40;
constexpr size_t kRetrieveBatch = 10;  // documents per ITI-43 request when checking

std::string Sha1Hex(const std::string& bytes) {
  Poco::SHA1Engine sha1;
  sha1.update(bytes);
  return Poco::DigestEngine::digestToHex(sha1.digest());
}

// The bytes of document `unique_id`: a marker line naming it, then bytes from a generator
// seeded by the id. The same call gives the same bytes, so the test keeps only ids and sizes.
std::string DocumentBytes(const std::string& unique_id, size_t size) {
  std::string s = "renkei node crash test document " + unique_id + "\r\n--\r\n";
  std::seed_seq seed(unique_id.begin(), unique_id.end());
  std::mt19937_64 rng(seed);
  while (s.size() < size) {
    const uint64_t v = rng();
    for (int i = 0; i < 8 && s.size() < size; ++i) s.push_back(static_cast<char>(v >> (8 * i)));
  }
  s.resize(size);
  return s;
}

// A document the node acknowledged (ITI-41 Success).
struct Acknowledged {
  std::string unique_id;
  size_t size = 0;
  std::string sha1;
};

// What the client threads saw.
struct Tally {
  std::vector<Acknowledged> acknowledged;
  std::map<std::string, int> patient_of;  // every document sent: uniqueId → patient number
  int submissions = 0;
  int no_answer = 0;                    // connection refused or cut: the process was down
  std::map<std::string, int> refused;   // Failure answers by first error code
  std::vector<std::string> unexpected;  // answers that are neither Success nor a Failure

  void Merge(const Tally& t) {
    acknowledged.insert(acknowledged.end(), t.acknowledged.begin(), t.acknowledged.end());
    patient_of.insert(t.patient_of.begin(), t.patient_of.end());
    submissions += t.submissions;
    no_answer += t.no_answer;
    for (const auto& [code, n] : t.refused) refused[code] += n;
    unexpected.insert(unexpected.end(), t.unexpected.begin(), t.unexpected.end());
  }
};

// A registry entry of a DocumentEntry, read from an AdhocQueryResponse (LeafClass).
struct RegistryEntry {
  std::string hash, size, repository_unique_id;
};

std::string LocalName(const char* qname) {
  const char* colon = std::strchr(qname, ':');
  return colon ? colon + 1 : qname;
}

// uniqueId → entry for every ExtrinsicObject of a query answer's body.
std::map<std::string, RegistryEntry> RegistryEntries(const SoapAnswer& answer) {
  std::map<std::string, RegistryEntry> out;
  pugi::xml_document doc;
  if (!doc.load_buffer(answer.body_xml.data(), answer.body_xml.size())) return out;
  constexpr char kDocUniqueIdScheme[] = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab";
  std::function<void(pugi::xml_node)> walk = [&](pugi::xml_node n) {
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      if (LocalName(c.name()) != "ExtrinsicObject") {
        walk(c);
        continue;
      }
      std::string unique_id;
      RegistryEntry e;
      for (pugi::xml_node d = c.first_child(); d; d = d.next_sibling()) {
        const std::string name = LocalName(d.name());
        if (name == "ExternalIdentifier" &&
            std::string(d.attribute("identificationScheme").value()) == kDocUniqueIdScheme) {
          unique_id = d.attribute("value").value();
        } else if (name == "Slot") {
          const std::string slot = d.attribute("name").value();
          std::string value;
          for (pugi::xml_node l = d.first_child(); l; l = l.next_sibling()) {
            if (LocalName(l.name()) != "ValueList") continue;
            for (pugi::xml_node v = l.first_child(); v; v = v.next_sibling()) {
              if (LocalName(v.name()) == "Value") value = v.text().get();
            }
          }
          if (slot == "hash") e.hash = value;
          if (slot == "size") e.size = value;
          if (slot == "repositoryUniqueId") e.repository_unique_id = value;
        }
      }
      out[unique_id] = e;
    }
  };
  walk(doc);
  return out;
}

struct Mtom {
  int http = -1;
  std::string error;
  SoapAnswer soap;
  std::vector<MimePart> parts;
};

Mtom PostMtom(const std::string& base_url, const std::string& action, const std::string& body_xml,
              const std::vector<MimePart>& attachments) {
  const std::string envelope = Soap12(action, base_url + "/xds/repository", body_xml);
  MtomMessage m = BuildMtom(envelope, attachments, action);
  HttpAnswer h = Post(base_url, "/xds/repository", m.content_type, m.body, {}, 30);
  Mtom a;
  a.http = h.status;
  a.error = h.error;
  if (h.content_type.find("multipart/related") != std::string::npos) {
    a.parts = SplitMultipart(h.content_type, h.body);
    if (!a.parts.empty()) a.soap = ReadSoap(a.parts.front().data);
  } else {
    a.soap = ReadSoap(h.body);
  }
  return a;
}

// ITI-43 for `ids` in one request: uniqueId → bytes of each document returned, matched
// through its DocumentResponse's xop:Include. *error describes an answer without them.
std::map<std::string, std::string> Retrieve(const std::string& node_url,
                                            const std::vector<std::string>& ids,
                                            std::string* error) {
  std::vector<std::pair<std::string, std::string>> requests;
  for (const std::string& id : ids) requests.push_back({kNodeRepositoryId, id});
  Mtom got = PostMtom(node_url, kRetrieve, RetrieveXml(requests), {});
  std::map<std::string, std::string> out;
  *error = "HTTP " + std::to_string(got.http) + " " + got.error + " " + got.soap.status + " " +
           got.soap.body_xml.substr(0, 2000);
  if (got.http != 200 || got.parts.empty()) return out;
  std::map<std::string, std::string*> by_cid;
  for (MimePart& p : got.parts) by_cid["cid:" + p.content_id] = &p.data;
  pugi::xml_document doc;
  if (!doc.load_buffer(got.parts[0].data.data(), got.parts[0].data.size())) return out;
  std::function<void(pugi::xml_node)> walk = [&](pugi::xml_node n) {
    for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
      if (c.type() != pugi::node_element) continue;
      if (LocalName(c.name()) != "DocumentResponse") {
        walk(c);
        continue;
      }
      std::string unique_id, href;
      for (pugi::xml_node d = c.first_child(); d; d = d.next_sibling()) {
        if (LocalName(d.name()) == "DocumentUniqueId") unique_id = d.text().get();
        if (LocalName(d.name()) != "Document") continue;
        for (pugi::xml_node i = d.first_child(); i; i = i.next_sibling()) {
          if (LocalName(i.name()) == "Include") href = i.attribute("href").value();
        }
      }
      if (auto part = by_cid.find(href); part != by_cid.end()) {
        out[unique_id] = std::move(*part->second);
      }
    }
  };
  walk(doc);
  return out;
}

// A centre and a node on data_dirs that survive their restarts. The centre listens on a
// pinned port, so the node's registry.url stays valid across centre restarts; the node's
// port changes on each restart (node_url() follows it).
class Cluster {
 public:
  Cluster() : centre_port_(FreeLoopbackPort()) {}
  ~Cluster() {
    std::lock_guard<std::mutex> lock(mu_);
    node_.reset();
    centre_.reset();
  }

  std::string StartCentre() {
    CentreOptions o;
    o.data_dir = dir_.path() + "/centre";
    o.overrides = {"http.listen=127.0.0.1:" + std::to_string(centre_port_)};
    std::string error;
    auto centre = CentreProcess::Start(o, &error);
    std::lock_guard<std::mutex> lock(mu_);
    centre_ = std::move(centre);
    return centre_ ? "" : "centre: " + error;
  }

  std::string StartNode() {
    NodeOptions o;
    o.data_dir = node_dir();
    o.registry_url = registry_url();
    // Settle pending documents quickly: the first pass 2 s after start (crashes of an
    // earlier process), then every second for those older than registry.timeout_seconds + 5.
    o.overrides = {"repository.reconcile_interval_seconds=1", "registry.timeout_seconds=1"};
    std::string error;
    auto node = NodeProcess::Start(o, &error);
    std::lock_guard<std::mutex> lock(mu_);
    node_ = std::move(node);
    node_url_ = node_ ? node_->base_url() : "";
    return node_ ? "" : "node: " + error;
  }

  // SIGKILL, reap, keep the dead process's stderr for a failure report.
  void KillNode() {
    std::lock_guard<std::mutex> lock(mu_);
    node_url_.clear();
    Kill(node_->process(), "node");
  }
  // The same, timed so that the node dies after the registry took the submissions it had
  // under way and before it heard so (the window the reconciler exists for): the centre is
  // stopped (SIGSTOP) while the node's ITI-42s queue up at it, then the node is stopped, the
  // centre resumes and answers into the frozen node's sockets, and the node is killed. The
  // pauses are far below registry.timeout_seconds.
  void KillNodeWhileRegistryAnswers() {
    std::lock_guard<std::mutex> lock(mu_);
    centre_->process().Signal(SIGSTOP);
    std::this_thread::sleep_for(milliseconds(150));
    node_->process().Signal(SIGSTOP);
    node_url_.clear();
    centre_->process().Signal(SIGCONT);
    std::this_thread::sleep_for(milliseconds(300));
    Kill(node_->process(), "node");
  }
  void KillCentre() {
    std::lock_guard<std::mutex> lock(mu_);
    Kill(centre_->process(), "centre");
  }

  // The clients count their ITI-41 requests under way, so that a kill can wait (up to a
  // second) until `n` of them are, and land among them rather than between them.
  void RequestBegins() { ++in_flight_; }
  void RequestEnds() { --in_flight_; }
  void AwaitRequestsInFlight(int n) {
    const auto deadline = Clock::now() + std::chrono::seconds(1);
    while (in_flight_ < n && Clock::now() < deadline) {
      std::this_thread::sleep_for(milliseconds(1));
    }
  }

  std::string node_url() {
    std::lock_guard<std::mutex> lock(mu_);
    return node_url_;
  }
  std::string centre_url() const { return "http://127.0.0.1:" + std::to_string(centre_port_); }
  std::string registry_url() const { return centre_url() + "/xds/registry"; }
  std::string node_dir() const { return dir_.path() + "/node"; }
  std::string logs() {
    std::lock_guard<std::mutex> lock(mu_);
    std::string s = logs_;
    if (node_) s += "--- node (running) stderr:\n" + node_->process().err();
    if (centre_) s += "--- centre (running) stderr:\n" + centre_->process().err();
    return s;
  }

 private:
  void Kill(ChildProcess& p, const char* role) {
    p.Signal(SIGKILL);
    const int rc = p.WaitForExit(std::chrono::seconds(10));
    p.JoinOutput();
    logs_ += std::string("--- ") + role + " killed (exit " + std::to_string(rc) + ") stderr:\n" +
             p.err();
  }

  TempDir dir_;
  const int centre_port_;
  std::mutex mu_;
  std::unique_ptr<CentreProcess> centre_;
  std::unique_ptr<NodeProcess> node_;
  std::string node_url_;  // empty while the node is down
  std::string logs_;
  std::atomic<int> in_flight_{0};
};

milliseconds Between(std::mt19937_64& rng, int from_ms, int to_ms) {
  return milliseconds(from_ms + static_cast<int>(rng() % static_cast<uint64_t>(to_ms - from_ms)));
}

// One ITI-41 submission of 1-2 documents of random sizes for a random known patient.
void SubmitOne(Cluster& cluster, std::mt19937_64& rng, Tally* tally) {
  const std::string url = cluster.node_url();
  if (url.empty()) {  // between a kill and the restart
    std::this_thread::sleep_for(milliseconds(20));
    return;
  }
  const int documents = 1 + static_cast<int>(rng() % 2);
  const int patient = 1 + static_cast<int>(rng() % kPatients);
  TestSubmission s = NewSubmission(PatientId(patient), documents);
  s.for_repository = true;
  std::vector<std::pair<std::string, std::string>> refs;
  std::vector<MimePart> parts;
  std::vector<Acknowledged> sent;
  for (int i = 0; i < documents; ++i) {
    const std::string cid = "doc" + std::to_string(i + 1) + "@crash";
    const size_t size = kMinBytes + rng() % (kMaxBytes - kMinBytes + 1);
    std::string bytes = DocumentBytes(s.document_unique_ids[i], size);
    sent.push_back({s.document_unique_ids[i], size, Sha1Hex(bytes)});
    tally->patient_of[s.document_unique_ids[i]] = patient;
    refs.push_back({"Document" + std::to_string(i + 1), cid});
    parts.push_back({cid, "text/plain", std::move(bytes), {}});
  }
  ++tally->submissions;
  cluster.RequestBegins();
  Mtom a = PostMtom(url, kPnr, ProvideAndRegisterXml(SubmitObjectsRequestXml(s), refs), parts);
  cluster.RequestEnds();
  if (a.http == -1 || !a.soap.well_formed) {
    ++tally->no_answer;  // the node died under the request
  } else if (a.http == 200 && a.soap.status == wire::kSuccess && a.soap.error_codes.empty()) {
    tally->acknowledged.insert(tally->acknowledged.end(), sent.begin(), sent.end());
  } else if (a.http == 200 && a.soap.status == wire::kFailure && !a.soap.error_codes.empty()) {
    ++tally->refused[a.soap.error_codes.front()];
  } else {
    tally->unexpected.push_back("HTTP " + std::to_string(a.http) + ": " + a.soap.body_xml);
  }
}

// Runs kClients submitting threads until `kill_rounds` has run (it kills and restarts), and a
// second more; returns what the clients saw.
Tally RunLoad(Cluster& cluster, const std::function<void(std::mt19937_64&)>& kill_rounds) {
  std::atomic<bool> stop{false};
  std::vector<Tally> tallies(kClients);
  std::vector<std::thread> clients;
  for (int c = 0; c < kClients; ++c) {
    clients.emplace_back([&, c] {
      std::mt19937_64 rng(kSeed + 1 + static_cast<uint64_t>(c));
      while (!stop) {
        SubmitOne(cluster, rng, &tallies[c]);
        std::this_thread::sleep_for(Between(rng, kPauseMinMs, kPauseMaxMs));
      }
    });
  }
  std::mt19937_64 rng(kSeed);
  kill_rounds(rng);
  std::this_thread::sleep_for(milliseconds(1000));
  stop = true;
  for (std::thread& t : clients) t.join();
  Tally all;
  for (const Tally& t : tallies) all.Merge(t);
  return all;
}

// Waits (bounded, generously) until the node has no pending document: each is then either
// registered and served, or discarded.
bool WaitUntilSettled(Cluster& cluster, std::vector<DocumentIndexRow>* rows, std::string* why) {
  const auto deadline = Clock::now() + std::chrono::seconds(60);
  for (;;) {
    std::string error;
    if (ReadDocumentIndex(cluster.node_dir(), rows, &error)) {
      std::string pending;
      for (const DocumentIndexRow& r : *rows) {
        if (!r.registered) pending += " " + r.unique_id;
      }
      if (pending.empty()) return true;
      *why = "documents still pending:" + pending;
    } else {
      *why = error;
    }
    if (Clock::now() > deadline) return false;
    std::this_thread::sleep_for(milliseconds(200));
  }
}

// GetDocuments in batches of one patient's documents (a LeafClass answer may not mix
// patients: XDSResultNotSinglePatient): uniqueId → registry entry, for those it holds.
std::map<std::string, RegistryEntry> RegistryHolds(Cluster& cluster, const Tally& tally,
                                                   const std::vector<std::string>& all_ids) {
  std::map<std::string, RegistryEntry> held;
  std::map<int, std::vector<std::string>> by_patient;
  for (const std::string& id : all_ids) {
    auto p = tally.patient_of.find(id);
    if (p == tally.patient_of.end()) {
      ADD_FAILURE() << "document " << id << " was never sent by this test";
      continue;
    }
    by_patient[p->second].push_back(id);
  }
  for (const auto& [patient, ids] : by_patient) {
    for (size_t from = 0; from < ids.size(); from += 50) {
      std::vector<std::string> batch(
          ids.begin() + static_cast<std::ptrdiff_t>(from),
          ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), from + 50)));
      HttpAnswer h =
          PostSoap(cluster.centre_url(), wire::kActionQuery,
                   Soap12(wire::kActionQuery, cluster.registry_url(), GetDocumentsXml(batch)));
      SoapAnswer q = ReadSoap(h.body);
      EXPECT_EQ(q.status, wire::kSuccess) << h.error << q.body_xml;
      held.merge(RegistryEntries(q));
    }
  }
  return held;
}

// The checks (a)-(d) after the node has settled.
void CheckAfterCrashes(Cluster& cluster, const Tally& tally) {
  const auto t0 = Clock::now();
  std::vector<DocumentIndexRow> rows;
  std::string why;
  ASSERT_TRUE(WaitUntilSettled(cluster, &rows, &why)) << why << "\n" << cluster.logs();
  const auto t1 = Clock::now();
  const std::string repo_dir = cluster.node_dir() + "/repository";
  std::map<std::string, const DocumentIndexRow*> by_id;
  std::set<std::string> row_files;
  for (const DocumentIndexRow& r : rows) {
    by_id[r.unique_id] = &r;
    row_files.insert(r.file);
  }

  // (b) No temp file.
  EXPECT_TRUE(FilesUnder(repo_dir + "/tmp").empty());

  // (c) Files and rows name each other; each file holds its row's bytes; the registry holds
  // every registered document with that hash and this repository.
  const std::vector<std::string> files = FilesUnder(repo_dir + "/documents");
  for (const std::string& f : files) {
    EXPECT_TRUE(row_files.count(f)) << "orphan file documents/" << f;
  }
  const std::set<std::string> file_set(files.begin(), files.end());
  std::vector<std::string> ids;
  for (const DocumentIndexRow& r : rows) {
    ids.push_back(r.unique_id);
    if (!file_set.count(r.file)) {
      ADD_FAILURE() << "document " << r.unique_id << " has no file documents/" << r.file;
      continue;
    }
    const std::string bytes = ReadFileOrDie(repo_dir + "/documents/" + r.file);
    EXPECT_EQ(static_cast<int64_t>(bytes.size()), r.size) << r.unique_id;
    EXPECT_EQ(Sha1Hex(bytes), r.hash) << r.unique_id;
  }
  const std::map<std::string, RegistryEntry> held = RegistryHolds(cluster, tally, ids);
  for (const DocumentIndexRow& r : rows) {
    auto e = held.find(r.unique_id);
    if (e == held.end()) {
      ADD_FAILURE() << "document " << r.unique_id << " is served but not registered";
      continue;
    }
    EXPECT_EQ(e->second.hash, r.hash) << r.unique_id;
    EXPECT_EQ(e->second.size, std::to_string(r.size)) << r.unique_id;
    EXPECT_EQ(e->second.repository_unique_id, kNodeRepositoryId) << r.unique_id;
  }

  // (d) Every registry entry of this repository, for every patient used, is a document the
  // node returns (ITI-43) with the registered hash.
  std::map<std::string, RegistryEntry> registered;
  for (int p = 1; p <= kPatients; ++p) {
    HttpAnswer h = PostSoap(
        cluster.centre_url(), wire::kActionQuery,
        Soap12(wire::kActionQuery, cluster.registry_url(), FindDocumentsXml(PatientId(p))));
    SoapAnswer q = ReadSoap(h.body);
    ASSERT_EQ(q.status, wire::kSuccess) << h.error << q.body_xml;
    for (auto& [id, e] : RegistryEntries(q)) {
      if (e.repository_unique_id == kNodeRepositoryId) registered[id] = e;
    }
  }
  EXPECT_EQ(registered.size(), rows.size());
  // (a) Every acknowledged document: registered with the SHA-1 of its bytes and retrieved
  // byte-identical (checked together with (d), one ITI-43 per batch of registry entries).
  std::map<std::string, const Acknowledged*> acknowledged;
  for (const Acknowledged& a : tally.acknowledged) acknowledged[a.unique_id] = &a;
  for (const auto& [id, a] : acknowledged) {
    EXPECT_TRUE(registered.count(id)) << "acknowledged document " << id << " (" << a->size
                                      << " bytes) is lost: the registry does not hold it";
  }
  const std::string node_url = cluster.node_url();
  std::vector<std::string> batch;
  auto check_batch = [&] {
    std::string error;
    const std::map<std::string, std::string> got = Retrieve(node_url, batch, &error);
    for (const std::string& id : batch) {
      auto bytes = got.find(id);
      if (bytes == got.end()) {
        ADD_FAILURE() << "registry entry " << id << " is not retrievable from the node: " << error;
        continue;
      }
      EXPECT_EQ(Sha1Hex(bytes->second), registered[id].hash) << id;
      if (auto a = acknowledged.find(id); a != acknowledged.end()) {
        EXPECT_EQ(a->second->sha1, registered[id].hash) << id;
        EXPECT_TRUE(bytes->second == DocumentBytes(id, a->second->size))
            << "acknowledged document " << id << " comes back with other bytes";
      }
    }
    batch.clear();
  };
  for (const auto& [id, e] : registered) {
    EXPECT_TRUE(by_id.count(id)) << "registry entry " << id << " has no document in the node";
    batch.push_back(id);
    if (batch.size() == kRetrieveBatch) check_batch();
  }
  if (!batch.empty()) check_batch();

  int refused = 0;
  std::string codes;
  for (const auto& [code, n] : tally.refused) {
    refused += n;
    codes += " " + code + "=" + std::to_string(n);
  }
  const auto ms = [](auto d) {
    return static_cast<long>(std::chrono::duration_cast<milliseconds>(d).count());
  };
  std::printf(
      "[ crash    ] %d submissions: %zu documents acknowledged, %d refused (%s ), "
      "%d without answer; node holds %zu documents (%zu files); settled in %ld ms, "
      "checked in %ld ms\n",
      tally.submissions, tally.acknowledged.size(), refused, codes.c_str(), tally.no_answer,
      rows.size(), files.size(), ms(t1 - t0), ms(Clock::now() - t1));
  if (::testing::Test::HasFailure()) std::printf("%s\n", cluster.logs().c_str());
}

class NodeCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    // Writes to a socket whose process was just killed must fail, not end the test.
    ::signal(SIGPIPE, SIG_IGN);
  }
};

// The node dies at random moments under load (in the middle of receiving, staging,
// registering or answering) and restarts on the same data_dir.
TEST_F(NodeCrash, KilledNodeLosesNoAcknowledgedDocumentAndLeavesNoOrphan) {
  Cluster cluster;
  ASSERT_EQ(cluster.StartCentre(), "");
  ASSERT_EQ(cluster.StartNode(), "");
  std::string restart_error;
  int kills = 0;
  Tally tally = RunLoad(cluster, [&](std::mt19937_64& rng) {
    for (int round = 0; round < kKillRounds && restart_error.empty(); ++round) {
      std::this_thread::sleep_for(Between(rng, 1000, 2500));
      cluster.AwaitRequestsInFlight(kClients - 1);
      if (round % 2 == 0) {
        cluster.KillNodeWhileRegistryAnswers();
      } else {
        cluster.KillNode();
      }
      ++kills;
      restart_error = cluster.StartNode();
    }
  });
  ASSERT_EQ(restart_error, "") << cluster.logs();
  EXPECT_EQ(kills, kKillRounds);
  EXPECT_TRUE(tally.unexpected.empty()) << tally.unexpected.front();
  // With the centre up, a refusal can only be an ITI-42 that timed out under load.
  for (const auto& [code, n] : tally.refused) EXPECT_EQ(code, kNotAvailable) << n;
  ASSERT_FALSE(tally.acknowledged.empty());
  CheckAfterCrashes(cluster, tally);
}

// The centre (the registry) dies at random moments under load and restarts on the same
// data_dir and port; the node keeps running. Submissions while it is away are refused with
// XDSRegistryNotAvailable; their bytes stay pending until the node settles them.
TEST_F(NodeCrash, KilledCentreLosesNoAcknowledgedDocumentAndLeavesNoDanglingEntry) {
  Cluster cluster;
  ASSERT_EQ(cluster.StartCentre(), "");
  ASSERT_EQ(cluster.StartNode(), "");
  std::string restart_error;
  int kills = 0;
  Tally tally = RunLoad(cluster, [&](std::mt19937_64& rng) {
    for (int round = 0; round < kKillRounds && restart_error.empty(); ++round) {
      std::this_thread::sleep_for(Between(rng, 1000, 2500));
      cluster.AwaitRequestsInFlight(kClients - 1);
      cluster.KillCentre();
      ++kills;
      std::this_thread::sleep_for(Between(rng, 200, 1000));  // the outage
      restart_error = cluster.StartCentre();
    }
  });
  ASSERT_EQ(restart_error, "") << cluster.logs();
  EXPECT_EQ(kills, kKillRounds);
  EXPECT_TRUE(tally.unexpected.empty()) << tally.unexpected.front();
  for (const auto& [code, n] : tally.refused) EXPECT_EQ(code, kNotAvailable) << n;
  EXPECT_GT(tally.refused[kNotAvailable], 0);  // the outages were seen
  ASSERT_FALSE(tally.acknowledged.empty());
  CheckAfterCrashes(cluster, tally);
}

}  // namespace
}  // namespace renkei::e2e
