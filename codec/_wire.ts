// Schema-directed MessagePack reading and checked writing for the generated typed
// codecs (generated/2026-04/bodies.ts). Nothing here is generic: every read names the one wire
// form zerompk 0.4.1 accepts for a field kind (reference §5), and every write checks
// the value against its field type before a byte is written.
//
// Errors are raised as a `WireFault` while unwinding, so the generated code can add
// path segments (`.field`, `[3]`, `["key"]`) on the way out at no cost on the happy
// path; the public entry points turn the fault into a `FrameError`.

import { FrameError } from "./error.ts";
import { MsgpackWriter } from "./_msgpack.ts";
import { checkFrame, HEADER_SIZE, writeHeader } from "./_header.ts";
import { allocate, copyOf } from "./_pool.ts";

/** Options for the typed body decoders. */
export interface BodyDecodeOptions {
  /**
   * `false` (default): `bytes` (bin) fields are views into the input, so no
   * bytes are copied and changing the input changes the field. `true`: every
   * `bytes` field is an owned copy. Fixed-size byte arrays (`u8xN`) and nested
   * byte strings (`list<u8>`) are integer arrays on the wire and always decode
   * to new buffers.
   */
  copy?: boolean;
}

/**
 * Most nested structs or enums the reader follows, as zerompk's `MAX_DEPTH`.
 * Only recursive types can nest without a bound fixed by the schema.
 */
export const MAX_STRUCT_DEPTH = 500;

/** A decode or encode problem on its way out of the generated code. */
export class WireFault {
  /** Path segments, innermost first. */
  readonly segments: string[] = [];
  /** The FrameError code this fault becomes. */
  readonly code: "bad_body" | "bad_value";
  /** What is wrong. */
  readonly reason: string;
  /** Byte offset inside the body (decoding only). */
  readonly offset: number | undefined;

  constructor(
    code: "bad_body" | "bad_value",
    reason: string,
    offset: number | undefined,
  ) {
    this.code = code;
    this.reason = reason;
    this.offset = offset;
  }
}

/** Adds one path segment to a fault passing through; other errors pass unchanged. */
export function within(error: unknown, segment: string): unknown {
  if (error instanceof WireFault && segment !== "") {
    error.segments.push(segment);
  }
  return error;
}

/** The path segment of a map value, from its key. */
export function keySegment(key: string | number | bigint): string {
  return typeof key === "string" ? `[${JSON.stringify(key)}]` : `[${key}]`;
}

/**
 * Turns a fault into the public `FrameError`, rooted at a type name. Any other
 * error (a `FrameError` thrown directly, or a bug) passes unchanged.
 */
export function toFrameError(
  error: unknown,
  root: string,
  msgType?: number,
): unknown {
  if (!(error instanceof WireFault)) return error;
  let path = root;
  for (let i = error.segments.length - 1; i >= 0; i--) {
    path += error.segments[i];
  }
  if (error.code === "bad_body") {
    return new FrameError(
      "bad_body",
      `invalid ${root} body at ${path} (byte ${error.offset}): ${error.reason}`,
      { path, offset: error.offset, msgType },
    );
  }
  return new FrameError("bad_value", `cannot encode ${path}: ${error.reason}`, {
    path,
    msgType,
  });
}

// ---------------------------------------------------------------------------
// Reading

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
 * A scratch 8-byte view: DataView's 64-bit getters make a bigint far faster
 * than `BigInt(number)` (a runtime call), and no per-body DataView is needed.
 */
const SCRATCH = new DataView(new ArrayBuffer(8));
const SCRATCH_BYTES = new Uint8Array(SCRATCH.buffer);

/** A u32 number as a bigint. */
function bigU32(n: number): bigint {
  SCRATCH.setUint32(0, 0);
  SCRATCH.setUint32(4, n);
  return SCRATCH.getBigUint64(0);
}

/** An int32 number as a bigint. */
function bigI32(n: number): bigint {
  SCRATCH.setInt32(0, n >> 31);
  SCRATCH.setInt32(4, n);
  return SCRATCH.getBigInt64(0);
}

