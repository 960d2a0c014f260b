// Document Repository encoders: ITI-41 Provide and Register Document Set-b request (ITI TF-2
// §3.41.4.1), ITI-43 Retrieve Document Set request and response (§3.43.4.1, §3.43.4.2;
// XDS.b_DocumentRepository.xsd). Strings are built directly (no DOM); every text and
// attribute value is escaped. The decoders are in repository_codec.cc.
#include <string>

#include "xds/ebrim_codec.h"
#include "common/base64.h"
#include "xds/internal/ebrim_names.h"
#include "xds/internal/xml_escape.h"
#include "xds/repository_codec.h"
#include "xds/submission_builder.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using internal::AppendAttribute;
using internal::AppendEscapedText;
namespace n = internal;

constexpr std::string_view kXdsb = "xdsb:";

// ` xmlns:xdsb="..." xmlns:xop="..."` (and rs when `with_rs`).
void AppendNamespaces(std::string* out, bool with_xop, bool with_rs) {
  AppendAttribute(out, "xmlns:xdsb", kNsXdsb);
  if (with_rs) AppendAttribute(out, "xmlns:rs", kNsRs);
  if (with_xop) AppendAttribute(out, "xmlns:xop", kNsXop);
}

void Open(std::string* out, const char* local) {
  out->push_back('<');
  out->append(kXdsb);
  out->append(local);
  out->push_back('>');
}

void Close(std::string* out, const char* local) {
  out->append("</");
  out->append(kXdsb);
  out->append(local);
  out->push_back('>');
}

// <xdsb:local>escaped text</xdsb:local>
void AppendTextElement(std::string* out, const char* local, std::string_view text) {
  Open(out, local);
  AppendEscapedText(out, text);
  Close(out, local);
}

// <xdsb:DocumentRequest> of ITI-43 and RAD-69.
void AppendDocumentRequest(std::string* out, const DocumentRequest& r) {
  Open(out, n::kElDocumentRequest);
  if (!r.home_community_id.empty()) {
    AppendTextElement(out, n::kElHomeCommunityId, r.home_community_id);
  }
  AppendTextElement(out, n::kElRepositoryUniqueId, r.repository_unique_id);
  AppendTextElement(out, n::kElDocumentUniqueId, r.document_unique_id);
  Close(out, n::kElDocumentRequest);
}

// RFC 2392 §2: a cid URL is the Content-ID with the characters a URL cannot hold %-encoded.
// Kept as is: letters, digits, RFC 3986 unreserved and sub-delims, ':' and '@' (what real
// Content-IDs use).
constexpr std::string_view kKeptInCid = "-._~!$&'()*+,;=:@";

bool KeptInCid(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         kKeptInCid.find(c) != std::string_view::npos;
}

std::string CidHref(std::string_view content_id) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string href = n::kCidScheme;
  for (char ch : content_id) {
    auto c = static_cast<unsigned char>(ch);
    if (KeptInCid(ch)) {
      href.push_back(ch);
    } else {
      href.push_back('%');
      href.push_back(kHex[c >> 4]);
      href.push_back(kHex[c & 15]);
    }
  }
  return href;
}

// <xdsb:Document[ id=".."]> xop:Include of `include_cid`, or `inline_bytes` in base64 </..>
void AppendDocument(std::string* out, const std::string* id, const std::string& include_cid,
                    const std::string& inline_bytes) {
  out->push_back('<');
  out->append(kXdsb);
  out->append(n::kElDocument);
  if (id != nullptr) AppendAttribute(out, n::kAtId, *id);
  out->push_back('>');
  if (!include_cid.empty()) {
    out->append("<xop:Include");
    AppendAttribute(out, n::kAtHref, CidHref(include_cid));
    out->append("/>");
  } else {
    AppendBase64(out, inline_bytes);
  }
  Close(out, n::kElDocument);
}

size_t EncodedSize(const std::string& include_cid, const std::string& inline_bytes) {
  return 160 + include_cid.size() * 3 + (inline_bytes.size() + 2) / 3 * 4;
}

bool HasError(const RegistryErrorList& errors) {
  for (const RegistryError& e : errors) {
    if (e.severity == Severity::kError) return true;
  }
  return false;
}

}  // namespace

