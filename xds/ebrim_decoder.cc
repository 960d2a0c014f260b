// ebRIM 3.0 / ebRS 3.0 request decoders (OASIS regrep 3.0 rim.xsd, lcm.xsd, query.xsd as
// profiled by ITI TF-3 §4.2): lcm:SubmitObjectsRequest (ITI-42, ITI-57),
// query:AdhocQueryRequest (ITI-18), lcm:RemoveObjectsRequest (ITI-62), and stored
// registry-object fragments.
#include <cstring>
#include <utility>

#include "xds/ebrim_codec.h"
#include "xds/internal/ebrim_names.h"
#include "xds/internal/registry_error_list.h"
#include "xds/internal/soap_impl.h"
#include "xds/internal/xml_reader.h"
#include "xds/xds_constants.h"

namespace renkei::xds {
namespace {

using internal::FirstElement;
using internal::IsElement;
using internal::LocalName;
using internal::NamespaceUri;
using internal::NextElement;
using internal::TextOf;
using internal::TrimXmlSpace;
namespace n = internal;  // element and attribute names

// Structural problems inside submitted metadata are XDSRegistryMetadataError (ITI TF-3
// §4.2.4); anything else wrong with a request is XDSRegistryError.
enum class ErrorClass { kMetadata, kRequest };

Status DecodeError(ErrorClass ec, std::string message, std::string location) {
  if (ec == ErrorClass::kMetadata) {
    return XdsStatus(XdsError::kRegistryMetadataError, std::move(message), std::move(location));
  }
  return Status::InvalidArgument(XdsErrorCode(XdsError::kRegistryError), std::move(message),
                                 std::move(location));
}

std::string Attr(pugi::xml_node node, const char* name) { return node.attribute(name).value(); }

// A referenceURI attribute that holds a URN (scheme, node, objectType, status, association
// type). RFC 8141 URNs contain no whitespace; values line-wrapped by an editor (seen in the
// IPF ebRS 3.0 vectors) are read with the whitespace removed.
std::string UrnAttr(pugi::xml_node node, const char* name) {
  const char* v = node.attribute(name).value();
  if (std::strpbrk(v, " \t\n\r") == nullptr) return v;
  std::string out;
  for (const char* p = v; *p; ++p) {
    if (*p != ' ' && *p != '\t' && *p != '\n' && *p != '\r') out.push_back(*p);
  }
  return out;
}

bool BoolAttr(pugi::xml_node node, const char* name) {
  std::string_view v = TrimXmlSpace(node.attribute(name).value());
  return v == "true" || v == "1";
}

std::string Describe(pugi::xml_node node) { return "<" + std::string(node.name()) + ">"; }

// rim:RegistryObjectType content (rim.xsd), in the order the schema requires.
enum Part {
  kPartSlot,
  kPartName,
  kPartDescription,
  kPartVersionInfo,
  kPartClassification,
  kPartExternalIdentifier,
  kPartExtension,  // the derived type's own element (e.g. ContentVersionInfo), ignored
  kPartUnknown,
};

struct ObjectContent {
  std::vector<Slot> slots;
  InternationalString name;
  InternationalString description;
  std::string version_name;
  std::vector<Classification> classifications;
  std::vector<ExternalIdentifier> external_identifiers;
};

class Decoder {
 public:
  explicit Decoder(ErrorClass ec) : ec_(ec) {}

  Status Error(std::string message, const std::string& location) const {
    return DecodeError(ec_, std::move(message), location);
  }

