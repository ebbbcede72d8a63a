// Verification with @digitalcredentials/verifier-core, the verifier of the
// Learner Credential Wallet. Its network access goes through globalThis.fetch
// (see network-guard.mjs), which must be installed before calling it.

import {verifyCredential} from '@digitalcredentials/verifier-core';

/** Steps that must be present and valid (registries are ignored). */
const REQUIRED_STEPS = ['valid_signature', 'expiration'];

/** Step that must be valid when present (credentials with a status). */
const STATUS_STEP = 'revocation_status';

function plainError(error) {
  if(!error || typeof error !== 'object') {
    return {message: String(error)};
  }
  const out = {name: error.name, message: error.message};
  if(error.stackTrace?.message && error.stackTrace.message !== error.message) {
    out.cause = error.stackTrace.message;
  }
  return out;
}

function plainStep(step) {
  const out = {id: step.id};
  if('valid' in step) {
    out.valid = step.valid;
  }
  if(step.error) {
    out.error = plainError(step.error);
  }
  if(step.id === 'registered_issuer') {
    out.matchingIssuers = (step.matchingIssuers ?? []).length;
  }
  return out;
}

function schemaSummary(additionalInformation) {
  const entry = (additionalInformation ?? []).find(
    e => e.id === 'schema_check');
  if(!entry) {
    return undefined;
  }
  if(!Array.isArray(entry.results)) {
    return entry.results;
  }
  return entry.results.map(r => ({
    schema: r.schema, valid: r.result?.valid,
    errors: (r.result?.errors ?? []).length
  }));
}

/**
 * Reads a verifier-core result the way the wallet shows it, with issuer
 * registries ignored: verified when there is no fatal error and the
 * signature and expiration steps (and the revocation step, when the
 * credential has one) are valid. A missing signature step is a failure.
 *
 * @param {object} result - verifyCredential's result.
 * @returns {{verified: boolean, results: object}} The outcome.
 */
export function interpretDccResult(result) {
  const errors = (result?.errors ?? []).map(plainError);
  const log = (result?.log ?? []).map(plainStep);
  const failures = [];
  for(const id of REQUIRED_STEPS) {
    const step = log.find(s => s.id === id);
    if(!step) {
      failures.push(`${id}: step missing`);
    } else if(step.valid !== true) {
      failures.push(`${id}: ${step.error?.message ?? 'not valid'}`);
    }
  }
  const status = log.find(s => s.id === STATUS_STEP);
  if(status && status.valid !== true) {
    failures.push(`${STATUS_STEP}: ${status.error?.message ??
      'not valid (revoked or suspended)'}`);
  }
  const verified = errors.length === 0 && failures.length === 0;
  const results = {log};
  if(errors.length) {
    results.errors = errors;
  }
  if(errors.length === 0 && failures.length) {
    results.failures = failures;
  }
  const schema = schemaSummary(result?.additionalInformation);
  if(schema !== undefined) {
    results.schema = schema;
  }
  return {verified, results};
}

/**
 * Verifies a credential with verifier-core and no known DID registries.
 *
 * @param {object} credential - The credential (not modified).
 * @returns {Promise<{verified: boolean, results: object}>} The outcome.
 */
export async function verifyWithDcc(credential) {
  let result;
  try {
    result = await verifyCredential({
      credential: structuredClone(credential),
      knownDIDRegistries: []
    });
  } catch(e) {
    return {verified: false,
      results: {errors: [{name: 'exception', message: e.message}], log: []}};
  }
  return interpretDccResult(result);
}
