/**
 * Incremental decoding of a byte stream of sync frames ({@linkcode FrameDecoder};
 * {@linkcode FrameCursor} is in `cursor.ts`).
 *
 * {@linkcode FrameDecoder} turns chunks of any size (TCP reads, file pieces,
 * captures) into {@linkcode SyncFrame}s in linear time and bounded memory, and
 * fails closed on the first framing error. {@linkcode FrameCursor} walks the
 * frame headers of one buffer without allocating anything.
 *
 * @example Decoding chunks as they arrive
 * ```ts
 * import { FrameDecoder } from "@sync/frame/stream";
 * import assert from "node:assert/strict";
 *
 * const decoder = new FrameDecoder();
 * assert.equal(decoder.push(new Uint8Array([0xff, 0x01, 0x00])).length, 0);
 * const frames = decoder.push(new Uint8Array([0x00, 0x00, 0xc0]));
 * assert.deepEqual(Array.from(frames[0].body), [0xc0]);
 * decoder.end();
 * ```
 *
 * @module
 */

import {
  type RevisionCodec,
  revisionCodec,
  type RevisionFrames,
  type RevisionName,
} from "../generated/revisions.ts";
import type { FrameLayout } from "../codec/layout.ts";
import { FrameError } from "../codec/error.ts";
import { crc32c } from "../codec/crc32c.ts";
import {
  checksumError,
  checksumMatches,
  checksumMismatch,
  declaredChecksum,
  declaredLength,
  headerError,
  readHeader,
} from "../codec/_header.ts";
import { maxBodySizeOption } from "../codec/_options.ts";
import { allocate, POOL_MAX } from "../codec/_pool.ts";
import { partialHeaderError, withOffset } from "./_frame_errors.ts";
import { BodyBlocks } from "./_body_blocks.ts";
import { copyBytes } from "../codec/_copy_bytes.ts";

/** Options for {@linkcode FrameDecoder}. */
export interface FrameDecoderOptions<R extends RevisionName = "2026-04"> {
  /**
   * The wire revision: `"2026-04"` (default; 5-byte header) or `"2026-07"`
   * (10-byte header with a version byte and the body's CRC-32C, which is
   * checked when the frame's last byte arrives).
   */
  revision?: R;
  /**
   * Largest accepted body length in bytes, checked as soon as a frame's
   * header bytes are in. Default 16 MiB (`DEFAULT_MAX_BODY_SIZE`).
   */
  maxBodySize?: number;
  /**
   * `false` (default): a frame that lies whole inside one pushed chunk gets a
   * body that is a view of that chunk (zero-copy), so the chunk's memory must
   * not be reused while such frames are held. `true`: every body is
   * independent of the pushed chunks (bodies up to 4 KiB share 64 KiB slabs).
   */
  copy?: boolean;
}

// Owned bodies up to POOL_MAX bytes are carved from the shared slab pool: a
// fresh small Uint8Array costs about 1 µs in V8, a view a few tens of ns.
// Larger bodies that span chunks go to BodyBlocks.

const NO_FRAMES: readonly never[] = Object.freeze([]);

