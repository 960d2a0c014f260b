// `renkei node`: wires the node's store, repository and endpoints (composition root).
#include "apps/node.h"

#include <algorithm>
#include <cstdio>

#include "apps/node_image_access.h"
#include "apps/node_manifests.h"
#include "apps/node_rad69.h"
#include "apps/query.h"
#include "apps/role.h"
#include "audit/audit_sender.h"
#include "audit/transaction_events.h"
#include "repository/ticket_guard.h"
#include "common/http_server.h"
#include "common/log.h"
#include "dicomweb/dicom_store.h"
#include "dicomweb/dicomweb_endpoint.h"
#include "dicomweb/dimse_scp.h"
#include "repository/document_repository.h"
#include "repository/document_store.h"
#include "repository/mhd_endpoint.h"
#include "repository/mhd_recipient.h"
#include "repository/outbox.h"
#include "repository/outbox_worker.h"
#include "repository/reconciler.h"
#include "repository/registry_client.h"
#include "repository/repository_endpoint.h"
#include "xds/xds_constants.h"

namespace renkei::apps {

const std::vector<ConfigKey>& NodeConfigSchema() {
  static const std::vector<ConfigKey> kSchema = JoinKeys({{
      {"data_dir", ConfigType::kString, "\"./var/node\"",
       "where the node keeps its documents and indexes (created if missing, reused if present)"},
      {"http.listen", ConfigType::kString, "\"127.0.0.1:8081\"",
       "host:port of the HTTP(S) listener; port 0 picks a free port"},
      {"http.max_threads", ConfigType::kInt, "32",
       "request threads (one per busy keep-alive connection)"},
      {"soap.max_request_bytes", ConfigType::kInt, "67108864",
       "largest SOAP envelope accepted (MTOM document parts are not counted: they stream to "
       "disk); larger ones get a SOAP Fault (HTTP 413)"},
      {"soap.max_xml_depth", ConfigType::kInt, "64",
       "deepest XML element nesting accepted in a SOAP request"},
      {"soap.max_mime_parts", ConfigType::kInt, "1000",
       "most MIME parts (documents + envelope) in one MTOM request"},
  }, TlsConfigKeys("node"), {
      {"facility.oid", ConfigType::kString, "\"1.2.392.200119.6.102.3.1\"",
       "the facility this node publishes for (sent to the registry as the requester)"},
      {"registry.url", ConfigType::kString, "\"http://127.0.0.1:8080/xds/registry\"",
       "the centre's /xds/registry URL: ITI-42 for every ITI-41 this node accepts"},
      {"registry.timeout_seconds", ConfigType::kInt, "30",
       "how long an ITI-42 may take before its outcome counts as unknown"},
      {"centre.url", ConfigType::kString, "\"http://127.0.0.1:8080\"",
       "the centre's base URL (FHIR, audit, tickets); ITI-65 Patient references name its "
       "<centre.url>/fhir/Patient/{id}"},
      {"pix.regional_domain.oid", ConfigType::kString, "\"1.2.392.200119.6.102.1\"",
       "the regional patient-ID domain (as the centre's): an ITI-65 Patient/{id} becomes the "
       "XDS patientId id^^^&oid&ISO of its identifier in this domain"},
      {"mhd.require_bundle_profile", ConfigType::kBool, "true",
       "true = an ITI-65 Bundle must declare IHE.MHD.Comprehensive.ProvideBundle or "
       "IHE.MHD.Minimal.ProvideBundle in meta.profile (else 400); false = Comprehensive is "
       "assumed"},
      {"mhd.max_bundle_bytes", ConfigType::kInt, "67108864",
       "largest ITI-65 Bundle accepted at /fhir (JSON or XML, documents inline in base64); "
       "larger ones get an OperationOutcome (HTTP 413)"},
      {"repository.unique_id", ConfigType::kString, "\"1.2.392.200119.6.102.2.1\"",
       "this node's repositoryUniqueId (OID), set on every document it registers"},
      {"repository.home_community_id", ConfigType::kString, "\"\"",
       "homeCommunityId written on ITI-43 answers (urn:oid:...); empty = none"},
      {"repository.max_document_bytes", ConfigType::kInt, "4294967296",
       "largest document accepted; larger ones get a SOAP Fault (HTTP 413), nothing stored"},
      {"repository.reconcile_interval_seconds", ConfigType::kInt, "30",
       "how often documents whose registration outcome is unknown are settled with the "
       "registry (served if it holds them, removed if not)"},
      {"tickets.jwks_file", ConfigType::kString, "\"\"",
       "the centre's ticket keys as a JWK Set (its /.well-known/jwks.json saved to a file); "
       "with it (or tickets.public_key_file) another facility's ITI-43 / ITI-68 needs an "
       "access ticket; both empty = no ticket check (every peer is served)"},
      {"tickets.public_key_file", ConfigType::kString, "\"\"",
       "the centre's ticket key as a PEM public key (instead of tickets.jwks_file)"},
      {"tickets.issuer", ConfigType::kString, "\"\"",
       "the iss the tickets must carry (the centre's tickets.issuer); empty = not checked"},
      {"dimse.listen", ConfigType::kString, "\"\"",
       "host:port of the DICOM C-STORE/C-ECHO listener a PACS pushes to (port 0 picks a free "
       "port); empty = none. DICOM over TLS with the node's tls.* files: a peer presents a "
       "certificate of the node's own facility (its PACS); plain DICOM only with "
       "tls.insecure_loopback=true (127.0.0.1)"},
      {"dimse.ae_title", ConfigType::kString, "\"RENKEI\"",
       "the AE title the DICOM listener answers as"},
      {"dicomweb.max_instance_bytes", ConfigType::kInt, "8589934592",
       "largest DICOM instance STOW-RS accepts (streamed to disk); a larger one is a failed "
       "instance (0xA700), nothing stored"},
      {"dicomweb.patient_id_issuer", ConfigType::kString, "\"\"",
       "the assigning authority (OID) of the PACS's patient IDs, for instances without "
       "IssuerOfPatientID; each stored study's patient is linked to its regional ID by the "
       "centre's PIX Manager (PIXm, in the background); empty = only instances that name "
       "their issuer are linked"},
      {"dicomweb.manifest_delay_seconds", ConfigType::kInt, "60",
       "XDS-I.b: a study with no new instance for this long, and linked to a regional patient "
       "ID, gets its imaging manifest (a DICOM KOS) stored and registered at the centre; a "
       "study that gains instances later gets a new one"},
      {"dicomweb.max_qido_results", ConfigType::kInt, "1000",
       "most matches one QIDO-RS answer holds (a smaller limit= wins)"},
      {"log.level", ConfigType::kString, "\"info\"", "debug | info | warning | error"},
  }});
  return kSchema;
}

struct Node::Impl {
  std::unique_ptr<RoleTls> tls;  // first: outlives the listener and clients using its contexts
  // The node's audit events, queued durably and shipped to the centre's Audit Record
  // Repository (FHIR AuditEvent POST) when it can be reached.
  std::unique_ptr<audit::AuditSender> audit;
  std::unique_ptr<repository::DocumentStore> store;
  std::unique_ptr<repository::RegistryClient> registry;
  std::unique_ptr<repository::DocumentRepository> repository;
  std::unique_ptr<repository::Outbox> outbox;
  std::unique_ptr<repository::OutboxWorker> outbox_worker;
  std::unique_ptr<repository::Reconciler> reconciler;
  std::unique_ptr<repository::MhdRecipient> mhd;
  std::unique_ptr<dicomweb::DicomStore> dicom;
  std::unique_ptr<HttpServer> server;
  std::unique_ptr<dicomweb::DimseScp> dimse;  // after the store it writes to
  std::unique_ptr<ManifestPublisher> manifests;  // after the stores and outbox it uses
  std::string dimse_url;                       // "dicom://host:port", empty when none
};

Node::Node(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Node::~Node() {
  if (impl_ && impl_->manifests) impl_->manifests->Stop();
  if (impl_ && impl_->dimse) impl_->dimse->Stop();
  if (impl_ && impl_->server) impl_->server->Stop();
  if (impl_ && impl_->reconciler) impl_->reconciler->Stop();
  if (impl_ && impl_->outbox_worker) impl_->outbox_worker->Stop();
}

std::string Node::base_url() const { return impl_->server->base_url(); }
std::string Node::dimse_url() const { return impl_->dimse_url; }

Result<std::unique_ptr<Node>> Node::Start(const Config& config) {
  RENKEI_RETURN_IF_ERROR(ApplyLogLevel(config));
  HttpServerOptions http;
  RENKEI_RETURN_IF_ERROR(
      ParseHostPort("http.listen", config.GetString("http.listen"), &http.host, &http.port));
  http.max_threads = static_cast<int>(config.GetInt("http.max_threads"));
  if (http.max_threads < 1) {
    return Status::InvalidArgument("config", "config key 'http.max_threads': must be >= 1");
  }
  auto impl = std::make_unique<Impl>();
  RENKEI_ASSIGN_OR_RETURN(impl->tls, RoleTls::Start(config, "node"));
  RENKEI_RETURN_IF_ERROR(impl->tls->CheckListener("http.listen", http.host));
  http.tls = impl->tls->server();
  http.default_facility = config.GetString("facility.oid");
  if (!impl->tls->insecure() && impl->tls->self().facility_oid != config.GetString("facility.oid")) {
    return Status::InvalidArgument(
        "config", "config key 'facility.oid': '" + config.GetString("facility.oid") +
                      "' is not the facility of the node's certificate (tls.cert: '" +
                      impl->tls->self().facility_oid + "')", "facility.oid");
  }
  const int64_t max_document = config.GetInt("repository.max_document_bytes");
  const int64_t reconcile_s = config.GetInt("repository.reconcile_interval_seconds");
  const int64_t timeout_s = config.GetInt("registry.timeout_seconds");
  if (max_document < 1 || reconcile_s < 1 || timeout_s < 1 ||
      config.GetInt("soap.max_mime_parts") < 2 || config.GetInt("mhd.max_bundle_bytes") < 1) {
    return Status::InvalidArgument(
        "config", "config keys 'repository.max_document_bytes', "
                  "'repository.reconcile_interval_seconds', 'registry.timeout_seconds', "
                  "'mhd.max_bundle_bytes' (>= 1) and 'soap.max_mime_parts' (>= 2) are out of range");
  }
  const std::string repository_id = config.GetString("repository.unique_id");
  if (repository_id.empty()) {
    return Status::InvalidArgument("config", "config key 'repository.unique_id': must be an OID");
  }

  const std::string data_dir = config.GetString("data_dir");
  RENKEI_RETURN_IF_ERROR(MakeDataDir(data_dir));

  repository::DocumentStore::Options sopts;
  sopts.max_document_bytes = static_cast<uint64_t>(max_document);
  auto store = repository::DocumentStore::Open(data_dir + "/repository", sopts);
  if (!store.ok()) return store.status();
  impl->store = std::move(store.value());

  repository::RegistryClientOptions copts;
  copts.registry_url = config.GetString("registry.url");
  copts.facility_oid = config.GetString("facility.oid");
  copts.tls = impl->tls->client();
  copts.timeout_seconds = static_cast<int>(timeout_s);
  auto registry = repository::RegistryClient::Create(copts);
  if (!registry.ok()) return registry.status();
  impl->registry = std::move(registry.value());

  repository::RepositoryOptions ropts;
  ropts.repository_unique_id = repository_id;
  ropts.home_community_id = config.GetString("repository.home_community_id");
  impl->repository = std::make_unique<repository::DocumentRepository>(
      *impl->store, *impl->registry, ropts);

  repository::RepositoryEndpointOptions eopts;
  eopts.limits.max_bytes = static_cast<size_t>(config.GetInt("soap.max_request_bytes"));
  eopts.limits.max_depth = static_cast<int>(config.GetInt("soap.max_xml_depth"));
  eopts.max_parts = static_cast<int>(config.GetInt("soap.max_mime_parts"));

  std::string centre_url = config.GetString("centre.url");
  while (!centre_url.empty() && centre_url.back() == '/') centre_url.pop_back();
  repository::MhdRecipientOptions mopts;
  mopts.centre_fhir_base = centre_url + "/fhir";
  mopts.regional_domain_oid = config.GetString("pix.regional_domain.oid");
  mopts.require_bundle_profile = config.GetBool("mhd.require_bundle_profile");
  impl->mhd = std::make_unique<repository::MhdRecipient>(
      *impl->repository,
      repository::CentrePatientReader(centre_url, static_cast<int>(timeout_s),
                                      impl->tls->client()), mopts);
  // Audit: a durable queue shipped to <centre.url>/fhir/AuditEvent.
  audit::AuditSenderOptions aopts;
  aopts.centre_url = centre_url;
  aopts.tls = impl->tls->client();
  RENKEI_ASSIGN_OR_RETURN(impl->audit,
                          audit::AuditSender::Open(data_dir + "/audit_queue.sqlite", aopts));
  impl->audit->Start();
  audit::Exchange self;
  self.audit_source_id = "renkei-node";
  self.audit_site = config.GetString("facility.oid");
  self.responder_user_id = config.GetString("facility.oid");
  impl->tls->AuditRefusals(impl->audit.get(), self);

  // ITI-41/43/65/68 and every refused ticket are recorded by the endpoints.
  eopts.audit = impl->audit.get();
  eopts.audit_source_id = self.audit_source_id;
  eopts.audit_site = self.audit_site;
  repository::MhdEndpointOptions mhd_http;
  mhd_http.repository_unique_id = repository_id;
  mhd_http.audit = impl->audit.get();
  mhd_http.audit_source_id = self.audit_source_id;
  mhd_http.audit_site = self.audit_site;
  mhd_http.regional_domain_oid = config.GetString("pix.regional_domain.oid");
  // Access tickets: another facility's retrieves need one the centre issued (docs/access-tickets.md).
  if (!config.GetString("tickets.jwks_file").empty() ||
      !config.GetString("tickets.public_key_file").empty()) {
    repository::TicketGuardOptions g;
    g.own_facility_oid = config.GetString("facility.oid");
    g.insecure_holder_is_facility = impl->tls->insecure();
    auto guard = repository::TicketGuard::FromFiles(
        g, config.GetString("tickets.jwks_file"), config.GetString("tickets.public_key_file"),
        config.GetString("tickets.issuer"));
    if (!guard.ok()) {
      return Status::InvalidArgument("config", "config keys 'tickets.*': " +
                                                   guard.status().message(), "tickets.jwks_file");
    }
    std::shared_ptr<const repository::TicketGuard> shared = std::move(guard.value());
    eopts.tickets = shared;
    mhd_http.tickets = shared;
  }
  mhd_http.max_bundle_bytes = static_cast<size_t>(config.GetInt("mhd.max_bundle_bytes"));
  mhd_http.software_version = RENKEI_VERSION;

  // Images: DICOM store and DICOMweb (PS3.18) under /dicomweb/.
  dicomweb::DicomStore::Options dopts;
  dopts.max_instance_bytes = static_cast<uint64_t>(
      std::max<int64_t>(1, config.GetInt("dicomweb.max_instance_bytes")));
  // Studies are linked to the regional patient ID through the centre's PIXm (ITI-83), on
  // the store's linker thread (one HttpClient, made on first use).
  dopts.default_issuer = config.GetString("dicomweb.patient_id_issuer");
  {
    const std::string regional_oid = config.GetString("pix.regional_domain.oid");
    auto pixm = std::make_shared<std::unique_ptr<HttpClient>>();
    std::shared_ptr<TlsContext> client_tls = impl->tls->client();
    dopts.linker = [pixm, centre_url, regional_oid, client_tls](
                       const std::string& issuer, const std::string& id) -> Result<std::string> {
      if (!*pixm) {
        RENKEI_ASSIGN_OR_RETURN(*pixm, HttpClient::Create(centre_url, 5, client_tls));
      }
      return ResolveRegionalId(**pixm, id, issuer, regional_oid);
    };
  }
  RENKEI_ASSIGN_OR_RETURN(impl->dicom, dicomweb::DicomStore::Open(data_dir + "/dicom", dopts));
  dicomweb::DicomwebOptions web;
  if (eopts.tickets) {
    web.access = MakeImageAccess(eopts.tickets, *impl->dicom, repository_id);
    web.on_other_facility =
        MakeImageReadAudit(impl->audit.get(), self.audit_source_id, self.audit_site);
  }
  // XDS-I.b RAD-69 at /xds/repository, with the same access rule.
  Rad69Options rad69;
  rad69.repository_unique_id = repository_id;
  rad69.access = web.access;
  rad69.audit = impl->audit.get();
  rad69.audit_source_id = self.audit_source_id;
  rad69.audit_site = self.audit_site;
  eopts.more_actions[xds::kActionRetrieveImagingDocumentSet] =
      MakeRad69Handler(*impl->dicom, std::move(rad69));
  web.max_qido_results = std::max<int64_t>(1, config.GetInt("dicomweb.max_qido_results"));

  // Every route of the node, in one place.
  HttpRouter router;
  dicomweb::AddDicomwebRoutes(router, *impl->dicom, web);
  router.Exact("POST", "/xds/repository",
               repository::MakeRepositoryHandler(*impl->repository, *impl->store, eopts));
  repository::AddMhdRoutes(router, *impl->mhd, *impl->store, mhd_http);  // /fhir/: ITI-65, ITI-68
  auto server = HttpServer::Start(http, std::move(router));
  if (!server.ok()) return server.status();
  impl->server = std::move(server.value());
  if (!config.GetString("dimse.listen").empty()) {
    dicomweb::DimseOptions dimse;
    RENKEI_RETURN_IF_ERROR(ParseHostPort("dimse.listen", config.GetString("dimse.listen"),
                                         &dimse.host, &dimse.port));
    if (!impl->tls->insecure()) {
      // DICOM over TLS: only the node's own facility (its PACS, its modalities) pushes.
      std::shared_ptr<TlsContext> server = impl->tls->server();
      dimse.tls = server->files();
      dimse.admit = [own = config.GetString("facility.oid"), server, sink = impl->audit.get(),
                     self](const Peer& peer) -> Status {
        Status s = peer.facility_oid != own
                       ? Status::PermissionDenied("dimse", "facility " + peer.facility_oid +
                                                               " is not this node's; only its "
                                                               "own PACS pushes")
                   : server->Revoked(peer.serial)
                       ? Status::PermissionDenied("dimse", "certificate revoked (serial " +
                                                               peer.serial + ")")
                       : Status::Ok();
        if (!s.ok()) {
          audit::Exchange x = audit::RequesterExchange(peer.facility_oid, "", peer.common_name);
          x.audit_source_id = self.audit_source_id;
          x.audit_site = self.audit_site;
          x.responder_user_id = self.responder_user_id;
          sink->Record(audit::AuthenticationFailure(x, "DICOM TLS: " + s.message()));
        }
        return s;
      };
    }
    RENKEI_RETURN_IF_ERROR(impl->tls->CheckListener("dimse.listen", dimse.host));
    dimse.ae_title = config.GetString("dimse.ae_title");
    dimse.max_instance_bytes = dopts.max_instance_bytes;
    RENKEI_ASSIGN_OR_RETURN(impl->dimse, dicomweb::DimseScp::Start(*impl->dicom, dimse));
    impl->dimse_url = "dicom://" + dimse.host + ":" + std::to_string(impl->dimse->port());
  }

  repository::ReconcilerOptions reopts;
  reopts.interval_ms = reconcile_s * 1000;
  reopts.min_age_ms = (timeout_s + 5) * 1000;
  // Registrations the node originates itself (`renkei node publish`, connectors).
  auto outbox = repository::Outbox::Open(data_dir + "/repository/outbox.sqlite");
  if (!outbox.ok()) return outbox.status();
  impl->outbox = std::move(outbox.value());
  impl->outbox_worker = std::make_unique<repository::OutboxWorker>(*impl->outbox, *impl->store,
                                                                   *impl->registry);
  impl->outbox_worker->Start();
  impl->reconciler =
      std::make_unique<repository::Reconciler>(*impl->repository, reopts, impl->outbox.get());
  impl->reconciler->Start();
  // XDS-I.b: the manifests of quiet, linked studies, registered through the outbox.
  ManifestPublisherOptions manifest_options;
  manifest_options.delay_ms =
      std::max<int64_t>(0, config.GetInt("dicomweb.manifest_delay_seconds")) * 1000;
  manifest_options.repository_unique_id = repository_id;
  manifest_options.facility_oid = config.GetString("facility.oid");
  impl->manifests = std::make_unique<ManifestPublisher>(*impl->dicom, *impl->store,
                                                        *impl->outbox, manifest_options);
  impl->manifests->Start();
  return std::unique_ptr<Node>(new Node(std::move(impl)));
}

int RunNode(const std::vector<std::string>& args) {
  return RunRole("node", NodeConfigSchema(), args, [](const Config& config) -> Result<RunningRole> {
    Result<std::unique_ptr<Node>> node = Node::Start(config);
    if (!node.ok()) return node.status();
    LogInfo("node: repository at " + (*node)->repository_url());
    std::string ready = (*node)->base_url();
    if (!(*node)->dimse_url().empty()) ready += " " + (*node)->dimse_url();
    return RunningRole{std::shared_ptr<void>(std::move(node.value())), ready};
  });
}

}  // namespace renkei::apps
