import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {VECTORS, runScript, tempDir} from './helpers.mjs';

const OFFLINE_VECTORS = [
  '--map-index', path.join(VECTORS, 'web', 'index.json'),
  '--didweb', 'digitalcredentials.github.io=' +
    path.join(VECTORS, 'didweb-sites', 'digitalcredentials.github.io')
];

test('verify.mjs', async t => {
  await t.test('agrees with expected.json for every vector it resolves ' +
    'offline, verifier by verifier', async () => {
    const {vectors} = JSON.parse(
      await readFile(path.join(VECTORS, 'expected.json'), 'utf8'));
    // the 1EdTech implementation-guide vectors publish their key only as a
    // URL fragment and need an emulated controller document
    const usable = vectors.filter(
      v => !(v.flags ?? []).includes('vm-fragment-key'));
    assert.ok(usable.length >= 70, `only ${usable.length} vectors`);
    const files = usable.map(v => path.join(VECTORS, v.file));
    const {code, lines, stderr} =
      await runScript('verify.mjs', [...OFFLINE_VECTORS, ...files]);
    assert.equal(code, 0, stderr);
    assert.equal(lines.length, files.length);
    const differences = [];
    lines.forEach((line, i) => {
      const {expect, file} = usable[i];
      if(line.digitalbazaar.verified !== expect['digitalbazaar-vc']) {
        differences.push(`${file}: digitalbazaar ${
          line.digitalbazaar.verified} ${line.digitalbazaar.errors}`);
      }
      if(line.dcc.verified !== expect['dcc-verifier-core']) {
        differences.push(`${file}: dcc ${line.dcc.verified} ${
          JSON.stringify(line.dcc.results)}`);
      }
    });
    assert.deepEqual(differences, []);
  });

  await t.test('accepts what sign.mjs signs and rejects it once a name ' +
    'is changed', async t => {
    const dir = await tempDir(t);
    const unsigned = path.join(VECTORS, 'ob3-spec-examples',
      'achievement-alignment-case.json');
    const seed = '11'.repeat(32);
    const signedFiles = [];
    for(const suite of ['eddsa-rdfc-2022', 'Ed25519Signature2020']) {
      const {code, stdout, stderr} = await runScript('sign.mjs',
        ['--seed', seed, '--suite', suite, unsigned]);
      assert.equal(code, 0, stderr);
      const file = path.join(dir, `${suite}.json`);
      await writeFile(file, stdout);
      signedFiles.push(file);
    }
    const valid = await runScript('verify.mjs',
      ['--expect', 'valid', ...signedFiles]);
    assert.equal(valid.code, 0, valid.stdout);

    const tampered = [];
    for(const file of signedFiles) {
      const credential = JSON.parse(await readFile(file, 'utf8'));
      credential.credentialSubject.achievement.name += '!';
      const out = file.replace(/\.json$/, '.tampered.json');
      await writeFile(out, JSON.stringify(credential));
      tampered.push(out);
    }
    const invalid = await runScript('verify.mjs',
      ['--expect', 'invalid', ...tampered]);
    assert.equal(invalid.code, 0, invalid.stdout);
    for(const line of invalid.lines) {
      assert.match(line.digitalbazaar.errors.join(' '), /Invalid signature/);
      assert.equal(line.dcc.results.errors[0].name, 'invalid_signature');
    }
  });

  await t.test('exits 1 and names the verifiers when an outcome differs ' +
    'from --expect', async () => {
    const files = [
      path.join(VECTORS, 'harness-signed',
        'basic-openbadgecredential.eddsa-rdfc-2022.didkey.json'),
      path.join(VECTORS, 'tampers', 'eddsa-01-name-changed.json')
    ];
    const r = await runScript('verify.mjs', ['--expect', 'valid', ...files]);
    assert.equal(r.code, 1);
    assert.equal(r.lines[0].unexpected, undefined);
    assert.deepEqual(r.lines[1].unexpected, ['digitalbazaar', 'dcc']);
    assert.match(r.stderr, /1 of 2 file\(s\) not valid/);
  });

  await t.test('reports a file that is not JSON as invalid, not as a crash',
    async t => {
      const dir = await tempDir(t);
      const file = path.join(dir, 'broken.json');
      await writeFile(file, '{"@context": [');
      const r = await runScript('verify.mjs', ['--expect', 'invalid', file]);
      assert.equal(r.code, 0);
      assert.match(r.lines[0].digitalbazaar.errors[0],
        /cannot read credential/);
    });

  await t.test('lists the URLs it refused to fetch', async () => {
    const file = path.join(VECTORS, 'dcc-verifier-core-fixtures',
      'v2WithValidStatus.json');
    const r = await runScript('verify.mjs', [file]);
    assert.equal(r.code, 0);
    assert.equal(r.lines[0].digitalbazaar.verified, false);
    assert.equal(r.lines[0].dcc.verified, false);
    assert.ok(r.lines[0].refused.some(u => u.includes('e5WK8CbZ1GjycuPombrj')),
      JSON.stringify(r.lines[0].refused));
  });

  await t.test('rejects bad usage with exit status 2', async () => {
    assert.equal((await runScript('verify.mjs', [])).code, 2);
    assert.equal((await runScript('verify.mjs',
      ['--expect', 'maybe', 'x.json'])).code, 2);
    assert.equal((await runScript('verify.mjs',
      ['--didweb', 'example.edu=https://example.edu', 'x.json'])).code, 2);
  });

  await t.test('prints nothing but JSON lines on standard output', async () => {
    const r = await runScript('verify.mjs', [path.join(VECTORS,
      'harness-signed', 'endorsement-credential.eddsa-rdfc-2022.didkey.json'),
    path.join(VECTORS, 'dcc-verifier-core-fixtures', 'v1Revoked.json')]);
    const lines = r.stdout.split('\n').filter(Boolean);
    assert.equal(lines.length, 2);
    for(const line of lines) {
      assert.doesNotThrow(() => JSON.parse(line), line);
    }
  });
});
