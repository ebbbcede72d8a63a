// Command-line options shared by verify.mjs and sign.mjs, and the offline web
// they describe.

import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {
  createOfflineWeb, parseDidWebTarget, readIndex
} from './offline-web.mjs';

const INTEROP_DIR = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** JSON-LD contexts embedded in the Go library (URL -> file). */
export const DEFAULT_CONTEXTS_INDEX =
  path.join(INTEROP_DIR, '..', 'vc', 'jsonld', 'contexts', 'index.json');

/** OB 3.0 JSON schemas embedded in the Go library (URL -> file). */
export const DEFAULT_SCHEMAS_INDEX =
  path.join(INTEROP_DIR, '..', 'vc', 'schema', 'schemas', 'index.json');

/** util.parseArgs option specs for the offline web. */
export const OFFLINE_WEB_OPTIONS = {
  'map': {type: 'string', multiple: true, default: []},
  'map-index': {type: 'string', multiple: true, default: []},
  'didweb': {type: 'string', multiple: true, default: []},
  'allow-http-loopback': {type: 'boolean', default: false},
  'contexts-index': {type: 'string', default: DEFAULT_CONTEXTS_INDEX},
  'schemas-index': {type: 'string', default: DEFAULT_SCHEMAS_INDEX}
};

/** Help text for the offline web options. */
export const OFFLINE_WEB_HELP = `
Offline resolution (nothing is ever fetched from the network):
  --map URL=FILE            answer URL with FILE (repeatable)
  --map-index INDEX.json    URL -> file map, files relative to the index
                            (repeatable; e.g. ../testdata/vectors/web/index.json)
  --didweb HOST=BASEURL     serve https://HOST/... (did:web:HOST[:path] documents,
                            and status lists on that host) from BASEURL, a
                            loopback http(s) URL or a local directory; HOST as
                            written in the DID (e.g. 127.0.0.1%3A8080)
  --allow-http-loopback     fetch other http:// URLs on 127.0.0.1/localhost/[::1]
  --contexts-index FILE     JSON-LD contexts (default ../vc/jsonld/contexts/index.json)
  --schemas-index FILE      OB 3.0 JSON schemas (default ../vc/schema/schemas/index.json)
did:key is resolved locally. Any other URL is refused with an error.`;

function splitPair(value, flag, {last = false} = {}) {
  const i = last ? value.lastIndexOf('=') : value.indexOf('=');
  if(i <= 0 || i === value.length - 1) {
    throw new Error(`${flag} expects KEY=VALUE, got "${value}"`);
  }
  return [value.slice(0, i), value.slice(i + 1)];
}

/**
 * Builds the offline web from parsed options. Explicit --map entries win
 * over --map-index entries, which win over contexts and schemas.
 *
 * @param {object} values - util.parseArgs values holding OFFLINE_WEB_OPTIONS.
 * @param {object} [extra] - Extra createOfflineWeb options (e.g. fetch).
 * @returns {Promise<import('./offline-web.mjs').OfflineWeb>} The offline web.
 */
export async function offlineWebFromOptions(values, extra = {}) {
  const files = new Map();
  const add = map => {
    for(const [url, file] of map) {
      files.set(url, file);
    }
  };
  add(await readIndex(values['contexts-index']));
  add(await readIndex(values['schemas-index']));
  for(const index of values['map-index']) {
    add(await readIndex(index));
  }
  for(const pair of values.map) {
    // URLs may hold "=" in their query; file names rarely do
    const [url, file] = splitPair(pair, '--map', {last: true});
    try {
      new URL(url);
    } catch {
      throw new Error(`--map ${pair}: "${url}" is not an absolute URL`);
    }
    files.set(url.split('#')[0], path.resolve(file));
  }
  const didWeb = values.didweb.map(pair => {
    const [host, base] = splitPair(pair, '--didweb');
    return parseDidWebTarget(host, base);
  });
  return createOfflineWeb({
    files, didWeb, allowHttpLoopback: values['allow-http-loopback'], ...extra
  });
}
