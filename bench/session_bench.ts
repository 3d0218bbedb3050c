// Pipelined DeltaPush → DeltaAck round trips through SyncClient ↔ serveOrigin
// on loopback, next to a raw `ws` binary echo of the same DeltaPush bytes
// (and a raw FrameSocket echo) in the same run, with the same window of 64
// frames in flight. Each iteration is 2,000 round trips, so
// round trips/s = 2,000 × iter/s; the summary's "× slower" against the
// raw-ws baseline is the ratio (target: the session at ≥ 50 % of the raw
// echo, i.e. at most 2× slower).
// Run: deno bench --allow-net --allow-read --allow-env bench/session_bench.ts
// Or, for the ratio from interleaved rounds (less sensitive to a busy host):
//      deno run --allow-net --allow-read --allow-env bench/session_bench.ts

import { SyncClient } from "../entries/client.ts";
import { serveOrigin } from "../entries/origin.ts";
import {
  connectFrameSocket,
  serveFrameSockets,
} from "../transport/websocket.ts";
import { loadWs } from "../transport/_ws_link.ts";
import { crc32c } from "../codec/crc32c.ts";
import * as r04 from "../mod.ts";
import * as r07 from "../entries/2026-07.ts";

const ROUND_TRIPS = 2_000;
const WINDOW = 64;
const DELTA = new Uint8Array(48).map((_, i) => i);

type Revision = "2026-04" | "2026-07";

/** The DeltaPush frames the client sends, byte for byte (mutation ids 1..n). */
function deltaFrames(revision: Revision): Uint8Array[] {
  const frames: Uint8Array[] = [];
  for (let i = 1; i <= ROUND_TRIPS; i++) {
    const base = {
      collection: "notes",
      documentId: `n${i % 100}`,
      delta: DELTA,
      peerId: 42n,
      mutationId: BigInt(i),
      checksum: crc32c(DELTA),
      deviceValidTimeMs: null,
    };
    frames.push(
      revision === "2026-07"
        ? r07.encodeMessage(r07.SyncMessageType.DeltaPush, {
          ...base,
          producerId: 1n,
          epoch: 1n,
          seq: BigInt(i),
          deviceId: 0n,
          deltaSignature: new Uint8Array(32),
        })
        : r04.encodeMessage(r04.SyncMessageType.DeltaPush, base),
    );
  }
  return frames;
}

/** SyncClient ↔ serveOrigin: ROUND_TRIPS pushDelta calls, WINDOW in flight. */
async function session(b: Deno.BenchContext, revision: Revision) {
  const origin = await serveOrigin({
    revision,
    rateLimit: false,
    keepLog: false,
  });
  const client = new SyncClient({
    url: origin.url,
    revision,
    liteId: "bench",
    peerId: 42n,
    maxInFlight: WINDOW,
    pingInterval: 0,
  });
  await client.connect();
  let mutationId = 0n;
  b.start();
  const outcomes = [];
  for (let i = 0; i < ROUND_TRIPS; i++) {
    outcomes.push(client.pushDelta({
      collection: "notes",
      documentId: `n${i % 100}`,
      delta: DELTA,
      mutationId: ++mutationId,
    }));
  }
  const settled = await Promise.all(outcomes);
  b.end();
  if (settled.some((o) => o.status !== "applied")) {
    throw new Error("not applied");
  }
  await client.close();
  await origin.close();
}

/** The parts of `ws` the raw echo uses (the library declares fewer). */
interface EchoSocket {
  on(
    event: string,
    listener: (data: Uint8Array, binary: boolean) => void,
  ): void;
  once(event: string, listener: () => void): void;
  send(data: Uint8Array, options?: { binary: boolean }): void;
  close(): void;
}
interface EchoWs {
  WebSocketServer: new (options: { host: string; port: number }) => {
    once(event: string, listener: () => void): void;
    on(event: string, listener: (socket: EchoSocket) => void): void;
    address(): unknown;
    close(done: () => void): void;
  };
  WebSocket: new (url: string) => EchoSocket;
}

/** A raw `ws` echo server and client: the same bytes, WINDOW in flight. */
async function rawWs(b: Deno.BenchContext, revision: Revision) {
  const ws = (await loadWs("bench")) as unknown as EchoWs;
  const frames = deltaFrames(revision);
  const server = new ws.WebSocketServer({ host: "127.0.0.1", port: 0 });
  await new Promise<void>((r) => server.once("listening", () => r()));
  server.on("connection", (socket) => {
    socket.on("message", (data, binary) => socket.send(data, { binary }));
  });
  const { port } = server.address() as { port: number };
  const client = new ws.WebSocket(`ws://127.0.0.1:${port}`);
  await new Promise<void>((r) => client.once("open", () => r()));
  let sent = 0;
  let received = 0;
  const done = new Promise<void>((resolve) => {
    client.on("message", () => {
      received++;
      if (received === ROUND_TRIPS) resolve();
      else if (sent < ROUND_TRIPS) client.send(frames[sent++]);
    });
  });
  b.start();
  while (sent < WINDOW) client.send(frames[sent++]);
  await done;
  b.end();
  await new Promise<void>((r) => {
    client.once("close", () => r());
    client.close();
  });
  await new Promise<void>((r) => server.close(() => r()));
}

