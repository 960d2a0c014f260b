// SOAP 1.2 message internals shared by xds/soap.cc and the ebRIM decoders (W3C SOAP 1.2
// Part 1 §5). Internal to xds/.
#ifndef RENKEI_XDS_INTERNAL_SOAP_IMPL_H_
#define RENKEI_XDS_INTERNAL_SOAP_IMPL_H_

#include <pugixml.hpp>
#include <string>

#include "xds/soap.h"

namespace renkei::xds {

struct SoapMessage::Impl {
  pugi::xml_document doc;       // owns every node below
  pugi::xml_node body_element;  // the one child element of soap:Body
  std::string action;
  std::string message_id;
  std::string body_namespace;
  std::string body_local_name;
};

}  // namespace renkei::xds

#endif  // RENKEI_XDS_INTERNAL_SOAP_IMPL_H_
