// Test helpers for the ATNA records an endpoint writes (tests only): read back what an
// AuditStore holds, check the parts every IHE transaction record shares, find participant
// objects. Used by the audit-emission tests of pix/, registry/ and repository/.
#ifndef RENKEI_AUDIT_AUDIT_TEST_UTIL_H_
#define RENKEI_AUDIT_AUDIT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/audit_event.h"
#include "audit/audit_store.h"
#include "audit/fhir_audit_event.h"

namespace renkei::audit::testing {

// Every record of `store`, in order, decoded.
inline std::vector<AuditEvent> RecordedEvents(AuditStore& store) {
  std::vector<AuditEvent> out;
  auto found = store.Search(AuditQuery{});
  EXPECT_TRUE(found.ok()) << found.status().ToString();
  if (!found.ok()) return out;
  for (const StoredAuditEvent& s : *found) {
    auto e = DecodeFhirAuditEvent(s.json);
    EXPECT_TRUE(e.ok()) << e.status().ToString();
    if (e.ok()) out.push_back(std::move(e.value()));
  }
  return out;
}

// The one record of `store` (a failure when there are more or none).
inline AuditEvent OnlyRecordedEvent(AuditStore& store) {
  std::vector<AuditEvent> events = RecordedEvents(store);
  EXPECT_EQ(events.size(), 1u);
  return events.empty() ? AuditEvent{} : events.back();
}

// The parts every transaction record shares: EventID, the one EventTypeCode, outcome (with
// a description when it is a failure), audit source and site, and the requesting facility
// as a requestor participant — at `requester_address` when that is not empty.
inline void ExpectFrame(const AuditEvent& e, const std::string& event_id,
                        const std::string& event_type, int outcome, const std::string& facility,
                        const std::string& source, const std::string& site,
                        const std::string& requester_address = "") {
  EXPECT_EQ(e.event_id.code, event_id);
  ASSERT_EQ(e.event_types.size(), 1u);
  EXPECT_EQ(e.event_types[0].code, event_type);
  EXPECT_EQ(e.outcome, outcome) << e.outcome_description;
  if (outcome != 0) EXPECT_FALSE(e.outcome_description.empty());
  EXPECT_EQ(e.source.id, source);
  EXPECT_EQ(e.source.site, site);
  bool facility_found = false, address_found = requester_address.empty();
  for (const ActiveParticipant& p : e.participants) {
    if (p.user_id == "urn:oid:" + facility) facility_found = p.is_requestor;
    if (p.is_requestor && p.network_access_point_id == requester_address) address_found = true;
  }
  EXPECT_TRUE(facility_found) << "requesting facility " << facility;
  EXPECT_TRUE(address_found) << "requester address " << requester_address;
}

// The patients (type 1 Person, role 1 Patient) of a record, in order.
inline std::vector<std::string> Patients(const AuditEvent& e) {
  std::vector<std::string> ids;
  for (const ParticipantObject& o : e.objects) {
    if (o.type_code == 1 && o.role_code == 1) ids.push_back(o.id);
  }
  return ids;
}

// The first patient object, the first object with `role`, the object with `id` (or null).
inline const ParticipantObject* PatientOf(const AuditEvent& e) {
  for (const ParticipantObject& o : e.objects) {
    if (o.type_code == 1 && o.role_code == 1) return &o;
  }
  return nullptr;
}
inline const ParticipantObject* ObjectWithRole(const AuditEvent& e, int role) {
  for (const ParticipantObject& o : e.objects) {
    if (o.role_code == role) return &o;
  }
  return nullptr;
}
inline const ParticipantObject* ObjectWithId(const AuditEvent& e, const std::string& id) {
  for (const ParticipantObject& o : e.objects) {
    if (o.id == id) return &o;
  }
  return nullptr;
}

}  // namespace renkei::audit::testing

#endif  // RENKEI_AUDIT_AUDIT_TEST_UTIL_H_
