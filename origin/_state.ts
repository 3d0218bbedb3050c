// What every session of one Origin shares: the validated options, the
// epoch tracker (2026-04) or producer registry (2026-07), the dedup and
// producer-gate state, the stored data and clock, and the counters.

import { FrameError } from "../codec/error.ts";
import { revisionCodec, type RevisionName } from "../generated/revisions.ts";
import type {
  AppliedDelta,
  DeltaOf,
  Identity,
  OriginFaults,
  OriginOptions,
  TokenValidator,
} from "./types.ts";

/** Validated options. */
export interface OriginConfig<R extends RevisionName> {
  readonly hostname: string;
  readonly port: number;
  readonly revision: R;
  readonly validator: TokenValidator;
  readonly trustIdentity: Identity | null;
  readonly dedup: "session" | "origin";
  readonly rate:
    | {
      perSecond: number;
      burst: number;
      reject: boolean;
      retryAfterMs: number;
    }
    | undefined;
  readonly idleTimeoutMs: number;
  readonly immediate: boolean;
  readonly ttlMs: number;
  readonly sweepMs: number;
  readonly maxSessions: number;
  readonly maxDeltaBytes: number;
  readonly apply: ((delta: DeltaOf<R>, session: string) => unknown) | undefined;
  readonly keepLog: boolean;
  readonly maxBodySize: number | undefined;
  readonly closeTimeout: number | undefined;
}

function bad(message: string): FrameError {
  return new FrameError("bad_value", message);
}

function num(name: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < min) {
    throw bad(`${name} must be a number ≥ ${min}, got ${String(value)}`);
  }
  return value;
}

const TRUST: Identity = { user: "sync-client", tenant: 0 };

/** Validates the options of serveOrigin. */
export function originConfig<R extends RevisionName>(
  options: OriginOptions<R> | undefined,
): OriginConfig<R> {
  if (
    options !== undefined && (typeof options !== "object" || options === null)
  ) {
    throw bad("serveOrigin options must be an object");
  }
  const o = options ?? {};
  const revision = revisionCodec(o.revision).name as R;
  const hostname = o.hostname ?? "127.0.0.1";
  if (typeof hostname !== "string" || hostname === "") {
    throw bad("hostname must be a non-empty string");
  }
  const dedup = o.dedup ?? (revision === "2026-07" ? "origin" : "session");
  if (dedup !== "session" && dedup !== "origin") {
    throw bad(`dedup must be "session" or "origin", got ${String(dedup)}`);
  }
  const rl = o.rateLimit;
  const rate = rl === false ? undefined : {
    perSecond: num("rateLimit.perSecond", rl?.perSecond, 100, 0),
    burst: num("rateLimit.burst", rl?.burst, 200, 1),
    reject: (rl?.mode ?? "drop") === "reject",
    retryAfterMs: num("rateLimit.retryAfterMs", rl?.retryAfterMs, 1000),
  };
  if (
    rl !== false && rl?.mode !== undefined && rl.mode !== "drop" &&
    rl.mode !== "reject"
  ) {
    throw bad(`rateLimit.mode must be "drop" or "reject"`);
  }
  const validator = o.tokenValidator ??
    (() => ({ ok: true as const, identity: TRUST }));
  if (typeof validator !== "function") {
    throw bad("tokenValidator must be a function");
  }
  if (o.apply !== undefined && typeof o.apply !== "function") {
    throw bad("apply must be a function");
  }
  const delivery = o.delivery ?? "after_inbound";
  if (delivery !== "after_inbound" && delivery !== "immediate") {
    throw bad(`delivery must be "after_inbound" or "immediate"`);
  }
  return {
    hostname,
    port: num("port", o.port, 0),
    revision,
    validator,
    trustIdentity: o.trustIdentity === undefined ? TRUST : o.trustIdentity,
    dedup,
    rate,
    idleTimeoutMs: num("idleTimeoutMs", o.idleTimeoutMs, 300_000, 1),
    immediate: delivery === "immediate",
    ttlMs: num("presence.ttlMs", o.presence?.ttlMs, 30_000, 1),
    sweepMs: num("presence.sweepMs", o.presence?.sweepMs, 5_000, 1),
    maxSessions: num("maxSessions", o.maxSessions, 1024, 1),
    maxDeltaBytes: num("maxDeltaBytes", o.maxDeltaBytes, 16 * 1024 * 1024, 1),
    apply: o.apply as OriginConfig<R>["apply"],
    keepLog: o.keepLog !== false,
    maxBodySize: o.maxBodySize,
    closeTimeout: o.closeTimeout,
  };
}

