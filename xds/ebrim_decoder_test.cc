// ebRIM 3.0 / ebRS 3.0 request decoding (lcm:SubmitObjectsRequest, query:AdhocQueryRequest,
// lcm:RemoveObjectsRequest) against the NIST and IPF wire examples and the NIST testkit
// query bodies.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "xds/ebrim_codec.h"
#include "xds/internal/test_vectors.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using testing::Count;
using testing::FindXml;
using testing::ReadFile;
using testing::WireExample;
using testing::XdsVectorDir;

const char kMetadataError[] = "XDSRegistryMetadataError";
const char kRegistryError[] = "XDSRegistryError";

struct SubmitVector {
  const char* file;
  size_t documents, packages, associations, standalone_classifications;
};

class SubmitVectorTest : public ::testing::TestWithParam<SubmitVector> {};

TEST_P(SubmitVectorTest, DecodesEveryObject) {
  const SubmitVector& v = GetParam();
  std::string xml = ReadFile(WireExample(v.file));
  ASSERT_FALSE(xml.empty()) << v.file;
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(xml);
  ASSERT_TRUE(r.ok()) << v.file << ": " << r.status().ToString();
  size_t docs = 0, packages = 0, associations = 0;
  for (const RegistryObject& o : r->objects) {
    EXPECT_FALSE(o.id.empty());
    docs += o.kind == ObjectKind::kExtrinsicObject;
    packages += o.kind == ObjectKind::kRegistryPackage;
    associations += o.kind == ObjectKind::kAssociation;
  }
  EXPECT_EQ(docs, v.documents) << v.file;
  EXPECT_EQ(packages, v.packages) << v.file;
  EXPECT_EQ(associations, v.associations) << v.file;
  EXPECT_EQ(r->classifications.size(), v.standalone_classifications) << v.file;
  // Cross-check with the raw text: one object per start tag.
  EXPECT_EQ(docs, Count(xml, "<rim:ExtrinsicObject"));
  EXPECT_EQ(packages, Count(xml, "<rim:RegistryPackage"));
  EXPECT_EQ(associations, Count(xml, "<rim:Association"));
}

INSTANTIATE_TEST_SUITE_P(
    WireExamples, SubmitVectorTest,
    ::testing::Values(SubmitVector{"ipf-ebrs30/SubmitObjectsRequest_ebrs30.xml", 1, 1, 2, 1},
                      SubmitVector{"ipf-ebrs30/SubmitObjectsRequest_ebrs30_2.xml", 1, 1, 2, 0},
                      SubmitVector{"ipf-ebrs30/SubmitObjectsRequest_ebrs3_extra_metadata.xml", 1, 1,
                                   2, 1},
                      SubmitVector{"ipf-ebrs30/SubmitObjectsRequest_ebrs30_update.xml", 1, 1, 2, 0},
                      SubmitVector{"nist-validator-samples/pnr.xml", 2, 1, 2, 1},
                      SubmitVector{"nist-validator-samples/pnr-limited.xml", 1, 1, 1, 1},
                      SubmitVector{"nist-misc/XdrMinimalBad.xml", 1, 1, 1, 1}));

