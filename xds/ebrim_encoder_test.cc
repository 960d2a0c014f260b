// ebRIM 3.0 fragment encoding and round trip, ebRS 3.0 RegistryResponse and
// AdhocQueryResponse (LeafClass / ObjectRef) encoding with the status rules of ITI TF-2
// §3.18.4.1.3 and ITI TF-3 §4.2.4.
#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <sstream>
#include <string>

#include "xds/ebrim_codec.h"
#include "xds/internal/leaf_fragment.h"
#include "xds/internal/test_vectors.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using testing::FindXml;
using testing::ReadFile;
using testing::XdsVectorDir;

// Every object of every ebRS 3.0 SubmitObjectsRequest of the corpus survives
// Decode(Encode(x)) == x.
TEST(EncodeRegistryObject, RoundTripsTheCorpus) {
  size_t objects = 0;
  for (const auto& path : FindXml(XdsVectorDir(), {kNsLcm, "SubmitObjectsRequest"})) {
    std::string xml = ReadFile(path);
    if (xml.find(kNsSoap12) != std::string::npos) continue;
    Result<SubmitObjectsRequest> r = DecodeSubmitObjectsRequestXml(xml);
    if (!r.ok()) continue;  // the deliberately invalid vectors (decoder tests cover them)
    for (const RegistryObject& o : r->objects) {
      std::string fragment = EncodeRegistryObject(o);
      Result<RegistryObject> back = DecodeRegistryObjectFragment(fragment);
      ASSERT_TRUE(back.ok()) << path << " " << o.id << ": " << back.status().ToString() << "\n"
                             << fragment;
      RegistryObject expected = o;
      expected.status.clear();  // fragments carry no status by contract
      EXPECT_TRUE(*back == expected) << path << " " << o.id << "\n" << fragment;
      ++objects;
    }
  }
  EXPECT_GE(objects, 140u);
}

// The objects of NIST's valid LeafClass response (a registry's output shape: status, lid,
// home, objectType on nested objects) decode as fragments and survive our re-encoding.
TEST(DecodeRegistryObjectFragment, NistLeafClassResponseObjects) {
  std::string xml = ReadFile(testing::WireExample("nist-validator-samples/sq-resp-lc.xml"));
  pugi::xml_document doc;
  ASSERT_TRUE(doc.load_buffer(xml.data(), xml.size()));
  pugi::xml_node list = doc.document_element().child("rim:RegistryObjectList");
  ASSERT_TRUE(list);
  size_t n = 0;
  for (pugi::xml_node el = list.first_child(); el; el = el.next_sibling()) {
    std::ostringstream text;
    el.print(text, "", pugi::format_raw);
    Result<RegistryObject> o = DecodeRegistryObjectFragment(text.str());
    ASSERT_TRUE(o.ok()) << el.name() << ": " << o.status().ToString();
    EXPECT_EQ(o->id, el.attribute("id").value());
    EXPECT_EQ(o->status, el.attribute("status").value());
    EXPECT_FALSE(o->status.empty());
    Result<RegistryObject> again = DecodeRegistryObjectFragment(EncodeRegistryObject(*o));
    ASSERT_TRUE(again.ok()) << again.status().ToString();
    RegistryObject expected = *o;
    expected.status.clear();
    EXPECT_TRUE(*again == expected) << o->id;
    ++n;
  }
  EXPECT_EQ(n, testing::Count(xml, "<rim:ExtrinsicObject") +
                   testing::Count(xml, "<rim:RegistryPackage") +
                   testing::Count(xml, "<rim:Association"));
  EXPECT_GT(n, 0u);
}

RegistryObject Tricky() {
  RegistryObject o;
  o.kind = ObjectKind::kExtrinsicObject;
  o.id = "urn:uuid:1&<>\"'";
  o.lid = "urn:uuid:lid";
  o.object_type = kObjectTypeOnDemandDocument;
  o.status = kStatusApproved;  // never encoded
  o.home = "urn:oid:1.2.3";
  o.version_name = "2";
  o.mime_type = "text/plain; charset=\"utf-8\"";
  o.is_opaque = true;
  o.name.strings = {{"Title <b>&amp;</b>\n line", "ja-JP", "UTF-8"}, {"second", "", ""}};
  o.description.strings = {{"tab\there\r\nCRLF  two  spaces", "", ""}};
  o.slots = {{"sourcePatientInfo", "", {"PID-3|a^^^&1.2&ISO", "PID-5|Doe^John"}},
             {"empty", "", {}},
             {"typed", "urn:t", {" leading and trailing ", ""}}};
  Classification c;
  c.id = "c1";
  c.classification_scheme = kDocEntryClassCode;
  c.classified_object = o.id;
  c.node_representation = "a\"b";
  c.name.strings = {{"Display", "", ""}};
  c.slots = {{"codingScheme", "", {"1.2.3"}}};
  o.classifications.push_back(c);
  Classification author;
  author.classification_scheme = kDocEntryAuthor;
  author.classified_object = o.id;
  author.slots = {{"authorPerson", "", {"^Smitty^Gerald"}}};
  o.classifications.push_back(author);
  Classification node;
  node.classification_node = kDocEntryLimitedMetadata;
  node.classified_object = o.id;
  o.classifications.push_back(node);
  o.external_identifiers = {{"e1", kDocEntryUniqueId, o.id, "1.2.3.4", {}},
                            {"", kDocEntryPatientId, o.id, "p^^^&1&ISO", {{{"XDS", "", ""}}}}};
  return o;
}

