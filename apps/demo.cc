// `renkei demo`: a region on loopback (architecture §1). This version: the centre (PIX
// Manager, XDS.b registry; embedded SQLite) and two hospital nodes (XDS.b repositories),
// patients fed by ITI-8, synthetic Japanese documents of each kind published by each
// hospital's EMR through ITI-41 to its node (which registers them at the centre), and
// printed queries and a retrieve to paste.
#include "apps/demo.h"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include "apps/centre.h"
#include "apps/role.h"
#include "apps/demo_consent.h"
#include "apps/demo_data.h"
#include "apps/demo_directory.h"
#include "apps/demo_documents.h"
#include "apps/demo_pki.h"
#include "apps/demo_image_access.h"
#include "apps/demo_images.h"
#include "apps/demo_publish.h"
#include "apps/node.h"
#include "apps/query.h"
#include "common/http_client.h"
#include "pix/hl7_message.h"
#include "pix/mllp.h"
#include "pix/regional_patient_ids.h"
#include "xds/submission_builder.h"
#include "profiles/region_document_kinds.h"
#include "xds/soap_http.h"
#include "xds/xds_constants.h"

namespace renkei::apps {
namespace {

// A TCP port on 127.0.0.1 that nothing listens on now (bound once, then released).
int FreeLoopbackPort() {
  Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
  const int port = probe.address().port();
  probe.close();
  return port;
}

constexpr char kUsage[] = "usage: renkei demo [--port N] [--data-dir DIR] [--once]\n";

// ITI-8 then ITI-9 over MLLP: hospital A admits each patient (the PIX Manager assigns a
// regional ID), the centre is asked for that ID, and hospital B admits the patient with the
// regional ID the patient's card shows, which links B's local ID. Fills the regional IDs.
Status FeedPatients(int mllp_port, DemoRegion* r) {
  auto ask = [&](const std::string& message) -> Result<hl7::Message> {
    RENKEI_ASSIGN_OR_RETURN(std::string reply,
                            mllp::MllpExchange("127.0.0.1", mllp_port, message, 10000, /*tls=*/true));
    return hl7::Parse(reply);
  };
  for (size_t p = 0; p < r->patients.size(); ++p) {
    const std::string tag = std::to_string(p + 1);
    RENKEI_ASSIGN_OR_RETURN(hl7::Message ack_a, ask(DemoAdmission(*r, p, 0, "DEMO-A" + tag)));
    RENKEI_ASSIGN_OR_RETURN(
        hl7::Message rsp,
        ask("MSH|^~\\&|DEMO|CENTRE|RENKEI|CENTRE|20261125090000||QBP^Q23^QBP_Q21|DEMO-Q" + tag +
            "|P|2.5\rQPD|IHE PIX Query|Q" + tag + "|" + r->patients[p].local_ids[0] + "|^^^&" +
            r->regional_domain_oid + "&ISO\rRCP|I\r"));
    const hl7::Segment* pid = rsp.Find("PID");
    if (ack_a.Find("MSA") == nullptr || ack_a.Find("MSA")->Value(1) != "AA" || pid == nullptr) {
      return Status::Internal("demo", "the PIX Manager did not register patient " + tag);
    }
    r->patients[p].regional_id = pid->Value(3, 1, 1) + "^^^&" + r->regional_domain_oid + "&ISO";
    RENKEI_ASSIGN_OR_RETURN(hl7::Message ack_b, ask(DemoAdmission(*r, p, 1, "DEMO-B" + tag)));
    if (ack_b.Find("MSA") == nullptr || ack_b.Find("MSA")->Value(1) != "AA") {
      return Status::Internal("demo", "the PIX Manager did not link hospital B's patient " + tag);
    }
  }
  return Status::Ok();
}

}  // namespace

int RunDemo(const std::vector<std::string>& args) {
  std::string port = "8080";
  std::string data_dir = "./var/demo";
  bool once = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--port" && i + 1 < args.size()) {
      port = args[++i];
    } else if (args[i] == "--data-dir" && i + 1 < args.size()) {
      data_dir = args[++i];
    } else if (args[i] == "--once") {
      once = true;
    } else {
      std::fprintf(stderr, "renkei demo: unexpected argument '%s'\n%s", args[i].c_str(), kUsage);
      return 2;
    }
  }
  // A demo starts from a clean region every time.
  std::error_code ec;
  for (const char* role : {"/centre", "/node-1", "/node-2", "/pki"}) {
    std::filesystem::remove_all(data_dir + role, ec);
  }
  std::filesystem::create_directories(data_dir + "/centre", ec);

  DemoRegion region = MakeDemoRegion();
  // Every party of the region gets a certificate of the region's CA: the demo runs over
  // mutual TLS, as a real region does.
  Result<DemoPki> pki = MakeDemoPki(data_dir + "/pki", region);
  if (!pki.ok()) {
    std::fprintf(stderr, "renkei demo: cannot make the region's certificates: %s\n",
                 pki.status().ToString().c_str());
    return 1;
  }
  // This process plays the hospitals' EMRs; each call presents the certificate of the
  // hospital it acts for (a hospital's own systems are trusted by its node).
  std::vector<std::shared_ptr<TlsContext>> emr;
  for (const DemoParty& h : pki->hospitals) {
    Result<std::shared_ptr<TlsContext>> ctx = pki->Client(h);
    if (!ctx.ok()) {
      std::fprintf(stderr, "renkei demo: %s\n", ctx.status().ToString().c_str());
      return 1;
    }
    emr.push_back(*ctx);
  }
  SetClientTls(emr[0]);  // the MLLP feeds (ITI-8) of hospital A's EMR
  // The hospitals' nodes listen on port+1, port+2 (with --port 0: free ports found now), so
  // that the centre knows them from the start: its MHD answers (ITI-67) carry each
  // document's ITI-68 URL at the node that holds it.
  std::vector<std::string> node_ports;
  for (size_t h = 0; h < region.hospitals.size(); ++h) {
    node_ports.push_back(port == "0" ? std::to_string(FreeLoopbackPort())
                                     : std::to_string(std::stoi(port) + 1 + h));
  }
  std::string repositories = "[";
  for (size_t h = 0; h < region.hospitals.size(); ++h) {
    repositories += std::string(h ? "," : "") + "\"" + region.hospitals[h].repository_unique_id +
                    "=https://127.0.0.1:" + node_ports[h] + "\"";
  }
  repositories += "]";
  std::vector<std::string> overrides = {
      "data_dir=" + data_dir + "/centre", "http.listen=127.0.0.1:" + port,
      "mllp.listen=127.0.0.1:0", "pix.regional_domain.oid=" + region.regional_domain_oid,
      "mhd.repositories=" + repositories};
  for (const std::string& s : pki->TlsSets(pki->centre)) overrides.push_back(s);
  overrides.push_back("tickets.key_file=" + pki->ticket_key);
  std::vector<std::string> node_urls;
  for (const std::string& p : node_ports) node_urls.push_back("https://127.0.0.1:" + p);
  Status listed = WriteDemoDirectory(data_dir + "/centre", region, *pki, node_urls);
  if (!listed.ok()) {
    std::fprintf(stderr, "renkei demo: cannot write the facility directory: %s\n",
                 listed.ToString().c_str());
    return 1;
  }
  Result<Config> config = Config::Load(CentreConfigSchema(), "", overrides);
  if (!config.ok()) {
    std::fprintf(stderr, "renkei demo: %s\n", config.status().message().c_str());
    return 1;
  }
  BlockStopSignals();
  Result<std::unique_ptr<Centre>> centre = Centre::Start(*config);
  if (!centre.ok()) {
    std::fprintf(stderr, "renkei demo: cannot start the centre: %s\n",
                 centre.status().message().c_str());
    return 1;
  }
  const std::string base = (*centre)->base_url();
  // Queries go to the centre as hospital B's EMR (it searches with its own patient IDs).
  auto client = HttpClient::Create(base, 30, emr[1]);
  if (!client.ok()) return 1;

  Status fed = FeedPatients((*centre)->mllp_port(), &region);
  if (!fed.ok()) {
    std::fprintf(stderr, "renkei demo: %s\n", fed.ToString().c_str());
    return 1;
  }
  // Each hospital runs its node (its public server), registering at the centre.
  std::vector<std::unique_ptr<Node>> nodes;
  for (size_t h = 0; h < region.hospitals.size(); ++h) {
    const DemoHospital& hosp = region.hospitals[h];
    const std::string& node_port = node_ports[h];
    std::vector<std::string> node_sets = {
        "data_dir=" + data_dir + "/node-" + std::to_string(h + 1),
        "http.listen=127.0.0.1:" + node_port,
        "registry.url=" + (*centre)->registry_url(), "centre.url=" + base,
        "facility.oid=" + hosp.oid, "repository.unique_id=" + hosp.repository_unique_id,
        "pix.regional_domain.oid=" + region.regional_domain_oid,
        "dicomweb.manifest_delay_seconds=1",  // the demo's studies are complete at once
        "log.level=warning"};
    for (const std::string& s : pki->TlsSets(pki->hospitals[h])) node_sets.push_back(s);
    node_sets.push_back("tickets.jwks_file=" + pki->ticket_jwks);
    Result<Config> node_config = Config::Load(NodeConfigSchema(), "", node_sets);
    if (!node_config.ok()) return 1;
    Result<std::unique_ptr<Node>> node = Node::Start(*node_config);
    if (!node.ok()) {
      std::fprintf(stderr, "renkei demo: cannot start %s's node: %s\n", hosp.name.c_str(),
                   node.status().message().c_str());
      return 1;
    }
    nodes.push_back(std::move(node.value()));
  }
  // Each hospital's EMR publishes its documents to its node (ITI-41); the node keeps the
  // bytes and registers the metadata at the centre (ITI-42).
  const auto& kinds = profiles::RegionDocumentKinds();
  int documents = 0;
  std::string example_uid;
  for (const DemoPublication& pub : DemoPublications(region)) {
    const DemoHospital& hosp = region.hospitals[pub.hospital];
    std::vector<std::string> contents;
    for (size_t i = 0; i < pub.kinds.size(); ++i) {
      contents.push_back(DemoDocumentContent(kinds[pub.kinds[i]], region.patients[pub.patient],
                                             hosp, pub.submission.documents[i].unique_id));
    }
    auto node_client = HttpClient::Create(nodes[pub.hospital]->base_url(), 30, emr[pub.hospital]);
    if (!node_client.ok()) return 1;
    Status sent = ProvideAndRegister(**node_client, nodes[pub.hospital]->repository_url(),
                                     pub.submission, contents);
    if (!sent.ok()) {
      std::fprintf(stderr, "renkei demo: %s\n", sent.ToString().c_str());
      return 1;
    }
    if (example_uid.empty()) example_uid = pub.submission.documents.front().unique_id;
    documents += static_cast<int>(pub.submission.documents.size());
  }

  // Hospital A's PACS stores a CT series, an endoscopy study and a pathology slide of the
  // first patient on A's node (STOW-RS, DICOMweb), under A's own patient ID.
  const DemoPatient& imaged = region.patients.front();
  DemoImagingPatient pacs_patient;
  pix::SplitXdsPatientId(imaged.local_ids[0], &pacs_patient.id, &pacs_patient.issuer);
  pacs_patient.name = "=" + imaged.family_kanji + "^" + imaged.given_kanji + "=" +
                      imaged.family_kana + "^" + imaged.given_kana;
  pacs_patient.birth_date = imaged.birth_date;
  pacs_patient.sex = imaged.sex;
  auto pacs = HttpClient::Create(nodes[0]->base_url(), 30, emr[0]);
  Result<DemoImaging> imaging =
      pacs.ok() ? PublishDemoImages(**pacs, pacs_patient, data_dir + "/pacs-a")
                : Result<DemoImaging>(pacs.status());
  Result<HttpReply> image_studies =
      imaging.ok() ? (*pacs)->Send("GET", "/dicomweb/studies?PatientID=" + pacs_patient.id, "", "",
                                   {{"Accept", "application/dicom+json"}})
                   : Result<HttpReply>(imaging.status());
  if (!image_studies.ok() || image_studies->status != 200 ||
      image_studies->body.find(imaging->study_uids.back()) == std::string::npos) {
    std::fprintf(stderr, "renkei demo: the imaging example failed: %s\n",
                 image_studies.ok() ? image_studies->body.substr(0, 400).c_str()
                                    : image_studies.status().ToString().c_str());
    return 1;
  }
  // The node links the studies to the regional patient ID through the centre's PIX Manager,
  // in the background: wait for it (OtherPatientIDsSequence in the QIDO answer).
  std::string regional_id, regional_oid;
  pix::SplitXdsPatientId(imaged.regional_id, &regional_id, &regional_oid);
  bool linked = false;
  for (int i = 0; i < 100 && !linked; ++i) {
    Result<HttpReply> again = (*pacs)->Send(
        "GET", "/dicomweb/studies?PatientID=" + pacs_patient.id, "", "",
        {{"Accept", "application/dicom+json"}});
    linked = again.ok() && again->body.find("\"00101002\"") != std::string::npos &&
             again->body.find("\"" + regional_id + "\"") != std::string::npos;
    if (!linked) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  if (!linked) {
    std::fprintf(stderr, "renkei demo: the images were not linked to the regional ID %s\n",
                 imaged.regional_id.c_str());
    return 1;
  }

  // Consent: each hospital opens its records of the demo patients to the other hospital
  // and to the viewing clinic (FHIR Consent at the centre, under the hospital's own
  // certificate); without such a grant a facility sees only what it registered itself.
  for (size_t h = 0; h < region.hospitals.size(); ++h) {
    auto as_hospital = HttpClient::Create(base, 30, emr[h]);
    if (!as_hospital.ok()) return 1;
    for (const DemoPatient& p : region.patients) {
      std::string id, oid;
      pix::SplitXdsPatientId(p.regional_id, &id, &oid);
      for (const std::string& grantee :
           {region.hospitals[1 - h].oid, region.clinic.oid}) {
        Status granted = PostConsent(
            **as_hospital, GrantConsentJson(region.hospitals[h].oid, grantee, oid, id));
        if (!granted.ok()) {
          std::fprintf(stderr, "renkei demo: %s\n", granted.ToString().c_str());
          return 1;
        }
      }
    }
  }

  const DemoPatient& first = region.patients.front();
  const std::string query_file = data_dir + "/find-documents.xml";
  std::ofstream(query_file, std::ios::binary)
      << FindDocumentsRequest(first.regional_id, {xds::kStatusApproved});

  // XDS-I.b: once the studies are quiet, hospital A's node registers their manifests (KOS)
  // at the centre. Wait for all three, as hospital B finds them.
  size_t manifests = 0;
  for (int i = 0; i < 200 && manifests < imaging->study_uids.size(); ++i) {
    Result<FoundDocuments> listed =
        FindDocuments(**client, first.regional_id, {xds::kStatusApproved});
    manifests = 0;
    if (listed.ok()) {
      for (const xds::DocumentEntry& e : listed->entries) {
        manifests += e.format_code.code == "1.2.840.10008.5.1.4.1.1.88.59";
      }
    }
    if (manifests < imaging->study_uids.size()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
  }
  if (manifests < imaging->study_uids.size()) {
    std::fprintf(stderr, "renkei demo: %zu of the %zu imaging manifests were registered\n",
                 manifests, imaging->study_uids.size());
    return 1;
  }
  // The CT gains a slice: the node registers a new manifest of that study, replacing the
  // first one (RPLC), which the registry deprecates.
  Status added = AddDemoCtSlice(**pacs, pacs_patient, *imaging, data_dir + "/pacs-a");
  size_t replaced = 0;
  for (int i = 0; added.ok() && i < 200 && replaced == 0; ++i) {
    Result<FoundDocuments> deprecated =
        FindDocuments(**client, first.regional_id, {xds::kStatusDeprecated});
    if (deprecated.ok()) {
      for (const xds::DocumentEntry& e : deprecated->entries) {
        replaced += e.format_code.code == "1.2.840.10008.5.1.4.1.1.88.59";
      }
    }
    if (replaced == 0) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  if (replaced != 1) {
    std::fprintf(stderr, "renkei demo: the CT study's new manifest did not replace the first: %s\n",
                 added.ok() ? "no manifest deprecated" : added.ToString().c_str());
    return 1;
  }

  // Run the printed examples once ourselves, so what we print is known to work: the query
  // by regional ID, and `renkei query` by hospital B's own patient ID (PIXm, then ITI-18).
  std::string local_id, local_oid, b_id, b_oid;
  pix::SplitXdsPatientId(first.local_ids[0], &local_id, &local_oid);
  pix::SplitXdsPatientId(first.local_ids[1], &b_id, &b_oid);
  Result<std::string> resolved =
      ResolveRegionalId(**client, b_id, b_oid, region.regional_domain_oid);
  Result<FoundDocuments> found =
      resolved.ok() ? FindDocuments(**client, *resolved, {xds::kStatusApproved})
                    : Result<FoundDocuments>(resolved.status());
  if (!found.ok() || found->entries.empty() || *resolved != first.regional_id) {
    std::fprintf(stderr, "renkei demo: the example query found nothing: %s\n",
                 found.ok() ? "no documents" : found.status().ToString().c_str());
    return 1;
  }
  // ITI-43 from hospital A's node: the first document (a CDA discharge summary).
  const std::string retrieve_file = data_dir + "/retrieve-document.xml";
  const std::string repo_a = nodes[0]->repository_url();
  std::ofstream(retrieve_file, std::ios::binary)
      << RetrieveRequest(repo_a, region.hospitals[0].repository_unique_id, example_uid);
  auto node_a = HttpClient::Create(nodes[0]->base_url(), 30, emr[0]);
  Result<HttpReply> retrieved =
      node_a.ok() ? (*node_a)->Post("/xds/repository",
                                    xds::SoapContentType(xds::kActionRetrieve),
                                    RetrieveRequest(repo_a, region.hospitals[0].repository_unique_id,
                                                    example_uid))
                  : Result<HttpReply>(node_a.status());
  if (!retrieved.ok() || retrieved->status != 200 ||
      retrieved->body.find("<ClinicalDocument") == std::string::npos) {
    std::fprintf(stderr, "renkei demo: the example retrieve failed: %s\n",
                 retrieved.ok() ? retrieved->body.substr(0, 800).c_str()
                                : retrieved.status().ToString().c_str());
    return 1;
  }
  // MHD: the same patient's documents in FHIR (ITI-67) by hospital B's own patient ID, and
  // one of hospital A's fetched by hospital B from A's node by the attachment URL (ITI-68),
  // with an access ticket the centre issued to B for that document.
  const std::string mhd_query = "/fhir/DocumentReference?patient.identifier=urn:oid:" + b_oid +
                                "%7C" + b_id + "&status=current";
  Result<HttpReply> mhd = (*client)->Send("GET", mhd_query, "", "", {{"Accept", "application/fhir+json"}});
  std::smatch url_match;
  const std::string mhd_body = mhd.ok() ? mhd->body : "";
  const bool mhd_ok =
      mhd.ok() && mhd->status == 200 &&
      std::regex_search(mhd_body, url_match,
                        std::regex("\"url\"\\s*:\\s*\"(" + nodes[0]->base_url() +
                                   "/fhir/Binary/([0-9.]+))\""));
  if (!mhd_ok) {
    std::fprintf(stderr, "renkei demo: the example MHD search failed: %s\n",
                 mhd.ok() ? mhd_body.substr(0, 800).c_str() : mhd.status().ToString().c_str());
    return 1;
  }
  const std::string document_url = url_match[1];
  const std::string document_uid = url_match[2];
  const std::string binary_path = document_url.substr(nodes[0]->base_url().size());
  auto holder = HttpClient::Create(nodes[0]->base_url(), 30, emr[1]);  // B at A's node
  if (!holder.ok()) return 1;
  // Without a ticket A's node refuses B (401); with the ticket it serves the document.
  Result<HttpReply> refused = (*holder)->Send("GET", binary_path, "", "");
  const std::string token_form = "grant_type=client_credentials&patient=" +
                                 FormValue(first.regional_id) + "&document=" + document_uid;
  Result<HttpReply> token = (*client)->Send("POST", "/oauth2/token",
                                            "application/x-www-form-urlencoded", token_form);
  std::smatch token_match;
  const std::string token_body = token.ok() ? token->body : "";
  if (!refused.ok() || refused->status != 401 || !token.ok() || token->status != 200 ||
      !std::regex_search(token_body, token_match,
                         std::regex(R"re("access_token"\s*:\s*"([^"]+)")re"))) {
    std::fprintf(stderr, "renkei demo: the access-ticket example failed (without a ticket: %d; "
                 "token endpoint: %s)\n", refused.ok() ? refused->status : -1,
                 token.ok() ? token_body.substr(0, 400).c_str() : token.status().ToString().c_str());
    return 1;
  }
  const std::string ticket = token_match[1];
  Result<HttpReply> fetched =
      (*holder)->Send("GET", binary_path, "", "", {{"Authorization", "Bearer " + ticket}});
  if (!fetched.ok() || fetched->status != 200 || fetched->body.empty()) {
    std::fprintf(stderr, "renkei demo: the example ITI-68 retrieve of %s with a ticket failed: %s\n",
                 document_url.c_str(),
                 fetched.ok() ? fetched->body.substr(0, 400).c_str() : fetched.status().ToString().c_str());
    return 1;
  }
  // The same document through the centre's retrieve relay (docs/relay.md): B presents the
  // same ticket to the centre, which fetches from A's node with its own certificate.
  const std::string relay_path = "/relay/" + region.hospitals[0].oid + binary_path;
  Result<HttpReply> relayed =
      (*client)->Send("GET", relay_path, "", "", {{"Authorization", "Bearer " + ticket}});
  if (!relayed.ok() || relayed->status != 200 || relayed->body != fetched->body) {
    std::fprintf(stderr, "renkei demo: the example relay of %s failed: %s\n", relay_path.c_str(),
                 relayed.ok() ? relayed->body.substr(0, 400).c_str()
                              : relayed.status().ToString().c_str());
    return 1;
  }
  // Hospital B views one of hospital A's imaging studies: a ticket for its manifest opens
  // that study at A's node (QIDO-RS, WADO-RS, RAD-69), and only that one.
  std::string manifest_uid;
  for (const xds::DocumentEntry& e : found->entries) {
    if (manifest_uid.empty() && e.format_code.code == "1.2.840.10008.5.1.4.1.1.88.59") {
      manifest_uid = e.unique_id;
    }
  }
  Result<std::string> viewed =
      ShowImageAccess(**client, **holder,
                      {first.regional_id, manifest_uid, region.hospitals[0].repository_unique_id,
                       repo_a, imaging->study_uids});
  if (!viewed.ok() || std::find(imaging->study_uids.begin(), imaging->study_uids.end(),
                                *viewed) == imaging->study_uids.end()) {
    std::fprintf(stderr, "renkei demo: the image-access example failed: %s\n",
                 viewed.ok() ? ("it opened study " + *viewed).c_str()
                             : viewed.status().ToString().c_str());
    return 1;
  }
  // curl as hospital A's / B's EMR: their certificates, the region's CA.
  auto curl_as = [&](size_t h) {
    return "curl -s --cacert " + pki->ca_cert + " --cert " + pki->hospitals[h].cert + " --key " +
           pki->hospitals[h].key;
  };
  const std::string curl_a = curl_as(0), curl_b = curl_as(1);
  const std::string tls_b = "--cert " + pki->hospitals[1].cert + " --key " +
                            pki->hospitals[1].key + " --ca " + pki->ca_cert;
  std::printf("ready demo %s\n", base.c_str());
  std::printf(
      "\nRenkei demo region on loopback\n"
      "  centre (XDS.b Document Registry, SQLite in %s/centre): %s/xds/registry\n"
      "  PIX Manager: %s (ITI-8, ITI-9), %s/fhir (PIXm, PDQm, ITI-104)\n"
      "  hospital nodes (XDS.b Document Repositories): %s/xds/repository, %s/xds/repository\n"
      "  %zu hospitals fed their patients (ITI-8; hospital B linked by the regional ID)\n"
      "  and published %d documents for %zu patients (ITI-41 to their nodes, which keep the\n"
      "  bytes and registered the metadata at the centre with ITI-42)\n"
      "  Every link is mutual TLS with certificates of the region's CA (%s/pki; a browser\n"
      "  bundle for the viewing clinic: %s, password %s).\n\n"
      "Find %s's documents as hospital B (ITI-18 FindDocuments, regional ID %s):\n\n"
      "  %s \\\n"
      "       -H 'Content-Type: application/soap+xml; charset=UTF-8' \\\n"
      "       --data-binary @%s %s/xds/registry\n\n"
      "(the answer lists the %zu DocumentEntries hospital B may see). The same patient at the\n"
      "other hospital (PIXm, ITI-83):\n\n"
      "  %s \\\n"
      "       '%s/fhir/Patient/$ihe-pix?sourceIdentifier=urn:oid:%s|%s'\n\n"
      "The same documents by hospital B's own patient ID (PIXm, then ITI-18):\n\n"
      "  renkei query --centre %s --local-id %s --authority %s --regional-oid %s \\\n"
      "       %s\n\n"
      "Retrieve the discharge summary %s from hospital A's node as hospital A (ITI-43; the\n"
      "answer is MTOM: the SOAP envelope, then the CDA document as its own MIME part):\n\n"
      "  %s \\\n"
      "       -H 'Content-Type: application/soap+xml; charset=UTF-8; action=\"%s\"' \\\n"
      "       --data-binary @%s %s\n\n"
      "The same patient's documents in FHIR (MHD ITI-67, by hospital B's own patient ID):\n\n"
      "  %s '%s%s'\n\n"
      "Hospital B fetches one of hospital A's documents from A's node by its attachment URL\n"
      "(ITI-68). A's node serves another facility only with an access ticket of the centre\n"
      "(without one: 401). Ask the centre for one (it checks that B may see the document),\n"
      "then present it with the same certificate:\n\n"
      "  TICKET=$(%s \\\n"
      "       --data 'grant_type=client_credentials&patient=%s&document=%s' \\\n"
      "       %s/oauth2/token | sed 's/.*\"access_token\":\"\\([^\"]*\\)\".*/\\1/')\n"
      "  %s -H \"Authorization: Bearer $TICKET\" %s\n\n"
      "The same through the centre's relay (the centre streams it from A's node, keeps nothing):\n\n"
      "  %s -H \"Authorization: Bearer $TICKET\" %s%s\n\n"
      "Hospital A's PACS stored %d images of this patient on A's node (a CT series, an\n"
      "endoscopy study, a pathology slide); the node linked them to the regional ID through the\n"
      "PIX Manager (OtherPatientIDsSequence) and registered an XDS-I.b manifest of each study\n"
      "at the centre (in the FindDocuments answer above); when the CT gained a slice, a new\n"
      "manifest replaced its first one (RPLC). Its studies (QIDO-RS), then the slide's second\n"
      "tile (WADO-RS frames) as hospital A:\n\n"
      "  %s '%s/dicomweb/studies?PatientID=%s'\n"
      "  %s -H 'Accept: multipart/related; type=\"application/octet-stream\"' \\\n"
      "       %s/dicomweb/studies/%s/series/%s/instances/%s/frames/2\n\n"
      "Press Ctrl-C to stop.\n",
      data_dir.c_str(), base.c_str(), (*centre)->mllp_url().c_str(), base.c_str(),
      nodes[0]->base_url().c_str(), nodes[1]->base_url().c_str(),
      region.hospitals.size(), documents,
      region.patients.size(), data_dir.c_str(), pki->clinic_p12.c_str(),
      pki->p12_password.c_str(), (first.family_kanji + " " + first.given_kanji).c_str(),
      first.regional_id.c_str(), curl_b.c_str(),
      query_file.c_str(), base.c_str(), found->entries.size(), curl_b.c_str(), base.c_str(),
      local_oid.c_str(), local_id.c_str(), base.c_str(), b_id.c_str(), b_oid.c_str(),
      region.regional_domain_oid.c_str(), tls_b.c_str(), example_uid.c_str(), curl_a.c_str(),
      xds::kActionRetrieve, retrieve_file.c_str(), repo_a.c_str(), curl_b.c_str(), base.c_str(),
      mhd_query.c_str(), curl_b.c_str(), FormValue(first.regional_id).c_str(),
      document_uid.c_str(), base.c_str(), curl_b.c_str(), document_url.c_str(), curl_b.c_str(),
      base.c_str(), relay_path.c_str(), imaging->instances + 1, curl_a.c_str(),
      nodes[0]->base_url().c_str(), pacs_patient.id.c_str(), curl_a.c_str(),
      nodes[0]->base_url().c_str(), imaging->study_uids.back().c_str(),
      imaging->slide_series_uid.c_str(), imaging->slide_sop_uid.c_str());
  std::fflush(stdout);
  if (!once) WaitForStopSignal();
  nodes.clear();
  centre->reset();
  return 0;
}

}  // namespace renkei::apps
