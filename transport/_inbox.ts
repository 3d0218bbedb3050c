// The inbound side of a FrameSocket: frames that arrived and are not read
// yet (bounded by count and bytes), and the receivers waiting for one. A
// receiver cancelled by its AbortSignal leaves the queue before any frame is
// handed to it, so the frame goes to the next receiver instead: nothing is
// lost.

import type { FrameError } from "../codec/error.ts";
import type { FrameLike } from "./_encode.ts";
import { abortError } from "./_socket_config.ts";

interface Waiting {
  resolve(frame: FrameLike | undefined): void;
  reject(error: unknown): void;
}

/** Unread inbound frames and waiting receivers. */
export class Inbox {
  #headerSize: number;
  #maxFrames: number;
  #maxBytes: number;
  #frames: FrameLike[] = [];
  #bytes = 0;
  #receivers: Waiting[] = [];
  #ended = false;
  #error: FrameError | undefined = undefined;

  constructor(headerSize: number, maxFrames: number, maxBytes: number) {
    this.#headerSize = headerSize;
    this.#maxFrames = maxFrames;
    this.#maxBytes = maxBytes;
  }

  /** Frames held unread. */
  get length(): number {
    return this.#frames.length;
  }

  /** Bytes (headers included) held unread. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Hands `frame` to the first waiting receiver, or queues it.
   *
   * @returns `false` if the queue is full (the frame is not taken).
   */
  push(frame: FrameLike): boolean {
    const receiver = this.#receivers.shift();
    if (receiver !== undefined) {
      receiver.resolve(frame);
      return true;
    }
    const size = this.#headerSize + frame.body.length;
    const frames = this.#frames;
    if (
      frames.length >= this.#maxFrames ||
      (frames.length !== 0 && this.#bytes + size > this.#maxBytes)
    ) {
      return false;
    }
    frames.push(frame);
    this.#bytes += size;
    return true;
  }

  /**
   * Takes a queued frame, or waits for one, as `wrap(frame)`; `undefined`
   * once ended normally and empty, the failure once ended by one.
   */
  take<T>(
    signal: AbortSignal | undefined,
    wrap: (frame: FrameLike | undefined) => T,
  ): Promise<T> {
    if (signal?.aborted) return Promise.reject(abortError("receiving", signal));
    const frames = this.#frames;
    if (frames.length !== 0) {
      const frame = frames.shift()!;
      this.#bytes -= this.#headerSize + frame.body.length;
      return Promise.resolve(wrap(frame));
    }
    if (this.#ended) {
      return this.#error === undefined
        ? Promise.resolve(wrap(undefined))
        : Promise.reject(this.#error);
    }
    return new Promise((resolve, reject) => {
      const waiter: Waiting = {
        resolve: (frame) => resolve(wrap(frame)),
        reject,
      };
      if (signal !== undefined) {
        const onAbort = () => {
          const at = this.#receivers.indexOf(waiter);
          if (at < 0) return;
          this.#receivers.splice(at, 1);
          reject(abortError("receiving", signal));
        };
        signal.addEventListener("abort", onAbort, { once: true });
        const done = () => signal.removeEventListener("abort", onAbort);
        waiter.resolve = (frame) => (done(), resolve(wrap(frame)));
        waiter.reject = (error) => (done(), reject(error));
      }
      this.#receivers.push(waiter);
    });
  }

  /**
   * No more frames will come: waiting receivers get `undefined` (a normal
   * end) or `error`; queued frames stay readable.
   */
  end(error: FrameError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    // Receivers wait only while the queue is empty.
    const receivers = this.#receivers;
    this.#receivers = [];
    for (const receiver of receivers) {
      if (error === undefined) receiver.resolve(undefined);
      else receiver.reject(error);
    }
  }
}

/** An async iterator over `next` whose `return` (leaving a loop) does nothing. */
export function iteratorOf<T>(
  next: () => Promise<IteratorResult<T, undefined>>,
): AsyncIterableIterator<T> {
  const iterator: AsyncIterableIterator<T> = {
    next,
    return: () => Promise.resolve({ done: true, value: undefined }),
    [Symbol.asyncIterator]: () => iterator,
  };
  return iterator;
}
