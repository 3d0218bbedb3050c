// What a FrameSocket drives: one WebSocket of some runtime, behind the same
// few calls and events. Two kinds exist: the platform `WebSocket` (browsers,
// and Deno's own client and `Deno.upgradeWebSocket`), here, and the `ws`
// package's WebSocket (Deno and Node), in _ws_link.ts.

import { FrameError } from "../codec/error.ts";

/**
 * The WebSocket under a {@linkcode FrameSocket}, as far as both kinds agree:
 * the platform `WebSocket` or the `ws` package's `WebSocket`. Cast it to the
 * one you made to reach the rest.
 */
export interface WebSocketLike {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes handed to the socket and not yet sent. */
  readonly bufferedAmount: number;
  /** The subprotocol agreed on, or `""`. */
  readonly protocol: string;
  /** The extensions agreed on, or `""`. */
  readonly extensions: string;
}

/** What a link reports to its FrameSocket. */
export interface LinkEvents {
  /** The connection opened (clients, and servers still connecting). */
  open(): void;
  /** A whole message arrived: its data and whether it was binary. */
  message(data: unknown, binary: boolean): void;
  /**
   * The WebSocket layer refused the peer (message too big, bad fragments,
   * invalid UTF-8) and sent the close frame `sentCode` itself; or the
   * connection could not be opened (`sentCode` undefined).
   */
  failed(error: FrameError, sentCode: number | undefined): void;
  /** The connection ended (1006: without a close frame). */
  close(code: number, reason: string, wasClean: boolean): void;
}

/** One WebSocket, as a FrameSocket uses it. */
export interface Link {
  /** The WebSocket itself. */
  readonly webSocket: WebSocketLike;
  readonly readyState: number;
  readonly bufferedAmount: number;
  /** Sends one binary message; throws when the socket refuses it. */
  send(bytes: Uint8Array): void;
  /** Sends a close frame; throws for a code or reason the socket refuses. */
  close(code: number, reason: string): void;
  /** Destroys the connection at once, if the runtime lets us. */
  terminate(): void;
  /** Starts reporting events to `events` (once). */
  listen(events: LinkEvents): void;
  /**
   * Resolves when the connection opens; rejects with a FrameError
   * `"closed"` that says why when it fails or closes first.
   */
  opened(): Promise<void>;
}

export const CONNECTING = 0;
export const OPEN = 1;
export const CLOSED = 3;

/** 0 (Deno) and other non-codes for a dropped connection become 1006. */
export function closeCodeOf(code: unknown): number {
  return typeof code === "number" && code >= 1000 && code <= 4999 ? code : 1006;
}

/**
 * A link over the platform's standard `WebSocket`.
 *
 * @throws {FrameError} `"bad_value"` for something else.
 */
export function platformLink(webSocket: WebSocket): Link {
  if (
    typeof webSocket !== "object" || webSocket === null ||
    typeof webSocket.addEventListener !== "function" ||
    typeof webSocket.send !== "function"
  ) {
    throw new FrameError("bad_value", "expected a WebSocket");
  }
  webSocket.binaryType = "arraybuffer";
  return {
    webSocket,
    get readyState() {
      return webSocket.readyState;
    },
    get bufferedAmount() {
      return webSocket.bufferedAmount;
    },
    send(bytes) {
      webSocket.send(bytes);
    },
    close(code, reason) {
      webSocket.close(code, reason);
    },
    terminate() {
      // A platform WebSocket cannot drop its connection; the runtime gives
      // up on it by itself.
    },
    listen(events) {
      webSocket.addEventListener(
        "message",
        (event) => events.message(event.data, typeof event.data !== "string"),
      );
      webSocket.addEventListener("open", () => events.open());
      webSocket.addEventListener(
        "close",
        (event) =>
          events.close(closeCodeOf(event.code), event.reason, event.wasClean),
      );
      if (webSocket.readyState === CLOSED) {
        queueMicrotask(() => events.close(1006, "", false));
      }
    },
    opened() {
      if (webSocket.readyState === OPEN) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const onOpen = () => {
          webSocket.removeEventListener("close", onClose);
          resolve();
        };
        // A browser tells nothing more than that it failed.
        const onClose = (event: CloseEvent) => {
          webSocket.removeEventListener("open", onOpen);
          reject(
            new FrameError(
              "closed",
              `cannot connect to ${webSocket.url} (close code ${
                closeCodeOf(event.code)
              })`,
            ),
          );
        };
        webSocket.addEventListener("open", onOpen, { once: true });
        webSocket.addEventListener("close", onClose, { once: true });
      });
    },
  };
}
