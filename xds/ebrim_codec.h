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

// lcm:SubmitObjectsRequest (ITI-42 and ITI-57).
Result<SubmitObjectsRequest> DecodeSubmitObjectsRequest(const SoapMessage& message);
// query:AdhocQueryRequest (ITI-18).
Result<AdhocQueryRequest> DecodeAdhocQueryRequest(const SoapMessage& message);
// lcm:RemoveObjectsRequest (ITI-62).
Result<RemoveObjectsRequest> DecodeRemoveObjectsRequest(const SoapMessage& message);

// Also usable without SOAP (a bare lcm:SubmitObjectsRequest document), for tools and tests.
Result<SubmitObjectsRequest> DecodeSubmitObjectsRequestXml(std::string_view xml);
Result<AdhocQueryRequest> DecodeAdhocQueryRequestXml(std::string_view xml);

// One rim:ExtrinsicObject / rim:RegistryPackage / rim:Association element with prefix
// "rim:" and no namespace declaration and *no status attribute* (see RegistryStore); the
// response encoders declare xmlns:rim and insert the status.
std::string EncodeRegistryObject(const RegistryObject& object);
// Decodes such a fragment back (ITI-57 needs the previous version's full metadata).
Result<RegistryObject> DecodeRegistryObjectFragment(std::string_view fragment);

// rs:RegistryResponse with status derived from the errors (Failure when any has severity
// Error, else Success; PartialSuccess when `partial`).
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
