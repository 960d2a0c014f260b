// MTOM/XOP over HTTP: a streaming multipart/related reader (RFC 2046 §5.1, RFC 2387, W3C
// XOP; part headers read by Poco::Net::MessageHeader) and the strings an MTOM writer needs.
#include "common/mtom.h"

#include <Poco/Exception.h>
#include <Poco/Net/MessageHeader.h>
#include <Poco/Net/NetException.h>
#include <Poco/RandomStream.h>
#include <Poco/String.h>

#include <algorithm>
#include <cstring>
#include <istream>
#include <optional>
#include <streambuf>
#include <string_view>
#include <unordered_set>
#include <utility>

#include "common/mime.h"

namespace renkei {
namespace {

using Traits = std::char_traits<char>;

// RFC 2046 allows 70 characters; longer ones are tolerated up to this.
constexpr size_t kMaxBoundaryLength = 256;
// Longest run of blanks after a boundary that is still taken for transport padding.
constexpr size_t kMaxPadding = 256;
constexpr size_t kChunk = 64 << 10;

// "<id>" -> "id"; surrounding blanks go too.
std::string StripAngles(const std::string& value) {
  std::string v = Poco::trim(value);
  if (v.size() >= 2 && v.front() == '<' && v.back() == '>') v = v.substr(1, v.size() - 2);
  return v;
}

// Sits between the body and the part reader and drops the transport padding (blanks) that
// RFC 2046 §5.1.1 allows between a boundary and its line end ("--B  \r\n" -> "--B\r\n");
// the reader only recognises a boundary followed directly by CRLF or LF, and Axis2 sends
// "--B \n".
// Reads only what the source has available, so it never blocks past the closing delimiter.
class PaddingStripBuf : public std::streambuf {
 public:
  PaddingStripBuf(std::streambuf* source, const std::string& boundary)
      : source_(source), dash_boundary_("--" + boundary) {
    in_.resize(kChunk);
  }

  // The bytes ready to be read without another read from the source (refilled when none
  // are); empty at the end of the body. Consume(n) takes n of them.
  std::string_view Available() {
    if (gptr() == egptr() && underflow() == Traits::eof()) return {};
    return {gptr(), static_cast<size_t>(egptr() - gptr())};
  }
  void Consume(size_t n) { gbump(static_cast<int>(n)); }

 protected:
  int_type underflow() override {
    while (gptr() == egptr()) {
      if (source_eof_) return Traits::eof();
      out_.clear();
      if (source_->sgetc() == Traits::eof()) {  // release what was held back
        source_eof_ = true;
        out_ += held_;
        if (state_ == State::kPaddingCr) out_ += '\r';
        held_.clear();
      } else {
        std::streamsize n = std::min<std::streamsize>(source_->in_avail(), in_.size());
        n = source_->sgetn(in_.data(), std::max<std::streamsize>(n, 1));
        Process(in_.data(), static_cast<size_t>(n));
      }
      setg(out_.data(), out_.data(), out_.data() + out_.size());
    }
    return Traits::to_int_type(*gptr());
  }

 private:
  enum class State { kLineStart, kMidLine, kAfterBoundary, kPaddingCr };

  void Process(const char* p, size_t n) {
    const char* end = p + n;
    while (p < end) {
      if (state_ == State::kMidLine) {  // fast path: copy up to the next line end
        const void* nl = std::memchr(p, '\n', static_cast<size_t>(end - p));
        const char* stop = nl ? static_cast<const char*>(nl) + 1 : end;
        out_.append(p, stop);
        p = stop;
        if (nl) Restart();
      } else {
        Feed(*p++);
      }
    }
  }

  void Restart() {
    state_ = State::kLineStart;
    matched_ = 0;
  }

  void Feed(char c) {
    switch (state_) {
      case State::kLineStart:
        out_ += c;
        if (c == dash_boundary_[matched_]) {
          if (++matched_ == dash_boundary_.size()) state_ = State::kAfterBoundary;
        } else if (c == '\n') {
          Restart();
        } else {
          state_ = State::kMidLine;
        }
        return;
      case State::kAfterBoundary:
        if ((c == ' ' || c == '\t') && held_.size() < kMaxPadding) {
          held_ += c;
          return;
        }
        if (c == '\n') {
          held_.clear();
          out_ += c;
          Restart();
          return;
        }
        if (c == '\r') {
          state_ = State::kPaddingCr;
          return;
        }
        break;
      case State::kPaddingCr:
        if (c == '\n') {
          held_.clear();
          out_ += "\r\n";
          Restart();
          return;
        }
        held_ += '\r';
        break;
      case State::kMidLine:
        out_ += c;
        if (c == '\n') Restart();
        return;
    }
    // Not padding after all: give back what was held and read `c` as ordinary data.
    out_ += held_;
    held_.clear();
    state_ = State::kMidLine;
    Feed(c);
  }

