// Registry benchmark tool (architecture §8, ITI-18 / ITI-42 budgets): loads a synthetic
// region straight into the registry store and writes the request files that
// bench/registry/run.sh drives through `renkei centre` with wrk. Prints figures; asserts
// nothing (a benchmark, not a test).
//
//   bench_registry load --data-dir D --entries N [--per-patient 20] [--batch 2000]
//                       [--cache-mib 512] [--force]
//   bench_registry grants --data-dir D --entries N --grantee OID [--per-patient 20]
//                         [--batch 50000]
//   bench_registry patients --entries N [--per-patient 20] [--first K] [--xml] --out F
//   bench_registry unique-ids --entries N --sample K [--seed S] --out F
//   bench_registry template --kind find-objectref|find-leafclass|get-documents --to URL --out F
//   bench_registry leaf-codec [--samples 2000] [--reps 20]
//   bench_registry register-requests --count K --tag T --patients P --to URL --out F
//                   (lines "<hospital OID><TAB><SOAP body>": the submitter and its request)
//   bench_registry evict --data-dir D
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench/registry/registration_rows.h"
#include "bench/registry/soap_requests.h"
#include "bench/registry/synthetic_region.h"
#include "directory/directory_store.h"
#include "directory/instant.h"
#include "registry/leaf_codec.h"
#include "registry/sqlite_registry_store.h"

namespace renkei::bench {
namespace {

using Clock = std::chrono::steady_clock;
using Flags = std::map<std::string, std::string>;

int Usage() {
  std::fprintf(stderr,
               "usage:\n"
               "  bench_registry load --data-dir D --entries N [--per-patient 20] "
               "[--batch 2000] [--cache-mib 512] [--force]\n"
               "  bench_registry grants --data-dir D --entries N --grantee OID "
               "[--per-patient 20] [--batch 50000]\n"
               "  bench_registry patients --entries N [--per-patient 20] [--first K] [--xml] "
               "--out F\n"
               "  bench_registry unique-ids --entries N --sample K [--seed S] --out F\n"
               "  bench_registry template --kind find-objectref|find-leafclass|get-documents "
               "--to URL --out F\n"
               "  bench_registry register-requests --count K --tag T --patients P --to URL "
               "--out F\n"
               "  bench_registry leaf-codec [--samples 2000] [--reps 20]\n"
               "  bench_registry evict --data-dir D\n");
  return 2;
}

bool ParseFlags(int argc, char** argv, Flags* flags) {
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a.rfind("--", 0) != 0) return false;
    a = a.substr(2);
    if (a == "force" || a == "xml") {
      (*flags)[a] = "1";
    } else if (i + 1 < argc) {
      (*flags)[a] = argv[++i];
    } else {
      return false;
    }
  }
  return true;
}

int64_t IntFlag(const Flags& f, const std::string& name, int64_t def) {
  auto it = f.find(name);
  return it == f.end() ? def : std::stoll(it->second);
}

std::string StrFlag(const Flags& f, const std::string& name, const std::string& def = "") {
  auto it = f.find(name);
  return it == f.end() ? def : it->second;
}

RegionOptions Region(const Flags& f) {
  RegionOptions o;
  o.entries = IntFlag(f, "entries", 100000);
  o.entries_per_patient = IntFlag(f, "per-patient", 20);
  return o;
}

int64_t FileBytes(const std::string& path) {
  struct stat st;
  return stat(path.c_str(), &st) == 0 ? static_cast<int64_t>(st.st_size) : 0;
}

// Batches of rows flow from one builder thread to the writer (this thread): building the
// rows (id assignment, ebRIM encoding) and SQLite inserts use the two cores in parallel.
class BatchQueue {
 public:
  void Push(std::vector<registry::StoredObject> batch) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return q_.size() < 3; });
    q_.push_back(std::move(batch));
    cv_.notify_all();
  }
  // False when the producer is done and the queue is drained.
  bool Pop(std::vector<registry::StoredObject>* batch) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait(lock, [&] { return !q_.empty() || done_; });
    if (q_.empty()) return false;
    *batch = std::move(q_.front());
    q_.pop_front();
    cv_.notify_all();
    return true;
  }
  void Finish() {
    std::lock_guard<std::mutex> lock(mu_);
    done_ = true;
    cv_.notify_all();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::vector<registry::StoredObject>> q_;
  bool done_ = false;
};

