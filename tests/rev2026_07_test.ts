// Revision 2026-07 (`@sync/frame/2026-07`): the 77 reference vectors both ways,
// byte for byte, and the frame header of reference §1 (version byte, CRC-32C,
// the five "no frame" cases in order), with the constants and directions.
import assert from "node:assert/strict";
import * as july from "../entries/2026-07.ts";
import * as april from "../mod.ts";
import {
  crc32c,
  decodeMessage,
  decodeMessageBody,
  directionOf,
  encodeMessage,
  encodeMessageBody,
  FORMAT_VERSION,
  FRAME_LAYOUT,
  fromU8,
  HEADER_SIZE,
  SYNC_MESSAGE_TYPES,
  SyncFrame,
  SyncMessageType,
  WIRE_VERSION,
} from "../entries/2026-07.ts";
import {
  hex,
  toHex,
  VECTORS,
  VECTORS_2026_07,
  VECTORS_2026_07_PATH,
} from "./_vectors.ts";
import { revisionValues } from "./_typed_values.ts";
import { frameError } from "./_rev_assert.ts";

const { bodyNameOf, typedBody } = revisionValues("2026-07");

type Codec = (value: unknown, options?: unknown) => Uint8Array;
type Decoder = (bytes: Uint8Array, options?: unknown) => unknown;
const api = july as unknown as Record<string, Codec | Decoder>;

function u32le(bytes: Uint8Array, at: number): number {
  return (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) |
    (bytes[at + 3] << 24)) >>> 0;
}

const vectorNamed = (name: string) =>
  VECTORS_2026_07.find((v) => v.name === name)!;
const PING = hex("01 ff 05 00 00 00 76 ea 5d 00 92 cd 30 39 c2");

// ---------------------------------------------------------------------------
// The reference vectors

Deno.test("2026-07 vector fixture is the shared reference's vectors-2026-07.json, 77 entries", async () => {
  assert.equal(VECTORS_2026_07.length, 77);
  const shared = new URL(
    "../../../shared/reference/vectors-2026-07.json",
    VECTORS_2026_07_PATH,
  );
  let original: string;
  try {
    original = await Deno.readTextFile(shared);
  } catch {
    return; // A clone without shared/ beside it tests against its own copy.
  }
  assert.equal(await Deno.readTextFile(VECTORS_2026_07_PATH), original);
});

Deno.test("2026-07 vectors cover all 49 message types", () => {
  const covered = new Set(VECTORS_2026_07.map((v) => v.type_code));
  assert.deepEqual(
    [...covered].sort((a, b) => a - b),
    [
      ...SYNC_MESSAGE_TYPES,
    ].sort((a, b) => a - b),
  );
});

for (const vector of VECTORS_2026_07) {
  const type = vector.type_code as SyncMessageType;
  const body = typedBody(vector.type_code, vector.value);
  const bodyName = bodyNameOf(vector.type_code);

  // The msgpack-kind CollectionSchemaSyncMsg.descriptor decodes with the
  // generic reader (a plain object, small integers as numbers), which is
  // exactly the JSON value the table's fromVector keeps.
  Deno.test(`2026-07 vector ${vector.name}: decodeMessage(frame_hex) equals the typed value`, () => {
    const message = decodeMessage(hex(vector.frame_hex));
    assert.equal(message.type, type);
    assert.equal(SyncMessageType[message.type], vector.type_name);
    assert.deepEqual(message.body, body);
    assert.deepEqual(
      decodeMessageBody(type, hex(vector.body_hex), { copy: true }).body,
      body,
    );
    assert.deepEqual(
      (api[`decode${bodyName}`] as Decoder)(hex(vector.body_hex)),
      body,
    );
    assert.deepEqual(SyncFrame.decode(hex(vector.frame_hex)).decodeMessage(), {
      type,
      body,
    });
  });

  Deno.test(`2026-07 vector ${vector.name}: encodeMessage reproduces frame_hex, encodeMessageBody and encode${bodyName} body_hex`, () => {
    assert.equal(toHex(encodeMessage(type, body as never)), vector.frame_hex);
    assert.equal(
      toHex(encodeMessageBody(type, body as never)),
      vector.body_hex,
    );
    assert.equal(
      toHex((api[`encode${bodyName}`] as Codec)(body)),
      vector.body_hex,
    );
  });

  Deno.test(`2026-07 vector ${vector.name}: SyncFrame.fromBytes reads body_hex, new SyncFrame(type, body).toBytes() writes frame_hex`, () => {
    const frame = hex(vector.frame_hex);
    const parsed = SyncFrame.fromBytes(frame);
    assert.ok(parsed, "the frame decodes");
    assert.equal(parsed.msgType, type);
    assert.equal(toHex(parsed.body), vector.body_hex);
    assert.equal(toHex(SyncFrame.decode(frame).body), vector.body_hex);
    const built = new SyncFrame(type, hex(vector.body_hex));
    assert.equal(toHex(built.toBytes()), vector.frame_hex);
    assert.equal(built.byteLength, frame.length);
    // §1: version 1, the type, u32 LE length, u32 LE CRC-32C of the body only.
    assert.equal(frame[0], 1);
    assert.equal(frame[1], vector.type_code);
    assert.equal(u32le(frame, 2), frame.length - 10);
    assert.equal(u32le(frame, 6), crc32c(hex(vector.body_hex)));
  });
}

