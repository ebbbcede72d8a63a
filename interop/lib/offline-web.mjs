// The offline web: every URL a verifier may ask for is answered from a local
// file, from an explicitly mapped loopback server, or refused with a message
// that says how to map it. Nothing here ever reaches the network.

import {readFile, stat} from 'node:fs/promises';
import path from 'node:path';
import {pathToFileURL, fileURLToPath} from 'node:url';

/** Largest document accepted from a file or a loopback server. */
export const MAX_DOCUMENT_BYTES = 1 << 20;

/** Time allowed for one request to a loopback server. */
export const LOOPBACK_TIMEOUT_MS = 5000;

/** Marks the fetch functions made by network-guard.mjs. */
export const OFFLINE_FETCH = Symbol.for('communs.interop.offlineFetch');

/** Raised when a URL has no offline copy; `url` says which. */
export class OfflineError extends Error {
  constructor(url, reason) {
    super(`offline: no local copy of ${url}: ${reason}`);
    this.name = 'OfflineError';
    this.url = url;
  }
}

const HINT = 'map it with --map URL=FILE or --map-index DIR/index.json, ' +
  'map a did:web host with --didweb HOST=BASEURL, or pass ' +
  '--allow-http-loopback for http://127.0.0.1 URLs';

/**
 * Reports whether a URL points at this machine (127.0.0.0/8, localhost, ::1).
 *
 * @param {URL} url - An http(s) URL.
 * @returns {boolean} True for loopback hosts only.
 */
