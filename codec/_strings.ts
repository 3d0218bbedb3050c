// UTF-8 strings for the typed and generic codecs, strict in both directions:
// decoding rejects exactly what a fatal TextDecoder rejects, encoding rejects
// lone UTF-16 surrogates.
//
// Decoding: with `fatal: true` Deno builds a decoder per call (~300 ns for 12
// bytes, ~700 ns for 300), a non-fatal decoder costs ~150 ns, a JS loop ~1–2
// ns a byte. So strings up to 64 bytes are decoded in JS (through a cache of
// recent strings); longer ones by the non-fatal decoder, whose output is
// exact whenever it holds no U+FFFD (every error it hides becomes one), and
// only strings that do hold a U+FFFD go through the fatal decoder.

const FATAL = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const LAX = new TextDecoder("utf-8", { ignoreBOM: true });
const UTF8_ENCODER = new TextEncoder();
const fromCharCode = String.fromCharCode as (...units: number[]) => string;

/** Strings up to this many bytes are decoded in JS; longer ones by TextDecoder. */
const JS_DECODE_MAX = 64;
/**
 * Strings up to this many UTF-16 code units are encoded in JS; longer ones by
 * `isWellFormed()` and `TextEncoder.encodeInto` (~100 ns a call, but native:
 * from ~64 units it is as fast as JS for two-byte strings, and much faster
 * for one-byte ones).
 */
export const JS_ENCODE_MAX = 64;

/**
 * One plain array of exactly `k` UTF-16 code units per length `k`: the code
 * units are written there and `String.fromCharCode.apply` turns them into a
 * flat string in one call (`+=` would build a rope, which V8 flattens again
 * when the string is hashed as a Map key). Packed small integers only.
 */
const UNITS: number[][] = Array.from(
  { length: JS_DECODE_MAX + 1 },
  (_, k) => Array.from({ length: k }, () => 0),
);

/**
 * Short strings (names, ids, map keys, enum tags) repeat across messages, so
 * decoding keeps a cache of recent ones, two-way set-associative: a hash of
 * the length and three 4-byte words (first, middle, last) picks a set of two
 * slots, a word-by-word comparison of all the bytes confirms a hit, and a miss
 * replaces the slot used less recently. Its size is fixed (CACHE_SLOTS × 68
 * bytes, plus the strings it keeps alive: at most CACHE_SLOTS × 64 UTF-16
 * units) whatever the input; only valid UTF-8 is stored, and inputs that
 * collide only cost misses. A hit returns the same string object, whose hash
 * V8 has often computed already (a cheaper Map key).
 */
const CACHE_SLOTS = 4096;
const CACHE_MAX_BYTES = JS_DECODE_MAX;
/** Words per slot: the full 4-byte words, then the 0–3 tail bytes as one word. */
const SLOT_WORDS = (CACHE_MAX_BYTES >> 2) + 1;
const cacheWords = new Int32Array(CACHE_SLOTS * SLOT_WORDS);
const cacheLength = new Uint8Array(CACHE_SLOTS).fill(0xff);
const cacheString: string[] = Array.from({ length: CACHE_SLOTS }, () => "");
/** Per set of two slots: the way (0 or 1) hit or filled last. */
const cacheRecent = new Uint8Array(CACHE_SLOTS >> 1);

/** The little-endian 4-byte word at `b[i]`. */
function word(b: Uint8Array, i: number): number {
  return b[i] | (b[i + 1] << 8) | (b[i + 2] << 16) | (b[i + 3] << 24);
}

/** The 0–3 bytes `b[i, end)` as one word. */
function tailWord(b: Uint8Array, i: number, end: number): number {
  let w = 0;
  for (let shift = 0; i < end; i++, shift += 8) w |= b[i] << shift;
  return w;
}

