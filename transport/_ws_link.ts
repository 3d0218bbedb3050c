// The `ws` package (npm:ws), loaded only where it runs (Deno and Node) so a
// browser bundle never needs it, and a Link over one of its WebSockets.
//
// On Deno, ws reads the environment variable WS_NO_BUFFER_UTIL when it loads
// (to decide whether to try the optional native `bufferutil` addon), which
// needs `--allow-env`. It first looks for masking functions on `node:http`
// (`websocketMask`/`websocketUnmask`, which some runtimes provide); when
// Deno has none, we supply ws's own pure-JavaScript ones there, so ws loads
// with `--allow-net` alone and works exactly as without the addon.

import { FrameError } from "../codec/error.ts";
import { closeCodeOf, type Link, OPEN } from "./_link.ts";
import type { Duplex } from "node:stream";
import type { IncomingMessage } from "node:http";

// The parts of ws's API this library uses, declared here rather than taken
// from @types/ws: that package pulls in @types/node, whose web globals clash
// with Deno's when the npm declarations are generated.

/** A listener of a ws event. */
type Listener = (...args: never[]) => void;

/** A `ws` WebSocket (the parts used here). */
export interface WsWebSocket {
  /** 0 connecting, 1 open, 2 closing, 3 closed. */
  readonly readyState: number;
  /** Bytes queued and not yet sent. */
  readonly bufferedAmount: number;
  /** How binary messages arrive. */
  binaryType: string;
  /** The subprotocol the server chose. */
  readonly protocol: string;
  /** The extensions the server chose. */
  readonly extensions: string;
  /** Sends one message. */
  send(data: Uint8Array, options: { binary: boolean }): void;
  /** Starts the closing handshake. */
  close(code?: number, reason?: string): void;
  /** Destroys the connection at once. */
  terminate(): void;
  /** Adds a listener. */
  on(event: string, listener: Listener): this;
  /** Adds a one-time listener. */
  once(event: string, listener: Listener): this;
  /** Removes a listener. */
  off(event: string, listener: Listener): this;
}

/** A `ws` WebSocketServer in `noServer` mode (the parts used here). */
export interface WsServer {
  /** Completes an HTTP upgrade. */
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Uint8Array,
    done: (webSocket: WsWebSocket, request: IncomingMessage) => void,
  ): void;
  /** Stops accepting. */
  close(): void;
  /** Adds a listener (`connection`, `listening`, `error`). */
  on(event: string, listener: Listener): this;
  /** Adds a one-time listener. */
  once(event: string, listener: Listener): this;
  /** Where a listening server is bound. */
  address(): unknown;
}

/** The `ws` module (the parts used here). */
export interface WsModule {
  /** A client WebSocket. */
  WebSocket: new (
    url: string,
    protocols: string | string[] | undefined,
    options: Record<string, unknown>,
  ) => WsWebSocket;
  /** A server. */
  WebSocketServer: new (options: Record<string, unknown>) => WsServer;
}

/** Whether this runtime uses `ws` (Deno and Node) rather than the platform WebSocket (browsers). */
export function runsWs(): boolean {
  if (typeof Deno !== "undefined") return true;
  const process =
    (globalThis as { process?: { versions?: { node?: unknown } } })
      .process;
  return typeof process?.versions?.node === "string";
}

// What ws's own fallbacks (lib/buffer-util.js) compute, for Deno's
// node:http: XOR with the 4-byte key, four bytes at a time where the source
// and the target are aligned alike.
function xorKey(
  source: Uint8Array,
  key: Uint8Array,
  output: Uint8Array,
  offset: number,
  length: number,
): void {
  let i = 0;
  const misaligned = (source.byteOffset - (output.byteOffset + offset)) & 3;
  if (misaligned === 0 && length >= 64) {
    const head = (4 - (source.byteOffset & 3)) & 3;
    for (; i < head; i++) output[offset + i] = source[i] ^ key[i & 3];
    const words = (length - head) >>> 2;
    const rotated = new Uint8Array(4);
    for (let k = 0; k < 4; k++) rotated[k] = key[(head + k) & 3];
    const word = new Uint32Array(rotated.buffer)[0];
    const from = new Uint32Array(
      source.buffer,
      source.byteOffset + head,
      words,
    );
    const to = new Uint32Array(
      output.buffer,
      output.byteOffset + offset + head,
      words,
    );
    for (let w = 0; w < words; w++) to[w] = from[w] ^ word;
    i = head + words * 4;
  }
  for (; i < length; i++) output[offset + i] = source[i] ^ key[i & 3];
}
function mask(
  source: Uint8Array,
  key: Uint8Array,
  output: Uint8Array,
  offset: number,
  length: number,
): void {
  xorKey(source, key, output, offset, length);
}
function unmask(buffer: Uint8Array, key: Uint8Array): void {
  xorKey(buffer, key, buffer, 0, buffer.length);
}

