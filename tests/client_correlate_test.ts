// How the client reads acks and rejects: 2026-04 acks all settle as applied
// (lsn 0, duplicates look the same); 2026-07 AckStatus decides; RateLimited
// and Retry slow down; a Gap tells which other deltas were lost.
import assert from "node:assert/strict";
import {
  ackVerdict,
  MAX_RETRY_AFTER_MS,
  planGap,
  rejectVerdict,
} from "../client/_correlate.ts";
import type { Entry } from "../client/_outbox.ts";

Deno.test("a 2026-04 DeltaAck settles as applied: it has no status and lsn is always 0", () => {
  assert.deepEqual(
    ackVerdict({ mutationId: 7n, lsn: 0n, clockSkewWarningMs: null } as never),
    { kind: "settle", status: "applied" },
  );
});

Deno.test("2026-07 AckStatus: Applied, Duplicate, Rejected settle; Accepted waits; Gap retries; Fenced halts", () => {
  const verdict = (status: unknown) => ackVerdict({ status } as never);
  assert.deepEqual(verdict({ kind: "Applied" }), {
    kind: "settle",
    status: "applied",
  });
  assert.deepEqual(verdict({ kind: "Duplicate" }), {
    kind: "settle",
    status: "duplicate",
  });
  assert.deepEqual(verdict({ kind: "Rejected", reason: "no" }), {
    kind: "settle",
    status: "rejected",
  });
  assert.deepEqual(verdict({ kind: "Accepted" }), { kind: "accepted" });
  assert.deepEqual(verdict({ kind: "Gap", expected: 5n }), {
    kind: "gap",
    expected: 5n,
  });
  assert.deepEqual(verdict({ kind: "Fenced" }), { kind: "fenced" });
});

Deno.test("RateLimited and Retry hints slow down for retry_after_ms; other hints settle", () => {
  assert.deepEqual(
    rejectVerdict({
      compensation: { kind: "RateLimited", retryAfterMs: 250n },
    }),
    { kind: "slow", retryAfterMs: 250 },
  );
  assert.deepEqual(
    rejectVerdict({ compensation: { kind: "Retry", retryAfterMs: 40n } }),
    { kind: "slow", retryAfterMs: 40 },
  );
  assert.deepEqual(
    rejectVerdict({
      compensation: { kind: "Retry", retryAfterMs: 2n ** 64n - 1n },
    }),
    { kind: "slow", retryAfterMs: MAX_RETRY_AFTER_MS },
  );
  for (
    const compensation of [null, { kind: "PermissionDenied" }, {
      kind: "IntegrityViolation",
    }]
  ) {
    assert.deepEqual(rejectVerdict({ compensation }), { kind: "settle" });
  }
});

type E = Entry<unknown, unknown>;

function sent(
  id: number,
  seq: bigint,
  sentAt: number,
  outstanding = 1,
  collection = "c",
): E {
  return {
    id,
    delta: {},
    mutationId: BigInt(id),
    collection,
    size: 1,
    producerId: 1n,
    seq,
    encoded: undefined,
    queued: false,
    outstanding,
    sentAt,
    sends: 1,
    accepted: false,
    resolve: undefined,
    reject: undefined,
    unlisten: undefined,
  };
}

Deno.test("a Gap re-sends the unanswered deltas of its stream between expected and its seq", () => {
  // seq 3 and 4 were dropped silently (rate limit); 5 got Gap{expected: 3}.
  const e3 = sent(3, 3n, 10);
  const e4 = sent(4, 4n, 11);
  const e5 = sent(5, 5n, 12);
  const e6 = sent(6, 6n, 13); // sent after 5: its own answer is coming
  const other = sent(7, 4n, 11, 1, "other"); // another stream
  const plan = planGap([e3, e4, e5, e6, other], e5, 3n);
  assert.deepEqual(plan.resend.map((e) => e.id), [3, 4]);
  assert.equal(plan.renumber, false);
});

Deno.test("a Gap for a seq nobody holds renumbers the stream from expected", () => {
  // seq 3 was settled (rejected) but the server did not count it.
  const e4 = sent(4, 4n, 10, 0);
  const e5 = sent(5, 5n, 11);
  const plan = planGap([e4, e5], e4, 3n);
  assert.equal(plan.renumber, true);
});

Deno.test("a Gap at its own seq (a retryable refusal) re-sends only that delta", () => {
  const e = sent(1, 9n, 5);
  const plan = planGap([e], e, 9n);
  assert.deepEqual(plan.resend, []);
  assert.equal(plan.renumber, false);
});
