// The centre's streaming retrieve relay (relay/relay_endpoint.h, docs/relay.md).
#include "relay/relay_endpoint.h"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/URI.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <chrono>
#include <optional>
#include <utility>

#include "common/oid.h"
#include "common/peer.h"
#include "fhir/fhir_http.h"
#include "trust/bearer.h"

namespace renkei::relay {
namespace {

using Poco::Net::HTTPServerRequest;
using Poco::Net::HTTPServerResponse;

constexpr size_t kChunk = 64 * 1024;

// The node paths a consumer may reach through the relay (architecture §9, node table).
constexpr std::array<std::string_view, 4> kNodePaths = {"/xds/repository", "/fhir/",
                                                        "/dicomweb/", "/wado"};

// The node's answer headers passed on (content and caching; hop-by-hop ones, Date and
// Server are the relay's own).
constexpr std::array<const char*, 8> kPassedHeaders = {
    "Content-Disposition", "Content-Location", "ETag",         "Last-Modified",
    "Cache-Control",       "WWW-Authenticate", "Content-Language", "Location"};

int64_t SystemNow() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

bool ContainsNoCase(std::string_view s, std::string_view needle) {
  return std::search(s.begin(), s.end(), needle.begin(), needle.end(), [](char a, char b) {
           return std::tolower(static_cast<unsigned char>(a)) == b;
         }) != s.end();
}

// True for a node path the relay forwards: one of kNodePaths, no dot segments, empty
// segments, backslashes, encoded slashes, dots or backslashes, no control characters.
bool AllowedNodePath(std::string_view path) {
  if (std::none_of(kNodePaths.begin(), kNodePaths.end(),
                   [&](std::string_view p) { return StartsWith(path, p); })) {
    return false;
  }
  for (std::string_view bad : {"%2f", "%2e", "%5c", "%00"}) {
    if (ContainsNoCase(path, bad)) return false;
  }
  if (path.find('\\') != std::string_view::npos || path.find("//") != std::string_view::npos) {
    return false;
  }
  for (char c : path) {
    if (static_cast<unsigned char>(c) < 0x21 || c == 0x7f) return false;
  }
  size_t start = 1;
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    const std::string_view seg = path.substr(start, end - start);
    if (seg == "." || seg == "..") return false;
    start = end + 1;
  }
  return true;
}

// The relay's own error answer, in the protocol of the node path asked for.
void SendRefusal(HTTPServerRequest& request, HTTPServerResponse& response, int status,
                 const std::string& fhir_code, const std::string& text, bool fhir_path) {
  if (fhir_path) {
    fhir::SendOutcome(request, response, status, fhir_code, text);
  } else {
    SendResponse(response, status, "text/plain; charset=utf-8", text + "\n");
  }
}

class Relay {
 public:
  explicit Relay(RelayOptions options) : options_(std::move(options)) {
    if (!options_.clock) options_.clock = SystemNow;
    if (!options_.signer || !options_.node_of || options_.issuer.empty() ||
        options_.relay_facility.empty() || options_.relay_thumbprint.empty()) {
      return;
    }
    trust::VerifierOptions vo;
    vo.audience = options_.relay_facility;  // unused: every check names its target (VerifyFor)
    vo.issuer = options_.issuer;
    auto verifier = trust::TicketVerifier::Create({options_.signer->public_key_pem()}, vo);
    if (verifier.ok()) verifier_.emplace(std::move(verifier.value()));
  }

  void Handle(HTTPServerRequest& request, HTTPServerResponse& response) {
    RelayEvent event;
    event.method = request.getMethod();
    const Peer& peer = RequestPeer(request);
    event.requester = peer.facility_oid;
    Serve(request, response, peer, &event);
    if (options_.on_relay) options_.on_relay(event);
  }

