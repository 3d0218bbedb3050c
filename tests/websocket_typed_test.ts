// Typed messages over a real WebSocket on 127.0.0.1.
import assert from "node:assert/strict";
import { connectFrameSocket, FrameError } from "../transport/websocket.ts";
import { SyncFrame, SyncMessageType } from "../mod.ts";
import { frameServer } from "./_transport_helpers.ts";
import { hex, toHex } from "./_vectors.ts";

Deno.test("sendMessage() and receiveMessage() carry a typed handshake byte for byte", async () => {
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  try {
    await client.sendMessage(SyncMessageType.Handshake, {
      jwtToken: "",
      vectorClock: new Map(),
      subscribedShapes: [],
      clientVersion: "ts",
      liteId: "",
      epoch: 0n,
      wireVersion: 4,
    });
    const raw = await session.receive();
    assert.ok(raw);
    // The reference's handshake_minimal body.
    assert.equal(toHex(raw.body), "97a08090a27473a00004");
    const message = raw.decodeMessage();
    assert.equal(message.type, SyncMessageType.Handshake);

    await session.sendMessage(SyncMessageType.HandshakeAck, {
      success: true,
      sessionId: "sync-127.0.0.1:1-1",
      serverClock: new Map([["users", 42n]]),
      error: null,
      forkDetected: false,
      serverWireVersion: 4,
    });
    const ack = await client.receiveMessage();
    assert.ok(ack?.type === SyncMessageType.HandshakeAck);
    assert.equal(ack.body.success, true);
    assert.equal(ack.body.sessionId, "sync-127.0.0.1:1-1");
    assert.deepEqual(ack.body.serverClock, new Map([["users", 42n]]));
  } finally {
    await client.close();
    await session.closed;
    await server.shutdown();
  }
});

Deno.test("sendMessage() refuses a type of the other side at compile time and run time", async () => {
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  try {
    await assert.rejects(
      // @ts-expect-error DeltaAck is not a ClientMessageType
      client.sendMessage(SyncMessageType.DeltaAck, {
        mutationId: 1n,
        lsn: 0n,
        clockSkewWarningMs: null,
      }),
      (e) => e instanceof FrameError && e.code === "wrong_direction",
    );
  } finally {
    await client.close();
    await session.closed;
    await server.shutdown();
  }
});

Deno.test("sendMessage() rejects an out-of-range value with its path and sends nothing", async () => {
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  try {
    await assert.rejects(
      client.sendMessage(SyncMessageType.PingPong, {
        timestampMs: -1n,
        isPong: false,
      }),
      (e) =>
        e instanceof FrameError && e.code === "bad_value" &&
        e.path === "PingPongMsg.timestamp_ms",
    );
    await client.sendMessage(SyncMessageType.PingPong, {
      timestampMs: 12345n,
      isPong: false,
    });
    const first = await session.receive();
    assert.equal(toHex(first!.toBytes()), "ff0500000092cd3039c2");
  } finally {
    await client.close();
    await session.closed;
    await server.shutdown();
  }
});

Deno.test("receiveMessage() rejects an undecodable body with bad_body and keeps the connection", async () => {
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  try {
    // A PingPong body with a u64 written as int64: the Rust peer rejects it too.
    await client.send(
      new SyncFrame(
        SyncMessageType.PingPong,
        hex("92 d3 00 00 00 00 00 00 30 39 c2"),
      ),
    );
    await client.sendMessage(SyncMessageType.PingPong, {
      timestampMs: 7n,
      isPong: true,
    });
    await assert.rejects(
      session.receiveMessage(),
      (e) =>
        e instanceof FrameError && e.code === "bad_body" &&
        e.path === "PingPongMsg.timestamp_ms" && e.msgType === 0xff,
    );
    const next = await session.receiveMessage();
    assert.deepEqual(next, {
      type: SyncMessageType.PingPong,
      body: { timestampMs: 7n, isPong: true },
    });
  } finally {
    await client.close();
    await session.closed;
    await server.shutdown();
  }
});

Deno.test("messages() iterates typed messages and ends when the peer closes", async () => {
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  try {
    for (const t of [1n, 2n, 3n]) {
      await client.sendMessage(SyncMessageType.PingPong, {
        timestampMs: t,
        isPong: false,
      });
    }
    await client.close();
    const seen: bigint[] = [];
    for await (const message of session.messages()) {
      assert.equal(message.type, SyncMessageType.PingPong);
      if (message.type === SyncMessageType.PingPong) {
        seen.push(message.body.timestampMs);
      }
    }
    assert.deepEqual(seen, [1n, 2n, 3n]);
  } finally {
    await session.closed;
    await server.shutdown();
  }
});
