// ebRIM 2.1 -> ebRS 3.0 translation, calibrated against the IPF ebRS 3.0 wire examples.
#include "tests/conformance/ebrim21_translator.h"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <pugixml.hpp>

#include "tests/conformance/test_paths.h"

namespace renkei::conformance {
namespace {

std::string Read(const std::string& rel) {
  std::ifstream in(CorpusDir() + "/xds/" + rel, std::ios::binary);
  std::ostringstream os;
  os << in.rdbuf();
  return os.str();
}

std::string_view Local(const char* q) {
  const char* c = std::strchr(q, ':');
  return c ? c + 1 : q;
}

// Child element local names with consecutive repeats collapsed: "Slot,Name,Description,...".
std::string ChildOrder(pugi::xml_node n) {
  std::string out, last;
  for (pugi::xml_node c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    std::string l(Local(c.name()));
    if (l != last) out += (out.empty() ? "" : ",") + l;
    last = l;
  }
  return out;
}

pugi::xml_node First(pugi::xml_node root, const char* local) {
  return root.find_node([&](pugi::xml_node x) { return Local(x.name()) == local; });
}

TEST(Ebrim21Translator, DetectsVersion) {
  EXPECT_TRUE(IsEbrim21(Read("fixtures/12346_sq-testdata-preload/single_doc/single_doc.xml")));
  EXPECT_FALSE(IsEbrim21(Read("wire-examples/ipf-ebrs30/SubmitObjectsRequest_ebrs30.xml")));
}

TEST(Ebrim21Translator, MatchesIpfEbrs30Shape) {
  Result<std::string> out =
      TranslateSubmitObjectsRequest(Read("fixtures/12346_sq-testdata-preload/single_doc/single_doc.xml"));
  ASSERT_TRUE(out.ok()) << out.status().ToString();
  pugi::xml_document got, ref;
  ASSERT_TRUE(got.load_string(out->c_str()));
  std::string ref_text = Read("wire-examples/ipf-ebrs30/SubmitObjectsRequest_ebrs30.xml");
  ASSERT_TRUE(ref.load_string(ref_text.c_str()));

  pugi::xml_node g = got.document_element(), r = ref.document_element();
  EXPECT_STREQ(g.name(), "lcm:SubmitObjectsRequest");
  EXPECT_STREQ(g.attribute("xmlns:lcm").value(), r.attribute("xmlns:lcm").value());
  EXPECT_STREQ(g.attribute("xmlns:rim").value(), r.attribute("xmlns:rim").value());
  EXPECT_EQ(ChildOrder(g), ChildOrder(r));  // RegistryObjectList
  // Same child order inside the DocumentEntry and the SubmissionSet as IPF's 3.0 rendering.
  EXPECT_EQ(ChildOrder(First(g, "ExtrinsicObject")), ChildOrder(First(r, "ExtrinsicObject")));
  EXPECT_EQ(ChildOrder(First(g, "ExtrinsicObject")),
            "Slot,Name,Description,Classification,ExternalIdentifier");
  EXPECT_EQ(ChildOrder(First(g, "RegistryPackage")),
            "Slot,Name,Description,Classification,ExternalIdentifier");
  // Nested objects gain id + owner references, as in IPF's sample.
  pugi::xml_node ei = First(First(g, "ExtrinsicObject"), "ExternalIdentifier");
  EXPECT_STRNE(ei.attribute("id").value(), "");
  EXPECT_STREQ(ei.attribute("registryObject").value(), "Document01");
  pugi::xml_node cl = First(First(g, "ExtrinsicObject"), "Classification");
  EXPECT_STRNE(cl.attribute("id").value(), "");
  EXPECT_STREQ(cl.attribute("classifiedObject").value(), "Document01");
  // Association type becomes the 3.0 URN; well-known ObjectRefs are gone.
  EXPECT_STREQ(First(g, "Association").attribute("associationType").value(),
               "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember");
  EXPECT_FALSE(First(g, "ObjectRef"));
  // Nothing of 2.1 left.
  EXPECT_EQ(out->find("xsd:2.1"), std::string::npos);
  EXPECT_EQ(out->find("LeafRegistryObjectList"), std::string::npos);
}

TEST(Ebrim21Translator, KeepsObjectRefsToRealObjectsAndMapsRplc) {
  const char* in = R"(<rs:SubmitObjectsRequest xmlns:rs="urn:oasis:names:tc:ebxml-regrep:registry:xsd:2.1">
    <rim:LeafRegistryObjectList xmlns:rim="urn:oasis:names:tc:ebxml-regrep:rim:xsd:2.1">
      <rim:ObjectRef id="urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"/>
      <rim:ObjectRef id="$rplc_doc_uuid$"/>
      <rim:Association sourceObject="Document01" targetObject="$rplc_doc_uuid$" associationType="RPLC"/>
    </rim:LeafRegistryObjectList></rs:SubmitObjectsRequest>)";
  Result<std::string> out = TranslateSubmitObjectsRequest(in);
  ASSERT_TRUE(out.ok());
  pugi::xml_document d;
  ASSERT_TRUE(d.load_string(out->c_str()));
  EXPECT_STREQ(First(d, "ObjectRef").attribute("id").value(), "$rplc_doc_uuid$");
  EXPECT_STREQ(First(d, "Association").attribute("associationType").value(),
               "urn:ihe:iti:2007:AssociationType:RPLC");
  EXPECT_STRNE(First(d, "Association").attribute("id").value(), "");
}

TEST(Ebrim21Translator, RejectsNonSubmissions) {
  EXPECT_FALSE(TranslateSubmitObjectsRequest("<a/>").ok());
  EXPECT_FALSE(TranslateSubmitObjectsRequest("<a").ok());
}

}  // namespace
}  // namespace renkei::conformance

namespace renkei::conformance {
namespace {

TEST(Ebrim21Translator, Ebrs30IsSentAsAuthoredWithIdsFilled) {
  const char* in = R"(<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:RegistryObjectList><rim:ExtrinsicObject id="Document01"><rim:Name/><rim:Slot name="x"/><rim:Classification classifiedObject="Document01" classificationScheme="s"/></rim:ExtrinsicObject></rim:RegistryObjectList></lcm:SubmitObjectsRequest>)";
  Result<std::string> out = TranslateSubmitObjectsRequest(in);
  ASSERT_TRUE(out.ok());
  // Order kept (Name before Slot stays wrong on purpose), the Classification got an id.
  EXPECT_LT(out->find("<rim:Name"), out->find("<rim:Slot"));
  EXPECT_NE(out->find("<rim:Classification id=\"ID_1\""), std::string::npos) << *out;
}

}  // namespace
}  // namespace renkei::conformance
