// IHE ITI TF-2 Audit Record Considerations (ITI-8/9/18/41/42/43/65/67/68/83) and DICOM
// PS3.15 A.5.3 security events: the builders of audit/transaction_events.h.
#include "audit/transaction_events.h"

#include <algorithm>

#include "audit/audit_codes.h"
#include "common/utc_time.h"

namespace renkei::audit {

namespace {

Code Dcm(const char* code, const char* display) { return Code{code, kDcm, display}; }
Code Iti(const char* code, const char* display) { return Code{code, kIheTransactions, display}; }

int AddressType(const std::string& address) {
  if (address.empty()) return 0;
  // An IPv4 or IPv6 literal is type 2, anything else a machine name (1).
  const bool ip = std::all_of(address.begin(), address.end(),
                              [](char c) {
                                return (c >= '0' && c <= '9') || c == '.' || c == ':' ||
                                       (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
                              }) &&
                  address.find_first_of(".:") != std::string::npos;
  return ip ? 2 : 1;
}

// The event frame: EventIdentification, the requester / responder / facility / human
// participants, audit source. `requester_is_source`: the requester is the Source (110153)
// (queries, pushes, security events); otherwise the responder is (pulls, disclosures).
AuditEvent Frame(const Exchange& x, Code event_id, const char* action, Code type,
                 bool requester_is_source = true) {
  AuditEvent e;
  e.event_id = std::move(event_id);
  e.action = action;
  e.date_time = x.date_time.empty() ? UtcNow(kIso8601Utc) : x.date_time;
  e.outcome = x.outcome;
  e.outcome_description = x.outcome_description;
  if (!type.code.empty()) e.event_types.push_back(std::move(type));
  const Code source = Dcm(kRoleSource, "Source Role ID");
  const Code destination = Dcm(kRoleDestination, "Destination Role ID");
  ActiveParticipant requester;
  const bool has_requester = !x.requester_user_id.empty() || !x.requester_address.empty();
  if (has_requester) {
    requester.user_id = x.requester_user_id.empty() ? x.requester_address : x.requester_user_id;
    requester.is_requestor = true;
    requester.roles.push_back(requester_is_source ? source : destination);
    requester.network_access_point_id = x.requester_address;
    requester.network_access_point_type = AddressType(x.requester_address);
  }
  ActiveParticipant responder;
  const bool has_responder = !x.responder_user_id.empty() || !x.responder_address.empty();
  if (has_responder) {
    responder.user_id = x.responder_user_id.empty() ? x.responder_address : x.responder_user_id;
    responder.roles.push_back(requester_is_source ? destination : source);
    responder.network_access_point_id = x.responder_address;
    responder.network_access_point_type = AddressType(x.responder_address);
  }
  // The Source first, as the IHE tables list it.
  if (requester_is_source) {
    if (has_requester) e.participants.push_back(std::move(requester));
    if (has_responder) e.participants.push_back(std::move(responder));
  } else {
    if (has_responder) e.participants.push_back(std::move(responder));
    if (has_requester) e.participants.push_back(std::move(requester));
  }
  if (!x.requesting_facility.empty()) {
    ActiveParticipant p;
    p.user_id = FacilityUserId(x.requesting_facility);
    p.is_requestor = true;
    e.participants.push_back(std::move(p));
  }
  if (!x.human_user_id.empty()) {
    ActiveParticipant p;
    p.user_id = x.human_user_id;
    p.user_name = x.human_user_name;
    p.is_requestor = true;
    e.participants.push_back(std::move(p));
  }
  e.source.id = x.audit_source_id.empty() ? "renkei" : x.audit_source_id;
  e.source.site = x.audit_site;
  // 4 = Application Server process or thread (RFC 3881 AuditSourceTypeCode).
  e.source.types.push_back(Code{"4", "", "Application Server"});
  return e;
}

void AddPatient(AuditEvent* e, const std::string& patient_cx) {
  if (patient_cx.empty()) return;
  ParticipantObject o;
  o.type_code = kObjectPerson;
  o.role_code = kRolePatient;
  o.id_type = Code{kIdTypePatientNumber, kRfc3881, "Patient Number"};
  o.id = patient_cx;
  e->objects.push_back(std::move(o));
}

void AddQuery(AuditEvent* e, Code id_type, const std::string& id, const std::string& query,
              std::vector<ObjectDetail> details = {}) {
  ParticipantObject o;
  o.type_code = kObjectSystem;
  o.role_code = kRoleQuery;
  o.id_type = std::move(id_type);
  o.id = id.empty() ? o.id_type.code : id;
  o.query = query;
  o.details = std::move(details);
  e->objects.push_back(std::move(o));
}

void AddSubmissionSet(AuditEvent* e, const std::string& id) {
  if (id.empty()) return;
  ParticipantObject o;
  o.type_code = kObjectSystem;
  o.role_code = kRoleJob;
  o.id_type = Code{kIdTypeSubmissionSet, kIheXdsMetadata, "submission set classificationNode"};
  o.id = id;
  e->objects.push_back(std::move(o));
}

void AddDocument(AuditEvent* e, const DocumentRef& d) {
  ParticipantObject o;
  o.type_code = kObjectSystem;
  o.role_code = kRoleReport;
  o.id_type = Code{kIdTypeReportNumber, kRfc3881, "Report Number"};
  o.id = d.unique_id;
  if (!d.repository_unique_id.empty()) {
    o.details.push_back(ObjectDetail{"Repository Unique Id", d.repository_unique_id});
  }
  if (!d.home_community_id.empty()) {
    o.details.push_back(ObjectDetail{"ihe:homeCommunityID", d.home_community_id});
  }
  e->objects.push_back(std::move(o));
}

AuditEvent Push(const Exchange& x, Side side, Code type, const std::string& patient_cx,
                const std::string& submission_set_id) {
  AuditEvent e = side == Side::kSender ? Frame(x, Dcm(kEventExport, "Export"), "R", type)
                                       : Frame(x, Dcm(kEventImport, "Import"), "C", type);
  AddPatient(&e, patient_cx);
  AddSubmissionSet(&e, submission_set_id);
  return e;
}

AuditEvent Pull(const Exchange& x, Side side, Code type, const std::string& patient_cx) {
  AuditEvent e = side == Side::kSender ? Frame(x, Dcm(kEventExport, "Export"), "R", type, false)
                                       : Frame(x, Dcm(kEventImport, "Import"), "C", type, false);
  AddPatient(&e, patient_cx);
  return e;
}

}  // namespace

std::string PatientCxOfReference(const std::string& reference, const std::string& domain_oid) {
  if (reference.find("^^^&") != std::string::npos) return reference;  // already a CX
  constexpr char kPatient[] = "Patient/";
  const size_t at = reference.rfind(kPatient);
  if (at == std::string::npos || (at > 0 && reference[at - 1] != '/') || domain_oid.empty()) {
    return "";
  }
  const std::string id = reference.substr(at + sizeof(kPatient) - 1);
  // A FHIR id: [A-Za-z0-9\-\.]{1,64}.
  const bool fhir_id =
      !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
               c == '-' || c == '.';
      });
  return fhir_id ? id + "^^^&" + domain_oid + "&ISO" : "";
}

