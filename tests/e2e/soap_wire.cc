// ITI-18 / ITI-42 SOAP 1.2 client side for the e2e tests (see soap_wire.h).
#include "tests/e2e/soap_wire.h"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <cstring>
#include <functional>
#include <pugixml.hpp>
#include <random>
#include <sstream>

namespace renkei::e2e {
namespace {

// ITI TF-3 §4.2.5 classification and external-identifier schemes used by the submission.
constexpr char kStableDocument[] = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1";
constexpr char kDocAuthor[] = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d";
constexpr char kDocClassCode[] = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a";
constexpr char kDocConfidentiality[] = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f";
constexpr char kDocFormatCode[] = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d";
constexpr char kDocFacilityType[] = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1";
constexpr char kDocPracticeSetting[] = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead";
constexpr char kDocTypeCode[] = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983";
constexpr char kDocPatientId[] = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427";
constexpr char kDocUniqueId[] = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab";
constexpr char kSsNode[] = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";
constexpr char kSsAuthor[] = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d";
constexpr char kSsContentType[] = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500";
constexpr char kSsPatientId[] = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446";
constexpr char kSsSourceId[] = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832";
constexpr char kSsUniqueId[] = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8";
constexpr char kHasMember[] = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember";
constexpr char kRegistryPackage[] =
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage";

constexpr char kSourceOid[] = "1.2.392.100495.20.3.51.12410000017";

std::string Escape(const std::string& s) {
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

std::string Slot(const std::string& name, const std::vector<std::string>& values) {
  std::string s = "<rim:Slot name=\"" + Escape(name) + "\"><rim:ValueList>";
  for (const auto& v : values) s += "<rim:Value>" + Escape(v) + "</rim:Value>";
  return s + "</rim:ValueList></rim:Slot>";
}

std::string Name(const std::string& text) {
  return "<rim:Name><rim:LocalizedString value=\"" + Escape(text) + "\"/></rim:Name>";
}

std::string Code(const std::string& id, const std::string& scheme, const std::string& object,
                 const std::string& code, const std::string& coding_scheme,
                 const std::string& display) {
  return "<rim:Classification id=\"" + id + "\" classificationScheme=\"" + scheme +
         "\" classifiedObject=\"" + object + "\" nodeRepresentation=\"" + Escape(code) + "\">" +
         Slot("codingScheme", {coding_scheme}) + Name(display) + "</rim:Classification>";
}

std::string ExternalId(const std::string& id, const std::string& scheme, const std::string& object,
                       const std::string& value, const std::string& name) {
  return "<rim:ExternalIdentifier id=\"" + id + "\" identificationScheme=\"" + scheme +
         "\" registryObject=\"" + object + "\" value=\"" + Escape(value) + "\">" + Name(name) +
         "</rim:ExternalIdentifier>";
}

std::string RandomDigits(int n) {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  std::string s;
  s += static_cast<char>('1' + rng() % 9);
  for (int i = 1; i < n; ++i) s += static_cast<char>('0' + rng() % 10);
  return s;
}

std::string NewUuid() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* kHex = "0123456789abcdef";
  std::string s = "urn:uuid:";
  for (int i = 0; i < 32; ++i) {
    if (i == 8 || i == 12 || i == 16 || i == 20) s += '-';
    int v = static_cast<int>(rng() % 16);
    if (i == 12) v = 4;
    if (i == 16) v = 8 + (v & 3);
    s += kHex[v];
  }
  return s;
}

// --- namespace-aware reading over pugixml (XML Namespaces 1.0 §6)
std::string LookupNs(pugi::xml_node node, const std::string& prefix) {
  const std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + prefix;
  for (pugi::xml_node n = node; n && n.type() == pugi::node_element; n = n.parent()) {
    if (pugi::xml_attribute a = n.attribute(attr.c_str())) return a.value();
  }
  if (prefix == "xml") return "http://www.w3.org/XML/1998/namespace";
  return "";
}

std::string Expanded(pugi::xml_node node, const std::string& qname) {
  size_t colon = qname.find(':');
  std::string prefix = colon == std::string::npos ? "" : qname.substr(0, colon);
  std::string local = colon == std::string::npos ? qname : qname.substr(colon + 1);
  return "{" + LookupNs(node, prefix) + "}" + local;
}

std::string ElementName(pugi::xml_node n) { return Expanded(n, n.name()); }

bool Is(pugi::xml_node n, const char* ns, const char* local) {
  return n.type() == pugi::node_element && ElementName(n) == Qn(ns, local);
}

pugi::xml_node Child(pugi::xml_node parent, const char* ns, const char* local) {
  for (pugi::xml_node c = parent.first_child(); c; c = c.next_sibling()) {
    if (Is(c, ns, local)) return c;
  }
  return {};
}

std::string Trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

template <typename F>
void ForEachElement(pugi::xml_node root, F f) {
  for (pugi::xml_node c = root.first_child(); c; c = c.next_sibling()) {
    if (c.type() != pugi::node_element) continue;
    f(c);
    ForEachElement(c, f);
  }
}

}  // namespace

std::string Qn(const char* ns, const char* local) { return std::string("{") + ns + "}" + local; }

std::string PatientId(int n) {
  return "E2E000" + std::to_string(n) + "^^^&" + kRegionalDomain + "&ISO";
}

TestSubmission NewSubmission(const std::string& patient_id, int documents) {
  TestSubmission s;
  s.patient_id = patient_id;
  s.submission_set_unique_id = "2.25." + RandomDigits(30);
  for (int i = 0; i < documents; ++i) s.document_unique_ids.push_back("2.25." + RandomDigits(30));
  return s;
}

std::string SubmitObjectsRequestXml(const TestSubmission& s) {
  std::string x = std::string("<lcm:SubmitObjectsRequest xmlns:lcm=\"") + wire::kLcm +
                  "\" xmlns:rim=\"" + wire::kRim + "\"><rim:RegistryObjectList>";
  const std::string institution = "Ise Central Hospital^^^^^&" + std::string(kSourceOid) + "&ISO";
  for (size_t i = 0; i < s.document_unique_ids.size(); ++i) {
    const std::string doc = "Document" + std::to_string(i + 1);
    const std::string p = doc + "_";
    x += "<rim:ExtrinsicObject id=\"" + doc + "\" mimeType=\"text/plain\" objectType=\"" +
         kStableDocument + "\">";
    x += Slot("creationTime", {"20261101083000"});
    if (!s.for_repository) x += Slot("hash", {"da39a3ee5e6b4b0d3255bfef95601890afd80709"});
    x += Slot("languageCode", {"ja-JP"});
    if (!s.for_repository) x += Slot("repositoryUniqueId", {s.repository_unique_id});
    x += Slot("serviceStartTime", {"20261001"});
    if (!s.for_repository) x += Slot("size", {"0"});
    x += Slot("sourcePatientId", {"A000107^^^&" + std::string(kSourceOid) + "&ISO"});
    x += Name("e2e progress note " + std::to_string(i + 1));
    x += "<rim:Classification id=\"" + p + "author\" classificationScheme=\"" + kDocAuthor +
         "\" classifiedObject=\"" + doc + "\" nodeRepresentation=\"\">" +
         Slot("authorPerson", {"^Ishi^Taro^^^"}) + Slot("authorInstitution", {institution}) +
         "</rim:Classification>";
    // Codes of the NIST / Connectathon vocabulary the built-in conformance code set accepts.
    x += Code(p + "class", kDocClassCode, doc, "REPORTS", "1.3.6.1.4.1.19376.1.2.6.1", "Reports");
    x += Code(p + "conf", kDocConfidentiality, doc, "N", "2.16.840.1.113883.5.25", "normal");
    x += Code(p + "format", kDocFormatCode, doc, "urn:ihe:pcc:xds-ms:2007",
              "1.3.6.1.4.1.19376.1.2.3", "XDS-MS");
    x += Code(p + "hcft", kDocFacilityType, doc, "22232009", "2.16.840.1.113883.6.96", "Hospital");
    x += Code(p + "practice", kDocPracticeSetting, doc, "General Medicine",
              "Connect-a-thon practiceSettingCodes", "General Medicine");
    x += Code(p + "type", kDocTypeCode, doc, "11506-3", "2.16.840.1.113883.6.1", "Progress note");
    x += ExternalId(p + "pid", kDocPatientId, doc, s.patient_id, "XDSDocumentEntry.patientId");
    x += ExternalId(p + "uid", kDocUniqueId, doc, s.document_unique_ids[i],
                    "XDSDocumentEntry.uniqueId");
    x += "</rim:ExtrinsicObject>";
  }
  x += std::string("<rim:RegistryPackage id=\"SubmissionSet01\" objectType=\"") + kRegistryPackage +
       "\">";
  x += Slot("submissionTime", {"20261102093000"});
  x += Name("e2e submission");
  x += std::string("<rim:Classification id=\"ss_author\" classificationScheme=\"") + kSsAuthor +
       "\" classifiedObject=\"SubmissionSet01\" nodeRepresentation=\"\">" +
       Slot("authorInstitution", {institution}) + "</rim:Classification>";
  x += Code("ss_content", kSsContentType, "SubmissionSet01", "34133-9", "2.16.840.1.113883.6.1",
            "Summary of episode note");
  x += ExternalId("ss_uid", kSsUniqueId, "SubmissionSet01", s.submission_set_unique_id,
                  "XDSSubmissionSet.uniqueId");
  x += ExternalId("ss_source", kSsSourceId, "SubmissionSet01", kSourceOid,
                  "XDSSubmissionSet.sourceId");
  x += ExternalId("ss_pid", kSsPatientId, "SubmissionSet01", s.patient_id,
                  "XDSSubmissionSet.patientId");
  x += "</rim:RegistryPackage>";
  x += std::string(
           "<rim:Classification id=\"ss_node\" classifiedObject=\"SubmissionSet01\" "
           "classificationNode=\"") +
       kSsNode + "\"/>";
  for (size_t i = 0; i < s.document_unique_ids.size(); ++i) {
    x += "<rim:Association id=\"Assoc" + std::to_string(i + 1) + "\" associationType=\"" +
         kHasMember + "\" sourceObject=\"SubmissionSet01\" targetObject=\"Document" +
         std::to_string(i + 1) + "\">" + Slot("SubmissionSetStatus", {"Original"}) +
         "</rim:Association>";
  }
  x += "</rim:RegistryObjectList></lcm:SubmitObjectsRequest>";
  return x;
}

std::string AdhocQueryXml(const std::string& query_id,
                          const std::vector<std::pair<std::string, std::string>>& slots,
                          const std::string& return_type) {
  std::string x = std::string("<query:AdhocQueryRequest xmlns:query=\"") + wire::kQuery +
                  "\" xmlns:rim=\"" + wire::kRim +
                  "\"><query:ResponseOption returnComposedObjects=\"true\" returnType=\"" +
                  return_type + "\"/><rim:AdhocQuery id=\"" + Escape(query_id) + "\">";
  for (const auto& [name, value] : slots) x += Slot(name, {value});
  return x + "</rim:AdhocQuery></query:AdhocQueryRequest>";
}

std::string FindDocumentsXml(const std::string& patient_id, bool object_ref) {
  return AdhocQueryXml(wire::kSqFindDocuments,
                       {{"$XDSDocumentEntryPatientId", "'" + patient_id + "'"},
                        {"$XDSDocumentEntryStatus",
                         std::string("('") + wire::kApproved + "','" + wire::kDeprecated + "')"}},
                       object_ref ? "ObjectRef" : "LeafClass");
}

std::string FindSubmissionSetsXml(const std::string& patient_id) {
  return AdhocQueryXml(wire::kSqFindSubmissionSets,
                       {{"$XDSSubmissionSetPatientId", "'" + patient_id + "'"},
                        {"$XDSSubmissionSetStatus", std::string("('") + wire::kApproved + "')"}});
}

std::string GetDocumentsXml(const std::vector<std::string>& unique_ids, bool object_ref) {
  std::string list = "(";
  for (size_t i = 0; i < unique_ids.size(); ++i) list += (i ? ",'" : "'") + unique_ids[i] + "'";
  list += ")";
  return AdhocQueryXml(wire::kSqGetDocuments, {{"$XDSDocumentEntryUniqueId", list}},
                       object_ref ? "ObjectRef" : "LeafClass");
}

std::string Soap12(const std::string& action, const std::string& to, const std::string& body) {
  return std::string("<soap:Envelope xmlns:soap=\"") + wire::kSoap12 + "\" xmlns:wsa=\"" +
         wire::kWsa + "\"><soap:Header><wsa:Action soap:mustUnderstand=\"1\">" + action +
         "</wsa:Action><wsa:MessageID>" + NewUuid() +
         "</wsa:MessageID><wsa:ReplyTo><wsa:Address>"
         "http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>"
         "<wsa:To soap:mustUnderstand=\"1\">" +
         Escape(to) + "</wsa:To></soap:Header><soap:Body>" + body + "</soap:Body></soap:Envelope>";
}

std::string WithoutXmlDeclaration(const std::string& xml) {
  size_t start = 0;
  if (xml.compare(0, 3, "\xEF\xBB\xBF") == 0) start = 3;
  if (xml.compare(start, 5, "<?xml") == 0) {
    size_t end = xml.find("?>", start);
    if (end != std::string::npos) return xml.substr(end + 2);
  }
  return xml.substr(start);
}

HttpAnswer Post(const std::string& base_url, const std::string& path,
                const std::string& content_type, const std::string& body,
                const std::map<std::string, std::string>& headers, int timeout_s) {
  return Request(Poco::Net::HTTPRequest::HTTP_POST, base_url, path, content_type, body, headers,
                 timeout_s);
}

HttpAnswer Request(const std::string& method, const std::string& base_url, const std::string& path,
                   const std::string& content_type, const std::string& body,
                   const std::map<std::string, std::string>& headers, int timeout_s) {
  HttpAnswer a;
  try {
    Poco::URI uri(base_url);
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(timeout_s, 0));
    Poco::Net::HTTPRequest req(method, path, Poco::Net::HTTPMessage::HTTP_1_1);
    if (!content_type.empty()) req.setContentType(content_type);
    for (const auto& [k, v] : headers) req.set(k, v);
    req.setContentLength64(static_cast<Poco::Int64>(body.size()));
    session.sendRequest(req).write(body.data(), static_cast<std::streamsize>(body.size()));
    Poco::Net::HTTPResponse resp;
    std::istream& in = session.receiveResponse(resp);
    a.status = static_cast<int>(resp.getStatus());
    a.content_type = resp.getContentType();
    std::ostringstream out;
    Poco::StreamCopier::copyStream(in, out);
    a.body = out.str();
  } catch (const Poco::Exception& e) {
    a.status = -1;
    a.error = e.displayText();
  } catch (const std::exception& e) {
    a.status = -1;
    a.error = e.what();
  }
  return a;
}