/**
 * serveFrameSockets ↔ connectFrameSocket: the same DeltaPush frames, each
 * answered with one pre-encoded DeltaAck — the transport without the
 * session logic.
 */
async function rawFrameSocket(b: Deno.BenchContext, revision: Revision) {
  const lib = revision === "2026-07" ? r07 : r04;
  const frames = deltaFrames(revision).map((bytes) =>
    lib.SyncFrame.decode(bytes as never)
  );
  const ackBytes = revision === "2026-07"
    ? r07.encodeMessage(r07.SyncMessageType.DeltaAck, {
      mutationId: 1n,
      lsn: 0n,
      clockSkewWarningMs: null,
      appliedSeq: 1n,
      status: { kind: "Applied" },
    })
    : r04.encodeMessage(r04.SyncMessageType.DeltaAck, {
      mutationId: 1n,
      lsn: 0n,
      clockSkewWarningMs: null,
    });
  const ack = lib.SyncFrame.decode(ackBytes as never);
  const server = await serveFrameSockets(
    { revision } as never,
    async (socket) => {
      for await (const _frame of socket) {
        await socket.send(ack as never).catch(() => {});
      }
    },
  );
  const client = await connectFrameSocket(server.url, { revision } as never);
  let sent = 0;
  b.start();
  while (sent < WINDOW) client.send(frames[sent++] as never);
  for (let received = 0; received < ROUND_TRIPS; received++) {
    await client.receive();
    if (sent < ROUND_TRIPS) client.send(frames[sent++] as never);
  }
  b.end();
  await client.close();
  await server.close();
}

for (const revision of ["2026-04", "2026-07"] as const) {
  const group = `round trips ${revision}`;
  Deno.bench({
    name:
      `raw ws binary echo, ${ROUND_TRIPS} DeltaPush frames, ${WINDOW} in flight`,
    group,
    baseline: true,
    n: 20,
    warmup: 5,
    fn: async (b) => await rawWs(b, revision),
  });
  Deno.bench({
    name: `raw FrameSocket, ${ROUND_TRIPS} DeltaPush → fixed DeltaAck`,
    group,
    n: 20,
    warmup: 5,
    fn: async (b) => await rawFrameSocket(b, revision),
  });
  Deno.bench({
    name: `SyncClient ↔ serveOrigin, ${ROUND_TRIPS} pushDelta → DeltaAck`,
    group,
    n: 20,
    warmup: 5,
    fn: async (b) => await session(b, revision),
  });
}

/** A BenchContext that records the measured span. */
function stopwatch(): { b: Deno.BenchContext; ms: () => number } {
  let t0 = 0;
  let t1 = 0;
  const b = {
    start: () => t0 = performance.now(),
    end: () => t1 = performance.now(),
  } as unknown as Deno.BenchContext;
  return { b, ms: () => t1 - t0 };
}

/**
 * `deno run`: rounds of raw ws / FrameSocket / session, interleaved so that
 * a busy host slows all three alike; prints the median round trips/s and
 * the session's share of the raw echo.
 */
async function printRatios(rounds: number): Promise<void> {
  for (const revision of ["2026-04", "2026-07"] as const) {
    const runs = {
      raw: [] as number[],
      socket: [] as number[],
      session: [] as number[],
    };
    for (let round = 0; round < rounds; round++) {
      for (
        const [kind, run] of [["raw", rawWs], ["socket", rawFrameSocket], [
          "session",
          session,
        ]] as const
      ) {
        const watch = stopwatch();
        await run(watch.b, revision);
        if (round >= 0) runs[kind].push(ROUND_TRIPS / (watch.ms() / 1000));
      }
    }
    const median = (xs: number[]) =>
      [...xs].sort((a, b) => a - b)[xs.length >> 1];
    const raw = median(runs.raw);
    const socket = median(runs.socket);
    const sync = median(runs.session);
    const fmt = (n: number) =>
      Math.round(n).toLocaleString("en-US").padStart(8);
    console.log(
      `${revision}  round trips/s (median of ${rounds}, ${WINDOW} in flight)`,
    );
    console.log(`  raw ws echo             ${fmt(raw)}`);
    console.log(
      `  raw FrameSocket         ${fmt(socket)}  ${
        (socket / raw * 100).toFixed(0)
      } %`,
    );
    console.log(
      `  SyncClient ↔ serveOrigin ${fmt(sync)}  ${
        (sync / raw * 100).toFixed(0)
      } % of the raw echo (target ≥ 50 %)`,
    );
  }
}

if (import.meta.main) await printRatios(Number(Deno.args[0] ?? 15));
