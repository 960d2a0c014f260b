// MIME helpers for SOAP over HTTP: media-type parameters and the root part of an MTOM/XOP
// multipart/related body already in memory (W3C XOP; SOAP 1.2 MTOM): a registry request is
// metadata only. Bodies with documents are read as a stream (common/mtom.h).
#ifndef RENKEI_COMMON_MIME_H_
#define RENKEI_COMMON_MIME_H_

#include <string>

#include "common/status.h"

namespace renkei {

// The media type in lower case without parameters: "multipart/related".
std::string MediaType(const std::string& content_type);
// A parameter of a Content-Type value (quotes removed), "" when absent.
std::string MediaTypeParameter(const std::string& content_type, const std::string& name);

// The root part of a multipart/related body: the part whose Content-ID equals the `start`
// parameter, or the first part. InvalidArgument (detail "mime") when the boundary is missing,
// the body is malformed or truncated, or no part matches.
Result<std::string> MultipartRootPart(const std::string& content_type, const std::string& body);

}  // namespace renkei

#endif  // RENKEI_COMMON_MIME_H_
