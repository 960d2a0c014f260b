// MHD 4.2 XDS ⇄ FHIR mapping: round trips both ways on the IHE example bundle and on
// region submissions built with xds::BuildSubmitObjectsRequest.
#include "profiles/mhd_mapping.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <map>

#include "profiles/internal/mhd_json.h"
#include "profiles/region_document_kinds.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::profiles {
namespace {

constexpr char kBase[] = "https://centre.example/fhir";
constexpr char kRegionPatient[] = "R0001^^^&1.2.392.200119.6.102.99&ISO";

MhdContext Context() {
  MhdContext ctx;
  ctx.fhir_base = kBase;
  ctx.patient_cx = [](const std::string& id) -> std::string {
    if (id == "ex-patient") return "ex-patient^^^&1.3.6.1.4.1.21367.13.20.1000&ISO";
    if (id == "p1") return kRegionPatient;
    return "";
  };
  ctx.patient_resource_id = [](const std::string& cx) -> std::string {
    if (cx == kRegionPatient) return "p1";
    if (cx == "ex-patient^^^&1.3.6.1.4.1.21367.13.20.1000&ISO") return "ex-patient";
    return "";
  };
  return ctx;
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str(), json.size());
  return d;
}

std::string At(const rapidjson::Document& d, const char* pointer) {
  const rapidjson::Value* v = rapidjson::Pointer(pointer).Get(d);
  if (v == nullptr) return "<absent>";
  if (v->IsString()) return v->GetString();
  if (v->IsUint()) return std::to_string(v->GetUint());
  return "<not a string>";
}

// The XDS fields both directions must preserve (docs/mhd.md "round trip").
void ExpectSameEntry(const xds::DocumentEntry& a, const xds::DocumentEntry& b) {
  EXPECT_EQ(a.entry_uuid, b.entry_uuid);
  EXPECT_EQ(a.unique_id, b.unique_id);
  EXPECT_EQ(a.patient_id, b.patient_id);
  EXPECT_EQ(a.source_patient_id, b.source_patient_id);
  EXPECT_EQ(a.source_patient_info, b.source_patient_info);
  EXPECT_EQ(a.mime_type, b.mime_type);
  EXPECT_EQ(a.hash, b.hash);
  EXPECT_EQ(a.size, b.size);
  EXPECT_EQ(a.creation_time, b.creation_time);
  EXPECT_EQ(a.service_start_time, b.service_start_time);
  EXPECT_EQ(a.service_stop_time, b.service_stop_time);
  EXPECT_EQ(a.language_code, b.language_code);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.comments, b.comments);
  EXPECT_EQ(a.legal_authenticator, b.legal_authenticator);
  EXPECT_EQ(a.class_code, b.class_code);
  EXPECT_EQ(a.type_code, b.type_code);
  EXPECT_EQ(a.format_code, b.format_code);
  EXPECT_EQ(a.healthcare_facility_type_code, b.healthcare_facility_type_code);
  EXPECT_EQ(a.practice_setting_code, b.practice_setting_code);
  EXPECT_EQ(a.confidentiality_codes, b.confidentiality_codes);
  EXPECT_EQ(a.event_codes, b.event_codes);
  EXPECT_EQ(a.authors, b.authors);
  EXPECT_EQ(a.reference_ids, b.reference_ids);
  EXPECT_EQ(a.limited_metadata, b.limited_metadata);
}

// A region submission of all six document kinds with urn:uuid ids, as a Document Source
// of the region builds it.
xds::SubmitObjectsRequest RegionRequest() {
  xds::SimpleSubmission s;
  s.patient_id = kRegionPatient;
  s.unique_id = "1.2.392.200119.6.102.99.1.1";
  s.source_id = "1.2.392.200119.6.102.99";
  s.submission_time = "20240401093000";
  s.title = "退院時の文書";
  s.author_person = "D123^山田^太郎^^^^^^&1.2.392.200119.6.102.99.2&ISO";
  s.author_institution = "東病院^^^^^&1.2.392.200119.6.102.99.3&ISO^^^^0001";
  s.content_type_code = RegionDocumentKinds()[0].class_code;
  int n = 0;
  for (const DocumentKind& kind : RegionDocumentKinds()) {
    xds::SimpleDocument d;
    ApplyRegionDocumentKind(kind, &d);
    d.symbolic_id = xds::NewUrnUuid();
    d.unique_id = "1.2.392.200119.6.102.99.1.1." + std::to_string(++n);
    d.hash = "0a4d55a8d778e5022fab701977c5d840bbc486d0";
    d.size = "11";
    d.creation_time = "20240331" + std::string(n % 2 ? "1015" : "101530");
    d.service_start_time = "20240330";
    d.source_patient_id = "H-" + std::to_string(n) + "^^^&1.2.392.200119.6.102.99.4&ISO";
    d.author_person = s.author_person;
    d.author_institution = s.author_institution;
    d.event_codes = {{"ANNUAL", "2.16.840.1.113883.5.4", "annual"}};
    s.documents.push_back(std::move(d));
  }
  xds::SubmitObjectsRequest req = xds::BuildSubmitObjectsRequest(s);
  const std::string ss_id = xds::NewUrnUuid();
  for (xds::RegistryObject& o : req.objects) {
    if (o.id == "SubmissionSet01") o.id = ss_id;
    if (o.source_object == "SubmissionSet01") o.source_object = ss_id;
    for (auto& c : o.classifications)
      if (c.classified_object == "SubmissionSet01") c.classified_object = ss_id;
    for (auto& e : o.external_identifiers)
      if (e.registry_object == "SubmissionSet01") e.registry_object = ss_id;
  }
  for (auto& c : req.classifications) c.classified_object = ss_id;
  return req;
}