/** Copies the 8 big-endian bytes at `at` into the scratch view. */
function scratch8(b: Uint8Array, at: number): DataView {
  const s = SCRATCH_BYTES;
  s[0] = b[at];
  s[1] = b[at + 1];
  s[2] = b[at + 2];
  s[3] = b[at + 3];
  s[4] = b[at + 4];
  s[5] = b[at + 5];
  s[6] = b[at + 6];
  s[7] = b[at + 7];
  return SCRATCH;
}

const SMALL_BIGINTS: bigint[] = Array.from(
  { length: 256 },
  (_, i) => BigInt(i),
);

function markerName(m: number): string {
  return `0x${m.toString(16).padStart(2, "0")}`;
}

/** What a marker byte starts, for error messages. */
function describe(m: number): string {
  if (m <= 0x7f) return `positive fixint (${markerName(m)})`;
  if (m >= 0xe0) return `negative fixint (${markerName(m)})`;
  if (m <= 0x8f) return `fixmap (${markerName(m)})`;
  if (m <= 0x9f) return `fixarray (${markerName(m)})`;
  if (m <= 0xbf) return `fixstr (${markerName(m)})`;
  const names: Record<number, string> = {
    0xc0: "nil",
    0xc1: "reserved",
    0xc2: "false",
    0xc3: "true",
    0xc4: "bin8",
    0xc5: "bin16",
    0xc6: "bin32",
    0xc7: "ext8",
    0xc8: "ext16",
    0xc9: "ext32",
    0xca: "float32",
    0xcb: "float64",
    0xcc: "uint8",
    0xcd: "uint16",
    0xce: "uint32",
    0xcf: "uint64",
    0xd0: "int8",
    0xd1: "int16",
    0xd2: "int32",
    0xd3: "int64",
    0xd4: "fixext1",
    0xd5: "fixext2",
    0xd6: "fixext4",
    0xd7: "fixext8",
    0xd8: "fixext16",
    0xd9: "str8",
    0xda: "str16",
    0xdb: "str32",
    0xdc: "array16",
    0xdd: "array32",
    0xde: "map16",
    0xdf: "map32",
  };
  return `${names[m]} (${markerName(m)})`;
}

/**
 * A cursor over one body, with one read method per wire form. Every method
 * checks the marker family and the bytes that remain before it reads, and
 * throws a {@linkcode WireFault} with the offset of the offending value.
 */
export class WireReader {
  /** The body. */
  readonly bytes: Uint8Array;
  /** The next byte to read. */
  pos = 0;
  /** One past the last byte. */
  readonly end: number;
  /** Whether bin fields are copied rather than viewed. */
  readonly copy: boolean;
  /** Current nesting of recursive types. */
  depth = 0;
  /** Offset of the last enum tag read, for unknown-variant errors. */
  tagAt = 0;

  constructor(bytes: Uint8Array, options: BodyDecodeOptions | undefined) {
    if (!(bytes instanceof Uint8Array)) {
      throw new FrameError("bad_value", "a body must be a Uint8Array");
    }
    this.bytes = bytes;
    this.end = bytes.length;
    this.copy = options?.copy === true;
  }

  /** A fault at `offset`. */
  fail(reason: string, offset: number): WireFault {
    return new WireFault("bad_body", reason, offset);
  }

