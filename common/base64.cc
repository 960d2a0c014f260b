// Base64 per RFC 4648 §4 (see base64.h).
#include "common/base64.h"

#include <array>
#include <cstdint>

namespace renkei {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr int8_t kInvalid = -1;
constexpr int8_t kSpace = -2;
constexpr int8_t kPad = -3;

constexpr std::array<int8_t, 256> MakeTable() {
  std::array<int8_t, 256> t{};
  for (int8_t& v : t) v = kInvalid;
  for (int i = 0; i < 64; ++i) t[static_cast<unsigned char>(kAlphabet[i])] = static_cast<int8_t>(i);
  t[' '] = t['\t'] = t['\r'] = t['\n'] = kSpace;
  t['='] = kPad;
  return t;
}
constexpr std::array<int8_t, 256> kTable = MakeTable();

}  // namespace

void AppendBase64(std::string* out, std::string_view bytes) {
  // Sized once and written through a pointer: push_back per character was most of the
  // cost of encoding an ITI-18 audit record's query (ObjectRef profile: 1.5 % of the centre).
  const size_t at = out->size();
  out->resize(at + (bytes.size() + 2) / 3 * 4);
  char* o = out->data() + at;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    uint32_t v = (uint32_t{p[i]} << 16) | (uint32_t{p[i + 1]} << 8) | p[i + 2];
    *o++ = kAlphabet[v >> 18];
    *o++ = kAlphabet[(v >> 12) & 63];
    *o++ = kAlphabet[(v >> 6) & 63];
    *o++ = kAlphabet[v & 63];
  }
  size_t rest = bytes.size() - i;
  if (rest == 0) return;
  uint32_t v = uint32_t{p[i]} << 16;
  if (rest == 2) v |= uint32_t{p[i + 1]} << 8;
  *o++ = kAlphabet[v >> 18];
  *o++ = kAlphabet[(v >> 12) & 63];
  *o++ = rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
  *o = '=';
}

bool DecodeBase64(std::string_view text, std::string* out) {
  out->clear();
  out->reserve(text.size() / 4 * 3);
  uint32_t group = 0;  // up to four 6-bit values
  int count = 0;       // sextets in `group`
  int padding = 0;     // '=' seen in the current group; -1 once a padded group ended
  for (char c : text) {
    int8_t v = kTable[static_cast<unsigned char>(c)];
    if (v == kSpace) continue;
    if (v == kInvalid) return false;
    if (v == kPad) {
      // "xx==" or "xxx=": padding completes a group of at least two sextets.
      if (count + padding < 2) return false;
      ++padding;
      if (count + padding == 4) {
        if (count == 2) {
          out->push_back(static_cast<char>(group >> 4));
        } else {
          out->push_back(static_cast<char>(group >> 10));
          out->push_back(static_cast<char>((group >> 2) & 0xff));
        }
        count = 0;
        group = 0;
        padding = -1;  // the data is complete: only whitespace may follow
      }
      continue;
    }
    if (padding != 0) return false;  // data after '=' (or after a complete padded group)
    group = (group << 6) | static_cast<uint32_t>(v);
    if (++count == 4) {
      out->push_back(static_cast<char>(group >> 16));
      out->push_back(static_cast<char>((group >> 8) & 0xff));
      out->push_back(static_cast<char>(group & 0xff));
      count = 0;
      group = 0;
    }
  }
  return count == 0 && padding <= 0;
}

}  // namespace renkei