/**
 * Decodes `b[start, end)` (at most JS_DECODE_MAX bytes) as UTF-8 in JS, or
 * returns `undefined` where the WHATWG decoder in fatal mode would throw: a
 * byte that cannot start a sequence (80–C1, F5–FF), a missing continuation
 * byte, an overlong form (E0 80–9F, F0 80–8F), a surrogate (ED A0–BF) or a
 * code point above U+10FFFF (F4 90–BF), and a sequence cut by `end`.
 */
function utf8(b: Uint8Array, start: number, end: number): string | undefined {
  let out = UNITS[end - start];
  let i = start;
  let k = 0;
  // ASCII run: one unit per byte.
  while (i < end) {
    const c = b[i];
    if (c >= 0x80) break;
    out[k++] = c;
    i++;
  }
  if (i === end) return fromCharCode.apply(null, out);
  while (i < end) {
    const c = b[i];
    if (c < 0x80) {
      out[k++] = c;
      i++;
    } else if (c < 0xe0) {
      if (c < 0xc2 || i + 1 >= end) return undefined;
      const c1 = b[i + 1];
      if ((c1 & 0xc0) !== 0x80) return undefined;
      out[k++] = ((c & 0x1f) << 6) | (c1 & 0x3f);
      i += 2;
    } else if (c < 0xf0) {
      if (i + 2 >= end) return undefined;
      const c1 = b[i + 1];
      const c2 = b[i + 2];
      if (((c1 & 0xc0) ^ 0x80 | (c2 & 0xc0) ^ 0x80) !== 0) return undefined;
      if (c === 0xe0 ? c1 < 0xa0 : c === 0xed && c1 >= 0xa0) return undefined;
      out[k++] = ((c & 0x0f) << 12) | ((c1 & 0x3f) << 6) | (c2 & 0x3f);
      i += 3;
    } else {
      if (c >= 0xf5 || i + 3 >= end) return undefined;
      const c1 = b[i + 1];
      const c2 = b[i + 2];
      const c3 = b[i + 3];
      if (
        ((c1 & 0xc0) ^ 0x80 | (c2 & 0xc0) ^ 0x80 | (c3 & 0xc0) ^ 0x80) !== 0
      ) {
        return undefined;
      }
      if (c === 0xf0 ? c1 < 0x90 : c === 0xf4 && c1 >= 0x90) return undefined;
      const cp = (((c & 0x07) << 18) | ((c1 & 0x3f) << 12) |
        ((c2 & 0x3f) << 6) | (c3 & 0x3f)) - 0x10000;
      out[k++] = 0xd800 | (cp >> 10);
      out[k++] = 0xdc00 | (cp & 0x3ff);
      i += 4;
    }
  }
  // Fewer units than bytes: move them to the array of the right length.
  const exact = UNITS[k];
  for (let j = 0; j < k; j++) exact[j] = out[j];
  out = exact;
  return fromCharCode.apply(null, out);
}

/** Whether cache slot `slot` holds the `n` bytes `b[start, end)`. */
function holds(
  slot: number,
  n: number,
  b: Uint8Array,
  start: number,
  end: number,
): boolean {
  if (cacheLength[slot] !== n) return false;
  const full = end - (n & 3);
  let i = start;
  let w = slot * SLOT_WORDS;
  while (i < full && word(b, i) === cacheWords[w]) {
    i += 4;
    w++;
  }
  return i === full && tailWord(b, i, end) === cacheWords[w];
}