  #eof(at: number): WireFault {
    return this.fail("unexpected end of body", at);
  }

  #marker(expected: string, at: number): WireFault {
    return this.fail(
      `expected ${expected}, found ${describe(this.bytes[at])}`,
      at,
    );
  }

  /** Checks that `n` bytes remain after `from`; `at` is the value's marker. */
  #need(from: number, n: number, at: number): void {
    if (n > this.end - from) {
      throw this.fail(
        `value needs ${n} more bytes but only ${this.end - from} remain`,
        at,
      );
    }
  }

  /** Rejects bytes after the body's value. */
  finish(): void {
    if (this.pos !== this.end) {
      throw this.fail(
        `${this.end - this.pos} trailing bytes after the value`,
        this.pos,
      );
    }
  }

  /** Reads any array header (fixarray, array16, array32) and returns the count. */
  #arrayHeader(): number {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const b = this.bytes;
    const m = b[at];
    if (m >= 0x90 && m <= 0x9f) {
      this.pos = at + 1;
      return m & 0x0f;
    }
    if (m === 0xdc) {
      this.#need(at + 1, 2, at);
      this.pos = at + 3;
      return (b[at + 1] << 8) | b[at + 2];
    }
    if (m === 0xdd) {
      this.#need(at + 1, 4, at);
      this.pos = at + 5;
      return b[at + 1] * 0x100_0000 +
        ((b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4]);
    }
    throw this.#marker("an array", at);
  }

  /** A struct (or data-variant payload): an array of exactly `n` items. */
  struct(n: number): void {
    const at = this.pos;
    // Fast path: the fixarray zerompk writes for up to 15 fields.
    if (at < this.end && this.bytes[at] === (0x90 | n) && n <= 15) {
      this.pos = at + 1;
      return;
    }
    const count = this.#arrayHeader();
    if (count !== n) {
      throw this.fail(`expected an array of ${n} fields, found ${count}`, at);
    }
  }

  /** A list header; the count is checked against the bytes that remain. */
  arrayLen(): number {
    const at = this.pos;
    const n = this.#arrayHeader();
    // Every item takes at least one byte.
    if (n > this.end - this.pos) {
      throw this.fail(
        `array declares ${n} items but only ${
          this.end - this.pos
        } bytes remain`,
        at,
      );
    }
    return n;
  }

  /** A map header; the count is checked against the bytes that remain. */
  mapLen(): number {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const b = this.bytes;
    const m = b[at];
    let n: number;
    if (m >= 0x80 && m <= 0x8f) {
      this.pos = at + 1;
      n = m & 0x0f;
    } else if (m === 0xde) {
      this.#need(at + 1, 2, at);
      this.pos = at + 3;
      n = (b[at + 1] << 8) | b[at + 2];
    } else if (m === 0xdf) {
      this.#need(at + 1, 4, at);
      this.pos = at + 5;
      n = b[at + 1] * 0x100_0000 +
        ((b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4]);
    } else {
      throw this.#marker("a map", at);
    }
    // Every entry takes at least two bytes.
    if (n > (this.end - this.pos) / 2) {
      throw this.fail(
        `map declares ${n} entries but only ${
          this.end - this.pos
        } bytes remain`,
        at,
      );
    }
    return n;
  }

  /** Consumes a nil and returns true, or returns false and consumes nothing. */
  nil(): boolean {
    if (this.pos < this.end && this.bytes[this.pos] === 0xc0) {
      this.pos++;
      return true;
    }
    return false;
  }

  /** An unsigned integer no wider than `max` marker (`0xcc`, `0xcd` or `0xce`). */
  #uintNumber(lastMarker: number, what: string): number {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const b = this.bytes;
    const m = b[at];
    if (m <= 0x7f) {
      this.pos = at + 1;
      return m;
    }
    if (m === 0xcc) {
      this.#need(at + 1, 1, at);
      this.pos = at + 2;
      return b[at + 1];
    }
    if (m === 0xcd && lastMarker >= 0xcd) {
      this.#need(at + 1, 2, at);
      this.pos = at + 3;
      return (b[at + 1] << 8) | b[at + 2];
    }
    if (m === 0xce && lastMarker >= 0xce) {
      this.#need(at + 1, 4, at);
      this.pos = at + 5;
      return b[at + 1] * 0x100_0000 +
        ((b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4]);
    }
    throw this.#marker(what, at);
  }

  /** u8: positive fixint or `cc`. */
  u8(): number {
    return this.#uintNumber(0xcc, "a u8 (positive fixint or uint8)");
  }

  /** u16: positive fixint, `cc` or `cd`. */
  u16(): number {
    return this.#uintNumber(0xcd, "a u16 (positive fixint, uint8 or uint16)");
  }

  /** u32: positive fixint, `cc`, `cd` or `ce`. */
  u32(): number {
    return this.#uintNumber(
      0xce,
      "a u32 (positive fixint, uint8, uint16 or uint32)",
    );
  }

  /** u64/usize: positive fixint or `cc`–`cf`, as a bigint. */
  u64(): bigint {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const b = this.bytes;
    const m = b[at];
    if (m <= 0x7f) {
      this.pos = at + 1;
      return SMALL_BIGINTS[m];
    }
    switch (m) {
      case 0xcc:
        this.#need(at + 1, 1, at);
        this.pos = at + 2;
        return SMALL_BIGINTS[b[at + 1]];
      case 0xcd:
        this.#need(at + 1, 2, at);
        this.pos = at + 3;
        return bigU32((b[at + 1] << 8) | b[at + 2]);
      case 0xce:
        this.#need(at + 1, 4, at);
        this.pos = at + 5;
        return bigU32(
          (b[at + 1] << 24) | (b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4],
        );
      case 0xcf:
        this.#need(at + 1, 8, at);
        this.pos = at + 9;
        return scratch8(b, at + 1).getBigUint64(0);
    }
    throw this.#marker("a u64 (positive fixint or uint8–uint64)", at);
  }

  /** i64: positive or negative fixint or `d0`–`d3` (never `cc`–`cf`), as a bigint. */
  i64(): bigint {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const b = this.bytes;
    const m = b[at];
    if (m <= 0x7f) {
      this.pos = at + 1;
      return SMALL_BIGINTS[m];
    }
    if (m >= 0xe0) {
      this.pos = at + 1;
      return bigI32(m - 0x100);
    }
    switch (m) {
      case 0xd0:
        this.#need(at + 1, 1, at);
        this.pos = at + 2;
        return bigI32((b[at + 1] << 24) >> 24);
      case 0xd1:
        this.#need(at + 1, 2, at);
        this.pos = at + 3;
        return bigI32((((b[at + 1] << 8) | b[at + 2]) << 16) >> 16);
      case 0xd2:
        this.#need(at + 1, 4, at);
        this.pos = at + 5;
        return bigI32(
          (b[at + 1] << 24) | (b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4],
        );
      case 0xd3:
        this.#need(at + 1, 8, at);
        this.pos = at + 9;
        return scratch8(b, at + 1).getBigInt64(0);
    }
    throw this.#marker("an i64 (fixint or int8–int64)", at);
  }

  /** bool: `c2` or `c3` only. */
  bool(): boolean {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const m = this.bytes[at];
    if (m === 0xc2 || m === 0xc3) {
      this.pos = at + 1;
      return m === 0xc3;
    }
    throw this.#marker("a bool", at);
  }

  /** Reads a str header at the cursor; returns the payload start and sets `pos` past it. */
  #strStart(at: number, m: number): number {
    const b = this.bytes;
    let n: number;
    let start: number;
    if (m >= 0xa0 && m <= 0xbf) {
      n = m & 0x1f;
      start = at + 1;
    } else if (m === 0xd9) {
      this.#need(at + 1, 1, at);
      n = b[at + 1];
      start = at + 2;
    } else if (m === 0xda) {
      this.#need(at + 1, 2, at);
      n = (b[at + 1] << 8) | b[at + 2];
      start = at + 3;
    } else if (m === 0xdb) {
      this.#need(at + 1, 4, at);
      n = b[at + 1] * 0x100_0000 +
        ((b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4]);
      start = at + 5;
    } else {
      throw this.#marker("a string (str)", at);
    }
    this.#need(start, n, at);
    this.pos = start + n;
    return start;
  }

  /** string: the str family only, valid UTF-8. */
  str(): string {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const start = this.#strStart(at, this.bytes[at]);
    const end = this.pos;
    if (start === end) return "";
    const b = this.bytes;
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
      throw this.fail("string is not valid UTF-8", at);
    }
  }

  /** bytes: bin8/16/32 only; a view of the input unless copying. */
  bin(): Uint8Array {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const b = this.bytes;
    const m = b[at];
    let n: number;
    let start: number;
    if (m === 0xc4) {
      this.#need(at + 1, 1, at);
      n = b[at + 1];
      start = at + 2;
    } else if (m === 0xc5) {
      this.#need(at + 1, 2, at);
      n = (b[at + 1] << 8) | b[at + 2];
      start = at + 3;
    } else if (m === 0xc6) {
      this.#need(at + 1, 4, at);
      n = b[at + 1] * 0x100_0000 +
        ((b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4]);
      start = at + 5;
    } else {
      throw this.#marker("bytes (bin)", at);
    }
    this.#need(start, n, at);
    this.pos = start + n;
    return this.copy
      ? copyOf(b, start, start + n)
      : b.subarray(start, start + n);
  }

  /** Reads `n` u8 items into a new buffer (after the array header). */
  #u8Items(n: number): Uint8Array {
    const out = allocate(n);
    const b = this.bytes;
    for (let i = 0; i < n; i++) {
      const at = this.pos;
      const m = at < this.end ? b[at] : -1;
      if (m >= 0 && m <= 0x7f) {
        out[i] = m;
        this.pos = at + 1;
      } else if (m === 0xcc && at + 1 < this.end) {
        out[i] = b[at + 1];
        this.pos = at + 2;
      } else {
        // Report through the general reader for the exact reason.
        this.u8();
      }
    }
    return out;
  }

  /** `[u8; n]`: an array of exactly `n` u8 items (any header width); never bin. */
  fixedBytes(n: number): Uint8Array {
    const at = this.pos;
    const count = this.#arrayHeader();
    if (count !== n) {
      throw this.fail(
        `expected an array of ${n} byte integers, found ${count} items`,
        at,
      );
    }
    this.#need(this.pos, n, at);
    return this.#u8Items(n);
  }

  /** A nested `Vec<u8>`: an array of u8 items; never bin. */
  u8List(): Uint8Array {
    return this.#u8Items(this.arrayLen());
  }

  /** An enum's `[tag, payload]` head: returns the tag (payload not read). */
  enumTag(): string {
    const at = this.pos;
    const count = this.#arrayHeader();
    if (count !== 2) {
      throw this.fail(
        `expected an enum as [tag, payload], found an array of ${count}`,
        at,
      );
    }
    const tagAt = this.pos;
    this.tagAt = tagAt;
    if (tagAt >= this.end) throw this.#eof(tagAt);
    const m = this.bytes[tagAt];
    if (m <= 0x7f || (m >= 0xcc && m <= 0xcf)) {
      throw this.fail(
        "enum tags are variant names; found an integer tag",
        tagAt,
      );
    }
    if (!((m >= 0xa0 && m <= 0xbf) || (m >= 0xd9 && m <= 0xdb))) {
      throw this.#marker("an enum tag (str)", tagAt);
    }
    return this.str();
  }

  /** Reports a tag that names no variant. */
  unknownVariant(tag: string, enumName: string): WireFault {
    return this.fail(
      `${JSON.stringify(tag)} is not a variant of ${enumName}`,
      this.tagAt,
    );
  }

  /** A unit variant's payload: nil only. */
  unit(): void {
    const at = this.pos;
    if (at < this.end && this.bytes[at] === 0xc0) {
      this.pos = at + 1;
      return;
    }
    if (at >= this.end) throw this.#eof(at);
    throw this.#marker("nil (unit variant payload)", at);
  }

  /** Enters one level of a recursive type. */
  enter(): void {
    if (++this.depth > MAX_STRUCT_DEPTH) {
      throw this.fail(
        `nesting deeper than ${MAX_STRUCT_DEPTH} structs`,
        this.pos,
      );
    }
  }
}

