// DICOM PS3.15 A.5 Audit Message (IHE ATNA, ITI-20) as plain C++ values: what every codec
// (DICOM XML, FHIR R4 AuditEvent) decodes into and encodes from, and what the store keeps.
// Domain code builds these (audit/transaction_events.h) and never sees XML or JSON.
// Thread-safety: values; distinct objects may be used from different threads.
#ifndef RENKEI_AUDIT_AUDIT_EVENT_H_
#define RENKEI_AUDIT_AUDIT_EVENT_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"

namespace renkei::audit {

// A coded value (PS3.15 CodedValueType: csd-code, codeSystemName, originalText). `system`
// is the DICOM codeSystemName ("DCM", "IHE Transactions", "RFC-3881", an OID...); the FHIR
// codec maps it to a URI (audit/audit_codes.h CodeSystemUri) and back.
struct Code {
  std::string code;
  std::string system;
  std::string display;
  bool operator==(const Code&) const = default;
};

// ActiveParticipant: a user, process or system that took part.
struct ActiveParticipant {
  std::string user_id;
  std::string alt_user_id;
  std::string user_name;
  bool is_requestor = false;
  std::vector<Code> roles;  // RoleIDCode, e.g. 110153 Source / 110152 Destination
  std::string network_access_point_id;
  int network_access_point_type = 0;  // 0 absent, 1 machine name, 2 IP address, 3..5
  bool operator==(const ActiveParticipant&) const = default;
};

// AuditSourceIdentification: the system that detected the event and sent the message.
struct AuditSource {
  std::string site;         // AuditEnterpriseSiteID
  std::string id;           // AuditSourceID (required)
  std::vector<Code> types;  // AuditSourceTypeCode, code "1".."9"
  bool operator==(const AuditSource&) const = default;
};

// ParticipantObjectDetail: a type/value pair; `value` holds the raw bytes (base64 on the
// wire, both in XML and in FHIR valueBase64Binary).
struct ObjectDetail {
  std::string type;
  std::string value;
  bool operator==(const ObjectDetail&) const = default;
};

// ParticipantObjectIdentification: a patient, document, submission set, query...
struct ParticipantObject {
  int type_code = 0;  // 1 person, 2 system object, 3 organization, 4 other (0 absent)
  int role_code = 0;  // ParticipantObjectTypeCodeRole 1..24 (0 absent)
  int lifecycle = 0;  // ParticipantObjectDataLifeCycle 1..15 (0 absent)
  Code id_type;       // ParticipantObjectIDTypeCode
  std::string id;     // ParticipantObjectID (required)
  std::string name;   // ParticipantObjectName
  std::string query;  // ParticipantObjectQuery: raw bytes (base64 on the wire)
  std::vector<ObjectDetail> details;
  bool operator==(const ParticipantObject&) const = default;
};

struct AuditEvent {
  Code event_id;          // EventID, e.g. 110112 Query (DCM)
  std::string action;     // EventActionCode: "C", "R", "U", "D", "E" or empty
  std::string date_time;  // EventDateTime, ISO 8601 (UTC "…Z" when we build it)
  int outcome = 0;        // EventOutcomeIndicator: 0, 4, 8, 12
  std::string outcome_description;
  std::vector<Code> event_types;  // EventTypeCode, e.g. ITI-18 (IHE Transactions)
  std::vector<Code> purpose_of_use;
  std::vector<ActiveParticipant> participants;
  AuditSource source;
  std::vector<ParticipantObject> objects;
  bool operator==(const AuditEvent&) const = default;
};

// The rules PS3.15 A.5.1 makes for a message: EventID with a code, EventActionCode one of
// C/R/U/D/E (or absent), EventDateTime an ISO 8601 date-time, EventOutcomeIndicator 0/4/8/12,
// at least one ActiveParticipant, each with a UserID, an AuditSourceID, every object with
// an ID, type code 0..4, role 0..24. InvalidArgument (detail "audit.invalid", location the
// field) for the first rule broken.
Status Validate(const AuditEvent& event);

// Milliseconds since 1970-01-01T00:00:00Z of an ISO 8601 date-time
// "YYYY-MM-DDThh:mm[:ss[.fff…]][Z|±hh:mm]" (no zone: UTC). InvalidArgument otherwise.
Result<int64_t> ParseDateTimeMillis(std::string_view text);

// Milliseconds since the epoch as "YYYY-MM-DDThh:mm:ss.fffZ".
std::string FormatMillis(int64_t millis);

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_EVENT_H_
