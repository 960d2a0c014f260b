// `renkei centre`: wires the centre's stores, services and endpoints (composition root).
#include "apps/centre.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <iostream>
#include <map>
#include <tuple>

#include "apps/centre_relay.h"
#include "apps/role.h"
#include "trust/crl_endpoint.h"
#include "common/http_server.h"
#include "common/log.h"
#include "audit/audit_endpoint.h"
#include "audit/audit_sink.h"
#include "audit/buffered_store_sink.h"
#include "audit/audit_store.h"
#include "audit/syslog_receiver.h"
#include "audit/transaction_events.h"
#include "common/patient_id_source.h"
#include "directory/directory_endpoint.h"
#include "directory/directory_store.h"
#include "directory/policy.h"
#include "pix/capability_statement.h"
#include "pix/hl7_pix_service.h"
#include "pix/mllp.h"
#include "pix/patient_feed_endpoint.h"
#include "pix/pdqm_endpoint.h"
#include "pix/pixm_endpoint.h"
#include "pix/fhir_http.h"
#include "pix/regional_patient_ids.h"
#include "pix/sqlite_identity_store.h"
#include "profiles/code_sets.h"
#include "registry/document_registry.h"
#include "registry/mhd_endpoint.h"
#include "registry/mhd_responder.h"
#include "registry/registry_endpoint.h"
#include "registry/ticket_endpoint.h"
#include "trust/access_ticket.h"
#include "registry/sqlite_registry_store.h"

