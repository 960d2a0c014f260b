// DICOM PS3.15 A.5.1 Audit Message XML (the IHE ATNA / ITI-20 payload): encode an
// AuditEvent as an <AuditMessage>, decode one at the edge into an AuditEvent.
//
// Coded values are written the current DICOM way (csd-code, codeSystemName, originalText)
// and read in that form or the older RFC 3881 one (code, displayName). Elements the model
// does not hold (ParticipantObjectDescription, MediaIdentifier, ...) are skipped when
// decoding. ParticipantObjectQuery and ParticipantObjectDetail@value are base64 on the wire,
// raw bytes in the model.
//
// Thread-safety: pure functions.
#ifndef RENKEI_AUDIT_DICOM_AUDIT_XML_H_
#define RENKEI_AUDIT_DICOM_AUDIT_XML_H_

#include <string>
#include <string_view>

#include "audit/audit_event.h"
#include "common/status.h"

namespace renkei::audit {

// The message as UTF-8 XML with an XML declaration.
std::string EncodeDicomAuditXml(const AuditEvent& event);

// Decodes `xml` (a leading UTF-8 BOM is allowed). InvalidArgument (detail "audit.xml") when
// it is no well-formed XML, its root is not AuditMessage, a value is malformed (a non-numeric
// code, bad base64), or the message breaks the rules of Validate (audit/audit_event.h).
Result<AuditEvent> DecodeDicomAuditXml(std::string_view xml);

}  // namespace renkei::audit

#endif  // RENKEI_AUDIT_DICOM_AUDIT_XML_H_