// ---------------------------------------------------------------------------
// Writing (checked values onto MsgpackWriter)

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const I64_MIN = -0x8000_0000_0000_0000n;
const I64_MAX = 0x7fff_ffff_ffff_ffffn;

/** A fault for a value that cannot be encoded. */
export function badValue(reason: string): WireFault {
  return new WireFault("bad_value", reason, undefined);
}

function shown(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.slice(0, 40));
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return `a ${
    (v as { constructor?: { name?: string } }).constructor?.name ?? "object"
  }`;
}

/** u8: an integer number 0–255. */
export function putU8(w: MsgpackWriter, v: number): void {
  if (typeof v !== "number" || (v & 0xff) !== v) {
    throw badValue(`expected a u8 (0–255), got ${shown(v)}`);
  }
  w.uint(v);
}

/** u16: an integer number 0–65535. */
export function putU16(w: MsgpackWriter, v: number): void {
  if (typeof v !== "number" || (v & 0xffff) !== v) {
    throw badValue(`expected a u16 (0–65535), got ${shown(v)}`);
  }
  w.uint(v);
}

/** u32: an integer number 0–4294967295. */
export function putU32(w: MsgpackWriter, v: number): void {
  if (typeof v !== "number" || (v >>> 0) !== v) {
    throw badValue(`expected a u32 (0–4294967295), got ${shown(v)}`);
  }
  w.uint(v);
}

