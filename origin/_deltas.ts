// A DeltaPush through the checks of §9 of each revision, in the documented
// order, to one final DeltaAck or DeltaReject (or, when rate limited in
// "drop" mode, nothing).
//
// 2026-04: auth → empty delta → CRC-32C → dedup (mutation_id ≤ highest seen
// for the peer: DeltaAck, not applied) → rate limit → apply → DeltaAck.
// 2026-07: auth → empty / oversize → CRC-32C → peer-id binding → rate limit
// → producer gate (Fenced, Duplicate, Gap) → apply → DeltaAck Applied.
//
// Chosen where the references say nothing: a refused delta that reached the
// apply step (an `apply` failure, a `reject` fault) counts as seen — its
// mutation_id (2026-04) or seq (2026-07) is consumed so later ones are not
// held back — except a RateLimited / Retry refusal, which the client
// re-sends as it is.

import { crc32c } from "../codec/crc32c.ts";
import type { RevisionName } from "../generated/revisions.ts";
import type { Auth } from "./_handshake.ts";
import type { OriginState, StreamGate } from "./_state.ts";
import type { AppliedDelta } from "./types.ts";

const DELTA_ACK = 0x11;
const DELTA_REJECT = 0x12;
const DAY_MS = 86_400_000n;

// deno-lint-ignore no-explicit-any
type Body = any;

/** A token bucket: `perSecond` refill, `burst` capacity. */
export class TokenBucket {
  #tokens: number;
  #at: number;
  constructor(readonly perSecond: number, readonly burst: number, now: number) {
    this.#tokens = burst;
    this.#at = now;
  }
  take(now: number): boolean {
    this.#tokens = Math.min(
      this.burst,
      this.#tokens + ((now - this.#at) / 1000) * this.perSecond,
    );
    this.#at = now;
    if (this.#tokens < 1) return false;
    this.#tokens--;
    return true;
  }
}

/** What a session keeps for its deltas. */
export interface DeltaSession {
  readonly id: string;
  readonly auth: Auth;
  /** Dedup `"session"` (2026-04): highest mutation id per peer id. */
  readonly highest: Map<bigint, bigint>;
  /** Dedup `"session"` (2026-07): the gate per producer and collection. */
  readonly gates: Map<bigint, Map<string, StreamGate>>;
  bucket: TokenBucket | undefined;
}

/** The answer to one DeltaPush. */
export interface DeltaResult {
  /** The frame to send, or `undefined` (silently dropped). */
  readonly reply: { readonly type: number; readonly body: Body } | undefined;
  /** The delta, when it was applied. */
  readonly applied: AppliedDelta | undefined;
  /** How it was counted. */
  readonly kind: "applied" | "duplicate" | "rejected" | "rate_limited" | "gap";
}