  // The content of a RegistryObjectType element. `extension` names the one element the
  // derived type adds after ExternalIdentifier* (or nullptr). `nested` = a Classification or
  // ExternalIdentifier: its own Classification/ExternalIdentifier children are not kept.
  Status Content(pugi::xml_node el, const std::string& location, const char* extension, bool nested,
                 ObjectContent* out) const {
    int stage = kPartSlot;
    bool seen_single = false;  // a singleton part at the current stage
    for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
      Part part = PartOf(c, extension);
      if (part == kPartUnknown) {
        return Error("unexpected element " + Describe(c) + " in " + Describe(el), location);
      }
      if (part < stage) {
        return Error(Describe(c) + " is out of order in " + Describe(el) +
                         ": ebRIM 3.0 requires Slot*, Name?, Description?, VersionInfo?, "
                         "Classification*, ExternalIdentifier*",
                     location);
      }
      bool single = part == kPartName || part == kPartDescription || part == kPartVersionInfo ||
                    part == kPartExtension;
      if (part == stage && single && seen_single) {
        return Error("more than one " + Describe(c) + " in " + Describe(el), location);
      }
      if (part != stage) seen_single = false;
      stage = part;
      if (single) seen_single = true;
      switch (part) {
        case kPartSlot: {
          out->slots.emplace_back();
          RENKEI_RETURN_IF_ERROR(DecodeSlot(c, location, &out->slots.back()));
          break;
        }
        case kPartName:
          RENKEI_RETURN_IF_ERROR(DecodeInternationalString(c, location, &out->name));
          break;
        case kPartDescription:
          RENKEI_RETURN_IF_ERROR(DecodeInternationalString(c, location, &out->description));
          break;
        case kPartVersionInfo:
          out->version_name = Attr(c, n::kAtVersionName);
          break;
        case kPartClassification: {
          Classification cl;
          RENKEI_RETURN_IF_ERROR(DecodeClassification(c, location, &cl));
          if (!nested) out->classifications.push_back(std::move(cl));
          break;
        }
        case kPartExternalIdentifier: {
          ExternalIdentifier ei;
          RENKEI_RETURN_IF_ERROR(DecodeExternalIdentifier(c, location, &ei));
          if (!nested) out->external_identifiers.push_back(std::move(ei));
          break;
        }
        default:
          break;
      }
    }
    return Status::Ok();
  }

  Status DecodeSlot(pugi::xml_node el, const std::string& location, Slot* slot) const {
    pugi::xml_attribute name = el.attribute(n::kAtName);
    if (!name || name.value()[0] == '\0') return Error("rim:Slot without a name", location);
    slot->name = name.value();
    slot->slot_type = Attr(el, n::kAtSlotType);
    bool have_list = false;
    for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
      if (have_list || !IsElement(c, kNsRim, n::kElValueList)) {
        return Error("unexpected element " + Describe(c) + " in rim:Slot \"" + slot->name + "\"",
                     location);
      }
      have_list = true;
      for (pugi::xml_node v = FirstElement(c); v; v = NextElement(v)) {
        if (!IsElement(v, kNsRim, n::kElValue)) {
          return Error("unexpected element " + Describe(v) + " in rim:ValueList of slot \"" +
                           slot->name + "\"",
                       location);
        }
        slot->values.push_back(TextOf(v));
      }
    }
    return Status::Ok();
  }

