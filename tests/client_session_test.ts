// SyncClient against serveOrigin (and scripted Origins) on 127.0.0.1: the
// handshake and its outcomes, statuses and events, the typed helpers with
// their signals, offline pushes, aborts and what close() reports.
import assert from "node:assert/strict";
import { SyncClient, SyncError } from "../entries/client.ts";
import { serveOrigin } from "../entries/origin.ts";
import { FrameError } from "../codec/error.ts";
import {
  recordStatuses,
  scriptedOrigin,
  waitFor,
  welcome,
} from "./_session_helpers.ts";

const FAST = { minMs: 1, maxMs: 10 };

Deno.test("SyncClient status goes idle → connecting → handshaking → ready → closed, with typed frames", async () => {
  await using origin = await serveOrigin();
  const client = new SyncClient({
    url: origin.url,
    liteId: "lite-1",
    clientVersion: "app/1",
    token: () => "",
    vectorClock: () => new Map([["users", new Map([["u1", 5n]])]]),
    subscribedShapes: ["s1"],
    pingInterval: 0,
  });
  const statuses = recordStatuses(client);
  const frames: string[] = [];
  client.addEventListener(
    "frame",
    (e) => frames.push(`${e.detail.direction} ${e.detail.message.type}`),
  );
  let handshake: unknown;
  client.addEventListener("frame", (e) => {
    if (e.detail.message.type === 0x01) handshake = e.detail.message.body;
  });
  assert.equal(client.status, "idle");
  await client.connect();
  assert.equal(client.status, "ready");
  assert.deepEqual(handshake, {
    jwtToken: "",
    vectorClock: new Map([["users", new Map([["u1", 5n]])]]),
    subscribedShapes: ["s1"],
    clientVersion: "app/1",
    liteId: "lite-1",
    epoch: 1n,
    wireVersion: 4,
  });
  const report = await client.close();
  assert.deepEqual(report.queued, []);
  assert.deepEqual(statuses.map((s) => s.status), [
    "connecting",
    "handshaking",
    "ready",
    "closed",
  ]);
  assert.deepEqual(frames, ["out 1", "in 2"]);
  assert.equal(client.metrics().sessionId?.startsWith("sync-127.0.0.1:"), true);
});

Deno.test("SyncClient: a refused handshake rejects connect() with the server's error and stops (status idle)", async () => {
  await using origin = await serveOrigin({
    tokenValidator: () => ({ ok: false, error: "jwt expired" }),
  });
  await using client = new SyncClient({
    url: origin.url,
    token: "t",
    backoff: FAST,
  });
  const errors: FrameError[] = [];
  client.addEventListener("error", (e) => errors.push(e.detail));
  const error = await client.connect().catch((e) => e);
  assert.ok(error instanceof SyncError);
  assert.ok(error instanceof FrameError);
  assert.equal(error.reason, "handshake_rejected");
  assert.equal(error.serverError, "jwt expired");
  assert.equal(client.status, "idle");
  await new Promise((r) => setTimeout(r, 30));
  assert.equal(origin.stats().refused, 1); // not retried
  assert.equal(errors.length, 1);
});

Deno.test("SyncClient retries a SYNC_UNAVAILABLE refusal with backoff, each time with a larger epoch", async () => {
  await using origin = await serveOrigin({
    revision: "2026-07",
    faults: {
      refuseHandshakes: {
        count: 2,
        error: "SYNC_UNAVAILABLE: raft leader changing",
      },
    },
  });
  await using client = new SyncClient({
    url: origin.url,
    revision: "2026-07",
    backoff: FAST,
  });
  const statuses = recordStatuses(client);
  await client.connect();
  assert.equal(origin.stats().refused, 2);
  assert.equal(client.metrics().epoch, 3n);
  assert.deepEqual(
    statuses.map((s) => s.status),
    [
      "connecting",
      "handshaking",
      "reconnecting",
      "connecting",
      "handshaking",
      "reconnecting",
      "connecting",
      "handshaking",
      "ready",
    ],
  );
});

