// ITI-42 Register Document Set-b and ITI-18 Registry Stored Query (FindDocuments,
// GetDocuments) driven by a third-party SOAP stack: the npm package `soap` (node-soap),
// built from Open eHealth IPF's WSDLs (shared/conformance/schemas/xds-wsdl-ipf/iti42.wsdl,
// iti18.wsdl; SOAP 1.2 binding) with the WS-Addressing headers ITI TF-2 Appendix V requires
// (wsa:Action, wsa:MessageID, wsa:ReplyTo, wsa:To), against a `renkei centre` this test
// starts itself on 127.0.0.1 and stops by pid at the end.
//
// Run by ctest (tests/CMakeLists.txt, soap_client_test) as `node --test` with
// RENKEI_BINARY_DIR and RENKEI_SOURCE_DIR set. A missing node_modules is a failure.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

let soap;
try {
  soap = require('soap');
} catch (e) {
  throw new Error(
    'tests/clients/node_modules is missing or incomplete (npm package "soap"): run ' +
      'scripts/install-deps.sh (npm install in tests/clients). ' + e.message);
}

const { startCentre } = require('./centre');

const SOURCE_DIR = process.env.RENKEI_SOURCE_DIR || path.resolve(__dirname, '..', '..');
const SCHEMAS = path.resolve(SOURCE_DIR, '..', 'shared', 'conformance', 'schemas');
const WSDL_DIR = path.join(SCHEMAS, 'xds-wsdl-ipf');
const XSD_DIR = path.join(SCHEMAS, 'xds-ebrs30-nist');

// Spec identifiers: xds_ids.js.
const {
  NS_WSA, WSA_ANONYMOUS, ACTION_REGISTER, ACTION_REGISTER_RESPONSE, ACTION_QUERY,
  ACTION_QUERY_RESPONSE, SUCCESS, FAILURE, APPROVED, SQ_FIND_DOCUMENTS, SQ_GET_DOCUMENTS,
  STABLE_DOCUMENT, REGISTRY_PACKAGE, HAS_MEMBER, DE, SS,
} = require('./xds_ids');

const DOMAIN = '2.999.392.77.1';
const PATIENT = `NODE0001^^^&${DOMAIN}&ISO`;
const SOURCE_OID = '1.2.392.100495.20.3.51.12410000025';
const REPOSITORY = `${SOURCE_OID}.1`;

let centre; // { registryUrl, tmpDir, stop } (centre.js)
let registryUrl;
let tmpDir;

function oid() {
  // 2.25.<decimal of a random 96-bit number>: a fresh OID per run.
  return '2.25.' + BigInt('0x' + crypto.randomBytes(12).toString('hex')).toString();
}

// WS-Addressing 1.0 headers (ITI TF-2 Appendix V): a fresh MessageID per request.
function addressing(client, action, sent) {
  client.clearSoapHeaders();
  client.setSOAPAction(action); // the action parameter of application/soap+xml
  client.addSoapHeader(() => {
    const id = `urn:uuid:${crypto.randomUUID()}`;
    sent.messageId = id;
    return `<wsa:Action xmlns:wsa="${NS_WSA}" soap:mustUnderstand="true">${action}</wsa:Action>` +
      `<wsa:MessageID xmlns:wsa="${NS_WSA}">${id}</wsa:MessageID>` +
      `<wsa:ReplyTo xmlns:wsa="${NS_WSA}"><wsa:Address>${WSA_ANONYMOUS}</wsa:Address></wsa:ReplyTo>` +
      `<wsa:To xmlns:wsa="${NS_WSA}" soap:mustUnderstand="true">${registryUrl}</wsa:To>`;
  });
}

async function makeClient(wsdl) {
  return soap.createClientAsync(path.join(WSDL_DIR, wsdl), {
    forceSoap12Headers: true,
    endpoint: registryUrl,
    disableCache: true,
    normalizeNames: true, // "RegisterDocumentSet-b" -> "RegisterDocumentSet_b" (+ ...Async)
  });
}

function asArray(x) {
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [x];
}

function slot(name, ...values) {
  return { attributes: { name }, ValueList: { Value: values } };
}

function code(id, scheme, object, value, codingScheme, display) {
  return {
    attributes: { id, classificationScheme: scheme, classifiedObject: object, nodeRepresentation: value },
    Slot: [slot('codingScheme', codingScheme)],
    Name: { LocalizedString: { attributes: { value: display } } },
  };
}