export function isLoopback(url) {
  const host = url.hostname.toLowerCase();
  return host === 'localhost' || host === '[::1]' ||
    /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Reads a URL -> file index (like vc/jsonld/contexts/index.json). Files are
 * relative to the index's folder; keys starting with "_" are comments.
 *
 * @param {string} indexFile - Path of the index.
 * @returns {Promise<Map<string, string>>} URL -> absolute file path.
 */
export async function readIndex(indexFile) {
  let raw;
  try {
    raw = await readFile(indexFile, 'utf8');
  } catch(e) {
    throw new Error(`read URL index ${indexFile}: ${e.message}`);
  }
  let entries;
  try {
    entries = JSON.parse(raw);
  } catch(e) {
    throw new Error(`URL index ${indexFile} is not JSON: ${e.message}`);
  }
  if(!entries || typeof entries !== 'object' || Array.isArray(entries)) {
    throw new Error(
      `URL index ${indexFile} must be a JSON object mapping URL to file`);
  }
  const dir = path.dirname(path.resolve(indexFile));
  const map = new Map();
  for(const [url, file] of Object.entries(entries)) {
    if(url.startsWith('_')) {
      continue;
    }
    if(typeof file !== 'string') {
      throw new Error(
        `URL index ${indexFile}: entry for ${url} must be a file name`);
    }
    map.set(stripFragment(url), path.resolve(dir, file));
  }
  return map;
}

/**
 * Parses a did:web mapping target: a loopback http(s) base URL, a file: URL
 * or a local directory.
 *
 * @param {string} host - The DID host as written in the DID
 *   (e.g. "127.0.0.1%3A8080").
 * @param {string} base - Where documents of that host live.
 * @returns {{host: string, base: {kind: string, url?: URL, dir?: string}}}
 *   Host in URL form (e.g. "127.0.0.1:8080") and target.
 */
export function parseDidWebTarget(host, base) {
  if(!host) {
    throw new Error('--didweb needs HOST=BASEURL with a non-empty HOST');
  }
  const urlHost = decodeURIComponent(host).toLowerCase();
  if(/^https?:\/\//i.test(base)) {
    const url = new URL(base);
    if(!isLoopback(url)) {
      throw new Error(
        `--didweb ${host}=${base}: the base URL must be on this machine ` +
        '(127.0.0.1, localhost or [::1]) or a local directory; ' +
        'the interop scripts never use the network');
    }
    return {host: urlHost, base: {kind: 'http', url}};
  }
  const dir = base.startsWith('file:') ?
    fileURLToPath(base) : path.resolve(base);
  return {host: urlHost, base: {kind: 'dir', dir}};
}

function stripFragment(url) {
  const i = url.indexOf('#');
  return i === -1 ? url : url.slice(0, i);
}

/**
 * Builds the offline web.
 *
 * @param {object} options - Options.
 * @param {Map<string,string>} [options.files] - URL -> file (contexts,
 *   schemas, --map and --map-index entries; earlier sources win when merged
 *   by the caller).
 * @param {Array<{host: string, base: object}>} [options.didWeb] - did:web
 *   host mappings from parseDidWebTarget.
 * @param {boolean} [options.allowHttpLoopback=false] - Fetch http URLs on
 *   loopback hosts that have no mapping.
 * @param {Function} [options.fetch] - The real fetch, used for loopback only.
 * @returns {OfflineWeb} The offline web.
 */
export function createOfflineWeb({
  files = new Map(), didWeb = [], allowHttpLoopback = false,
  fetch = globalThis.fetch
} = {}) {
  return new OfflineWeb({files, didWeb, allowHttpLoopback, fetch});
}

/** Answers URLs from local files and loopback servers only. */
export class OfflineWeb {
  constructor({files, didWeb, allowHttpLoopback, fetch}) {
    if(fetch?.[OFFLINE_FETCH]) {
      throw new Error('the offline web needs the real fetch for loopback ' +
        'servers; build it before installing the network guard');
    }
    this.files = files;
    this.didWeb = new Map(didWeb.map(({host, base}) => [host, base]));
    this.allowHttpLoopback = allowHttpLoopback;
    this._fetch = fetch;
    this._cache = new Map();
    /** URLs refused since the last takeRefused(), in order. */
    this.refused = [];
  }

  /**
   * Decides where a URL is answered from, without reading anything.
   *
   * @param {string} url - An absolute URL.
   * @returns {{kind: 'file', file: string}|{kind: 'fetch', url: string}|
   *   {kind: 'refuse', reason: string}} The route.
   */
  route(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return {kind: 'refuse', reason: 'not an absolute URL'};
    }
    if(parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return {kind: 'refuse',
        reason: `scheme ${parsed.protocol} is not served offline`};
    }
    const key = stripFragment(url);
    const file = this.files.get(key);
    if(file) {
      return {kind: 'file', file};
    }
    const base = this.didWeb.get(parsed.host.toLowerCase());
    if(base) {
      const rest = parsed.pathname + parsed.search;
      if(base.kind === 'http') {
        const target = new URL(base.url.href.replace(/\/$/, '') + rest);
        return {kind: 'fetch', url: target.href};
      }
      const relative = decodeURIComponent(parsed.pathname);
      const full = path.resolve(base.dir, `.${relative}`);
      if(full !== base.dir && !full.startsWith(base.dir + path.sep)) {
        return {kind: 'refuse',
          reason: `path escapes the directory mapped for ${parsed.host}`};
      }
      return {kind: 'file', file: full};
    }
    if(isLoopback(parsed)) {
      if(parsed.protocol === 'https:') {
        return {kind: 'refuse', reason: 'https on a loopback host is only ' +
          'served through --didweb HOST=BASEURL (did:web documents are ' +
          'always https)'};
      }
      if(this.allowHttpLoopback) {
        return {kind: 'fetch', url: key};
      }
      return {kind: 'refuse', reason: 'loopback URL but ' +
        '--allow-http-loopback was not given; ' + HINT};
    }
    return {kind: 'refuse', reason: HINT};
  }

  /**
   * Returns the raw bytes of a URL.
   *
   * @param {string} url - An absolute URL.
   * @returns {Promise<{status: number, body: Buffer, contentType: string,
   *   source: string}>} The answer; status 404 when a mapped file or the
   *   loopback server has nothing there.
   * @throws {OfflineError} When the URL has no offline route.
   */
  async fetchRaw(url) {
    const route = this.route(url);
    if(route.kind === 'refuse') {
      this.refused.push(url);
      throw new OfflineError(url, route.reason);
    }
    if(route.kind === 'file') {
      return readLocal(route.file);
    }
    return this._fetchLoopback(route.url);
  }

  /**
   * Returns a URL's JSON document, cached for the life of this object.
   *
   * @param {string} url - An absolute URL.
   * @returns {Promise<{document: object, documentUrl: string}>} The document.
   * @throws {OfflineError|Error} When there is no copy or it is not JSON.
   */
  async getJson(url) {
    const key = stripFragment(url);
    if(this._cache.has(key)) {
      return {document: structuredClone(this._cache.get(key)),
        documentUrl: key};
    }
    const answer = await this.fetchRaw(key);
    if(answer.status !== 200) {
      throw new Error(
        `GET ${key} (from ${answer.source}) answered ${answer.status}`);
    }
    let document;
    try {
      document = JSON.parse(answer.body.toString('utf8'));
    } catch(e) {
      throw new Error(`${key} (from ${answer.source}) is not JSON: ` +
        e.message);
    }
    // loopback answers may change between runs; files do not
    if(answer.source.startsWith('file:')) {
      this._cache.set(key, document);
    }
    return {document: structuredClone(document), documentUrl: key};
  }

  /** Returns and forgets the URLs refused so far. */
  takeRefused() {
    const refused = [...new Set(this.refused)];
    this.refused.length = 0;
    return refused;
  }

  async _fetchLoopback(url) {
    let response;
    try {
      response = await this._fetch(url, {
        redirect: 'error',
        headers: {accept: 'application/ld+json, application/json'},
        signal: AbortSignal.timeout(LOOPBACK_TIMEOUT_MS)
      });
    } catch(e) {
      throw new Error(`GET ${url} failed: ${e.cause?.message ?? e.message}`);
    }
    const body = Buffer.from(await response.arrayBuffer());
    if(body.length > MAX_DOCUMENT_BYTES) {
      throw new Error(`GET ${url}: body larger than ${MAX_DOCUMENT_BYTES} ` +
        'bytes');
    }
    return {
      status: response.status, body, source: url,
      contentType: response.headers.get('content-type') ?? 'application/json'
    };
  }
}

async function readLocal(file) {
  const source = pathToFileURL(file).href;
  let info;
  try {
    info = await stat(file);
  } catch {
    return {status: 404, body: Buffer.from('not found'), source,
      contentType: 'text/plain'};
  }
  if(!info.isFile()) {
    return {status: 404, body: Buffer.from('not a file'), source,
      contentType: 'text/plain'};
  }
  if(info.size > MAX_DOCUMENT_BYTES) {
    throw new Error(`${file} is larger than ${MAX_DOCUMENT_BYTES} bytes`);
  }
  return {status: 200, body: await readFile(file), source,
    contentType: 'application/json'};
}
