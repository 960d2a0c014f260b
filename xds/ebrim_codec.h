// ebRIM 3.0 / ebRS 3.0 / lcm / query codecs (OASIS regrep 3.0 as profiled by ITI TF-3
// §4.2, ITI TF-2 §3.18, §3.42, §3.57, §3.62). Decoders take the Body of a parsed
// SoapMessage and produce the plain types of xds/rim.h; encoders write XML text.
// Decode errors are Status values with an XDS detail code (XDSRegistryMetadataError for
// structural problems in metadata, XDSRegistryError otherwise) and a location.
#ifndef RENKEI_XDS_EBRIM_CODEC_H_
#define RENKEI_XDS_EBRIM_CODEC_H_

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "xds/rim.h"
#include "xds/soap.h"
#include "xds/xds_errors.h"

namespace renkei::xds {

// Decoding rules shared by the decoders below:
// - elements are matched by namespace URI + local name (any prefix, default namespaces);
// - rim:RegistryObjectType content must follow the ebRIM 3.0 order Slot*, Name?,
//   Description?, VersionInfo?, Classification*, ExternalIdentifier* (then the derived
//   type's own element); otherwise XDSRegistryMetadataError (XDSRegistryError inside an
//   AdhocQuery / RemoveObjectsRequest) with location = the enclosing object's id;
// - a Classification needs classificationScheme or classificationNode, an
//   ExternalIdentifier identificationScheme and a non-empty value, an Association its
//   three attributes, a Slot a name: else XDSRegistryMetadataError at the object's id;
// - URN-valued attributes (classificationScheme, classificationNode, identificationScheme,
//   objectType, status, associationType, AdhocQuery id, deletionScope) are read with any
//   whitespace removed (URNs contain none; line-wrapped values occur in real messages);
//   every other value, including rim:Value text, is kept verbatim;
// - a Body element other than the one the decoder expects is kInvalidArgument with
//   detail XDSRegistryError.

// lcm:SubmitObjectsRequest (ITI-42 and ITI-57). Also accepts it wrapped in
// xdsb:ProvideAndRegisterDocumentSetRequest (ITI-41), whose xdsb:Document parts are ignored.
Result<SubmitObjectsRequest> DecodeSubmitObjectsRequest(const SoapMessage& message);
// query:AdhocQueryRequest (ITI-18). returnType defaults to "RegistryObject" (query.xsd)
// when absent; the stored-query layer decides what it accepts.
Result<AdhocQueryRequest> DecodeAdhocQueryRequest(const SoapMessage& message);
// lcm:RemoveObjectsRequest (ITI-62). An rim:AdhocQuery selecting the objects is refused
// (XDSRegistryError): ITI-62 names them in rim:ObjectRefList.
Result<RemoveObjectsRequest> DecodeRemoveObjectsRequest(const SoapMessage& message);

// query:AdhocQueryResponse (the document consumer's side of ITI-18): the objects, object
// references and the rs:RegistryErrorList (appended to `errors`). kInvalidArgument with
// detail XDSRegistryError for a Body that is a SOAP Fault (its reason in the message) or
// another element, and for a response no registry may send: no valid status, Failure
// without an error, Success with an error of severity Error, a LeafClass object without
// status or an ExtrinsicObject without objectType. Objects are decoded by the rules above.
Result<AdhocQueryResponse> DecodeAdhocQueryResponse(const SoapMessage& message,
                                                    RegistryErrorList* errors);
Result<AdhocQueryResponse> DecodeAdhocQueryResponseXml(std::string_view xml,
                                                       RegistryErrorList* errors);

// query:AdhocQueryRequest as XML text (namespaces declared on it): ResponseOption with
// returnType and returnComposedObjects, rim:AdhocQuery with its id, home and one rim:Slot
// per parameter (values verbatim: quoted and parenthesised as ITI-18 wants them).
std::string EncodeAdhocQueryRequest(const AdhocQueryRequest& request);

// Also usable without SOAP (a bare lcm:SubmitObjectsRequest document), for tools and tests.
// Limits are SoapLimits{}; malformed XML is kInvalidArgument with detail XDSRegistryError.
Result<SubmitObjectsRequest> DecodeSubmitObjectsRequestXml(std::string_view xml);
Result<AdhocQueryRequest> DecodeAdhocQueryRequestXml(std::string_view xml);

// One rim:ExtrinsicObject / rim:RegistryPackage / rim:Association element with prefix
// "rim:" and no namespace declaration and *no status attribute* (see RegistryStore); the
// response encoders declare xmlns:rim and insert the status.
std::string EncodeRegistryObject(const RegistryObject& object);
// Decodes such a fragment back (ITI-57 needs the previous version's full metadata).
Result<RegistryObject> DecodeRegistryObjectFragment(std::string_view fragment);

// rs:RegistryResponse with status derived from the errors (Failure when any has severity
// Error, else Success; PartialSuccess when `partial`, whatever the errors). A non-empty list
// becomes rs:RegistryErrorList with highestSeverity.
std::string EncodeRegistryResponse(const RegistryErrorList& errors, bool partial = false);

// One object of a query answer: its stored fragment and current status.
struct LeafObject {
  std::string_view fragment;  // from EncodeRegistryObject
  std::string_view status;    // StatusType URN
};

// query:AdhocQueryResponse. LeafClass: the objects in order; ObjectRef: `object_refs`.
// With errors of severity Error and no objects the status is Failure; errors plus objects
// give PartialSuccess.
std::string EncodeAdhocQueryResponseLeafClass(const std::vector<LeafObject>& objects,
                                              const RegistryErrorList& errors);
std::string EncodeAdhocQueryResponseObjectRef(const std::vector<std::string>& object_refs,
                                              const RegistryErrorList& errors);

}  // namespace renkei::xds

#endif  // RENKEI_XDS_EBRIM_CODEC_H_
