// All 20 reference vectors through the typed codecs, both ways, byte for byte.
import assert from "node:assert/strict";
import * as frame from "../mod.ts";
import { SyncFrame, SyncMessageType } from "../mod.ts";
import type { DeltaPushMsg, SyncMessage } from "../mod.ts";
import { hex, toHex, VECTORS } from "./_vectors.ts";
import { bodyNameOf, typedBody } from "./_typed_values.ts";

type Codec = (value: unknown) => Uint8Array;
type Decoder = (bytes: Uint8Array, options?: { copy?: boolean }) => unknown;
const api = frame as unknown as Record<string, Codec | Decoder>;

for (const vector of VECTORS) {
  const type = vector.type_code as SyncMessageType;
  const body = typedBody(vector.type_code, vector.value);
  const bodyName = bodyNameOf(vector.type_code);

  Deno.test(`vector ${vector.name}: decodeMessage(frame_hex) is the typed value`, () => {
    const message = frame.decodeMessage(hex(vector.frame_hex));
    assert.equal(message.type, type);
    assert.deepEqual(message.body, body);
    assert.equal(SyncMessageType[message.type], vector.type_name);
  });

  Deno.test(`vector ${vector.name}: encodeMessage reproduces frame_hex`, () => {
    const bytes = frame.encodeMessage(type, body as never);
    assert.equal(toHex(bytes), vector.frame_hex);
  });

  Deno.test(`vector ${vector.name}: ${bodyName} body codecs match body_hex`, () => {
    const encode = api[`encode${bodyName}`] as Codec;
    const decode = api[`decode${bodyName}`] as Decoder;
    assert.equal(toHex(encode(body)), vector.body_hex);
    assert.deepEqual(decode(hex(vector.body_hex)), body);
    assert.deepEqual(decode(hex(vector.body_hex), { copy: true }), body);
    assert.equal(
      toHex(frame.encodeMessageBody(type, body as never)),
      vector.body_hex,
    );
    assert.deepEqual(
      frame.decodeMessageBody(type, hex(vector.body_hex)).body,
      body,
    );
  });

  Deno.test(`vector ${vector.name}: SyncFrame.decodeMessage reads the typed body`, () => {
    const received = SyncFrame.decode(hex(vector.frame_hex));
    const message: SyncMessage = received.decodeMessage();
    assert.deepEqual(message, { type, body });
  });
}

Deno.test("bytes fields are views of the input by default and copies with copy: true", () => {
  const vector = VECTORS.find((v) => v.name === "delta_push")!;
  const input = hex(vector.frame_hex);
  const viewed = frame.decodeMessage(input).body as DeltaPushMsg;
  assert.equal(viewed.delta.buffer, input.buffer);
  assert.deepEqual(Array.from(viewed.delta), [1, 2, 3]);
  input[input.indexOf(0x01, 5 + 12)] = 0x09; // the first delta byte
  assert.equal(viewed.delta[0], 0x09, "a view follows its input");

  const fresh = hex(vector.frame_hex);
  const copied = frame.decodeMessage(fresh, { copy: true })
    .body as DeltaPushMsg;
  assert.notEqual(copied.delta.buffer, fresh.buffer);
  fresh.fill(0);
  assert.deepEqual(Array.from(copied.delta), [1, 2, 3]);
});

Deno.test("fixed and nested byte arrays always decode to new buffers", () => {
  for (const name of ["array_ack", "array_delta_batch"]) {
    const vector = VECTORS.find((v) => v.name === name)!;
    const input = hex(vector.frame_hex);
    const body = frame.decodeMessage(input).body as unknown as Record<
      string,
      unknown
    >;
    for (const value of Object.values(body)) {
      const buffers = value instanceof Uint8Array
        ? [value]
        : Array.isArray(value)
        ? value.filter((v) => v instanceof Uint8Array)
        : [];
      for (const buffer of buffers) {
        assert.notEqual(buffer.buffer, input.buffer);
      }
    }
  }
});

Deno.test("u64 above 2^53 and i64 values stay exact bigints", () => {
  const push = frame.decodeMessage(
    hex(VECTORS.find((v) => v.name === "delta_push")!.frame_hex),
  ).body as DeltaPushMsg;
  assert.equal(push.peerId, 2n ** 53n + 1n);
  assert.equal(push.deviceValidTimeMs, 1714300000000n);
  assert.equal(push.checksum, 0xf130f21e);
});
