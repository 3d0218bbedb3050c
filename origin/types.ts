/**
 * The public types of `@sync/frame/origin`: options, faults, the token
 * validator, events and statistics.
 *
 * @module
 */

import type * as r04 from "../generated/2026-04/mod.ts";
import type * as r07 from "../generated/2026-07/mod.ts";
import type { RevisionName } from "../generated/revisions.ts";

/** A value, or a promise of it. */
export type Awaitable<T> = T | Promise<T>;

/** Who a session is, once its token is accepted. */
export interface Identity {
  /** The user name (trust mode: `"sync-client"`). */
  readonly user: string;
  /** The tenant (trust mode: 0). */
  readonly tenant: number;
  /** The default database (2026-07; default 0). */
  readonly database?: number;
}

/** What a {@linkcode TokenValidator} decides. */
export type TokenVerdict =
  | {
    readonly ok: true;
    /** Who the token names. */
    readonly identity: Identity;
    /** Seconds the token stays valid (default 3600, as Origin says). */
    readonly expiresInSecs?: number;
  }
  | {
    readonly ok: false;
    /** The error text sent in the HandshakeAck / TokenRefreshAck. */
    readonly error: string;
  };

/**
 * Checks a non-empty token (an empty one is trust mode). A thrown error is
 * a refusal with its message.
 */
export type TokenValidator = (
  token: string,
  use: "handshake" | "refresh",
) => Awaitable<TokenVerdict>;

/** The CompensationHint of a revision. */
export type HintOf<R extends RevisionName> = R extends "2026-07"
  ? r07.CompensationHint
  : r04.CompensationHint;

/**
 * Failures to inject, for tests. Counters are per Origin unless noted;
 * {@linkcode OriginServer.faults} can be replaced while it runs.
 */
export interface OriginFaults<R extends RevisionName = "2026-04"> {
  /**
   * Drop a connection when its `frames`-th inbound frame arrives (that frame
   * is not processed), at most `times` connections in all (default no
   * limit). A number is `{ frames: n }`.
   */
  dropAfterFrames?: number | {
    readonly frames: number;
    readonly times?: number;
  };
  /** Send every DeltaAck / DeltaReject this many ms late (order kept). */
  delayAcksMs?: number;
  /** Send every DeltaAck twice. */
  duplicateAcks?: boolean;
  /**
   * Reject deltas with this hint instead of applying them: every delta, or
   * those `match` picks, at most `count` of them (default no limit).
   */
  reject?: {
    readonly hint: HintOf<R> | null;
    readonly reason?: string;
    readonly count?: number;
    readonly match?: (delta: DeltaOf<R>) => boolean;
  };
  /**
   * Answer handshakes with `success: false` (and `error`, default
   * `"refused by fault injection"`): `count` of them (default all), with
   * `forkDetected` set if asked.
   */
  refuseHandshakes?: number | {
    readonly count?: number;
    readonly error?: string;
    readonly forkDetected?: boolean;
  };
  /** Stop answering pings (after `after` pongs in all; `true` = at once). */
  stopPings?: boolean | { readonly after: number };
}

/** The DeltaPush body of a revision. */
export type DeltaOf<R extends RevisionName> = R extends "2026-07"
  ? r07.DeltaPushMsg
  : r04.DeltaPushMsg;

/** Any typed message of a revision. */
export type OriginMessageOf<R extends RevisionName> = R extends "2026-07"
  ? r07.SyncMessage
  : r04.SyncMessage;