TEST(DecodeSubmit, IpfDocumentEntryDetails) {
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(
      ReadFile(WireExample("ipf-ebrs30/SubmitObjectsRequest_ebrs30.xml")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RegistryObject& doc = r->objects.at(0);
  EXPECT_EQ(doc.id, "Document01");
  EXPECT_EQ(doc.mime_type, "text/xml");
  EXPECT_EQ(doc.object_type, kObjectTypeStableDocument);
  EXPECT_EQ(doc.SlotValue("creationTime"), "20051224");
  ASSERT_NE(doc.FindSlot("sourcePatientInfo"), nullptr);
  EXPECT_EQ(doc.FindSlot("sourcePatientInfo")->values.size(), 5u);
  EXPECT_EQ(doc.SlotValue("sourcePatientId"), "ST-1000^^^&1.3.6.1.4.1.21367.2003.3.9&ISO");
  EXPECT_EQ(doc.name.text(), "Physical");
  EXPECT_TRUE(doc.description.empty());
  EXPECT_EQ(doc.classifications.size(), 7u);
  EXPECT_EQ(doc.classifications[1].classification_scheme, kDocEntryClassCode);
  EXPECT_EQ(doc.classifications[1].node_representation, "History and Physical");
  EXPECT_EQ(doc.classifications[1].classified_object, "Document01");
  EXPECT_EQ(doc.classifications[1].name.text(), "History and Physical");
  // The vector's scheme attribute is line-wrapped ("...-92fd- a8ff..."): read without spaces.
  EXPECT_EQ(doc.ExternalIdValue(kDocEntryPatientId), "SELF-5^^^&1.3.6.1.4.1.21367.2005.3.7&ISO");
  EXPECT_EQ(doc.ExternalIdValue(kDocEntryUniqueId), "1.3.6.1.4.1.21367.2005.3.9999.32");
  const Classification& ss = r->classifications.at(0);
  EXPECT_EQ(ss.classification_node, kSubmissionSetNode);
  EXPECT_EQ(ss.classified_object, "SubmissionSet01");
}

TEST(DecodeSubmit, UpdateRequestKeepsLidStatusVersionAndLangs) {
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(
      ReadFile(WireExample("ipf-ebrs30/SubmitObjectsRequest_ebrs30_update.xml")));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  const RegistryObject& doc = r->objects.at(0);
  EXPECT_EQ(doc.lid, "urn:uuid:20744602-ba65-44e9-87ee-a52303a5183e");
  EXPECT_EQ(doc.status, kStatusApproved);
  EXPECT_EQ(doc.version_name, "1");
  EXPECT_FALSE(doc.is_opaque);
  ASSERT_EQ(doc.name.strings.size(), 1u);
  EXPECT_EQ(doc.name.strings[0].lang, "en-us");
  EXPECT_EQ(doc.name.strings[0].charset, "UTF-8");
  bool found_uas = false;
  for (const RegistryObject& o : r->objects) {
    if (o.kind == ObjectKind::kAssociation &&
        o.association_type == kAssocUpdateAvailabilityStatus) {
      found_uas = true;
      EXPECT_FALSE(o.SlotValue("NewStatus").empty());
    }
  }
  EXPECT_TRUE(found_uas);
}

TEST(DecodeSubmit, ProvideAndRegisterInsideSoap) {
  Result<SoapMessage> m = SoapMessage::Parse(
      ReadFile(WireExample("nist-validator-samples/soap-pnr.xml")), SoapLimits{});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequest(*m);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->objects.size(), 5u);
  // The same request as a query is the wrong body element.
  Result<AdhocQueryRequest> q = DecodeAdhocQueryRequest(*m);
  ASSERT_FALSE(q.ok());
  EXPECT_EQ(q.status().detail(), kRegistryError);
  EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument);
  Result<RemoveObjectsRequest> rm = DecodeRemoveObjectsRequest(*m);
  ASSERT_FALSE(rm.ok());
  EXPECT_EQ(rm.status().detail(), kRegistryError);
}

TEST(DecodeSubmit, NistElementOrderVectorsAreMetadataErrors) {
  std::string xml = ReadFile(WireExample("nist-validator-samples/pnr-element-order.xml"));
  ASSERT_FALSE(xml.empty());
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(xml);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail(), kMetadataError);
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().location(), "Document01");

  Result<SoapMessage> m = SoapMessage::Parse(
      ReadFile(WireExample("nist-validator-samples/soap-pnr-element-order.xml")), SoapLimits{});
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  r = DecodeSubmitObjectsRequest(*m);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail(), kMetadataError);
  EXPECT_EQ(r.status().location(), "Document01");
}

