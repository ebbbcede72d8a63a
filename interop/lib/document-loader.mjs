// The JSON-LD document loader given to Digital Bazaar's libraries: contexts,
// did:key, did:web, status lists and other documents, all offline.

import * as Ed25519Multikey from '@digitalbazaar/ed25519-multikey';
import {driver as didKeyDriver} from '@digitalbazaar/did-method-key';
import {driver as didWebDriver} from '@digitalbazaar/did-method-web';
import {OfflineError} from './offline-web.mjs';
import {createOfflineFetch} from './network-guard.mjs';

/** Digital Bazaar's did:web defaults: 8 KiB documents, 5 s. */
const DID_WEB_FETCH = {size: 8192, timeout: 5000};

/**
 * Returns a did:key resolver producing Ed25519 Multikey verification methods.
 *
 * @returns {object} A did-io driver with get({url}).
 */
export function createDidKeyResolver() {
  const resolver = didKeyDriver();
  resolver.use({
    multibaseMultikeyHeader: 'z6Mk',
    fromMultibase: Ed25519Multikey.from
  });
  return resolver;
}

/**
 * Builds the document loader. did:key is resolved locally and did:web by
 * Digital Bazaar's own driver, whose https requests are answered by the
 * offline web (so --didweb HOST=BASEURL applies).
 *
 * @param {import('./offline-web.mjs').OfflineWeb} web - The offline web.
 * @returns {Function} documentLoader(url) -> {contextUrl, documentUrl,
 *   document}.
 */
export function createDocumentLoader(web) {
  const didKey = createDidKeyResolver();
  const didWeb = didWebDriver({
    fetchOptions: {...DID_WEB_FETCH, fetch: createOfflineFetch(web)}
  });
  return async function documentLoader(url) {
    if(typeof url !== 'string') {
      throw new TypeError('document loader: URL must be a string');
    }
    let document;
    if(url.startsWith('did:key:')) {
      document = await didKey.get({url});
    } else if(url.startsWith('did:web:')) {
      document = await didWeb.get({url});
    } else if(/^https?:\/\//i.test(url)) {
      ({document} = await web.getJson(url));
    } else {
      web.refused.push(url);
      throw new OfflineError(url,
        'only did:key, did:web and http(s) URLs are resolved');
    }
    return {contextUrl: null, documentUrl: url, document};
  };
}
