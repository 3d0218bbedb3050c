// Checked writing for the generated typed codecs: every `put*` checks the value
// against its field type before a byte is written, and the body writer carves
// its output from the one buffer pool.

import { FrameError } from "./error.ts";
import { MAX_STRUCT_DEPTH } from "./constants.ts";
import { MsgpackWriter, writeGeneric } from "./_msgpack.ts";
import { checkFrame, writeHeader } from "./_header.ts";
import type { FrameLayout } from "./layout.ts";
import { claim, freshSlab, POOL, SLAB_SIZE } from "./_pool.ts";
import { badValue, shown, type WireFault } from "./_wire_fault.ts";

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
  // asUintN/asIntN cost a fraction of two bigint comparisons.
  if (typeof v !== "bigint" || BigInt.asUintN(64, v) !== v) {
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
  if (typeof v !== "bigint" || BigInt.asIntN(64, v) !== v) {
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

/**
 * string: well-formed UTF-16 (no lone surrogates), written as str. Short and
 * medium strings are encoded and checked in one JS pass (no `isWellFormed()`,
 * no `TextEncoder`).
 */
export function putStr(w: MsgpackWriter, v: string): void {
  if (typeof v !== "string") {
    throw badValue(`expected a string, got ${shown(v)}`);
  }
  if (!w.strChecked(v)) {
    throw badValue("string holds a lone UTF-16 surrogate");
  }
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

/** f32: a number that float32 holds exactly, written as `ca` + 4 bytes. */
export function putF32(w: MsgpackWriter, v: number): void {
  if (typeof v !== "number") {
    throw badValue(`expected a number (f32), got ${shown(v)}`);
  }
  if (Math.fround(v) !== v && !Number.isNaN(v)) {
    throw badValue(`${v} is not exactly representable as a float32`);
  }
  w.ensure(5);
  w.buf[w.pos] = 0xca;
  w.view.setFloat32(w.pos + 1, v);
  w.pos += 5;
}

/** A generic MessagePack value, written by the generic writer. */
export function putAny(w: MsgpackWriter, v: unknown): void {
  try {
    writeGeneric(w, v, "value");
  } catch (error) {
    if (error instanceof FrameError) throw badValue(error.message);
    throw error;
  }
}

/** A unit variant in a bare-string revision: the tag, or `[tag, nil]` when legacy. */
export function putUnit(w: BodyWriter, tag: string): void {
  if (w.legacyUnits) {
    w.byte(0x92);
    w.str(tag);
    w.nil();
  } else {
    w.str(tag);
  }
}

/** Checks that a tuple value is an array of exactly `n` items. */
export function checkTuple(v: unknown, n: number): void {
  if (!Array.isArray(v) || v.length !== n) {
    throw badValue(`expected a tuple of ${n} items, got ${shown(v)}`);
  }
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

/**
 * Enters one level of a recursive type while writing.
 *
 * @param max The revision's nesting limit (its spec's `max_struct_depth`).
 */
export function enterWrite(
  w: BodyWriter,
  max: number = MAX_STRUCT_DEPTH,
): void {
  if (++w.depth > max) {
    throw badValue(
      `nesting deeper than ${max} structs (or a cycle)`,
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
   * `encodeSharedRef` (no allocation at all: results of the same length under
   * 1 KiB are even the same view object). Use it at once, e.g. hand it to a
   * send that copies synchronously, and keep no reference to it.
   */
  shared?: boolean;
  /**
   * 2026-07 only: write unit enum variants in the old `[tag, nil]` form of
   * zerompk ≤ 0.6.0, for an Origin built before zerompk 0.6.1 (reference §4).
   * Default `false`: the bare tag string that zerompk 0.7.1 writes. Ignored
   * by 2026-04, whose unit variants are always `[tag, nil]`.
   */
  legacyUnitVariants?: boolean;
}

/**
 * Owned results are written straight into 64 KiB slabs: the writer starts at
 * the slab's free offset and the result is a view of what it wrote, so an
 * owned result costs neither a fresh ArrayBuffer (about a microsecond each in
 * V8) nor a second copy. A region is handed out once and never written again.
 * A value that outgrows the slab moves to a fresh slab while it is small, and
 * to a buffer of its own when it is large.
 */
/** Start a new slab when less than this remains. */
const SLAB_MIN_FREE = 1024;
/** A shared-mode buffer that grew beyond this is not kept for the next call. */
const SHARED_KEEP = 1 << 20;

let shared: Uint8Array = new Uint8Array(4096);
let sharedView: DataView = new DataView(shared.buffer);
/**
 * Shared results are views of `shared` that the next call overwrites, so one
 * view per length serves every call (creating one costs ~20 ns, as much as
 * encoding a small body). Cleared whenever `shared` is replaced.
 */
const SHARED_VIEWS = 1024;
const sharedViews: (Uint8Array | undefined)[] = new Array(SHARED_VIEWS).fill(
  undefined,
);

function replaceShared(
  next: Uint8Array,
  view: DataView = new DataView(next.buffer),
): void {
  shared = next;
  sharedView = view;
  sharedViews.fill(undefined);
}

/** The MessagePack writer of the typed codecs: a slab-backed `MsgpackWriter`. */
export class BodyWriter extends MsgpackWriter {
  /** Where the current value starts in `buf`. */
  start = 0;
  /** Nesting of recursive types, for the depth limit. */
  depth = 0;
  /** Whether the current value goes to the shared buffer. */
  shared = false;
  /** Whether unit variants are written as `[tag, nil]` (bare-string revisions only). */
  legacyUnits = false;

  constructor() {
    super(0);
  }

  /**
   * Grows by moving only the current value: to a fresh slab while it is
   * small, else to a buffer of its own (doubling).
   */
  protected override grow(n: number): void {
    const length = this.pos - this.start;
    let next: Uint8Array;
    if (this.buf === POOL.slab && length + n <= SLAB_SIZE / 2) {
      freshSlab();
      next = POOL.slab;
      this.view = POOL.view;
    } else {
      next = new Uint8Array(Math.max(SLAB_SIZE, 2 * (length + n)));
      this.view = new DataView(next.buffer);
      if (this.shared) replaceShared(next, this.view);
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
  w.legacyUnits = options?.legacyUnitVariants === true;
  if (options?.shared === true) {
    w.shared = true;
    w.buf = shared;
    w.view = sharedView;
    w.start = 0;
    w.pos = headerRoom;
    return;
  }
  if (SLAB_SIZE - POOL.used < SLAB_MIN_FREE) freshSlab();
  w.shared = false;
  w.buf = POOL.slab;
  w.view = POOL.view;
  w.start = POOL.used;
  w.pos = POOL.used + headerRoom;
}

/** Hands out what was written. */
function take(w: BodyWriter): Uint8Array {
  const { buf, start, pos } = w;
  if (w.shared) {
    if (buf.length > SHARED_KEEP) {
      replaceShared(new Uint8Array(4096));
      return buf.subarray(0, pos);
    }
    if (pos >= SHARED_VIEWS) return buf.subarray(0, pos);
    return sharedViews[pos] ??= buf.subarray(0, pos);
  }
  if (buf === POOL.slab) {
    claim(pos);
    return new Uint8Array(buf.buffer, buf.byteOffset + start, pos - start);
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
export function endFrame(
  w: BodyWriter,
  layout: FrameLayout,
  msgType: number,
): Uint8Array {
  const at = w.start;
  const length = w.pos - at - layout.headerSize;
  if (length > 0xffff_ffff) {
    throw new FrameError(
      "too_large",
      `body of ${length} bytes does not fit the u32 length field`,
      { msgType, length },
    );
  }
  writeHeader(layout, w.buf, at, msgType, length);
  return take(w);
}

/**
 * Checks a whole frame's header (and checksum) and returns its body, a view
 * of `bytes`. Bytes after the frame are ignored, as `SyncFrame.decode` does.
 */
export function frameBody(layout: FrameLayout, bytes: Uint8Array): Uint8Array {
  if (!(bytes instanceof Uint8Array)) {
    throw new FrameError("bad_value", "a frame must be a Uint8Array");
  }
  const length = checkFrame(layout, bytes, 0xffff_ffff);
  return bytes.subarray(layout.headerSize, layout.headerSize + length);
}