function externalId(id, scheme, object, value, name) {
  return {
    attributes: { id, identificationScheme: scheme, registryObject: object, value },
    Name: { LocalizedString: { attributes: { value: name } } },
  };
}

// The SubmitObjectsRequest as node-soap arguments (element order as ebRIM 3.0 requires).
function submission(docUniqueIds, ssUniqueId) {
  const institution = `Suzuka Bay General Hospital^^^^^&${SOURCE_OID}&ISO`;
  const docs = docUniqueIds.map((uid, i) => {
    const id = `Document${i + 1}`;
    return {
      attributes: { id, mimeType: 'text/plain', objectType: STABLE_DOCUMENT },
      Slot: [
        slot('creationTime', '20261116093000'),
        slot('hash', 'da39a3ee5e6b4b0d3255bfef95601890afd80709'),
        slot('languageCode', 'ja-JP'),
        slot('repositoryUniqueId', REPOSITORY),
        slot('serviceStartTime', '20261015'),
        slot('size', '0'),
        slot('sourcePatientId', `B000114^^^&${SOURCE_OID}&ISO`),
      ],
      Name: { LocalizedString: { attributes: { value: `node-soap note ${i + 1}` } } },
      Classification: [
        {
          attributes: { id: `${id}_author`, classificationScheme: DE.author, classifiedObject: id, nodeRepresentation: '' },
          Slot: [slot('authorPerson', '^Kensa^Hanako^^^'), slot('authorInstitution', institution)],
        },
        // NIST / Connectathon codes, accepted by the built-in conformance code set.
        code(`${id}_class`, DE.classCode, id, 'REPORTS', '1.3.6.1.4.1.19376.1.2.6.1', 'Reports'),
        code(`${id}_conf`, DE.confidentialityCode, id, 'N', '2.16.840.1.113883.5.25', 'normal'),
        code(`${id}_format`, DE.formatCode, id, 'urn:ihe:pcc:xds-ms:2007', '1.3.6.1.4.1.19376.1.2.3', 'XDS-MS'),
        code(`${id}_hcft`, DE.healthcareFacilityTypeCode, id, '22232009', '2.16.840.1.113883.6.96', 'Hospital'),
        code(`${id}_practice`, DE.practiceSettingCode, id, 'General Medicine', 'Connect-a-thon practiceSettingCodes', 'General Medicine'),
        code(`${id}_type`, DE.typeCode, id, '11506-3', '2.16.840.1.113883.6.1', 'Progress note'),
      ],
      ExternalIdentifier: [
        externalId(`${id}_pid`, DE.patientId, id, PATIENT, 'XDSDocumentEntry.patientId'),
        externalId(`${id}_uid`, DE.uniqueId, id, uid, 'XDSDocumentEntry.uniqueId'),
      ],
    };
  });
  return {
    RegistryObjectList: {
      ExtrinsicObject: docs,
      RegistryPackage: {
        attributes: { id: 'SubmissionSet01', objectType: REGISTRY_PACKAGE },
        Slot: [slot('submissionTime', '20261116093000')],
        Name: { LocalizedString: { attributes: { value: 'node-soap submission' } } },
        Classification: [
          {
            attributes: { id: 'ss_author', classificationScheme: SS.author, classifiedObject: 'SubmissionSet01', nodeRepresentation: '' },
            Slot: [slot('authorInstitution', institution)],
          },
          code('ss_content', SS.contentTypeCode, 'SubmissionSet01', '34133-9', '2.16.840.1.113883.6.1', 'Summary of episode note'),
        ],
        ExternalIdentifier: [
          externalId('ss_uid', SS.uniqueId, 'SubmissionSet01', ssUniqueId, 'XDSSubmissionSet.uniqueId'),
          externalId('ss_source', SS.sourceId, 'SubmissionSet01', SOURCE_OID, 'XDSSubmissionSet.sourceId'),
          externalId('ss_pid', SS.patientId, 'SubmissionSet01', PATIENT, 'XDSSubmissionSet.patientId'),
        ],
      },
      Classification: {
        attributes: { id: 'ss_node', classifiedObject: 'SubmissionSet01', classificationNode: SS.node },
      },
      Association: docUniqueIds.map((_, i) => ({
        attributes: {
          id: `Assoc${i + 1}`, associationType: HAS_MEMBER,
          sourceObject: 'SubmissionSet01', targetObject: `Document${i + 1}`,
        },
        Slot: [slot('SubmissionSetStatus', 'Original')],
      })),
    },
  };
}

