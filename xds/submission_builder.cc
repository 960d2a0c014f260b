// ITI-42 request builder for Document Sources (ITI TF-3 §4.2.3 attribute encodings).
#include "xds/submission_builder.h"

#include <cstdio>
#include <random>

#include "xds/ebrim_codec.h"
#include "xds/internal/xml_escape.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

InternationalString Text(const std::string& s) {
  InternationalString is;
  if (!s.empty()) is.strings.push_back({s, "", ""});
  return is;
}

void AddSlot(RegistryObject& o, const std::string& name, const std::string& value) {
  if (!value.empty()) o.slots.push_back({name, "", {value}});
}

void AddCode(RegistryObject& o, const std::string& scheme, const Code& code) {
  if (code.empty()) return;
  Classification c;
  c.classification_scheme = scheme;
  c.classified_object = o.id;
  c.node_representation = code.code;
  c.name = Text(code.display);
  c.slots.push_back({kSlotCodingScheme, "", {code.scheme}});
  o.classifications.push_back(std::move(c));
}

void AddAuthor(RegistryObject& o, const std::string& scheme, const std::string& person,
               const std::string& institution) {
  if (person.empty() && institution.empty()) return;
  Classification c;
  c.classification_scheme = scheme;
  c.classified_object = o.id;
  if (!person.empty()) c.slots.push_back({"authorPerson", "", {person}});
  if (!institution.empty()) c.slots.push_back({"authorInstitution", "", {institution}});
  o.classifications.push_back(std::move(c));
}

void AddExternalId(RegistryObject& o, const std::string& scheme, const std::string& value,
                   const std::string& name) {
  ExternalIdentifier e;
  e.identification_scheme = scheme;
  e.registry_object = o.id;
  e.value = value;
  e.name = Text(name);
  o.external_identifiers.push_back(std::move(e));
}

}  // namespace

