// Shared helpers for the interop tests: run the real scripts, find vectors.

import {execFile} from 'node:child_process';
import {mkdtemp, rm} from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';

/** The interop folder. */
export const INTEROP = path.dirname(path.dirname(fileURLToPath(
  import.meta.url)));

/** testdata/vectors at the repository root. */
export const VECTORS = path.join(INTEROP, '..', 'testdata', 'vectors');

/** The seed of the harness-signed vectors: 31 zero bytes then 0xaa. */
export const HARNESS_SEED = '00'.repeat(31) + 'aa';

/**
 * Runs an interop script with node.
 *
 * @param {string} script - verify.mjs or sign.mjs.
 * @param {string[]} args - Arguments.
 * @param {object} [options] - Options.
 * @param {string} [options.input] - Standard input.
 * @returns {Promise<{code: number, stdout: string, stderr: string,
 *   lines: object[]}>} Exit code, output, and stdout parsed as JSON lines.
 */
export function runScript(script, args, {input} = {}) {
  return new Promise(resolve => {
    const child = execFile(process.execPath, [script, ...args], {
      cwd: INTEROP, maxBuffer: 64 << 20
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) :
        0;
      let lines = [];
      if(script === 'verify.mjs') {
        lines = stdout.split('\n').filter(Boolean).map(l => JSON.parse(l));
      }
      resolve({code, stdout, stderr, lines});
    });
    if(input !== undefined) {
      child.stdin.end(input);
    }
  });
}

/**
 * Makes a temporary folder removed after the test.
 *
 * @param {object} t - The node:test context.
 * @returns {Promise<string>} The folder.
 */
export async function tempDir(t) {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'communs-interop-'));
  t.after(() => rm(dir, {recursive: true, force: true}));
  return dir;
}
