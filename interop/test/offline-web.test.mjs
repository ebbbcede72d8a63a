import {test} from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {mkdir, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {
  OfflineError, createOfflineWeb, isLoopback, parseDidWebTarget, readIndex
} from '../lib/offline-web.mjs';
import {
  DEFAULT_CONTEXTS_INDEX, OFFLINE_WEB_OPTIONS, offlineWebFromOptions
} from '../lib/options.mjs';
import {createOfflineFetch} from '../lib/network-guard.mjs';
import {createDocumentLoader} from '../lib/document-loader.mjs';
import {VECTORS, tempDir} from './helpers.mjs';

function defaults(overrides = {}) {
  const values = {};
  for(const [name, spec] of Object.entries(OFFLINE_WEB_OPTIONS)) {
    values[name] = spec.default;
  }
  return {...values, ...overrides};
}

function neverFetch() {
  const calls = [];
  const fetch = async url => {
    calls.push(String(url));
    throw new Error('the network must not be used');
  };
  return {fetch, calls};
}

async function listen(t, handler) {
  const server = http.createServer(handler);
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
  t.after(() => new Promise(resolve => server.close(resolve)));
  return `127.0.0.1:${server.address().port}`;
}

test('the offline web', async t => {
  await t.test('serves an embedded JSON-LD context from the Go library',
    async () => {
      const web = await offlineWebFromOptions(defaults());
      const {document} =
        await web.getJson('https://www.w3.org/ns/credentials/v2');
      assert.ok(document['@context'].VerifiableCredential);
    });

  await t.test('refuses a URL it has no copy of, says how to map it and ' +
    'never calls fetch', async () => {
    const {fetch, calls} = neverFetch();
    const web = await offlineWebFromOptions(defaults(), {fetch});
    const url = 'https://example.org/status/1';
    await assert.rejects(web.getJson(url), e => {
      assert.ok(e instanceof OfflineError);
      assert.match(e.message, /no local copy of https:\/\/example\.org/);
      assert.match(e.message, /--map URL=FILE/);
      return true;
    });
    assert.deepEqual(web.takeRefused(), [url]);
    assert.deepEqual(calls, []);
  });

  await t.test('answers a --map URL=FILE entry, even one whose URL holds ' +
    'an equals sign', async t => {
    const dir = await tempDir(t);
    const file = path.join(dir, 'list.json');
    await writeFile(file, '{"id": "mapped"}');
    const url = 'https://example.org/fetch?sub=did:web:x';
    const web = await offlineWebFromOptions(defaults({map: [`${url}=${file}`]}));
    assert.equal((await web.getJson(url)).document.id, 'mapped');
  });

  await t.test('reads --map-index files relative to the index', async () => {
    const index = path.join(VECTORS, 'web', 'index.json');
    const web = await offlineWebFromOptions(defaults({'map-index': [index]}));
    const urls = [...(await readIndex(index)).keys()];
    assert.equal(urls.length, 2);
    for(const url of urls) {
      const {document} = await web.getJson(url);
      assert.ok(document.type.some(t => t.endsWith('StatusListCredential')));
    }
  });

  await t.test('resolves a did:web from a mapped directory and refuses ' +
    'paths that climb out of it', async t => {
    const dir = await tempDir(t);
    await mkdir(path.join(dir, 'issuers', 'acme'), {recursive: true});
    await writeFile(path.join(dir, 'issuers', 'acme', 'did.json'),
      '{"id": "did:web:example.edu:issuers:acme"}');
    const web = await offlineWebFromOptions(
      defaults({didweb: [`example.edu=${dir}`]}));
    const {document} =
      await web.getJson('https://example.edu/issuers/acme/did.json');
    assert.equal(document.id, 'did:web:example.edu:issuers:acme');
    // URL parsing removes plain and %2e dot segments; encoded slashes remain
    assert.equal(web.route('https://example.edu/..%2F..%2Fetc%2Fpasswd')
      .kind, 'refuse');
    const missing = await web.fetchRaw('https://example.edu/nobody/did.json');
    assert.equal(missing.status, 404);
  });

  await t.test('refuses a --didweb base URL that is not on this machine',
    () => {
      assert.throws(() => parseDidWebTarget('example.edu',
        'https://example.edu'), /must be on this machine/);
      assert.equal(parseDidWebTarget('127.0.0.1%3A8080',
        'http://127.0.0.1:8080').host, '127.0.0.1:8080');
    });

  await t.test('knows which hosts are loopback', () => {
    for(const url of ['http://127.0.0.1:1/', 'http://localhost/',
      'http://[::1]:8/', 'https://127.8.9.10/']) {
      assert.ok(isLoopback(new URL(url)), url);
    }
    for(const url of ['http://10.0.0.1/', 'http://127.0.0.1.example.org/',
      'http://example.org/']) {
      assert.ok(!isLoopback(new URL(url)), url);
    }
  });

  await t.test('fetches loopback URLs only with --allow-http-loopback',
    async t => {
      const host = await listen(t, (req, res) => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({path: req.url}));
      });
      const url = `http://${host}/status/7`;
      const closed = await offlineWebFromOptions(defaults());
      await assert.rejects(closed.getJson(url), /--allow-http-loopback/);
      const open = await offlineWebFromOptions(
        defaults({'allow-http-loopback': true}));
      assert.equal((await open.getJson(url)).document.path, '/status/7');
    });

  await t.test('refuses a loopback server that redirects elsewhere',
    async t => {
      const host = await listen(t, (req, res) => {
        res.statusCode = 302;
        res.setHeader('location', 'https://example.org/');
        res.end();
      });
      const web = await offlineWebFromOptions(
        defaults({'allow-http-loopback': true}));
      await assert.rejects(web.getJson(`http://${host}/x`), /failed/);
    });

  await t.test('cannot be built on top of the network guard', async () => {
    const guard = createOfflineFetch(createOfflineWeb());
    assert.throws(() => createOfflineWeb({fetch: guard}),
      /needs the real fetch/);
  });

  await t.test('rejects malformed mappings with the flag in the message',
    async () => {
      await assert.rejects(offlineWebFromOptions(defaults({map: ['nofile']})),
        /--map expects KEY=VALUE/);
      await assert.rejects(offlineWebFromOptions(
        defaults({map: ['not-a-url=/tmp/x']})), /not an absolute URL/);
      await assert.rejects(offlineWebFromOptions(
        defaults({'map-index': ['/nonexistent/index.json']})),
      /read URL index/);
    });
});

