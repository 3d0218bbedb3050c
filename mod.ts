/**
 * Wire frames of NodeDB's sync protocol (April 2026 revision) for Deno,
 * browsers and Node.
 *
 * A frame is `[msg_type: 1 byte][length: u32 LE][body: length bytes]`; the
 * body is one MessagePack value. {@linkcode SyncFrame} mirrors the Rust
 * `SyncFrame` one-to-one (`toBytes`, `fromBytes`, `newMsgpack`, `tryEncode`,
 * `decodeBody`) and adds what a TypeScript user of an untrusted peer needs:
 * typed errors ({@linkcode FrameError} with a stable `code`), a body size
 * limit checked from the header alone, and a bounded MessagePack reader.
 *
 * @example Build, send and read a ping
 * ```ts
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const ping = SyncFrame.newMsgpack(SyncMessageType.PingPong, [12345, false]);
 * assert.ok(ping);
 * const bytes = ping.toBytes();
 * assert.deepEqual(
 *   Array.from(bytes),
 *   [0xff, 0x05, 0x00, 0x00, 0x00, 0x92, 0xcd, 0x30, 0x39, 0xc2],
 * );
 *
 * const received = SyncFrame.decode(bytes);
 * assert.equal(received.msgType, SyncMessageType.PingPong);
 * assert.deepEqual(received.decodeBody(), [12345, false]);
 * ```
 *
 * @module
 */

import {
  directionOf,
  SyncMessageType,
} from "./generated/2026-04/message_type.ts";
import { FrameError } from "./codec/error.ts";
import { allocate, copyOf } from "./codec/_pool.ts";
import { decodeMsgpack, encodeMsgpack } from "./codec/_msgpack.ts";
import { decodeMessageBody } from "./generated/2026-04/bodies.ts";
import type {
  BodyDecodeOptions,
  SyncMessage,
} from "./generated/2026-04/bodies.ts";
import { maxBodySizeOption } from "./codec/_options.ts";
import {
  checkFrame,
  HEADER_SIZE,
  isKnownType,
  MAX_BODY_LENGTH,
  readHeader,
  writeHeader,
} from "./codec/_header.ts";

export * from "./generated/2026-04/message_type.ts";
export * from "./generated/2026-04/bodies.ts";
export { FrameError } from "./codec/error.ts";
export type { FrameErrorCode, FrameErrorDetails } from "./codec/error.ts";
export { MAX_DEPTH } from "./codec/_msgpack.ts";

export { DEFAULT_MAX_BODY_SIZE, MAX_BODY_LENGTH } from "./codec/_header.ts";

/** Options for {@linkcode SyncFrame.fromBytes}. */
export interface FromBytesOptions {
  /**
   * `false` (default): `body` is a view of the input (zero-copy; changing the
   * input changes the body). `true`: `body` is an owned copy (bodies up to
   * 4 KiB are carved from a shared pool, like `toBytes()` output).
   */
  copy?: boolean;
}

/** Options for {@linkcode SyncFrame.decode}. */
export interface DecodeOptions extends FromBytesOptions {
  /**
   * Largest accepted body length in bytes, checked from the header alone
   * before any body byte is needed. Default {@linkcode DEFAULT_MAX_BODY_SIZE}.
   */
  maxBodySize?: number;
}

/** Options for {@linkcode SyncFrame.tryEncode}. */
export interface TryEncodeOptions {
  /**
   * Called with the reason when the value cannot be encoded. The library never
   * logs; route the error to your own logger here.
   */
  onError?(error: FrameError): void;
}

/** Copies a body into a frame buffer; a loop beats `set`'s fixed cost below 32 bytes. */
function copyBody(body: Uint8Array, target: Uint8Array, at: number): void {
  const n = body.length;
  if (n <= 32) {
    for (let i = 0; i < n; i++) target[at + i] = body[i];
  } else {
    target.set(body, at);
  }
}

/** The encoded size of `frame`, refusing bodies the u32 length cannot express. */
function checkedByteLength(frame: SyncFrame): number {
  const n = frame.body.length;
  if (n > MAX_BODY_LENGTH) {
    throw new FrameError(
      "too_large",
      `body of ${n} bytes does not fit the u32 length field`,
      { msgType: frame.msgType, length: n },
    );
  }
  return HEADER_SIZE + n;
}

