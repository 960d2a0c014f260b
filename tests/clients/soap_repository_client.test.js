// ITI-41 Provide and Register Document Set-b and ITI-43 Retrieve Document Set against the
// XDS.b Document Repository of a `renkei node` (<node>/xds/repository), driven by a
// third-party SOAP stack: the npm package `soap` (node-soap), built from Open eHealth IPF's
// WSDLs (shared/conformance/schemas/xds-wsdl-ipf/iti41.wsdl, iti43.wsdl, iti18.wsdl; SOAP 1.2
// binding) with the WS-Addressing headers ITI TF-2 Appendix V requires. The test starts a
// `renkei centre` (the registry the node registers at) and a `renkei node` on 127.0.0.1 and
// stops both by pid at the end.
//
// Who does what:
//  - node-soap builds every SOAP envelope from the WSDLs, sends every request and parses every
//    answer, MTOM answers included (its parseResponseAttachments option).
//  - ITI-41 with MTOM/XOP, three ways:
//    * SOAP 1.2 MTOM written by this test: node-soap's own MTOM writer labels the root part
//      as SOAP 1.1 (start-info="text/xml" and application/xop+xml; type="text/xml", hard-coded
//      in soap 1.13.0 lib/http.js) although the envelope is SOAP 1.2, which the W3C SOAP 1.2
//      MTOM binding (§4.3) and XOP do not allow. So RecordingHttpClient with
//      soap12Mtom (a node-soap HttpClient, its documented `httpClient` hook) repackages node-soap's envelope and
//      attachments as multipart/related with start-info="application/soap+xml", built here
//      with Node's Buffer (about 20 lines; form-data writes multipart/form-data, and a mail
//      composer would add MIME-Version and base64 parts that MTOM does not want).
//    * node-soap's own MTOM writer (forceMTOM + attachments) as shipped, to show the node
//      accepts what this widespread client really sends.
//    * inline base64 (no MTOM) - all node-soap.
//    xop:Include is not something node-soap writes from the schema: the test puts it into
//    xdsb:Document through node-soap's `$xml` key.
//  - ITI-43: node-soap sends the request and splits the MTOM answer; the test resolves each
//    xop:Include href to its MIME part by Content-ID (node-soap does not resolve XOP).
//  - ITI-18 GetDocuments at the centre's registry: node-soap.
//
// Run by ctest (tests/CMakeLists.txt, soap_repository_client_test) as `node --test` with
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
const { startNode } = require('./node');

const SOURCE_DIR = process.env.RENKEI_SOURCE_DIR || path.resolve(__dirname, '..', '..');
const SCHEMAS = path.resolve(SOURCE_DIR, '..', 'shared', 'conformance', 'schemas');
const WSDL_DIR = path.join(SCHEMAS, 'xds-wsdl-ipf');
const XSD_DIR = path.join(SCHEMAS, 'xds-ebrs30-nist');

// Spec identifiers: xds_ids.js.
const {
  NS_WSA, NS_XOP, WSA_ANONYMOUS, ACTION_PNR, ACTION_PNR_RESPONSE, ACTION_RETRIEVE,
  ACTION_RETRIEVE_RESPONSE, ACTION_QUERY, SUCCESS, FAILURE, SQ_GET_DOCUMENTS, STABLE_DOCUMENT,
  REGISTRY_PACKAGE, HAS_MEMBER, DE, SS,
} = require('./xds_ids');

const DOMAIN = '2.999.392.77.1';
const PATIENT = `NODE0041^^^&${DOMAIN}&ISO`;
const FACILITY = '2.999.392.77.41';
const REPOSITORY = `${FACILITY}.1`; // the node's repository.unique_id
const SOURCE_OID = '1.2.392.100495.20.3.51.12410000025';

let centre; // centre.js
let node; // node.js

function oid() {
  // 2.25.<decimal of a random 96-bit number>: a fresh OID per run.
  return '2.25.' + BigInt('0x' + crypto.randomBytes(12).toString('hex')).toString();
}