// XDS → DocumentReference → XDS, one entry at a time.
TEST(MhdMappingTest, DocumentEntryRoundTripsThroughDocumentReference) {
  const MhdContext ctx = Context();
  const xds::Submission sub = xds::ReadSubmission(RegionRequest());
  ASSERT_EQ(sub.documents.size(), 6u);
  for (const xds::DocumentEntry& d : sub.documents) {
    xds::DocumentEntry original = d;
    // What the builder does not set, set here so every mapped attribute is exercised.
    xds::RegistryObject rim = d.rim;
    rim.description = internal::XdsText("コメント");
    rim.slots.push_back({xds::kSlotServiceStopTime, "", {"20240331"}});
    rim.slots.push_back(
        {xds::kSlotLegalAuthenticator, "", {"D9^佐藤^花子^^^Dr^^^&1.2.392.200119.6.102.99.2&ISO"}});
    rim.slots.push_back(
        {xds::kSlotSourcePatientInfo, "", {"PID-5|東^一郎", "PID-7|19600101", "PID-8|M"}});
    rim.slots.push_back(
        {xds::kSlotReferenceIdList, "", {"A-1^^^&1.2.3&ISO^urn:ihe:iti:xds:2013:accession"}});
    original = xds::ReadDocumentEntry(rim);
    if (original.creation_time.size() == 12) original.creation_time += "00";  // see docs/mhd.md
    const std::string json = DocumentReferenceJson(rim, xds::kStatusApproved, ctx);
    auto back = DecodeDocumentReference(json, MhdOption::kComprehensive, ctx);
    ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << json;
    xds::DocumentEntry again = xds::ReadDocumentEntry(*back);
    ExpectSameEntry(original, again);
    EXPECT_EQ(again.availability_status, xds::kStatusApproved);
    // Not carried by MHD: repositoryUniqueId (only inside attachment.url).
    EXPECT_EQ(again.repository_unique_id, "");
    const rapidjson::Document fhir = Parse(json);
    EXPECT_EQ(At(fhir, "/subject/reference"), std::string(kBase) + "/Patient/p1");
    EXPECT_EQ(At(fhir, "/id"), internal::ResourceIdOf(d.entry_uuid));
    EXPECT_EQ(At(fhir, "/identifier/0/use"), "official");
    EXPECT_EQ(At(fhir, "/content/0/attachment/hash"), "Ck1VqNd45QIvq3AZd8XYQLvEhtA=");
    EXPECT_EQ(At(fhir, "/masterIdentifier/value"), "urn:oid:" + d.unique_id);
    EXPECT_EQ(At(fhir, "/type/coding/0/system"), "http://loinc.org");
  }
}

