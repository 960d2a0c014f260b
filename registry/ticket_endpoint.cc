// ITI-71-style token endpoint: IUA access tickets at the centre (registry/ticket_endpoint.h;
// RFC 6749 §4.4, §5; RFC 8705).
#include "registry/ticket_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>

#include <cctype>
#include <chrono>
#include <exception>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "common/log.h"
#include "common/peer.h"
#include "common/utc_time.h"
#include "registry/query_access.h"
#include "xds/xds_constants.h"

namespace renkei::registry {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr char kGrantClientCredentials[] = "client_credentials";
constexpr size_t kMaxParamBytes = 256;

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void AppendJsonString(std::string* out, const std::string& s) {
  out->push_back('"');
  for (unsigned char c : s) {
    switch (c) {
      case '"':
        out->append("\\\"");
        break;
      case '\\':
        out->append("\\\\");
        break;
      case '\n':
        out->append("\\n");
        break;
      case '\r':
        out->append("\\r");
        break;
      case '\t':
        out->append("\\t");
        break;
      default:
        if (c < 0x20) {
          static const char kHex[] = "0123456789abcdef";
          out->append("\\u00");
          out->push_back(kHex[c >> 4]);
          out->push_back(kHex[c & 15]);
        } else {
          out->push_back(static_cast<char>(c));
        }
    }
  }
  out->push_back('"');
}

// A refusal: HTTP status, RFC 6749 §5.2 error code (also the Status detail) and description.
struct Refusal {
  int http;
  std::string error;
  std::string description;
};

Status ToStatus(const Refusal& r) {
  switch (r.http) {
    case 401:
    case 403:
      return Status::PermissionDenied(r.error, r.description);
    case 413:
      return Status::ResourceExhausted(r.error, r.description);
    case 503:
      return Status::Unavailable(r.error, r.description);
    case 500:
      return Status::Internal(r.error, r.description);
    default:
      return Status::InvalidArgument(r.error, r.description);
  }
}

void SendJson(HTTPServerResponse& response, int status, const std::string& content_type,
              const std::string& body) {
  // RFC 6749 §5.1: token answers are never cached.
  response.set("Cache-Control", "no-store");
  response.set("Pragma", "no-cache");
  SendResponse(response, status, content_type, body);
}

void SendRefusal(HTTPServerResponse& response, const Refusal& r) {
  std::string body = "{\"error\":";
  AppendJsonString(&body, r.error);
  body += ",\"error_description\":";
  AppendJsonString(&body, r.description);
  body += "}";
  SendJson(response, r.http, "application/json", body);
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// application/x-www-form-urlencoded (HTML 4.01 §17.13.4, WHATWG URL §5): '+' is a space,
// %XX a byte. False on a bad escape.
bool FormDecode(std::string_view in, std::string* out) {
  out->clear();
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out->push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int hi = HexValue(in[i + 1]), lo = HexValue(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out->push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out->push_back(in[i]);
    }
  }
  return true;
}

using Form = std::multimap<std::string, std::string>;

Result<Form> ParseForm(std::string_view body) {
  Form form;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string_view::npos) end = body.size();
    std::string_view pair = body.substr(start, end - start);
    if (!pair.empty()) {
      const size_t eq = pair.find('=');
      std::string name, value;
      if (!FormDecode(pair.substr(0, eq), &name) ||
          (eq != std::string_view::npos && !FormDecode(pair.substr(eq + 1), &value))) {
        return Status::InvalidArgument("invalid_request", "the form has a malformed %-escape");
      }
      form.emplace(std::move(name), std::move(value));
    }
    start = end + 1;
  }
  return form;
}

// A parameter value usable in a stored query and a ticket: 1..kMaxParamBytes printable
// ASCII characters.
bool PlainValue(const std::string& v) {
  if (v.empty() || v.size() > kMaxParamBytes) return false;
  for (unsigned char c : v) {
    if (c <= 0x20 || c >= 0x7f) return false;
  }
  return true;
}

// The one value of `name`; absent → "" (ok), repeated → refusal.
Result<std::string> Single(const Form& form, const char* name) {
  auto [lo, hi] = form.equal_range(name);
  if (lo == hi) return std::string();
  if (std::next(lo) != hi) {
    return Status::InvalidArgument("invalid_request",
                                   std::string("the parameter ") + name + " is repeated");
  }
  return lo->second;
}

std::string QuotedList(const std::vector<std::string>& values) {
  std::string out = "(";
  for (size_t i = 0; i < values.size(); ++i) {
    if (i) out += ",";
    out += "'";
    for (char c : values[i]) out += c == '\'' ? std::string("''") : std::string(1, c);
    out += "'";
  }
  return out + ")";
}