// ---------------------------------------------------------------------------
// Constants, message types and directions

Deno.test("2026-07 constants: WIRE_VERSION 1, HEADER_SIZE 10, FORMAT_VERSION 1, 49 message types", () => {
  assert.equal(WIRE_VERSION, 1);
  assert.equal(HEADER_SIZE, 10);
  assert.equal(FORMAT_VERSION, 1);
  assert.equal(SyncFrame.HEADER_SIZE, 10);
  assert.equal(SyncFrame.FORMAT_VERSION, 1);
  assert.equal(SYNC_MESSAGE_TYPES.length, 49);
  const known = Array.from({ length: 256 }, (_, b) => b).filter((b) =>
    fromU8(b) !== undefined
  );
  assert.deepEqual(known, [...SYNC_MESSAGE_TYPES].sort((a, b) => a - b));
  assert.equal(FRAME_LAYOUT.revision, "2026-07");
  assert.equal(FRAME_LAYOUT.headerSize, 10);
  assert.equal(FRAME_LAYOUT.versionOffset, 0);
  assert.equal(FRAME_LAYOUT.version, 1);
  assert.equal(FRAME_LAYOUT.typeOffset, 1);
  assert.equal(FRAME_LAYOUT.lengthOffset, 2);
  assert.equal(FRAME_LAYOUT.checksumOffset, 6);
});

Deno.test("2026-04 constants: WIRE_VERSION 4, HEADER_SIZE 5, no FORMAT_VERSION, 30 message types", () => {
  assert.equal(april.WIRE_VERSION, 4);
  assert.equal(april.HEADER_SIZE, 5);
  assert.equal(april.SyncFrame.HEADER_SIZE, 5);
  assert.ok(!("FORMAT_VERSION" in april));
  assert.equal(april.SYNC_MESSAGE_TYPES.length, 30);
  const known = Array.from({ length: 256 }, (_, b) => b).filter((b) =>
    april.fromU8(b) !== undefined
  );
  assert.equal(known.length, 30);
  assert.equal(april.FRAME_LAYOUT.headerSize, 5);
  assert.equal(april.FRAME_LAYOUT.versionOffset, -1);
  assert.equal(april.FRAME_LAYOUT.checksumOffset, -1);
  // The 19 codes new in 2026-07 are unknown to 2026-04.
  for (const code of [0x13, 0x15, 0x16, 0xa0, 0xa7, 0xaf]) {
    assert.equal(april.fromU8(code), undefined);
    assert.notEqual(fromU8(code), undefined);
  }
});

Deno.test("2026-07 directionOf: DeltaPush client_to_server, CollectionSchema bidirectional, RowPush server_to_client", () => {
  assert.equal(directionOf(SyncMessageType.DeltaPush), "client_to_server");
  assert.equal(directionOf(SyncMessageType.CollectionSchema), "bidirectional");
  assert.equal(directionOf(SyncMessageType.RowPush), "server_to_client");
  assert.equal(directionOf(SyncMessageType.RowPushReject), "client_to_server");
  assert.equal(directionOf(SyncMessageType.ArrayDelta), "bidirectional");
  assert.equal(directionOf(SyncMessageType.ArraySnapshot), "server_to_client");
  assert.equal(directionOf(SyncMessageType.KvPush), "client_to_server");
  assert.equal(directionOf(SyncMessageType.PingPong), "bidirectional");
  frameError(() => directionOf(0x0a as SyncMessageType), "unknown_type");
});