// Every ebRS 3.0 SubmitObjectsRequest in the corpus that is not inside SOAP decodes, except
// the one that is schema-invalid on purpose.
TEST(DecodeSubmit, WholeCorpus) {
  std::vector<std::filesystem::path> files =
      FindXml(XdsVectorDir(), {kNsLcm, "SubmitObjectsRequest"});
  size_t decoded = 0;
  for (const auto& path : files) {
    std::string xml = ReadFile(path);
    if (xml.find(kNsSoap12) != std::string::npos) continue;
    Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(xml);
    if (path.filename() == "pnr-element-order.xml") {
      EXPECT_FALSE(r.ok());
      continue;
    }
    ASSERT_TRUE(r.ok()) << path << ": " << r.status().ToString();
    EXPECT_FALSE(r->objects.empty()) << path;
    ++decoded;
  }
  EXPECT_GE(decoded, 40u);
}

std::string Request(const std::string& objects) {
  return std::string("<l:SubmitObjectsRequest xmlns:l=\"") + kNsLcm + "\" xmlns:r=\"" + kNsRim +
         "\"><r:RegistryObjectList>" + objects + "</r:RegistryObjectList></l:SubmitObjectsRequest>";
}

struct MetadataCase {
  const char* name;
  std::string objects;
  const char* location;
};

class MetadataErrorTest : public ::testing::TestWithParam<MetadataCase> {};

TEST_P(MetadataErrorTest, IsXdsRegistryMetadataErrorAtTheObject) {
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(Request(GetParam().objects));
  ASSERT_FALSE(r.ok()) << GetParam().name;
  EXPECT_EQ(r.status().detail(), kMetadataError) << r.status().ToString();
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(r.status().location(), GetParam().location) << r.status().ToString();
}

INSTANTIATE_TEST_SUITE_P(
    Structure, MetadataErrorTest,
    ::testing::Values(
        MetadataCase{"ext_id_without_value",
                     "<r:ExtrinsicObject id=\"D\"><r:ExternalIdentifier id=\"e\" "
                     "registryObject=\"D\" identificationScheme=\"urn:uuid:x\"/>"
                     "</r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"ext_id_empty_value",
                     "<r:ExtrinsicObject id=\"D\"><r:ExternalIdentifier id=\"e\" "
                     "registryObject=\"D\" identificationScheme=\"urn:uuid:x\" value=\"\"/>"
                     "</r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"ext_id_without_scheme",
                     "<r:RegistryPackage id=\"S\"><r:ExternalIdentifier id=\"e\" "
                     "registryObject=\"S\" value=\"1\"/></r:RegistryPackage>",
                     "S"},
        MetadataCase{"classification_without_scheme_or_node",
                     "<r:ExtrinsicObject id=\"D\"><r:Classification id=\"c\" "
                     "classifiedObject=\"D\" nodeRepresentation=\"x\"/></r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"standalone_classification_without_scheme_or_node",
                     "<r:Classification id=\"c9\" classifiedObject=\"S\"/>", "c9"},
        MetadataCase{"slot_without_name",
                     "<r:ExtrinsicObject id=\"D\"><r:Slot><r:ValueList/></r:Slot>"
                     "</r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"localized_string_without_value",
                     "<r:ExtrinsicObject id=\"D\"><r:Name><r:LocalizedString/></r:Name>"
                     "</r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"description_before_name",
                     "<r:ExtrinsicObject id=\"D\"><r:Description/><r:Name/>"
                     "</r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"slot_after_classification",
                     "<r:RegistryPackage id=\"S\"><r:Classification classifiedObject=\"S\" "
                     "classificationNode=\"urn:uuid:n\"/><r:Slot name=\"a\"><r:ValueList/>"
                     "</r:Slot></r:RegistryPackage>",
                     "S"},
        MetadataCase{"classification_after_external_identifier",
                     "<r:ExtrinsicObject id=\"D\"><r:ExternalIdentifier "
                     "identificationScheme=\"urn:uuid:x\" value=\"1\" registryObject=\"D\"/>"
                     "<r:Classification classificationScheme=\"urn:uuid:y\" "
                     "classifiedObject=\"D\"/></r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"name_before_slot_in_classification",
                     "<r:ExtrinsicObject id=\"D\"><r:Classification classificationScheme=\"s\" "
                     "classifiedObject=\"D\"><r:Name/><r:Slot name=\"a\"><r:ValueList/>"
                     "</r:Slot></r:Classification></r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"two_names",
                     "<r:ExtrinsicObject id=\"D\"><r:Name/><r:Name/></r:ExtrinsicObject>", "D"},
        MetadataCase{"unknown_child", "<r:ExtrinsicObject id=\"D\"><r:Bogus/></r:ExtrinsicObject>",
                     "D"},
        MetadataCase{"foreign_namespace_child",
                     "<r:ExtrinsicObject id=\"D\"><Slot name=\"a\"/></r:ExtrinsicObject>", "D"},
        MetadataCase{"association_without_target",
                     "<r:Association id=\"A\" associationType=\"urn:x\" sourceObject=\"S\"/>", "A"},
        MetadataCase{"object_without_id", "<r:ExtrinsicObject mimeType=\"text/plain\"/>",
                     "ExtrinsicObject"},
        MetadataCase{"unsupported_object", "<r:ExternalLink id=\"L\" externalURI=\"http://x\"/>",
                     "L"},
        MetadataCase{"value_list_junk",
                     "<r:ExtrinsicObject id=\"D\"><r:Slot name=\"a\"><r:ValueList><r:Other/>"
                     "</r:ValueList></r:Slot></r:ExtrinsicObject>",
                     "D"}),
    [](const auto& info) { return std::string(info.param.name); });

