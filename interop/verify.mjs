#!/usr/bin/env node
// Verifies credentials with Digital Bazaar's @digitalbazaar/vc and with the
// Digital Credentials Consortium's verifier-core, offline, and prints one JSON
// line per file.

import {readFile} from 'node:fs/promises';
import {parseArgs} from 'node:util';
import {
  OFFLINE_WEB_HELP, OFFLINE_WEB_OPTIONS, offlineWebFromOptions
} from './lib/options.mjs';
import {installNetworkGuard} from './lib/network-guard.mjs';
import {createDocumentLoader} from './lib/document-loader.mjs';

const USAGE = `usage: node verify.mjs [--expect valid|invalid] [options] FILE...

Verifies each credential FILE ("-" for standard input) with
@digitalbazaar/vc and @digitalcredentials/verifier-core and prints one JSON
line per file:
  {"file", "digitalbazaar": {"verified", "errors", "notes"},
   "dcc": {"verified", "results"}, "refused": [URLs without offline copy]}

  --expect valid|invalid    exit 1 when any verifier's outcome for any file
                            differs
  --debug                   let the libraries print their diagnostics on
                            standard error (silenced by default)
${OFFLINE_WEB_HELP}

Exit status: 0 ok (or every outcome as expected), 1 an outcome differs from
--expect, 2 usage error.`;

async function readCredential(file) {
  const raw = file === '-' ?
    await new Promise((resolve, reject) => {
      const chunks = [];
      process.stdin.on('data', c => chunks.push(c));
      process.stdin.on('end', () => resolve(Buffer.concat(chunks)));
      process.stdin.on('error', reject);
    }) :
    await readFile(file);
  const credential = JSON.parse(raw.toString('utf8'));
  if(!credential || typeof credential !== 'object' ||
    Array.isArray(credential)) {
    throw new Error('a credential must be a JSON object');
  }
  return credential;
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        ...OFFLINE_WEB_OPTIONS,
        expect: {type: 'string'},
        debug: {type: 'boolean', default: false},
        help: {type: 'boolean', short: 'h', default: false}
      }
    });
  } catch(e) {
    console.error(`verify.mjs: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const {values, positionals: files} = parsed;
  if(values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if(values.expect !== undefined &&
    !['valid', 'invalid'].includes(values.expect)) {
    console.error(`verify.mjs: --expect must be "valid" or "invalid", ` +
      `got "${values.expect}"`);
    return 2;
  }
  if(files.length === 0) {
    console.error(`verify.mjs: no FILE given\n\n${USAGE}`);
    return 2;
  }

  let web;
  try {
    web = await offlineWebFromOptions(values);
  } catch(e) {
    console.error(`verify.mjs: ${e.message}`);
    return 2;
  }
  // The libraries print diagnostics with console.log/error; standard output
  // is for results and what matters is in them.
  const report = console.error.bind(console);
  if(values.debug) {
    console.log = report;
  } else {
    console.log = console.error = console.warn = () => {};
  }
  installNetworkGuard(web);
  const documentLoader = createDocumentLoader(web);
  // imported after the guard is in place, so no library can fetch first
  const {verifyWithDigitalBazaar} =
    await import('./lib/verify-digitalbazaar.mjs');
  const {verifyWithDcc} = await import('./lib/verify-dcc.mjs');

  const want = values.expect === undefined ?
    undefined : values.expect === 'valid';
  let mismatches = 0;
  for(const file of files) {
    const line = {file};
    let credential;
    try {
      credential = await readCredential(file);
    } catch(e) {
      const error = `cannot read credential ${file}: ${e.message}`;
      line.digitalbazaar = {verified: false, errors: [error], notes: []};
      line.dcc = {verified: false,
        results: {errors: [{name: 'read_error', message: error}], log: []}};
    }
    if(credential) {
      web.takeRefused();
      line.digitalbazaar =
        await verifyWithDigitalBazaar(credential, documentLoader);
      line.dcc = await verifyWithDcc(credential);
    }
    line.refused = web.takeRefused();
    if(want !== undefined) {
      const differs = [];
      for(const verifier of ['digitalbazaar', 'dcc']) {
        if(line[verifier].verified !== want) {
          differs.push(verifier);
        }
      }
      if(differs.length) {
        mismatches++;
        line.unexpected = differs;
      }
    }
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  if(mismatches) {
    report(`verify.mjs: ${mismatches} of ${files.length} file(s) ` +
      `not ${values.expect} for every verifier`);
    return 1;
  }
  return 0;
}

process.exitCode = await main();
