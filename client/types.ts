/**
 * The public types of `@sync/frame/client`: options, outcomes, events,
 * metrics and stores, each typed per wire revision.
 *
 * @module
 */

import type * as r04 from "../generated/2026-04/mod.ts";
import type * as r07 from "../generated/2026-07/mod.ts";
import type { RevisionName } from "../generated/revisions.ts";
import type { FrameError } from "../codec/error.ts";
import type { QueuedDelta } from "./errors.ts";

/** A value, or a promise of it (stores and providers may be sync or async). */
export type Awaitable<T> = T | Promise<T>;

/** Type `A` for revision 2026-04, `B` for 2026-07. */
export type ByRevision<R extends RevisionName, A, B> = R extends "2026-07" ? B
  : A;

/**
 * Where a {@linkcode SyncClient} is:
 *
 * - `"idle"`: not connecting (new, or stopped after a rejected handshake or a
 *   fork; call `connect()` again);
 * - `"connecting"`: opening the WebSocket;
 * - `"handshaking"`: Handshake sent, waiting for the HandshakeAck;
 * - `"ready"`: the session is up; deltas flow;
 * - `"reconnecting"`: the connection was lost or could not be made; waiting
 *   out the backoff before the next attempt;
 * - `"closed"`: {@linkcode SyncClient.close} was called (final).
 */
export type ClientStatus =
  | "idle"
  | "connecting"
  | "handshaking"
  | "ready"
  | "reconnecting"
  | "closed";

/**
 * The DeltaPush of revision 2026-04 as `pushDelta` takes it: the body of
 * `DeltaPushMsg`, with the caller's `mutationId` (it must rise per `peerId`:
 * the Origin drops a `mutation_id` at or below the highest it saw as a
 * duplicate).
 */
export interface DeltaInput2026_04 {
  /** Target collection. */
  collection: string;
  /** Document id. */
  documentId: string;
  /** The CRDT delta bytes (not empty: the Origin rejects an empty delta). */
  delta: Uint8Array;
  /** The caller's mutation id: unique among queued deltas, rising per peer. */
  mutationId: bigint;
  /** The CRDT peer id; default: the client's `peerId` option. */
  peerId?: bigint;
  /** CRC-32C of `delta`; default: computed (0 = not checked). */
  checksum?: number;
  /** Device valid time (Unix ms); default `null` (the Origin's clock). */
  deviceValidTimeMs?: bigint | null;
}

/**
 * The DeltaPush of revision 2026-07 as `pushDelta` takes it: the body of
 * `DeltaPushMsg` without `producerId`, `epoch` and `seq`, which the client
 * fills from the HandshakeAck and its own per-stream counters.
 */
export interface DeltaInput2026_07 {
  /** Target collection (the stream of `seq`). */
  collection: string;
  /** Document id. */
  documentId: string;
  /** The CRDT delta bytes (not empty). */
  delta: Uint8Array;
  /** Echoed by the ack or reject; default: the client assigns a unique one. */
  mutationId?: bigint;
  /** The Loro peer id; default: the client's `peerId` option. */
  peerId?: bigint;
  /** CRC-32C of `delta`; default: computed (0 = not checked). */
  checksum?: number;
  /** Device valid time (Unix ms); default `null`. */
  deviceValidTimeMs?: bigint | null;
  /** Device id used in key derivation; default 0 (as Lite). */
  deviceId?: bigint;
  /** The 32-byte signature; default all zeros (unsigned, as Lite). */
  deltaSignature?: Uint8Array;
}

/** The delta `pushDelta` takes, per revision. */
export type DeltaInput<R extends RevisionName> = ByRevision<
  R,
  DeltaInput2026_04,
  DeltaInput2026_07
>;

/** A queued delta as the client keeps it: every optional field filled in. */
export type StoredDelta<R extends RevisionName> = ByRevision<
  R,
  Required<DeltaInput2026_04>,
  Required<DeltaInput2026_07>
>;

/** The typed DeltaAck body of revision `R`. */
export type DeltaAckOf<R extends RevisionName> = ByRevision<
  R,
  r04.DeltaAckMsg,
  r07.DeltaAckMsg
