// The strict generic MessagePack writer (and the base writer of the typed
// codecs): minimal forms, and a refusal for anything it cannot write
// faithfully.

import { FrameError } from "./error.ts";
import { copyOf } from "./_pool.ts";
import { MAX_DEPTH } from "./_msgpack_read.ts";
import {
  encodeLongStrInto,
  encodeStrInto,
  encodeStrRest,
  JS_ENCODE_MAX,
} from "./_strings.ts";

/**
 * An append-only MessagePack writer over one growable buffer.
 *
 * Each write method emits the minimal form zerompk 0.4.1 writes for that kind.
 */
export class MsgpackWriter {
  buf: Uint8Array;
  view: DataView;
  pos = 0;

  constructor(initialSize = 256) {
    this.buf = new Uint8Array(initialSize);
    this.view = new DataView(this.buf.buffer);
  }

  /** Empties the writer, keeping its buffer. */
  reset(): void {
    this.pos = 0;
  }

  /** Makes room for `n` more bytes (small, so that V8 inlines it). */
  ensure(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  /** Moves to a larger buffer with room for `n` more bytes. */
  protected grow(n: number): void {
    const need = this.pos + n;
    let size = this.buf.length * 2;
    while (size < need) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  /** Returns an owned copy of what was written (pooled when small). */
  toBytes(): Uint8Array {
    return copyOf(this.buf, 0, this.pos);
  }

  byte(b: number): void {
    this.ensure(1);
    this.buf[this.pos++] = b;
  }

  nil(): void {
    this.byte(0xc0);
  }

  bool(v: boolean): void {
    this.byte(v ? 0xc3 : 0xc2);
  }

  /** Unsigned integer (0 ≤ v ≤ 2^53−1) in the smallest uint form. */
  uint(v: number): void {
    this.ensure(9);
    const b = this.buf;
    if (v < 0x80) {
      b[this.pos++] = v;
    } else if (v < 0x100) {
      b[this.pos++] = 0xcc;
      b[this.pos++] = v;
    } else if (v < 0x10000) {
      b[this.pos++] = 0xcd;
      this.view.setUint16(this.pos, v);
      this.pos += 2;
    } else if (v < 0x1_0000_0000) {
      b[this.pos++] = 0xce;
      this.view.setUint32(this.pos, v);
      this.pos += 4;
    } else {
      b[this.pos++] = 0xcf;
      this.view.setUint32(this.pos, Math.floor(v / 0x1_0000_0000));
      this.view.setUint32(this.pos + 4, v >>> 0);
      this.pos += 8;
    }
  }

  /** Unsigned 64-bit bigint (caller checked the range) in the smallest uint form. */
  uintBig(v: bigint): void {
    if (v <= 0x1f_ffff_ffff_ffffn) {
      this.uint(Number(v));
      return;
    }
    this.ensure(9);
    this.buf[this.pos++] = 0xcf;
    this.view.setBigUint64(this.pos, v);
    this.pos += 8;
  }

  /** Signed integer (|v| ≤ 2^53−1) in the smallest int form: never a uint marker above 127. */
  int(v: number): void {
    this.ensure(9);
    const b = this.buf;
    if (v >= 0 && v < 0x80) {
      b[this.pos++] = v;
    } else if (v < 0 && v >= -32) {
      b[this.pos++] = v & 0xff;
    } else if (v >= -0x80 && v < 0x80) {
      b[this.pos++] = 0xd0;
      this.view.setInt8(this.pos++, v);
    } else if (v >= -0x8000 && v < 0x8000) {
      b[this.pos++] = 0xd1;
      this.view.setInt16(this.pos, v);
      this.pos += 2;
    } else if (v >= -0x8000_0000 && v < 0x8000_0000) {
      b[this.pos++] = 0xd2;
      this.view.setInt32(this.pos, v);
      this.pos += 4;
    } else {
      b[this.pos++] = 0xd3;
      this.view.setBigInt64(this.pos, BigInt(v));
      this.pos += 8;
    }
  }

  /** Signed 64-bit bigint (caller checked the range) in the smallest int form. */
  intBig(v: bigint): void {
    if (v >= -0x1f_ffff_ffff_ffffn && v <= 0x1f_ffff_ffff_ffffn) {
      this.int(Number(v));
      return;
    }
    this.ensure(9);
    this.buf[this.pos++] = 0xd3;
    this.view.setBigInt64(this.pos, v);
    this.pos += 8;
  }

  f64(v: number): void {
    this.ensure(9);
    this.buf[this.pos++] = 0xcb;
    this.view.setFloat64(this.pos, v);
    this.pos += 8;
  }

  /** A container or string header from its three marker forms. */
  private header(
    n: number,
    fixBase: number,
    fixMax: number,
    m8: number,
    m16: number,
    m32: number,
  ): void {
    this.ensure(5);
    const b = this.buf;
    if (n <= fixMax) {
      b[this.pos++] = fixBase | n;
    } else if (m8 !== 0 && n < 0x100) {
      b[this.pos++] = m8;
      b[this.pos++] = n;
    } else if (n < 0x10000) {
      b[this.pos++] = m16;
      this.view.setUint16(this.pos, n);
      this.pos += 2;
    } else {
      b[this.pos++] = m32;
      this.view.setUint32(this.pos, n);
      this.pos += 4;
    }
  }

  arrayHeader(n: number): void {
    this.header(n, 0x90, 15, 0, 0xdc, 0xdd);
  }

  mapHeader(n: number): void {
    this.header(n, 0x80, 15, 0, 0xde, 0xdf);
  }

  /** A str value; the caller checked that `s` is well-formed UTF-16. */
  str(s: string): void {
    if (!this.strChecked(s)) {
      throw new FrameError("bad_value", "string holds a lone UTF-16 surrogate");
    }
  }

  /**
   * A str value, or `false` (nothing written) when `s` holds a lone UTF-16
   * surrogate. Up to JS_ENCODE_MAX code units in one JS pass that encodes and
   * checks; longer strings by `isWellFormed()` and `TextEncoder`.
   */
  strChecked(s: string): boolean {
    const n = s.length;
    if (n > JS_ENCODE_MAX) return this.#longStr(s);
    this.ensure(5 + 3 * n);
    const b = this.buf;
    const at = this.pos;
    if (n <= 31) {
      // Names, ids and keys: ASCII straight after a fixstr header.
      let i = 0;
      for (; i < n; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        b[at + 1 + i] = c;
      }
      if (i === n) {
        b[at] = 0xa0 | n;
        this.pos = at + 1 + n;
        return true;
      }
      const end = encodeStrRest(s, i, b, at + 1 + i);
      if (end < 0) return false;
      return this.#strHeader(at, 1, end);
    }
    const end = encodeStrInto(s, b, at + 2);
    if (end < 0) return false;
    return this.#strHeader(at, 2, end);
  }

  /** A string of more than JS_ENCODE_MAX code units, by TextEncoder. */
  #longStr(s: string): boolean {
    if (!s.isWellFormed()) return false;
    const n = s.length;
    this.ensure(5 + 3 * n);
    const at = this.pos;
    const head = n < 0x100 ? 2 : n < 0x10000 ? 3 : 5;
    return this.#strHeader(
      at,
      head,
      at + head + encodeLongStrInto(s, this.buf, at + head),
    );
  }

