// Stream decoder and WebSocket transport speed. Each case decodes (or sends)
// a fixed workload per iteration, named in the case, so that
// frames/s = frames per iteration × iter/s, and GB/s = bytes × iter/s.
// Run: deno bench --allow-net bench/decoder_bench.ts

import {
  FrameCursor,
  FrameDecoder,
  FrameDecoderStream,
} from "../transport/stream.ts";
import { SyncFrame, SyncMessageType } from "../mod.ts";
import {
  connectFrameSocket,
  upgradeFrameSocket,
} from "../transport/websocket.ts";

/** `count` frames of `size` bytes each (header included), as one stream. */
function frameStream(count: number, size: number): Uint8Array {
  const body = size - 5;
  const out = new Uint8Array(count * size);
  for (let i = 0; i < count; i++) {
    const at = i * size;
    out[at] = SyncMessageType.DeltaPush;
    out[at + 1] = body & 0xff;
    out[at + 2] = (body >> 8) & 0xff;
    out.fill(i & 0xff, at + 5, at + size);
  }
  return out;
}

/** Cuts `bytes` into chunks of random sizes in [min, max] (fixed seed). */
function randomChunks(
  bytes: Uint8Array,
  min: number,
  max: number,
): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  let seed = 0x2545f491;
  for (let at = 0; at < bytes.length;) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    const size = min + (seed % (max - min + 1));
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

let sink = 0;

function decodeChunks(
  chunks: Uint8Array[],
  expected: number,
  copy: boolean,
): void {
  const decoder = new FrameDecoder({ copy });
  let count = 0;
  for (let i = 0; i < chunks.length; i++) {
    const frames = decoder.push(chunks[i]);
    for (let k = 0; k < frames.length; k++) sink += frames[k].body.length;
    count += frames.length;
  }
  decoder.end();
  if (count !== expected) throw new Error(`decoded ${count} of ${expected}`);
}

const SMALL = 262_144; // 64-byte frames: 16 MiB
const small = frameStream(SMALL, 64);
const smallChunks = randomChunks(small, 1, 64 * 1024);
const LARGE = 4096; // 4 KiB frames: 16 MiB
const large = frameStream(LARGE, 4096);
const largeChunks = randomChunks(large, 1, 64 * 1024);
const PINGS = 100_000; // 6-byte frames, one byte per push: 600,000 pushes
const pingBytes = frameStream(PINGS, 6);
const TINY = 10_000; // 64-byte frames, one byte per push: 640,000 pushes
const tinyBytes = frameStream(TINY, 64);
// One 1-byte array per byte value, reused: a million distinct 1-byte views
// would bloat the heap and slow every other case's garbage collection. A
// body may be a view of one of them, which is fine: none is ever rewritten.
const singles = Array.from({ length: 256 }, (_, b) => new Uint8Array([b]));

function decodeByteByByte(bytes: Uint8Array, expected: number): void {
  const decoder = new FrameDecoder();
  let count = 0;
  for (let i = 0; i < bytes.length; i++) {
    const frames = decoder.push(singles[bytes[i]]);
    for (let k = 0; k < frames.length; k++) sink += frames[k].body.length;
    count += frames.length;
  }
  decoder.end();
  if (count !== expected) throw new Error(`decoded ${count} of ${expected}`);
}
const bigChunks = randomChunks(small, 64 * 1024, 64 * 1024);

