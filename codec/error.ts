/**
 * The one error type that `@sync/frame` throws.
 *
 * @module
 */

/**
 * Stable machine-readable reasons for a {@linkcode FrameError}.
 *
 * - `"too_short"`: fewer bytes than a frame header (5 in 2026-04, 10 in 2026-07).
 * - `"bad_version"`: the frame format version byte is not the revision's
 *   (2026-07: `0x01`); {@linkcode FrameError.version} holds the byte.
 * - `"unknown_type"`: the type byte is not a message code of this revision.
 * - `"truncated"`: the body is shorter than the length the header declares.
 * - `"too_large"`: the declared or actual body length is over the limit.
 * - `"bad_checksum"`: the body's CRC-32C differs from the header's (2026-07);
 *   {@linkcode FrameError.expectedChecksum} is the header's value and
 *   {@linkcode FrameError.actualChecksum} the body's.
 * - `"bad_body"`: the body is not a valid MessagePack value of the expected shape.
 * - `"bad_value"`: a value given to an encoder cannot be written as asked.
 * - `"wrong_direction"`: a frame arrived from the side that may not send it.
 * - `"closed"`: the connection or stream is closed.
 * - `"backpressure"`: a bounded buffer or queue is full.
 * - `"bad_message"`: a transport message is not exactly one frame (a
 *   WebSocket text message, or bytes after the frame).
 * - `"aborted"`: the caller cancelled the operation through its
 *   `AbortSignal` (the signal's reason is the error's `cause`); a cancelled
 *   receive took no frame and a cancelled send sent nothing.
 */
export type FrameErrorCode =
  | "too_short"
  | "bad_version"
  | "unknown_type"
  | "truncated"
  | "too_large"
  | "bad_checksum"
  | "bad_body"
  | "bad_value"
  | "wrong_direction"
  | "closed"
  | "backpressure"
  | "bad_message"
  | "aborted";

/** Details attached to a {@linkcode FrameError}; every field is optional. */
export interface FrameErrorDetails {
  /** The offending message type byte, when known. */
  msgType?: number;
  /** The body length the header declared, when known. */
  length?: number;
  /** The byte offset inside the body (or stream) where the problem was found. */
  offset?: number;
  /** The field path inside a typed body, e.g. `HandshakeMsg.vector_clock`. */
  path?: string;
  /** The frame format version byte that was found (`"bad_version"`). */
  version?: number;
  /** The CRC-32C the header declares (`"bad_checksum"`). */
  expectedChecksum?: number;
  /** The CRC-32C of the body that arrived (`"bad_checksum"`). */
  actualChecksum?: number;
  /** The underlying error, when one was caught. */
  cause?: unknown;
}

/**
 * An error raised for any frame, body or transport problem.
 *
 * Its {@linkcode FrameError.code} is stable and meant for programs; its
 * message is meant for people and may change.
 *
 * @example Telling error kinds apart
 * ```ts
 * import { FrameError, SyncFrame } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * try {
 *   SyncFrame.decode(new Uint8Array([0xff, 0x05, 0x00]));
 * } catch (error) {
 *   assert.ok(error instanceof FrameError);
 *   assert.equal(error.code, "too_short");
 * }
 * ```
 */
export class FrameError extends Error {
  /** Stable reason code. */
  readonly code: FrameErrorCode;
  /** The offending message type byte, when known. */
  readonly msgType: number | undefined;
  /** The body length the header declared, when known. */
  readonly length: number | undefined;
  /** Byte offset of the problem, when known. */
  readonly offset: number | undefined;
  /** Field path inside a typed body, when known. */
  readonly path: string | undefined;
  /** The frame format version byte found, for `"bad_version"`. */
  readonly version: number | undefined;
  /** The CRC-32C the header declares, for `"bad_checksum"`. */
  readonly expectedChecksum: number | undefined;
  /** The CRC-32C of the body that arrived, for `"bad_checksum"`. */
  readonly actualChecksum: number | undefined;

  /**
   * Creates a frame error.
   *
   * @param code The stable reason code.
   * @param message A human-readable description.
   * @param details Optional facts about the offending input.
   */
  constructor(
    code: FrameErrorCode,
    message: string,
    details: FrameErrorDetails = {},
  ) {
    super(
      message,
      details.cause === undefined ? undefined : { cause: details.cause },
    );
    this.name = "FrameError";
    this.code = code;
    this.msgType = details.msgType;
    this.length = details.length;
    this.offset = details.offset;
    this.path = details.path;
    this.version = details.version;
    this.expectedChecksum = details.expectedChecksum;
    this.actualChecksum = details.actualChecksum;
  }
}
