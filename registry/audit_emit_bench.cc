// IHE ATNA cost at the registry (issue 5): ITI-18 FindDocuments ObjectRef over HTTP
// keep-alive on loopback against the registry endpoint, without an audit sink and with a
// StoreSink (AuditStore, synchronous=FULL: one fsync per event). A benchmark, not a test:
// it prints figures and asserts nothing.
//
//   registry_audit_emit_bench [--entries 100000] [--queries 2000] [--threads 1]
//                             [--audit-dir /tmp]
//
// The store: an in-memory registry of `entries` DocumentEntries, 20 per patient, put directly
// (no ITI-42); each query asks for one random patient's approved documents (20 ids).
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "audit/audit_sink.h"
#include "audit/audit_store.h"
#include "audit/buffered_store_sink.h"
#include "common/http_client.h"
#include "common/http_server.h"
#include "common/patient_id_source.h"
#include "common/peer.h"
#include "registry/registry_endpoint.h"
#include "registry/sqlite_registry_store.h"
#include "xds/ebrim_codec.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

constexpr char kFacility[] = "2.999.392.1";

std::string Patient(int64_t p) { return "BP" + std::to_string(p) + "^^^&2.999.392.24.1&ISO"; }

struct Figures {
  double qps = 0;
  double mean_ms = 0;
  int64_t failures = 0;
};

Figures Run(const std::string& base_url, int64_t patients, int queries, int threads) {
  std::atomic<int64_t> failures{0};
  const auto start = std::chrono::steady_clock::now();
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      std::mt19937_64 rng(1234 + t);
      auto client = HttpClient::Create(base_url);
      if (!client.ok()) {
        failures += queries / threads;
        return;
      }
      for (int i = 0; i < queries / threads; ++i) {
        xds::AdhocQueryRequest q;
        q.query_id = xds::kSqFindDocuments;
        q.return_type = xds::kReturnTypeObjectRef;
        q.params = {{xds::kSqpDocPatientId, "", {"'" + Patient(rng() % patients) + "'"}},
                    {xds::kSqpDocStatus, "", {std::string("('") + xds::kStatusApproved + "')"}}};
        auto reply = (*client)->Send(
            "POST", "/xds/registry",
            std::string("application/soap+xml; charset=UTF-8; action=\"") +
                xds::kActionStoredQuery + "\"",
            xds::EncodeSoapRequest(xds::kActionStoredQuery, "http://centre/xds/registry",
                                   xds::EncodeAdhocQueryRequest(q)),
            {{kFacilityTestHeader, kFacility}});
        if (!reply.ok() || reply->body.find(xds::kResponseSuccess) == std::string::npos) {
          ++failures;
        }
      }
    });
  }
  for (std::thread& w : workers) w.join();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Figures f;
  const int done = (queries / threads) * threads;
  f.qps = done / seconds;
  f.mean_ms = seconds * 1000.0 * threads / done;
  f.failures = failures.load();
  return f;
}

int Main(int argc, char** argv) {
  int64_t entries = 100000;
  int queries = 2000, threads = 1;
  std::string audit_dir = "/tmp";
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--entries")) entries = std::atoll(argv[i + 1]);
    if (!std::strcmp(argv[i], "--queries")) queries = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--threads")) threads = std::atoi(argv[i + 1]);
    if (!std::strcmp(argv[i], "--audit-dir")) audit_dir = argv[i + 1];
  }
  const int64_t patients = std::max<int64_t>(1, entries / 20);
  auto opened = SqliteRegistryStore::Open(":memory:");
  if (!opened.ok()) return std::fprintf(stderr, "%s\n", opened.status().ToString().c_str()), 1;
  std::unique_ptr<SqliteRegistryStore> store = std::move(opened.value());
  const auto load_start = std::chrono::steady_clock::now();
  Status st = store->Apply([&](RegistryTransaction& tx) {
    for (int64_t e = 0; e < entries; ++e) {
      StoredObject o;
      o.kind = EntryKind::kDocumentEntry;
      o.id = "urn:uuid:00000000-0000-4000-8000-" + std::to_string(100000000000 + e);
      o.lid = o.id;
      o.status = xds::kStatusApproved;
      o.patient_id = Patient(e % patients);
      o.submitter = kFacility;
      o.unique_id = "2.999.392.9." + std::to_string(e);
      o.repository_unique_id = "2.999.392.1.50";
      o.object_type = xds::kObjectTypeStableDocument;
      o.codes = {{CodeAttr::kClass, "LAB", "S"}};
      o.leaf_xml = "<leaf/>";
      RENKEI_RETURN_IF_ERROR(tx.Put(o));
    }
    return Status::Ok();
  });
  if (!st.ok()) return std::fprintf(stderr, "%s\n", st.ToString().c_str()), 1;
  std::printf("loaded %lld entries (%lld patients) in %.1f s\n", static_cast<long long>(entries),
              static_cast<long long>(patients),
              std::chrono::duration<double>(std::chrono::steady_clock::now() - load_start).count());
  ConfiguredPatientIds ids{{}, true};
  DocumentRegistry registry(*store, ids, nullptr, RegistryOptions{});

  const std::string audit_path =
      audit_dir + "/renkei-audit-emit-bench-" + std::to_string(getpid()) + ".sqlite";
  auto audit_store = audit::AuditStore::Open(audit_path);
  if (!audit_store.ok()) {
    return std::fprintf(stderr, "%s\n", audit_store.status().ToString().c_str()), 1;
  }
  audit::StoreSink sink(**audit_store);
  audit::BufferedStoreSink buffered(**audit_store);

  std::printf("ITI-18 FindDocuments ObjectRef, %d queries, %d client thread(s)\n", queries,
              threads);
  for (int round = 0; round < 2; ++round) {
    for (int mode : {0, 1, 2}) {
      RegistryEndpointOptions o;
      if (mode != 0) {
        o.audit = mode == 1 ? static_cast<audit::AuditSink*>(&sink) : &buffered;
        o.audit_source_id = "bench";
      }
      HttpRouter router;
      router.Exact("POST", "/xds/registry", MakeRegistryHandler(registry, o));
      auto server = HttpServer::Start(HttpServerOptions{}, std::move(router));
      if (!server.ok()) return std::fprintf(stderr, "%s\n", server.status().ToString().c_str()), 1;
      Figures f = Run((*server)->base_url(), patients, queries, threads);
      std::printf("  round %d %-22s %8.0f q/s  mean %.3f ms  failures %lld\n", round + 1,
                  mode == 0 ? "no audit" : mode == 1 ? "StoreSink (fsync)" : "BufferedStoreSink",
                  f.qps, f.mean_ms,
                  static_cast<long long>(f.failures));
    }
  }
  buffered.Flush();
  auto verify = (*audit_store)->Verify();
  std::printf("audit store: %lld records, chain %s\n",
              verify.ok() ? static_cast<long long>(verify->records) : -1LL,
              verify.ok() && verify->ok ? "verified" : "BROKEN");
  audit_store->reset();
  for (const char* suffix : {"", "-wal", "-shm"}) std::remove((audit_path + suffix).c_str());
  return 0;
}

}  // namespace
}  // namespace renkei::registry

int main(int argc, char** argv) { return renkei::registry::Main(argc, argv); }
