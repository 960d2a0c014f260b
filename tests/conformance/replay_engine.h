// NIST XDS testkit replay engine (NIST-testplan-format.html): runs testplan steps as ITI-42 /
// ITI-18 / ITI-57 transactions against a live Document Registry and ITI-41 / ITI-43 (and raw
// HttpTransaction requests) against a live Document Repository, and judges them the way the
// NIST test engine does (linkage UseId/UseReport/Report, id assignment, Assertions).
#ifndef RENKEI_TESTS_CONFORMANCE_REPLAY_ENGINE_H_
#define RENKEI_TESTS_CONFORMANCE_REPLAY_ENGINE_H_

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "tests/conformance/soap_client.h"
#include "tests/conformance/testplan.h"

namespace renkei::conformance {

struct StepOutcome {
  std::string section;
  std::string step;
  std::vector<std::string> failures;  // empty = passed
};

struct TestOutcome {
  std::string name;
  std::vector<StepOutcome> steps;
  std::vector<std::string> failures;  // test-level problems (load errors, missing dependency)
  bool passed() const;
  // "section/step: reason; ..." for every failure.
  std::string FailureSummary() const;
};

// One ebRS 3.0 wire example (wire-examples/*) replayed as it is, with its curator verdict.
struct WireCase {
  std::string name;    // gtest-friendly, unique
  std::string file;    // relative to the xds/ corpus folder
  // ITI-42 | ITI-57 | ITI-18 | ITI-41 (a body, wrapped) | raw (a complete SOAP message, sent
  // as it is) | mtom (a multipart/related body) | http (a captured HTTP request)
  std::string mode;
  std::string expect;  // Success | Failure | SuccessEmptyOrFailure
  std::vector<std::string> codes;  // any-of; empty = no code required
};

// Reads wire_cases.txt: `name|file|mode|expect|code1,code2 or -|note`, '#' comments.
Result<std::vector<WireCase>> LoadWireCases(const std::string& path);

// Interprets testplans against one registry endpoint. Keeps the client-side "logs" (assigned
// ids, reports) of every test it ran, so later tests can link to earlier ones; each test runs
// at most once per engine. Not thread-safe. `transport` must outlive the engine.
class ReplayEngine {
 public:
  ReplayEngine(Transport* transport, std::string endpoint_url, std::string corpus_dir);
  ~ReplayEngine();

  // Adds a test to the catalogue (does not run it).
  void AddTest(TestDefinition def);
  // The registry URL (wsa:To of every request), when known only after construction.
  void SetEndpoint(std::string endpoint_url);
  // The Document Repository of ITI-41 / ITI-43 / HttpTransaction steps: `transport` posts to
  // it, `url` is its wsa:To. Without one those steps fail. `transport` must outlive the engine.
  void SetRepository(Transport* transport, std::string url);

  // XDS-I.b (ImagingDocSetRetrieveTransaction, RAD-69): the instances the Imaging Document
  // Source holds (NIST's "import the imaging data" before ids_2018-48xx), by SOP Instance UID,
  // Part 10 bytes as stored; the RAD-69 requests' `nist_repository_unique_id` becomes
  // `repository_unique_id` (a suffixed variant stays a different, unknown one). Retrieved
  // instances must equal these bytes.
  void AddImportedImages(const std::string& nist_repository_unique_id,
                         const std::string& repository_unique_id,
                         const std::map<std::string, std::string>& images);

  // Patient ids the registry must accept, i.e. what the Patient Identity Feed would have
  // registered: one per PatientIdentityFeedTransaction step of every catalogued test, plus one
  // session patient per fixture test. Stable once called; call after every AddTest.
  std::vector<std::string> KnownPatientIds();

  // Runs catalogued test `nist_id`, first running (once) every catalogued test it depends on.
  TestOutcome RunTest(const std::string& nist_id);

  // Sends one wire example (patient ids and uniqueIds refreshed for ITI-42) and judges it.
  TestOutcome RunWireCase(const WireCase& wc);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace renkei::conformance

#endif  // RENKEI_TESTS_CONFORMANCE_REPLAY_ENGINE_H_