function sha1Hex(bytes) {
  return crypto.createHash('sha1').update(bytes).digest('hex');
}

function asArray(x) {
  if (x === undefined || x === null) return [];
  return Array.isArray(x) ? x : [x];
}

// --- Documents

// A small CDA R2 document carrying a marker unique to this run.
function cdaDocument(marker) {
  return Buffer.from(
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    '<ClinicalDocument xmlns="urn:hl7-org:v3">\n' +
    '  <typeId root="2.16.840.1.113883.1.3" extension="POCD_HD000040"/>\n' +
    `  <id root="${oid()}"/>\n` +
    '  <code code="11506-3" codeSystem="2.16.840.1.113883.6.1" displayName="Progress note"/>\n' +
    `  <title>経過記録 ${marker}</title>\n` +
    '  <effectiveTime value="20261116093000+0900"/>\n' +
    '  <component><structuredBody><component><section>\n' +
    `    <text>node-soap ITI-41 marker ${marker}</text>\n` +
    '  </section></component></structuredBody></component>\n' +
    '</ClinicalDocument>\n', 'utf8');
}

// Every byte value, CR LF runs and lines that look like MIME delimiters, and a last line
// "--" right before the delimiter: what a naive multipart writer or reader gets wrong (the
// node's MTOM reader kept the delimiter's CR after such a last line).
function binaryDocument(n) {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; ++i) b[i] = (i * 7 + (i >> 8)) & 0xff;
  return Buffer.concat([b, Buffer.from('\r\n--\r\n--uuid:\r\n\r\n--MIMEBoundary_\r\n'),
    b.subarray(0, 1000), Buffer.from('\r\n--')]);
}

// --- Metadata (node-soap arguments in ebRIM 3.0 element order)

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

// The SubmitObjectsRequest for `docs` ({ id, uniqueId, mimeType, hash?, size? }): hash, size
// and repositoryUniqueId are optional in ITI-41 (the repository sets them) and only sent
// when given.
function submitObjects(docs) {
  const institution = `Suzuka Bay General Hospital^^^^^&${SOURCE_OID}&ISO`;
  const entries = docs.map((d) => {
    const id = d.id;
    const slots = [slot('creationTime', '20261116093000')];
    if (d.hash !== undefined) slots.push(slot('hash', d.hash));
    slots.push(slot('languageCode', 'ja-JP'));
    if (d.repositoryUniqueId !== undefined) slots.push(slot('repositoryUniqueId', d.repositoryUniqueId));
    slots.push(slot('serviceStartTime', '20261015'));
    if (d.size !== undefined) slots.push(slot('size', String(d.size)));
    slots.push(slot('sourcePatientId', `B000141^^^&${SOURCE_OID}&ISO`));
    return {
      attributes: { id, mimeType: d.mimeType, objectType: STABLE_DOCUMENT },
      Slot: slots,
      Name: { LocalizedString: { attributes: { value: `node-soap ITI-41 ${id}` } } },
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
        externalId(`${id}_uid`, DE.uniqueId, id, d.uniqueId, 'XDSDocumentEntry.uniqueId'),
      ],
    };
  });
  return {
    RegistryObjectList: {
      ExtrinsicObject: entries,
      RegistryPackage: {
        attributes: { id: 'SubmissionSet01', objectType: REGISTRY_PACKAGE },
        Slot: [slot('submissionTime', '20261116093000')],
        Name: { LocalizedString: { attributes: { value: 'node-soap ITI-41 submission' } } },
        Classification: [
          {
            attributes: { id: 'ss_author', classificationScheme: SS.author, classifiedObject: 'SubmissionSet01', nodeRepresentation: '' },
            Slot: [slot('authorInstitution', institution)],
          },
          code('ss_content', SS.contentTypeCode, 'SubmissionSet01', '34133-9', '2.16.840.1.113883.6.1', 'Summary of episode note'),
        ],
        ExternalIdentifier: [
          externalId('ss_uid', SS.uniqueId, 'SubmissionSet01', oid(), 'XDSSubmissionSet.uniqueId'),
          externalId('ss_source', SS.sourceId, 'SubmissionSet01', SOURCE_OID, 'XDSSubmissionSet.sourceId'),
          externalId('ss_pid', SS.patientId, 'SubmissionSet01', PATIENT, 'XDSSubmissionSet.patientId'),
        ],
      },
      Classification: {
        attributes: { id: 'ss_node', classifiedObject: 'SubmissionSet01', classificationNode: SS.node },
      },
      Association: docs.map((d, i) => ({
        attributes: {
          id: `Assoc${i + 1}`, associationType: HAS_MEMBER,
          sourceObject: 'SubmissionSet01', targetObject: d.id,
        },
        Slot: [slot('SubmissionSetStatus', 'Original')],
      })),
    },
  };
}