  /**
   * Writes the header of the str whose UTF-8 bytes were written at
   * `at + head` up to `end`, moving them if they need a longer header.
   */
  #strHeader(at: number, head: number, end: number): boolean {
    const b = this.buf;
    const length = end - at - head;
    const need = length <= 31
      ? 1
      : length < 0x100
      ? 2
      : length < 0x10000
      ? 3
      : 5;
    if (need !== head) b.copyWithin(at + need, at + head, end);
    if (need === 1) {
      b[at] = 0xa0 | length;
    } else if (need === 2) {
      b[at] = 0xd9;
      b[at + 1] = length;
    } else if (need === 3) {
      b[at] = 0xda;
      b[at + 1] = length >>> 8;
      b[at + 2] = length & 0xff;
    } else {
      b[at] = 0xdb;
      this.view.setUint32(at + 1, length);
    }
    this.pos = at + need + length;
    return true;
  }

  bin(bytes: Uint8Array): void {
    const n = bytes.length;
    this.ensure(5 + n);
    this.header(n, 0, -1, 0xc4, 0xc5, 0xc6);
    this.buf.set(bytes, this.pos);
    this.pos += n;
  }

  /**
   * Bytes as an array of uint items, as zerompk writes `[u8; N]` and nested
   * `Vec<u8>` (never bin): fixint below 0x80, `cc xx` above.
   */
  byteInts(bytes: Uint8Array): void {
    const n = bytes.length;
    this.arrayHeader(n);
    this.ensure(2 * n);
    const b = this.buf;
    let p = this.pos;
    for (let i = 0; i < n; i++) {
      const x = bytes[i];
      if (x >= 0x80) b[p++] = 0xcc;
      b[p++] = x;
    }
    this.pos = p;
  }
}

function badValue(reason: string, path: string): FrameError {
  return new FrameError("bad_value", `cannot encode ${path}: ${reason}`, {
    path,
  });
}

// Where the generic writer is, as a stack of segments below the root name,
// turned into a path string only for an error (building `value[3].name` for
// every element up front cost more than writing most values).
const MAP_KEY: unique symbol = Symbol("map key");
/** `segments[d]`: where the value at depth `d + 1` sits in its parent. */
const segments: (number | string | typeof MAP_KEY)[] = new Array(
  MAX_DEPTH + 1,
).fill(0);
let root = "value";

