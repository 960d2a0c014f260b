// Document Repository decoders: ITI-41 Provide and Register Document Set-b (ITI TF-2
// §3.41.4.1), ITI-43 Retrieve Document Set request and response (§3.43.4.1, §3.43.4.2;
// XDS.b_DocumentRepository.xsd), and the rs:RegistryResponse a Document Source or
// Repository reads back (ebRS 3.0 rs.xsd, ITI TF-3 §4.2.4). The encoders are in
// repository_encoder.cc.
#include "xds/repository_codec.h"

#include <span>
#include <string>
#include <utility>

#include "xds/ebrim_codec.h"
#include "common/base64.h"
#include "xds/internal/ebrim_names.h"
#include "xds/internal/registry_error_list.h"
#include "xds/internal/soap_impl.h"
#include "xds/internal/xml_reader.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using internal::FirstElement;
using internal::HasNonBlankText;
using internal::IsElement;
using internal::LocalName;
using internal::NamespaceUri;
using internal::NextElement;
using internal::TextOf;
using internal::TrimXmlSpace;
namespace n = internal;

// SOAP 1.2 Part 1 §5.4 Fault children.
constexpr char kFault[] = "Fault";
constexpr char kFaultCode[] = "Code";
constexpr char kFaultValue[] = "Value";
constexpr char kFaultReason[] = "Reason";

// Decode errors, by who detects them (see repository_codec.h).
using ErrorFn = Status (*)(std::string message, std::string location);

// Structural problems in a request to the repository.
Status RepositoryError(std::string message, std::string location) {
  return Status::InvalidArgument(XdsErrorCode(XdsError::kRepositoryError), std::move(message),
                                 std::move(location));
}
// Problems in the xdsb:Document parts of an ITI-41 request.
Status RepositoryMetadataError(std::string message, std::string location) {
  return XdsStatus(XdsError::kRepositoryMetadataError, std::move(message), std::move(location));
}
// Problems in a response read back from a registry or repository.
Status ResponseError(std::string message, std::string location) {
  return Status::InvalidArgument(XdsErrorCode(XdsError::kRegistryError), std::move(message),
                                 std::move(location));
}

std::string Describe(pugi::xml_node node) {
  return "{" + std::string(NamespaceUri(node)) + "}" + std::string(LocalName(node));
}

std::string Position(const char* element, int index) {
  return std::string(element) + "[" + std::to_string(index) + "]";
}

