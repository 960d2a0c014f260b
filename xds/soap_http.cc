// SOAP 1.2 HTTP binding helpers (xds/soap_http.h).
#include "xds/soap_http.h"

#include "xds/soap.h"
#include "xds/xds_constants.h"

namespace renkei::xds {

std::string SoapContentType(std::string_view action) {
  return "application/soap+xml; charset=UTF-8; action=\"" + std::string(action) + "\"";
}

int SoapFaultHttpStatus(const Status& status) {
  if (status.code() == StatusCode::kResourceExhausted) return 413;
  return ToSoapFault(status).code == kFaultCodeSender ? 400 : 500;
}

}  // namespace renkei::xds