Deno.bench({
  name:
    "64 B frames, random 1..64 KiB chunks, view bodies (262,144 frames, 16 MiB)",
  group: "decoder 64 B",
  baseline: true,
  fn: () => decodeChunks(smallChunks, SMALL, false),
});
Deno.bench({
  name:
    "64 B frames, random 1..64 KiB chunks, owned bodies (262,144 frames, 16 MiB)",
  group: "decoder 64 B",
  fn: () => decodeChunks(smallChunks, SMALL, true),
});
Deno.bench({
  name: "64 B frames, FrameCursor over one 16 MiB buffer (262,144 frames)",
  group: "decoder 64 B",
  fn: () => {
    const cursor = new FrameCursor(small);
    let count = 0;
    while (cursor.next()) {
      sink += cursor.bodyEnd - cursor.bodyStart;
      count++;
    }
    if (count !== SMALL) throw new Error("short");
  },
});
Deno.bench({
  name:
    "4 KiB frames, random 1..64 KiB chunks, view bodies (4,096 frames, 16 MiB)",
  group: "decoder 4 KiB",
  baseline: true,
  fn: () => decodeChunks(largeChunks, LARGE, false),
});
Deno.bench({
  name:
    "4 KiB frames, random 1..64 KiB chunks, owned bodies (4,096 frames, 16 MiB)",
  group: "decoder 4 KiB",
  fn: () => decodeChunks(largeChunks, LARGE, true),
});
Deno.bench({
  name: "6 B frames, 1-byte chunks (100,000 frames, 600,000 pushes)",
  group: "decoder 1-byte chunks",
  baseline: true,
  fn: () => decodeByteByByte(pingBytes, PINGS),
});
Deno.bench({
  name: "64 B frames, 1-byte chunks (10,000 frames, 640,000 pushes)",
  group: "decoder 1-byte chunks",
  fn: () => decodeByteByByte(tinyBytes, TINY),
});
Deno.bench({
  name:
    "FrameDecoderStream, 64 B frames in 64 KiB chunks (262,144 frames, 16 MiB)",
  group: "web streams",
  async fn() {
    const frames = ReadableStream.from(bigChunks).pipeThrough(
      new FrameDecoderStream(),
    );
    const reader = frames.getReader();
    let count = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      sink += value.body.length;
      count++;
    }
    if (count !== SMALL) throw new Error(`decoded ${count}`);
  },
});

// WebSocket cases time a whole loopback session (server start, connect,
// traffic, close: the setup is a few ms of the total). Their functions must
// be declared `async`: Deno's bench runner awaits only those.

/** Client sends `count` frames through FrameSocket; server receives all. */
async function frameSession(
  frame: SyncFrame<SyncMessageType.DeltaPush>,
  count: number,
) {
  let received = 0;
  const done = Promise.withResolvers<void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const { socket, response } = upgradeFrameSocket(request);
      (async () => {
        for await (const f of socket) {
          sink += f.body.length;
          if (++received === count) done.resolve();
        }
      })();
      return response;
    },
  );
  const client = await connectFrameSocket(`ws://127.0.0.1:${server.addr.port}`);
  for (let i = 0; i < count; i++) await client.send(frame);
  await done.promise;
  await client.close();
  await server.shutdown();
}

/** The same traffic over bare WebSockets, without framing checks. */
async function rawSession(bytes: Uint8Array, count: number) {
  let received = 0;
  const done = Promise.withResolvers<void>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const { socket, response } = Deno.upgradeWebSocket(request);
      socket.binaryType = "arraybuffer";
      socket.onmessage = (event) => {
        sink += (event.data as ArrayBuffer).byteLength;
        if (++received === count) done.resolve();
      };
      return response;
    },
  );
  const client = new WebSocket(`ws://127.0.0.1:${server.addr.port}`);
  await new Promise((resolve) => client.onopen = resolve);
  for (let i = 0; i < count; i++) client.send(bytes);
  await done.promise;
  const closed = new Promise((resolve) => client.onclose = resolve);
  client.close();
  await closed;
  await server.shutdown();
}

const wsSmall = new SyncFrame(SyncMessageType.DeltaPush, new Uint8Array(59));
const wsLarge = new SyncFrame(
  SyncMessageType.DeltaPush,
  new Uint8Array(64 * 1024 - 5),
);
Deno.bench({
  name: "bare WebSocket, 64 B messages (20,000 messages)",
  group: "websocket 64 B",
  baseline: true,
  n: 10,
  warmup: 2,
  async fn() {
    await rawSession(wsSmall.toBytes(), 20_000);
  },
});
Deno.bench({
  name: "FrameSocket client → server, 64 B frames (20,000 frames)",
  group: "websocket 64 B",
  n: 10,
  warmup: 2,
  async fn() {
    await frameSession(wsSmall, 20_000);
  },
});
Deno.bench({
  name: "bare WebSocket, 64 KiB messages (1,000 messages, 64 MiB)",
  group: "websocket 64 KiB",
  baseline: true,
  n: 10,
  warmup: 2,
  async fn() {
    await rawSession(wsLarge.toBytes(), 1_000);
  },
});
Deno.bench({
  name: "FrameSocket client → server, 64 KiB frames (1,000 frames, 64 MiB)",
  group: "websocket 64 KiB",
  n: 10,
  warmup: 2,
  async fn() {
    await frameSession(wsLarge, 1_000);
  },
});

globalThis.addEventListener("unload", () => {
  if (sink === -1) console.log(sink);
});