async function supplyMasking(): Promise<void> {
  const http = (await import("node:http")).default as unknown as Record<
    string,
    unknown
  >;
  if (typeof http.websocketMask === "function") return;
  try {
    Object.defineProperties(http, {
      websocketMask: { value: mask, configurable: true, writable: true },
      websocketUnmask: { value: unmask, configurable: true, writable: true },
    });
  } catch {
    // Then ws needs --allow-env=WS_NO_BUFFER_UTIL.
  }
}

let loading: Promise<WsModule> | undefined;

/**
 * Loads `ws` once.
 *
 * @throws {FrameError} (as a rejection) `"closed"` naming `what` when it
 * cannot be loaded.
 */
export function loadWs(what: string): Promise<WsModule> {
  loading ??= (async () => {
    if (typeof Deno !== "undefined") await supplyMasking();
    const imported = await import("ws");
    const module = (imported.WebSocket ? imported : imported.default) as
      | Partial<WsModule>
      | undefined;
    if (
      typeof module?.WebSocket !== "function" ||
      typeof module.WebSocketServer !== "function"
    ) {
      // e.g. a browser bundle run on Node: ws's browser stub.
      throw new Error("this runtime's ws module has no WebSocket");
    }
    return module as WsModule;
  })();
  return loading.catch((error) => {
    loading = undefined;
    throw new FrameError(
      "closed",
      `${what}: cannot load the ws package: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  });
}

/** The close code `ws` sent for one of its errors. */
function wsCloseCode(code: string | undefined): number {
  switch (code) {
    case "WS_ERR_UNSUPPORTED_MESSAGE_LENGTH":
    case "WS_ERR_UNSUPPORTED_DATA_PAYLOAD_LENGTH":
      return 1009;
    case "WS_ERR_INVALID_UTF8":
      return 1007;
    case "WS_ERR_TOO_MANY_BUFFERED_PARTS":
      return 1008;
    default:
      return 1002;
  }
}

/** Why a client could not connect, in words. */
export function connectFailure(error: unknown): string {
  const { code, message } = error as { code?: unknown; message?: unknown };
  const text = String(message ?? error);
  const status = /^Unexpected server response: (\d+)/.exec(text);
  if (status) {
    return `the server answered HTTP ${
      status[1]
    } instead of upgrading to a WebSocket`;
  }
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused (nothing listens there)";
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return `host not found (${code})`;
    case "ECONNRESET":
      return "the server reset the connection";
    default:
      return typeof code === "string" ? `${text} (${code})` : text;
  }
}

/** Limits and names a ws link reports errors with. */
export interface WsLinkOptions {
  /** The largest message, as `maxPayload`. */
  maxMessageSize: number;
  /** The URL a client connects to (errors before `open` name it). */
  url?: string;
}

/** A link over a `ws` WebSocket (set up with `maxPayload`). */
export function wsLink(socket: WsWebSocket, options: WsLinkOptions): Link {
  socket.binaryType = "arraybuffer";
  let opened = socket.readyState === OPEN;
  const connectError = (error: unknown) =>
    new FrameError(
      "closed",
      `cannot connect to ${options.url}: ${connectFailure(error)}`,
      { cause: error },
    );
  return {
    webSocket: socket,
    get readyState() {
      return socket.readyState;
    },
    get bufferedAmount() {
      return socket.bufferedAmount;
    },
    send(bytes) {
      socket.send(bytes, { binary: true });
    },
    close(code, reason) {
      socket.close(code, reason);
    },
    terminate() {
      socket.terminate();
    },
    listen(events) {
      socket.on("open", () => {
        opened = true;
        events.open();
      });
      socket.on(
        "message",
        (data: unknown, binary: boolean) => events.message(data, binary),
      );
      socket.on("error", (error: Error & { code?: string }) => {
        if (!opened) {
          events.failed(connectError(error), undefined);
          return;
        }
        const sent = wsCloseCode(error.code);
        events.failed(
          sent === 1009
            ? new FrameError(
              "too_large",
              `a message passed ${options.maxMessageSize} bytes (the frame header + maxBodySize) while it arrived; refused before more was buffered`,
              { cause: error },
            )
            : new FrameError(
              "bad_message",
              `the peer broke the WebSocket protocol: ${error.message}`,
              { cause: error },
            ),
          sent,
        );
      });
      socket.on(
        "close",
        (code: number, reason: Uint8Array) =>
          events.close(
            closeCodeOf(code),
            new TextDecoder().decode(reason),
            code !== 1006,
          ),
      );
    },
    opened() {
      if (socket.readyState === OPEN) return Promise.resolve();
      return new Promise((resolve, reject) => {
        let failure: unknown;
        const onError = (error: unknown) => failure ??= error;
        const onOpen = () => {
          socket.off("error", onError).off("close", onClose);
          resolve();
        };
        const onClose = (code: number) => {
          socket.off("error", onError).off("open", onOpen);
          reject(
            failure === undefined
              ? new FrameError(
                "closed",
                `cannot connect to ${options.url} (close code ${code})`,
              )
              : connectError(failure),
          );
        };
        socket.on("error", onError).once("open", onOpen).once(
          "close",
          onClose,
        );
      });
    },
  };
}