/** Mutable counters (read through `stats()`). */
export interface Counters {
  connections: number;
  handshakes: number;
  refused: number;
  forks: number;
  deltas: number;
  applied: number;
  duplicates: number;
  rejected: number;
  rateLimited: number;
  gaps: number;
  droppedConnections: number;
  pongs: number;
  malformed: number;
  tokenRefreshes: number;
}

/** One row of the 2026-07 producer registry. */
export interface ProducerRow {
  readonly producerId: bigint;
  epoch: bigint;
  readonly tenant: number;
  readonly user: string;
}

/** The producer gate of one stream `(producer, collection)`. */
export interface StreamGate {
  hwm: bigint;
}

/** State shared by the sessions of one Origin. */
export class OriginState<R extends RevisionName> {
  readonly config: OriginConfig<R>;
  faults: OriginFaults<R>;
  readonly counters: Counters = {
    connections: 0,
    handshakes: 0,
    refused: 0,
    forks: 0,
    deltas: 0,
    applied: 0,
    duplicates: 0,
    rejected: 0,
    rateLimited: 0,
    gaps: 0,
    droppedConnections: 0,
    pongs: 0,
    malformed: 0,
    tokenRefreshes: 0,
  };
  /** Fault counters. */
  readonly faultCounts: {
    drops: number;
    rejects: number;
    refusals: number;
    pongs: number;
  } = { drops: 0, rejects: 0, refusals: 0, pongs: 0 };
  /** 2026-04: the last epoch per liteId (in memory, as NodeDB). */
  readonly epochs: Map<string, bigint> = new Map<string, bigint>();
  /** 2026-07: the producer registry by liteId. */
  readonly producers: Map<string, ProducerRow> = new Map<string, ProducerRow>();
  /** 2026-07: the epoch floor per producer id. */
  readonly floors: Map<bigint, bigint> = new Map<bigint, bigint>();
  /** Dedup `"origin"`: highest mutation id per peer id (2026-04). */
  readonly highest: Map<bigint, bigint> = new Map<bigint, bigint>();
  /** Dedup `"origin"`: the gate per producer and collection (2026-07). */
  readonly gates: Map<bigint, Map<string, StreamGate>> = new Map<
    bigint,
    Map<string, StreamGate>
  >();
  /** 2026-07: which producer each peer id of a collection is bound to. */
  readonly peerBindings: Map<string, Map<bigint, bigint>> = new Map<
    string,
    Map<bigint, bigint>
  >();
  /** Stored data: collection → document → its deltas. */
  readonly data: Map<string, Map<string, Uint8Array[]>> = new Map<
    string,
    Map<string, Uint8Array[]>
  >();
  /** The vector clock: collection → max LSN. */
  readonly clock: Map<string, bigint> = new Map<string, bigint>();
  /** Applied deltas, in order (when `keepLog`). */
  readonly applied: AppliedDelta[] = [];
  #nextProducer = 1n;
  #lsn = 0n;
  #sessions = 0;
  /** Per-collection sequence of server-side writes. */
  readonly writeSeqs: Map<string, bigint> = new Map<string, bigint>();

  constructor(config: OriginConfig<R>, faults: OriginFaults<R> | undefined) {
    this.config = config;
    this.faults = faults ?? {};
  }

  /** A new session id, `sync-{addr}-{n}` as NodeDB names them. */
  sessionId(address: string): string {
    return `sync-${address}-${++this.#sessions}`;
  }

  /** A new producer id. */
  producerId(): bigint {
    return this.#nextProducer++;
  }

  /** The next LSN. */
  nextLsn(): bigint {
    return ++this.#lsn;
  }

  /** The WAL's next LSN − 1 (ShapeSnapshot's `snapshot_lsn`). */
  get lsn(): bigint {
    return this.#lsn;
  }

  /** Stores an applied delta (a copy of its bytes unless `copy` is false). */
  store(
    delta: { collection: string; documentId: string; delta: Uint8Array },
    lsn: bigint,
    copy = true,
  ): void {
    let docs = this.data.get(delta.collection);
    if (docs === undefined) this.data.set(delta.collection, docs = new Map());
    let list = docs.get(delta.documentId);
    if (list === undefined) docs.set(delta.documentId, list = []);
    // A received delta is a view of its own frame's buffer: no copy needed.
    list.push(copy ? delta.delta.slice() : delta.delta);
    const was = this.clock.get(delta.collection) ?? 0n;
    if (lsn > was) this.clock.set(delta.collection, lsn);
  }
}
