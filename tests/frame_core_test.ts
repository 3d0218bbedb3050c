import assert from "node:assert/strict";
import {
  DEFAULT_MAX_BODY_SIZE,
  directionOf,
  FrameError,
  type FrameErrorCode,
  fromU8,
  SYNC_MESSAGE_TYPES,
  SyncFrame,
  SyncMessageType,
} from "../mod.ts";
import { hex, toHex } from "./_vectors.ts";

// The April 2026 table, written out independently of the spec.
const APRIL_TABLE: Array<[number, string, string]> = [
  [0x01, "Handshake", "client_to_server"],
  [0x02, "HandshakeAck", "server_to_client"],
  [0x10, "DeltaPush", "bidirectional"],
  [0x11, "DeltaAck", "server_to_client"],
  [0x12, "DeltaReject", "server_to_client"],
  [0x14, "CollectionPurged", "server_to_client"],
  [0x20, "ShapeSubscribe", "client_to_server"],
  [0x21, "ShapeSnapshot", "server_to_client"],
  [0x22, "ShapeDelta", "server_to_client"],
  [0x23, "ShapeUnsubscribe", "client_to_server"],
  [0x30, "VectorClockSync", "bidirectional"],
  [0x40, "TimeseriesPush", "client_to_server"],
  [0x41, "TimeseriesAck", "server_to_client"],
  [0x50, "ResyncRequest", "bidirectional"],
  [0x52, "Throttle", "client_to_server"],
  [0x60, "TokenRefresh", "client_to_server"],
  [0x61, "TokenRefreshAck", "server_to_client"],
  [0x70, "DefinitionSync", "server_to_client"],
  [0x80, "PresenceUpdate", "client_to_server"],
  [0x81, "PresenceBroadcast", "server_to_client"],
  [0x82, "PresenceLeave", "server_to_client"],
  [0x90, "ArrayDelta", "bidirectional"],
  [0x91, "ArrayDeltaBatch", "bidirectional"],
  [0x92, "ArraySnapshot", "bidirectional"],
  [0x93, "ArraySnapshotChunk", "bidirectional"],
  [0x94, "ArraySchema", "bidirectional"],
  [0x95, "ArrayAck", "client_to_server"],
  [0x96, "ArrayReject", "server_to_client"],
  [0x97, "ArrayCatchupRequest", "client_to_server"],
  [0xff, "PingPong", "bidirectional"],
];

function assertFrameError(
  fn: () => unknown,
  code: FrameErrorCode,
  details: Partial<Pick<FrameError, "msgType" | "length" | "offset">> = {},
): FrameError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof FrameError, `expected FrameError, got ${caught}`);
  assert.equal(caught.name, "FrameError");
  assert.equal(caught.code, code, caught.message);
  for (const [key, value] of Object.entries(details)) {
    assert.equal(caught[key as keyof FrameError], value, key);
  }
  return caught;
}

Deno.test("fromU8() maps exactly the 30 April codes, for all 256 bytes", () => {
  const known = new Map(APRIL_TABLE.map(([code, name]) => [code, name]));
  for (let byte = 0; byte < 256; byte++) {
    const type = fromU8(byte);
    if (known.has(byte)) {
      assert.equal(type, byte);
      assert.equal(SyncMessageType[type!], known.get(byte));
    } else {
      assert.equal(type, undefined, `0x${byte.toString(16)} is not a code`);
    }
  }
});

Deno.test("fromU8() rejects non-byte numbers", () => {
  for (const value of [-1, 256, 1.5, NaN, 0x101]) {
    assert.equal(fromU8(value), undefined);
  }
});

Deno.test("SYNC_MESSAGE_TYPES lists the table in spec order with its directions", () => {
  assert.deepEqual(
    SYNC_MESSAGE_TYPES.map((t) => [t, SyncMessageType[t], directionOf(t)]),
    APRIL_TABLE,
  );
  assert.ok(Object.isFrozen(SYNC_MESSAGE_TYPES));
});

Deno.test("directionOf() throws unknown_type for a value that is not a type", () => {
  assertFrameError(
    () => directionOf(0x13 as SyncMessageType),
    "unknown_type",
    { msgType: 0x13 },
  );
});

Deno.test("HEADER_SIZE is 5 and the default body limit is 16 MiB", () => {
  assert.equal(SyncFrame.HEADER_SIZE, 5);
  assert.equal(DEFAULT_MAX_BODY_SIZE, 16 * 1024 * 1024);
});

// Rust from_bytes edge cases.
Deno.test("fromBytes() returns undefined for empty input", () => {
  assert.equal(SyncFrame.fromBytes(new Uint8Array(0)), undefined);
});

