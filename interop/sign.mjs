#!/usr/bin/env node
// Signs an unsigned credential with Digital Bazaar's libraries and a key from
// a fixed seed, and prints the signed credential.

import {readFile} from 'node:fs/promises';
import {parseArgs} from 'node:util';
import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {
  cryptosuite as eddsaRdfc2022
} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {
  OFFLINE_WEB_HELP, OFFLINE_WEB_OPTIONS, offlineWebFromOptions
} from './lib/options.mjs';
import {createDocumentLoader} from './lib/document-loader.mjs';
import {installNetworkGuard} from './lib/network-guard.mjs';
import {keyFromSeed} from './lib/keys.mjs';
import {describeError} from './lib/errors.mjs';

const SUITES = ['eddsa-rdfc-2022', 'Ed25519Signature2020'];

const USAGE = `usage: node sign.mjs --seed HEX32 [--suite ${SUITES.join('|')}]
                    [--created ISO] [--vm DID#KEY] FILE

Signs the unsigned credential FILE ("-" for standard input) and prints it.
The issuer (issuer, or issuer.id when the issuer is an object) is set to the
key's controller: the did:key of the seed's Ed25519 key, or the DID of
--vm.

  --seed HEX32     32-byte Ed25519 seed, 64 hex digits
  --suite NAME     eddsa-rdfc-2022 (DataIntegrityProof, default) or
                   Ed25519Signature2020
  --created ISO    proof creation time (default: now)
  --vm DID#KEY     sign as this key (e.g. a did:web key whose document
                   holds the seed's public key); the DID becomes the issuer
${OFFLINE_WEB_HELP}`;

function buildSuite(name, key, date) {
  const signer = key.signer();
  if(name === 'eddsa-rdfc-2022') {
    return new DataIntegrityProof({signer, date, cryptosuite: eddsaRdfc2022});
  }
  return new Ed25519Signature2020({signer, date});
}

function setIssuer(credential, controller) {
  if(credential.issuer && typeof credential.issuer === 'object' &&
    !Array.isArray(credential.issuer)) {
    credential.issuer = {...credential.issuer, id: controller};
  } else {
    credential.issuer = controller;
  }
}

async function readInput(file) {
  if(file !== '-') {
    return readFile(file, 'utf8');
  }
  const chunks = [];
  for await (const chunk of process.stdin) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        ...OFFLINE_WEB_OPTIONS,
        'seed': {type: 'string'},
        'suite': {type: 'string', default: 'eddsa-rdfc-2022'},
        'created': {type: 'string'},
        'vm': {type: 'string'},
        'help': {type: 'boolean', short: 'h', default: false}
      }
    });
  } catch(e) {
    throw new UsageError(e.message);
  }
  const {values, positionals} = parsed;
  if(values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if(positionals.length !== 1) {
    throw new UsageError('exactly one FILE is needed');
  }
  if(!SUITES.includes(values.suite)) {
    throw new UsageError(`--suite must be one of ${SUITES.join(', ')}, ` +
      `got "${values.suite}"`);
  }
  let date = new Date();
  if(values.created !== undefined) {
    date = new Date(values.created);
    if(!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/
      .test(values.created) || Number.isNaN(date.getTime())) {
      throw new UsageError('--created must be an ISO 8601 date-time with a ' +
        `time zone, like 2024-06-01T00:00:00Z, got "${values.created}"`);
    }
  }
  const [file] = positionals;
  let credential;
  try {
    credential = JSON.parse(await readInput(file));
  } catch(e) {
    throw new Error(`read credential ${file}: ${e.message}`);
  }
  if(!credential || typeof credential !== 'object' ||
    Array.isArray(credential)) {
    throw new Error(`${file}: a credential must be a JSON object`);
  }
  if(credential.proof) {
    throw new Error(`${file} already has a proof; sign.mjs signs unsigned ` +
      'credentials only (remove "proof" first)');
  }
  const {key, controller} = await keyFromSeed(values.seed, {
    verificationMethod: values.vm
  });
  setIssuer(credential, controller);

  const web = await offlineWebFromOptions(values);
  installNetworkGuard(web);
  const documentLoader = createDocumentLoader(web);
  const signed = await vc.issue({
    credential,
    suite: buildSuite(values.suite, key, date),
    documentLoader
  });
  process.stdout.write(`${JSON.stringify(signed, null, 2)}\n`);
}

class UsageError extends Error {}

try {
  await main();
} catch(e) {
  const usage = e instanceof UsageError ? `\n\n${USAGE}` : '';
  process.stderr.write(`sign.mjs: ${describeError(e)}${usage}\n`);
  process.exitCode = e instanceof UsageError ? 2 : 1;
}