int Load(const Flags& f) {
  const std::string dir = StrFlag(f, "data-dir");
  if (dir.empty()) return Usage();
  const RegionOptions region = Region(f);
  const int64_t batch = IntFlag(f, "batch", 2000);
  std::filesystem::create_directories(dir);
  const std::string db = dir + "/registry.sqlite";
  if (std::filesystem::exists(db)) {
    if (!f.count("force")) {
      std::fprintf(stderr, "bench_registry load: %s exists (use --force to replace)\n",
                   db.c_str());
      return 1;
    }
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(db + suffix);
  }
  registry::SqliteRegistryStore::Options options;
  options.reader_connections = 1;
  options.writer_cache_kib = static_cast<int>(IntFlag(f, "cache-mib", 512)) * 1024;  // a batch fits
  auto opened = registry::SqliteRegistryStore::Open(db, options);
  if (!opened.ok()) {
    std::fprintf(stderr, "bench_registry load: %s\n", opened.status().message().c_str());
    return 1;
  }
  std::unique_ptr<registry::SqliteRegistryStore> store = std::move(opened.value());

  const auto start = Clock::now();
  // Secondary indexes are built once at the end, each by one sort (SqliteRegistryStore
  // DropIndexes): inserted one by one, 10 million entries rewrote most index pages on every
  // commit (86 GB written for the first 1.5 million).
  if (Status st = store->DropIndexes(); !st.ok()) {
    std::fprintf(stderr, "bench_registry load: %s\n", st.message().c_str());
    return 1;
  }
  BatchQueue queue;
  Status build_status;
  double build_seconds = 0;
  std::thread builder([&] {
    const auto t0 = Clock::now();
    std::vector<registry::StoredObject> rows;
    for (int64_t e = 0; e < region.entries; ++e) {
      const xds::SimpleSubmission s = SubmissionForEntry(region, e);
      auto built = RegistrationRows(xds::BuildSubmitObjectsRequest(s), s.source_id);
      if (!built.ok()) {
        build_status = built.status();
        break;
      }
      for (auto& r : *built) rows.push_back(std::move(r));
      if ((e + 1) % batch == 0) queue.Push(std::exchange(rows, {}));
    }
    if (!rows.empty()) queue.Push(std::move(rows));
    build_seconds = std::chrono::duration<double>(Clock::now() - t0).count();
    queue.Finish();
  });
  int64_t written_rows = 0;
  int64_t next_report = region.entries / 10;
  Status write_status;
  std::vector<registry::StoredObject> rows;
  double apply_seconds = 0;
  while (queue.Pop(&rows)) {
    if (!write_status.ok()) continue;  // drain so the builder can finish
    const auto t0 = Clock::now();
    write_status = store->Apply([&](registry::RegistryTransaction& tx) {
      for (const auto& r : rows) RENKEI_RETURN_IF_ERROR(tx.Put(r));
      return Status::Ok();
    });
    apply_seconds += std::chrono::duration<double>(Clock::now() - t0).count();
    written_rows += static_cast<int64_t>(rows.size());
    if (written_rows / 3 >= next_report && next_report > 0) {
      const double s = std::chrono::duration<double>(Clock::now() - start).count();
      std::fprintf(stderr, "  loaded %lld entries in %.1f s\n",
                   static_cast<long long>(written_rows / 3), s);
      next_report += region.entries / 10;
    }
  }
  builder.join();
  if (!build_status.ok() || !write_status.ok()) {
    const Status& st = build_status.ok() ? write_status : build_status;
    std::fprintf(stderr, "bench_registry load: %s\n", st.message().c_str());
    return 1;
  }
  const auto index_start = Clock::now();
  if (Status st = store->BuildIndexes(); !st.ok()) {
    std::fprintf(stderr, "bench_registry load: %s\n", st.message().c_str());
    return 1;
  }
  const double index_seconds = std::chrono::duration<double>(Clock::now() - index_start).count();
  auto count = store->Count(registry::EntryKind::kDocumentEntry);
  const auto close_start = Clock::now();
  store.reset();  // closes the connections; the last one checkpoints the WAL
  const double close_seconds =
      std::chrono::duration<double>(Clock::now() - close_start).count();
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  int64_t bytes = 0;
  for (const char* suffix : {"", "-wal", "-shm"}) bytes += FileBytes(db + suffix);
  std::printf(
      "load entries=%lld document_entries_in_store=%lld patients=%lld rows=%lld "
      "seconds=%.1f entries_per_s=%.0f db_bytes=%lld build_thread_s=%.1f apply_s=%.1f "
      "index_s=%.1f close_s=%.1f\n",
      static_cast<long long>(region.entries), static_cast<long long>(count.ok() ? *count : -1),
      static_cast<long long>(PatientCount(region)), static_cast<long long>(written_rows),
      seconds, region.entries / seconds, static_cast<long long>(bytes), build_seconds,
      apply_seconds, index_seconds, close_seconds);
  return 0;
}