namespace renkei::apps {

const std::vector<ConfigKey>& CentreConfigSchema() {
  static const std::vector<ConfigKey> kSchema = JoinKeys({{
      {"data_dir", ConfigType::kString, "\"./var/centre\"",
       "where the centre keeps its stores (created if missing, reused if present)"},
      {"http.listen", ConfigType::kString, "\"127.0.0.1:8080\"",
       "host:port of the HTTP(S) listener; port 0 picks a free port"},
      {"http.max_threads", ConfigType::kInt, "64",
       "request threads (one per busy keep-alive connection)"},
      {"soap.max_request_bytes", ConfigType::kInt, "67108864",
       "largest SOAP request accepted; larger ones get a SOAP Fault (HTTP 413)"},
      {"soap.max_xml_depth", ConfigType::kInt, "64",
       "deepest XML element nesting accepted in a SOAP request"},
  }, TlsConfigKeys("centre"), {
      {"mllp.listen", ConfigType::kString, "\"127.0.0.1:2575\"",
       "host:port of the HL7 v2 MLLP listener (ITI-8 feed, ITI-9 PIX query); port 0 picks one"},
      {"mllp.max_message_bytes", ConfigType::kInt, "1048576",
       "largest HL7 message accepted; a larger frame closes the connection"},
      {"mllp.idle_timeout_seconds", ConfigType::kInt, "60",
       "an MLLP connection silent this long (also in mid-message) is closed"},
      {"pix.regional_domain.oid", ConfigType::kString, "\"1.2.392.200119.6.102.1\"",
       "the regional patient-ID domain; XDS patientId is id^^^&oid&ISO in it"},
      {"pix.regional_domain.id_prefix", ConfigType::kString, "\"R\"",
       "regional IDs the PIX Manager assigns: this prefix and 10 digits"},
      {"pix.domains", ConfigType::kStringList, "[]",
       "\"NAMESPACE=OID\" for assigning authorities that senders name by namespace only"},
      {"pix.facility_domains", ConfigType::kStringList, "[]",
       "\"FACILITY=OID\": the domain of ids without an assigning authority sent by MSH-4 FACILITY"},
      {"registry.readers", ConfigType::kInt, "8",
       "database connections answering queries at once; more than the cores pays when the "
       "store is larger than memory (a query waiting for the disk holds its connection)"},
      {"registry.prewarm", ConfigType::kBool, "true",
       "after start, read the fragments and the uniqueId and patient indexes once in the "
       "background (logs 'registry: prewarmed ...' at info level when done)"},
      {"registry.known_patient_ids", ConfigType::kStringList, "[]",
       "patient IDs (CX) the registry accepts until the PIX Manager feeds them"},
      {"registry.code_sets", ConfigType::kStringList, "[]",
       "affinity-domain code-set JSON files; empty = the built-in region and conformance sets"},
      {"registry.check_codes", ConfigType::kBool, "true",
       "refuse coded values that are not in the code sets (XDSRegistryMetadataError)"},
      {"registry.max_query_results", ConfigType::kInt, "10000",
       "largest stored-query answer; more gives XDSTooManyResults (0 = no limit)"},
      {"registry.home_community_id", ConfigType::kString, "\"\"",
       "homeCommunityId written on query answers (urn:oid:...); empty = none"},
      {"registry.default_facility", ConfigType::kString, "\"\"",
       "insecure loopback only: the requesting facility when no X-Renkei-Facility header"},
      {"mhd.repositories", ConfigType::kStringList, "[]",
       "\"REPOSITORY_UNIQUE_ID=NODE_BASE_URL\" (e.g. 1.2.3=https://node.example:8443): the node "
       "holding each repository's documents, for DocumentReference attachment.url (ITI-68)"},
      {"mhd.document_url_template", ConfigType::kString, "\"{node}/fhir/Binary/{uniqueId}\"",
       "the ITI-68 Retrieve Document URL of a document: {node} (from mhd.repositories), "
       "{repositoryUniqueId} and {uniqueId} (percent-encoded) are replaced; a document of a "
       "repository not listed gets no attachment.url when the template uses {node}"},
      {"audit.syslog.listen", ConfigType::kString, "\"\"",
       "host:port of the ITI-20 syslog listener (RFC 5425: TLS, octet-counted frames of "
       "DICOM audit messages); empty = off (FHIR AuditEvent POST at /fhir/AuditEvent is "
       "always on)"},
      {"tickets.key_file", ConfigType::kString, "\"\"",
       "PEM EC P-256 key signing the access tickets (`renkei ca ticket-key --out FILE`); "
       "empty = no token endpoint (POST /oauth2/token, GET /.well-known/jwks.json)"},
      {"tickets.issuer", ConfigType::kString, "\"\"",
       "the tickets' iss; empty = the centre's base URL"},
      {"tickets.lifetime_seconds", ConfigType::kInt, "300", "how long an access ticket is valid"},
      {"audit.readers", ConfigType::kStringList, "[]",
       "facility OIDs that read every audit record (ITI-81); others read only the records "
       "naming them; empty = the centre's own facility (its certificate's)"},
      {"directory.break_glass_minutes", ConfigType::kInt, "30",
       "how long an emergency (break-glass) access lasts, in minutes"},
      {"directory.class_systems", ConfigType::kStringList, "[]",
       "classCode systems (FHIR system URIs) a Consent's provision.class may use; empty = "
       "the region's classCode scheme"},
      {"log.level", ConfigType::kString, "\"info\"", "debug | info | warning | error"},
  }, RelayConfigKeys()});
  return kSchema;
}

struct Centre::Impl {
  std::unique_ptr<RoleTls> tls;  // first: outlives the listeners using its contexts
  std::unique_ptr<pix::SqliteIdentityStore> identities;
  std::unique_ptr<pix::Hl7PixService> hl7;
  std::unique_ptr<mllp::MllpServer> mllp;
  std::unique_ptr<ConfiguredPatientIds> configured_patients;
  std::unique_ptr<pix::RegionalPatientIds> patients;
  std::unique_ptr<profiles::CodeSets> codes;
  std::unique_ptr<audit::AuditStore> audit;  // the Audit Record Repository (ITI-20, ITI-81)
  std::unique_ptr<audit::StoreSink> audit_sink;
  std::unique_ptr<audit::BufferedStoreSink> txn_audit;  // after `audit`: destroyed first
  std::unique_ptr<audit::SyslogReceiver> syslog;
  std::unique_ptr<directory::DirectoryStore> directory;
  std::unique_ptr<directory::StorePolicy> policy;
  std::unique_ptr<directory::StoreRepositoryDirectory> repositories;
  std::unique_ptr<registry::SqliteRegistryStore> store;
  std::unique_ptr<registry::DocumentRegistry> registry;
  std::unique_ptr<registry::MhdResponder> mhd;
  std::unique_ptr<HttpServer> server;
};

Centre::Centre(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Centre::~Centre() {
  if (impl_ && impl_->server) impl_->server->Stop();
  if (impl_ && impl_->mllp) impl_->mllp->Stop();
}

std::string Centre::base_url() const { return impl_->server->base_url(); }

int Centre::mllp_port() const { return impl_->mllp->port(); }

std::string Centre::mllp_url() const {
  return std::string(impl_->tls->insecure() ? "mllp://" : "mllps://") + "127.0.0.1:" +
         std::to_string(impl_->mllp->port());
}

namespace {

// "KEY=VALUE" entries of a string-list key.
Status ParsePairs(const std::string& key, const std::vector<std::string>& entries,
                  std::map<std::string, std::string>* out) {
  for (const std::string& e : entries) {
    const size_t eq = e.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == e.size()) {
      return Status::InvalidArgument("config", "config key '" + key + "': entry '" + e +
                                                   "' is not NAME=OID", key);
    }
    (*out)[e.substr(0, eq)] = e.substr(eq + 1);
  }
  return Status::Ok();
}

std::string PercentEncoded(const std::string& s) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out += {'%', kHex[c >> 4], kHex[c & 15]};
    }
  }
  return out;
}

