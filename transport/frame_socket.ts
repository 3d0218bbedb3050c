// FrameSocket: one end of a sync session over a WebSocket (a Link): inbound
// frames checked and queued with bounds, outbound frames sent with
// backpressure, cancellation by AbortSignal that never loses a frame, and a
// close that always settles within `closeTimeout`.

import type { SyncMessageType } from "../generated/2026-04/message_type.ts";
import type { RevisionName } from "../generated/revisions.ts";
import { FrameError } from "../codec/error.ts";
import { encodeFrame, encodeMessageFrame, type FrameLike } from "./_encode.ts";
import { inboundFrame, Refusal, type Side } from "./_inbound.ts";
import { Inbox, iteratorOf } from "./_inbox.ts";
import { type Link, platformLink, type WebSocketLike } from "./_link.ts";
import { Outbox } from "./_outbox.ts";
import { closeError, Closing } from "./_closing.ts";
import {
  closeArguments,
  CloseCode,
  configOf,
  directionError,
  type FrameSocketCloseInfo,
  type FrameSocketOptions,
  optionsObject,
  type ReceiveMessageOptions,
  type ReceiveOptions,
  type SendOptions,
  shortReason,
  signalOption,
  type SocketConfig,
} from "./_socket_config.ts";
import type {
  BodyOf,
  ClientMessageTypeOf,
  FrameOf,
  MessageOf,
  ServerMessageTypeOf,
} from "./_socket_types.ts";

/** A frame endpoint of a client: sends client frames, receives server frames. */
export type ClientFrameSocket<R extends RevisionName = "2026-04"> = FrameSocket<
  ClientMessageTypeOf<R>,
  ServerMessageTypeOf<R>,
  R
>;
/** A frame endpoint of a server: sends server frames, receives client frames. */
export type ServerFrameSocket<R extends RevisionName = "2026-04"> = FrameSocket<
  ServerMessageTypeOf<R>,
  ClientMessageTypeOf<R>,
  R
>;

let construct: (link: Link, side: Side, config: SocketConfig) => unknown;

/**
 * Makes a FrameSocket over a link (for the modules that open connections).
 *
 * @internal
 */
export function frameSocketOf<S>(
  link: Link,
  side: Side,
  config: SocketConfig,
): S {
  return construct(link, side, config) as S;
}

/**
 * One end of a sync session over a WebSocket: inbound frames as an async
 * iterator (or {@linkcode FrameSocket.receive}), outbound frames through
 * {@linkcode FrameSocket.send}.
 *
 * Make one with {@linkcode connectFrameSocket} or
 * {@linkcode serveFrameSockets} (both on `ws` on Deno and Node),
 * {@linkcode frameSocketHandler} / {@linkcode upgradeFrameSocket}
 * (`Deno.serve`), or {@linkcode FrameSocket.client} /
 * {@linkcode FrameSocket.server} over a platform `WebSocket`.
 *
 * Inbound frames' bodies are views of their message's own buffer (no copy;
 * nothing else uses that buffer). Breaking out of a `for await` loop does not
 * close the connection; call {@linkcode FrameSocket.close} (or use
 * `await using`). Every waiting call takes an `AbortSignal`; a cancelled
 * receive takes no frame.
 *
 * @typeParam Out The message types this side may send.
 * @typeParam In The message types this side may receive.
 * @typeParam R The wire revision (default `"2026-04"`).
 *
 * @example Type-checked sending
 * ```ts
 * import type { FrameSocket } from "@sync/frame/websocket";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 *
 * export function ack(socket: FrameSocket<SyncMessageType.DeltaAck, SyncMessageType>): Promise<void> {
 *   return socket.send(SyncFrame.newMsgpack(SyncMessageType.DeltaAck, [7, 0, null])!);
 * }
 * ```
 */
export class FrameSocket<
  Out extends number = SyncMessageType,
  In extends number = SyncMessageType,
  R extends RevisionName = "2026-04",
