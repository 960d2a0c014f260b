// MHD mapping building blocks: HL7 v2 data types (ITI TF-3 §4.2.3.1.7) ⇄ FHIR resources,
// authors and intended recipients, ebRIM object builders (see mhd_json.h).
#include <string_view>

#include "profiles/internal/mhd_json.h"
#include "xds/xds_constants.h"

namespace renkei::profiles::internal {
namespace {

std::vector<std::string> Split(std::string_view s, char sep) {
  std::vector<std::string> out;
  size_t start = 0;
  while (true) {
    size_t at = s.find(sep, start);
    out.emplace_back(s.substr(start, at == std::string_view::npos ? at : at - start));
    if (at == std::string_view::npos) return out;
    start = at + 1;
  }
}

std::string At(const std::vector<std::string>& v, size_t i) { return i < v.size() ? v[i] : ""; }

// Joins components, dropping trailing empty ones.
std::string Join(std::vector<std::string> v, char sep) {
  while (!v.empty() && v.back().empty()) v.pop_back();
  std::string out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += sep;
    out += v[i];
  }
  return out;
}

// HD "namespace&oid&ISO" → the OID, or "".
std::string OidOfHd(const std::string& hd) {
  std::vector<std::string> sub = Split(hd, '&');
  return At(sub, 2) == "ISO" && IsOid(At(sub, 1)) ? At(sub, 1) : "";
}

// HD "&uri&URI" or "&oid&ISO" → a FHIR system, or "".
std::string SystemOfHd(const std::string& hd) {
  std::vector<std::string> sub = Split(hd, '&');
  if (At(sub, 2) == "URI") return At(sub, 1);
  const std::string oid = OidOfHd(hd);
  return oid.empty() ? "" : kUrnOid + oid;
}

std::string HdOfSystem(const std::string& system) {
  if (system.rfind(kUrnOid, 0) == 0) return "&" + system.substr(8) + "&ISO";
  return system.empty() ? "" : "&" + system + "&URI";
}

Json Array1(Json&& item, Alloc& a) {
  Json arr(rapidjson::kArrayType);
  if (!item.IsNull()) arr.PushBack(item, a);
  return arr;
}

Json Resource(const char* type, const std::string& id, Alloc& a) {
  Json r(rapidjson::kObjectType);
  r.AddMember("resourceType", rapidjson::StringRef(type), a);
  Put(r, "id", id, a);
  return r;
}

void AddTelecoms(Json& resource, const std::vector<std::string>& xtns, Alloc& a) {
  Json telecom(rapidjson::kArrayType);
  for (const std::string& x : xtns) {
    Json t = TelecomOfXtn(x, a);
    if (!t.IsNull()) telecom.PushBack(t, a);
  }
  Put(resource, "telecom", std::move(telecom), a);
}

std::vector<std::string> TelecomsOf(const Json& resource) {
  std::vector<std::string> out;
  if (const Json* t = Array(resource, "telecom")) {
    for (const Json& cp : t->GetArray()) {
      std::string x = XtnOfTelecom(cp);
      if (!x.empty()) out.push_back(std::move(x));
    }
  }
  return out;
}

}  // namespace

// --- HL7 v2 data types

Json IdentifierOfCx(const std::string& cx, Alloc& a) {
  std::vector<std::string> c = Split(cx, '^');
  return IdentifierJson(nullptr, SystemOfHd(At(c, 3)), At(c, 0), a);
}

bool IsIsoCx(const std::string& cx) {
  return cx.size() > 4 && cx.compare(cx.size() - 4, 4, "&ISO") == 0;
}

std::string CxOfIdentifier(const Json& identifier) {
  const std::string hd = HdOfSystem(Str(identifier, "system"));
  const std::string value = Str(identifier, "value");
  return hd.empty() || value.empty() ? "" : value + "^^^" + hd;
}

