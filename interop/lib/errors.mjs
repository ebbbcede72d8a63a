// Readable error messages from the JSON-LD and signature libraries, which
// often put the useful part in a nested cause.

/**
 * Returns an error's message followed by its innermost distinct causes
 * (jsonld's details.cause, or Error.cause).
 *
 * @param {unknown} error - Anything thrown.
 * @returns {string} One line of text.
 */
export function describeError(error) {
  const parts = [];
  let current = error;
  for(let depth = 0; current && depth < 4; depth++) {
    const text = current.message ?? String(current);
    if(!parts.some(p => p.includes(text))) {
      parts.push(text);
    }
    current = current.details?.cause ?? current.cause;
  }
  return parts.join(' (cause: ') + ')'.repeat(Math.max(parts.length - 1, 0));
}
