// Codecs of the Document Repository's transactions (ITI TF-2 §3.41 Provide and Register
// Document Set-b, §3.43 Retrieve Document Set; XSD XDS.b_DocumentRepository.xsd in the
// namespace urn:ihe:iti:xds-b:2007) and of the rs:RegistryResponse a Document Source or
// Repository reads back. Decoders take the Body of a parsed SoapMessage and produce plain
// types; encoders write XML text. Document bytes never pass through here when they travel
// as MTOM/XOP parts: a document is then named by the Content-ID of its part.
#ifndef RENKEI_XDS_REPOSITORY_CODEC_H_
#define RENKEI_XDS_REPOSITORY_CODEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "xds/rim.h"
#include "xds/soap.h"
#include "xds/xds_errors.h"

namespace renkei::xds {

// One xdsb:Document of an ITI-41 request.
struct ProvidedDocument {
  std::string id;  // xdsb:Document/@id: the ExtrinsicObject's id (symbolic or urn:uuid)
  // The Content-ID of its MIME part (xop:Include/@href without "cid:", %-decoded per
  // RFC 2392); empty when the content is inline.
  std::string include_cid;
  std::string inline_bytes;  // base64-decoded inline content (no XOP); empty otherwise
};

// xdsb:ProvideAndRegisterDocumentSetRequest, decoded.
struct ProvideAndRegisterRequest {
  SubmitObjectsRequest submission;
  std::vector<ProvidedDocument> documents;  // in document order
};

// Errors (kInvalidArgument): a Body other than xdsb:ProvideAndRegisterDocumentSetRequest, one
// that does not start with lcm:SubmitObjectsRequest, or another element than xdsb:Document
// after it (detail XDSRepositoryError); the metadata errors of DecodeSubmitObjectsRequest
// (same codes); an xdsb:Document without id (location "Document[n]"), with both an
// xop:Include and text, with an xop:Include without a cid: href, or with invalid base64
// (whitespace is ignored) (detail XDSRepositoryMetadataError, location = the id). Matching
// documents to ExtrinsicObjects is the caller's job.
Result<ProvideAndRegisterRequest> DecodeProvideAndRegisterRequest(const SoapMessage& message);

// The client side: xdsb:ProvideAndRegisterDocumentSetRequest as XML text (namespaces
// declared on it). A document with include_cid becomes <xdsb:Document id=".."><xop:Include
// href="cid:.."/></xdsb:Document>, otherwise its inline_bytes in base64.
std::string EncodeProvideAndRegisterRequest(const ProvideAndRegisterRequest& request);

// One xdsb:DocumentRequest of ITI-43.
struct DocumentRequest {
  std::string home_community_id;  // optional
  std::string repository_unique_id;
  std::string document_unique_id;
};

// xdsb:RetrieveDocumentSetRequest. Errors (kInvalidArgument, detail XDSRepositoryError): a
// Body other than that element, no DocumentRequest, a DocumentRequest without
// RepositoryUniqueId or DocumentUniqueId, or with its elements out of the schema's order
// (HomeCommunityId?, RepositoryUniqueId, DocumentUniqueId) or unknown ones (location: its
// position, "DocumentRequest[2]"). Values are read with surrounding whitespace trimmed.
Result<std::vector<DocumentRequest>> DecodeRetrieveDocumentSetRequest(const SoapMessage& message);
std::string EncodeRetrieveDocumentSetRequest(const std::vector<DocumentRequest>& requests);

// One xdsb:DocumentRequest of RAD-69 (RAD TF-3 4.69.4.1.2; XDSI.b_ImagingDocumentSource.xsd),
// with the study and series it sits in. document.document_unique_id is a SOP Instance UID.
struct ImagingDocumentRequest {
  std::string study_instance_uid;   // iherad:StudyRequest/@studyInstanceUID (may be empty)
  std::string series_instance_uid;  // iherad:SeriesRequest/@seriesInstanceUID (may be empty)
  DocumentRequest document;
};

// iherad:RetrieveImagingDocumentSetRequest, decoded.
struct RetrieveImagingDocumentSetRequest {
  std::vector<ImagingDocumentRequest> documents;  // in document order
  // The transfer syntaxes the consumer takes, in its order of preference, as written (an
  // empty element stays an empty string: the retrieve answers it, not the decoder).
  std::vector<std::string> transfer_syntax_uids;
};

// Errors (kInvalidArgument, detail XDSRepositoryError): a Body other than that element, no
// StudyRequest, a StudyRequest without SeriesRequest, a SeriesRequest without
// DocumentRequest (its DocumentRequests read as ITI-43's), an element out of the schema's
// order or unknown, no TransferSyntaxUIDList or one without TransferSyntaxUID. Missing or
// empty study / series UID attributes are kept empty.
Result<RetrieveImagingDocumentSetRequest> DecodeRetrieveImagingDocumentSetRequest(
    const SoapMessage& message);
std::string EncodeRetrieveImagingDocumentSetRequest(const RetrieveImagingDocumentSetRequest& request);

// One xdsb:DocumentResponse.
struct RetrievedDocument {
  std::string home_community_id;  // optional
  std::string repository_unique_id;
  std::string document_unique_id;
  std::string mime_type;
  std::string include_cid;   // xop:Include of the content (MTOM)
  std::string inline_bytes;  // decoded inline content (a response without XOP)
};

// xdsb:RetrieveDocumentSetResponse (namespaces declared on it): rs:RegistryResponse with
// status Success (no errors), PartialSuccess (documents and errors) or Failure (errors, no
// documents) and its RegistryErrorList, then one DocumentResponse per document with an
// xop:Include of its include_cid (href %-encoded per RFC 2392), or, when include_cid is
// empty, its inline_bytes in base64.
std::string EncodeRetrieveDocumentSetResponse(const std::vector<RetrievedDocument>& documents,
                                              const RegistryErrorList& errors);

// What a registry or repository answered: rs:RegistryResponse (ITI-41/42/57/62 answers)
// or the RegistryResponse inside xdsb:RetrieveDocumentSetResponse, with its documents.
struct RegistryResponse {
  std::string status;  // full ResponseStatusType URN
  RegistryErrorList errors;
  std::vector<RetrievedDocument> documents;  // ITI-43 only
  bool success() const;                      // status ends with ":Success"
};

// Decodes the Body of a response message. kInvalidArgument (detail XDSRegistryError) for a
// SOAP Fault (its reason in the message) or an element other than rs:RegistryResponse /
// xdsb:RetrieveDocumentSetResponse, no valid status, a status no responder may send
// (Failure without an error of severity Error, Success with one), or a DocumentResponse
// that breaks the schema (location "DocumentResponse[n]"; content as for ITI-41). The
// On-Demand NewRepositoryUniqueId / NewDocumentUniqueId are accepted and not kept.
Result<RegistryResponse> DecodeRegistryResponse(const SoapMessage& message);

}  // namespace renkei::xds

#endif  // RENKEI_XDS_REPOSITORY_CODEC_H_