Deno.test("2026-07 codes, names and directions match the reference §3 table when it is present", async () => {
  let text: string;
  try {
    text = await Deno.readTextFile(
      new URL(
        "../../../shared/reference/sync-protocol-2026-07.md",
        VECTORS_2026_07_PATH,
      ),
    );
  } catch {
    return;
  }
  const section = text.slice(
    text.indexOf("## 3. Message codes"),
    text.indexOf("## 4."),
  );
  const rows = [
    ...section.matchAll(/^\| 0x([0-9A-F]{2}) \| (\w+) \| ([^|]+) \|/gm),
  ];
  assert.equal(rows.length, 49);
  for (const [, code, name, direction] of rows) {
    const type = parseInt(code, 16) as SyncMessageType;
    assert.equal(SyncMessageType[type], name, `0x${code}`);
    const expected = direction.startsWith("c→s")
      ? "client_to_server"
      : direction.startsWith("s→c")
      ? "server_to_client"
      : "bidirectional";
    assert.ok(direction.startsWith("both") || expected !== "bidirectional");
    assert.equal(directionOf(type), expected, `${name} (${direction.trim()})`);
  }
});

Deno.test("2026-07 encoders refuse a type byte that is no 2026-07 message type with unknown_type", () => {
  const ping = { timestampMs: 1n, isPong: false };
  for (const type of [0x00, 0x0a, 0x51, 0xfe]) {
    frameError(
      () => encodeMessage(type as SyncMessageType, ping as never),
      "unknown_type",
    );
    frameError(
      () => encodeMessageBody(type as SyncMessageType, ping as never),
      "unknown_type",
    );
    frameError(
      () => new SyncFrame(type as SyncMessageType, new Uint8Array(1)),
      "unknown_type",
    );
    frameError(
      () => decodeMessageBody(type as SyncMessageType, new Uint8Array([0xc0])),
      "unknown_type",
    );
  }
  // A code new in 2026-07 is unknown to 2026-04.
  frameError(
    () => new april.SyncFrame(0x15 as never, new Uint8Array(1)),
    "unknown_type",
  );
  assert.ok(new SyncFrame(SyncMessageType.RowPush, new Uint8Array(1)));
});

// ---------------------------------------------------------------------------
// CRC-32C and the checksum field

Deno.test('2026-07 crc32c("123456789") is the Castagnoli check value 0xE3069283; the empty body\'s is 0', () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(PING.subarray(10)), 0x005dea76);
});

for (
  const name of [
    "ping",
    "delta_ack_applied",
    "vector_insert_f32",
    "collection_schema_users",
  ]
) {
  Deno.test(`2026-07 decode() rejects every flipped body bit of vector ${name} with bad_checksum (expected = header's, actual = body's)`, () => {
    const frame = hex(vectorNamed(name).frame_hex);
    const header = u32le(frame, 6);
    for (let at = 10; at < frame.length; at++) {
      for (let bit = 0; bit < 8; bit++) {
        const bad = frame.slice();
        bad[at] ^= 1 << bit;
        const actual = crc32c(bad.subarray(10));
        assert.notEqual(actual, header);
        const error = frameError(() => SyncFrame.decode(bad), "bad_checksum");
        assert.equal(error.expectedChecksum, header);
        assert.equal(error.actualChecksum, actual);
        assert.equal(error.msgType, frame[1]);
        assert.equal(SyncFrame.fromBytes(bad), undefined);
        const viaMessage = frameError(() => decodeMessage(bad), "bad_checksum");
        assert.equal(viaMessage.expectedChecksum, header);
        assert.equal(viaMessage.actualChecksum, actual);
      }
    }
  });
}

Deno.test("2026-07 decode() rejects a flipped bit of the checksum field itself with bad_checksum", () => {
  for (let at = 6; at < 10; at++) {
    for (let bit = 0; bit < 8; bit++) {
      const bad = PING.slice();
      bad[at] ^= 1 << bit;
      const error = frameError(() => SyncFrame.decode(bad), "bad_checksum");
      assert.equal(error.expectedChecksum, u32le(bad, 6));
      assert.equal(error.actualChecksum, 0x005dea76);
      assert.equal(SyncFrame.fromBytes(bad), undefined);
    }
  }
});

