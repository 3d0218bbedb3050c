// The marker acceptance matrix of zerompk 0.4.1 (reference §5), field kind by field
// kind, through the typed decoders; and the encoders' minimal forms and refusals.
import assert from "node:assert/strict";
import {
  decodeMessageBody,
  encodeMessageBody,
  FrameError,
  SyncMessageType,
} from "../mod.ts";
import { hex, toHex } from "./_vectors.ts";

const T = SyncMessageType;

/** Decodes `body` (hex) as `type` and returns the typed body. */
function ok(type: SyncMessageType, body: string): unknown {
  return decodeMessageBody(type, hex(body)).body;
}

/** Asserts that decoding fails with bad_body at `path` (and `offset` when given). */
function bad(
  type: SyncMessageType,
  body: string,
  path: string,
  offset?: number,
): FrameError {
  let caught: unknown;
  try {
    decodeMessageBody(type, hex(body));
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof FrameError,
    `${body}: expected a FrameError, got ${caught}`,
  );
  assert.equal(caught.code, "bad_body", `${body}: ${caught.message}`);
  assert.equal(caught.path, path, `${body}: ${caught.message}`);
  assert.equal(caught.msgType, type);
  if (offset !== undefined) {
    assert.equal(caught.offset, offset, `${body}: ${caught.message}`);
  }
  return caught;
}

/** A 2-field PingPong body with `x` as timestamp_ms (u64). */
const ping = (x: string) => `92 ${x} c2`;

Deno.test("u64: positive fixint and cc/cd/ce/cf are accepted, wider than needed too", () => {
  const cases: Array<[string, bigint]> = [
    ["00", 0n],
    ["7f", 127n],
    ["cc 80", 128n],
    ["cc 05", 5n],
    ["cd 30 39", 12345n],
    ["ce 00 00 30 39", 12345n],
    ["cf 00 00 00 00 00 00 30 39", 12345n],
    ["cf 00 20 00 00 00 00 00 01", 2n ** 53n + 1n],
    ["cf ff ff ff ff ff ff ff ff", 2n ** 64n - 1n],
  ];
  for (const [marker, value] of cases) {
    assert.deepEqual(ok(T.PingPong, ping(marker)), {
      timestampMs: value,
      isPong: false,
    }, marker);
  }
  // usize is the same family.
  assert.deepEqual(
    ok(T.ShapeSnapshot, "94 a1 73 c4 00 00 cf 00 00 00 00 00 00 00 07"),
    {
      shapeId: "s",
      data: new Uint8Array(),
      snapshotLsn: 0n,
      docCount: 7n,
    },
  );
});

Deno.test("u64: int markers, negative fixint and other kinds are rejected", () => {
  for (
    const marker of [
      "d0 01",
      "d1 00 01",
      "d2 00 00 00 01",
      "d3 00 00 00 00 00 00 00 01",
      "ff",
      "e0",
      "ca 3f 80 00 00",
      "cb 3f f0 00 00 00 00 00 00",
      "c0",
      "c3",
      "a1 31",
      "c4 01 01",
      "91 01",
    ]
  ) {
    bad(T.PingPong, ping(marker), "PingPongMsg.timestamp_ms", 1);
  }
  bad(
    T.ShapeSnapshot,
    "94 a1 73 c4 00 00 d0 07",
    "ShapeSnapshotMsg.doc_count",
    6,
  );
});

Deno.test("u32: up to ce; cf is rejected even for a small value", () => {
  const purged = (x: string) => `93 ${x} a1 6e 00`;
  for (
    const [marker, value] of [["07", 7], ["cc ff", 255], ["cd 01 00", 256], [
      "ce ff ff ff ff",
      0xffffffff,
    ]] as const
  ) {
    assert.deepEqual(ok(T.CollectionPurged, purged(marker)), {
      tenantId: value,
      name: "n",
      purgeLsn: 0n,
    });
  }
  for (
    const marker of [
      "cf 00 00 00 00 00 00 00 07",
      "d0 07",
      "d2 00 00 00 07",
      "ff",
    ]
  ) {
    bad(T.CollectionPurged, purged(marker), "CollectionPurgedMsg.tenant_id", 1);
  }
});

Deno.test("u16: up to cd; ce and cf are rejected", () => {
  const handshake = (x: string) => `97 a0 80 90 a0 a0 00 ${x}`;
  assert.equal(
    (ok(T.Handshake, handshake("cd ff ff")) as { wireVersion: number })
      .wireVersion,
    0xffff,
  );
  assert.equal(
    (ok(T.Handshake, handshake("cc 04")) as { wireVersion: number })
      .wireVersion,
    4,
  );
  for (
    const marker of ["ce 00 00 00 04", "cf 00 00 00 00 00 00 00 04", "d1 00 04"]
  ) {
    bad(T.Handshake, handshake(marker), "HandshakeMsg.wire_version", 7);
  }
});