Json PractitionerOfXcn(const std::string& id, const std::string& xcn, Alloc& a) {
  std::vector<std::string> c = Split(xcn, '^');
  Json p = Resource("Practitioner", id, a);
  if (!At(c, 0).empty()) {
    p.AddMember("identifier", Array1(IdentifierJson(nullptr, SystemOfHd(At(c, 8)), c[0], a), a), a);
  }
  Json name(rapidjson::kObjectType);
  Put(name, "family", At(c, 1), a);
  Json given(rapidjson::kArrayType);
  if (!At(c, 2).empty()) given.PushBack(Text(c[2], a), a);
  if (!At(c, 3).empty()) given.PushBack(Text(c[3], a), a);
  Put(name, "given", std::move(given), a);
  if (!At(c, 5).empty()) name.AddMember("prefix", Array1(Text(c[5], a), a), a);
  if (!At(c, 4).empty()) name.AddMember("suffix", Array1(Text(c[4], a), a), a);
  if (!name.ObjectEmpty()) p.AddMember("name", Array1(std::move(name), a), a);
  return p;
}

std::string XcnOfPractitioner(const Json& p) {
  std::vector<std::string> c(9);
  if (const Json* ids = Array(p, "identifier"); ids != nullptr && !ids->Empty()) {
    c[0] = Str((*ids)[0], "value");
    c[8] = HdOfSystem(Str((*ids)[0], "system"));
  }
  if (const Json* names = Array(p, "name"); names != nullptr && !names->Empty()) {
    const Json& n = (*names)[0];
    c[1] = Str(n, "family");
    auto nth = [&](const char* key, rapidjson::SizeType i) {
      const Json* arr = Array(n, key);
      return arr != nullptr && arr->Size() > i && (*arr)[i].IsString() ? (*arr)[i].GetString() : "";
    };
    c[2] = nth("given", 0);
    c[3] = nth("given", 1);
    c[4] = nth("suffix", 0);
    c[5] = nth("prefix", 0);
  }
  return Join(std::move(c), '^');
}

Json OrganizationOfXon(const std::string& id, const std::string& xon, Alloc& a) {
  std::vector<std::string> c = Split(xon, '^');
  Json o = Resource("Organization", id, a);
  if (!At(c, 9).empty()) {
    o.AddMember("identifier", Array1(IdentifierJson(nullptr, SystemOfHd(At(c, 5)), c[9], a), a), a);
  }
  Put(o, "name", At(c, 0), a);
  return o;
}

std::string XonOfOrganization(const Json& o) {
  std::vector<std::string> c(10);
  c[0] = Str(o, "name");
  if (const Json* ids = Array(o, "identifier"); ids != nullptr && !ids->Empty()) {
    c[9] = Str((*ids)[0], "value");
    if (!c[9].empty()) c[5] = HdOfSystem(Str((*ids)[0], "system"));
  }
  return Join(std::move(c), '^');
}

Json TelecomOfXtn(const std::string& xtn, Alloc& a) {
  std::vector<std::string> c = Split(xtn, '^');
  Json t(rapidjson::kObjectType);
  if (At(c, 2) == "Internet" && !At(c, 3).empty()) {
    t.AddMember("system", "email", a);
    Put(t, "value", c[3], a);
  } else if (!At(c, 11).empty() || !At(c, 0).empty()) {
    t.AddMember("system", "phone", a);
    Put(t, "value", At(c, 11).empty() ? c[0] : c[11], a);
  } else {
    return Json();
  }
  return t;
}

std::string XtnOfTelecom(const Json& cp) {
  const std::string system = Str(cp, "system");
  const std::string value = Str(cp, "value");
  if (value.empty()) return "";
  if (system == "email") return "^^Internet^" + value;
  if (system == "phone") return "^PRN^PH^^^^^^^^^" + value;
  return "";
}

Json ConceptOfCwe(const std::string& cwe, Alloc& a) {
  Json cc(rapidjson::kObjectType);
  if (cwe.find('^') == std::string::npos) {
    Put(cc, "text", cwe, a);
    return cc;
  }
  std::vector<std::string> c = Split(cwe, '^');
  xds::Code code{At(c, 0), OidOfHd(At(c, 3)), At(c, 1)};
  return CodeableConceptJson(code, a);
}