// A URN-valued attribute (status) with any whitespace removed, as ebrim_decoder.cc reads it.
std::string UrnAttr(pugi::xml_node node, const char* name) {
  std::string out;
  for (const char* p = node.attribute(name).value(); *p; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') out.push_back(*p);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "cid:<content-id>" → the Content-ID, %-decoded (RFC 2392 §2). False when the scheme is not
// cid:, an escape is malformed, or nothing is left.
bool DecodeCidHref(std::string_view href, std::string* cid) {
  // The scheme is case-insensitive (RFC 3986 §3.1).
  constexpr std::string_view scheme = n::kCidScheme;
  href = TrimXmlSpace(href);
  if (href.size() <= scheme.size()) return false;
  for (size_t i = 0; i < scheme.size(); ++i) {
    char c = href[i] >= 'A' && href[i] <= 'Z' ? static_cast<char>(href[i] - 'A' + 'a') : href[i];
    if (c != scheme[i]) return false;
  }
  cid->clear();
  for (size_t i = scheme.size(); i < href.size(); ++i) {
    if (href[i] != '%') {
      cid->push_back(href[i]);
      continue;
    }
    int hi = i + 2 < href.size() ? HexValue(href[i + 1]) : -1;
    int lo = hi >= 0 ? HexValue(href[i + 2]) : -1;
    if (lo < 0) return false;
    cid->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

// The content of an xdsb:Document: one xop:Include (MTOM) or base64 text.
Status DecodeDocumentContent(pugi::xml_node el, const std::string& location, ErrorFn error,
                             std::string* include_cid, std::string* bytes) {
  pugi::xml_node include;
  for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
    if (include || !IsElement(c, kNsXop, n::kElXopInclude)) {
      return error("unexpected element " + Describe(c) + " in xdsb:Document", location);
    }
    include = c;
  }
  if (include) {
    if (HasNonBlankText(el)) {
      return error("xdsb:Document has both an xop:Include and inline content", location);
    }
    if (!DecodeCidHref(include.attribute(n::kAtHref).value(), include_cid)) {
      return error("xop:Include without a valid cid: href (\"" +
                       std::string(include.attribute(n::kAtHref).value()) + "\")",
                   location);
    }
    return Status::Ok();
  }
  if (!DecodeBase64(TextOf(el), bytes)) {
    return error("xdsb:Document content is not valid base64", location);
  }
  return Status::Ok();
}

// One child of an XDS.b sequence: xdsb:<local>, kept as trimmed text or as the element.
struct Field {
  const char* local;
  bool required;
  std::string* text;  // or
  pugi::xml_node* element = nullptr;
};

// Reads the children of `el`: xdsb elements in the order of `fields`, each at most once,
// the required ones present and (text fields) non-empty.
Status ReadSequence(pugi::xml_node el, std::span<const Field> fields, const char* what,
                    const std::string& location, ErrorFn error) {
  size_t next = 0;  // fields before this one can no longer appear
  for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
    size_t i = next;
    while (i < fields.size() && !IsElement(c, kNsXdsb, fields[i].local)) ++i;
    if (i == fields.size()) {
      std::string expected;
      for (const Field& f : fields) {
        expected += (expected.empty() ? "" : ", ") + std::string(f.local) + (f.required ? "" : "?");
      }
      return error(Describe(c) + " is unexpected or out of order in xdsb:" + what + " (expected " +
                       expected + ")",
                   location);
    }
    if (fields[i].text) *fields[i].text = std::string(TrimXmlSpace(TextOf(c)));
    if (fields[i].element) *fields[i].element = c;
    next = i + 1;
  }
  for (const Field& f : fields) {
    bool missing = f.text ? f.text->empty() : !*f.element;
    if (f.required && missing) {
      return error("xdsb:" + std::string(what) + " has no " + f.local, location);
    }
  }
  return Status::Ok();
}

// The children of an xdsb:DocumentRequest (ITI-43, and RAD-69's inside its SeriesRequest).
Status ReadDocumentRequest(pugi::xml_node el, const std::string& location, DocumentRequest* r) {
  const Field fields[] = {
      {n::kElHomeCommunityId, false, &r->home_community_id},
      {n::kElRepositoryUniqueId, true, &r->repository_unique_id},
      {n::kElDocumentUniqueId, true, &r->document_unique_id},
  };
  return ReadSequence(el, fields, n::kElDocumentRequest, location, RepositoryError);
}

Status DecodeDocumentResponse(pugi::xml_node el, const std::string& location,
                              RetrievedDocument* doc) {
  std::string new_repository_unique_id, new_document_unique_id;  // On-Demand: not kept
  pugi::xml_node document;
  const Field fields[] = {
      {n::kElHomeCommunityId, false, &doc->home_community_id},
      {n::kElRepositoryUniqueId, true, &doc->repository_unique_id},
      {n::kElDocumentUniqueId, true, &doc->document_unique_id},
      {n::kElNewRepositoryUniqueId, false, &new_repository_unique_id},
      {n::kElNewDocumentUniqueId, false, &new_document_unique_id},
      {n::kElMimeType, true, &doc->mime_type},
      {n::kElDocument, true, nullptr, &document},
  };
  RENKEI_RETURN_IF_ERROR(ReadSequence(el, fields, n::kElDocumentResponse, location, ResponseError));
  return DecodeDocumentContent(document, location, ResponseError, &doc->include_cid,
                               &doc->inline_bytes);
}

// soap:Fault → kInvalidArgument XDSRegistryError "SOAP Fault: <reason> (<code>)".
Status FaultStatus(pugi::xml_node fault) {
  std::string code, reason;
  for (pugi::xml_node c = FirstElement(fault); c; c = NextElement(c)) {
    pugi::xml_node first = FirstElement(c);
    if (IsElement(c, kNsSoap12, kFaultCode) && IsElement(first, kNsSoap12, kFaultValue)) {
      code = std::string(TrimXmlSpace(TextOf(first)));
    } else if (IsElement(c, kNsSoap12, kFaultReason) && first) {
      reason = std::string(TrimXmlSpace(TextOf(first)));  // the first soap:Text
    }
  }
  std::string message = "SOAP Fault: " + (reason.empty() ? "(no reason)" : reason);
  if (!code.empty()) message += " (" + code + ")";
  return ResponseError(std::move(message), {});
}

// rs:RegistryResponse: status, ResponseSlotList?, RegistryErrorList?.
Status DecodeRegistryResponseElement(pugi::xml_node el, RegistryResponse* response) {
  response->status = UrnAttr(el, n::kAtStatus);
  if (response->status != kResponseSuccess && response->status != kResponsePartialSuccess &&
      response->status != kResponseFailure) {
    return ResponseError("rs:RegistryResponse has no valid status (got '" + response->status + "')",
                         {});
  }
  for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
    if (IsElement(c, kNsRs, n::kElResponseSlotList)) continue;
    if (!IsElement(c, kNsRs, n::kElRegistryErrorList)) {
      return ResponseError("unexpected element " + Describe(c) + " in rs:RegistryResponse", {});
    }
    RENKEI_RETURN_IF_ERROR(internal::DecodeRegistryErrorList(c, &response->errors));
  }
  // ebRS 3.0 / ITI TF-3 §4.2.4: Failure names its errors; Success has none of severity Error.
  bool has_error = false;
  for (const RegistryError& e : response->errors) has_error |= e.severity == Severity::kError;
  if (response->status == kResponseFailure && !has_error) {
    return ResponseError("rs:RegistryResponse status Failure without an error", {});
  }
  if (response->status == kResponseSuccess && has_error) {
    return ResponseError("rs:RegistryResponse status Success with an error of severity Error", {});
  }
  return Status::Ok();
}

}  // namespace

