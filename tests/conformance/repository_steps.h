// ITI-41 Provide and Register / ITI-43 Retrieve pieces of the replay engine
// (NIST-testplan-format.html ProvideAndRegisterTransaction and RetrieveTransaction, and the
// toolkit's HttpTransaction: a captured HTTP request sent as it is). MTOM/XOP is written and
// split here by hand (RFC 2046 §5.1, RFC 2387, W3C XOP) with common/mtom.h's writer strings,
// so the repository is checked against an independent client, not against its own reader.
//
// Thread-safety: free functions over caller-owned values.
#ifndef RENKEI_TESTS_CONFORMANCE_REPOSITORY_STEPS_H_
#define RENKEI_TESTS_CONFORMANCE_REPOSITORY_STEPS_H_

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "tests/conformance/metadata_rewriter.h"
#include "tests/conformance/soap_client.h"
#include "tests/conformance/testplan.h"

namespace pugi {
class xml_node;
}

namespace renkei::conformance {

// An HTTP request body and the Content-Type it goes with.
struct HttpRequestBody {
  std::string content_type;
  std::string body;
};

// One MIME part of a multipart body.
struct MimePart {
  std::string content_id;  // without <>
  std::string content_type;
  std::string data;
};

// The parts of a multipart body (boundary from `content_type`). Delimiter lines may end in
// CRLF or a bare LF and carry transport padding. Empty when the body is not multipart or
// its framing is unreadable.
std::vector<MimePart> SplitMultipart(const std::string& content_type, const std::string& body);

// What the engine sent with an ITI-41, by DocumentEntry uniqueId.
struct SubmittedDocument {
  std::string data;
  std::string mime_type;  // the ExtrinsicObject's mimeType
};

// The ITI-41 request of a ProvideAndRegisterTransaction step: the (rewritten, ebRS 3.0)
// SubmitObjectsRequest `submit_objects` inside xdsb:ProvideAndRegisterDocumentSetRequest
// with one xdsb:Document/xop:Include per testplan <Document id="X">file</Document> (files
// read from `dir`; X is the ExtrinsicObject's symbol, mapped through `ids.uuids` when
// AssignUuids renamed it), in a SOAP 1.2 envelope to `to`, packaged as MTOM with one
// application/octet-stream part per document. Size and hash are not filled in (the
// Repository computes them). Adds what it attached to `submitted`. NotFound when a file is
// missing.
Result<HttpRequestBody> BuildProvideAndRegister(
    pugi::xml_node submit_objects, const TestStep& step, const std::filesystem::path& dir,
    const AssignedIds& ids, const std::string& to,
    std::map<std::string, SubmittedDocument>* submitted);

// `body_xml` (a Body element, no declaration) in a SOAP 1.2 envelope to `to`, as an MTOM
// package with the envelope as its only part.
HttpRequestBody MtomSoap12(const std::string& body_xml, const std::string& action,
                           const std::string& to);

// A raw request of a testplan HttpTransaction or a captured wire example:
//   kind "headers": `text` is the body, `headers` the testplan <Headers> block;
//   kind "mtom":    `text` is a multipart/related body whose first line is its boundary
//                   (no HTTP headers): sent with an ITI-41 MTOM Content-Type;
//   kind "http":    `text` is a whole captured request (request line, headers, blank line,
//                   body; LF or CRLF); the body is sent with the captured Content-Type.
// The body bytes are kept as they are except for the ids the engine refreshes in every
// submission: each patient id becomes `patient` and each SubmissionSet/DocumentEntry/Folder
// uniqueId a fresh one, replaced in place in the text (MIME framing, line ends and XOP
// references untouched). `*ids` gets what was assigned. InvalidArgument when no
// SubmitObjectsRequest can be read or an id is not found verbatim in the text.
Result<HttpRequestBody> PrepareRawSubmission(const std::string& kind, const std::string& text,
                                             const std::string& headers, const std::string& patient,
                                             AssignedIds* ids);

// NIST's HttpTransaction verdict on an ITI-41 reply: multipart/related with exactly one
// part. Returns "" or why not.
std::string CheckSinglePartReply(const HttpReply& reply);

// ITI-43: each DocumentResponse of the RetrieveDocumentSetResponse `response` (the SOAP
// Body child of `reply`) must carry the bytes (xop:Include'd part, or inline base64) and the
// mimeType submitted under its DocumentUniqueId, and there must be `requested` of them.
// Returns one message per mismatch.
std::vector<std::string> CheckRetrievedDocuments(
    const HttpReply& reply, pugi::xml_node response, size_t requested,
    const std::map<std::string, SubmittedDocument>& submitted);

}  // namespace renkei::conformance

#endif  // RENKEI_TESTS_CONFORMANCE_REPOSITORY_STEPS_H_
