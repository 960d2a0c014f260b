// ITI-83 PIXm ($ihe-pix, GET and POST), ITI-78 PDQm (Patient search and read) and ITI-104
// (conditional update, merge, delete) driven by
// the npm FHIR client `fhir-kit-client`
// against a `renkei centre` this test starts on 127.0.0.1 and stops by pid. The patient is
// fed first over MLLP (ITI-8, the frame written by hand).
//
// Run by ctest (tests/CMakeLists.txt, fhir_client_test) as `node --test`.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { createRequire } from 'node:module';

let Client;
try {
  ({ Client } = await import('fhir-kit-client'));
} catch (e) {
  throw new Error('tests/clients/node_modules is missing or incomplete (npm package ' +
    '"fhir-kit-client"): run scripts/install-deps.sh. ' + e.message);
}
const { startCentre } = createRequire(import.meta.url)('./centre.js');

const REGION = '2.999.392.66.1';
const RED = '1.3.6.1.4.1.21367.13.20.1000';
const GREEN = '1.3.6.1.4.1.21367.13.20.2000';
const BLUE = '1.3.6.1.4.1.21367.13.20.3000';

let centre;
let fhir;

// One MLLP exchange: 0x0B message 0x1C 0x0D, the reply read up to its 0x1C.
function mllp(port, message) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(`\x0b${message}\x1c\r`));
    let got = '';
    socket.setTimeout(10000, () => { socket.destroy(); reject(new Error('MLLP timeout')); });
    socket.on('data', (d) => {
      got += d.toString('utf8');
      const end = got.indexOf('\x1c');
      if (end >= 0) {
        socket.end();
        resolve(got.slice(got.indexOf('\x0b') + 1, end));
      }
    });
    socket.on('error', reject);
  });
}

before(async () => {
  centre = await startCentre('fhir', [`pix.regional_domain.oid=${REGION}`]);
  fhir = new Client({ baseUrl: `${centre.baseUrl}/fhir` });
  const ack = await mllp(centre.mllpPort, [
    'MSH|^~\\&|CONNECTATHON|RED|RENKEI|CENTRE|20261125||ADT^A01^ADT_A01|ALICE-1|P|2.5',
    `PID|1||IHERED-994^^^&${RED}&ISO~IHEGREEN-994^^^&${GREEN}&ISO~IHEBLUE-994^^^&${BLUE}&ISO||MOHR^ALICE||19580101|F`,
  ].join('\r'));
  assert.match(ack, /\rMSA\|AA\|ALICE-1/);
});

after(async () => {
  if (centre) await centre.stop();
});

function targets(parameters) {
  assert.equal(parameters.resourceType, 'Parameters');
  return (parameters.parameter || [])
    .filter((p) => p.name === 'targetIdentifier')
    .map((p) => `${p.valueIdentifier.system}|${p.valueIdentifier.value}`)
    .sort();
}

test('GET $ihe-pix: RED to BLUE and GREEN (IHE example pixm-request-mohralice-red-to-blue)', async () => {
  const out = await fhir.operation({
    name: '$ihe-pix', resourceType: 'Patient', method: 'GET',
    input: { sourceIdentifier: `urn:oid:${RED}|IHERED-994`, targetSystem: `urn:oid:${BLUE}` },
  });
  assert.deepEqual(targets(out), [`urn:oid:${BLUE}|IHEBLUE-994`]);
  const ref = out.parameter.find((p) => p.name === 'targetId');
  assert.match(ref.valueReference.reference, /^Patient\/.+/);
});

test('POST $ihe-pix with a Parameters body: every other domain, never the source', async () => {
  const out = await fhir.operation({
    name: '$ihe-pix', resourceType: 'Patient', method: 'POST',
    input: { resourceType: 'Parameters', parameter: [
      { name: 'sourceIdentifier', valueString: `urn:oid:${RED}|IHERED-994` }] },
  });
  const t = targets(out);
  assert.equal(t.length, 3);
  assert.ok(t.includes(`urn:oid:${GREEN}|IHEGREEN-994`));
  assert.ok(t.some((x) => x.startsWith(`urn:oid:${REGION}|`)));
  assert.ok(!t.some((x) => x.includes('IHERED')));
});

test('ITI-83 errors: 404 not found, 400 unknown source domain, 403 unknown target', async () => {
  const cases = [
    [{ sourceIdentifier: `urn:oid:${RED}|NOBODY` }, 404, 'not-found'],
    [{ sourceIdentifier: 'urn:oid:1.2.3.4.5.999|X' }, 400, 'code-invalid'],
    [{ sourceIdentifier: `urn:oid:${RED}|IHERED-994`, targetSystem: 'urn:oid:1.2.3.4.5.999' }, 403, 'code-invalid'],
  ];
  for (const [input, status, code] of cases) {
    await assert.rejects(
      fhir.operation({ name: '$ihe-pix', resourceType: 'Patient', method: 'GET', input }),
      (err) => {
        assert.equal(err.response.status, status, JSON.stringify(input));
        const outcome = typeof err.response.data === 'string' ? JSON.parse(err.response.data) : err.response.data;
        assert.equal(outcome.resourceType, 'OperationOutcome');
        assert.equal(outcome.issue[0].code, code);
        return true;
      });
  }
});

