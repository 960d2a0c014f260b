// ITI TF-3 §4 metadata validation for ITI-42 / ITI-57 (see validation.h): submission
// structure and the cross-object rules (ids, uniqueIds, patient identity).
#include "xds/validation.h"

#include <set>
#include <string>
#include <unordered_map>

#include "xds/internal/validation_rules.h"
#include "xds/validation_formats.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using internal::Reporter;

const std::string& IdOf(const std::string& entry_uuid, const RegistryObject& rim) {
  return rim.id.empty() ? entry_uuid : rim.id;
}

// One object carrying a patientId or uniqueId, in submission order.
struct Carrier {
  const char* kind;
  const std::string* id;
  const std::string* value;
};

void CheckStructure(const Submission& s, Reporter& r) {
  // A submission contains exactly one SubmissionSet (ITI TF-3 4.1.4; ITI TF-2 3.42.4.1.3).
  if (s.submission_sets.empty()) {
    r.Metadata("the submission has no SubmissionSet (a RegistryPackage classified by " +
                   std::string(kSubmissionSetNode) + "); exactly one is required (ITI TF-3 4.1.4)",
               "");
  }
  for (size_t i = 1; i < s.submission_sets.size(); ++i) {
    const SubmissionSet& ss = s.submission_sets[i];
    const std::string& id = internal::IdOr(ss.entry_uuid, ss.rim.id, ss.unique_id);
    r.Metadata("SubmissionSet " + id + " is one of " + std::to_string(s.submission_sets.size()) +
                   " SubmissionSets; a submission has exactly one (ITI TF-3 4.1.4)",
               id);
  }
  // A standalone Classification classifies an object of the request (ebRIM 3.0
  // ClassificationType/@classifiedObject; ITI TF-3 4.2.3.1.2).
  for (const Classification& c : s.unmatched_classifications) {
    const std::string& where = c.id.empty() ? c.classified_object : c.id;
    r.Metadata("Classification " + (c.id.empty() ? std::string("(no id)") : c.id) +
                   " (node " + c.classification_node + c.classification_scheme +
                   ") classifies '" + c.classified_object +
                   "', which is no object of this submission (ITI TF-3 4.2.3.1.2)",
               where);
  }
  // A RegistryPackage is a SubmissionSet or a Folder (ITI TF-3 4.2.1, 4.2.3.3, 4.2.3.4).
  for (const RegistryObject& p : s.unclassified_packages) {
    r.Metadata("RegistryPackage " + p.id +
                   " is classified neither as a SubmissionSet nor as a Folder (ITI TF-3 4.2.1)",
               p.id);
  }
}

// Every object id appears once in a request (ebRIM 3.0 2.5.1; ITI TF-3 4.2.3.2.7 entryUUID).
void CheckDuplicateIds(const Submission& s, Reporter& r) {
  std::set<std::string> seen;
  auto check = [&](const char* kind, const std::string& id) {
    if (id.empty()) return;
    if (!seen.insert(id).second) {
      r.Metadata(std::string(kind) + " " + id +
                     ": this id is used by more than one object of the submission (ebRIM 3.0 "
                     "IdentifiableType/@id; ITI TF-3 4.2.3.2.7 entryUUID)",
                 id);
    }
  };
  for (const SubmissionSet& x : s.submission_sets) check("SubmissionSet", IdOf(x.entry_uuid, x.rim));
  for (const DocumentEntry& x : s.documents) check("DocumentEntry", IdOf(x.entry_uuid, x.rim));
  for (const Folder& x : s.folders) check("Folder", IdOf(x.entry_uuid, x.rim));
  for (const Association& x : s.associations) check("Association", IdOf(x.entry_uuid, x.rim));
}