/** u64/usize: a bigint 0–2^64−1, in the smallest uint form. */
export function putU64(w: MsgpackWriter, v: bigint): void {
  if (typeof v !== "bigint" || v < 0n || v > U64_MAX) {
    throw badValue(`expected a u64 bigint (0n–2n**64n-1n), got ${shown(v)}`);
  }
  // Write all 8 bytes (no bigint→number conversion, which is a slow runtime
  // call), then keep the smallest form.
  w.ensure(9);
  const b = w.buf;
  const at = w.pos;
  w.view.setBigUint64(at + 1, v);
  if ((b[at + 1] | b[at + 2] | b[at + 3] | b[at + 4]) !== 0) {
    b[at] = 0xcf;
    w.pos = at + 9;
    return;
  }
  smallUint(w, b, at);
}

/** Rewrites the u32 held in `b[at+5..at+9)` as the smallest uint form at `at`. */
function smallUint(w: MsgpackWriter, b: Uint8Array, at: number): void {
  const b5 = b[at + 5];
  const b6 = b[at + 6];
  const b7 = b[at + 7];
  const b8 = b[at + 8];
  if ((b5 | b6) !== 0) {
    b[at] = 0xce;
    b[at + 1] = b5;
    b[at + 2] = b6;
    b[at + 3] = b7;
    b[at + 4] = b8;
    w.pos = at + 5;
  } else if (b7 !== 0) {
    b[at] = 0xcd;
    b[at + 1] = b7;
    b[at + 2] = b8;
    w.pos = at + 3;
  } else if (b8 >= 0x80) {
    b[at] = 0xcc;
    b[at + 1] = b8;
    w.pos = at + 2;
  } else {
    b[at] = b8;
    w.pos = at + 1;
  }
}