void ReplaceAll(std::string* s, const std::string& from, const std::string& to) {
  for (size_t p = s->find(from); p != std::string::npos; p = s->find(from, p + to.size())) {
    s->replace(p, from.size(), to);
  }
}

// The MHD mapping context of the centre's Document Responder: Patient ids are regional IDs,
// attachment URLs come from mhd.repositories and mhd.document_url_template.
Result<profiles::MhdContext> MhdContextOf(const Config& config, const std::string& regional_oid) {
  std::map<std::string, std::string> nodes;
  RENKEI_RETURN_IF_ERROR(
      ParsePairs("mhd.repositories", config.GetStringList("mhd.repositories"), &nodes));
  const std::string tmpl = config.GetString("mhd.document_url_template");
  if (tmpl.find("{uniqueId}") == std::string::npos) {
    return Status::InvalidArgument("config", "config key 'mhd.document_url_template': must "
                                             "contain {uniqueId}", "mhd.document_url_template");
  }
  profiles::MhdContext mc;
  const std::string suffix = "^^^&" + regional_oid + "&ISO";
  mc.patient_resource_id = [suffix](const std::string& cx) {
    const size_t hat = cx.find('^');
    return hat != std::string::npos && cx.substr(hat) == suffix ? cx.substr(0, hat) : "";
  };
  mc.patient_cx = [suffix](const std::string& id) { return id.empty() ? "" : id + suffix; };
  mc.document_url = [nodes, tmpl](const std::string& repo, const std::string& uid) {
    std::string url = tmpl;
    if (url.find("{node}") != std::string::npos) {
      auto node = nodes.find(repo);
      if (node == nodes.end()) return std::string();
      std::string base = node->second;
      while (!base.empty() && base.back() == '/') base.pop_back();
      ReplaceAll(&url, "{node}", base);
    }
    ReplaceAll(&url, "{repositoryUniqueId}", PercentEncoded(repo));
    ReplaceAll(&url, "{uniqueId}", PercentEncoded(uid));
    return url;
  };
  return mc;
}

}  // namespace

