// ITI-8 Patient Identity Feed and ITI-9 PIX Query over MLLP driven by a third-party HL7 v2
// client, the npm package `node-hl7-client` (its Message builder/parser and its MLLP
// connection), against a `renkei centre` this test starts on 127.0.0.1 and stops by pid.
// (That the registry then accepts the regional ID is tests/e2e/pix_mllp_test.cc's.)
//
// Run by ctest (tests/CMakeLists.txt, hl7_client_test) as `node --test`.
'use strict';

const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');

let hl7;
try {
  hl7 = require('node-hl7-client');
} catch (e) {
  throw new Error('tests/clients/node_modules is missing or incomplete (npm package ' +
    '"node-hl7-client"): run scripts/install-deps.sh. ' + e.message);
}
const { startCentre } = require('./centre');

const REGION = '2.999.392.88.1';
const HOSP_A = '1.2.392.100495.20.3.51.11310000001';
const HOSP_B = '1.2.392.100495.20.3.51.11310000002';

let centre;
let client;
let connection;
const replies = []; // node-hl7-client Message objects, in arrival order
const waiters = [];

before(async () => {
  centre = await startCentre('hl7', [`pix.regional_domain.oid=${REGION}`]);
  client = new hl7.Client({ host: '127.0.0.1' });
  connection = client.createConnection({ port: centre.mllpPort, waitAck: true }, async (res) => {
    const m = res.getMessage();
    const w = waiters.shift();
    if (w) w(m); else replies.push(m);
  });
});

after(async () => {
  if (connection) await connection.close();
  if (centre) await centre.stop();
});

// Sends `text` (an ER7 message) and resolves to the centre's reply.
function exchange(text) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no reply within 10 s')), 10000);
    waiters.push((m) => {
      clearTimeout(timer);
      resolve(m);
    });
    connection.sendMessage(new hl7.Message({ text })).catch(reject);
  });
}

function field(message, path) {
  return message.get(path).toString();
}

test('ITI-8 feed links two hospitals; ITI-9 finds the regional ID and the other hospital\'s', async () => {
  const feed = [
    'MSH|^~\\&|EMR|HOSP_A|RENKEI|CENTRE|20261125100000||ADT^A04^ADT_A01|FEED-1|P|2.5||||||UNICODE UTF-8',
    'EVN|A04|20261125100000',
    `PID|1||A-100^^^&${HOSP_A}&ISO~B-200^^^&${HOSP_B}&ISO||佐藤^花子^^^^^L^I~サトウ^ハナコ^^^^^L^P||19800202|F`,
    'PV1|1|O',
  ].join('\r');
  const ack = await exchange(feed);
  assert.equal(field(ack, 'MSH.9.1'), 'ACK');
  assert.equal(field(ack, 'MSA.1'), 'AA');
  assert.equal(field(ack, 'MSA.2'), 'FEED-1');

  const query = [
    'MSH|^~\\&|VIEWER|CLINIC|RENKEI|CENTRE|20261125100001||QBP^Q23^QBP_Q21|QRY-1|P|2.5',
    `QPD|IHE PIX Query|TAG-7|A-100^^^&${HOSP_A}&ISO|^^^&${REGION}&ISO~^^^&${HOSP_B}&ISO`,
    'RCP|I',
  ].join('\r');
  const rsp = await exchange(query);
  assert.equal(field(rsp, 'MSH.9.1'), 'RSP');
  assert.equal(field(rsp, 'MSH.9.2'), 'K23');
  assert.equal(field(rsp, 'MSA.1'), 'AA');
  assert.equal(field(rsp, 'QAK.1'), 'TAG-7');
  assert.equal(field(rsp, 'QAK.2'), 'OK');
  // PID-3 whole (all repetitions) from the message text the client parsed.
  const pidLine = rsp.toString().split(/\r|\n/).find((l) => l.startsWith('PID|'));
  assert.ok(pidLine, rsp.toString());
  const ids = pidLine.split('|')[3];
  const regional = /(^|~)([^~^]+)\^\^\^&2\.999\.392\.88\.1&ISO/.exec(ids);
  assert.ok(regional, `no regional id in PID-3: ${ids}`);
  assert.match(ids, /B-200\^\^\^&1\.2\.392\.100495\.20\.3\.51\.11310000002&ISO/);
});

test('an unknown identifier is AE / QAK AE with ERR 204', async () => {
  const query = [
    'MSH|^~\\&|VIEWER|CLINIC|RENKEI|CENTRE|20261125100002||QBP^Q23^QBP_Q21|QRY-2|P|2.5',
    `QPD|IHE PIX Query|TAG-8|NOBODY^^^&${HOSP_A}&ISO`,
    'RCP|I',
  ].join('\r');
  const rsp = await exchange(query);
  assert.equal(field(rsp, 'MSA.1'), 'AE');
  assert.equal(field(rsp, 'QAK.2'), 'AE');
  assert.equal(field(rsp, 'ERR.3.1'), '204');
});
