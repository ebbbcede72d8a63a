// Verification with Digital Bazaar's @digitalbazaar/vc, as a relying party
// using their libraries would run it.

import * as vc from '@digitalbazaar/vc';
import {DataIntegrityProof} from '@digitalbazaar/data-integrity';
import {
  cryptosuite as eddsaRdfc2022
} from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import {Ed25519Signature2020} from '@digitalbazaar/ed25519-signature-2020';
import {checkStatus as checkBitstringStatus} from
  '@digitalbazaar/vc-bitstring-status-list';
import {describeError} from './errors.mjs';

/** Status entry types that only other verifiers check. */
const UNCHECKED_STATUS_TYPES = new Set([
  '1EdTechRevocationList', 'StatusList2021Entry', 'RevocationList2020Status'
]);

/** Status purposes for which a set bit makes the credential invalid. */
const BLOCKING_PURPOSES = new Set(['revocation', 'suspension']);

function suites() {
  return [
    new DataIntegrityProof({cryptosuite: eddsaRdfc2022}),
    new Ed25519Signature2020()
  ];
}

/**
 * Builds the checkStatus function for @digitalbazaar/vc:
 * BitstringStatusListEntry is checked with vc-bitstring-status-list (list
 * signature, issuer of the list == issuer of the credential, purpose); a set
 * revocation or suspension bit fails. Legacy types that these libraries do
 * not implement are recorded in `notes` and do not fail.
 *
 * @param {string[]} notes - Receives what was not checked.
 * @returns {Function} checkStatus(options) -> {verified, ...}.
 */
export function createStatusChecker(notes) {
  return async function checkStatus(options) {
    const entries = [].concat(options.credential.credentialStatus ?? []);
    const bitstring = entries.filter(
      e => e?.type === 'BitstringStatusListEntry');
    for(const entry of entries) {
      if(entry?.type !== 'BitstringStatusListEntry') {
        if(!UNCHECKED_STATUS_TYPES.has(entry?.type)) {
          return {verified: false, error: new Error(
            `credentialStatus type ${JSON.stringify(entry?.type)} ` +
            'is not supported')};
        }
        notes.push(`credentialStatus type ${entry.type} not checked ` +
          '(not implemented by @digitalbazaar/vc)');
      }
    }
    if(bitstring.length === 0) {
      return {verified: true};
    }
    const result = await checkBitstringStatus({
      ...options, verifyBitstringStatusListCredential: true,
      verifyMatchingIssuers: true
    });
    if(!result.verified) {
      return result;
    }
    const set = result.results.filter(r =>
      r.status && BLOCKING_PURPOSES.has(r.credentialStatus.statusPurpose));
    if(set.length > 0) {
      const what = set.map(r => `${r.credentialStatus.statusPurpose} bit ` +
        `${r.credentialStatus.statusListIndex} of ` +
        `${r.credentialStatus.statusListCredential}`).join(', ');
      return {...result, verified: false,
        error: new Error(`credential status is set: ${what}`)};
    }
    return result;
  };
}

function collectErrors(result) {
  const messages = [];
  const add = error => {
    if(!error) {
      return;
    }
    if(Array.isArray(error.errors) && error.errors.length) {
      error.errors.forEach(add);
      return;
    }
    messages.push(describeError(error));
  };
  add(result.error);
  for(const r of result.results ?? []) {
    add(r.error);
  }
  add(result.statusResult?.error);
  return [...new Set(messages)];
}

/**
 * Verifies a credential with @digitalbazaar/vc 7.x.
 *
 * @param {object} credential - The credential (not modified).
 * @param {Function} documentLoader - The offline document loader.
 * @returns {Promise<{verified: boolean, errors: string[], notes: string[]}>}
 *   The outcome.
 */
export async function verifyWithDigitalBazaar(credential, documentLoader) {
  const notes = [];
  let result;
  try {
    result = await vc.verifyCredential({
      credential: structuredClone(credential),
      suite: suites(),
      documentLoader,
      checkStatus: createStatusChecker(notes)
    });
  } catch(e) {
    return {verified: false, errors: [describeError(e)], notes};
  }
  const verified = result.verified === true;
  const errors = collectErrors(result);
  if(!verified && errors.length === 0) {
    errors.push('not verified (the library gave no reason)');
  }
  return {verified, errors, notes};
}
