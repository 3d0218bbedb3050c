// SyncClient ↔ serveOrigin end to end over real WebSockets on 127.0.0.1, for
// both revisions: 1 000 deltas through connections dropped every ~100
// frames (with acks lost on the way), a dead peer found by the keepalive,
// token refresh before expiry, a fork, and a rate limit the client obeys.
import assert from "node:assert/strict";
import { SyncClient, SyncError } from "../entries/client.ts";
import { serveOrigin } from "../entries/origin.ts";
import {
  fakeJwt,
  jwtExp,
  recordEpochs,
  recordStatuses,
  strictlyRising,
  waitFor,
} from "./_session_helpers.ts";

const REVISIONS = ["2026-04", "2026-07"] as const;
const FAST = { minMs: 1, maxMs: 20 };

for (const revision of REVISIONS) {
  Deno.test(`${revision}: 1 000 deltas through a connection dropped every ~100 frames settle once each and apply once each`, async () => {
    await using origin = await serveOrigin({
      revision,
      dedup: "origin",
      rateLimit: false,
      // Every connection dies at its 100th frame; acks are late, so some are
      // lost with the connection and their deltas are re-sent.
      faults: { dropAfterFrames: 100, delayAcksMs: 2 },
    });
    await using client = new SyncClient({
      url: origin.url,
      revision,
      liteId: `lite-e2e-${revision}`,
      backoff: FAST,
      transport: { closeTimeout: 500 },
    });
    const epochs = recordEpochs(client);
    await client.connect();
    const settledTimes = new Map<bigint, number>();
    const outcomes = await Promise.all(
      Array.from({ length: 1000 }, (_, i) => {
        const mutationId = BigInt(i + 1);
        return client.pushDelta({
          collection: i % 2 ? "notes" : "users",
          documentId: `doc-${i % 13}`,
          delta: new Uint8Array([i & 0xff, i >> 8, 1]),
          mutationId,
        }).then((outcome) => {
          settledTimes.set(mutationId, (settledTimes.get(mutationId) ?? 0) + 1);
          return outcome;
        });
      }),
    );
    // Every pushDelta resolved, exactly once, as applied (or, in 2026-07, a
    // re-send the gate recognised as a duplicate).
    assert.equal(settledTimes.size, 1000);
    assert.ok([...settledTimes.values()].every((n) => n === 1));
    const allowed = revision === "2026-07"
      ? ["applied", "duplicate"]
      : ["applied"];
    assert.ok(outcomes.every((o) => allowed.includes(o.status)), "outcomes");
    assert.deepEqual(
      outcomes.map((o) => o.mutationId),
      [...settledTimes.keys()].sort((a, b) => Number(a - b)),
    );
    // The Origin applied each mutation exactly once.
    const applied = new Map<bigint, number>();
    for (const a of origin.applied) {
      applied.set(a.mutationId, (applied.get(a.mutationId) ?? 0) + 1);
    }
    assert.equal(applied.size, 1000);
    assert.ok([...applied.values()].every((n) => n === 1));
    // Dropped and reconnected about every 100 frames, each time with a larger epoch.
    const stats = origin.stats();
    assert.ok(
      stats.droppedConnections >= 9,
      `${stats.droppedConnections} drops`,
    );
    assert.equal(client.metrics().reconnects, stats.droppedConnections);
    assert.equal(epochs.length, stats.handshakes);
    assert.ok(strictlyRising(epochs), epochs.join());
    assert.ok(client.metrics().resent > 0, "some deltas were re-sent");
    assert.equal(client.metrics().pending, 0);
  });

  Deno.test(`${revision}: no pong within pongTimeout means a dead peer: the client reconnects`, async () => {
    await using origin = await serveOrigin({
      revision,
      faults: { stopPings: { after: 2 } },
    });
    await using client = new SyncClient({
      url: origin.url,
      revision,
      pingInterval: 15,
      pongTimeout: 40,
      backoff: FAST,
      transport: { closeTimeout: 100 },
    });
    const statuses = recordStatuses(client);
    await client.connect();
    await waitFor(
      () => client.metrics().reconnects >= 1 && client.status === "ready",
      3000,
      "a reconnect",
    );
    const lost = statuses.find((s) => s.status === "reconnecting");
    assert.match(lost!.reason, /^no pong within 40 ms/);
    assert.ok(
      client.metrics().rttMs !== undefined,
      "pongs before were measured",
    );
    // Pushing works on the new connection.
    const outcome = await client.pushDelta({
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([1]),
      mutationId: 1n,
    });
    assert.equal(outcome.status, "applied");
  });

  Deno.test(`${revision}: the token is refreshed before it expires and deltas keep being applied`, async () => {
    await using origin = await serveOrigin({
      revision,
      tokenValidator: (token) => {
        const left = jwtExp(token) - Date.now() / 1000;
        return left > 0
          ? {
            ok: true,
            identity: { user: "user-1", tenant: 1 },
            expiresInSecs: left,
          }
          : { ok: false, error: "token expired" };
      },
    });
    const issued: string[] = [];
    await using client = new SyncClient({
      url: origin.url,
      revision,
      // Each token lives 0.5 s; the client refreshes at 80 %.
      token: () => {
        issued.push(fakeJwt(0.5));
        return issued.at(-1)!;
      },
    });
    const errors: string[] = [];
    client.addEventListener("error", (e) => errors.push(e.detail.message));
    await client.connect();
    await waitFor(
      () => client.metrics().tokenRefreshes >= 2,
      3000,
      "two refreshes",
    );
    // Past the first token's lifetime: without the refreshes this would be PermissionDenied.
    const outcome = await client.pushDelta({
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([1]),
      mutationId: 1n,
    });
    assert.equal(outcome.status, "applied");
    assert.ok(issued.length >= 3);
    assert.equal(
      origin.stats().tokenRefreshes,
      client.metrics().tokenRefreshes,
    );
    assert.deepEqual(errors, []);
  });

  Deno.test(`${revision}: a fork is its own outcome — fork event, SyncError fork_detected, no retry`, async () => {
    await using origin = await serveOrigin({ revision });
    // The first owner of lite-x has reached epoch 5.
    await using owner = new SyncClient({
      url: origin.url,
      revision,
      liteId: "lite-x",
      epochStore: { load: () => 4n, save() {} },
    });
    await owner.connect();
    // A copy of that Lite starts again from epoch 1.
    await using copy = new SyncClient({
      url: origin.url,
      revision,
      liteId: "lite-x",
      backoff: FAST,
    });
    const forks: bigint[] = [];
    copy.addEventListener("fork", (e) => forks.push(e.detail.epoch));
    const error = await copy.connect().catch((e) => e);
    assert.ok(error instanceof SyncError);
    assert.equal(error.reason, "fork_detected");
    assert.match(error.serverError!, /^FORK_DETECTED: /);
    assert.deepEqual(forks, [1n]);
    assert.equal(copy.status, "idle");
    await new Promise((r) => setTimeout(r, 30));
    assert.equal(origin.stats().forks, 1, "not retried");
    assert.equal(owner.status, "ready");
  });

  Deno.test(`${revision}: RateLimited{retry_after_ms} slows the client down as told`, async () => {
    await using origin = await serveOrigin({
      revision,
      rateLimit: { perSecond: 50, burst: 5, mode: "reject", retryAfterMs: 80 },
    });
    await using client = new SyncClient({
      url: origin.url,
      revision,
      // 2026-04 dedups by the highest mutation_id, so a refused delta must not
      // be overtaken: one in flight. 2026-07's seq gate needs no such care.
      maxInFlight: revision === "2026-04" ? 1 : 64,
    });
    const timeline: [string, number][] = [];
    client.addEventListener("frame", (e) => {
      const type = e.detail.message.type;
      if (type === 0x10) timeline.push(["push", performance.now()]);
      if (type === 0x12) timeline.push(["reject", performance.now()]);
    });
    await client.connect();
    const outcomes = await Promise.all(
      Array.from(
        { length: 15 },
        (_, i) =>
          client.pushDelta({
            collection: "c",
            documentId: `d${i}`,
            delta: new Uint8Array([i + 1]),
            mutationId: BigInt(i + 1),
          }),
      ),
    );
    assert.ok(outcomes.every((o) => o.status === "applied"));
    assert.ok(client.metrics().slowedDown >= 1);
    // After each RateLimited reject, nothing was pushed for retry_after_ms.
    for (let i = 0; i < timeline.length; i++) {
      if (timeline[i][0] !== "reject") continue;
      const next = timeline.slice(i).find(([kind]) => kind === "push");
      if (next) {
        assert.ok(
          next[1] - timeline[i][1] >= 78,
          `paused ${next[1] - timeline[i][1]} ms`,
        );
      }
    }
    const applied = origin.applied.map((a) => a.mutationId);
    assert.equal(new Set(applied).size, 15);
    assert.equal(applied.length, 15);
  });
}
