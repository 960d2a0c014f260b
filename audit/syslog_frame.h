// ITI-20 Record Audit Event over syslog: RFC 5425 (TLS transport) octet-counting framing
// "MSG-LEN SP SYSLOG-MSG", read incrementally from a byte stream with a bounded MSG-LEN,
// and the RFC 5424 message header (PRI VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP
// PROCID SP MSGID SP STRUCTURED-DATA [SP MSG]). For ITI-20 the MSG is a DICOM PS3.15 A.5
// AuditMessage (audit/dicom_audit_xml.h), possibly after a UTF-8 BOM.
//
// Thread-safety: SyslogFrameReader is used by one thread (one per connection); the free
// functions are pure.
#ifndef RENKEI_AUDIT_SYSLOG_FRAME_H_
#define RENKEI_AUDIT_SYSLOG_FRAME_H_

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "audit/audit_event.h"
#include "common/status.h"

namespace renkei::audit {

// RFC 5425 §4.3.1: receivers SHOULD take 8192 octets; audit messages with a base64 query
// are larger, so the default bound is 256 KiB.
inline constexpr size_t kDefaultMaxSyslogMessage = 256 * 1024;

class SyslogFrameReader {
 public:
  explicit SyslogFrameReader(size_t max_message_bytes = kDefaultMaxSyslogMessage)
      : max_(max_message_bytes) {}

  // Consumes `bytes` (any split of the stream) and appends each completed SYSLOG-MSG to
  // `*messages`. InvalidArgument (detail "syslog.frame") when the stream breaks the framing:
  // a MSG-LEN that is not NONZERO-DIGIT *DIGIT, is followed by anything but SP, or exceeds
  // the bound (decided as soon as its digits do). After an error the reader stays failed:
  // the connection must be closed, its position in the stream is lost.
  Status Feed(std::string_view bytes, std::vector<std::string>* messages);

  // True when no partial frame is buffered (the stream may end here cleanly).
  bool at_frame_boundary() const { return state_ == State::kLength && length_digits_ == 0; }

 private:
  enum class State { kLength, kMessage, kFailed };
  size_t max_;
  State state_ = State::kLength;
  size_t length_ = 0;
  int length_digits_ = 0;
  std::string message_;
};

struct SyslogMessage {
  int facility = 0;  // PRI / 8
  int severity = 0;  // PRI % 8
  int version = 0;
  std::string timestamp;  // "-" when nil
  std::string hostname;
  std::string app_name;
  std::string procid;
  std::string msgid;            // ITI-20: "IHE+RFC-3881"
  std::string structured_data;  // "-" or the SD-ELEMENTs as sent
  std::string msg;              // without a leading UTF-8 BOM
};

// Parses an RFC 5424 SYSLOG-MSG. InvalidArgument (detail "syslog.message") when the header
// is malformed (PRI > 191, VERSION not 1..999, a missing field, unterminated structured data).
Result<SyslogMessage> ParseSyslogMessage(std::string_view text);

// ITI-20: the AuditEvent a SYSLOG-MSG carries (its MSG decoded as DICOM audit XML).
// InvalidArgument for a bad header or message.
Result<AuditEvent> DecodeSyslogAuditMessage(std::string_view text);

// The frame a sender writes: "<len> <PRI>1 <timestamp> <host> <app> <procid> IHE+RFC-3881 -
// <BOM><xml>" with PRI 85 (facility 10 authpriv, severity 5 notice), as ITI-20 asks.
std::string FrameSyslogAuditMessage(const std::string& xml, const std::string& hostname,
                                    const std::string& app_name, const std::string& timestamp);

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_SYSLOG_FRAME_H_
