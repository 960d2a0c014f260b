// DICOM PS3.15 A.5.1 Audit Message XML codec (IHE ATNA, ITI-20), over pugixml.
#include "audit/dicom_audit_xml.h"

#include <charconv>
#include <pugixml.hpp>
#include <sstream>

#include "common/base64.h"

namespace renkei::audit {

namespace {

void AppendCode(pugi::xml_node parent, const char* name, const Code& c) {
  pugi::xml_node n = parent.append_child(name);
  n.append_attribute("csd-code") = c.code.c_str();
  if (!c.system.empty()) n.append_attribute("codeSystemName") = c.system.c_str();
  if (!c.display.empty()) n.append_attribute("originalText") = c.display.c_str();
}

void SetIf(pugi::xml_node n, const char* name, const std::string& value) {
  if (!value.empty()) n.append_attribute(name) = value.c_str();
}

void SetIntIf(pugi::xml_node n, const char* name, int value) {
  if (value != 0) n.append_attribute(name) = std::to_string(value).c_str();
}

std::string Base64(std::string_view bytes) {
  std::string out;
  AppendBase64(&out, bytes);
  return out;
}

Status Bad(const std::string& message, const std::string& location = {}) {
  return Status::InvalidArgument("audit.xml", message, location);
}

Code ReadCode(pugi::xml_node n) {
  Code c;
  pugi::xml_attribute code = n.attribute("csd-code");
  if (!code) code = n.attribute("code");
  c.code = code.value();
  c.system = n.attribute("codeSystemName").value();
  pugi::xml_attribute display = n.attribute("originalText");
  if (!display) display = n.attribute("displayName");
  c.display = display.value();
  return c;
}

// An optional small non-negative integer attribute (0 when absent).
Status ReadInt(pugi::xml_node n, const char* name, int* out) {
  pugi::xml_attribute a = n.attribute(name);
  *out = 0;
  if (!a) return Status::Ok();
  std::string_view s = a.value();
  int v = 0;
  auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || end != s.data() + s.size() || s.empty() || v < 0) {
    return Bad(std::string(name) + " is not a number: '" + std::string(s) + "'", name);
  }
  *out = v;
  return Status::Ok();
}

Status ReadBool(pugi::xml_node n, const char* name, bool* out) {
  std::string_view s = n.attribute(name).value();
  if (s.empty() || s == "false" || s == "0") {
    *out = false;
  } else if (s == "true" || s == "1") {
    *out = true;
  } else {
    return Bad(std::string(name) + " is not a boolean: '" + std::string(s) + "'", name);
  }
  return Status::Ok();
}

Status ReadBase64(std::string_view text, const char* what, std::string* out) {
  if (!DecodeBase64(text, out)) return Bad(std::string(what) + " is not base64", what);
  return Status::Ok();
}

Status ReadParticipant(pugi::xml_node n, ActiveParticipant* p) {
  p->user_id = n.attribute("UserID").value();
  p->alt_user_id = n.attribute("AlternativeUserID").value();
  p->user_name = n.attribute("UserName").value();
  RENKEI_RETURN_IF_ERROR(ReadBool(n, "UserIsRequestor", &p->is_requestor));
  p->network_access_point_id = n.attribute("NetworkAccessPointID").value();
  RENKEI_RETURN_IF_ERROR(ReadInt(n, "NetworkAccessPointTypeCode", &p->network_access_point_type));
  for (pugi::xml_node r : n.children("RoleIDCode")) p->roles.push_back(ReadCode(r));
  return Status::Ok();
}

Status ReadObject(pugi::xml_node n, ParticipantObject* o) {
  o->id = n.attribute("ParticipantObjectID").value();
  RENKEI_RETURN_IF_ERROR(ReadInt(n, "ParticipantObjectTypeCode", &o->type_code));
  RENKEI_RETURN_IF_ERROR(ReadInt(n, "ParticipantObjectTypeCodeRole", &o->role_code));
  RENKEI_RETURN_IF_ERROR(ReadInt(n, "ParticipantObjectDataLifeCycle", &o->lifecycle));
  if (pugi::xml_node t = n.child("ParticipantObjectIDTypeCode")) o->id_type = ReadCode(t);
  o->name = n.child_value("ParticipantObjectName");
  if (pugi::xml_node q = n.child("ParticipantObjectQuery")) {
    RENKEI_RETURN_IF_ERROR(ReadBase64(q.child_value(), "ParticipantObjectQuery", &o->query));
  }
  for (pugi::xml_node d : n.children("ParticipantObjectDetail")) {
    ObjectDetail detail;
    detail.type = d.attribute("type").value();
    RENKEI_RETURN_IF_ERROR(
        ReadBase64(d.attribute("value").value(), "ParticipantObjectDetail", &detail.value));
    o->details.push_back(std::move(detail));
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeDicomAuditXml(const AuditEvent& e) {
  pugi::xml_document doc;
  pugi::xml_node decl = doc.append_child(pugi::node_declaration);
  decl.append_attribute("version") = "1.0";
  decl.append_attribute("encoding") = "UTF-8";
  pugi::xml_node msg = doc.append_child("AuditMessage");

  pugi::xml_node ei = msg.append_child("EventIdentification");
  SetIf(ei, "EventActionCode", e.action);
  ei.append_attribute("EventDateTime") = e.date_time.c_str();
  ei.append_attribute("EventOutcomeIndicator") = std::to_string(e.outcome).c_str();
  AppendCode(ei, "EventID", e.event_id);
  for (const Code& c : e.event_types) AppendCode(ei, "EventTypeCode", c);
  if (!e.outcome_description.empty()) {
    ei.append_child("EventOutcomeDescription").text() = e.outcome_description.c_str();
  }
  for (const Code& c : e.purpose_of_use) AppendCode(ei, "PurposeOfUse", c);

  for (const ActiveParticipant& p : e.participants) {
    pugi::xml_node n = msg.append_child("ActiveParticipant");
    n.append_attribute("UserID") = p.user_id.c_str();
    SetIf(n, "AlternativeUserID", p.alt_user_id);
    SetIf(n, "UserName", p.user_name);
    n.append_attribute("UserIsRequestor") = p.is_requestor ? "true" : "false";
    SetIf(n, "NetworkAccessPointID", p.network_access_point_id);
    SetIntIf(n, "NetworkAccessPointTypeCode", p.network_access_point_type);
    for (const Code& c : p.roles) AppendCode(n, "RoleIDCode", c);
  }

  pugi::xml_node src = msg.append_child("AuditSourceIdentification");
  SetIf(src, "AuditEnterpriseSiteID", e.source.site);
  src.append_attribute("AuditSourceID") = e.source.id.c_str();
  for (const Code& c : e.source.types) AppendCode(src, "AuditSourceTypeCode", c);

  for (const ParticipantObject& o : e.objects) {
    pugi::xml_node n = msg.append_child("ParticipantObjectIdentification");
    n.append_attribute("ParticipantObjectID") = o.id.c_str();
    SetIntIf(n, "ParticipantObjectTypeCode", o.type_code);
    SetIntIf(n, "ParticipantObjectTypeCodeRole", o.role_code);
    SetIntIf(n, "ParticipantObjectDataLifeCycle", o.lifecycle);
    AppendCode(n, "ParticipantObjectIDTypeCode", o.id_type);
    if (!o.name.empty()) n.append_child("ParticipantObjectName").text() = o.name.c_str();
    if (!o.query.empty()) {
      n.append_child("ParticipantObjectQuery").text() = Base64(o.query).c_str();
    }
    for (const ObjectDetail& d : o.details) {
      pugi::xml_node dn = n.append_child("ParticipantObjectDetail");
      dn.append_attribute("type") = d.type.c_str();
      dn.append_attribute("value") = Base64(d.value).c_str();
    }
  }
  std::ostringstream out;
  doc.save(out, "", pugi::format_raw | pugi::format_no_declaration, pugi::encoding_utf8);
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>" + out.str();
}

Result<AuditEvent> DecodeDicomAuditXml(std::string_view xml) {
  pugi::xml_document doc;
  const pugi::xml_parse_result parsed =
      doc.load_buffer(xml.data(), xml.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!parsed) {
    return Bad(std::string("not well-formed XML: ") + parsed.description() + " at offset " +
               std::to_string(parsed.offset));
  }
  pugi::xml_node msg = doc.document_element();
  if (std::string_view(msg.name()) != "AuditMessage") {
    return Bad("the root element is '" + std::string(msg.name()) + "', not AuditMessage");
  }
  AuditEvent e;
  pugi::xml_node ei = msg.child("EventIdentification");
  if (!ei) return Bad("EventIdentification is missing", "EventIdentification");
  e.action = ei.attribute("EventActionCode").value();
  e.date_time = ei.attribute("EventDateTime").value();
  if (!ei.attribute("EventOutcomeIndicator")) {
    return Bad("EventOutcomeIndicator is missing", "EventOutcomeIndicator");
  }
  RENKEI_RETURN_IF_ERROR(ReadInt(ei, "EventOutcomeIndicator", &e.outcome));
  pugi::xml_node id = ei.child("EventID");
  if (!id) return Bad("EventID is missing", "EventID");
  e.event_id = ReadCode(id);
  for (pugi::xml_node t : ei.children("EventTypeCode")) e.event_types.push_back(ReadCode(t));
  e.outcome_description = ei.child_value("EventOutcomeDescription");
  for (pugi::xml_node t : ei.children("PurposeOfUse")) e.purpose_of_use.push_back(ReadCode(t));

  for (pugi::xml_node n : msg.children("ActiveParticipant")) {
    ActiveParticipant p;
    RENKEI_RETURN_IF_ERROR(ReadParticipant(n, &p));
    e.participants.push_back(std::move(p));
  }
  pugi::xml_node src = msg.child("AuditSourceIdentification");
  if (!src) return Bad("AuditSourceIdentification is missing", "AuditSourceIdentification");
  e.source.site = src.attribute("AuditEnterpriseSiteID").value();
  e.source.id = src.attribute("AuditSourceID").value();
  for (pugi::xml_node t : src.children("AuditSourceTypeCode")) {
    e.source.types.push_back(ReadCode(t));
  }
  for (pugi::xml_node n : msg.children("ParticipantObjectIdentification")) {
    ParticipantObject o;
    RENKEI_RETURN_IF_ERROR(ReadObject(n, &o));
    e.objects.push_back(std::move(o));
  }
  Status valid = Validate(e);
  if (!valid.ok()) return Bad(valid.message(), valid.location());
  return e;
}

}  // namespace renkei::audit
