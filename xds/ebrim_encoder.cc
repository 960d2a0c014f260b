// ebRIM 3.0 / ebRS 3.0 encoders (OASIS regrep 3.0 rim.xsd, rs.xsd, query.xsd; ITI TF-3
// §4.2.4 response status and RegistryErrorList, ITI TF-2 §3.18.4.1.3 LeafClass/ObjectRef
// answers): registry-object fragments, rs:RegistryResponse, query:AdhocQueryResponse.
// Strings are built directly (no DOM): a LeafClass answer is mostly a concatenation.
#include "xds/ebrim_codec.h"
#include "xds/internal/ebrim_names.h"
#include "xds/internal/leaf_fragment.h"
#include "xds/internal/xml_escape.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using internal::AppendAttribute;
using internal::AppendEscapedText;
namespace n = internal;

constexpr std::string_view kRim = "rim:";

void OpenTag(std::string* out, const char* local) {
  out->push_back('<');
  out->append(kRim);
  out->append(local);
}

void CloseTag(std::string* out, const char* local) {
  out->append("</");
  out->append(kRim);
  out->append(local);
  out->push_back('>');
}

void AppendSlot(std::string* out, const Slot& slot) {
  OpenTag(out, n::kElSlot);
  AppendAttribute(out, n::kAtName, slot.name);
  if (!slot.slot_type.empty()) AppendAttribute(out, n::kAtSlotType, slot.slot_type);
  out->push_back('>');
  OpenTag(out, n::kElValueList);
  out->push_back('>');
  for (const std::string& v : slot.values) {
    OpenTag(out, n::kElValue);
    out->push_back('>');
    AppendEscapedText(out, v);
    CloseTag(out, n::kElValue);
  }
  CloseTag(out, n::kElValueList);
  CloseTag(out, n::kElSlot);
}

void AppendInternationalString(std::string* out, const char* element,
                               const InternationalString& s) {
  if (s.empty()) return;
  OpenTag(out, element);
  out->push_back('>');
  for (const LocalizedString& ls : s.strings) {
    OpenTag(out, n::kElLocalizedString);
    if (!ls.lang.empty()) AppendAttribute(out, n::kAtLang, ls.lang);
    if (!ls.charset.empty()) AppendAttribute(out, n::kAtCharset, ls.charset);
    AppendAttribute(out, n::kAtValue, ls.value);
    out->append("/>");
  }
  CloseTag(out, element);
}

void AppendClassification(std::string* out, const Classification& c) {
  OpenTag(out, n::kElClassification);
  if (!c.id.empty()) AppendAttribute(out, n::kAtId, c.id);
  AppendAttribute(out, n::kAtObjectType, kObjectTypeClassification);
  if (!c.classification_scheme.empty()) {
    AppendAttribute(out, n::kAtClassificationScheme, c.classification_scheme);
  }
  if (!c.classification_node.empty()) {
    AppendAttribute(out, n::kAtClassificationNode, c.classification_node);
  }
  AppendAttribute(out, n::kAtClassifiedObject, c.classified_object);
  // External classifications always carry nodeRepresentation (empty for author).
  if (!c.classification_scheme.empty() || !c.node_representation.empty()) {
    AppendAttribute(out, n::kAtNodeRepresentation, c.node_representation);
  }
  if (c.slots.empty() && c.name.empty()) {
    out->append("/>");
    return;
  }
  out->push_back('>');
  for (const Slot& s : c.slots) AppendSlot(out, s);
  AppendInternationalString(out, n::kElName, c.name);
  CloseTag(out, n::kElClassification);
}

void AppendExternalIdentifier(std::string* out, const ExternalIdentifier& e) {
  OpenTag(out, n::kElExternalIdentifier);
  if (!e.id.empty()) AppendAttribute(out, n::kAtId, e.id);
  AppendAttribute(out, n::kAtObjectType, kObjectTypeExternalIdentifier);
  AppendAttribute(out, n::kAtIdentificationScheme, e.identification_scheme);
  AppendAttribute(out, n::kAtRegistryObject, e.registry_object);
  AppendAttribute(out, n::kAtValue, e.value);
  if (e.name.empty()) {
    out->append("/>");
    return;
  }
  out->push_back('>');
  AppendInternationalString(out, n::kElName, e.name);
  CloseTag(out, n::kElExternalIdentifier);
}

size_t SizeOf(const InternationalString& s) {
  size_t size = 0;
  for (const LocalizedString& ls : s.strings) size += 64 + ls.value.size();
  return size;
}

