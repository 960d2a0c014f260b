// ITI TF-3 §4.2.2 Association types and §4.1.4 submission structure: association type,
// ends, SubmissionSetStatus, documentation classification, and SubmissionSet membership
// of every DocumentEntry and Folder of an ITI-42 / ITI-57 submission.
#include <set>
#include <tuple>
#include <string>
#include <unordered_map>

#include "xds/internal/validation_rules.h"
#include "xds/validation_formats.h"
#include "xds/xds_constants.h"

namespace renkei::xds::internal {
namespace {

enum class Kind { kSubmissionSet, kDocumentEntry, kFolder, kAssociation };

const char* TypeName(const Association& a) {
  switch (a.type) {
    case AssociationType::kHasMember: return "HasMember";
    case AssociationType::kRplc: return "RPLC";
    case AssociationType::kApnd: return "APND";
    case AssociationType::kXfrm: return "XFRM";
    case AssociationType::kXfrmRplc: return "XFRM_RPLC";
    case AssociationType::kSigns: return "signs";
    case AssociationType::kIsSnapshotOf: return "IsSnapshotOf";
    case AssociationType::kUpdateAvailabilityStatus: return "UpdateAvailabilityStatus";
    case AssociationType::kOther: break;
  }
  return "unknown";
}

// Document relationship associations (ITI TF-3 4.2.2.2): the source is the new
// DocumentEntry of this submission, the target an existing one.
bool IsRelationship(AssociationType t) {
  return t == AssociationType::kRplc || t == AssociationType::kApnd ||
         t == AssociationType::kXfrm || t == AssociationType::kXfrmRplc ||
         t == AssociationType::kSigns || t == AssociationType::kIsSnapshotOf;
}

const std::string& IdOf(const std::string& entry_uuid, const RegistryObject& rim) {
  return rim.id.empty() ? entry_uuid : rim.id;
}

}  // namespace

void ValidateAssociations(const Submission& s, const ValidationOptions& o, Reporter& r) {
  std::unordered_map<std::string, Kind> objects;
  for (const SubmissionSet& x : s.submission_sets) {
    objects.emplace(IdOf(x.entry_uuid, x.rim), Kind::kSubmissionSet);
  }
  for (const DocumentEntry& x : s.documents) {
    objects.emplace(IdOf(x.entry_uuid, x.rim), Kind::kDocumentEntry);
  }
  for (const Folder& x : s.folders) objects.emplace(IdOf(x.entry_uuid, x.rim), Kind::kFolder);
  for (const Association& x : s.associations) {
    objects.emplace(IdOf(x.entry_uuid, x.rim), Kind::kAssociation);
  }
  objects.erase(std::string());
  const std::set<std::string> refs(s.object_refs.begin(), s.object_refs.end());

  auto kind_of = [&](const std::string& id) -> const Kind* {
    auto it = objects.find(id);
    return it == objects.end() ? nullptr : &it->second;
  };

  // (source, target) of every HasMember whose source is a SubmissionSet of this message.
  std::set<std::string> ss_members;

  for (const Association& a : s.associations) {
    const std::string& id = IdOf(a.entry_uuid, a.rim);
    const std::string label = "Association " + (id.empty() ? std::string("(no id)") : id);
    ValidateRimStructure(a.rim, id, "Association", r);

    // Type (ITI TF-3 4.2.2; UpdateAvailabilityStatus is ITI-57 only, ITI TF-2 3.57.4.1.3.3).
    const bool submit_association =
        a.type == AssociationType::kOther && a.type_urn == kAssocSubmitAssociation;
    if (a.type == AssociationType::kOther && !submit_association) {
      r.Metadata(label + ": associationType '" + a.type_urn +
                     "' is not an XDS association type (HasMember, RPLC, APND, XFRM, XFRM_RPLC, "
                     "signs, IsSnapshotOf, SubmitAssociation) (ITI TF-3 4.2.2)",
                 id);
    } else if (a.type == AssociationType::kUpdateAvailabilityStatus &&
               o.transaction == ValidationOptions::Transaction::kRegister) {
      r.Metadata(label +
                     ": UpdateAvailabilityStatus is allowed only in ITI-57 Update Document Set, "
                     "not in ITI-42 (ITI TF-2 3.57.4.1.3.3)",
                 id);
    }

    // Ends: an object of this message (by id or ObjectRef) or an existing entryUUID; the
    // registry checks later that existing objects exist (ITI TF-3 4.2.2, ebRIM 3.0 2.5.1).
    auto check_end = [&](const std::string& end, const char* attr) {
      if (end.empty()) {
        r.Metadata(label + ": " + attr + " is missing (ebRIM 3.0 AssociationType)", id);
      } else if (kind_of(end) != nullptr || refs.count(end) != 0) {
        // resolved inside the message
      } else if (StartsWithUuidPrefix(end)) {
        if (!IsUuidUrn(end)) {
          r.Metadata(label + ": " + attr + " '" + end +
                         "' starts with urn:uuid: but is not a well-formed UUID (ITI TF-3 "
                         "4.2.3.1.7 UUID)",
                     id);
        }
      } else {
        r.Metadata(label + ": " + attr + " '" + end +
                       "' is a symbolic id that names no object of this submission (ITI TF-3 "
                       "4.2.2)",
                   id);
      }
    };
    check_end(a.source, "sourceObject");
    check_end(a.target, "targetObject");

    // An association relates two different objects.
    if (!id.empty() && (a.source == id || a.target == id)) {
      r.Metadata(label + ": the association points at itself (its own id is its " +
                     (a.source == id ? "sourceObject" : "targetObject") + ") (ITI TF-3 4.2.2)",
                 id);
    } else if (!a.source.empty() && a.source == a.target) {
      r.Metadata(label + ": sourceObject and targetObject are the same object '" + a.source +
                     "' (ITI TF-3 4.2.2)",
                 id);
    }

    const Kind* src = kind_of(a.source);
    const Kind* dst = kind_of(a.target);

    // HasMember from the SubmissionSet (ITI TF-3 4.2.2.1.1): to a DocumentEntry it carries
    // SubmissionSetStatus = Original | Reference; when present on any other member the
    // value is one of those too.
    if (a.type == AssociationType::kHasMember && src != nullptr &&
        *src == Kind::kSubmissionSet) {
      ss_members.insert(a.target);
      const Slot* status = a.rim.FindSlot(kSlotSubmissionSetStatus);
      const std::string& value =
          !a.submission_set_status.empty()
              ? a.submission_set_status
              : (status != nullptr && !status->values.empty() ? status->values.front()
                                                              : a.submission_set_status);
      const bool to_document = dst != nullptr && *dst == Kind::kDocumentEntry;
      if (value.empty()) {
        if (to_document) {
          r.Metadata(label +
                         ": HasMember from the SubmissionSet to a DocumentEntry has no "
                         "SubmissionSetStatus slot (Original or Reference) (ITI TF-3 4.2.2.1.1)",
                     id);
        }
      } else if (value != "Original" && value != "Reference") {
        r.Metadata(label + ": SubmissionSetStatus '" + value +
                       "' is neither Original nor Reference (ITI TF-3 4.2.2.1.1)",
                   id);
      } else if (status != nullptr && status->values.size() > 1) {
        r.Metadata(label + ": SubmissionSetStatus has " +
                       std::to_string(status->values.size()) +
                       " values; it takes one (ITI TF-3 4.2.2.1.1)",
                   id);
      }
    }

    // Document relationships (ITI TF-3 4.2.2.2) relate DocumentEntries: an end that is an
    // object of this message must be a DocumentEntry. (An end outside the message is an
    // existing object the registry resolves; NIST test 20001 links two existing entries
    // with APND through a SubmitAssociation.)
    if (IsRelationship(a.type)) {
      for (auto [kind, end, attr] : {std::tuple{src, &a.source, "sourceObject"},
                                     std::tuple{dst, &a.target, "targetObject"}}) {
        if (kind != nullptr && *kind != Kind::kDocumentEntry) {
          r.Metadata(label + ": the " + attr + " '" + *end + "' of a " + TypeName(a) +
                         " association is not a DocumentEntry (ITI TF-3 4.2.2.2)",
                     id);
        }
      }
    }

    // SubmitAssociation links the SubmissionSet to a new Association of this message
    // (ITI TF-3 4.2.2, Metadata Update).
    if (submit_association &&
        ((src == nullptr || *src != Kind::kSubmissionSet) ||
         (dst == nullptr || *dst != Kind::kAssociation))) {
      r.Metadata(label +
                     ": a SubmitAssociation goes from the SubmissionSet to an Association of "
                     "this submission (ITI TF-3 4.2.2)",
                 id);
    }

    // The association documentation classification belongs on document relationships only
    // (ITI TF-3 4.2.2.2; NIST test 12370 'not_configured' puts it on a HasMember and
    // expects Failure).
    if (!IsRelationship(a.type)) {
      for (const Classification& c : a.rim.classifications) {
        if (c.classification_scheme == kAssociationDocumentation) {
          r.Metadata(label + ": the association documentation classification (" +
                         kAssociationDocumentation + ") is allowed on document relationship "
                         "associations (RPLC, APND, XFRM, XFRM_RPLC, signs), not on " +
                         TypeName(a) + " (ITI TF-3 4.2.2.2)",
                     id);
        }
      }
    }
  }

  // Every DocumentEntry and Folder of the submission is a member of its SubmissionSet
  // (ITI TF-3 4.1.4, 4.2.2.1.1, 4.2.2.1.2).
  if (!s.submission_sets.empty()) {
    for (const DocumentEntry& de : s.documents) {
      const std::string& id = IdOf(de.entry_uuid, de.rim);
      if (!id.empty() && ss_members.count(id) == 0) {
        r.Metadata("DocumentEntry " + id +
                       " is not the target of a HasMember association from the SubmissionSet "
                       "(ITI TF-3 4.1.4, 4.2.2.1.1)",
                   id);
      }
    }
    for (const Folder& f : s.folders) {
      const std::string& id = IdOf(f.entry_uuid, f.rim);
      if (!id.empty() && ss_members.count(id) == 0) {
        r.Metadata("Folder " + id +
                       " is not the target of a HasMember association from the SubmissionSet "
                       "(ITI TF-3 4.1.4, 4.2.2.1.2)",
                   id);
      }
    }
  }
}

}  // namespace renkei::xds::internal