/**
 * Decodes sync frames from a byte stream cut into chunks of any size.
 *
 * Guarantees:
 * - Any chunking of the same bytes gives the same frames, in order.
 * - Linear time: a frame that lies whole inside a chunk is decoded in place;
 *   a frame that spans chunks is assembled once, into a buffer of its exact
 *   size, when its last byte arrives. Chunks are never concatenated.
 * - Bounded memory: {@linkcode FrameDecoder.bufferedBytes} never exceeds
 *   `maxBodySize + 5`, and the memory held for an incomplete frame follows
 *   the bytes received, never the length its header declares.
 * - Fail fast and closed: an unknown type byte is reported as soon as it
 *   arrives, an oversize length as soon as the 5th header byte arrives. After
 *   any error the decoder is dead: every later call throws the same error
 *   (there is no resynchronisation; the next "header" would be attacker data).
 *
 * Body ownership: by default a frame that lies whole inside a pushed chunk has
 * a body that is a view of that chunk, so do not reuse the chunk's memory
 * (e.g. a read buffer) while you hold such frames, and note that a view keeps
 * its whole chunk alive; pass `{ copy: true }` to get bodies independent of
 * the input. Bodies assembled across chunks are
 * always owned by the decoder's output. Small bodies may share a backing
 * `ArrayBuffer` with other frames: do not write past a body's own bounds.
 *
 * @example Frames split anywhere are reassembled
 * ```ts
 * import { FrameDecoder } from "@sync/frame/stream";
 * import { SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([0xff, 1, 0, 0, 0, 0xc0, 0xff, 1, 0, 0, 0, 0xc3]);
 * const decoder = new FrameDecoder();
 * const frames = [...decoder.push(bytes.subarray(0, 8)), ...decoder.push(bytes.subarray(8))];
 * decoder.end();
 * assert.deepEqual(frames.map((f) => f.msgType), [SyncMessageType.PingPong, SyncMessageType.PingPong]);
 * assert.deepEqual(frames.map((f) => f.body[0]), [0xc0, 0xc3]);
 * ```
 *
 * @example Hostile input fails at once and stays failed
 * ```ts
 * import { FrameDecoder } from "@sync/frame/stream";
 * import { FrameError } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const decoder = new FrameDecoder({ maxBodySize: 1024 });
 * const isTooLarge = (e: unknown) => e instanceof FrameError && e.code === "too_large";
 * assert.throws(() => decoder.push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff])), isTooLarge);
 * assert.throws(() => decoder.push(new Uint8Array([0xff, 1, 0, 0, 0, 0xc0])), isTooLarge);
 * ```
 */
export class FrameDecoder<R extends RevisionName = "2026-04"> {
  /** The wire revision. */
  readonly revision: R;
  /** The largest accepted body length in bytes. */
  readonly maxBodySize: number;
  /** Whether bodies are copies (`true`) or views of the pushed chunks. */
  readonly copy: boolean;

  #codec: RevisionCodec<R>;
  #layout: FrameLayout;
  /** The header size of the revision. */
  #h: number;

  #error: FrameError | undefined = undefined;
  #ended = false;
  /** Stream offset of the first byte of the next chunk. */
  #position = 0;

  // The incomplete frame carried over between chunks, if any.
  #head: Uint8Array;
  #headLength = 0;
  #bodyLength = 0;
  #received = 0;
  /** The frame finished by the last `#resume`, if any. */
  #completed: RevisionFrames[R] | undefined = undefined;
  /** Exact-size destination of a small body (a pooled region). */
  #target: Uint8Array | undefined = undefined;
  /** Bytes used in `#target`. */
  #fill = 0;
  /** Storage of a large body. */
  #blocks = new BodyBlocks();

  /**
   * Creates a decoder.
   *
   * @param options `maxBodySize` (default 16 MiB) and `copy` (default `false`:
   * bodies of frames whole inside a chunk are views of it).
   * @throws {FrameError} `"bad_value"` for an invalid `maxBodySize`.
   */
  constructor(options?: FrameDecoderOptions<R>) {
    this.#codec = revisionCodec(options?.revision);
    this.revision = this.#codec.name;
    this.#layout = this.#codec.layout;
    this.#h = this.#layout.headerSize;
    this.#head = new Uint8Array(this.#h);
    this.maxBodySize = maxBodySizeOption(options?.maxBodySize);
    this.copy = options?.copy === true;
  }

  /**
   * The bytes of the incomplete frame held between chunks (header and body
   * bytes received so far); 0 between frames.
   *
   * @returns The number of bytes.
   */
  get bufferedBytes(): number {
    return this.#headLength + this.#received;
  }

  /**
   * The framing error the decoder died of, or `undefined` while it is
   * healthy. When a chunk holds complete frames followed by bad bytes,
   * {@linkcode FrameDecoder.push} returns those frames and the error shows
   * here at once (and is thrown by the next call).
   *
   * @returns The sticky error, if any.
   */
  get error(): FrameError | undefined {
    return this.#error;
  }