size_t SizeOf(const std::vector<Slot>& slots) {
  size_t size = 0;
  for (const Slot& s : slots) {
    size += 64 + s.name.size();
    for (const std::string& v : s.values) size += 24 + v.size();
  }
  return size;
}

// A generous estimate of the encoded size, so that one allocation is usually enough.
size_t EstimateSize(const RegistryObject& o) {
  size_t size = 512 + o.id.size() + o.lid.size() + o.object_type.size() + o.home.size() +
                o.mime_type.size() + o.association_type.size() + o.source_object.size() +
                o.target_object.size() + SizeOf(o.name) + SizeOf(o.description) + SizeOf(o.slots);
  for (const Classification& c : o.classifications) {
    size += 256 + c.id.size() + c.classified_object.size() + c.node_representation.size() +
            SizeOf(c.slots) + SizeOf(c.name);
  }
  for (const ExternalIdentifier& e : o.external_identifiers) {
    size += 256 + e.id.size() + e.registry_object.size() + e.value.size() + SizeOf(e.name);
  }
  return size;
}

const char* ElementOf(ObjectKind kind) {
  switch (kind) {
    case ObjectKind::kExtrinsicObject:
      return n::kElExtrinsicObject;
    case ObjectKind::kRegistryPackage:
      return n::kElRegistryPackage;
    case ObjectKind::kAssociation:
      return n::kElAssociation;
  }
  return n::kElExtrinsicObject;
}

const char* SeverityUrn(Severity s) {
  return s == Severity::kError ? kSeverityError : kSeverityWarning;
}

bool HasError(const RegistryErrorList& errors) {
  for (const RegistryError& e : errors) {
    if (e.severity == Severity::kError) return true;
  }
  return false;
}

void AppendErrorList(std::string* out, const RegistryErrorList& errors) {
  if (errors.empty()) return;
  out->append("<rs:RegistryErrorList");
  AppendAttribute(out, n::kAtHighestSeverity,
                  SeverityUrn(HasError(errors) ? Severity::kError : Severity::kWarning));
  out->push_back('>');
  for (const RegistryError& e : errors) {
    out->append("<rs:RegistryError");
    AppendAttribute(out, n::kAtErrorCode, e.error_code);
    AppendAttribute(out, n::kAtCodeContext, e.code_context);
    if (!e.location.empty()) AppendAttribute(out, n::kAtLocation, e.location);
    AppendAttribute(out, n::kAtSeverity, SeverityUrn(e.severity));
    out->append("/>");
  }
  out->append("</rs:RegistryErrorList>");
}

size_t EstimateSize(const RegistryErrorList& errors) {
  size_t size = 0;
  for (const RegistryError& e : errors) {
    size += 192 + e.error_code.size() + e.code_context.size() + e.location.size();
  }
  return size;
}

// ITI TF-2 §3.18.4.1.3: errors and no answer → Failure; errors and answers →
// PartialSuccess; warnings alone do not change Success.
const char* QueryStatus(const RegistryErrorList& errors, bool has_objects) {
  if (!HasError(errors)) return kResponseSuccess;
  return has_objects ? kResponsePartialSuccess : kResponseFailure;
}

// <query:AdhocQueryResponse xmlns:... status="..."> [errors] <rim:RegistryObjectList>
void AppendQueryResponseStart(std::string* out, const char* status,
                              const RegistryErrorList& errors) {
  out->append("<query:AdhocQueryResponse xmlns:query=\"");
  out->append(kNsQuery);
  out->append("\" xmlns:rim=\"");
  out->append(kNsRim);
  out->append("\" xmlns:rs=\"");
  out->append(kNsRs);
  out->push_back('"');
  AppendAttribute(out, n::kAtStatus, status);
  out->push_back('>');
  AppendErrorList(out, errors);
  out->append("<rim:RegistryObjectList>");
}

constexpr std::string_view kQueryResponseEnd =
    "</rim:RegistryObjectList></query:AdhocQueryResponse>";

}  // namespace