// The ProvideAndRegisterDocumentSetRequest arguments. With `mtom`, each xdsb:Document holds
// an xop:Include of the MIME part `cid` (node-soap's `$xml`: raw XML it copies verbatim);
// without, the bytes inline as base64.
function provideAndRegister(docs, mtom) {
  return {
    SubmitObjectsRequest: submitObjects(docs),
    Document: docs.map((d) => (mtom
      ? { attributes: { id: d.id }, $xml: `<xop:Include xmlns:xop="${NS_XOP}" href="${d.href}"/>` }
      : { attributes: { id: d.id }, $value: d.bytes.toString('base64') })),
  };
}

// node-soap's per-call `attachments` option for MTOM.
function attachments(docs) {
  return docs.map((d) => ({ mimetype: d.mimeType, contentId: d.cid, name: d.id, body: d.bytes }));
}

// --- node-soap plumbing

// A media type parameter ("name=value" or name="value") of a Content-Type.
function mediaTypeParameter(contentType, name) {
  const m = new RegExp(`;\\s*${name}\\s*=\\s*(?:"([^"]*)"|([^;\\s]+))`, 'i').exec(contentType || '');
  return m ? (m[1] !== undefined ? m[1] : m[2]) : undefined;
}

// node-soap's HttpClient, recording the last request it built (headers and body as sent).
// With `soap12Mtom`, a request that has `attachments` goes out as SOAP 1.2 MTOM (W3C SOAP
// 1.2 MTOM §4.3, XOP §4.1, RFC 2387) written here: node-soap's envelope as the root part
// application/xop+xml; type="application/soap+xml", one binary part per attachment.
class RecordingHttpClient extends soap.HttpClient {
  constructor(options, soap12Mtom) {
    super(options);
    this.soap12Mtom = soap12Mtom;
    this.last = null;
  }

  buildRequest(rurl, data, exheaders, exoptions = {}) {
    const { attachments: parts, forceMTOM, ...rest } = exoptions;
    if (!this.soap12Mtom || !parts || parts.length === 0) {
      this.last = super.buildRequest(rurl, data, exheaders, exoptions);
      return this.last;
    }
    // node-soap's plain SOAP 1.2 request (Content-Type application/soap+xml; action=...).
    const options = super.buildRequest(rurl, data, exheaders, rest);
    const action = mediaTypeParameter(options.headers['Content-Type'], 'action');
    const boundary = `MIMEBoundary_${crypto.randomBytes(16).toString('hex')}`;
    const start = `root.${crypto.randomUUID()}@renkei-test`;
    const chunks = [Buffer.from(
      `--${boundary}\r\n` +
      'Content-Type: application/xop+xml; charset=UTF-8; type="application/soap+xml"\r\n' +
      'Content-Transfer-Encoding: binary\r\n' +
      `Content-ID: <${start}>\r\n\r\n`), Buffer.from(data, 'utf8')];
    for (const a of parts) {
      chunks.push(Buffer.from(
        `\r\n--${boundary}\r\n` +
        `Content-Type: ${a.mimetype}\r\n` +
        'Content-Transfer-Encoding: binary\r\n' +
        `Content-ID: <${a.contentId}>\r\n\r\n`), a.body);
    }
    chunks.push(Buffer.from(`\r\n--${boundary}--\r\n`));
    const body = Buffer.concat(chunks);
    options.headers['Content-Type'] =
      `multipart/related; type="application/xop+xml"; boundary="${boundary}"; ` +
      `start="<${start}>"; start-info="application/soap+xml"` + (action ? `; action="${action}"` : '');
    options.headers['Content-Length'] = body.length;
    options.data = body;
    this.last = options;
    return options;
  }
}

