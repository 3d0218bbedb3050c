// Typed body codecs vs the generic @msgpack/msgpack path they replace, on the same
// bodies in the same run: `deno bench --allow-read bench/bodies_bench.ts`.
//
// Encode: `Encoder.encodeSharedRef` (a view of its shared buffer) on the equivalent
// generic value is the baseline; typed `encode<Body>` is measured both returning an
// owned buffer (the default) and with `{ shared: true }` (a view of a shared buffer,
// like encodeSharedRef). Decode: `decode` (useBigInt64) vs typed `decode<Body>` on the
// exact same bytes (bytes fields are views by default; `{ copy: true }` copies).
import { decode, Encoder } from "@msgpack/msgpack";
import {
  decodeDeltaPushMsg,
  decodeHandshakeMsg,
  encodeDeltaPushMsg,
  encodeHandshakeMsg,
  encodeMessage,
  SyncMessageType,
} from "../mod.ts";
import type { DeltaPushMsg, HandshakeMsg } from "../mod.ts";

const encoder = new Encoder({ useBigInt64: true });
const DECODE_OPTIONS = { useBigInt64: true } as const;

// HandshakeMsg: a 600-character token and a 20-entry vector clock
// (4 collections × 5 documents).
const token = "eyJhbGciOiJIUzI1NiJ9." + "a".repeat(600 - 21);
const clock = new Map<string, Map<string, bigint>>();
const genericClock: Record<string, Record<string, number>> = {};
for (let c = 0; c < 4; c++) {
  const docs = new Map<string, bigint>();
  const genericDocs: Record<string, number> = {};
  for (let d = 0; d < 5; d++) {
    const ts = 1_000 + c * 70_000 + d * 3;
    docs.set(`doc-${c}-${d}`, BigInt(ts));
    genericDocs[`doc-${c}-${d}`] = ts;
  }
  clock.set(`collection-${c}`, docs);
  genericClock[`collection-${c}`] = genericDocs;
}
const handshake: HandshakeMsg = {
  jwtToken: token,
  vectorClock: clock,
  subscribedShapes: ["shape-orders", "shape-users"],
  clientVersion: "0.1.0",
  liteId: "0190f5e2-7b1c-7000-8000-000000000001",
  epoch: 3n,
  wireVersion: 4,
};
const genericHandshake = [
  token,
  genericClock,
  ["shape-orders", "shape-users"],
  "0.1.0",
  "0190f5e2-7b1c-7000-8000-000000000001",
  3,
  4,
];
const handshakeBytes = encodeHandshakeMsg(handshake);

// DeltaPushMsg: a 1 KiB delta.
const delta = new Uint8Array(1024).map((_, i) => (i * 31) & 0xff);
const deltaPush: DeltaPushMsg = {
  collection: "orders",
  documentId: "order-000123",
  delta,
  peerId: 0x1234_5678_9abcn,
  mutationId: 42n,
  checksum: 0xf130f21e,
  deviceValidTimeMs: 1_714_300_000_000n,
};
const genericDeltaPush = [
  "orders",
  "order-000123",
  delta,
  0x1234_5678_9abc,
  42,
  0xf130f21e,
  1_714_300_000_000n,
];
const deltaPushBytes = encodeDeltaPushMsg(deltaPush);

// Same bodies, same meaning: check once before measuring.
for (
  const [typed, generic] of [
    [handshakeBytes, genericHandshake],
    [deltaPushBytes, genericDeltaPush],
  ] as const
) {
  const decoded = decode(typed, DECODE_OPTIONS) as unknown[];
  if (decoded.length !== (generic as unknown[]).length) {
    throw new Error("bench bodies differ");
  }
}

let sink: unknown;

Deno.bench("HandshakeMsg encode: @msgpack/msgpack encodeSharedRef", {
  group: "handshake encode",
  baseline: true,
}, () => {
  sink = encoder.encodeSharedRef(genericHandshake);
});
Deno.bench("HandshakeMsg encode: @msgpack/msgpack encode (owned copy)", {
  group: "handshake encode",
}, () => {
  sink = encoder.encode(genericHandshake);
});
Deno.bench("HandshakeMsg encode: typed encodeHandshakeMsg", {
  group: "handshake encode",
}, () => {
  sink = encodeHandshakeMsg(handshake);
});
Deno.bench("HandshakeMsg encode: typed encodeHandshakeMsg, shared", {
  group: "handshake encode",
}, () => {
  sink = encodeHandshakeMsg(handshake, { shared: true });
});
Deno.bench("HandshakeMsg encode: typed encodeMessage (whole frame)", {
  group: "handshake encode",
}, () => {
  sink = encodeMessage(SyncMessageType.Handshake, handshake);
});

Deno.bench("HandshakeMsg decode: @msgpack/msgpack decode", {
  group: "handshake decode",
  baseline: true,
}, () => {
  sink = decode(handshakeBytes, DECODE_OPTIONS);
});
Deno.bench("HandshakeMsg decode: typed decodeHandshakeMsg", {
  group: "handshake decode",
}, () => {
  sink = decodeHandshakeMsg(handshakeBytes);
});

Deno.bench("DeltaPushMsg encode: @msgpack/msgpack encodeSharedRef", {
  group: "delta push encode",
  baseline: true,
}, () => {
  sink = encoder.encodeSharedRef(genericDeltaPush);
});
Deno.bench("DeltaPushMsg encode: @msgpack/msgpack encode (owned copy)", {
  group: "delta push encode",
}, () => {
  sink = encoder.encode(genericDeltaPush);
});
Deno.bench("DeltaPushMsg encode: typed encodeDeltaPushMsg", {
  group: "delta push encode",
}, () => {
  sink = encodeDeltaPushMsg(deltaPush);
});
Deno.bench("DeltaPushMsg encode: typed encodeDeltaPushMsg, shared", {
  group: "delta push encode",
}, () => {
  sink = encodeDeltaPushMsg(deltaPush, { shared: true });
});
Deno.bench("DeltaPushMsg encode: typed encodeMessage (whole frame)", {
  group: "delta push encode",
}, () => {
  sink = encodeMessage(SyncMessageType.DeltaPush, deltaPush);
});

Deno.bench("DeltaPushMsg decode: @msgpack/msgpack decode", {
  group: "delta push decode",
  baseline: true,
}, () => {
  sink = decode(deltaPushBytes, DECODE_OPTIONS);
});
Deno.bench("DeltaPushMsg decode: typed decodeDeltaPushMsg", {
  group: "delta push decode",
}, () => {
  sink = decodeDeltaPushMsg(deltaPushBytes);
});
Deno.bench("DeltaPushMsg decode: typed decodeDeltaPushMsg, copy", {
  group: "delta push decode",
}, () => {
  sink = decodeDeltaPushMsg(deltaPushBytes, { copy: true });
});

// Keep the results observable so nothing is optimized away.
globalThis.addEventListener("unload", () => {
  if (sink === undefined) console.log("no result");
});
