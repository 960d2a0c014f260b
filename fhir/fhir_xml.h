// FHIR R4 XML <-> JSON for the resources Renkei's FHIR endpoints read and answer (FHIR R4
// §2.6 xml.html and json.html: the same content, two syntaxes), so that every endpoint is
// written once against JSON and a client may speak either (PIXm and PDQm Managers/Suppliers
// shall support both encodings).
//
// JSON -> XML is general: object members become child elements in their JSON order (the
// JSON writers of Renkei emit elements in FHIR's definition order, which FHIR XML
// requires), primitives become value attributes, `_name` companions become the element's
// id attribute and extension children, element `id` and Extension `url` become
// attributes, resources nested in `resource`/`contained` are wrapped in an element named
// by their resourceType, Narrative `div` is copied as XHTML.
//
// XML -> JSON needs what XML does not say: which elements repeat (JSON arrays) and which
// primitives are booleans or numbers. It knows this for the resources Renkei reads
// (Parameters, Patient, the MHD ITI-65 resources DocumentReference, List, Binary,
// Practitioner, Organization, PractitionerRole, and the Bundle / OperationOutcome /
// CapabilityStatement it writes;
// see kRepeating in fhir_xml.cc); an element that occurs twice is an array in any case.
// An element of these resources missing from the table that occurs once becomes an object
// where FHIR JSON has a one-item array, which the JSON decoders then refuse (never
// silently misread).
//
// Errors: InvalidArgument (detail "invalid") for malformed input, a root that is not a
// FHIR resource, a DOCTYPE, or a value that cannot be converted.
// Thread-safety: pure functions.
#ifndef RENKEI_FHIR_FHIR_XML_H_
#define RENKEI_FHIR_FHIR_XML_H_

#include <string>
#include <string_view>

#include "common/status.h"

namespace renkei::fhir {

inline constexpr char kFhirNamespace[] = "http://hl7.org/fhir";
inline constexpr char kFhirXml[] = "application/fhir+xml; charset=utf-8";

Result<std::string> JsonToXml(std::string_view json);
Result<std::string> XmlToJson(std::string_view xml);

}  // namespace renkei::fhir

#endif  // RENKEI_FHIR_FHIR_XML_H_