class TokenIssuer {
 public:
  TokenIssuer(DocumentRegistry& registry, TicketIssuerOptions options)
      : registry_(registry), options_(std::move(options)) {
    if (!options_.clock) options_.clock = SystemNow;
    if (!options_.access_of) {
      LogWarning(
          "tickets: no access_of (disclosure policy) is set: tickets issued under "
          "break-glass are not marked BTG, and BTG is refused");
    }
  }

  void Handle(HTTPServerRequest& request, HTTPServerResponse& response) {
    TicketIssueEvent event;
    std::string answer;
    std::optional<Refusal> refused = Issue(request, &event, &answer);
    event.outcome = refused ? ToStatus(*refused) : Status::Ok();
    if (refused) event.tickets.clear();
    if (options_.on_issue) {
      try {
        options_.on_issue(event);
      } catch (const std::exception& e) {
        LogError(std::string("tickets: on_issue failed: ") + e.what());
      }
    }
    if (refused) {
      if (refused->http >= 500) {
        LogWarning("tickets: " + refused->error + ": " + refused->description);
      }
      return SendRefusal(response, *refused);
    }
    SendJson(response, 200, "application/json", answer);
  }

 private:
  std::optional<Refusal> Issue(HTTPServerRequest& request, TicketIssueEvent* event,
                               std::string* answer) {
    if (!options_.signer || options_.issuer.empty() || !options_.holder_of) {
      return Refusal{500, "server_error", "the token endpoint is not configured"};
    }
    const Peer& peer = RequestPeer(request);
    event->requester = peer.facility_oid;
    if (peer.facility_oid.empty()) {
      return Refusal{401, "invalid_client", "the requesting facility is not known"};
    }
    std::string holder = peer.certificate_sha256;
    if (holder.empty() && options_.insecure_holder_is_facility &&
        peer.source != Peer::Source::kCertificate) {
      holder = peer.facility_oid;
    }
    if (holder.empty()) {
      return Refusal{400, "invalid_request",
                     "access tickets are bound to a TLS client certificate; none was presented"};
    }
    event->holder = holder;

    std::string media = request.getContentType();
    media = media.substr(0, media.find(';'));
    while (!media.empty() && media.back() == ' ') media.pop_back();
    for (char& c : media) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (media != "application/x-www-form-urlencoded") {
      return Refusal{400, "invalid_request",
                     "the request must be application/x-www-form-urlencoded"};
    }
    Result<std::string> body = ReadRequestBody(request, options_.max_body_bytes);
    if (!body.ok()) {
      if (body.status().code() == StatusCode::kResourceExhausted) {
        return Refusal{413, "invalid_request", "the request body is too large"};
      }
      return Refusal{400, "invalid_request", "the request body could not be read"};
    }
    Result<Form> form = ParseForm(*body);
    if (!form.ok()) return Refusal{400, "invalid_request", form.status().message()};

    std::string grant, patient, purpose;
    for (auto [name, out] : {std::pair<const char*, std::string*>{"grant_type", &grant},
                             {"patient", &patient},
                             {"purpose_of_use", &purpose}}) {
      Result<std::string> v = Single(*form, name);
      if (!v.ok()) return Refusal{400, "invalid_request", v.status().message()};
      *out = std::move(v.value());
    }
    auto [dlo, dhi] = form->equal_range("document");
    std::vector<std::string> documents;
    std::set<std::string> seen;
    for (auto it = dlo; it != dhi; ++it) {
      if (seen.insert(it->second).second) documents.push_back(it->second);
    }
    event->patient = patient;
    event->documents = documents;
    event->purpose_of_use = purpose;
    event->requested_purpose_of_use = purpose;

    if (grant.empty()) return Refusal{400, "invalid_request", "grant_type is required"};
    if (grant != kGrantClientCredentials) {
      return Refusal{400, "unsupported_grant_type", "only client_credentials is supported"};
    }
    if (!PlainValue(patient)) {
      return Refusal{400, "invalid_request", "patient (a regional CX) is required"};
    }
    if (!purpose.empty() && !PlainValue(purpose)) {
      return Refusal{400, "invalid_request", "purpose_of_use is malformed"};
    }
    if (documents.empty()) {
      return Refusal{400, "invalid_request", "at least one document (uniqueId) is required"};
    }
    if (documents.size() > options_.max_documents) {
      return Refusal{
          400, "invalid_request",
          "at most " + std::to_string(options_.max_documents) + " documents per request"};
    }
    for (const std::string& d : documents) {
      if (!PlainValue(d)) return Refusal{400, "invalid_request", "a document id is malformed"};
    }

    // ITI-18 GetDocuments as the requester: the disclosure filter decides.
    xds::AdhocQueryRequest query;
    query.query_id = xds::kSqGetDocuments;
    query.return_type = xds::kReturnTypeLeafClass;
    query.params.push_back(xds::Slot{xds::kSqpDocUniqueId, "", {QuotedList(documents)}});
    QueryAnswer found = registry_.StoredQuery(query, RequestContext{peer.facility_oid});
    if (!found.errors.empty()) {
      const bool busy = found.errors[0].error_code == "XDSRegistryError" ||
                        found.errors[0].error_code == "XDSRegistryBusy" ||
                        found.errors[0].error_code == "XDSRegistryNotAvailable";
      LogWarning("tickets: GetDocuments answered " + found.errors[0].error_code + ": " +
                 found.errors[0].code_context);
      return busy ? Refusal{503, "temporarily_unavailable", "the registry could not answer"}
                  : Refusal{500, "server_error", "the registry could not answer"};
    }
    std::map<std::string, const StoredObject*> by_uid;
    for (const StoredObject& o : found.objects) {
      if (o.kind == EntryKind::kDocumentEntry) by_uid.emplace(o.unique_id, &o);
    }
    for (const std::string& d : documents) {
      if (!by_uid.count(d)) {
        return Refusal{403, "access_denied",
                       "the requester may not fetch every document asked for"};
      }
    }
    // repository → its documents, in request order.
    std::map<std::string, std::vector<std::string>> by_repository;
    std::vector<std::string> repository_order;
    for (const std::string& d : documents) {
      const StoredObject& o = *by_uid.at(d);
      if (o.patient_id != patient) {
        return Refusal{400, "invalid_request", "document " + d + " is not of that patient"};
      }
      if (o.repository_unique_id.empty()) {
        LogError("tickets: DocumentEntry " + o.id + " has no repositoryUniqueId");
        return Refusal{500, "server_error", "a document's repository is not known"};
      }
      auto [it, added] = by_repository.try_emplace(o.repository_unique_id);
      if (added) repository_order.push_back(o.repository_unique_id);
      it->second.push_back(d);
    }
    // Break-glass: which repositories' tickets hold a document seen only through it.
    std::set<std::string> break_glass_repositories;
    if (std::optional<Refusal> r = SortByFooting(peer.facility_oid, patient, purpose, documents,
                                                 by_uid, &break_glass_repositories)) {
      return r;
    }
    if (!break_glass_repositories.empty()) event->purpose_of_use = trust::kPurposeBreakGlass;

    const int64_t now = options_.clock();
    std::string tickets_json;
    std::string first;
    for (const std::string& rid : repository_order) {
      Result<std::string> audience = options_.holder_of(rid);
      if (!audience.ok() || audience->empty()) {
        LogError("tickets: no holder for repository " + rid + ": " + audience.status().ToString());
        return Refusal{500, "server_error", "a document's holder is not known"};
      }
      trust::AccessTicket t;
      t.issuer = options_.issuer;
      t.requester = peer.facility_oid;
      t.audience = *audience;
      t.issued_at = now;
      t.expires_at = now + options_.lifetime_seconds;
      t.holder_thumbprint = holder;
      t.patient = patient;
      t.documents = by_repository[rid];
      t.purpose_of_use =
          break_glass_repositories.count(rid) ? std::string(trust::kPurposeBreakGlass) : purpose;
      trust::AccessTicket issued;
      Result<std::string> jwt = options_.signer->Issue(t, &issued);
      if (!jwt.ok()) {
        LogError("tickets: cannot sign: " + jwt.status().ToString());
        return Refusal{500, "server_error", "the ticket could not be signed"};
      }
      if (first.empty()) first = *jwt;
      if (!tickets_json.empty()) tickets_json += ",";
      tickets_json += "{\"audience\":";
      AppendJsonString(&tickets_json, t.audience);
      tickets_json += ",\"repository\":";
      AppendJsonString(&tickets_json, rid);
      tickets_json += ",\"access_token\":";
      AppendJsonString(&tickets_json, *jwt);
      tickets_json += ",\"documents\":[";
      for (size_t i = 0; i < t.documents.size(); ++i) {
        if (i) tickets_json += ",";
        AppendJsonString(&tickets_json, t.documents[i]);
      }
      tickets_json += "]}";
      event->tickets.push_back(std::move(issued));
    }
    *answer = "{\"access_token\":";
    AppendJsonString(answer, first);
    *answer +=
        ",\"token_type\":\"Bearer\",\"expires_in\":" + std::to_string(options_.lifetime_seconds) +
        ",\"tickets\":[" + tickets_json + "]}";
    return std::nullopt;
  }