  std::streambuf* source_;
  const std::string dash_boundary_;
  std::string in_;
  std::string out_;
  std::string held_;  // blanks (after a boundary) that may be padding
  State state_ = State::kLineStart;
  size_t matched_ = 0;  // characters of dash_boundary_ seen at the start of this line
  bool source_eof_ = false;
};

// One part's data, read from the body up to its delimiter: a line break (CRLF or LF), then
// "--boundary" followed by a line end, or by "--" for the closing delimiter (RFC 2046
// §5.1.1; padding is gone already). The delimiter is consumed, the line break before it is
// not data, and the end is latched: a sink may copy with `out << data.rdbuf()` (which sets
// no eofbit on `data`) and the drain is still safe.
// (Not Poco's MultipartStreamBuf: when a line that starts "--" stops matching the boundary
// it has already consumed the byte that broke the match, so data ending in a line "--", or
// "--" and a prefix of the boundary, got the CR of the delimiter's CRLF appended.)
class PartBuf : public std::streambuf {
 public:
  PartBuf(PaddingStripBuf* source, const std::string& dash_boundary)
      : source_(source), dash_boundary_(dash_boundary), delimiter_("\n" + dash_boundary) {
    buf_.resize(kChunk + dash_boundary.size() + 4);
  }

  // The next chunk of the part, empty at its end.
  std::string_view Next() {
    if (underflow() == Traits::eof()) return {};
    std::string_view chunk(gptr(), static_cast<size_t>(egptr() - gptr()));
    setg(eback(), egptr(), egptr());
    return chunk;
  }
  void Drain() {
    while (!Next().empty()) {
    }
  }
  // True once the part ended at the closing delimiter "--boundary--".
  bool last() const { return last_; }

 protected:
  int_type underflow() override {
    if (gptr() < egptr()) return Traits::to_int_type(*gptr());
    if (done_) return Traits::eof();
    const size_t n = Fill();
    if (n == 0) {
      done_ = true;
      return Traits::eof();
    }
    setg(buf_.data(), buf_.data(), buf_.data() + n);
    return Traits::to_int_type(*gptr());
  }

 private:
  // Reads up to kChunk bytes of data into buf_; sets done_ at the delimiter or the end of
  // the body. A byte that stops a delimiter match is never consumed with the match, so a
  // line break among such bytes is still seen as one.
  size_t Fill() {
    PaddingStripBuf& in = *source_;
    size_t n = 0;
    while (n < kChunk) {  // buf_ has room for a line break, dash_boundary_ and one byte more
      // Fast path: everything before the next "\n--boundary" (and the CR before it) is data,
      // copied as a block; binary parts have line-break bytes every few hundred bytes, so
      // stopping at each of them cost more than the copy. The last bytes of what is
      // available, which may start a delimiter the next read completes, go the slow way.
      const std::string_view avail = in.Available();
      const size_t pattern = delimiter_.size();
      if (avail.size() > pattern + 1) {
        const size_t window = std::min(avail.size() - pattern - 1, kChunk - n);
        const void* hit = memmem(avail.data(), window + pattern, delimiter_.data(), pattern);
        size_t run = hit ? static_cast<size_t>(static_cast<const char*>(hit) - avail.data())
                         : window;
        run = std::min(run, window);
        if (hit && run > 0 && avail[run - 1] == '\r') --run;
        if (run > 0) {
          std::memcpy(&buf_[n], avail.data(), run);
          in.Consume(run);
          n += run;
          continue;
        }
      }
      const int_type c = in.sbumpc();
      if (c == Traits::eof()) {
        done_ = true;
        break;
      }
      buf_[n++] = Traits::to_char_type(c);
      if (c != '\n' && c != '\r') continue;
      const size_t line_break = n - 1;
      if (c == '\r') {
        if (in.sgetc() != '\n') continue;
        buf_[n++] = Traits::to_char_type(in.sbumpc());
      }
      size_t matched = 0;
      while (matched < dash_boundary_.size() &&
             in.sgetc() == Traits::to_int_type(dash_boundary_[matched])) {
        buf_[n++] = Traits::to_char_type(in.sbumpc());
        ++matched;
      }
      if (matched < dash_boundary_.size()) continue;
      const int_type after = in.sgetc();
      if (after != '\n' && after != '\r' && after != '-') continue;
      in.sbumpc();
      const int_type next = in.sgetc();
      const bool closing = after == '-' && next == '-';
      if (after == '\n' || (after == '\r' && next == '\n') || closing) {
        if (after != '\n') in.sbumpc();
        last_ = closing;
        done_ = true;
        return line_break;
      }
      buf_[n++] = Traits::to_char_type(after);  // "--boundary\r" without LF, "--boundary-x"
    }
    return n;
  }