// WS-Addressing 1.0 headers (ITI TF-2 Appendix V): a fresh MessageID per request.
function addressing(client, action, to, sent) {
  client.clearSoapHeaders();
  client.setSOAPAction(action); // the action parameter of application/soap+xml
  client.addSoapHeader(() => {
    const id = `urn:uuid:${crypto.randomUUID()}`;
    sent.messageId = id;
    return `<wsa:Action xmlns:wsa="${NS_WSA}" soap:mustUnderstand="true">${action}</wsa:Action>` +
      `<wsa:MessageID xmlns:wsa="${NS_WSA}">${id}</wsa:MessageID>` +
      `<wsa:ReplyTo xmlns:wsa="${NS_WSA}"><wsa:Address>${WSA_ANONYMOUS}</wsa:Address></wsa:ReplyTo>` +
      `<wsa:To xmlns:wsa="${NS_WSA}" soap:mustUnderstand="true">${to}</wsa:To>`;
  });
}

async function makeClient(wsdl, endpoint, { soap12Mtom = false } = {}) {
  const http = new RecordingHttpClient({ parseResponseAttachments: true }, soap12Mtom);
  const client = await soap.createClientAsync(path.join(WSDL_DIR, wsdl), {
    forceSoap12Headers: true,
    endpoint,
    disableCache: true,
    normalizeNames: true, // "ProvideAndRegisterDocumentSet-b" -> "..._b" (+ ...Async)
    parseResponseAttachments: true,
    httpClient: http,
  });
  client.http = http;
  return client;
}

function errorCodes(result) {
  const list = (result && result.RegistryErrorList) || {};
  return asArray(list.RegistryError).map((e) => e.attributes.errorCode);
}

// The envelope headers of an answer, read from the raw XML.
function header(raw, local) {
  const m = new RegExp(`<(?:[A-Za-z0-9_]+:)?${local}\\b[^>]*>([^<]*)<`).exec(raw);
  return m ? m[1].trim() : undefined;
}

// Validates an XML fragment node-soap sent (client.lastMessage) with libxml2's xmllint.
function assertSchemaValid(xml, xsd, what) {
  const file = path.join(centre.tmpDir, 'message.xml');
  fs.writeFileSync(file, xml);
  const r = spawnSync('xmllint', ['--nonet', '--noout', '--schema', path.join(XSD_DIR, xsd), file],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, `${what} is not ${xsd}-valid:\n${r.stderr}\n${xml.slice(0, 3000)}`);
}

// ITI-41 with node-soap; resolves to { result, raw, sent, request } (request: what went out).
async function provide(client, args, options) {
  const sent = {};
  addressing(client, ACTION_PNR, node.repositoryUrl, sent);
  const [result, raw] =
    await client.DocumentRepository_ProvideAndRegisterDocumentSet_bAsync(args, options);
  return { result, raw, sent, request: client.http.last };
}

function assertSuccess(put) {
  assert.equal(put.result.attributes.status, SUCCESS, put.raw);
  assert.deepEqual(errorCodes(put.result), [], put.raw);
  assert.equal(header(put.raw, 'Action'), ACTION_PNR_RESPONSE, put.raw);
  assert.equal(header(put.raw, 'RelatesTo'), put.sent.messageId, put.raw);
}