/** i64: a bigint −2^63–2^63−1, in the smallest int form (never a uint marker above 127). */
export function putI64(w: MsgpackWriter, v: bigint): void {
  if (typeof v !== "bigint" || v < I64_MIN || v > I64_MAX) {
    throw badValue(
      `expected an i64 bigint (-2n**63n–2n**63n-1n), got ${shown(v)}`,
    );
  }
  w.ensure(9);
  const b = w.buf;
  const at = w.pos;
  const view = w.view;
  view.setBigInt64(at + 1, v);
  const hi = view.getInt32(at + 1);
  const lo = view.getInt32(at + 5);
  // Fits in 32 bits exactly when the high word is the sign extension of the low one.
  if (hi !== lo >> 31) {
    b[at] = 0xd3;
    w.pos = at + 9;
    return;
  }
  if (lo >= 0 && lo < 0x80) {
    b[at] = lo;
    w.pos = at + 1;
  } else if (lo < 0 && lo >= -32) {
    b[at] = lo & 0xff;
    w.pos = at + 1;
  } else if (lo >= -0x80 && lo < 0x80) {
    b[at] = 0xd0;
    b[at + 1] = lo & 0xff;
    w.pos = at + 2;
  } else if (lo >= -0x8000 && lo < 0x8000) {
    b[at] = 0xd1;
    b[at + 1] = (lo >> 8) & 0xff;
    b[at + 2] = lo & 0xff;
    w.pos = at + 3;
  } else {
    b[at] = 0xd2;
    view.setInt32(at + 1, lo);
    w.pos = at + 5;
  }
}

/** bool. */
export function putBool(w: MsgpackWriter, v: boolean): void {
  if (typeof v !== "boolean") {
    throw badValue(`expected a boolean, got ${shown(v)}`);
  }
  w.byte(v ? 0xc3 : 0xc2);
}

/** string: well-formed UTF-16 (no lone surrogates), written as str. */
export function putStr(w: MsgpackWriter, v: string): void {
  if (typeof v !== "string") {
    throw badValue(`expected a string, got ${shown(v)}`);
  }
  const n = v.length;
  if (n <= 31) {
    // One pass for short ASCII strings (well-formed by construction).
    w.ensure(1 + n);
    const b = w.buf;
    const at = w.pos;
    let i = 0;
    for (; i < n; i++) {
      const c = v.charCodeAt(i);
      if (c >= 0x80) break;
      b[at + 1 + i] = c;
    }
    if (i === n) {
      b[at] = 0xa0 | n;
      w.pos = at + 1 + n;
      return;
    }
  }
  if (!v.isWellFormed()) throw badValue("string holds a lone UTF-16 surrogate");
  w.str(v);
}

