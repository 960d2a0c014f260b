// FHIR R4 AuditEvent JSON codec (ITI-20 FHIR feed, ITI-81), over RapidJSON.
#include "audit/fhir_audit_event.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <charconv>
#include <string_view>

#include "audit/audit_codes.h"
#include "common/base64.h"

namespace renkei::audit {

namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;
using Value = rapidjson::Value;

void Str(Writer& w, const std::string& s) {
  w.String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}

void Key(Writer& w, const char* k) { w.Key(k); }

void StrIf(Writer& w, const char* k, const std::string& v) {
  if (v.empty()) return;
  Key(w, k);
  Str(w, v);
}

void Coding(Writer& w, const std::string& system, const std::string& code,
            const std::string& display) {
  w.StartObject();
  StrIf(w, "system", system);
  StrIf(w, "code", code);
  StrIf(w, "display", display);
  w.EndObject();
}

void Coding(Writer& w, const Code& c) { Coding(w, CodeSystemUri(c.system), c.code, c.display); }

std::string Base64(std::string_view bytes) {
  std::string out;
  AppendBase64(&out, bytes);
  return out;
}

Status Bad(const std::string& message, const std::string& location = {}) {
  return Status::InvalidArgument("audit.json", message, location);
}

// Reads an optional string member.
Status GetString(const Value& obj, const char* name, std::string* out) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return Status::Ok();
  if (!it->value.IsString()) return Bad(std::string(name) + " must be a string", name);
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return Status::Ok();
}

// An optional object member (null when absent); InvalidArgument when not an object.
Status GetObject(const Value& obj, const char* name, const Value** out) {
  *out = nullptr;
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return Status::Ok();
  if (!it->value.IsObject()) return Bad(std::string(name) + " must be an object", name);
  *out = &it->value;
  return Status::Ok();
}

// The items of a repeating member: an array's elements, or a lone object (as FHIR XML
// converted without knowing that the element repeats gives, see fhir/fhir_xml.h).
Status GetItems(const Value& obj, const char* name, std::vector<const Value*>* out) {
  out->clear();
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return Status::Ok();
  if (it->value.IsObject()) {
    out->push_back(&it->value);
    return Status::Ok();
  }
  if (!it->value.IsArray()) return Bad(std::string(name) + " must be an array", name);
  for (const Value& v : it->value.GetArray()) out->push_back(&v);
  return Status::Ok();
}

Status ReadCoding(const Value& v, const char* where, Code* c) {
  if (!v.IsObject()) return Bad(std::string(where) + " must be a Coding", where);
  std::string system;
  RENKEI_RETURN_IF_ERROR(GetString(v, "system", &system));
  RENKEI_RETURN_IF_ERROR(GetString(v, "code", &c->code));
  RENKEI_RETURN_IF_ERROR(GetString(v, "display", &c->display));
  c->system = CodeSystemName(system);
  return Status::Ok();
}

// The codings of a CodeableConcept member `name` of `obj` appended to `out`.
Status ReadConcept(const Value& obj, const char* name, std::vector<Code>* out) {
  const Value* cc;
  RENKEI_RETURN_IF_ERROR(GetObject(obj, name, &cc));
  if (!cc) return Status::Ok();
  std::vector<const Value*> codings;
  RENKEI_RETURN_IF_ERROR(GetItems(*cc, "coding", &codings));
  for (const Value* v : codings) {
    Code c;
    RENKEI_RETURN_IF_ERROR(ReadCoding(*v, name, &c));
    out->push_back(std::move(c));
  }
  return Status::Ok();
}

// The integer code of a Coding member (e.g. entity.type "2"); 0 when absent.
Status ReadIntCoding(const Value& obj, const char* name, int* out) {
  *out = 0;
  const Value* c;
  RENKEI_RETURN_IF_ERROR(GetObject(obj, name, &c));
  if (!c) return Status::Ok();
  Code code;
  RENKEI_RETURN_IF_ERROR(ReadCoding(*c, name, &code));
  int v = 0;
  auto [end, ec] = std::from_chars(code.code.data(), code.code.data() + code.code.size(), v);
  if (code.code.empty() || ec != std::errc() || end != code.code.data() + code.code.size()) {
    return Bad(std::string(name) + ".code must be a number", name);
  }
  *out = v;
  return Status::Ok();
}

