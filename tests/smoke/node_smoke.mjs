// Node smoke suite: runs the bundled module (dist/sync-frame.js, built by
// `deno task smoke`) under Node's own test runner and asserts the same bytes
// as the Deno suite.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

const lib = await import(new URL("../../dist/sync-frame.js", import.meta.url));
const vectors = JSON.parse(
  readFileSync(
    new URL("../fixtures/vectors-2026-04.json", import.meta.url),
    "utf8",
  ),
);
const hex = (text) => Uint8Array.from(Buffer.from(text, "hex"));
const toHex = (bytes) => Buffer.from(bytes).toString("hex");

test("node: the bundle exports the frame core", () => {
  assert.equal(typeof lib.SyncFrame, "function");
  assert.equal(lib.SyncFrame.HEADER_SIZE, 5);
  assert.equal(lib.SYNC_MESSAGE_TYPES.length, 30);
});

test("node: every vector decodes and re-encodes byte for byte", () => {
  for (const v of vectors) {
    const frame = lib.SyncFrame.decode(hex(v.frame_hex));
    assert.equal(frame.msgType, v.type_code, v.name);
    assert.equal(toHex(frame.body), v.body_hex, v.name);
    assert.equal(
      toHex(new lib.SyncFrame(v.type_code, hex(v.body_hex)).toBytes()),
      v.frame_hex,
    );
  }
});

test("node: newMsgpack writes the reference ping", () => {
  const frame = lib.SyncFrame.newMsgpack(lib.SyncMessageType.PingPong, [
    12345,
    false,
  ]);
  assert.equal(toHex(frame.toBytes()), "ff0500000092cd3039c2");
});

test("node: errors are FrameError with stable codes", () => {
  assert.throws(
    () => lib.SyncFrame.decode(hex("ffffffffff")),
    (e) => e instanceof lib.FrameError && e.code === "too_large",
  );
  assert.throws(
    () => lib.SyncFrame.decode(hex("1301000000c0")),
    (e) =>
      e instanceof lib.FrameError && e.code === "unknown_type" &&
      e.msgType === 0x13,
  );
});

test("node: the bounded reader rejects the dc ff ff bomb", () => {
  const body = new Uint8Array(64 * 1024);
  for (let i = 0; i < body.length; i++) body[i] = [0xdc, 0xff, 0xff][i % 3];
  const frame = new lib.SyncFrame(lib.SyncMessageType.PingPong, body);
  assert.equal(frame.decodeBody(), undefined);
});
