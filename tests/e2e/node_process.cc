// `renkei node` as a child process, and MTOM written and read by hand (node_process.h).
#include "tests/e2e/node_process.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sqlite3.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>

namespace renkei::e2e {

std::unique_ptr<NodeProcess> NodeProcess::Start(const NodeOptions& options, std::string* error) {
  std::unique_ptr<NodeProcess> n(new NodeProcess());
  if (options.data_dir.empty()) {
    n->owned_dir_ = std::make_unique<TempDir>();
    n->data_dir_ = n->owned_dir_->path() + "/node";
  } else {
    n->data_dir_ = options.data_dir;
  }
  std::vector<std::string> sets = {"http.listen=127.0.0.1:0", "tls.insecure_loopback=true",
                                   "log.level=warning",
                                   "registry.url=" + options.registry_url,
                                   // the centre of that registry (PDQm, audit shipping)
                                   "centre.url=" + options.registry_url.substr(
                                                       0, options.registry_url.rfind("/xds/")),
                                   std::string("repository.unique_id=") + kNodeRepositoryId,
                                   std::string("facility.oid=") + kNodeFacility,
                                   "data_dir=" + n->data_dir_};
  sets.insert(sets.end(), options.overrides.begin(), options.overrides.end());
  std::vector<std::string> args = {"node"};
  for (const std::string& s : sets) {
    args.push_back("--set");
    args.push_back(s);
  }
  n->child_ = std::make_unique<ChildProcess>(RenkeiBinary(), args);
  const std::string line = n->child_->WaitForLine("ready node ", options.ready_timeout);
  // The URL, then " dicom://host:port" when the node listens for DICOM.
  static const std::regex kReady(R"(ready node (https?://127\.0\.0\.1:[0-9]+)( dicom://\S+)?)");
  std::smatch m;
  if (!std::regex_match(line, m, kReady)) {
    n->child_->Stop(std::chrono::seconds(5));
    *error = "no 'ready node http://127.0.0.1:PORT' line (got '" + line +
             "'); stdout: " + n->child_->out() + "\nstderr: " + n->child_->err();
    return nullptr;
  }
  n->base_url_ = m[1];
  return n;
}

std::vector<std::string> FilesUnder(const std::string& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (ec) break;
    if (it->is_regular_file()) {
      out.push_back(std::filesystem::relative(it->path(), dir).string());
    }
  }
  return out;
}

int FreeLoopbackPort() {
  int ephemeral_low = 32768;
  std::ifstream("/proc/sys/net/ipv4/ip_local_port_range") >> ephemeral_low;
  const int low = 10000;
  if (ephemeral_low <= low + 100) ephemeral_low = 30000;  // an unusual range: stay below 30000
  std::mt19937 rng{std::random_device{}()};
  for (int attempt = 0; attempt < 500; ++attempt) {
    const int port = low + static_cast<int>(rng() % static_cast<unsigned>(ephemeral_low - low));
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) break;
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    // No SO_REUSEADDR: a port some socket still holds (even in TIME_WAIT) is refused.
    const bool free = ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0;
    ::close(fd);
    if (free) return port;
  }
  std::fprintf(stderr, "e2e fixture: no free loopback port below %d\n", ephemeral_low);
  std::abort();
}

