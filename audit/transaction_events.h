// IHE ITI TF-2 "Audit Record Considerations" of ITI-8/9/18/41/42/43/65/67/68/83 and the
// DICOM PS3.15 A.5.3 events Renkei raises (User Authentication, Security Alert, Export):
// builders that turn plain inputs into an AuditEvent with the IHE-required parts
// (EventID / EventActionCode / EventTypeCode, the Source 110153 and Destination 110152
// participants, the requesting facility, the audit source, the patient, query and document
// participant objects).
//
// Codes chosen where IHE leaves a choice (PS3.16 CID 403 Security Alert Type):
//   failed node/user authentication  110113 Security Alert + 110126 Node Authentication
//   grant / revoke of a disclosure   110113 Security Alert + 110135 Object Security
//                                    Attributes Changed, action C (grant) / D (revoke),
//                                    the grant as object (2 system, role 13 Security Resource)
//   break-glass access               110113 Security Alert + 110127 Emergency Override Started
//   disclosure (relay, view)         110106 Export, action R
//
// Thread-safety: pure functions.
#ifndef RENKEI_AUDIT_TRANSACTION_EVENTS_H_
#define RENKEI_AUDIT_TRANSACTION_EVENTS_H_

#include <string>
#include <vector>

#include "audit/audit_event.h"

