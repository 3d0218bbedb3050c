// A bounded MessagePack reader and a strict writer for generic (schema-less) bodies.
//
// Why not @msgpack/msgpack at run time: 3.1.3 can be driven to unbounded allocation by
// untrusted input (chains of `dc ff ff`), decodes short invalid UTF-8 leniently, and its
// encoder silently writes bigints >= 2^64 modulo 2^64 and `Map`s as empty maps. Peers are
// untrusted and strict, so both directions are implemented here with explicit limits.
// @msgpack/msgpack stays as the cross-check oracle in tests and the baseline in benches.

import { FrameError } from "./error.ts";
import {
  budgetExceeded,
  budgetOption,
  DECODE_COSTS,
} from "./_decode_budget.ts";
import { decodeStr } from "./_strings.ts";

/** Maximum nesting depth of arrays and maps accepted by the generic reader. */
export const MAX_DEPTH = 64;

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
