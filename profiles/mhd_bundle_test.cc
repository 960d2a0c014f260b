// ITI-65 Provide Document Bundle decoding: the IHE example bundles (Comprehensive from IPF's
// JSON rendering, Minimal from the IHE FSH source), FHIR → XDS → FHIR, and the error table.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <rapidjson/pointer.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "profiles/internal/mhd_json.h"
#include "profiles/mhd_mapping.h"
#include "xds/xds_constants.h"

namespace renkei::profiles {
namespace {

constexpr char kBase[] = "https://centre.example/fhir";
constexpr char kExPatient[] = "ex-patient^^^&1.3.6.1.4.1.21367.13.20.1000&ISO";

std::string Example() {
  const char* root = std::getenv("RENKEI_SOURCE_DIR");
  std::ifstream in(
      std::string(root ? root : ".") +
      "/../shared/conformance/mhd/ipf/ex-comprehensiveProvideDocumentBundleSimple.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

MhdContext Context() {
  MhdContext ctx;
  ctx.fhir_base = kBase;
  ctx.patient_cx = [](const std::string& id) {
    return id == "ex-patient" ? std::string(kExPatient) : "";
  };
  ctx.patient_resource_id = [](const std::string& cx) {
    return cx == kExPatient ? "ex-patient" : "";
  };
  return ctx;
}

std::string At(const rapidjson::Document& d, const char* pointer) {
  const rapidjson::Value* v = rapidjson::Pointer(pointer).Get(d);
  if (v == nullptr) return "<absent>";
  if (v->IsString()) return v->GetString();
  if (v->IsUint()) return std::to_string(v->GetUint());
  return "<not a string>";
}

// ex-comprehensiveProvideDocumentBundleSimple: SubmissionSet List + DocumentReference + Binary.
TEST(MhdBundleTest, ComprehensiveExampleDecodes) {
  const std::string json = Example();
  ASSERT_FALSE(json.empty()) << "RENKEI_SOURCE_DIR must point at /work/main";
  auto s = DecodeProvideDocumentBundle(json, Context());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->option, MhdOption::kComprehensive);
  EXPECT_FALSE(s->limited_metadata);
  const xds::Submission sub = xds::ReadSubmission(s->request);
  ASSERT_EQ(sub.submission_sets.size(), 1u);
  ASSERT_EQ(sub.documents.size(), 1u);
  const xds::DocumentEntry& d = sub.documents[0];
  EXPECT_EQ(d.entry_uuid, "urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00333300002");
  EXPECT_EQ(d.unique_id, "1.2.840.113556.1.8000.2554.53432.348.12973.17740.34205.4355.50220.62012");
  EXPECT_EQ(d.patient_id, kExPatient);
  EXPECT_EQ(d.mime_type, "text/plain");
  EXPECT_EQ(d.language_code, "en");
  EXPECT_EQ(d.size, "11");
  // The example's hash is base64 of the hex text (40 bytes); accepted as that hex.
  EXPECT_EQ(d.hash, "0a4d55a8d778e5022fab701977c5d840bbc486d0");
  EXPECT_EQ(d.creation_time, "20200202045050");  // 2020-02-01T23:50:50-05:00 in UTC
  EXPECT_EQ(d.title, "Hello World");
  EXPECT_EQ(d.type_code, (xds::Code{"60591-5", "2.16.840.1.113883.6.1", ""}));
  EXPECT_EQ(d.class_code, (xds::Code{"11369-6", "2.16.840.1.113883.6.1", ""}));
  ASSERT_EQ(d.confidentiality_codes.size(), 1u);
  EXPECT_EQ(d.confidentiality_codes[0], (xds::Code{"R", "2.16.840.1.113883.5.25", ""}));
  EXPECT_EQ(d.format_code,
            (xds::Code{"urn:ihe:iti:xds-sd:text:2008", "1.3.6.1.4.1.19376.1.2.3", ""}));
  EXPECT_EQ(d.healthcare_facility_type_code.code, "82242000");
  EXPECT_EQ(d.practice_setting_code.code, "408467006");
  EXPECT_EQ(d.source_patient_id, "mrn-1234^^^&http://example.org/patients&URI");
  EXPECT_EQ(d.source_patient_info, (std::vector<std::string>{"PID-5|Schmidt^Dee"}));
  const xds::SubmissionSet& ss = sub.submission_sets[0];
  EXPECT_EQ(ss.unique_id,
            "1.2.840.113556.1.8000.2554.58783.21864.3474.19410.44358.58254.41281.46346");
  EXPECT_EQ(ss.source_id, "1.2.3.4");
  EXPECT_EQ(ss.patient_id, kExPatient);
  EXPECT_EQ(ss.submission_time, "20041026045050");
  EXPECT_EQ(ss.content_type_code, (xds::Code{"225728007", "2.16.840.1.113883.6.96", ""}));
  EXPECT_EQ(ss.intended_recipients,
            (std::vector<std::string>{"||^^Internet^JohnMoehrke@gmail.com"}));
  ASSERT_EQ(ss.authors.size(), 1u);
  EXPECT_EQ(ss.authors[0].institutions, (std::vector<std::string>{"my Hospital"}));
  EXPECT_EQ(ss.authors[0].telecoms, (std::vector<std::string>{"^^Internet^iti@ihe.net"}));
  ASSERT_EQ(sub.associations.size(), 1u);
  EXPECT_EQ(sub.associations[0].source, ss.entry_uuid);
  EXPECT_EQ(sub.associations[0].target, d.entry_uuid);
  EXPECT_EQ(sub.associations[0].submission_set_status, "Original");
  ASSERT_EQ(s->documents.size(), 1u);
  EXPECT_EQ(s->documents[0].bytes, "Hello World");
  ASSERT_EQ(s->entries.size(), 3u);
  EXPECT_EQ(s->entries[0].object_id, ss.entry_uuid);
  EXPECT_EQ(s->entries[2].object_id, "");
}

// FHIR → XDS → FHIR on the same example: what comes back, element by element.
TEST(MhdBundleTest, ComprehensiveExampleRoundTripsToFhir) {
  const MhdContext ctx = Context();
  rapidjson::Document in;
  const std::string json = Example();
  in.Parse(json.c_str());
  auto s = DecodeProvideDocumentBundle(json, ctx);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const xds::Submission sub = xds::ReadSubmission(s->request);
  rapidjson::Document out;
  out.Parse(DocumentReferenceJson(sub.documents[0].rim, xds::kStatusApproved, ctx).c_str());
  for (const char* p :
       {"/masterIdentifier/value", "/status", "/type/coding/0/code", "/type/coding/0/system",
        "/category/0/coding/0/code", "/securityLabel/0/coding/0/system",
        "/content/0/attachment/contentType", "/content/0/attachment/language",
        "/content/0/attachment/size", "/content/0/attachment/title", "/content/0/format/system",
        "/content/0/format/code", "/context/facilityType/coding/0/code",
        "/context/practiceSetting/coding/0/code"}) {
    const std::string from = std::string("/entry/1/resource") + p;
    EXPECT_EQ(At(out, p), At(in, from.c_str())) << p;
  }
  // Lossy, by design (docs/mhd.md): times come back in UTC, the hash as base64 of the
  // SHA-1 bytes, the subject as an absolute reference at fhir_base, the id is the entryUUID.
  EXPECT_EQ(At(out, "/content/0/attachment/creation"), "2020-02-02T04:50:50Z");
  EXPECT_EQ(At(out, "/content/0/attachment/hash"), "Ck1VqNd45QIvq3AZd8XYQLvEhtA=");
  EXPECT_EQ(At(out, "/subject/reference"), std::string(kBase) + "/Patient/ex-patient");
  EXPECT_EQ(At(out, "/id"), "aaaaaaaa-bbbb-cccc-dddd-e00333300002");
  EXPECT_EQ(At(out, "/contained/0/identifier/0/system"), "http://example.org/patients");
  EXPECT_EQ(At(out, "/contained/0/name/0/family"), "Schmidt");

  ListMembers members{{sub.documents[0].entry_uuid}, {}};
  rapidjson::Document list;
  list.Parse(SubmissionSetListJson(sub.submission_sets[0].rim, xds::kStatusApproved, members, ctx)
                 .c_str());
  EXPECT_EQ(At(list, "/identifier/1/value"), At(in, "/entry/0/resource/identifier/0/value"));
  EXPECT_EQ(At(list, "/code/coding/0/code"), "submissionset");
  EXPECT_EQ(At(list, "/entry/0/item/reference"),
            "DocumentReference/aaaaaaaa-bbbb-cccc-dddd-e00333300002");
  EXPECT_EQ(At(list, "/source/extension/0/url"), internal::kExtAuthorOrg);
  EXPECT_EQ(At(list, "/date"), "2004-10-26T04:50:50Z");
}

// ex-minimalProvideDocumentBundleSimple (IHE FSH source), with an identifier on the pushed
// Patient: Minimal fills defaults and marks what is still missing as limitedMetadata.
constexpr char kMinimal[] = R"({"resourceType":"Bundle","type":"transaction",
 "meta":{"profile":["https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.ProvideBundle"]},
 "timestamp":"2004-10-25T23:50:50-05:00","entry":[
 {"fullUrl":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00111100001","request":{"method":"POST","url":"List"},
  "resource":{"resourceType":"List","contained":[{"resourceType":"Practitioner","id":"in-practitioner2",
   "telecom":[{"system":"email","value":"JohnMoehrke@gmail.com"}]}],
   "extension":[{"url":"https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId","valueIdentifier":{"value":"urn:oid:1.2.3.4"}},
    {"url":"https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-intendedRecipient","valueReference":{"reference":"#in-practitioner2"}}],
   "identifier":[{"use":"usual","system":"urn:ietf:rfc:3986","value":"urn:oid:1.2.840.113556.1.8000.2554.58783.21864.3474.19410.44358.58254.41281.46343"}],
   "status":"current","mode":"working","code":{"coding":[{"system":"https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes","code":"submissionset"}]},
   "date":"2004-10-25T23:50:50-05:00","subject":{"reference":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00111100004"},
   "entry":[{"item":{"reference":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00111100002"}}]}},
 {"fullUrl":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00111100002","request":{"method":"POST","url":"DocumentReference"},
  "resource":{"resourceType":"DocumentReference",
   "masterIdentifier":{"system":"urn:ietf:rfc:3986","value":"urn:oid:1.2.840.113556.1.8000.2554.53432.348.12973.17740.34205.4355.50220.62012"},
   "status":"current","subject":{"reference":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00111100004"},
   "content":[{"attachment":{"contentType":"text/plain","url":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00111100003",
     "hash":"Ck1VqNd45QIvq3AZd8XYQLvEhtA=","size":11},
    "format":{"system":"http://ihe.net/fhir/ihe.formatcode.fhir/CodeSystem/formatcode","code":"urn:ihe:iti:xds-sd:text:2008"}}]}},
 {"fullUrl":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00111100003","request":{"method":"POST","url":"Binary"},
  "resource":{"resourceType":"Binary","contentType":"text/plain","data":"SGVsbG8gV29ybGQ="}},
 {"fullUrl":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00111100004","request":{"method":"POST","url":"Patient"},
  "resource":{"resourceType":"Patient","identifier":[{"system":"urn:oid:1.2.3.99","value":"P-1"}],
   "name":[{"family":"Schmidt","given":["Dee"]}]}}]})";

TEST(MhdBundleTest, MinimalExampleFillsDefaultsAndMarksLimitedMetadata) {
  MhdContext ctx = Context();
  ctx.minimal_defaults.class_code = {"DischargeSummary", "2.25.1", ""};
  ctx.minimal_defaults.language_code = "ja-JP";
  auto s = DecodeProvideDocumentBundle(kMinimal, ctx);
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->option, MhdOption::kMinimal);
  EXPECT_TRUE(s->limited_metadata);
  const xds::Submission sub = xds::ReadSubmission(s->request);
  ASSERT_EQ(sub.documents.size(), 1u);
  const xds::DocumentEntry& d = sub.documents[0];
  EXPECT_EQ(d.patient_id, "P-1^^^&1.2.3.99&ISO");
  EXPECT_EQ(d.source_patient_id, d.patient_id);  // the regional id stands in
  EXPECT_EQ(d.class_code.code, "DischargeSummary");
  EXPECT_EQ(d.language_code, "ja-JP");
  EXPECT_EQ(d.creation_time, "");  // no attachment.creation, no date
  EXPECT_EQ(d.hash, "0a4d55a8d778e5022fab701977c5d840bbc486d0");
  EXPECT_TRUE(d.limited_metadata);
  ASSERT_EQ(sub.submission_sets.size(), 1u);
  EXPECT_TRUE(sub.submission_sets[0].limited_metadata);  // no designationType
  EXPECT_EQ(sub.submission_sets[0].intended_recipients,
            (std::vector<std::string>{"||^^Internet^JohnMoehrke@gmail.com"}));
  ASSERT_EQ(s->entries.size(), 4u);
  EXPECT_EQ(s->entries[3].resource_type, "Patient");
  // As published, the pushed Patient has no identifier: no XDS patientId can be made.
  std::string no_id = kMinimal;
  const std::string id = R"("identifier":[{"system":"urn:oid:1.2.3.99","value":"P-1"}],)";
  no_id.replace(no_id.find(id), id.size(), "");
  auto bad = DecodeProvideDocumentBundle(no_id, ctx);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().detail(), "code-invalid");
}

TEST(MhdBundleTest, ReplaceAndFolder) {
  rapidjson::Document b;
  b.Parse(Example().c_str());
  auto& a = b.GetAllocator();
  rapidjson::Pointer("/entry/1/resource/relatesTo/0/code").Set(b, "replaces");
  rapidjson::Pointer("/entry/1/resource/relatesTo/0/target/reference")
      .Set(b, "DocumentReference/0a468477-5dd1-4a81-bddf-8d5ee9b0cac3");
  rapidjson::Document folder;
  folder.Parse(
      R"({"fullUrl":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00333300009","request":{"method":"POST","url":"List"},
    "resource":{"resourceType":"List","identifier":[{"use":"usual","system":"urn:ietf:rfc:3986","value":"urn:oid:1.2.3.4.9"}],
    "status":"current","mode":"working","title":"F","code":{"coding":[{"system":"https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes","code":"folder"}]},
    "subject":{"reference":"Patient/ex-patient"},
    "extension":[{"url":"https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType","valueCodeableConcept":{"coding":[{"system":"http://snomed.info/sct","code":"225728007"}]}}],
    "entry":[{"item":{"reference":"urn:uuid:aaaaaaaa-bbbb-cccc-dddd-e00333300002"}}]}})");
  b["entry"].PushBack(rapidjson::Value(folder, a), a);
  auto s = DecodeProvideDocumentBundle(internal::Write(b), Context());
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  const xds::Submission sub = xds::ReadSubmission(s->request);
  ASSERT_EQ(sub.folders.size(), 1u);
  int rplc = 0, ss_folder = 0, folder_doc = 0, ss_assoc = 0;
  for (const xds::Association& as : sub.associations) {
    if (as.type == xds::AssociationType::kRplc) {
      ++rplc;
      EXPECT_EQ(as.target, "urn:uuid:0a468477-5dd1-4a81-bddf-8d5ee9b0cac3");
    }
    if (as.type != xds::AssociationType::kHasMember) continue;
    if (as.source == sub.submission_sets[0].entry_uuid && as.target == sub.folders[0].entry_uuid)
      ++ss_folder;
    if (as.source == sub.folders[0].entry_uuid) ++folder_doc;
    if (as.source == sub.submission_sets[0].entry_uuid && as.target.rfind("urn:uuid:", 0) == 0 &&
        as.target != sub.folders[0].entry_uuid && as.target != sub.documents[0].entry_uuid) {
      ++ss_assoc;
    }
  }
  EXPECT_EQ(rplc, 1);
  EXPECT_EQ(ss_folder, 1);  // added although the SubmissionSet List does not list the Folder
  EXPECT_EQ(folder_doc, 1);
  EXPECT_EQ(ss_assoc, 1);
}

struct ErrorCase {
  const char* name;
  const char* pointer;  // element to change in the example ("" = replace the whole body)
  const char* value;    // new string value; nullptr = remove the element
  const char* issue;    // expected Status::detail()
  const char* expect;   // a part of the message
};

const ErrorCase kErrors[] = {
    {"not json", "", "{", "invalid", "not a JSON object"},
    {"not a bundle", "/resourceType", "Patient", "invalid", "not a Bundle"},
    {"batch", "/type", "batch", "code-invalid", "transaction"},
    {"no masterIdentifier", "/entry/1/resource/masterIdentifier", nullptr, "required",
     "masterIdentifier"},
    {"no type (Comprehensive)", "/entry/1/resource/type", nullptr, "required",
     ": type is required"},
    {"no sourcePatientInfo", "/entry/1/resource/context/sourcePatientInfo", nullptr, "required",
     "sourcePatientInfo"},
    {"no sourceId", "/entry/0/resource/extension/1", nullptr, "required", "sourceId"},
    {"no submissionset", "/entry/0/resource/code/coding/0/code", "folder", "required",
     "no SubmissionSet"},
    {"bad list code", "/entry/0/resource/code/coding/0/code", "workflow", "code-invalid",
     "code must be"},
    {"bad base64", "/entry/2/resource/data", "SGVsbG8*", "invalid", "base64"},
    {"bad hash", "/entry/1/resource/content/0/attachment/hash", "AAAA", "invalid", "hash"},
    {"bad date", "/entry/1/resource/content/0/attachment/creation", "2020-02-01T23:50", "invalid",
     "creation"},
    {"dangling url", "/entry/1/resource/content/0/attachment/url", "urn:uuid:0000", "invalid",
     "not a Binary"},
    {"unknown patient", "/entry/1/resource/subject/reference", "Patient/nobody", "not-found",
     "Patient/nobody"},
    {"foreign patient", "/entry/1/resource/subject/reference", "http://elsewhere/Patient/1",
     "invalid", "elsewhere"},
    {"wrong resource", "/entry/2/resource/resourceType", "Observation", "invalid", "Observation"},
    {"PUT", "/entry/2/request/method", "PUT", "not-supported", "POST"},
    {"no fullUrl", "/entry/2/fullUrl", nullptr, "required", "fullUrl"},
    {"status", "/entry/1/resource/status", "superseded", "code-invalid", "status"},
    {"relatesTo code", "/entry/1/resource/relatesTo/0/code", "copies", "code-invalid", "copies"},
    {"author not contained", "/entry/0/resource/source/reference", "Practitioner/7",
     "not-supported", "UnContained"},
    {"dangling member", "/entry/0/resource/entry/0/item/reference", "urn:uuid:0001", "not-found",
     "urn:uuid:0001"},
};

TEST(MhdBundleTest, ErrorsNameTheIssueType) {
  const MhdContext ctx = Context();
  for (const ErrorCase& c : kErrors) {
    std::string body;
    if (*c.pointer == '\0') {
      body = c.value;
    } else {
      rapidjson::Document d;
      d.Parse(Example().c_str());
      if (std::string(c.name) == "no submissionset")
        rapidjson::Pointer("/entry/0/resource/title").Set(d, "T");
      if (std::string(c.name) == "relatesTo code") {
        rapidjson::Pointer("/entry/1/resource/relatesTo/0/target/reference")
            .Set(d, "DocumentReference/x");
      }
      if (c.value == nullptr) {
        ASSERT_TRUE(rapidjson::Pointer(c.pointer).Erase(d)) << c.name;
      } else {
        rapidjson::Pointer(c.pointer).Set(d, c.value);
      }
      body = internal::Write(d);
    }
    auto s = DecodeProvideDocumentBundle(body, ctx);
    ASSERT_FALSE(s.ok()) << c.name;
    EXPECT_EQ(s.status().detail(), c.issue) << c.name << ": " << s.status().ToString();
    EXPECT_NE(s.status().message().find(c.expect), std::string::npos)
        << c.name << ": " << s.status().ToString();
  }
}

// A Document Recipient may insist on a declared option (the node does, for NIST's tests).
TEST(MhdBundleTest, RequireBundleProfile) {
  MhdContext ctx = Context();
  ctx.require_bundle_profile = true;
  EXPECT_TRUE(DecodeProvideDocumentBundle(Example(), ctx).ok());
  rapidjson::Document d;
  d.Parse(Example().c_str());
  ASSERT_TRUE(rapidjson::Pointer("/meta/profile").Erase(d));
  const std::string body = internal::Write(d);
  auto s = DecodeProvideDocumentBundle(body, ctx);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().detail(), "required");
  EXPECT_EQ(s.status().location(), "Bundle.meta.profile");
  ctx.require_bundle_profile = false;  // the default: Comprehensive is assumed
  EXPECT_TRUE(DecodeProvideDocumentBundle(body, ctx).ok());
}

TEST(MhdBundleTest, Times) {
  EXPECT_EQ(internal::FhirTimeOfDtm("20240401", false), "2024-04-01");
  EXPECT_EQ(internal::FhirTimeOfDtm("2024", true), "2024-01-01T00:00:00Z");
  EXPECT_EQ(internal::FhirTimeOfDtm("202404011230", false), "2024-04-01T12:30:00Z");
  EXPECT_EQ(*internal::DtmOfFhirTime("2024-04-01T00:30:00+09:00", ""), "20240331153000");
  EXPECT_EQ(*internal::DtmOfFhirTime("2024-04-01T00:30:00.123Z", ""), "20240401003000");
  EXPECT_EQ(*internal::DtmOfFhirTime("2024-04", ""), "202404");
  EXPECT_FALSE(internal::DtmOfFhirTime("2024-04-01T00:30:00", "").ok());
}

}  // namespace
}  // namespace renkei::profiles