Deno.test("i64: fixints and d0–d3 are accepted; cc–cf are rejected", () => {
  const ack = (x: string) => `93 07 00 ${x}`;
  const cases: Array<[string, bigint | null]> = [
    ["c0", null],
    ["05", 5n],
    ["ff", -1n],
    ["e0", -32n],
    ["d0 80", -128n],
    ["d1 00 c8", 200n],
    ["d2 fa a2 b5 80", -90000000n],
    ["d3 00 00 00 00 00 00 00 05", 5n],
    ["d3 00 00 01 8f 24 3e 17 00", 1714300000000n],
    ["d3 80 00 00 00 00 00 00 00", -(2n ** 63n)],
    ["d3 7f ff ff ff ff ff ff ff", 2n ** 63n - 1n],
  ];
  for (const [marker, value] of cases) {
    assert.deepEqual(ok(T.DeltaAck, ack(marker)), {
      mutationId: 7n,
      lsn: 0n,
      clockSkewWarningMs: value,
    }, marker);
  }
  for (
    const marker of [
      "cc 05",
      "cd 00 c8",
      "ce 00 00 00 c8",
      "cf 00 00 01 8f 24 3e 17 00",
    ]
  ) {
    bad(T.DeltaAck, ack(marker), "DeltaAckMsg.clock_skew_warning_ms", 3);
  }
  // A plain i64 field, not inside an option.
  const ts = "99 a1 6c a1 63 c4 00 c4 00 c4 00 00 cd 01 00 00 80";
  bad(T.TimeseriesPush, ts, "TimeseriesPushMsg.min_ts", 12);
});

Deno.test("bool: only c2/c3", () => {
  assert.deepEqual(ok(T.PingPong, "92 00 c3"), {
    timestampMs: 0n,
    isPong: true,
  });
  for (const marker of ["00", "01", "c0", "a4 74 72 75 65"]) {
    bad(T.PingPong, `92 00 ${marker}`, "PingPongMsg.is_pong", 2);
  }
});

Deno.test("string: the str family only (any header width), valid UTF-8", () => {
  for (
    const marker of [
      "a3 61 62 63",
      "d9 03 61 62 63",
      "da 00 03 61 62 63",
      "db 00 00 00 03 61 62 63",
    ]
  ) {
    assert.deepEqual(ok(T.TokenRefresh, `91 ${marker}`), { newToken: "abc" });
  }
  assert.deepEqual(ok(T.TokenRefresh, "91 a2 c3 a9"), { newToken: "é" });
  for (
    const marker of [
      "c4 03 61 62 63",
      "93 61 62 63",
      "c0",
      "00",
      "a2 c3 28",
      "a3 ed a0 80",
    ]
  ) {
    bad(T.TokenRefresh, `91 ${marker}`, "TokenRefreshMsg.new_token", 1);
  }
});

Deno.test("bytes (a direct Vec<u8>): bin8/16/32 only", () => {
  for (
    const marker of ["c4 02 01 02", "c5 00 02 01 02", "c6 00 00 00 02 01 02"]
  ) {
    assert.deepEqual(ok(T.PresenceUpdate, `92 a1 63 ${marker}`), {
      channel: "c",
      state: new Uint8Array([1, 2]),
    });
  }
  for (const marker of ["a2 01 02", "92 01 02", "c0"]) {
    bad(T.PresenceUpdate, `92 a1 63 ${marker}`, "PresenceUpdateMsg.state", 3);
  }
});

const HLC = "000001cc8f243e17000001ccab54cca9cc8ccceb1f0accd2";

Deno.test("[u8; 18]: exactly 18 uint items, any array header; never bin", () => {
  const ack = (x: string) => `93 a1 70 01 ${x}`;
  const expected = hex("0000018f243e17000001ab54a98ceb1f0ad2");
  for (const header of ["dc 00 12", "dd 00 00 00 12"]) {
    assert.deepEqual(ok(T.ArrayAck, ack(`${header} ${HLC}`)), {
      array: "p",
      replicaId: 1n,
      ackHlcBytes: expected,
    });
  }
  const path = "ArrayAckMsg.ack_hlc_bytes";
  bad(T.ArrayAck, ack(`c4 12 ${"00".repeat(18)}`), path, 4);
  bad(T.ArrayAck, ack(`dc 00 11 ${"00".repeat(17)}`), path, 4);
  bad(T.ArrayAck, ack(`dc 00 13 ${"00".repeat(19)}`), path, 4);
  bad(T.ArrayAck, ack(`dc 00 12 cd 00 05 ${"00".repeat(17)}`), path, 7);
  bad(T.ArrayAck, ack(`dc 00 12 d0 05 ${"00".repeat(17)}`), path, 7);
  bad(T.ArrayAck, ack(`dc 00 12 ff ${"00".repeat(17)}`), path, 7);
  bad(T.ArrayAck, ack(`dc 00 12 ${"00".repeat(10)}`), path, 4);
});

