// Frame serialization for the transports. It checks the frame's shape rather
// than `instanceof SyncFrame`, so frames built by another copy of the library
// (two versions in one dependency graph) are accepted too.

import { fromU8 } from "../generated/2026-04/message_type.ts";
import { FrameError } from "../codec/error.ts";
import { HEADER_SIZE, writeHeader } from "../codec/_header.ts";
import { allocate } from "../codec/_pool.ts";

/** The largest body length the u32 length field can express. */
const MAX_LENGTH = 0xffff_ffff;

/** Shape of a frame as the encoders need it. */
export interface FrameLike {
  readonly msgType: number;
  readonly body: Uint8Array;
}

/**
 * Checks that `frame` is a frame of this revision.
 *
 * @returns The frame's type byte.
 * @throws {FrameError} `"bad_value"`, `"unknown_type"` or `"too_large"`.
 */
export function checkFrame(frame: unknown): number {
  if (typeof frame !== "object" || frame === null) {
    throw new FrameError("bad_value", "expected a SyncFrame");
  }
  const { msgType, body } = frame as FrameLike;
  if (!(body instanceof Uint8Array)) {
    throw new FrameError("bad_value", "a frame body must be a Uint8Array");
  }
  if (fromU8(msgType) === undefined) {
    throw new FrameError(
      "unknown_type",
      `unknown message type ${String(msgType)}`,
      { msgType: typeof msgType === "number" ? msgType : undefined },
    );
  }
  if (body.length > MAX_LENGTH) {
    throw new FrameError(
      "too_large",
      `body of ${body.length} bytes does not fit the u32 length field`,
      { msgType, length: body.length },
    );
  }
  return msgType;
}

/**
 * Serializes a frame into bytes of its exact size, pooled when small (as
 * `SyncFrame.toBytes`); the library never writes them again.
 *
 * @throws {FrameError} as {@linkcode checkFrame}.
 */
export function encodeFrame(frame: unknown): Uint8Array {
  const msgType = checkFrame(frame);
  const body = (frame as FrameLike).body;
  const out = allocate(HEADER_SIZE + body.length);
  writeHeader(out, 0, msgType, body.length);
  out.set(body, HEADER_SIZE);
  return out;
}
