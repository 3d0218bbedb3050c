// The outbound side of a FrameSocket: frames go to the WebSocket at once
// while its buffer is under the high-water mark, and wait in order
// otherwise; the connection is failed rather than let buffered plus waiting
// bytes pass the hard cap. A frame cancelled by its AbortSignal while it
// waits leaves the queue unsent.

import { FrameError } from "../codec/error.ts";
import { type Link, OPEN } from "./_link.ts";
import { abortError } from "./_socket_config.ts";

// There is no "drain" event on WebSocket: poll bufferedAmount, backing off
// while the peer makes no progress so a stalled peer costs little CPU.
const POLL_MIN_MS = 1;
const POLL_MAX_MS = 50;

interface Outbound {
  bytes: Uint8Array;
  resolve(): void;
  reject(error: unknown): void;
}

/** What the outbox needs of its socket. */
export interface OutboxOwner {
  /** The error sends fail with once the connection ended, or `undefined` while it is up. */
  ended(): FrameError | undefined;
  /** The WebSocket refused bytes: end the connection with `error`. */
  writeFailed(error: FrameError): void;
  /** The hard cap would be passed: fail the connection with `error`. */
  overCap(error: FrameError): void;
}

/** Outbound frames waiting for the WebSocket's buffer to drain. */
export class Outbox {
  #link: Link;
  #owner: OutboxOwner;
  #highWaterMark: number;
  #hardCap: number;
  #items: Outbound[] = [];
  #bytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #pollMs = POLL_MIN_MS;

  constructor(
    link: Link,
    owner: OutboxOwner,
    highWaterMark: number,
    hardCap: number,
  ) {
    this.#link = link;
    this.#owner = owner;
    this.#highWaterMark = highWaterMark;
    this.#hardCap = hardCap;
  }

  /** Bytes of the frames waiting. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Sends `bytes` (one whole frame) now or after those waiting.
   *
   * @param details `msgType` and body `length`, for errors.
   */
  send(
    bytes: Uint8Array,
    signal: AbortSignal | undefined,
    details: { msgType: number; length: number },
  ): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortError("sending", signal));
    const ended = this.#owner.ended();
    if (ended !== undefined) return Promise.reject(ended);
    const link = this.#link;
    if (
      this.#items.length === 0 && link.readyState === OPEN &&
      link.bufferedAmount <= this.#highWaterMark
    ) {
      const failed = this.#write(bytes);
      return failed === undefined ? Promise.resolve() : Promise.reject(failed);
    }
    const pending = link.bufferedAmount + this.#bytes;
    if (pending > 0 && pending + bytes.length > this.#hardCap) {
      const error = new FrameError(
        "backpressure",
        `${pending} bytes are already waiting to be sent and this ${bytes.length}-byte frame would pass the ${this.#hardCap}-byte cap: the peer is not reading`,
        details,
      );
      this.#owner.overCap(error);
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      const item: Outbound = { bytes, resolve, reject };
      if (signal !== undefined) {
        const onAbort = () => {
          const at = this.#items.indexOf(item);
          if (at < 0) return;
          this.#items.splice(at, 1);
          this.#bytes -= bytes.length;
          reject(abortError("sending", signal));
        };
        signal.addEventListener("abort", onAbort, { once: true });
        const done = () => signal.removeEventListener("abort", onAbort);
        item.resolve = () => (done(), resolve());
        item.reject = (error) => (done(), reject(error));
      }
      this.#items.push(item);
      this.#bytes += bytes.length;
      if (this.#timer === undefined && link.readyState === OPEN) {
        this.#pollMs = POLL_MIN_MS;
        this.#timer = setTimeout(() => this.pump(), this.#pollMs);
      }
    });
  }

  /** Sends waiting frames while the buffer is under the high-water mark. */
  pump(): void {
    this.#timer = undefined;
    const link = this.#link;
    if (this.#owner.ended() !== undefined || link.readyState !== OPEN) return;
    const items = this.#items;
    let progress = false;
    while (items.length !== 0 && link.bufferedAmount <= this.#highWaterMark) {
      const item = items.shift()!;
      this.#bytes -= item.bytes.length;
      const failed = this.#write(item.bytes);
      if (failed !== undefined) {
        item.reject(failed);
        return;
      }
      item.resolve();
      progress = true;
    }
    if (items.length === 0) return;
    this.#pollMs = progress
      ? POLL_MIN_MS
      : Math.min(this.#pollMs * 2, POLL_MAX_MS);
    this.#timer = setTimeout(() => this.pump(), this.#pollMs);
  }

  /** Rejects every waiting frame with `error` and stops polling. */
  end(error: FrameError): void {
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const items = this.#items;
    this.#items = [];
    this.#bytes = 0;
    for (const item of items) item.reject(error);
  }

  /** Hands bytes to the WebSocket; on failure, ends the connection. */
  #write(bytes: Uint8Array): FrameError | undefined {
    try {
      this.#link.send(bytes);
      return undefined;
    } catch (error) {
      this.#owner.writeFailed(
        new FrameError("closed", `cannot send: ${(error as Error).message}`, {
          cause: error,
        }),
      );
      return this.#owner.ended();
    }
  }
}
