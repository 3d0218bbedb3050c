// One Origin session: reads frames in order and answers each as §9 of the
// revision's reference says Origin does. Frames are handled one at a time,
// so acks go out in the order their deltas came in.

import { FrameError } from "../codec/error.ts";
import { encodeMsgpack } from "../codec/_msgpack.ts";
import { revisionCodec, type RevisionName } from "../generated/revisions.ts";
import { encodeBody } from "../client/_wire.ts";
import {
  type DeltaResult,
  type DeltaSession,
  pushDelta,
  type TokenBucket,
} from "./_deltas.ts";
import { type Auth, handshake, noAuth, tokenRefresh } from "./_handshake.ts";
import type { Presence, PresenceMember } from "./_presence.ts";
import type { OriginState, StreamGate } from "./_state.ts";
import type { AppliedDelta, OriginSessionDetail } from "./types.ts";

/** Message codes the Origin handles (the same in both revisions). */
const T = {
  Handshake: 0x01,
  HandshakeAck: 0x02,
  DeltaPush: 0x10,
  DeltaAck: 0x11,
  DeltaReject: 0x12,
  CollectionPurged: 0x14,
  ShapeSubscribe: 0x20,
  ShapeSnapshot: 0x21,
  VectorClockSync: 0x30,
  TimeseriesPush: 0x40,
  ResyncRequest: 0x50,
  TokenRefresh: 0x60,
  TokenRefreshAck: 0x61,
  PresenceUpdate: 0x80,
  PresenceBroadcast: 0x81,
  PresenceLeave: 0x82,
  PingPong: 0xff,
} as const;

// deno-lint-ignore no-explicit-any
type Body = any;

/** What the Origin uses of a server FrameSocket (any revision). */
export interface ServerSocketLike {
  send(frame: { msgType: number; body: Uint8Array }): Promise<void>;
  receive(): Promise<{ msgType: number; body: Uint8Array } | undefined>;
  close(code?: number, reason?: string): Promise<unknown>;
}

/** What a session reports to its Origin. */
export interface SessionOwner<R extends RevisionName> {
  readonly state: OriginState<R>;
  readonly presence: Presence;
  message(sessionId: string, type: number, body: unknown): void;
  applied(delta: AppliedDelta): void;
  session(detail: OriginSessionDetail): void;
}

