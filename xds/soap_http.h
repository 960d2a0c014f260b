// The SOAP 1.2 HTTP binding details every SOAP endpoint shares (SOAP 1.2 Part 2 §7; ITI
// TF-2 Appendix V): the Content-Type with its action parameter and the HTTP status of a
// Fault. No HTTP library here: the endpoints send.
#ifndef RENKEI_XDS_SOAP_HTTP_H_
#define RENKEI_XDS_SOAP_HTTP_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace renkei::xds {

// application/soap+xml; charset=UTF-8; action="ACTION"
std::string SoapContentType(std::string_view action);

// The HTTP status of the Fault ToSoapFault(status) gives: Sender faults 400, Receiver and
// VersionMismatch faults 500 (SOAP 1.2 Part 2 §7.5.2.2), and 413 for kResourceExhausted so a
// client can tell an oversized request apart.
int SoapFaultHttpStatus(const Status& status);

}  // namespace renkei::xds

#endif  // RENKEI_XDS_SOAP_HTTP_H_