Deno.test("2026-07 decode() rejects the CRC stored big-endian, an IEEE CRC-32 and a CRC over header + body", () => {
  const bigEndian = hex("01 ff 05 00 00 00 00 5d ea 76 92 cd 30 39 c2");
  const error = frameError(() => SyncFrame.decode(bigEndian), "bad_checksum");
  assert.equal(error.expectedChecksum, 0x76ea5d00);
  assert.equal(error.actualChecksum, 0x005dea76);
  assert.equal(SyncFrame.fromBytes(bigEndian), undefined);

  const body = PING.subarray(10);
  const withChecksum = (crc: number) => {
    const bad = PING.slice();
    new DataView(bad.buffer).setUint32(6, crc, true);
    return bad;
  };
  let ieee = 0xffffffff; // CRC-32 (IEEE, reflected 0xEDB88320)
  for (const byte of body) {
    ieee ^= byte;
    for (let k = 0; k < 8; k++) {
      ieee = (ieee >>> 1) ^ (0xedb88320 & -(ieee & 1));
    }
  }
  ieee = (ieee ^ 0xffffffff) >>> 0;
  const overAll = crc32c(new Uint8Array([...PING.subarray(0, 6), ...body]));
  for (const crc of [ieee, overAll, crc32c(PING)]) {
    assert.notEqual(crc, 0x005dea76);
    const bad = withChecksum(crc);
    const e = frameError(() => SyncFrame.decode(bad), "bad_checksum");
    assert.equal(e.expectedChecksum, crc);
    assert.equal(SyncFrame.fromBytes(bad), undefined);
  }
});

// ---------------------------------------------------------------------------
// The other "no frame" cases of §1, in order

Deno.test("2026-07 decode() rejects version bytes 0 and 2 (and any but 1) with bad_version carrying .version", () => {
  for (let version = 0; version < 256; version++) {
    if (version === 1) continue;
    const bad = PING.slice();
    bad[0] = version;
    const error = frameError(() => SyncFrame.decode(bad), "bad_version");
    assert.equal(error.version, version);
    assert.equal(SyncFrame.fromBytes(bad), undefined);
    assert.equal(
      frameError(() => decodeMessage(bad), "bad_version").version,
      version,
    );
  }
});

Deno.test("2026-07 rejects the April ping ff 05 00 00 00 92 cd 30 39 c2 with bad_version 0xff", () => {
  const aprilPing = hex("ff 05 00 00 00 92 cd 30 39 c2");
  assert.equal(SyncFrame.fromBytes(aprilPing), undefined);
  assert.equal(
    frameError(() => SyncFrame.decode(aprilPing), "bad_version").version,
    0xff,
  );
  assert.equal(
    frameError(() => decodeMessage(aprilPing), "bad_version").version,
    0xff,
  );
  // And 2026-04 rejects the July ping: type byte 0x01 is Handshake, whose
  // declared length (ff 05 00 00 = 1535) runs past the input.
  assert.equal(april.SyncFrame.fromBytes(PING), undefined);
});

Deno.test("2026-07 rejects the April Handshake frame (01 0a …) with unknown_type 0x0a", () => {
  const aprilHandshake = VECTORS.find((v) => v.type_name === "Handshake")!;
  const bytes = hex(aprilHandshake.frame_hex);
  assert.equal(bytes[0], 0x01);
  assert.equal(bytes[1], 0x0a);
  assert.equal(SyncFrame.fromBytes(bytes), undefined);
  assert.equal(
    frameError(() => SyncFrame.decode(bytes), "unknown_type").msgType,
    0x0a,
  );
});

Deno.test("2026-07 decode() rejects inputs shorter than 10 bytes with too_short, before any other check", () => {
  for (let n = 0; n < 10; n++) {
    for (const bytes of [PING.subarray(0, n), new Uint8Array(n).fill(0xee)]) {
      frameError(() => SyncFrame.decode(bytes), "too_short");
      frameError(() => decodeMessage(bytes), "too_short");
      assert.equal(SyncFrame.fromBytes(bytes), undefined);
    }
  }
});