// ITI-43 with node-soap for `uniqueIds`; resolves to { result, raw, documents } where
// documents are { repositoryUniqueId, uniqueId, mimeType, bytes } in answer order, each
// xop:Include resolved to the MIME part node-soap split off.
async function retrieve(uniqueIds) {
  const iti43 = await makeClient('iti43.wsdl', node.repositoryUrl);
  const sent = {};
  addressing(iti43, ACTION_RETRIEVE, node.repositoryUrl, sent);
  const [result, raw, , , mtom] = await iti43.DocumentRepository_RetrieveDocumentSetAsync({
    DocumentRequest: uniqueIds.map((u) => ({ RepositoryUniqueId: REPOSITORY, DocumentUniqueId: u })),
  });
  assert.equal(header(raw, 'Action'), ACTION_RETRIEVE_RESPONSE, raw);
  assert.equal(header(raw, 'RelatesTo'), sent.messageId, raw);
  assert.match(iti43.lastResponseHeaders['content-type'], /^multipart\/related;/i,
    'ITI-43 answers as MTOM');
  const byCid = new Map();
  for (const part of (mtom && mtom.parts) || []) {
    byCid.set((part.headers['content-id'] || '').replace(/^\s*<|>\s*$/g, ''), part);
  }
  const documents = asArray(result.DocumentResponse).map((r) => {
    const include = r.Document && r.Document.Include;
    assert.ok(include && include.attributes && include.attributes.href,
      `DocumentResponse without an xop:Include: ${JSON.stringify(r)}`);
    const href = include.attributes.href;
    assert.match(href, /^cid:/, href);
    const cid = decodeURIComponent(href.slice(4));
    const part = byCid.get(cid);
    assert.ok(part, `no MIME part <${cid}> in the ITI-43 answer (parts: ${[...byCid.keys()]})`);
    assert.equal(part.headers['content-type'], r.mimeType, 'the part is typed as the document');
    return {
      repositoryUniqueId: r.RepositoryUniqueId,
      uniqueId: r.DocumentUniqueId,
      mimeType: r.mimeType,
      bytes: part.body,
    };
  });
  return { result, raw, documents };
}

// ITI-18 GetDocuments at the centre; resolves to a Map uniqueId -> { hash, size,
// repositoryUniqueId, mimeType } of the DocumentEntries found.
async function registryEntries(uniqueIds) {
  const iti18 = await makeClient('iti18.wsdl', centre.registryUrl);
  addressing(iti18, ACTION_QUERY, centre.registryUrl, {});
  const [res, raw] = await iti18.DocumentRegistry_RegistryStoredQueryAsync({
    ResponseOption: { attributes: { returnComposedObjects: true, returnType: 'LeafClass' } },
    AdhocQuery: {
      attributes: { id: SQ_GET_DOCUMENTS },
      Slot: [slot('$XDSDocumentEntryUniqueId', `(${uniqueIds.map((u) => `'${u}'`).join(',')})`)],
    },
  });
  assert.equal(res.attributes.status, SUCCESS, raw);
  const out = new Map();
  for (const eo of asArray(res.RegistryObjectList && res.RegistryObjectList.ExtrinsicObject)) {
    const value = (name) => {
      const s = asArray(eo.Slot).find((x) => x.attributes.name === name);
      return s ? asArray(s.ValueList.Value).join('') : undefined;
    };
    const uid = asArray(eo.ExternalIdentifier)
      .find((x) => x.attributes.identificationScheme === DE.uniqueId).attributes.value;
    out.set(uid, {
      hash: value('hash'), size: value('size'),
      repositoryUniqueId: value('repositoryUniqueId'), mimeType: eo.attributes.mimeType,
    });
  }
  return out;
}

// A CDA (with hash and size as the source computed them) and a binary document (neither:
// the repository computes them), each with the Content-ID of its MIME part and the cid: URL
// an xop:Include names it by: verbatim, and %-encoded (RFC 2392; "@" as %40, as some
// stacks write it).
function newDocuments(tag) {
  const marker = `${tag}-${crypto.randomUUID()}`;
  const cda = cdaDocument(marker);
  const bin = binaryDocument(150000);
  const cdaCid = `${tag}.cda.${crypto.randomUUID()}@renkei-test`;
  const binCid = `${tag}.bin.${crypto.randomUUID()}@renkei-test`;
  return [
    { id: 'Document01', uniqueId: oid(), mimeType: 'text/xml', bytes: cda,
      hash: sha1Hex(cda), size: cda.length, cid: cdaCid, href: `cid:${cdaCid}`, marker },
    { id: 'Document02', uniqueId: oid(), mimeType: 'application/octet-stream', bytes: bin,
      cid: binCid, href: `cid:${encodeURIComponent(binCid)}` },
  ];
}

