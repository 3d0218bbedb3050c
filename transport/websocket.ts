/**
 * Sync frames over WebSocket, the protocol's transport: one frame per binary
 * message.
 *
 * - Client: {@linkcode connectFrameSocket} (or {@linkcode FrameSocket.client}
 *   over a `WebSocket` you made) — standard `WebSocket`, so Deno and browsers.
 * - Server: {@linkcode frameSocketHandler} for `Deno.serve`, or
 *   {@linkcode upgradeFrameSocket} over `Deno.upgradeWebSocket`.
 *
 * Both give a {@linkcode FrameSocket}: inbound frames as an async iterator,
 * `send(frame)` with backpressure, and a typed direction: a client may only
 * send {@linkcode ClientMessageType} frames, a server only
 * {@linkcode ServerMessageType} frames (checked at compile time, and at run
 * time for what arrives).
 *
 * Rules (a peer that breaks one gets the connection closed with the code
 * shown, and the iterator throws the {@linkcode FrameError}):
 *
 * | inbound message | error code | close code |
 * |---|---|---|
 * | text message | `bad_message` | 1003 |
 * | binary message with bytes after its frame (two frames) | `bad_message` | 1002 |
 * | binary message shorter than its frame / than 5 bytes | `truncated` / `too_short` | 1002 |
 * | frame body over `maxBodySize` (default 64 MiB) | `too_large` | 1009 |
 * | unknown type byte (policy `unknownType`, default `"close"`) | `unknown_type` | 1002, or skipped |
 * | a type the peer's side may not send (policy `wrongDirection`) | `wrong_direction` | 1002, or skipped |
 * | more than `maxQueuedFrames` (1024) / `maxQueuedBytes` (16 MiB) unread | `backpressure` | 1008 |
 *
 * Sending: `send` resolves at once while the socket's `bufferedAmount` is at
 * most `sendHighWaterMark` (1 MiB); above it, frames wait (in order) until
 * the buffer drains. When what is buffered plus what waits would pass
 * `sendHardCap` (16 MiB), the connection is failed with 1008 and `send`
 * rejects with `"backpressure"`, instead of buffering without bound.
 *
 * Browsers' `WebSocket` lets a client close only with 1000 or 3000–4999, so
 * the client side closes with 4000 + (code − 1000) there, e.g. 4002 for 1002.
 *
 * This entry also re-exports everything of `@sync/frame`.
 *
 * @example A server and a client on loopback
 * ```ts
 * import { connectFrameSocket, frameSocketHandler } from "@sync/frame/websocket";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * // Origin-like server: answers each ping with a pong carrying the same timestamp.
 * const server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen() {} },
 *   frameSocketHandler(async (socket) => {
 *     for await (const frame of socket) {
 *       if (frame.msgType !== SyncMessageType.PingPong) continue;
 *       const [timestamp] = frame.decodeBody<[number, boolean]>()!;
 *       await socket.send(SyncFrame.newMsgpack(SyncMessageType.PingPong, [timestamp, true])!);
 *     }
 *   }),
 * );
 *
 * const client = await connectFrameSocket(`ws://127.0.0.1:${server.addr.port}`);
 * await client.send(SyncFrame.newMsgpack(SyncMessageType.PingPong, [12345, false])!);
 * const pong = await client.receive();
 * assert.deepEqual(pong?.decodeBody(), [12345, true]);
 * await client.close();
 * await server.shutdown();
 * ```
 *
 * @module
 */

import type { SyncFrame } from "../generated/2026-04/frame.ts";
import type {
  ClientMessageType,
  Direction,
  ServerMessageType,
  SyncMessageType,
} from "../generated/2026-04/message_type.ts";
import type {
  BodyDecodeOptions,
  MessageBodies,
  SyncMessage,
} from "../generated/2026-04/bodies.ts";
import {
  type RevisionCodec,
  revisionCodec,
  type RevisionName,
} from "../generated/revisions.ts";
import { FrameError } from "../codec/error.ts";
import {
  checksumError,
  checksumMatches,
  HEADER_TOO_LARGE,
  HEADER_UNKNOWN_TYPE,
  headerError,
  readHeader,
} from "../codec/_header.ts";
import { encodeFrame } from "./_encode.ts";
import { maxBodySizeOption, positiveOption } from "../codec/_options.ts";

export { FrameError } from "../codec/error.ts";
export type { FrameErrorCode } from "../codec/error.ts";
export type { RevisionName } from "../generated/revisions.ts";

/** WebSocket close codes used by {@linkcode FrameSocket} (RFC 6455 §7.4.1). */
export const CloseCode = {
  /** The session ended normally. */
  Normal: 1000,
  /** A message was not exactly one valid frame, or came from the wrong side. */
  ProtocolError: 1002,
  /** A text message arrived. */
  UnsupportedData: 1003,
  /** The receive queue overflowed, or the peer stopped reading what we send. */
  PolicyViolation: 1008,
  /** A frame's body is over `maxBodySize`. */
  MessageTooBig: 1009,
  /** The server's handler failed. */
  InternalError: 1011,
} as const;