Result<std::unique_ptr<Centre>> Centre::Start(const Config& config) {
  RENKEI_RETURN_IF_ERROR(ApplyLogLevel(config));

  HttpServerOptions http;
  RENKEI_RETURN_IF_ERROR(
      ParseHostPort("http.listen", config.GetString("http.listen"), &http.host, &http.port));
  http.max_threads = static_cast<int>(config.GetInt("http.max_threads"));
  if (http.max_threads < 1) {
    return Status::InvalidArgument("config", "config key 'http.max_threads': must be >= 1");
  }
  auto impl = std::make_unique<Impl>();
  RENKEI_ASSIGN_OR_RETURN(impl->tls, RoleTls::Start(config, "centre"));
  RENKEI_RETURN_IF_ERROR(impl->tls->CheckListener("http.listen", http.host));
  http.tls = impl->tls->server();
  http.default_facility = config.GetString("registry.default_facility");
  std::string mllp_host;
  int mllp_port = 0;
  RENKEI_RETURN_IF_ERROR(
      ParseHostPort("mllp.listen", config.GetString("mllp.listen"), &mllp_host, &mllp_port));
  RENKEI_RETURN_IF_ERROR(impl->tls->CheckListener("mllp.listen", mllp_host));
  if (config.GetInt("mllp.max_message_bytes") < 1024 ||
      config.GetInt("mllp.idle_timeout_seconds") < 1) {
    return Status::InvalidArgument(
        "config", "config keys 'mllp.max_message_bytes' (>= 1024) and "
                  "'mllp.idle_timeout_seconds' (>= 1) are out of range");
  }

  const std::string data_dir = config.GetString("data_dir");
  RENKEI_RETURN_IF_ERROR(MakeDataDir(data_dir));

  pix::SqliteIdentityStore::Options popts;
  popts.regional_oid = config.GetString("pix.regional_domain.oid");
  popts.id_prefix = config.GetString("pix.regional_domain.id_prefix");
  auto identities = pix::SqliteIdentityStore::Open(data_dir + "/identities.sqlite", popts);
  if (!identities.ok()) return identities.status();
  impl->identities = std::move(identities.value());
  pix::Domains domains;
  RENKEI_RETURN_IF_ERROR(
      ParsePairs("pix.domains", config.GetStringList("pix.domains"), &domains.namespace_to_oid));
  RENKEI_RETURN_IF_ERROR(ParsePairs("pix.facility_domains",
                                    config.GetStringList("pix.facility_domains"),
                                    &domains.facility_default_oid));
  // The Audit Record Repository: an append-only, hash-chained store (renkei audit verify).
  RENKEI_ASSIGN_OR_RETURN(impl->audit,
                          audit::AuditStore::Open(data_dir + "/" + audit::kAuditStoreFile));
  impl->audit_sink = std::make_unique<audit::StoreSink>(*impl->audit);
  // Transactions are recorded through a group-committing writer (one fsync per batch; a
  // crash may lose what is still queued); security alerts and ITI-20 POSTs synchronously.
  impl->txn_audit = std::make_unique<audit::BufferedStoreSink>(*impl->audit);
  audit::Exchange self;  // the centre as the audit source
  self.audit_source_id = "renkei-centre";
  self.audit_site = impl->tls->insecure() ? "" : impl->tls->self().facility_oid;
  self.responder_user_id = impl->tls->insecure() ? "renkei-centre" : impl->tls->self().facility_oid;
  impl->tls->AuditRefusals(impl->audit_sink.get(), self);

  impl->hl7 = std::make_unique<pix::Hl7PixService>(
      *impl->identities, std::move(domains), "RENKEI_PIX", "",
      pix::Hl7AuditOptions{impl->txn_audit.get(), self.audit_source_id, self.audit_site});

  // The registry knows a patient the PIX Manager knows (its regional ID), or one listed.
  impl->configured_patients =
      std::make_unique<ConfiguredPatientIds>(config.GetStringList("registry.known_patient_ids"));
  impl->patients = std::make_unique<pix::RegionalPatientIds>(*impl->identities,
                                                             impl->configured_patients.get());

  if (config.GetBool("registry.check_codes")) {
    const auto& files = config.GetStringList("registry.code_sets");
    Result<profiles::CodeSets> codes =
        files.empty() ? profiles::CodeSets::LoadBuiltIn() : profiles::CodeSets::Load(files);
    if (!codes.ok()) return codes.status();
    impl->codes = std::make_unique<profiles::CodeSets>(std::move(codes.value()));
  }

  registry::SqliteRegistryStore::Options sopts;
  sopts.reader_connections = static_cast<int>(config.GetInt("registry.readers"));
  sopts.prewarm = config.GetBool("registry.prewarm");
  if (sopts.reader_connections < 1) {
    return Status::InvalidArgument("config", "config key 'registry.readers': must be >= 1");
  }
  auto store = registry::SqliteRegistryStore::Open(data_dir + "/registry.sqlite", sopts);
  if (!store.ok()) return store.status();
  impl->store = std::move(store.value());

  registry::RegistryOptions ropts;
  ropts.max_query_results = config.GetInt("registry.max_query_results");
  ropts.home_community_id = config.GetString("registry.home_community_id");
  // Authorization (architecture §5): the facility directory holds the disclosure grants
  // and which facility each repositoryUniqueId belongs to. In insecure loopback mode an
  // unknown repository is recorded for the facility that first registers into it.
  directory::DirectoryStoreOptions dopts;
  dopts.break_glass_minutes = static_cast<int>(config.GetInt("directory.break_glass_minutes"));
  if (dopts.break_glass_minutes < 1) {
    return Status::InvalidArgument("config", "config key 'directory.break_glass_minutes': must "
                                             "be >= 1", "directory.break_glass_minutes");
  }
  RENKEI_ASSIGN_OR_RETURN(impl->directory,
                          directory::DirectoryStore::Open(
                              data_dir + "/" + directory::kDirectoryFileName, dopts));
  impl->policy = std::make_unique<directory::StorePolicy>(*impl->directory);
  impl->repositories = std::make_unique<directory::StoreRepositoryDirectory>(
      *impl->directory, /*record_unknown=*/impl->tls->insecure());
  registry::RegistryAuthorization authorization;
  authorization.policy = impl->policy.get();
  authorization.repositories = impl->repositories.get();
  impl->registry = std::make_unique<registry::DocumentRegistry>(
      *impl->store, *impl->patients, impl->codes.get(), ropts, authorization);

  registry::RegistryEndpointOptions eopts;
  eopts.limits.max_bytes = static_cast<size_t>(config.GetInt("soap.max_request_bytes"));
  eopts.limits.max_depth = static_cast<int>(config.GetInt("soap.max_xml_depth"));
  eopts.audit = impl->txn_audit.get();
  eopts.audit_source_id = self.audit_source_id;
  eopts.audit_site = self.audit_site;

  // MHD Document Responder (ITI-66/67): Patient ids are regional IDs; patient.identifier
  // resolves any linked local ID through PIX.
  const std::string regional_oid = impl->identities->regional_oid();
  Result<profiles::MhdContext> mhd_context = MhdContextOf(config, regional_oid);
  if (!mhd_context.ok()) return mhd_context.status();
  registry::MhdResponderOptions mopts_mhd;
  mopts_mhd.patient_cx = mhd_context->patient_cx;
  pix::SqliteIdentityStore* ids = impl->identities.get();
  mopts_mhd.patient_of_identifier = [ids, regional_oid](const std::string& system,
                                                        const std::string& value) {
    if (system.rfind("urn:oid:", 0) != 0) return std::string();
    // The regional ID itself names its patient (also one only in registry.known_patient_ids).
    if (system.substr(8) == regional_oid) return value + "^^^&" + regional_oid + "&ISO";
    auto linked = ids->CrossReference(pix::Cx{value, "", system.substr(8), ""});
    if (!linked.ok() || linked->empty() || linked->front().oid != regional_oid) return std::string();
    return linked->front().id + "^^^&" + regional_oid + "&ISO";
  };
  impl->mhd = std::make_unique<registry::MhdResponder>(*impl->registry, std::move(mopts_mhd));
  registry::MhdEndpointOptions mhd_http;
  mhd_http.audit = impl->txn_audit.get();
  mhd_http.audit_source_id = self.audit_source_id;
  mhd_http.audit_site = self.audit_site;
  mhd_http.context = std::move(mhd_context.value());

  pix::PixmEndpointOptions pixm_http;
  pixm_http.audit = impl->txn_audit.get();
  pixm_http.audit_source_id = self.audit_source_id;
  pixm_http.audit_site = self.audit_site;
  pix::PdqmEndpointOptions pdqm_http;
  pdqm_http.audit = impl->txn_audit.get();
  pdqm_http.audit_source_id = self.audit_source_id;
  pdqm_http.audit_site = self.audit_site;

  // Every route of the centre, in one place.
  HttpRouter router;
  router.Exact("POST", "/xds/registry", registry::MakeRegistryHandler(*impl->registry, eopts));
  for (const char* path : {pix::kPixmPath, pix::kPixmPathEncoded}) {
    router.Exact("GET", path, pix::MakePixmHandler(*impl->identities, pixm_http));
    router.Exact("POST", path, pix::MakePixmHandler(*impl->identities, pixm_http));
  }
  router.Exact("GET", pix::kPatientSearchPath,
               pix::MakePatientSearchHandler(*impl->identities, pdqm_http));
  router.Exact("PUT", pix::kPatientSearchPath, pix::MakePatientUpdateHandler(*impl->identities));
  router.Exact("DELETE", pix::kPatientSearchPath, pix::MakePatientDeleteHandler(*impl->identities));
  router.Exact("GET", pix::kMetadataPath, pix::MakeMetadataHandler(RENKEI_VERSION));
  router.Prefix("GET", pix::kPatientReadPrefix,
                pix::MakePatientReadHandler(*impl->identities, pdqm_http));
  using registry::MhdResource;
  for (const auto& [resource, path, search, read] :
       {std::tuple{MhdResource::kDocumentReference, registry::kDocumentReferencePath,
                   registry::kDocumentReferenceSearchPath, registry::kDocumentReferenceReadPrefix},
        std::tuple{MhdResource::kList, registry::kListPath, registry::kListSearchPath,
                   registry::kListReadPrefix}}) {
    router.Exact("GET", path, registry::MakeMhdSearchHandler(*impl->mhd, resource, mhd_http));
    router.Exact("POST", search, registry::MakeMhdSearchHandler(*impl->mhd, resource, mhd_http));
    router.Prefix("GET", read, registry::MakeMhdReadHandler(*impl->mhd, resource, mhd_http));
  }
  directory::DirectoryEndpointOptions dir_http;
  dir_http.regional_domain_oid = regional_oid;
  // Every permission change and break-glass is a security-alert audit event.
  dir_http.on_change = [sink = impl->audit_sink.get(), self](const directory::PolicyChange& c) {
    audit::Exchange x = self;
    x.requesting_facility = c.facility;
    x.requester_user_id = c.facility;
    x.human_user_id = c.staff_id;
    if (c.kind == directory::PolicyChange::Kind::kBreakGlass) {
      sink->Record(audit::EmergencyAccess(x, c.patient_id, c.detail));
    } else if (c.kind == directory::PolicyChange::Kind::kBreakGlassRefused) {
      x.outcome = 4;
      x.outcome_description = "break-glass refused: " + c.detail;
      sink->Record(audit::EmergencyAccess(x, c.patient_id, x.outcome_description));
    } else {
      sink->Record(audit::PermissionChange(x, c.kind == directory::PolicyChange::Kind::kGrant,
                                           std::to_string(c.grant_id), c.patient_id, c.detail));
    }
  };
  if (!config.GetStringList("directory.class_systems").empty()) {
    dir_http.class_systems = config.GetStringList("directory.class_systems");
  }
  directory::AddDirectoryRoutes(router, *impl->directory, std::move(dir_http));
  audit::AuditRoutesOptions audit_http;
  {
    std::vector<std::string> readers = config.GetStringList("audit.readers");
    if (readers.empty() && !impl->tls->insecure()) readers.push_back(impl->tls->self().facility_oid);
    audit_http.reads_all = [readers](const std::string& facility) {
      return !facility.empty() &&
             std::find(readers.begin(), readers.end(), facility) != readers.end();
    };
  }
  // A patient's access log: a facility that registered records of the patient a search
  // names reads every record of that patient (docs/trust.md, Audit).
  audit_http.patient_domain_oid = regional_oid;
  audit_http.discloses = [store = impl->store.get()](const std::string& facility,
                                                     const std::string& patient_cx) {
    if (facility.empty()) return false;
    for (registry::EntryKind kind :
         {registry::EntryKind::kDocumentEntry, registry::EntryKind::kSubmissionSet}) {
      registry::ObjectFilter f;
      f.kind = kind;
      f.patient_id = patient_cx;
      f.submitters = {facility};
      f.limit = 1;
      f.ids_only = true;
      auto found = store->Find(f);
      if (found.ok() && !found->empty()) return true;
    }
    return false;
  };
  audit::AddAuditRoutes(router, *impl->audit, audit_http);
  // The CRL and the CA certificate the centre publishes (RFC 5280 §4.2.1.13; renkei ca init
  // --crl-url names <centre>/pki/crl), DER, re-read when they change.
  if (!impl->tls->insecure()) {
    trust::AddPkiRoutes(router, {config.GetString("tls.crl"), config.GetString("tls.ca")});
  }
  // Access tickets (IUA-style, docs/access-tickets.md): for documents the requester may see.
  std::shared_ptr<const trust::TicketSigner> ticket_signer;  // also the relay's
  std::string ticket_issuer;
  if (!config.GetString("tickets.key_file").empty()) {
    std::ifstream key_in(config.GetString("tickets.key_file"), std::ios::binary);
    std::stringstream key_pem;
    key_pem << key_in.rdbuf();
    Result<trust::TicketSigner> signer = trust::TicketSigner::Create(key_pem.str());
    if (!signer.ok()) {
      return Status::InvalidArgument("config", "config key 'tickets.key_file': " +
                                                   signer.status().message(), "tickets.key_file");
    }
    registry::TicketIssuerOptions t;
    ticket_signer = std::make_shared<const trust::TicketSigner>(std::move(signer.value()));
    t.signer = ticket_signer;
    t.issuer = config.GetString("tickets.issuer").empty()
                   ? (impl->tls->insecure() ? "http://" : "https://") + http.host + ":" +
                         std::to_string(http.port)
                   : config.GetString("tickets.issuer");
    ticket_issuer = t.issuer;
    t.lifetime_seconds = config.GetInt("tickets.lifetime_seconds");
    directory::DirectoryStore* dir = impl->directory.get();
    t.holder_of = [dir](const std::string& rid) { return dir->RepositoryOwner(rid); };
    // Break-glass-only documents get tickets marked BTG (and BTG is never merely claimed).
    t.access_of = registry::AccessFromPolicy(*impl->policy);
    t.insecure_holder_is_facility = impl->tls->insecure();
    t.on_issue = [sink = impl->audit_sink.get(), self](const registry::TicketIssueEvent& e) {
      audit::Exchange x = self;
      x.requesting_facility = e.requester;
      x.requester_user_id = e.requester;
      if (e.outcome.ok()) {
        for (const trust::AccessTicket& t : e.tickets) {
          std::vector<audit::DocumentRef> docs;
          for (const std::string& d : t.documents) docs.push_back({d, "", ""});
          audit::AuditEvent disclosure = audit::Disclosure(x, e.patient, e.requester, docs);
          if (t.purpose_of_use == trust::kPurposeBreakGlass) {
            disclosure.purpose_of_use.push_back(audit::BreakGlassPurposeOfUse());
          }
          sink->Record(disclosure);
        }
      } else {
        x.outcome = 8;
        x.outcome_description = "access ticket refused: " + e.outcome.detail() + ": " +
                                e.outcome.message();
        sink->Record(audit::AuthenticationFailure(x, x.outcome_description));
      }
    };
    registry::AddTicketRoutes(router, *impl->registry, std::move(t));
  }
  // The streaming retrieve relay to the nodes (docs/relay.md), with the same ticket key.
  RENKEI_RETURN_IF_ERROR(AddCentreRelay(router, config, *impl->tls, *impl->directory,
                                        ticket_signer, ticket_issuer, impl->txn_audit.get(),
                                        impl->audit_sink.get(), self));
  router.Fallback("/fhir/", &pix::SendUnrouted);

  auto server = HttpServer::Start(http, std::move(router));
  if (!server.ok()) return server.status();
  impl->server = std::move(server.value());

  mllp::MllpServerOptions mopts;
  mopts.host = mllp_host;
  mopts.port = mllp_port;
  mopts.max_message_bytes = static_cast<size_t>(config.GetInt("mllp.max_message_bytes"));
  mopts.idle_timeout_ms = static_cast<int>(config.GetInt("mllp.idle_timeout_seconds")) * 1000;
  mopts.tls = impl->tls->server();
  pix::Hl7PixService* hl7 = impl->hl7.get();
  auto mllp = mllp::MllpServer::Start(mopts, [hl7](const std::string& m, const Peer& peer) {
    return hl7->Handle(m, peer);
  });
  if (!mllp.ok()) return mllp.status();
  impl->mllp = std::move(mllp.value());

  // ITI-20 over syslog (RFC 5425), mutual TLS like every listener.
  if (!config.GetString("audit.syslog.listen").empty()) {
    std::string host;
    int port = 0;
    RENKEI_RETURN_IF_ERROR(ParseHostPort("audit.syslog.listen",
                                         config.GetString("audit.syslog.listen"), &host, &port));
    RENKEI_RETURN_IF_ERROR(impl->tls->CheckListener("audit.syslog.listen", host));
    audit::SyslogReceiverOptions sopts;
    sopts.tls = impl->tls->server();
    RENKEI_ASSIGN_OR_RETURN(impl->syslog,
                            audit::SyslogReceiver::Listen(host, port, *impl->audit, sopts));
  }
  return std::unique_ptr<Centre>(new Centre(std::move(impl)));
}

int RunCentre(const std::vector<std::string>& args) {
  return RunRole("centre", CentreConfigSchema(), args, [](const Config& config) -> Result<RunningRole> {
    Result<std::unique_ptr<Centre>> centre = Centre::Start(config);
    if (!centre.ok()) return centre.status();
    LogInfo("centre: registry at " + (*centre)->registry_url());
    const std::string ready = (*centre)->base_url() + " " + (*centre)->mllp_url();
    return RunningRole{std::shared_ptr<void>(std::move(centre.value())), ready};
  });
}

}  // namespace renkei::apps