std::string FacilityUserId(const std::string& oid) {
  if (oid.rfind("urn:", 0) == 0 || oid.find("://") != std::string::npos) return oid;
  return "urn:oid:" + oid;
}

AuditEvent PatientIdentityFeed(const Exchange& x, const std::string& patient_cx,
                               const std::string& action, const std::string& msh10) {
  AuditEvent e =
      Frame(x, Dcm(kEventPatientRecord, "Patient Record"), action.empty() ? "C" : action.c_str(),
            Iti("ITI-8", "Patient Identity Feed"));
  AddPatient(&e, patient_cx);
  if (!e.objects.empty() && !msh10.empty()) e.objects.back().details.push_back({"MSH-10", msh10});
  return e;
}

AuditEvent PixQuery(const Exchange& x, const std::string& patient_cx, const std::string& qpd,
                    const std::string& msh10) {
  AuditEvent e = Frame(x, Dcm(kEventQuery, "Query"), "E", Iti("ITI-9", "PIX Query"));
  AddPatient(&e, patient_cx);
  std::vector<ObjectDetail> details;
  if (!msh10.empty()) details.push_back({"MSH-10", msh10});
  AddQuery(&e, Iti("ITI-9", "PIX Query"), msh10, qpd, std::move(details));
  return e;
}

AuditEvent RegistryStoredQuery(const Exchange& x, const std::string& patient_cx,
                               const std::string& stored_query_id,
                               const std::string& adhoc_query_request,
                               const std::string& home_community_id) {
  AuditEvent e = Frame(x, Dcm(kEventQuery, "Query"), "E", Iti("ITI-18", "Registry Stored Query"));
  AddPatient(&e, patient_cx);
  std::vector<ObjectDetail> details{{"QueryEncoding", "UTF-8"}};
  if (!home_community_id.empty()) {
    details.push_back({"urn:ihe:iti:xca:2010:homeCommunityId", home_community_id});
  }
  AddQuery(&e, Iti("ITI-18", "Registry Stored Query"), stored_query_id, adhoc_query_request,
           std::move(details));
  return e;
}