/** bytes: a Uint8Array written as bin. */
export function putBin(w: MsgpackWriter, v: Uint8Array): void {
  if (!(v instanceof Uint8Array)) {
    throw badValue(`expected a Uint8Array, got ${shown(v)}`);
  }
  const n = v.length;
  if (n > 0xffff_ffff) throw badValue("bytes longer than 2^32−1");
  w.ensure(5 + n);
  const b = w.buf;
  let p = w.pos;
  if (n < 0x100) {
    b[p] = 0xc4;
    b[p + 1] = n;
    p += 2;
  } else if (n < 0x10000) {
    b[p] = 0xc5;
    b[p + 1] = n >>> 8;
    b[p + 2] = n & 0xff;
    p += 3;
  } else {
    b[p] = 0xc6;
    w.view.setUint32(p + 1, n);
    p += 5;
  }
  if (n <= 16) {
    for (let i = 0; i < n; i++) b[p + i] = v[i];
  } else {
    b.set(v, p);
  }
  w.pos = p + n;
}

/** `[u8; n]`: a Uint8Array of exactly `n` bytes, written as an integer array. */
export function putFixedBytes(
  w: MsgpackWriter,
  v: Uint8Array,
  n: number,
): void {
  if (!(v instanceof Uint8Array)) {
    throw badValue(`expected a Uint8Array of ${n} bytes, got ${shown(v)}`);
  }
  if (v.length !== n) {
    throw badValue(`expected exactly ${n} bytes, got ${v.length}`);
  }
  w.byteInts(v);
}

/** A nested `Vec<u8>`: a Uint8Array written as an integer array. */
export function putU8List(w: MsgpackWriter, v: Uint8Array): void {
  if (!(v instanceof Uint8Array)) {
    throw badValue(`expected a Uint8Array, got ${shown(v)}`);
  }
  w.byteInts(v);
}

/** Checks that a struct or variant value is an object. */
export function checkObject(v: unknown, what: string): void {
  if (typeof v !== "object" || v === null) {
    throw badValue(`expected ${what} object, got ${shown(v)}`);
  }
}

/** Checks that a list value is an array; returns its length. */
export function checkArray(v: unknown): number {
  if (!Array.isArray(v)) throw badValue(`expected an array, got ${shown(v)}`);
  if (v.length > 0xffff_ffff) throw badValue("array longer than 2^32−1");
  return v.length;
}

/** Checks that a map value is a Map; returns its size. */
export function checkMap(v: unknown): number {
  if (!(v instanceof Map)) throw badValue(`expected a Map, got ${shown(v)}`);
  return v.size;
}

/** Reports a variant value whose `kind` names no variant. */
export function unknownKind(
  v: { kind?: unknown },
  enumName: string,
): WireFault {
  return badValue(
    `kind ${shown(v.kind)} is not a variant of ${enumName}`,
  );
}

/** Enters one level of a recursive type while writing. */
export function enterWrite(w: BodyWriter): void {
  if (++w.depth > MAX_STRUCT_DEPTH) {
    throw badValue(
      `nesting deeper than ${MAX_STRUCT_DEPTH} structs (or a cycle)`,
    );
  }
}

// ---------------------------------------------------------------------------
// Whole-body and whole-frame output

/** Options for the typed encoders. */
export interface BodyEncodeOptions {
  /**
   * `false` (default): the result is a buffer owned by the caller (a region
   * of a shared 64 KiB slab for small results, so its `byteOffset` may be
   * non-zero). `true`: the result is a view of one internal buffer that the
   * next typed encode call overwrites, as `@msgpack/msgpack`'s
   * `encodeSharedRef` (no allocation at all). Use it at once, e.g. hand it to
   * a send that copies synchronously, and keep no reference to it.
   */
  shared?: boolean;
}

/**
 * Owned results are written straight into 64 KiB slabs: the writer starts at
 * the slab's free offset and the result is a view of what it wrote, so an
 * owned result costs neither a fresh ArrayBuffer (about a microsecond each in
 * V8) nor a second copy. A region is handed out once and never written again.
 * A value that outgrows the slab moves to a fresh slab while it is small, and
 * to a buffer of its own when it is large.
 */
