// End-to-end fixture for `renkei node` (architecture §9): the real binary as a child process
// on a free loopback port, registering at a given registry URL; and MTOM/XOP messages built
// and split by hand (RFC 2387, W3C XOP) so the repository is checked against an independent
// client, not against its own MTOM code.
//
// Thread-safety: one NodeProcess per test.
#ifndef RENKEI_TESTS_E2E_NODE_PROCESS_H_
#define RENKEI_TESTS_E2E_NODE_PROCESS_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tests/e2e/centre_process.h"

namespace renkei::e2e {

// The repositoryUniqueId and facility of every e2e node.
inline constexpr char kNodeRepositoryId[] = "2.999.392.99.7.1";
inline constexpr char kNodeFacility[] = "2.999.392.99.7";

struct NodeOptions {
  std::string registry_url;            // the centre's /xds/registry
  std::string data_dir;                // empty: a fresh TempDir owned by the NodeProcess
  std::vector<std::string> overrides;  // "key=value", applied last
  std::chrono::milliseconds ready_timeout = std::chrono::seconds(30);
};

class NodeProcess {
 public:
  // Starts the node and waits for `ready node <url>`; null with the reason in *error.
  static std::unique_ptr<NodeProcess> Start(const NodeOptions& options, std::string* error);

  const std::string& base_url() const { return base_url_; }
  const std::string& data_dir() const { return data_dir_; }
  std::string repository_url() const { return base_url_ + "/xds/repository"; }
  ChildProcess& process() { return *child_; }

 private:
  NodeProcess() = default;
  std::unique_ptr<TempDir> owned_dir_;
  std::string data_dir_;
  std::unique_ptr<ChildProcess> child_;
  std::string base_url_;
};

// Every regular file under `dir` (recursively), relative paths.
std::vector<std::string> FilesUnder(const std::string& dir);

// A loopback TCP port nothing is bound to now, below the kernel's ephemeral range (so no
// outgoing connection borrows it while a process listening on it restarts). For a role
// that must come back on the same port after a crash. Aborts when none is found.
int FreeLoopbackPort();

// One row of a node's document index (<data_dir>/repository/documents.sqlite, table
// `documents`, as repository/document_store.cc writes it).
struct DocumentIndexRow {
  std::string unique_id;
  std::string file;  // relative to <data_dir>/repository/documents
  std::string hash;  // SHA-1, lower-case hex
  int64_t size = 0;
  bool registered = false;  // state 1; false: state 0, pending
};
// All rows, read through a read-only connection (the node may be running: a WAL reader does
// not disturb it). False, with the reason in *error, when the index cannot be read.
bool ReadDocumentIndex(const std::string& node_data_dir, std::vector<DocumentIndexRow>* rows,
                       std::string* error);

// --- MTOM by hand
struct MimePart {
  std::string content_id;  // without <>
  std::string content_type;
  std::string data;
  std::map<std::string, std::string> headers;  // lower-case names (SplitMultipart)
};
struct MtomMessage {
  std::string content_type;  // the HTTP header value
  std::string body;
};
// multipart/related; type="application/xop+xml" with the SOAP envelope as the first part
// (Content-ID root.message@e2e) and `attachments` after it, binary.
MtomMessage BuildMtom(const std::string& envelope, const std::vector<MimePart>& attachments,
                      const std::string& action);
// The parts of a multipart body (boundary from `content_type`); empty when unreadable.
std::vector<MimePart> SplitMultipart(const std::string& content_type, const std::string& body);

// xdsb:ProvideAndRegisterDocumentSetRequest around `submit_objects_xml`, with one
// xdsb:Document per {document id, cid} (xop:Include) in `documents`.
std::string ProvideAndRegisterXml(const std::string& submit_objects_xml,
                                  const std::vector<std::pair<std::string, std::string>>& documents);
// xdsb:RetrieveDocumentSetRequest for {repositoryUniqueId, documentUniqueId} pairs.
std::string RetrieveXml(const std::vector<std::pair<std::string, std::string>>& requests);

}  // namespace renkei::e2e

#endif  // RENKEI_TESTS_E2E_NODE_PROCESS_H_
