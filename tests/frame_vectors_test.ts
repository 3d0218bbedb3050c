import assert from "node:assert/strict";
import { SyncFrame, SyncMessageType } from "../mod.ts";
import { hex, toHex, VECTORS, VECTORS_PATH } from "./_vectors.ts";

Deno.test("the vector fixture is a faithful copy of the shared reference", async () => {
  const shared = new URL(
    "../../../shared/reference/vectors-2026-04.json",
    VECTORS_PATH,
  );
  let original: string;
  try {
    original = await Deno.readTextFile(shared);
  } catch {
    return; // A clone without shared/ beside it tests against its own copy.
  }
  assert.equal(await Deno.readTextFile(VECTORS_PATH), original);
});

Deno.test("there are 20 reference vectors", () => {
  assert.equal(VECTORS.length, 20);
});

for (const vector of VECTORS) {
  Deno.test(`fromBytes() reads vector ${vector.name}: type and body bytes`, () => {
    const frame = SyncFrame.fromBytes(hex(vector.frame_hex));
    assert.ok(frame, "the frame decodes");
    assert.equal(frame.msgType, vector.type_code);
    assert.equal(SyncMessageType[frame.msgType], vector.type_name);
    assert.equal(toHex(frame.body), vector.body_hex);
  });

  Deno.test(`toBytes() writes vector ${vector.name} byte for byte`, () => {
    const frame = new SyncFrame(
      vector.type_code as SyncMessageType,
      hex(vector.body_hex),
    );
    assert.equal(toHex(frame.toBytes()), vector.frame_hex);
  });

  Deno.test(`decode() with copy reads vector ${vector.name} into an owned body`, () => {
    const bytes = hex(vector.frame_hex);
    const frame = SyncFrame.decode(bytes, { copy: true });
    assert.equal(toHex(frame.body), vector.body_hex);
    assert.notEqual(frame.body.buffer, bytes.buffer);
  });

  Deno.test(`decodeBody() reads vector ${vector.name} as one generic value`, () => {
    const frame = SyncFrame.decode(hex(vector.frame_hex));
    const value = frame.decodeBodyOrThrow();
    assert.ok(Array.isArray(value), "every April body is a positional array");
    const fields = Object.keys(vector.value as object).length;
    assert.equal(value.length, fields);
  });
}