std::string EncodeRegistryObject(const RegistryObject& o) {
  std::string out;
  out.reserve(EstimateSize(o));
  const char* element = ElementOf(o.kind);
  OpenTag(&out, element);
  AppendAttribute(&out, n::kAtId, o.id);
  if (!o.lid.empty()) AppendAttribute(&out, n::kAtLid, o.lid);
  if (!o.object_type.empty()) AppendAttribute(&out, n::kAtObjectType, o.object_type);
  if (!o.home.empty()) AppendAttribute(&out, n::kAtHome, o.home);
  switch (o.kind) {
    case ObjectKind::kExtrinsicObject:
      if (!o.mime_type.empty()) AppendAttribute(&out, n::kAtMimeType, o.mime_type);
      AppendAttribute(&out, n::kAtIsOpaque, o.is_opaque ? "true" : "false");
      break;
    case ObjectKind::kAssociation:
      AppendAttribute(&out, n::kAtAssociationType, o.association_type);
      AppendAttribute(&out, n::kAtSourceObject, o.source_object);
      AppendAttribute(&out, n::kAtTargetObject, o.target_object);
      break;
    case ObjectKind::kRegistryPackage:
      break;
  }
  if (o.slots.empty() && o.name.empty() && o.description.empty() && o.version_name.empty() &&
      o.classifications.empty() && o.external_identifiers.empty()) {
    out.append("/>");
    return out;
  }
  out.push_back('>');
  // rim.xsd RegistryObjectType order.
  for (const Slot& s : o.slots) AppendSlot(&out, s);
  AppendInternationalString(&out, n::kElName, o.name);
  AppendInternationalString(&out, n::kElDescription, o.description);
  if (!o.version_name.empty()) {
    OpenTag(&out, n::kElVersionInfo);
    AppendAttribute(&out, n::kAtVersionName, o.version_name);
    out.append("/>");
  }
  for (const Classification& c : o.classifications) AppendClassification(&out, c);
  for (const ExternalIdentifier& e : o.external_identifiers) AppendExternalIdentifier(&out, e);
  CloseTag(&out, element);
  return out;
}

std::string EncodeRegistryResponse(const RegistryErrorList& errors, bool partial) {
  const char* status = partial            ? kResponsePartialSuccess
                       : HasError(errors) ? kResponseFailure
                                          : kResponseSuccess;
  std::string out;
  out.reserve(256 + EstimateSize(errors));
  out.append("<rs:RegistryResponse xmlns:rs=\"");
  out.append(kNsRs);
  out.push_back('"');
  AppendAttribute(&out, n::kAtStatus, status);
  if (errors.empty()) {
    out.append("/>");
    return out;
  }
  out.push_back('>');
  AppendErrorList(&out, errors);
  out.append("</rs:RegistryResponse>");
  return out;
}

std::string EncodeAdhocQueryRequest(const AdhocQueryRequest& request) {
  std::string out = "<query:AdhocQueryRequest xmlns:query=\"";
  out.append(kNsQuery);
  out.append("\" xmlns:rim=\"");
  out.append(kNsRim);
  out.append("\"><query:ResponseOption");
  AppendAttribute(&out, n::kAtReturnComposedObjects,
                  request.return_composed_objects ? "true" : "false");
  AppendAttribute(&out, n::kAtReturnType, request.return_type);
  out.append("/><rim:AdhocQuery");
  AppendAttribute(&out, n::kAtId, request.query_id);
  if (!request.home.empty()) AppendAttribute(&out, n::kAtHome, request.home);
  out.push_back('>');
  for (const Slot& slot : request.params) AppendSlot(&out, slot);
  out.append("</rim:AdhocQuery></query:AdhocQueryRequest>");
  return out;
}

std::string EncodeAdhocQueryResponseLeafClass(const std::vector<LeafObject>& objects,
                                              const RegistryErrorList& errors) {
  size_t size = 512 + EstimateSize(errors);
  for (const LeafObject& o : objects) size += o.fragment.size() + o.status.size() + 16;
  std::string out;
  out.reserve(size);
  AppendQueryResponseStart(&out, QueryStatus(errors, !objects.empty()), errors);
  for (const LeafObject& o : objects) {
    internal::AppendFragmentWithStatus(&out, o.fragment, o.status);
  }
  out.append(kQueryResponseEnd);
  return out;
}

std::string EncodeAdhocQueryResponseObjectRef(const std::vector<std::string>& object_refs,
                                              const RegistryErrorList& errors) {
  size_t size = 512 + EstimateSize(errors);
  for (const std::string& id : object_refs) size += id.size() + 32;
  std::string out;
  out.reserve(size);
  AppendQueryResponseStart(&out, QueryStatus(errors, !object_refs.empty()), errors);
  for (const std::string& id : object_refs) {
    OpenTag(&out, n::kElObjectRef);
    AppendAttribute(&out, n::kAtId, id);
    out.append("/>");
  }
  out.append(kQueryResponseEnd);
  return out;
}

}  // namespace renkei::xds
