#!/usr/bin/env node
// A third-party OpenID4VCI 1.0 wallet client (@openid4vc/openid4vci) claims a
// badge from a running Communs node through the pre-authorized code flow, and
// the credential it receives must verify with Digital Bazaar's
// @digitalbazaar/vc and the DCC's verifier-core, bound to the holder's DID.

import {writeFile} from 'node:fs/promises';
import {createHash, randomBytes} from 'node:crypto';
import {parseArgs} from 'node:util';
import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {clientAuthenticationAnonymous} from '@openid4vc/oauth2';
import {Openid4vciClient, setGlobalConfig} from '@openid4vc/openid4vci';
import {
  OFFLINE_WEB_HELP, OFFLINE_WEB_OPTIONS, offlineWebFromOptions
} from './lib/options.mjs';
import {installNetworkGuard} from './lib/network-guard.mjs';
import {createDocumentLoader} from './lib/document-loader.mjs';
import {describeError} from './lib/errors.mjs';

const CONFIGURATION = 'OpenBadgeCredential';

const USAGE = `usage: COMMUNS_ADMIN_TOKEN=... node oid4vci-claim.mjs --base URL \\
  [--issuer SLUG] [--out FILE] [--debug] [offline options]

Awards a badge by e-mail through the node's admin API, turns its claim link
into an openid-credential-offer:// URI, then with @openid4vc/openid4vci:
resolves the offer and the issuer metadata, exchanges the pre-authorized code,
fetches a nonce, signs the proof JWT with a fresh holder did:key (Ed25519) and
requests the ${CONFIGURATION} credential (ldp_vc). The credential must verify
with @digitalbazaar/vc and @digitalcredentials/verifier-core, and its
credentialSubject.id must be the holder's DID.

  --base URL      the node's base URL (loopback)
  --issuer SLUG   issuer that awards the badge (default demo)
  --out FILE      where the received credential is written
  --debug         let the verifiers print their diagnostics
${OFFLINE_WEB_HELP}
When no --didweb is given, did:web:HOST of the node is served from --base.

Prints "  ok   ..." / "  FAIL ..." lines and ends with
"oid4vci-claim: N passed, N failed"; exit status 0 only when all passed,
2 on a usage error.`;

const b64url = bytes => Buffer.from(bytes).toString('base64url');

/** A holder did:key and the JWT signer callback the client calls. */
async function makeHolder() {
  const key = await Ed25519Multikey.generate();
  const did = `did:key:${key.publicKeyMultibase}`;
  const didUrl = `${did}#${key.publicKeyMultibase}`;
  const signer = key.signer();
  const signJwt = async (jwtSigner, {header, payload}) => {
    if(jwtSigner.method !== 'did' || jwtSigner.didUrl !== didUrl) {
      throw new Error(`asked to sign with ${JSON.stringify(jwtSigner)}, ` +
        `only ${didUrl} is held`);
    }
    const input = `${b64url(JSON.stringify(header))}.` +
      b64url(JSON.stringify(payload));
    const signature = await signer.sign({data: Buffer.from(input)});
    return {
      jwt: `${input}.${b64url(signature)}`,
      signerJwk: {kty: 'OKP', crv: 'Ed25519', x: b64url(key.publicKey)}
    };
  };
  return {did, didUrl, signJwt};
}