AuditEvent ProvideAndRegister(const Exchange& x, Side side, const std::string& patient_cx,
                              const std::string& submission_set_id) {
  return Push(x, side, Iti("ITI-41", "Provide and Register Document Set-b"), patient_cx,
              submission_set_id);
}

AuditEvent RegisterDocumentSet(const Exchange& x, Side side, const std::string& patient_cx,
                               const std::string& submission_set_id) {
  return Push(x, side, Iti("ITI-42", "Register Document Set-b"), patient_cx, submission_set_id);
}

AuditEvent ProvideDocumentBundle(const Exchange& x, Side side, const std::string& patient_cx,
                                 const std::string& submission_set_id) {
  return Push(x, side, Iti("ITI-65", "Provide Document Bundle"), patient_cx, submission_set_id);
}

AuditEvent RetrieveDocumentSet(const Exchange& x, Side side, const std::string& patient_cx,
                               const std::vector<DocumentRef>& documents) {
  AuditEvent e = Pull(x, side, Iti("ITI-43", "Retrieve Document Set"), patient_cx);
  for (const DocumentRef& d : documents) AddDocument(&e, d);
  return e;
}

AuditEvent RetrieveImagingDocumentSet(const Exchange& x, Side side, const std::string& patient_cx,
                                      const std::vector<DocumentRef>& instances) {
  AuditEvent e = Pull(x, side, Iti("RAD-69", "Retrieve Imaging Document Set"), patient_cx);
  for (const DocumentRef& d : instances) AddDocument(&e, d);
  return e;
}

AuditEvent FindDocumentReferences(const Exchange& x, const std::string& patient_cx,
                                  const std::string& query_string) {
  AuditEvent e =
      Frame(x, Dcm(kEventQuery, "Query"), "E", Iti("ITI-67", "Find Document References"));
  AddPatient(&e, patient_cx);
  AddQuery(&e, Iti("ITI-67", "Find Document References"), "", query_string);
  return e;
}

AuditEvent PixmQuery(const Exchange& x, const std::string& patient_cx,
                     const std::string& query_string) {
  AuditEvent e = Frame(x, Dcm(kEventQuery, "Query"), "E",
                       Iti("ITI-83", "Mobile Patient Identifier Cross-reference Query"));
  AddPatient(&e, patient_cx);
  AddQuery(&e, Iti("ITI-83", "Mobile Patient Identifier Cross-reference Query"), "", query_string);
  return e;
}

AuditEvent RetrieveDocument(const Exchange& x, Side side, const std::string& patient_cx,
                            const std::string& document_url) {
  AuditEvent e = Pull(x, side, Iti("ITI-68", "Retrieve Document"), patient_cx);
  AddDocument(&e, DocumentRef{document_url, "", ""});
  return e;
}

AuditEvent UserAuthentication(const Exchange& x, bool login) {
  return Frame(x, Dcm(kEventUserAuthentication, "User Authentication"), "E",
               login ? Dcm(kTypeLogin, "Login") : Dcm(kTypeLogout, "Logout"));
}

AuditEvent AuthenticationFailure(const Exchange& x, const std::string& reason) {
  AuditEvent e = Frame(x, Dcm(kEventSecurityAlert, "Security Alert"), "E",
                       Dcm(kTypeNodeAuthentication, "Node Authentication"));
  if (e.outcome == 0) e.outcome = 4;
  if (e.outcome_description.empty()) e.outcome_description = reason;
  return e;
}

AuditEvent PermissionChange(const Exchange& x, bool grant, const std::string& grant_id,
                            const std::string& patient_cx, const std::string& description) {
  AuditEvent e =
      Frame(x, Dcm(kEventSecurityAlert, "Security Alert"), grant ? "C" : "D",
            Dcm(kTypeObjectSecurityAttributesChanged, "Object Security Attributes Changed"));
  if (e.outcome_description.empty()) e.outcome_description = description;
  AddPatient(&e, patient_cx);
  ParticipantObject o;
  o.type_code = kObjectSystem;
  o.role_code = kRoleSecurityResource;
  o.id_type = Code{"Consent", "http://hl7.org/fhir/resource-types", "Consent"};
  o.id = grant_id;
  o.name = description;
  e.objects.push_back(std::move(o));
  return e;
}

Code BreakGlassPurposeOfUse() {
  return Code{"BTG", "http://terminology.hl7.org/CodeSystem/v3-ActReason", "break the glass"};
}

