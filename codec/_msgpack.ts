// A bounded MessagePack reader and a strict writer for generic (schema-less) bodies.
//
// Why not @msgpack/msgpack at run time: 3.1.3 can be driven to unbounded allocation by
// untrusted input (chains of `dc ff ff`), decodes short invalid UTF-8 leniently, and its
// encoder silently writes bigints >= 2^64 modulo 2^64 and `Map`s as empty maps. Peers are
// untrusted and strict, so both directions are implemented here with explicit limits.
// @msgpack/msgpack stays as the cross-check oracle in tests and the baseline in benches.

import { FrameError } from "./error.ts";
import { copyOf } from "./_pool.ts";
import {
  budgetExceeded,
  budgetOption,
  DECODE_COSTS,
} from "./_decode_budget.ts";
import {
  decodeStr,
  encodeLongStrInto,
  encodeStrInto,
  encodeStrRest,
  JS_ENCODE_MAX,
} from "./_strings.ts";

/** Maximum nesting depth of arrays and maps accepted by the generic reader. */
export const MAX_DEPTH = 64;

const U64_MAX = 0xffff_ffff_ffff_ffffn;
const I64_MIN = -0x8000_0000_0000_0000n;

function badBody(reason: string, offset: number): FrameError {
  return new FrameError("bad_body", `invalid MessagePack body: ${reason}`, {
    offset,
  });
}

/**
 * Decodes a UTF-8 string from `bytes[start, end)`, rejecting invalid UTF-8 the
 * same way at every length (the typed reader's strict decoder).
 */
export function decodeUtf8(
  bytes: Uint8Array,
  start: number,
  end: number,
): string | undefined {
  return decodeStr(bytes, start, end);
}

class BoundedReader {
  pos = 0;
  readonly bytes: Uint8Array;
  readonly view: DataView;
  readonly end: number;
  /** The decoding budget, and what is charged so far (see _decode_budget.ts). */
  readonly budget: number;
  spent = 0;

  constructor(bytes: Uint8Array, budget: number) {
    this.bytes = bytes;
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    this.end = bytes.length;
    this.budget = budget;
  }

  /** Charges `cost` for a value about to be created at `at`. */
  charge(cost: number, at: number): void {
    if ((this.spent += cost) > this.budget) {
      throw badBody(budgetExceeded(this.end, this.budget), at);
    }
  }

  /** Reserves `n` bytes starting at the cursor and returns where they begin. */
  take(n: number, what: string, markerAt: number): number {
    const at = this.pos;
    if (n > this.end - at) {
      throw badBody(
        `${what} needs ${n} bytes but only ${this.end - at} remain`,
        markerAt,
      );
    }
    this.pos = at + n;
    return at;
  }

  value(depth: number): unknown {
    const at = this.pos;
    if (at >= this.end) throw badBody("unexpected end of body", at);
    const m = this.bytes[at];
    this.pos = at + 1;
    if (m <= 0x7f) return m;
    if (m >= 0xe0) return m - 0x100;
    if (m <= 0x8f) return this.map(m & 0x0f, depth, at);
    if (m <= 0x9f) return this.array(m & 0x0f, depth, at);
    if (m <= 0xbf) return this.str(m & 0x1f, at);
    const v = this.view;
    switch (m) {
      case 0xc0:
        return null;
      case 0xc2:
        return false;
      case 0xc3:
        return true;
      case 0xc4:
        return this.bin(this.bytes[this.take(1, "bin8 length", at)], at);
      case 0xc5:
        return this.bin(v.getUint16(this.take(2, "bin16 length", at)), at);
      case 0xc6:
        return this.bin(v.getUint32(this.take(4, "bin32 length", at)), at);
      case 0xca:
        this.charge(DECODE_COSTS.float, at);
        return v.getFloat32(this.take(4, "float32", at));
      case 0xcb:
        this.charge(DECODE_COSTS.float, at);
        return v.getFloat64(this.take(8, "float64", at));
      case 0xcc:
        return this.bytes[this.take(1, "uint8", at)];
      case 0xcd:
        return v.getUint16(this.take(2, "uint16", at));
      case 0xce:
        return v.getUint32(this.take(4, "uint32", at));
      case 0xcf:
        this.charge(DECODE_COSTS.bigint, at);
        return v.getBigUint64(this.take(8, "uint64", at));
      case 0xd0:
        return v.getInt8(this.take(1, "int8", at));
      case 0xd1:
        return v.getInt16(this.take(2, "int16", at));
      case 0xd2:
        return v.getInt32(this.take(4, "int32", at));
      case 0xd3:
        this.charge(DECODE_COSTS.bigint, at);
        return v.getBigInt64(this.take(8, "int64", at));
      case 0xd9:
        return this.str(this.bytes[this.take(1, "str8 length", at)], at);
      case 0xda:
        return this.str(v.getUint16(this.take(2, "str16 length", at)), at);
      case 0xdb:
        return this.str(v.getUint32(this.take(4, "str32 length", at)), at);
      case 0xdc:
        return this.array(
          v.getUint16(this.take(2, "array16 length", at)),
          depth,
          at,
        );
      case 0xdd:
        return this.array(
          v.getUint32(this.take(4, "array32 length", at)),
          depth,
          at,
        );
      case 0xde:
        return this.map(
          v.getUint16(this.take(2, "map16 length", at)),
          depth,
          at,
        );
      case 0xdf:
        return this.map(
          v.getUint32(this.take(4, "map32 length", at)),
          depth,
          at,
        );
      case 0xc1:
        throw badBody("reserved marker 0xc1", at);
      default:
        // c7 c8 c9 d4..d8: no sync body uses extension types.
        throw badBody(
          `extension marker 0x${m.toString(16)} is not allowed`,
          at,
        );
    }
  }