function adhocQuery(queryId, slots, returnType = 'LeafClass') {
  return {
    ResponseOption: { attributes: { returnComposedObjects: true, returnType } },
    AdhocQuery: { attributes: { id: queryId }, Slot: slots },
  };
}

// uniqueIds of the DocumentEntries in a parsed LeafClass AdhocQueryResponse.
function entryUniqueIds(result) {
  const list = result.RegistryObjectList || {};
  return asArray(list.ExtrinsicObject).map((eo) => {
    const ext = asArray(eo.ExternalIdentifier).find(
      (x) => x.attributes.identificationScheme === DE.uniqueId);
    assert.ok(ext, 'an ExtrinsicObject without an XDSDocumentEntry.uniqueId');
    return ext.attributes.value;
  }).sort();
}

function errorCodes(result) {
  const list = result.RegistryErrorList || {};
  return asArray(list.RegistryError).map((e) => e.attributes.errorCode);
}

// The envelope headers of an answer, read from the raw XML.
function header(raw, local) {
  const m = new RegExp(`<(?:[A-Za-z0-9_]+:)?${local}\\b[^>]*>([^<]*)<`).exec(raw);
  return m ? m[1].trim() : undefined;
}

// Validates the Body element node-soap sent (client.lastMessage) with libxml2's xmllint.
function assertSchemaValid(xml, xsd, what) {
  const file = path.join(tmpDir, 'message.xml');
  fs.writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', path.join(XSD_DIR, xsd), file],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `${what} is not ${xsd}-valid:\n${r.stderr}\n${xml.slice(0, 3000)}`);
}

before(async () => {
  centre = await startCentre('soap', [`pix.regional_domain.oid=${DOMAIN}`,
    `registry.known_patient_ids=["${PATIENT}"]`]);
  registryUrl = centre.registryUrl;
  tmpDir = centre.tmpDir;
});

after(async () => {
  if (centre) await centre.stop();
});

test('IPF WSDLs load and expose the ITI-42 and ITI-18 operations on a SOAP 1.2 port', async () => {
  const iti42 = await makeClient('iti42.wsdl');
  const iti18 = await makeClient('iti18.wsdl');
  const d42 = iti42.describe().DocumentRegistry_Service.DocumentRegistry_Port_Soap12;
  const d18 = iti18.describe().DocumentRegistry_Service.DocumentRegistry_Port_Soap12;
  assert.ok(d42['DocumentRegistry_RegisterDocumentSet-b']);
  assert.ok(d18.DocumentRegistry_RegistryStoredQuery);
});

