// StoredObjects for the store's tests: a DocumentEntry and an Association with every column
// a query reads.
#ifndef RENKEI_REGISTRY_STORE_TEST_OBJECTS_H_
#define RENKEI_REGISTRY_STORE_TEST_OBJECTS_H_

#include <string>

#include "registry/registry_store.h"
#include "xds/xds_constants.h"

namespace renkei::registry::testing {

inline StoredObject Doc(const std::string& id, const std::string& patient,
                 const std::string& status = xds::kStatusApproved) {
  StoredObject o;
  o.kind = EntryKind::kDocumentEntry;
  o.id = id;
  o.lid = id;
  o.status = status;
  o.object_type = xds::kObjectTypeStableDocument;
  o.unique_id = "1.2.3." + id;
  o.patient_id = patient;
  o.hash = "da39a3ee5e6b4b0d3255bfef95601890afd80709";
  o.size = "10";
  o.repository_unique_id = "1.9";
  o.leaf_xml = "<rim:ExtrinsicObject id=\"" + id + "\"/>";
  return o;
}

inline StoredObject Assoc(const std::string& id, const std::string& source, const std::string& target,
                   const std::string& type = xds::kAssocHasMember) {
  StoredObject o;
  o.kind = EntryKind::kAssociation;
  o.id = id;
  o.lid = id;
  o.status = xds::kStatusApproved;
  o.object_type = xds::kObjectTypeAssociation;
  o.assoc_type = type;
  o.source = source;
  o.target = target;
  return o;
}

}  // namespace renkei::registry::testing

#endif  // RENKEI_REGISTRY_STORE_TEST_OBJECTS_H_