> implements AsyncIterable<FrameOf<R, In>>, AsyncDisposable {
  /** Which end of the session this is. */
  readonly side: "client" | "server";
  /** The wire revision. */
  readonly revision: R;
  /**
   * The underlying WebSocket: the `ws` package's (from
   * {@linkcode connectFrameSocket} on Deno and Node, and
   * {@linkcode serveFrameSockets}) or the platform's.
   */
  readonly webSocket: WebSocketLike;
  /**
   * Settles when the connection has ended; never rejects. After we send a
   * close frame it settles within `closeTimeout` (default 10 s) whatever the
   * peer does, while the iterator ends at once.
   */
  readonly closed: Promise<FrameSocketCloseInfo>;

  #link: Link;
  #config: SocketConfig;
  /** Inbound direction that only this side may send. */
  #ownDirection: "client_to_server" | "server_to_client";
  /** Inbound direction that only the peer's side may send. */
  #peerDirection: "client_to_server" | "server_to_client";

  /** No more inbound frames are accepted and no more can be sent. */
  #ended = false;
  #error: FrameError | undefined = undefined;
  #closing: Closing;
  #inbox: Inbox;
  #outbox: Outbox;

  static {
    construct = (link, side, config) => new FrameSocket(link, side, config);
  }

  private constructor(link: Link, side: Side, config: SocketConfig) {
    this.side = side;
    this.revision = config.codec.name as R;
    this.webSocket = link.webSocket;
    this.#link = link;
    this.#config = config;
    this.#ownDirection = side === "client"
      ? "client_to_server"
      : "server_to_client";
    this.#peerDirection = side === "client"
      ? "server_to_client"
      : "client_to_server";
    this.#closing = new Closing(
      link,
      config.closeTimeout,
      () => this.#error,
      () => this.#end(this.#error),
    );
    this.closed = this.#closing.closed;
    this.#inbox = new Inbox(
      config.codec.layout.headerSize,
      config.maxFrames,
      config.maxBytes,
    );
    this.#outbox = new Outbox(
      link,
      {
        ended: () => this.#ended ? this.#endError() : undefined,
        writeFailed: (error) => this.#end(error),
        overCap: (error) => this.#fail(error, CloseCode.PolicyViolation),
      },
      config.highWaterMark,
      config.hardCap,
    );
    link.listen({
      open: () => this.#outbox.pump(),
      message: (data, binary) => this.#onMessage(data, binary),
      failed: (error, sentCode) => this.#onFailed(error, sentCode),
      close: (code, reason, wasClean) => this.#onClose(code, reason, wasClean),
    });
  }

  /**
   * Wraps a client `WebSocket` (connecting or open). Prefer
   * {@linkcode connectFrameSocket}, which also waits for the connection and,
   * on Deno and Node, bounds messages while they arrive.
   *
   * @param webSocket The socket; the wrapper listens to its events.
   * @param options Limits and policies.
   * @returns The client endpoint.
   * @throws {FrameError} `"bad_value"` for an invalid option.
   */
  static client<R extends RevisionName = "2026-04">(
    webSocket: WebSocket,
    options?: FrameSocketOptions<R>,
  ): ClientFrameSocket<R> {
    return FrameSocket.#wrap(webSocket, "client", options);
  }

  /**
   * Wraps the server side of a platform WebSocket, e.g. the `socket` of
   * `Deno.upgradeWebSocket`. Frames sent before it opens wait for it.
   *
   * @param webSocket The socket; the wrapper listens to its events.
   * @param options Limits and policies.
   * @returns The server endpoint.
   * @throws {FrameError} `"bad_value"` for an invalid option.
   */
  static server<R extends RevisionName = "2026-04">(
    webSocket: WebSocket,
    options?: FrameSocketOptions<R>,
  ): ServerFrameSocket<R> {
    return FrameSocket.#wrap(webSocket, "server", options);
  }

  static #wrap<S>(
    webSocket: WebSocket,
    side: Side,
    options: FrameSocketOptions<RevisionName> | undefined,
  ): S {
    const config = configOf(options);
    return new FrameSocket(platformLink(webSocket), side, config) as S;
  }

  /**
   * Outbound bytes not yet handed to the network: the socket's
   * `bufferedAmount` plus frames waiting in `send`.
   *
   * @returns The number of bytes.
   */
  get bufferedAmount(): number {
    return this.#link.bufferedAmount + this.#outbox.bytes;
  }

  /**
   * Sends one frame as one binary message.
   *
   * Resolves at once while `bufferedAmount` is at most `sendHighWaterMark`;
   * otherwise the frame waits, in order, until the buffer drains.
   *
   * @param frame A frame of a type this side may send.
   * @param options A `signal` to cancel the frame while it waits.
   * @returns A promise that resolves when the frame is handed to the socket.
   * @throws {FrameError} (as a rejection) `"wrong_direction"` for a type this
   * side may not send (the connection stays up); `"backpressure"` when the
   * frame would take outbound bytes past `sendHardCap` (the connection is
   * failed with 1008); `"aborted"` when `signal` aborts first; `"closed"` or
   * the connection's failure once it ended, also for frames still waiting
   * when it ends; `"bad_value"`, `"unknown_type"` or `"too_large"` for
   * something that is not a valid frame.
   */
  send(frame: FrameOf<R, Out>, options?: SendOptions): Promise<void> {
    let bytes: Uint8Array;
    let signal: AbortSignal | undefined;
    const codec = this.#config.codec;
    try {
      signal = signalOption(optionsObject("options", options)?.signal);
      bytes = encodeFrame(codec, frame);
      const type = bytes[codec.layout.typeOffset];
      if (codec.directionOf(type) === this.#peerDirection) {
        throw directionError(codec, this.side, type);
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#outbox.send(bytes, signal, {
      msgType: bytes[codec.layout.typeOffset],
      length: bytes.length - codec.layout.headerSize,
    });
  }

  /**
   * Takes the next inbound frame, waiting for one if none is queued.
   *
   * @param options A `signal` to stop waiting; an aborted receive takes no
   * frame.
   * @returns The frame, or `undefined` once the connection closed normally
   * (by either side) and every queued frame was taken.
   * @throws {FrameError} (as a rejection) `"aborted"` when `signal` aborts
   * first; once the queued frames are taken after a failure, the peer's
   * violation (`"bad_message"`, `"truncated"`, `"too_short"`, `"too_large"`,
   * `"unknown_type"`, `"wrong_direction"`, `"bad_checksum"`),
   * `"backpressure"`, or `"closed"` for an abnormal close.
   */
  receive(options?: ReceiveOptions): Promise<FrameOf<R, In> | undefined> {
    return this.#take(options, (frame) => frame as FrameOf<R, In> | undefined);
  }

  /**
   * Iterates over inbound frames until the connection ends: normally (the
   * loop ends) or by a failure (the loop throws the {@linkcode FrameError}).
   *
   * @returns An async iterator of frames.
   */
  [Symbol.asyncIterator](): AsyncIterableIterator<FrameOf<R, In>> {
    return this.frames();
  }

  /**
   * Inbound frames as an async iterator, like iterating the socket itself,
   * with a `signal` that ends the wait for the next frame (`"aborted"`, no
   * frame taken).
   *
   * @param options A `signal` to cancel the iteration.
   * @returns An async iterator of frames.
   */
  frames(options?: ReceiveOptions): AsyncIterableIterator<FrameOf<R, In>> {
    // Written by hand rather than as an async generator: a generator costs
    // several extra microtask turns per frame, enough for the message
    // dispatch to outrun a consumer that does nothing, and fill the queue.
    // Leaving a loop early keeps the connection open (see the class doc).
    return iteratorOf(() =>
      this.#take(
        options,
        (frame): IteratorResult<FrameOf<R, In>, undefined> =>
          frame === undefined
            ? { done: true, value: undefined }
            : { done: false, value: frame as FrameOf<R, In> },
      )
    );
  }

  /** Takes a queued frame, or waits for one, as `wrap(frame)`. */
  #take<T>(
    options: ReceiveOptions | undefined,
    wrap: (frame: FrameLike | undefined) => T,
  ): Promise<T> {
    let signal: AbortSignal | undefined;
    try {
      signal = signalOption(optionsObject("options", options)?.signal);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#inbox.take(signal, wrap);
  }

  /**
   * Encodes a typed message and sends it as one frame: the typed form of
   * {@linkcode FrameSocket.send}, with the same backpressure.
   *
   * @typeParam T The message type; only types this side may send compile.
   * @param type The message type.
   * @param body Its typed body.
   * @param options A `signal` to cancel the frame while it waits.
   * @returns A promise that resolves when the frame is handed to the socket.
   * @throws {FrameError} (as a rejection) `"bad_value"` with the field `path`
   * when the body does not fit its type (nothing is sent), and everything
   * {@linkcode FrameSocket.send} rejects with.
   */
  sendMessage<T extends Out>(
    type: T,
    body: BodyOf<R, T>,
    options?: SendOptions,
  ): Promise<void> {
    let frame: FrameOf<R, Out>;
    try {
      const { codec } = this.#config;
      if (codec.directionOf(type) === this.#peerDirection) {
        throw directionError(codec, this.side, type);
      }
      frame = encodeMessageFrame(codec, type, body) as FrameOf<R, Out>;
    } catch (error) {
      return Promise.reject(error);
    }
    return this.send(frame, options);
  }

  /**
   * Takes the next inbound frame and reads its typed body: the typed form of
   * {@linkcode FrameSocket.receive}.
   *
   * A body that does not decode rejects this call with `"bad_body"` but
   * leaves the connection up (the Rust Origin also skips such frames), so
   * the next call reads the next frame.
   *
   * @param options `copy: true` to copy byte fields (by default they are
   * views of the frame's body); a `signal` to stop waiting.
   * @returns The typed message, or `undefined` once the connection closed
   * normally and every queued frame was taken.
   * @throws {FrameError} (as a rejection) `"bad_body"` with `msgType`, `path`
   * and `offset` for an undecodable body, and everything
   * {@linkcode FrameSocket.receive} rejects with.
   */
  async receiveMessage(
    options?: ReceiveMessageOptions,
  ): Promise<MessageOf<R, In> | undefined> {
    const frame = await this.receive(options);
    return frame === undefined
      ? undefined
      : frame.decodeMessage(options) as MessageOf<R, In>;
  }

  /**
   * Inbound typed messages as an async iterator; ends when the connection
   * closes normally and throws its failure otherwise. An undecodable body
   * throws `"bad_body"` from the loop (the connection stays up).
   *
   * @param options `copy: true` to copy byte fields; a `signal` to cancel
   * the iteration (no frame is taken by the cancelled step).
   * @returns An async iterator of typed messages.
   */
  messages(
    options?: ReceiveMessageOptions,
  ): AsyncIterableIterator<MessageOf<R, In>> {
    const frames = this.frames(options);
    return iteratorOf(async () => {
      const result = await frames.next();
      return result.done ? result : {
        done: false,
        value: result.value.decodeMessage(options) as MessageOf<R, In>,
      };
    });
  }

  /**
   * Closes the connection. Frames still waiting in `send` are dropped (their
   * promises reject with `"closed"`); frames already received stay readable.
   * Settles within `closeTimeout`: a peer that does not answer the close
   * frame has its TCP connection destroyed (on `ws`).
   *
   * @param code Close code: 1000 (default), 3000–4999, or (except a browser
   * client) 1001–1003 and 1007–1014.
   * @param reason Close reason, at most 123 UTF-8 bytes.
   * @returns {@linkcode FrameSocket.closed}.
   * @throws {FrameError} (as a rejection) `"bad_value"` for a code or reason
   * the WebSocket refuses; the connection stays as it was.
   */
  close(code = 1000, reason = ""): Promise<FrameSocketCloseInfo> {
    const invalid = closeArguments(code, reason);
    if (invalid !== undefined) return Promise.reject(invalid);
    if (!this.#ended) {
      try {
        this.#closing.send(code, reason);
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
    } else if (!this.#closing.started) {
      // Ended without a close frame of ours (a send failed): send one now.
      this.#closing.fail(code, reason);
    }
    return this.closed;
  }

  /**
   * Closes the connection normally and waits for it to end (at most
   * `closeTimeout`), for `await using`.
   *
   * @returns A promise that resolves when the connection has closed.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  #onMessage(data: unknown, binary: boolean): void {
    if (this.#ended) return;
    const config = this.#config;
    const frame = inboundFrame(
      config,
      this.side,
      this.#ownDirection,
      data,
      binary,
    );
    if (frame === null) return;
    if (frame instanceof Refusal) {
      this.#fail(frame.error, frame.closeCode);
      return;
    }
    if (!this.#inbox.push(frame)) {
      this.#fail(
        new FrameError(
          "backpressure",
          `receive queue full (${this.#inbox.length} frames, ${this.#inbox.bytes} bytes unread): the consumer fell behind`,
          { msgType: frame.msgType, length: frame.body.length },
        ),
        CloseCode.PolicyViolation,
      );
    }
  }

  /** The WebSocket layer refused the peer and closed with `sentCode`. */
  #onFailed(error: FrameError, sentCode: number | undefined): void {
    this.#end(error);
    if (sentCode !== undefined) this.#closing.sent(sentCode, "");
  }

  #onClose(code: number, reason: string, wasClean: boolean): void {
    if (!this.#closing.event()) return;
    if (!this.#ended) this.#end(closeError(code, reason));
    this.#closing.settle(code, reason, wasClean);
  }

  /** Fails the connection for `error` and closes it with `code`. */
  #fail(error: FrameError, code: number): void {
    if (this.#ended) return;
    this.#end(error);
    this.#closing.fail(code, shortReason(error.message));
  }

  /** Stops all traffic: rejects waiting sends, wakes waiting receivers. */
  #end(error: FrameError | undefined): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#error = error;
    this.#outbox.end(this.#endError());
    this.#inbox.end(error);
  }

  #endError(): FrameError {
    return this.#error ??
      new FrameError("closed", "the connection is closed");
  }
}
