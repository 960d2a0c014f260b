// Internal to profiles/: the FHIR R4 JSON building blocks of the MHD mapping
// (profiles/mhd_mapping.h): MHD canonical URLs, RapidJSON read/write helpers, identifiers,
// codes, times, HL7 v2 XCN / XON / XTN / CX ⇄ Practitioner / Organization / ContactPoint /
// Identifier, and ebRIM object builders. RapidJSON stays behind this header and the
// profiles/mhd_*.cc files.
//
// Thread-safety: pure functions.
#ifndef RENKEI_PROFILES_INTERNAL_MHD_JSON_H_
#define RENKEI_PROFILES_INTERNAL_MHD_JSON_H_

#include <rapidjson/document.h>

#include <string>
#include <vector>

#include "common/status.h"
#include "xds/metadata.h"
#include "xds/rim.h"

namespace renkei::profiles::internal {

using Json = rapidjson::Value;
using Alloc = rapidjson::Document::AllocatorType;

// --- MHD 4.2 canonical URLs (https://profiles.ihe.net/ITI/MHD/)
inline constexpr char kProfileComprehensiveBundle[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Comprehensive.ProvideBundle";
inline constexpr char kProfileMinimalBundle[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.ProvideBundle";
inline constexpr char kProfileUnContainedBundle[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/"
    "IHE.MHD.UnContained.Comprehensive.ProvideBundle";
inline constexpr char kProfileComprehensiveDocRef[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Comprehensive.DocumentReference";
inline constexpr char kProfileMinimalDocRef[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.DocumentReference";
inline constexpr char kProfileComprehensiveSubmissionSet[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Comprehensive.SubmissionSet";
inline constexpr char kProfileMinimalSubmissionSet[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.SubmissionSet";
inline constexpr char kProfileComprehensiveFolder[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Comprehensive.Folder";
inline constexpr char kProfileMinimalFolder[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/IHE.MHD.Minimal.Folder";
inline constexpr char kExtDesignationType[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-designationType";
inline constexpr char kExtSourceId[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId";
inline constexpr char kExtIntendedRecipient[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-intendedRecipient";
inline constexpr char kExtAuthorOrg[] =
    "https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-authorOrg";
inline constexpr char kListTypesSystem[] =
    "https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes";
inline constexpr char kListCodeSubmissionSet[] = "submissionset";
inline constexpr char kListCodeFolder[] = "folder";
// ITI TF-2 Appendix E.3: OIDs and UUIDs as FHIR Identifier values.
inline constexpr char kSystemRfc3986[] = "urn:ietf:rfc:3986";
inline constexpr char kUrnOid[] = "urn:oid:";
inline constexpr char kUrnUuid[] = "urn:uuid:";

// --- errors (detail = FHIR issue type, location = element path)
Status Invalid(const std::string& message, const std::string& location);
Status Required(const std::string& message, const std::string& location);
Status CodeInvalid(const std::string& message, const std::string& location);
Status NotFound(const std::string& message, const std::string& location);
Status NotSupported(const std::string& message, const std::string& location);

// --- reading: members of the wrong type read as absent
std::string Str(const Json& obj, const char* key);
const Json* Member(const Json& obj, const char* key);
const Json* Array(const Json& obj, const char* key);
const Json* Object(const Json& obj, const char* key);
// The contained resource a "#id" reference names, or nullptr.
const Json* FindContained(const Json& resource, const std::string& reference);
// The value[x] Json of the first extension with this url, and all of them.
const Json* Extension(const Json& obj, const char* url, const char* value_key);
std::vector<const Json*> Extensions(const Json& obj, const char* url, const char* value_key);

// --- writing
Json Text(const std::string& s, Alloc& a);
void Put(Json& obj, const char* key, const std::string& value, Alloc& a);  // skips ""
void Put(Json& obj, const char* key, Json&& value, Alloc& a);
std::string Write(const Json& value);
Json Reference(const std::string& reference, Alloc& a);
Json ExtensionJson(const char* url, const char* value_key, Json&& value, Alloc& a);

// --- identifiers
bool IsOid(const std::string& s);
bool IsUuid(const std::string& s);  // 8-4-4-4-12 hex, no prefix
// "urn:uuid:x" → "x" (ids of resources); other text unchanged.
std::string ResourceIdOf(const std::string& entry_uuid);
// XDS uniqueId / sourceId → URI: OID → urn:oid:, UUID → urn:uuid:, anything else as is.
std::string UriOfXdsId(const std::string& id);
std::string XdsIdOfUri(const std::string& uri);
Json IdentifierJson(const char* use, const std::string& system, const std::string& value, Alloc& a);
// XDS uniqueId → Identifier (system urn:ietf:rfc:3986, or urn:oid:root + extension for
// "root^extension"), and back; "" when the Identifier has no value.
Json UniqueIdIdentifier(const char* use, const std::string& unique_id, Alloc& a);
std::string UniqueIdOf(const Json& identifier);

// --- codes: codingScheme OID ⇄ FHIR system URI (well-known ones, else urn:oid:)
std::string SystemOfScheme(const std::string& scheme);
std::string SchemeOfSystem(const std::string& system);
Json CodingJson(const xds::Code& code, Alloc& a);
Json CodeableConceptJson(const xds::Code& code, Alloc& a);
xds::Code CodeOfCoding(const Json& coding);
xds::Code CodeOfCodeableConcept(const Json& cc_json);  // first coding; "" code when none

// --- times: XDS DTM (UTC) ⇄ FHIR date / dateTime / instant
// `instant` pads to seconds (instant needs a full time).
std::string FhirTimeOfDtm(const std::string& dtm, bool instant);
// "" → ""; offsets are normalised to UTC; fractions of a second are dropped.
Result<std::string> DtmOfFhirTime(const std::string& fhir, const std::string& location);

// --- HL7 v2 data types (ITI TF-3 §4.2.3.1.7) ⇄ FHIR
// CX value^^^&oid&ISO ⇄ Identifier system urn:oid:oid; a system that is no urn:oid: is
// carried as a URI-typed HD (value^^^&system&URI). CxOfIdentifier is "" without value or
// system; IsIsoCx tells whether a CX has an ISO (OID) assigning authority, as an XDS
// patientId needs.
Json IdentifierOfCx(const std::string& cx, Alloc& a);
std::string CxOfIdentifier(const Json& identifier);
bool IsIsoCx(const std::string& cx);
Json PractitionerOfXcn(const std::string& id, const std::string& xcn, Alloc& a);
std::string XcnOfPractitioner(const Json& practitioner);
Json OrganizationOfXon(const std::string& id, const std::string& xon, Alloc& a);
std::string XonOfOrganization(const Json& organization);
Json TelecomOfXtn(const std::string& xtn, Alloc& a);  // null Json when not email / phone
std::string XtnOfTelecom(const Json& contact_point);
Json ConceptOfCwe(const std::string& cwe, Alloc& a);  // authorRole / authorSpecialty
std::string CweOfConcept(const Json& cc_json);

// --- authors (DocumentReference.author, List.source) and intended recipients
// Adds the contained resources of `author` (ids prefix + "-person" / "-org" / "-role") and
// returns the reference to put in author[]: PractitionerRole when a person or organization
// comes with a role, specialty or both; else Practitioner or Organization.
Json AuthorReference(const xds::Author& author, const std::string& prefix, Json& contained,
                     Alloc& a);
// The author a "#id" reference names. Invalid when it is not contained (UnContained
// References option) or not a Practitioner / PractitionerRole / Organization.
Result<xds::Author> AuthorOfReference(const Json& resource, const Json& reference,
                                      const std::string& location);
// intendedRecipient "XON|XCN|XTN" (ITI TF-3 §4.2.3.3.10) ⇄ contained resources.
Json RecipientReference(const std::string& recipient, const std::string& prefix, Json& contained,
                        Alloc& a);
Result<std::string> RecipientOfReference(const Json& resource, const Json& reference,
                                         const std::string& location);

// --- ebRIM object building (the same encodings as xds/submission_builder.cc)
xds::InternationalString XdsText(const std::string& s);
void AddSlot(xds::RegistryObject& o, const char* name, const std::string& value);
void AddSlotValues(xds::RegistryObject& o, const char* name,
                   const std::vector<std::string>& values);
void AddCode(xds::RegistryObject& o, const char* scheme, const xds::Code& code);
void AddAuthor(xds::RegistryObject& o, const char* scheme, const xds::Author& author);
void AddExternalId(xds::RegistryObject& o, const char* scheme, const std::string& value,
                   const char* name);
void AddNode(xds::RegistryObject& o, const char* node);

}  // namespace renkei::profiles::internal

#endif  // RENKEI_PROFILES_INTERNAL_MHD_JSON_H_
