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

test("node: every vector round-trips through the typed codecs byte for byte", () => {
  for (const v of vectors) {
    const message = lib.decodeMessage(hex(v.frame_hex));
    assert.equal(message.type, v.type_code, v.name);
    assert.equal(
      toHex(lib.encodeMessage(message.type, message.body)),
      v.frame_hex,
      v.name,
    );
  }
  const push = lib.decodeMessage(
    hex(vectors.find((v) => v.name === "delta_push").frame_hex),
  );
  assert.equal(push.body.peerId, 2n ** 53n + 1n);
  assert.equal(push.body.deviceValidTimeMs, 1714300000000n);
});

test("node: typed encoding refuses an out-of-range value with its path", () => {
  assert.throws(
    () =>
      lib.encodeMessage(lib.SyncMessageType.PingPong, {
        timestampMs: 2n ** 64n,
        isPong: false,
      }),
    (e) =>
      e instanceof lib.FrameError && e.code === "bad_value" &&
      e.path === "PingPongMsg.timestamp_ms",
  );
});

test("node: FrameDecoder yields the same frames for 1-byte chunks", () => {
  const capture = hex(vectors.map((v) => v.frame_hex).join(""));
  const decoder = new lib.FrameDecoder();
  const frames = [];
  for (let i = 0; i < capture.length; i++) {
    frames.push(...decoder.push(capture.subarray(i, i + 1)));
  }
  decoder.end();
  assert.deepEqual(
    frames.map((f) => toHex(f.toBytes())),
    vectors.map((v) => v.frame_hex),
  );
});

test("node: FrameDecoderStream and FrameEncoderStream round-trip through Web Streams", async () => {
  const frames = vectors.map((v) => lib.SyncFrame.decode(hex(v.frame_hex)));
  const bytes = [];
  const encoded = ReadableStream.from(frames).pipeThrough(
    new lib.FrameEncoderStream(),
  );
  for await (const chunk of encoded) bytes.push(...chunk);
  const decoded = new ReadableStream({
    start(controller) {
      for (let i = 0; i < bytes.length; i += 7) {
        controller.enqueue(Uint8Array.from(bytes.slice(i, i + 7)));
      }
      controller.close();
    },
  }).pipeThrough(new lib.FrameDecoderStream());
  const back = [];
  for await (const frame of decoded) back.push(toHex(frame.toBytes()));
  assert.deepEqual(back, vectors.map((v) => v.frame_hex));
});
