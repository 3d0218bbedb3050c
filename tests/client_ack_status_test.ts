// How SyncClient settles deltas from the Origin's answers: 2026-07 AckStatus
// (Accepted stays queued, Gap is re-sent, Rejected and DeltaReject carry the
// reason and hint, Fenced halts and reconnects), silent drops re-sent after
// ackTimeout, and an async outbox store restored by the next client.
import assert from "node:assert/strict";
import {
  type OutboxRecord,
  type OutboxSnapshot,
  type OutboxStore,
  SyncClient,
} from "../entries/client.ts";
import { serveOrigin } from "../entries/origin.ts";
import { scriptedOrigin, waitFor, welcome } from "./_session_helpers.ts";

const DELTA_PUSH = 0x10;
const DELTA_ACK = 0x11;
const FAST = { minMs: 1, maxMs: 10 };
const delta = (n: number) => ({
  collection: "c",
  documentId: `d${n}`,
  delta: new Uint8Array([n]),
});

// deno-lint-ignore no-explicit-any
function ack07(push: any, status: unknown, appliedSeq = push.seq) {
  return {
    type: DELTA_ACK,
    body: {
      mutationId: push.mutationId,
      lsn: 0n,
      clockSkewWarningMs: null,
      appliedSeq,
      status,
    },
  };
}

Deno.test("2026-07 Accepted keeps the delta queued until Applied; settleOnAccepted resolves it at once", async () => {
  for (const settleOnAccepted of [false, true]) {
    const origin = await scriptedOrigin(
      "2026-07",
      (m) =>
        m.type === 0x01
          ? [welcome("2026-07")]
          : m.type === DELTA_PUSH
          ? [ack07(m.body, { kind: "Accepted" }, 0n), {
            ...ack07(m.body, { kind: "Applied" }),
            delayMs: 40,
          }]
          : [],
    );
    const client = new SyncClient({
      url: origin.url,
      revision: "2026-07",
      settleOnAccepted,
    });
    try {
      await client.connect();
      const outcome = await client.pushDelta(delta(1));
      assert.equal(outcome.status, settleOnAccepted ? "accepted" : "applied");
      assert.equal(client.metrics().pending, settleOnAccepted ? 1 : 0);
      await waitFor(
        () => client.metrics().pending === 0,
        1000,
        "the final Applied",
      );
    } finally {
      await client.close();
      await origin.close();
    }
  }
});

Deno.test("2026-07 Gap at the delta's own seq is retried with the same seq; Rejected{reason} settles", async () => {
  const seqs: bigint[] = [];
  const origin = await scriptedOrigin("2026-07", (m) => {
    if (m.type === 0x01) return [welcome("2026-07")];
    if (m.type !== DELTA_PUSH) return [];
    seqs.push(m.body.seq);
    if (m.body.documentId === "d2") {
      return [ack07(m.body, { kind: "Rejected", reason: "schema" })];
    }
    return seqs.length === 1
      ? [ack07(m.body, { kind: "Gap", expected: m.body.seq }, m.body.seq - 1n)]
      : [ack07(m.body, { kind: "Applied" })];
  });
  const client = new SyncClient({ url: origin.url, revision: "2026-07" });
  try {
    await client.connect();
    const first = await client.pushDelta(delta(1));
    assert.deepEqual([first.status, first.seq], ["applied", 1n]);
    const second = await client.pushDelta(delta(2));
    assert.equal(second.status, "rejected");
    assert.deepEqual(second.ack?.status, {
      kind: "Rejected",
      reason: "schema",
    });
    assert.deepEqual(seqs, [1n, 1n, 2n]);
    assert.equal(client.metrics().resent, 1);
  } finally {
    await client.close();
    await origin.close();
  }
});

Deno.test("2026-07 Fenced halts pushing and reconnects with a new epoch; the delta is re-sent at its seq", async () => {
  const sent: [number, bigint, bigint][] = [];
  const origin = await scriptedOrigin("2026-07", (m, connection) => {
    if (m.type === 0x01) return [welcome("2026-07", 5n, m.body.epoch)];
    if (m.type !== DELTA_PUSH) return [];
    sent.push([connection, m.body.epoch, m.body.seq]);
    return [
      ack07(
        m.body,
        connection === 0 ? { kind: "Fenced" } : { kind: "Applied" },
      ),
    ];
  });
  const client = new SyncClient({
    url: origin.url,
    revision: "2026-07",
    backoff: FAST,
  });
  const errors: string[] = [];
  client.addEventListener(
    "error",
    (e) =>
      errors.push((e.detail as { reason?: string }).reason ?? e.detail.code),
  );
  try {
    await client.connect();
    const outcome = await client.pushDelta(delta(1));
    assert.equal(outcome.status, "applied");
    assert.deepEqual(sent, [[0, 1n, 1n], [1, 2n, 1n]]);
    assert.equal(errors[0], "fenced");
    assert.equal(client.metrics().producerId, 5n);
  } finally {
    await client.close();
    await origin.close();
  }
});

Deno.test("a DeltaReject settles as rejected with its CompensationHint (2026-04)", async () => {
  await using origin = await serveOrigin({
    faults: {
      reject: {
        hint: {
          kind: "UniqueViolation",
          field: "email",
          conflictingValue: "a@b.c",
        },
        reason: "unique violation",
        match: (d) => d.documentId === "d2",
      },
    },
  });
  await using client = new SyncClient({ url: origin.url });
  await client.connect();
  const [one, two] = await Promise.all([
    client.pushDelta({ ...delta(1), mutationId: 1n }),
    client.pushDelta({ ...delta(2), mutationId: 2n }),
  ]);
  assert.equal(one.status, "applied");
  assert.equal(two.status, "rejected");
  assert.deepEqual(two.reject, {
    mutationId: 2n,
    reason: "unique violation",
    compensation: {
      kind: "UniqueViolation",
      field: "email",
      conflictingValue: "a@b.c",
    },
  });
  assert.equal(client.metrics().rejected, 1);
});