  Status DecodeInternationalString(pugi::xml_node el, const std::string& location,
                                   InternationalString* out) const {
    for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
      if (!IsElement(c, kNsRim, n::kElLocalizedString)) {
        return Error("unexpected element " + Describe(c) + " in " + Describe(el), location);
      }
      pugi::xml_attribute value = c.attribute(n::kAtValue);
      if (!value) return Error("rim:LocalizedString without a value", location);
      out->strings.push_back(
          LocalizedString{value.value(), Attr(c, n::kAtLang), Attr(c, n::kAtCharset)});
    }
    return Status::Ok();
  }

  Status DecodeClassification(pugi::xml_node el, const std::string& owner,
                              Classification* cl) const {
    cl->id = Attr(el, n::kAtId);
    cl->classification_scheme = UrnAttr(el, n::kAtClassificationScheme);
    cl->classification_node = UrnAttr(el, n::kAtClassificationNode);
    cl->classified_object = Attr(el, n::kAtClassifiedObject);
    cl->node_representation = Attr(el, n::kAtNodeRepresentation);
    const std::string& location = owner.empty() ? cl->id : owner;
    if (cl->classification_scheme.empty() && cl->classification_node.empty()) {
      return Error("rim:Classification " + cl->id +
                       " has neither classificationScheme nor classificationNode",
                   location);
    }
    ObjectContent content;
    RENKEI_RETURN_IF_ERROR(Content(el, location, nullptr, /*nested=*/true, &content));
    cl->name = std::move(content.name);
    cl->slots = std::move(content.slots);
    return Status::Ok();
  }

  Status DecodeExternalIdentifier(pugi::xml_node el, const std::string& owner,
                                  ExternalIdentifier* ei) const {
    ei->id = Attr(el, n::kAtId);
    ei->identification_scheme = UrnAttr(el, n::kAtIdentificationScheme);
    ei->registry_object = Attr(el, n::kAtRegistryObject);
    ei->value = Attr(el, n::kAtValue);
    if (ei->identification_scheme.empty()) {
      return Error("rim:ExternalIdentifier " + ei->id + " has no identificationScheme", owner);
    }
    if (ei->value.empty()) {
      return Error(
          "rim:ExternalIdentifier " + ei->id + " (" + ei->identification_scheme + ") has no value",
          owner);
    }
    ObjectContent content;
    RENKEI_RETURN_IF_ERROR(Content(el, owner, nullptr, /*nested=*/true, &content));
    ei->name = std::move(content.name);
    return Status::Ok();
  }

  // rim:ExtrinsicObject / rim:RegistryPackage / rim:Association.
  Status DecodeObject(pugi::xml_node el, ObjectKind kind, RegistryObject* obj) const {
    obj->kind = kind;
    obj->id = Attr(el, n::kAtId);
    if (obj->id.empty()) return Error(Describe(el) + " has no id", std::string(LocalName(el)));
    obj->lid = Attr(el, n::kAtLid);
    obj->object_type = UrnAttr(el, n::kAtObjectType);
    obj->status = UrnAttr(el, n::kAtStatus);
    obj->home = Attr(el, n::kAtHome);
    const char* extension = nullptr;
    switch (kind) {
      case ObjectKind::kExtrinsicObject:
        obj->mime_type = Attr(el, n::kAtMimeType);
        obj->is_opaque = BoolAttr(el, n::kAtIsOpaque);
        extension = n::kElContentVersionInfo;
        break;
      case ObjectKind::kAssociation:
        obj->association_type = UrnAttr(el, n::kAtAssociationType);
        obj->source_object = Attr(el, n::kAtSourceObject);
        obj->target_object = Attr(el, n::kAtTargetObject);
        if (obj->association_type.empty() || obj->source_object.empty() ||
            obj->target_object.empty()) {
          return Error("rim:Association " + obj->id +
                           " needs associationType, sourceObject and targetObject",
                       obj->id);
        }
        break;
      case ObjectKind::kRegistryPackage:
        break;
    }
    ObjectContent content;
    RENKEI_RETURN_IF_ERROR(Content(el, obj->id, extension, /*nested=*/false, &content));
    obj->slots = std::move(content.slots);
    obj->name = std::move(content.name);
    obj->description = std::move(content.description);
    obj->version_name = std::move(content.version_name);
    obj->classifications = std::move(content.classifications);
    obj->external_identifiers = std::move(content.external_identifiers);
    return Status::Ok();
  }

  // Slots of an rs:RequestSlotList.
  Status DecodeSlotList(pugi::xml_node el, std::vector<Slot>* slots) const {
    for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
      if (!IsElement(c, kNsRim, n::kElSlot)) {
        return Error("unexpected element " + Describe(c) + " in " + Describe(el), {});
      }
      slots->emplace_back();
      RENKEI_RETURN_IF_ERROR(DecodeSlot(c, {}, &slots->back()));
    }
    return Status::Ok();
  }

  Status DecodeObjectRef(pugi::xml_node el, std::vector<std::string>* refs) const {
    std::string id = Attr(el, n::kAtId);
    if (id.empty()) return Error("rim:ObjectRef without an id", {});
    refs->push_back(std::move(id));
    return Status::Ok();
  }

 private:
  static Part PartOf(pugi::xml_node c, const char* extension) {
    if (NamespaceUri(c) != kNsRim) return kPartUnknown;
    std::string_view local = LocalName(c);
    if (local == n::kElSlot) return kPartSlot;
    if (local == n::kElName) return kPartName;
    if (local == n::kElDescription) return kPartDescription;
    if (local == n::kElVersionInfo) return kPartVersionInfo;
    if (local == n::kElClassification) return kPartClassification;
    if (local == n::kElExternalIdentifier) return kPartExternalIdentifier;
    if (extension != nullptr && local == extension) return kPartExtension;
    return kPartUnknown;
  }

  ErrorClass ec_;
};