 private:
  void Serve(HTTPServerRequest& request, HTTPServerResponse& response, const Peer& peer,
             RelayEvent* event) {
    // /relay/{oid}{node path}[?query]
    const std::string& uri = request.getURI();
    const std::string_view rest = std::string_view(uri).substr(std::string_view(kRelayPrefix).size());
    const size_t slash = rest.find('/');
    const std::string_view oid = rest.substr(0, slash);
    const std::string_view node_uri =
        slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
    const std::string_view node_path = node_uri.substr(0, node_uri.find('?'));
    event->target = std::string(oid.substr(0, 64));
    event->path = std::string(node_path.substr(0, 512));
    const bool fhir_path = StartsWith(node_path, "/fhir/");
    auto refuse = [&](int status, const std::string& code, Status why) {
      event->status = status;
      event->outcome = std::move(why);
      SendRefusal(request, response, status, code, event->outcome.message(), fhir_path);
    };
    if (!verifier_) {
      return refuse(500, "exception", Status::Internal("relay", "the relay is not configured"));
    }
    if (oid.size() > 64 || !IsOid(oid) || !AllowedNodePath(node_path)) {
      return refuse(400, "invalid",
                    Status::InvalidArgument("relay", "not a relay path: /relay/{facility-oid} "
                                                     "followed by a node path (/xds/repository, "
                                                     "/fhir/…, /dicomweb/…, /wado…)"));
    }
    const std::string target(oid);

    // The consumer's ticket, as the node would check it, for the node it names.
    Result<trust::AccessTicket> ticket = Verify(request, peer, target);
    if (!ticket.ok()) {
      response.set("WWW-Authenticate", trust::TicketChallenge(ticket.status()));
      return refuse(trust::TicketRefusalHttpStatus(ticket.status()), "security", ticket.status());
    }
    event->patient = ticket->patient;
    event->documents = ticket->documents;
    event->purpose_of_use = ticket->purpose_of_use;

    Result<std::string> node = options_.node_of(target);
    if (!node.ok()) {
      const bool unknown = node.status().code() == StatusCode::kNotFound;
      return refuse(unknown ? 404 : 502, unknown ? "not-found" : "transient",
                    unknown ? Status::NotFound("relay", "no node is listed for facility " + target)
                            : node.status());
    }
    std::optional<std::string> body;
    if (request.getMethod() == "POST") {
      Result<std::string> read = ReadRequestBody(request, options_.max_request_bytes);
      if (!read.ok()) return refuse(413, "too-costly", read.status());
      body = std::move(read.value());
    }
    // The relay ticket: the consumer's claims, presented by the centre (act) with its own
    // certificate (cnf), no longer than the consumer's.
    trust::AccessTicket relayed = *ticket;
    relayed.actor = options_.relay_facility;
    relayed.holder_thumbprint = options_.relay_thumbprint;
    relayed.id.clear();
    relayed.issued_at = options_.clock();
    relayed.not_before = 0;
    if (relayed.expires_at <= relayed.issued_at) relayed.expires_at = relayed.issued_at + 1;
    Result<std::string> token = options_.signer->Issue(relayed);
    if (!token.ok()) return refuse(500, "exception", token.status());
    Forward(request, response, *node, std::string(node_uri), body ? &*body : nullptr,
            *token, event);
  }

  Result<trust::AccessTicket> Verify(HTTPServerRequest& request, const Peer& peer,
                                     const std::string& target) const {
    RENKEI_ASSIGN_OR_RETURN(std::string_view token,
                            trust::BearerToken(request.get("Authorization", "")));
    std::string holder = peer.certificate_sha256;
    if (holder.empty() && options_.insecure_holder_is_facility &&
        peer.source != Peer::Source::kCertificate) {
      holder = peer.facility_oid;
    }
    RENKEI_ASSIGN_OR_RETURN(trust::AccessTicket ticket,
                            verifier_->VerifyFor(target, token, holder, options_.clock()));
    // Issued to the consumer itself, and not already a relay ticket.
    if (peer.facility_oid.empty() || ticket.requester != peer.facility_oid ||
        !ticket.actor.empty()) {
      return Status::PermissionDenied(trust::kTicketWrongRequester,
                                      "the access ticket was issued to another facility");
    }
    return ticket;
  }

