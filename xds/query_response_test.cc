// The document consumer's side of ITI-18: query:AdhocQueryRequest encoding and
// query:AdhocQueryResponse decoding (LeafClass, ObjectRef, errors, SOAP Faults), replaying
// NIST's response samples (valid and invalid, conformance/xds/wire-examples).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "xds/ebrim_codec.h"
#include "xds/internal/test_vectors.h"
#include "xds/metadata.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using testing::ReadFile;
using testing::WireExample;

Result<AdhocQueryResponse> DecodeSample(const std::string& name, RegistryErrorList* errors) {
  std::string xml = ReadFile(WireExample("nist-validator-samples/" + name));
  EXPECT_FALSE(xml.empty()) << name;
  return DecodeAdhocQueryResponseXml(xml, errors);
}

TEST(DecodeAdhocQueryResponse, NistLeafClassSample) {
  RegistryErrorList errors;
  Result<AdhocQueryResponse> r = DecodeSample("sq-resp-lc.xml", &errors);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, kResponseSuccess);
  EXPECT_TRUE(errors.empty());
  ASSERT_FALSE(r->objects.empty());
  const RegistryObject& first = r->objects.front();
  EXPECT_EQ(first.id, "urn:uuid:974330cc-26ff-4ef8-aca5-f71efc3f1fb0");
  EXPECT_EQ(first.status, kStatusApproved);
  DocumentEntry entry = ReadDocumentEntry(first);
  EXPECT_EQ(entry.creation_time, "20061224");
  EXPECT_EQ(entry.hash, "e543712c0e10501972de13a5bfcbe826c49feb75");
  EXPECT_FALSE(entry.unique_id.empty());
  EXPECT_FALSE(entry.patient_id.empty());
}

TEST(DecodeAdhocQueryResponse, NistObjectRefSample) {
  RegistryErrorList errors;
  Result<AdhocQueryResponse> r = DecodeSample("sq-resp-objectref.xml", &errors);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, kResponseSuccess);
  EXPECT_TRUE(r->objects.empty());
  ASSERT_FALSE(r->object_refs.empty());
  for (const std::string& id : r->object_refs) EXPECT_EQ(id.rfind("urn:uuid:", 0), 0u) << id;
}

// NIST's deliberately broken responses (expected.txt: "for checking a consumer-side parser").
TEST(DecodeAdhocQueryResponse, NistInvalidSamplesAreRefused) {
  const std::pair<const char*, const char*> cases[] = {
      {"sq-resp-lc-no-objectType.xml", "objectType"},
      {"sq-resp-lc-no-status.xml", "without status"},
      {"sq-resp-nostat-objectref.xml", "no valid status"},
  };
  for (const auto& [file, why] : cases) {
    RegistryErrorList errors;
    Result<AdhocQueryResponse> r = DecodeSample(file, &errors);
    ASSERT_FALSE(r.ok()) << file;
    EXPECT_EQ(r.status().detail(), XdsErrorCode(XdsError::kRegistryError)) << file;
    EXPECT_NE(r.status().message().find(why), std::string::npos)
        << file << ": " << r.status().ToString();
  }
}