AuditEvent EmergencyAccess(const Exchange& x, const std::string& patient_cx,
                           const std::string& reason) {
  AuditEvent e = Frame(x, Dcm(kEventSecurityAlert, "Security Alert"), "E",
                       Dcm(kTypeEmergencyOverrideStarted, "Emergency Override Started"));
  if (e.outcome_description.empty()) e.outcome_description = reason;
  e.purpose_of_use.push_back(
      Code{"ETREAT", "http://terminology.hl7.org/CodeSystem/v3-ActReason", "Emergency Treatment"});
  AddPatient(&e, patient_cx);
  return e;
}

AuditEvent Disclosure(const Exchange& x, const std::string& patient_cx,
                      const std::string& recipient_facility,
                      const std::vector<DocumentRef>& documents) {
  AuditEvent e = Frame(x, Dcm(kEventExport, "Export"), "R", Code{}, false);
  if (!recipient_facility.empty()) {
    ActiveParticipant p;
    p.user_id = FacilityUserId(recipient_facility);
    p.roles.push_back(Dcm(kRoleDestination, "Destination Role ID"));
    e.participants.push_back(std::move(p));
  }
  AddPatient(&e, patient_cx);
  for (const DocumentRef& d : documents) AddDocument(&e, d);
  return e;
}

AuditEvent StudiesDisclosure(const Exchange& x, const std::string& patient_cx,
                             const std::string& recipient_facility,
                             const std::vector<std::string>& study_uids) {
  AuditEvent e = Disclosure(x, patient_cx, recipient_facility, {});
  for (const std::string& uid : study_uids) {
    ParticipantObject o;
    o.type_code = kObjectSystem;
    o.role_code = kRoleReport;
    o.id_type = Dcm("110180", "Study Instance UID");
    o.id = uid;
    e.objects.push_back(std::move(o));
  }
  return e;
}

AuditEvent UpdateDocumentSet(const Exchange& x, Side side, const std::string& patient_cx,
                             const std::string& submission_set_id) {
  return Push(x, side, Iti("ITI-57", "Update Document Set"), patient_cx, submission_set_id);
}

AuditEvent DeleteDocumentSet(const Exchange& x, const std::string& patient_cx,
                             const std::vector<std::string>& removed_ids) {
  return DeleteDocumentSet(x, std::vector<std::string>{patient_cx}, removed_ids);
}

AuditEvent DeleteDocumentSet(const Exchange& x, const std::vector<std::string>& patient_cxs,
                             const std::vector<std::string>& removed_ids) {
  AuditEvent e = Frame(x, Dcm(kEventPatientRecord, "Patient Record"), "D",
                       Iti("ITI-62", "Delete Document Set"));
  std::vector<std::string> added;
  for (const std::string& cx : patient_cxs) {
    if (cx.empty() || std::find(added.begin(), added.end(), cx) != added.end()) continue;
    AddPatient(&e, cx);
    added.push_back(cx);
  }
  for (const std::string& id : removed_ids) AddDocument(&e, DocumentRef{id, "", ""});
  return e;
}

AuditEvent FindDocumentLists(const Exchange& x, const std::string& patient_cx,
                             const std::string& query_string) {
  AuditEvent e = Frame(x, Dcm(kEventQuery, "Query"), "E", Iti("ITI-66", "Find Document Lists"));
  AddPatient(&e, patient_cx);
  AddQuery(&e, Iti("ITI-66", "Find Document Lists"), "", query_string);
  return e;
}

AuditEvent PdqmQuery(const Exchange& x, const std::vector<std::string>& patient_ids,
                     const std::string& query_string) {
  AuditEvent e = Frame(x, Dcm(kEventQuery, "Query"), "E",
                       Iti("ITI-78", "Mobile Patient Demographics Query"));
  for (const std::string& id : patient_ids) AddPatient(&e, id);
  AddQuery(&e, Iti("ITI-78", "Mobile Patient Demographics Query"), "", query_string);
  return e;
}

Exchange RequesterExchange(const std::string& facility_oid, const std::string& address,
                           const std::string& common_name) {
  Exchange x;
  x.requesting_facility = facility_oid;
  x.requester_user_id = common_name;
  std::string host = address;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    host = close == std::string::npos ? host.substr(1) : host.substr(1, close - 1);
  } else if (std::count(host.begin(), host.end(), ':') == 1) {
    host = host.substr(0, host.find(':'));
  }
  x.requester_address = host;
  return x;
}

}  // namespace renkei::audit
