// The node's outbox end to end: `renkei node publish` beside a running node, delivery to a
// real centre, retries while the centre is away (the reconciler must leave queued documents
// alone), refusals, and `renkei node status`.
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <thread>

#include "tests/e2e/node_process.h"
#include "tests/e2e/soap_wire.h"

namespace renkei::e2e {
namespace {

using std::chrono::seconds;

std::vector<std::string> NodeSets(const std::string& data_dir, const std::string& registry_url) {
  return {"--set", "data_dir=" + data_dir, "--set", "registry.url=" + registry_url,
          "--set", std::string("repository.unique_id=") + kNodeRepositoryId,
          "--set", std::string("facility.oid=") + kNodeFacility,
          "--set", "tls.insecure_loopback=true", "--set", "log.level=warning"};
}

// Runs `renkei node publish` and returns the uniqueId it queued ("" on failure).
std::string Publish(const std::string& data_dir, const std::string& registry_url,
                    const std::string& patient, const std::string& file) {
  std::vector<std::string> args = {"node", "publish"};
  for (const std::string& a : NodeSets(data_dir, registry_url)) args.push_back(a);
  for (const char* a : {"--kind", "progress-note"}) args.push_back(a);
  args.insert(args.end(), {"--patient", patient, "--file", file});
  RunResult r = RunRenkei(args, seconds(30));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::smatch m;
  if (!std::regex_search(r.out, m, std::regex(R"(queued ([0-9.]+) )"))) return "";
  return m[1];
}

std::string Status(const std::string& data_dir, const std::string& registry_url) {
  std::vector<std::string> args = {"node", "status"};
  for (const std::string& a : NodeSets(data_dir, registry_url)) args.push_back(a);
  RunResult r = RunRenkei(args, seconds(30));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

bool RegistryHolds(const CentreProcess& centre, const std::string& unique_id) {
  HttpAnswer h = PostSoap(centre.base_url(), wire::kActionQuery,
                          Soap12(wire::kActionQuery, centre.registry_url(),
                                 GetDocumentsXml({unique_id})));
  return ReadSoap(h.body).extrinsic_unique_ids.size() == 1;
}

template <typename Pred>
bool WaitFor(Pred pred, seconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (pred()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return pred();
}

TEST(NodeOutbox, PublishedDocumentIsRegisteredAfterAnOutageAndRefusalsAreShown) {
  std::string error;
  auto centre = CentreProcess::Start(CentreOptions{}, &error);
  ASSERT_NE(centre, nullptr) << error;
  TempDir dir;
  const std::string data_dir = dir.path() + "/node";
  const std::string dead = "http://127.0.0.1:9/xds/registry";  // nothing listens
  NodeOptions o;
  o.data_dir = data_dir;
  o.registry_url = dead;
  o.overrides = {"repository.reconcile_interval_seconds=1", "registry.timeout_seconds=1"};
  auto node = NodeProcess::Start(o, &error);
  ASSERT_NE(node, nullptr) << error;

  // Published while the centre cannot be reached: queued, retried, never discarded.
  const std::string file = dir.path() + "/note.txt";
  WriteFileOrDie(file, "経過記録: outbox e2e marker 7f3a\n");
  const std::string uid = Publish(data_dir, dead, PatientId(1), file);
  ASSERT_FALSE(uid.empty());
  ASSERT_TRUE(WaitFor([&] {
    return Status(data_dir, dead).find("attempts 2") != std::string::npos;
  }, seconds(20))) << Status(data_dir, dead);
  const std::string waiting = Status(data_dir, dead);
  EXPECT_NE(waiting.find("1 queued"), std::string::npos) << waiting;
  EXPECT_NE(waiting.find("cannot be reached"), std::string::npos) << waiting;
  EXPECT_EQ(FilesUnder(data_dir + "/repository/documents").size(), 1u);

  // The centre is back (the node restarted with its URL): delivered, served, shown.
  EXPECT_EQ(node->process().Stop(), 0);
  o.registry_url = centre->registry_url();
  node = NodeProcess::Start(o, &error);
  ASSERT_NE(node, nullptr) << error;
  ASSERT_TRUE(WaitFor([&] { return RegistryHolds(*centre, uid); }, seconds(30)))
      << Status(data_dir, o.registry_url);
  EXPECT_NE(Status(data_dir, o.registry_url).find("1 delivered"), std::string::npos);
  HttpAnswer got = Post(node->base_url(), "/xds/repository",
                        "application/soap+xml; charset=UTF-8",
                        Soap12("urn:ihe:iti:2007:RetrieveDocumentSet", node->repository_url(),
                               RetrieveXml({{kNodeRepositoryId, uid}})));
  EXPECT_NE(got.body.find("outbox e2e marker 7f3a"), std::string::npos);

  // Refused by the registry (unknown patient): shown with the registry's code, bytes gone.
  const std::string refused =
      Publish(data_dir, o.registry_url, "NOBODY^^^&" + std::string(kRegionalDomain) + "&ISO", file);
  ASSERT_FALSE(refused.empty());
  ASSERT_TRUE(WaitFor([&] {
    return Status(data_dir, o.registry_url).find("1 refused") != std::string::npos;
  }, seconds(20)));
  EXPECT_NE(Status(data_dir, o.registry_url).find("XDSUnknownPatientId"), std::string::npos);
  EXPECT_EQ(FilesUnder(data_dir + "/repository/documents").size(), 1u);
  EXPECT_FALSE(RegistryHolds(*centre, refused));
}

TEST(NodeOutbox, PublishRefusesUnknownKindAndMissingFile) {
  TempDir dir;
  std::vector<std::string> args = {"node", "publish"};
  for (const std::string& a : NodeSets(dir.path() + "/n", "http://127.0.0.1:9/xds/registry")) {
    args.push_back(a);
  }
  std::vector<std::string> bad_kind = args;
  bad_kind.insert(bad_kind.end(), {"--patient", PatientId(1), "--kind", "novel", "--file", "/etc/hostname"});
  RunResult r = RunRenkei(bad_kind, seconds(30));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("novel"), std::string::npos);
  std::vector<std::string> no_file = args;
  no_file.insert(no_file.end(), {"--patient", PatientId(1), "--kind", "progress-note", "--file",
                                 dir.path() + "/absent"});
  r = RunRenkei(no_file, seconds(30));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("absent"), std::string::npos);
}

}  // namespace
}  // namespace renkei::e2e
