// The schema-directed MessagePack reader of the generated typed codecs. Nothing
// here is generic: every read names the one wire form the revision's serializer
// accepts for a field kind (reference §5).

import { FrameError } from "./error.ts";
import { MAX_STRUCT_DEPTH } from "./constants.ts";
import { WireFault } from "./_wire_fault.ts";
import { decodeStr } from "./_strings.ts";
import { allocate, copyOf } from "./_pool.ts";
import { readMsgpackValue } from "./_msgpack.ts";
import {
  budgetExceeded,
  budgetOption,
  DECODE_COSTS,
} from "./_decode_budget.ts";

import {
  bigI32,
  bigU32,
  describe,
  SCRATCH,
  scratch8,
  SCRATCH_BYTES,
  SMALL_BIGINTS,
} from "./_wire_bits.ts";

export { DECODE_COSTS, defaultDecodeBudget } from "./_decode_budget.ts";

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
  /**
   * 2026-07 only: also accept unit enum variants in the old `[tag, nil]` form
   * of zerompk ≤ 0.6.0, as an Origin built before zerompk 0.6.1 writes them
   * (reference §4). Default `false`: exactly what zerompk 0.7.1 accepts, the
   * bare tag string. Ignored by 2026-04, whose unit variants are always
   * `[tag, nil]`.
   */
  legacyUnitVariants?: boolean;
  /**
   * Most memory, in bytes, that the values decoded from one body may take:
   * each value is charged its measured V8 heap cost as it is created (see
   * {@linkcode DECODE_COSTS}), and decoding stops with `"bad_body"` before
   * the budget is passed. Default: 16 × the body's length + 64 MiB, so that
   * no body, whatever its bytes, makes the process retain more than that.
   */
  decodeBudget?: number;
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
  /** Whether the last `variant()` was written as `[tag, payload]`. */
  dataForm = false;
  /** Whether `[tag, nil]` unit variants are accepted (bare-string revisions). */
  readonly legacyUnits: boolean;
  /** The decoding budget, in bytes. */
  readonly budget: number;
  /** What is left of it. */
  #left: number;

  constructor(bytes: Uint8Array, options: BodyDecodeOptions | undefined) {
    if (!(bytes instanceof Uint8Array)) {
      throw new FrameError("bad_value", "a body must be a Uint8Array");
    }
    this.bytes = bytes;
    this.end = bytes.length;
    this.copy = options?.copy === true;
    this.legacyUnits = options?.legacyUnitVariants === true;
    this.budget = budgetOption(options?.decodeBudget, bytes.length);
    this.#left = this.budget;
  }

  /**
   * Charges `cost` bytes for a value about to be created at `at`.
   *
   * @throws {WireFault} once the decoding budget would be passed.
   */
  charge(cost: number, at: number): void {
    if ((this.#left -= cost) < 0) {
      throw this.fail(budgetExceeded(this.end, this.budget), at);
    }
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
    this.charge(DECODE_COSTS.struct(n), at);
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
    this.charge(DECODE_COSTS.array(n), at);
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
    this.charge(DECODE_COSTS.map(n), at);
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
        this.charge(DECODE_COSTS.bigint, at);
        this.pos = at + 3;
        return bigU32((b[at + 1] << 8) | b[at + 2]);
      case 0xce:
        this.#need(at + 1, 4, at);
        this.charge(DECODE_COSTS.bigint, at);
        this.pos = at + 5;
        return bigU32(
          (b[at + 1] << 24) | (b[at + 2] << 16) | (b[at + 3] << 8) | b[at + 4],
        );
      case 0xcf:
        this.#need(at + 1, 8, at);
        this.charge(DECODE_COSTS.bigint, at);
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
      this.charge(DECODE_COSTS.bigint, at);
      this.pos = at + 1;
      return bigI32(m - 0x100);
    }
    this.charge(DECODE_COSTS.bigint, at);
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
    this.charge(DECODE_COSTS.string(end - start), at);
    const s = decodeStr(this.bytes, start, end);
    if (s === undefined) throw this.fail("string is not valid UTF-8", at);
    return s;
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
    this.charge(this.copy ? DECODE_COSTS.buffer(n) : DECODE_COSTS.view, at);
    this.pos = start + n;
    return this.copy
      ? copyOf(b, start, start + n)
      : b.subarray(start, start + n);
  }

  /** Reads `n` u8 items into a new buffer (after the array header). */
  #u8Items(n: number): Uint8Array {
    this.charge(DECODE_COSTS.buffer(n), this.pos);
    const out = allocate(n);
    const b = this.bytes;
    const end = this.end;
    let at = this.pos;
    for (let i = 0; i < n; i++) {
      const m = at < end ? b[at] : -1;
      if (m >= 0 && m <= 0x7f) {
        out[i] = m;
        at++;
      } else if (m === 0xcc && at + 1 < end) {
        out[i] = b[at + 1];
        at += 2;
      } else {
        // Through the general reader, which throws with the exact reason.
        this.pos = at;
        out[i] = this.u8();
        at = this.pos;
      }
    }
    this.pos = at;
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
    return this.#u8Items(n);
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
    this.charge(DECODE_COSTS.unit, at);
    if (at < this.end && this.bytes[at] === 0xc0) {
      this.pos = at + 1;
      return;
    }
    if (at >= this.end) throw this.#eof(at);
    throw this.#marker("nil (unit variant payload)", at);
  }

  /**
   * The head of an enum in a bare-string revision (zerompk ≥ 0.6.1): an array
   * header selects `[tag, payload]` (a data variant), anything else a bare tag
   * (a unit variant). Returns the tag; `dataForm` says which it was.
   */
  variant(): string {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    const m = this.bytes[at];
    if ((m >= 0x90 && m <= 0x9f) || m === 0xdc || m === 0xdd) {
      this.dataForm = true;
      return this.enumTag();
    }
    this.dataForm = false;
    this.tagAt = at;
    if (m <= 0x7f || (m >= 0xcc && m <= 0xcf)) {
      throw this.fail("enum tags are variant names; found an integer tag", at);
    }
    if (!((m >= 0xa0 && m <= 0xbf) || (m >= 0xd9 && m <= 0xdb))) {
      throw this.#marker("an enum (a tag str or [tag, payload])", at);
    }
    return this.str();
  }

  /** After `variant()` named a unit variant: only the bare tag (or legacy `[tag, nil]`). */
  unitPayload(tag: string): void {
    if (!this.dataForm) return this.charge(DECODE_COSTS.unit, this.tagAt);
    if (this.legacyUnits) return this.unit();
    throw this.fail(
      `unit variant ${
        JSON.stringify(tag)
      } must be a bare tag string; [tag, nil] is the zerompk ≤ 0.6.0 form (pass legacyUnitVariants to accept it)`,
      this.tagAt,
    );
  }

  /** After `variant()` named a data variant: it must have come as `[tag, payload]`. */
  dataPayload(tag: string): void {
    if (this.dataForm) return;
    throw this.fail(
      `data variant ${
        JSON.stringify(tag)
      } must be [tag, [fields…]], not a bare tag`,
      this.tagAt,
    );
  }

  /** f32: `ca` + 4 bytes only. */
  f32(): number {
    const at = this.pos;
    if (at >= this.end) throw this.#eof(at);
    if (this.bytes[at] !== 0xca) throw this.#marker("a float32 (ca)", at);
    this.#need(at + 1, 4, at);
    this.charge(DECODE_COSTS.float, at);
    const b = this.bytes;
    SCRATCH_BYTES[0] = b[at + 1];
    SCRATCH_BYTES[1] = b[at + 2];
    SCRATCH_BYTES[2] = b[at + 3];
    SCRATCH_BYTES[3] = b[at + 4];
    this.pos = at + 5;
    return SCRATCH.getFloat32(0);
  }

  /** One generic MessagePack value, by the bounded generic reader. */
  anyValue(): unknown {
    const at = this.pos;
    try {
      const { value, next, spent } = readMsgpackValue(
        this.bytes,
        at,
        this.end,
        this.#left,
      );
      this.charge(spent, at);
      this.pos = next;
      return value;
    } catch (error) {
      if (error instanceof FrameError) {
        throw this.fail(
          error.message.replace(/^invalid MessagePack body: /, ""),
          at + (error.offset ?? 0),
        );
      }
      throw error;
    }
  }

  /**
   * Enters one level of a recursive type.
   *
   * @param max The revision's nesting limit (its spec's `max_struct_depth`).
   */
  enter(max: number = MAX_STRUCT_DEPTH): void {
    if (++this.depth > max) {
      throw this.fail(
        `nesting deeper than ${max} structs`,
        this.pos,
      );
    }
  }
}