Status ReadAgent(const Value& a, ActiveParticipant* p) {
  if (!a.IsObject()) return Bad("agent must be an object", "agent");
  RENKEI_RETURN_IF_ERROR(ReadConcept(a, "type", &p->roles));
  RENKEI_RETURN_IF_ERROR(GetString(a, "altId", &p->alt_user_id));
  RENKEI_RETURN_IF_ERROR(GetString(a, "name", &p->user_name));
  auto req = a.FindMember("requestor");
  if (req != a.MemberEnd() && req->value.IsBool()) {
    p->is_requestor = req->value.GetBool();
  } else if (req != a.MemberEnd() && req->value.IsString() &&
             (std::string_view(req->value.GetString()) == "true" ||
              std::string_view(req->value.GetString()) == "false")) {
    // From FHIR XML, which does not type the primitive (fhir/fhir_xml.h).
    p->is_requestor = std::string_view(req->value.GetString()) == "true";
  } else {
    return Bad("agent.requestor (boolean) is required", "agent.requestor");
  }
  const Value* who;
  RENKEI_RETURN_IF_ERROR(GetObject(a, "who", &who));
  if (who) {
    const Value* ident;
    RENKEI_RETURN_IF_ERROR(GetObject(*who, "identifier", &ident));
    if (ident) RENKEI_RETURN_IF_ERROR(GetString(*ident, "value", &p->user_id));
    if (p->user_id.empty()) RENKEI_RETURN_IF_ERROR(GetString(*who, "reference", &p->user_id));
  }
  const Value* net;
  RENKEI_RETURN_IF_ERROR(GetObject(a, "network", &net));
  if (net) {
    RENKEI_RETURN_IF_ERROR(GetString(*net, "address", &p->network_access_point_id));
    std::string type;
    RENKEI_RETURN_IF_ERROR(GetString(*net, "type", &type));
    if (!type.empty()) {
      if (type.size() != 1 || type[0] < '1' || type[0] > '5') {
        return Bad("agent.network.type must be 1..5", "agent.network.type");
      }
      p->network_access_point_type = type[0] - '0';
    }
  }
  return Status::Ok();
}

Status ReadEntity(const Value& en, ParticipantObject* o) {
  if (!en.IsObject()) return Bad("entity must be an object", "entity");
  const Value* what;
  RENKEI_RETURN_IF_ERROR(GetObject(en, "what", &what));
  if (what) {
    const Value* ident;
    RENKEI_RETURN_IF_ERROR(GetObject(*what, "identifier", &ident));
    if (ident) {
      RENKEI_RETURN_IF_ERROR(GetString(*ident, "value", &o->id));
      std::vector<Code> types;
      RENKEI_RETURN_IF_ERROR(ReadConcept(*ident, "type", &types));
      if (!types.empty()) o->id_type = types.front();
    }
    if (o->id.empty()) RENKEI_RETURN_IF_ERROR(GetString(*what, "reference", &o->id));
  }
  RENKEI_RETURN_IF_ERROR(ReadIntCoding(en, "type", &o->type_code));
  RENKEI_RETURN_IF_ERROR(ReadIntCoding(en, "role", &o->role_code));
  RENKEI_RETURN_IF_ERROR(ReadIntCoding(en, "lifecycle", &o->lifecycle));
  RENKEI_RETURN_IF_ERROR(GetString(en, "name", &o->name));
  std::string query;
  RENKEI_RETURN_IF_ERROR(GetString(en, "query", &query));
  if (!query.empty() && !DecodeBase64(query, &o->query)) {
    return Bad("entity.query is not base64", "entity.query");
  }
  std::vector<const Value*> details;
  RENKEI_RETURN_IF_ERROR(GetItems(en, "detail", &details));
  {
    for (const Value* dp : details) {
      const Value& d = *dp;
      if (!d.IsObject()) return Bad("entity.detail must be an object", "entity.detail");
      ObjectDetail od;
      RENKEI_RETURN_IF_ERROR(GetString(d, "type", &od.type));
      std::string b64;
      RENKEI_RETURN_IF_ERROR(GetString(d, "valueBase64Binary", &b64));
      if (!b64.empty()) {
        if (!DecodeBase64(b64, &od.value)) {
          return Bad("entity.detail.valueBase64Binary is not base64", "entity.detail");
        }
      } else {
        RENKEI_RETURN_IF_ERROR(GetString(d, "valueString", &od.value));
      }
      o->details.push_back(std::move(od));
    }
  }
  return Status::Ok();
}

}  // namespace

std::string WithFhirId(const std::string& without_id, const std::string& id) {
  static constexpr std::string_view kHead = R"({"resourceType":"AuditEvent")";
  if (without_id.compare(0, kHead.size(), kHead) != 0) return {};
  std::string out;
  out.reserve(without_id.size() + id.size() + 8);
  out.append(kHead).append(R"(,"id":")").append(id).push_back('"');
  out.append(without_id, kHead.size(), std::string::npos);
  return out;
}