// Which registry object an element of rim:RegistryObjectList is; false for anything else.
bool ObjectKindOf(pugi::xml_node el, ObjectKind* kind) {
  if (NamespaceUri(el) != kNsRim) return false;
  std::string_view local = LocalName(el);
  if (local == n::kElExtrinsicObject) {
    *kind = ObjectKind::kExtrinsicObject;
  } else if (local == n::kElRegistryPackage) {
    *kind = ObjectKind::kRegistryPackage;
  } else if (local == n::kElAssociation) {
    *kind = ObjectKind::kAssociation;
  } else {
    return false;
  }
  return true;
}

Status WrongElement(pugi::xml_node el, const char* expected) {
  return DecodeError(ErrorClass::kRequest,
                     std::string("expected ") + expected + ", got {" +
                         std::string(NamespaceUri(el)) + "}" + std::string(LocalName(el)),
                     {});
}

Result<SubmitObjectsRequest> DecodeSubmitObjectsElement(pugi::xml_node el) {
  // ITI-41 wraps the request: xdsb:ProvideAndRegisterDocumentSetRequest holds it first,
  // then xdsb:Document parts (not metadata, skipped here).
  if (IsElement(el, kNsXdsb, n::kElProvideAndRegister)) el = FirstElement(el);
  if (!IsElement(el, kNsLcm, n::kElSubmitObjectsRequest)) {
    return WrongElement(el, "lcm:SubmitObjectsRequest");
  }
  const Decoder d(ErrorClass::kMetadata);
  SubmitObjectsRequest request;
  pugi::xml_node list;
  for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
    if (!list && request.request_slots.empty() && IsElement(c, kNsRs, n::kElRequestSlotList)) {
      RENKEI_RETURN_IF_ERROR(d.DecodeSlotList(c, &request.request_slots));
    } else if (!list && IsElement(c, kNsRim, n::kElRegistryObjectList)) {
      list = c;
    } else {
      return d.Error("unexpected element " + Describe(c) + " in lcm:SubmitObjectsRequest", {});
    }
  }
  if (!list) return d.Error("lcm:SubmitObjectsRequest has no rim:RegistryObjectList", {});

  for (pugi::xml_node c = FirstElement(list); c; c = NextElement(c)) {
    ObjectKind kind;
    if (ObjectKindOf(c, &kind)) {
      request.objects.emplace_back();
      RENKEI_RETURN_IF_ERROR(d.DecodeObject(c, kind, &request.objects.back()));
    } else if (IsElement(c, kNsRim, n::kElClassification)) {
      Classification cl;
      RENKEI_RETURN_IF_ERROR(d.DecodeClassification(c, {}, &cl));
      request.classifications.push_back(std::move(cl));
    } else if (IsElement(c, kNsRim, n::kElObjectRef)) {
      RENKEI_RETURN_IF_ERROR(d.DecodeObjectRef(c, &request.object_refs));
    } else {
      return d.Error("unsupported registry object " + Describe(c), Attr(c, n::kAtId));
    }
  }
  return request;
}

