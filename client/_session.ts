// One connection of a SyncClient, from the Handshake to its end: the
// HandshakeAck, then the receive loop that routes every inbound message
// (acks to the delta pipeline, replies to their requests, the rest to the
// `push` event), and the keepalive (PingPong every pingInterval; no pong
// within pongTimeout = a dead peer: the connection is dropped).

import { FrameError } from "../codec/error.ts";
import { SyncError } from "./errors.ts";
import { KeyedWaiters, Waiters } from "./_requests.ts";
import type { Inbound, Wire } from "./_wire.ts";
import type { DropDetail } from "./types.ts";

/** Message codes the client handles (the same in both revisions). */
export const T = {
  Handshake: 0x01,
  HandshakeAck: 0x02,
  DeltaPush: 0x10,
  DeltaAck: 0x11,
  DeltaReject: 0x12,
  ShapeSubscribe: 0x20,
  ShapeSnapshot: 0x21,
  VectorClockSync: 0x30,
  TokenRefresh: 0x60,
  TokenRefreshAck: 0x61,
  PingPong: 0xff,
} as const;

/** A body as the session reads it (typed by the client). */
// deno-lint-ignore no-explicit-any
type Body = any;

/** What a session reports to its client. */
export interface SessionHost {
  /** A typed message went out or came in (the `frame` event). */
  frame(direction: "in" | "out", type: number, body: unknown): void;
  /** A message nobody asked for (the `push` event). */
  push(type: number, body: unknown): void;
  /** A frame the client does not act on (the `drop` event). */
  drop(detail: DropDetail): void;
  /** A DeltaAck. */
  ack(body: Body): void;
  /** A DeltaReject. */
  reject(body: Body): void;
  /** A ping round trip in ms. */
  rtt(ms: number): void;
}

/** Keepalive and handshake timing. */
export interface SessionTiming {
  readonly pingInterval: number;
  readonly pongTimeout: number;
  readonly handshakeTimeout: number;
}

/** One connection. */
export class Session {
  readonly wire: Wire;
  readonly clocks: Waiters<Body> = new Waiters();
  readonly snapshots: KeyedWaiters<Body> = new KeyedWaiters();
  readonly refreshes: Waiters<Body> = new Waiters();
  readonly #host: SessionHost;
  readonly #timing: SessionTiming;
  /** Outstanding pings: wire timestamp → [sent at (performance.now), resolvers]. */
  readonly #pings = new Map<
    bigint,
    {
      at: number;
      resolve: (ms: number) => void;
      reject: (e: FrameError) => void;
    }
  >();
  #lastPing = 0n;
  #pingTimer: ReturnType<typeof setInterval> | undefined;
  #pongTimer: ReturnType<typeof setTimeout> | undefined;
  #end: FrameError | undefined;
  #over = false;

  constructor(host: SessionHost, wire: Wire, timing: SessionTiming) {
    this.#host = host;
    this.wire = wire;
    this.#timing = timing;
  }

  /** Whether the connection has ended (or is ending). */
  get over(): boolean {
    return this.#over;
  }

  /**
   * Encodes, sends and reports a typed message.
   *
   * @throws {FrameError} `"bad_value"` for a body that does not fit its type.
   */
  send(type: number, body: unknown): void {
    this.wire.send(type, body);
    this.#host.frame("out", type, body);
  }

