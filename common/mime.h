// MIME helpers for SOAP over HTTP: media-type parameters and the root part of an MTOM/XOP
// multipart/related body (W3C XOP; SOAP 1.2 MTOM). Streaming MTOM for large documents
// belongs to the repository (issue 4); a registry request is metadata only.
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
// parameter, or the first part. InvalidArgument when the boundary is missing or no part
// can be read.
Result<std::string> MultipartRootPart(const std::string& content_type, const std::string& body);

}  // namespace renkei

#endif  // RENKEI_COMMON_MIME_H_