/** fetch that fails with the answer's body when the status is not 2xx. */
async function fetchJson(url, init = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  if(!res.ok) {
    throw new Error(`${init.method ?? 'GET'} ${url}: ${res.status} ${text}`);
  }
  return JSON.parse(text);
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        ...OFFLINE_WEB_OPTIONS,
        base: {type: 'string'},
        issuer: {type: 'string', default: 'demo'},
        out: {type: 'string'},
        debug: {type: 'boolean', default: false},
        help: {type: 'boolean', short: 'h', default: false}
      }
    });
  } catch(e) {
    console.error(`oid4vci-claim.mjs: ${e.message}\n\n${USAGE}`);
    return 2;
  }
  const {values} = parsed;
  if(values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const adminToken = process.env.COMMUNS_ADMIN_TOKEN;
  let base;
  try {
    base = new URL(values.base ?? '');
  } catch {
    console.error(`oid4vci-claim.mjs: --base must be the node's URL, ` +
      `got "${values.base ?? ''}"\n\n${USAGE}`);
    return 2;
  }
  if(!adminToken) {
    console.error('oid4vci-claim.mjs: COMMUNS_ADMIN_TOKEN is not set');
    return 2;
  }
  const baseUrl = base.href.replace(/\/$/, '');
  if(values.didweb.length === 0) {
    values.didweb = [`${base.host.replaceAll(':', '%3A')}=${baseUrl}`];
  }

  let passed = 0;
  let failed = 0;
  const pass = what => {
    passed++;
    process.stdout.write(`  ok   ${what}\n`);
  };
  const fail = (what, error) => {
    failed++;
    const why = error === undefined ? '' : `: ${describeError(error)}`;
    process.stderr.write(`  FAIL ${what}${why}\n`);
  };
  const done = () => {
    process.stdout.write(`oid4vci-claim: ${passed} passed, ${failed} failed\n`);
    return failed === 0 ? 0 : 1;
  };
  // step(NAME, fn): runs fn, records the outcome, returns its value or
  // undefined when it threw
  const step = async (name, fn) => {
    try {
      const value = await fn();
      pass(typeof name === 'function' ? name(value) : name);
      return {value};
    } catch(e) {
      fail(typeof name === 'function' ? name(undefined) : name, e);
      return undefined;
    }
  };

  const admin = {
    authorization: `Bearer ${adminToken}`,
    'content-type': 'application/json'
  };

  // 1. an award by e-mail through the admin API, and its claim link
  const award = await step(
    v => `the admin API awards a badge by e-mail${v ? ` (${v.id})` : ''}`,
    async () => {
      const {achievements} = await fetchJson(
        `${baseUrl}/api/v1/issuers/${values.issuer}/achievements`,
        {headers: admin});
      const achievement = achievements?.find(a => !a.archived);
      if(!achievement) {
        throw new Error(`issuer ${values.issuer} has no open achievement`);
      }
      const email = `oid4vci-${randomBytes(6).toString('hex')}@example.org`;
      const result = await fetchJson(
        `${baseUrl}/api/v1/issuers/${values.issuer}/awards`, {
          method: 'POST', headers: admin,
          body: JSON.stringify({
            achievementId: achievement.id, recipient: {email}
          })
        });
      if(typeof result.claimUrl !== 'string' ||
        !result.claimUrl.startsWith(`${baseUrl}/claim/`)) {
        throw new Error(`claimUrl is ${JSON.stringify(result.claimUrl)}`);
      }
      return result;
    });
  if(!award) {
    return done();
  }
  const claimUrl = award.value.claimUrl;
  const offerUri = 'openid-credential-offer://?credential_offer_uri=' +
    encodeURIComponent(`${claimUrl}/offer`);

  await step(
    'the claim page carries the openid-credential-offer:// link',
    async () => {
      const res = await fetch(claimUrl);
      const html = await res.text();
      if(!res.ok) {
        throw new Error(`GET ${claimUrl}: ${res.status}`);
      }
      // the link is in an href attribute, so "&" may be written "&amp;"
      if(!html.replaceAll('&amp;', '&').includes(offerUri)) {
        throw new Error(`${offerUri} is not on the page`);
      }
    });

  // 2. the third-party client
  const holder = await makeHolder();
  setGlobalConfig({allowInsecureUrls: true}); // loopback http node
  const client = new Openid4vciClient({
    callbacks: {
      fetch: (...args) => fetch(...args),
      hash: (data, alg) => {
        if(alg !== 'sha-256') {
          throw new Error(`hash ${alg} not offered`);
        }
        return createHash('sha256').update(data).digest();
      },
      generateRandom: n => randomBytes(n),
      signJwt: holder.signJwt,
      clientAuthentication: clientAuthenticationAnonymous()
    }
  });

  const offer = await step(
    '@openid4vc/openid4vci resolves the offer (credential_offer_uri)',
    async () => {
      const o = await client.resolveCredentialOffer(offerUri);
      if(o.credential_issuer !== baseUrl) {
        throw new Error(`credential_issuer ${o.credential_issuer}`);
      }
      if(!o.credential_configuration_ids.includes(CONFIGURATION)) {
        throw new Error('credential_configuration_ids ' +
          JSON.stringify(o.credential_configuration_ids));
      }
      return o;
    });
  if(!offer) {
    return done();
  }
  const metadata = await step(
    'it resolves the Credential Issuer and authorization server metadata',
    async () => {
      const m = await client.resolveIssuerMetadata(
        offer.value.credential_issuer);
      const config = m.credentialIssuer
        .credential_configurations_supported?.[CONFIGURATION];
      if(config?.format !== 'ldp_vc') {
        throw new Error(`${CONFIGURATION} is ${JSON.stringify(config)}`);
      }
      return m;
    });
  if(!metadata) {
    return done();
  }
  const token = await step(
    'it exchanges the pre-authorized code for an access token',
    async () => {
      const {accessTokenResponse} =
        await client.retrievePreAuthorizedCodeAccessTokenFromOffer({
          credentialOffer: offer.value,
          issuerMetadata: metadata.value
        });
      if(accessTokenResponse.token_type !== 'Bearer') {
        throw new Error(`token_type ${accessTokenResponse.token_type}`);
      }
      return accessTokenResponse;
    });
  if(!token) {
    return done();
  }
  const nonce = await step('it fetches a c_nonce from the nonce endpoint',
    () => client.requestNonce({issuerMetadata: metadata.value}));
  if(!nonce) {
    return done();
  }
  const proof = await step(
    'it signs the proof JWT with the holder did:key (EdDSA)',
    () => client.createCredentialRequestJwtProof({
      issuerMetadata: metadata.value,
      credentialConfigurationId: CONFIGURATION,
      nonce: nonce.value.c_nonce,
      signer: {method: 'did', didUrl: holder.didUrl, alg: 'EdDSA'}
    }));
  if(!proof) {
    return done();
  }
  const received = await step(
    `it receives the ${CONFIGURATION} credential (ldp_vc)`,
    async () => {
      const r = await client.retrieveCredentials({
        issuerMetadata: metadata.value,
        accessToken: token.value.access_token,
        credentialConfigurationId: CONFIGURATION,
        proofs: {jwt: [proof.value.jwt]}
      });
      // a refusal throws Openid4vciRetrieveCredentialsError with the body
      const list = r.credentialResponse.credentials;
      if(!Array.isArray(list) || list.length !== 1) {
        throw new Error(`credentials: ${JSON.stringify(list)}`);
      }
      const credential = list[0].credential;
      if(!credential || typeof credential !== 'object') {
        throw new Error(`credential is ${JSON.stringify(credential)}`);
      }
      return credential;
    });
  if(!received) {
    return done();
  }
  const credential = received.value;
  if(values.out) {
    await writeFile(values.out, `${JSON.stringify(credential, null, 2)}\n`);
  }

  if(credential.credentialSubject?.id === holder.did) {
    pass('credentialSubject.id is the holder did:key');
  } else {
    fail(`credentialSubject.id is the holder did:key ${holder.did}`,
      new Error(`got ${JSON.stringify(credential.credentialSubject?.id)}`));
  }
  if(credential.id !== award.value.url &&
    typeof credential.id === 'string' &&
    credential.id.startsWith(`${baseUrl}/credentials/`)) {
    pass('the holder credential has its own id on the node');
  } else {
    fail('the holder credential has its own id on the node',
      new Error(`id ${credential.id}, award ${award.value.url}`));
  }
  await step('a second credential request with the same access token is ' +
    'refused (401 invalid_token)', async () => {
    let status;
    try {
      const again = await client.retrieveCredentials({
        issuerMetadata: metadata.value,
        accessToken: token.value.access_token,
        credentialConfigurationId: CONFIGURATION,
        proofs: {jwt: [proof.value.jwt]}
      });
      status = again.response.status;
    } catch(e) {
      // Openid4vciRetrieveCredentialsError carries the HTTP answer
      status = e.response?.response?.status;
      if(status === 401 && !/invalid_token/.test(e.message)) {
        throw new Error(`401 without invalid_token: ${e.message}`);
      }
    }
    if(status !== 401) {
      throw new Error(`second request answered ${status}`);
    }
  });

  // 3. both verifiers, with the node's did:web and status list on loopback
  const web = await offlineWebFromOptions(values);
  const report = console.error.bind(console);
  if(values.debug) {
    console.log = report;
  } else {
    console.log = console.error = console.warn = () => {};
  }
  installNetworkGuard(web);
  const documentLoader = createDocumentLoader(web);
  const {verifyWithDigitalBazaar} =
    await import('./lib/verify-digitalbazaar.mjs');
  const {verifyWithDcc} = await import('./lib/verify-dcc.mjs');
  const db = await verifyWithDigitalBazaar(credential, documentLoader);
  const dcc = await verifyWithDcc(credential);
  const refused = web.takeRefused();
  console.error = report;
  const why = result => new Error(JSON.stringify({...result, refused})
    .slice(0, 2000));
  if(db.verified) {
    pass('the received credential verifies with @digitalbazaar/vc');
  } else {
    fail('the received credential verifies with @digitalbazaar/vc', why(db));
  }
  if(dcc.verified) {
    pass('the received credential verifies with the DCC verifier-core');
  } else {
    fail('the received credential verifies with the DCC verifier-core',
      why(dcc));
  }
  return done();
}

process.exitCode = await main();