/** Default `sendHighWaterMark`: 1 MiB. */
export const DEFAULT_SEND_HIGH_WATER_MARK = 1024 * 1024;
/** Default `sendHardCap`: 16 MiB. */
export const DEFAULT_SEND_HARD_CAP = 16 * 1024 * 1024;
/** Default `maxQueuedFrames`: 1024 frames. */
export const DEFAULT_MAX_QUEUED_FRAMES = 1024;
/** Default `maxQueuedBytes`: 16 MiB. */
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;

/** Options of a {@linkcode FrameSocket}, on either side. */
export interface FrameSocketOptions {
  /**
   * The wire revision: `"2026-04"` (default) or `"2026-07"` (NodeDB ≥ 0.4.0:
   * 10-byte header with a CRC-32C). The static types of the typed methods are
   * those of 2026-04; with `"2026-07"`, frames and messages are the 2026-07
   * classes and bodies at run time (cast to the `@sync/frame/2026-07` types).
   */
  revision?: RevisionName;
  /**
   * What to do with a frame whose CRC-32C does not match its body (2026-07):
   * `"close"` (default) closes with 1002; `"skip"` drops it, as the Rust
   * Origin does.
   */
  badChecksum?: "close" | "skip";
  /**
   * Largest accepted inbound body length in bytes; a larger frame closes the
   * connection with 1009. Default 64 MiB (the Rust peer's message cap).
   */
  maxBodySize?: number;
  /**
   * What to do with a message whose type byte is not a code of this
   * revision: `"close"` (default) closes with 1002; `"skip"` drops it.
   */
  unknownType?: "close" | "skip";
  /**
   * What to do with a frame of a type the peer's side may not send (e.g. a
   * `Handshake` arriving at a client): `"close"` (default) closes with 1002;
   * `"skip"` drops it.
   */
  wrongDirection?: "close" | "skip";
  /**
   * `send` waits while the socket's `bufferedAmount` is over this many bytes.
   * Default 1 MiB.
   */
  sendHighWaterMark?: number;
  /**
   * The connection is failed (1008) rather than let buffered plus waiting
   * outbound bytes pass this. Default 16 MiB.
   */
  sendHardCap?: number;
  /** Most inbound frames held unread before closing with 1008. Default 1024. */
  maxQueuedFrames?: number;
  /**
   * Most inbound bytes held unread before closing with 1008; one frame is
   * always accepted into an empty queue. Default 16 MiB.
   */
  maxQueuedBytes?: number;
}

/** Options of {@linkcode connectFrameSocket}. */
export interface ConnectOptions extends FrameSocketOptions {
  /** WebSocket subprotocols to offer. */
  protocols?: string | string[];
  /** Aborts the connection attempt (no effect once the socket is open). */
  signal?: AbortSignal;
}

/** Options of {@linkcode upgradeFrameSocket}. */
export interface UpgradeOptions extends FrameSocketOptions {
  /** The subprotocol to accept, as for `Deno.upgradeWebSocket`. */
  protocol?: string;
  /** Seconds without a pong before Deno closes the socket (Deno's default 120; 0 disables). */
  idleTimeout?: number;
}

/** Options of {@linkcode frameSocketHandler}. */
export interface FrameSocketHandlerOptions extends UpgradeOptions {
  /**
   * Called with whatever your socket callback throws or rejects with (the
   * socket is then closed with 1011). The library never logs.
   */
  onError?(error: unknown): void;
}

/** How a {@linkcode FrameSocket} ended. */
export interface FrameSocketCloseInfo {
  /** The close code of the WebSocket's `close` event (1006: no close frame). */
  readonly code: number;
  /** The close reason of the `close` event. */
  readonly reason: string;
  /** Whether the closing handshake completed. */
  readonly wasClean: boolean;
  /**
   * Why the connection failed: the peer's protocol violation we closed for,
   * send backpressure, or (`"closed"`) an abnormal close by the peer or the
   * network; `undefined` for a normal close by either side.
   */
  readonly error: FrameError | undefined;
}

/** A frame endpoint of a client: sends client frames, receives server frames. */
export type ClientFrameSocket = FrameSocket<
  ClientMessageType,
  ServerMessageType
>;
/** A frame endpoint of a server: sends server frames, receives client frames. */
export type ServerFrameSocket = FrameSocket<
  ServerMessageType,
  ClientMessageType
>;

/** Validated options. */
interface Config {
  codec: RevisionCodec;
  skipBadChecksum: boolean;
  maxBodySize: number;
  skipUnknown: boolean;
  skipWrongDirection: boolean;
  highWaterMark: number;
  hardCap: number;
  maxFrames: number;
  maxBytes: number;
}

function policyOption(
  name: string,
  value: string | undefined,
): boolean {
  if (value === undefined || value === "close") return false;
  if (value === "skip") return true;
  throw new FrameError(
    "bad_value",
    `${name} must be "close" or "skip", got ${String(value)}`,
  );
}