  void Forward(HTTPServerRequest& request, HTTPServerResponse& response, const std::string& node,
               const std::string& node_uri, const std::string* body, const std::string& token,
               RelayEvent* event) {
    const bool fhir_path = StartsWith(node_uri, "/fhir/");
    bool answering = false;  // once the node's status line went to the consumer
    try {
      Poco::URI base(node);
      std::unique_ptr<Poco::Net::HTTPClientSession> session;
      if (base.getScheme() == "https") {
        if (!options_.tls) throw Poco::Net::NetException("no TLS client context for " + node);
        session = std::make_unique<Poco::Net::HTTPSClientSession>(
            base.getHost(), base.getPort(), Poco::Net::Context::Ptr(options_.tls->context(), true));
      } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(base.getHost(), base.getPort());
      }
      session->setTimeout(Poco::Timespan(options_.timeout_seconds, 0));
      Poco::Net::HTTPRequest out(request.getMethod(), node_uri, Poco::Net::HTTPMessage::HTTP_1_1);
      out.setHost(base.getHost(), base.getPort());
      for (const char* h : {"Content-Type", "Accept", "Accept-Language", "If-None-Match",
                            "If-Modified-Since", "Range"}) {
        if (request.has(h)) out.set(h, request.get(h));
      }
      out.set("Authorization", "Bearer " + token);
      if (!options_.tls) out.set(kFacilityTestHeader, options_.relay_facility);
      if (body != nullptr) {
        out.setContentLength64(static_cast<Poco::Int64>(body->size()));
        session->sendRequest(out).write(body->data(), static_cast<std::streamsize>(body->size()));
      } else {
        session->sendRequest(out);
      }
      Poco::Net::HTTPResponse in;
      std::istream& from = session->receiveResponse(in);
      answering = true;
      event->status = static_cast<int>(in.getStatus());
      response.setStatusAndReason(in.getStatus(), in.getReason());
      if (in.has("Content-Type")) response.setContentType(in.getContentType());
      for (const char* h : kPassedHeaders) {
        if (in.has(h)) response.set(h, in.get(h));
      }
      Stream(request, response, in, from, event);
    } catch (const Poco::TimeoutException& e) {
      if (!answering) {
        event->outcome = Status::Unavailable("relay", "the node timed out: " + e.displayText());
        event->status = 504;
        SendRefusal(request, response, 504, "timeout", event->outcome.message(), fhir_path);
      } else {
        event->outcome = Status::Unavailable("relay", "the node stopped answering");
      }
    } catch (const Poco::Exception& e) {
      if (!answering) {
        event->outcome = Status::Unavailable("relay", "the node could not be reached: " +
                                                          e.displayText());
        event->status = 502;
        SendRefusal(request, response, 502, "transient", event->outcome.message(), fhir_path);
      } else {
        event->outcome = Status::Unavailable("relay", "the node's answer broke off: " +
                                                          e.displayText());
      }
    }
  }

  // The node's body to the consumer through one fixed buffer: with its Content-Length when
  // the node gave one (a short read shuts the consumer's connection: never a wrong answer),
  // else chunked.
  void Stream(HTTPServerRequest& request, HTTPServerResponse& response,
              const Poco::Net::HTTPResponse& in, std::istream& from, RelayEvent* event) {
    std::string buffer(kChunk, '\0');
    if (in.hasContentLength()) {
      const uint64_t length = static_cast<uint64_t>(in.getContentLength64());
      Status sent = SendStreamed(request, response, length, [&](ResponseBodyWriter& w) {
        uint64_t left = length;
        while (left > 0) {
          from.read(buffer.data(), static_cast<std::streamsize>(std::min<uint64_t>(left, kChunk)));
          const std::streamsize n = from.gcount();
          if (n <= 0) return Status::Unavailable("relay", "the node's answer broke off");
          RENKEI_RETURN_IF_ERROR(w.Write(std::string_view(buffer.data(), static_cast<size_t>(n))));
          event->bytes += static_cast<uint64_t>(n);
          left -= static_cast<uint64_t>(n);
        }
        return Status::Ok();
      });
      if (!sent.ok()) event->outcome = sent;
      return;
    }
    response.setChunkedTransferEncoding(true);
    std::ostream& to = response.send();
    while (from) {
      from.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const std::streamsize n = from.gcount();
      if (n <= 0) break;
      to.write(buffer.data(), n);
      event->bytes += static_cast<uint64_t>(n);
    }
    to.flush();
  }

  RelayOptions options_;
  std::optional<trust::TicketVerifier> verifier_;
};

}  // namespace

HttpHandler MakeRelayHandler(RelayOptions options) {
  auto relay = std::make_shared<Relay>(std::move(options));
  return [relay](HTTPServerRequest& request, HTTPServerResponse& response) {
    relay->Handle(request, response);
  };
}

void AddRelayRoutes(HttpRouter& router, RelayOptions options) {
  HttpHandler handler = MakeRelayHandler(std::move(options));
  router.Prefix("GET", kRelayPrefix, handler);
  router.Prefix("POST", kRelayPrefix, handler);
}

Result<std::string> OriginOf(const std::string& url) {
  try {
    Poco::URI uri(url);
    if ((uri.getScheme() != "http" && uri.getScheme() != "https") || uri.getHost().empty()) {
      return Status::InvalidArgument("url", "not an absolute http(s) URL: " + url);
    }
    return uri.getScheme() + "://" + uri.getAuthority();
  } catch (const Poco::Exception& e) {
    return Status::InvalidArgument("url", "malformed URL '" + url + "': " + e.displayText());
  }
}

}  // namespace renkei::relay
