// Rehearses what a Communs node will serve: a did:web issuer and a
// BitstringStatusList, over plain http on 127.0.0.1.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {createCredential, createList} from
  '@digitalbazaar/vc-bitstring-status-list';
import {keyFromSeed} from '../lib/keys.mjs';
import {VECTORS, runScript, tempDir} from './helpers.mjs';

const SEED = '42'.repeat(32);
const STATUS_INDEX = 94567;

async function startNode(t) {
  const routes = new Map();
  const server = http.createServer((req, res) => {
    const body = routes.get(req.url);
    if(body === undefined) {
      res.statusCode = 404;
      res.end('not found');
      return;
    }
    res.setHeader('content-type', 'application/json');
    res.end(body);
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise(resolve => server.close(resolve)));
  const {port} = server.address();
  // the status list lives on another loopback name than the DID host, so
  // that it needs --allow-http-loopback (a --didweb mapping serves every URL
  // of its host)
  return {routes, port, origin: `http://127.0.0.1:${port}`,
    statusOrigin: `http://localhost:${port}`,
    did: `did:web:127.0.0.1%3A${port}:issuers:acme`};
}

async function didDocument(did) {
  const {key} = await keyFromSeed(SEED, {verificationMethod: `${did}#key-1`});
  return {
    '@context': ['https://www.w3.org/ns/did/v1',
      'https://w3id.org/security/multikey/v1'],
    id: did,
    verificationMethod: [{
      id: `${did}#key-1`, type: 'Multikey', controller: did,
      publicKeyMultibase: key.publicKeyMultibase
    }],
    assertionMethod: [`${did}#key-1`]
  };
}

async function sign(dir, name, unsigned, did) {
  const input = path.join(dir, `${name}.unsigned.json`);
  await writeFile(input, JSON.stringify(unsigned));
  const {code, stdout, stderr} = await runScript('sign.mjs', ['--seed', SEED,
    '--vm', `${did}#key-1`, input]);
  assert.equal(code, 0, stderr);
  const file = path.join(dir, `${name}.json`);
  await writeFile(file, stdout);
  return {file, signed: JSON.parse(stdout)};
}

async function statusList(dir, node, revoked) {
  const list = await createList({length: 131072});
  if(revoked) {
    list.setStatus(STATUS_INDEX, true);
  }
  const unsigned = await createCredential({
    id: `${node.statusOrigin}/status/1`, list, statusPurpose: 'revocation'
  });
  unsigned.validFrom = '2024-01-01T00:00:00Z';
  unsigned.issuer = node.did;
  const {signed} = await sign(dir, `status-${revoked}`, unsigned, node.did);
  node.routes.set('/status/1', JSON.stringify(signed));
}

test('a did:web badge with a status list served over loopback', async t => {
  const dir = await tempDir(t);
  const node = await startNode(t);
  node.routes.set('/issuers/acme/did.json',
    JSON.stringify(await didDocument(node.did)));
  const badge = JSON.parse(await readFile(path.join(VECTORS,
    'ob3-spec-examples', 'basic-openbadgecredential.json'), 'utf8'));
  badge.credentialStatus = {
    id: `${node.statusOrigin}/status/1#${STATUS_INDEX}`,
    type: 'BitstringStatusListEntry', statusPurpose: 'revocation',
    statusListIndex: String(STATUS_INDEX),
    statusListCredential: `${node.statusOrigin}/status/1`
  };
  const {file, signed} = await sign(dir, 'badge', badge, node.did);
  assert.equal(signed.issuer.id, node.did);
  assert.equal(signed.proof.verificationMethod, `${node.did}#key-1`);
  const didweb = `127.0.0.1%3A${node.port}=${node.origin}`;

  await t.test('verifies with both libraries while the bit is clear',
    async () => {
      await statusList(dir, node, false);
      const r = await runScript('verify.mjs', ['--expect', 'valid',
        '--didweb', didweb, '--allow-http-loopback', file]);
      assert.equal(r.code, 0, r.stdout);
      assert.deepEqual(r.lines[0].refused, []);
      assert.ok(r.lines[0].dcc.results.log.some(
        s => s.id === 'revocation_status' && s.valid === true));
    });

  await t.test('fails with both libraries once the bit is set', async () => {
    await statusList(dir, node, true);
    const r = await runScript('verify.mjs', ['--expect', 'invalid',
      '--didweb', didweb, '--allow-http-loopback', file]);
    assert.equal(r.code, 0, r.stdout);
    assert.match(r.lines[0].digitalbazaar.errors.join(' '),
      new RegExp(`revocation bit ${STATUS_INDEX}`));
    assert.ok(r.lines[0].dcc.results.log.some(
      s => s.id === 'revocation_status' && s.valid === false));
  });

  await t.test('fails without --allow-http-loopback and names the status ' +
    'list it would not fetch', async () => {
    const r = await runScript('verify.mjs', ['--expect', 'invalid',
      '--didweb', didweb, file]);
    assert.equal(r.code, 0, r.stdout);
    assert.deepEqual(r.lines[0].refused, [`${node.statusOrigin}/status/1`]);
  });

  await t.test('fails without a --didweb mapping for the issuer host',
    async () => {
      const r = await runScript('verify.mjs', ['--expect', 'invalid',
        '--allow-http-loopback', file]);
      assert.equal(r.code, 0, r.stdout);
      assert.ok(r.lines[0].refused.includes(
        `https://127.0.0.1:${node.port}/issuers/acme/did.json`),
      JSON.stringify(r.lines[0].refused));
    });

  await t.test('fails when the DID document holds another key', async () => {
    const other = await didDocument(node.did);
    other.verificationMethod[0].publicKeyMultibase =
      'z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK';
    node.routes.set('/issuers/acme/did.json', JSON.stringify(other));
    const r = await runScript('verify.mjs', ['--expect', 'invalid',
      '--didweb', didweb, '--allow-http-loopback', file]);
    assert.equal(r.code, 0, r.stdout);
  });
});
