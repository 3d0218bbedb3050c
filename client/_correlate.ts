// What an ack or a reject means for the delta it names, per revision.
//
// A DeltaAck or DeltaReject names its delta by `mutation_id` only. In
// 2026-04 that is the whole correlation. In 2026-07 the delta was sent as
// `(producer_id, epoch, seq)` of the current connection (one producer id and
// epoch per connection), so the entry found by `mutation_id` is the one sent
// with that `seq`; the ack's `status` is the idempotency outcome of exactly
// that triple, and `applied_seq` is the stream's high-water mark.

import type { Entry } from "./_outbox.ts";

/** What to do with the delta an ack names. */
export type AckVerdict =
  /** Settle: applied (2026-04: every ack), duplicate, or Rejected{reason}. */
  | {
    readonly kind: "settle";
    readonly status: "applied" | "duplicate" | "rejected";
  }
  /** 2026-07 Accepted: admitted, not applied; keep it until a final status. */
  | { readonly kind: "accepted" }
  /** 2026-07 Gap{expected}: nothing applied; re-send (at the same seq). */
  | { readonly kind: "gap"; readonly expected: bigint }
  /** 2026-07 Fenced: our epoch is stale; halt pushing until we reconnect. */
  | { readonly kind: "fenced" };

/** The status field of a 2026-07 DeltaAck, as far as the client reads it. */
interface AckStatusLike {
  readonly kind: string;
  readonly expected?: bigint;
}

/**
 * Reads a DeltaAck. In 2026-04 there is no status: the Origin acks with
 * `lsn: 0` both a new delta and one whose `mutation_id` it has seen, so
 * every ack settles as `"applied"`.
 */
export function ackVerdict(
  ack: { readonly status?: AckStatusLike },
): AckVerdict {
  const status = ack.status;
  if (status === undefined) return { kind: "settle", status: "applied" };
  switch (status.kind) {
    case "Applied":
      return { kind: "settle", status: "applied" };
    case "Duplicate":
      return { kind: "settle", status: "duplicate" };
    case "Rejected":
      return { kind: "settle", status: "rejected" };
    case "Accepted":
      return { kind: "accepted" };
    case "Gap":
      return { kind: "gap", expected: status.expected ?? 0n };
    case "Fenced":
      return { kind: "fenced" };
    default:
      // A status this revision does not know cannot be decoded; be safe.
      return { kind: "gap", expected: 0n };
  }
}

/** What to do with the delta a DeltaReject names. */
export type RejectVerdict =
  /** Settle as rejected (the hint travels with the outcome). */
  | { readonly kind: "settle" }
  /** `RateLimited` / `Retry`: pause pushing this long, then re-send it. */
  | { readonly kind: "slow"; readonly retryAfterMs: number };

/** Longest pause a server may ask for (a u64 could say 584 million years). */
export const MAX_RETRY_AFTER_MS = 3_600_000;

/** Reads a DeltaReject's compensation hint. */
export function rejectVerdict(
  reject: {
    readonly compensation: {
      readonly kind: string;
      readonly retryAfterMs?: bigint;
    } | null;
  },
): RejectVerdict {
  const hint = reject.compensation;
  if (hint !== null && (hint.kind === "RateLimited" || hint.kind === "Retry")) {
    const ms = hint.retryAfterMs ?? 0n;
    return {
      kind: "slow",
      retryAfterMs: ms > BigInt(MAX_RETRY_AFTER_MS)
        ? MAX_RETRY_AFTER_MS
        : Number(ms),
    };
  }
  return { kind: "settle" };
}

/**
 * What a 2026-07 `Gap{expected}` for `entry` means for the other entries of
 * its stream. The server applies a stream's seqs in order, so
 *
 * - entries of the stream sent before `entry` with `seq` in
 *   `[expected, entry.seq)` and still unanswered were never applied (the
 *   server would have moved past them): they were dropped silently (rate
 *   limit) and are re-sent;
 * - when no queued entry of the stream has `seq == expected`, the server
 *   waits for a seq the client will never send (it was settled by a reject
 *   the server did not count, or the server lost its state): the entries
 *   from `expected` on are renumbered from `expected`.
 */
export interface GapPlan<D, O> {
  /** Entries to queue again, besides `entry` itself. */
  readonly resend: readonly Entry<D, O>[];
  /** Whether the stream's unsettled entries must be renumbered from `expected`. */
  readonly renumber: boolean;
}

/** Plans a gap (see {@linkcode GapPlan}) over the unsettled entries. */
export function planGap<D, O>(
  entries: Iterable<Entry<D, O>>,
  entry: Entry<D, O>,
  expected: bigint,
): GapPlan<D, O> {
  const resend: Entry<D, O>[] = [];
  let expectedFound = false;
  const seq = entry.seq ?? 0n;
  for (const other of entries) {
    if (
      other.collection !== entry.collection ||
      other.producerId !== entry.producerId || other.seq === undefined
    ) continue;
    if (other.seq === expected) expectedFound = true;
    if (
      other !== entry && other.outstanding !== 0 && other.seq >= expected &&
      other.seq < seq && other.sentAt <= entry.sentAt
    ) resend.push(other);
  }
  return { resend, renumber: !expectedFound && expected < seq };
}
