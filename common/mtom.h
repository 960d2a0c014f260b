// MTOM/XOP over HTTP (W3C SOAP 1.2 MTOM, W3C XOP, RFC 2387 multipart/related, RFC 2046
// §5.1): a streaming reader for request bodies and the pieces a writer needs.
//
// The reader keeps only the root part (the SOAP envelope) in memory; every other part is
// handed to a sink as a stream, so a 1 GB attachment needs no 1 GB of memory. Part headers
// are read by Poco::Net::MessageHeader; the parts are split here.
//
// Thread-safety: free functions over caller-owned streams.
#ifndef RENKEI_COMMON_MTOM_H_
#define RENKEI_COMMON_MTOM_H_

#include <cstddef>
#include <functional>
#include <istream>
#include <string>

#include "common/status.h"

namespace renkei {

// The headers of one MIME part that MTOM cares about.
struct MimePartInfo {
  std::string content_id;    // without the angle brackets; may be empty
  std::string content_type;  // as sent
  std::string content_transfer_encoding;  // lower case; empty = binary
};

struct MtomLimits {
  size_t max_root_bytes = 64u << 20;  // the SOAP envelope part
  int max_parts = 1000;               // root included
};

// Receives each non-root part in body order. It must read `data` to its end (the part's
// end), or return an error, which ReadMtom returns unchanged.
using MtomPartSink = std::function<Status(const MimePartInfo& part, std::istream& data)>;

struct MtomRoot {
  MimePartInfo info;
  std::string body;
};

// Reads a whole multipart/related body from `body` (the HTTP entity stream). The root part
// is the one whose Content-ID equals the `start` parameter of `content_type` (angle
// brackets ignored), or the first part when there is no `start`; it is returned, the
// others go to `sink`.
// Errors, all kInvalidArgument unless said: `content_type` is not multipart/related or has
// no boundary; no boundary line in the body; a part's headers are malformed; two parts with
// one Content-ID; no part matches `start`; the body ends before the closing delimiter
// ("--boundary--"): a truncated body. kResourceExhausted: the root part is over
// max_root_bytes, or more than max_parts parts.
Result<MtomRoot> ReadMtom(std::istream& body, const std::string& content_type,
                          const MtomLimits& limits, const MtomPartSink& sink);

// Reads a multipart/related body whose every part goes to `sink` in body order (no root:
// STOW-RS, PS3.18 §10.5, where each part is an instance). Errors as ReadMtom's.
Status ReadMultipartRelated(std::istream& body, const std::string& content_type, int max_parts,
                            const MtomPartSink& sink);

// --- Writing. A body is: MtomPartHeader(first part) + data + MtomPartHeader(next) + data
// + ... + MtomClosing(boundary).

// A fresh boundary ("MIMEBoundary_" and 32 random hex digits).
std::string NewMtomBoundary();
// The HTTP Content-Type of an MTOM SOAP 1.2 message:
// multipart/related; type="application/xop+xml"; boundary="B"; start="<ID>";
// start-info="application/soap+xml"[; action="A"]
std::string MtomContentType(const std::string& boundary, const std::string& start_id,
                            const std::string& action = {});
// The root part's own Content-Type: application/xop+xml; charset=UTF-8;
// type="application/soap+xml"
std::string MtomRootPartContentType();
// "\r\n--B\r\nContent-Type: T\r\nContent-Transfer-Encoding: binary\r\nContent-ID: <ID>\r\n\r\n"
std::string MtomPartHeader(const std::string& boundary, const std::string& content_id,
                           const std::string& content_type);
// "\r\n--B--\r\n"
std::string MtomClosing(const std::string& boundary);

}  // namespace renkei

#endif  // RENKEI_COMMON_MTOM_H_