// The region's disclosure consents for a viewing clinic (issue 5, docs/authorization.md):
// the hospitals (disclosing, with their ITI-41 repositories) and the clinic (viewing) in the
// centre's directory, and for each patient one grant of every class, open-ended, from each
// hospital that registered entries for it to the clinic. Grants are written in patient
// order, `batch` per transaction; a rerun continues after the last patient granted (none
// when all are), so it is idempotent and resumes an interrupted run.
int Grants(const Flags& f) {
  const std::string dir = StrFlag(f, "data-dir");
  const std::string grantee = StrFlag(f, "grantee");
  if (dir.empty() || grantee.empty()) return Usage();
  const RegionOptions region = Region(f);
  const int64_t batch = std::max<int64_t>(1, IntFlag(f, "batch", 50000));
  const auto start = Clock::now();
  std::filesystem::create_directories(dir);
  auto opened = directory::DirectoryStore::Open(dir + "/" + directory::kDirectoryFileName);
  auto fail = [](const std::string& what, const Status& st) {
    std::fprintf(stderr, "bench_registry grants: %s: %s\n", what.c_str(), st.ToString().c_str());
    return 1;
  };
  if (!opened.ok()) return fail("open the directory", opened.status());
  directory::DirectoryStore& store = **opened;

  for (int h = 0; h < kHospitalCount; ++h) {
    directory::Facility hospital;
    hospital.oid = HospitalOid(h);
    hospital.name = HospitalName(h);
    hospital.type = directory::FacilityType::kDisclosing;
    if (Status st = store.PutFacility(hospital); !st.ok()) return fail(hospital.oid, st);
    const std::string repository = HospitalRepositoryUniqueId(h);
    Result<std::string> owner = store.RepositoryOwner(repository);
    if (owner.ok() && *owner != hospital.oid) {
      return fail(repository, Status::Conflict("conflict", "belongs to " + *owner));
    }
    if (!owner.ok()) {
      if (!owner.status().IsNotFound()) return fail(repository, owner.status());
      directory::Endpoint source;
      source.facility = hospital.oid;
      source.kind = directory::EndpointKind::kIti41;
      source.repository_unique_id = repository;
      if (auto id = store.AddEndpoint(source); !id.ok()) return fail(repository, id.status());
    }
  }
  directory::Facility clinic;
  clinic.oid = grantee;
  clinic.name = "ベンチ閲覧クリニック";
  clinic.name_romaji = "Bench viewing clinic";
  clinic.type = directory::FacilityType::kViewing;
  if (Status st = store.PutFacility(clinic); !st.ok()) return fail(grantee, st);

  // Which hospitals registered entries for each patient (bit h).
  const int64_t patients = PatientCount(region);
  std::vector<uint8_t> hospitals(static_cast<size_t>(patients), 0);
  for (int64_t e = 0; e < region.entries; ++e) {
    hospitals[PatientOfEntry(region, e)] |= static_cast<uint8_t>(1u << HospitalOfEntry(region, e));
  }

  // Patients granted form a prefix [0, k) (patient order, one transaction per batch): k by
  // binary search on "has a grant to the clinic".
  Status probe_status;
  auto granted = [&](int64_t p) {
    directory::GrantFilter filter;
    filter.patient_id = PatientCx(p);
    filter.party = grantee;
    Result<std::vector<directory::Grant>> list = store.ListGrants(filter);
    if (!list.ok()) {
      probe_status = list.status();
      return false;
    }
    for (const directory::Grant& g : *list) {
      if (g.grantee == grantee && g.status == directory::GrantStatus::kActive) return true;
    }
    return false;
  };
  int64_t first = 0;
  if (granted(patients - 1)) {
    first = patients;
  } else {
    int64_t lo = 0, hi = patients - 1;  // patient hi has none
    while (lo < hi) {
      const int64_t mid = lo + (hi - lo) / 2;
      if (granted(mid)) lo = mid + 1; else hi = mid;
    }
    first = lo;
  }
  if (!probe_status.ok()) return fail("read the grants", probe_status);

  const std::string now = directory::NowInstant();
  int64_t written = 0;
  std::vector<directory::Grant> pending;
  auto flush = [&]() -> Status {
    if (pending.empty()) return Status::Ok();
    Result<std::vector<directory::Grant>> stored = store.AddGrants(pending, now);
    if (!stored.ok()) return stored.status();
    written += static_cast<int64_t>(stored->size());
    pending.clear();
    return Status::Ok();
  };
  for (int64_t p = first; p < patients; ++p) {
    for (int h = 0; h < kHospitalCount; ++h) {
      if (!(hospitals[p] & (1u << h))) continue;
      directory::Grant g;
      g.disclosing_facility = HospitalOid(h);
      g.patient_id = PatientCx(p);
      g.grantee = grantee;
      g.start = "20160101000000";  // before every synthetic document; open-ended, every class
      g.consent_reference = "bench-consent-" + std::to_string(p);
      g.note = "bench_registry grants";
      pending.push_back(std::move(g));
    }
    if (static_cast<int64_t>(pending.size()) >= batch) {
      if (Status st = flush(); !st.ok()) return fail("store the grants", st);
    }
  }
  if (Status st = flush(); !st.ok()) return fail("store the grants", st);
  int64_t total = 0;
  for (uint8_t m : hospitals) total += std::popcount(m);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  std::printf("grants patients=%lld grants=%lld written=%lld already_granted_patients=%lld "
              "grantee=%s grants_seconds=%.1f\n",
              static_cast<long long>(patients), static_cast<long long>(total),
              static_cast<long long>(written), static_cast<long long>(first), grantee.c_str(),
              seconds);
  return 0;
}

