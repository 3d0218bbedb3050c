// Runs inside headless Chromium: imports the bundled SyncClient
// (/sync-client.js, built from tests/smoke/client_entry.ts) and runs a sync
// session against the serveOrigin given as `?origin=ws://127.0.0.1:PORT`
// (revision `?revision=`, default 2026-04), which must drop the connection
// once, when its 50th frame arrives (faults: { dropAfterFrames: { frames: 50,
// times: 1 } }, dedup "origin"). Checks: the handshake, 100 pipelined deltas
// that all settle (applied) through the drop, one reconnect with a larger
// epoch, and a close with nothing queued. POSTs [name, ok, detail] triples
// to /client-result.
const lib = await import(new URL("/sync-client.js", location.href).href);
const params = new URLSearchParams(location.search);
const url = params.get("origin");
const revision = params.get("revision") ?? "2026-04";

const results = [];
function check(name, fn) {
  return Promise.resolve().then(fn).then(
    () => results.push([name, true, ""]),
    (error) => results.push([name, false, String(error?.stack ?? error)]),
  );
}
function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: ${actual} !== ${expected}`);
  }
}

const client = new lib.SyncClient({
  url,
  revision,
  liteId: "browser-lite-1",
  clientVersion: "browser-smoke",
  backoff: { minMs: 10, maxMs: 100 },
  pingInterval: 0,
});
const statuses = [];
const epochs = [];
client.addEventListener("status", (e) => statuses.push(e.detail.status));
client.addEventListener("frame", (e) => {
  const { direction, message } = e.detail;
  if (direction === "out" && message.type === 0x01) {
    epochs.push(message.body.epoch);
  }
});

await check(
  `browser ${revision}: SyncClient connects and handshakes`,
  async () => {
    await client.connect({ signal: AbortSignal.timeout(10_000) });
    equal(client.status, "ready", "status");
    equal(statuses.join(), "connecting,handshaking,ready", "status timeline");
  },
);

await check(
  `browser ${revision}: 100 pipelined deltas settle once each through a dropped connection`,
  async () => {
    const settled = new Map();
    const outcomes = await Promise.all(
      Array.from({ length: 100 }, (_, i) => {
        const mutationId = BigInt(i + 1);
        return client.pushDelta({
          collection: "notes",
          documentId: `n${i % 7}`,
          delta: new Uint8Array([i, 1, 2]),
          mutationId,
        }).then((outcome) => {
          settled.set(mutationId, (settled.get(mutationId) ?? 0) + 1);
          return outcome;
        });
      }),
    );
    equal(settled.size, 100, "settled deltas");
    for (const [id, times] of settled) {
      equal(times, 1, `times mutation ${id} settled`);
    }
    const allowed = revision === "2026-07"
      ? ["applied", "duplicate"]
      : ["applied"];
    for (const o of outcomes) {
      if (!allowed.includes(o.status)) {
        throw new Error(`mutation ${o.mutationId}: ${o.status}`);
      }
    }
  },
);

await check(
  `browser ${revision}: the drop was recovered with one reconnect and a larger epoch`,
  () => {
    const metrics = client.metrics();
    equal(metrics.reconnects, 1, "reconnects");
    equal(metrics.pending, 0, "pending");
    equal(epochs.length, 2, "handshakes");
    equal(epochs[1] > epochs[0], true, "epochs rise");
    equal(statuses.includes("reconnecting"), true, "a reconnecting status");
  },
);

await check(`browser ${revision}: close reports nothing queued`, async () => {
  const report = await client.close();
  equal(report.queued.length, 0, "queued");
  equal(client.status, "closed", "status");
});

await fetch("/client-result", {
  method: "POST",
  body: JSON.stringify({ results, revision }),
});