Result<ProvideAndRegisterRequest> DecodeProvideAndRegisterRequest(const SoapMessage& message) {
  pugi::xml_node el = message.impl().body_element;
  if (!IsElement(el, kNsXdsb, n::kElProvideAndRegister)) {
    return RepositoryError(
        "expected xdsb:ProvideAndRegisterDocumentSetRequest, got " + Describe(el), {});
  }
  pugi::xml_node submit = FirstElement(el);
  if (!IsElement(submit, kNsLcm, n::kElSubmitObjectsRequest)) {
    return RepositoryError(
        "xdsb:ProvideAndRegisterDocumentSetRequest must start with lcm:SubmitObjectsRequest", {});
  }
  if (HasNonBlankText(el)) {
    return RepositoryError("text is not allowed in xdsb:ProvideAndRegisterDocumentSetRequest", {});
  }
  ProvideAndRegisterRequest request;
  RENKEI_ASSIGN_OR_RETURN(request.submission, DecodeSubmitObjectsRequest(message));
  int index = 0;
  for (pugi::xml_node c = NextElement(submit); c; c = NextElement(c)) {
    ++index;
    if (!IsElement(c, kNsXdsb, n::kElDocument)) {
      return RepositoryError("unexpected element " + Describe(c) +
                                 " after lcm:SubmitObjectsRequest (only xdsb:Document may follow)",
                             Position(n::kElDocument, index));
    }
    ProvidedDocument doc;
    doc.id = std::string(TrimXmlSpace(c.attribute(n::kAtId).value()));
    if (doc.id.empty()) {
      return RepositoryMetadataError("xdsb:Document without an id",
                                     Position(n::kElDocument, index));
    }
    RENKEI_RETURN_IF_ERROR(DecodeDocumentContent(c, doc.id, RepositoryMetadataError,
                                                 &doc.include_cid, &doc.inline_bytes));
    request.documents.push_back(std::move(doc));
  }
  return request;
}

Result<std::vector<DocumentRequest>> DecodeRetrieveDocumentSetRequest(const SoapMessage& message) {
  pugi::xml_node el = message.impl().body_element;
  if (!IsElement(el, kNsXdsb, n::kElRetrieveDocumentSetRequest)) {
    return RepositoryError("expected xdsb:RetrieveDocumentSetRequest, got " + Describe(el), {});
  }
  std::vector<DocumentRequest> requests;
  int index = 0;
  for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
    const std::string location = Position(n::kElDocumentRequest, ++index);
    if (!IsElement(c, kNsXdsb, n::kElDocumentRequest)) {
      return RepositoryError(
          "unexpected element " + Describe(c) + " in xdsb:RetrieveDocumentSetRequest", location);
    }
    DocumentRequest r;
    RENKEI_RETURN_IF_ERROR(ReadDocumentRequest(c, location, &r));
    requests.push_back(std::move(r));
  }
  if (requests.empty()) {
    return RepositoryError("xdsb:RetrieveDocumentSetRequest has no DocumentRequest", {});
  }
  return requests;
}