  // Sets `break_glass_repositories` to the repositories of the documents `requester` sees
  // only through a break-glass window (docs/access-tickets.md "Break-glass"). A refusal when
  // BTG is asked without a window in force, when a document has no footing left (the window
  // closed since the registry answered), or when access_of fails.
  std::optional<Refusal> SortByFooting(const std::string& requester, const std::string& patient,
                                       const std::string& purpose,
                                       const std::vector<std::string>& documents,
                                       const std::map<std::string, const StoredObject*>& by_uid,
                                       std::set<std::string>* break_glass_repositories) {
    const bool asks_break_glass = purpose == trust::kPurposeBreakGlass;
    bool others = false;
    for (const std::string& d : documents) others |= by_uid.at(d)->submitter != requester;
    if (!others && !asks_break_glass) return std::nullopt;  // own records only
    if (!options_.access_of) {  // no break-glass can be confirmed (see access_of)
      if (!asks_break_glass) return std::nullopt;
      return Refusal{403, "access_denied",
                     "purpose_of_use BTG needs a break-glass access in force for this patient"};
    }

    Result<directory::PatientAccess> access = options_.access_of(requester, patient);
    if (!access.ok()) {
      LogWarning("tickets: the disclosure policy could not answer: " + access.status().ToString());
      return access.status().code() == StatusCode::kUnavailable
                 ? Refusal{503, "temporarily_unavailable", "the disclosure policy could not answer"}
                 : Refusal{500, "server_error", "the disclosure policy could not answer"};
    }
    if (asks_break_glass && !access->break_glass) {
      return Refusal{403, "access_denied",
                     "purpose_of_use BTG needs a break-glass access in force for this patient"};
    }
    directory::PatientAccess ordinary = *access;  // the same access without break-glass
    ordinary.requester = requester;
    ordinary.break_glass = false;
    for (const std::string& d : documents) {
      const StoredObject& o = *by_uid.at(d);
      if (ordinary.Allows(o.submitter, ClassCodeOf(o))) continue;
      if (!access->break_glass) {
        return Refusal{403, "access_denied",
                       "the requester may not fetch every document asked for"};
      }
      break_glass_repositories->insert(o.repository_unique_id);
    }
    return std::nullopt;
  }

