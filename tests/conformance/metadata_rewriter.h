// Run-time metadata substitution of the NIST XDS test engine (NIST-testplan-format.html,
// "Metadata" processing): session patient id, fresh uniqueIds (unless NoAssignUids) and
// symbolic ids -> urn:uuid (AssignUuids), recording what was assigned for later UseId.
#ifndef RENKEI_TESTS_CONFORMANCE_METADATA_REWRITER_H_
#define RENKEI_TESTS_CONFORMANCE_METADATA_REWRITER_H_

#include <map>
#include <set>
#include <string>

namespace pugi {
class xml_node;
}

namespace renkei::conformance {

// The log sections NIST writes per step; keys are the symbolic ids of the input metadata.
struct AssignedIds {
  std::map<std::string, std::string> uids;         // AssignedUids
  std::map<std::string, std::string> uuids;        // AssignedUuids
  std::map<std::string, std::string> patient_ids;  // AssignedPatientId
  std::map<std::string, std::string> source_ids;   // AssignedSourceId
};

struct RewriteOptions {
  bool replace_patient_id = false;  // false under <NoPatientId/>
  std::string patient_id;
  bool assign_uids = true;               // false under <NoAssignUids/>
  std::set<std::string> keep_uid_symbols;  // <NoAssignUids id="X"/>
  bool assign_uuids = false;             // <AssignUuids/>
  // Non-empty: the SubmissionSet.sourceId NIST inserts from xdstest/sourceid.txt.
  std::string source_id;
};

// Fresh identifiers: "urn:uuid:<random v4>" and OIDs "<root>.<time>.<counter>".
std::string NewUuidUrn();
std::string NewUniqueIdOid();

// Rewrites the SubmitObjectsRequest (2.1 or 3.0, any prefixes) rooted at `request` in place
// and returns what it assigned or found. SubmissionSets, DocumentEntries and Folders are
// recognised by their uniqueId / patientId ExternalIdentifier schemes.
AssignedIds RewriteSubmission(pugi::xml_node request, const RewriteOptions& options);

}  // namespace renkei::conformance

#endif  // RENKEI_TESTS_CONFORMANCE_METADATA_REWRITER_H_