>;
/** The typed DeltaReject body of revision `R`. */
export type DeltaRejectOf<R extends RevisionName> = ByRevision<
  R,
  r04.DeltaRejectMsg,
  r07.DeltaRejectMsg
>;
/** The typed HandshakeAck body of revision `R`. */
export type HandshakeAckOf<R extends RevisionName> = ByRevision<
  R,
  r04.HandshakeAckMsg,
  r07.HandshakeAckMsg
>;
/** The typed messages of revision `R` (either side). */
export type MessageOf<R extends RevisionName> = ByRevision<
  R,
  r04.SyncMessage,
  r07.SyncMessage
>;
/** The typed messages a server sends in revision `R`. */
export type ServerMessageOf<R extends RevisionName> = ByRevision<
  R,
  r04.ServerMessage,
  r07.ServerMessage
>;
/** The typed messages a client sends in revision `R`. */
export type ClientMessageOf<R extends RevisionName> = ByRevision<
  R,
  r04.ClientMessage,
  r07.ClientMessage
>;

/**
 * How a pushed delta ended; `pushDelta` resolves with it exactly once.
 *
 * - `"applied"`: DeltaAck (2026-04: every ack, since `lsn` is always 0 and a
 *   duplicate `mutation_id` gets the same ack, a duplicate also reads as
 *   applied; 2026-07: status `Applied`).
 * - `"duplicate"`: 2026-07 status `Duplicate` (already applied, e.g. a
 *   re-send after a reconnect).
 * - `"accepted"`: 2026-07 status `Accepted`, only with
 *   `settleOnAccepted: true` (the delta stays queued until a final status).
 * - `"rejected"`: a DeltaReject (with its `CompensationHint` in
 *   `reject.compensation`), or 2026-07 status `Rejected{reason}` (in `ack`).
 */
export interface DeltaOutcome<R extends RevisionName = "2026-04"> {
  /** The outcome. */
  readonly status: "applied" | "duplicate" | "accepted" | "rejected";
  /** The delta's `mutation_id`. */
  readonly mutationId: bigint;
  /** The 2026-07 sequence number it was sent with. */
  readonly seq: bigint | undefined;
  /** The DeltaAck that settled it, if an ack did. */
  readonly ack: DeltaAckOf<R> | undefined;
  /** The DeltaReject that settled it, if a reject did. */
  readonly reject: DeltaRejectOf<R> | undefined;
}

/** Why an inbound frame was dropped (see the `drop` event). */
export type DropReason =
  | "bad_body"
  | "bad_checksum"
  | "unknown_type"
  | "wrong_direction"
  | "unexpected";

/** Detail of the `status` event. */
export interface StatusDetail {
  /** The new status. */
  readonly status: ClientStatus;
  /** The status before. */
  readonly previous: ClientStatus;
  /** Why, for people (e.g. `"pong_timeout"`, `"token_refresh_failed: …"`). */
  readonly reason: string;
  /** The error behind it, if any. */
  readonly error: FrameError | undefined;
  /** On `"closed"`: the deltas still queued. */
  readonly queued: readonly QueuedDelta[] | undefined;
}

/** Detail of the `frame` event: one typed message in or out. */
export interface FrameDetail<R extends RevisionName = "2026-04"> {
  /** `"in"` from the Origin, `"out"` to it. */
  readonly direction: "in" | "out";
  /** The typed message. */
  readonly message: MessageOf<R>;
}

/** Detail of the `drop` event: a frame the client did not act on. */
export interface DropDetail {
  /** Why. */
  readonly reason: DropReason;
  /** The frame's type byte, when known. */
  readonly msgType: number | undefined;
  /** What was wrong. */
  readonly error: FrameError;
}

/** Detail of the `fork` event. */
export interface ForkDetail<R extends RevisionName = "2026-04"> {
  /** The identity the Origin refused. */
  readonly liteId: string;
  /** The epoch sent. */
  readonly epoch: bigint;
  /** The HandshakeAck. */
  readonly ack: HandshakeAckOf<R>;
}