  DocumentRegistry& registry_;
  TicketIssuerOptions options_;
};

}  // namespace

std::function<Result<directory::PatientAccess>(const std::string&, const std::string&)>
AccessFromPolicy(const directory::DisclosurePolicy& policy) {
  const directory::DisclosurePolicy* p = &policy;
  return [p](const std::string& requester, const std::string& patient) {
    // The instant form the registry's stored queries pass (registry/stored_query.cc).
    return p->AccessOf(requester, patient, UtcNow("%Y%m%d%H%M%S"));
  };
}

HttpHandler MakeTicketHandler(DocumentRegistry& registry, TicketIssuerOptions options) {
  auto issuer = std::make_shared<TokenIssuer>(registry, std::move(options));
  return [issuer](HTTPServerRequest& request, HTTPServerResponse& response) {
    try {
      issuer->Handle(request, response);
    } catch (const std::exception& e) {
      LogError(std::string("tickets: request failed: ") + e.what());
      if (!response.sent()) {
        SendRefusal(response, Refusal{500, "server_error", "the request failed"});
      }
    }
  };
}

HttpHandler MakeJwksHandler(std::shared_ptr<const trust::TicketSigner> signer) {
  return [signer](HTTPServerRequest&, HTTPServerResponse& response) {
    if (!signer) {
      return SendResponse(response, 404, "application/json",
                          "{\"error\":\"not_found\",\"error_description\":\"no ticket key\"}");
    }
    response.set("Cache-Control", "max-age=300");
    SendResponse(response, 200, "application/jwk-set+json", signer->jwks());
  };
}

void AddTicketRoutes(HttpRouter& router, DocumentRegistry& registry, TicketIssuerOptions options) {
  std::shared_ptr<const trust::TicketSigner> signer = options.signer;
  router.Exact("POST", kTokenPath, MakeTicketHandler(registry, std::move(options)));
  router.Exact("GET", kJwksPath, MakeJwksHandler(std::move(signer)));
}

}  // namespace renkei::registry