  /**
   * Sends the Handshake and waits for the HandshakeAck, which must be the
   * first message.
   *
   * @throws {SyncError} `"handshake_timeout"` or `"connection_lost"`.
   */
  async handshake(body: unknown): Promise<Body> {
    this.send(T.Handshake, body);
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(),
      this.#timing.handshakeTimeout,
    );
    let first: Inbound | undefined;
    try {
      first = await this.wire.receive(timeout.signal);
    } catch (error) {
      throw timeout.signal.aborted
        ? new SyncError(
          "handshake_timeout",
          `no HandshakeAck within ${this.#timing.handshakeTimeout} ms`,
        )
        : new SyncError(
          "connection_lost",
          `the connection failed during the handshake: ${
            (error as Error).message
          }`,
          { cause: error },
        );
    } finally {
      clearTimeout(timer);
    }
    if (first === undefined) {
      throw new SyncError(
        "connection_lost",
        "the connection closed during the handshake",
      );
    }
    if (first.kind === "drop") {
      this.#host.drop(first);
      throw new SyncError(
        "handshake_timeout",
        `the first message was not a HandshakeAck: ${first.error.message}`,
        { cause: first.error },
      );
    }
    this.#host.frame("in", first.type, first.body);
    if (first.type !== T.HandshakeAck) {
      throw new SyncError(
        "handshake_timeout",
        `the first message was not a HandshakeAck (type 0x${
          first.type.toString(16).padStart(2, "0")
        })`,
      );
    }
    return first.body;
  }

  /**
   * Runs the receive loop and the keepalive until the connection ends.
   *
   * @returns Why it ended: the error given to `kill`, the connection's
   * failure, or `undefined` for a normal close.
   */
  async serve(): Promise<FrameError | undefined> {
    if (this.#timing.pingInterval > 0) {
      this.#pingTimer = setInterval(
        () => this.ping().catch(() => {}),
        this.#timing.pingInterval,
      );
    }
    try {
      while (!this.#over) {
        const inbound = await this.wire.receive();
        if (inbound === undefined) break;
        if (inbound.kind === "drop") this.#host.drop(inbound);
        else this.#dispatch(inbound.type, inbound.body);
      }
    } catch (error) {
      this.#end ??= error instanceof FrameError
        ? error
        : new FrameError("closed", String(error), { cause: error });
    }
    this.#stop();
    return this.#end;
  }

  #dispatch(type: number, body: Body): void {
    const host = this.#host;
    host.frame("in", type, body);
    switch (type) {
      case T.DeltaAck:
        host.ack(body);
        return;
      case T.DeltaReject:
        host.reject(body);
        return;
      case T.PingPong:
        if (body.isPong) this.#pong(body.timestampMs);
        // Origin never pings; answer a peer that does.
        else {this.send(T.PingPong, {
            timestampMs: body.timestampMs,
            isPong: true,
          });}
        return;
      case T.VectorClockSync:
        if (!this.clocks.take(body)) host.push(type, body);
        return;
      case T.ShapeSnapshot:
        if (!this.snapshots.take(body.shapeId, body)) host.push(type, body);
        return;
      case T.TokenRefreshAck:
        if (!this.refreshes.take(body)) {
          host.drop({
            reason: "unexpected",
            msgType: type,
            error: new FrameError(
              "bad_message",
              "a TokenRefreshAck without a TokenRefresh",
              { msgType: type },
            ),
          });
        }
        return;
      case T.HandshakeAck:
        host.drop({
          reason: "unexpected",
          msgType: type,
          error: new FrameError(
            "bad_message",
            "a second HandshakeAck on one connection",
            { msgType: type },
          ),
        });
        return;
      default:
        host.push(type, body);
    }
  }

  /**
   * Sends a ping; resolves with the round trip in ms.
   *
   * @throws {FrameError} (as a rejection) `"closed"` when the connection
   * ends first.
   */
  ping(): Promise<number> {
    if (this.#over) {
      return Promise.reject(new FrameError("closed", "the connection ended"));
    }
    let ts = BigInt(Date.now());
    if (ts <= this.#lastPing) ts = this.#lastPing + 1n;
    this.#lastPing = ts;
    return new Promise<number>((resolve, reject) => {
      this.#pings.set(ts, { at: performance.now(), resolve, reject });
      this.send(T.PingPong, { timestampMs: ts, isPong: false });
      this.#pongTimer ??= setTimeout(
        () => this.#pongOverdue(),
        this.#timing.pongTimeout,
      );
    });
  }

  #pong(ts: bigint): void {
    const ping = this.#pings.get(ts);
    if (ping === undefined) return;
    this.#pings.delete(ts);
    const ms = performance.now() - ping.at;
    this.#host.rtt(ms);
    ping.resolve(ms);
    clearTimeout(this.#pongTimer);
    this.#pongTimer = undefined;
    const oldest = this.#pings.values().next().value;
    if (oldest !== undefined) {
      const left = this.#timing.pongTimeout - (performance.now() - oldest.at);
      this.#pongTimer = setTimeout(
        () => this.#pongOverdue(),
        Math.max(0, left),
      );
    }
  }

  #pongOverdue(): void {
    this.#pongTimer = undefined;
    this.kill(
      new SyncError(
        "pong_timeout",
        `no pong within ${this.#timing.pongTimeout} ms: the peer is dead`,
      ),
    );
  }

  /**
   * Ends the connection for `reason` (the loop returns it), closing with
   * `code` (4000 by default: the session failed).
   */
  kill(reason: FrameError, code = 4000): void {
    if (this.#over) return;
    this.#end ??= reason;
    this.#over = true;
    this.#stop();
    void this.wire.close(
      code,
      code === 1000 ? "" : reason.message.slice(0, 100),
    );
  }

  #stop(): void {
    this.#over = true;
    clearInterval(this.#pingTimer);
    clearTimeout(this.#pongTimer);
    this.#pingTimer = this.#pongTimer = undefined;
    const ended = new FrameError("closed", "the connection ended", {
      cause: this.#end,
    });
    for (const ping of this.#pings.values()) ping.reject(ended);
    this.#pings.clear();
    this.clocks.failAll(ended);
    this.snapshots.failAll(ended);
    this.refreshes.failAll(ended);
  }
}
