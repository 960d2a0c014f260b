// DICOMweb at the node driven by a third-party client, the npm package `dicomweb-client`
// (its STOW-RS, QIDO-RS and WADO-RS calls; XMLHttpRequest from the npm package `xhr2`),
// against a `renkei node` this test starts on 127.0.0.1 and stops by pid. The instances are
// made with DCMTK's dump2dcm.
//
// Run by ctest (tests/CMakeLists.txt, dicomweb_client_test) as `node --test`.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');

let DICOMwebClient;
try {
  global.XMLHttpRequest = require('xhr2');
  DICOMwebClient = require('dicomweb-client').api.DICOMwebClient;
} catch (e) {
  throw new Error('tests/clients/node_modules is missing or incomplete (npm packages ' +
    '"dicomweb-client", "xhr2"): run scripts/install-deps.sh. ' + e.message);
}
const { execFileSync } = require('node:child_process');
const { startNode } = require('./node');
const { startRole } = require('./role');
const { makeInstance } = require('./dicom_files');

const STUDY = '1.2.826.0.1.3680043.10.77.1';
const SERIES = `${STUDY}.1`;
let node;
let client;
const files = {};

before(async () => {
  node = await startNode('dicomweb', 'http://127.0.0.1:9/xds/registry', []);
  client = new DICOMwebClient({ url: `${node.baseUrl}/dicomweb` });
  for (const n of [1, 2, 3]) {
    const sop = `${SERIES}.${n}`;
    files[sop] = makeInstance(node.tmpDir, { study: STUDY, series: SERIES, sop, instanceNumber: n });
  }
});

after(async () => {
  if (node) await node.stop();
});

function arrayBuffer(file) {
  const b = fs.readFileSync(file);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength);
}

test('storeInstances stores every instance (STOW-RS)', async () => {
  const datasets = Object.values(files).map(arrayBuffer);
  const response = await client.storeInstances({ datasets });
  const text = typeof response === 'string' ? response : Buffer.from(response).toString();
  const body = JSON.parse(text);
  assert.equal(body['00081199'].Value.length, 3);
  assert.equal(body['00081198'], undefined);
});

test('searchForStudies / Series / Instances find them (QIDO-RS)', async () => {
  const studies = await client.searchForStudies({ queryParams: { PatientID: 'P1' } });
  assert.equal(studies.length, 1);
  assert.deepEqual(studies[0]['0020000D'].Value, [STUDY]);
  assert.deepEqual(studies[0]['00201208'].Value, [3]);
  assert.deepEqual(studies[0]['00100010'].Value, [{ Alphabetic: 'Yamada^Taro' }]);

  const none = await client.searchForStudies({ queryParams: { PatientName: 'Suzuki*' } });
  assert.equal((none || []).length, 0);

  const series = await client.searchForSeries({ studyInstanceUID: STUDY });
  assert.equal(series.length, 1);
  assert.deepEqual(series[0]['00080060'].Value, ['CT']);

  const instances = await client.searchForInstances({
    studyInstanceUID: STUDY, seriesInstanceUID: SERIES, queryParams: { limit: 2, offset: 1 },
  });
  assert.deepEqual(instances.map((i) => i['00080018'].Value[0]), [`${SERIES}.2`, `${SERIES}.3`]);
});

test('retrieveInstance answers the stored bytes (WADO-RS)', async () => {
  const sop = `${SERIES}.2`;
  const got = await client.retrieveInstance({
    studyInstanceUID: STUDY, seriesInstanceUID: SERIES, sopInstanceUID: sop,
  });
  assert.ok(Buffer.from(got).equals(fs.readFileSync(files[sop])), 'byte-identical');

  const all = await client.retrieveSeries({ studyInstanceUID: STUDY, seriesInstanceUID: SERIES });
  assert.equal(all.length, 3);
  assert.ok(Buffer.from(all[0]).equals(fs.readFileSync(files[`${SERIES}.1`])));
});

test('retrieveStudyMetadata answers every instance, pixel data as BulkDataURI', async () => {
  const metadata = await client.retrieveStudyMetadata({ studyInstanceUID: STUDY });
  assert.equal(metadata.length, 3);
  const first = metadata[0];
  assert.deepEqual(first['00080018'].Value, [`${SERIES}.1`]);
  assert.match(first['7FE00010'].BulkDataURI,
    new RegExp(`/dicomweb/studies/${STUDY}/series/${SERIES}/instances/${SERIES}\\.1/bulkdata/7FE00010$`));
});

test('a DCMTK storescu push over DIMSE is found and retrieved over DICOMweb', async () => {
  const pacs = await startRole('node', 'dimse',
    ['http.listen=127.0.0.1:0', 'dimse.listen=127.0.0.1:0', 'tls.insecure_loopback=true',
      'registry.url=http://127.0.0.1:9/xds/registry', 'log.level=warning'],
    [],
    /^ready node (http:\/\/127\.0\.0\.1:[0-9]+) dicom:\/\/127\.0\.0\.1:([0-9]+)$/m,
    (m, p) => ({ baseUrl: m[1], dimsePort: m[2], ...p }));
  try {
    const study = '1.2.826.0.1.3680043.10.77.2';
    const file = makeInstance(pacs.tmpDir, {
      study, series: `${study}.1`, sop: `${study}.1.1`, modality: 'ES', patientId: 'P2',
    });
    execFileSync('echoscu', ['127.0.0.1', pacs.dimsePort]);
    execFileSync('storescu', ['-xs', '127.0.0.1', pacs.dimsePort, file]);
    const dicomweb = new DICOMwebClient({ url: `${pacs.baseUrl}/dicomweb` });
    const studies = await dicomweb.searchForStudies({ queryParams: { ModalitiesInStudy: 'ES' } });
    assert.equal(studies.length, 1);
    assert.deepEqual(studies[0]['00100020'].Value, ['P2']);
    const got = await dicomweb.retrieveInstance({
      studyInstanceUID: study, seriesInstanceUID: `${study}.1`, sopInstanceUID: `${study}.1.1`,
    });
    const stored = await dicomweb.retrieveInstanceMetadata({
      studyInstanceUID: study, seriesInstanceUID: `${study}.1`, sopInstanceUID: `${study}.1.1`,
    });
    assert.deepEqual(stored[0]['00080060'].Value, ['ES']);
    // The data set is the pushed one (the meta header is the receiver's): same pixel bytes.
    const sent = fs.readFileSync(file);
    assert.ok(Buffer.from(got).subarray(-64).equals(sent.subarray(-64)));
  } finally {
    await pacs.stop();
  }
});