  /**
   * Feeds the next chunk of the stream.
   *
   * @param chunk The next bytes, of any length (also 0).
   * @returns Every frame completed by this chunk, in order (a shared frozen
   * empty array when there is none). If the chunk also holds a framing error
   * after them, the frames are returned, {@linkcode FrameDecoder.error} is
   * set, and the next call throws.
   * @throws {FrameError} `"unknown_type"` (with `msgType`), `"too_large"`
   * (with `length`), or the sticky error of an earlier failure, each with the
   * stream `offset` of the bad frame; `"closed"` after
   * {@linkcode FrameDecoder.end}; `"bad_value"` if `chunk` is not a
   * `Uint8Array`.
   *
   * @example
   * ```ts
   * import { FrameDecoder } from "@sync/frame/stream";
   * import assert from "node:assert/strict";
   *
   * const decoder = new FrameDecoder();
   * const frames = decoder.push(new Uint8Array([0xff, 1, 0, 0, 0, 0xc0, 0xff]));
   * assert.equal(frames.length, 1);
   * assert.equal(decoder.bufferedBytes, 1);
   * ```
   */
  push(chunk: Uint8Array): readonly RevisionFrames[R][] {
    // Fastest path: a chunk that ends inside a pooled body (a trickle) is
    // only copied. A body in progress also means no error and no end() yet,
    // since both clear it.
    const target = this.#target;
    if (target !== undefined && chunk instanceof Uint8Array) {
      const n = chunk.length;
      const fill = this.#fill;
      if (n < target.length - fill) {
        copyBytes(target, fill, chunk, 0, n);
        this.#fill = fill + n;
        this.#received += n;
        this.#position += n;
        return NO_FRAMES;
      }
    }
    // Next: a chunk that ends inside a header begun earlier (same reasoning;
    // the whole header is checked when its last byte arrives).
    const headLength = this.#headLength;
    if (
      headLength !== 0 && chunk instanceof Uint8Array &&
      headLength + chunk.length < this.#h
    ) {
      const head = this.#head;
      const n = chunk.length;
      for (let k = 0; k < n; k++) head[headLength + k] = chunk[k];
      this.#headLength = headLength + n;
      this.#position += n;
      return NO_FRAMES;
    }
    return this.#push(chunk);
  }