TEST(DecodeSubmit, RequestLevelProblems) {
  // Not a SubmitObjectsRequest at all.
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(
      std::string("<q:AdhocQueryRequest xmlns:q=\"") + kNsQuery + "\"/>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail(), kRegistryError);
  // Right local name, wrong namespace (ebRIM 2.1).
  r = DecodeSubmitObjectsRequestXml(std::string("<rs:SubmitObjectsRequest xmlns:rs=\"") + kNsLcm21 +
                                    "\"/>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail(), kRegistryError);
  // No RegistryObjectList.
  r = DecodeSubmitObjectsRequestXml(std::string("<l:SubmitObjectsRequest xmlns:l=\"") + kNsLcm +
                                    "\"/>");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail(), kMetadataError);
  // Malformed.
  r = DecodeSubmitObjectsRequestXml("<l:SubmitObjectsRequest");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().detail(), kRegistryError);
}

TEST(DecodeSubmit, RequestSlotsObjectRefsAndDefaultNamespace) {
  std::string xml = std::string("<SubmitObjectsRequest xmlns=\"") + kNsLcm +
                    "\"><RequestSlotList xmlns=\"" + kNsRs + "\"><Slot xmlns=\"" + kNsRim +
                    "\" name=\"x\"><ValueList><Value>1</Value><Value>a&amp;b</Value></ValueList>"
                    "</Slot></RequestSlotList><RegistryObjectList xmlns=\"" +
                    kNsRim +
                    "\"><ObjectRef id=\"urn:uuid:1\"/><Association id=\"a\" associationType=\" " +
                    kAssocHasMember +
                    "\" sourceObject=\"s\" targetObject=\"t\"/>"
                    "</RegistryObjectList></SubmitObjectsRequest>";
  Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(xml);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->request_slots.size(), 1u);
  EXPECT_EQ(r->request_slots[0].values, (std::vector<std::string>{"1", "a&b"}));
  EXPECT_EQ(r->object_refs, (std::vector<std::string>{"urn:uuid:1"}));
  ASSERT_EQ(r->objects.size(), 1u);
  EXPECT_EQ(r->objects[0].association_type, kAssocHasMember);  // whitespace dropped
}

