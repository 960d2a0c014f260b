// Helpers shared by registry/mhd_responder.cc (ITI-67) and mhd_responder_lists.cc (ITI-66).
// Private to the registry.
#ifndef RENKEI_REGISTRY_MHD_RESPONDER_INTERNAL_H_
#define RENKEI_REGISTRY_MHD_RESPONDER_INTERNAL_H_

#include <string>
#include <vector>

#include "common/status.h"
#include "registry/document_registry.h"
#include "registry/mhd_responder.h"
#include "xds/rim.h"

namespace renkei::registry::mhd {

std::string Quoted(const std::string& s);                        // 'text' for a query slot
std::string QuotedList(const std::vector<std::string>& values);  // ('a','b')

// The object of a query answer, decoded, with its current status.
struct Found {
  StoredObject stored;
  xds::RegistryObject rim;
};

// Runs one stored query (LeafClass) as `rc`; XDSTooManyResults → ResourceExhausted
// "too-costly", other errors → Internal "exception".
Result<std::vector<StoredObject>> Run(DocumentRegistry& registry, const char* query_id,
                                      std::vector<xds::Slot> slots, const RequestContext& rc);
Result<std::vector<Found>> Decode(std::vector<StoredObject> objects);

// Parameters every search shares: the patient and paging; and `used` for the self link.
struct Common {
  std::string patient_cx;  // resolved XDS patientId
  bool patient_given = false;
  bool patient_unknown = false;  // given but names no patient: nothing matches
  int count = 20;
  int64_t offset = 0;
  MhdParams used;
};
// Handles patient, patient.identifier, _count, _page; true when `name` was one of them.
Result<bool> CommonParam(const std::string& name, const std::string& value,
                         const MhdResponderOptions& o, Common* c);
// FHIR status values → XDS availability statuses (`deprecated_code`: superseded for a
// DocumentReference, retired for a List). Empty: nothing can match.
Result<std::vector<std::string>> Statuses(const std::string& value, const char* deprecated_code);
std::vector<std::string> Intersect(const std::vector<std::string>& a,
                                   const std::vector<std::string>& b);
MhdPage PageOf(const Common& c, int64_t total);
std::string IdOf(const std::string& entry_uuid);  // without urn:uuid:
bool IsResourceId(const std::string& id);
Status Bad(const std::string& message);  // InvalidArgument "invalid"

}  // namespace renkei::registry::mhd

#endif  // RENKEI_REGISTRY_MHD_RESPONDER_INTERNAL_H_
