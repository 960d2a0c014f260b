// NIST XDS testkit testplan.xml language (NIST-testplan-format.html): test folders, sections
// (index.idx order), steps, linkage instructions and cross-test fixture dependencies.
#ifndef RENKEI_TESTS_CONFORMANCE_TESTPLAN_H_
#define RENKEI_TESTS_CONFORMANCE_TESTPLAN_H_

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/status.h"

namespace renkei::conformance {

// <UseId testdir= step= section= id= symbol=/>: a value the engine recorded in an earlier
// step (AssignedUids / AssignedUuids / AssignedPatientId / AssignedSourceId).
struct UseId {
  std::string testdir;  // relative to the section directory; empty = this testplan
  std::string step;
  std::string section;  // log section name, e.g. "AssignedUuids"
  std::string id;       // symbol in that section
  std::string symbol;   // text replaced in this step's metadata, e.g. "$lid$"
};

// <UseReport test= section= step= reportName= useAs=/>.
struct UseReport {
  std::string test;     // NIST test id; empty = this test
  std::string section;  // test section; empty or "THIS" = this section
  std::string step;
  std::string report_name;
  std::string use_as;
};

// <Report name= section="InputMetadata|Result">xpath</Report>.
struct Report {
  std::string name;
  std::string section;
  std::string xpath;
};

struct Assert {
  std::string id;
  std::string xpath;
  std::string process;  // non-empty: a NIST Java-side processor (XDS-I), not an XPath
  // <TestResponse testDir= step=/> of a process: the step whose exchange it judges
  // ("THIS" = this section, "../X" = section X).
  std::string response_section;
  std::string response_step;
};

// One <ExpectedContents> child: count style (<Documents count="2"/>) or pattern (<DocDep/>).
struct ExpectedContent {
  std::string name;
  std::optional<int> count;
};

struct TestStep {
  std::string id;
  std::string transaction;  // element name, e.g. "RegisterTransaction"; "" when none
  std::optional<std::string> expected_status;  // "Success" / "Failure"
  std::vector<std::string> expected_error_codes;
  std::vector<std::string> expected_error_messages;
  std::string metadata_file;  // relative to the section directory
  bool xdsb = false;
  bool no_metadata = false;
  bool assign_uuids = false;
  bool no_assign_uids = false;
  std::vector<std::string> no_assign_uid_ids;  // <NoAssignUids id="X"/>: only these keep theirs
  bool no_patient_id = false;
  bool alt_patient_id = false;
  bool new_patient_id = false;  // NewPatientId / CreateNewPatientId
  std::vector<UseId> use_ids;
  std::vector<UseReport> use_reports;
  std::vector<Report> reports;
  std::vector<Assert> asserts;
  std::vector<ExpectedContent> expected_contents;
  // ProvideAndRegisterTransaction <Document id="X">file</Document>: {ExtrinsicObject id, file}.
  std::vector<std::pair<std::string, std::string>> documents;
  // HttpTransaction: the <Headers> block ("Name: value" lines) and <BodyFile>.
  std::string http_headers;
  std::string body_file;
  std::vector<std::string> uninterpreted;  // instructions this harness does not implement
};

struct Section {
  std::string name;  // "" when the test has no sections
  std::filesystem::path dir;
  std::vector<TestStep> steps;
};

struct TestDefinition {
  std::string nist_id;  // "11990", "15817b"
  std::string folder;   // "11990_single-docentry"
  std::string family;   // "register", "query", ...
  std::filesystem::path dir;
  std::vector<Section> sections;  // index.idx order
  // NIST ids of other tests whose logs this test reads (UseReport test=, UseId testdir=).
  std::vector<std::string> dependencies;
};

// Parses one testplan.xml. InvalidArgument when it is not well-formed.
Result<Section> ParseTestPlan(const std::filesystem::path& testplan, std::string section_name);

// Reads a test folder `<family>/<nistId>_<slug>`: index.idx (or a lone testplan.xml) and every
// listed section. InvalidArgument when a listed section has no testplan.xml.
Result<TestDefinition> LoadTestDefinition(const std::filesystem::path& dir, std::string family);

// "11990_single-docentry" -> "11990"; "15817b_pif-alt-patient" -> "15817b".
std::string NistIdOf(const std::string& folder);

// Resolves a UseId testdir (NIST layout "../x" or "../../12346/x") seen from section
// `from_section` of test `from_test` into {nist test id, section name}.
std::pair<std::string, std::string> ResolveTestDir(const std::string& from_test,
                                                   const std::string& from_section,
                                                   const std::string& testdir);

}  // namespace renkei::conformance

#endif  // RENKEI_TESTS_CONFORMANCE_TESTPLAN_H_