/**
 * One wire frame: a message type and its serialized body.
 *
 * Layout: `[msg_type: 1B][length: 4B LE][body: N bytes]`; the header is
 * {@linkcode SyncFrame.HEADER_SIZE} = 5 bytes.
 *
 * Bodies are kept as given: the constructor does not copy, and
 * {@linkcode SyncFrame.decode} / {@linkcode SyncFrame.fromBytes} return views of
 * their input unless `{ copy: true }` is passed.
 *
 * @typeParam T The message type, so that transports can restrict what a side sends.
 *
 * @example Round trip
 * ```ts
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const frame = new SyncFrame(SyncMessageType.DeltaAck, new Uint8Array([0x93, 0x07, 0x00, 0xc0]));
 * const bytes = frame.toBytes(); // 11 04 00 00 00 93 07 00 c0
 * const back = SyncFrame.decode(bytes);
 * assert.equal(back.msgType, SyncMessageType.DeltaAck);
 * assert.deepEqual(back.body, frame.body);
 * ```
 */
export class SyncFrame<T extends SyncMessageType = SyncMessageType> {
  /** Header size in bytes: 1 type byte + 4 length bytes. */
  static readonly HEADER_SIZE = 5;

  /** The message type. */
  readonly msgType: T;
  /** The serialized body (MessagePack). */
  readonly body: Uint8Array;

  /**
   * Creates a frame. The body is kept by reference, not copied.
   *
   * @param msgType A message type of this revision.
   * @param body The serialized body.
   * @throws {FrameError} `"unknown_type"` if `msgType` is not a message type of
   * this revision; `"bad_value"` if `body` is not a `Uint8Array`.
   */
  constructor(msgType: T, body: Uint8Array) {
    if (typeof msgType !== "number" || !isKnownType(msgType)) {
      throw new FrameError(
        "unknown_type",
        `unknown message type ${String(msgType)}`,
        { msgType: typeof msgType === "number" ? msgType : undefined },
      );
    }
    if (!(body instanceof Uint8Array)) {
      throw new FrameError("bad_value", "frame body must be a Uint8Array");
    }
    this.msgType = msgType;
    this.body = body;
  }

  /** Total encoded size: header plus body. */
  get byteLength(): number {
    return HEADER_SIZE + this.body.length;
  }

  /**
   * Serializes the frame: `[msg_type][u32 LE length][body]`, byte-identical to
   * the Rust `to_bytes`.
   *
   * @returns The frame's bytes, owned by the caller. Frames up to 4 KiB are
   * carved from a shared 64 KiB pool (a fresh `ArrayBuffer` costs about 1 µs in
   * V8), so `byteOffset` may be non-zero and `buffer` is shared: pass the
   * `Uint8Array` itself to `send`/`write` (as usual), or `.slice()` it when you
   * need a standalone `ArrayBuffer`.
   * @throws {FrameError} `"too_large"` if the body is longer than 0xFFFFFFFF
   * bytes (Rust's `as u32` would silently wrap the length).
   *
   * @example
   * ```ts
   * import { SyncFrame, SyncMessageType } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const bytes = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0xc0])).toBytes();
   * assert.deepEqual(Array.from(bytes), [0xff, 1, 0, 0, 0, 0xc0]);
   * ```
   */
  toBytes(): Uint8Array {
    const out = allocate(checkedByteLength(this));
    writeHeader(out, 0, this.msgType, this.body.length);
    copyBody(this.body, out, HEADER_SIZE);
    return out;
  }

  /**
   * Writes the frame into a caller's buffer, allocating nothing.
   *
   * @param target The buffer to write into.
   * @param offset Where the frame starts in `target` (default 0).
   * @returns The number of bytes written ({@linkcode SyncFrame.byteLength}).
   * @throws {FrameError} `"too_large"` if the body is longer than 0xFFFFFFFF
   * bytes; `"bad_value"` if the frame does not fit in `target` at `offset`.
   *
   * @example
   * ```ts
   * import { SyncFrame, SyncMessageType } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const out = new Uint8Array(64);
   * const n = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0xc0])).encodeInto(out, 10);
   * assert.equal(n, 6);
   * assert.equal(out[10], 0xff);
   * ```
   */
  encodeInto(target: Uint8Array, offset = 0): number {
    const size = checkedByteLength(this);
    if (
      !Number.isInteger(offset) || offset < 0 ||
      target.length - offset < size
    ) {
      throw new FrameError(
        "bad_value",
        `a ${size}-byte frame does not fit at offset ${offset} of a ${target.length}-byte buffer`,
      );
    }
    writeHeader(target, offset, this.msgType, this.body.length);
    copyBody(this.body, target, offset + HEADER_SIZE);
    return size;
  }