/** A short string through the cache, or `undefined` if not valid UTF-8. */
function cached(b: Uint8Array, start: number, end: number): string | undefined {
  const n = end - start;
  // Three words (they overlap below 12 bytes) and the length, mixed as
  // murmur3's finalizer does, so that every input bit reaches the slot bits.
  let h: number;
  if (n >= 4) {
    h = word(b, start) ^ Math.imul(word(b, end - 4), 0x9e37_79b1) ^
      Math.imul(word(b, start + ((n >> 1) & ~3)), 0x85eb_ca6b) ^ (n << 24);
  } else {
    h = tailWord(b, start, end) ^ (n << 24);
  }
  h = Math.imul(h ^ (h >>> 16), 0x85eb_ca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2_ae35);
  h ^= h >>> 16;
  // Two ways per set: slots `set` and `set + 1`.
  const set = h & (CACHE_SLOTS - 2);
  if (holds(set, n, b, start, end)) {
    cacheRecent[set >> 1] = 0;
    return cacheString[set];
  }
  if (holds(set + 1, n, b, start, end)) {
    cacheRecent[set >> 1] = 1;
    return cacheString[set + 1];
  }
  const s = utf8(b, start, end);
  if (s === undefined) return undefined;
  // Replace the way used less recently.
  const way = cacheRecent[set >> 1] ^ 1;
  cacheRecent[set >> 1] = way;
  const slot = set + way;
  const full = end - (n & 3);
  let w = slot * SLOT_WORDS;
  for (let i = start; i < full; i += 4) cacheWords[w++] = word(b, i);
  cacheWords[w] = tailWord(b, full, end);
  cacheLength[slot] = n;
  cacheString[slot] = s;
  return s;
}

/**
 * Decodes `b[start, end)` as UTF-8, or returns `undefined` when it is not
 * valid UTF-8 (exactly when `new TextDecoder("utf-8", { fatal: true })`
 * throws). A byte order mark is kept, as with `ignoreBOM: true`.
 */
export function decodeStr(
  b: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  if (end - start <= CACHE_MAX_BYTES) return cached(b, start, end);
  const bytes = b.subarray(start, end);
  const s = LAX.decode(bytes);
  if (s.indexOf("\ufffd") === -1) return s;
  try {
    return FATAL.decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * Writes `s` (at most JS_ENCODE_MAX code units) as UTF-8 at `b[at]` in one
 * pass that also checks it: returns the end of what it wrote, or -1 when `s`
 * holds a lone surrogate. The caller makes room for `3 * s.length` bytes.
 */
export function encodeStrInto(s: string, b: Uint8Array, at: number): number {
  const n = s.length;
  // ASCII run: one byte per code unit.
  let i = 0;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) break;
    b[at + i] = c;
  }
  return i === n ? at + n : encodeStrRest(s, i, b, at + i);
}

/**
 * {@linkcode encodeStrInto} from code unit `i` on, written at `b[p]` (the
 * caller wrote the units before `i`).
 */
export function encodeStrRest(
  s: string,
  i: number,
  b: Uint8Array,
  p: number,
): number {
  const n = s.length;
  for (; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) {
      b[p++] = c;
    } else if (c < 0x800) {
      b[p] = 0xc0 | (c >> 6);
      b[p + 1] = 0x80 | (c & 0x3f);
      p += 2;
    } else if (c < 0xd800 || c > 0xdfff) {
      b[p] = 0xe0 | (c >> 12);
      b[p + 1] = 0x80 | ((c >> 6) & 0x3f);
      b[p + 2] = 0x80 | (c & 0x3f);
      p += 3;
    } else {
      // A high surrogate followed by a low one; anything else is lone.
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0;
      if (c > 0xdbff || (d & 0xfc00) !== 0xdc00) return -1;
      i++;
      const cp = 0x10000 + ((c & 0x3ff) << 10) + (d & 0x3ff);
      b[p] = 0xf0 | (cp >> 18);
      b[p + 1] = 0x80 | ((cp >> 12) & 0x3f);
      b[p + 2] = 0x80 | ((cp >> 6) & 0x3f);
      b[p + 3] = 0x80 | (cp & 0x3f);
      p += 4;
    }
  }
  return p;
}

/**
 * Writes a well-formed `s` as UTF-8 into `b` from `at` with TextEncoder, for
 * long strings; returns the number of bytes written. The caller makes room
 * for `3 * s.length` bytes and checked `s.isWellFormed()`.
 */
export function encodeLongStrInto(
  s: string,
  b: Uint8Array,
  at: number,
): number {
  return UTF8_ENCODER.encodeInto(s, b.subarray(at)).written;
}
