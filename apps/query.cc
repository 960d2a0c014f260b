// `renkei query` (see query.h): PIXm, then ITI-18 FindDocuments, printed as a table.
#include "apps/query.h"

#include <Poco/URI.h>

#include <cstdio>
#include <map>

#include "apps/centre.h"
#include "common/config.h"
#include "common/fhir_outcome.h"
#include "pix/fhir_codes.h"
#include "pix/pixm.h"
#include "xds/ebrim_codec.h"
#include "xds/soap.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::apps {
namespace {

constexpr char kUsage[] =
    "usage: renkei query --centre URL (--patient-id CX | --local-id ID --authority OID)\n"
    "                    [--regional-oid OID] [--status approved|deprecated|all]\n"
    "                    [--cert PEM --key PEM --ca PEM]\n"
    "  Finds a patient's documents in the region (ITI-18 FindDocuments). With --local-id the\n"
    "  patient is named by a hospital's own ID, which the centre's PIX Manager resolves to\n"
    "  the regional ID (PIXm); --regional-oid defaults to the centre's default domain.\n"
    "  An https:// centre is asked over mutual TLS with the facility certificate --cert/--key\n"
    "  (the documents the centre shows are those this facility may see), checked against --ca.\n";

std::string QueryValue(const std::string& value) {
  std::string out;
  Poco::URI::encode(value, "!#$&'()*+,/:;=?@[]|% ", out);
  return out;
}

// What the centre said in an OperationOutcome, or the start of the body.
std::string Diagnostics(const HttpReply& reply) {
  std::string text = OperationOutcomeText(reply.body);
  return text.empty() ? reply.body.substr(0, 300) : text;
}

std::string Describe(const xds::RegistryErrorList& errors) {
  std::string out;
  for (const xds::RegistryError& e : errors) {
    if (!out.empty()) out += "; ";
    out += e.error_code + ": " + e.code_context;
    if (!e.location.empty()) out += " (" + e.location + ")";
  }
  return out;
}

std::string Display(const xds::Code& code) {
  return code.display.empty() ? code.code : code.display;
}

std::string ShortStatus(const std::string& urn) {
  const size_t colon = urn.rfind(':');
  return colon == std::string::npos ? urn : urn.substr(colon + 1);
}

}  // namespace

Result<std::string> ResolveRegionalId(HttpClient& centre, const std::string& local_id,
                                      const std::string& authority_oid,
                                      const std::string& regional_oid) {
  const std::string path = "/fhir/Patient/$ihe-pix?sourceIdentifier=" +
                           QueryValue(pix::SystemOfOid(authority_oid) + "|" + local_id) +
                           "&targetSystem=" + QueryValue(pix::SystemOfOid(regional_oid));
  RENKEI_ASSIGN_OR_RETURN(HttpReply reply,
                          centre.Send("GET", path, "", "", {{"Accept", "application/fhir+json"}}));
  if (reply.status == 404 || reply.status == 400) {
    return Status::NotFound("pixm", "the PIX Manager does not know " + local_id + " of " +
                                        authority_oid + ": " + Diagnostics(reply));
  }
  if (reply.status != 200) {
    return Status::Internal("pixm", "PIXm answered HTTP " + std::to_string(reply.status) +
                                        ": " + Diagnostics(reply));
  }
  RENKEI_ASSIGN_OR_RETURN(std::vector<pix::Cx> targets, pix::PixmTargetsFromJson(reply.body));
  for (const pix::Cx& cx : targets) {
    if (cx.oid == regional_oid) return cx.id + "^^^&" + regional_oid + "&ISO";
  }
  return Status::NotFound("pixm", local_id + " of " + authority_oid +
                                      " has no regional ID in " + regional_oid);
}

std::string FindDocumentsRequest(const std::string& patient_id,
                                 const std::vector<std::string>& statuses) {
  xds::AdhocQueryRequest q;
  q.query_id = xds::kSqFindDocuments;
  q.return_type = "LeafClass";
  q.return_composed_objects = true;
  std::string status_list = "(";
  for (const std::string& s : statuses) {
    status_list += (status_list.size() > 1 ? ",'" : "'") + s + "'";
  }
  status_list += ")";
  q.params = {{"$XDSDocumentEntryPatientId", "", {"'" + patient_id + "'"}},
              {"$XDSDocumentEntryStatus", "", {status_list}}};
  return xds::EncodeSoapRequest(xds::kActionStoredQuery, "/xds/registry",
                                xds::EncodeAdhocQueryRequest(q));
}