Deno.test("SyncClient treats fork_detected as a fork even when success is true: event, error, no retry", async () => {
  for (const revision of ["2026-04", "2026-07"] as const) {
    const origin = await scriptedOrigin(revision, (m) => {
      if (m.type !== 0x01) return [];
      const ack = welcome(revision);
      return [{ ...ack, body: { ...ack.body as object, forkDetected: true } }];
    });
    const client = new SyncClient({
      url: origin.url,
      revision,
      liteId: "lite-f",
      backoff: FAST,
    });
    const forks: unknown[] = [];
    client.addEventListener(
      "fork",
      (e) => forks.push([e.detail.liteId, e.detail.epoch]),
    );
    const error = await client.connect().catch((e) => e);
    await new Promise((r) => setTimeout(r, 30));
    await client.close();
    await origin.close();
    assert.equal(error.reason, "fork_detected", revision);
    assert.deepEqual(forks, [["lite-f", 1n]]);
    assert.equal(origin.connections(), 1, "never retried blindly");
  }
});

Deno.test("SyncClient typed helpers: VectorClockSync, ShapeSubscribe → ShapeSnapshot, TokenRefresh → Ack, ping", async () => {
  await using origin = await serveOrigin({ revision: "2026-07" });
  await using client = new SyncClient({
    url: origin.url,
    revision: "2026-07",
    token: () => "t",
  });
  await client.connect();
  const clock = await client.syncVectorClock({
    clocks: new Map([["notes", 4n]]),
    senderId: 1n,
  });
  assert.deepEqual(clock, { clocks: new Map([["notes", 4n]]), senderId: 0n });
  const snapshot = await client.subscribeShape({
    shapeId: "all",
    tenantId: 0,
    shapeType: { kind: "Vector", collection: "v", fieldName: null },
    description: "",
    fieldFilter: [],
  });
  assert.deepEqual([snapshot.shapeId, snapshot.docCount], ["all", 0n]);
  const ack = await client.refreshToken();
  assert.deepEqual(ack, { success: true, error: null, expiresInSecs: 3600n });
  const rtt = await client.ping();
  assert.ok(rtt >= 0 && rtt < 1000);
  assert.equal(client.metrics().lastRttMs, rtt);
  assert.equal(client.metrics().tokenRefreshes, 1);
});

Deno.test("SyncClient helpers take a signal: an aborted request's late reply is not given to the next one", async () => {
  const origin = await scriptedOrigin("2026-04", (m, _c) => {
    if (m.type === 0x01) return [welcome("2026-04")];
    // Replies in order, each 30 ms late.
    if (m.type === 0x30) {
      return [{
        type: 0x30,
        body: { clocks: m.body.clocks, senderId: 0n },
        delayMs: 30,
      }];
    }
    return [];
  });
  const client = new SyncClient({ url: origin.url, pingInterval: 0 });
  const pushes: unknown[] = [];
  client.addEventListener("push", (e) => pushes.push(e.detail.type));
  try {
    await client.connect();
    const controller = new AbortController();
    const slow = client.syncVectorClock({
      clocks: new Map([["slow", 1n]]),
      senderId: 0n,
    }, { signal: controller.signal });
    setTimeout(() => controller.abort(), 5); // after it was sent
    await assert.rejects(
      slow,
      (e) => e instanceof FrameError && e.code === "aborted",
    );
    const fast = await client.syncVectorClock({
      clocks: new Map([["fast", 2n]]),
      senderId: 0n,
    });
    assert.deepEqual([...fast.clocks.keys()], ["fast"]);
  } finally {
    await client.close();
    await origin.close();
  }
});

Deno.test("SyncClient: a failed token refresh is an error event and a status event, and rejects", async () => {
  await using origin = await serveOrigin({
    tokenValidator: (token) =>
      token === "first"
        ? { ok: true, identity: { user: "u", tenant: 0 } }
        : { ok: false, error: "revoked" },
  });
  let n = 0;
  await using client = new SyncClient({
    url: origin.url,
    token: () => (n++ === 0 ? "first" : "second"),
  });
  const statuses = recordStatuses(client);
  const errors: string[] = [];
  client.addEventListener(
    "error",
    (e) => errors.push((e.detail as SyncError).reason),
  );
  await client.connect();
  const error = await client.refreshToken().catch((e) => e);
  assert.equal(error.reason, "token_refresh_failed");
  assert.equal(error.serverError, "revoked");
  assert.deepEqual(errors, ["token_refresh_failed"]);
  assert.deepEqual(statuses.at(-1), {
    status: "ready",
    reason: "token_refresh_failed: revoked",
  });
  assert.equal(client.metrics().tokenRefreshFailures, 1);
});