Deno.test("Vec<Vec<u8>>: items are uint arrays, never bin", () => {
  assert.deepEqual(ok(T.ArrayDeltaBatch, "92 a1 73 92 92 01 cc aa 90"), {
    array: "s",
    opPayloads: [new Uint8Array([1, 0xaa]), new Uint8Array()],
  });
  bad(
    T.ArrayDeltaBatch,
    "92 a1 73 91 c4 02 01 02",
    "ArrayDeltaBatchMsg.op_payloads[0]",
    4,
  );
  bad(
    T.ArrayDeltaBatch,
    "92 a1 73 92 90 91 cd 01 00",
    "ArrayDeltaBatchMsg.op_payloads[1]",
    6,
  );
  bad(T.ArrayDeltaBatch, "92 a1 73 c4 00", "ArrayDeltaBatchMsg.op_payloads", 3);
});

Deno.test("lists: item errors name the index", () => {
  const handshake = (x: string) => `97 a0 80 ${x} a0 a0 00 04`;
  assert.deepEqual(
    (ok(T.Handshake, handshake("dc 00 01 a1 61")) as {
      subscribedShapes: string[];
    }).subscribedShapes,
    ["a"],
  );
  bad(
    T.Handshake,
    handshake("92 a1 61 c4 01 61"),
    "HandshakeMsg.subscribed_shapes[1]",
    6,
  );
  bad(T.Handshake, handshake("c0"), "HandshakeMsg.subscribed_shapes", 3);
  bad(T.Handshake, handshake("80"), "HandshakeMsg.subscribed_shapes", 3);
});

Deno.test("maps: any header width; keys and values by their types", () => {
  const sync = (x: string) => `92 ${x} 00`;
  for (const header of ["81", "de 00 01", "df 00 00 00 01"]) {
    assert.deepEqual(ok(T.VectorClockSync, sync(`${header} a1 61 05`)), {
      clocks: new Map([["a", 5n]]),
      senderId: 0n,
    });
  }
  bad(T.VectorClockSync, sync("91 a1 61"), "VectorClockSyncMsg.clocks", 1);
  bad(
    T.VectorClockSync,
    sync("81 01 05"),
    "VectorClockSyncMsg.clocks.<key>",
    2,
  );
  bad(
    T.VectorClockSync,
    sync("81 c0 05"),
    "VectorClockSyncMsg.clocks.<key>",
    2,
  );
  bad(
    T.VectorClockSync,
    sync("81 91 01 05"),
    "VectorClockSyncMsg.clocks.<key>",
    2,
  );
  bad(
    T.VectorClockSync,
    sync("81 a1 61 d0 05"),
    'VectorClockSyncMsg.clocks["a"]',
    4,
  );
  // A duplicate key keeps the last value, as the Rust HashMap does.
  assert.deepEqual(ok(T.VectorClockSync, sync("82 a1 61 05 a1 61 06")), {
    clocks: new Map([["a", 6n]]),
    senderId: 0n,
  });
  // Nested maps name both keys.
  bad(
    T.Handshake,
    "97 a0 81 a1 75 81 a1 64 d0 05 90 a0 a0 00 04",
    'HandshakeMsg.vector_clock["u"]["d"]',
    8,
  );
  // map<u64, u64>: integer keys only.
  const ts = (x: string) => `99 a1 6c a1 63 c4 00 c4 00 c4 00 00 00 00 ${x}`;
  assert.deepEqual(
    (ok(T.TimeseriesPush, ts("81 01 64")) as {
      watermarks: Map<bigint, bigint>;
    })
      .watermarks,
    new Map([[1n, 100n]]),
  );
  bad(
    T.TimeseriesPush,
    ts("81 a1 31 64"),
    "TimeseriesPushMsg.watermarks.<key>",
    15,
  );
  bad(T.TimeseriesPush, ts("81 01 ff"), "TimeseriesPushMsg.watermarks[1]", 16);
});

const CORRUPTED = "ae 436f727275707465645374617465"; // "CorruptedState"
const SEQUENCE_GAP = "ab 53657175656e6365476170"; // "SequenceGap"

