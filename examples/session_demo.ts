/**
 * A Lite ↔ Origin sync session on loopback through `SyncClient` and
 * `serveOrigin`, with one injected connection drop and its recovery.
 *
 * The Origin drops the connection when its 6th frame arrives; the client
 * sees the close, backs off, reconnects with a larger epoch, re-sends the
 * deltas that were not acknowledged (in order) and carries on. Printed: the
 * status timeline, every frame (typed, both directions), each delta's
 * outcome, and the final metrics of both sides. Ends by itself; exits 1 if
 * a delta was lost or applied twice.
 *
 * Run: deno run --allow-net --allow-read --allow-env examples/session_demo.ts [2026-04|2026-07]
 *
 * @module
 */

import { SyncClient } from "../entries/client.ts";
import { serveOrigin } from "../entries/origin.ts";
import { revisionCodec, type RevisionName } from "../generated/revisions.ts";

function summarize(value: unknown, depth = 0): string {
  if (typeof value === "bigint") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Uint8Array) {
    if (value.length === 32 && value.every((b) => b === 0)) return "[0 × 32]";
    const shown = Array.from(
      value.subarray(0, 6),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    return `0x${shown}${value.length > 6 ? "…" : ""}`;
  }
  if (value instanceof Map) {
    return `{${
      [...value].map(([k, v]) => `${summarize(k)}: ${summarize(v, depth + 1)}`)
        .join(", ")
    }}`;
  }
  if (Array.isArray(value)) {
    return `[${value.map((v) => summarize(v, depth + 1)).join(", ")}]`;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value);
    if (entries.length === 1 && "kind" in value) return String(value.kind);
    return `{ ${
      entries.map(([k, v]) => `${k}: ${summarize(v, depth + 1)}`).join(", ")
    } }`;
  }
  return String(value);
}

/**
 * Runs the session and prints it.
 *
 * @param revision The wire revision to speak.
 * @returns Whether every delta was applied exactly once after one recovery.
 */
export async function runSession(revision: RevisionName): Promise<boolean> {
  const codec = revisionCodec(revision);
  const t0 = performance.now();
  const at = () => `${(performance.now() - t0).toFixed(0).padStart(5)} ms`;

  // ------------------------------------------------------------- the Origin

  await using origin = await serveOrigin({
    revision,
    dedup: "origin",
    rateLimit: false,
    tokenValidator: (token) =>
      token.startsWith("demo-token-")
        ? {
          ok: true,
          identity: { user: "ann", tenant: 1 },
          expiresInSecs: 3600,
        }
        : { ok: false, error: "unknown token" },
    // The one injected failure: the connection dies when its 6th frame arrives.
    faults: { dropAfterFrames: { frames: 6, times: 1 } },
  });
  console.log(`Origin (${revision}) listening on ${origin.url}\n`);

  // --------------------------------------------------------------- the Lite

  let tokens = 0;
  await using client = new SyncClient({
    url: origin.url,
    revision,
    liteId: "0190f5e2-7b1c-7000-8000-00000000d3m0",
    clientVersion: "sync-frame-demo/0.1.0",
    token: () => `demo-token-${++tokens}`,
    pingInterval: 250,
    pongTimeout: 1000,
    backoff: { minMs: 50, maxMs: 400 },
  });

  const timeline: string[] = [];
  client.addEventListener("status", (e) => {
    const line =
      `${at()}  ${e.detail.previous} → ${e.detail.status}  (${e.detail.reason})`;
    timeline.push(line);
    console.log(`  ── status ${line.trimStart()}`);
  });
  client.addEventListener("frame", (e) => {
    const { direction, message } = e.detail;
    const name = codec.typeName(message.type) ?? "?";
    const arrow = direction === "out" ? "Lite ⇒ Origin" : "Lite ⇐ Origin";
    console.log(
      `${at()}  ${arrow}  ${name.padEnd(16)} ${summarize(message.body)}`,
    );
  });
  client.addEventListener(
    "drop",
    (e) => console.log(`  ── drop ${e.detail.reason}`),
  );

  // ------------------------------------------------------------ the session

  await client.connect();
  const deltas = Array.from({ length: 8 }, (_, i) => ({
    collection: "notes",
    documentId: `note-${(i % 3) + 1}`,
    delta: new TextEncoder().encode(`edit ${i + 1}`),
    mutationId: BigInt(i + 1),
  }));
  // Pipelined: all eight go out before the first ack; the drop cuts them short.
  const outcomes = await Promise.all(deltas.map((d) => client.pushDelta(d)));
  console.log("\nOutcomes:");
  for (const o of outcomes) {
    console.log(
      `  mutation ${o.mutationId}: ${o.status}${
        o.seq === undefined ? "" : ` (seq ${o.seq})`
      }`,
    );
  }

  console.log("\nThe rest of the conversation:");
  const clock = await client.syncVectorClock({
    clocks: new Map([["notes", 8n]]),
    senderId: 0n,
  });
  const snapshot = await client.subscribeShape({
    shapeId: "all-notes",
    tenantId: 1,
    shapeType: {
      kind: "Document",
      collection: "notes",
      predicate: new Uint8Array(),
    },
    description: "every note",
    fieldFilter: [],
  });
  const refreshed = await client.refreshToken();
  const rtt = await client.ping();
  console.log(
    `  clock ${
      summarize(clock.clocks)
    }, snapshot of ${snapshot.data.length} B at LSN ${snapshot.snapshotLsn}, token refreshed for ${refreshed.expiresInSecs} s, ping ${
      rtt.toFixed(2)
    } ms`,
  );

  // ----------------------------------------------------------------- results

  const metrics = client.metrics();
  const stats = origin.stats();
  const report = await client.close();
  console.log("\nStatus timeline:");
  for (const line of timeline) console.log(`  ${line}`);
  console.log("\nClient metrics:");
  console.log(
    `  pending ${metrics.pending}, in flight ${metrics.inFlight}, pushed ${metrics.pushed} (${metrics.resent} re-sent), acked ${metrics.acked}, rejected ${metrics.rejected}`,
  );
  console.log(
    `  reconnects ${metrics.reconnects}, epoch ${metrics.epoch}, rtt ${
      metrics.rttMs?.toFixed(2)
    } ms, frames ${metrics.framesOut} out / ${metrics.framesIn} in, dropped ${
      JSON.stringify(metrics.dropped)
    }, token refreshes ${metrics.tokenRefreshes}, still queued at close ${report.queued.length}`,
  );
  console.log("Origin stats:");
  console.log(
    `  connections ${stats.connections}, handshakes ${stats.handshakes}, deltas received ${stats.deltas}, applied ${stats.applied}, duplicates ${stats.duplicates}, connections dropped by the fault ${stats.droppedConnections}`,
  );

  const applied = origin.applied.map((a) => a.mutationId);
  const exactlyOnce = applied.length === deltas.length &&
    new Set(applied).size === deltas.length &&
    outcomes.every((o) => o.status === "applied" || o.status === "duplicate");
  const recovered = metrics.reconnects === 1 && stats.droppedConnections === 1;
  console.log(
    `\n${
      exactlyOnce && recovered ? "Recovered" : "FAILED"
    }: one connection drop, ${metrics.reconnects} reconnect, ${applied.length}/${deltas.length} deltas applied exactly once.`,
  );
  return exactlyOnce && recovered;
}

if (import.meta.main) {
  const revision = (Deno.args[0] ?? "2026-07") as RevisionName;
  if (!(await runSession(revision))) Deno.exit(1);
}