std::string CweOfConcept(const Json& cc_json) {
  xds::Code code = CodeOfCodeableConcept(cc_json);
  if (code.empty()) return Str(cc_json, "text");
  const std::string hd = IsOid(code.scheme) ? "&" + code.scheme + "&ISO" : "";
  return Join({code.code, code.display, "", hd}, '^');
}

// --- authors and recipients

Json AuthorReference(const xds::Author& author, const std::string& prefix, Json& contained,
                     Alloc& a) {
  const bool person = !author.person.empty();
  const bool org = !author.institutions.empty();
  const bool role = !author.roles.empty() || !author.specialties.empty() || (person && org);
  if (person) {
    Json p = PractitionerOfXcn(prefix + "-person", author.person, a);
    if (!role) AddTelecoms(p, author.telecoms, a);
    contained.PushBack(p, a);
  }
  if (org) {
    Json o = OrganizationOfXon(prefix + "-org", author.institutions.front(), a);
    if (!role && !person) AddTelecoms(o, author.telecoms, a);
    contained.PushBack(o, a);
  }
  if (!role) return Reference("#" + prefix + (person ? "-person" : "-org"), a);
  Json r = Resource("PractitionerRole", prefix + "-role", a);
  if (person) r.AddMember("practitioner", Reference("#" + prefix + "-person", a), a);
  if (org) r.AddMember("organization", Reference("#" + prefix + "-org", a), a);
  Json codes(rapidjson::kArrayType);
  for (const std::string& x : author.roles) codes.PushBack(ConceptOfCwe(x, a), a);
  Put(r, "code", std::move(codes), a);
  Json specialties(rapidjson::kArrayType);
  for (const std::string& x : author.specialties) specialties.PushBack(ConceptOfCwe(x, a), a);
  Put(r, "specialty", std::move(specialties), a);
  AddTelecoms(r, author.telecoms, a);
  contained.PushBack(r, a);
  return Reference("#" + prefix + "-role", a);
}

Result<xds::Author> AuthorOfReference(const Json& resource, const Json& reference,
                                      const std::string& location) {
  const std::string ref = Str(reference, "reference");
  const Json* r = FindContained(resource, ref);
  if (r == nullptr) {
    return NotSupported("author reference '" + ref +
                            "' is not a contained resource (the UnContained References option "
                            "is not supported)",
                        location);
  }
  xds::Author author;
  const std::string type = Str(*r, "resourceType");
  auto add_org = [&](const Json& o) {
    std::string xon = XonOfOrganization(o);
    if (!xon.empty()) author.institutions.push_back(std::move(xon));
  };
  if (type == "Practitioner") {
    author.person = XcnOfPractitioner(*r);
  } else if (type == "Organization") {
    add_org(*r);
  } else if (type == "PractitionerRole") {
    if (const Json* p = Object(*r, "practitioner")) {
      const Json* pr = FindContained(resource, Str(*p, "reference"));
      if (pr == nullptr) return Invalid("PractitionerRole.practitioner is not contained", location);
      author.person = XcnOfPractitioner(*pr);
      for (std::string& t : TelecomsOf(*pr)) author.telecoms.push_back(std::move(t));
    }
    if (const Json* o = Object(*r, "organization")) {
      const Json* org = FindContained(resource, Str(*o, "reference"));
      if (org == nullptr)
        return Invalid("PractitionerRole.organization is not contained", location);
      add_org(*org);
    }
    if (const Json* codes = Array(*r, "code")) {
      for (const Json& c : codes->GetArray()) author.roles.push_back(CweOfConcept(c));
    }
    if (const Json* codes = Array(*r, "specialty")) {
      for (const Json& c : codes->GetArray()) author.specialties.push_back(CweOfConcept(c));
    }
  } else {
    return Invalid("author '" + ref + "' is a " + type +
                       ", not a Practitioner, PractitionerRole or Organization",
                   location);
  }
  for (std::string& t : TelecomsOf(*r)) author.telecoms.push_back(std::move(t));
  return author;
}