bool ReadDocumentIndex(const std::string& node_data_dir, std::vector<DocumentIndexRow>* rows,
                       std::string* error) {
  rows->clear();
  const std::string path = node_data_dir + "/repository/documents.sqlite";
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* st = nullptr;
  if (rc == SQLITE_OK) {
    sqlite3_busy_timeout(db, 5000);
    const char* sql = "SELECT unique_id, file, hash, size, state FROM documents";
    rc = sqlite3_prepare_v2(db, sql, -1, &st, nullptr);
  }
  auto text = [&](int col) {
    const unsigned char* t = sqlite3_column_text(st, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  while (rc == SQLITE_OK || rc == SQLITE_ROW) {
    rc = sqlite3_step(st);
    if (rc != SQLITE_ROW) break;
    DocumentIndexRow r;
    r.unique_id = text(0);
    r.file = text(1);
    r.hash = text(2);
    r.size = sqlite3_column_int64(st, 3);
    r.registered = sqlite3_column_int(st, 4) == 1;
    rows->push_back(std::move(r));
  }
  const bool ok = rc == SQLITE_DONE;
  if (!ok) *error = path + ": " + (db ? sqlite3_errmsg(db) : "cannot open");
  sqlite3_finalize(st);
  sqlite3_close(db);
  return ok;
}

namespace {

constexpr char kBoundary[] = "e2e-boundary-7d1c0f";
constexpr char kXdsb[] = "urn:ihe:iti:xds-b:2007";

std::string Param(const std::string& content_type, const std::string& name) {
  std::regex re(";\\s*" + name + "\\s*=\\s*(\"([^\"]*)\"|([^;\\s]+))", std::regex::icase);
  std::smatch m;
  if (!std::regex_search(content_type, m, re)) return "";
  return m[2].matched ? m[2].str() : m[3].str();
}

}  // namespace

MtomMessage BuildMtom(const std::string& envelope, const std::vector<MimePart>& attachments,
                      const std::string& action) {
  MtomMessage m;
  m.content_type = std::string("multipart/related; type=\"application/xop+xml\"; boundary=\"") +
                   kBoundary + "\"; start=\"<root.message@e2e>\"; start-info=\"application/soap+xml\"; "
                   "action=\"" + action + "\"";
  m.body = std::string("--") + kBoundary +
           "\r\nContent-Type: application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"\r\n"
           "Content-Transfer-Encoding: binary\r\nContent-ID: <root.message@e2e>\r\n\r\n" +
           envelope;
  for (const MimePart& a : attachments) {
    m.body += std::string("\r\n--") + kBoundary + "\r\nContent-Type: " + a.content_type +
              "\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <" + a.content_id + ">\r\n\r\n" +
              a.data;
  }
  m.body += std::string("\r\n--") + kBoundary + "--\r\n";
  return m;
}

std::vector<MimePart> SplitMultipart(const std::string& content_type, const std::string& body) {
  std::vector<MimePart> parts;
  const std::string boundary = Param(content_type, "boundary");
  if (boundary.empty()) return parts;
  const std::string delimiter = "--" + boundary;
  size_t pos = body.find(delimiter);
  while (pos != std::string::npos) {
    pos += delimiter.size();
    if (body.compare(pos, 2, "--") == 0) break;  // closing delimiter
    pos = body.find("\r\n", pos);
    if (pos == std::string::npos) return {};
    pos += 2;
    const size_t head_end = body.find("\r\n\r\n", pos);
    if (head_end == std::string::npos) return {};
    MimePart part;
    std::string head = body.substr(pos, head_end - pos) + "\r\n";
    for (size_t l = 0; l < head.size();) {
      const size_t e = head.find("\r\n", l);
      const std::string line = head.substr(l, e - l);
      l = e + 2;
      const size_t colon = line.find(':');
      if (colon == std::string::npos) continue;
      std::string name = line.substr(0, colon);
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      part.headers[name] = value;
    }
    part.content_type = part.headers["content-type"];
    part.content_id = part.headers["content-id"];
    if (part.content_id.size() >= 2 && part.content_id.front() == '<') {
      part.content_id = part.content_id.substr(1, part.content_id.size() - 2);
    }
    const size_t data_start = head_end + 4;
    const size_t next = body.find("\r\n" + delimiter, data_start);
    if (next == std::string::npos) return {};
    part.data = body.substr(data_start, next - data_start);
    parts.push_back(std::move(part));
    pos = next + 2;
  }
  return parts;
}

std::string ProvideAndRegisterXml(const std::string& submit_objects_xml,
                                  const std::vector<std::pair<std::string, std::string>>& documents) {
  std::string x = std::string("<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb=\"") + kXdsb +
                  "\" xmlns:xop=\"http://www.w3.org/2004/08/xop/include\">" + submit_objects_xml;
  for (const auto& [id, cid] : documents) {
    x += "<xdsb:Document id=\"" + id + "\"><xop:Include href=\"cid:" + cid + "\"/></xdsb:Document>";
  }
  return x + "</xdsb:ProvideAndRegisterDocumentSetRequest>";
}

std::string RetrieveXml(const std::vector<std::pair<std::string, std::string>>& requests) {
  std::string x = std::string("<xdsb:RetrieveDocumentSetRequest xmlns:xdsb=\"") + kXdsb + "\">";
  for (const auto& [repo, doc] : requests) {
    x += "<xdsb:DocumentRequest><xdsb:RepositoryUniqueId>" + repo +
         "</xdsb:RepositoryUniqueId><xdsb:DocumentUniqueId>" + doc +
         "</xdsb:DocumentUniqueId></xdsb:DocumentRequest>";
  }
  return x + "</xdsb:RetrieveDocumentSetRequest>";
}

}  // namespace renkei::e2e