  /**
   * Parses a frame, as the Rust `SyncFrame::from_bytes`: `undefined` when the
   * input is shorter than 5 bytes, the type byte is unknown, or the body is
   * truncated. Bytes after the frame are ignored. No size limit applies beyond
   * the u32 field; use {@linkcode SyncFrame.decode} for typed errors and a limit.
   *
   * @param data Bytes starting with a frame header.
   * @param options `copy: true` for an owned body (default: a view of `data`).
   * @returns The frame, or `undefined`.
   *
   * @example
   * ```ts
   * import { SyncFrame } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * assert.equal(SyncFrame.fromBytes(new Uint8Array([0xff, 1, 0])), undefined);
   * assert.equal(SyncFrame.fromBytes(new Uint8Array([0xff, 1, 0, 0, 0, 0xc0]))?.body.length, 1);
   * ```
   */
  static fromBytes(
    data: Uint8Array,
    options?: FromBytesOptions,
  ): SyncFrame | undefined {
    const length = readHeader(data, 0, MAX_BODY_LENGTH);
    if (length < 0 || data.length - HEADER_SIZE < length) return undefined;
    return SyncFrame.at(data, length, options?.copy === true);
  }

  /**
   * Parses a frame like {@linkcode SyncFrame.fromBytes}, but throws a typed
   * error and enforces a body size limit from the header alone. Bytes after
   * the frame are ignored.
   *
   * @param data Bytes starting with a frame header.
   * @param options `maxBodySize` (default 64 MiB) and `copy` (default: body is a view of `data`).
   * @returns The frame.
   * @throws {FrameError} `"too_short"` (under 5 bytes), `"unknown_type"`
   * (with `msgType`), `"too_large"` (with `length`), `"truncated"` (with
   * `length`), or `"bad_value"` for an invalid `maxBodySize`.
   *
   * @example
   * ```ts
   * import { FrameError, SyncFrame } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * assert.throws(
   *   () => SyncFrame.decode(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff])),
   *   (e) => e instanceof FrameError && e.code === "too_large" && e.length === 0xffffffff,
   * );
   * ```
   */
  static decode(data: Uint8Array, options?: DecodeOptions): SyncFrame {
    const length = checkFrame(data, maxBodySizeOption(options?.maxBodySize));
    return SyncFrame.at(data, length, options?.copy === true);
  }

  /** Builds the frame whose complete header and body start at index 0. */
  private static at(
    data: Uint8Array,
    length: number,
    copy: boolean,
  ): SyncFrame {
    const end = HEADER_SIZE + length;
    return new SyncFrame(
      data[0] as SyncMessageType,
      copy ? copyOf(data, HEADER_SIZE, end) : data.subarray(HEADER_SIZE, end),
    );
  }

  /**
   * Creates a frame whose body is `value` serialized as MessagePack, as the
   * Rust `SyncFrame::new_msgpack`: `undefined` when serialization fails (never
   * a frame with a partial or wrong body).
   *
   * Values map as in `@std/msgpack`: safe integers → smallest int form, other
   * numbers → float64, bigint → 64-bit int, string → str, `Uint8Array` → bin,
   * arrays → arrays, `Map`s and plain objects → maps, `null`/`undefined` → nil.
   * A bigint outside the 64-bit range, a string with a lone surrogate, a
   * function, a class instance or nesting deeper than 64 fails.
   *
   * @param msgType The message type.
   * @param value The body value.
   * @returns The frame, or `undefined` if `value` cannot be serialized.
   *
   * @example
   * ```ts
   * import { SyncFrame, SyncMessageType } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const frame = SyncFrame.newMsgpack(SyncMessageType.DeltaAck, [7, 0, null]);
   * assert.deepEqual(Array.from(frame!.body), [0x93, 0x07, 0x00, 0xc0]);
   * assert.equal(SyncFrame.newMsgpack(SyncMessageType.DeltaAck, [2n ** 64n]), undefined);
   * ```
   */
  static newMsgpack<T extends SyncMessageType>(
    msgType: T,
    value: unknown,
  ): SyncFrame<T> | undefined {
    return SyncFrame.tryEncode(msgType, value);
  }

  /**
   * Like {@linkcode SyncFrame.newMsgpack}, and reports why a value could not be
   * encoded through `options.onError` (the Rust original logs; this library
   * never does).
   *
   * @param msgType The message type.
   * @param value The body value.
   * @param options `onError` receives a {@linkcode FrameError} with code
   * `"bad_value"` (and the path of the offending value) or `"unknown_type"`.
   * @returns The frame, or `undefined` if it cannot be built.
   *
   * @example
   * ```ts
   * import { type FrameError, SyncFrame, SyncMessageType } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const errors: FrameError[] = [];
   * const frame = SyncFrame.tryEncode(SyncMessageType.PingPong, [() => 1], {
   *   onError: (e) => errors.push(e),
   * });
   * assert.equal(frame, undefined);
   * assert.equal(errors[0].code, "bad_value");
   * assert.equal(errors[0].path, "value[0]");
   * ```
   */
  static tryEncode<T extends SyncMessageType>(
    msgType: T,
    value: unknown,
    options?: TryEncodeOptions,
  ): SyncFrame<T> | undefined {
    let frame: SyncFrame<T>;
    try {
      frame = new SyncFrame(msgType, encodeMsgpack(value));
    } catch (error) {
      options?.onError?.(
        error instanceof FrameError
          ? error
          : new FrameError("bad_value", `cannot encode body: ${error}`, {
            cause: error,
          }),
      );
      return undefined;
    }
    return frame;
  }