function configOf(options: FrameSocketOptions | undefined): Config {
  return {
    codec: revisionCodec(options?.revision),
    skipBadChecksum: policyOption("badChecksum", options?.badChecksum),
    maxBodySize: maxBodySizeOption(options?.maxBodySize),
    skipUnknown: policyOption("unknownType", options?.unknownType),
    skipWrongDirection: policyOption(
      "wrongDirection",
      options?.wrongDirection,
    ),
    highWaterMark: positiveOption(
      "sendHighWaterMark",
      options?.sendHighWaterMark,
      DEFAULT_SEND_HIGH_WATER_MARK,
    ),
    hardCap: positiveOption(
      "sendHardCap",
      options?.sendHardCap,
      DEFAULT_SEND_HARD_CAP,
    ),
    maxFrames: positiveOption(
      "maxQueuedFrames",
      options?.maxQueuedFrames,
      DEFAULT_MAX_QUEUED_FRAMES,
    ),
    maxBytes: positiveOption(
      "maxQueuedBytes",
      options?.maxQueuedBytes,
      DEFAULT_MAX_QUEUED_BYTES,
    ),
  };
}

const OPEN = 1;
const CLOSED = 3;
// There is no "drain" event on WebSocket: poll bufferedAmount, backing off
// while the peer makes no progress so a stalled peer costs little CPU.
const POLL_MIN_MS = 1;
const POLL_MAX_MS = 50;
// A close reason may hold at most 123 UTF-8 bytes.
const MAX_REASON_BYTES = 123;

const encoder = new TextEncoder();

function shortReason(text: string): string {
  let reason = text;
  while (encoder.encode(reason).length > MAX_REASON_BYTES) {
    reason = reason.slice(0, -1);
  }
  return reason;
}

function hexByte(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}

function typeName(codec: RevisionCodec, type: number): string {
  return `${codec.typeName(type)} (${hexByte(type)})`;
}

interface Waiting<T> {
  resolve(value: T): void;
  reject(error: unknown): void;
}

interface Outbound extends Waiting<void> {
  bytes: Uint8Array;
}

/**
 * One end of a sync session over a WebSocket: inbound frames as an async
 * iterator (or {@linkcode FrameSocket.receive}), outbound frames through
 * {@linkcode FrameSocket.send}.
 *
 * Make one with {@linkcode connectFrameSocket}, {@linkcode frameSocketHandler},
 * {@linkcode upgradeFrameSocket}, or {@linkcode FrameSocket.client} /
 * {@linkcode FrameSocket.server} over an existing `WebSocket`.
 *
 * Inbound frames' bodies are views of their message's own buffer (no copy;
 * nothing else uses that buffer). Breaking out of a `for await` loop does not
 * close the connection; call {@linkcode FrameSocket.close} (or use
 * `await using`).
 *
 * @typeParam Out The message types this side may send.
 * @typeParam In The message types this side may receive.
 *
 * @example Type-checked sending
 * ```ts
 * import { FrameSocket } from "@sync/frame/websocket";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 *
 * function ack(socket: FrameSocket<SyncMessageType.DeltaAck, SyncMessageType>): Promise<void> {
 *   return socket.send(SyncFrame.newMsgpack(SyncMessageType.DeltaAck, [7, 0, null])!);
 * }
 * ```
 */
export class FrameSocket<
  Out extends SyncMessageType = SyncMessageType,
  In extends SyncMessageType = SyncMessageType,