Deno.test("fromBytes() returns undefined for 4 bytes", () => {
  assert.equal(SyncFrame.fromBytes(hex("ff 00 00 00")), undefined);
});

Deno.test("fromBytes() reads a header-only frame with length 0 as an empty body", () => {
  const frame = SyncFrame.fromBytes(hex("ff 00 00 00 00"));
  assert.ok(frame);
  assert.equal(frame.msgType, SyncMessageType.PingPong);
  assert.equal(frame.body.length, 0);
});

Deno.test("fromBytes() returns undefined for a body truncated by one byte", () => {
  assert.equal(
    SyncFrame.fromBytes(hex("ff 05 00 00 00 92 cd 30 39")),
    undefined,
  );
});

Deno.test("fromBytes() ignores bytes after the frame", () => {
  const frame = SyncFrame.fromBytes(hex("ff 05 00 00 00 92 cd 30 39 c2 de ad"));
  assert.ok(frame);
  assert.equal(toHex(frame.body), "92cd3039c2");
});

Deno.test("fromBytes() returns undefined for an unknown type byte", () => {
  assert.equal(SyncFrame.fromBytes(hex("13 01 00 00 00 c0")), undefined);
  assert.equal(SyncFrame.fromBytes(hex("00 01 00 00 00 c0")), undefined);
});

Deno.test("fromBytes() returns undefined for length 0xFFFFFFFF with a short body", () => {
  assert.equal(SyncFrame.fromBytes(hex("ff ff ff ff ff 00")), undefined);
});

Deno.test("fromBytes() body is a view by default and a copy with copy: true", () => {
  const bytes = hex("ff 01 00 00 00 c2");
  const view = SyncFrame.fromBytes(bytes)!;
  const copy = SyncFrame.fromBytes(bytes, { copy: true })!;
  bytes[5] = 0xc3;
  assert.equal(view.body[0], 0xc3);
  assert.equal(copy.body[0], 0xc2);
});

// decode(): the same rules as fromBytes, with typed errors and a limit.
Deno.test("decode() rejects fewer than 5 bytes with too_short", () => {
  assertFrameError(() => SyncFrame.decode(new Uint8Array(0)), "too_short");
  assertFrameError(() => SyncFrame.decode(hex("ff 05 00 00")), "too_short");
});

Deno.test("decode() rejects an unknown type byte with unknown_type and the byte", () => {
  assertFrameError(
    () => SyncFrame.decode(hex("13 01 00 00 00 c0")),
    "unknown_type",
    { msgType: 0x13 },
  );
  assertFrameError(
    () => SyncFrame.decode(hex("47 45 54 20 2f")),
    "unknown_type",
    { msgType: 0x47 },
  );
});

Deno.test("decode() rejects a truncated body with truncated and the declared length", () => {
  assertFrameError(
    () => SyncFrame.decode(hex("ff 05 00 00 00 92 cd 30 39")),
    "truncated",
    { msgType: 0xff, length: 5 },
  );
});

Deno.test("decode() rejects length 0xFFFFFFFF with too_large from the header alone", () => {
  assertFrameError(
    () => SyncFrame.decode(hex("ff ff ff ff ff")),
    "too_large",
    { msgType: 0xff, length: 0xffffffff },
  );
});

Deno.test("decode() accepts a body of exactly maxBodySize and rejects one byte more", () => {
  const ok = SyncFrame.decode(hex("ff 03 00 00 00 92 01 c2"), {
    maxBodySize: 3,
  });
  assert.equal(ok.body.length, 3);
  assertFrameError(
    () => SyncFrame.decode(hex("ff 04 00 00 00"), { maxBodySize: 3 }),
    "too_large",
    { length: 4 },
  );
});

Deno.test("decode() checks type before length and length before truncation", () => {
  assertFrameError(
    () => SyncFrame.decode(hex("13 ff ff ff ff")),
    "unknown_type",
  );
  assertFrameError(
    () => SyncFrame.decode(hex("ff 00 00 00 01 00"), { maxBodySize: 10 }),
    "too_large",
  );
});

Deno.test("decode() rejects an invalid maxBodySize with bad_value", () => {
  for (const maxBodySize of [-1, 1.5, 2 ** 32, NaN]) {
    assertFrameError(
      () => SyncFrame.decode(hex("ff 00 00 00 00"), { maxBodySize }),
      "bad_value",
    );
  }
});

Deno.test("decode() ignores bytes after the frame", () => {
  const frame = SyncFrame.decode(hex("11 04 00 00 00 93 07 00 c0 ff ff"));
  assert.equal(toHex(frame.body), "930700c0");
});

// Construction and encoding.
Deno.test("the constructor rejects a type that is not a message type", () => {
  assertFrameError(
    () => new SyncFrame(0x13 as SyncMessageType, new Uint8Array()),
    "unknown_type",
    { msgType: 0x13 },
  );
});