Result<AdhocQueryRequest> DecodeAdhocQueryElement(pugi::xml_node el) {
  if (!IsElement(el, kNsQuery, n::kElAdhocQueryRequest)) {
    return WrongElement(el, "query:AdhocQueryRequest");
  }
  const Decoder d(ErrorClass::kRequest);
  AdhocQueryRequest request;
  std::vector<Slot> request_slots;  // RequestSlotList: not used by ITI-18
  pugi::xml_node option, query;
  for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
    if (!option && request_slots.empty() && IsElement(c, kNsRs, n::kElRequestSlotList)) {
      RENKEI_RETURN_IF_ERROR(d.DecodeSlotList(c, &request_slots));
    } else if (!option && IsElement(c, kNsQuery, n::kElResponseOption)) {
      option = c;
    } else if (option && !query && IsElement(c, kNsRim, n::kElAdhocQuery)) {
      query = c;
    } else {
      return d.Error("unexpected element " + Describe(c) +
                         " in query:AdhocQueryRequest (expected ResponseOption, AdhocQuery)",
                     {});
    }
  }
  if (!option) return d.Error("query:AdhocQueryRequest has no query:ResponseOption", {});
  if (!query) return d.Error("query:AdhocQueryRequest has no rim:AdhocQuery", {});

  pugi::xml_attribute return_type = option.attribute(n::kAtReturnType);
  request.return_type =
      return_type ? std::string(TrimXmlSpace(return_type.value())) : n::kDefaultReturnType;
  request.return_composed_objects = BoolAttr(option, n::kAtReturnComposedObjects);
  request.query_id = UrnAttr(query, n::kAtId);
  request.home = Attr(query, n::kAtHome);
  ObjectContent content;
  RENKEI_RETURN_IF_ERROR(
      d.Content(query, request.query_id, n::kElQueryExpression, /*nested=*/false, &content));
  request.params = std::move(content.slots);
  return request;
}

Result<RemoveObjectsRequest> DecodeRemoveObjectsElement(pugi::xml_node el) {
  if (!IsElement(el, kNsLcm, n::kElRemoveObjectsRequest)) {
    return WrongElement(el, "lcm:RemoveObjectsRequest");
  }
  const Decoder d(ErrorClass::kRequest);
  RemoveObjectsRequest request;
  request.deletion_scope = UrnAttr(el, n::kAtDeletionScope);
  pugi::xml_node list;
  for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
    if (!list && request.request_slots.empty() && IsElement(c, kNsRs, n::kElRequestSlotList)) {
      RENKEI_RETURN_IF_ERROR(d.DecodeSlotList(c, &request.request_slots));
    } else if (IsElement(c, kNsRim, n::kElAdhocQuery)) {
      return d.Error(
          "rim:AdhocQuery in lcm:RemoveObjectsRequest is not supported (ITI-62 "
          "identifies objects by rim:ObjectRefList)",
          {});
    } else if (!list && IsElement(c, kNsRim, n::kElObjectRefList)) {
      list = c;
    } else {
      return d.Error("unexpected element " + Describe(c) + " in lcm:RemoveObjectsRequest", {});
    }
  }
  if (list) {
    for (pugi::xml_node c = FirstElement(list); c; c = NextElement(c)) {
      if (!IsElement(c, kNsRim, n::kElObjectRef)) {
        return d.Error("unexpected element " + Describe(c) + " in rim:ObjectRefList", {});
      }
      RENKEI_RETURN_IF_ERROR(d.DecodeObjectRef(c, &request.object_refs));
    }
  }
  return request;
}

Severity SeverityOf(std::string_view urn) {
  return urn == kSeverityWarning ? Severity::kWarning : Severity::kError;
}

