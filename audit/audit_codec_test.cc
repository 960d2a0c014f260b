// Tests of the DICOM PS3.15 A.5 XML and FHIR R4 AuditEvent codecs: the PS3.17 WW.1-1
// example, round trips of every transaction builder, malformed input.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "audit/audit_codes.h"
#include "audit/dicom_audit_xml.h"
#include "audit/fhir_audit_event.h"
#include "audit/transaction_events.h"

namespace renkei::audit {
namespace {

std::string ReadTestFile(const std::string& name) {
  std::ifstream in(std::string(RENKEI_AUDIT_TESTDATA) + "/" + name, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::vector<AuditEvent> SampleEvents() {
  Exchange x;
  x.requester_user_id = "https://node-a.example/xds";
  x.requester_address = "192.0.2.10";
  x.responder_user_id = "https://centre.example/xds/registry";
  x.responder_address = "centre.example";
  x.requesting_facility = "1.2.392.100.1";
  x.human_user_id = "staff-42";
  x.human_user_name = "山田 花子";
  x.audit_source_id = "renkei-centre";
  x.audit_site = "1.2.392.100";
  x.date_time = "2026-11-26T06:00:00.250+09:00";
  const std::string p = "P123^^^&1.2.392.200&ISO";
  std::string binary_query("<q>\0\x01\xff</q>", 10);
  return {
      PatientIdentityFeed(x, p, "U", "MSG1"),
      PixQuery(x, p, "QPD|IHE PIX Query|Q1|P123^^^&1.2.392.200&ISO", "MSG2"),
      RegistryStoredQuery(x, p, "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d", binary_query,
                          "urn:oid:1.2.3"),
      ProvideAndRegister(x, Side::kSender, p, "1.2.3.4"),
      RetrieveDocumentSet(x, Side::kSender, p,
                          {{"1.2.4", "1.2.5", "urn:oid:1.2.6"}, {"1.2.7", "", ""}}),
      AuthenticationFailure(x, "certificate from another CA"),
      PermissionChange(x, false, "grant-1", p, "revoked for 1.2.9"),
      EmergencyAccess(x, p, "unconscious patient"),
  };
}

TEST(DicomAuditXmlTest, DecodesThePs317Example) {
  const std::string xml = ReadTestFile("ps3_17_ww_1_1.xml");
  ASSERT_FALSE(xml.empty());
  auto r = DecodeDicomAuditXml(xml);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const AuditEvent& e = *r;
  EXPECT_EQ(e.event_id, (Code{"110104", "DCM", "DICOM Instances Transferred"}));
  EXPECT_EQ(e.action, "C");
  EXPECT_EQ(e.date_time, "2001-12-17T09:30:47");
  EXPECT_EQ(e.outcome, 0);
  ASSERT_EQ(e.participants.size(), 3u);
  EXPECT_EQ(e.participants[0].user_id, "123");
  EXPECT_EQ(e.participants[0].alt_user_id, "AETITLE=AEFOO");
  EXPECT_FALSE(e.participants[0].is_requestor);
  EXPECT_EQ(e.participants[0].network_access_point_id, "192.168.1.2");
  EXPECT_EQ(e.participants[0].network_access_point_type, 2);
  EXPECT_EQ(e.participants[1].roles[0].code, "110152");
  EXPECT_EQ(e.participants[2].user_name, "Dr. Smith");
  EXPECT_TRUE(e.participants[2].is_requestor);
  EXPECT_EQ(e.source.site, "Hospital");
  EXPECT_EQ(e.source.id, "ReadingRoom");
  ASSERT_EQ(e.source.types.size(), 1u);
  EXPECT_EQ(e.source.types[0].code, "1");
  ASSERT_EQ(e.objects.size(), 2u);
  EXPECT_EQ(e.objects[0].id, "1.2.840.10008.2.3.4.5.6.7.78.8");
  EXPECT_EQ(e.objects[0].type_code, 2);
  EXPECT_EQ(e.objects[0].role_code, 3);
  EXPECT_EQ(e.objects[0].lifecycle, 1);
  EXPECT_EQ(e.objects[0].id_type.code, "110180");
  EXPECT_EQ(e.objects[1].id, "ptid12345");
  EXPECT_EQ(e.objects[1].name, "John Doe");
  // And the example survives our encoding in both syntaxes.
  auto again = DecodeDicomAuditXml(EncodeDicomAuditXml(e));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, e);
  auto fhir = DecodeFhirAuditEvent(EncodeFhirAuditEvent(e));
  ASSERT_TRUE(fhir.ok()) << fhir.status().ToString();
  EXPECT_EQ(*fhir, e);
}

TEST(DicomAuditXmlTest, RoundTripsEveryBuilder) {
  for (const AuditEvent& e : SampleEvents()) {
    SCOPED_TRACE(e.event_id.code + (e.event_types.empty() ? "" : " " + e.event_types[0].code));
    const std::string xml = EncodeDicomAuditXml(e);
    auto r = DecodeDicomAuditXml(xml);
    ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << xml;
    EXPECT_EQ(*r, e);
    // With a UTF-8 byte order mark in front, as syslog MSG may carry one.
    auto bom = DecodeDicomAuditXml("\xEF\xBB\xBF" + xml);
    ASSERT_TRUE(bom.ok()) << bom.status().ToString();
    EXPECT_EQ(*bom, e);
  }
}

TEST(DicomAuditXmlTest, QueryAndDetailsAreBase64OnTheWire) {
  const AuditEvent e = SampleEvents()[2];
  const std::string xml = EncodeDicomAuditXml(e);
  EXPECT_NE(xml.find("<ParticipantObjectQuery>PHE+AAH/PC9xPg==</ParticipantObjectQuery>"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("type=\"QueryEncoding\" value=\"VVRGLTg=\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("csd-code=\"ITI-18\" codeSystemName=\"IHE Transactions\""), std::string::npos);
}

TEST(DicomAuditXmlTest, RejectsMalformedMessages) {
  const std::string good = EncodeDicomAuditXml(SampleEvents()[0]);
  auto replace = [&](const std::string& from, const std::string& to) {
    std::string s = good;
    const size_t at = s.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    if (at != std::string::npos) s.replace(at, from.size(), to);
    return s;
  };
  const std::vector<std::string> bad = {
      "",
      "not xml",
      "<AuditMessage><EventIdentification",
      "<Other/>",
      "<AuditMessage/>",
      replace("EventOutcomeIndicator=\"0\"", "EventOutcomeIndicator=\"zero\""),
      replace("EventOutcomeIndicator=\"0\"", "EventOutcomeIndicator=\"5\""),
      replace("EventActionCode=\"U\"", "EventActionCode=\"Q\""),
      replace("UserIsRequestor=\"false\"", "UserIsRequestor=\"maybe\""),
      replace("value=\"TVNHMQ==\"", "value=\"%%%\""),
      replace("AuditSourceID=\"renkei-centre\"", ""),
      replace("<EventID ", "<EventIDx "),
  };
  for (const std::string& xml : bad) {
    auto r = DecodeDicomAuditXml(xml);
    EXPECT_FALSE(r.ok()) << xml;
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument());
    }
  }
}

TEST(FhirAuditEventTest, RoundTripsEveryBuilder) {
  for (const AuditEvent& e : SampleEvents()) {
    const std::string json = EncodeFhirAuditEvent(e, "17");
    auto r = DecodeFhirAuditEvent(json);
    ASSERT_TRUE(r.ok()) << r.status().ToString() << "\n" << json;
    EXPECT_EQ(*r, e) << json;
  }
}

// The audit store encodes before it numbers: the id spliced in gives the same bytes.
TEST(FhirAuditEventTest, IdSplicedInEqualsEncodedWithId) {
  for (const AuditEvent& e : SampleEvents()) {
    EXPECT_EQ(WithFhirId(EncodeFhirAuditEvent(e), "17"), EncodeFhirAuditEvent(e, "17"));
  }
  EXPECT_EQ(WithFhirId("{\"resourceType\":\"Patient\"}", "17"), "");
  EXPECT_EQ(WithFhirId("", "17"), "");
}

TEST(FhirAuditEventTest, UsesTheFhirCodeSystems) {
  const std::string json = EncodeFhirAuditEvent(SampleEvents()[2], "17");
  EXPECT_NE(json.find("\"id\":\"17\""), std::string::npos);
  EXPECT_NE(json.find("\"type\":{\"system\":\"http://dicom.nema.org/resources/ontology/DCM\","
                      "\"code\":\"110112\",\"display\":\"Query\"}"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("{\"system\":\"urn:ihe:event-type-code\",\"code\":\"ITI-18\""),
            std::string::npos);
  EXPECT_NE(json.find("\"role\":{\"system\":\"http://terminology.hl7.org/CodeSystem/object-role\","
                      "\"code\":\"24\"}"),
            std::string::npos);
  EXPECT_NE(json.find("\"query\":\"PHE+AAH/PC9xPg==\""), std::string::npos);
}

TEST(FhirAuditEventTest, RejectsMalformedResources) {
  const std::vector<std::string> bad = {
      "",
      "[]",
      "{",
      "{\"resourceType\":\"Patient\"}",
      "{\"resourceType\":\"AuditEvent\"}",
      "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"110112\"},\"recorded\":\"2026-01-"
      "01T00:00:00Z\","
      "\"source\":{\"observer\":{\"identifier\":{\"value\":\"s\"}}}}",  // no agent
      "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"110112\"},\"recorded\":\"2026-01-"
      "01T00:00:00Z\","
      "\"agent\":[{\"who\":{\"identifier\":{\"value\":\"u\"}}}],"  // requestor missing
      "\"source\":{\"observer\":{\"identifier\":{\"value\":\"s\"}}}}",
      "{\"resourceType\":\"AuditEvent\",\"type\":\"110112\"}",
      "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"110112\"},\"recorded\":\"2026-01-"
      "01T00:00:00Z\","
      "\"outcome\":\"3\",\"agent\":[{\"who\":{\"identifier\":{\"value\":\"u\"}},\"requestor\":true}"
      "],"
      "\"source\":{\"observer\":{\"identifier\":{\"value\":\"s\"}}}}",
      "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"110112\"},\"recorded\":\"2026-01-"
      "01T00:00:00Z\","
      "\"agent\":[{\"who\":{\"identifier\":{\"value\":\"u\"}},\"requestor\":true}],"
      "\"source\":{\"observer\":{\"identifier\":{\"value\":\"s\"}}},"
      "\"entity\":[{\"what\":{\"identifier\":{\"value\":\"e\"}},\"query\":\"***\"}]}",
      std::string(100000, '['),
  };
  for (const std::string& json : bad) {
    auto r = DecodeFhirAuditEvent(json);
    EXPECT_FALSE(r.ok()) << json.substr(0, 200);
    if (!r.ok()) {
      EXPECT_TRUE(r.status().IsInvalidArgument());
    }
  }
  // The minimal valid resource is accepted.
  auto ok = DecodeFhirAuditEvent(
      "{\"resourceType\":\"AuditEvent\",\"type\":{\"code\":\"110112\"},"
      "\"recorded\":\"2026-01-01T00:00:00Z\",\"agent\":[{\"who\":{\"identifier\":{\"value\":"
      "\"u\"}},\"requestor\":true}],\"source\":{\"observer\":{\"identifier\":{\"value\":\"s\"}}}}");
  EXPECT_TRUE(ok.ok()) << ok.status().ToString();
}

}  // namespace
}  // namespace renkei::audit
