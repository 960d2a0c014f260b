// SOAP 1.2 envelopes with WS-Addressing 1.0 for the XDS.b transactions (W3C SOAP 1.2 Part 1
// §5, WS-Addressing 1.0 SOAP Binding §6; ITI TF-2 Appendix V): parsing, responses, Faults.
#include "xds/soap.h"

#include <utility>

#include "xds/internal/soap_impl.h"
#include "xds/internal/xml_escape.h"
#include "xds/internal/xml_reader.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using internal::AppendEscapedText;
using internal::FirstElement;
using internal::HasNonBlankText;
using internal::IsElement;
using internal::LocalName;
using internal::NamespaceUri;
using internal::NextElement;
using internal::TextOf;
using internal::TrimXmlSpace;

constexpr char kEnvelope[] = "Envelope";
constexpr char kHeader[] = "Header";
constexpr char kBody[] = "Body";
constexpr char kAction[] = "Action";
constexpr char kMessageId[] = "MessageID";

Status Sender(std::string message) {
  return Status::InvalidArgument(std::string(), std::move(message));
}

// Reads wsa:Action and wsa:MessageID from soap:Header (WS-Addressing SOAP Binding §6).
Status ReadAddressing(pugi::xml_node header, SoapMessage::Impl* impl) {
  int actions = 0;
  for (pugi::xml_node h = header ? FirstElement(header) : pugi::xml_node(); h; h = NextElement(h)) {
    if (NamespaceUri(h) != kNsWsa) continue;
    std::string_view local = LocalName(h);
    if (local == kAction) {
      ++actions;
      impl->action = std::string(TrimXmlSpace(TextOf(h)));
    } else if (local == kMessageId) {
      impl->message_id = std::string(TrimXmlSpace(TextOf(h)));
    }
  }
  if (actions == 0) {
    return Status::InvalidArgument(kFaultSubcodeHeaderRequired,
                                   "the wsa:Action SOAP header is required");
  }
  if (actions > 1 || impl->action.empty()) {
    return Status::InvalidArgument(kFaultSubcodeInvalidHeader,
                                   "exactly one non-empty wsa:Action header is required");
  }
  return Status::Ok();
}

}  // namespace

Result<SoapMessage> SoapMessage::Parse(std::string_view body, const SoapLimits& limits) {
  auto impl = std::make_unique<Impl>();
  RENKEI_RETURN_IF_ERROR(internal::ParseXml(body, limits, std::string(), &impl->doc));

  pugi::xml_node envelope = impl->doc.document_element();
  if (LocalName(envelope) == kEnvelope && NamespaceUri(envelope) != kNsSoap12) {
    // SOAP 1.2 Part 1 §5.4.7: an envelope in another namespace is a version mismatch.
    return Status::InvalidArgument(
        kFaultCodeVersionMismatch,
        "not a SOAP 1.2 envelope (namespace \"" + std::string(NamespaceUri(envelope)) + "\")");
  }
  if (!IsElement(envelope, kNsSoap12, kEnvelope)) {
    return Sender("the document is not a SOAP 1.2 Envelope");
  }
  if (HasNonBlankText(envelope)) return Sender("text is not allowed in soap:Envelope");

  pugi::xml_node header, body_node;
  for (pugi::xml_node child = FirstElement(envelope); child; child = NextElement(child)) {
    if (IsElement(child, kNsSoap12, kHeader)) {
      if (body_node) return Sender("soap:Header must come before soap:Body");
      if (header) return Sender("more than one soap:Header");
      header = child;
    } else if (IsElement(child, kNsSoap12, kBody)) {
      if (body_node) return Sender("more than one soap:Body");
      body_node = child;
    } else {
      return Sender("unexpected element <" + std::string(child.name()) + "> in soap:Envelope");
    }
  }
  if (!body_node) return Sender("soap:Body is missing");
  if (HasNonBlankText(body_node)) return Sender("text is not allowed in soap:Body");
  pugi::xml_node payload = FirstElement(body_node);
  if (!payload) return Sender("soap:Body is empty");
  if (NextElement(payload)) return Sender("soap:Body must contain exactly one element");

  RENKEI_RETURN_IF_ERROR(ReadAddressing(header, impl.get()));
  impl->body_element = payload;
  impl->body_namespace = std::string(NamespaceUri(payload));
  impl->body_local_name = std::string(LocalName(payload));
  return SoapMessage(std::move(impl));
}

