// How a stored ebRIM fragment (StoredObject::leaf_xml) is kept on disk: compressed with
// zstd against a fixed dictionary of XDS.b vocabulary (registry/leaf_dictionary.cc), so a
// DocumentEntry's ~6 KB fragment takes ~700 bytes and one LeafClass answer reads a few
// pages instead of one page per object.
//
// Blob layout: one format byte, then the payload.
//   0x00  the fragment as is (UTF-8 XML)            -- written when compression does not pay
//   0x01  a zstd frame with its content size, compressed with dictionary 1 (raw content);
//         read only: written until dictionary 2
//   0x02  the same with dictionary 2 (dictionary 1's content with entropy tables: the
//         frames need not carry their own, DocumentEntry decoding ~45 % faster)
// A stored blob is decodable for ever: a new dictionary gets a new format byte, and the old
// dictionary stays in the program.
//
// Thread-safety: both functions may be called concurrently (per-thread zstd contexts).
#ifndef RENKEI_REGISTRY_LEAF_CODEC_H_
#define RENKEI_REGISTRY_LEAF_CODEC_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "common/status.h"

namespace renkei::registry {

// The blob to store for `xml`.
std::string EncodeLeaf(std::string_view xml);

// Appends the fragment held by `blob` to `*xml`. Internal on a corrupt or unknown blob.
Status DecodeLeaf(const void* blob, size_t size, std::string* xml);

// The dictionaries of formats 0x01 and 0x02 (tests and tools read them; they never change).
std::string_view LeafDictionaryV1();
std::string_view LeafDictionaryV2();

}  // namespace renkei::registry

#endif  // RENKEI_REGISTRY_LEAF_CODEC_H_