Status DecodeErrorList(pugi::xml_node list, RegistryErrorList* errors) {
  for (pugi::xml_node e = FirstElement(list); e; e = NextElement(e)) {
    if (!IsElement(e, kNsRs, n::kElRegistryError)) {
      return WrongElement(e, "rs:RegistryError");
    }
    RegistryError error;
    error.error_code = Attr(e, n::kAtErrorCode);
    error.code_context = Attr(e, n::kAtCodeContext);
    if (error.code_context.empty()) error.code_context = TextOf(e);
    error.location = Attr(e, n::kAtLocation);
    error.severity = SeverityOf(TrimXmlSpace(Attr(e, n::kAtSeverity)));
    errors->push_back(std::move(error));
  }
  return Status::Ok();
}

Result<AdhocQueryResponse> DecodeAdhocQueryResponseElement(pugi::xml_node el,
                                                           RegistryErrorList* errors) {
  if (!IsElement(el, kNsQuery, n::kElAdhocQueryResponse)) {
    return WrongElement(el, "query:AdhocQueryResponse");
  }
  const Decoder d(ErrorClass::kRequest);
  AdhocQueryResponse response;
  response.status = UrnAttr(el, n::kAtStatus);
  if (response.status != kResponseSuccess && response.status != kResponsePartialSuccess &&
      response.status != kResponseFailure) {
    return d.Error("query:AdhocQueryResponse has no valid status (got '" + response.status +
                       "')",
                   {});
  }
  const size_t errors_before = errors->size();
  for (pugi::xml_node c = FirstElement(el); c; c = NextElement(c)) {
    if (IsElement(c, kNsRs, n::kElResponseSlotList)) continue;
    if (IsElement(c, kNsRs, n::kElRegistryErrorList)) {
      RENKEI_RETURN_IF_ERROR(DecodeErrorList(c, errors));
      continue;
    }
    if (!IsElement(c, kNsRim, n::kElRegistryObjectList)) {
      return d.Error("unexpected element " + Describe(c) + " in query:AdhocQueryResponse", {});
    }
    for (pugi::xml_node o = FirstElement(c); o; o = NextElement(o)) {
      ObjectKind kind;
      if (ObjectKindOf(o, &kind)) {
        response.objects.emplace_back();
        RegistryObject& object = response.objects.back();
        RENKEI_RETURN_IF_ERROR(d.DecodeObject(o, kind, &object));
        object.status = UrnAttr(o, n::kAtStatus);
        // A registry always says what each answer is and whether it is current (ITI TF-2
        // 3.18.4.1.3: LeafClass objects carry status; DocumentEntries their objectType,
        // which tells stable from on-demand).
        if (object.status.empty()) {
          return d.Error("registry object without status in a LeafClass answer", object.id);
        }
        if (kind == ObjectKind::kExtrinsicObject && object.object_type.empty()) {
          return d.Error("ExtrinsicObject without objectType in a LeafClass answer", object.id);
        }
      } else if (IsElement(o, kNsRim, n::kElObjectRef)) {
        RENKEI_RETURN_IF_ERROR(d.DecodeObjectRef(o, &response.object_refs));
      } else if (IsElement(o, kNsRim, n::kElClassification)) {
        Classification cl;
        RENKEI_RETURN_IF_ERROR(d.DecodeClassification(o, {}, &cl));
        response.classifications.push_back(std::move(cl));
      } else {
        return d.Error("unsupported registry object " + Describe(o), Attr(o, n::kAtId));
      }
    }
  }
  // ebRS 3.0 / ITI TF-2 3.18.4.1.3: Failure names its errors; Success has none of
  // severity Error.
  bool has_error = false;
  for (size_t i = errors_before; i < errors->size(); ++i) {
    has_error = has_error || (*errors)[i].severity == Severity::kError;
  }
  if (response.status == kResponseFailure && !has_error) {
    return d.Error("query:AdhocQueryResponse status Failure without an error", {});
  }
  if (response.status == kResponseSuccess && has_error) {
    return d.Error("query:AdhocQueryResponse status Success with an error of severity Error", {});
  }
  return response;
}