SoapMessage::SoapMessage(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SoapMessage::SoapMessage(SoapMessage&&) noexcept = default;
SoapMessage& SoapMessage::operator=(SoapMessage&&) noexcept = default;
SoapMessage::~SoapMessage() = default;

const std::string& SoapMessage::action() const { return impl_->action; }
const std::string& SoapMessage::message_id() const { return impl_->message_id; }
const std::string& SoapMessage::body_namespace() const { return impl_->body_namespace; }
const std::string& SoapMessage::body_local_name() const { return impl_->body_local_name; }

namespace {

// <soap:Envelope ...><soap:Header><wsa:Action ...>action</wsa:Action>[RelatesTo]</soap:Header>
// <soap:Body>
void AppendEnvelopeStart(std::string* out, std::string_view action, std::string_view relates_to) {
  out->append("<?xml version=\"1.0\" encoding=\"UTF-8\"?><soap:Envelope xmlns:soap=\"");
  out->append(kNsSoap12);
  out->append("\" xmlns:wsa=\"");
  out->append(kNsWsa);
  out->append("\"><soap:Header><wsa:Action soap:mustUnderstand=\"1\">");
  AppendEscapedText(out, action);
  out->append("</wsa:Action>");
  if (!relates_to.empty()) {
    out->append("<wsa:RelatesTo>");
    AppendEscapedText(out, relates_to);
    out->append("</wsa:RelatesTo>");
  }
  out->append("</soap:Header><soap:Body>");
}

constexpr std::string_view kEnvelopeEnd = kSoapResponseEnd;

}  // namespace

std::string EncodeSoapResponseStart(std::string_view action, std::string_view relates_to) {
  std::string out;
  out.reserve(action.size() + relates_to.size() + 320);
  AppendEnvelopeStart(&out, action, relates_to);
  return out;
}

std::string EncodeSoapResponse(std::string_view action, std::string_view relates_to,
                               std::string_view body_xml) {
  std::string out;
  out.reserve(body_xml.size() + action.size() + relates_to.size() + 320);
  AppendEnvelopeStart(&out, action, relates_to);
  out.append(body_xml);
  out.append(kEnvelopeEnd);
  return out;
}

SoapFault ToSoapFault(const Status& status) {
  SoapFault fault;
  const std::string& detail = status.detail();
  if (detail == kFaultCodeVersionMismatch) {
    fault.code = kFaultCodeVersionMismatch;
  } else {
    switch (status.code()) {
      case StatusCode::kInvalidArgument:
      case StatusCode::kNotFound:
      case StatusCode::kResourceExhausted:
      case StatusCode::kPermissionDenied:
      case StatusCode::kConflict:
        fault.code = kFaultCodeSender;
        break;
      default:
        fault.code = kFaultCodeReceiver;
        break;
    }
    // Only WS-Addressing subcodes are QNames whose prefix the Fault envelope declares.
    if (detail.rfind("wsa:", 0) == 0) fault.subcode = detail;
  }
  fault.reason = status.message().empty() ? StatusCodeName(status.code()) : status.message();
  return fault;
}

std::string EncodeSoapFault(const SoapFault& fault, std::string_view relates_to) {
  std::string out;
  out.reserve(640 + fault.reason.size() + relates_to.size());
  AppendEnvelopeStart(&out, kActionSoapFault, relates_to);
  out.append("<soap:Fault><soap:Code><soap:Value>");
  AppendEscapedText(&out, fault.code.empty() ? std::string_view(kFaultCodeReceiver)
                                             : std::string_view(fault.code));
  out.append("</soap:Value>");
  if (!fault.subcode.empty()) {
    out.append("<soap:Subcode><soap:Value>");
    AppendEscapedText(&out, fault.subcode);
    out.append("</soap:Value></soap:Subcode>");
  }
  out.append("</soap:Code><soap:Reason><soap:Text xml:lang=\"en\">");
  AppendEscapedText(&out, fault.reason);
  out.append("</soap:Text></soap:Reason></soap:Fault>");
  out.append(kEnvelopeEnd);
  return out;
}

}  // namespace renkei::xds