Deno.test("a delta the Origin dropped silently (rate limit) is re-sent after ackTimeout", async () => {
  await using origin = await serveOrigin({
    rateLimit: { perSecond: 40, burst: 1 },
  });
  await using client = new SyncClient({
    url: origin.url,
    ackTimeout: 60,
    maxInFlight: 1,
  });
  await client.connect();
  const outcomes = await Promise.all(
    [1n, 2n].map((mutationId) =>
      client.pushDelta({ ...delta(Number(mutationId)), mutationId })
    ),
  );
  assert.deepEqual(outcomes.map((o) => o.status), ["applied", "applied"]);
  assert.equal(origin.stats().rateLimited, 1);
  assert.equal(client.metrics().resent, 1);
  assert.deepEqual(origin.applied.map((a) => a.mutationId), [1n, 2n]);
});

/** An async store in memory, standing in for IndexedDB or a file. */
class SlowStore implements OutboxStore<"2026-07"> {
  records = new Map<number, OutboxRecord<"2026-07">>();
  seqs = new Map<string, bigint>();
  #tick = () => new Promise<void>((r) => setTimeout(r, 1));
  async load(): Promise<OutboxSnapshot<"2026-07">> {
    await this.#tick();
    return { records: [...this.records.values()], seqs: new Map(this.seqs) };
  }
  async put(record: OutboxRecord<"2026-07">) {
    await this.#tick();
    this.records.set(record.id, record);
  }
  async delete(id: number) {
    await this.#tick();
    this.records.delete(id);
  }
  async saveSeq(stream: string, seq: bigint) {
    await this.#tick();
    this.seqs.set(stream, seq);
  }
}

Deno.test("an async outbox store keeps push order and seqs; the next client re-sends what was left", async () => {
  const store = new SlowStore();
  const epochs = new Map<string, bigint>();
  const epochStore = {
    load: (id: string) => epochs.get(id),
    save: (id: string, e: bigint) => void epochs.set(id, e),
  };
  await using origin = await serveOrigin({
    revision: "2026-07",
    faults: { dropAfterFrames: { frames: 4, times: 1 } },
  });
  const first = new SyncClient({
    url: origin.url,
    revision: "2026-07",
    liteId: "lite-s",
    outbox: store,
    epochStore,
    backoff: FAST,
  });
  // Close as soon as the connection drops: what is left stays in the store.
  let closing: ReturnType<typeof first.close> | undefined;
  first.addEventListener("status", (e) => {
    if (e.detail.status === "reconnecting") closing ??= first.close();
  });
  await first.connect();
  const outcomes = Array.from(
    { length: 5 },
    (_, i) => first.pushDelta(delta(i + 1)).catch((e) => e.reason),
  );
  const settled = await Promise.all(outcomes);
  const report = await closing!;
  // The 4th frame (the 3rd delta) dropped the connection: d3, d4, d5 are left.
  assert.deepEqual(settled.map((s) => typeof s === "string" ? s : s.status), [
    "applied",
    "applied",
    "client_closed",
    "client_closed",
    "client_closed",
  ]);
  assert.deepEqual(report.queued.map((q) => q.documentId), ["d3", "d4", "d5"]);
  // d3 was sent (and dropped) with seq 3; the others may not have been sent yet.
  assert.equal(report.queued[0].seq, 3n);
  assert.equal(store.records.size, 3);
  const second = new SyncClient({
    url: origin.url,
    revision: "2026-07",
    liteId: "lite-s",
    outbox: store,
    epochStore,
  });
  await second.connect();
  await waitFor(
    () => store.records.size === 0,
    2000,
    "the restored deltas to be acknowledged",
  );
  await second.close();
  assert.deepEqual(origin.applied.map((a) => a.seq), [1n, 2n, 3n, 4n, 5n]);
  assert.deepEqual(origin.applied.map((a) => a.documentId), [
    "d1",
    "d2",
    "d3",
    "d4",
    "d5",
  ]);
  assert.ok(epochs.get("lite-s")! >= 2n);
});

Deno.test("2026-07 Retry{retry_after_ms} pauses pushing, and the deltas behind it (answered Gap) follow in order", async () => {
  await using origin = await serveOrigin({
    revision: "2026-07",
    faults: {
      reject: {
        hint: { kind: "Retry", retryAfterMs: 60n },
        reason: "busy",
        count: 1,
      },
    },
  });
  await using client = new SyncClient({ url: origin.url, revision: "2026-07" });
  await client.connect();
  const t0 = performance.now();
  const outcomes = await Promise.all(
    [1, 2, 3].map((n) => client.pushDelta(delta(n))),
  );
  assert.ok(performance.now() - t0 >= 58, "paused as told");
  assert.deepEqual(outcomes.map((o) => [o.status, o.seq]), [["applied", 1n], [
    "applied",
    2n,
  ], ["applied", 3n]]);
  assert.deepEqual(origin.applied.map((a) => a.seq), [1n, 2n, 3n]);
  assert.equal(client.metrics().slowedDown, 1);
  assert.equal(origin.stats().gaps, 2);
});