/** The events of a {@linkcode SyncClient}, all `CustomEvent`s. */
export interface SyncClientEventMap<R extends RevisionName = "2026-04"> {
  /** The status changed (or a failed token refresh, with the same status). */
  status: CustomEvent<StatusDetail>;
  /** A typed message went out or came in. */
  frame: CustomEvent<FrameDetail<R>>;
  /** A message the server sent on its own (fan-out, presence, …), typed. */
  push: CustomEvent<ServerMessageOf<R>>;
  /** An inbound frame dropped: undecodable, or not expected. */
  drop: CustomEvent<DropDetail>;
  /** Something failed (the client carries on unless the status says so). */
  error: CustomEvent<FrameError>;
  /** The Origin detected a fork of this `liteId`; the client stopped. */
  fork: CustomEvent<ForkDetail<R>>;
}

/** A snapshot of a client's counters (`metrics()`). */
export interface SyncClientMetrics {
  /** The status. */
  readonly status: ClientStatus;
  /** Deltas queued and not settled (in flight included). */
  readonly pending: number;
  /** Their delta bytes. */
  readonly pendingBytes: number;
  /** Deltas sent on this connection and not yet answered. */
  readonly inFlight: number;
  /** DeltaPush frames sent (re-sends included). */
  readonly pushed: number;
  /** DeltaPush frames that were re-sends (after a reconnect, gap or timeout). */
  readonly resent: number;
  /** Deltas settled by a DeltaAck (applied, duplicate, accepted). */
  readonly acked: number;
  /** Deltas settled as rejected. */
  readonly rejected: number;
  /** Times pushing paused for `RateLimited` / `Retry`. */
  readonly slowedDown: number;
  /** Successful handshakes after the first. */
  readonly reconnects: number;
  /** Smoothed ping round trip (EWMA, α = 1/8), or `undefined` before a pong. */
  readonly rttMs: number | undefined;
  /** The last ping round trip. */
  readonly lastRttMs: number | undefined;
  /** Dropped inbound frames by reason. */
  readonly dropped: Readonly<Record<DropReason, number>>;
  /** Frames received. */
  readonly framesIn: number;
  /** Frames sent. */
  readonly framesOut: number;
  /** The epoch of the last Handshake. */
  readonly epoch: bigint | undefined;
  /** 2026-07: the producer id of the session. */
  readonly producerId: bigint | undefined;
  /** The session id of the last successful handshake. */
  readonly sessionId: string | undefined;
  /** Successful token refreshes. */
  readonly tokenRefreshes: number;
  /** Failed token refreshes. */
  readonly tokenRefreshFailures: number;
  /** Whether pushing is halted by a 2026-07 `Fenced` ack. */
  readonly fenced: boolean;
}

/** Keeps the last epoch per `liteId`, so each connection sends a larger one. */
export interface EpochStore {
  /** The last epoch saved for `liteId`, or `undefined`. */
  load(liteId: string): Awaitable<bigint | undefined>;
  /** Saves the epoch about to be sent (before it is sent). */
  save(liteId: string, epoch: bigint): Awaitable<void>;
}

/** One queued delta as an {@linkcode OutboxStore} keeps it. */
export interface OutboxRecord<R extends RevisionName = "2026-04"> {
  /** Rising in push order; resends go in this order. */
  readonly id: number;
  /** The delta, every field filled in. */
  readonly delta: StoredDelta<R>;
  /** 2026-07: the producer its `seq` belongs to, once sent. */
  readonly producerId: bigint | undefined;
  /** 2026-07: its sequence number, once sent (reused for every re-send). */
  readonly seq: bigint | undefined;
}

/** What an {@linkcode OutboxStore} holds at start-up. */
export interface OutboxSnapshot<R extends RevisionName = "2026-04"> {
  /** The queued deltas (any order; the client sorts by id). */
  readonly records: readonly OutboxRecord<R>[];
  /** 2026-07: the last `seq` given per stream key (`producerId:collection`). */
  readonly seqs: ReadonlyMap<string, bigint>;
}

/**
 * Durable storage for unacknowledged deltas (default in memory). Methods may
 * be sync or async; the client awaits a returned promise before it sends.
 * In 2026-07 a store must also keep the `seq` counters: a counter that
 * restarts at 1 makes new deltas read as duplicates of old ones.
 */