Deno.test("2026-07 decode() rejects every unknown type byte with unknown_type carrying .msgType", () => {
  let unknown = 0;
  for (let type = 0; type < 256; type++) {
    if (fromU8(type) !== undefined) continue;
    unknown++;
    const bad = PING.slice();
    bad[1] = type;
    assert.equal(
      frameError(() => SyncFrame.decode(bad), "unknown_type").msgType,
      type,
    );
    assert.equal(SyncFrame.fromBytes(bad), undefined);
    // The version is checked before the type.
    bad[0] = 2;
    frameError(() => SyncFrame.decode(bad), "bad_version");
  }
  assert.equal(unknown, 256 - 49);
});

Deno.test("2026-07 decode() rejects a body shorter than the declared length with truncated", () => {
  for (let cut = 1; cut <= 5; cut++) {
    const bad = PING.subarray(0, PING.length - cut);
    const error = frameError(() => SyncFrame.decode(bad), "truncated");
    assert.equal(error.length, 5);
    assert.equal(SyncFrame.fromBytes(bad), undefined);
    frameError(() => decodeMessage(bad), "truncated");
  }
  // The length is checked against the limit from the header alone.
  const e = frameError(
    () => SyncFrame.decode(PING, { maxBodySize: 4 }),
    "too_large",
  );
  assert.equal(e.length, 5);
});

Deno.test("2026-07 fromBytes() and decode() ignore bytes after the frame", () => {
  const vector = vectorNamed("delta_ack_applied");
  const frame = hex(vector.frame_hex);
  for (const extra of [[0x00], [0xff, 0xff], [...PING]]) {
    const input = new Uint8Array([...frame, ...extra]);
    assert.equal(toHex(SyncFrame.fromBytes(input)!.body), vector.body_hex);
    assert.equal(toHex(SyncFrame.decode(input).body), vector.body_hex);
    assert.deepEqual(
      decodeMessage(input).body,
      typedBody(vector.type_code, vector.value),
    );
  }
});

Deno.test("2026-07 an empty body has CRC 0 and is a valid frame (but no valid PingPong body)", () => {
  const empty = hex("01 ff 00 00 00 00 00 00 00 00");
  assert.equal(
    toHex(new SyncFrame(SyncMessageType.PingPong, new Uint8Array(0)).toBytes()),
    toHex(empty),
  );
  assert.equal(SyncFrame.decode(empty).body.length, 0);
  assert.equal(SyncFrame.fromBytes(empty)?.body.length, 0);
  assert.equal(
    frameError(() => decodeMessage(empty), "bad_body").path,
    "PingPongMsg",
  );
});

Deno.test("2026-07 newMsgpack, tryEncode, shared and large encodes all write the body's CRC-32C", () => {
  const expected = toHex(PING);
  const ping = SyncFrame.newMsgpack(SyncMessageType.PingPong, [12345, false]);
  assert.equal(toHex(ping!.toBytes()), expected);
  const tried = SyncFrame.tryEncode(SyncMessageType.PingPong, [12345, false]);
  assert.equal(toHex(tried!.toBytes()), expected);
  const typed = { timestampMs: 12345n, isPong: false };
  assert.equal(
    toHex(encodeMessage(SyncMessageType.PingPong, typed, { shared: true })),
    expected,
  );
  // Bodies past the 4 KiB pool and the 64 KiB slab.
  for (const size of [5000, 70_000, 300_000]) {
    const state = new Uint8Array(size).map((_, i) => i * 31);
    const frame = encodeMessage(SyncMessageType.PresenceUpdate, {
      channel: "c",
      state,
    });
    assert.equal(u32le(frame, 2), frame.length - 10);
    assert.equal(u32le(frame, 6), crc32c(frame.subarray(10)));
    assert.ok(SyncFrame.fromBytes(frame), `a ${size}-byte state`);
  }
});

Deno.test("2026-07 encodeInto() writes the same bytes as toBytes(), checksum included", () => {
  for (const vector of VECTORS_2026_07.slice(0, 10)) {
    const frame = new SyncFrame(
      vector.type_code as SyncMessageType,
      hex(vector.body_hex),
    );
    const out = new Uint8Array(frame.byteLength + 7).fill(0xaa);
    assert.equal(frame.encodeInto(out, 3), frame.byteLength);
    assert.equal(
      toHex(out.subarray(3, 3 + frame.byteLength)),
      vector.frame_hex,
    );
    assert.equal(out[2], 0xaa);
    assert.equal(out[3 + frame.byteLength], 0xaa);
  }
});