test('PDQm (ITI-78): search by family name, read the Patient, unknown id is 404', async () => {
  const bundle = await fhir.search({ resourceType: 'Patient', searchParams: { family: 'mohr', birthdate: '1958' } });
  assert.equal(bundle.resourceType, 'Bundle');
  assert.equal(bundle.type, 'searchset');
  assert.equal(bundle.entry.length, 1);
  const patient = bundle.entry[0].resource;
  assert.equal(patient.resourceType, 'Patient');
  assert.equal(patient.name[0].family, 'MOHR');
  assert.equal(patient.gender, 'female');
  const ids = patient.identifier.map((i) => `${i.system}|${i.value}`);
  assert.ok(ids.includes(`urn:oid:${BLUE}|IHEBLUE-994`));
  const again = await fhir.read({ resourceType: 'Patient', id: patient.id });
  assert.equal(again.id, patient.id);
  await assert.rejects(fhir.read({ resourceType: 'Patient', id: 'R9999999999' }),
    (err) => err.response.status === 404);
  const none = await fhir.search({ resourceType: 'Patient', searchParams: { family: 'nobody' } });
  assert.equal(none.entry, undefined);
});

test('ITI-104: conditional update creates and links, a replaced-by Patient merges, DELETE unlinks', async () => {
  const YELLOW = '1.3.6.1.4.1.21367.13.20.4000';
  const bob = { resourceType: 'Patient', identifier: [
    { system: `urn:oid:${YELLOW}`, value: 'BOB-1' }, { system: `urn:oid:${RED}`, value: 'IHERED-777' }],
  name: [{ family: 'BUILDER', given: ['BOB'] }], gender: 'male', birthDate: '1970-05-06' };
  const created = await fhir.update({ resourceType: 'Patient',
    searchParams: { identifier: `urn:oid:${YELLOW}|BOB-1` }, body: bob });
  assert.equal(created.resourceType, 'Patient');
  assert.equal(created.birthDate, '1970-05-06');
  const pix = await fhir.operation({ name: '$ihe-pix', resourceType: 'Patient', method: 'GET',
    input: { sourceIdentifier: `urn:oid:${YELLOW}|BOB-1`, targetSystem: `urn:oid:${RED}` } });
  assert.deepEqual(targets(pix), [`urn:oid:${RED}|IHERED-777`]);

  // A second record for the same person, then its merge into the first (IHE's merge form).
  const dup = { resourceType: 'Patient', identifier: [{ system: `urn:oid:${YELLOW}`, value: 'BOB-2' }],
    name: [{ family: 'BUILDER', given: ['ROBERT'] }] };
  const second = await fhir.update({ resourceType: 'Patient',
    searchParams: { identifier: `urn:oid:${YELLOW}|BOB-2` }, body: dup });
  assert.notEqual(second.id, created.id);
  const merged = await fhir.update({ resourceType: 'Patient',
    searchParams: { identifier: `urn:oid:${YELLOW}|BOB-2` },
    body: { ...dup, active: false, link: [{ type: 'replaced-by',
      other: { identifier: { system: `urn:oid:${YELLOW}`, value: 'BOB-1' } } }] } });
  assert.equal(merged.id, created.id);
  const builders = await fhir.search({ resourceType: 'Patient', searchParams: { family: 'builder' } });
  assert.equal(builders.entry.length, 1, 'one person after the merge');

  // The identifier of the URL must be the resource's.
  await assert.rejects(fhir.update({ resourceType: 'Patient',
    searchParams: { identifier: `urn:oid:${YELLOW}|SOMEONE-ELSE` }, body: bob }),
  (err) => err.response.status === 400);

  const del = await fetch(`${centre.baseUrl}/fhir/Patient?identifier=${encodeURIComponent(`urn:oid:${RED}|IHERED-777`)}`,
    { method: 'DELETE' });
  assert.equal(del.status, 204);
  await assert.rejects(fhir.operation({ name: '$ihe-pix', resourceType: 'Patient', method: 'GET',
    input: { sourceIdentifier: `urn:oid:${RED}|IHERED-777` } }), (err) => err.response.status === 404);
});

test('metadata: a CapabilityStatement naming Patient and $ihe-pix', async () => {
  const cs = await fhir.capabilityStatement();
  assert.equal(cs.resourceType, 'CapabilityStatement');
  assert.equal(cs.fhirVersion, '4.0.1');
  const patient = cs.rest[0].resource.find((r) => r.type === 'Patient');
  assert.ok(patient.searchParam.some((p) => p.name === 'family'));
  assert.ok(patient.operation.some((o) => o.name === 'ihe-pix'));
});
