// `renkei node status` and `renkei node publish` (apps/node_admin.h).
#include "apps/node_admin.h"

#include <Poco/UUIDGenerator.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <map>

#include "apps/node.h"
#include "apps/role.h"
#include "common/utc_time.h"
#include "profiles/region_document_kinds.h"
#include "repository/document_store.h"
#include "repository/outbox.h"
#include "xds/submission_builder.h"

namespace renkei::apps {
namespace {

// The kinds `--kind` names, in the order of profiles::RegionDocumentKinds().
constexpr const char* kKindNames[] = {"discharge-summary", "surgery-record", "progress-note",
                                      "prescription",      "injection",      "lab-result"};

// Splits `--config/--set` (role arguments) from this command's own `--name value` options.
bool SplitArgs(const std::vector<std::string>& args, std::vector<std::string>* role,
               std::map<std::string, std::string>* own) {
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a.rfind("--", 0) != 0 || i + 1 >= args.size()) return false;
    if (a == "--config" || a == "--set") {
      role->push_back(a);
      role->push_back(args[++i]);
    } else {
      (*own)[a.substr(2)] = args[++i];
    }
  }
  return true;
}

Result<Config> LoadNodeConfig(const std::vector<std::string>& role_args) {
  std::string file;
  std::vector<std::string> overrides;
  RENKEI_RETURN_IF_ERROR(ParseRoleArgs(role_args, &file, &overrides));
  return Config::Load(NodeConfigSchema(), file, overrides);
}

std::string Ago(int64_t ms) {
  if (ms <= 0) return "-";
  const int64_t now = UnixMillisNow();
  return std::to_string((now - ms) / 1000) + " s ago";
}

const char* StateName(repository::OutboxState s) {
  switch (s) {
    case repository::OutboxState::kQueued: return "queued";
    case repository::OutboxState::kDelivered: return "delivered";
    case repository::OutboxState::kRefused: return "refused";
  }
  return "?";
}

}  // namespace

int RunNodeStatus(const std::vector<std::string>& args) {
  std::vector<std::string> role;
  std::map<std::string, std::string> own;
  if (!SplitArgs(args, &role, &own) || !own.empty()) {
    std::fprintf(stderr, "usage: renkei node status --config FILE [--set KEY=VALUE]...\n");
    return 2;
  }
  Result<Config> config = LoadNodeConfig(role);
  if (!config.ok()) {
    std::fprintf(stderr, "renkei node status: %s\n", config.status().message().c_str());
    return 2;
  }
  const std::string dir = config->GetString("data_dir") + "/repository";
  auto docs = repository::DocumentStore::ReadCounts(dir);
  if (!docs.ok()) {
    std::fprintf(stderr, "renkei node status: %s\n", docs.status().message().c_str());
    return 1;
  }
  std::printf("node %s (repository %s, registry %s)\n", config->GetString("facility.oid").c_str(),
              config->GetString("repository.unique_id").c_str(),
              config->GetString("registry.url").c_str());
  std::printf("documents: %lld registered, %lld pending (registration outcome not yet known)\n",
              static_cast<long long>(docs->second), static_cast<long long>(docs->first));
  auto outbox = repository::Outbox::Open(dir + "/outbox.sqlite", /*read_only=*/true);
  if (!outbox.ok()) {
    std::printf("outbox: empty (nothing originated by this node yet)\n");
    return 0;
  }
  auto counts = (*outbox)->Counts();
  auto recent = (*outbox)->Recent(10);
  if (!counts.ok() || !recent.ok()) {
    std::fprintf(stderr, "renkei node status: cannot read the outbox\n");
    return 1;
  }
  std::printf("outbox: %lld queued (oldest %s), %lld delivered, %lld refused\n",
              static_cast<long long>(counts->queued), Ago(counts->oldest_queued_ms).c_str(),
              static_cast<long long>(counts->delivered), static_cast<long long>(counts->refused));
  for (const repository::OutboxEntry& e : *recent) {
    std::printf("  #%lld %-9s attempts %d, queued %s, documents %s%s%s\n",
                static_cast<long long>(e.id), StateName(e.state), e.attempts,
                Ago(e.created_ms).c_str(),
                e.unique_ids.empty() ? "-" : e.unique_ids.front().c_str(),
                e.last_error.empty() ? "" : ", last error: ", e.last_error.c_str());
  }
  return 0;
}

