// ITI-18 FindDocuments through DocumentRegistry::StoredQuery with the authorization filter
// (registry/query_access.h, docs/authorization.md), in process, on a store loaded by
// `bench_registry load` (bench/README.md "Registry"). A benchmark, not a test: it prints
// figures and asserts nothing.
//
//   query_access_bench --db D/registry.sqlite --patients N [--seconds 5] [--sample 2000]
//                      [--threads 2]
//
// Patients are those of bench/registry/synthetic_region.cc ("RB%08d^^^&2.999.392.24.1&ISO").
// Modes, each for ObjectRef and LeafClass, same random patients:
//   unfiltered      compiled only against a registry without the filter (the "before")
//   break-glass     one AccessOf, no submitter predicate (the query of before + AccessOf)
//   own records     the requester is the patient's main hospital, no grants: the fast path
//   all classes     a clinic with grants of every class from both hospitals: same answer as
//                   before, through the submitter predicate
//   some classes    a clinic with grants limited to half the classes: full rows + Allows
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "common/patient_id_source.h"
#include "registry/document_registry.h"
#include "registry/sqlite_registry_store.h"
#include "xds/xds_constants.h"

#if __has_include("registry/query_access.h")
#define RENKEI_WITH_FILTER 1
#include "directory/disclosure_policy.h"
#endif

namespace renkei::registry {
namespace {

constexpr char kClinic[] = "2.999.392.77.1";

std::string PatientCx(int64_t p) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "RB%08lld^^^&2.999.392.24.1&ISO", static_cast<long long>(p));
  return buf;
}

struct PatientFacts {
  std::string cx;
  std::string main_submitter;          // the submitter of most entries
  std::vector<std::string> submitters;  // all
};

#ifdef RENKEI_WITH_FILTER
enum class Mode { kBreakGlass, kOwn, kAllClasses, kSomeClasses };

// The grants each mode gives; the requester is chosen per query.
class BenchPolicy : public directory::DisclosurePolicy {
 public:
  BenchPolicy(Mode mode, const std::map<std::string, PatientFacts>* facts,
              std::vector<std::string> some_classes)
      : mode_(mode), facts_(facts), some_classes_(std::move(some_classes)) {}
  Result<directory::PatientAccess> AccessOf(const std::string& requester,
                                            const std::string& patient_id,
                                            const std::string&) const override {
    calls_.fetch_add(1, std::memory_order_relaxed);
    directory::PatientAccess a;
    a.requester = requester;
    if (mode_ == Mode::kBreakGlass) a.break_glass = true;
    if (mode_ == Mode::kAllClasses || mode_ == Mode::kSomeClasses) {
      auto it = facts_->find(patient_id);
      if (it != facts_->end()) {
        for (const std::string& s : it->second.submitters) {
          directory::GrantInForce g;
          g.disclosing_facility = s;
          if (mode_ == Mode::kSomeClasses) g.class_codes = some_classes_;
          a.grants.push_back(std::move(g));
        }
      }
    }
    return a;
  }
  int64_t calls() const { return calls_.load(); }

 private:
  Mode mode_;
  const std::map<std::string, PatientFacts>* facts_;
  std::vector<std::string> some_classes_;
  mutable std::atomic<int64_t> calls_{0};
};
#endif

xds::AdhocQueryRequest FindDocuments(const std::string& patient, bool object_ref) {
  xds::AdhocQueryRequest req;
  req.query_id = xds::kSqFindDocuments;
  req.return_type = object_ref ? xds::kReturnTypeObjectRef : xds::kReturnTypeLeafClass;
  req.params.push_back(xds::Slot{xds::kSqpDocPatientId, "", {"'" + patient + "'"}});
  req.params.push_back(
      xds::Slot{xds::kSqpDocStatus, "", {"('" + std::string(xds::kStatusApproved) + "')"}});
  return req;
}

struct Figures {
  double qps = 0;
  double mean_answer = 0;
  int64_t errors = 0;
};

// `requester_of(patient)` names the requesting facility of each query.
template <typename RequesterOf>
Figures Measure(DocumentRegistry& registry, const std::vector<const PatientFacts*>& patients,
                bool object_ref, int seconds, int threads, RequesterOf requester_of) {
  std::atomic<int64_t> queries{0}, entries{0}, errors{0};
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(seconds);
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t) {
    pool.emplace_back([&, t] {
      std::mt19937_64 rng(1234 + t);
      int64_t q = 0, e = 0, err = 0;
      while (std::chrono::steady_clock::now() < until) {
        for (int i = 0; i < 64; ++i) {
          const PatientFacts& p = *patients[rng() % patients.size()];
          QueryAnswer a = registry.StoredQuery(FindDocuments(p.cx, object_ref),
                                               RequestContext{requester_of(p)});
          ++q;
          err += a.errors.empty() ? 0 : 1;
          e += static_cast<int64_t>(a.object_refs.size() + a.objects.size());
        }
      }
      queries += q;
      entries += e;
      errors += err;
    });
  }
  for (auto& th : pool) th.join();
  Figures f;
  f.qps = static_cast<double>(queries.load()) / seconds;
  f.mean_answer = queries ? static_cast<double>(entries.load()) / queries.load() : 0;
  f.errors = errors.load();
  return f;
}