Deno.test("enums: [tag, nil] for unit variants; the bare-string form is rejected", () => {
  assert.deepEqual(ok(T.ResyncRequest, `93 92 ${CORRUPTED} c0 00 a0`), {
    reason: { kind: "CorruptedState" },
    fromMutationId: 0n,
    collection: "",
  });
  const path = "ResyncRequestMsg.reason";
  // zerompk ≥0.6.1 form: InvalidMarker(0xae) at 0.4.1.
  bad(T.ResyncRequest, `93 ${CORRUPTED} 00 a0`, path, 1);
  bad(
    T.ResyncRequest,
    `93 92 ${CORRUPTED} 90 00 a0`,
    `${path}.CorruptedState`,
    17,
  );
  bad(
    T.ResyncRequest,
    `93 92 ${CORRUPTED} 00 00 a0`,
    `${path}.CorruptedState`,
    17,
  );
  bad(T.ResyncRequest, `93 93 ${CORRUPTED} c0 c0 00 a0`, path, 1);
  bad(T.ResyncRequest, `93 91 ${CORRUPTED} 00 a0`, path, 1);
  bad(T.ResyncRequest, "93 92 03 c0 00 a0", path, 2); // integer tag (the repr(u8) value)
  bad(T.ResyncRequest, "93 92 a3 466f6f c0 00 a0", path, 2); // unknown "Foo"
  bad(T.ResyncRequest, "93 92 c4 01 41 c0 00 a0", path, 2); // bin tag
  // Unit-only enum: every variant needs nil.
  const reject = (x: string) => `94 a1 61 dc 00 12 ${"00".repeat(18)} ${x} a0`;
  assert.deepEqual(
    (ok(T.ArrayReject, reject("92 ae 456e67696e6552656a6563746564 c0")) as {
      reason: unknown;
    }).reason,
    { kind: "EngineRejected" },
  );
  bad(
    T.ArrayReject,
    reject("ae 456e67696e6552656a6563746564"),
    "ArrayRejectMsg.reason",
    24,
  );
  bad(T.ArrayReject, reject("92 04 c0"), "ArrayRejectMsg.reason", 25);
});

Deno.test("enums: [tag, [fields]] with the exact field count for data variants", () => {
  assert.deepEqual(
    ok(T.ResyncRequest, `93 92 ${SEQUENCE_GAP} 92 0a 0c 0a a0`),
    {
      reason: { kind: "SequenceGap", expected: 10n, received: 12n },
      fromMutationId: 10n,
      collection: "",
    },
  );
  const path = "ResyncRequestMsg.reason.SequenceGap";
  bad(T.ResyncRequest, `93 92 ${SEQUENCE_GAP} 91 0a 0a a0`, path, 14);
  bad(T.ResyncRequest, `93 92 ${SEQUENCE_GAP} 93 0a 0c 0d 0a a0`, path, 14);
  bad(T.ResyncRequest, `93 92 ${SEQUENCE_GAP} c0 0a a0`, path, 14);
  bad(T.ResyncRequest, `93 92 ${SEQUENCE_GAP} 82 0a 0c 0a a0`, path, 14);
  bad(
    T.ResyncRequest,
    `93 92 ${SEQUENCE_GAP} 92 0a d0 0c 0a a0`,
    `${path}.received`,
    16,
  );
  // A data variant inside an option inside a struct.
  const reject =
    `93 2a a0 92 af ${"556e6971756556696f6c6174696f6e"} 92 a1 65 c4 01 76`;
  bad(
    T.DeltaReject,
    reject,
    "DeltaRejectMsg.compensation.UniqueViolation.conflicting_value",
    23,
  );
});

Deno.test("structs: the array length must be exact; maps are not structs", () => {
  bad(T.PingPong, "91 cd 30 39", "PingPongMsg", 0);
  bad(T.PingPong, "93 cd 30 39 c2 c2", "PingPongMsg", 0);
  bad(T.PingPong, "82 a1 74 00 a1 70 c2", "PingPongMsg", 0);
  bad(T.PingPong, "dc 00 01 00", "PingPongMsg", 0);
  assert.deepEqual(ok(T.PingPong, "dc 00 02 00 c2"), {
    timestampMs: 0n,
    isPong: false,
  });
  assert.deepEqual(ok(T.PingPong, "dd 00 00 00 02 00 c2"), {
    timestampMs: 0n,
    isPong: false,
  });
  // A nested struct one field short.
  bad(
    T.ShapeSubscribe,
    "91 94 a2 7331 01 92 a8 446f63756d656e74 92 a1 6f c4 00 a0",
    "ShapeSubscribeMsg.shape",
    1,
  );
  // A nested struct inside a list names the item.
  bad(
    T.PresenceBroadcast,
    "92 a1 63 92 93 a1 75 c4 00 00 93 a1 76 a1 78 00",
    "PresenceBroadcastMsg.peers[1].state",
    13,
  );
});

