// How a FrameSocket's connection ends: once we sent a close frame the peer
// has `closeTimeout` to answer, then the connection is destroyed and
// `closed` settles with the code we sent; a close event settles it with the
// event's code (1006, no close frame, becomes ours if we sent one).

import { FrameError } from "../codec/error.ts";
import type { Link } from "./_link.ts";
import { CloseCode, type FrameSocketCloseInfo } from "./_socket_config.ts";

/** The end of one connection. */
export class Closing {
  /** Settles once, never rejects. */
  readonly closed: Promise<FrameSocketCloseInfo>;
  #resolve!: (info: FrameSocketCloseInfo) => void;
  #link: Link;
  #timeout: number;
  #error: () => FrameError | undefined;
  #settled = false;
  #eventSeen = false;
  #sent: { code: number; reason: string } | undefined = undefined;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #timedOut: () => void;

  /**
   * @param error The connection's failure when it settles.
   * @param timedOut Called when the peer did not answer in time.
   */
  constructor(
    link: Link,
    timeout: number,
    error: () => FrameError | undefined,
    timedOut: () => void,
  ) {
    this.#link = link;
    this.#timedOut = timedOut;
    this.#timeout = timeout;
    this.#error = error;
    this.closed = new Promise((resolve) => this.#resolve = resolve);
  }

  /** Whether a close frame of ours went out or the close event came. */
  get started(): boolean {
    return this.#sent !== undefined || this.#eventSeen;
  }

  /** Sends a close frame; throws for a code or reason the socket refuses. */
  send(code: number, reason: string): void {
    this.#link.close(code, reason);
    this.sent(code, reason);
  }

  /**
   * Sends the close frame of a failure. A browser's client WebSocket refuses
   * 1002–1011: there its private-range twin (4002–4011) goes out.
   */
  fail(code: number, reason: string): void {
    try {
      this.send(code, reason);
    } catch {
      try {
        this.send(code + 3000, reason);
      } catch {
        // Already closing.
      }
    }
  }

  /** We sent a close frame: the peer has `closeTimeout` to answer it. */
  sent(code: number, reason: string): void {
    if (this.#sent !== undefined || this.#settled) return;
    this.#sent = { code, reason };
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#link.terminate();
      this.#timedOut();
      this.#settle(code, reason, false);
    }, this.#timeout);
  }

  /**
   * Takes the link's close event.
   *
   * @returns `false` for a repeated one (Deno may dispatch `close` twice; the
   * first one tells).
   */
  event(): boolean {
    if (this.#eventSeen) return false;
    this.#eventSeen = true;
    return true;
  }

  /** Settles from the close event's code (after {@linkcode Closing.event}). */
  settle(code: number, reason: string, wasClean: boolean): void {
    const sent = this.#sent;
    if (sent !== undefined && code === CloseCode.Abnormal) {
      // The peer never answered our close frame.
      this.#settle(sent.code, sent.reason, false);
    } else {
      this.#settle(code, reason, wasClean);
    }
  }

  #settle(code: number, reason: string, wasClean: boolean): void {
    if (this.#settled) return;
    this.#settled = true;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    this.#resolve({ code, reason, wasClean, error: this.#error() });
  }
}

/** The failure a close event means, if it is not a normal close. */
export function closeError(
  code: number,
  reason: string,
): FrameError | undefined {
  if (code === 1000 || code === 1001 || code === 1005) return undefined;
  return new FrameError(
    "closed",
    `the connection closed abnormally: code ${code}${
      reason ? `, reason "${reason}"` : ""
    }`,
  );
}
