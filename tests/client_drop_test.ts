// SyncClient reports what its connection skips: a frame with a bad CRC-32C,
// an unknown type or from the wrong side is a `drop` event (and a metric),
// and the session goes on.
import assert from "node:assert/strict";
import { SyncClient } from "../entries/client.ts";
import * as r07 from "../entries/2026-07.ts";

Deno.test("SyncClient emits drop events for frames its connection skips (bad CRC, unknown type, wrong direction)", async () => {
  const ack = r07.encodeMessage(r07.SyncMessageType.HandshakeAck, {
    success: true,
    sessionId: "s",
    serverClock: new Map(),
    error: null,
    forkDetected: false,
    serverWireVersion: 1,
    producerId: 0n,
    acceptedEpoch: 0n,
    deltaSigningKey: new Uint8Array(32),
  });
  const badCrc = r07.encodeMessage(r07.SyncMessageType.PingPong, {
    timestampMs: 1n,
    isPong: true,
  }).slice();
  badCrc[badCrc.length - 1] ^= 1;
  const unknown = new Uint8Array([1, 0x03, 0, 0, 0, 0, 0, 0, 0, 0]);
  const wrongSide = r07.encodeMessage(r07.SyncMessageType.Handshake, {
    jwtToken: "",
    vectorClock: new Map(),
    subscribedShapes: [],
    clientVersion: "x",
    liteId: "",
    epoch: 0n,
    wireVersion: 1,
  });
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const { socket, response } = Deno.upgradeWebSocket(request);
      socket.onmessage = () => {
        // The handshake: answer it, then send the three frames to skip.
        socket.send(ack);
        socket.send(badCrc);
        socket.send(unknown);
        socket.send(wrongSide);
      };
      return response;
    },
  );
  const client = new SyncClient({
    url: `ws://127.0.0.1:${server.addr.port}`,
    revision: "2026-07",
    pingInterval: 0,
  });
  const drops: string[] = [];
  client.addEventListener("drop", (e) => drops.push(e.detail.reason));
  try {
    await client.connect({ signal: AbortSignal.timeout(5000) });
    const deadline = Date.now() + 5000;
    while (drops.length < 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.deepEqual(drops, [
      "bad_checksum",
      "unknown_type",
      "wrong_direction",
    ]);
    const { dropped } = client.metrics();
    assert.equal(dropped.bad_checksum, 1);
    assert.equal(dropped.unknown_type, 1);
    assert.equal(dropped.wrong_direction, 1);
    assert.equal(client.status, "ready");
  } finally {
    await client.close();
    await server.shutdown();
  }
});