Deno.test("bodies: trailing bytes, truncation, empty body and reserved markers", () => {
  bad(T.PingPong, "92 cd 30 39 c2 c0", "PingPongMsg", 5);
  bad(T.PingPong, "92 cd 30 39 c2 00 00", "PingPongMsg", 5);
  bad(T.PingPong, "92 cd 30", "PingPongMsg.timestamp_ms", 1);
  bad(T.PingPong, "92 cd 30 39", "PingPongMsg.is_pong", 4);
  bad(T.PingPong, "", "PingPongMsg", 0);
  bad(T.PingPong, "c1", "PingPongMsg", 0);
  bad(T.TokenRefresh, "91 a5 61 62", "TokenRefreshMsg.new_token", 1);
  bad(T.TokenRefresh, "91 db ff ff ff ff 61", "TokenRefreshMsg.new_token", 1);
});

// ---------------------------------------------------------------------------
// Encoding: minimal forms, and refusals with the field path.

function encodedField(type: SyncMessageType, body: unknown): string {
  return toHex(encodeMessageBody(type, body as never));
}

Deno.test("encode: u64 takes the smallest uint form", () => {
  const cases: Array<[bigint, string]> = [
    [0n, "00"],
    [127n, "7f"],
    [128n, "cc80"],
    [255n, "ccff"],
    [256n, "cd0100"],
    [65535n, "cdffff"],
    [65536n, "ce00010000"],
    [0xffffffffn, "ceffffffff"],
    [0x100000000n, "cf0000000100000000"],
    [2n ** 53n - 1n, "cf001fffffffffffff"],
    [2n ** 53n + 1n, "cf0020000000000001"],
    [2n ** 64n - 1n, "cfffffffffffffffff"],
  ];
  for (const [value, form] of cases) {
    assert.equal(
      encodedField(T.PingPong, { timestampMs: value, isPong: false }),
      `92${form}c2`,
      String(value),
    );
  }
});

Deno.test("encode: i64 takes the smallest int form, never a uint marker above 127", () => {
  const cases: Array<[bigint, string]> = [
    [0n, "00"],
    [127n, "7f"],
    [128n, "d10080"],
    [200n, "d100c8"],
    [-1n, "ff"],
    [-32n, "e0"],
    [-33n, "d0df"],
    [-128n, "d080"],
    [-129n, "d1ff7f"],
    [32767n, "d17fff"],
    [32768n, "d200008000"],
    [-90000000n, "d2faa2b580"],
    [2n ** 31n - 1n, "d27fffffff"],
    [2n ** 31n, "d30000000080000000"],
    [-(2n ** 31n), "d280000000"],
    [-(2n ** 31n) - 1n, "d3ffffffff7fffffff"],
    [1714300000000n, "d30000018f243e1700"],
    [2n ** 63n - 1n, "d37fffffffffffffff"],
    [-(2n ** 63n), "d38000000000000000"],
  ];
  for (const [value, form] of cases) {
    assert.equal(
      encodedField(T.DeltaAck, {
        mutationId: 7n,
        lsn: 0n,
        clockSkewWarningMs: value,
      }),
      `930700${form}`,
      String(value),
    );
  }
});

Deno.test("encode: fixed and nested byte arrays are integer arrays, direct bytes are bin", () => {
  const hlc = hex("0000018f243e17000001ab54a98ceb1f0ad2");
  assert.equal(
    encodedField(T.ArrayAck, { array: "p", replicaId: 1n, ackHlcBytes: hlc }),
    `93a17001dc0012${HLC}`,
  );
  assert.equal(
    encodedField(T.ArrayDeltaBatch, {
      array: "s",
      opPayloads: [new Uint8Array([0xaa, 1]), new Uint8Array()],
    }),
    "92a1739292ccaa0190",
  );
  assert.equal(
    encodedField(T.PresenceUpdate, {
      channel: "c",
      state: new Uint8Array([1, 2]),
    }),
    "92a163c4020102",
  );
});

function refused(
  type: SyncMessageType,
  body: unknown,
  path: string,
): FrameError {
  let caught: unknown;
  try {
    encodeMessageBody(type, body as never);
  } catch (error) {
    caught = error;
  }
  assert.ok(
    caught instanceof FrameError,
    `expected a FrameError, got ${caught}`,
  );
  assert.equal(caught.code, "bad_value", caught.message);
  assert.equal(caught.path, path, caught.message);
  return caught;
}