bool WriteLines(const std::string& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  for (const std::string& l : lines) out << l << '\n';
  out.close();
  if (!out) std::fprintf(stderr, "bench_registry: cannot write %s\n", path.c_str());
  return static_cast<bool>(out);
}

int Patients(const Flags& f) {
  const RegionOptions region = Region(f);
  const int64_t n = std::min(PatientCount(region), IntFlag(f, "first", PatientCount(region)));
  const bool xml = f.count("xml") > 0;
  std::vector<std::string> lines;
  lines.reserve(n);
  for (int64_t p = 0; p < n; ++p) lines.push_back(xml ? XmlEscape(PatientCx(p)) : PatientCx(p));
  return WriteLines(StrFlag(f, "out", "/dev/stdout"), lines) ? 0 : 1;
}

int UniqueIds(const Flags& f) {
  const RegionOptions region = Region(f);
  const int64_t k = IntFlag(f, "sample", 10000);
  std::mt19937_64 rng(IntFlag(f, "seed", 42));
  std::uniform_int_distribution<int64_t> pick(0, region.entries - 1);
  std::vector<std::string> lines;
  for (int64_t i = 0; i < k; ++i) lines.push_back(XmlEscape(DocumentUniqueId(region, pick(rng))));
  return WriteLines(StrFlag(f, "out", "/dev/stdout"), lines) ? 0 : 1;
}

int Template(const Flags& f) {
  const std::string kind = StrFlag(f, "kind");
  const std::string to = StrFlag(f, "to", "http://127.0.0.1/xds/registry");
  std::string body;
  if (kind == "find-objectref") {
    body = FindDocumentsTemplate("ObjectRef", to);
  } else if (kind == "find-leafclass") {
    body = FindDocumentsTemplate("LeafClass", to);
  } else if (kind == "get-documents") {
    body = GetDocumentsTemplate(to);
  } else {
    return Usage();
  }
  return WriteLines(StrFlag(f, "out", "/dev/stdout"), {body}) ? 0 : 1;
}

int RegisterRequests(const Flags& f) {
  RegionOptions region;
  region.entries_per_patient = IntFlag(f, "per-patient", 20);
  // Submissions go to the first P patients (the centre is configured to know them).
  region.entries = IntFlag(f, "patients", 1000) * region.entries_per_patient;
  region.unique_id_tag = StrFlag(f, "tag", "9");
  const std::string to = StrFlag(f, "to", "http://127.0.0.1/xds/registry");
  const int64_t count = IntFlag(f, "count", 10000);
  std::vector<std::string> lines;
  lines.reserve(count);
  for (int64_t e = 0; e < count; ++e) {
    // "<submitting hospital OID><TAB><SOAP body>": bodies.lua sends each as that hospital
    // (X-Renkei-Facility), the facility its repositoryUniqueId belongs to.
    const xds::SimpleSubmission s = SubmissionForEntry(region, e);
    lines.push_back(s.source_id + "\t" + RegisterRequest(s, to));
    if (lines.back().find('\n') != std::string::npos) {
      std::fprintf(stderr, "bench_registry: request %lld contains a newline\n",
                   static_cast<long long>(e));
      return 1;
    }
  }
  return WriteLines(StrFlag(f, "out", "/dev/stdout"), lines) ? 0 : 1;
}