test('the offline fetch given to the libraries', async t => {
  await t.test('answers unmapped URLs with 404 and a reason, without the ' +
    'network', async () => {
    const {fetch, calls} = neverFetch();
    const web = await offlineWebFromOptions(defaults(), {fetch});
    const offline = createOfflineFetch(web);
    const response = await offline(new Request('https://example.org/x'));
    assert.equal(response.status, 404);
    assert.match(await response.text(), /offline: no local copy/);
    assert.deepEqual(calls, []);
  });

  await t.test('serves mapped documents as JSON', async () => {
    const web = await offlineWebFromOptions(defaults());
    const offline = createOfflineFetch(web);
    const response = await offline('https://w3id.org/security/multikey/v1');
    assert.equal(response.status, 200);
    assert.ok((await response.json())['@context']);
  });

  await t.test('refuses anything but GET and HEAD', async () => {
    const web = await offlineWebFromOptions(defaults());
    const offline = createOfflineFetch(web);
    const response = await offline('https://www.w3.org/ns/credentials/v2',
      {method: 'POST'});
    assert.equal(response.status, 405);
  });
});

test('the document loader', async t => {
  const web = await offlineWebFromOptions(defaults());
  const loader = createDocumentLoader(web);

  await t.test('resolves a did:key locally to an Ed25519 Multikey', async () => {
    const did = 'did:key:z6Mkn7kf8Efn6ZmDLAoizVzLxEqQ6WxMQexSgxjPVqUjwFfE';
    const {document} = await loader(`${did}#${did.slice(8)}`);
    assert.equal(document.type, 'Multikey');
    assert.equal(document.controller, did);
  });

  await t.test('refuses other schemes by name', async () => {
    await assert.rejects(loader('urn:uuid:1234'),
      /only did:key, did:web and http\(s\) URLs/);
  });

  await t.test('refuses a did:web whose host is not mapped', async () => {
    web.takeRefused();
    await assert.rejects(loader('did:web:example.edu'), /404/);
    assert.deepEqual(web.takeRefused(),
      ['https://example.edu/.well-known/did.json']);
  });

  await t.test('uses the contexts index by default', () => {
    assert.match(DEFAULT_CONTEXTS_INDEX, /vc\/jsonld\/contexts\/index\.json$/);
  });
});
