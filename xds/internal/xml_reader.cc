// XML Namespaces 1.0 name resolution and bounded parsing over pugixml (see xml_reader.h).
#include "xds/internal/xml_reader.h"

#include <cstring>
#include <vector>

#include "xds/xds_constants.h"

namespace renkei::xds::internal {
namespace {

constexpr std::string_view kXmlPrefix = "xml";
constexpr std::string_view kXmlNamespace = "http://www.w3.org/XML/1998/namespace";

bool IsXmlSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The namespaces the codecs match on, each with the prefix its elements are renamed to.
struct KnownNamespace {
  std::string_view uri;
  std::string_view prefix;
};
constexpr KnownNamespace kKnown[] = {
    {kNsSoap12, "soap"}, {kNsWsa, "wsa"}, {kNsRim, "rim"},   {kNsLcm, "lcm"},
    {kNsQuery, "query"}, {kNsRs, "rs"},   {kNsXdsb, "xdsb"}, {kNsSoap11, "soap11"},
};

struct Binding {
  std::string_view prefix;  // "" = default namespace
  std::string_view uri;     // "" = undeclared (xmlns="")
  int depth;                // of the element that declares it
};

// Resolves every element's namespace with a scope stack (one pass, no recursion) and
// renames the element to its canonical name: "rim:Slot" for the known namespaces, Clark
// notation "{uri}local" for other namespaces, "local" for no namespace. Also enforces the
// depth limit. Afterwards names alone identify elements (see LocalName / NamespaceUri).
Status Normalize(pugi::xml_document* doc, const SoapLimits& limits, const std::string& detail) {
  std::vector<Binding> scope;
  std::string canonical;
  int depth = 0;
  pugi::xml_node node = doc->first_child();
  while (node) {
    if (node.type() == pugi::node_element) {
      ++depth;
      if (depth > limits.max_depth) {
        // A Sender error (HTTP 400), not an oversized message.
        return Status::InvalidArgument(
            detail, "elements nested deeper than the limit of " + std::to_string(limits.max_depth));
      }
      for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
        const char* an = a.name();
        if (an[0] != 'x' || std::strncmp(an, "xmlns", 5) != 0) continue;
        if (an[5] == '\0') {
          scope.push_back({std::string_view(), a.value(), depth});
        } else if (an[5] == ':') {
          scope.push_back({std::string_view(an + 6), a.value(), depth});
        }
      }
      const char* name = node.name();
      const char* colon = std::strchr(name, ':');
      std::string_view prefix = colon ? std::string_view(name, colon - name) : std::string_view();
      std::string_view local = colon ? std::string_view(colon + 1) : std::string_view(name);
      std::string_view uri;
      bool bound = prefix.empty();  // no default namespace in scope = no namespace
      for (auto b = scope.rbegin(); b != scope.rend(); ++b) {
        if (b->prefix == prefix) {
          uri = b->uri;
          bound = true;
          break;
        }
      }
      if (!bound && prefix == kXmlPrefix) {
        uri = kXmlNamespace;
        bound = true;
      }
      if (!bound || (!prefix.empty() && uri.empty())) {
        return Status::InvalidArgument(detail, "namespace prefix \"" + std::string(prefix) +
                                                   "\" of <" + name + "> is not declared");
      }
      canonical.clear();
      if (!uri.empty()) {
        std::string_view known_prefix;
        for (const KnownNamespace& k : kKnown) {
          if (k.uri == uri) known_prefix = k.prefix;
        }
        if (!known_prefix.empty()) {
          canonical.append(known_prefix).append(":");
        } else {
          canonical.append("{").append(uri).append("}");
        }
      }
      canonical.append(local);
      if (canonical != name) node.set_name(canonical.c_str());
      if (node.first_child()) {
        node = node.first_child();
        continue;
      }
      // A leaf element: its scope ends here.
      while (!scope.empty() && scope.back().depth == depth) scope.pop_back();
      --depth;
    }
    // Next node in document order, closing finished elements (and their scopes) on the way.
    while (node && !node.next_sibling()) {
      node = node.parent();
      if (node == *doc) return Status::Ok();
      while (!scope.empty() && scope.back().depth == depth) scope.pop_back();
      --depth;
    }
    if (node) node = node.next_sibling();
  }
  return Status::Ok();
}

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong
// forms, no surrogates, nothing above U+10FFFF), or npos when all of `s` is well-formed.
size_t FirstInvalidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const size_t n = s.size();
  size_t i = 0;
  while (i < n) {
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0) lo = 0xA0;
      if (c == 0xED) hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0) lo = 0x90;
      if (c == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    if (i + len > n) return i;
    if (p[i + 1] < lo || p[i + 1] > hi) return i;
    for (size_t k = 2; k < len; ++k) {
      if (p[i + k] < 0x80 || p[i + k] > 0xBF) return i;
    }
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace

Status ParseXml(std::string_view xml, const SoapLimits& limits, const std::string& detail,
                pugi::xml_document* doc) {
  if (xml.size() > limits.max_bytes) {
    return Status::ResourceExhausted(detail, "message of " + std::to_string(xml.size()) +
                                                 " bytes exceeds the limit of " +
                                                 std::to_string(limits.max_bytes));
  }
  // ITI TF-2 Appendix V: XDS SOAP messages are UTF-8; pugixml does not check the bytes, and
  // storing ill-formed UTF-8 would make every later answer ill-formed XML (XML 1.0 §4.3.3).
  if (size_t bad = FirstInvalidUtf8(xml); bad != std::string_view::npos) {
    return Status::InvalidArgument(detail, "the message is not well-formed UTF-8 (byte offset " +
                                               std::to_string(bad) + ")");
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
  return Normalize(doc, limits, detail);
}

std::string_view LocalName(pugi::xml_node node) {
  std::string_view name = node.name();
  size_t cut = name.find(name.empty() || name[0] != '{' ? ':' : '}');
  return cut == std::string_view::npos ? name : name.substr(cut + 1);
}

std::string_view NamespaceUri(pugi::xml_node node) {
  std::string_view name = node.name();
  if (!name.empty() && name[0] == '{') {
    size_t close = name.find('}');
    return close == std::string_view::npos ? std::string_view() : name.substr(1, close - 1);
  }
  size_t colon = name.find(':');
  if (colon == std::string_view::npos) return {};
  std::string_view prefix = name.substr(0, colon);
  for (const KnownNamespace& k : kKnown) {
    if (k.prefix == prefix) return k.uri;
  }
  return {};
}

bool IsElement(pugi::xml_node node, std::string_view ns, std::string_view local) {
  if (node.type() != pugi::node_element) return false;
  // Fast path: a known namespace means exactly the name "prefix:local".
  const KnownNamespace* known = nullptr;
  for (const KnownNamespace& k : kKnown) {
    if (k.uri.data() == ns.data()) known = &k;
  }
  if (known == nullptr) {
    for (const KnownNamespace& k : kKnown) {
      if (k.uri == ns) known = &k;
    }
  }
  if (known != nullptr) {
    std::string_view name = node.name();
    return name.size() == known->prefix.size() + 1 + local.size() &&
           name.compare(0, known->prefix.size(), known->prefix) == 0 &&
           name[known->prefix.size()] == ':' && name.ends_with(local);
  }
  return LocalName(node) == local && NamespaceUri(node) == ns;
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
