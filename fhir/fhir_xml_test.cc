// FHIR R4 XML <-> JSON with the public examples of ../shared/conformance/mhd: the IHE PIXm
// Parameters (XML) and Patients (JSON), the Swiss EPR PIXm feed Patient (XML) and
// Parameters (JSON); each must read the same in both syntaxes.
#include "fhir/fhir_xml.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace renkei::fhir {
namespace {

std::filesystem::path MhdDir() {
  const char* src = std::getenv("RENKEI_SOURCE_DIR");
  return std::filesystem::path(src ? src : "") / ".." / "shared" / "conformance" / "mhd";
}

std::string Read(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  EXPECT_FALSE(s.str().empty()) << p;
  return s.str();
}

rapidjson::Document Parse(const std::string& json) {
  rapidjson::Document d;
  d.Parse(json.c_str());
  EXPECT_FALSE(d.HasParseError()) << json;
  return d;
}

// JSON -> XML -> JSON gives the same JSON (member order aside).
void ExpectRoundTrip(const std::string& json, const std::string& what) {
  Result<std::string> xml = JsonToXml(json);
  ASSERT_TRUE(xml.ok()) << what << ": " << xml.status().ToString();
  Result<std::string> back = XmlToJson(*xml);
  ASSERT_TRUE(back.ok()) << what << ": " << back.status().ToString() << "\n" << *xml;
  EXPECT_TRUE(Parse(json) == Parse(*back)) << what << "\n" << *xml << "\n" << *back;
}

TEST(FhirXml, IhePixmRequestsReadAsTheirJson) {
  Result<std::string> all =
      XmlToJson(Read(MhdDir() / "ihe-pixm-examples" / "pixm-request-mohralice-red-all.xml"));
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_TRUE(Parse(*all) == Parse(R"({"resourceType":"Parameters",
      "id":"pixm-request-mohralice-red-all",
      "meta":{"profile":["https://profiles.ihe.net/ITI/PIXm/StructureDefinition/IHE.PIXm.Query.Parameters.In"]},
      "parameter":[{"name":"sourceIdentifier",
                    "valueString":"urn:oid:1.3.6.1.4.1.21367.13.20.1000|IHERED-994"}]})"))
      << *all;
  Result<std::string> blue =
      XmlToJson(Read(MhdDir() / "ihe-pixm-examples" / "pixm-request-mohralice-red-to-blue.xml"));
  ASSERT_TRUE(blue.ok()) << blue.status().ToString();
  rapidjson::Document d = Parse(*blue);
  ASSERT_TRUE(d["parameter"].IsArray());
  EXPECT_GE(d["parameter"].Size(), 2u);
  ExpectRoundTrip(*blue, "red-to-blue request");
}

TEST(FhirXml, IhePixmResponseReadsAsItsJson) {
  Result<std::string> out =
      XmlToJson(Read(MhdDir() / "ihe-pixm-examples" / "pixm-response-mohralice-red-to-blue.xml"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  rapidjson::Document d = Parse(*out);
  ASSERT_EQ(d["parameter"].Size(), 2u);
  EXPECT_STREQ(d["parameter"][0]["valueReference"]["reference"].GetString(),
               "Patient/Patient-MohrAlice-Blue");
  EXPECT_STREQ(d["parameter"][1]["valueIdentifier"]["value"].GetString(), "IHEBLUE-994");
  ExpectRoundTrip(*out, "red-to-blue response");
}

TEST(FhirXml, IhePatientsAndSwissParametersSurviveXml) {
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(MhdDir() / "ihe-pixm-examples")) {
    if (e.path().extension() != ".json") continue;
    ExpectRoundTrip(Read(e.path()), e.path().filename().string());
    ++n;
  }
  EXPECT_EQ(n, 7);
  ExpectRoundTrip(Read(MhdDir() / "ch-epr-pixm" / "ParametersPIXmInput.json"), "ch input");
  ExpectRoundTrip(Read(MhdDir() / "ch-epr-pixm" / "ParametersPIXmOutput.json"), "ch output");
}

TEST(FhirXml, SwissFeedPatientReadsWithItsArraysAndPrimitiveExtension) {
  Result<std::string> json = XmlToJson(Read(MhdDir() / "ch-epr-pixm" / "PatientPIXmFeed.xml"));
  ASSERT_TRUE(json.ok()) << json.status().ToString();
  rapidjson::Document d = Parse(*json);
  EXPECT_STREQ(d["resourceType"].GetString(), "Patient");
  ASSERT_EQ(d["identifier"].Size(), 2u);
  EXPECT_STREQ(d["identifier"][0]["type"]["coding"][0]["code"].GetString(), "MR");
  EXPECT_STREQ(d["identifier"][1]["value"].GetString(), "761337610000000002");
  ASSERT_EQ(d["name"].Size(), 2u);
  EXPECT_STREQ(d["name"][0]["given"][0].GetString(), "Franz");
  EXPECT_STREQ(d["name"][1]["family"].GetString(), "Muster");
  EXPECT_STREQ(d["name"][1]["_family"]["extension"][0]["valueCode"].GetString(), "BR");
  EXPECT_STREQ(d["meta"]["security"][0]["code"].GetString(), "HTEST");
  EXPECT_TRUE(d["managingOrganization"]["identifier"].IsObject());
  ExpectRoundTrip(*json, "ch feed");
}

TEST(FhirXml, PrimitivesBooleansNumbersEscapesAndNarrative) {
  const std::string json = R"({"resourceType":"Bundle","type":"searchset","total":2,
    "link":[{"relation":"next","url":"http://h/fhir/Patient?family=%E5%B1%B1&a=1&b=\"2\""}],
    "entry":[{"fullUrl":"http://h/fhir/Patient/R1","resource":{"resourceType":"Patient","id":"R1",
      "text":{"status":"generated","div":"<div xmlns=\"http://www.w3.org/1999/xhtml\">山田 &amp; <b>x</b></div>"},
      "active":true,"name":[{"family":"山田","given":["太郎","一"],"_given":[null,{"extension":[
        {"url":"http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier","valueCode":"CL"}]}]}],
      "birthDate":"1960-01-02","_birthDate":{"id":"b1","extension":[{"url":"http://x/e","valueDateTime":"1960-01-02T10:00:00+09:00"}]},
      "multipleBirthInteger":2,"address":[{"line":["1-1\n2"],"city":"岡山市"}]},
      "search":{"mode":"match"}}]})";
  ExpectRoundTrip(json, "bundle");
  Result<std::string> xml = JsonToXml(json);
  ASSERT_TRUE(xml.ok());
  EXPECT_NE(xml->find("<Bundle xmlns=\"http://hl7.org/fhir\"><type value=\"searchset\"/><total value=\"2\"/>"),
            std::string::npos) << *xml;
  EXPECT_NE(xml->find("<resource><Patient><id value=\"R1\"/>"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<birthDate id=\"b1\" value=\"1960-01-02\"><extension url=\"http://x/e\">"),
            std::string::npos) << *xml;
  EXPECT_NE(xml->find("&amp;a=1&amp;b=&quot;2&quot;"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<line value=\"1-1&#xA;2\"/>"), std::string::npos) << *xml;
  EXPECT_NE(xml->find("<div xmlns=\"http://www.w3.org/1999/xhtml\">山田 &amp; <b>x</b></div>"),
            std::string::npos) << *xml;
}