> implements AsyncIterable<SyncFrame<In>>, AsyncDisposable {
  /** Which end of the session this is. */
  readonly side: "client" | "server";
  /** The underlying WebSocket (its `binaryType` is set to `"arraybuffer"`). */
  readonly webSocket: WebSocket;
  /**
   * Settles when the WebSocket's `close` event arrives; never rejects.
   * After a local failure this can take as long as the peer takes to answer
   * (or the network to give up), while the iterator ends at once.
   */
  readonly closed: Promise<FrameSocketCloseInfo>;

  #config: Config;
  /** Inbound direction that only this side may send. */
  #ownDirection: Direction;
  /** Inbound direction that only the peer's side may send. */
  #peerDirection: Direction;

  /** No more inbound frames are accepted and no more can be sent. */
  #ended = false;
  #error: FrameError | undefined = undefined;
  #resolveClosed!: (info: FrameSocketCloseInfo) => void;
  #closeEventSeen = false;

  #inbox: SyncFrame<In>[] = [];
  #inboxBytes = 0;
  #receivers: Waiting<SyncFrame<In> | undefined>[] = [];

  #outbox: Outbound[] = [];
  #outboxBytes = 0;
  #timer: ReturnType<typeof setTimeout> | undefined = undefined;
  #pollMs = POLL_MIN_MS;

  private constructor(
    webSocket: WebSocket,
    side: "client" | "server",
    config: Config,
  ) {
    this.side = side;
    this.webSocket = webSocket;
    this.#config = config;
    this.#ownDirection = side === "client"
      ? "client_to_server"
      : "server_to_client";
    this.#peerDirection = side === "client"
      ? "server_to_client"
      : "client_to_server";
    this.closed = new Promise((resolve) => this.#resolveClosed = resolve);
    webSocket.binaryType = "arraybuffer";
    webSocket.addEventListener("message", (event) => this.#onMessage(event));
    webSocket.addEventListener("open", () => this.#pump());
    webSocket.addEventListener("close", (event) => this.#onClose(event));
    if (webSocket.readyState === CLOSED) {
      this.#onClose(new CloseEvent("close", { code: 1006 }));
    }
  }

  /**
   * Wraps a client `WebSocket` (connecting or open). Prefer
   * {@linkcode connectFrameSocket}, which also waits for the connection.
   *
   * @param webSocket The socket; the wrapper listens to its events.
   * @param options Limits and policies.
   * @returns The client endpoint.
   * @throws {FrameError} `"bad_value"` for an invalid option.
   *
   * @example
   * ```ts ignore
   * import { FrameSocket } from "@sync/frame/websocket";
   *
   * const client = FrameSocket.client(new WebSocket("ws://127.0.0.1:9090"));
   * ```
   */
  static client(
    webSocket: WebSocket,
    options?: FrameSocketOptions,
  ): ClientFrameSocket {
    return new FrameSocket(webSocket, "client", configOf(options));
  }

  /**
   * Wraps the server side of a WebSocket, e.g. the `socket` of
   * `Deno.upgradeWebSocket`. Frames sent before it opens wait for it.
   *
   * @param webSocket The socket; the wrapper listens to its events.
   * @param options Limits and policies.
   * @returns The server endpoint.
   * @throws {FrameError} `"bad_value"` for an invalid option.
   *
   * @example
   * ```ts ignore
   * import { FrameSocket } from "@sync/frame/websocket";
   *
   * Deno.serve((request) => {
   *   const { socket, response } = Deno.upgradeWebSocket(request);
   *   const server = FrameSocket.server(socket);
   *   return response;
   * });
   * ```
   */
  static server(
    webSocket: WebSocket,
    options?: FrameSocketOptions,
  ): ServerFrameSocket {
    return new FrameSocket(webSocket, "server", configOf(options));
  }

  /**
   * Outbound bytes not yet handed to the network: the socket's
   * `bufferedAmount` plus frames waiting in `send`.
   *
   * @returns The number of bytes.
   */
  get bufferedAmount(): number {
    return this.webSocket.bufferedAmount + this.#outboxBytes;
  }

  /**
   * Sends one frame as one binary message.
   *
   * Resolves at once while `bufferedAmount` is at most `sendHighWaterMark`;
   * otherwise the frame waits, in order, until the buffer drains.
   *
   * @param frame A frame of a type this side may send.
   * @returns A promise that resolves when the frame is handed to the socket.
   * @throws {FrameError} (as a rejection) `"wrong_direction"` for a type this
   * side may not send (the connection stays up); `"backpressure"` when the
   * frame would take outbound bytes past `sendHardCap` (the connection is
   * failed with 1008); `"closed"` or the connection's failure once it ended,
   * also for frames still waiting when it ends; `"bad_value"`,
   * `"unknown_type"` or `"too_large"` for something that is not a valid frame.
   *
   * @example
   * ```ts ignore
   * import { connectFrameSocket } from "@sync/frame/websocket";
   * import { SyncFrame, SyncMessageType } from "@sync/frame";
   *
   * const client = await connectFrameSocket("ws://127.0.0.1:9090");
   * await client.send(SyncFrame.newMsgpack(SyncMessageType.PingPong, [Date.now(), false])!);
   * ```
   */
  send(frame: SyncFrame<Out>): Promise<void> {
    let bytes: Uint8Array;
    try {
      const codec = this.#config.codec;
      bytes = encodeFrame(codec, frame);
      const type = bytes[codec.layout.typeOffset];
      if (codec.directionOf(type) === this.#peerDirection) {
        throw new FrameError(
          "wrong_direction",
          `${typeName(codec, type)} is sent only by the ${
            this.side === "client" ? "server" : "client"
          }; a ${this.side} may not send it`,
          { msgType: type },
        );
      }
    } catch (error) {
      return Promise.reject(error);
    }
    if (this.#ended) return Promise.reject(this.#endError());
    const ws = this.webSocket;
    if (
      this.#outbox.length === 0 && ws.readyState === OPEN &&
      ws.bufferedAmount <= this.#config.highWaterMark
    ) {
      return this.#write(bytes) ? Promise.resolve() : Promise.reject(
        this.#endError(),
      );
    }
    const pending = ws.bufferedAmount + this.#outboxBytes;
    if (pending > 0 && pending + bytes.length > this.#config.hardCap) {
      const error = new FrameError(
        "backpressure",
        `${pending} bytes are already waiting to be sent and this ${bytes.length}-byte frame would pass the ${this.#config.hardCap}-byte cap: the peer is not reading`,
        {
          msgType: bytes[this.#config.codec.layout.typeOffset],
          length: bytes.length - this.#config.codec.layout.headerSize,
        },
      );
      this.#fail(error, CloseCode.PolicyViolation);
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.#outbox.push({ bytes, resolve, reject });
      this.#outboxBytes += bytes.length;
      if (this.#timer === undefined && ws.readyState === OPEN) {
        this.#pollMs = POLL_MIN_MS;
        this.#timer = setTimeout(() => this.#pump(), this.#pollMs);
      }
    });
  }

  /**
   * Takes the next inbound frame, waiting for one if none is queued.
   *
   * @returns The frame, or `undefined` once the connection closed normally
   * (by either side) and every queued frame was taken.
   * @throws {FrameError} (as a rejection) once the queued frames are taken
   * after a failure: the peer's violation (`"bad_message"`, `"truncated"`,
   * `"too_short"`, `"too_large"`, `"unknown_type"`, `"wrong_direction"`),
   * `"backpressure"`, or `"closed"` for an abnormal close.
   *
   * @example
   * ```ts ignore
   * import { connectFrameSocket } from "@sync/frame/websocket";
   *
   * const client = await connectFrameSocket("ws://127.0.0.1:9090");
   * const frame = await client.receive();
   * ```
   */
  receive(): Promise<SyncFrame<In> | undefined> {
    if (this.#inbox.length !== 0) {
      const frame = this.#inbox.shift()!;
      this.#inboxBytes -= this.#config.codec.layout.headerSize +
        frame.body.length;
      return Promise.resolve(frame);
    }
    if (this.#ended) {
      return this.#error === undefined
        ? Promise.resolve(undefined)
        : Promise.reject(this.#error);
    }
    return new Promise((resolve, reject) =>
      this.#receivers.push({ resolve, reject })
    );
  }

  /**
   * Iterates over inbound frames until the connection ends: normally (the
   * loop ends) or by a failure (the loop throws the {@linkcode FrameError}).
   *
   * @returns An async iterator of frames.
   *
   * @example
   * ```ts ignore
   * import { connectFrameSocket } from "@sync/frame/websocket";
   *
   * const client = await connectFrameSocket("ws://127.0.0.1:9090");
   * for await (const frame of client) console.log(frame.msgType);
   * ```
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<SyncFrame<In>> {
    // Written by hand rather than as an async generator: a generator costs
    // several extra microtask turns per frame, enough for Deno's message
    // dispatch to outrun a consumer that does nothing, and fill the queue.
    const iterator: AsyncIterableIterator<SyncFrame<In>> = {
      next: () => this.#next(),
      // Leaving a loop early keeps the connection open (see the class doc).
      return: () => Promise.resolve({ done: true, value: undefined }),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /** `receive()` as an iterator result, without an extra promise turn. */
  #next(): Promise<IteratorResult<SyncFrame<In>, undefined>> {
    if (this.#inbox.length !== 0) {
      const frame = this.#inbox.shift()!;
      this.#inboxBytes -= this.#config.codec.layout.headerSize +
        frame.body.length;
      return Promise.resolve({ done: false, value: frame });
    }
    if (this.#ended) {
      return this.#error === undefined
        ? Promise.resolve({ done: true, value: undefined })
        : Promise.reject(this.#error);
    }
    return new Promise((resolve, reject) =>
      this.#receivers.push({
        resolve: (frame) =>
          resolve(
            frame === undefined
              ? { done: true, value: undefined }
              : { done: false, value: frame },
          ),
        reject,
      })
    );
  }

  /**
   * Encodes a typed message and sends it as one frame: the typed form of
   * {@linkcode FrameSocket.send}, with the same backpressure.
   *
   * @typeParam T The message type; only types this side may send compile.
   * @param type The message type.
   * @param body Its typed body.
   * @returns A promise that resolves when the frame is handed to the socket.
   * @throws {FrameError} (as a rejection) `"bad_value"` with the field `path`
   * when the body does not fit its type (nothing is sent), and everything
   * {@linkcode FrameSocket.send} rejects with.
   *
   * @example
   * ```ts ignore
   * import { connectFrameSocket } from "@sync/frame/websocket";
   * import { SyncMessageType } from "@sync/frame";
   *
   * const client = await connectFrameSocket("ws://127.0.0.1:9090");
   * await client.sendMessage(SyncMessageType.PingPong, { timestampMs: 12345n, isPong: false });
   * ```
   */
  sendMessage<T extends Out>(type: T, body: MessageBodies[T]): Promise<void> {
    let frame: SyncFrame<T>;
    try {
      const { codec } = this.#config;
      const bytes = codec.encodeMessage(type, body, { shared: true });
      frame = codec.frame(
        type,
        bytes.slice(codec.layout.headerSize),
      ) as unknown as SyncFrame<T>;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.send(frame);
  }

  /**
   * Takes the next inbound frame and reads its typed body: the typed form of
   * {@linkcode FrameSocket.receive}.
   *
   * A body that does not decode rejects this call with `"bad_body"` but
   * leaves the connection up (the Rust Origin also skips such frames), so
   * the next call reads the next frame.
   *
   * @param options `copy: true` to copy byte fields; by default they are views
   * of the frame's body.
   * @returns The typed message, or `undefined` once the connection closed
   * normally and every queued frame was taken.
   * @throws {FrameError} (as a rejection) `"bad_body"` with `msgType`, `path`
   * and `offset` for an undecodable body, and everything
   * {@linkcode FrameSocket.receive} rejects with.
   *
   * @example
   * ```ts ignore
   * import { connectFrameSocket } from "@sync/frame/websocket";
   * import { SyncMessageType } from "@sync/frame";
   *
   * const client = await connectFrameSocket("ws://127.0.0.1:9090");
   * const message = await client.receiveMessage();
   * if (message?.type === SyncMessageType.HandshakeAck) console.log(message.body.sessionId);
   * ```
   */
  async receiveMessage(
    options?: BodyDecodeOptions,
  ): Promise<SyncMessage<In> | undefined> {
    const frame = await this.receive();
    return frame === undefined ? undefined : frame.decodeMessage(options);
  }

  /**
   * Inbound typed messages as an async iterator; ends when the connection
   * closes normally and throws its failure otherwise. An undecodable body
   * throws `"bad_body"` from the loop (the connection stays up).
   *
   * @param options `copy: true` to copy byte fields.
   * @returns An async iterator of typed messages.
   *
   * @example
   * ```ts ignore
   * import { connectFrameSocket } from "@sync/frame/websocket";
   *
   * const client = await connectFrameSocket("ws://127.0.0.1:9090");
   * for await (const message of client.messages()) console.log(message.type, message.body);
   * ```
   */
  messages(
    options?: BodyDecodeOptions,
  ): AsyncIterableIterator<SyncMessage<In>> {
    const iterator: AsyncIterableIterator<SyncMessage<In>> = {
      next: async () => {
        const result = await this.#next();
        return result.done
          ? { done: true, value: undefined }
          : { done: false, value: result.value.decodeMessage(options) };
      },
      return: () => Promise.resolve({ done: true, value: undefined }),
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }

  /**
   * Closes the connection. Frames still waiting in `send` are dropped (their
   * promises reject with `"closed"`); frames already received stay readable.
   *
   * @param code Close code: 1000 (default) or 3000–4999 (a server may also
   * use the 1xxx codes of RFC 6455).
   * @param reason Close reason, at most 123 UTF-8 bytes.
   * @returns {@linkcode FrameSocket.closed}.
   * @throws {FrameError} (as a rejection) `"bad_value"` for a code or reason
   * the WebSocket refuses.
   *
   * @example
   * ```ts ignore
   * import { connectFrameSocket } from "@sync/frame/websocket";
   *
   * const client = await connectFrameSocket("ws://127.0.0.1:9090");
   * const info = await client.close();
   * console.log(info.code); // 1000
   * ```
   */
  close(code = 1000, reason = ""): Promise<FrameSocketCloseInfo> {
    if (!this.#ended) {
      try {
        this.webSocket.close(code, reason);
      } catch (error) {
        return Promise.reject(
          new FrameError(
            "bad_value",
            `cannot close with code ${code}: ${(error as Error).message}`,
            { cause: error },
          ),
        );
      }
      this.#end(undefined);
    }
    return this.closed;
  }

  /**
   * Closes the connection normally and waits for it to end, for
   * `await using`.
   *
   * @returns A promise that resolves when the connection has closed.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Hands bytes to the WebSocket; on failure, ends the connection. */
  #write(bytes: Uint8Array): boolean {
    try {
      this.webSocket.send(bytes);
      return true;
    } catch (error) {
      this.#end(
        new FrameError("closed", `cannot send: ${(error as Error).message}`, {
          cause: error,
        }),
      );
      return false;
    }
  }

  /** Sends waiting frames while the buffer is under the high-water mark. */
  #pump(): void {
    this.#timer = undefined;
    const ws = this.webSocket;
    if (this.#ended || ws.readyState !== OPEN) return;
    const outbox = this.#outbox;
    let progress = false;
    while (
      outbox.length !== 0 && ws.bufferedAmount <= this.#config.highWaterMark
    ) {
      const item = outbox.shift()!;
      this.#outboxBytes -= item.bytes.length;
      if (!this.#write(item.bytes)) {
        item.reject(this.#endError());
        return;
      }
      item.resolve();
      progress = true;
    }
    if (outbox.length === 0) return;
    this.#pollMs = progress
      ? POLL_MIN_MS
      : Math.min(this.#pollMs * 2, POLL_MAX_MS);
    this.#timer = setTimeout(() => this.#pump(), this.#pollMs);
  }

  #onMessage(event: MessageEvent): void {
    if (this.#ended) return;
    const data: unknown = event.data;
    if (!(data instanceof ArrayBuffer)) {
      this.#fail(
        new FrameError(
          "bad_message",
          typeof data === "string"
            ? "received a text message; sync frames travel as binary messages"
            : "received a binary message that is not an ArrayBuffer (was binaryType changed?)",
        ),
        CloseCode.UnsupportedData,
      );
      return;
    }
    const bytes = new Uint8Array(data);
    const config = this.#config;
    const { codec } = config;
    const layout = codec.layout;
    const length = readHeader(layout, bytes, 0, config.maxBodySize);
    if (length < 0) {
      if (length === HEADER_UNKNOWN_TYPE && config.skipUnknown) return;
      this.#fail(
        headerError(layout, bytes, 0, length, config.maxBodySize),
        length === HEADER_TOO_LARGE
          ? CloseCode.MessageTooBig
          : CloseCode.ProtocolError,
      );
      return;
    }
    const type = bytes[layout.typeOffset] as SyncMessageType;
    const size = layout.headerSize + length;
    if (bytes.length !== size) {
      this.#fail(
        bytes.length < size
          ? new FrameError(
            "truncated",
            `a message of ${bytes.length} bytes holds part of a ${size}-byte frame; each message must be exactly one frame`,
            { msgType: type, length },
          )
          : new FrameError(
            "bad_message",
            `a message of ${bytes.length} bytes holds ${
              bytes.length - size
            } bytes after its ${size}-byte frame; each message must be exactly one frame`,
            { msgType: type, length },
          ),
        CloseCode.ProtocolError,
      );
      return;
    }
    if (!checksumMatches(layout, bytes, 0, length)) {
      if (config.skipBadChecksum) return;
      this.#fail(
        checksumError(layout, bytes, 0, length),
        CloseCode.ProtocolError,
      );
      return;
    }
    if (codec.directionOf(type) === this.#ownDirection) {
      if (config.skipWrongDirection) return;
      this.#fail(
        new FrameError(
          "wrong_direction",
          `received ${typeName(codec, type)} from the ${
            this.side === "client" ? "server" : "client"
          }, but only a ${this.side} sends it`,
          { msgType: type, length },
        ),
        CloseCode.ProtocolError,
      );
      return;
    }
    const frame = codec.frame(
      type,
      bytes.subarray(layout.headerSize),
    ) as unknown as SyncFrame<In>;
    const receiver = this.#receivers.shift();
    if (receiver !== undefined) {
      receiver.resolve(frame);
      return;
    }
    const inbox = this.#inbox;
    if (
      inbox.length >= config.maxFrames ||
      (inbox.length !== 0 && this.#inboxBytes + size > config.maxBytes)
    ) {
      this.#fail(
        new FrameError(
          "backpressure",
          `receive queue full (${inbox.length} frames, ${this.#inboxBytes} bytes unread): the consumer fell behind`,
          { msgType: type, length },
        ),
        CloseCode.PolicyViolation,
      );
      return;
    }
    inbox.push(frame);
    this.#inboxBytes += size;
  }

  #onClose(event: CloseEvent): void {
    // Deno may dispatch `close` twice; the first one tells.
    if (this.#closeEventSeen) return;
    this.#closeEventSeen = true;
    if (!this.#ended) {
      const code = event.code;
      const normal = code === 1000 || code === 1001 || code === 1005;
      this.#end(
        normal ? undefined : new FrameError(
          "closed",
          `the connection closed abnormally: code ${code}${
            event.reason ? `, reason "${event.reason}"` : ""
          }`,
        ),
      );
    }
    this.#resolveClosed({
      code: event.code,
      reason: event.reason,
      wasClean: event.wasClean,
      error: this.#error,
    });
  }

  /** Fails the connection for `error` and closes it with `code`. */
  #fail(error: FrameError, code: number): void {
    if (this.#ended) return;
    this.#end(error);
    const reason = shortReason(error.message);
    try {
      this.webSocket.close(code, reason);
    } catch {
      // A client WebSocket refuses 1002–1011; use the private range.
      try {
        this.webSocket.close(code + 3000, reason);
      } catch {
        // Already closing.
      }
    }
  }

  /** Stops all traffic: rejects waiting sends, wakes waiting receivers. */
  #end(error: FrameError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    if (this.#timer !== undefined) {
      clearTimeout(this.#timer);
      this.#timer = undefined;
    }
    const outbox = this.#outbox;
    this.#outbox = [];
    this.#outboxBytes = 0;
    const sendError = this.#endError();
    for (const item of outbox) item.reject(sendError);
    // Receivers wait only while the inbox is empty.
    const receivers = this.#receivers;
    this.#receivers = [];
    for (const receiver of receivers) {
      if (error === undefined) receiver.resolve(undefined);
      else receiver.reject(error);
    }
  }

  #endError(): FrameError {
    return this.#error ??
      new FrameError("closed", "the connection is closed");
  }
}

