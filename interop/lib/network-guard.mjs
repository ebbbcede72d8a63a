// A replacement for globalThis.fetch that answers from the offline web.
//
// @digitalcredentials/verifier-core builds its JSON-LD document loader at
// import time (bundled contexts, its own did:key and did:web resolvers, and
// an http(s) handler for everything else) and takes no loader argument. Its
// http(s) requests (did:web documents, status lists, contexts it does not
// bundle) and its OB 3.0 schema downloads all go through globalThis.fetch, so
// that is where the offline web is plugged in: the library runs unmodified.

import {OFFLINE_FETCH, OfflineError} from './offline-web.mjs';

/**
 * Returns a fetch function answering from the offline web. Unmapped URLs get
 * a 404 whose body says why, so libraries report them the way they report a
 * missing document online.
 *
 * @param {import('./offline-web.mjs').OfflineWeb} web - The offline web.
 * @returns {Function} fetch(input, init) -> Promise<Response>.
 */
export function createOfflineFetch(web) {
  const offlineFetch = async function offlineFetch(input, init = {}) {
    const url = typeof input === 'string' ? input :
      input instanceof URL ? input.href : input.url;
    const method = (init.method ?? input?.method ?? 'GET').toUpperCase();
    if(method !== 'GET' && method !== 'HEAD') {
      web.refused.push(url);
      return new Response(`offline: ${method} ${url} refused`, {
        status: 405, statusText: 'Method Not Allowed (offline)',
        headers: {'content-type': 'text/plain'}
      });
    }
    try {
      const answer = await web.fetchRaw(url);
      return new Response(method === 'HEAD' ? null : answer.body, {
        status: answer.status,
        headers: {'content-type': answer.contentType}
      });
    } catch(e) {
      if(e instanceof OfflineError) {
        return new Response(e.message, {
          status: 404, statusText: 'Not Found (offline)',
          headers: {'content-type': 'text/plain'}
        });
      }
      throw new TypeError(`fetch ${url}: ${e.message}`, {cause: e});
    }
  };
  offlineFetch[OFFLINE_FETCH] = true;
  return offlineFetch;
}

/**
 * Replaces globalThis.fetch with createOfflineFetch(web).
 *
 * @param {import('./offline-web.mjs').OfflineWeb} web - The offline web.
 * @returns {Function} A function that puts the original fetch back.
 */
export function installNetworkGuard(web) {
  const original = globalThis.fetch;
  globalThis.fetch = createOfflineFetch(web);
  return () => {
    globalThis.fetch = original;
  };
}