std::string EncodeFhirAuditEvent(const AuditEvent& e, const std::string& id) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Key(w, "resourceType");
  w.String("AuditEvent");
  StrIf(w, "id", id);
  Key(w, "type");
  Coding(w, e.event_id);
  if (!e.event_types.empty()) {
    Key(w, "subtype");
    w.StartArray();
    for (const Code& c : e.event_types) Coding(w, c);
    w.EndArray();
  }
  StrIf(w, "action", e.action);
  StrIf(w, "recorded", e.date_time);
  Key(w, "outcome");
  Str(w, std::to_string(e.outcome));
  StrIf(w, "outcomeDesc", e.outcome_description);
  if (!e.purpose_of_use.empty()) {
    Key(w, "purposeOfEvent");
    w.StartArray();
    for (const Code& c : e.purpose_of_use) {
      w.StartObject();
      Key(w, "coding");
      w.StartArray();
      Coding(w, c);
      w.EndArray();
      w.EndObject();
    }
    w.EndArray();
  }
  Key(w, "agent");
  w.StartArray();
  for (const ActiveParticipant& p : e.participants) {
    w.StartObject();
    if (!p.roles.empty()) {
      Key(w, "type");
      w.StartObject();
      Key(w, "coding");
      w.StartArray();
      for (const Code& c : p.roles) Coding(w, c);
      w.EndArray();
      w.EndObject();
    }
    Key(w, "who");
    w.StartObject();
    Key(w, "identifier");
    w.StartObject();
    StrIf(w, "value", p.user_id);
    w.EndObject();
    w.EndObject();
    StrIf(w, "altId", p.alt_user_id);
    StrIf(w, "name", p.user_name);
    Key(w, "requestor");
    w.Bool(p.is_requestor);
    if (!p.network_access_point_id.empty() || p.network_access_point_type != 0) {
      Key(w, "network");
      w.StartObject();
      StrIf(w, "address", p.network_access_point_id);
      if (p.network_access_point_type != 0) {
        Key(w, "type");
        Str(w, std::to_string(p.network_access_point_type));
      }
      w.EndObject();
    }
    w.EndObject();
  }
  w.EndArray();
  Key(w, "source");
  w.StartObject();
  StrIf(w, "site", e.source.site);
  Key(w, "observer");
  w.StartObject();
  Key(w, "identifier");
  w.StartObject();
  StrIf(w, "value", e.source.id);
  w.EndObject();
  w.EndObject();
  if (!e.source.types.empty()) {
    Key(w, "type");
    w.StartArray();
    for (const Code& c : e.source.types) {
      Coding(w, c.system.empty() ? std::string(kSourceTypeUri) : CodeSystemUri(c.system), c.code,
             c.display);
    }
    w.EndArray();
  }
  w.EndObject();
  if (!e.objects.empty()) {
    Key(w, "entity");
    w.StartArray();
    for (const ParticipantObject& o : e.objects) {
      w.StartObject();
      Key(w, "what");
      w.StartObject();
      Key(w, "identifier");
      w.StartObject();
      if (!o.id_type.code.empty() || !o.id_type.system.empty() || !o.id_type.display.empty()) {
        Key(w, "type");
        w.StartObject();
        Key(w, "coding");
        w.StartArray();
        Coding(w, o.id_type);
        w.EndArray();
        w.EndObject();
      }
      StrIf(w, "value", o.id);
      w.EndObject();
      w.EndObject();
      if (o.type_code != 0) {
        Key(w, "type");
        Coding(w, kEntityTypeUri, std::to_string(o.type_code), "");
      }
      if (o.role_code != 0) {
        Key(w, "role");
        Coding(w, kObjectRoleUri, std::to_string(o.role_code), "");
      }
      if (o.lifecycle != 0) {
        Key(w, "lifecycle");
        Coding(w, kLifecycleUri, std::to_string(o.lifecycle), "");
      }
      StrIf(w, "name", o.name);
      if (!o.query.empty()) {
        Key(w, "query");
        Str(w, Base64(o.query));
      }
      if (!o.details.empty()) {
        Key(w, "detail");
        w.StartArray();
        for (const ObjectDetail& d : o.details) {
          w.StartObject();
          Key(w, "type");
          Str(w, d.type);
          Key(w, "valueBase64Binary");
          Str(w, Base64(d.value));
          w.EndObject();
        }
        w.EndArray();
      }
      w.EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<AuditEvent> DecodeFhirAuditEvent(std::string_view json) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseIterativeFlag>(json.data(), json.size());
  if (doc.HasParseError()) return Bad("the body is not JSON");
  if (!doc.IsObject()) return Bad("the body is not a JSON object");
  std::string type;
  RENKEI_RETURN_IF_ERROR(GetString(doc, "resourceType", &type));
  if (type != "AuditEvent") {
    return Bad("resourceType must be AuditEvent, not '" + type + "'", "resourceType");
  }
  AuditEvent e;
  const Value* t;
  RENKEI_RETURN_IF_ERROR(GetObject(doc, "type", &t));
  if (!t) return Bad("type is required", "type");
  RENKEI_RETURN_IF_ERROR(ReadCoding(*t, "type", &e.event_id));
  std::vector<const Value*> subtypes;
  RENKEI_RETURN_IF_ERROR(GetItems(doc, "subtype", &subtypes));
  {
    for (const Value* v : subtypes) {
      Code c;
      RENKEI_RETURN_IF_ERROR(ReadCoding(*v, "subtype", &c));
      e.event_types.push_back(std::move(c));
    }
  }
  RENKEI_RETURN_IF_ERROR(GetString(doc, "action", &e.action));
  RENKEI_RETURN_IF_ERROR(GetString(doc, "recorded", &e.date_time));
  std::string outcome;
  RENKEI_RETURN_IF_ERROR(GetString(doc, "outcome", &outcome));
  if (outcome.empty() || outcome == "0") {
    e.outcome = 0;
  } else if (outcome == "4" || outcome == "8" || outcome == "12") {
    e.outcome = std::stoi(outcome);
  } else {
    return Bad("outcome must be 0, 4, 8 or 12", "outcome");
  }
  RENKEI_RETURN_IF_ERROR(GetString(doc, "outcomeDesc", &e.outcome_description));
  std::vector<const Value*> purposes;
  RENKEI_RETURN_IF_ERROR(GetItems(doc, "purposeOfEvent", &purposes));
  {
    for (const Value* v : purposes) {
      if (!v->IsObject()) return Bad("purposeOfEvent must be a CodeableConcept", "purposeOfEvent");
      std::vector<const Value*> codings;
      RENKEI_RETURN_IF_ERROR(GetItems(*v, "coding", &codings));
      for (const Value* c : codings) {
        Code code;
        RENKEI_RETURN_IF_ERROR(ReadCoding(*c, "purposeOfEvent", &code));
        e.purpose_of_use.push_back(std::move(code));
      }
    }
  }
  std::vector<const Value*> agents;
  RENKEI_RETURN_IF_ERROR(GetItems(doc, "agent", &agents));
  {
    for (const Value* a : agents) {
      ActiveParticipant p;
      RENKEI_RETURN_IF_ERROR(ReadAgent(*a, &p));
      e.participants.push_back(std::move(p));
    }
  }
  const Value* src;
  RENKEI_RETURN_IF_ERROR(GetObject(doc, "source", &src));
  if (!src) return Bad("source is required", "source");
  RENKEI_RETURN_IF_ERROR(GetString(*src, "site", &e.source.site));
  const Value* observer;
  RENKEI_RETURN_IF_ERROR(GetObject(*src, "observer", &observer));
  if (observer) {
    const Value* ident;
    RENKEI_RETURN_IF_ERROR(GetObject(*observer, "identifier", &ident));
    if (ident) RENKEI_RETURN_IF_ERROR(GetString(*ident, "value", &e.source.id));
    if (e.source.id.empty())
      RENKEI_RETURN_IF_ERROR(GetString(*observer, "reference", &e.source.id));
  }
  std::vector<const Value*> stypes;
  RENKEI_RETURN_IF_ERROR(GetItems(*src, "type", &stypes));
  {
    for (const Value* v : stypes) {
      Code c;
      RENKEI_RETURN_IF_ERROR(ReadCoding(*v, "source.type", &c));
      if (c.system == kSourceTypeUri) c.system.clear();
      e.source.types.push_back(std::move(c));
    }
  }
  std::vector<const Value*> entities;
  RENKEI_RETURN_IF_ERROR(GetItems(doc, "entity", &entities));
  {
    for (const Value* en : entities) {
      ParticipantObject o;
      RENKEI_RETURN_IF_ERROR(ReadEntity(*en, &o));
      e.objects.push_back(std::move(o));
    }
  }
  Status valid = Validate(e);
  if (!valid.ok()) return Bad(valid.message(), valid.location());
  return e;
}

}  // namespace renkei::audit