  str(length: number, at: number): string {
    const start = this.take(length, "string", at);
    if (length > 0) this.charge(DECODE_COSTS.string(length), at);
    const s = decodeUtf8(this.bytes, start, start + length);
    if (s === undefined) throw badBody("string is not valid UTF-8", at);
    return s;
  }

  bin(length: number, at: number): Uint8Array {
    const start = this.take(length, "binary", at);
    this.charge(DECODE_COSTS.buffer(length), at);
    return this.bytes.slice(start, start + length);
  }

  array(length: number, depth: number, at: number): unknown[] {
    if (depth >= MAX_DEPTH) {
      throw badBody(`nesting deeper than ${MAX_DEPTH}`, at);
    }
    // Every item takes at least one byte, so a count above what remains is a lie.
    if (length > this.end - this.pos) {
      throw badBody(
        `array declares ${length} items but only ${
          this.end - this.pos
        } bytes remain`,
        at,
      );
    }
    this.charge(DECODE_COSTS.array(length), at);
    // Grow as items are read: a declared count alone never reserves memory.
    const items: unknown[] = [];
    for (let i = 0; i < length; i++) items.push(this.value(depth + 1));
    return items;
  }

  map(length: number, depth: number, at: number): Record<string, unknown> {
    if (depth >= MAX_DEPTH) {
      throw badBody(`nesting deeper than ${MAX_DEPTH}`, at);
    }
    if (length > (this.end - this.pos) / 2) {
      throw badBody(
        `map declares ${length} entries but only ${
          this.end - this.pos
        } bytes remain`,
        at,
      );
    }
    this.charge(DECODE_COSTS.object(length), at);
    const out: Record<string, unknown> = {};
    for (let i = 0; i < length; i++) {
      const keyAt = this.pos;
      const key = this.value(depth + 1);
      if (
        typeof key !== "string" && typeof key !== "number" &&
        typeof key !== "bigint"
      ) {
        throw badBody("map key must be a string or an integer", keyAt);
      }
      if (typeof key === "number" && !Number.isInteger(key)) {
        throw badBody("map key must be a string or an integer", keyAt);
      }
      const name = String(key);
      const value = this.value(depth + 1);
      if (name === "__proto__") {
        // An own data property, never the prototype setter.
        Object.defineProperty(out, name, {
          value,
          writable: true,
          enumerable: true,
          configurable: true,
        });
      } else {
        out[name] = value;
      }
    }
    return out;
  }
}

/**
 * Decodes exactly one MessagePack value that fills `bytes`.
 *
 * Limits: nesting depth {@linkcode MAX_DEPTH}; every declared length is checked
 * against the bytes that remain before anything is allocated; strings must be
 * valid UTF-8; extension types, reserved `c1`, empty input and trailing bytes
 * are rejected. int64/uint64 markers decode to `bigint`, other integers to
 * `number`; maps decode to plain objects whose keys are strings (integer keys
 * become their decimal text; a duplicate key keeps the last value, as the Rust
 * peer does); `__proto__` keys become own properties. `bin` values are copies.
 * Each value is charged its heap cost against the decoding budget (default
 * 16 × the body + 64 MiB, see `_decode_budget.ts`).
 *
 * @throws {FrameError} code `"bad_body"` with the byte offset of the problem
 * (also when the budget would be passed); `"bad_value"` for a bad budget.
 */