/**
 * Opens a client connection and waits until it is open.
 *
 * @param url The server's `ws:` or `wss:` URL, e.g. `ws://127.0.0.1:9090`.
 * @param options Limits and policies, `protocols`, and a `signal` to abort.
 * @returns The open client endpoint.
 * @throws {FrameError} (as a rejection) `"closed"` if the connection cannot
 * be opened or is aborted; `"bad_value"` for an invalid URL or option.
 *
 * @example
 * ```ts ignore
 * import { connectFrameSocket } from "@sync/frame/websocket";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 *
 * await using client = await connectFrameSocket("ws://127.0.0.1:9090", {
 *   signal: AbortSignal.timeout(5000),
 * });
 * await client.send(SyncFrame.newMsgpack(SyncMessageType.PingPong, [Date.now(), false])!);
 * ```
 */
export function connectFrameSocket(
  url: string | URL,
  options?: ConnectOptions,
): Promise<ClientFrameSocket> {
  const signal = options?.signal;
  let socket: ClientFrameSocket;
  try {
    // Validate the options before opening anything.
    configOf(options);
    signal?.throwIfAborted();
    socket = FrameSocket.client(
      new WebSocket(url, options?.protocols),
      options,
    );
  } catch (error) {
    return Promise.reject(
      error instanceof FrameError ? error : new FrameError(
        signal?.aborted ? "closed" : "bad_value",
        `cannot connect to ${String(url)}: ${
          error instanceof Error ? error.message : String(error)
        }`,
        { cause: error },
      ),
    );
  }
  const ws = socket.webSocket;
  return new Promise((resolve, reject) => {
    const onAbort = () => ws.close();
    const onOpen = () => {
      signal?.removeEventListener("abort", onAbort);
      resolve(socket);
    };
    ws.addEventListener("open", onOpen, { once: true });
    signal?.addEventListener("abort", onAbort, { once: true });
    // Settles only if the socket closes before opening (else a no-op).
    socket.closed.then((info) => {
      signal?.removeEventListener("abort", onAbort);
      ws.removeEventListener("open", onOpen);
      reject(
        new FrameError(
          "closed",
          signal?.aborted
            ? `connecting to ${String(url)} was aborted`
            : `cannot connect to ${String(url)} (close code ${info.code})`,
          { cause: signal?.aborted ? signal.reason : undefined },
        ),
      );
    });
  });
}