  PaddingStripBuf* source_;
  const std::string dash_boundary_;
  const std::string delimiter_;  // "\n--boundary"
  std::string buf_;
  bool done_ = false;
  bool last_ = false;
};

// Skips the preamble up to and including the first line that is "--boundary" (RFC 2046
// §5.1.1). False when the body has none.
bool SkipToFirstBoundary(std::streambuf& in, const std::string& dash_boundary) {
  std::string line;  // the start of the current line, enough to compare
  bool long_line = false;
  for (Traits::int_type c = in.sbumpc(); c != Traits::eof(); c = in.sbumpc()) {
    if (c == '\n') {
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!long_line && line == dash_boundary) return true;
      line.clear();
      long_line = false;
    } else if (line.size() <= dash_boundary.size()) {
      line.push_back(Traits::to_char_type(c));
    } else {
      long_line = true;
    }
  }
  return false;
}

MimePartInfo PartInfo(const Poco::Net::MessageHeader& header) {
  MimePartInfo info;
  info.content_id = StripAngles(header.get("Content-ID", ""));
  info.content_type = Poco::trim(header.get("Content-Type", ""));
  info.content_transfer_encoding =
      Poco::toLower(Poco::trim(header.get("Content-Transfer-Encoding", "")));
  return info;
}

Result<std::string> ReadRoot(PartBuf& part, size_t max_bytes) {
  std::string data;
  for (std::string_view chunk = part.Next(); !chunk.empty(); chunk = part.Next()) {
    if (chunk.size() > max_bytes - data.size()) {
      return Status::ResourceExhausted(
          "", "MTOM root part is over the limit of " + std::to_string(max_bytes) + " bytes");
    }
    data.append(chunk);
  }
  return data;
}

Status CallSink(const MtomPartSink& sink, const MimePartInfo& info, std::istream& data) {
  if (!sink) return Status::Ok();  // no sink: the caller ignores attachments
  try {
    return sink(info, data);
  } catch (const Poco::Exception& e) {
    return Status::Internal(
        "", "MTOM part sink for <" + info.content_id + "> threw: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::Internal("", "MTOM part sink for <" + info.content_id + "> threw: " + e.what());
  }
}

Result<MtomRoot> ReadParts(std::istream& body, const std::string& boundary,
                           const std::string& start, const MtomLimits& limits,
                           const MtomPartSink& sink, int& parts, bool with_root = true) {
  PaddingStripBuf filter(body.rdbuf(), boundary);
  std::istream in(&filter);
  const std::string dash_boundary = "--" + boundary;
  if (!SkipToFirstBoundary(filter, dash_boundary)) {
    return Status::InvalidArgument("", "no boundary line " + dash_boundary + " in the MTOM body");
  }
  std::optional<MtomRoot> root;
  std::unordered_set<std::string> ids;
  while (true) {
    if (parts >= limits.max_parts) {
      return Status::ResourceExhausted(
          "", "MTOM body has more than " + std::to_string(limits.max_parts) + " parts");
    }
    Poco::Net::MessageHeader header;
    ++parts;
    header.read(in);  // stops before the blank line ending the headers, which goes next
    if (filter.sbumpc() == '\r' && filter.sgetc() == '\n') filter.sbumpc();
    MimePartInfo info = PartInfo(header);
    if (!info.content_id.empty() && !ids.insert(info.content_id).second) {
      return Status::InvalidArgument(
          "", "two MTOM parts have the Content-ID <" + info.content_id + ">");
    }
    PartBuf part(&filter, dash_boundary);
    if (with_root && (start.empty() ? parts == 1 : info.content_id == start)) {
      Result<std::string> data = ReadRoot(part, limits.max_root_bytes);
      if (!data.ok()) return data.status();
      root = MtomRoot{std::move(info), std::move(data).value()};
    } else {
      std::istream data(&part);
      RENKEI_RETURN_IF_ERROR(CallSink(sink, info, data));
      if (data.bad()) {
        return Status::Unavailable(
            "", "reading MTOM part " + std::to_string(parts) + " <" + info.content_id + "> failed");
      }
      part.Drain();
    }
    if (part.last()) break;
    // The part ended at a delimiter or at the end of the body; only the former is
    // followed by another part.
    if (filter.sgetc() == Traits::eof()) {
      return Status::InvalidArgument("", "MTOM body truncated: no closing delimiter --" + boundary +
                                             "-- after part " + std::to_string(parts));
    }
  }
  if (!root && with_root) {
    return Status::InvalidArgument(
        "", "no MTOM part has the Content-ID <" + start + "> named by the start parameter");
  }
  return root ? std::move(*root) : MtomRoot{};
}

// The checks and exceptions of both readers around ReadParts.
Result<MtomRoot> ReadBody(std::istream& body, const std::string& content_type,
                          const MtomLimits& limits, const MtomPartSink& sink, bool with_root) {
  const std::string media_type = MediaType(content_type);
  if (media_type != "multipart/related") {
    return Status::InvalidArgument(
        "", "a multipart/related Content-Type is needed, not \"" + media_type + "\"");
  }
  const std::string boundary = MediaTypeParameter(content_type, "boundary");
  if (boundary.empty() || boundary.size() > kMaxBoundaryLength) {
    return Status::InvalidArgument(
        "", "multipart/related Content-Type without a usable boundary parameter (1 to " +
                std::to_string(kMaxBoundaryLength) + " characters): " + content_type);
  }
  const std::string start = StripAngles(MediaTypeParameter(content_type, "start"));
  int parts = 0;
  try {
    return ReadParts(body, boundary, start, limits, sink, parts, with_root);
  } catch (const Poco::Net::MessageException& e) {
    return Status::InvalidArgument("", std::string("malformed headers of ") +
                                           (with_root ? "MTOM" : "MIME") + " part " +
                                           std::to_string(parts) + ": " + e.displayText());
  } catch (const Poco::IOException& e) {
    return Status::Unavailable("", "reading the multipart body failed: " + e.displayText());
  } catch (const Poco::Exception& e) {
    return Status::Internal("", "multipart reader: " + e.displayText());
  } catch (const std::exception& e) {
    return Status::Internal("", std::string("multipart reader: ") + e.what());
  }
}

}  // namespace

Result<MtomRoot> ReadMtom(std::istream& body, const std::string& content_type,
                          const MtomLimits& limits, const MtomPartSink& sink) {
  return ReadBody(body, content_type, limits, sink, true);
}

Status ReadMultipartRelated(std::istream& body, const std::string& content_type, int max_parts,
                            const MtomPartSink& sink) {
  MtomLimits limits;
  limits.max_parts = max_parts;
  return ReadBody(body, content_type, limits, sink, false).status();
}

std::string NewMtomBoundary() {
  unsigned char bytes[16];
  Poco::RandomInputStream random;
  random.read(reinterpret_cast<char*>(bytes), sizeof bytes);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string boundary = "MIMEBoundary_";
  for (unsigned char b : bytes) {
    boundary += kHex[b >> 4];
    boundary += kHex[b & 0xf];
  }
  return boundary;
}

std::string MtomContentType(const std::string& boundary, const std::string& start_id,
                            const std::string& action) {
  std::string ct = "multipart/related; type=\"application/xop+xml\"; boundary=\"" + boundary +
                   "\"; start=\"<" + StripAngles(start_id) +
                   ">\"; start-info=\"application/soap+xml\"";
  if (!action.empty()) ct += "; action=\"" + action + "\"";
  return ct;
}

std::string MtomRootPartContentType() {
  return "application/xop+xml; charset=UTF-8; type=\"application/soap+xml\"";
}

std::string MtomPartHeader(const std::string& boundary, const std::string& content_id,
                           const std::string& content_type) {
  return "\r\n--" + boundary + "\r\nContent-Type: " + content_type +
         "\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <" + StripAngles(content_id) +
         ">\r\n\r\n";
}

std::string MtomClosing(const std::string& boundary) { return "\r\n--" + boundary + "--\r\n"; }

}  // namespace renkei