// Retrieves `docs` (ITI-43) and checks the bytes and mimeTypes, then the registry's
// DocumentEntries (ITI-18): the node's repositoryUniqueId, SHA-1 and size of the bytes.
async function assertStored(docs) {
  const got = await retrieve(docs.map((d) => d.uniqueId).reverse());
  assert.equal(got.result.RegistryResponse.attributes.status, SUCCESS, got.raw);
  assert.deepEqual(errorCodes(got.result.RegistryResponse), [], got.raw);
  assert.equal(got.documents.length, docs.length, got.raw);
  for (const [i, d] of [...docs].reverse().entries()) {
    const r = got.documents[i];
    assert.equal(r.uniqueId, d.uniqueId);
    assert.equal(r.repositoryUniqueId, REPOSITORY);
    assert.equal(r.mimeType, d.mimeType);
    assert.equal(r.bytes.length, d.bytes.length, `${d.id}: length of the retrieved bytes`);
    assert.ok(r.bytes.equals(d.bytes), `${d.id}: retrieved bytes differ from those provided`);
    if (d.marker) assert.ok(r.bytes.toString('utf8').includes(d.marker));
  }

  const entries = await registryEntries(docs.map((d) => d.uniqueId));
  assert.deepEqual([...entries.keys()].sort(), docs.map((d) => d.uniqueId).sort());
  for (const d of docs) {
    const e = entries.get(d.uniqueId);
    assert.equal(e.repositoryUniqueId, REPOSITORY, `${d.id}: repositoryUniqueId in the registry`);
    assert.equal(e.hash, sha1Hex(d.bytes), `${d.id}: hash in the registry`);
    assert.equal(e.size, String(d.bytes.length), `${d.id}: size in the registry`);
    assert.equal(e.mimeType, d.mimeType);
  }
}

before(async () => {
  centre = await startCentre('soap-repository', [`pix.regional_domain.oid=${DOMAIN}`,
    `registry.known_patient_ids=["${PATIENT}"]`, `registry.default_facility=${FACILITY}`]);
  node = await startNode('soap-repository', centre.registryUrl,
    [`repository.unique_id=${REPOSITORY}`, `facility.oid=${FACILITY}`]);
});

after(async () => {
  if (node) await node.stop();
  if (centre) await centre.stop();
});

test('IPF WSDLs load and expose ITI-41 and ITI-43 on a SOAP 1.2 port', async () => {
  const iti41 = await makeClient('iti41.wsdl', node.repositoryUrl);
  const iti43 = await makeClient('iti43.wsdl', node.repositoryUrl);
  const d41 = iti41.describe().DocumentRepository_Service.DocumentRepository_Port_Soap12;
  const d43 = iti43.describe().DocumentRepository_Service.DocumentRepository_Port_Soap12;
  assert.ok(d41['DocumentRepository_ProvideAndRegisterDocumentSet-b']);
  assert.ok(d43.DocumentRepository_RetrieveDocumentSet);
});