// uniqueIds are unique within the message (ITI TF-3 Table 4.2.4.1-2
// XDSRegistryDuplicateUniqueIdInMessage; ITI TF-2 3.42.4.1.3).
void CheckDuplicateUniqueIds(const std::vector<Carrier>& carriers, Reporter& r) {
  std::unordered_map<std::string, const Carrier*> first;
  for (const Carrier& c : carriers) {
    std::string v(TrimAscii(*c.value));
    if (v.empty()) continue;
    auto [it, inserted] = first.emplace(v, &c);
    if (!inserted) {
      r.Add(XdsError::kRegistryDuplicateUniqueIdInMessage,
            std::string(c.kind) + " " + *c.id + " has uniqueId '" + v + "', already used by " +
                it->second->kind + " " + *it->second->id +
                " in this message (ITI TF-3 Table 4.2.4.1-2)",
            *c.id);
    }
  }
}

// One patient per submission: the SubmissionSet, every DocumentEntry and every Folder carry
// the same patientId (ITI TF-2 3.42.4.1.3; ITI TF-3 Table 4.2.4.1-2
// XDSPatientIdDoesNotMatch). Each patientId must be known to the affinity domain
// (XDSUnknownPatientId).
void CheckPatients(const Submission& s, const std::vector<Carrier>& carriers,
                   const ValidationOptions& o, Reporter& r) {
  const std::string reference =
      s.submission_sets.empty() ? std::string()
                                : std::string(TrimAscii(s.submission_sets.front().patient_id));
  if (!reference.empty()) {
    for (const Carrier& c : carriers) {
      std::string v(TrimAscii(*c.value));
      if (v.empty() || v == reference) continue;
      r.Add(XdsError::kPatientIdDoesNotMatch,
            std::string(c.kind) + " " + *c.id + " has patientId '" + v +
                "' but the SubmissionSet has '" + reference +
                "'; every object of a submission is about one patient (ITI TF-2 3.42.4.1.3)",
            *c.id);
    }
  }
  if (o.patients == nullptr) return;
  std::set<std::string> asked;
  for (const Carrier& c : carriers) {
    std::string v(TrimAscii(*c.value));
    if (v.empty() || !CxProblem(v).empty() || !asked.insert(v).second) continue;
    if (!o.patients->IsKnown(v)) {
      r.Add(XdsError::kUnknownPatientId,
            std::string(c.kind) + " " + *c.id + " has patientId '" + v +
                "', which is not a known patient of the affinity domain (register it with a "
                "patient identity feed first) (ITI TF-2 3.42.4.1.3; ITI TF-3 Table 4.2.4.1-2)",
            *c.id);
    }
  }
}

}  // namespace

RegistryErrorList ValidateSubmission(const Submission& s, const ValidationOptions& o) {
  Reporter r;
  CheckStructure(s, r);
  for (const SubmissionSet& ss : s.submission_sets) internal::ValidateSubmissionSet(ss, o, r);
  for (const DocumentEntry& de : s.documents) internal::ValidateDocumentEntry(de, o, r);
  for (const Folder& f : s.folders) internal::ValidateFolder(f, o, r);
  internal::ValidateAssociations(s, o, r);
  CheckDuplicateIds(s, r);

  std::vector<Carrier> unique_ids;
  std::vector<Carrier> patient_ids;
  for (const SubmissionSet& x : s.submission_sets) {
    const std::string& id = internal::IdOr(x.entry_uuid, x.rim.id, x.unique_id);
    unique_ids.push_back({"SubmissionSet", &id, &x.unique_id});
    patient_ids.push_back({"SubmissionSet", &id, &x.patient_id});
  }
  for (const DocumentEntry& x : s.documents) {
    const std::string& id = internal::IdOr(x.entry_uuid, x.rim.id, x.unique_id);
    unique_ids.push_back({"DocumentEntry", &id, &x.unique_id});
    patient_ids.push_back({"DocumentEntry", &id, &x.patient_id});
  }
  for (const Folder& x : s.folders) {
    const std::string& id = internal::IdOr(x.entry_uuid, x.rim.id, x.unique_id);
    unique_ids.push_back({"Folder", &id, &x.unique_id});
    patient_ids.push_back({"Folder", &id, &x.patient_id});
  }
  CheckDuplicateUniqueIds(unique_ids, r);
  CheckPatients(s, patient_ids, o, r);
  return r.Take();
}

}  // namespace renkei::xds
