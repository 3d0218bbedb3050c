// Runs inside a fresh Node project that installed the packed @sync/frame
// tarball: every vector of both revisions, and a typed Handshake and
// PingPong between a Node client and a Node server, through the package's
// own entry points. Uses node:test, so the runner reports "# pass N".
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as r04 from "@sync/frame";
import * as r07 from "@sync/frame/2026-07";
import { FrameDecoder } from "@sync/frame/stream";
import { connectFrameSocket, serveFrameSockets } from "@sync/frame/websocket";

const hex = (text) =>
  Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));
const toHex = (bytes) =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");

for (const [revision, lib] of [["2026-04", r04], ["2026-07", r07]]) {
  const vectors = JSON.parse(readFileSync(`vectors-${revision}.json`, "utf8"));
  test(`${revision}: every vector decodes and re-encodes to its exact bytes`, () => {
    for (const v of vectors) {
      const frame = lib.SyncFrame.decode(hex(v.frame_hex));
      assert.equal(frame.msgType, v.type_code, v.name);
      assert.equal(toHex(frame.body), v.body_hex, v.name);
      const message = lib.decodeMessage(hex(v.frame_hex));
      assert.equal(
        toHex(lib.encodeMessage(message.type, message.body)),
        v.frame_hex,
        v.name,
      );
    }
  });
  test(`${revision}: the stream decoder reads the vectors back to back`, () => {
    const decoder = new FrameDecoder({ revision });
    const frames = decoder.push(hex(vectors.map((v) => v.frame_hex).join("")));
    decoder.end();
    assert.equal(frames.length, vectors.length);
  });
}

test("FrameError is one class across entries", () => {
  assert.throws(() => r07.SyncFrame.decode(new Uint8Array(3)), r04.FrameError);
});

test("a Node client and a Node server exchange a typed Handshake and PingPong", async () => {
  const server = await serveFrameSockets({ port: 0 }, async (socket) => {
    for await (const message of socket.messages()) {
      if (message.type === r04.SyncMessageType.Handshake) {
        await socket.sendMessage(r04.SyncMessageType.HandshakeAck, {
          success: true,
          sessionId: `session-${message.body.liteId}`,
          serverClock: new Map([["users", 7n]]),
          error: null,
          forkDetected: false,
          serverWireVersion: r04.WIRE_VERSION,
        });
      } else if (message.type === r04.SyncMessageType.PingPong) {
        await socket.sendMessage(r04.SyncMessageType.PingPong, {
          ...message.body,
          isPong: true,
        });
      }
    }
  });
  try {
    const client = await connectFrameSocket(server.url, {
      signal: AbortSignal.timeout(10_000),
    });
    await client.sendMessage(r04.SyncMessageType.Handshake, {
      jwtToken: "",
      vectorClock: new Map(),
      subscribedShapes: [],
      clientVersion: "node",
      liteId: "lite-node",
      epoch: 1n,
      wireVersion: r04.WIRE_VERSION,
    });
    const ack = await client.receiveMessage({
      signal: AbortSignal.timeout(10_000),
    });
    assert.equal(ack?.type, r04.SyncMessageType.HandshakeAck);
    assert.equal(ack.body.sessionId, "session-lite-node");
    assert.deepEqual(ack.body.serverClock, new Map([["users", 7n]]));
    await client.sendMessage(r04.SyncMessageType.PingPong, {
      timestampMs: 2n ** 53n + 1n,
      isPong: false,
    });
    const pong = await client.receiveMessage({
      signal: AbortSignal.timeout(10_000),
    });
    assert.deepEqual(pong?.body, { timestampMs: 2n ** 53n + 1n, isPong: true });
    await client.close();
  } finally {
    await server.close();
  }
});