Deno.test("encode: out-of-range and wrongly typed values are refused with the field path", () => {
  const ping = (timestampMs: unknown, isPong: unknown = false) => ({
    timestampMs,
    isPong,
  });
  refused(T.PingPong, ping(-1n), "PingPongMsg.timestamp_ms");
  refused(T.PingPong, ping(2n ** 64n), "PingPongMsg.timestamp_ms");
  refused(T.PingPong, ping(5), "PingPongMsg.timestamp_ms");
  refused(T.PingPong, ping("5"), "PingPongMsg.timestamp_ms");
  refused(T.PingPong, ping(undefined), "PingPongMsg.timestamp_ms");
  refused(T.PingPong, ping(0n, 1), "PingPongMsg.is_pong");
  refused(T.PingPong, null, "PingPongMsg");
  refused(T.PingPong, [1n, false], "PingPongMsg.timestamp_ms");

  const ack = (x: unknown) => ({
    mutationId: 1n,
    lsn: 0n,
    clockSkewWarningMs: x,
  });
  refused(T.DeltaAck, ack(2n ** 63n), "DeltaAckMsg.clock_skew_warning_ms");
  refused(
    T.DeltaAck,
    ack(-(2n ** 63n) - 1n),
    "DeltaAckMsg.clock_skew_warning_ms",
  );
  refused(T.DeltaAck, ack(undefined), "DeltaAckMsg.clock_skew_warning_ms");
  refused(T.DeltaAck, ack(1.5), "DeltaAckMsg.clock_skew_warning_ms");

  const purged = (tenantId: unknown) => ({ tenantId, name: "n", purgeLsn: 0n });
  refused(
    T.CollectionPurged,
    purged(0x1_0000_0000),
    "CollectionPurgedMsg.tenant_id",
  );
  refused(T.CollectionPurged, purged(-1), "CollectionPurgedMsg.tenant_id");
  refused(T.CollectionPurged, purged(1.5), "CollectionPurgedMsg.tenant_id");
  refused(T.CollectionPurged, purged(NaN), "CollectionPurgedMsg.tenant_id");
  refused(T.CollectionPurged, purged(7n), "CollectionPurgedMsg.tenant_id");

  const handshake = (wireVersion: unknown, shapes: unknown = []) => ({
    jwtToken: "",
    vectorClock: new Map(),
    subscribedShapes: shapes,
    clientVersion: "ts",
    liteId: "",
    epoch: 0n,
    wireVersion,
  });
  refused(T.Handshake, handshake(0x10000), "HandshakeMsg.wire_version");
  refused(
    T.Handshake,
    handshake(4, ["a", 5]),
    "HandshakeMsg.subscribed_shapes[1]",
  );
  refused(T.Handshake, handshake(4, "a"), "HandshakeMsg.subscribed_shapes");
  refused(
    T.Handshake,
    { ...handshake(4), vectorClock: {} },
    "HandshakeMsg.vector_clock",
  );
  refused(
    T.Handshake,
    { ...handshake(4), vectorClock: new Map([["u", new Map([["d", -1n]])]]) },
    'HandshakeMsg.vector_clock["u"]["d"]',
  );
  refused(
    T.Handshake,
    { ...handshake(4), vectorClock: new Map([[5, new Map()]]) },
    "HandshakeMsg.vector_clock.<key>",
  );
  refused(
    T.TokenRefresh,
    { newToken: "a\ud800b" },
    "TokenRefreshMsg.new_token",
  );
  refused(
    T.TokenRefresh,
    { newToken: "\udc00".repeat(40) },
    "TokenRefreshMsg.new_token",
  );

  const ackHlc = (ackHlcBytes: unknown) => ({
    array: "p",
    replicaId: 1n,
    ackHlcBytes,
  });
  refused(T.ArrayAck, ackHlc(new Uint8Array(17)), "ArrayAckMsg.ack_hlc_bytes");
  refused(T.ArrayAck, ackHlc(new Uint8Array(19)), "ArrayAckMsg.ack_hlc_bytes");
  refused(
    T.ArrayAck,
    ackHlc(new Array(18).fill(0)),
    "ArrayAckMsg.ack_hlc_bytes",
  );
  refused(
    T.ArrayDeltaBatch,
    { array: "s", opPayloads: [new Uint8Array(), [1, 2]] },
    "ArrayDeltaBatchMsg.op_payloads[1]",
  );
  refused(
    T.PresenceUpdate,
    { channel: "c", state: "x" },
    "PresenceUpdateMsg.state",
  );

  const resync = (reason: unknown) => ({
    reason,
    fromMutationId: 0n,
    collection: "",
  });
  refused(
    T.ResyncRequest,
    resync({ kind: "Bogus" }),
    "ResyncRequestMsg.reason",
  );
  refused(T.ResyncRequest, resync("CorruptedState"), "ResyncRequestMsg.reason");
  refused(
    T.ResyncRequest,
    resync({ kind: "SequenceGap", expected: 1n, received: -2n }),
    "ResyncRequestMsg.reason.SequenceGap.received",
  );
  refused(
    T.ShapeSubscribe,
    {
      shape: {
        shapeId: "s",
        tenantId: 1,
        shapeType: {
          kind: "Array",
          arrayName: "a",
          coordRange: { start: [1n, 2], end: null },
        },
        description: "",
        fieldFilter: [],
      },
    },
    "ShapeSubscribeMsg.shape.shape_type.Array.coord_range.start[1]",
  );
  refused(
    T.PresenceBroadcast,
    {
      channel: "c",
      peers: [{ userId: "u", state: new Uint8Array(), lastSeenMs: 0 }],
    },
    "PresenceBroadcastMsg.peers[0].last_seen_ms",
  );
});

