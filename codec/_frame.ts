// What SyncFrame does, written once for every frame layout. Each revision's
// generated `frame.ts` declares its `SyncFrame` class (with the revision's
// docs and types) and delegates every method here with its FrameLayout.

import { FrameError } from "./error.ts";
import type { FrameLayout } from "./layout.ts";
import { allocate, copyOf } from "./_pool.ts";
import { decodeMsgpack, encodeMsgpack } from "./_msgpack.ts";
import { maxBodySizeOption } from "./_options.ts";
import { DEFAULT_MAX_BODY_SIZE, MAX_BODY_LENGTH } from "./constants.ts";
import {
  checkFrame,
  checksumMatches,
  frameLengthOrNone,
  readHeader,
  writeHeader,
} from "./_header.ts";

/** Options for `SyncFrame.fromBytes`. */
export interface FromBytesOptions {
  /**
   * `false` (default): `body` is a view of the input (zero-copy; changing the
   * input changes the body). `true`: `body` is an owned copy (bodies up to
   * 4 KiB are carved from a shared pool, like `toBytes()` output).
   */
  copy?: boolean;
}

/** Options for `SyncFrame.decode`. */
export interface DecodeOptions extends FromBytesOptions {
  /**
   * Largest accepted body length in bytes, checked from the header alone
   * before any body byte is needed. Default {@linkcode DEFAULT_MAX_BODY_SIZE}.
   */
  maxBodySize?: number;
}

/** Options for `SyncFrame.tryEncode`. */
export interface TryEncodeOptions {
  /**
   * Called with the reason when the value cannot be encoded. The library never
   * logs; route the error to your own logger here.
   */
  onError?(error: FrameError): void;
}

/** Throws `bad_value` unless `data` is a Uint8Array. */
export function checkBytes(data: unknown, what: string): void {
  if (!(data instanceof Uint8Array)) {
    throw new FrameError(
      "bad_value",
      `${what} must be a Uint8Array, got ${
        data === null ? "null" : typeof data
      }`,
    );
  }
}

/** Validates a constructor's arguments (small, so that V8 inlines it). */
export function checkFrameParts(
  layout: FrameLayout,
  msgType: unknown,
  body: unknown,
): void {
  if (
    typeof msgType !== "number" || layout.knownTypes[msgType] !== 1 ||
    !(body instanceof Uint8Array)
  ) {
    badFrameParts(layout, msgType, body);
  }
}

function badFrameParts(
  layout: FrameLayout,
  msgType: unknown,
  body: unknown,
): void {
  if (typeof msgType !== "number" || layout.knownTypes[msgType] !== 1) {
    throw new FrameError(
      "unknown_type",
      `unknown message type ${String(msgType)} (revision ${layout.revision})`,
      { msgType: typeof msgType === "number" ? msgType : undefined },
    );
  }
  checkBytes(body, "a frame body");
}

/** The encoded size of a frame, refusing bodies the u32 length cannot express. */
export function frameByteLength(
  layout: FrameLayout,
  msgType: number,
  body: Uint8Array,
): number {
  const n = body.length;
  if (n > MAX_BODY_LENGTH) {
    throw new FrameError(
      "too_large",
      `body of ${n} bytes does not fit the u32 length field`,
      { msgType, length: n },
    );
  }
  return layout.headerSize + n;
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

/** `toBytes()`: the frame in bytes of its exact size, pooled when small. */
export function frameToBytes(
  layout: FrameLayout,
  msgType: number,
  body: Uint8Array,
): Uint8Array {
  const out = allocate(frameByteLength(layout, msgType, body));
  copyBody(body, out, layout.headerSize);
  writeHeader(layout, out, 0, msgType, body.length, body);
  return out;
}

/** `encodeInto()`: writes the frame into `target` at `offset`. */
export function frameEncodeInto(
  layout: FrameLayout,
  msgType: number,
  body: Uint8Array,
  target: Uint8Array,
  offset: number,
): number {
  const size = frameByteLength(layout, msgType, body);
  checkBytes(target, "the target");
  if (
    !Number.isInteger(offset) || offset < 0 || target.length - offset < size
  ) {
    throw new FrameError(
      "bad_value",
      `a ${size}-byte frame does not fit at offset ${offset} of a ${target.length}-byte buffer`,
    );
  }
  copyBody(body, target, offset + layout.headerSize);
  writeHeader(layout, target, offset, msgType, body.length, body);
  return size;
}

function bodyAt(
  layout: FrameLayout,
  data: Uint8Array,
  length: number,
  copy: boolean,
): Uint8Array {
  const start = layout.headerSize;
  if (copy) return copyOf(data, start, start + length);
  // A view made from the buffer costs less than `subarray`, which looks up
  // the species constructor first.
  return new Uint8Array(data.buffer, data.byteOffset + start, length);
}

/** `fromBytes()`: the body of the frame at the start of `data`, or `undefined`. */
export function frameBodyOrNone(
  layout: FrameLayout,
  data: Uint8Array,
  options: FromBytesOptions | undefined,
): Uint8Array | undefined {
  checkBytes(data, "frame bytes");
  const length = frameLengthOrNone(layout, data);
  return length < 0
    ? undefined
    : bodyAt(layout, data, length, options?.copy === true);
}

/** `decode()`: the body of the frame at the start of `data`, or a FrameError. */
export function frameBodyOrThrow(
  layout: FrameLayout,
  data: Uint8Array,
  options: DecodeOptions | undefined,
): Uint8Array {
  if (!(data instanceof Uint8Array)) checkBytes(data, "frame bytes");
  const max = options === undefined
    ? DEFAULT_MAX_BODY_SIZE
    : maxBodySizeOption(options.maxBodySize);
  // The common case inline; `checkFrame` finds and reports any fault.
  const length = readHeader(layout, data, 0, max);
  if (
    length < 0 || data.length - layout.headerSize < length ||
    !checksumMatches(layout, data, 0, length)
  ) {
    checkFrame(layout, data, max);
  }
  return bodyAt(layout, data, length, options?.copy === true);
}

/** `tryEncode()`'s body: the MessagePack bytes, or `undefined` after `onError`. */
export function msgpackBodyOrNone(
  value: unknown,
  options: TryEncodeOptions | undefined,
): Uint8Array | undefined {
  try {
    return encodeMsgpack(value);
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
}

/** `decodeBodyOrThrow()`: the generic value, or `bad_body` naming the type. */
export function genericBody(
  layout: FrameLayout,
  msgType: number,
  body: Uint8Array,
): unknown {
  try {
    return decodeMsgpack(body);
  } catch (error) {
    const inner = error as FrameError;
    throw new FrameError(
      "bad_body",
      `${layout.typeName(msgType)} body: ${inner.message}`,
      { msgType, offset: inner.offset },
    );
  }
}
