// Identifiers fixed by ebRIM/ebRS 3.0 and IHE ITI TF-3 §4.2.5 (classification schemes,
// external-identifier schemes, object and association types, status URNs), the SOAP and
// WS-Addressing names, and the WS-Addressing actions of ITI-18/42/57/62.
// Every such literal lives here and nowhere else.
#ifndef RENKEI_XDS_XDS_CONSTANTS_H_
#define RENKEI_XDS_XDS_CONSTANTS_H_

namespace renkei::xds {

// --- XML namespaces
inline constexpr char kNsRim[] = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0";
inline constexpr char kNsRs[] = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0";
inline constexpr char kNsLcm[] = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0";
inline constexpr char kNsQuery[] = "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0";
inline constexpr char kNsXdsb[] = "urn:ihe:iti:xds-b:2007";
inline constexpr char kNsRmd[] = "urn:ihe:iti:rmd:2017";
inline constexpr char kNsLcm21[] = "urn:oasis:names:tc:ebxml-regrep:registry:xsd:2.1";
inline constexpr char kNsRim21[] = "urn:oasis:names:tc:ebxml-regrep:rim:xsd:2.1";
inline constexpr char kNsSoap12[] = "http://www.w3.org/2003/05/soap-envelope";
inline constexpr char kNsWsa[] = "http://www.w3.org/2005/08/addressing";
// SOAP 1.1: only recognised to answer a VersionMismatch Fault.
inline constexpr char kNsSoap11[] = "http://schemas.xmlsoap.org/soap/envelope/";
// XOP (W3C XML-binary Optimized Packaging): xop:Include href="cid:..." in MTOM messages.
inline constexpr char kNsXop[] = "http://www.w3.org/2004/08/xop/include";

// --- SOAP 1.2 Fault codes (SOAP 1.2 Part 1 §5.4.6) and WS-Addressing fault subcodes
// (WS-Addressing 1.0 SOAP Binding §6.4). Prefixes "soap"/"wsa" as declared by
// EncodeSoapFault.
inline constexpr char kFaultCodeSender[] = "soap:Sender";
inline constexpr char kFaultCodeReceiver[] = "soap:Receiver";
inline constexpr char kFaultCodeVersionMismatch[] = "soap:VersionMismatch";
inline constexpr char kFaultSubcodeHeaderRequired[] = "wsa:MessageAddressingHeaderRequired";
inline constexpr char kFaultSubcodeActionNotSupported[] = "wsa:ActionNotSupported";
inline constexpr char kFaultSubcodeInvalidHeader[] = "wsa:InvalidAddressingHeader";

// --- WS-Addressing actions (ITI TF-2)
inline constexpr char kActionRegister[] = "urn:ihe:iti:2007:RegisterDocumentSet-b";
inline constexpr char kActionRegisterResponse[] = "urn:ihe:iti:2007:RegisterDocumentSet-bResponse";
inline constexpr char kActionStoredQuery[] = "urn:ihe:iti:2007:RegistryStoredQuery";
inline constexpr char kActionStoredQueryResponse[] = "urn:ihe:iti:2007:RegistryStoredQueryResponse";
inline constexpr char kActionUpdate[] = "urn:ihe:iti:2010:UpdateDocumentSet";
inline constexpr char kActionUpdateResponse[] = "urn:ihe:iti:2010:UpdateDocumentSetResponse";
inline constexpr char kActionRemove[] = "urn:ihe:iti:2010:DeleteDocumentSet";
inline constexpr char kActionRemoveResponse[] = "urn:ihe:iti:2010:DeleteDocumentSetResponse";
inline constexpr char kActionProvideAndRegister[] =
    "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b";
inline constexpr char kActionProvideAndRegisterResponse[] =
    "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse";
inline constexpr char kActionRetrieve[] = "urn:ihe:iti:2007:RetrieveDocumentSet";
inline constexpr char kActionRetrieveResponse[] = "urn:ihe:iti:2007:RetrieveDocumentSetResponse";
// RAD-69 Retrieve Imaging Document Set (RAD TF-3 4.69; its answer is ITI-43's).
inline constexpr char kActionRetrieveImagingDocumentSet[] =
    "urn:ihe:rad:2009:RetrieveImagingDocumentSet";
inline constexpr char kNsXdsiB[] = "urn:ihe:rad:xdsi-b:2009";
inline constexpr char kActionSoapFault[] = "http://www.w3.org/2005/08/addressing/soap/fault";

// --- ebRIM object types
inline constexpr char kObjectTypeStableDocument[] = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1";
inline constexpr char kObjectTypeOnDemandDocument[] = "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248";
inline constexpr char kObjectTypeRegistryPackage[] =
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage";
inline constexpr char kObjectTypeAssociation[] =
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association";
inline constexpr char kObjectTypeClassification[] =
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification";
inline constexpr char kObjectTypeExternalIdentifier[] =
    "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier";

// --- availability status
inline constexpr char kStatusApproved[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved";
inline constexpr char kStatusDeprecated[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated";
inline constexpr char kStatusSubmitted[] = "urn:oasis:names:tc:ebxml-regrep:StatusType:Submitted";

// --- response status and error severity (ebRS 3.0, ITI TF-3 §4.2.4)
inline constexpr char kResponseSuccess[] = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success";
inline constexpr char kResponseFailure[] = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure";
inline constexpr char kResponsePartialSuccess[] = "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess";
inline constexpr char kSeverityError[] = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error";
inline constexpr char kSeverityWarning[] = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Warning";

// --- association types
inline constexpr char kAssocHasMember[] = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember";
inline constexpr char kAssocRplc[] = "urn:ihe:iti:2007:AssociationType:RPLC";
inline constexpr char kAssocApnd[] = "urn:ihe:iti:2007:AssociationType:APND";
inline constexpr char kAssocXfrm[] = "urn:ihe:iti:2007:AssociationType:XFRM";
inline constexpr char kAssocXfrmRplc[] = "urn:ihe:iti:2007:AssociationType:XFRM_RPLC";
inline constexpr char kAssocSigns[] = "urn:ihe:iti:2007:AssociationType:signs";
inline constexpr char kAssocIsSnapshotOf[] = "urn:ihe:iti:2010:AssociationType:IsSnapshotOf";
inline constexpr char kAssocUpdateAvailabilityStatus[] =
    "urn:ihe:iti:2010:AssociationType:UpdateAvailabilityStatus";
// Metadata Update "submit association": HasMember-like link from the SubmissionSet to a new
// Association between existing objects (used in ITI-42 by NIST test 20001).
inline constexpr char kAssocSubmitAssociation[] =
    "urn:ihe:iti:2010:AssociationType:SubmitAssociation";

// --- association slots
inline constexpr char kSlotSubmissionSetStatus[] = "SubmissionSetStatus";  // Original | Reference
inline constexpr char kSlotPreviousVersion[] = "PreviousVersion";          // ITI-57
inline constexpr char kSlotOriginalStatus[] = "OriginalStatus";            // ITI-57
inline constexpr char kSlotNewStatus[] = "NewStatus";                      // ITI-57
inline constexpr char kSlotAssociationPropagation[] = "AssociationPropagation";  // ITI-57

// --- DocumentEntry (ITI TF-3 Table 4.2.5-1..)
inline constexpr char kDocEntryAuthor[] = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d";
inline constexpr char kDocEntryClassCode[] = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a";
inline constexpr char kDocEntryConfidentialityCode[] = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f";
inline constexpr char kDocEntryEventCodeList[] = "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4";
inline constexpr char kDocEntryFormatCode[] = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d";
inline constexpr char kDocEntryHealthcareFacilityTypeCode[] = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1";
inline constexpr char kDocEntryPracticeSettingCode[] = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead";
inline constexpr char kDocEntryTypeCode[] = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983";
inline constexpr char kDocEntryPatientId[] = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427";
inline constexpr char kDocEntryUniqueId[] = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab";
inline constexpr char kDocEntryLimitedMetadata[] = "urn:uuid:ab9b591b-83ab-4d03-8f5d-f93b1fb92e85";

// --- SubmissionSet
inline constexpr char kSubmissionSetNode[] = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd";
inline constexpr char kSubmissionSetAuthor[] = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d";
inline constexpr char kSubmissionSetContentTypeCode[] = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500";
inline constexpr char kSubmissionSetPatientId[] = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446";
inline constexpr char kSubmissionSetSourceId[] = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832";
inline constexpr char kSubmissionSetUniqueId[] = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8";
inline constexpr char kSubmissionSetLimitedMetadata[] = "urn:uuid:5003a9db-8d8d-49e6-bf0c-990e34ac7707";

// --- Folder
inline constexpr char kFolderNode[] = "urn:uuid:d9d542f3-6cc4-48b6-8870-ea235fbc94c2";
inline constexpr char kFolderCodeList[] = "urn:uuid:1ba97051-7806-41a8-a48b-8fce7af683c5";
inline constexpr char kFolderPatientId[] = "urn:uuid:f64ffdf0-4b97-4e06-b79f-a52b38ec2f8a";
inline constexpr char kFolderUniqueId[] = "urn:uuid:75df8f67-9973-4fbe-a900-df66cefecc5a";
inline constexpr char kFolderLimitedMetadata[] = "urn:uuid:2c144a76-29a9-4b7c-af54-b25409fe7d03";

// --- Association documentation classification (ITI TF-3 §4.2.2)
inline constexpr char kAssociationDocumentation[] = "urn:uuid:abd807a3-4432-4053-87b4-fd82c643d1f3";

// --- slot names
inline constexpr char kSlotCodingScheme[] = "codingScheme";
inline constexpr char kSlotReferenceIdList[] = "urn:ihe:iti:xds:2013:referenceIdList";
// ITI TF-3 §4.2.3.2 (DocumentEntry), §4.2.3.3 (SubmissionSet), §4.2.3.4 (Folder)
inline constexpr char kSlotCreationTime[] = "creationTime";
inline constexpr char kSlotHash[] = "hash";
inline constexpr char kSlotSize[] = "size";
inline constexpr char kSlotLanguageCode[] = "languageCode";
inline constexpr char kSlotRepositoryUniqueId[] = "repositoryUniqueId";
inline constexpr char kSlotServiceStartTime[] = "serviceStartTime";
inline constexpr char kSlotServiceStopTime[] = "serviceStopTime";
inline constexpr char kSlotSourcePatientId[] = "sourcePatientId";
inline constexpr char kSlotSourcePatientInfo[] = "sourcePatientInfo";
inline constexpr char kSlotUri[] = "URI";
inline constexpr char kSlotLegalAuthenticator[] = "legalAuthenticator";
inline constexpr char kSlotSubmissionTime[] = "submissionTime";
inline constexpr char kSlotIntendedRecipient[] = "intendedRecipient";
inline constexpr char kSlotLastUpdateTime[] = "lastUpdateTime";
// author classification slots (ITI TF-3 §4.2.3.1.4)
inline constexpr char kSlotAuthorPerson[] = "authorPerson";
inline constexpr char kSlotAuthorInstitution[] = "authorInstitution";
inline constexpr char kSlotAuthorRole[] = "authorRole";
inline constexpr char kSlotAuthorSpecialty[] = "authorSpecialty";
inline constexpr char kSlotAuthorTelecommunication[] = "authorTelecommunication";

// --- stored query ids (ITI TF-2 §3.18.4.1.2.3.7)
inline constexpr char kSqFindDocuments[] = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d";
inline constexpr char kSqFindDocumentsByReferenceId[] = "urn:uuid:12941a89-e02e-4be5-967c-ce4bfc8fe492";
inline constexpr char kSqFindSubmissionSets[] = "urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9";
inline constexpr char kSqFindFolders[] = "urn:uuid:958f3006-baad-4929-a4de-ff1114824431";
inline constexpr char kSqGetAll[] = "urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3";
inline constexpr char kSqGetDocuments[] = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4";
inline constexpr char kSqGetFolders[] = "urn:uuid:5737b14c-8a1a-4539-b659-e03a34a5e1e4";
inline constexpr char kSqGetAssociations[] = "urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155";
inline constexpr char kSqGetDocumentsAndAssociations[] = "urn:uuid:bab9529a-4a10-40b3-a01f-f68a615d247a";
inline constexpr char kSqGetSubmissionSets[] = "urn:uuid:51224314-5390-4169-9b91-b1980040715a";
inline constexpr char kSqGetSubmissionSetAndContents[] = "urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83";
inline constexpr char kSqGetFolderAndContents[] = "urn:uuid:b909a503-523d-4517-8acf-8e5834dfc4c7";
inline constexpr char kSqGetFoldersForDocument[] = "urn:uuid:10cae35a-c7f9-4cf5-b61e-fc3278ffb578";
inline constexpr char kSqGetRelatedDocuments[] = "urn:uuid:d90e5407-b356-4d91-a89f-873917b4b0e6";

// --- stored query return types (ebRS 3.0 ResponseOption/@returnType)
inline constexpr char kReturnTypeLeafClass[] = "LeafClass";
inline constexpr char kReturnTypeObjectRef[] = "ObjectRef";
inline constexpr char kReturnTypeLeafClassWithRepositoryItem[] = "LeafClassWithRepositoryItem";

// --- stored query parameter names (ITI TF-2 §3.18.4.1.2.3.7)
inline constexpr char kSqpMetadataLevel[] = "$MetadataLevel";  // Metadata Update: 1 | 2
inline constexpr char kSqpDocPatientId[] = "$XDSDocumentEntryPatientId";
inline constexpr char kSqpDocClassCode[] = "$XDSDocumentEntryClassCode";
inline constexpr char kSqpDocTypeCode[] = "$XDSDocumentEntryTypeCode";
inline constexpr char kSqpDocPracticeSettingCode[] = "$XDSDocumentEntryPracticeSettingCode";
inline constexpr char kSqpDocCreationTimeFrom[] = "$XDSDocumentEntryCreationTimeFrom";
inline constexpr char kSqpDocCreationTimeTo[] = "$XDSDocumentEntryCreationTimeTo";
inline constexpr char kSqpDocServiceStartTimeFrom[] = "$XDSDocumentEntryServiceStartTimeFrom";
inline constexpr char kSqpDocServiceStartTimeTo[] = "$XDSDocumentEntryServiceStartTimeTo";
inline constexpr char kSqpDocServiceStopTimeFrom[] = "$XDSDocumentEntryServiceStopTimeFrom";
inline constexpr char kSqpDocServiceStopTimeTo[] = "$XDSDocumentEntryServiceStopTimeTo";
inline constexpr char kSqpDocHealthcareFacilityTypeCode[] =
    "$XDSDocumentEntryHealthcareFacilityTypeCode";
inline constexpr char kSqpDocEventCodeList[] = "$XDSDocumentEntryEventCodeList";
inline constexpr char kSqpDocConfidentialityCode[] = "$XDSDocumentEntryConfidentialityCode";
inline constexpr char kSqpDocAuthorPerson[] = "$XDSDocumentEntryAuthorPerson";
inline constexpr char kSqpDocFormatCode[] = "$XDSDocumentEntryFormatCode";
inline constexpr char kSqpDocStatus[] = "$XDSDocumentEntryStatus";
inline constexpr char kSqpDocType[] = "$XDSDocumentEntryType";
inline constexpr char kSqpDocReferenceIdList[] = "$XDSDocumentEntryReferenceIdList";
inline constexpr char kSqpDocEntryUuid[] = "$XDSDocumentEntryEntryUUID";
inline constexpr char kSqpDocUniqueId[] = "$XDSDocumentEntryUniqueId";
inline constexpr char kSqpDocLogicalId[] = "$XDSDocumentEntryLogicalID";
inline constexpr char kSqpSsPatientId[] = "$XDSSubmissionSetPatientId";
inline constexpr char kSqpSsSourceId[] = "$XDSSubmissionSetSourceId";
inline constexpr char kSqpSsSubmissionTimeFrom[] = "$XDSSubmissionSetSubmissionTimeFrom";
inline constexpr char kSqpSsSubmissionTimeTo[] = "$XDSSubmissionSetSubmissionTimeTo";
inline constexpr char kSqpSsAuthorPerson[] = "$XDSSubmissionSetAuthorPerson";
inline constexpr char kSqpSsContentType[] = "$XDSSubmissionSetContentType";
inline constexpr char kSqpSsStatus[] = "$XDSSubmissionSetStatus";
inline constexpr char kSqpSsEntryUuid[] = "$XDSSubmissionSetEntryUUID";
inline constexpr char kSqpSsUniqueId[] = "$XDSSubmissionSetUniqueId";
inline constexpr char kSqpFolderPatientId[] = "$XDSFolderPatientId";
inline constexpr char kSqpFolderLastUpdateTimeFrom[] = "$XDSFolderLastUpdateTimeFrom";
inline constexpr char kSqpFolderLastUpdateTimeTo[] = "$XDSFolderLastUpdateTimeTo";
inline constexpr char kSqpFolderCodeList[] = "$XDSFolderCodeList";
inline constexpr char kSqpFolderStatus[] = "$XDSFolderStatus";
inline constexpr char kSqpFolderEntryUuid[] = "$XDSFolderEntryUUID";
inline constexpr char kSqpFolderUniqueId[] = "$XDSFolderUniqueId";
inline constexpr char kSqpFolderLogicalId[] = "$XDSFolderLogicalID";
inline constexpr char kSqpPatientId[] = "$patientId";  // GetAll
inline constexpr char kSqpUuid[] = "$uuid";            // GetAssociations, GetSubmissionSets
inline constexpr char kSqpAssociationTypes[] = "$AssociationTypes";  // GetRelatedDocuments
inline constexpr char kSqpHomeCommunityId[] = "$homeCommunityId";

}  // namespace renkei::xds

#endif  // RENKEI_XDS_XDS_CONSTANTS_H_