export interface OutboxStore<R extends RevisionName = "2026-04"> {
  /** Everything stored, read once when the client starts. */
  load(): Awaitable<OutboxSnapshot<R> | undefined>;
  /** Inserts or replaces a record (by id). */
  put(record: OutboxRecord<R>): Awaitable<void>;
  /** Removes a settled record. */
  delete(id: number): Awaitable<void>;
  /** Saves the last `seq` given in a stream. */
  saveSeq(stream: string, seq: bigint): Awaitable<void>;
}

/** Where the token comes from: a fixed string, or a provider called for each use. */
export type TokenSource =
  | string
  | ((use: "handshake" | "refresh") => Awaitable<string>);

/** The WebSocket layer's limits and policies the client passes on. */
export interface ClientTransportOptions {
  /** Largest inbound body (default 16 MiB). */
  maxBodySize?: number;
  /** Milliseconds to wait for the peer's close frame (transport default). */
  closeTimeout?: number;
  /** `send` waits above this many buffered bytes (default 1 MiB). */
  sendHighWaterMark?: number;
  /** The connection fails past this many outbound bytes (default 16 MiB). */
  sendHardCap?: number;
  /** Most unread inbound frames (default 1024). */
  maxQueuedFrames?: number;
  /** Most unread inbound bytes (default 16 MiB). */
  maxQueuedBytes?: number;
  /** WebSocket subprotocols to offer. */
  protocols?: string | string[];
  /** Milliseconds a connection attempt may take (transport default 30 000). */
  connectTimeout?: number;
}

/** Options of {@linkcode SyncClient}. */
export interface SyncClientOptions<R extends RevisionName = "2026-04"> {
  /** The Origin's `ws:` / `wss:` URL. */
  url: string | URL;
  /** The wire revision: `"2026-04"` (default) or `"2026-07"`. */
  revision?: R;
  /** This Lite's identity (default: a new UUID v7). */
  liteId?: string;
  /** The Handshake's `client_version` (default `"@sync/frame"`). */
  clientVersion?: string;
  /**
   * The JWT, or a provider called for each handshake and refresh (default
   * `""`: trust mode). Only a provider is refreshed on its own, at
   * `tokenRefreshRatio` of the lifetime its JWT `exp` or the last
   * TokenRefreshAck's `expires_in_secs` gives.
   */
  token?: TokenSource;
  /** The Handshake's vector clock (default empty). */
  vectorClock?: () => Awaitable<Map<string, Map<string, bigint>>>;
  /** The Handshake's subscribed shape ids (default none). */
  subscribedShapes?: readonly string[] | (() => Awaitable<readonly string[]>);
  /** Last epoch per liteId (default in memory, starting at 1). */
  epochStore?: EpochStore;
  /** The outbox (default in memory). */
  outbox?: OutboxStore<R>;
  /** Default `peerId` of deltas (default: random 48-bit). */
  peerId?: bigint;
  /** Ms between pings (default 30 000; 0 = no pings). */
  pingInterval?: number;
  /** Ms to wait for a pong before reconnecting (default 10 000). */
  pongTimeout?: number;
  /** Ms to wait for the HandshakeAck (default 10 000, as Lite). */
  handshakeTimeout?: number;
  /** Ms a sent delta may wait for its answer before it is re-sent (default 30 000). */
  ackTimeout?: number;
  /** Reconnect backoff: full jitter between `minMs` and `maxMs` (1 000 / 60 000). */
  backoff?: { minMs?: number; maxMs?: number; random?: () => number };
  /** Most deltas sent and not answered (default 64). */
  maxInFlight?: number;
  /** 2026-07: resolve `pushDelta` with `"accepted"` at an `Accepted` ack (default false). */
  settleOnAccepted?: boolean;
  /** Refresh the token after this share of its lifetime (default 0.8). */
  tokenRefreshRatio?: number;
  /** Limits and policies of the WebSocket layer. */
  transport?: ClientTransportOptions;
}

/** What {@linkcode SyncClient.close} reports. */
export interface CloseReport {
  /** Deltas still queued (their `pushDelta` promises rejected). */
  readonly queued: readonly QueuedDelta[];
}

/** Options of the calls that wait. */
export interface SignalOptions {
  /** Cancels the wait (rejects with `FrameError` `"aborted"`). */
  signal?: AbortSignal;
}
