// XDS-I.b manifests of quiet studies, queued for registration in the node's outbox.
#include "apps/node_manifests.h"

#include "common/log.h"
#include "common/utc_time.h"
#include "dicomweb/kos_manifest.h"
#include "profiles/region_document_kinds.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::apps {

ManifestPublisher::ManifestPublisher(dicomweb::DicomStore& images,
                                     repository::DocumentStore& documents,
                                     repository::Outbox& outbox, ManifestPublisherOptions options)
    : images_(images), documents_(documents), outbox_(outbox), options_(std::move(options)) {}

ManifestPublisher::~ManifestPublisher() { Stop(); }

void ManifestPublisher::Start() {
  worker_.Start("xdsi-manifests", 0, [this] {
    Result<int> n = RunOnce();
    if (!n.ok()) LogWarning("xds-i: " + n.status().ToString());
    return options_.poll_ms;
  });
}

void ManifestPublisher::Stop() { worker_.Stop(); }

Result<int> ManifestPublisher::RunOnce() {
  const int64_t now_ms = UnixMillisNow();
  RENKEI_ASSIGN_OR_RETURN(std::vector<std::string> due,
                          images_.StudiesDueForManifest(now_ms - options_.delay_ms));
  int queued = 0;
  for (const std::string& study : due) {
    Status s = Publish(study);
    if (!s.ok()) {
      LogWarning("xds-i: the manifest of study " + study + " is not queued: " + s.ToString());
      continue;
    }
    ++queued;
  }
  return queued;
}

Status ManifestPublisher::Publish(const std::string& study_uid) {
  std::string regional_id, previous_entry;
  RENKEI_ASSIGN_OR_RETURN(std::vector<dicomweb::DicomInstance> instances,
                          images_.StudyInstances(study_uid, &regional_id, &previous_entry));
  if (regional_id.empty()) return Status::Unavailable("xds-i", "the patient is not linked yet");
  dicomweb::ManifestOptions mopts;
  mopts.retrieve_location_uid = options_.repository_unique_id;
  RENKEI_ASSIGN_OR_RETURN(dicomweb::Manifest manifest, dicomweb::BuildManifest(instances, mopts));

  RENKEI_ASSIGN_OR_RETURN(std::unique_ptr<repository::Upload> upload, documents_.BeginUpload());
  RENKEI_RETURN_IF_ERROR(upload->Write(manifest.bytes.data(), manifest.bytes.size()));
  RENKEI_RETURN_IF_ERROR(upload->Finish());

  const dicomweb::DicomInstance& first = instances.front();
  const std::string now = UtcNow("%Y%m%d%H%M%S");
  xds::SimpleSubmission sub;
  sub.patient_id = regional_id;
  sub.unique_id = manifest.sop_instance_uid + ".1";  // the SubmissionSet's, under the KOS UID
  sub.source_id = options_.facility_oid;
  sub.submission_time = now;
  sub.title = "画像検査 " + first.study_description;
  sub.author_institution = "^^^^^&" + options_.facility_oid + "&ISO";
  const profiles::DocumentKind& kind = profiles::RegionImagingManifestKind();
  sub.content_type_code = kind.class_code;
  xds::SimpleDocument d;
  // The node names the entry itself, so that the study's next manifest can replace it.
  d.symbolic_id = xds::NewUrnUuid();
  profiles::ApplyRegionDocumentKind(kind, &d);
  if (!first.study_description.empty()) d.title = kind.title + " " + first.study_description;
  d.unique_id = manifest.sop_instance_uid;
  d.creation_time = now;
  if (!first.study_date.empty()) {
    d.service_start_time = first.study_date + first.study_time.substr(0, 6);
  }
  d.source_patient_id = first.issuer_of_patient_id.empty()
                            ? regional_id
                            : first.patient_id + "^^^&" + first.issuer_of_patient_id + "&ISO";
  d.author_institution = sub.author_institution;
  d.repository_unique_id = options_.repository_unique_id;
  d.hash = upload->sha1_hex();
  d.size = std::to_string(upload->size());
  // The modalities of the study as event codes (DCM), as XDS-I.b asks.
  for (const dicomweb::DicomInstance& i : instances) {
    bool seen = false;
    for (const xds::Code& c : d.event_codes) seen = seen || c.code == i.modality;
    if (!i.modality.empty() && !seen) d.event_codes.push_back({i.modality, "1.2.840.10008.2.16.4", i.modality});
  }
  sub.documents.push_back(d);
  // The regional patient ID goes with it: an access ticket for the manifest names it.
  RENKEI_RETURN_IF_ERROR(documents_.Stage({{d.unique_id, d.mime_type, upload.get(), regional_id}}));
  xds::SubmitObjectsRequest request = xds::BuildSubmitObjectsRequest(sub);
  if (!previous_entry.empty()) {
    // A study that changed: this manifest replaces the last one (ITI TF-3 4.2.2.2.2 RPLC;
    // the registry deprecates it).
    xds::RegistryObject rplc;
    rplc.kind = xds::ObjectKind::kAssociation;
    rplc.id = "ManifestReplaces";
    rplc.association_type = xds::kAssocRplc;
    rplc.source_object = d.symbolic_id;
    rplc.target_object = previous_entry;
    request.objects.push_back(std::move(rplc));
  }
  Result<int64_t> queued = outbox_.Enqueue(request, {d.unique_id});
  if (!queued.ok()) {
    (void)documents_.Discard({d.unique_id});
    return queued.status();
  }
  LogInfo("xds-i: manifest " + d.unique_id + " of study " + study_uid + " (" +
          std::to_string(instances.size()) + " instances) queued for registration");
  return images_.RecordManifest(study_uid, static_cast<int64_t>(instances.size()), d.unique_id,
                                d.symbolic_id);
}

}  // namespace renkei::apps
