// ITI-65 at the node: Bundle → ITI-41 (repository/mhd_recipient.h).
#include "repository/mhd_recipient.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <map>

#include "profiles/mhd_messages.h"
#include "profiles/region_document_kinds.h"
#include "xds/metadata.h"
#include "xds/xds_errors.h"

namespace renkei::repository {
namespace {

std::string WithoutUrnUuid(const std::string& id) {
  constexpr char kPrefix[] = "urn:uuid:";
  return id.rfind(kPrefix, 0) == 0 ? id.substr(sizeof(kPrefix) - 1) : id;
}

// "urn:uuid:x" / "http://h/fhir/Binary/x" → "x".
std::string LastSegment(const std::string& url) {
  const size_t cut = url.find_last_of("/:");
  return cut == std::string::npos ? url : url.substr(cut + 1);
}

// XDS errors (severity error) → one Status: the codes first, so a client sees them at once.
Status StatusOfXdsErrors(const xds::RegistryErrorList& errors) {
  std::string text;
  bool unavailable = false, full = false;
  for (const xds::RegistryError& e : errors) {
    if (e.severity != xds::Severity::kError) continue;
    if (!text.empty()) text += "; ";
    text += e.error_code + ": " + e.code_context;
    if (!e.location.empty()) text += " (" + e.location + ")";
    unavailable |= e.error_code == xds::XdsErrorCode(xds::XdsError::kRegistryNotAvailable);
    full |= e.error_code == xds::XdsErrorCode(xds::XdsError::kRepositoryOutOfResources);
  }
  if (text.empty()) return Status::Ok();
  if (unavailable) return Status::Unavailable("transient", text);
  if (full) return Status::ResourceExhausted("transient", text);
  return Status::Conflict("processing", text);
}

}  // namespace

profiles::MhdMinimalDefaults RegionMinimalDefaults() {
  const auto& kinds = profiles::RegionDocumentKinds();
  const profiles::DocumentKind& progress_note = kinds[2];
  profiles::MhdMinimalDefaults d;
  d.class_code = progress_note.class_code;
  d.type_code = progress_note.type_code;
  d.format_code = progress_note.format_code;
  d.confidentiality_code = profiles::RegionConfidentialityNormal();
  d.healthcare_facility_type_code = profiles::RegionHospitalFacilityType();
  d.practice_setting_code = kinds[0].practice_setting_code;  // general medicine
  d.content_type_code = progress_note.type_code;
  d.language_code = "ja";
  return d;
}

std::string BinaryPathOf(const std::string& document_unique_id) {
  std::string out = "Binary/";
  for (unsigned char c : document_unique_id) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      char hex[4];
      std::snprintf(hex, sizeof(hex), "%%%02X", c);
      out += hex;
    }
  }
  return out;
}

MhdRecipient::MhdRecipient(DocumentRepository& repository, PatientReader patients,
                           MhdRecipientOptions options)
    : repository_(repository), patients_(std::move(patients)), options_(std::move(options)) {}

Result<std::string> MhdRecipient::Provide(const std::string& bundle_json) {
  Status lookup_error;
  profiles::MhdContext ctx;
  ctx.fhir_base = options_.centre_fhir_base;
  ctx.minimal_defaults = options_.minimal_defaults;
  ctx.require_bundle_profile = options_.require_bundle_profile;
  ctx.patient_cx = [&](const std::string& patient_id) -> std::string {
    Result<std::string> patient = patients_(patient_id);
    if (!patient.ok()) {
      if (!patient.status().IsNotFound()) lookup_error = patient.status();
      return "";
    }
    return profiles::PatientCxInDomain(*patient, options_.regional_domain_oid);
  };
  Result<profiles::MhdSubmission> submission =
      profiles::DecodeProvideDocumentBundle(bundle_json, ctx);
  if (!lookup_error.ok()) {
    return Status::Unavailable("transient", "the centre could not resolve the Patient: " +
                                                lookup_error.message());
  }
  if (!submission.ok()) {
    const Status& s = submission.status();
    std::string text = s.message();
    if (!s.location().empty()) text += " (at " + s.location() + ")";
    return Status::InvalidArgument(s.detail().empty() ? "invalid" : s.detail(), text);
  }

  // Locations first: the request is moved into the repository below.
  std::map<std::string, std::string> unique_id_of;  // ExtrinsicObject id → uniqueId
  for (const xds::RegistryObject& o : submission->request.objects) {
    if (o.kind == xds::ObjectKind::kExtrinsicObject) {
      unique_id_of[o.id] = xds::ReadDocumentEntry(o).unique_id;
    }
  }
  std::vector<std::string> locations;
  for (const profiles::MhdBundleEntry& e : submission->entries) {
    if (e.resource_type == "Binary") {
      auto doc = std::find_if(submission->documents.begin(), submission->documents.end(),
                              [&](const profiles::MhdDocumentData& d) {
                                return d.binary_full_url == e.full_url;
                              });
      locations.push_back(doc == submission->documents.end()
                              ? "Binary/" + LastSegment(e.full_url)
                              : BinaryPathOf(unique_id_of[doc->entry_id]));
    } else if (!e.object_id.empty()) {
      locations.push_back(e.resource_type + "/" + WithoutUrnUuid(e.object_id));
    } else {
      locations.push_back(e.resource_type + "/" + LastSegment(e.full_url));
    }
  }

  xds::ProvideAndRegisterRequest request;
  request.submission = std::move(submission->request);
  for (profiles::MhdDocumentData& d : submission->documents) {
    request.documents.push_back({d.entry_id, "", std::move(d.bytes)});
  }
  RENKEI_RETURN_IF_ERROR(
      StatusOfXdsErrors(repository_.ProvideAndRegister(std::move(request), ReceivedParts{})));
  return profiles::TransactionResponseJson(locations);
}

}  // namespace renkei::repository
