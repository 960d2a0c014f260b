// DICOM PS3.15 A.5 / PS3.16 and IHE ITI TF-2 audit code constants (ATNA, ITI-20, ITI-81):
// the one place that spells the event IDs, event type codes, role IDs, participant object
// codes and the code systems they belong to, in DICOM XML and in FHIR R4.
// Thread-safety: constants and pure functions.
#ifndef RENKEI_AUDIT_AUDIT_CODES_H_
#define RENKEI_AUDIT_AUDIT_CODES_H_

#include <string>
#include <string_view>

namespace renkei::audit {

// Code system names as the DICOM XML carries them (codeSystemName).
inline constexpr char kDcm[] = "DCM";
inline constexpr char kIheTransactions[] = "IHE Transactions";
inline constexpr char kRfc3881[] = "RFC-3881";
inline constexpr char kIheXdsMetadata[] = "IHE XDS Metadata";

// The same systems as FHIR R4 Coding.system URIs (IHE ATNA / BALP mapping).
inline constexpr char kDcmUri[] = "http://dicom.nema.org/resources/ontology/DCM";
inline constexpr char kIheTransactionsUri[] = "urn:ihe:event-type-code";
inline constexpr char kSourceTypeUri[] =
    "http://terminology.hl7.org/CodeSystem/security-source-type";
inline constexpr char kEntityTypeUri[] = "http://terminology.hl7.org/CodeSystem/audit-entity-type";
inline constexpr char kObjectRoleUri[] = "http://terminology.hl7.org/CodeSystem/object-role";
inline constexpr char kLifecycleUri[] =
    "http://terminology.hl7.org/CodeSystem/dicom-audit-lifecycle";

// FHIR URI for a DICOM codeSystemName ("DCM" → kDcmUri, "IHE Transactions" →
// kIheTransactionsUri); any other name is returned unchanged.
std::string CodeSystemUri(std::string_view name);
// The inverse of CodeSystemUri: the DICOM codeSystemName for a FHIR URI; others unchanged.
std::string CodeSystemName(std::string_view uri);

// EventID (DICOM CID 400 Audit Event ID).
inline constexpr char kEventApplicationActivity[] = "110100";
inline constexpr char kEventAuditLogUsed[] = "110101";
inline constexpr char kEventExport[] = "110106";
inline constexpr char kEventImport[] = "110107";
inline constexpr char kEventPatientRecord[] = "110110";
inline constexpr char kEventQuery[] = "110112";
inline constexpr char kEventSecurityAlert[] = "110113";
inline constexpr char kEventUserAuthentication[] = "110114";

// EventTypeCode of User Authentication (CID 402) and Security Alert (CID 403).
inline constexpr char kTypeLogin[] = "110122";
inline constexpr char kTypeLogout[] = "110123";
inline constexpr char kTypeNodeAuthentication[] = "110126";
inline constexpr char kTypeEmergencyOverrideStarted[] = "110127";
inline constexpr char kTypeObjectSecurityAttributesChanged[] = "110135";

// RoleIDCode of an ActiveParticipant (CID 402 Audit Active Participant Role ID).
inline constexpr char kRoleSource[] = "110153";
inline constexpr char kRoleDestination[] = "110152";

// ParticipantObjectTypeCode (RFC 3881 / PS3.15 A.5.1).
inline constexpr int kObjectPerson = 1;
inline constexpr int kObjectSystem = 2;
inline constexpr int kObjectOrganization = 3;
inline constexpr int kObjectOther = 4;
// ParticipantObjectTypeCodeRole (1..24).
inline constexpr int kRolePatient = 1;
inline constexpr int kRoleReport = 3;
inline constexpr int kRoleSecurityResource = 13;
inline constexpr int kRoleJob = 20;
inline constexpr int kRoleQuery = 24;

// ParticipantObjectIDTypeCode of a patient (RFC-3881 "2" Patient Number), a document
// (RFC-3881 "9" Report Number), an XDS submission set.
inline constexpr char kIdTypePatientNumber[] = "2";
inline constexpr char kIdTypeReportNumber[] = "9";
inline constexpr char kIdTypeSubmissionSet[] = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_AUDIT_CODES_H_
