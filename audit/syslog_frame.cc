// RFC 5425 octet-counting framing and RFC 5424 header parsing for ITI-20 over syslog.
#include "audit/syslog_frame.h"

#include "audit/dicom_audit_xml.h"

namespace renkei::audit {

namespace {

constexpr char kBom[] = "\xEF\xBB\xBF";

Status BadFrame(const std::string& message) {
  return Status::InvalidArgument("syslog.frame", message);
}

Status BadMessage(const std::string& message) {
  return Status::InvalidArgument("syslog.message", message);
}

// Reads a header field up to the next SP (which is consumed). False at the end of text or
// for an empty field.
bool Field(std::string_view text, size_t* pos, std::string* out) {
  const size_t sp = text.find(' ', *pos);
  if (sp == std::string_view::npos || sp == *pos) return false;
  out->assign(text.substr(*pos, sp - *pos));
  *pos = sp + 1;
  return true;
}

}  // namespace

Status SyslogFrameReader::Feed(std::string_view bytes, std::vector<std::string>* messages) {
  size_t i = 0;
  while (i < bytes.size()) {
    switch (state_) {
      case State::kFailed:
        return BadFrame("the stream already broke the RFC 5425 framing");
      case State::kLength: {
        const char c = bytes[i++];
        if (c >= '0' && c <= '9') {
          if (length_digits_ == 0 && c == '0') {
            state_ = State::kFailed;
            return BadFrame("MSG-LEN starts with 0");
          }
          length_ = length_ * 10 + static_cast<size_t>(c - '0');
          ++length_digits_;
          if (length_ > max_) {
            state_ = State::kFailed;
            return BadFrame("MSG-LEN over the limit of " + std::to_string(max_) + " octets");
          }
        } else if (c == ' ' && length_digits_ > 0) {
          state_ = State::kMessage;
          message_.clear();
          message_.reserve(length_);
        } else {
          state_ = State::kFailed;
          return BadFrame(length_digits_ == 0 ? "a frame does not start with MSG-LEN"
                                              : "MSG-LEN is not followed by SP");
        }
        break;
      }
      case State::kMessage: {
        const size_t take = std::min(length_ - message_.size(), bytes.size() - i);
        message_.append(bytes.substr(i, take));
        i += take;
        if (message_.size() == length_) {
          messages->push_back(std::move(message_));
          message_.clear();
          state_ = State::kLength;
          length_ = 0;
          length_digits_ = 0;
        }
        break;
      }
    }
  }
  return Status::Ok();
}

Result<SyslogMessage> ParseSyslogMessage(std::string_view text) {
  SyslogMessage m;
  size_t p = 0;
  if (text.empty() || text[0] != '<') return BadMessage("no PRI");
  p = 1;
  int pri = 0, digits = 0;
  while (p < text.size() && text[p] >= '0' && text[p] <= '9' && digits < 3) {
    pri = pri * 10 + (text[p++] - '0');
    ++digits;
  }
  if (digits == 0 || p >= text.size() || text[p] != '>' || pri > 191) {
    return BadMessage("malformed PRI");
  }
  ++p;
  m.facility = pri / 8;
  m.severity = pri % 8;
  digits = 0;
  while (p < text.size() && text[p] >= '0' && text[p] <= '9' && digits < 3) {
    m.version = m.version * 10 + (text[p++] - '0');
    ++digits;
  }
  if (digits == 0 || m.version == 0 || p >= text.size() || text[p] != ' ') {
    return BadMessage("malformed VERSION");
  }
  ++p;
  if (!Field(text, &p, &m.timestamp) || !Field(text, &p, &m.hostname) ||
      !Field(text, &p, &m.app_name) || !Field(text, &p, &m.procid) || !Field(text, &p, &m.msgid)) {
    return BadMessage("incomplete header (TIMESTAMP HOSTNAME APP-NAME PROCID MSGID)");
  }
  // STRUCTURED-DATA: "-" or one or more "[...]" with quoted, escaped PARAM-VALUEs.
  const size_t sd_start = p;
  if (p < text.size() && text[p] == '-') {
    ++p;
  } else {
    if (p >= text.size() || text[p] != '[') return BadMessage("no STRUCTURED-DATA");
    while (p < text.size() && text[p] == '[') {
      bool quoted = false, closed = false;
      for (++p; p < text.size(); ++p) {
        const char c = text[p];
        if (quoted && c == '\\') {
          ++p;
        } else if (c == '"') {
          quoted = !quoted;
        } else if (!quoted && c == ']') {
          closed = true;
          ++p;
          break;
        }
      }
      if (!closed) return BadMessage("unterminated STRUCTURED-DATA");
    }
  }
  m.structured_data.assign(text.substr(sd_start, p - sd_start));
  if (p < text.size()) {
    if (text[p] != ' ') return BadMessage("STRUCTURED-DATA not followed by SP");
    ++p;
    std::string_view msg = text.substr(p);
    if (msg.substr(0, 3) == kBom) msg.remove_prefix(3);
    m.msg.assign(msg);
  }
  return m;
}

Result<AuditEvent> DecodeSyslogAuditMessage(std::string_view text) {
  RENKEI_ASSIGN_OR_RETURN(SyslogMessage m, ParseSyslogMessage(text));
  if (m.msg.empty()) return BadMessage("the syslog message carries no MSG");
  return DecodeDicomAuditXml(m.msg);
}

std::string FrameSyslogAuditMessage(const std::string& xml, const std::string& hostname,
                                    const std::string& app_name, const std::string& timestamp) {
  const std::string msg = "<85>1 " + (timestamp.empty() ? "-" : timestamp) + " " +
                          (hostname.empty() ? "-" : hostname) + " " +
                          (app_name.empty() ? "-" : app_name) + " - IHE+RFC-3881 - " + kBom + xml;
  return std::to_string(msg.size()) + " " + msg;
}

}  // namespace renkei::audit