/**
 * Accepts a WebSocket upgrade request as a server endpoint
 * (`Deno.upgradeWebSocket` underneath). Return `response` from your
 * `Deno.serve` handler; frames sent before that wait until the socket opens.
 *
 * @param request The upgrade request.
 * @param options Limits and policies, `protocol` and `idleTimeout`.
 * @returns The server endpoint and the response to return.
 * @throws {FrameError} `"bad_value"` if `request` is not a WebSocket upgrade
 * or an option is invalid.
 *
 * @example
 * ```ts ignore
 * import { upgradeFrameSocket } from "@sync/frame/websocket";
 *
 * Deno.serve({ port: 9090 }, (request) => {
 *   if (request.headers.get("upgrade") !== "websocket") return new Response("sync only", { status: 426 });
 *   const { socket, response } = upgradeFrameSocket(request);
 *   (async () => {
 *     for await (const frame of socket) console.log(frame.msgType);
 *   })();
 *   return response;
 * });
 * ```
 */
export function upgradeFrameSocket(
  request: Request,
  options?: UpgradeOptions,
): { socket: ServerFrameSocket; response: Response } {
  // Validate the options before upgrading.
  configOf(options);
  let upgraded: { socket: WebSocket; response: Response };
  try {
    upgraded = Deno.upgradeWebSocket(request, {
      protocol: options?.protocol,
      idleTimeout: options?.idleTimeout,
    });
  } catch (error) {
    throw new FrameError(
      "bad_value",
      `cannot upgrade the request to a WebSocket: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    socket: FrameSocket.server(upgraded.socket, options),
    response: upgraded.response,
  };
}

/**
 * Makes a `Deno.serve` handler that accepts every WebSocket upgrade as a
 * server endpoint and runs `onSocket` with it. Other requests get
 * `426 Upgrade Required`. If `onSocket` throws or rejects, the socket is
 * closed with 1011 and the error goes to `options.onError`; when it returns,
 * the socket stays as it is (close it when you are done).
 *
 * @param onSocket Runs one session.
 * @param options Limits and policies of every socket, and `onError`.
 * @returns The request handler.
 * @throws {FrameError} `"bad_value"` for an invalid option.
 *
 * @example An echo server
 * ```ts ignore
 * import { frameSocketHandler } from "@sync/frame/websocket";
 * import { SyncMessageType } from "@sync/frame";
 *
 * Deno.serve({ port: 9090 }, frameSocketHandler(async (socket) => {
 *   for await (const frame of socket) {
 *     if (frame.msgType === SyncMessageType.PingPong) await socket.send(frame);
 *   }
 * }));
 * ```
 */
export function frameSocketHandler(
  onSocket: (
    socket: ServerFrameSocket,
    request: Request,
  ) => void | Promise<void>,
  options?: FrameSocketHandlerOptions,
): (request: Request) => Response {
  configOf(options);
  return (request) => {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade\n", {
        status: 426,
        headers: { upgrade: "websocket" },
      });
    }
    let upgraded: { socket: ServerFrameSocket; response: Response };
    try {
      upgraded = upgradeFrameSocket(request, options);
    } catch (error) {
      return new Response(`${(error as Error).message}\n`, { status: 400 });
    }
    const { socket } = upgraded;
    Promise.resolve()
      .then(() => onSocket(socket, request))
      .catch((error) => {
        socket.close(CloseCode.InternalError, "internal error").catch(
          () => {},
        );
        options?.onError?.(error);
      });
    return upgraded.response;
  };
}
