/**
 * {@linkcode FrameCursor}: the frames of one buffer, walked without
 * allocating.
 *
 * @module
 */

import { FrameError } from "../codec/error.ts";
import type { FrameLayout } from "../codec/layout.ts";
import {
  checksumError,
  checksumMatches,
  HEADER_TOO_SHORT,
  headerError,
  readHeader,
} from "../codec/_header.ts";
import { maxBodySizeOption } from "../codec/_options.ts";
import {
  revisionCodec,
  type RevisionFrames,
  type RevisionName,
} from "../generated/revisions.ts";
import { partialHeaderError, withOffset } from "./_frame_errors.ts";

/** Options for {@linkcode FrameCursor}. */
export interface FrameCursorOptions<R extends RevisionName = "2026-04"> {
  /** The wire revision (default `"2026-04"`). */
  revision?: R;
  /** Largest accepted body length in bytes. Default 16 MiB. */
  maxBodySize?: number;
  /** Where the first frame starts in the buffer. Default 0. */
  offset?: number;
}

/**
 * Walks the frames of one buffer without allocating: after each successful
 * {@linkcode FrameCursor.next}, `msgType`, `bodyStart` and `bodyEnd` describe
 * the current frame (its body is `bytes.subarray(bodyStart, bodyEnd)`).
 *
 * It is the fastest way through a capture or a large read buffer. It keeps no
 * state across buffers: when `next()` returns `false`, `offset` is where the
 * incomplete trailing frame (if any) starts; carry those bytes over yourself,
 * or use {@linkcode FrameDecoder}.
 *
 * @example Counting the frames of a buffer
 * ```ts
 * import { FrameCursor } from "@sync/frame/stream";
 * import { SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([0xff, 1, 0, 0, 0, 0xc0, 0x11, 1, 0, 0, 0, 0x90, 0xff, 9]);
 * const cursor = new FrameCursor(bytes);
 * const seen: [SyncMessageType, number, number][] = [];
 * while (cursor.next()) seen.push([cursor.msgType, cursor.bodyStart, cursor.bodyEnd]);
 * assert.deepEqual(seen, [[SyncMessageType.PingPong, 5, 6], [SyncMessageType.DeltaAck, 11, 12]]);
 * assert.equal(cursor.offset, 12); // start of the incomplete third frame
 * ```
 */
export class FrameCursor<R extends RevisionName = "2026-04"> {
  /** The wire revision. */
  readonly revision: R;
  /** The largest accepted body length in bytes. */
  readonly maxBodySize: number;
  /** Where the next frame starts. */
  offset: number;
  /** Type of the current frame. */
  msgType: RevisionFrames[R]["msgType"] = 0 as RevisionFrames[R]["msgType"];
  /** Index of the current frame's first body byte. */
  bodyStart = 0;
  /** Index just past the current frame's last body byte. */
  bodyEnd = 0;
  #bytes: Uint8Array;
  #layout: FrameLayout;

  /**
   * Creates a cursor at `options.offset` (default 0) of `bytes`.
   *
   * @param bytes The buffer to walk; it is read, never copied.
   * @param options `maxBodySize` (default 16 MiB) and the start `offset`.
   * @throws {FrameError} `"bad_value"` for an invalid option.
   */
  constructor(bytes: Uint8Array, options?: FrameCursorOptions<R>) {
    if (!(bytes instanceof Uint8Array)) {
      throw new FrameError("bad_value", "a FrameCursor walks a Uint8Array");
    }
    const codec = revisionCodec(options?.revision);
    this.revision = codec.name;
    this.#layout = codec.layout;
    this.maxBodySize = maxBodySizeOption(options?.maxBodySize);
    const offset = options?.offset ?? 0;
    if (!Number.isInteger(offset) || offset < 0 || offset > bytes.length) {
      throw new FrameError(
        "bad_value",
        `offset must be an integer from 0 to ${bytes.length}, got ${offset}`,
      );
    }
    this.#bytes = bytes;
    this.offset = offset;
  }

  /**
   * Moves to the next complete frame.
   *
   * @returns `true` if a complete frame starts at `offset` (the cursor then
   * describes it and `offset` moves past it); `false` if the remaining bytes
   * do not hold a complete frame (nothing changes).
   * @throws {FrameError} `"unknown_type"` or `"too_large"` for a bad header at
   * `offset` (again on every later call: there is no resynchronisation).
   *
   * @example
   * ```ts
   * import { FrameCursor } from "@sync/frame/stream";
   * import { FrameError } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const cursor = new FrameCursor(new TextEncoder().encode("GET / HTTP/1.1\r\n"));
   * assert.throws(() => cursor.next(), (e) => e instanceof FrameError && e.code === "unknown_type");
   * ```
   */
  next(): boolean {
    const bytes = this.#bytes;
    const i = this.offset;
    const layout = this.#layout;
    const length = readHeader(layout, bytes, i, this.maxBodySize);
    if (length < 0) {
      if (length !== HEADER_TOO_SHORT) {
        throw withOffset(
          headerError(layout, bytes, i, length, this.maxBodySize),
          i,
        );
      }
      const error = partialHeaderError(
        layout,
        bytes,
        i,
        bytes.length - i,
        this.maxBodySize,
      );
      if (error !== undefined) throw withOffset(error, i);
      return false;
    }
    const end = i + layout.headerSize + length;
    if (end > bytes.length) return false;
    if (!checksumMatches(layout, bytes, i, length)) {
      throw withOffset(checksumError(layout, bytes, i, length), i);
    }
    this.msgType = bytes[i + layout.typeOffset] as RevisionFrames[R]["msgType"];
    this.bodyStart = i + layout.headerSize;
    this.bodyEnd = end;
    this.offset = end;
    return true;
  }
}