TEST(EncodeRegistryObject, ShapeAndEscaping) {
  RegistryObject o = Tricky();
  std::string f = EncodeRegistryObject(o);
  EXPECT_EQ(f.rfind("<rim:ExtrinsicObject id=", 0), 0u) << f;
  EXPECT_EQ(f.find("xmlns"), std::string::npos) << f;
  EXPECT_EQ(f.find("status="), std::string::npos) << f;
  EXPECT_NE(f.find("mimeType=\"text/plain; charset=&quot;utf-8&quot;\""), std::string::npos);
  EXPECT_NE(f.find("isOpaque=\"true\""), std::string::npos);
  EXPECT_NE(f.find("home=\"urn:oid:1.2.3\""), std::string::npos);
  EXPECT_NE(f.find("<rim:VersionInfo versionName=\"2\"/>"), std::string::npos);
  EXPECT_NE(f.find("objectType=\"" + std::string(kObjectTypeClassification) + "\""),
            std::string::npos);
  // Schema order: Slot < Name < Description < VersionInfo < Classification < ExternalIdentifier.
  size_t slot = f.find("<rim:Slot"), name = f.find("<rim:Name"), desc = f.find("<rim:Description"),
         ver = f.find("<rim:VersionInfo"), cl = f.find("<rim:Classification"),
         ei = f.find("<rim:ExternalIdentifier");
  EXPECT_LT(slot, name);
  EXPECT_LT(name, desc);
  EXPECT_LT(desc, ver);
  EXPECT_LT(ver, cl);
  EXPECT_LT(cl, ei);
  EXPECT_EQ(f.back(), '>');
  EXPECT_NE(f.find("</rim:ExtrinsicObject>"), std::string::npos);

  Result<RegistryObject> back = DecodeRegistryObjectFragment(f);
  ASSERT_TRUE(back.ok()) << back.status().ToString() << "\n" << f;
  RegistryObject expected = o;
  expected.status.clear();
  EXPECT_TRUE(*back == expected) << f;
  EXPECT_EQ(back->description.text(), "tab\there\r\nCRLF  two  spaces");
  EXPECT_EQ(back->name.text(), "Title <b>&amp;</b>\n line");
}

TEST(EncodeRegistryObject, PackagesAndAssociations) {
  RegistryObject p;
  p.kind = ObjectKind::kRegistryPackage;
  p.id = "urn:uuid:ss";
  p.object_type = kObjectTypeRegistryPackage;
  std::string f = EncodeRegistryObject(p);
  EXPECT_EQ(f, "<rim:RegistryPackage id=\"urn:uuid:ss\" objectType=\"" +
                   std::string(kObjectTypeRegistryPackage) + "\"/>");
  EXPECT_EQ(f.find("mimeType"), std::string::npos);

  RegistryObject a;
  a.kind = ObjectKind::kAssociation;
  a.id = "urn:uuid:a";
  a.association_type = kAssocHasMember;
  a.source_object = "urn:uuid:ss";
  a.target_object = "urn:uuid:d";
  a.slots = {{"SubmissionSetStatus", "", {"Original"}}};
  f = EncodeRegistryObject(a);
  EXPECT_NE(f.find("associationType=\"" + std::string(kAssocHasMember) + "\""), std::string::npos);
  EXPECT_NE(f.find("sourceObject=\"urn:uuid:ss\" targetObject=\"urn:uuid:d\""), std::string::npos);
  EXPECT_EQ(f.find("isOpaque"), std::string::npos);
  Result<RegistryObject> back = DecodeRegistryObjectFragment(f);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_TRUE(*back == a);
}

