// Frame serialization for the transports. It checks the frame's shape rather
// than `instanceof SyncFrame`, so frames built by another copy of the library
// (two versions in one dependency graph) are accepted too.

import { FrameError } from "../codec/error.ts";
import { writeHeader } from "../codec/_header.ts";
import { allocate } from "../codec/_pool.ts";
import type { RevisionCodec } from "../generated/revisions.ts";

/** The largest body length the u32 length field can express. */
const MAX_LENGTH = 0xffff_ffff;

/** Shape of a frame as the encoders need it. */
export interface FrameLike {
  readonly msgType: number;
  readonly body: Uint8Array;
}

/**
 * Checks that `frame` is a frame of the revision.
 *
 * @returns The frame's type byte.
 * @throws {FrameError} `"bad_value"`, `"unknown_type"` or `"too_large"`.
 */
export function checkFrame(codec: RevisionCodec, frame: unknown): number {
  if (typeof frame !== "object" || frame === null) {
    throw new FrameError("bad_value", "expected a SyncFrame");
  }
  const { msgType, body } = frame as FrameLike;
  if (!(body instanceof Uint8Array)) {
    throw new FrameError("bad_value", "a frame body must be a Uint8Array");
  }
  if (typeof msgType !== "number" || codec.layout.knownTypes[msgType] !== 1) {
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
export function encodeFrame(
  codec: RevisionCodec,
  frame: unknown,
): Uint8Array {
  const msgType = checkFrame(codec, frame);
  const body = (frame as FrameLike).body;
  const h = codec.layout.headerSize;
  const out = allocate(h + body.length);
  out.set(body, h);
  writeHeader(codec.layout, out, 0, msgType, body.length, body);
  return out;
}

/**
 * Encodes a typed message as a frame of the revision (a view of pooled
 * bytes), for `sendMessage`.
 *
 * @throws {FrameError} `"bad_value"` (with the field `path`) for a body that
 * does not fit its type, also when reading the body throws something else.
 */
export function encodeMessageFrame(
  codec: RevisionCodec,
  type: number,
  body: unknown,
): FrameLike {
  let bytes: Uint8Array;
  try {
    bytes = codec.encodeMessage(type, body, { shared: true });
  } catch (error) {
    if (error instanceof FrameError) throw error;
    throw new FrameError(
      "bad_value",
      `cannot encode the body: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { msgType: typeof type === "number" ? type : undefined, cause: error },
    );
  }
  return codec.frame(type, bytes.subarray(codec.layout.headerSize));
}