// Parses a document that is not inside SOAP; errors are XDSRegistryError.
Status ParseBare(std::string_view xml, pugi::xml_document* doc) {
  return internal::ParseXml(xml, SoapLimits{}, XdsErrorCode(XdsError::kRegistryError), doc);
}

}  // namespace

Status internal::DecodeRegistryErrorList(pugi::xml_node list, RegistryErrorList* errors) {
  return DecodeErrorList(list, errors);
}

Result<SubmitObjectsRequest> DecodeSubmitObjectsRequest(const SoapMessage& message) {
  return DecodeSubmitObjectsElement(message.impl().body_element);
}

Result<AdhocQueryRequest> DecodeAdhocQueryRequest(const SoapMessage& message) {
  return DecodeAdhocQueryElement(message.impl().body_element);
}

Result<RemoveObjectsRequest> DecodeRemoveObjectsRequest(const SoapMessage& message) {
  return DecodeRemoveObjectsElement(message.impl().body_element);
}

Result<AdhocQueryResponse> DecodeAdhocQueryResponse(const SoapMessage& message,
                                                    RegistryErrorList* errors) {
  pugi::xml_node body = message.impl().body_element;
  if (IsElement(body, kNsSoap12, "Fault")) {  // Code, Reason/Text, ...
    std::string reason;
    for (pugi::xml_node c = FirstElement(body); c; c = NextElement(c)) {
      if (IsElement(c, kNsSoap12, "Reason") && FirstElement(c)) reason = TextOf(FirstElement(c));
    }
    return DecodeError(ErrorClass::kRequest, "SOAP Fault: " + reason, {});
  }
  return DecodeAdhocQueryResponseElement(body, errors);
}

Result<AdhocQueryResponse> DecodeAdhocQueryResponseXml(std::string_view xml,
                                                       RegistryErrorList* errors) {
  pugi::xml_document doc;
  RENKEI_RETURN_IF_ERROR(ParseBare(xml, &doc));
  return DecodeAdhocQueryResponseElement(doc.document_element(), errors);
}

Result<SubmitObjectsRequest> DecodeSubmitObjectsRequestXml(std::string_view xml) {
  pugi::xml_document doc;
  RENKEI_RETURN_IF_ERROR(ParseBare(xml, &doc));
  return DecodeSubmitObjectsElement(doc.document_element());
}

Result<AdhocQueryRequest> DecodeAdhocQueryRequestXml(std::string_view xml) {
  pugi::xml_document doc;
  RENKEI_RETURN_IF_ERROR(ParseBare(xml, &doc));
  return DecodeAdhocQueryElement(doc.document_element());
}

Result<RegistryObject> DecodeRegistryObjectFragment(std::string_view fragment) {
  std::string wrapped;
  wrapped.reserve(fragment.size() + 128);
  wrapped.append("<rim:RegistryObjectList xmlns:rim=\"");
  wrapped.append(kNsRim);
  wrapped.append("\">");
  wrapped.append(fragment);
  wrapped.append("</rim:RegistryObjectList>");
  pugi::xml_document doc;
  RENKEI_RETURN_IF_ERROR(ParseBare(wrapped, &doc));
  pugi::xml_node el = FirstElement(doc.document_element());
  ObjectKind kind;
  if (!el || NextElement(el) || !ObjectKindOf(el, &kind) ||
      internal::HasNonBlankText(doc.document_element())) {
    return DecodeError(ErrorClass::kRequest,
                       "a registry-object fragment must be exactly one rim:ExtrinsicObject, "
                       "rim:RegistryPackage or rim:Association",
                       {});
  }
  RegistryObject object;
  RENKEI_RETURN_IF_ERROR(Decoder(ErrorClass::kMetadata).DecodeObject(el, kind, &object));
  return object;
}

}  // namespace renkei::xds
