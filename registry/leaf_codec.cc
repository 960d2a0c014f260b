// The leaf codec: zstd frames (content size, no checksum, no dictionary id) against
// dictionary 2 (written) or 1 (read only), with per-thread contexts and the digested
// dictionaries built once. Only zstd's stable API is used.
#include "registry/leaf_codec.h"

#include <zstd.h>

#include <memory>

namespace renkei::registry {

namespace {

constexpr unsigned char kFormatPlain = 0x00;
constexpr unsigned char kFormatZstdV1 = 0x01;
constexpr unsigned char kFormatZstdV2 = 0x02;
// Level 1: with the dictionary doing most of the work, level 3 saves nothing on fragments
// (DocumentEntry 659 vs 674 bytes) and compresses slower.
constexpr int kLevel = 1;
// Below this size a fragment is stored as is (the frame would not be smaller).
constexpr size_t kMinCompressed = 64;

struct CDictFree {
  void operator()(ZSTD_CDict* d) const { ZSTD_freeCDict(d); }
};
struct DDictFree {
  void operator()(ZSTD_DDict* d) const { ZSTD_freeDDict(d); }
};
struct CCtxFree {
  void operator()(ZSTD_CCtx* c) const { ZSTD_freeCCtx(c); }
};
struct DCtxFree {
  void operator()(ZSTD_DCtx* c) const { ZSTD_freeDCtx(c); }
};

// Dictionary 2 is in zstd's dictionary format (magic, id, entropy tables, content);
// dictionary 1, not starting with the magic, is taken as raw content.
const ZSTD_CDict* CompressionDictionary() {
  static const std::unique_ptr<ZSTD_CDict, CDictFree> dict([] {
    std::string_view d = LeafDictionaryV2();
    return ZSTD_createCDict(d.data(), d.size(), kLevel);
  }());
  return dict.get();
}

const ZSTD_DDict* DecompressionDictionary(unsigned char format) {
  static const std::unique_ptr<ZSTD_DDict, DDictFree> v1([] {
    std::string_view d = LeafDictionaryV1();
    return ZSTD_createDDict(d.data(), d.size());
  }());
  static const std::unique_ptr<ZSTD_DDict, DDictFree> v2([] {
    std::string_view d = LeafDictionaryV2();
    return ZSTD_createDDict(d.data(), d.size());
  }());
  return format == kFormatZstdV1 ? v1.get() : v2.get();
}

// Compresses with dictionary 2, writing the content size and neither checksum nor
// dictionary id (the format byte names the dictionary).
ZSTD_CCtx* CompressionContext() {
  thread_local std::unique_ptr<ZSTD_CCtx, CCtxFree> ctx([] {
    ZSTD_CCtx* c = ZSTD_createCCtx();
    ZSTD_CCtx_refCDict(c, CompressionDictionary());
    ZSTD_CCtx_setParameter(c, ZSTD_c_contentSizeFlag, 1);
    ZSTD_CCtx_setParameter(c, ZSTD_c_checksumFlag, 0);
    ZSTD_CCtx_setParameter(c, ZSTD_c_dictIDFlag, 0);
    return c;
  }());
  return ctx.get();
}

ZSTD_DCtx* DecompressionContext() {
  thread_local std::unique_ptr<ZSTD_DCtx, DCtxFree> ctx(ZSTD_createDCtx());
  return ctx.get();
}

std::string Plain(std::string_view xml) {
  std::string out;
  out.reserve(xml.size() + 1);
  out.push_back(static_cast<char>(kFormatPlain));
  out.append(xml);
  return out;
}

}  // namespace

std::string EncodeLeaf(std::string_view xml) {
  if (xml.size() < kMinCompressed) return Plain(xml);
  ZSTD_CCtx* c = CompressionContext();
  std::string out(1 + ZSTD_compressBound(xml.size()), '\0');
  out[0] = static_cast<char>(kFormatZstdV2);
  // The dictionary and parameters stay referenced across frames (session reset only).
  size_t n = ZSTD_compress2(c, out.data() + 1, out.size() - 1, xml.data(), xml.size());
  if (ZSTD_isError(n) || n >= xml.size()) return Plain(xml);
  out.resize(1 + n);
  return out;
}

Status DecodeLeaf(const void* blob, size_t size, std::string* xml) {
  if (blob == nullptr || size == 0) return Status::Internal("leaf", "empty stored fragment");
  const auto* p = static_cast<const unsigned char*>(blob);
  if (p[0] == kFormatPlain) {
    xml->append(reinterpret_cast<const char*>(p + 1), size - 1);
    return Status::Ok();
  }
  if (p[0] != kFormatZstdV1 && p[0] != kFormatZstdV2) {
    return Status::Internal("leaf", "stored fragment of unknown format " + std::to_string(p[0]));
  }
  ZSTD_DCtx* d = DecompressionContext();
  // EncodeLeaf always writes the content size into the frame header.
  unsigned long long content = ZSTD_getFrameContentSize(p + 1, size - 1);
  if (content == ZSTD_CONTENTSIZE_UNKNOWN || content == ZSTD_CONTENTSIZE_ERROR ||
      content > (64u << 20)) {
    return Status::Internal("leaf", "corrupt stored fragment header");
  }
  const size_t start = xml->size();
  xml->resize(start + content);
  size_t n = ZSTD_decompress_usingDDict(d, xml->data() + start, content, p + 1, size - 1,
                                        DecompressionDictionary(p[0]));
  if (ZSTD_isError(n) || n != content) {
    xml->resize(start);
    return Status::Internal("leaf", std::string("corrupt stored fragment: ") +
                                        (ZSTD_isError(n) ? ZSTD_getErrorName(n) : "short"));
  }
  return Status::Ok();
}

}  // namespace renkei::registry
