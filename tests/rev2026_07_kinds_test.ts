// Revision 2026-07 field kinds new on this wire (reference §4, §5 rules 4, 7,
// 12): f32 items are float32 (`ca`) only and must be exact; `u8x32` is an
// array of exactly 32 uint items, never bin; tuples have exact arity. Bodies
// are written by hand from the reference's bytes.
import assert from "node:assert/strict";
import {
  decodeFtsIndexMsg,
  decodeHandshakeAckMsg,
  decodeVectorInsertMsg,
  encodeFtsIndexMsg,
  encodeHandshakeAckMsg,
  encodeVectorInsertMsg,
} from "../entries/2026-07.ts";
import type {
  FtsIndexMsg,
  HandshakeAckMsg,
  VectorInsertMsg,
} from "../entries/2026-07.ts";
import { hex, toHex, VECTORS_2026_07 } from "./_vectors.ts";
import { revisionValues } from "./_typed_values.ts";
import { badBody, fixstr as s, frameError } from "./_rev_assert.ts";

const JULY = revisionValues("2026-07");
// ---------------------------------------------------------------------------
// f32

const VECTOR_INSERT = VECTORS_2026_07.find((v) =>
  v.name === "vector_insert_f32"
)!;
const VECTOR_VALUE = JULY.typedBody(
  VECTOR_INSERT.type_code,
  VECTOR_INSERT.value,
) as VectorInsertMsg;
const VECTOR_HEAD = `9a ${s("lite-a")} ${s("embeddings")} ${s("e1")}`;
const VECTOR_TAIL = `06 ${s("embedding")} 0b 2a 01 05`;

Deno.test("2026-07 VectorInsertMsg.vector items must be float32 (ca); a float64 (cb) or an integer item is rejected", () => {
  const items = [
    "ca00000000",
    "ca80000000",
    "ca3fc00000",
    "cac0100000",
    "ca7f7fffff",
    "ca00000001",
  ];
  const body = (list: string[]) =>
    hex(`${VECTOR_HEAD} 96 ${list.join(" ")} ${VECTOR_TAIL}`);
  assert.equal(toHex(body(items)), VECTOR_INSERT.body_hex);
  assert.deepEqual(decodeVectorInsertMsg(body(items)), VECTOR_VALUE);
  const replaced = (i: number, item: string) =>
    items.map((x, k) => (k === i ? item : x));
  for (
    const [i, item] of [
      [0, "cb0000000000000000"],
      [2, "cb3ff8000000000000"],
      [1, "00"],
      [3, "01"],
      [4, "d0ff"],
      [5, "c0"],
    ] as const
  ) {
    const error = badBody(
      () => decodeVectorInsertMsg(body(replaced(i, item))),
      `VectorInsertMsg.vector[${i}]`,
    );
    assert.equal(error.path, `VectorInsertMsg.vector[${i}]`);
  }
  // A truncated float32.
  badBody(
    () => decodeVectorInsertMsg(hex(`${VECTOR_HEAD} 91 ca 3f c0`)),
    "VectorInsertMsg.vector[0]",
  );
});

Deno.test("2026-07 encoding an f32 that float32 cannot hold exactly (0.1) is bad_value; integral values are still ca", () => {
  for (const v of [0.1, 1 / 3, 2 ** 24 + 1, 1e39, 1e-46]) {
    const error = frameError(
      () => encodeVectorInsertMsg({ ...VECTOR_VALUE, vector: [1.5, v] }),
      "bad_value",
    );
    assert.equal(error.path, "VectorInsertMsg.vector[1]");
  }
  frameError(
    () => encodeVectorInsertMsg({ ...VECTOR_VALUE, vector: [1n as never] }),
    "bad_value",
  );
  const one = encodeVectorInsertMsg({
    ...VECTOR_VALUE,
    vector: [1, Math.fround(0.1)],
  });
  assert.ok(toHex(one).includes("92ca3f800000ca3dcccccd"), toHex(one));
  assert.deepEqual(decodeVectorInsertMsg(one).vector, [1, Math.fround(0.1)]);
});

Deno.test("2026-07 an f32 -0 keeps its sign both ways (ca 80 00 00 00)", () => {
  const bytes = encodeVectorInsertMsg({ ...VECTOR_VALUE, vector: [-0, 0] });
  assert.ok(toHex(bytes).includes("92ca80000000ca00000000"), toHex(bytes));
  const [negative, positive] = decodeVectorInsertMsg(bytes).vector;
  assert.ok(Object.is(negative, -0));
  assert.ok(Object.is(positive, 0));
  assert.ok(
    Object.is(decodeVectorInsertMsg(hex(VECTOR_INSERT.body_hex)).vector[1], -0),
  );
});

