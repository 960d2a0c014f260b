// SOAP 1.2 + WS-Addressing client for XDS.b registry transactions (ITI TF-2x V.3).
#include "tests/conformance/soap_client.h"

#include <cstring>
#include <sstream>

#include <Poco/Exception.h>
#include <Poco/URI.h>
#include <Poco/UUIDGenerator.h>
#include <pugixml.hpp>

namespace renkei::conformance {
namespace {

std::string_view Local(const char* qname) {
  const char* c = std::strchr(qname, ':');
  return c ? std::string_view(c + 1) : std::string_view(qname);
}

std::string XmlEscape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '&') out += "&amp;";
    else if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else out += c;
  }
  return out;
}

// The root part of a multipart/related body (MTOM), or the body itself.
std::string RootPart(const HttpReply& reply) {
  const std::string& ct = reply.content_type;
  if (ct.find("multipart/") == std::string::npos) return reply.body;
  size_t b = ct.find("boundary=");
  if (b == std::string::npos) return reply.body;
  std::string boundary = ct.substr(b + 9);
  if (!boundary.empty() && boundary[0] == '"') boundary = boundary.substr(1, boundary.find('"', 1) - 1);
  size_t semi = boundary.find(';');
  if (semi != std::string::npos) boundary = boundary.substr(0, semi);
  std::string delim = "--" + boundary;
  size_t start = reply.body.find(delim);
  if (start == std::string::npos) return reply.body;
  size_t headers_end = reply.body.find("\r\n\r\n", start);
  size_t skip = 4;
  if (headers_end == std::string::npos) {
    headers_end = reply.body.find("\n\n", start);
    skip = 2;
  }
  if (headers_end == std::string::npos) return reply.body;
  size_t content = headers_end + skip;
  size_t end = reply.body.find(delim, content);
  return reply.body.substr(content, end == std::string::npos ? std::string::npos : end - content);
}

}  // namespace

Result<HttpReply> HttpTransport::Post(const std::string& content_type, const std::string& body) {
  try {
    // A connection per request: each replay step stands alone, as the toolkit's do.
    Poco::URI uri(url_);
    auto client = HttpClient::Create(uri.getScheme() + "://" + uri.getAuthority(), 60);
    if (!client.ok()) return client.status();
    return (*client)->Post(uri.getPathEtc(), content_type, body);
  } catch (const Poco::Exception& e) {
    return Status::Unavailable("HTTP", url_ + ": " + e.displayText());
  }
}

std::string SoapContentType(const std::string& action) {
  return "application/soap+xml; charset=UTF-8; action=\"" + action + "\"";
}

std::string WrapSoap12(const std::string& body_xml, const std::string& action,
                       const std::string& to) {
  std::string msg_id = "urn:uuid:" + Poco::UUIDGenerator::defaultGenerator().createRandom().toString();
  std::ostringstream os;
  os << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
     << "<soapenv:Envelope xmlns:soapenv=\"http://www.w3.org/2003/05/soap-envelope\""
     << " xmlns:wsa=\"http://www.w3.org/2005/08/addressing\">"
     << "<soapenv:Header>"
     << "<wsa:To soapenv:mustUnderstand=\"true\">" << XmlEscape(to) << "</wsa:To>"
     << "<wsa:MessageID soapenv:mustUnderstand=\"true\">" << msg_id << "</wsa:MessageID>"
     << "<wsa:ReplyTo soapenv:mustUnderstand=\"true\"><wsa:Address>"
     << "http://www.w3.org/2005/08/addressing/anonymous</wsa:Address></wsa:ReplyTo>"
     << "<wsa:Action soapenv:mustUnderstand=\"true\">" << XmlEscape(action) << "</wsa:Action>"
     << "</soapenv:Header><soapenv:Body>" << body_xml << "</soapenv:Body></soapenv:Envelope>";
  return os.str();
}

Result<pugi::xml_node> ExtractSoapBody(const HttpReply& reply, pugi::xml_document& doc) {
  std::string xml = RootPart(reply);
  pugi::xml_parse_result pr = doc.load_buffer(xml.data(), xml.size());
  if (!pr) {
    return Status::InvalidArgument("SOAP", "HTTP " + std::to_string(reply.status) +
                                               " reply is not XML: " + pr.description() + ": " +
                                               xml.substr(0, 200));
  }
  pugi::xml_node env = doc.document_element();
  if (Local(env.name()) != "Envelope") {
    return Status::InvalidArgument("SOAP", std::string("reply root is ") + env.name());
  }
  for (pugi::xml_node c : env.children()) {
    if (c.type() == pugi::node_element && Local(c.name()) == "Body") {
      for (pugi::xml_node b : c.children()) {
        if (b.type() == pugi::node_element) return b;
      }
      return pugi::xml_node();
    }
  }
  return Status::InvalidArgument("SOAP", "reply has no SOAP Body");
}

pugi::xml_node ReadSoapReply(const Result<HttpReply>& reply, pugi::xml_document& doc,
                             std::vector<std::string>& failures) {
  if (!reply.ok()) {
    failures.push_back("transport: " + reply.status().ToString());
    return {};
  }
  pugi::xml_document envelope;
  Result<pugi::xml_node> body = ExtractSoapBody(*reply, envelope);
  if (!body.ok()) {
    // No SOAP answer at all: the engine records a failed transaction without a body.
    doc.append_child("NoSoapReply").append_attribute("http") = reply->status;
    return doc.document_element();
  }
  if (!*body) {
    doc.append_child("EmptySoapBody");
    return doc.document_element();
  }
  return doc.append_copy(*body);
}

}  // namespace renkei::conformance