TEST(DecodeRegistryObjectFragment, RejectsWhatIsNotOneObject) {
  for (const std::string bad :
       {"", "<rim:ExtrinsicObject id=\"a\"/><rim:ExtrinsicObject id=\"b\"/>",
        "<rim:Classification id=\"c\" classificationScheme=\"s\" classifiedObject=\"x\"/>",
        "text<rim:ExtrinsicObject id=\"a\"/>", "<rim:ExtrinsicObject id=\"a\">", "<other/>"}) {
    EXPECT_FALSE(DecodeRegistryObjectFragment(bad).ok()) << bad;
  }
}

// Parses an encoder's output (it must be namespace-well-formed on its own).
pugi::xml_node ParseRoot(const std::string& xml, pugi::xml_document* doc) {
  pugi::xml_parse_result r = doc->load_buffer(xml.data(), xml.size());
  EXPECT_TRUE(r) << r.description() << "\n" << xml;
  return doc->document_element();
}

TEST(EncodeRegistryResponse, StatusAndErrorList) {
  pugi::xml_document doc;
  std::string ok = EncodeRegistryResponse({});
  pugi::xml_node root = ParseRoot(ok, &doc);
  EXPECT_STREQ(root.name(), "rs:RegistryResponse");
  EXPECT_STREQ(root.attribute("xmlns:rs").value(), kNsRs);
  EXPECT_STREQ(root.attribute("status").value(), kResponseSuccess);
  EXPECT_FALSE(root.first_child());

  RegistryErrorList errors = {
      {"XDSRegistryMetadataError", "bad \"slot\" <x>", "Document01", Severity::kError},
      {"XDSExtraMetadataNotSaved", "extra", "", Severity::kWarning}};
  root = ParseRoot(EncodeRegistryResponse(errors), &doc);
  EXPECT_STREQ(root.attribute("status").value(), kResponseFailure);
  pugi::xml_node list = root.child("rs:RegistryErrorList");
  ASSERT_TRUE(list);
  EXPECT_STREQ(list.attribute("highestSeverity").value(), kSeverityError);
  pugi::xml_node e = list.child("rs:RegistryError");
  EXPECT_STREQ(e.attribute("errorCode").value(), "XDSRegistryMetadataError");
  EXPECT_STREQ(e.attribute("codeContext").value(), "bad \"slot\" <x>");
  EXPECT_STREQ(e.attribute("location").value(), "Document01");
  EXPECT_STREQ(e.attribute("severity").value(), kSeverityError);
  e = e.next_sibling("rs:RegistryError");
  EXPECT_STREQ(e.attribute("severity").value(), kSeverityWarning);
  EXPECT_FALSE(e.attribute("location"));

  RegistryErrorList warnings = {errors[1]};
  root = ParseRoot(EncodeRegistryResponse(warnings), &doc);
  EXPECT_STREQ(root.attribute("status").value(), kResponseSuccess);
  EXPECT_STREQ(root.child("rs:RegistryErrorList").attribute("highestSeverity").value(),
               kSeverityWarning);
  root = ParseRoot(EncodeRegistryResponse(warnings, /*partial=*/true), &doc);
  EXPECT_STREQ(root.attribute("status").value(), kResponsePartialSuccess);
}

struct QueryStatusCase {
  size_t objects;
  std::vector<Severity> severities;
  const char* status;
};

TEST(EncodeAdhocQueryResponse, StatusRules) {
  const QueryStatusCase cases[] = {
      {0, {}, kResponseSuccess},
      {2, {}, kResponseSuccess},
      {0, {Severity::kWarning}, kResponseSuccess},
      {2, {Severity::kWarning}, kResponseSuccess},
      {0, {Severity::kError}, kResponseFailure},
      {0, {Severity::kWarning, Severity::kError}, kResponseFailure},
      {2, {Severity::kError}, kResponsePartialSuccess},
  };
  RegistryObject o = Tricky();
  std::string fragment = EncodeRegistryObject(o);
  for (const QueryStatusCase& c : cases) {
    RegistryErrorList errors;
    for (Severity s : c.severities) errors.push_back({"XDSTooManyResults", "x", "", s});
    std::vector<LeafObject> leaves(c.objects, LeafObject{fragment, kStatusApproved});
    std::vector<std::string> refs(c.objects, "urn:uuid:x");
    pugi::xml_document doc;
    pugi::xml_node root = ParseRoot(EncodeAdhocQueryResponseLeafClass(leaves, errors), &doc);
    EXPECT_STREQ(root.attribute("status").value(), c.status) << c.objects;
    EXPECT_EQ(static_cast<bool>(root.child("rs:RegistryErrorList")), !errors.empty());
    root = ParseRoot(EncodeAdhocQueryResponseObjectRef(refs, errors), &doc);
    EXPECT_STREQ(root.attribute("status").value(), c.status) << c.objects;
  }
}

