/**
 * Sync frames over byte streams: TCP connections, `fetch` bodies, files,
 * pipes and captures.
 *
 * - {@linkcode FrameDecoder}: push chunks of any size, get frames; linear
 *   time, bounded memory, fail-closed on the first framing error.
 * - {@linkcode FrameDecoderStream} / {@linkcode FrameEncoderStream}: the same
 *   as Web Streams, for `ReadableStream.pipeThrough`.
 * - {@linkcode FrameCursor}: a zero-allocation walk over the frames of one
 *   buffer, for hot paths.
 *
 * Limits and defaults: bodies over `maxBodySize` (default
 * `DEFAULT_MAX_BODY_SIZE`, 16 MiB) fail with `"too_large"` as soon as the header
 * is in; an unknown type byte fails with `"unknown_type"` as soon as it
 * arrives; a stream that ends inside a frame fails with `"truncated"`.
 *
 * @example Decoding frames from a byte stream
 * ```ts
 * import { FrameDecoderStream, FrameEncoderStream } from "@sync/frame/stream";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const sent = [
 *   SyncFrame.newMsgpack(SyncMessageType.PingPong, [1, false])!,
 *   SyncFrame.newMsgpack(SyncMessageType.PingPong, [2, false])!,
 * ];
 * // Any byte stream works: a TCP connection's `readable`, a `fetch` body, a file.
 * const bytes = ReadableStream.from(sent).pipeThrough(new FrameEncoderStream());
 * const received = await Array.fromAsync(bytes.pipeThrough(new FrameDecoderStream()));
 * assert.deepEqual(received.map((f) => f.decodeBody()), [[1, false], [2, false]]);
 * ```
 *
 * @module
 */

import { FrameDecoder, type FrameDecoderOptions } from "./decoder.ts";
import { encodeFrame } from "./_encode.ts";
import {
  revisionCodec,
  type RevisionFrames,
  type RevisionName,
} from "../generated/revisions.ts";

export { FrameCursor, FrameDecoder } from "./decoder.ts";
export type { FrameCursorOptions, FrameDecoderOptions } from "./decoder.ts";
export { FrameError } from "../codec/error.ts";
export type { FrameErrorCode } from "../codec/error.ts";
export type { RevisionFrames, RevisionName } from "../generated/revisions.ts";

/** Options for {@linkcode FrameEncoderStream}. */
export interface FrameEncoderStreamOptions<R extends RevisionName = "2026-04"> {
  /** The wire revision of the frames written (default `"2026-04"`). */
  revision?: R;
}

/**
 * Decodes a byte stream into frames, as a `TransformStream`.
 *
 * It wraps a {@linkcode FrameDecoder}: the same limits, the same body
 * ownership (bodies of frames whole inside a chunk are views of it unless
 * `copy: true`; the chunks a `ReadableStream` hands over are not reused by
 * their producer, so views are safe), the same fail-fast rules. A framing
 * error errors the stream at once with the {@linkcode FrameError} (frames not
 * read yet are dropped, as for any errored stream); a stream that ends inside
 * a frame errors with `"truncated"`. Errors of the source stream itself pass
 * through unchanged, as Web Streams pipes do.
 *
 * @example Reading frames from a TCP connection (type-checked, not run)
 * ```ts
 * import { FrameDecoderStream } from "@sync/frame/stream";
 *
 * export async function readFrames(port: number): Promise<void> {
 *   using conn = await Deno.connect({ hostname: "127.0.0.1", port });
 *   for await (const frame of conn.readable.pipeThrough(new FrameDecoderStream())) {
 *     console.log(frame.msgType, frame.body.length);
 *   }
 * }
 * ```
 *
 * @example A bad header errors the stream with a FrameError
 * ```ts
 * import { FrameDecoderStream } from "@sync/frame/stream";
 * import { FrameError } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const http = new TextEncoder().encode("GET / HTTP/1.1\r\n");
 * const frames = ReadableStream.from([http]).pipeThrough(new FrameDecoderStream());
 * await assert.rejects(
 *   Array.fromAsync(frames),
 *   (e) => e instanceof FrameError && e.code === "unknown_type" && e.msgType === 0x47,
 * );
 * ```
 */
export class FrameDecoderStream<R extends RevisionName = "2026-04">
  extends TransformStream<Uint8Array, RevisionFrames[R]> {
  /**
   * Creates the stream.
   *
   * @param options `revision` (default `"2026-04"`), `maxBodySize`
   * (default 16 MiB) and `copy` (default `false`), as for
   * {@linkcode FrameDecoder}.
   * @throws {FrameError} `"bad_value"` for an invalid option.
   */
  constructor(options?: FrameDecoderOptions<R>) {
    const decoder = new FrameDecoder<R>(options);
    super({
      transform(chunk, controller) {
        const frames = decoder.push(chunk);
        for (let i = 0; i < frames.length; i++) controller.enqueue(frames[i]);
        // Frames before a bad header were returned; fail now, not at the next
        // chunk, which may never come.
        const error = decoder.error;
        if (error !== undefined) throw error;
      },
      flush() {
        decoder.end();
      },
    });
  }
}

/**
 * Encodes frames into bytes, one chunk per frame, as a `TransformStream`.
 *
 * @example Writing frames to a TCP connection (type-checked, not run)
 * ```ts
 * import { FrameEncoderStream } from "@sync/frame/stream";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 *
 * export async function sendPing(port: number): Promise<void> {
 *   using conn = await Deno.connect({ hostname: "127.0.0.1", port });
 *   const ping = SyncFrame.newMsgpack(SyncMessageType.PingPong, [Date.now(), false])!;
 *   await ReadableStream.from([ping]).pipeThrough(new FrameEncoderStream()).pipeTo(conn.writable);
 * }
 * ```
 *
 * @example
 * ```ts
 * import { FrameEncoderStream } from "@sync/frame/stream";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const ping = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0xc0]));
 * const chunks = await Array.fromAsync(ReadableStream.from([ping]).pipeThrough(new FrameEncoderStream()));
 * assert.deepEqual(chunks.map((c) => Array.from(c)), [[0xff, 1, 0, 0, 0, 0xc0]]);
 * ```
 */
export class FrameEncoderStream<R extends RevisionName = "2026-04">
  extends TransformStream<RevisionFrames[R], Uint8Array> {
  /**
   * Creates the stream. Writing something that is not a frame of the
   * revision errors the stream with a {@linkcode FrameError}: `"bad_value"`,
   * `"unknown_type"`, or `"too_large"` (a body over 0xFFFFFFFF bytes).
   *
   * @param options `revision` (default `"2026-04"`; `"2026-07"` writes the
   * 10-byte header with the body's CRC-32C).
   * @throws {FrameError} `"bad_value"` for an unknown revision.
   */
  constructor(options?: FrameEncoderStreamOptions<R>) {
    const codec = revisionCodec(options?.revision);
    super({
      transform(frame, controller) {
        controller.enqueue(encodeFrame(codec, frame));
      },
    });
  }
}
