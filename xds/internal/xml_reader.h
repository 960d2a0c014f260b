// XML Namespaces 1.0 name resolution and bounded parsing over pugixml, for the SOAP and
// ebRIM decoders of this folder. Internal to xds/ (codec layer: nothing else includes
// pugixml).
//
// pugixml does not process namespaces. ParseXml resolves every element's namespace once
// (scope stack over the xmlns attributes, any prefix or a default namespace) and renames
// the element canonically: "rim:Slot" for the namespaces the codecs know (SOAP 1.2/1.1,
// WS-Addressing, rim, lcm, query, rs, xdsb), "{uri}local" for others, "local" for none.
// LocalName / NamespaceUri / IsElement read those canonical names, so they are cheap and
// REQUIRE a document produced by ParseXml.
#ifndef RENKEI_XDS_INTERNAL_XML_READER_H_
#define RENKEI_XDS_INTERNAL_XML_READER_H_

#include <pugixml.hpp>
#include <string>
#include <string_view>

#include "common/status.h"
#include "xds/soap.h"

namespace renkei::xds::internal {

// Parses `xml` into `doc` and canonicalises element names (above). Checks, in this order:
// size (kResourceExhausted, before any parsing), well-formedness and no DOCTYPE
// (kInvalidArgument), element nesting deeper than limits.max_depth (kResourceExhausted),
// undeclared namespace prefixes (kInvalidArgument). Error Statuses carry `detail` as their
// detail code. Never recurses, so arbitrarily deep input cannot exhaust the stack.
Status ParseXml(std::string_view xml, const SoapLimits& limits, const std::string& detail,
                pugi::xml_document* doc);

// The element's name without its prefix.
std::string_view LocalName(pugi::xml_node node);
// The namespace URI the element's prefix (or the default namespace) is bound to in scope;
// "" when unbound. The view points into the document.
std::string_view NamespaceUri(pugi::xml_node node);
// True when `node` is an element with this namespace URI and local name.
bool IsElement(pugi::xml_node node, std::string_view ns, std::string_view local);

// The next element sibling / first element child (skipping text), or a null node.
pugi::xml_node FirstElement(pugi::xml_node parent);
pugi::xml_node NextElement(pugi::xml_node node);
// True when the node has text content that is not whitespace (mixed content).
bool HasNonBlankText(pugi::xml_node parent);
// The concatenated character data (text and CDATA) directly inside `node`.
std::string TextOf(pugi::xml_node node);
// `s` without leading/trailing XML whitespace.
std::string_view TrimXmlSpace(std::string_view s);

}  // namespace renkei::xds::internal

#endif  // RENKEI_XDS_INTERNAL_XML_READER_H_
