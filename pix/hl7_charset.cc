// HL7 v2 character sets: MSH-18 names and conversions (iconv for ISO 2022).
#include "pix/hl7_charset.h"

#include <errno.h>
#include <iconv.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace renkei::hl7 {

namespace {

constexpr char kDetail[] = "hl7.charset";  // an unsupported character set
constexpr char kBytes[] = "hl7.bytes";      // bytes invalid in the declared one

std::string Normalized(std::string_view name) {
  std::string out;
  for (char c : name) {
    if (c != ' ' && c != '_' && c != '-') out.push_back(static_cast<char>(std::toupper(c)));
  }
  return out;
}

// One MSH-18 / MSH-20 name; false when unknown.
bool Classify(std::string_view name, Charset* c) {
  const std::string n = Normalized(name);
  if (n.empty() || n == "ASCII" || n == "ISOIR6") {
    *c = Charset::kDefault;
  } else if (n == "UNICODEUTF8" || n == "UTF8") {
    *c = Charset::kUtf8;
  } else if (n == "8859/1" || n == "ISOIR100") {
    *c = Charset::kLatin1;
  } else if (n == "ISOIR87" || n == "ISOIR159" || n == "ISOIR13" || n == "ISO20221994") {
    *c = Charset::kIso2022Jp;
  } else {
    return false;
  }
  return true;
}

struct IconvClose {
  void operator()(void* cd) const { iconv_close(static_cast<iconv_t>(cd)); }
};

Result<std::string> Iconv(const char* to, const char* from, std::string_view in) {
  iconv_t raw = iconv_open(to, from);
  if (raw == reinterpret_cast<iconv_t>(-1)) {
    return Status::Internal(kDetail, std::string("iconv cannot convert ") + from + " to " + to);
  }
  std::unique_ptr<void, IconvClose> cd(raw);
  std::string out(in.size() * 3 + 16, '\0');
  char* src = const_cast<char*>(in.data());
  size_t src_left = in.size();
  size_t done = 0;
  while (true) {
    char* dst = out.data() + done;
    size_t dst_left = out.size() - done;
    size_t r = iconv(raw, src_left ? &src : nullptr, &src_left, &dst, &dst_left);
    done = static_cast<size_t>(dst - out.data());
    if (r != static_cast<size_t>(-1)) {
      if (src_left == 0) {
        // Flush the shift state (an ISO 2022 encoder returns to ASCII at the end).
        dst = out.data() + done;
        dst_left = out.size() - done;
        if (dst_left < 16) {
          out.resize(out.size() + 16);
          dst = out.data() + done;
          dst_left = out.size() - done;
        }
        iconv(raw, nullptr, nullptr, &dst, &dst_left);
        done = static_cast<size_t>(dst - out.data());
        break;
      }
      continue;
    }
    if (errno == E2BIG) {
      out.resize(out.size() * 2);
      continue;
    }
    const size_t at = in.size() - src_left;
    return Status::InvalidArgument(
        kBytes,
        std::string(errno == EILSEQ ? "invalid or unconvertible" : "incomplete") +
            " byte sequence for " + (std::string_view(from) == "UTF-8" ? to : from) +
            " at byte " + std::to_string(at));
  }
  out.resize(done);
  return out;
}

std::string Latin1ToUtf8(std::string_view in) {
  std::string out;
  out.reserve(in.size() * 2);
  for (unsigned char c : in) {
    if (c < 0x80) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back(static_cast<char>(0xC0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3F)));
    }
  }
  return out;
}

}  // namespace

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    int n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (end - p < n + 1) return false;
    for (int i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    p += n + 1;
  }
  return true;
}

Result<Charset> CharsetFromMsh(std::string_view msh18, char repetition, std::string_view msh20) {
  Charset result = Charset::kDefault;
  size_t start = 0;
  while (start <= msh18.size()) {
    size_t end = msh18.find(repetition, start);
    if (end == std::string_view::npos) end = msh18.size();
    Charset c;
    std::string_view name = msh18.substr(start, end - start);
    if (!Classify(name, &c)) {
      return Status::InvalidArgument(kDetail,
                                     "unsupported character set '" + std::string(name) + "'",
                                     "MSH-18");
    }
    // A later repetition names the alternate set (ISO 2022 code extension): it decides.
    if (c != Charset::kDefault) result = c;
    start = end + 1;
  }
  if (!msh20.empty()) {
    Charset c;
    if (Classify(msh20, &c) && c == Charset::kIso2022Jp) result = c;
  }
  return result;
}

std::string Msh18Value(Charset c) {
  switch (c) {
    case Charset::kDefault:
      return "";
    case Charset::kUtf8:
      return "UNICODE UTF-8";
    case Charset::kLatin1:
      return "8859/1";
    case Charset::kIso2022Jp:
      return "ISO IR87";
  }
  return "";
}

Result<std::string> ToUtf8(std::string_view bytes, Charset c) {
  switch (c) {
    case Charset::kDefault:
      if (IsValidUtf8(bytes)) return std::string(bytes);
      return Latin1ToUtf8(bytes);
    case Charset::kUtf8:
      if (!IsValidUtf8(bytes)) {
        return Status::InvalidArgument(kBytes, "invalid UTF-8 in a message declaring UNICODE UTF-8",
                                       "MSH-18");
      }
      return std::string(bytes);
    case Charset::kLatin1:
      return Latin1ToUtf8(bytes);
    case Charset::kIso2022Jp:
      return Iconv("UTF-8", "ISO-2022-JP-3", bytes);
  }
  return Status::Internal(kDetail, "unknown charset");
}

Result<std::string> FromUtf8(std::string_view utf8, Charset c) {
  switch (c) {
    case Charset::kDefault:
    case Charset::kUtf8:
      return std::string(utf8);
    case Charset::kLatin1:
      return Iconv("ISO-8859-1", "UTF-8", utf8);
    case Charset::kIso2022Jp:
      return Iconv("ISO-2022-JP", "UTF-8", utf8);
  }
  return Status::Internal(kDetail, "unknown charset");
}

}  // namespace renkei::hl7