Json RecipientReference(const std::string& recipient, const std::string& prefix, Json& contained,
                        Alloc& a) {
  std::vector<std::string> parts = Split(recipient, '|');
  xds::Author as_author;
  as_author.person = At(parts, 1);
  if (!At(parts, 0).empty()) as_author.institutions.push_back(parts[0]);
  if (!At(parts, 2).empty()) as_author.telecoms.push_back(parts[2]);
  if (as_author.person.empty() && as_author.institutions.empty()) {
    // A telecom alone: a Practitioner known only by its address (MHD example in-practitioner).
    Json p = Resource("Practitioner", prefix + "-person", a);
    AddTelecoms(p, as_author.telecoms, a);
    contained.PushBack(p, a);
    return Reference("#" + prefix + "-person", a);
  }
  return AuthorReference(as_author, prefix, contained, a);
}

Result<std::string> RecipientOfReference(const Json& resource, const Json& reference,
                                         const std::string& location) {
  const Json* r = FindContained(resource, Str(reference, "reference"));
  if (r != nullptr && Str(*r, "resourceType") == "Patient") {
    return NotSupported("an intendedRecipient Patient has no XDS form", location);
  }
  RENKEI_ASSIGN_OR_RETURN(xds::Author author, AuthorOfReference(resource, reference, location));
  return Join({author.institutions.empty() ? "" : author.institutions.front(), author.person,
               author.telecoms.empty() ? "" : author.telecoms.front()},
              '|');
}

// --- ebRIM objects

xds::InternationalString XdsText(const std::string& s) {
  xds::InternationalString is;
  if (!s.empty()) is.strings.push_back({s, "", ""});
  return is;
}

void AddSlot(xds::RegistryObject& o, const char* name, const std::string& value) {
  if (!value.empty()) o.slots.push_back({name, "", {value}});
}

void AddSlotValues(xds::RegistryObject& o, const char* name,
                   const std::vector<std::string>& values) {
  if (!values.empty()) o.slots.push_back({name, "", values});
}

void AddCode(xds::RegistryObject& o, const char* scheme, const xds::Code& code) {
  if (code.empty()) return;
  xds::Classification c;
  c.classification_scheme = scheme;
  c.classified_object = o.id;
  c.node_representation = code.code;
  c.name = XdsText(code.display);
  c.slots.push_back({xds::kSlotCodingScheme, "", {code.scheme}});
  o.classifications.push_back(std::move(c));
}

void AddAuthor(xds::RegistryObject& o, const char* scheme, const xds::Author& author) {
  xds::Classification c;
  c.classification_scheme = scheme;
  c.classified_object = o.id;
  auto add = [&](const char* name, const std::vector<std::string>& values) {
    if (!values.empty()) c.slots.push_back({name, "", values});
  };
  if (!author.person.empty()) c.slots.push_back({xds::kSlotAuthorPerson, "", {author.person}});
  add(xds::kSlotAuthorInstitution, author.institutions);
  add(xds::kSlotAuthorRole, author.roles);
  add(xds::kSlotAuthorSpecialty, author.specialties);
  add(xds::kSlotAuthorTelecommunication, author.telecoms);
  if (!c.slots.empty()) o.classifications.push_back(std::move(c));
}

void AddExternalId(xds::RegistryObject& o, const char* scheme, const std::string& value,
                   const char* name) {
  if (value.empty()) return;
  xds::ExternalIdentifier e;
  e.identification_scheme = scheme;
  e.registry_object = o.id;
  e.value = value;
  e.name = XdsText(name);
  o.external_identifiers.push_back(std::move(e));
}

void AddNode(xds::RegistryObject& o, const char* node) {
  xds::Classification c;
  c.classified_object = o.id;
  c.classification_node = node;
  o.classifications.push_back(std::move(c));
}

}  // namespace renkei::profiles::internal