export function decodeMsgpack(
  bytes: Uint8Array,
  options?: { decodeBudget?: number },
): unknown {
  if (bytes.length === 0) throw badBody("empty body", 0);
  const reader = new BoundedReader(
    bytes,
    budgetOption(options?.decodeBudget, bytes.length),
  );
  const value = reader.value(0);
  if (reader.pos !== reader.end) {
    throw badBody(
      `${reader.end - reader.pos} trailing bytes after the value`,
      reader.pos,
    );
  }
  return value;
}

/**
 * Reads one generic value starting at `start` (see {@linkcode decodeMsgpack}
 * for the rules), ending no later than `end`.
 *
 * @param budget What its values may cost (see `_decode_budget.ts`).
 * @returns The value, the offset after it and what its values cost.
 * @throws {FrameError} `"bad_body"` with the offset relative to `start`.
 */
export function readMsgpackValue(
  bytes: Uint8Array,
  start: number,
  end: number,
  budget: number,
): { value: unknown; next: number; spent: number } {
  const reader = new BoundedReader(bytes.subarray(start, end), budget);
  const value = reader.value(0);
  return { value, next: start + reader.pos, spent: reader.spent };
}

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

  /** Makes room for `n` more bytes. */
  ensure(n: number): void {
    const need = this.pos + n;
    if (need <= this.buf.length) return;
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

function writeBigint(w: MsgpackWriter, v: bigint, path: string): void {
  if (v > U64_MAX || v < I64_MIN) {
    throw badValue(`bigint ${v} is outside the 64-bit range`, path);
  }
  // As @std/msgpack: a bigint is always a 64-bit value (uint64 or int64).
  w.ensure(9);
  if (v >= 0n) {
    w.buf[w.pos++] = 0xcf;
    w.view.setBigUint64(w.pos, v);
  } else {
    w.buf[w.pos++] = 0xd3;
    w.view.setBigInt64(w.pos, v);
  }
  w.pos += 8;
}

function writeString(w: MsgpackWriter, s: string, path: string): void {
  if (!w.strChecked(s)) {
    throw badValue("string holds a lone UTF-16 surrogate", path);
  }
}

/** Writes one generic value (see {@linkcode encodeMsgpack}); `path` names it in errors. */
export function writeGeneric(
  w: MsgpackWriter,
  value: unknown,
  depth: number,
  path: string,
): void {
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
      writeBigint(w, value, path);
      return;
    case "string":
      writeString(w, value, path);
      return;
    case "object":
      break;
    default:
      throw badValue(`${typeof value} has no MessagePack form`, path);
  }
  if (value === null) {
    w.nil();
    return;
  }
  if (depth >= MAX_DEPTH) {
    throw badValue(`nesting deeper than ${MAX_DEPTH} (or a cycle)`, path);
  }
  if (value instanceof Uint8Array) {
    w.bin(value);
    return;
  }
  if (Array.isArray(value)) {
    w.arrayHeader(value.length);
    for (let i = 0; i < value.length; i++) {
      writeGeneric(w, value[i], depth + 1, `${path}[${i}]`);
    }
    return;
  }
  if (value instanceof Map) {
    w.mapHeader(value.size);
    for (const [k, v] of value) {
      const keyPath = `${path}.<key>`;
      if (
        typeof k !== "string" && typeof k !== "bigint" &&
        !(typeof k === "number" && Number.isSafeInteger(k))
      ) {
        throw badValue("map keys must be strings or integers", keyPath);
      }
      writeGeneric(w, k, depth + 1, keyPath);
      writeGeneric(w, v, depth + 1, `${path}.${String(k)}`);
    }
    return;
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    const name = (value as { constructor?: { name?: string } }).constructor
      ?.name ?? "object";
    throw badValue(`${name} has no MessagePack form`, path);
  }
  const keys = Object.keys(value);
  w.mapHeader(keys.length);
  for (const k of keys) {
    writeString(w, k, `${path}.<key>`);
    writeGeneric(
      w,
      (value as Record<string, unknown>)[k],
      depth + 1,
      `${path}.${k}`,
    );
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
    writeGeneric(sharedWriter, value, 0, "value");
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
