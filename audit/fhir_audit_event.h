// FHIR R4 AuditEvent (IHE RESTful ATNA ITI-20 "FHIR Feed" / ITI-81, the IHE ATNA / BALP
// mapping of DICOM PS3.15 A.5): AuditEvent ⇄ JSON.
//
// Mapping: EventID → type; EventTypeCode → subtype[]; EventActionCode → action;
// EventDateTime → recorded (as given); EventOutcomeIndicator → outcome;
// EventOutcomeDescription → outcomeDesc; PurposeOfUse → purposeOfEvent[];
// ActiveParticipant → agent[] (RoleIDCode → type.coding[], UserID → who.identifier.value,
// AlternativeUserID → altId, UserName → name, UserIsRequestor → requestor,
// NetworkAccessPoint → network); AuditSourceIdentification → source (site,
// observer.identifier.value, type[]); ParticipantObjectIdentification → entity[]
// (ParticipantObjectID → what.identifier.value, ParticipantObjectIDTypeCode →
// what.identifier.type, TypeCode → type, TypeCodeRole → role, DataLifeCycle → lifecycle,
// name, query (base64Binary), detail[] type + valueBase64Binary). DICOM code system names
// become URIs (audit/audit_codes.h) and back.
//
// Thread-safety: pure functions.
#ifndef RENKEI_AUDIT_FHIR_AUDIT_EVENT_H_
#define RENKEI_AUDIT_FHIR_AUDIT_EVENT_H_

#include <string>
#include <string_view>

#include "audit/audit_event.h"
#include "common/status.h"

namespace renkei::audit {

// The resource as compact JSON; `id` (the server's logical id) is written when not empty.
std::string EncodeFhirAuditEvent(const AuditEvent& event, const std::string& id = {});
// EncodeFhirAuditEvent(event, id) made from EncodeFhirAuditEvent(event) (no id): `id` (a FHIR
// id, [A-Za-z0-9.-]{1,64}) spliced in after "resourceType", where the encoder writes it. Lets
// the encoding run before the id is known (the audit store numbers records as it appends
// them). Empty when `without_id` is not such an encoding.
std::string WithFhirId(const std::string& without_id, const std::string& id);

// Decodes an AuditEvent resource. InvalidArgument (detail "audit.json") for JSON that does
// not parse, another resourceType, an element of the wrong JSON type, bad base64, or a
// resource that breaks Validate (audit/audit_event.h). `id` and `meta` are ignored.
Result<AuditEvent> DecodeFhirAuditEvent(std::string_view json);

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_FHIR_AUDIT_EVENT_H_
