// UTF-8 string decoding for the typed reader: strict (exactly what a fatal
// TextDecoder rejects is rejected), with pure-JS paths for short ASCII strings.

const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
/** Strings up to this many bytes take the pure-JS ASCII path (no decoder call). */
const SHORT_STRING = 64;
/**
 * Short strings (names, ids, map keys) repeat across messages, so the reader
 * keeps a small direct-mapped cache of them: a hash of the bytes picks a slot,
 * and a byte-for-byte comparison confirms the hit. Its size is fixed
 * (CACHE_SLOTS × CACHE_MAX_BYTES bytes), whatever the input.
 */
const CACHE_SLOTS = 1024;
const CACHE_MAX_BYTES = 24;
const cacheBytes = new Uint8Array(CACHE_SLOTS * CACHE_MAX_BYTES);
const cacheLength = new Uint8Array(CACHE_SLOTS);
const cacheString: string[] = new Array<string>(CACHE_SLOTS).fill("");
const fromCharCode = String.fromCharCode;

/** ASCII bytes to a string, or `undefined` at the first non-ASCII byte. */
function asciiString(
  b: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  let out = "";
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const c0 = b[i];
    const c1 = b[i + 1];
    const c2 = b[i + 2];
    const c3 = b[i + 3];
    if ((c0 | c1 | c2 | c3) >= 0x80) return undefined;
    out += fromCharCode(c0, c1, c2, c3);
  }
  for (; i < end; i++) {
    const c = b[i];
    if (c >= 0x80) return undefined;
    out += fromCharCode(c);
  }
  return out;
}

/** A short ASCII string through the cache, or `undefined` if not ASCII. */
function cachedString(
  b: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  const n = end - start;
  let h = n;
  for (let i = start; i < end; i++) h = Math.imul(h ^ b[i], 0x0100_0193);
  const slot = (h >>> 20) & (CACHE_SLOTS - 1);
  const base = slot * CACHE_MAX_BYTES;
  if (cacheLength[slot] === n) {
    let i = 0;
    while (i < n && cacheBytes[base + i] === b[start + i]) i++;
    if (i === n) return cacheString[slot];
  }
  const s = asciiString(b, start, end);
  if (s === undefined) return undefined;
  cacheBytes.set(b.subarray(start, end), base);
  cacheLength[slot] = n;
  cacheString[slot] = s;
  return s;
}

/**
 * Decodes `b[start, end)` as UTF-8, or returns `undefined` when it is not
 * valid UTF-8.
 */
export function decodeStr(
  b: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  const n = end - start;
  if (n <= SHORT_STRING) {
    // ASCII fast paths: no decoder call for short names, ids and keys.
    const ascii = n <= CACHE_MAX_BYTES
      ? cachedString(b, start, end)
      : asciiString(b, start, end);
    if (ascii !== undefined) return ascii;
  }
  try {
    return UTF8.decode(b.subarray(start, end));
  } catch {
    return undefined;
  }
}
