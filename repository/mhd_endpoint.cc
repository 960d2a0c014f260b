// ITI-65 / ITI-68 / metadata over HTTP at the node (repository/mhd_endpoint.h).
#include "repository/mhd_endpoint.h"

#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/URI.h>

#include <cctype>
#include <exception>
#include <fstream>
#include <iterator>
#include <optional>
#include <regex>

#include <rapidjson/document.h>

#include "audit/request_exchange.h"
#include "audit/transaction_events.h"
#include "common/http_client.h"
#include "common/log.h"
#include "common/peer.h"
#include "fhir/fhir_http.h"
#include "profiles/mhd_messages.h"
#include "repository/retrieve_purpose.h"

namespace renkei::repository {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

int HttpStatusOf(const Status& s) {
  if (s.IsInvalidArgument()) return 400;
  if (s.IsUnavailable() || s.code() == StatusCode::kResourceExhausted) return 503;
  if (s.code() == StatusCode::kConflict) return 422;
  return 500;
}

// ---- ATNA (ITI TF-2 Audit Record Considerations of ITI-65 / ITI-68) ----

void Record(const MhdEndpointOptions& options, const audit::AuditEvent& event) {
  if (options.audit != nullptr) options.audit->Record(event);
}

// A refusal by the TicketGuard: Security Alert, Node Authentication, serious failure.
void RecordRefusal(const MhdEndpointOptions& options, HTTPServerRequest& request,
                   const Status& refusal, const std::string& document_unique_id) {
  if (options.audit == nullptr) return;
  audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
  x.outcome = 8;
  x.outcome_description = "ITI-68 access ticket refused: " + refusal.detail();
  if (!document_unique_id.empty()) {
    x.outcome_description += " (document " + document_unique_id + ")";
  }
  Record(options, audit::AuthenticationFailure(x, x.outcome_description));
}

const char* StringMember(const rapidjson::Value& v, const char* name) {
  if (!v.IsObject()) return nullptr;
  auto it = v.FindMember(name);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : nullptr;
}

// The patient (List.subject.reference) and submission set (List.identifier use=usual, else
// List.id) of an ITI-65 Bundle, as sent; empty when the Bundle is not JSON or has no List.
void SubmissionOfBundle(const std::string& bundle, std::string* patient, std::string* ss) {
  rapidjson::Document d;
  d.Parse(bundle.data(), bundle.size());
  if (d.HasParseError() || !d.IsObject()) return;
  auto entries = d.FindMember("entry");
  if (entries == d.MemberEnd() || !entries->value.IsArray()) return;
  for (const rapidjson::Value& e : entries->value.GetArray()) {
    if (!e.IsObject()) continue;
    auto r = e.FindMember("resource");
    if (r == e.MemberEnd() || !r->value.IsObject()) continue;
    const rapidjson::Value& list = r->value;
    const char* type = StringMember(list, "resourceType");
    if (type == nullptr || std::string(type) != "List") continue;
    auto subject = list.FindMember("subject");
    if (subject != list.MemberEnd()) {
      if (const char* ref = StringMember(subject->value, "reference")) *patient = ref;
    }
    auto ids = list.FindMember("identifier");
    if (ids != list.MemberEnd() && ids->value.IsArray()) {
      for (const rapidjson::Value& id : ids->value.GetArray()) {
        const char* use = StringMember(id, "use");
        const char* value = StringMember(id, "value");
        if (use != nullptr && value != nullptr && std::string(use) == "usual") *ss = value;
      }
    }
    if (ss->empty()) {
      if (const char* id = StringMember(list, "id")) *ss = id;
    }
    return;
  }
}

void HandleProvide(MhdRecipient& recipient, const MhdEndpointOptions& options,
                   HTTPServerRequest& request, HTTPServerResponse& response) {
  Result<std::string> bundle = fhir::ReadFhirBody(request, options.max_bundle_bytes);
  if (!bundle.ok()) {
    response.setKeepAlive(false);  // the body may be partly unread
    return fhir::SendBodyError(request, response, bundle.status());
  }
  Result<std::string> answer = recipient.Provide(*bundle);
  if (options.audit != nullptr) {
    audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
    if (!answer.ok()) {
      x.outcome = 8;
      x.outcome_description = answer.status().message();
    }
    std::string patient, submission_set;
    SubmissionOfBundle(*bundle, &patient, &submission_set);
    Record(options, audit::ProvideDocumentBundle(
                        x, audit::Side::kReceiver,
                        audit::PatientCxOfReference(patient, options.regional_domain_oid),
                        submission_set));
  }
  if (!answer.ok()) {
    const Status& s = answer.status();
    LogInfo("mhd: ITI-65 refused: " + s.message());
    return fhir::SendOutcome(request, response, HttpStatusOf(s),
                             s.detail().empty() ? "exception" : s.detail(), s.message());
  }
  fhir::SendFhir(request, response, 200, *answer);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// MHD ITI-68 §3.68.4.1.2: the document itself unless the client asks for a FHIR syntax
// (and not for the document's own type) — then a Binary resource.
bool WantsBinaryResource(const HTTPServerRequest& request, const std::string& mime_type) {
  if (request.getURI().find("_format=") != std::string::npos) return true;
  const std::string accept = request.get("Accept", "");
  const std::string own = Lower(mime_type);
  size_t start = 0;
  while (start < accept.size()) {
    size_t comma = accept.find(',', start);
    if (comma == std::string::npos) comma = accept.size();
    std::string media = Lower(accept.substr(start, comma - start));
    media = media.substr(0, media.find(';'));
    while (!media.empty() && media.back() == ' ') media.pop_back();
    while (!media.empty() && media.front() == ' ') media.erase(0, 1);
    start = comma + 1;
    if (media == own) return false;
    if (media == "application/fhir+json" || media == "application/fhir+xml" ||
        media == "application/json" || media == "application/xml") {
      return true;
    }
  }
  return false;
}

// An access-ticket refusal (docs/access-tickets.md).
void SendTicketRefusal(HTTPServerRequest& request, HTTPServerResponse& response,
                       const Status& refusal) {
  const int status = TicketRefusalHttpStatus(refusal);
  if (status == 401) response.set("WWW-Authenticate", TicketChallenge(refusal));
  fhir::SendOutcome(request, response, status,
                    status == 401 ? "login" : status == 403 ? "forbidden" : "exception",
                    "access ticket refused: " + refusal.detail());
}

void HandleRetrieve(DocumentStore& store, const MhdEndpointOptions& options,
                    HTTPServerRequest& request, HTTPServerResponse& response) {
  const std::string path = request.getURI().substr(0, request.getURI().find_first_of("?#"));
  std::string unique_id;
  try {
    Poco::URI::decode(path.substr(sizeof(kBinaryPrefix) - 1), unique_id);
  } catch (const Poco::Exception&) {
    unique_id.clear();
  }
  if (unique_id.empty() || path.find('/', sizeof(kBinaryPrefix) - 1) != std::string::npos) {
    return fhir::SendOutcome(request, response, 404, "not-found", "no such Binary: " + path);
  }
  std::optional<Admission> admission;
  const Peer& peer = RequestPeer(request);
  if (options.tickets) {
    Result<Admission> a = options.tickets->Admit(peer, request.get("Authorization", ""));
    if (!a.ok()) {
      RecordRefusal(options, request, a.status(), "");
      return SendTicketRefusal(request, response, a.status());
    }
    admission = std::move(a.value());
  }
  Result<StoredDocument> doc = store.Find(unique_id);
  // Another facility learns nothing about documents its ticket does not name: a document
  // not held is "not found" only when the ticket names it.
  if (admission && (doc.ok() || !admission->Names(options.repository_unique_id, unique_id))) {
    Status allowed = options.tickets->Allows(peer, *admission, doc.ok() ? doc->patient_id : "",
                                             options.repository_unique_id, unique_id);
    if (!allowed.ok()) {
      RecordRefusal(options, request, allowed, unique_id);
      return SendTicketRefusal(request, response, allowed);
    }
  }
  if (options.audit != nullptr) {  // the answer is known from here on: the document or 404/500
    audit::Exchange x = audit::RequestExchange(request, options.audit_source_id, options.audit_site);
    if (!doc.ok()) {
      x.outcome = 8;
      x.outcome_description = doc.status().IsNotFound()
                                  ? "no document with uniqueId " + unique_id
                                  : doc.status().message();
    }
    audit::AuditEvent event = audit::RetrieveDocument(x, audit::Side::kSender,
                                                      doc.ok() ? doc->patient_id : "", unique_id);
    event.purpose_of_use = RetrievePurposeOfUse(admission ? &*admission : nullptr);
    Record(options, event);
  }
  if (!doc.ok()) {
    if (doc.status().IsNotFound()) {
      return fhir::SendOutcome(request, response, 404, "not-found",
                               "no document with uniqueId " + unique_id + " in this repository");
    }
    return fhir::SendOutcome(request, response, 500, "exception", doc.status().message());
  }
  if (WantsBinaryResource(request, doc->mime_type)) {
    std::ifstream in(doc->path, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      return fhir::SendOutcome(request, response, 500, "exception", "cannot read the document");
    }
    return fhir::SendFhir(request, response, 200,
                          profiles::BinaryJson(unique_id, doc->mime_type, bytes));
  }
  response.setStatus(Poco::Net::HTTPResponse::HTTP_OK);
  response.setContentType(doc->mime_type.empty() ? "application/octet-stream" : doc->mime_type);
  Status s = SendStreamed(request, response, doc->size, [&](ResponseBodyWriter& w) {
    return w.WriteFile(doc->path, doc->size);
  });
  if (!s.ok()) LogWarning("mhd: ITI-68 answer cut off: " + s.message());
}

// A handler that answers 500 OperationOutcome instead of dying on an exception.
HttpHandler Guarded(HttpHandler h) {
  return [h = std::move(h)](HTTPServerRequest& request, HTTPServerResponse& response) {
    try {
      h(request, response);
    } catch (const std::exception& e) {
      LogError(std::string("mhd: request failed: ") + e.what());
      if (!response.sent()) {
        fhir::SendOutcome(request, response, 500, "exception", "the request failed");
      }
    }
  };
}

}  // namespace

std::string NodeCapabilityStatementJson(const std::string& software_version) {
  std::string version;
  for (char c : software_version) {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-') version += c;
  }
  return R"j({"resourceType":"CapabilityStatement","status":"active","date":"2026-11-26",)j"
         R"j("kind":"instance","instantiates":[)j"
         R"j("https://profiles.ihe.net/ITI/MHD/CapabilityStatement/IHE.MHD.DocumentRecipient"],)j"
         R"j("software":{"name":"Renkei node","version":")j" + version + R"j("},)j"
         R"j("fhirVersion":"4.0.1","format":["application/fhir+json","application/fhir+xml"],)j"
         R"j("implementationGuide":["https://profiles.ihe.net/ITI/MHD/ImplementationGuide/ihe.iti.mhd"],)j"
         R"j("rest":[{"mode":"server","documentation":"IHE MHD 4.2 Document Recipient )j"
         R"j((ITI-65 Provide Document Bundle: POST [base], Comprehensive and Minimal )j"
         R"j(Metadata) and ITI-68 Retrieve Document (GET [base]/Binary/{uniqueId}, the )j"
         R"j(DocumentReference.content.attachment.url)",)j"
         R"j("resource":[{"type":"Binary","documentation":"ITI-68 Retrieve Document",)j"
         R"j("interaction":[{"code":"read"}]}],)j"
         R"j("interaction":[{"code":"transaction",)j"
         R"j("documentation":"ITI-65 Provide Document Bundle"}]}]})j";
}