Deno.test("the constructor rejects a body that is not a Uint8Array", () => {
  assertFrameError(
    () =>
      new SyncFrame(
        SyncMessageType.PingPong,
        [1, 2] as unknown as Uint8Array,
      ),
    "bad_value",
  );
});

Deno.test("toBytes() writes the u32 length little-endian", () => {
  const body = new Uint8Array(0x010203);
  const bytes = new SyncFrame(SyncMessageType.DeltaPush, body).toBytes();
  assert.deepEqual(Array.from(bytes.subarray(0, 5)), [
    0x10,
    0x03,
    0x02,
    0x01,
    0x00,
  ]);
  assert.equal(bytes.length, 5 + 0x010203);
});

Deno.test("toBytes() refuses a body longer than 0xFFFFFFFF instead of wrapping", () => {
  // A length-only stand-in: a real 4 GiB body is not needed to prove the check.
  const body = new Proxy(new Uint8Array(0), {
    get(target, key) {
      return key === "length"
        ? 0x1_0000_0000
        : Reflect.get(target, key, target);
    },
  });
  const frame = new SyncFrame(SyncMessageType.DeltaPush, body);
  assertFrameError(() => frame.toBytes(), "too_large", {
    length: 0x1_0000_0000,
  });
  assertFrameError(() => frame.encodeInto(new Uint8Array(16)), "too_large");
});

Deno.test("encodeInto() writes at an offset and returns the size", () => {
  const target = new Uint8Array(16).fill(0xaa);
  const frame = new SyncFrame(SyncMessageType.DeltaAck, hex("93 07 00 c0"));
  assert.equal(frame.encodeInto(target, 3), 9);
  assert.equal(toHex(target), "aaaaaa11040000009307" + "00c0aaaaaaaa");
  assert.equal(frame.byteLength, 9);
});

Deno.test("encodeInto() refuses a buffer that is too small", () => {
  const frame = new SyncFrame(SyncMessageType.DeltaAck, hex("93 07 00 c0"));
  assertFrameError(() => frame.encodeInto(new Uint8Array(8)), "bad_value");
  assertFrameError(() => frame.encodeInto(new Uint8Array(16), 8), "bad_value");
  assertFrameError(() => frame.encodeInto(new Uint8Array(16), -1), "bad_value");
});

Deno.test("newMsgpack() writes the worked examples of the reference byte for byte", () => {
  const cases: Array<[SyncMessageType, unknown, string]> = [
    [SyncMessageType.PingPong, [12345, false], "ff0500000092cd3039c2"],
    [SyncMessageType.DeltaAck, [7, 0, null], "1104000000930700c0"],
    [
      SyncMessageType.Handshake,
      ["", {}, [], "ts", "", 0, 4],
      "010a00000097a08090a27473a00004",
    ],
    [
      SyncMessageType.ResyncRequest,
      [["CorruptedState", null], 0, ""],
      "501400000093" + "92ae436f7272757074656453746174" + "65c000a0",
    ],
  ];
  for (const [type, value, frameHex] of cases) {
    const frame = SyncFrame.newMsgpack(type, value);
    assert.ok(frame);
    assert.equal(toHex(frame.toBytes()), frameHex);
  }
});

Deno.test("newMsgpack() writes bigints as 64-bit and keeps u64 above 2^53 exact", () => {
  const frame = SyncFrame.newMsgpack(SyncMessageType.PingPong, [
    2n ** 53n + 1n,
    -(2n ** 63n),
  ]);
  assert.equal(
    toHex(frame!.body),
    "92cf0020000000000001d38000000000000000",
  );
  assert.deepEqual(frame!.decodeBody(), [2n ** 53n + 1n, -(2n ** 63n)]);
});

Deno.test("newMsgpack() returns undefined for values it cannot write faithfully", () => {
  const cyclic: unknown[] = [];
  cyclic.push(cyclic);
  for (
    const value of [
      2n ** 64n,
      -(2n ** 63n) - 1n,
      "\ud800",
      () => 1,
      Symbol("x"),
      new Date(0),
      cyclic,
    ]
  ) {
    assert.equal(
      SyncFrame.newMsgpack(SyncMessageType.PingPong, value),
      undefined,
      String(typeof value),
    );
  }
});

Deno.test("newMsgpack() writes Maps as maps, not as empty objects", () => {
  const frame = SyncFrame.newMsgpack(
    SyncMessageType.VectorClockSync,
    [new Map([["users", 42]]), 0],
  );
  assert.equal(toHex(frame!.body), "9281a575736572732a00");
});