// What our registry sends decodes back to the same objects, statuses and errors.
TEST(DecodeAdhocQueryResponse, RoundTripsOurEncoders) {
  RegistryObject doc;
  doc.kind = ObjectKind::kExtrinsicObject;
  doc.id = "urn:uuid:0f1e2d3c-0000-4000-8000-000000000001";
  doc.lid = doc.id;
  doc.object_type = kObjectTypeStableDocument;
  doc.mime_type = "text/xml";
  doc.name.strings = {{"退院時サマリー", "ja-JP", "UTF-8"}};
  doc.slots = {{"creationTime", "", {"20261125093000"}}};
  doc.external_identifiers = {
      {"urn:uuid:e1", kDocEntryUniqueId, doc.id, "1.2.392.1.2.3", {{{"XDSDocumentEntry.uniqueId", "", ""}}}}};
  RegistryObject assoc;
  assoc.kind = ObjectKind::kAssociation;
  assoc.id = "urn:uuid:0f1e2d3c-0000-4000-8000-000000000002";
  assoc.lid = assoc.id;
  assoc.association_type = kAssocRplc;
  assoc.source_object = doc.id;
  assoc.target_object = "urn:uuid:0f1e2d3c-0000-4000-8000-000000000003";
  const std::string f1 = EncodeRegistryObject(doc), f2 = EncodeRegistryObject(assoc);
  RegistryErrorList sent = {
      {"XDSRegistryError", "one answer is missing", "urn:uuid:x", Severity::kError},
      {"XDSResultNotSinglePatient", "a warning & more", "", Severity::kWarning}};
  const std::string body =
      EncodeAdhocQueryResponseLeafClass({{f1, kStatusDeprecated}, {f2, kStatusApproved}}, sent);
  const std::string envelope = EncodeSoapResponse(kActionStoredQueryResponse, "urn:uuid:m", body);
  Result<SoapMessage> message = SoapMessage::Parse(envelope, SoapLimits{});
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  RegistryErrorList errors;
  Result<AdhocQueryResponse> r = DecodeAdhocQueryResponse(*message, &errors);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, kResponsePartialSuccess);
  ASSERT_EQ(r->objects.size(), 2u);
  RegistryObject expected_doc = doc, expected_assoc = assoc;
  expected_doc.status = kStatusDeprecated;
  expected_assoc.status = kStatusApproved;
  EXPECT_TRUE(r->objects[0] == expected_doc);
  EXPECT_TRUE(r->objects[1] == expected_assoc);
  ASSERT_EQ(errors.size(), 2u);
  EXPECT_EQ(errors[0].error_code, "XDSRegistryError");
  EXPECT_EQ(errors[0].code_context, "one answer is missing");
  EXPECT_EQ(errors[0].location, "urn:uuid:x");
  EXPECT_EQ(errors[0].severity, Severity::kError);
  EXPECT_EQ(errors[1].code_context, "a warning & more");
  EXPECT_EQ(errors[1].severity, Severity::kWarning);

  errors.clear();
  const std::string refs = EncodeAdhocQueryResponseObjectRef({doc.id, assoc.id}, {});
  r = DecodeAdhocQueryResponseXml(refs, &errors);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, kResponseSuccess);
  EXPECT_EQ(r->object_refs, (std::vector<std::string>{doc.id, assoc.id}));

  const std::string failure = EncodeAdhocQueryResponseObjectRef({}, {sent[0]});
  r = DecodeAdhocQueryResponseXml(failure, &errors);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->status, kResponseFailure);
}

TEST(DecodeAdhocQueryResponse, FaultsAndOtherBodiesAreErrors) {
  const std::string fault =
      std::string("<soap:Envelope xmlns:soap=\"") + kNsSoap12 +
      "\" xmlns:wsa=\"http://www.w3.org/2005/08/addressing\"><soap:Header>"
      "<wsa:Action>http://www.w3.org/2005/08/addressing/soap/fault</wsa:Action></soap:Header>"
      "<soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code>"
      "<soap:Reason><soap:Text xml:lang=\"en\">message too large</soap:Text></soap:Reason>"
      "</soap:Fault></soap:Body></soap:Envelope>";
  Result<SoapMessage> message = SoapMessage::Parse(fault, SoapLimits{});
  ASSERT_TRUE(message.ok()) << message.status().ToString();
  RegistryErrorList errors;
  Result<AdhocQueryResponse> r = DecodeAdhocQueryResponse(*message, &errors);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("message too large"), std::string::npos);

  r = DecodeAdhocQueryResponseXml(EncodeRegistryResponse({}), &errors);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("query:AdhocQueryResponse"), std::string::npos);
}

// The request encoder writes what the registry's decoder reads, parameters verbatim.
TEST(EncodeAdhocQueryRequest, RoundTripsThroughTheDecoder) {
  AdhocQueryRequest q;
  q.query_id = kSqFindDocuments;
  q.return_type = "LeafClass";
  q.return_composed_objects = true;
  q.params = {{"$XDSDocumentEntryPatientId", "", {"'R0000000001^^^&1.2.392&ISO'"}},
              {"$XDSDocumentEntryStatus", "", {"('" + std::string(kStatusApproved) + "')"}},
              {"$XDSDocumentEntryClassCode", "", {"('a^^1.2')", "('b^^1.2')"}}};
  Result<AdhocQueryRequest> back = DecodeAdhocQueryRequestXml(EncodeAdhocQueryRequest(q));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->query_id, q.query_id);
  EXPECT_EQ(back->return_type, q.return_type);
  EXPECT_TRUE(back->return_composed_objects);
  EXPECT_EQ(back->params, q.params);
  EXPECT_TRUE(back->home.empty());
}

}  // namespace
}  // namespace renkei::xds
