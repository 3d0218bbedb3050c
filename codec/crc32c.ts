/**
 * CRC-32C (Castagnoli), the checksum of the 2026-07 frame header.
 *
 * Reflected polynomial `0x82F63B78`, initial value and final XOR
 * `0xFFFFFFFF`; the same function as Rust's `crc32c` crate and iSCSI/SCTP.
 * Pure TypeScript, slice-by-16 over 32-bit words.
 *
 * @module
 */

import { FrameError } from "./error.ts";

// 16 tables of 256 entries in one array: entry k*256+n is the CRC register
// after byte n followed by k zero bytes. Int32Array, not Uint32Array, so V8
// keeps every value a small integer instead of a heap number.
const TABLE = new Int32Array(16 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  TABLE[n] = c;
}
for (let n = 0; n < 256; n++) {
  let c = TABLE[n];
  for (let k = 1; k < 16; k++) {
    c = (c >>> 8) ^ TABLE[c & 0xff];
    TABLE[k * 256 + n] = c;
  }
}

// An Int32Array view reads a little-endian word in one load; on a big-endian
// host the byte loop below is used instead.
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

// Below this length creating the Int32Array view costs more than it saves
// (measured: the byte-indexed loop wins up to about 256 bytes).
const WORD_VIEW_MIN = 256;

/**
 * Computes the CRC-32C (Castagnoli) of `bytes`.
 *
 * Pass an earlier result as `seed` to continue it, so a checksum can be
 * computed over chunks: `crc32c(b, crc32c(a))` equals the CRC of `a`
 * followed by `b`.
 *
 * @param bytes The data to checksum; any `byteOffset` or length.
 * @param seed The CRC of the data before `bytes` (default `0`, the CRC of
 * nothing); taken as an unsigned 32-bit integer.
 * @returns The CRC as an unsigned 32-bit integer (`0` for empty input with
 * the default seed).
 * @throws {FrameError} With code `"bad_value"` if `bytes` is not a
 * `Uint8Array`.
 *
 * @example The check value of "123456789"
 * ```ts
 * import { crc32c } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
 * ```
 */
export function crc32c(bytes: Uint8Array, seed = 0): number {
  if (!(bytes instanceof Uint8Array)) {
    throw new FrameError("bad_value", "crc32c expects a Uint8Array");
  }
  const t = TABLE;
  const b = bytes;
  const n = b.length;
  let crc = ~seed;
  let i = 0;
  if (LITTLE_ENDIAN && n >= WORD_VIEW_MIN) {
    // Byte steps up to a 4-byte boundary, as Int32Array requires one.
    for (; ((b.byteOffset + i) & 3) !== 0; i++) {
      crc = (crc >>> 8) ^ t[(crc ^ b[i]) & 0xff];
    }
    const words = ((n - i) >>> 4) << 2;
    const w = new Int32Array(b.buffer, b.byteOffset + i, words);
    for (let j = 0; j < words; j += 4) {
      const a = w[j] ^ crc;
      const w1 = w[j + 1];
      const w2 = w[j + 2];
      const w3 = w[j + 3];
      crc = t[3840 + (a & 0xff)] ^ t[3584 + ((a >>> 8) & 0xff)] ^
        t[3328 + ((a >>> 16) & 0xff)] ^ t[3072 + (a >>> 24)] ^
        t[2816 + (w1 & 0xff)] ^ t[2560 + ((w1 >>> 8) & 0xff)] ^
        t[2304 + ((w1 >>> 16) & 0xff)] ^ t[2048 + (w1 >>> 24)] ^
        t[1792 + (w2 & 0xff)] ^ t[1536 + ((w2 >>> 8) & 0xff)] ^
        t[1280 + ((w2 >>> 16) & 0xff)] ^ t[1024 + (w2 >>> 24)] ^
        t[768 + (w3 & 0xff)] ^ t[512 + ((w3 >>> 8) & 0xff)] ^
        t[256 + ((w3 >>> 16) & 0xff)] ^ t[w3 >>> 24];
    }
    i += words << 2;
  }
  // Slice-by-16 on single byte reads: faster than assembling words by
  // shifts, and endian-independent. Handles short inputs and big-endian hosts.
  for (; i + 16 <= n; i += 16) {
    crc = t[3840 + ((crc ^ b[i]) & 0xff)] ^
      t[3584 + (((crc >>> 8) ^ b[i + 1]) & 0xff)] ^
      t[3328 + (((crc >>> 16) ^ b[i + 2]) & 0xff)] ^
      t[3072 + ((crc >>> 24) ^ b[i + 3])] ^
      t[2816 + b[i + 4]] ^ t[2560 + b[i + 5]] ^
      t[2304 + b[i + 6]] ^ t[2048 + b[i + 7]] ^
      t[1792 + b[i + 8]] ^ t[1536 + b[i + 9]] ^
      t[1280 + b[i + 10]] ^ t[1024 + b[i + 11]] ^
      t[768 + b[i + 12]] ^ t[512 + b[i + 13]] ^
      t[256 + b[i + 14]] ^ t[b[i + 15]];
  }
  for (; i < n; i++) crc = (crc >>> 8) ^ t[(crc ^ b[i]) & 0xff];
  return ~crc >>> 0;
}
