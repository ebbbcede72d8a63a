// Checks registry-client.mjs against a stand-in registry on 127.0.0.1 that
// answers with the shapes of docs/federation.md (unsigned: the DCC client
// only decodes). The real check runs against Communs nodes from
// federation/interop_test.go and CI.

import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {runScript} from './helpers.mjs';

const VOUCHED = 'did:web:127.0.0.1%3A8443:issuers:acme';

function jwt(payload) {
  const b64 = o => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${b64({alg: 'ES256', typ: 'entity-statement+jwt'})}.` +
    `${b64(payload)}.c2ln`;
}

async function startRegistry(t, {name = 'Acme Academy', fail = false} = {}) {
  let base;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, base);
    if(url.pathname === '/.well-known/openid-federation') {
      res.setHeader('content-type', 'application/entity-statement+jwt');
      res.end(jwt({iss: base, sub: base, metadata: {federation_entity: {
        organization_name: 'Test anchor',
        federation_fetch_endpoint: `${base}/federation/fetch`}}}));
      return;
    }
    // the client appends the DID unencoded: %3A arrives as is
    const raw = req.url.split('sub=')[1];
    if(fail) {
      res.statusCode = 500;
      res.end('{"error":"server_error"}');
    } else if(url.pathname === '/federation/fetch' && raw === VOUCHED) {
      res.setHeader('content-type', 'application/entity-statement+jwt');
      res.end(jwt({iss: base, sub: VOUCHED,
        metadata: {federation_entity: {organization_name: name}}}));
    } else {
      res.statusCode = 404;
      res.setHeader('content-type', 'application/json');
      res.end('{"error":"not_found","error_description":"unknown"}');
    }
  });
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise(resolve => server.close(resolve)));
  base = `http://127.0.0.1:${server.address().port}`;
  return `${base}/.well-known/openid-federation`;
}

function check(ec, {did = VOUCHED, name = 'Acme Academy'} = {}) {
  return runScript('registry-client.mjs', ['--ec', ec, '--did', did,
    '--name', name, '--unknown', 'did:web:nobody.example']);
}

test('registry-client.mjs', async t => {
  await t.test('passes when the vouched DID is found with its name and ' +
    'the unknown one is not', async t => {
    const {code, stdout} = await check(await startRegistry(t));
    assert.equal(code, 0, stdout);
    assert.equal(stdout.trim().split('\n').length, 3);
  });
  await t.test('fails on another organization name', async t => {
    const {code, stdout} =
      await check(await startRegistry(t, {name: 'Someone else'}));
    assert.equal(code, 1);
    assert.match(stdout, /^FAIL vouched/m);
  });
  await t.test('fails when the vouched DID is unknown', async t => {
    const {code} = await check(await startRegistry(t),
      {did: 'did:web:127.0.0.1%3A8443:issuers:other'});
    assert.equal(code, 1);
  });
  await t.test('fails when the registry cannot be checked', async t => {
    const {code, stdout} = await check(await startRegistry(t, {fail: true}));
    assert.equal(code, 1);
    assert.match(stdout, /unchecked registries: 1/);
  });
  await t.test('refuses to fetch anything but loopback hosts', async () => {
    const {code} = await check('https://registry.example/.well-known/x');
    assert.equal(code, 1);
  });
});