TEST(DecodeQuery, NistAndIpfRequests) {
  Result<AdhocQueryRequest> q =
      DecodeAdhocQueryRequestXml(ReadFile(WireExample("nist-validator-samples/sq-req.xml")));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->query_id, kSqFindDocuments);
  EXPECT_EQ(q->return_type, "LeafClass");
  EXPECT_TRUE(q->return_composed_objects);
  ASSERT_EQ(q->params.size(), 3u);
  EXPECT_EQ(q->params[0].name, "$XDSDocumentEntryPatientId");
  EXPECT_EQ(q->params[0].values.at(0), "'c4d77e21d0dd487^^^&1.3.6.1.4.1.21367.2005.3.7&ISO'");
  EXPECT_EQ(q->params[1].values.at(0), "('urn:oasis:names:tc:ebxml-regrep:StatusType:Approved')");

  q = DecodeAdhocQueryRequestXml(ReadFile(WireExample("ipf-ebrs30/iti18request.xml")));
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  ASSERT_EQ(q->params.size(), 4u);
  // Kept verbatim, injection tail included: the stored-query layer judges it.
  EXPECT_EQ(q->params[0].values.at(0),
            "'593603^^^&2.16.756.5.33.2.5.1.5.1&ISO''%20and%20611%3d611--%20");
  EXPECT_EQ(q->params[3].values.at(0), "20221016161616");

  Result<SoapMessage> m = SoapMessage::Parse(
      ReadFile(WireExample("nist-validator-samples/soap-sq-req.xml")), SoapLimits{});
  ASSERT_TRUE(m.ok());
  q = DecodeAdhocQueryRequest(*m);
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->params.size(), 3u);
  Result<SubmitObjectsRequest> wrong = DecodeSubmitObjectsRequest(*m);
  ASSERT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().detail(), kRegistryError);
}

// `xml` without its comments.
std::string StripComments(const std::string& xml) {
  std::string out;
  size_t pos = 0;
  for (size_t open = xml.find("<!--"); open != std::string::npos; open = xml.find("<!--", pos)) {
    out.append(xml, pos, open - pos);
    size_t close = xml.find("-->", open + 4);
    pos = close == std::string::npos ? xml.size() : close + 3;
  }
  if (pos < xml.size()) out.append(xml, pos, std::string::npos);
  return out;
}

// True when the document element of `xml` (comments stripped) has this local name.
bool RootIs(const std::string& xml, const std::string& local) {
  size_t p = 0;
  while (true) {
    p = xml.find('<', p);
    if (p == std::string::npos) return false;
    if (xml.compare(p, 2, "<?") != 0) break;
    p = xml.find("?>", p);
    if (p == std::string::npos) return false;
  }
  size_t end = xml.find_first_of(" \t\r\n/>", p);
  std::string name = xml.substr(p + 1, end - p - 1);
  size_t colon = name.find(':');
  return (colon == std::string::npos ? name : name.substr(colon + 1)) == local;
}

// Every bare AdhocQueryRequest of the NIST testkit decodes, with one parameter per Slot.
TEST(DecodeQuery, WholeTestkitCorpus) {
  std::vector<std::filesystem::path> files =
      FindXml(XdsVectorDir(), {kNsQuery, "AdhocQueryRequest"});
  const std::regex slot_tag("<([A-Za-z0-9_]+:)?Slot[\\s>]");
  size_t decoded = 0, query_xml = 0;
  for (const auto& path : files) {
    std::string xml = ReadFile(path);
    std::string text = StripComments(xml);
    if (!RootIs(text, "AdhocQueryRequest")) continue;  // SOAP-wrapped, responses, ...
    Result<AdhocQueryRequest> q = DecodeAdhocQueryRequestXml(xml);
    ASSERT_TRUE(q.ok()) << path << ": " << q.status().ToString();
    EXPECT_FALSE(q->query_id.empty()) << path;
    auto begin = std::sregex_iterator(text.begin(), text.end(), slot_tag);
    EXPECT_EQ(q->params.size(), static_cast<size_t>(std::distance(begin, std::sregex_iterator())))
        << path;
    ++decoded;
    query_xml += path.filename() == "query.xml";
  }
  EXPECT_GE(decoded, 200u);
  EXPECT_GE(query_xml, 100u);
}

