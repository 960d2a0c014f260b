// Element and attribute names of ebRIM 3.0 (rim.xsd), ebRS 3.0 (rs.xsd, lcm.xsd, query.xsd)
// and the XDS.b wrapper (XDS.b_DocumentRepository.xsd), shared by the ebRIM decoder and
// encoder. Internal to xds/.
#ifndef RENKEI_XDS_INTERNAL_EBRIM_NAMES_H_
#define RENKEI_XDS_INTERNAL_EBRIM_NAMES_H_

namespace renkei::xds::internal {

// --- elements
inline constexpr char kElSubmitObjectsRequest[] = "SubmitObjectsRequest";
inline constexpr char kElRemoveObjectsRequest[] = "RemoveObjectsRequest";
inline constexpr char kElAdhocQueryRequest[] = "AdhocQueryRequest";
inline constexpr char kElAdhocQueryResponse[] = "AdhocQueryResponse";
inline constexpr char kElProvideAndRegister[] = "ProvideAndRegisterDocumentSetRequest";
inline constexpr char kElRequestSlotList[] = "RequestSlotList";
inline constexpr char kElResponseSlotList[] = "ResponseSlotList";
inline constexpr char kElRegistryErrorList[] = "RegistryErrorList";
inline constexpr char kElRegistryError[] = "RegistryError";
inline constexpr char kElResponseOption[] = "ResponseOption";
inline constexpr char kElAdhocQuery[] = "AdhocQuery";
inline constexpr char kElQueryExpression[] = "QueryExpression";
inline constexpr char kElRegistryObjectList[] = "RegistryObjectList";
inline constexpr char kElObjectRefList[] = "ObjectRefList";
inline constexpr char kElObjectRef[] = "ObjectRef";
inline constexpr char kElExtrinsicObject[] = "ExtrinsicObject";
inline constexpr char kElRegistryPackage[] = "RegistryPackage";
inline constexpr char kElAssociation[] = "Association";
inline constexpr char kElClassification[] = "Classification";
inline constexpr char kElExternalIdentifier[] = "ExternalIdentifier";
inline constexpr char kElSlot[] = "Slot";
inline constexpr char kElValueList[] = "ValueList";
inline constexpr char kElValue[] = "Value";
inline constexpr char kElName[] = "Name";
inline constexpr char kElDescription[] = "Description";
inline constexpr char kElLocalizedString[] = "LocalizedString";
inline constexpr char kElVersionInfo[] = "VersionInfo";
inline constexpr char kElContentVersionInfo[] = "ContentVersionInfo";
inline constexpr char kElDocument[] = "Document";
inline constexpr char kElRegistryResponse[] = "RegistryResponse";
// XDS.b_DocumentRepository.xsd (ITI-43)
inline constexpr char kElRetrieveDocumentSetRequest[] = "RetrieveDocumentSetRequest";
inline constexpr char kElRetrieveDocumentSetResponse[] = "RetrieveDocumentSetResponse";
inline constexpr char kElDocumentRequest[] = "DocumentRequest";
inline constexpr char kElDocumentResponse[] = "DocumentResponse";
inline constexpr char kElHomeCommunityId[] = "HomeCommunityId";
inline constexpr char kElRepositoryUniqueId[] = "RepositoryUniqueId";
inline constexpr char kElDocumentUniqueId[] = "DocumentUniqueId";
inline constexpr char kElNewRepositoryUniqueId[] = "NewRepositoryUniqueId";
inline constexpr char kElNewDocumentUniqueId[] = "NewDocumentUniqueId";
inline constexpr char kElMimeType[] = "mimeType";
// XOP (namespace kNsXop)
inline constexpr char kElXopInclude[] = "Include";

// --- attributes
inline constexpr char kAtId[] = "id";
inline constexpr char kAtLid[] = "lid";
inline constexpr char kAtHome[] = "home";
inline constexpr char kAtObjectType[] = "objectType";
inline constexpr char kAtStatus[] = "status";
inline constexpr char kAtMimeType[] = "mimeType";
inline constexpr char kAtIsOpaque[] = "isOpaque";
inline constexpr char kAtAssociationType[] = "associationType";
inline constexpr char kAtSourceObject[] = "sourceObject";
inline constexpr char kAtTargetObject[] = "targetObject";
inline constexpr char kAtClassificationScheme[] = "classificationScheme";
inline constexpr char kAtClassificationNode[] = "classificationNode";
inline constexpr char kAtClassifiedObject[] = "classifiedObject";
inline constexpr char kAtNodeRepresentation[] = "nodeRepresentation";
inline constexpr char kAtIdentificationScheme[] = "identificationScheme";
inline constexpr char kAtRegistryObject[] = "registryObject";
inline constexpr char kAtValue[] = "value";
inline constexpr char kAtName[] = "name";
inline constexpr char kAtSlotType[] = "slotType";
inline constexpr char kAtLang[] = "xml:lang";
inline constexpr char kAtCharset[] = "charset";
inline constexpr char kAtVersionName[] = "versionName";
inline constexpr char kAtReturnType[] = "returnType";
inline constexpr char kAtReturnComposedObjects[] = "returnComposedObjects";
inline constexpr char kAtDeletionScope[] = "deletionScope";
inline constexpr char kAtHighestSeverity[] = "highestSeverity";
inline constexpr char kAtErrorCode[] = "errorCode";
inline constexpr char kAtCodeContext[] = "codeContext";
inline constexpr char kAtLocation[] = "location";
inline constexpr char kAtSeverity[] = "severity";
inline constexpr char kAtHref[] = "href";  // xop:Include

// RFC 2392 URL scheme of xop:Include/@href: "cid:" + the MIME part's Content-ID.
inline constexpr char kCidScheme[] = "cid:";

// query.xsd ResponseOption/@returnType default.
inline constexpr char kDefaultReturnType[] = "RegistryObject";

}  // namespace renkei::xds::internal

#endif  // RENKEI_XDS_INTERNAL_EBRIM_NAMES_H_