Result<FoundDocuments> FindDocuments(HttpClient& centre, const std::string& patient_id,
                                     const std::vector<std::string>& statuses) {
  const std::string body = FindDocumentsRequest(patient_id, statuses);
  RENKEI_ASSIGN_OR_RETURN(
      HttpReply reply,
      centre.Post("/xds/registry", "application/soap+xml; charset=UTF-8", body));
  RENKEI_ASSIGN_OR_RETURN(xds::SoapMessage message,
                          xds::SoapMessage::Parse(reply.body, xds::SoapLimits{}));
  FoundDocuments found;
  RENKEI_ASSIGN_OR_RETURN(xds::AdhocQueryResponse response,
                          xds::DecodeAdhocQueryResponse(message, &found.errors));
  if (response.status == xds::kResponseFailure) {
    return Status::InvalidArgument("registry", "the registry refused the query: " +
                                                   Describe(found.errors));
  }
  for (const xds::RegistryObject& o : response.objects) {
    if (o.kind == xds::ObjectKind::kExtrinsicObject) {
      found.entries.push_back(xds::ReadDocumentEntry(o));
    }
  }
  return found;
}

int RunQuery(const std::vector<std::string>& args) {
  std::map<std::string, std::string> flags;
  for (size_t i = 0; i < args.size(); i += 2) {
    if (args[i].rfind("--", 0) != 0 || i + 1 >= args.size()) {
      std::fputs(kUsage, stderr);
      return 2;
    }
    flags[args[i].substr(2)] = args[i + 1];
  }
  for (const auto& [name, value] : flags) {
    if (name != "centre" && name != "patient-id" && name != "local-id" && name != "authority" &&
        name != "regional-oid" && name != "status" && name != "cert" && name != "key" &&
        name != "ca") {
      std::fprintf(stderr, "renkei query: unknown option --%s\n%s", name.c_str(), kUsage);
      return 2;
    }
  }
  const bool by_local = flags.count("local-id") > 0;
  if (!flags.count("centre") || by_local == (flags.count("patient-id") > 0) ||
      by_local != (flags.count("authority") > 0)) {
    std::fputs(kUsage, stderr);
    return 2;
  }
  std::vector<std::string> statuses;
  const std::string status = flags.count("status") ? flags["status"] : "approved";
  if (status == "approved" || status == "all") statuses.push_back(xds::kStatusApproved);
  if (status == "deprecated" || status == "all") statuses.push_back(xds::kStatusDeprecated);
  if (statuses.empty()) {
    std::fprintf(stderr, "renkei query: --status must be approved, deprecated or all\n");
    return 2;
  }
  if (flags.count("cert") || flags.count("key") || flags.count("ca")) {
    auto tls = TlsContext::Client({flags["cert"], flags["key"], flags["ca"], ""});
    if (!tls.ok()) {
      std::fprintf(stderr, "renkei query: --cert/--key/--ca: %s\n", tls.status().message().c_str());
      return 2;
    }
    SetClientTls(*tls);
  }
  auto client = HttpClient::Create(flags["centre"]);
  if (!client.ok()) {
    std::fprintf(stderr, "renkei query: --centre: %s\n", client.status().message().c_str());
    return 2;
  }

  std::string patient_id = flags["patient-id"];
  if (by_local) {
    std::string regional_oid = flags["regional-oid"];
    if (regional_oid.empty()) {  // the centre's default regional domain
      Result<Config> defaults = Config::Load(CentreConfigSchema(), "", {});
      if (defaults.ok()) regional_oid = defaults->GetString("pix.regional_domain.oid");
    }
    Result<std::string> regional =
        ResolveRegionalId(**client, flags["local-id"], flags["authority"], regional_oid);
    if (!regional.ok()) {
      std::fprintf(stderr, "renkei query: %s\n", regional.status().message().c_str());
      return 1;
    }
    patient_id = *regional;
    std::printf("%s of %s is %s in the region (PIXm)\n", flags["local-id"].c_str(),
                flags["authority"].c_str(), patient_id.c_str());
  }

  Result<FoundDocuments> found = FindDocuments(**client, patient_id, statuses);
  if (!found.ok()) {
    std::fprintf(stderr, "renkei query: %s\n", found.status().message().c_str());
    return 1;
  }
  std::printf("%zu documents of %s (ITI-18 FindDocuments, %s)\n", found->entries.size(),
              patient_id.c_str(), status.c_str());
  for (const xds::DocumentEntry& e : found->entries) {
    std::printf("  %s  %s | %s | %s\n    uniqueId %s  repository %s  %s  %s\n",
                e.creation_time.c_str(), Display(e.class_code).c_str(),
                Display(e.type_code).c_str(), e.title.c_str(), e.unique_id.c_str(),
                e.repository_unique_id.c_str(), e.mime_type.c_str(),
                ShortStatus(e.availability_status).c_str());
  }
  if (!found->errors.empty()) {
    std::printf("registry warnings: %s\n", Describe(found->errors).c_str());
  }
  return 0;
}

}  // namespace renkei::apps
