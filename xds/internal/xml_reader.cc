// XML Namespaces 1.0 name resolution and bounded parsing over pugixml (see xml_reader.h).
#include "xds/internal/xml_reader.h"

#include <cstring>

namespace renkei::xds::internal {
namespace {

constexpr std::string_view kXmlPrefix = "xml";
constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Depth of the deepest element, stopping early once it exceeds `limit`.
bool DeeperThan(const pugi::xml_document& doc, int limit) {
  int depth = 0;
  pugi::xml_node node = doc.first_child();
  while (node) {
    if (node.type() == pugi::node_element) {
      ++depth;
      if (depth > limit) return true;
      if (node.first_child()) {
        node = node.first_child();
        continue;
      }
      --depth;
    }
    // Move to the next node in document order, climbing out of finished elements.
    while (node && !node.next_sibling()) {
      node = node.parent();
      if (node && node.type() == pugi::node_element) --depth;
      if (node == doc) return false;
    }
    if (node) node = node.next_sibling();
  }
  return false;
}

}  // namespace

Status ParseXml(std::string_view xml, const SoapLimits& limits, const std::string& detail,
                pugi::xml_document* doc) {
  if (xml.size() > limits.max_bytes) {
    return Status::ResourceExhausted(
        detail, "message of " + std::to_string(xml.size()) + " bytes exceeds the limit of " +
                    std::to_string(limits.max_bytes));
  }
  const unsigned int options = pugi::parse_default | pugi::parse_doctype;
  pugi::xml_parse_result r = doc->load_buffer(xml.data(), xml.size(), options);
  if (!r) {
    return Status::InvalidArgument(detail, std::string("XML is not well-formed: ") +
                                               r.description() + " at offset " +
                                               std::to_string(r.offset));
  }
  for (pugi::xml_node n = doc->first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_doctype) {
      return Status::InvalidArgument(detail, "a document type declaration is not allowed");
    }
  }
  if (!doc->document_element()) {
    return Status::InvalidArgument(detail, "XML has no root element");
  }
  if (DeeperThan(*doc, limits.max_depth)) {
    return Status::ResourceExhausted(
        detail, "elements nested deeper than the limit of " + std::to_string(limits.max_depth));
  }
  return Status::Ok();
}

std::string_view LocalName(pugi::xml_node node) {
  const char* name = node.name();
  const char* colon = std::strchr(name, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(name);
}

std::string_view NamespaceUri(pugi::xml_node node) {
  const char* name = node.name();
  const char* colon = std::strchr(name, ':');
  std::string_view prefix = colon ? std::string_view(name, colon - name) : std::string_view();
  for (pugi::xml_node cur = node; cur && cur.type() == pugi::node_element; cur = cur.parent()) {
    for (pugi::xml_attribute a = cur.first_attribute(); a; a = a.next_attribute()) {
      const char* an = a.name();
      if (std::strncmp(an, "xmlns", 5) != 0) continue;
      if (prefix.empty()) {
        if (an[5] == '\0') return a.value();
      } else if (an[5] == ':' && std::string_view(an + 6) == prefix) {
        return a.value();
      }
    }
  }
  if (prefix == kXmlPrefix) return kXmlNamespace;
  return {};
}

bool IsElement(pugi::xml_node node, std::string_view ns, std::string_view local) {
  return node.type() == pugi::node_element && LocalName(node) == local && NamespaceUri(node) == ns;
}

pugi::xml_node FirstElement(pugi::xml_node parent) {
  pugi::xml_node n = parent.first_child();
  while (n && n.type() != pugi::node_element) n = n.next_sibling();
  return n;
}

pugi::xml_node NextElement(pugi::xml_node node) {
  pugi::xml_node n = node.next_sibling();
  while (n && n.type() != pugi::node_element) n = n.next_sibling();
  return n;
}

bool HasNonBlankText(pugi::xml_node parent) {
  for (pugi::xml_node n = parent.first_child(); n; n = n.next_sibling()) {
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) {
      if (!TrimXmlSpace(n.value()).empty()) return true;
    }
  }
  return false;
}

std::string TextOf(pugi::xml_node node) {
  pugi::xml_node first = node.first_child();
  if (first && !first.next_sibling() &&
      (first.type() == pugi::node_pcdata || first.type() == pugi::node_cdata)) {
    return first.value();
  }
  std::string text;
  for (pugi::xml_node n = first; n; n = n.next_sibling()) {
    if (n.type() == pugi::node_pcdata || n.type() == pugi::node_cdata) text += n.value();
  }
  return text;
}

std::string_view TrimXmlSpace(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && IsXmlSpace(s[b])) ++b;
  while (e > b && IsXmlSpace(s[e - 1])) --e;
  return s.substr(b, e - b);
}

}  // namespace renkei::xds::internal