Result<RetrieveImagingDocumentSetRequest> DecodeRetrieveImagingDocumentSetRequest(
    const SoapMessage& message) {
  constexpr char kRequest[] = "RetrieveImagingDocumentSetRequest";
  pugi::xml_node el = message.impl().body_element;
  if (!IsElement(el, kNsXdsiB, kRequest)) {
    return RepositoryError("expected iherad:RetrieveImagingDocumentSetRequest, got " + Describe(el),
                           {});
  }
  RetrieveImagingDocumentSetRequest request;
  pugi::xml_node c = FirstElement(el);
  int studies = 0;
  for (; c && IsElement(c, kNsXdsiB, "StudyRequest"); c = NextElement(c)) {
    const std::string study_location = Position("StudyRequest", ++studies);
    const std::string study = std::string(TrimXmlSpace(c.attribute("studyInstanceUID").value()));
    int series_index = 0;
    for (pugi::xml_node se = FirstElement(c); se; se = NextElement(se)) {
      const std::string location = study_location + "/" + Position("SeriesRequest", ++series_index);
      if (!IsElement(se, kNsXdsiB, "SeriesRequest")) {
        return RepositoryError("unexpected element " + Describe(se) + " in iherad:StudyRequest",
                               location);
      }
      const std::string series =
          std::string(TrimXmlSpace(se.attribute("seriesInstanceUID").value()));
      int documents = 0;
      for (pugi::xml_node d = FirstElement(se); d; d = NextElement(d)) {
        const std::string doc_location = location + "/" + Position(n::kElDocumentRequest, ++documents);
        if (!IsElement(d, kNsXdsb, n::kElDocumentRequest)) {
          return RepositoryError("unexpected element " + Describe(d) + " in iherad:SeriesRequest",
                                 doc_location);
        }
        ImagingDocumentRequest r{study, series, {}};
        RENKEI_RETURN_IF_ERROR(ReadDocumentRequest(d, doc_location, &r.document));
        request.documents.push_back(std::move(r));
      }
      if (documents == 0) return RepositoryError("iherad:SeriesRequest has no DocumentRequest", location);
    }
    if (series_index == 0) {
      return RepositoryError("iherad:StudyRequest has no SeriesRequest", study_location);
    }
  }
  if (studies == 0) return RepositoryError("iherad:" + std::string(kRequest) + " has no StudyRequest", {});
  if (!c || !IsElement(c, kNsXdsiB, "TransferSyntaxUIDList")) {
    return RepositoryError(std::string("iherad:") + kRequest + " has no TransferSyntaxUIDList" +
                               (c ? " (found " + Describe(c) + ")" : ""),
                           {});
  }
  for (pugi::xml_node t = FirstElement(c); t; t = NextElement(t)) {
    if (!IsElement(t, kNsXdsiB, "TransferSyntaxUID")) {
      return RepositoryError("unexpected element " + Describe(t) + " in iherad:TransferSyntaxUIDList",
                             "TransferSyntaxUIDList");
    }
    request.transfer_syntax_uids.emplace_back(TrimXmlSpace(TextOf(t)));
  }
  if (request.transfer_syntax_uids.empty()) {
    return RepositoryError("iherad:TransferSyntaxUIDList has no TransferSyntaxUID",
                           "TransferSyntaxUIDList");
  }
  if (pugi::xml_node extra = NextElement(c)) {
    return RepositoryError("unexpected element " + Describe(extra) + " after iherad:TransferSyntaxUIDList",
                           {});
  }
  return request;
}

bool RegistryResponse::success() const {
  constexpr std::string_view kSuffix = ":Success";
  return std::string_view(status).ends_with(kSuffix);
}

Result<RegistryResponse> DecodeRegistryResponse(const SoapMessage& message) {
  pugi::xml_node el = message.impl().body_element;
  if (IsElement(el, kNsSoap12, kFault)) return FaultStatus(el);
  RegistryResponse response;
  if (IsElement(el, kNsRs, n::kElRegistryResponse)) {
    RENKEI_RETURN_IF_ERROR(DecodeRegistryResponseElement(el, &response));
    return response;
  }
  if (!IsElement(el, kNsXdsb, n::kElRetrieveDocumentSetResponse)) {
    return ResponseError(
        "expected rs:RegistryResponse or xdsb:RetrieveDocumentSetResponse, got " + Describe(el),
        {});
  }
  pugi::xml_node registry_response = FirstElement(el);
  if (!IsElement(registry_response, kNsRs, n::kElRegistryResponse)) {
    return ResponseError("xdsb:RetrieveDocumentSetResponse must start with rs:RegistryResponse",
                         {});
  }
  RENKEI_RETURN_IF_ERROR(DecodeRegistryResponseElement(registry_response, &response));
  int index = 0;
  for (pugi::xml_node c = NextElement(registry_response); c; c = NextElement(c)) {
    const std::string location = Position(n::kElDocumentResponse, ++index);
    if (!IsElement(c, kNsXdsb, n::kElDocumentResponse)) {
      return ResponseError(
          "unexpected element " + Describe(c) + " in xdsb:RetrieveDocumentSetResponse", location);
    }
    response.documents.emplace_back();
    RENKEI_RETURN_IF_ERROR(DecodeDocumentResponse(c, location, &response.documents.back()));
  }
  return response;
}

}  // namespace renkei::xds
