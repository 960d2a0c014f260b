// ebRIM 3.0 registry objects as plain C++ types (OASIS ebRIM 3.0 §2–§4, as profiled by
// IHE ITI TF-3 §4.2). This is the lossless form a SubmitObjectsRequest decodes into and a
// LeafClass query response encodes from; the XDS meaning of these objects is read through
// the views in xds/metadata.h. No XML here: xds/ebrim_codec.h converts.
//
// Thread-safety: plain values.
#ifndef RENKEI_XDS_RIM_H_
#define RENKEI_XDS_RIM_H_

#include <string>
#include <vector>

namespace renkei::xds {

struct LocalizedString {
  std::string value;
  std::string lang;     // xml:lang, may be empty
  std::string charset;  // may be empty
  bool operator==(const LocalizedString&) const = default;
};

// rim:Name / rim:Description: zero or more LocalizedStrings.
struct InternationalString {
  std::vector<LocalizedString> strings;
  bool empty() const { return strings.empty(); }
  // The first value, or "" when there is none.
  const std::string& text() const;
  bool operator==(const InternationalString&) const = default;
};

struct Slot {
  std::string name;
  std::string slot_type;  // usually empty
  std::vector<std::string> values;
  bool operator==(const Slot&) const = default;
};

// rim:Classification, nested in the object it classifies or standing alone in the request
// (the SubmissionSet / Folder classification by classificationNode).
struct Classification {
  std::string id;                   // may be empty in a request; the registry assigns one
  std::string classification_scheme;  // urn:uuid:... for external classifications
  std::string classification_node;     // for internal ones (SubmissionSet / Folder)
  std::string classified_object;
  std::string node_representation;
  InternationalString name;
  std::vector<Slot> slots;
  bool operator==(const Classification&) const = default;
};

struct ExternalIdentifier {
  std::string id;
  std::string identification_scheme;
  std::string registry_object;
  std::string value;
  InternationalString name;
  bool operator==(const ExternalIdentifier&) const = default;
};

enum class ObjectKind {
  kExtrinsicObject,  // DocumentEntry
  kRegistryPackage,  // SubmissionSet or Folder
  kAssociation,
};

// Any top-level object of a SubmitObjectsRequest or a query response.
// Which fields apply depends on `kind`:
//   kExtrinsicObject: mime_type, is_opaque
//   kAssociation:     association_type, source_object, target_object
struct RegistryObject {
  ObjectKind kind = ObjectKind::kExtrinsicObject;
  std::string id;           // entryUUID ("urn:uuid:..."), or a symbolic id in a request
  std::string lid;          // logical id; empty in a request means "same as id"
  std::string object_type;  // ExtrinsicObject: stable / on-demand DocumentEntry type
  std::string status;       // urn:oasis:names:tc:ebxml-regrep:StatusType:...
  std::string home;         // homeCommunityId, may be empty
  std::string version_name;  // rim:VersionInfo/@versionName, empty when absent
  InternationalString name;
  InternationalString description;
  std::vector<Slot> slots;
  std::vector<Classification> classifications;
  std::vector<ExternalIdentifier> external_identifiers;

  // kExtrinsicObject
  std::string mime_type;
  bool is_opaque = false;

  // kAssociation
  std::string association_type;
  std::string source_object;
  std::string target_object;

  // The slot with this name, or nullptr.
  const Slot* FindSlot(const std::string& slot_name) const;
  // The first value of that slot, or "" when it is absent or empty.
  const std::string& SlotValue(const std::string& slot_name) const;
  // The value of the ExternalIdentifier with this scheme, or "".
  const std::string& ExternalIdValue(const std::string& scheme) const;
  bool operator==(const RegistryObject&) const = default;
};

// lcm:SubmitObjectsRequest (ITI-42, ITI-57), decoded. Objects keep their document order.
struct SubmitObjectsRequest {
  std::vector<Slot> request_slots;      // e.g. none for ITI-42
  std::vector<RegistryObject> objects;  // ExtrinsicObjects, RegistryPackages, Associations
  // Classifications that stand alone in the RegistryObjectList (normally the one that
  // marks the SubmissionSet, and one per Folder).
  std::vector<Classification> classifications;
  std::vector<std::string> object_refs;  // rim:ObjectRef ids
};

// lcm:RemoveObjectsRequest (ITI-62).
struct RemoveObjectsRequest {
  std::vector<std::string> object_refs;
  std::vector<Slot> request_slots;
  std::string deletion_scope;  // attribute, may be empty
};

// query:AdhocQueryRequest (ITI-18), decoded. Parameter values are kept as written (quotes,
// parenthesised lists); the stored-query layer parses them (xds/query_params.h).
struct AdhocQueryRequest {
  std::string query_id;      // rim:AdhocQuery/@id, the stored query UUID
  std::string home;          // rim:AdhocQuery/@home
  std::string return_type;   // ResponseOption/@returnType: "LeafClass" | "ObjectRef"
  bool return_composed_objects = false;
  std::vector<Slot> params;  // one Slot per rim:Slot, in document order (names may repeat)
};

// query:AdhocQueryResponse (ITI-18), decoded on the consumer side.
struct AdhocQueryResponse {
  std::string status;                   // ResponseStatusType URN
  std::vector<RegistryObject> objects;  // LeafClass answers, in document order
  std::vector<std::string> object_refs;  // ObjectRef answers (rim:ObjectRef ids)
  std::vector<Classification> classifications;  // standalone ones (SubmissionSet marks)
};

}  // namespace renkei::xds

#endif  // RENKEI_XDS_RIM_H_