TEST(FhirXml, WhatIsNotFhirIsInvalid) {
  const char* bad_xml[] = {
      "",
      "<Patient xmlns=\"http://hl7.org/fhir\">",
      "<Patient><id value=\"1\"/></Patient>",                                  // no namespace
      "<patient xmlns=\"http://hl7.org/fhir\"/>",                              // not a type
      "<Patient xmlns=\"http://hl7.org/fhir\"><active value=\"yes\"/></Patient>",
      "<Bundle xmlns=\"http://hl7.org/fhir\"><total value=\"two\"/></Bundle>",
      "<Patient xmlns=\"http://hl7.org/fhir\"><gender>male</gender></Patient>",  // text
      "<!DOCTYPE Patient [<!ENTITY x \"y\">]><Patient xmlns=\"http://hl7.org/fhir\"/>",
  };
  for (const char* x : bad_xml) {
    Result<std::string> r = XmlToJson(x);
    EXPECT_FALSE(r.ok()) << x;
    if (!r.ok()) {
      EXPECT_EQ(r.status().detail(), "invalid") << x;
    }
  }
  const char* bad_json[] = {"", "[]", "{\"id\":\"1\"}", "{\"resourceType\":\"patient\"}",
                            R"({"resourceType":"Patient","name":[[{"family":"x"}]]})",
                            R"({"resourceType":"Patient","given":["a"],"_given":[]})"};
  for (const char* j : bad_json) EXPECT_FALSE(JsonToXml(j).ok()) << j;
}

}  // namespace
}  // namespace renkei::fhir
