// XDS.b spec identifiers the npm SOAP-client tests send and check (ITI TF-2 §3.18, §3.41,
// §3.42, §3.43, Appendix V; ITI TF-3 §4.2; ebRS 3.0; WS-Addressing; W3C XOP), spelled out on
// the client side on purpose: the tests check Renkei against an independent copy.
'use strict';

module.exports = {
  NS_WSA: 'http://www.w3.org/2005/08/addressing',
  NS_XOP: 'http://www.w3.org/2004/08/xop/include',
  WSA_ANONYMOUS: 'http://www.w3.org/2005/08/addressing/anonymous',
  ACTION_REGISTER: 'urn:ihe:iti:2007:RegisterDocumentSet-b',
  ACTION_REGISTER_RESPONSE: 'urn:ihe:iti:2007:RegisterDocumentSet-bResponse',
  ACTION_PNR: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b',
  ACTION_PNR_RESPONSE: 'urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-bResponse',
  ACTION_RETRIEVE: 'urn:ihe:iti:2007:RetrieveDocumentSet',
  ACTION_RETRIEVE_RESPONSE: 'urn:ihe:iti:2007:RetrieveDocumentSetResponse',
  ACTION_QUERY: 'urn:ihe:iti:2007:RegistryStoredQuery',
  ACTION_QUERY_RESPONSE: 'urn:ihe:iti:2007:RegistryStoredQueryResponse',
  SUCCESS: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success',
  FAILURE: 'urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure',
  APPROVED: 'urn:oasis:names:tc:ebxml-regrep:StatusType:Approved',
  SQ_FIND_DOCUMENTS: 'urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d',
  SQ_GET_DOCUMENTS: 'urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4',
  STABLE_DOCUMENT: 'urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1',
  REGISTRY_PACKAGE: 'urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage',
  HAS_MEMBER: 'urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember',
  // DocumentEntry classification / external-identifier schemes.
  DE: {
    author: 'urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d',
    classCode: 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a',
    confidentialityCode: 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f',
    formatCode: 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d',
    healthcareFacilityTypeCode: 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1',
    practiceSettingCode: 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead',
    typeCode: 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983',
    patientId: 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427',
    uniqueId: 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab',
  },
  // SubmissionSet ones.
  SS: {
    node: 'urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd',
    author: 'urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d',
    contentTypeCode: 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500',
    patientId: 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446',
    sourceId: 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832',
    uniqueId: 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8',
  },
};