std::string EncodeProvideAndRegisterRequest(const ProvideAndRegisterRequest& request) {
  const std::string submission = EncodeSubmitObjectsRequest(request.submission);
  size_t size = 256 + submission.size();
  for (const ProvidedDocument& d : request.documents) {
    size += d.id.size() + EncodedSize(d.include_cid, d.inline_bytes);
  }
  std::string out;
  out.reserve(size);
  out.append("<xdsb:");
  out.append(n::kElProvideAndRegister);
  AppendNamespaces(&out, /*with_xop=*/true, /*with_rs=*/false);
  out.push_back('>');
  out.append(submission);
  for (const ProvidedDocument& d : request.documents) {
    AppendDocument(&out, &d.id, d.include_cid, d.inline_bytes);
  }
  Close(&out, n::kElProvideAndRegister);
  return out;
}

std::string EncodeRetrieveDocumentSetRequest(const std::vector<DocumentRequest>& requests) {
  std::string out;
  out.reserve(160 + requests.size() * 256);
  out.append("<xdsb:");
  out.append(n::kElRetrieveDocumentSetRequest);
  AppendNamespaces(&out, /*with_xop=*/false, /*with_rs=*/false);
  out.push_back('>');
  for (const DocumentRequest& r : requests) {
    AppendDocumentRequest(&out, r);
  }
  Close(&out, n::kElRetrieveDocumentSetRequest);
  return out;
}

std::string EncodeRetrieveImagingDocumentSetRequest(const RetrieveImagingDocumentSetRequest& request) {
  std::string out = "<iherad:RetrieveImagingDocumentSetRequest";
  AppendAttribute(&out, "xmlns:iherad", kNsXdsiB);
  AppendNamespaces(&out, /*with_xop=*/false, /*with_rs=*/false);
  out.push_back('>');
  // Consecutive documents of one study and series share their StudyRequest / SeriesRequest.
  const auto& docs = request.documents;
  for (size_t i = 0; i < docs.size();) {
    out += "<iherad:StudyRequest";
    AppendAttribute(&out, "studyInstanceUID", docs[i].study_instance_uid);
    out.push_back('>');
    const std::string& study = docs[i].study_instance_uid;
    while (i < docs.size() && docs[i].study_instance_uid == study) {
      out += "<iherad:SeriesRequest";
      AppendAttribute(&out, "seriesInstanceUID", docs[i].series_instance_uid);
      out.push_back('>');
      const std::string& series = docs[i].series_instance_uid;
      for (; i < docs.size() && docs[i].study_instance_uid == study &&
             docs[i].series_instance_uid == series;
           ++i) {
        AppendDocumentRequest(&out, docs[i].document);
      }
      out += "</iherad:SeriesRequest>";
    }
    out += "</iherad:StudyRequest>";
  }
  out += "<iherad:TransferSyntaxUIDList>";
  for (const std::string& ts : request.transfer_syntax_uids) {
    out += "<iherad:TransferSyntaxUID>";
    AppendEscapedText(&out, ts);
    out += "</iherad:TransferSyntaxUID>";
  }
  out += "</iherad:TransferSyntaxUIDList></iherad:RetrieveImagingDocumentSetRequest>";
  return out;
}

std::string EncodeRetrieveDocumentSetResponse(const std::vector<RetrievedDocument>& documents,
                                              const RegistryErrorList& errors) {
  // ITI TF-2 §3.43.4.2.3: some documents and errors → PartialSuccess; errors and no document
  // → Failure (EncodeRegistryResponse); no error of severity Error → Success.
  const bool partial = !documents.empty() && HasError(errors);
  const std::string registry_response = EncodeRegistryResponse(errors, partial);
  size_t size = 256 + registry_response.size();
  for (const RetrievedDocument& d : documents) {
    size += 320 + d.home_community_id.size() + d.repository_unique_id.size() +
            d.document_unique_id.size() + d.mime_type.size() +
            EncodedSize(d.include_cid, d.inline_bytes);
  }
  std::string out;
  out.reserve(size);
  out.append("<xdsb:");
  out.append(n::kElRetrieveDocumentSetResponse);
  AppendNamespaces(&out, /*with_xop=*/true, /*with_rs=*/true);
  out.push_back('>');
  out.append(registry_response);
  for (const RetrievedDocument& d : documents) {
    Open(&out, n::kElDocumentResponse);
    if (!d.home_community_id.empty()) {
      AppendTextElement(&out, n::kElHomeCommunityId, d.home_community_id);
    }
    AppendTextElement(&out, n::kElRepositoryUniqueId, d.repository_unique_id);
    AppendTextElement(&out, n::kElDocumentUniqueId, d.document_unique_id);
    AppendTextElement(&out, n::kElMimeType, d.mime_type);
    AppendDocument(&out, nullptr, d.include_cid, d.inline_bytes);
    Close(&out, n::kElDocumentResponse);
  }
  Close(&out, n::kElRetrieveDocumentSetResponse);
  return out;
}

}  // namespace renkei::xds