/** One connection to the Origin. */
export class OriginSession<R extends RevisionName>
  implements PresenceMember, DeltaSession {
  readonly id: string;
  readonly auth: Auth = noAuth();
  readonly highest: Map<bigint, bigint> = new Map<bigint, bigint>();
  readonly gates: Map<bigint, Map<string, StreamGate>> = new Map<
    bigint,
    Map<string, StreamGate>
  >();
  bucket: TokenBucket | undefined;
  readonly #socket: ServerSocketLike;
  readonly #owner: SessionOwner<R>;
  readonly #v07: boolean;
  readonly #shapes = new Map<string, Body>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #presenceOut: [number, Body][] = [];
  #dataOut: [number, Body][] = [];
  #lastActivity = Date.now();
  #frames = 0;
  #over = false;

  constructor(
    owner: SessionOwner<R>,
    socket: ServerSocketLike,
    address: string,
  ) {
    this.#owner = owner;
    this.#socket = socket;
    this.#v07 = owner.state.config.revision === "2026-07";
    this.id = owner.state.sessionId(address);
  }

  /** The user id for presence. */
  get user(): string {
    return this.auth.identity?.user ?? "sync-client";
  }

  /** Whether it may receive fan-out (authenticated). */
  get authenticated(): boolean {
    return this.auth.identity !== undefined;
  }

  #detail(
    event: OriginSessionDetail["event"],
    reason?: string,
  ): OriginSessionDetail {
    return {
      sessionId: this.id,
      event,
      liteId: this.auth.liteId || undefined,
      epoch: this.auth.epoch || undefined,
      reason,
    };
  }

  #send(type: number, body: Body): void {
    if (this.#over) return;
    const bytes = encodeBody(this.#owner.state.config.revision, type, body);
    this.#socket.send({ msgType: type, body: bytes }).catch(() => {});
  }

  /** Sends a DeltaAck / DeltaReject, late or twice when a fault says so. */
  #sendAck(type: number, body: Body): void {
    const faults = this.#owner.state.faults;
    const send = () => {
      this.#send(type, body);
      if (faults.duplicateAcks === true && type === T.DeltaAck) {
        this.#send(type, body);
      }
    };
    const delay = faults.delayAcksMs ?? 0;
    if (delay <= 0) return send();
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      send();
    }, delay);
    this.#timers.add(timer);
  }

  /** Queues a fan-out frame (sent after the next inbound message, or now). */
  deliver(type: number, body: Body): void {
    if (this.#owner.state.config.immediate) return this.#send(type, body);
    if (type === T.PresenceBroadcast || type === T.PresenceLeave) {
      this.#presenceOut.push([type, body]);
    } else this.#dataOut.push([type, body]);
  }

  #drain(): void {
    if (this.#presenceOut.length === 0 && this.#dataOut.length === 0) return;
    // Presence first, then the rest (control before data, as queued).
    const out = [...this.#presenceOut, ...this.#dataOut];
    this.#presenceOut = [];
    this.#dataOut = [];
    for (const [type, body] of out) this.#send(type, body);
  }

  /** Ends the session with a close frame. */
  close(code: number, reason: string): Promise<unknown> {
    this.#over = true;
    return this.#socket.close(code, reason).catch(() => {});
  }

  /** Reads and answers frames until the connection ends. */
  async run(): Promise<void> {
    const owner = this.#owner;
    const state = owner.state;
    const codec = revisionCodec(state.config.revision);
    owner.session(this.#detail("open"));
    let reason = "closed by the client";
    try {
      while (!this.#over) {
        const frame = await this.#socket.receive();
        if (frame === undefined) break;
        this.#frames++;
        if (this.#dropFault()) {
          reason = "dropped by fault injection";
          state.counters.droppedConnections++;
          await this.close(4001, "fault injection: connection dropped");
          break;
        }
        const now = Date.now();
        if (now - this.#lastActivity > state.config.idleTimeoutMs) {
          reason = "idle timeout";
          await this.close(1001, "idle timeout");
          break;
        }
        let message: { type: number; body: Body };
        try {
          message = codec.decodeMessageBody(frame.msgType, frame.body);
        } catch {
          state.counters.malformed++;
          if (this.#v07 && frame.msgType === T.Handshake) {
            Object.assign(this.auth, noAuth());
            this.#send(T.HandshakeAck, {
              success: false,
              sessionId: this.id,
              serverClock: new Map(),
              error: "malformed handshake",
              forkDetected: false,
              serverWireVersion: 1,
              producerId: 0n,
              acceptedEpoch: 0n,
              deltaSigningKey: new Uint8Array(32),
            });
          }
          continue;
        }
        owner.message(this.id, message.type, message.body);
        const handling = this.#handle(message.type, message.body, now);
        if (handling !== undefined) await handling;
        this.#drain();
      }
    } catch (error) {
      reason = error instanceof FrameError ? error.message : String(error);
    } finally {
      this.#over = true;
      for (const timer of this.#timers) clearTimeout(timer);
      this.#timers.clear();
      owner.presence.remove(this);
      owner.session(this.#detail("close", reason));
    }
  }

  #dropFault(): boolean {
    const state = this.#owner.state;
    const fault = state.faults.dropAfterFrames;
    if (fault === undefined) return false;
    const f = typeof fault === "number" ? { frames: fault } : fault;
    if (f.frames <= 0 || this.#frames < f.frames) return false;
    if (f.times !== undefined && state.faultCounts.drops >= f.times) {
      return false;
    }
    state.faultCounts.drops++;
    return true;
  }

  async #handshake(body: Body, now: number): Promise<void> {
    const owner = this.#owner;
    const counters = owner.state.counters;
    this.#lastActivity = now;
    const result = await handshake(owner.state, this.auth, this.id, body, now);
    this.#send(T.HandshakeAck, result.ack);
    if (result.event === "handshake") counters.handshakes++;
    else counters.refused++;
    if (result.event === "fork") counters.forks++;
    owner.session(this.#detail(result.event, result.ack.error ?? undefined));
  }

  /** A DeltaPush; a promise only when the `apply` hook returned one. */
  #delta(body: Body, now: number): Promise<void> | undefined {
    this.#lastActivity = now;
    this.#owner.state.counters.deltas++;
    const pending = pushDelta(this.#owner.state, this, body, now);
    if ("then" in pending) return pending.then((r) => this.#answered(r));
    this.#answered(pending);
    return undefined;
  }

  #answered(result: DeltaResult): void {
    const owner = this.#owner;
    const state = owner.state;
    const counters = state.counters;
    if (result.kind === "applied") counters.applied++;
    else if (result.kind === "duplicate") counters.duplicates++;
    else if (result.kind === "rate_limited") counters.rateLimited++;
    else if (result.kind === "gap") counters.gaps++;
    if (result.reply?.type === T.DeltaReject) counters.rejected++;
    if (result.reply !== undefined) {
      this.#sendAck(result.reply.type, result.reply.body);
    }
    if (result.applied !== undefined) {
      if (state.config.keepLog) state.applied.push(result.applied);
      owner.applied(result.applied);
    }
  }

  async #refresh(body: Body, now: number): Promise<void> {
    const state = this.#owner.state;
    this.#lastActivity = now;
    state.counters.tokenRefreshes++;
    const ack = await tokenRefresh(state, this.auth, body.newToken, now);
    this.#send(T.TokenRefreshAck, ack);
  }

  /** Answers one message; a promise only when the answer has to wait. */
  #handle(type: number, body: Body, now: number): Promise<void> | undefined {
    const owner = this.#owner;
    const state = owner.state;
    const counters = state.counters;
    switch (type) {
      case T.Handshake:
        return this.#handshake(body, now);
      case T.DeltaPush:
        return this.#delta(body, now);
      case T.PingPong: {
        if (body.isPong) return;
        this.#lastActivity = now;
        const stop = state.faults.stopPings;
        if (
          stop === true ||
          (typeof stop === "object" && state.faultCounts.pongs >= stop.after)
        ) return;
        state.faultCounts.pongs++;
        counters.pongs++;
        this.#send(T.PingPong, { timestampMs: body.timestampMs, isPong: true });
        return;
      }
      case T.VectorClockSync: {
        this.#lastActivity = now;
        for (const [collection, lsn] of body.clocks as Map<string, bigint>) {
          if (lsn > (state.clock.get(collection) ?? 0n)) {
            state.clock.set(collection, lsn);
          }
        }
        this.#send(T.VectorClockSync, {
          clocks: new Map(state.clock),
          senderId: 0n,
        });
        return;
      }
      case T.TokenRefresh:
        return this.#refresh(body, now);
      case T.ShapeSubscribe:
        // 2026-07 needs an authenticated session (no reply otherwise).
        if (this.#v07 && !this.authenticated) return;
        this.#shapes.set(body.shape.shapeId, body.shape);
        this.#snapshot(body.shape);
        return;
      case T.ResyncRequest: {
        // 2026-04 Origin only logs it; 2026-07 re-snapshots `shape_id`.
        if (!this.#v07 || !this.authenticated) return;
        const shape = this.#shapes.get(body.shapeId);
        if (shape !== undefined) this.#snapshot(shape);
        return;
      }
      case T.PresenceUpdate:
        if (this.authenticated) {
          owner.presence.update(this, body.channel, body.state, now);
        }
        return;
      case T.TimeseriesPush:
        this.#lastActivity = now;
        return;
      default:
        // ShapeUnsubscribe, Throttle, array frames, …: no reply.
        return;
    }
  }

  /**
   * A ShapeSnapshot, as Origin builds it: Document = the collection's
   * documents (here a MessagePack map `{document_id: [delta, …]}`, at most
   * 10 000) with `doc_count: 1`; Vector = the collection name's bytes with
   * `doc_count: 0`; Graph and Array = empty. An authenticated session joins
   * the presence channel `shape:{collection}`.
   */
  #snapshot(shape: Body): void {
    const state = this.#owner.state;
    const type = shape.shapeType;
    let data: Uint8Array = new Uint8Array();
    let docCount = 0n;
    if (type.kind === "Document") {
      const docs = state.data.get(type.collection) ?? new Map();
      const rows = new Map<string, Uint8Array[]>();
      for (const [id, deltas] of docs) {
        if (rows.size >= 10_000) break;
        rows.set(id, deltas);
      }
      data = encodeMsgpack(rows);
      docCount = 1n;
    } else if (type.kind === "Vector") {
      data = new TextEncoder().encode(type.collection);
    }
    this.#send(T.ShapeSnapshot, {
      shapeId: shape.shapeId,
      data,
      snapshotLsn: state.lsn,
      docCount,
    });
    if (
      this.authenticated && (type.kind === "Document" || type.kind === "Vector")
    ) {
      this.#owner.presence.join(this, `shape:${type.collection}`);
    }
  }
}