/** The path of the value at `depth` being written now, e.g. `value[1].big`. */
function pathAt(depth: number): string {
  let path = root;
  for (let d = 0; d < depth; d++) {
    const s = segments[d];
    path += typeof s === "number"
      ? `[${s}]`
      : s === MAP_KEY
      ? ".<key>"
      : `.${s}`;
  }
  return path;
}

function fault(reason: string, depth: number): FrameError {
  return badValue(reason, pathAt(depth));
}

function writeBigint(w: MsgpackWriter, v: bigint, depth: number): void {
  // As @std/msgpack: a bigint is always a 64-bit value (uint64 or int64).
  // asUintN/asIntN cost a fraction of bigint comparisons.
  let marker: number;
  if (BigInt.asUintN(64, v) === v) marker = 0xcf;
  else if (BigInt.asIntN(64, v) === v) marker = 0xd3;
  else throw fault(`bigint ${v} is outside the 64-bit range`, depth);
  w.ensure(9);
  w.buf[w.pos++] = marker;
  if (marker === 0xcf) w.view.setBigUint64(w.pos, v);
  else w.view.setBigInt64(w.pos, v);
  w.pos += 8;
}

function writeString(w: MsgpackWriter, s: string, depth: number): void {
  if (!w.strChecked(s)) {
    throw fault("string holds a lone UTF-16 surrogate", depth);
  }
}

/**
 * Writes one generic value (see {@linkcode encodeMsgpack}); errors name its
 * path from `path`, the name of the value (`"value"`).
 */
export function writeGeneric(
  w: MsgpackWriter,
  value: unknown,
  path: string,
): void {
  root = path;
  writeValue(w, value, 0);
}

function writeValue(w: MsgpackWriter, value: unknown, depth: number): void {
  switch (typeof value) {
    case "undefined":
      w.nil();
      return;
    case "boolean":
      w.bool(value);
      return;
    case "number":
      if (Number.isSafeInteger(value)) {
        if (value >= 0) w.uint(value);
        else w.int(value);
      } else {
        w.f64(value);
      }
      return;
    case "bigint":
      writeBigint(w, value, depth);
      return;
    case "string":
      writeString(w, value, depth);
      return;
    case "object":
      break;
    default:
      throw fault(`${typeof value} has no MessagePack form`, depth);
  }
  if (value === null) {
    w.nil();
    return;
  }
  if (depth >= MAX_DEPTH) {
    throw fault(`nesting deeper than ${MAX_DEPTH} (or a cycle)`, depth);
  }
  if (value instanceof Uint8Array) {
    w.bin(value);
    return;
  }
  if (Array.isArray(value)) {
    w.arrayHeader(value.length);
    for (let i = 0; i < value.length; i++) {
      segments[depth] = i;
      writeValue(w, value[i], depth + 1);
    }
    return;
  }
  if (value instanceof Map) {
    w.mapHeader(value.size);
    for (const [k, v] of value) {
      segments[depth] = MAP_KEY;
      if (
        typeof k !== "string" && typeof k !== "bigint" &&
        !(typeof k === "number" && Number.isSafeInteger(k))
      ) {
        throw fault("map keys must be strings or integers", depth + 1);
      }
      writeValue(w, k, depth + 1);
      segments[depth] = typeof k === "string" ? k : String(k);
      writeValue(w, v, depth + 1);
    }
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor
      ?.name ?? "object";
    throw fault(`${name} has no MessagePack form`, depth);
  }
  const keys = Object.keys(value);
  w.mapHeader(keys.length);
  for (const k of keys) {
    segments[depth] = MAP_KEY;
    writeString(w, k, depth + 1);
    segments[depth] = k;
    writeValue(w, (value as Record<string, unknown>)[k], depth + 1);
  }
}

const sharedWriter = new MsgpackWriter(1024);

/**
 * Encodes a plain value as MessagePack, refusing anything it cannot write
 * faithfully.
 *
 * `null`/`undefined` → nil; safe integers → the smallest int/uint form; other
 * numbers → float64; bigint → uint64/int64 (out of 64-bit range is an error);
 * strings → str (lone surrogates are an error); `Uint8Array` → bin; arrays;
 * `Map`s and plain objects → maps. Other values are an error.
 *
 * @throws {FrameError} code `"bad_value"` naming the path of the offending value.
 */
export function encodeMsgpack(value: unknown): Uint8Array {
  sharedWriter.reset();
  try {
    writeGeneric(sharedWriter, value, "value");
  } catch (error) {
    sharedWriter.reset();
    throw error;
  }
  const out = sharedWriter.toBytes();
  // Do not keep a huge buffer alive after a one-off large body.
  if (sharedWriter.buf.length > 1 << 20) {
    sharedWriter.buf = new Uint8Array(1024);
    sharedWriter.view = new DataView(sharedWriter.buf.buffer);
  }
  sharedWriter.reset();
  return out;
}