void AddMhdRoutes(HttpRouter& router, MhdRecipient& recipient, DocumentStore& store,
                  MhdEndpointOptions options) {
  HttpHandler provide = Guarded([&recipient, options](HTTPServerRequest& q, HTTPServerResponse& r) {
    HandleProvide(recipient, options, q, r);
  });
  router.Exact("POST", "/fhir", provide);
  router.Exact("POST", "/fhir/", provide);
  const std::string statement = NodeCapabilityStatementJson(options.software_version);
  router.Exact("GET", "/fhir/metadata",
               Guarded([statement](HTTPServerRequest& q, HTTPServerResponse& r) {
                 fhir::SendFhir(q, r, 200, statement);
               }));
  router.Prefix("GET", kBinaryPrefix,
                Guarded([&store, options](HTTPServerRequest& q, HTTPServerResponse& r) {
                  HandleRetrieve(store, options, q, r);
                }));
  router.Fallback("/fhir/", &fhir::SendUnrouted);
}

PatientReader CentrePatientReader(std::string centre_url, int timeout_seconds,
                                  std::shared_ptr<TlsContext> tls) {
  while (!centre_url.empty() && centre_url.back() == '/') centre_url.pop_back();
  return [centre_url, timeout_seconds, tls](const std::string& id) -> Result<std::string> {
    static const std::regex kFhirId("[A-Za-z0-9\\-\\.]{1,64}");
    if (!std::regex_match(id, kFhirId)) {
      return Status::NotFound("not-found", "'" + id + "' is no FHIR id");
    }
    auto client = HttpClient::Create(centre_url, timeout_seconds, tls);
    if (!client.ok()) return Status::Unavailable("transient", client.status().message());
    auto reply = (*client)->Send("GET", "/fhir/Patient/" + id, "", "",
                                 {{"Accept", "application/fhir+json"}});
    if (!reply.ok()) return Status::Unavailable("transient", reply.status().message());
    if (reply->status == 404 || reply->status == 410) {
      return Status::NotFound("not-found", "the centre does not know Patient/" + id);
    }
    if (reply->status != 200) {
      return Status::Unavailable("transient", "the centre answered HTTP " +
                                                  std::to_string(reply->status) +
                                                  " to GET /fhir/Patient/" + id);
    }
    return std::move(reply->body);
  };
}

}  // namespace renkei::repository