TEST(DecodeQuery, StructureErrorsAreRegistryErrors) {
  const std::string ns = std::string(" xmlns:q=\"") + kNsQuery + "\" xmlns:r=\"" + kNsRim + "\"";
  const std::string cases[] = {
      "<q:AdhocQueryRequest" + ns + "><r:AdhocQuery id=\"x\"/></q:AdhocQueryRequest>",
      "<q:AdhocQueryRequest" + ns + "><q:ResponseOption/></q:AdhocQueryRequest>",
      "<q:AdhocQueryRequest" + ns +
          "><r:AdhocQuery id=\"x\"/><q:ResponseOption/></q:AdhocQueryRequest>",
      "<q:AdhocQueryRequest" + ns +
          "><q:ResponseOption/><r:AdhocQuery id=\"x\"><r:Name/><r:Slot name=\"a\"/>"
          "</r:AdhocQuery></q:AdhocQueryRequest>",
  };
  for (const std::string& xml : cases) {
    Result<AdhocQueryRequest> q = DecodeAdhocQueryRequestXml(xml);
    ASSERT_FALSE(q.ok()) << xml;
    EXPECT_EQ(q.status().detail(), kRegistryError) << xml;
    EXPECT_EQ(q.status().code(), StatusCode::kInvalidArgument) << xml;
  }
  // Defaults per query.xsd; home kept.
  Result<AdhocQueryRequest> q = DecodeAdhocQueryRequestXml(
      "<q:AdhocQueryRequest" + ns + "><q:ResponseOption/><r:AdhocQuery id=\"" + kSqGetAll +
      "\" home=\"urn:oid:1.2\"><r:Slot name=\"$a\"><r:ValueList><r:Value>1</r:Value>"
      "</r:ValueList></r:Slot><r:Slot name=\"$a\"><r:ValueList><r:Value>2</r:Value></r:ValueList>"
      "</r:Slot></r:AdhocQuery></q:AdhocQueryRequest>");
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->return_type, "RegistryObject");
  EXPECT_FALSE(q->return_composed_objects);
  EXPECT_EQ(q->home, "urn:oid:1.2");
  ASSERT_EQ(q->params.size(), 2u);  // repeated names stay separate, in order
  EXPECT_EQ(q->params[1].values.at(0), "2");
}

Result<RemoveObjectsRequest> DecodeRemove(const std::string& inner, const std::string& attrs = "") {
  std::string xml = std::string("<x:Envelope xmlns:x=\"") + kNsSoap12 +
                    "\"><x:Header>"
                    "<w:Action xmlns:w=\"" +
                    kNsWsa + "\">" + kActionRemove +
                    "</w:Action></x:Header><x:Body><m:RemoveObjectsRequest xmlns:m=\"" + kNsLcm +
                    "\" xmlns:o=\"" + kNsRim + "\"" + attrs + ">" + inner +
                    "</m:RemoveObjectsRequest></x:Body></x:Envelope>";
  Result<SoapMessage> m = SoapMessage::Parse(xml, SoapLimits{});
  if (!m.ok()) return m.status();
  return DecodeRemoveObjectsRequest(*m);
}

TEST(DecodeRemove, ObjectRefsAndDeletionScope) {
  Result<RemoveObjectsRequest> r = DecodeRemove(
      "<o:ObjectRefList><o:ObjectRef id=\"urn:uuid:a\"/><o:ObjectRef id=\"urn:uuid:b\" "
      "home=\"h\"/></o:ObjectRefList>",
      " deletionScope=\"urn:oasis:names:tc:ebxml-regrep:DeletionScopeType:DeleteAll\"");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->object_refs, (std::vector<std::string>{"urn:uuid:a", "urn:uuid:b"}));
  EXPECT_EQ(r->deletion_scope, "urn:oasis:names:tc:ebxml-regrep:DeletionScopeType:DeleteAll");

  r = DecodeRemove("");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->object_refs.empty());
  EXPECT_TRUE(r->deletion_scope.empty());

  for (const std::string bad :
       {"<o:AdhocQuery id=\"x\"/>", "<o:ObjectRefList><o:ObjectRef/></o:ObjectRefList>",
        "<o:ObjectRefList><o:Other id=\"1\"/></o:ObjectRefList>",
        "<o:ObjectRefList/><o:ObjectRefList/>"}) {
    r = DecodeRemove(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().detail(), kRegistryError) << bad;
  }
}

}  // namespace
}  // namespace renkei::xds