/** Options of {@linkcode serveOrigin}. */
export interface OriginOptions<R extends RevisionName = "2026-04"> {
  /** The address (default `"127.0.0.1"`). */
  hostname?: string;
  /** The port (default 0: any free one). */
  port?: number;
  /** The wire revision: `"2026-04"` (default) or `"2026-07"`. */
  revision?: R;
  /** Checks non-empty tokens (default: every token is user `"sync-client"`, tenant 0). */
  tokenValidator?: TokenValidator;
  /**
   * Trust mode (empty token): the identity it gets, or `null` to refuse
   * (2026-07: "configured trust identity is unavailable"). Default
   * `{ user: "sync-client", tenant: 0 }`.
   */
  trustIdentity?: Identity | null;
  /**
   * Dedup scope. `"session"` (2026-04 default, as NodeDB): the highest
   * `mutation_id` per `peer_id` is kept per session, so a re-send on a new
   * session is applied again; `"origin"` (2026-07 default: the durable
   * producer gate): kept across sessions.
   */
  dedup?: "session" | "origin";
  /**
   * The rate limit per session (token bucket): default 100/s, burst 200,
   * `mode: "drop"` (silently, as NodeDB); `"reject"` answers a DeltaReject
   * with `RateLimited{retry_after_ms}`; `false` turns it off.
   */
  rateLimit?: false | {
    readonly perSecond?: number;
    readonly burst?: number;
    readonly mode?: "drop" | "reject";
    readonly retryAfterMs?: number;
  };
  /** Ms without activity after which the next inbound message drops the session (default 300 000). */
  idleTimeoutMs?: number;
  /**
   * When queued outbound frames (presence, `write()` fan-out) go out:
   * `"after_inbound"` (default, as NodeDB: after the session's next inbound
   * message) or `"immediate"`.
   */
  delivery?: "after_inbound" | "immediate";
  /** Presence TTL and sweep interval in ms (default 30 000 / 5 000). */
  presence?: { readonly ttlMs?: number; readonly sweepMs?: number };
  /** Most sessions at once (default 1024); more are closed at once with 1013. */
  maxSessions?: number;
  /** 2026-07: the largest delta (default 16 MiB). */
  maxDeltaBytes?: number;
  /** Applies a delta; throw to reject it (see the module docs for the hint). */
  apply?: (delta: DeltaOf<R>, session: string) => Awaitable<void>;
  /** Keep every applied delta in `applied` (default true). */
  keepLog?: boolean;
  /** Failures to inject. */
  faults?: OriginFaults<R>;
  /** Largest inbound body (default 16 MiB). */
  maxBodySize?: number;
  /** Ms to wait for a peer's close frame (transport default 10 000). */
  closeTimeout?: number;
}

/** One applied delta, as {@linkcode OriginServer.applied} lists it. */
export interface AppliedDelta {
  /** The session that pushed it. */
  readonly sessionId: string;
  /** Its collection. */
  readonly collection: string;
  /** Its document. */
  readonly documentId: string;
  /** Its peer id. */
  readonly peerId: bigint;
  /** Its mutation id. */
  readonly mutationId: bigint;
  /** 2026-07: the session's producer id. */
  readonly producerId: bigint | undefined;
  /** 2026-07: the session's epoch. */
  readonly epoch: bigint | undefined;
  /** 2026-07: its seq. */
  readonly seq: bigint | undefined;
  /** The Origin's LSN for it. */
  readonly lsn: bigint;
}

/** Detail of the `message` event. */
export interface OriginMessageDetail<R extends RevisionName = "2026-04"> {
  /** The session. */
  readonly sessionId: string;
  /** The typed message received. */
  readonly message: OriginMessageOf<R>;
}

/** Detail of the `session` event. */
export interface OriginSessionDetail {
  /** The session. */
  readonly sessionId: string;
  /** What happened. */
  readonly event: "open" | "handshake" | "refused" | "fork" | "close";
  /** The liteId of its handshake, if any. */
  readonly liteId: string | undefined;
  /** The epoch of its handshake, if any. */
  readonly epoch: bigint | undefined;
  /** Why (refusal text, close reason). */
  readonly reason: string | undefined;
}

/** The events of an {@linkcode OriginServer}, all `CustomEvent`s. */
export interface OriginEventMap<R extends RevisionName = "2026-04"> {
  /** A typed message was received. */
  message: CustomEvent<OriginMessageDetail<R>>;
  /** A delta was applied (first time only). */
  delta: CustomEvent<AppliedDelta>;
  /** A session opened, handshook, was refused, forked or closed. */
  session: CustomEvent<OriginSessionDetail>;
}

/** Counters of an Origin. */
export interface OriginStats {
  /** Sessions open now. */
  readonly sessions: number;
  /** Connections accepted in all. */
  readonly connections: number;
  /** Successful handshakes. */
  readonly handshakes: number;
  /** Refused handshakes (forks included). */
  readonly refused: number;
  /** Forks detected. */
  readonly forks: number;
  /** DeltaPush frames received. */
  readonly deltas: number;
  /** Deltas applied (first time). */
  readonly applied: number;
  /** Deltas answered as duplicates. */
  readonly duplicates: number;
  /** DeltaRejects sent. */
  readonly rejected: number;
  /** Deltas dropped by the rate limit. */
  readonly rateLimited: number;
  /** Other DeltaAck statuses (2026-07 Gap, Fenced). */
  readonly gaps: number;
  /** Connections dropped by faults. */
  readonly droppedConnections: number;
  /** Pings answered. */
  readonly pongs: number;
  /** Undecodable frames skipped. */
  readonly malformed: number;
  /** TokenRefreshes answered. */
  readonly tokenRefreshes: number;
}

/** A server-side write, fanned out by {@linkcode OriginServer.write}. */
export interface OriginWrite {
  /** The collection. */
  readonly collection: string;
  /** The document. */
  readonly documentId: string;
  /** The row / delta bytes (empty = delete). */
  readonly payload: Uint8Array;
}