namespace renkei::audit {

// The two ends of a transaction and who asked. Empty fields are left out of the message.
// The builders give each end its IHE role: for queries, pushes and security events the
// requester is the Source (110153) and the responder the Destination (110152); for pulls
// (ITI-43, ITI-68) and disclosures the data flows the other way, so the responder is the
// Source and the requester the Destination. The requester is always UserIsRequestor=true.
struct Exchange {
  std::string requester_user_id;  // UserID of the system that asked (its endpoint / id)
  std::string requester_address;  // its IP address or host name
  std::string responder_user_id;  // UserID of the endpoint that served
  std::string responder_address;
  std::string requesting_facility;  // OID of the facility that asked (from its certificate)
  std::string human_user_id;        // the person, when known (staff ID)
  std::string human_user_name;
  std::string audit_source_id;  // AuditSourceID of the actor writing the message
  std::string audit_site;       // AuditEnterpriseSiteID
  int outcome = 0;              // 0 success, 4 minor, 8 serious, 12 major failure
  std::string outcome_description;
  std::string date_time;  // ISO 8601; empty: now (UTC)
};

// Which side of a push/pull writes the message: the sender (Export 110106, action R) or the
// receiver (Import 110107, action C).
enum class Side { kSender, kReceiver };

struct DocumentRef {
  std::string unique_id;  // XDSDocumentEntry.uniqueId (or the ITI-68 URL)
  std::string repository_unique_id;
  std::string home_community_id;
};

// ITI-8 Patient Identity Feed: 110110 Patient Record, `action` C (A01/A04/A05) or U
// (A08/A40); the patient, MSH-10 as detail.
AuditEvent PatientIdentityFeed(const Exchange& x, const std::string& patient_cx,
                               const std::string& action, const std::string& message_control_id);
// ITI-9 PIX Query: 110112 Query; the patient, the QPD segment as query, MSH-10 as detail.
AuditEvent PixQuery(const Exchange& x, const std::string& patient_cx, const std::string& qpd,
                    const std::string& message_control_id);
// ITI-18 Registry Stored Query: 110112 Query; the patient when the query names one, the
// AdhocQueryRequest as query (id: the stored query UUID), QueryEncoding UTF-8.
AuditEvent RegistryStoredQuery(const Exchange& x, const std::string& patient_cx,
                               const std::string& stored_query_id,
                               const std::string& adhoc_query_request,
                               const std::string& home_community_id = {});
// ITI-41 Provide and Register / ITI-42 Register / ITI-65 Provide Document Bundle: Export
// at the sender, Import at the receiver; the patient and the submission set (its uniqueId,
// or the List id for ITI-65). `patient_cx` is a CX, also for ITI-65: a Bundle's
// List.subject reference becomes one through PatientCxOfReference (or the CX the Bundle was
// mapped to); a raw reference is neither what IHE asks for nor found by ITI-81 `patient`.
AuditEvent ProvideAndRegister(const Exchange& x, Side side, const std::string& patient_cx,
                              const std::string& submission_set_id);
AuditEvent RegisterDocumentSet(const Exchange& x, Side side, const std::string& patient_cx,
                               const std::string& submission_set_id);
AuditEvent ProvideDocumentBundle(const Exchange& x, Side side, const std::string& patient_cx,
                                 const std::string& submission_set_id);
// ITI-43 Retrieve Document Set: Export at the repository, Import at the consumer; one
// document object each (Repository Unique Id and ihe:homeCommunityID as details).
AuditEvent RetrieveDocumentSet(const Exchange& x, Side side, const std::string& patient_cx,
                               const std::vector<DocumentRef>& documents);
// RAD-69 Retrieve Imaging Document Set: as ITI-43, each instance's SOP Instance UID as the
// document (RAD TF-3 4.69.4.1.4).
AuditEvent RetrieveImagingDocumentSet(const Exchange& x, Side side, const std::string& patient_cx,
                                      const std::vector<DocumentRef>& instances);
// ITI-67 Find Document References / ITI-83 PIXm Query: 110112 Query; the patient, the
// HTTP query string as query.
AuditEvent FindDocumentReferences(const Exchange& x, const std::string& patient_cx,
                                  const std::string& query_string);
AuditEvent PixmQuery(const Exchange& x, const std::string& patient_cx,
                     const std::string& query_string);
// ITI-68 Retrieve Document: Export at the responder, Import at the consumer; the document
// (its URL) and the patient.
AuditEvent RetrieveDocument(const Exchange& x, Side side, const std::string& patient_cx,
                            const std::string& document_url);
// 110114 User Authentication with 110122 Login / 110123 Logout.
AuditEvent UserAuthentication(const Exchange& x, bool login);
// 110113 Security Alert, 110126 Node Authentication: a refused certificate or ticket.
// `reason` becomes EventOutcomeDescription when x has none; outcome is at least 4.
AuditEvent AuthenticationFailure(const Exchange& x, const std::string& reason);
// 110113 Security Alert, 110135: a disclosure grant made (grant=true) or revoked.
AuditEvent PermissionChange(const Exchange& x, bool grant, const std::string& grant_id,
                            const std::string& patient_cx, const std::string& description);
// HL7 v3 ActReason BTG "break the glass": the PurposeOfUse of a disclosure or retrieve made
// under break-glass (a ticket the centre marked BTG, registry/ticket_endpoint.h).
Code BreakGlassPurposeOfUse();
// 110113 Security Alert, 110127 Emergency Override Started: break-glass access with `reason`.
AuditEvent EmergencyAccess(const Exchange& x, const std::string& patient_cx,
                           const std::string& reason);
// 110106 Export: records of `patient_cx` disclosed to `recipient_facility` (relay, viewer).
AuditEvent Disclosure(const Exchange& x, const std::string& patient_cx,
                      const std::string& recipient_facility,
                      const std::vector<DocumentRef>& documents);
// The same for imaging studies (DICOMweb at a node): each study a DICOM Study object
// (PS3.15 A.5.3: system object, role Report, ID type 110180 Study Instance UID).
AuditEvent StudiesDisclosure(const Exchange& x, const std::string& patient_cx,
                             const std::string& recipient_facility,
                             const std::vector<std::string>& study_uids);

// ITI-57 Update Document Set: Export at the Document Administrator, Import at the registry;
// the patient and the submission set, as ITI-42.
AuditEvent UpdateDocumentSet(const Exchange& x, Side side, const std::string& patient_cx,
                             const std::string& submission_set_id);
// ITI-62 Delete Document Set (Remove Metadata): 110110 Patient Record, action D; the
// patient when known and one object (Report Number id type) per removed entryUUID. The
// request names entryUUIDs only: the patient is the removed objects' patientId, which the
// registry has to supply. Objects of several patients: one patient object each (empty and
// repeated CXs left out).
AuditEvent DeleteDocumentSet(const Exchange& x, const std::string& patient_cx,
                             const std::vector<std::string>& removed_ids);
AuditEvent DeleteDocumentSet(const Exchange& x, const std::vector<std::string>& patient_cxs,
                             const std::vector<std::string>& removed_ids);
// ITI-66 Find Document Lists: 110112 Query; the patient, the HTTP query string as query.
AuditEvent FindDocumentLists(const Exchange& x, const std::string& patient_cx,
                             const std::string& query_string);
// ITI-78 Mobile Patient Demographics Query: 110112 Query; each patient of the answer (none
// for a failed query), the HTTP query string as query.
AuditEvent PdqmQuery(const Exchange& x, const std::vector<std::string>& patient_ids,
                     const std::string& query_string);

// The requester of an Exchange from a connection's peer (common/peer.h fields, passed
// plainly): the facility OID, the address without its port ("1.2.3.4:5" -> "1.2.3.4",
// "[::1]:5" -> "::1"), and the certificate's commonName as requester_user_id when there
// is one.
Exchange RequesterExchange(const std::string& facility_oid, const std::string& address,
                           const std::string& common_name);

// The CX of the patient a FHIR reference names, for a Patient participant object:
// "Patient/{id}" or "{base}/Patient/{id}" — the centre's Patient.id, which is the regional
// ID — as "{id}^^^&{domain_oid}&ISO" (domain_oid: pix.regional_domain.oid); a CX
// ("…^^^&oid&ISO") unchanged; "" for anything else (another resource type, a versioned or
// empty id, no domain_oid).
std::string PatientCxOfReference(const std::string& reference, const std::string& domain_oid);

// "urn:oid:" + oid (as the requesting facility's UserID); `oid` unchanged when it already
// is a URI.
std::string FacilityUserId(const std::string& oid);

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_TRANSACTION_EVENTS_H_
