// SOAP 1.2 envelopes with WS-Addressing for the XDS.b transactions (ITI TF-2 §3.18.4,
// §3.42.4; W3C SOAP 1.2 Part 1; WS-Addressing 1.0 SOAP Binding), and SOAP Faults.
//
// SoapMessage::Parse enforces the limits *before* building a DOM (size) and while walking it
// (depth), checks the envelope structure (Header before Body, one Body child) and the
// WS-Addressing headers. Its failures are SOAP-level: transport answers them with a Fault.
#ifndef RENKEI_XDS_SOAP_H_
#define RENKEI_XDS_SOAP_H_

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace renkei::xds {

struct SoapLimits {
  size_t max_bytes = 64u << 20;  // whole request
  int max_depth = 64;            // element nesting
};

// The Fault a SOAP-level Status maps to (Status::detail() holds the subcode, e.g.
// "wsa:ActionNotSupported"; code Sender for kInvalidArgument/kResourceExhausted/kNotFound).
// ToSoapFault: Sender also for kPermissionDenied/kConflict, Receiver otherwise; only a
// "wsa:"-prefixed detail becomes the subcode (other details, e.g. XDS codes, are dropped);
// detail kFaultCodeVersionMismatch (SOAP 1.2 §5.4.7) becomes the Code itself.
struct SoapFault {
  std::string code;     // "soap:Sender" | "soap:Receiver"
  std::string subcode;  // e.g. "wsa:MessageAddressingHeaderRequired"; may be empty
  std::string reason;
};

// A parsed SOAP 1.2 request. Owns the parsed document (PImpl; no pugixml in this header).
class SoapMessage {
 public:
  // Errors (all map to a SOAP Fault): malformed XML, not a SOAP 1.2 Envelope, Header after
  // Body, empty Body, missing wsa:Action (detail "wsa:MessageAddressingHeaderRequired"),
  // over the size or depth limit (kResourceExhausted).
  // Details: an Envelope in another namespace (SOAP 1.1) → kFaultCodeVersionMismatch; two
  // or empty wsa:Action → kFaultSubcodeInvalidHeader; other structural problems, DOCTYPE,
  // more than one Body child, text in Body → empty detail (plain Sender fault).
  // The message copies what it needs: `body` may be freed after Parse returns.
  static Result<SoapMessage> Parse(std::string_view body, const SoapLimits& limits);

  SoapMessage(SoapMessage&&) noexcept;
  SoapMessage& operator=(SoapMessage&&) noexcept;
  ~SoapMessage();

  const std::string& action() const;
  const std::string& message_id() const;  // may be empty
  // Namespace URI and local name of the Body's first element.
  const std::string& body_namespace() const;
  const std::string& body_local_name() const;

  // For the codecs in this folder only.
  struct Impl;
  const Impl& impl() const { return *impl_; }

 private:
  explicit SoapMessage(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A SOAP 1.2 envelope with wsa:Action and wsa:RelatesTo around `body_xml` (a complete XML
// element, without an XML declaration).
std::string EncodeSoapResponse(std::string_view action, std::string_view relates_to,
                               std::string_view body_xml);

// The same envelope in two pieces, so a large body can be written between them without
// being copied: EncodeSoapResponseStart(...) + body_xml + kSoapResponseEnd.
std::string EncodeSoapResponseStart(std::string_view action, std::string_view relates_to);
inline constexpr std::string_view kSoapResponseEnd = "</soap:Body></soap:Envelope>";

SoapFault ToSoapFault(const Status& status);
std::string EncodeSoapFault(const SoapFault& fault, std::string_view relates_to);

}  // namespace renkei::xds

#endif  // RENKEI_XDS_SOAP_H_