TEST(MhdMappingTest, DocumentReferenceStatusUrlDateAndRelatesTo) {
  MhdContext ctx = Context();
  ctx.document_url = [](const std::string& repo, const std::string& uid) {
    return std::string(kBase) + "/Binary/" + repo + "-" + uid;
  };
  xds::Submission sub = xds::ReadSubmission(RegionRequest());
  xds::RegistryObject rim = sub.documents[0].rim;
  rim.slots.push_back({xds::kSlotRepositoryUniqueId, "", {"1.2.3.9"}});
  DocumentReferenceExtras extras;
  extras.submission_time = "20240401093000";
  extras.relates_to = {{xds::kAssocRplc, "urn:uuid:0a468477-5dd1-4a81-bddf-8d5ee9b0cac3"},
                       {xds::kAssocXfrmRplc, "urn:uuid:0a468477-5dd1-4a81-bddf-8d5ee9b0cac4"}};
  const rapidjson::Document fhir =
      Parse(DocumentReferenceJson(rim, xds::kStatusDeprecated, ctx, extras));
  EXPECT_EQ(At(fhir, "/status"), "superseded");
  EXPECT_EQ(At(fhir, "/date"), "2024-04-01T09:30:00Z");
  EXPECT_EQ(At(fhir, "/content/0/attachment/url"),
            std::string(kBase) + "/Binary/1.2.3.9-" + sub.documents[0].unique_id);
  EXPECT_EQ(At(fhir, "/relatesTo/0/code"), "replaces");
  EXPECT_EQ(At(fhir, "/relatesTo/0/target/reference"),
            "DocumentReference/0a468477-5dd1-4a81-bddf-8d5ee9b0cac3");
  EXPECT_EQ(At(fhir, "/relatesTo/1/code"), "<absent>");  // XFRM_RPLC has no FHIR code
  // The author with person and institution is a contained PractitionerRole.
  EXPECT_EQ(At(fhir, "/author/0/reference"), "#author1-role");
}

TEST(MhdMappingTest, SubmissionSetAndFolderRoundTripThroughList) {
  const MhdContext ctx = Context();
  const xds::Submission sub = xds::ReadSubmission(RegionRequest());
  xds::RegistryObject ss = sub.submission_sets.at(0).rim;
  ss.slots.push_back({xds::kSlotIntendedRecipient,
                      "",
                      {"||^^Internet^dr@example.jp", "西病院^^^^^&1.2.3&ISO^^^^9|^伊藤^二郎"}});
  ss.description = internal::XdsText("紹介状");
  ListMembers members;
  for (const auto& d : sub.documents) members.documents.push_back(d.entry_uuid);
  const std::string json = SubmissionSetListJson(ss, xds::kStatusApproved, members, ctx);
  const rapidjson::Document fhir = Parse(json);
  EXPECT_EQ(At(fhir, "/code/coding/0/code"), "submissionset");
  EXPECT_EQ(At(fhir, "/entry/0/item/reference"),
            "DocumentReference/" + internal::ResourceIdOf(sub.documents[0].entry_uuid));
  EXPECT_EQ(At(fhir, "/date"), "2024-04-01T09:30:00Z");
  auto back = DecodeList(json, MhdOption::kComprehensive, ctx);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << json;
  const xds::SubmissionSet a = xds::ReadSubmissionSet(ss);
  const xds::SubmissionSet b = xds::ReadSubmissionSet(*back);
  EXPECT_EQ(a.entry_uuid, b.entry_uuid);
  EXPECT_EQ(a.unique_id, b.unique_id);
  EXPECT_EQ(a.source_id, b.source_id);
  EXPECT_EQ(a.patient_id, b.patient_id);
  EXPECT_EQ(a.submission_time, b.submission_time);
  EXPECT_EQ(a.title, b.title);
  EXPECT_EQ(a.comments, b.comments);
  EXPECT_EQ(a.content_type_code, b.content_type_code);
  EXPECT_EQ(a.authors, b.authors);
  EXPECT_EQ(a.intended_recipients, b.intended_recipients);

  xds::RegistryObject folder;
  folder.kind = xds::ObjectKind::kRegistryPackage;
  folder.id = "urn:uuid:0a468477-5dd1-4a81-bddf-8d5ee9b0cac3";
  folder.status = xds::kStatusApproved;
  folder.name = internal::XdsText("入院 2024-03");
  internal::AddSlot(folder, xds::kSlotLastUpdateTime, "20240401093000");
  internal::AddCode(folder, xds::kFolderCodeList, RegionDocumentKinds()[0].class_code);
  internal::AddCode(folder, xds::kFolderCodeList, RegionDocumentKinds()[1].class_code);
  internal::AddExternalId(folder, xds::kFolderPatientId, kRegionPatient, "XDSFolder.patientId");
  internal::AddExternalId(folder, xds::kFolderUniqueId, "1.2.3.4.5", "XDSFolder.uniqueId");
  internal::AddNode(folder, xds::kFolderNode);
  const std::string fjson = FolderListJson(folder, "", members, ctx);
  auto fback = DecodeList(fjson, MhdOption::kComprehensive, ctx);
  ASSERT_TRUE(fback.ok()) << fback.status().ToString() << "\n" << fjson;
  const xds::Folder fa = xds::ReadFolder(folder);
  const xds::Folder fb = xds::ReadFolder(*fback);
  EXPECT_EQ(fa.entry_uuid, fb.entry_uuid);
  EXPECT_EQ(fa.unique_id, fb.unique_id);
  EXPECT_EQ(fa.patient_id, fb.patient_id);
  EXPECT_EQ(fa.title, fb.title);
  EXPECT_EQ(fa.codes, fb.codes);
  EXPECT_EQ(fa.last_update_time, fb.last_update_time);
  EXPECT_EQ(fb.availability_status, xds::kStatusApproved);
}