// Leaf codec speed on this region's fragments: bytes stored and decode time per fragment,
// per object kind (the LeafClass answer decodes one fragment per object).
int LeafCodec(const Flags& f) {
  RegionOptions region = Region(f);
  region.entries = IntFlag(f, "samples", 2000);
  std::map<int, std::vector<std::string>> blobs;  // by EntryKind
  std::map<int, int64_t> raw_bytes;
  for (int64_t e = 0; e < region.entries; ++e) {
    const xds::SimpleSubmission s = SubmissionForEntry(region, e);
    auto rows = RegistrationRows(xds::BuildSubmitObjectsRequest(s), s.source_id);
    if (!rows.ok()) {
      std::fprintf(stderr, "bench_registry: %s\n", rows.status().message().c_str());
      return 1;
    }
    for (const registry::StoredObject& o : *rows) {
      blobs[static_cast<int>(o.kind)].push_back(registry::EncodeLeaf(o.leaf_xml));
      raw_bytes[static_cast<int>(o.kind)] += static_cast<int64_t>(o.leaf_xml.size());
    }
  }
  const int reps = static_cast<int>(IntFlag(f, "reps", 20));
  for (const auto& [kind, list] : blobs) {
    int64_t stored = 0;
    for (const std::string& b : list) stored += static_cast<int64_t>(b.size());
    std::string out;
    const auto t0 = Clock::now();
    for (int r = 0; r < reps; ++r) {
      for (const std::string& b : list) {
        out.clear();
        if (!registry::DecodeLeaf(b.data(), b.size(), &out).ok()) return 1;
      }
    }
    const double us = std::chrono::duration<double, std::micro>(Clock::now() - t0).count() /
                      (static_cast<double>(reps) * static_cast<double>(list.size()));
    const auto n = static_cast<int64_t>(list.size());
    std::printf("leaf-codec kind=%d fragments=%lld raw_bytes=%lld stored_bytes=%lld "
                "format=%d decode_us=%.2f\n",
                kind, static_cast<long long>(n), static_cast<long long>(raw_bytes[kind] / n),
                static_cast<long long>(stored / n), static_cast<unsigned char>(list[0][0]), us);
  }
  return 0;
}

// Drops the file's clean pages from the OS page cache (posix_fadvise DONTNEED); a missing
// file is not an error.
void EvictFromPageCache(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
  ::close(fd);
}

// Drops the store's pages (and its WAL's) from the OS page cache, so that each run starts
// from the same state: the centre's prewarm (registry.prewarm) then reads what queries need,
// from the disk. Without it, a cache full of pages used twice (the load's, an earlier run's)
// made a once-read stream of the hot B-trees evict its own beginning (session 4:
// objects_patient was gone again when the ObjectRef run began; 36 GB of store, 23 GB of RAM).
int Evict(const Flags& f) {
  const std::string path = StrFlag(f, "data-dir") + "/registry.sqlite";
  struct stat st;
  if (stat(path.c_str(), &st) != 0) {
    std::fprintf(stderr, "bench_registry evict: %s: no such store\n", path.c_str());
    return 1;
  }
  EvictFromPageCache(path);
  EvictFromPageCache(path + "-wal");
  return 0;
}

}  // namespace
}  // namespace renkei::bench

int main(int argc, char** argv) {
  using namespace renkei::bench;
  if (argc < 2) return Usage();
  Flags flags;
  if (!ParseFlags(argc, argv, &flags)) return Usage();
  const std::string cmd = argv[1];
  try {
    if (cmd == "load") return Load(flags);
    if (cmd == "grants") return Grants(flags);
    if (cmd == "patients") return Patients(flags);
    if (cmd == "unique-ids") return UniqueIds(flags);
    if (cmd == "template") return Template(flags);
    if (cmd == "register-requests") return RegisterRequests(flags);
    if (cmd == "leaf-codec") return LeafCodec(flags);
    if (cmd == "evict") return Evict(flags);
  } catch (const std::exception& e) {  // bad numeric flag
    std::fprintf(stderr, "bench_registry: %s\n", e.what());
    return 2;
  }
  return Usage();
}