std::string NewUrnUuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  uint64_t a = rng(), b = rng();
  a = (a & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
  b = (b & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // variant 10
  char buf[64];
  std::snprintf(buf, sizeof buf, "urn:uuid:%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(a >> 32), static_cast<unsigned>((a >> 16) & 0xffff),
                static_cast<unsigned>(a & 0xffff), static_cast<unsigned>(b >> 48),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

SubmitObjectsRequest BuildSubmitObjectsRequest(const SimpleSubmission& s) {
  SubmitObjectsRequest req;
  int n = 0;
  for (const SimpleDocument& d : s.documents) {
    RegistryObject o;
    o.kind = ObjectKind::kExtrinsicObject;
    o.id = d.symbolic_id.empty() ? "Document" + std::to_string(++n) : d.symbolic_id;
    o.object_type = kObjectTypeStableDocument;
    o.mime_type = d.mime_type;
    o.name = Text(d.title);
    AddSlot(o, "creationTime", d.creation_time);
    AddSlot(o, "hash", d.hash);
    AddSlot(o, "languageCode", d.language_code);
    AddSlot(o, "repositoryUniqueId", d.repository_unique_id);
    AddSlot(o, "serviceStartTime", d.service_start_time);
    AddSlot(o, "size", d.size);
    AddSlot(o, "sourcePatientId", d.source_patient_id);
    AddAuthor(o, kDocEntryAuthor, d.author_person, d.author_institution);
    AddCode(o, kDocEntryClassCode, d.class_code);
    AddCode(o, kDocEntryConfidentialityCode, d.confidentiality_code);
    for (const Code& e : d.event_codes) AddCode(o, kDocEntryEventCodeList, e);
    AddCode(o, kDocEntryFormatCode, d.format_code);
    AddCode(o, kDocEntryHealthcareFacilityTypeCode, d.healthcare_facility_type_code);
    AddCode(o, kDocEntryPracticeSettingCode, d.practice_setting_code);
    AddCode(o, kDocEntryTypeCode, d.type_code);
    AddExternalId(o, kDocEntryPatientId, s.patient_id, "XDSDocumentEntry.patientId");
    AddExternalId(o, kDocEntryUniqueId, d.unique_id, "XDSDocumentEntry.uniqueId");
    req.objects.push_back(std::move(o));
  }
  RegistryObject ss;
  ss.kind = ObjectKind::kRegistryPackage;
  ss.id = "SubmissionSet01";
  ss.name = Text(s.title);
  AddSlot(ss, "submissionTime", s.submission_time);
  AddAuthor(ss, kSubmissionSetAuthor, s.author_person, s.author_institution);
  AddCode(ss, kSubmissionSetContentTypeCode, s.content_type_code);
  AddExternalId(ss, kSubmissionSetUniqueId, s.unique_id, "XDSSubmissionSet.uniqueId");
  AddExternalId(ss, kSubmissionSetSourceId, s.source_id, "XDSSubmissionSet.sourceId");
  AddExternalId(ss, kSubmissionSetPatientId, s.patient_id, "XDSSubmissionSet.patientId");
  Classification node;
  node.id = "SubmissionSet01Classification";
  node.classified_object = ss.id;
  node.classification_node = kSubmissionSetNode;
  req.classifications.push_back(node);
  const std::string ss_id = ss.id;
  req.objects.push_back(std::move(ss));
  int a = 0;
  for (const RegistryObject& doc : std::vector<RegistryObject>(req.objects)) {
    if (doc.kind != ObjectKind::kExtrinsicObject) continue;
    RegistryObject assoc;
    assoc.kind = ObjectKind::kAssociation;
    assoc.id = "Association" + std::to_string(++a);
    assoc.association_type = kAssocHasMember;
    assoc.source_object = ss_id;
    assoc.target_object = doc.id;
    assoc.slots.push_back({kSlotSubmissionSetStatus, "", {"Original"}});
    req.objects.push_back(std::move(assoc));
  }
  return req;
}

std::string EncodeSubmitObjectsRequest(const SubmitObjectsRequest& request) {
  std::string out;
  out.reserve(8192);
  out += "<lcm:SubmitObjectsRequest xmlns:lcm=\"";
  out += kNsLcm;
  out += "\" xmlns:rim=\"";
  out += kNsRim;
  out += "\"><rim:RegistryObjectList>";
  for (const RegistryObject& o : request.objects) out += EncodeRegistryObject(o);
  for (const Classification& c : request.classifications) {
    out += "<rim:Classification";
    internal::AppendAttribute(&out, "id", c.id);
    internal::AppendAttribute(&out, "classifiedObject", c.classified_object);
    internal::AppendAttribute(&out, "classificationNode", c.classification_node);
    out += "/>";
  }
  for (const std::string& ref : request.object_refs) {
    out += "<rim:ObjectRef";
    internal::AppendAttribute(&out, "id", ref);
    out += "/>";
  }
  out += "</rim:RegistryObjectList></lcm:SubmitObjectsRequest>";
  return out;
}

std::string EncodeSoapRequest(const std::string& action, const std::string& to,
                              const std::string& body_xml) {
  std::string out;
  out.reserve(body_xml.size() + 1024);
  out += "<soap:Envelope xmlns:soap=\"";
  out += kNsSoap12;
  out += "\" xmlns:wsa=\"";
  out += kNsWsa;
  out += "\"><soap:Header><wsa:Action soap:mustUnderstand=\"1\">" + action +
         "</wsa:Action><wsa:MessageID>" + NewUrnUuid() +
         "</wsa:MessageID><wsa:ReplyTo><wsa:Address>"
         "http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>"
         "<wsa:To soap:mustUnderstand=\"1\">" + to + "</wsa:To></soap:Header><soap:Body>";
  out += body_xml;
  out += "</soap:Body></soap:Envelope>";
  return out;
}

}  // namespace renkei::xds