Deno.test("SyncClient queues deltas offline and sends them once connected", async () => {
  await using origin = await serveOrigin();
  await using client = new SyncClient({ url: origin.url });
  const outcomes = [1n, 2n].map((mutationId) =>
    client.pushDelta({
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([1]),
      mutationId,
    })
  );
  assert.equal(client.metrics().pending, 2);
  await client.connect();
  assert.deepEqual((await Promise.all(outcomes)).map((o) => o.status), [
    "applied",
    "applied",
  ]);
  assert.deepEqual(origin.applied.map((a) => a.mutationId), [1n, 2n]);
});

Deno.test("SyncClient pushDelta: bad input is refused before it queues; a not-yet-sent delta can be aborted", async () => {
  await using client = new SyncClient({ url: "ws://127.0.0.1:9/" });
  await assert.rejects(
    client.pushDelta(
      { collection: "c", documentId: "d", delta: new Uint8Array([1]) } as never,
    ),
    (e) =>
      e instanceof FrameError && e.code === "bad_value" &&
      e.path === "DeltaPushMsg.mutation_id",
  );
  await assert.rejects(
    client.pushDelta({
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([1]),
      mutationId: -1n,
    }),
    (e) => e instanceof FrameError && e.code === "bad_value",
  );
  const kept = client.pushDelta({
    collection: "c",
    documentId: "d",
    delta: new Uint8Array([1]),
    mutationId: 1n,
  });
  await assert.rejects(
    client.pushDelta({
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([2]),
      mutationId: 1n,
    }),
    (e) => e instanceof FrameError && e.message.includes("already queued"),
  );
  const controller = new AbortController();
  const aborted = client.pushDelta(
    {
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([3]),
      mutationId: 2n,
    },
    { signal: controller.signal },
  );
  controller.abort();
  await assert.rejects(
    aborted,
    (e) => e instanceof FrameError && e.code === "aborted",
  );
  assert.equal(client.metrics().pending, 1);
  const closing = client.close();
  await assert.rejects(
    kept,
    (e) =>
      e instanceof SyncError && e.reason === "client_closed" &&
      e.queued.length === 1,
  );
  const report = await closing;
  assert.deepEqual(report.queued.map((q) => [q.mutationId, q.sent]), [[
    1n,
    false,
  ]]);
});

Deno.test("SyncClient `await using` closes and reports the queue in the final status event", async () => {
  let final: unknown;
  {
    await using client = new SyncClient({ url: "ws://127.0.0.1:9/" });
    client.addEventListener("status", (e) => {
      if (e.detail.status === "closed") {
        final = e.detail.queued?.map((q) => q.mutationId);
      }
    });
    client.pushDelta({
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([1]),
      mutationId: 7n,
    }).catch(() => {});
  }
  assert.deepEqual(final, [7n]);
});

Deno.test("SyncClient reports a frame it cannot decode as a drop and keeps the session", async () => {
  const origin = await scriptedOrigin("2026-04", (m) => {
    if (m.type === 0x01) return [welcome("2026-04")];
    if (m.type === 0x10) {
      return [
        // A DeltaAck with a body of the wrong shape, then the real one.
        { type: 0x11, raw: new Uint8Array([0x91, 0x01]) },
        {
          type: 0x11,
          body: {
            mutationId: m.body.mutationId,
            lsn: 0n,
            clockSkewWarningMs: null,
          },
        },
      ];
    }
    return [];
  });
  const client = new SyncClient({ url: origin.url });
  const drops: string[] = [];
  client.addEventListener(
    "drop",
    (e) => drops.push(`${e.detail.reason} ${e.detail.msgType}`),
  );
  try {
    await client.connect();
    const outcome = await client.pushDelta({
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([1]),
      mutationId: 1n,
    });
    assert.equal(outcome.status, "applied");
    await waitFor(() => drops.length === 1, 1000, "the drop");
    assert.deepEqual(drops, ["bad_body 17"]);
    assert.equal(client.metrics().dropped.bad_body, 1);
    assert.equal(client.metrics().reconnects, 0);
  } finally {
    await client.close();
    await origin.close();
  }
});
