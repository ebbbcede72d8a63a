#!/usr/bin/env node
// Looks issuers up in a Communs federation the way the Learner Credential
// Wallet and VerifierPlus do: with the Digital Credentials Consortium's
// @digitalcredentials/issuer-registry-client, configured with the trust
// anchor's Entity Configuration URL as an `oidf` registry.
//
//   node registry-client.mjs --ec http://127.0.0.1:PORT/.well-known/openid-federation \
//     --did DID --name "Organization name" --unknown DID
//
// Prints one line per check ("ok …" / "FAIL …") and exits 0 only when the
// vouched DID is found with its organization name and the unknown DID is
// reported as not found, with no registry left unchecked. Only loopback
// hosts are fetched: the check never touches the network.

import {parseArgs} from 'node:util';
import {RegistryClient} from '@digitalcredentials/issuer-registry-client';

const {values: args} = parseArgs({
  options: {
    ec: {type: 'string'},
    did: {type: 'string'},
    name: {type: 'string'},
    unknown: {type: 'string'}
  }
});
for(const name of ['ec', 'did', 'name', 'unknown']) {
  if(!args[name]) {
    console.error(`registry-client.mjs: --${name} is required`);
    process.exit(2);
  }
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const realFetch = globalThis.fetch;
globalThis.fetch = async (input, init) => {
  const url = new URL(typeof input === 'string' ? input : input.url ?? input.href);
  if(!LOOPBACK.has(url.hostname)) {
    throw new TypeError(`registry-client.mjs fetches loopback hosts only, not ${url.host}`);
  }
  return realFetch(input, init);
};

const client = new RegistryClient();
client.use({registries: [
  {type: 'oidf', trustAnchorEC: args.ec, name: 'Communs federation'}
]});

let failed = false;
function report(ok, line) {
  console.log(`${ok ? 'ok' : 'FAIL'} ${line}`);
  failed ||= !ok;
}

const vouched = await client.lookupIssuersFor(args.did);
const found = vouched.matchingIssuers.map(
  m => m.issuer?.federation_entity?.organization_name);
report(vouched.uncheckedRegistries.length === 0 && found.length === 1 &&
  found[0] === args.name,
  `vouched ${args.did}: found as ${JSON.stringify(found)}, want ` +
  `[${JSON.stringify(args.name)}]; unchecked registries: ` +
  `${vouched.uncheckedRegistries.length}`);
const registryName = vouched.matchingIssuers[0]?.registry?.federation_entity
  ?.organization_name;
report(typeof registryName === 'string' && registryName.length > 0,
  `the registry names itself: ${JSON.stringify(registryName)}`);

const unknown = await client.lookupIssuersFor(args.unknown);
report(unknown.uncheckedRegistries.length === 0 &&
  unknown.matchingIssuers.length === 0,
  `unknown ${args.unknown}: ${unknown.matchingIssuers.length} match(es), ` +
  `unchecked registries: ${unknown.uncheckedRegistries.length}`);

process.exit(failed ? 1 : 0);