Deno.test("tryEncode() reports the failure with its path through onError", () => {
  const errors: FrameError[] = [];
  const frame = SyncFrame.tryEncode(
    SyncMessageType.DeltaAck,
    [1, { big: 2n ** 70n }],
    { onError: (error) => errors.push(error) },
  );
  assert.equal(frame, undefined);
  assert.equal(errors.length, 1);
  assert.equal(errors[0].code, "bad_value");
  assert.equal(errors[0].path, "value[1].big");
});

Deno.test("tryEncode() names the exact path of a bad value in arrays, maps, objects and keys, call after call", () => {
  const cases: Array<[unknown, string, string]> = [
    [[0, [1, 2, () => 3]], "value[1][2]", "function has no MessagePack form"],
    [
      new Map<string, unknown>([["a", 1], ["b", [Symbol("s")]]]),
      "value.b[0]",
      "symbol",
    ],
    [
      new Map<unknown, unknown>([[1, "x"], [2, 2n ** 64n]]),
      "value.2",
      "64-bit",
    ],
    [new Map<unknown, unknown>([[1.5, 0]]), "value.<key>", "map keys"],
    [{ ok: [true], ["\ud800"]: 1 }, "value.<key>", "lone UTF-16 surrogate"],
    [{ a: { b: { c: new Date(0) } } }, "value.a.b.c", "Date has no"],
    [[{ x: 1 }, { y: "\udc00" }], "value[1].y", "lone UTF-16 surrogate"],
    [1n << 64n, "value", "64-bit"],
  ];
  for (let round = 0; round < 2; round++) {
    for (const [value, path, reason] of cases) {
      const errors: FrameError[] = [];
      const frame = SyncFrame.tryEncode(SyncMessageType.PingPong, value, {
        onError: (error) => errors.push(error),
      });
      assert.equal(frame, undefined);
      assert.equal(errors[0].path, path);
      assert.ok(errors[0].message.includes(reason), errors[0].message);
      assert.ok(errors[0].message.startsWith(`cannot encode ${path}: `));
    }
  }
  // A good value after the failures encodes exactly.
  const frame = SyncFrame.tryEncode(SyncMessageType.PingPong, [[1], { a: 2 }]);
  assert.equal(toHex(frame!.body), "92910181a16102");
});

Deno.test("tryEncode() reports an unknown type through onError", () => {
  const errors: FrameError[] = [];
  const frame = SyncFrame.tryEncode(0x13 as SyncMessageType, [], {
    onError: (error) => errors.push(error),
  });
  assert.equal(frame, undefined);
  assert.equal(errors[0].code, "unknown_type");
});

Deno.test("tryEncode() without onError fails silently, like newMsgpack()", () => {
  assert.equal(
    SyncFrame.tryEncode(SyncMessageType.PingPong, [2n ** 64n]),
    undefined,
  );
});

Deno.test("decodeBody() returns undefined on failure and decodeBodyOrThrow() says why", () => {
  const frame = new SyncFrame(SyncMessageType.DeltaAck, hex("93 07 00"));
  assert.equal(frame.decodeBody(), undefined);
  const error = assertFrameError(
    () => frame.decodeBodyOrThrow(),
    "bad_body",
    { msgType: SyncMessageType.DeltaAck, offset: 0 },
  );
  assert.match(error.message, /DeltaAck body/);
});

Deno.test("decodeBody() reads an empty body (F06) as a bad_body failure", () => {
  const frame = SyncFrame.decode(hex("ff 00 00 00 00"));
  assert.equal(frame.body.length, 0);
  assert.equal(frame.decodeBody(), undefined);
  assertFrameError(() => frame.decodeBodyOrThrow(), "bad_body");
});

Deno.test("direction reports who may send the frame", () => {
  const frame = new SyncFrame(SyncMessageType.HandshakeAck, new Uint8Array());
  assert.equal(frame.direction, "server_to_client");
});

Deno.test("toBytes() results and copied bodies never share bytes with each other", () => {
  const a = new SyncFrame(SyncMessageType.PingPong, hex("c2")).toBytes();
  const b = new SyncFrame(SyncMessageType.PingPong, hex("c3")).toBytes();
  a.fill(0);
  assert.equal(toHex(b), "ff01000000c3");
  const wire = hex("ff 01 00 00 00 c2");
  const first = SyncFrame.decode(wire, { copy: true }).body;
  const second = SyncFrame.decode(wire, { copy: true }).body;
  first[0] = 0;
  assert.equal(second[0], 0xc2);
  assert.equal(wire[5], 0xc2);
});

Deno.test("toBytes() of a large frame gets a buffer of its own", () => {
  const bytes = new SyncFrame(SyncMessageType.DeltaPush, new Uint8Array(8192))
    .toBytes();
  assert.equal(bytes.byteOffset, 0);
  assert.equal(bytes.buffer.byteLength, 8197);
});