int RunNodePublish(const std::vector<std::string>& args) {
  constexpr char kUsage[] =
      "usage: renkei node publish --config FILE [--set KEY=VALUE]... --patient CX --kind KIND "
      "--file PATH [--title T] [--mime TYPE] [--source-patient-id CX]\n"
      "  KIND: discharge-summary surgery-record progress-note prescription injection "
      "lab-result\n";
  std::vector<std::string> role;
  std::map<std::string, std::string> own;
  if (!SplitArgs(args, &role, &own) || !own.count("patient") || !own.count("kind") ||
      !own.count("file")) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  Result<Config> config = LoadNodeConfig(role);
  if (!config.ok()) {
    std::fprintf(stderr, "renkei node publish: %s\n", config.status().message().c_str());
    return 2;
  }
  const auto& kinds = profiles::RegionDocumentKinds();
  size_t kind = 0;
  while (kind < std::size(kKindNames) && own["kind"] != kKindNames[kind]) ++kind;
  if (kind == std::size(kKindNames)) {
    std::fprintf(stderr, "renkei node publish: unknown --kind '%s'\n%s", own["kind"].c_str(), kUsage);
    return 2;
  }
  std::ifstream in(own["file"], std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "renkei node publish: cannot read '%s'\n", own["file"].c_str());
    return 2;
  }
  const std::string dir = config->GetString("data_dir") + "/repository";
  repository::DocumentStore::Options sopts;
  sopts.max_document_bytes = static_cast<uint64_t>(config->GetInt("repository.max_document_bytes"));
  sopts.remove_stale_temp_files = false;  // the running node's uploads are in there
  auto store = repository::DocumentStore::Open(dir, sopts);
  auto outbox = store.ok() ? repository::Outbox::Open(dir + "/outbox.sqlite")
                           : Result<std::unique_ptr<repository::Outbox>>(store.status());
  if (!outbox.ok()) {
    std::fprintf(stderr, "renkei node publish: %s\n", outbox.status().message().c_str());
    return 1;
  }
  auto upload = (*store)->BeginUpload();
  Status s = upload.ok() ? (*upload)->WriteFrom(in) : upload.status();
  if (s.ok()) s = (*upload)->Finish();
  if (!s.ok()) {
    std::fprintf(stderr, "renkei node publish: %s\n", s.message().c_str());
    return 1;
  }
  // Fresh uniqueIds: 2.25 and the decimal value of a random UUID's 64 low bits, prefixed by
  // the time, is unique enough for an OID arc of our own.
  const std::string repository_id = config->GetString("repository.unique_id");
  const std::string serial = std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(
                                                std::chrono::system_clock::now().time_since_epoch())
                                                .count());
  const std::string facility = config->GetString("facility.oid");
  xds::SimpleSubmission sub;
  sub.patient_id = own["patient"];
  sub.unique_id = repository_id + ".8." + serial;
  sub.source_id = facility;
  sub.submission_time = UtcNow("%Y%m%d%H%M%S");
  sub.title = own.count("title") ? own["title"] : kinds[kind].title;
  sub.author_institution = "^^^^^&" + facility + "&ISO";
  sub.content_type_code = kinds[kind].class_code;
  xds::SimpleDocument d;
  d.symbolic_id = "Document01";
  profiles::ApplyRegionDocumentKind(kinds[kind], &d);
  if (own.count("title")) d.title = own["title"];
  if (own.count("mime")) d.mime_type = own["mime"];
  d.unique_id = repository_id + ".9." + serial;
  d.creation_time = sub.submission_time;
  d.source_patient_id = own.count("source-patient-id") ? own["source-patient-id"] : own["patient"];
  d.author_institution = sub.author_institution;
  d.repository_unique_id = repository_id;
  d.hash = (*upload)->sha1_hex();
  d.size = std::to_string((*upload)->size());
  sub.documents.push_back(d);
  s = (*store)->Stage({{d.unique_id, d.mime_type, upload->get()}});
  auto id = s.ok() ? (*outbox)->Enqueue(xds::BuildSubmitObjectsRequest(sub), {d.unique_id})
                   : Result<int64_t>(s);
  if (!id.ok()) {
    (void)(*store)->Discard({d.unique_id});
    std::fprintf(stderr, "renkei node publish: %s\n", id.status().message().c_str());
    return 1;
  }
  std::printf("queued %s (%s, %llu bytes) as outbox entry #%lld; the node registers it at %s\n",
              d.unique_id.c_str(), kKindNames[kind],
              static_cast<unsigned long long>((*upload)->size()), static_cast<long long>(*id),
              config->GetString("registry.url").c_str());
  return 0;
}

}  // namespace renkei::apps