  /**
   * Decodes the body as one generic MessagePack value, as the Rust
   * `decode_body`: `undefined` on any failure. Use
   * {@linkcode SyncFrame.decodeBodyOrThrow} to learn why.
   *
   * The reader is bounded (see `decodeBodyOrThrow`) and safe on hostile bytes.
   * `V` is not checked at run time; it only names what you expect.
   *
   * @typeParam V The expected shape of the value.
   * @returns The value, or `undefined`.
   *
   * @example
   * ```ts
   * import { SyncFrame, SyncMessageType } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const frame = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0x92, 0xcd, 0x30, 0x39, 0xc2]));
   * assert.deepEqual(frame.decodeBody<[number, boolean]>(), [12345, false]);
   * assert.equal(new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0xc1])).decodeBody(), undefined);
   * ```
   */
  decodeBody<V = unknown>(): V | undefined {
    try {
      return decodeMsgpack(this.body) as V;
    } catch {
      return undefined;
    }
  }

  /**
   * Decodes the body as one generic MessagePack value, or says why it cannot.
   *
   * Safe on untrusted bytes: nesting depth at most 64; every declared
   * str/bin/array/map length is checked against the bytes that remain before
   * anything is allocated; strings must be valid UTF-8; reserved `c1`,
   * extension types, an empty body and trailing bytes are rejected. uint64 and
   * int64 markers decode to `bigint` (never a rounded number), other integers
   * to `number`. Maps become plain objects with string keys (integer keys as
   * their decimal text; `__proto__` becomes an own property). `bin` values are
   * copies.
   *
   * @typeParam V The expected shape of the value (not checked at run time).
   * @returns The value.
   * @throws {FrameError} `"bad_body"` with the reason, the byte `offset` and `msgType`.
   *
   * @example
   * ```ts
   * import { FrameError, SyncFrame, SyncMessageType } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const frame = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0x01, 0x02]));
   * assert.throws(
   *   () => frame.decodeBodyOrThrow(),
   *   (e) => e instanceof FrameError && e.code === "bad_body" && e.offset === 1,
   * );
   * ```
   */
  decodeBodyOrThrow<V = unknown>(): V {
    try {
      return decodeMsgpack(this.body) as V;
    } catch (error) {
      const inner = error as FrameError;
      throw new FrameError(
        "bad_body",
        `${SyncMessageType[this.msgType]} body: ${inner.message}`,
        { msgType: this.msgType, offset: inner.offset },
      );
    }
  }

  /**
   * Reads the body as this frame's typed message, strictly: it accepts exactly
   * what the Rust peer (zerompk 0.4.1) accepts for the body struct of
   * {@linkcode SyncFrame.msgType}.
   *
   * @param options `copy: true` to copy `bytes` fields; by default they are
   * views into {@linkcode SyncFrame.body}.
   * @returns `{ type, body }` with `body` typed by the frame's message type.
   * @throws {FrameError} `"bad_body"` with `msgType`, the field `path` (e.g.
   * `HandshakeMsg.vector_clock`) and the byte `offset` inside the body.
   *
   * @example
   * ```ts
   * import { SyncFrame, SyncMessageType } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const frame = SyncFrame.decode(
   *   new Uint8Array([0x11, 0x04, 0x00, 0x00, 0x00, 0x93, 0x07, 0x00, 0xc0]),
   * );
   * const message = frame.decodeMessage();
   * assert.equal(message.type, SyncMessageType.DeltaAck);
   * if (message.type === SyncMessageType.DeltaAck) {
   *   assert.equal(message.body.mutationId, 7n);
   *   assert.equal(message.body.clockSkewWarningMs, null);
   * }
   * ```
   */
  decodeMessage(options?: BodyDecodeOptions): SyncMessage<T> {
    return decodeMessageBody(this.msgType, this.body, options);
  }

  /**
   * Who may send this frame's type.
   *
   * @returns The direction from the spec.
   */
  get direction(): ReturnType<typeof directionOf> {
    return directionOf(this.msgType);
  }
}