int Run(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i + 1 < argc; i += 2) flags[argv[i]] = argv[i + 1];
  if (!flags.count("--db") || !flags.count("--patients")) {
    std::fprintf(stderr,
                 "usage: query_access_bench --db FILE --patients N [--seconds 5] "
                 "[--sample 2000] [--threads 2]\n");
    return 2;
  }
  const int64_t patients = std::atoll(flags["--patients"].c_str());
  const int seconds = flags.count("--seconds") ? std::atoi(flags["--seconds"].c_str()) : 5;
  const int64_t sample = flags.count("--sample") ? std::atoll(flags["--sample"].c_str()) : 2000;
  const int threads = flags.count("--threads") ? std::atoi(flags["--threads"].c_str()) : 2;

  SqliteRegistryStore::Options options;
  auto store = SqliteRegistryStore::Open(flags["--db"], options);
  if (!store.ok()) {
    std::fprintf(stderr, "%s\n", store.status().ToString().c_str());
    return 1;
  }
  // The sampled patients, their submitters and classes, read once (full rows).
  std::map<std::string, PatientFacts> facts;
  std::set<std::string> classes;
  std::mt19937_64 rng(42);
  while (static_cast<int64_t>(facts.size()) < std::min(sample, patients)) {
    const std::string cx = PatientCx(static_cast<int64_t>(rng() % patients));
    if (facts.count(cx)) continue;
    ObjectFilter f;
    f.kind = EntryKind::kDocumentEntry;
    f.patient_id = cx;
    f.with_leaf_xml = false;
    auto rows = (*store)->Find(f);
    if (!rows.ok()) return 1;
    std::map<std::string, int> by;
    for (const StoredObject& o : *rows) {
      ++by[o.submitter];
      for (const StoredCode& c : o.codes) {
        if (c.attr == CodeAttr::kClass) classes.insert(c.code);
      }
    }
    PatientFacts p;
    p.cx = cx;
    int best = -1;
    for (const auto& [s, n] : by) {
      p.submitters.push_back(s);
      if (n > best) {
        best = n;
        p.main_submitter = s;
      }
    }
    facts[cx] = p;
  }
  std::vector<const PatientFacts*> list;
  for (const auto& [cx, p] : facts) list.push_back(&p);
  std::vector<std::string> some(classes.begin(), classes.end());
  some.resize(some.size() / 2);
  std::printf("store %s: %lld patients sampled, %zu classes (grants of 'some classes': %zu), "
              "%d threads, %d s per row\n\n",
              flags["--db"].c_str(), static_cast<long long>(list.size()), classes.size(),
              some.size(), threads, seconds);
  std::printf("| mode | returnType | q/s | entries per answer | errors |\n|---|---|---|---|---|\n");
  ConfiguredPatientIds ids{{}, true};
  auto row = [](const char* mode, bool object_ref, const Figures& f) {
    std::printf("| %s | %s | %.0f | %.1f | %lld |\n", mode, object_ref ? "ObjectRef" : "LeafClass",
                f.qps, f.mean_answer, static_cast<long long>(f.errors));
    std::fflush(stdout);
  };
#ifdef RENKEI_WITH_FILTER
  const std::pair<Mode, const char*> modes[] = {{Mode::kBreakGlass, "break-glass"},
                                                {Mode::kOwn, "own records (no grants)"},
                                                {Mode::kAllClasses, "grants of every class"},
                                                {Mode::kSomeClasses, "grants of some classes"}};
  for (const auto& [mode, name] : modes) {
    BenchPolicy policy(mode, &facts, some);
    RegistryAuthorization auth;
    auth.policy = &policy;
    DocumentRegistry registry(**store, ids, nullptr, RegistryOptions(), auth);
    for (bool object_ref : {true, false}) {
      const Mode m = mode;
      Figures f = Measure(registry, list, object_ref, seconds, threads,
                          [m](const PatientFacts& p) {
                            return m == Mode::kOwn ? p.main_submitter : std::string(kClinic);
                          });
      row(name, object_ref, f);
    }
  }
#else
  DocumentRegistry registry(**store, ids, nullptr, RegistryOptions());
  for (bool object_ref : {true, false}) {
    Figures f = Measure(registry, list, object_ref, seconds, threads,
                        [](const PatientFacts&) { return std::string(kClinic); });
    row("unfiltered (before)", object_ref, f);
  }
#endif
  return 0;
}

}  // namespace
}  // namespace renkei::registry

int main(int argc, char** argv) { return renkei::registry::Run(argc, argv); }