Deno.test("encode: a refused value leaves no trace in the next encoding", () => {
  refused(
    T.PingPong,
    { timestampMs: -1n, isPong: false },
    "PingPongMsg.timestamp_ms",
  );
  assert.equal(
    encodedField(T.PingPong, { timestampMs: 12345n, isPong: false }),
    "92cd3039c2",
  );
});

Deno.test("encode and decode: unknown message types are unknown_type", () => {
  assert.throws(
    () => encodeMessageBody(0x13 as SyncMessageType, {} as never),
    (e) => e instanceof FrameError && e.code === "unknown_type",
  );
  assert.throws(
    () => decodeMessageBody(0x13 as SyncMessageType, hex("c0")),
    (e) => e instanceof FrameError && e.code === "unknown_type",
  );
});

// ---------------------------------------------------------------------------
// The body cases B01–B16 of ../shared/reference/bad-input-corpus.md, through
// typed decoding (where a typed field gives them a meaning).

function repeat(pattern: number[], totalBytes: number): Uint8Array {
  const out = new Uint8Array(totalBytes);
  for (let i = 0; i < totalBytes; i++) out[i] = pattern[i % pattern.length];
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function badBytes(type: SyncMessageType, body: Uint8Array, path: string): void {
  assert.throws(
    () => decodeMessageBody(type, body),
    (e) => e instanceof FrameError && e.code === "bad_body" && e.path === path,
  );
}

const PROTO = "a9 5f5f70726f746f5f5f"; // "__proto__"

Deno.test("B01/B02 typed: __proto__ and constructor keys are plain Map keys; nothing is polluted", () => {
  const clocks = ok(T.VectorClockSync, `92 81 ${PROTO} 05 00`) as {
    clocks: Map<string, bigint>;
  };
  assert.deepEqual([...clocks.clocks], [["__proto__", 5n]]);
  const handshake = ok(
    T.Handshake,
    `97 a0 82 ${PROTO} 81 a1 78 05 ab 636f6e7374727563746f72 81 a9 70726f746f74797065 06 90 a0 a0 00 04`,
  ) as { vectorClock: Map<string, Map<string, bigint>> };
  assert.equal(handshake.vectorClock.get("__proto__")?.get("x"), 5n);
  assert.equal(handshake.vectorClock.get("constructor")?.get("prototype"), 6n);
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.equal(Object.getPrototypeOf(handshake), Object.prototype);
  // The generic form of B01 is not a typed body at all.
  badBytes(T.PingPong, hex(`81 ${PROTO} 81 a1 78 c3`), "PingPongMsg");
});

Deno.test("B03/B04 typed: 2^32−1 counts fail before any allocation", () => {
  badBytes(T.PingPong, hex("dd ff ff ff ff"), "PingPongMsg");
  badBytes(T.PingPong, hex("df ff ff ff ff"), "PingPongMsg");
  badBytes(
    T.Handshake,
    hex("97 a0 80 dd ff ff ff ff"),
    "HandshakeMsg.subscribed_shapes",
  );
  badBytes(
    T.Handshake,
    hex("97 a0 df ff ff ff ff"),
    "HandshakeMsg.vector_clock",
  );
  badBytes(
    T.ArrayDeltaBatch,
    hex("92 a1 73 91 dd ff ff ff ff"),
    "ArrayDeltaBatchMsg.op_payloads[0]",
  );
});

Deno.test("B05/B06 typed: 4 GiB str/bin/ext lengths fail at once", () => {
  const mib = new Uint8Array(1 << 20).fill(0x61);
  badBytes(
    T.TokenRefresh,
    concat(hex("91 db ff ff ff ff"), mib),
    "TokenRefreshMsg.new_token",
  );
  badBytes(
    T.PresenceUpdate,
    concat(hex("92 a1 63 c6 ff ff ff ff"), mib),
    "PresenceUpdateMsg.state",
  );
  badBytes(
    T.PresenceUpdate,
    hex("92 a1 63 c9 ff ff ff ff 01"),
    "PresenceUpdateMsg.state",
  );
});

Deno.test("B07/B08 typed: depth bombs fail at the first level the schema does not allow", () => {
  const arrays = concat(new Uint8Array(100_000).fill(0x91), hex("c0"));
  badBytes(T.PingPong, arrays, "PingPongMsg");
  badBytes(
    T.ArrayDeltaBatch,
    concat(hex("92 a1 73"), arrays),
    "ArrayDeltaBatchMsg.op_payloads[0]",
  );
  const maps = concat(repeat([0x81, 0xa1, 0x61], 300_000), hex("c0"));
  badBytes(T.PingPong, maps, "PingPongMsg");
  badBytes(
    T.Handshake,
    concat(hex("97 a0"), maps),
    'HandshakeMsg.vector_clock["a"]["a"]',
  );
});

Deno.test("B09/B10 typed: allocation bombs fail without building the arrays", () => {
  const bomb = repeat([0xdc, 0xff, 0xff], 64 * 1024);
  badBytes(T.PingPong, bomb, "PingPongMsg");
  badBytes(
    T.ArrayDeltaBatch,
    concat(hex("92 a1 73"), bomb),
    "ArrayDeltaBatchMsg.op_payloads",
  );
  const fix = new Uint8Array(64 * 1024).fill(0x9f);
  badBytes(T.PingPong, fix, "PingPongMsg");
  badBytes(
    T.ArrayDeltaBatch,
    concat(hex("92 a1 73"), fix),
    "ArrayDeltaBatchMsg.op_payloads[0]",
  );
});

Deno.test("B11 typed: 64-bit edges are exact bigints", () => {
  assert.equal(
    (ok(T.PingPong, ping("cf 00 20 00 00 00 00 00 01")) as {
      timestampMs: bigint;
    })
      .timestampMs,
    2n ** 53n + 1n,
  );
  assert.equal(
    (ok(T.PingPong, ping("cf ff ff ff ff ff ff ff ff")) as {
      timestampMs: bigint;
    })
      .timestampMs,
    2n ** 64n - 1n,
  );
  assert.equal(
    (ok(T.DeltaAck, "93 00 00 d3 80 00 00 00 00 00 00 00") as {
      clockSkewWarningMs: bigint;
    }).clockSkewWarningMs,
    -(2n ** 63n),
  );
});

Deno.test("B12/B13 typed: trailing bytes, c1 and an empty body are bad_body", () => {
  badBytes(T.PingPong, hex("01 02"), "PingPongMsg");
  bad(T.PingPong, "92 01 c2 02", "PingPongMsg", 3);
  badBytes(T.PingPong, hex("c1"), "PingPongMsg");
  badBytes(T.PingPong, new Uint8Array(), "PingPongMsg");
  bad(T.PingPong, "92 c1 c2", "PingPongMsg.timestamp_ms", 1);
});

Deno.test("B14 typed: invalid UTF-8 is refused at every length", () => {
  bad(T.TokenRefresh, "91 a2 c3 28", "TokenRefreshMsg.new_token", 1);
  bad(T.TokenRefresh, "91 a3 ed a0 80", "TokenRefreshMsg.new_token", 1);
  const long = new Uint8Array(300).fill(0x61);
  long.set([0xc3, 0x28], 150);
  badBytes(
    T.TokenRefresh,
    concat(hex("91 da 01 2c"), long),
    "TokenRefreshMsg.new_token",
  );
  // The same bytes are refused in map keys too.
  bad(
    T.VectorClockSync,
    "92 81 a2 c3 28 05 00",
    "VectorClockSyncMsg.clocks.<key>",
    2,
  );
});

Deno.test("B15 typed: a map accepts only its key type", () => {
  bad(
    T.VectorClockSync,
    "92 81 91 01 02 00",
    "VectorClockSyncMsg.clocks.<key>",
    2,
  );
  bad(
    T.VectorClockSync,
    "92 81 c0 02 00",
    "VectorClockSyncMsg.clocks.<key>",
    2,
  );
  const ts = (x: string) => `99 a1 6c a1 63 c4 00 c4 00 c4 00 00 00 00 ${x}`;
  bad(
    T.TimeseriesPush,
    ts("81 91 01 02"),
    "TimeseriesPushMsg.watermarks.<key>",
    15,
  );
  bad(
    T.TimeseriesPush,
    ts("81 c0 02"),
    "TimeseriesPushMsg.watermarks.<key>",
    15,
  );
  bad(
    T.TimeseriesPush,
    ts("81 ff 02"),
    "TimeseriesPushMsg.watermarks.<key>",
    15,
  );
});

Deno.test("B16 typed: extension types are never a field value", () => {
  bad(T.PingPong, ping("d4 05 00"), "PingPongMsg.timestamp_ms", 1);
  bad(T.TokenRefresh, "91 c7 03 ff 00 00 00", "TokenRefreshMsg.new_token", 1);
  bad(T.PresenceUpdate, "92 a1 63 d4 05 00", "PresenceUpdateMsg.state", 3);
});