// XDS → ITI-65 Bundle → XDS: the node's view of what a FHIR Document Source sends.
TEST(MhdMappingTest, RegionSubmissionRoundTripsThroughProvideBundle) {
  MhdContext ctx = Context();
  const xds::Submission sub = xds::ReadSubmission(RegionRequest());
  std::map<std::string, std::string> binary_of;  // uniqueId → Binary fullUrl
  for (const auto& d : sub.documents) binary_of[d.unique_id] = xds::NewUrnUuid();
  ctx.document_url = [&](const std::string&, const std::string& uid) { return binary_of[uid]; };
  rapidjson::Document bundle(rapidjson::kObjectType);
  auto& a = bundle.GetAllocator();
  bundle.AddMember("resourceType", "Bundle", a);
  bundle.AddMember("type", "transaction", a);
  rapidjson::Value entries(rapidjson::kArrayType);
  auto add = [&](const std::string& full_url, const std::string& json, const char* type) {
    rapidjson::Document r = Parse(json);
    rapidjson::Value e(rapidjson::kObjectType), req(rapidjson::kObjectType);
    e.AddMember("fullUrl", rapidjson::Value(full_url.c_str(), a), a);
    e.AddMember("resource", rapidjson::Value(r, a), a);
    req.AddMember("method", "POST", a);
    req.AddMember("url", rapidjson::StringRef(type), a);
    e.AddMember("request", req, a);
    entries.PushBack(e, a);
  };
  ListMembers members;
  for (const auto& d : sub.documents) members.documents.push_back(d.entry_uuid);
  add(sub.submission_sets[0].entry_uuid,
      SubmissionSetListJson(sub.submission_sets[0].rim, xds::kStatusApproved, members, ctx),
      "List");
  for (const auto& d : sub.documents) {
    xds::RegistryObject rim = d.rim;
    rim.slots.push_back({xds::kSlotRepositoryUniqueId, "", {"1.2.3.9"}});
    add(d.entry_uuid, DocumentReferenceJson(rim, xds::kStatusApproved, ctx), "DocumentReference");
    add(binary_of[d.unique_id],
        R"({"resourceType":"Binary","contentType":"text/plain","data":"SGVsbG8gV29ybGQ="})",
        "Binary");
  }
  bundle.AddMember("entry", entries, a);
  const std::string json = internal::Write(bundle);

  auto decoded = DecodeProvideDocumentBundle(json, ctx);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_FALSE(decoded->limited_metadata);
  const xds::Submission again = xds::ReadSubmission(decoded->request);
  ASSERT_EQ(again.documents.size(), sub.documents.size());
  ASSERT_EQ(again.submission_sets.size(), 1u);
  for (size_t i = 0; i < sub.documents.size(); ++i) {
    xds::DocumentEntry want = sub.documents[i];
    // Lossy: a DTM to the minute comes back to the second (FHIR dateTime has seconds).
    if (want.creation_time.size() == 12) want.creation_time += "00";
    ExpectSameEntry(want, again.documents[i]);
    EXPECT_EQ(again.documents[i].availability_status, "");  // ITI-42 objects carry no status
  }
  EXPECT_EQ(again.submission_sets[0].unique_id, sub.submission_sets[0].unique_id);
  EXPECT_EQ(again.submission_sets[0].authors, sub.submission_sets[0].authors);
  int has_member = 0;
  for (const auto& as : again.associations) {
    if (as.type == xds::AssociationType::kHasMember && as.submission_set_status == "Original")
      ++has_member;
  }
  EXPECT_EQ(has_member, 6);
  ASSERT_EQ(decoded->documents.size(), 6u);
  EXPECT_EQ(decoded->documents[0].bytes, "Hello World");
  EXPECT_EQ(decoded->documents[0].entry_id, sub.documents[0].entry_uuid);
  ASSERT_EQ(decoded->entries.size(), 13u);
  EXPECT_EQ(decoded->entries[2].resource_type, "Binary");
  EXPECT_EQ(decoded->entries[1].object_id, sub.documents[0].entry_uuid);
}

}  // namespace
}  // namespace renkei::profiles