const SLAB_SIZE = 64 * 1024;
/** Start a new slab when less than this remains. */
const SLAB_MIN_FREE = 1024;
/** A shared-mode buffer that grew beyond this is not kept for the next call. */
const SHARED_KEEP = 1 << 20;

let slab: Uint8Array = new Uint8Array(SLAB_SIZE);
let slabView: DataView = new DataView(slab.buffer);
let slabUsed = 0;
let shared: Uint8Array = new Uint8Array(4096);
let sharedView: DataView = new DataView(shared.buffer);

/** The MessagePack writer of the typed codecs: a slab-backed `MsgpackWriter`. */
export class BodyWriter extends MsgpackWriter {
  /** Where the current value starts in `buf`. */
  start = 0;
  /** Nesting of recursive types, for the depth limit. */
  depth = 0;
  /** Whether the current value goes to the shared buffer. */
  shared = false;

  constructor() {
    super(0);
  }

  /**
   * Grows by moving only the current value: to a fresh slab while it is
   * small, else to a buffer of its own (doubling).
   */
  override ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
    const length = this.pos - this.start;
    let next: Uint8Array;
    if (this.buf === slab && length + n <= SLAB_SIZE / 2) {
      slab = new Uint8Array(SLAB_SIZE);
      slabView = new DataView(slab.buffer);
      slabUsed = 0;
      next = slab;
      this.view = slabView;
    } else {
      next = new Uint8Array(Math.max(SLAB_SIZE, 2 * (length + n)));
      this.view = new DataView(next.buffer);
      if (this.shared) {
        shared = next;
        sharedView = this.view;
      }
    }
    next.set(this.buf.subarray(this.start, this.pos));
    this.buf = next;
    this.start = 0;
    this.pos = length;
  }
}

/** Starts a body (`headerRoom` 0) or a frame (`headerRoom` 5). */
export function begin(
  w: BodyWriter,
  headerRoom: number,
  options: BodyEncodeOptions | undefined,
): void {
  w.depth = 0;
  if (options?.shared === true) {
    w.shared = true;
    w.buf = shared;
    w.view = sharedView;
    w.start = 0;
    w.pos = headerRoom;
    return;
  }
  if (SLAB_SIZE - slabUsed < SLAB_MIN_FREE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabView = new DataView(slab.buffer);
    slabUsed = 0;
  }
  w.shared = false;
  w.buf = slab;
  w.view = slabView;
  w.start = slabUsed;
  w.pos = slabUsed + headerRoom;
}

/** Hands out what was written. */
function take(w: BodyWriter): Uint8Array {
  const { buf, start, pos } = w;
  if (w.shared) {
    if (buf.length > SHARED_KEEP) {
      shared = new Uint8Array(4096);
      sharedView = new DataView(shared.buffer);
    }
    return buf.subarray(0, pos);
  }
  if (buf === slab) {
    // The region is used up; 8-byte alignment keeps later DataView reads cheap.
    slabUsed = (pos + 7) & ~7;
    return buf.subarray(start, pos);
  }
  // A value of its own: trim only when most of the buffer would be wasted.
  const length = pos - start;
  return buf.length - length > Math.max(SLAB_SIZE, length)
    ? buf.slice(start, pos)
    : buf.subarray(start, pos);
}

/** Ends a body and returns its bytes. */
export function endBody(w: BodyWriter): Uint8Array {
  return take(w);
}

/** Ends a frame: writes the header in front of the body and returns the frame. */
export function endFrame(w: BodyWriter, msgType: number): Uint8Array {
  const at = w.start;
  const length = w.pos - at - 5;
  if (length > 0xffff_ffff) {
    throw new FrameError(
      "too_large",
      `body of ${length} bytes does not fit the u32 length field`,
      { msgType, length },
    );
  }
  writeHeader(w.buf, at, msgType, length);
  return take(w);
}

/**
 * Checks a whole frame's header and returns its body (a view of `bytes`).
 * Bytes after the frame are ignored, as `SyncFrame.decode` does.
 */
export function frameBody(bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new FrameError("bad_value", "a frame must be a Uint8Array");
  }
  const length = checkFrame(bytes, 0xffff_ffff);
  return bytes.subarray(HEADER_SIZE, HEADER_SIZE + length);
}