test('register a document set (ITI-42), then FindDocuments and GetDocuments (ITI-18)', async () => {
  const docUids = [oid(), oid(), oid()];
  const ssUid = oid();

  // ITI-42
  const iti42 = await makeClient('iti42.wsdl');
  const sent42 = {};
  addressing(iti42, ACTION_REGISTER, sent42);
  const [reg, rawReg, , rawReq] =
    await iti42.DocumentRegistry_RegisterDocumentSet_bAsync(submission(docUids, ssUid));
  assert.match(rawReq, /<soap:Envelope xmlns:soap="http:\/\/www\.w3\.org\/2003\/05\/soap-envelope"/);
  assert.match(iti42.lastRequestHeaders['Content-Type'] || '', /^application\/soap\+xml/);
  assertSchemaValid(iti42.lastMessage, 'lcm.xsd', 'the SubmitObjectsRequest node-soap sent');
  assert.equal(reg.attributes.status, SUCCESS, rawReg);
  assert.deepEqual(errorCodes(reg), [], rawReg);
  assert.equal(header(rawReg, 'Action'), ACTION_REGISTER_RESPONSE, rawReg);
  assert.equal(header(rawReg, 'RelatesTo'), sent42.messageId, rawReg);

  // ITI-18 FindDocuments, LeafClass
  const iti18 = await makeClient('iti18.wsdl');
  const sent18 = {};
  addressing(iti18, ACTION_QUERY, sent18);
  const [found, rawFound] = await iti18.DocumentRegistry_RegistryStoredQueryAsync(adhocQuery(
    SQ_FIND_DOCUMENTS,
    [slot('$XDSDocumentEntryPatientId', `'${PATIENT}'`),
      slot('$XDSDocumentEntryStatus', `('${APPROVED}')`)]));
  assertSchemaValid(iti18.lastMessage, 'query.xsd', 'the FindDocuments node-soap sent');
  assert.equal(found.attributes.status, SUCCESS, rawFound);
  assert.equal(header(rawFound, 'Action'), ACTION_QUERY_RESPONSE, rawFound);
  assert.equal(header(rawFound, 'RelatesTo'), sent18.messageId, rawFound);
  assert.deepEqual(entryUniqueIds(found), [...docUids].sort(), rawFound);
  for (const eo of asArray(found.RegistryObjectList.ExtrinsicObject)) {
    assert.equal(eo.attributes.status, APPROVED);
    assert.equal(eo.attributes.objectType, STABLE_DOCUMENT);
    assert.match(eo.attributes.id, /^urn:uuid:[0-9a-f-]{36}$/, 'symbolic ids are replaced by UUIDs');
  }

  // ITI-18 FindDocuments, ObjectRef: the same entries by entryUUID.
  addressing(iti18, ACTION_QUERY, sent18);
  const [refs, rawRefs] = await iti18.DocumentRegistry_RegistryStoredQueryAsync(adhocQuery(
    SQ_FIND_DOCUMENTS,
    [slot('$XDSDocumentEntryPatientId', `'${PATIENT}'`),
      slot('$XDSDocumentEntryStatus', `('${APPROVED}')`)], 'ObjectRef'));
  assert.equal(refs.attributes.status, SUCCESS, rawRefs);
  const uuids = asArray(found.RegistryObjectList.ExtrinsicObject).map((eo) => eo.attributes.id).sort();
  assert.deepEqual(asArray(refs.RegistryObjectList.ObjectRef).map((r) => r.attributes.id).sort(),
    uuids, rawRefs);

  // ITI-18 GetDocuments by uniqueId: two of the three.
  addressing(iti18, ACTION_QUERY, sent18);
  const wanted = docUids.slice(0, 2);
  const [got, rawGot] = await iti18.DocumentRegistry_RegistryStoredQueryAsync(adhocQuery(
    SQ_GET_DOCUMENTS,
    [slot('$XDSDocumentEntryUniqueId', `(${wanted.map((u) => `'${u}'`).join(',')})`)]));
  assertSchemaValid(iti18.lastMessage, 'query.xsd', 'the GetDocuments node-soap sent');
  assert.equal(got.attributes.status, SUCCESS, rawGot);
  assert.deepEqual(entryUniqueIds(got), [...wanted].sort(), rawGot);
});

test('a stored-query error reaches the client as an ebRS Failure, not a transport error', async () => {
  const iti18 = await makeClient('iti18.wsdl');
  addressing(iti18, ACTION_QUERY, {});
  const [res, raw] = await iti18.DocumentRegistry_RegistryStoredQueryAsync(adhocQuery(
    'urn:uuid:00000000-0000-4000-8000-000000000000',
    [slot('$XDSDocumentEntryPatientId', `'${PATIENT}'`)]));
  assert.equal(res.attributes.status, FAILURE, raw);
  assert.deepEqual(errorCodes(res), ['XDSUnknownStoredQuery'], raw);
});

test('a SOAP-level error reaches the client as a SOAP 1.2 Fault it can parse', async () => {
  const iti18 = await makeClient('iti18.wsdl');
  addressing(iti18, 'urn:ihe:iti:2007:NoSuchTransaction', {});
  await assert.rejects(
    iti18.DocumentRegistry_RegistryStoredQueryAsync(adhocQuery(SQ_FIND_DOCUMENTS,
      [slot('$XDSDocumentEntryPatientId', `'${PATIENT}'`)])),
    (err) => {
      assert.equal(err.response && err.response.status, 400, String(err));
      const fault = err.root && err.root.Envelope && err.root.Envelope.Body &&
        err.root.Envelope.Body.Fault;
      assert.ok(fault, `node-soap did not see a Fault: ${err.body}`);
      assert.match(JSON.stringify(fault.Code), /Sender/);
      assert.match(JSON.stringify(fault.Code), /ActionNotSupported/);
      return true;
    });
});