test('ITI-41 as SOAP 1.2 MTOM/XOP, then ITI-43 and the registry hold the bytes', async () => {
  const docs = newDocuments('mtom12');
  const iti41 = await makeClient('iti41.wsdl', node.repositoryUrl, { soap12Mtom: true });
  const put = await provide(iti41, provideAndRegister(docs, true), { attachments: attachments(docs) });

  // What went out: a SOAP 1.2 MTOM package whose root holds xop:Includes, not the bytes.
  const ct = put.request.headers['Content-Type'];
  assert.match(ct, /^multipart\/related;/);
  assert.equal(mediaTypeParameter(ct, 'type'), 'application/xop+xml');
  assert.equal(mediaTypeParameter(ct, 'start-info'), 'application/soap+xml');
  assert.equal(mediaTypeParameter(ct, 'action'), ACTION_PNR);
  assert.match(iti41.lastRequest, /<soap:Envelope xmlns:soap="http:\/\/www\.w3\.org\/2003\/05\/soap-envelope"/);
  for (const d of docs) assert.ok(iti41.lastRequest.includes(`href="${d.href}"`), iti41.lastRequest);
  assert.match(docs[1].href, /%40/);
  assert.ok(!iti41.lastRequest.includes(docs[1].bytes.toString('base64').slice(0, 64)));

  assertSuccess(put);
  // An MTOM request is answered as MTOM; node-soap took the envelope from its root part.
  assert.match(iti41.lastResponseHeaders['content-type'], /^multipart\/related;/i);
  await assertStored(docs);
});

test('ITI-41 as node-soap writes MTOM itself (forceMTOM + attachments) is accepted', async () => {
  const docs = newDocuments('mtom-node-soap');
  const iti41 = await makeClient('iti41.wsdl', node.repositoryUrl);
  const put = await provide(iti41, provideAndRegister(docs, true),
    { forceMTOM: true, attachments: attachments(docs) });

  // node-soap 1.13.0 labels the root part SOAP 1.1 (text/xml) and adds Content-Disposition
  // to each attachment; the node reads the envelope by its own namespace (SOAP 1.2).
  const ct = put.request.headers['Content-Type'];
  assert.match(ct, /^multipart\/related;/);
  assert.equal(mediaTypeParameter(ct, 'start-info'), 'text/xml');
  assert.equal(mediaTypeParameter(ct, 'action'), ACTION_PNR);

  assertSuccess(put);
  await assertStored(docs);
});

test('ITI-41 with the documents inline as base64 (no MTOM), schema-valid', async () => {
  const docs = newDocuments('inline');
  const iti41 = await makeClient('iti41.wsdl', node.repositoryUrl);
  const put = await provide(iti41, provideAndRegister(docs, false));
  assert.match(put.request.headers['Content-Type'], /^application\/soap\+xml;/);
  assertSchemaValid(iti41.lastMessage, 'XDS.b_DocumentRepository.xsd',
    'the ProvideAndRegisterDocumentSetRequest node-soap sent');
  assertSuccess(put);
  // A plain SOAP request is answered plainly.
  assert.match(iti41.lastResponseHeaders['content-type'], /^application\/soap\+xml/i);
  await assertStored(docs);
});

test('a wrong hash slot is a Failure with XDSRepositoryMetadataError; nothing registered or served', async () => {
  const docs = newDocuments('badhash');
  docs[0].hash = sha1Hex(Buffer.from('not the document'));
  const iti41 = await makeClient('iti41.wsdl', node.repositoryUrl, { soap12Mtom: true });
  const put = await provide(iti41, provideAndRegister(docs, true), { attachments: attachments(docs) });
  assert.equal(put.result.attributes.status, FAILURE, put.raw);
  assert.ok(errorCodes(put.result).includes('XDSRepositoryMetadataError'), put.raw);
  const error = asArray(put.result.RegistryErrorList.RegistryError)
    .find((e) => e.attributes.errorCode === 'XDSRepositoryMetadataError');
  assert.match(error.attributes.codeContext, /hash/, put.raw);
  assert.equal(header(put.raw, 'Action'), ACTION_PNR_RESPONSE, put.raw);

  // Neither document reached the registry or the repository.
  assert.equal((await registryEntries(docs.map((d) => d.uniqueId))).size, 0);
  const got = await retrieve(docs.map((d) => d.uniqueId));
  assert.equal(got.result.RegistryResponse.attributes.status, FAILURE, got.raw);
  assert.deepEqual(errorCodes(got.result.RegistryResponse),
    ['XDSDocumentUniqueIdError', 'XDSDocumentUniqueIdError'], got.raw);
  assert.equal(got.documents.length, 0, got.raw);
});
