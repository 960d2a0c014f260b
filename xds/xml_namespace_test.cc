// XML Namespaces 1.0 resolution and XML 1.0 escaping used by the SOAP/ebRIM codecs
// (xds/internal/xml_reader.h, xds/internal/xml_escape.h).
#include <gtest/gtest.h>

#include <pugixml.hpp>
#include <string>

#include "xds/internal/xml_escape.h"
#include "xds/internal/xml_reader.h"
#include "xds/xds_constants.h"

namespace renkei::xds::internal {
namespace {

struct Parsed {
  pugi::xml_document doc;
  Status status;
};

std::unique_ptr<Parsed> Parse(const std::string& xml) {
  auto p = std::make_unique<Parsed>();
  p->status = ParseXml(xml, SoapLimits{}, "D", &p->doc);
  return p;
}

// The element reached by following first element children `steps` times from the root.
pugi::xml_node Descend(const pugi::xml_document& doc, int steps) {
  pugi::xml_node n = doc.document_element();
  for (int i = 0; i < steps; ++i) n = FirstElement(n);
  return n;
}

TEST(XmlNamespaces, PrefixesScopesAndDefaults) {
  std::string rim = kNsRim;
  auto p = Parse("<a:x xmlns:a=\"" + rim + "\" xmlns=\"urn:d\"><a:y xmlns:a=\"urn:other\"><z/>" +
                 "<w xmlns=\"\"/></a:y><a:v/></a:x>");
  ASSERT_TRUE(p->status.ok()) << p->status.ToString();
  pugi::xml_node x = Descend(p->doc, 0), y = Descend(p->doc, 1), z = Descend(p->doc, 2);
  pugi::xml_node w = NextElement(z), v = NextElement(y);
  EXPECT_TRUE(IsElement(x, kNsRim, "x"));
  EXPECT_EQ(NamespaceUri(y), "urn:other");  // rebound in y's scope
  EXPECT_EQ(LocalName(y), "y");
  EXPECT_FALSE(IsElement(y, kNsRim, "y"));
  EXPECT_TRUE(IsElement(y, "urn:other", "y"));
  EXPECT_EQ(NamespaceUri(z), "urn:d");  // inherited default namespace
  EXPECT_EQ(NamespaceUri(w), "");       // undeclared with xmlns=""
  EXPECT_EQ(LocalName(w), "w");
  EXPECT_TRUE(IsElement(v, kNsRim, "v"));  // y's rebinding ended with y
  EXPECT_EQ(std::string(v.name()), "rim:v");
  EXPECT_EQ(std::string(y.name()), "{urn:other}y");
}

TEST(XmlNamespaces, SiblingDeclarationsDoNotLeak) {
  auto p = Parse("<r><a xmlns:p=\"urn:p\"><p:in/></a><p:out/></r>");
  ASSERT_FALSE(p->status.ok());
  EXPECT_EQ(p->status.detail(), "D");
  EXPECT_NE(p->status.message().find("p:out"), std::string::npos) << p->status.message();
}

TEST(XmlNamespaces, NoNamespaceAndXmlPrefix) {
  auto p = Parse("<r><xml:s/></r>");
  ASSERT_TRUE(p->status.ok()) << p->status.ToString();
  EXPECT_EQ(NamespaceUri(Descend(p->doc, 0)), "");
  EXPECT_EQ(NamespaceUri(Descend(p->doc, 1)), "http://www.w3.org/XML/1998/namespace");
  EXPECT_FALSE(Parse("<p:r xmlns:p=\"\"/>")->status.ok());  // a prefix cannot be undeclared
}

TEST(XmlNamespaces, TextHelpers) {
  auto p = Parse("<r> a <![CDATA[<b>]]> c <e/>  </r>");
  ASSERT_TRUE(p->status.ok());
  pugi::xml_node r = Descend(p->doc, 0);
  EXPECT_EQ(TextOf(r), " a <b> c ");  // whitespace-only text nodes are not kept
  EXPECT_TRUE(HasNonBlankText(r));
  EXPECT_EQ(TrimXmlSpace(" \t\r\nx y\n"), "x y");
  EXPECT_EQ(TrimXmlSpace("  "), "");
}

TEST(XmlEscape, TextAndAttributes) {
  std::string out;
  AppendEscapedText(&out, std::string("a&b<c>d\"e'\tf\ng\rh\x01i", 18));
  EXPECT_EQ(out, "a&amp;b&lt;c&gt;d\"e'\tf\ng&#13;h\xEF\xBF\xBDi");
  out.clear();
  AppendEscapedAttribute(&out, "a&b<c>d\"e'\tf\ng\rh");
  EXPECT_EQ(out, "a&amp;b&lt;c&gt;d&quot;e'&#9;f&#10;g&#13;h");
  out.clear();
  AppendAttribute(&out, "n", "v\"");
  EXPECT_EQ(out, " n=\"v&quot;\"");
  // What the escapers write parses back to the original characters.
  std::string value = "x\t\n\r &<>\"'y";
  std::string xml = "<r";
  AppendAttribute(&xml, "a", value);
  xml += ">";
  AppendEscapedText(&xml, value);
  xml += "</r>";
  auto p = Parse(xml);
  ASSERT_TRUE(p->status.ok()) << xml;
  pugi::xml_node r = Descend(p->doc, 0);
  EXPECT_EQ(std::string(r.attribute("a").value()), value);
  EXPECT_EQ(TextOf(r), value);
}

}  // namespace
}  // namespace renkei::xds::internal