function hex32(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, "0")}`;
}

function reject(
  mutationId: bigint,
  reason: string,
  compensation: Body,
): DeltaResult {
  return {
    reply: { type: DELTA_REJECT, body: { mutationId, reason, compensation } },
    applied: undefined,
    kind: "rejected",
  };
}

/** The hint and reason of an `apply` failure (see the module docs). */
function applyFailure(
  v07: boolean,
  error: unknown,
  documentId: string,
): { reason: string; hint: Body } {
  const text = error instanceof Error ? error.message : String(error);
  const given = (error as { hint?: unknown } | null)?.hint;
  if (given !== undefined) return { reason: text, hint: given };
  if (v07) {
    return {
      reason: text,
      hint: { kind: "Custom", constraint: "apply_failed", detail: text },
    };
  }
  if (/unique/i.test(text)) {
    return {
      reason: text,
      hint: {
        kind: "UniqueViolation",
        field: "unknown",
        conflictingValue: documentId,
      },
    };
  }
  if (/foreign|FK/.test(text)) {
    return {
      reason: text,
      hint: { kind: "ForeignKeyMissing", referencedId: documentId },
    };
  }
  return {
    reason: text,
    hint: { kind: "Custom", constraint: "constraint", detail: text },
  };
}

function retryable(hint: Body): boolean {
  return hint !== null &&
    (hint.kind === "RateLimited" || hint.kind === "Retry");
}

/** Runs one DeltaPush through the checks. */
export function pushDelta<R extends RevisionName>(
  state: OriginState<R>,
  session: DeltaSession,
  d: Body,
  now: number,
): DeltaResult | Promise<DeltaResult> {
  const config = state.config;
  const v07 = config.revision === "2026-07";
  const auth = session.auth;
  const mutationId: bigint = d.mutationId;
  // 1. Authentication (and, our choice, an expired token).
  if (
    auth.identity === undefined ||
    (auth.expiresAt !== undefined && now >= auth.expiresAt)
  ) {
    return reject(
      mutationId,
      v07 ? "permission denied" : "not authenticated",
      { kind: "PermissionDenied" },
    );
  }
  // 2. Empty (and, 2026-07, oversize) delta.
  if (d.delta.length === 0) return reject(mutationId, "empty delta", null);
  if (v07 && d.delta.length > config.maxDeltaBytes) {
    return reject(mutationId, "CRDT delta exceeds maximum size", {
      kind: "IntegrityViolation",
    });
  }
  // 3. CRC-32C of the delta (0 = not checked).
  if (d.checksum !== 0) {
    const computed = crc32c(d.delta);
    if (computed !== d.checksum) {
      return reject(
        mutationId,
        `CRC32C mismatch: expected ${hex32(d.checksum)}, computed ${
          hex32(computed)
        }`,
        { kind: "IntegrityViolation" },
      );
    }
  }
  const rateLimited = (): DeltaResult => {
    const rate = config.rate!;
    if (!rate.reject) {
      return { reply: undefined, applied: undefined, kind: "rate_limited" };
    }
    return {
      ...reject(mutationId, "rate limited", {
        kind: "RateLimited",
        retryAfterMs: BigInt(rate.retryAfterMs),
      }),
      kind: "rate_limited",
    };
  };
  const limited = () => {
    if (config.rate === undefined) return false;
    session.bucket ??= new TokenBucket(
      config.rate.perSecond,
      config.rate.burst,
      now,
    );
    return !session.bucket.take(now);
  };
  const skewMs: bigint | null = d.deviceValidTimeMs === null ? null : (() => {
    const skew = BigInt(now) - d.deviceValidTimeMs;
    return skew > DAY_MS || skew < -DAY_MS ? skew : null;
  })();
  let gate: StreamGate | undefined;
  if (!v07) {
    // 4. Dedup by mutation_id per peer_id.
    const highest = config.dedup === "origin" ? state.highest : session.highest;
    const seen = highest.get(d.peerId);
    if (seen !== undefined && mutationId <= seen) {
      return {
        reply: {
          type: DELTA_ACK,
          body: { mutationId, lsn: 0n, clockSkewWarningMs: null },
        },
        applied: undefined,
        kind: "duplicate",
      };
    }
    // 5. Rate limit.
    if (limited()) return rateLimited();
    highest.set(d.peerId, mutationId);
  } else {
    // Peer-id binding: a Loro peer id belongs to the first producer using it.
    let bindings = state.peerBindings.get(d.collection);
    if (bindings === undefined) {
      state.peerBindings.set(d.collection, bindings = new Map());
    }
    const bound = bindings.get(d.peerId);
    if (bound === undefined) bindings.set(d.peerId, auth.producerId);
    else if (bound !== auth.producerId) {
      return reject(
        mutationId,
        `PEER_ID_COLLISION: peer id ${d.peerId} of collection ${d.collection} belongs to another producer`,
        {
          kind: "Custom",
          constraint: "peer_id_collision",
          detail: `peer id ${d.peerId}`,
        },
      );
    }
    if (limited()) return rateLimited();
    // 6. The producer gate: producer and epoch from the session, seq from here.
    if (auth.producerId !== 0n) {
      if (auth.epoch < (state.floors.get(auth.producerId) ?? 0n)) {
        return ack07(mutationId, skewMs, 0n, { kind: "Fenced" }, "gap");
      }
      const scope = config.dedup === "origin" ? state.gates : session.gates;
      let streams = scope.get(auth.producerId);
      if (streams === undefined) {
        scope.set(auth.producerId, streams = new Map());
      }
      gate = streams.get(d.collection);
      if (gate === undefined) {
        // "session" scope starts each stream where the session finds it.
        gate = { hwm: config.dedup === "origin" ? 0n : d.seq - 1n };
        streams.set(d.collection, gate);
      }
      if (d.seq <= gate.hwm) {
        return ack07(
          mutationId,
          skewMs,
          gate.hwm,
          { kind: "Duplicate" },
          "duplicate",
        );
      }
      if (d.seq > gate.hwm + 1n) {
        return ack07(mutationId, skewMs, gate.hwm, {
          kind: "Gap",
          expected: gate.hwm + 1n,
        }, "gap");
      }
    }
  }
  // 7. Apply (a `reject` fault or an `apply` failure refuses it).
  const fault = state.faults.reject;
  if (
    fault !== undefined &&
    (fault.count === undefined || state.faultCounts.rejects < fault.count) &&
    (fault.match === undefined || fault.match(d))
  ) {
    state.faultCounts.rejects++;
    if (gate !== undefined && !retryable(fault.hint)) gate.hwm = d.seq;
    return reject(
      mutationId,
      fault.reason ?? "rejected by fault injection",
      fault.hint,
    );
  }
  const refused = (error: unknown): DeltaResult => {
    const failure = applyFailure(v07, error, d.documentId);
    if (gate !== undefined && !retryable(failure.hint)) gate.hwm = d.seq;
    return reject(mutationId, failure.reason, failure.hint);
  };
  if (config.apply !== undefined) {
    let applying: unknown;
    try {
      applying = config.apply(d, session.id);
    } catch (error) {
      return refused(error);
    }
    if (typeof (applying as Promise<void> | undefined)?.then === "function") {
      return (applying as Promise<void>).then(
        () => applied(state, session, d, gate, skewMs),
        refused,
      );
    }
  }
  return applied(state, session, d, gate, skewMs);
}

/** Stores an applied delta and builds its DeltaAck. */
function applied<R extends RevisionName>(
  state: OriginState<R>,
  session: DeltaSession,
  d: Body,
  gate: StreamGate | undefined,
  skewMs: bigint | null,
): DeltaResult {
  const v07 = state.config.revision === "2026-07";
  const auth = session.auth;
  const mutationId: bigint = d.mutationId;
  const lsn = state.nextLsn();
  if (gate !== undefined) gate.hwm = d.seq;
  state.store(d, lsn, false);
  const delta: AppliedDelta = {
    sessionId: session.id,
    collection: d.collection,
    documentId: d.documentId,
    peerId: d.peerId,
    mutationId,
    producerId: v07 ? auth.producerId : undefined,
    epoch: v07 ? auth.epoch : undefined,
    seq: v07 ? d.seq : undefined,
    lsn,
  };
  if (!v07) {
    return {
      reply: {
        type: DELTA_ACK,
        body: { mutationId, lsn: 0n, clockSkewWarningMs: skewMs },
      },
      applied: delta,
      kind: "applied",
    };
  }
  return {
    ...ack07(
      mutationId,
      skewMs,
      gate?.hwm ?? d.seq,
      { kind: "Applied" },
      "applied",
    ),
    applied: delta,
  };
}

function ack07(
  mutationId: bigint,
  clockSkewWarningMs: bigint | null,
  appliedSeq: bigint,
  status: Body,
  kind: DeltaResult["kind"],
): DeltaResult {
  return {
    reply: {
      type: DELTA_ACK,
      body: { mutationId, lsn: 0n, clockSkewWarningMs, appliedSeq, status },
    },
    applied: undefined,
    kind,
  };
}