TEST(EncodeAdhocQueryResponse, LeafClassInsertsStatusIntoEachFragment) {
  RegistryObject doc_entry = Tricky();
  RegistryObject assoc;
  assoc.kind = ObjectKind::kAssociation;
  assoc.id = "urn:uuid:a";
  assoc.association_type = kAssocRplc;
  assoc.source_object = "urn:uuid:new";
  assoc.target_object = "urn:uuid:old";
  std::string f1 = EncodeRegistryObject(doc_entry), f2 = EncodeRegistryObject(assoc);
  std::string out =
      EncodeAdhocQueryResponseLeafClass({{f1, kStatusDeprecated}, {f2, kStatusApproved}}, {});
  pugi::xml_document doc;
  pugi::xml_node root = ParseRoot(out, &doc);
  EXPECT_STREQ(root.name(), "query:AdhocQueryResponse");
  EXPECT_STREQ(root.attribute("xmlns:query").value(), kNsQuery);
  EXPECT_STREQ(root.attribute("xmlns:rim").value(), kNsRim);
  EXPECT_STREQ(root.attribute("xmlns:rs").value(), kNsRs);
  EXPECT_STREQ(root.attribute("status").value(), kResponseSuccess);
  pugi::xml_node list = root.child("rim:RegistryObjectList");
  ASSERT_TRUE(list);
  pugi::xml_node first = list.first_child();
  EXPECT_STREQ(first.name(), "rim:ExtrinsicObject");
  EXPECT_STREQ(first.attribute("status").value(), kStatusDeprecated);
  EXPECT_STREQ(first.attribute("id").value(), doc_entry.id.c_str());
  pugi::xml_node second = first.next_sibling();
  EXPECT_STREQ(second.name(), "rim:Association");
  EXPECT_STREQ(second.attribute("status").value(), kStatusApproved);
  EXPECT_FALSE(second.next_sibling());
  // Only the object's own start tag gets a status, not its nested elements.
  EXPECT_FALSE(first.child("rim:Classification").attribute("status"));

  std::string empty = EncodeAdhocQueryResponseLeafClass({}, {});
  root = ParseRoot(empty, &doc);
  EXPECT_TRUE(root.child("rim:RegistryObjectList"));
  EXPECT_FALSE(root.child("rim:RegistryObjectList").first_child());
}

TEST(EncodeAdhocQueryResponse, ObjectRefs) {
  pugi::xml_document doc;
  pugi::xml_node root =
      ParseRoot(EncodeAdhocQueryResponseObjectRef({"urn:uuid:1", "urn:uuid:2&"}, {}), &doc);
  pugi::xml_node list = root.child("rim:RegistryObjectList");
  std::vector<std::string> ids;
  for (pugi::xml_node r : list.children("rim:ObjectRef")) ids.push_back(r.attribute("id").value());
  EXPECT_EQ(ids, (std::vector<std::string>{"urn:uuid:1", "urn:uuid:2&"}));
}

struct FragmentCase {
  std::string fragment;
  std::string expected;
};

TEST(AppendFragmentWithStatus, InsertsAfterTheElementName) {
  const FragmentCase cases[] = {
      {"<rim:ExtrinsicObject id=\"a\"/>", "<rim:ExtrinsicObject status=\"S\" id=\"a\"/>"},
      {"<rim:RegistryPackage/>", "<rim:RegistryPackage status=\"S\"/>"},
      {"<rim:Association>x</rim:Association>", "<rim:Association status=\"S\">x</rim:Association>"},
      {"<rim:X\tid=\"a\"/>", "<rim:X status=\"S\"\tid=\"a\"/>"},
      {"\n  <rim:X id=\"a\"/>", "\n  <rim:X status=\"S\" id=\"a\"/>"},
      {"", ""},
      {"no tag", "no tag"},
      {"<", "<"},
      {"<rim:X", "<rim:X"},
  };
  for (const FragmentCase& c : cases) {
    std::string out = "prefix|";
    internal::AppendFragmentWithStatus(&out, c.fragment, "S");
    EXPECT_EQ(out, "prefix|" + c.expected) << c.fragment;
  }
  std::string out;
  internal::AppendFragmentWithStatus(&out, "<a/>", "x\"<&");
  EXPECT_EQ(out, "<a status=\"x&quot;&lt;&amp;\"/>");
}

}  // namespace
}  // namespace renkei::xds
