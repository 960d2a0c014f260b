// ITI-41 / ITI-43 pieces of the replay engine: MTOM written and split by hand, raw-request id
// refresh, retrieved-document checks (repository_steps.h).
#include "tests/conformance/repository_steps.h"

#include <Poco/Base64Decoder.h>
#include <Poco/Exception.h>
#include <Poco/URI.h>

#include <cctype>
#include <cstring>
#include <fstream>
#include <pugixml.hpp>
#include <sstream>

#include "common/mtom.h"
#include "xds/xds_constants.h"

namespace renkei::conformance {
namespace {

constexpr char kRootId[] = "root.message@replay.renkei";

std::string_view Local(const char* qname) {
  const char* c = std::strchr(qname, ':');
  return c ? std::string_view(c + 1) : std::string_view(qname);
}

std::string Trim(const std::string& s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(ws) - b + 1);
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string StripAngles(std::string v) {
  v = Trim(v);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return v;
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

// Parameter `name` of a header value such as a Content-Type (quoted or token), or "".
std::string ParamOf(const std::string& value, const std::string& name) {
  const std::string lower = Lower(value);
  for (size_t p = lower.find(';'); p != std::string::npos; p = lower.find(';', p + 1)) {
    size_t n = lower.find_first_not_of(" \t", p + 1);
    if (n == std::string::npos || lower.compare(n, name.size(), name) != 0) continue;
    size_t eq = lower.find_first_not_of(" \t", n + name.size());
    if (eq == std::string::npos || lower[eq] != '=') continue;
    size_t v = value.find_first_not_of(" \t", eq + 1);
    if (v == std::string::npos) return "";
    if (value[v] == '"') return value.substr(v + 1, value.find('"', v + 1) - v - 1);
    return Trim(value.substr(v, value.find(';', v) - v));
  }
  return "";
}

// The value of header `name` in "Name: value" lines (LF or CRLF), or "".
std::string HeaderValue(const std::string& block, const std::string& name) {
  std::istringstream in(block);
  std::string line;
  while (std::getline(in, line)) {
    size_t colon = line.find(':');
    if (colon != std::string::npos && Lower(Trim(line.substr(0, colon))) == name) {
      return Trim(line.substr(colon + 1));
    }
  }
  return "";
}

bool ReadFileTo(const std::filesystem::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream os;
  os << in.rdbuf();
  *out = os.str();
  return true;
}

pugi::xml_node FindLocal(pugi::xml_node n, std::string_view local) {
  for (pugi::xml_node c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    if (Local(c.name()) == local) return c;
    if (pugi::xml_node d = FindLocal(c, local)) return d;
  }
  return {};
}

pugi::xml_node ChildLocal(pugi::xml_node n, std::string_view local) {
  for (pugi::xml_node c : n.children()) {
    if (c.type() == pugi::node_element && Local(c.name()) == local) return c;
  }
  return {};
}

std::string MimeTypeOf(pugi::xml_node n, const std::string& id) {
  for (pugi::xml_node c : n.children()) {
    if (c.type() != pugi::node_element) continue;
    if (Local(c.name()) == "ExtrinsicObject" && id == c.attribute("id").value()) {
      return c.attribute("mimeType").value();
    }
    std::string m = MimeTypeOf(c, id);
    if (!m.empty()) return m;
  }
  return "";
}

// Every attribute value that differs between two trees of the same shape: old -> new.
void DiffValues(pugi::xml_node a, pugi::xml_node b, std::map<std::string, std::string>& out) {
  for (pugi::xml_attribute x = a.first_attribute(), y = b.first_attribute(); x && y;
       x = x.next_attribute(), y = y.next_attribute()) {
    if (std::strcmp(x.value(), y.value()) != 0) out[x.value()] = y.value();
  }
  for (pugi::xml_node x = a.first_child(), y = b.first_child(); x && y;
       x = x.next_sibling(), y = y.next_sibling()) {
    DiffValues(x, y, out);
  }
}

HttpRequestBody Mtom(const std::string& envelope, const std::vector<MimePart>& attachments,
                     const std::string& action) {
  const std::string boundary = NewMtomBoundary();
  HttpRequestBody r{MtomContentType(boundary, kRootId, action), ""};
  r.body = MtomPartHeader(boundary, kRootId, MtomRootPartContentType()) + envelope;
  for (const MimePart& p : attachments) {
    r.body += MtomPartHeader(boundary, p.content_id, p.content_type) + p.data;
  }
  r.body += MtomClosing(boundary);
  return r;
}

std::string Base64Decode(const std::string& text) {
  std::istringstream in(text);
  Poco::Base64Decoder decoder(in);
  std::ostringstream out;
  out << decoder.rdbuf();
  return out.str();
}

}  // namespace

std::vector<MimePart> SplitMultipart(const std::string& content_type, const std::string& body) {
  const std::string boundary = ParamOf(content_type, "boundary");
  if (Lower(content_type).rfind("multipart/", 0) != 0 || boundary.empty()) return {};
  const std::string delimiter = "--" + boundary;
  auto next_delimiter = [&](size_t from) {  // a delimiter starts a line
    for (size_t p = body.find(delimiter, from); p != std::string::npos;
         p = body.find(delimiter, p + 1)) {
      if (p == 0 || body[p - 1] == '\n') return p;
    }
    return std::string::npos;
  };
  std::vector<MimePart> parts;
  for (size_t p = next_delimiter(0); p != std::string::npos;) {
    const size_t after = p + delimiter.size();
    if (body.compare(after, 2, "--") == 0) return parts;  // close-delimiter
    size_t line = body.find('\n', after);
    if (line == std::string::npos) return {};
    ++line;
    MimePart part;
    for (;;) {  // part headers up to the blank line
      const size_t eol = body.find('\n', line);
      if (eol == std::string::npos) return {};
      const std::string h = Trim(body.substr(line, eol - line));
      line = eol + 1;
      if (h.empty()) break;
      const size_t colon = h.find(':');
      if (colon == std::string::npos) continue;
      const std::string name = Lower(Trim(h.substr(0, colon)));
      if (name == "content-id") part.content_id = StripAngles(h.substr(colon + 1));
      if (name == "content-type") part.content_type = Trim(h.substr(colon + 1));
    }
    const size_t next = next_delimiter(line);
    if (next == std::string::npos) return {};
    size_t end = next;  // the line break before a delimiter belongs to it
    if (end > line && body[end - 1] == '\n') --end;
    if (end > line && body[end - 1] == '\r') --end;
    part.data = body.substr(line, end - line);
    parts.push_back(std::move(part));
    p = next;
  }
  return {};
}

Result<HttpRequestBody> BuildProvideAndRegister(
    pugi::xml_node submit_objects, const TestStep& step, const std::filesystem::path& dir,
    const AssignedIds& ids, const std::string& to,
    std::map<std::string, SubmittedDocument>* submitted) {
  std::ostringstream sor;
  submit_objects.print(sor, "", pugi::format_raw);
  std::string xml = std::string("<xdsb:ProvideAndRegisterDocumentSetRequest xmlns:xdsb=\"") +
                    xds::kNsXdsb + "\" xmlns:xop=\"" + xds::kNsXop + "\">" + sor.str();
  std::vector<MimePart> parts;
  for (const auto& [symbol, file] : step.documents) {
    std::string data;
    if (!ReadFileTo(dir / file, &data)) {
      return Status::NotFound("ProvideAndRegister", "cannot read Document " + file);
    }
    auto uuid = ids.uuids.find(symbol);
    const std::string id = uuid == ids.uuids.end() ? symbol : uuid->second;
    const std::string cid = "document" + std::to_string(parts.size() + 1) + "@replay.renkei";
    xml += "<xdsb:Document id=\"" + XmlEscape(id) + "\"><xop:Include href=\"cid:" + cid +
           "\"/></xdsb:Document>";
    if (auto uid = ids.uids.find(symbol); uid != ids.uids.end()) {
      (*submitted)[uid->second] = {data, MimeTypeOf(submit_objects, id)};
    }
    parts.push_back({cid, "application/octet-stream", std::move(data)});
  }
  xml += "</xdsb:ProvideAndRegisterDocumentSetRequest>";
  return Mtom(WrapSoap12(xml, kActionIti41, to), parts, kActionIti41);
}

HttpRequestBody MtomSoap12(const std::string& body_xml, const std::string& action,
                           const std::string& to) {
  return Mtom(WrapSoap12(body_xml, action, to), {}, action);
}

Result<HttpRequestBody> PrepareRawSubmission(const std::string& kind, const std::string& text,
                                             const std::string& headers, const std::string& patient,
                                             AssignedIds* ids) {
  HttpRequestBody r;
  if (kind == "headers") {
    r = {HeaderValue(headers, "content-type"), text};
  } else if (kind == "mtom") {
    const std::string first = Trim(text.substr(0, text.find('\n')));
    if (first.rfind("--", 0) != 0) {
      return Status::InvalidArgument("RawRequest", "the body does not start with a boundary");
    }
    r.content_type = "multipart/related; boundary=\"" + first.substr(2) +
                     "\"; type=\"application/xop+xml\"; start-info=\"application/soap+xml\"; "
                     "action=\"" +
                     std::string(kActionIti41) + "\"";
    r.body = text;
  } else if (kind == "http") {
    size_t end = text.find("\r\n\r\n"), skip = 4;
    if (end == std::string::npos) {
      end = text.find("\n\n");
      skip = 2;
    }
    if (end == std::string::npos) {
      return Status::InvalidArgument("RawRequest", "no blank line after the HTTP headers");
    }
    r = {HeaderValue(text.substr(0, end), "content-type"), text.substr(end + skip)};
  }
  if (r.content_type.empty()) return Status::InvalidArgument("RawRequest", "no Content-Type");
  std::string root = r.body;
  if (Lower(r.content_type).rfind("multipart/", 0) == 0) {
    std::vector<MimePart> parts = SplitMultipart(r.content_type, r.body);
    if (parts.empty()) return Status::InvalidArgument("RawRequest", "unreadable multipart body");
    const std::string start = StripAngles(ParamOf(r.content_type, "start"));
    root = parts[0].data;
    for (const MimePart& p : parts) {
      if (!start.empty() && p.content_id == start) root = p.data;
    }
  }
  pugi::xml_document before, after;
  if (!before.load_buffer(root.data(), root.size()) ||
      !after.load_buffer(root.data(), root.size())) {
    return Status::InvalidArgument("RawRequest", "the SOAP part is not well-formed XML");
  }
  pugi::xml_node sor_before = FindLocal(before, "SubmitObjectsRequest");
  pugi::xml_node sor_after = FindLocal(after, "SubmitObjectsRequest");
  if (!sor_before) return Status::InvalidArgument("RawRequest", "no SubmitObjectsRequest");
  RewriteOptions opt;
  opt.replace_patient_id = true;
  opt.patient_id = patient;
  *ids = RewriteSubmission(sor_after, opt);
  std::map<std::string, std::string> changes;
  DiffValues(sor_before, sor_after, changes);
  for (const auto& [from, to] : changes) {
    bool found = false;
    for (char q : {'"', '\''}) {
      const std::string quoted = q + XmlEscape(from) + q;
      const std::string replacement = q + XmlEscape(to) + q;
      for (size_t p = r.body.find(quoted); p != std::string::npos;
           p = r.body.find(quoted, p + replacement.size())) {
        r.body.replace(p, quoted.size(), replacement);
        found = true;
      }
    }
    if (!found) {
      return Status::InvalidArgument("RawRequest",
                                     "id " + from + " not found verbatim in the body");
    }
  }
  return r;
}

std::string CheckSinglePartReply(const HttpReply& reply) {
  if (Lower(reply.content_type).rfind("multipart/related", 0) != 0) {
    return "reply Content-Type is '" + reply.content_type +
           "', not multipart/related (NIST HttpTransaction)";
  }
  const size_t n = SplitMultipart(reply.content_type, reply.body).size();
  if (n != 1) return "reply has " + std::to_string(n) + " MIME parts, NIST expects one";
  return "";
}

std::vector<std::string> CheckRetrievedDocuments(
    const HttpReply& reply, pugi::xml_node response, size_t requested,
    const std::map<std::string, SubmittedDocument>& submitted) {
  std::vector<std::string> out;
  std::vector<MimePart> parts = SplitMultipart(reply.content_type, reply.body);
  size_t n = 0;
  for (pugi::xml_node dr : response.children()) {
    if (dr.type() != pugi::node_element || Local(dr.name()) != "DocumentResponse") continue;
    ++n;
    const std::string uid = Trim(ChildLocal(dr, "DocumentUniqueId").text().get());
    const std::string mime = Trim(ChildLocal(dr, "mimeType").text().get());
    pugi::xml_node doc = ChildLocal(dr, "Document");
    std::string data;
    if (pugi::xml_node inc = ChildLocal(doc, "Include")) {
      const std::string href = inc.attribute("href").value();
      std::string cid;
      try {
        Poco::URI::decode(href.rfind("cid:", 0) == 0 ? href.substr(4) : href, cid);
      } catch (const Poco::Exception&) {
        cid = href;
      }
      const MimePart* part = nullptr;
      for (const MimePart& p : parts) {
        if (p.content_id == cid) part = &p;
      }
      if (!part) {
        out.push_back("document " + uid + ": xop:Include " + href + " names no MIME part");
        continue;
      }
      data = part->data;
    } else {
      data = Base64Decode(doc.text().get());
    }
    auto s = submitted.find(uid);
    if (s == submitted.end()) {
      out.push_back("document " + uid + " was not submitted by this replay");
      continue;
    }
    if (data != s->second.data) {
      out.push_back("document " + uid + ": the " + std::to_string(data.size()) +
                    " bytes returned differ from the " + std::to_string(s->second.data.size()) +
                    " bytes submitted");
    }
    if (mime != s->second.mime_type) {
      out.push_back("document " + uid + ": mimeType '" + mime + "', submitted '" +
                    s->second.mime_type + "'");
    }
  }
  if (n != requested) {
    out.push_back("expected " + std::to_string(requested) + " DocumentResponse, got " +
                  std::to_string(n));
  }
  return out;
}

}  // namespace renkei::conformance
