// rs:RegistryErrorList decoding (ebRS 3.0 rs.xsd, ITI TF-3 §4.2.4), shared by the query and
// repository response decoders. Internal to xds/.
#ifndef RENKEI_XDS_INTERNAL_REGISTRY_ERROR_LIST_H_
#define RENKEI_XDS_INTERNAL_REGISTRY_ERROR_LIST_H_

#include <pugixml.hpp>

#include "common/status.h"
#include "xds/xds_errors.h"

namespace renkei::xds::internal {

// Appends one RegistryError per rs:RegistryError child of `list` (errorCode, codeContext
// (its text when the attribute is absent), location, severity: Warning when the URN is
// ErrorSeverityType:Warning, Error otherwise). Any other child is kInvalidArgument with
// detail XDSRegistryError. REQUIRES: `list` comes from a document parsed by ParseXml.
Status DecodeRegistryErrorList(pugi::xml_node list, RegistryErrorList* errors);

}  // namespace renkei::xds::internal

#endif  // RENKEI_XDS_INTERNAL_REGISTRY_ERROR_LIST_H_
