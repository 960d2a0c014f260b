// `renkei centre`: the streaming retrieve relay's wiring (apps/centre_relay.h).
#include "apps/centre_relay.h"

#include "common/log.h"
#include "relay/relay_endpoint.h"

namespace renkei::apps {

std::vector<ConfigKey> RelayConfigKeys() {
  return {
      {"relay.facility", ConfigType::kString, "\"\"",
       "insecure loopback only: the centre's facility OID as the relay (/relay/{facility-oid}/…) "
       "names itself to the nodes; empty = no relay in that mode (with TLS: always the "
       "facility of the centre's certificate)"},
      {"relay.timeout_seconds", ConfigType::kInt, "60",
       "how long the relay waits for a node's answer (each read)"},
  };
}

namespace {

// The base URL of facility `oid`'s node: the origin of its first listed ITI-43, ITI-68 or
// DICOMweb endpoint. NotFound for an unknown or inactive facility or one without endpoints.
Result<std::string> NodeOf(directory::DirectoryStore& directory, const std::string& oid) {
  Result<directory::Facility> facility = directory.GetFacility(oid);
  if (!facility.ok()) return facility.status();
  if (!facility->active) return Status::NotFound("directory", "facility " + oid + " is inactive");
  RENKEI_ASSIGN_OR_RETURN(std::vector<directory::Endpoint> endpoints,
                          directory.ListEndpoints(oid));
  for (const directory::Endpoint& e : endpoints) {
    if (e.kind == directory::EndpointKind::kIti41 || e.url.empty()) continue;
    return relay::OriginOf(e.url);
  }
  return Status::NotFound("directory", "no node endpoint is listed for facility " + oid);
}

void Record(const relay::RelayEvent& e, audit::AuditSink* transactions, audit::AuditSink* alerts,
            audit::Exchange x) {
  x.requesting_facility = e.requester;
  x.requester_user_id = e.requester;
  const std::string what = e.method + " " + e.path + " relayed to " + e.target;
  if (!e.outcome.ok() && e.status == 401) {
    x.outcome = 8;
    x.outcome_description = "relay: access ticket refused: " + e.outcome.detail() + " (" +
                            what + ")";
    if (alerts != nullptr) alerts->Record(audit::AuthenticationFailure(x, x.outcome_description));
    return;
  }
  std::vector<audit::DocumentRef> docs;
  for (const std::string& d : e.documents) docs.push_back({d, "", ""});
  if (!e.outcome.ok()) {
    x.outcome = 8;
    x.outcome_description = what + ": " + e.outcome.message();
  } else if (e.status >= 400) {
    x.outcome = 4;
    x.outcome_description = what + ": the node answered HTTP " + std::to_string(e.status);
  } else {
    x.outcome_description = what + ": HTTP " + std::to_string(e.status) + ", " +
                            std::to_string(e.bytes) + " bytes";
  }
  if (transactions != nullptr) {
    transactions->Record(audit::Disclosure(x, e.patient, e.requester, docs));
  }
}

}  // namespace

Status AddCentreRelay(HttpRouter& router, const Config& config, const RoleTls& tls,
                      directory::DirectoryStore& directory,
                      std::shared_ptr<const trust::TicketSigner> signer, const std::string& issuer,
                      audit::AuditSink* transactions, audit::AuditSink* alerts,
                      const audit::Exchange& self) {
  relay::RelayOptions o;
  o.timeout_seconds = static_cast<int>(config.GetInt("relay.timeout_seconds"));
  if (o.timeout_seconds < 1) {
    return Status::InvalidArgument("config", "config key 'relay.timeout_seconds': must be >= 1",
                                   "relay.timeout_seconds");
  }
  if (!signer) {
    LogInfo("centre: no relay (/relay/): it needs tickets.key_file");
    return Status::Ok();
  }
  if (tls.insecure()) {
    o.relay_facility = config.GetString("relay.facility");
    o.relay_thumbprint = o.relay_facility;  // tickets bound to the facility OID (insecure)
    o.insecure_holder_is_facility = true;
    if (o.relay_facility.empty()) {
      LogInfo("centre: no relay (/relay/) in insecure loopback mode without relay.facility");
      return Status::Ok();
    }
  } else {
    o.relay_facility = tls.self().facility_oid;
    o.relay_thumbprint = tls.self().certificate_sha256;
    o.tls = tls.client();
  }
  o.signer = std::move(signer);
  o.issuer = issuer;
  o.node_of = [&directory](const std::string& oid) { return NodeOf(directory, oid); };
  o.on_relay = [transactions, alerts, self](const relay::RelayEvent& e) {
    Record(e, transactions, alerts, self);
  };
  relay::AddRelayRoutes(router, std::move(o));
  return Status::Ok();
}

}  // namespace renkei::apps