  /** Every other chunk (kept apart so that `push` stays small enough to inline). */
  #push(chunk: Uint8Array): readonly RevisionFrames[R][] {
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) {
      throw new FrameError("closed", "push() after end()");
    }
    if (!(chunk instanceof Uint8Array)) {
      throw new FrameError("bad_value", "a chunk must be a Uint8Array");
    }
    const n = chunk.length;
    // Fast path for small chunks in the middle of a body (a trickle).
    if (
      this.#headLength === this.#h &&
      n < this.#bodyLength - this.#received
    ) {
      this.#store(chunk, 0, n);
      this.#position += n;
      return NO_FRAMES;
    }
    let out: RevisionFrames[R][] | undefined;
    let i = 0;
    if (this.#headLength !== 0) {
      i = this.#resume(chunk);
      if (this.#error !== undefined) throw this.#error;
      const frame = this.#completed;
      if (frame !== undefined) {
        this.#completed = undefined;
        out = [frame];
      }
    }
    if (i === n) {
      this.#position += n;
      return out ?? NO_FRAMES;
    }

    // Whole frames: validate the headers first, then build the frames.
    const max = this.maxBodySize;
    const layout = this.#layout;
    const h = this.#h;
    const start = i;
    let error: FrameError | undefined;
    for (;;) {
      const available = n - i;
      if (available < h) break;
      const length = readHeader(layout, chunk, i, max);
      if (length < 0) {
        error = withOffset(
          headerError(layout, chunk, i, length, max),
          this.#position + i,
        );
        break;
      }
      if (available - h < length) break;
      if (!checksumMatches(layout, chunk, i, length)) {
        error = withOffset(
          checksumError(layout, chunk, i, length),
          this.#position + i,
        );
        break;
      }
      i += h + length;
    }
    if (i > start) out = this.#emit(chunk, start, i, out ?? []);
    if (error === undefined && i < n) error = this.#begin(chunk, i);
    this.#position += n;
    if (error !== undefined) {
      this.#fail(error);
      if (out === undefined) throw error;
    }
    return out ?? NO_FRAMES;
  }

  /**
   * Ends the stream. Clean between frames; inside a frame the stream was cut.
   *
   * @throws {FrameError} `"truncated"` (with `msgType`, `length` when the
   * header was complete, and the `offset` of the frame) when the stream ends
   * inside a frame; the sticky error of an earlier failure.
   *
   * @example
   * ```ts
   * import { FrameDecoder } from "@sync/frame/stream";
   * import { FrameError } from "@sync/frame";
   * import assert from "node:assert/strict";
   *
   * const decoder = new FrameDecoder();
   * decoder.push(new Uint8Array([0xff, 0x05, 0x00]));
   * assert.throws(() => decoder.end(), (e) => e instanceof FrameError && e.code === "truncated");
   * ```
   */
  end(): void {
    if (this.#error !== undefined) throw this.#error;
    if (this.#ended) return;
    this.#ended = true;
    if (this.#headLength === 0) return;
    const offset = this.#position - this.bufferedBytes;
    const whole = this.#headLength === this.#h;
    const error = new FrameError(
      "truncated",
      whole
        ? `stream ended after ${this.#received} of ${this.#bodyLength} body bytes (frame at byte ${offset})`
        : `stream ended after ${this.#headLength} of ${this.#h} header bytes (frame at byte ${offset})`,
      {
        msgType: this.#head[this.#layout.typeOffset],
        length: whole ? this.#bodyLength : undefined,
        offset,
      },
    );
    this.#fail(error);
    throw error;
  }

  /** Makes the decoder dead with `error` and drops what it held. */
  #fail(error: FrameError): void {
    this.#error = error;
    this.#headLength = 0;
    this.#received = 0;
    this.#target = undefined;
    this.#blocks.clear();
  }

  /** Builds the frames of `chunk[from..to)`, whose headers are validated. */
  #emit(
    chunk: Uint8Array,
    from: number,
    to: number,
    out: RevisionFrames[R][],
  ): RevisionFrames[R][] {
    const layout = this.#layout;
    const HEADER_SIZE = this.#h;
    const typeAt = layout.typeOffset;
    const make = this.#codec.frame;
    if (!this.copy) {
      // `new Uint8Array(buffer, …)` is about twice as fast as `subarray`.
      const buffer = chunk.buffer;
      const base = chunk.byteOffset + HEADER_SIZE;
      for (let i = from; i < to;) {
        const length = declaredLength(layout, chunk, i);
        out.push(
          make(
            chunk[i + typeAt],
            new Uint8Array(buffer, base + i, length),
          ),
        );
        i += HEADER_SIZE + length;
      }
      return out;
    }
    // Owned bodies: copy runs of small frames (headers included, one `set`
    // per run of up to POOL_MAX bytes) into a pooled region and view them
    // there; larger bodies get their own exact-size copy.
    for (let i = from; i < to;) {
      let length = declaredLength(layout, chunk, i);
      const bodyStart = i + HEADER_SIZE;
      if (HEADER_SIZE + length > POOL_MAX) {
        // Too big to share a run with its header: a copy of the body alone.
        let body: Uint8Array;
        if (length > POOL_MAX) {
          body = chunk.slice(bodyStart, bodyStart + length);
        } else {
          body = allocate(length);
          copyBytes(body, 0, chunk, bodyStart, length);
        }
        out.push(make(chunk[i + typeAt], body));
        i = bodyStart + length;
        continue;
      }
      let j = bodyStart + length;
      while (j < to) {
        length = declaredLength(layout, chunk, j);
        if (j + HEADER_SIZE + length - i > POOL_MAX) break;
        j += HEADER_SIZE + length;
      }
      const run = allocate(j - i);
      copyBytes(run, 0, chunk, i, j - i);
      const buffer = run.buffer;
      const base = run.byteOffset - i + HEADER_SIZE;
      for (; i < j;) {
        length = declaredLength(layout, chunk, i);
        out.push(
          make(
            chunk[i + typeAt],
            new Uint8Array(buffer, base + i, length),
          ),
        );
        i += HEADER_SIZE + length;
      }
    }
    return out;
  }

  /**
   * Keeps the incomplete frame at `chunk[i..]` for the next chunk; headers
   * of 5 bytes or more were validated by the caller.
   *
   * @returns The error if its type byte is unknown.
   */
  #begin(chunk: Uint8Array, i: number): FrameError | undefined {
    const available = chunk.length - i;
    const layout = this.#layout;
    const HEADER_SIZE = this.#h;
    if (available < this.#h) {
      const error = partialHeaderError(
        this.#layout,
        chunk,
        i,
        available,
        this.maxBodySize,
      );
      if (error !== undefined) return withOffset(error, this.#position + i);
    }
    const take = available < HEADER_SIZE ? available : HEADER_SIZE;
    for (let k = 0; k < take; k++) this.#head[k] = chunk[i + k];
    this.#headLength = take;
    if (take === HEADER_SIZE) {
      this.#bodyLength = declaredLength(layout, chunk, i);
      this.#store(chunk, i + HEADER_SIZE, available - HEADER_SIZE);
    }
    return undefined;
  }

  /**
   * Continues the incomplete frame with the start of `chunk`. Sets
   * `#completed` when the frame is complete, or `#error`.
   *
   * @returns The index of the first byte not consumed.
   */
  #resume(chunk: Uint8Array): number {
    const HEADER_SIZE = this.#h;
    const n = chunk.length;
    let i = 0;
    if (this.#headLength < HEADER_SIZE) {
      const head = this.#head;
      while (this.#headLength < HEADER_SIZE && i < n) {
        head[this.#headLength++] = chunk[i++];
      }
      if (this.#headLength < HEADER_SIZE) return i;
      const length = readHeader(this.#layout, head, 0, this.maxBodySize);
      if (length < 0) {
        const offset = this.#position + i - this.#h;
        this.#fail(
          withOffset(
            headerError(this.#layout, head, 0, length, this.maxBodySize),
            offset,
          ),
        );
        return n;
      }
      this.#bodyLength = length;
    }
    const need = this.#bodyLength - this.#received;
    const available = n - i;
    if (available < need) {
      this.#store(chunk, i, available);
      return n;
    }
    this.#complete(chunk, i, need);
    return i + need;
  }

  /** Stores the next `length` body bytes of the incomplete frame. */
  #store(chunk: Uint8Array, from: number, length: number): void {
    if (length === 0) return;
    const bodyLength = this.#bodyLength;
    if (bodyLength <= POOL_MAX) {
      if (this.#target === undefined) this.#target = allocate(bodyLength);
      copyBytes(this.#target, this.#fill, chunk, from, length);
      this.#fill += length;
      this.#received += length;
      return;
    }
    this.#blocks.append(bodyLength, chunk, from, length);
    this.#received += length;
  }

  /** Finishes the incomplete frame with the last `need` bytes at `from`. */
  #complete(chunk: Uint8Array, from: number, need: number): void {
    let body: Uint8Array;
    const bodyLength = this.#bodyLength;
    if (this.#target !== undefined) {
      body = this.#target;
      copyBytes(body, this.#fill, chunk, from, need);
    } else if (this.#blocks.empty) {
      // Only the header was split: the body is whole inside this chunk.
      if (!this.copy) {
        body = new Uint8Array(chunk.buffer, chunk.byteOffset + from, need);
      } else if (need <= POOL_MAX) {
        body = allocate(need);
        copyBytes(body, 0, chunk, from, need);
      } else {
        body = chunk.slice(from, from + need);
      }
    } else {
      body = this.#blocks.finish(bodyLength, chunk, from, need);
    }
    const layout = this.#layout;
    const msgType = this.#head[layout.typeOffset];
    if (layout.checksumOffset >= 0) {
      const expected = declaredChecksum(layout, this.#head, 0);
      const actual = crc32c(body);
      if (actual !== expected) {
        const offset = this.#position + from + need - this.#h - bodyLength;
        this.#fail(
          withOffset(
            checksumMismatch(msgType, bodyLength, expected, actual),
            offset,
          ),
        );
        return;
      }
    }
    this.#completed = this.#codec.frame(msgType, body);
    this.#headLength = 0;
    this.#received = 0;
    this.#target = undefined;
    this.#fill = 0;
  }
}

export { FrameCursor } from "./cursor.ts";
export type { FrameCursorOptions } from "./cursor.ts";
