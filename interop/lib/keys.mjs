// Ed25519 signing keys from a fixed seed, named by did:key or by a given
// verification method (e.g. a did:web key).

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';

/**
 * Derives an Ed25519 Multikey key pair from a 32-byte seed.
 *
 * @param {string} seedHex - 64 hexadecimal digits.
 * @param {object} [options] - Options.
 * @param {string} [options.verificationMethod] - Key id to use instead of
 *   did:key:z6Mk...#z6Mk...; its controller (the part before "#") becomes
 *   the issuer.
 * @returns {Promise<{key: object, controller: string,
 *   verificationMethod: string}>} The key pair and its names.
 */
export async function keyFromSeed(seedHex, {verificationMethod} = {}) {
  if(typeof seedHex !== 'string' || !/^[0-9a-fA-F]{64}$/.test(seedHex)) {
    throw new Error('--seed must be 64 hexadecimal digits (32 bytes), got ' +
      `${typeof seedHex === 'string' ? `${seedHex.length} characters` :
        'nothing'}`);
  }
  const seed = Uint8Array.from(Buffer.from(seedHex, 'hex'));
  const probe = await Ed25519Multikey.generate({seed});
  let controller = `did:key:${probe.publicKeyMultibase}`;
  let id = `${controller}#${probe.publicKeyMultibase}`;
  if(verificationMethod) {
    const hash = verificationMethod.indexOf('#');
    if(hash <= 0 || hash === verificationMethod.length - 1) {
      throw new Error('--vm must be a DID URL with a ' +
        `fragment (DID#KEY), got "${verificationMethod}"`);
    }
    id = verificationMethod;
    controller = verificationMethod.slice(0, hash);
  }
  const key = await Ed25519Multikey.generate({seed, id, controller});
  return {key, controller, verificationMethod: id};
}
