// ATNA audit-store benchmark (see bench/README.md): how many records per second one writer
// appends to the centre's hash-chained trail (audit/audit_store.h) as it grows, and how
// long an ITI-81 search by patient takes afterwards. The records are what the centre's
// registry writes for each ITI-18 FindDocuments (audit::RegistryStoredQuery: a viewing
// clinic, a random patient of the region, a fresh query UUID, the AdhocQueryRequest).
// Prints figures, asserts nothing.
//
//   bench_audit_store --data-dir D [--records 1000000] [--batch 256] [--patients 500000]
//                     [--report-every 100000]
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "audit/audit_query.h"
#include "audit/audit_store.h"
#include "audit/transaction_events.h"

namespace {

using Clock = std::chrono::steady_clock;

double Seconds(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double>(b - a).count();
}

std::string Patient(long long p) {
  char id[32];
  std::snprintf(id, sizeof id, "RB%08lld", p);
  return std::string(id) + "^^^&2.999.392.24.1&ISO";
}

std::string Uuid(std::mt19937_64& rng) {
  const uint64_t a = rng(), b = rng();
  char s[48];
  std::snprintf(s, sizeof s, "urn:uuid:%08x-%04x-4%03x-8%03x-%012llx",
                static_cast<unsigned>(a >> 32), static_cast<unsigned>(a >> 16) & 0xffff,
                static_cast<unsigned>(a) & 0xfff, static_cast<unsigned>(b >> 48) & 0xfff,
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return s;
}

renkei::audit::AuditEvent QueryEvent(std::mt19937_64& rng, long long patients) {
  renkei::audit::Exchange x;
  x.requester_address = "127.0.0.1";
  x.requester_user_id = "127.0.0.1";
  x.responder_user_id = "http://127.0.0.1:8080/xds/registry";
  x.responder_address = "127.0.0.1";
  x.requesting_facility = "2.999.392.24.7.1";
  x.audit_source_id = "renkei-centre";
  const std::string patient = Patient(static_cast<long long>(rng() % patients));
  const std::string query =
      "<query:AdhocQueryRequest xmlns:query=\"urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0\" "
      "xmlns:rim=\"urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0\"><query:ResponseOption "
      "returnComposedObjects=\"true\" returnType=\"ObjectRef\"/><rim:AdhocQuery "
      "id=\"urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d\"><rim:Slot "
      "name=\"$XDSDocumentEntryPatientId\"><rim:ValueList><rim:Value>'" +
      patient +
      "'</rim:Value></rim:ValueList></rim:Slot><rim:Slot "
      "name=\"$XDSDocumentEntryStatus\"><rim:ValueList><rim:Value>('urn:oasis:names:tc:ebxml-"
      "regrep:StatusType:Approved')</rim:Value></rim:ValueList></rim:Slot></rim:AdhocQuery></"
      "query:AdhocQueryRequest>";
  return renkei::audit::RegistryStoredQuery(x, patient, Uuid(rng), query);
}

// Bytes this process had the kernel write to storage so far (/proc/self/io write_bytes):
// the WAL frames, the checkpoints into the database file, both.
long long WrittenBytes() {
  std::FILE* f = std::fopen("/proc/self/io", "r");
  if (f == nullptr) return 0;
  char line[128];
  long long v = 0;
  while (std::fgets(line, sizeof line, f) != nullptr) {
    if (std::sscanf(line, "write_bytes: %lld", &v) == 1) break;
  }
  std::fclose(f);
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> f;
  for (int i = 1; i + 1 < argc; i += 2) f[argv[i]] = argv[i + 1];
  auto num = [&](const char* k, long long def) {
    auto it = f.find(k);
    return it == f.end() ? def : std::stoll(it->second);
  };
  if (!f.count("--data-dir")) {
    std::fprintf(stderr,
                 "usage: bench_audit_store --data-dir D [--records N] [--batch B] "
                 "[--patients P] [--report-every K]\n");
    return 2;
  }
  const std::string dir = f["--data-dir"];
  const long long records = num("--records", 1000000);
  const long long batch = num("--batch", 256);
  const long long patients = num("--patients", 500000);
  const long long every = num("--report-every", 100000);
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/" + renkei::audit::kAuditStoreFile;
  auto store = renkei::audit::AuditStore::Open(path);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().message().c_str());
    return 1;
  }
  std::mt19937_64 rng(42);
  std::vector<renkei::audit::AuditEvent> events;
  long long done = 0;
  Clock::time_point chunk_start = Clock::now();
  const Clock::time_point start = chunk_start;
  double encode_s = 0;
  long long chunk_done = 0;
  long long chunk_written = WrittenBytes();
  while (done < records) {
    const Clock::time_point e0 = Clock::now();
    events.clear();
    for (long long i = 0; i < batch && done + i < records; ++i) {
      events.push_back(QueryEvent(rng, patients));
    }
    encode_s += Seconds(e0, Clock::now());
    auto r = (*store)->AppendBatch(events);
    if (!r.ok()) {
      std::fprintf(stderr, "append: %s\n", r.status().message().c_str());
      return 1;
    }
    done += static_cast<long long>(events.size());
    chunk_done += static_cast<long long>(events.size());
    if (chunk_done >= every || done == records) {
      const Clock::time_point now = Clock::now();
      const double s = Seconds(chunk_start, now) - encode_s;
      const long long written = WrittenBytes();
      std::printf(
          "append records=%lld batch=%lld records_per_s=%.0f us_per_record=%.1f "
          "written_bytes_per_record=%.0f\n",
          done, batch, chunk_done / s, 1e6 * s / chunk_done,
          static_cast<double>(written - chunk_written) / chunk_done);
      chunk_written = written;
      std::fflush(stdout);
      chunk_start = Clock::now();
      encode_s = 0;
      chunk_done = 0;
    }
  }
  const double total_s = Seconds(start, Clock::now());
  // ITI-81 by the patient of the last record: every bucket of the trail is sought.
  const std::string last_patient = events.back().objects.front().id;
  auto q = renkei::audit::ParseAuditQuery(
      {{"patient", "2.999.392.24.1|" + last_patient.substr(0, last_patient.find('^'))}});
  const Clock::time_point s0 = Clock::now();
  auto found = (*store)->Search(*q);
  const double search_ms = 1e3 * Seconds(s0, Clock::now());
  std::printf("total records=%lld seconds=%.1f bytes=%lld bytes_per_record=%.0f "
              "search_patient_ms=%.2f found=%zu\n",
              done, total_s, static_cast<long long>(std::filesystem::file_size(path)),
              static_cast<double>(std::filesystem::file_size(path)) / done, search_ms,
              found.ok() ? found->size() : 0);
  return 0;
}