HttpAnswer PostSoap(const std::string& base_url, const std::string& action,
                    const std::string& envelope) {
  return Post(base_url, "/xds/registry",
              "application/soap+xml; charset=UTF-8; action=\"" + action + "\"", envelope);
}

namespace {

// Parses "HTTP/1.1 413 ...\r\nheaders\r\n\r\nbody" as far as it got.
void ParseRawResponse(const std::string& raw, HttpAnswer* a) {
  size_t eol = raw.find("\r\n");
  if (raw.compare(0, 5, "HTTP/") != 0 || eol == std::string::npos) return;
  size_t sp = raw.find(' ');
  a->status = std::atoi(raw.c_str() + sp + 1);
  size_t head_end = raw.find("\r\n\r\n");
  std::string head = raw.substr(0, head_end == std::string::npos ? raw.size() : head_end);
  std::istringstream hs(head);
  std::string line;
  while (std::getline(hs, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (strncasecmp(line.c_str(), "Content-Type:", 13) == 0)
      a->content_type = Trim(line.substr(13));
  }
  if (head_end != std::string::npos) a->body = raw.substr(head_end + 4);
}

// Sends `head` then the pieces `next` yields (false: no more) over a raw socket, watching for
// an early answer between pieces the way curl does, and reads the answer (also after the
// server stopped reading and reset the connection: the answer is usually still queued).
HttpAnswer RawExchange(const std::string& base_url, const std::string& head,
                       const std::function<bool(std::string*)>& next, size_t* bytes_sent) {
  HttpAnswer a;
  *bytes_sent = 0;
  std::string raw;
  try {
    Poco::URI uri(base_url);
    Poco::Net::StreamSocket sock(Poco::Net::SocketAddress(uri.getHost(), uri.getPort()));
    sock.setReceiveTimeout(Poco::Timespan(30, 0));
    sock.setSendTimeout(Poco::Timespan(30, 0));
    sock.sendBytes(head.data(), static_cast<int>(head.size()));
    std::string piece;
    for (;;) {
      if (sock.poll(Poco::Timespan(0), Poco::Net::Socket::SELECT_READ)) break;  // answered
      if (!next(&piece)) break;
      size_t off = 0;
      try {
        while (off < piece.size()) {
          int n = sock.sendBytes(piece.data() + off, static_cast<int>(piece.size() - off));
          if (n <= 0) break;
          off += static_cast<size_t>(n);
        }
      } catch (const Poco::Exception&) {
        break;  // the server closed: read what it answered
      }
      *bytes_sent += off;
      if (off < piece.size()) break;
    }
    char buf[8192];
    for (;;) {
      int n = 0;
      try {
        n = sock.receiveBytes(buf, sizeof buf);
      } catch (const Poco::Exception&) {
        break;
      }
      if (n <= 0) break;
      raw.append(buf, static_cast<size_t>(n));
      // Stop once a Content-Length-delimited body is complete.
      size_t head_end = raw.find("\r\n\r\n");
      if (head_end != std::string::npos) {
        std::string lower = raw.substr(0, head_end);
        for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        size_t cl = lower.find("content-length:");
        if (cl != std::string::npos &&
            raw.size() - head_end - 4 >= std::strtoul(lower.c_str() + cl + 15, nullptr, 10)) {
          break;
        }
      }
    }
  } catch (const Poco::Exception& e) {
    a.error = e.displayText();
  }
  ParseRawResponse(raw, &a);
  if (a.status == -1 && a.error.empty()) {
    a.error = "no HTTP answer (" + std::to_string(raw.size()) + " bytes read, " +
              std::to_string(*bytes_sent) + " body bytes sent)";
  }
  return a;
}

std::string RequestHead(const std::string& base_url, const std::string& path,
                        const std::string& content_type, const std::string& framing) {
  Poco::URI uri(base_url);
  return "POST " + path + " HTTP/1.1\r\nHost: " + uri.getHost() + ":" +
         std::to_string(uri.getPort()) + "\r\nContent-Type: " + content_type + "\r\n" + framing +
         "\r\n\r\n";
}

}  // namespace

HttpAnswer PostEarlyAnswer(const std::string& base_url, const std::string& path,
                           const std::string& content_type, const std::string& body) {
  size_t offset = 0, sent = 0;
  return RawExchange(
      base_url,
      RequestHead(base_url, path, content_type, "Content-Length: " + std::to_string(body.size())),
      [&](std::string* piece) {
        if (offset >= body.size()) return false;
        *piece = body.substr(offset, 16384);
        offset += piece->size();
        return true;
      },
      &sent);
}

HttpAnswer PostChunkedFiller(const std::string& base_url, const std::string& path,
                             const std::string& content_type, size_t total_bytes,
                             size_t chunk_bytes, size_t* bytes_sent) {
  // Filler the server must not need to understand to refuse it.
  char size_line[32];
  std::snprintf(size_line, sizeof size_line, "%zx\r\n", chunk_bytes);
  const std::string frame = size_line + std::string(chunk_bytes, 'x') + "\r\n";
  size_t chunks = (total_bytes + chunk_bytes - 1) / chunk_bytes, produced = 0;
  size_t wire_bytes = 0;
  HttpAnswer a = RawExchange(
      base_url, RequestHead(base_url, path, content_type, "Transfer-Encoding: chunked"),
      [&](std::string* piece) {
        if (produced > chunks) return false;
        *piece = produced++ < chunks ? frame : std::string("0\r\n\r\n");
        return true;
      },
      &wire_bytes);
  *bytes_sent = wire_bytes;
  return a;
}

SoapAnswer ReadSoap(const std::string& xml) {
  SoapAnswer r;
  pugi::xml_document doc;
  if (!doc.load_buffer(xml.data(), xml.size())) return r;
  r.well_formed = true;
  pugi::xml_node env = doc.document_element();
  r.soap12 = Is(env, wire::kSoap12, "Envelope");
  if (!r.soap12) return r;
  if (pugi::xml_node header = Child(env, wire::kSoap12, "Header")) {
    if (pugi::xml_node a = Child(header, wire::kWsa, "Action")) r.action = Trim(a.text().get());
    if (pugi::xml_node rt = Child(header, wire::kWsa, "RelatesTo")) {
      r.relates_to = Trim(rt.text().get());
    }
  }
  pugi::xml_node body = Child(env, wire::kSoap12, "Body");
  pugi::xml_node payload;
  for (pugi::xml_node c = body.first_child(); c; c = c.next_sibling()) {
    if (c.type() == pugi::node_element) {
      payload = c;
      break;
    }
  }
  if (!payload) return r;
  r.body_element = ElementName(payload);
  std::ostringstream raw;
  payload.print(raw, "", pugi::format_raw);
  r.body_xml = raw.str();
  if (Is(payload, wire::kSoap12, "Fault")) {
    r.fault = true;
    pugi::xml_node code = Child(payload, wire::kSoap12, "Code");
    pugi::xml_node value = Child(code, wire::kSoap12, "Value");
    r.fault_code = Expanded(value, Trim(value.text().get()));
    pugi::xml_node sub = Child(code, wire::kSoap12, "Subcode");
    if (pugi::xml_node sv = Child(sub, wire::kSoap12, "Value")) {
      r.fault_subcode = Expanded(sv, Trim(sv.text().get()));
    }
    pugi::xml_node reason = Child(payload, wire::kSoap12, "Reason");
    r.fault_reason = Trim(Child(reason, wire::kSoap12, "Text").text().get());
    return r;
  }
  r.status = payload.attribute("status").value();
  // ITI-43 answers nest their rs:RegistryResponse in xdsb:RetrieveDocumentSetResponse.
  if (pugi::xml_node nested = Child(payload, wire::kRs, "RegistryResponse")) {
    r.status = nested.attribute("status").value();
  }
  ForEachElement(payload, [&](pugi::xml_node n) {
    if (Is(n, wire::kRs, "RegistryError")) {
      r.error_codes.push_back(n.attribute("errorCode").value());
      r.error_severities.push_back(n.attribute("severity").value());
    } else if (Is(n, wire::kRim, "ExtrinsicObject")) {
      r.extrinsic_ids.push_back(n.attribute("id").value());
      for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling()) {
        if (Is(c, wire::kRim, "ExternalIdentifier") &&
            std::string(c.attribute("identificationScheme").value()) == kDocUniqueId) {
          r.extrinsic_unique_ids.push_back(c.attribute("value").value());
        }
      }
    } else if (Is(n, wire::kRim, "RegistryPackage")) {
      r.package_ids.push_back(n.attribute("id").value());
    } else if (Is(n, wire::kRim, "ObjectRef")) {
      r.object_refs.push_back(n.attribute("id").value());
    }
  });
  return r;
}

}  // namespace renkei::e2e
