import {test} from 'node:test';
import assert from 'node:assert/strict';
import {readFile, writeFile} from 'node:fs/promises';
import path from 'node:path';
import {HARNESS_SEED, VECTORS, runScript, tempDir} from './helpers.mjs';

const EXAMPLES = [
  'basic-openbadgecredential', 'complete-openbadgecredential',
  'endorsement-credential'
];
const SUITES = ['eddsa-rdfc-2022', 'Ed25519Signature2020'];

async function readJson(file) {
  return JSON.parse(await readFile(file, 'utf8'));
}

test('sign.mjs', async t => {
  for(const example of EXAMPLES) {
    for(const suite of SUITES) {
      await t.test(`reproduces harness-signed ${example} (${suite}) exactly`,
        async () => {
          const {code, stdout, stderr} = await runScript('sign.mjs', [
            '--seed', HARNESS_SEED, '--suite', suite,
            '--created', '2024-06-01T00:00:00Z',
            path.join(VECTORS, 'ob3-spec-examples', `${example}.json`)
          ]);
          assert.equal(code, 0, stderr);
          const want = await readJson(path.join(VECTORS, 'harness-signed',
            `${example}.${suite}.didkey.json`));
          assert.deepEqual(JSON.parse(stdout), want);
        });
    }
  }

  await t.test('sets a string issuer to the did:key of the seed', async t => {
    const dir = await tempDir(t);
    const unsigned = await readJson(path.join(VECTORS, 'ob3-spec-examples',
      'basic-openbadgecredential.json'));
    unsigned.issuer = 'https://example.com/issuers/876543';
    const file = path.join(dir, 'string-issuer.json');
    await writeFile(file, JSON.stringify(unsigned));
    const {code, stdout, stderr} = await runScript('sign.mjs',
      ['--seed', HARNESS_SEED, file]);
    assert.equal(code, 0, stderr);
    const signed = JSON.parse(stdout);
    assert.equal(signed.issuer,
      'did:key:z6Mkn7kf8Efn6ZmDLAoizVzLxEqQ6WxMQexSgxjPVqUjwFfE');
    assert.equal(signed.proof.cryptosuite, 'eddsa-rdfc-2022');
  });

  await t.test('reads the credential from standard input with "-"',
    async () => {
      const input = await readFile(path.join(VECTORS, 'ob3-spec-examples',
        'basic-openbadgecredential.json'), 'utf8');
      const {code, stdout, stderr} = await runScript('sign.mjs',
        ['--seed', HARNESS_SEED, '--created', '2024-06-01T00:00:00Z', '-'],
        {input});
      assert.equal(code, 0, stderr);
      assert.equal(JSON.parse(stdout).proof.proofValue, (await readJson(
        path.join(VECTORS, 'harness-signed',
          'basic-openbadgecredential.eddsa-rdfc-2022.didkey.json')))
        .proof.proofValue);
    });

  await t.test('refuses a credential that already has a proof', async () => {
    const {code, stderr} = await runScript('sign.mjs', ['--seed',
      HARNESS_SEED, path.join(VECTORS, 'harness-signed',
        'basic-openbadgecredential.eddsa-rdfc-2022.didkey.json')]);
    assert.equal(code, 1);
    assert.match(stderr, /already has a proof/);
  });

  await t.test('refuses a seed that is not 32 bytes of hex', async () => {
    const {code, stderr} = await runScript('sign.mjs', ['--seed', 'abcd',
      path.join(VECTORS, 'ob3-spec-examples',
        'basic-openbadgecredential.json')]);
    assert.equal(code, 1);
    assert.match(stderr, /64 hexadecimal digits/);
  });

  await t.test('refuses an unknown suite and a date without time zone',
    async () => {
      const file = path.join(VECTORS, 'ob3-spec-examples',
        'basic-openbadgecredential.json');
      let r = await runScript('sign.mjs',
        ['--seed', HARNESS_SEED, '--suite', 'RsaSignature2018', file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--suite must be one of/);
      r = await runScript('sign.mjs',
        ['--seed', HARNESS_SEED, '--created', '2024-06-01 00:00', file]);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /--created must be an ISO 8601/);
    });

  await t.test('names the context it could not resolve offline', async () => {
    const {code, stderr} = await runScript('sign.mjs', ['--seed',
      HARNESS_SEED, path.join(VECTORS, 'ob3-spec-examples',
        'equality-sample-a.json')]);
    assert.equal(code, 1);
    assert.match(stderr,
      /no local copy of https:\/\/www\.w3\.org\/2018\/credentials\/examples/);
  });
});
