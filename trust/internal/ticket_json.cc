// RFC 7515/7519/7517 JSON of access tickets (trust/internal/ticket_json.h).
#include "trust/internal/ticket_json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <cmath>

namespace renkei::trust::internal {
namespace {

using Writer = rapidjson::Writer<rapidjson::StringBuffer>;

void Key(Writer* w, const char* k) { w->Key(k); }
void Str(Writer* w, const std::string& s) {
  w->String(s.data(), static_cast<rapidjson::SizeType>(s.size()));
}
void StrMember(Writer* w, const char* k, const std::string& s) {
  Key(w, k);
  Str(w, s);
}
void StrList(Writer* w, const char* k, const std::vector<std::string>& v) {
  Key(w, k);
  w->StartArray();
  for (const std::string& s : v) Str(w, s);
  w->EndArray();
}

Status Bad(const std::string& what) { return Status::InvalidArgument("invalid_token", what); }

Result<rapidjson::Document> ParseObject(std::string_view json, const char* what) {
  rapidjson::Document doc;
  doc.Parse<rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
  if (doc.HasParseError()) {
    return Bad(std::string(what) +
               " is not JSON: " + rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return Bad(std::string(what) + " is not a JSON object");
  return doc;
}

// An optional string member: OK and *out untouched when absent; InvalidArgument when present
// but not a string.
Status OptionalString(const rapidjson::Value& obj, const char* name, std::string* out) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return Status::Ok();
  if (!it->value.IsString()) return Bad(std::string("'") + name + "' is not a string");
  out->assign(it->value.GetString(), it->value.GetStringLength());
  return Status::Ok();
}

Status RequiredString(const rapidjson::Value& obj, const char* name, std::string* out) {
  if (!obj.HasMember(name)) return Bad(std::string("claim '") + name + "' is missing");
  RENKEI_RETURN_IF_ERROR(OptionalString(obj, name, out));
  if (out->empty()) return Bad(std::string("claim '") + name + "' is empty");
  return Status::Ok();
}

// RFC 7519 §2 NumericDate: a JSON number of seconds (fractions are truncated).
Status NumericDate(const rapidjson::Value& obj, const char* name, bool required, int64_t* out,
                   bool* present) {
  auto it = obj.FindMember(name);
  if (present != nullptr) *present = it != obj.MemberEnd();
  if (it == obj.MemberEnd()) {
    return required ? Bad(std::string("claim '") + name + "' is missing") : Status::Ok();
  }
  const rapidjson::Value& v = it->value;
  if (v.IsInt64()) {
    *out = v.GetInt64();
  } else if (v.IsDouble() && std::isfinite(v.GetDouble()) && std::fabs(v.GetDouble()) < 1e15) {
    *out = static_cast<int64_t>(std::floor(v.GetDouble()));
  } else {
    return Bad(std::string("claim '") + name + "' is not a NumericDate");
  }
  if (*out < 0) return Bad(std::string("claim '") + name + "' is negative");
  return Status::Ok();
}

Status StringList(const rapidjson::Value& obj, const char* name, std::vector<std::string>* out) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return Status::Ok();
  if (!it->value.IsArray()) return Bad(std::string("claim '") + name + "' is not an array");
  for (const rapidjson::Value& v : it->value.GetArray()) {
    if (!v.IsString() || v.GetStringLength() == 0) {
      return Bad(std::string("claim '") + name + "' holds a non-string or empty item");
    }
    out->emplace_back(v.GetString(), v.GetStringLength());
  }
  return Status::Ok();
}

}  // namespace

std::string EncodeHeader(const std::string& kid) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  StrMember(&w, "alg", "ES256");
  StrMember(&w, "typ", "at+jwt");
  StrMember(&w, "kid", kid);
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<JoseHeader> DecodeHeader(std::string_view json) {
  auto doc = ParseObject(json, "the JOSE header");
  if (!doc.ok()) return doc.status();
  JoseHeader h;
  RENKEI_RETURN_IF_ERROR(OptionalString(*doc, "alg", &h.alg));
  RENKEI_RETURN_IF_ERROR(OptionalString(*doc, "typ", &h.typ));
  RENKEI_RETURN_IF_ERROR(OptionalString(*doc, "kid", &h.kid));
  h.has_crit = doc->HasMember("crit");
  return h;
}

std::string EncodeClaims(const AccessTicket& t) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  StrMember(&w, "iss", t.issuer);
  StrMember(&w, "sub", t.requester);
  StrMember(&w, "aud", t.audience);
  Key(&w, "iat");
  w.Int64(t.issued_at);
  Key(&w, "nbf");
  w.Int64(t.not_before);
  Key(&w, "exp");
  w.Int64(t.expires_at);
  StrMember(&w, "jti", t.id);
  Key(&w, "cnf");
  w.StartObject();
  StrMember(&w, "x5t#S256", t.holder_thumbprint);
  w.EndObject();
  StrMember(&w, "patient", t.patient);
  if (!t.documents.empty()) StrList(&w, "documents", t.documents);
  if (!t.repositories.empty()) StrList(&w, "repositories", t.repositories);
  if (!t.purpose_of_use.empty()) StrMember(&w, "purpose_of_use", t.purpose_of_use);
  if (!t.actor.empty()) {
    Key(&w, "act");
    w.StartObject();
    StrMember(&w, "sub", t.actor);
    w.EndObject();
  }
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<DecodedClaims> DecodeClaims(std::string_view json) {
  auto doc = ParseObject(json, "the claims");
  if (!doc.ok()) return doc.status();
  const rapidjson::Value& o = *doc;
  DecodedClaims c;
  AccessTicket& t = c.ticket;
  RENKEI_RETURN_IF_ERROR(RequiredString(o, "iss", &t.issuer));
  RENKEI_RETURN_IF_ERROR(RequiredString(o, "sub", &t.requester));
  auto aud = o.FindMember("aud");
  if (aud == o.MemberEnd()) return Bad("claim 'aud' is missing");
  if (aud->value.IsString()) {
    c.audiences.emplace_back(aud->value.GetString(), aud->value.GetStringLength());
  } else {
    RENKEI_RETURN_IF_ERROR(StringList(o, "aud", &c.audiences));
  }
  if (c.audiences.empty()) return Bad("claim 'aud' is empty");
  RENKEI_RETURN_IF_ERROR(NumericDate(o, "iat", true, &t.issued_at, nullptr));
  RENKEI_RETURN_IF_ERROR(NumericDate(o, "exp", true, &t.expires_at, nullptr));
  RENKEI_RETURN_IF_ERROR(NumericDate(o, "nbf", false, &t.not_before, &c.has_nbf));
  RENKEI_RETURN_IF_ERROR(RequiredString(o, "jti", &t.id));
  auto cnf = o.FindMember("cnf");
  if (cnf == o.MemberEnd() || !cnf->value.IsObject()) {
    return Bad("claim 'cnf' is missing or not an object");
  }
  RENKEI_RETURN_IF_ERROR(RequiredString(cnf->value, "x5t#S256", &t.holder_thumbprint));
  RENKEI_RETURN_IF_ERROR(RequiredString(o, "patient", &t.patient));
  RENKEI_RETURN_IF_ERROR(StringList(o, "documents", &t.documents));
  RENKEI_RETURN_IF_ERROR(StringList(o, "repositories", &t.repositories));
  RENKEI_RETURN_IF_ERROR(OptionalString(o, "purpose_of_use", &t.purpose_of_use));
  auto act = o.FindMember("act");
  if (act != o.MemberEnd()) {
    if (!act->value.IsObject()) return Bad("claim 'act' is not an object");
    RENKEI_RETURN_IF_ERROR(RequiredString(act->value, "sub", &t.actor));
    if (t.actor.empty()) return Bad("claim 'act.sub' is empty");
  }
  return c;
}

std::string EncodeJwks(const std::vector<Jwk>& keys) {
  rapidjson::StringBuffer buf;
  Writer w(buf);
  w.StartObject();
  Key(&w, "keys");
  w.StartArray();
  for (const Jwk& k : keys) {
    w.StartObject();
    StrMember(&w, "kty", "EC");
    StrMember(&w, "crv", "P-256");
    StrMember(&w, "x", k.point.x);
    StrMember(&w, "y", k.point.y);
    StrMember(&w, "kid", k.kid);
    StrMember(&w, "use", "sig");
    StrMember(&w, "alg", "ES256");
    w.EndObject();
  }
  w.EndArray();
  w.EndObject();
  return std::string(buf.GetString(), buf.GetSize());
}

Result<std::vector<Jwk>> DecodeJwks(std::string_view json) {
  auto doc = ParseObject(json, "the JWK Set");
  if (!doc.ok()) return Status::InvalidArgument("bad_key", doc.status().message());
  auto keys = doc->FindMember("keys");
  if (keys == doc->MemberEnd() || !keys->value.IsArray()) {
    return Status::InvalidArgument("bad_key", "a JWK Set needs a 'keys' array");
  }
  std::vector<Jwk> out;
  for (const rapidjson::Value& k : keys->value.GetArray()) {
    if (!k.IsObject()) continue;
    std::string kty, crv, use, alg;
    Jwk jwk;
    if (!OptionalString(k, "kty", &kty).ok() || !OptionalString(k, "crv", &crv).ok() ||
        !OptionalString(k, "use", &use).ok() || !OptionalString(k, "alg", &alg).ok() ||
        !OptionalString(k, "x", &jwk.point.x).ok() || !OptionalString(k, "y", &jwk.point.y).ok() ||
        !OptionalString(k, "kid", &jwk.kid).ok()) {
      continue;
    }
    if (kty != "EC" || crv != "P-256" || (!use.empty() && use != "sig") ||
        (!alg.empty() && alg != "ES256")) {
      continue;
    }
    out.push_back(std::move(jwk));
  }
  return out;
}

}  // namespace renkei::trust::internal