// ---------------------------------------------------------------------------
// u8x32 and tuples

const ACK_HEAD = "99 c3 a1 73 80 c0 c2 01 00 00"; // handshake_ack_minimal before the key

Deno.test("2026-07 HandshakeAck.delta_signing_key (u8x32) must be an array of exactly 32 uints: bin, 31 or 33 items, non-uint items are rejected", () => {
  const zeros = (n: number) => "00".repeat(n);
  const minimal = VECTORS_2026_07.find((v) =>
    v.name === "handshake_ack_minimal"
  )!;
  assert.equal(
    toHex(hex(`${ACK_HEAD} dc 00 20 ${zeros(32)}`)),
    minimal.body_hex,
  );
  const key = (k: string) => () =>
    decodeHandshakeAckMsg(hex(`${ACK_HEAD} ${k}`));
  const path = "HandshakeAckMsg.delta_signing_key";
  badBody(key(`c4 20 ${zeros(32)}`), path);
  badBody(key(`dc 00 1f ${zeros(31)}`), path);
  badBody(key(`dc 00 21 ${zeros(33)}`), path);
  badBody(key(`dc 00 20 cd 01 00 ${zeros(31)}`), path);
  badBody(key(`dc 00 20 ff ${zeros(31)}`), path);
  badBody(key(`dc 00 20 d0 01 ${zeros(31)}`), path);
  badBody(key(`dc 00 20 ${zeros(31)}`), path); // truncated
  badBody(key("c0"), path);
  // Any array header width, bytes ≥ 0x80 as cc xx.
  const wide = decodeHandshakeAckMsg(
    hex(`${ACK_HEAD} dd 00 00 00 20 cc 80 cc ff ${zeros(30)}`),
  );
  assert.deepEqual(Array.from(wide.deltaSigningKey.subarray(0, 3)), [
    0x80,
    0xff,
    0,
  ]);
  assert.equal(wide.deltaSigningKey.length, 32);
});

Deno.test("2026-07 encoding a u8x32 of the wrong length is bad_value; 32 bytes are written as dc 00 20 integers", () => {
  const value = JULY.typedBody(
    0x02,
    VECTORS_2026_07.find((v) => v.name === "handshake_ack_minimal")!.value,
  ) as HandshakeAckMsg;
  for (const n of [0, 31, 33]) {
    const error = frameError(
      () =>
        encodeHandshakeAckMsg({ ...value, deltaSigningKey: new Uint8Array(n) }),
      "bad_value",
    );
    assert.equal(error.path, "HandshakeAckMsg.delta_signing_key");
  }
  const key = new Uint8Array(32).map((_, i) => i * 8);
  const bytes = toHex(
    encodeHandshakeAckMsg({ ...value, deltaSigningKey: key }),
  );
  assert.ok(
    bytes.endsWith(
      "dc0020" +
        Array.from(
          key,
          (b) => (b < 0x80 ? "" : "cc") + b.toString(16).padStart(2, "0"),
        ).join(""),
    ),
  );
});

Deno.test("2026-07 tuples need exact arity: FtsIndex.fields items of 1 or 3, or a map, are rejected; encoding the wrong arity is bad_value", () => {
  const fts = VECTORS_2026_07.find((v) => v.name === "fts_index")!;
  const value = JULY.typedBody(fts.type_code, fts.value) as FtsIndexMsg;
  const head = `98 ${s("lite-a")} ${s("docs")} ${s("d1")}`;
  const tail = "0d 2a 01 07";
  const body = (fields: string) => hex(`${head} ${fields} ${tail}`);
  assert.deepEqual(
    decodeFtsIndexMsg(body(`91 92 ${s("a")} ${s("b")}`)).fields,
    [["a", "b"]],
  );
  for (
    const item of [
      `91 ${s("a")}`,
      `93 ${s("a")} ${s("b")} ${s("c")}`,
      `81 ${s("a")} ${s("b")}`,
      s("a"),
      "90",
    ]
  ) {
    badBody(
      () => decodeFtsIndexMsg(body(`91 ${item}`)),
      "FtsIndexMsg.fields[0]",
    );
  }
  badBody(
    () => decodeFtsIndexMsg(body(`91 92 ${s("a")} 01`)),
    "FtsIndexMsg.fields[0]",
  );
  for (const item of [["a"], ["a", "b", "c"], []]) {
    const error = frameError(
      () => encodeFtsIndexMsg({ ...value, fields: [item as never] }),
      "bad_value",
    );
    assert.ok(
      error.path?.startsWith("FtsIndexMsg.fields[0]"),
      String(error.path),
    );
  }
});
