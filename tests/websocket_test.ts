// FrameSocket over real WebSockets on 127.0.0.1: the exchange, the inbound
// rules and limits, send backpressure, closing, and the three ways to make
// a socket (connectFrameSocket on ws, serveFrameSockets on ws, the Deno.serve
// handler; FrameSocket.client over a platform WebSocket).
import assert from "node:assert/strict";
import {
  type ClientFrameSocket,
  CloseCode,
  connectFrameSocket,
  FrameSocket,
  frameSocketHandler,
  upgradeFrameSocket,
} from "../transport/websocket.ts";
import { SyncFrame, SyncMessageType } from "../mod.ts";
import {
  delay,
  frameBytes,
  frameServer,
  isFrameError,
  plain,
  rawClient,
  rawPeer,
  serve,
  SERVER_KINDS,
  stalledPeer,
  until,
} from "./_transport_helpers.ts";

const ping = (t: number, pong = false) =>
  SyncFrame.newMsgpack(SyncMessageType.PingPong, [t, pong])!;

for (const kind of SERVER_KINDS) {
  Deno.test(`FrameSocket client and ${kind} server exchange frames with exact bytes, then close normally`, async () => {
    const server = await frameServer(undefined, kind);
    const client = await connectFrameSocket(server.url);
    const session = await server.accepted();
    assert.equal(client.side, "client");
    assert.equal(session.side, "server");

    const handshake = new SyncFrame(
      SyncMessageType.Handshake,
      new Uint8Array([0x97, 0xa0, 0x80, 0x90, 0xa0, 0xa0, 0x00, 0x04]),
    );
    await client.send(handshake);
    const got = await session.receive();
    assert.deepEqual(plain(got!), plain(handshake));

    const ack = SyncFrame.newMsgpack(SyncMessageType.HandshakeAck, [
      true,
      "s-1",
      {},
      null,
      false,
      4,
    ])!;
    await session.send(ack);
    const back = await client.receive();
    assert.equal(back?.msgType, SyncMessageType.HandshakeAck);
    assert.deepEqual(Array.from(back!.body), Array.from(ack.body));

    // Bidirectional types go both ways.
    await session.send(ping(1));
    await client.send(ping(2));
    assert.deepEqual((await client.receive())?.decodeBody(), [1, false]);
    assert.deepEqual((await session.receive())?.decodeBody(), [2, false]);

    const [clientInfo, serverInfo] = await Promise.all([
      client.close(),
      session.closed,
    ]);
    assert.equal(clientInfo.code, 1000);
    assert.equal(clientInfo.error, undefined);
    assert.equal(serverInfo.code, 1000);
    assert.equal(serverInfo.error, undefined);
    assert.equal(await session.receive(), undefined);
    assert.equal(await client.receive(), undefined);
    await server.shutdown();
  });

  Deno.test(`FrameSocket iterator yields frames in order and ends when the peer closes normally (${kind} server)`, async () => {
    const server = await frameServer(undefined, kind);
    const client = await connectFrameSocket(server.url);
    const session = await server.accepted();
    for (let i = 0; i < 50; i++) await client.send(ping(i));
    await client.close();
    const seen: number[] = [];
    for await (const frame of session) {
      seen.push(frame.decodeBody<[number, boolean]>()![0]);
    }
    assert.deepEqual(seen, Array.from({ length: 50 }, (_, i) => i));
    assert.equal((await session.closed).error, undefined);
    await server.shutdown();
  });

  Deno.test(`FrameSocket closes with 1002 for a message shorter than a header (${kind} server)`, async () => {
    const server = await frameServer(undefined, kind);
    const raw = await rawClient(server.url);
    const session = await server.accepted();
    raw.ws.send(new Uint8Array([0xff, 0x01]));
    assert.equal((await raw.closed).code, CloseCode.ProtocolError);
    await assert.rejects(session.receive(), isFrameError("too_short"));
    await server.shutdown();
  });

  Deno.test(`FrameSocket closes with 1008 when the consumer falls behind the frame-count limit (${kind} server)`, async () => {
    const server = await frameServer({ maxQueuedFrames: 4 }, kind);
    const raw = await rawClient(server.url);
    const session = await server.accepted();
    // One frame past the limit.
    for (let i = 0; i < 5; i++) raw.ws.send(frameBytes(0xff, [i]));
    assert.equal((await raw.closed).code, CloseCode.PolicyViolation);
    // The frames that fit are still delivered, then the reason.
    const got: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const frame of session) got.push(frame.body[0]);
      })(),
      isFrameError("backpressure"),
    );
    assert.deepEqual(got, [0, 1, 2, 3]);
    assert.equal((await session.closed).error?.code, "backpressure");
    await server.shutdown();
  });

  Deno.test(`FrameSocket iterator throws closed and closed reports 1006 when the peer drops the connection without a close frame (${kind} server)`, async () => {
    const server = await frameServer(undefined, kind);
    const conn = await stalledPeer(server.port);
    const session = await server.accepted();
    conn.close();
    await assert.rejects(session.receive(), isFrameError("closed"));
    const info = await session.closed;
    assert.equal(info.code, CloseCode.Abnormal);
    assert.equal(info.wasClean, false);
    assert.equal(info.error?.code, "closed");
    await server.shutdown();
  });
}

Deno.test("FrameSocket server frames sent before the socket opens are delivered once it opens", async () => {
  const server = serve((request) => {
    const { socket, response } = upgradeFrameSocket(request);
    // Still connecting: these wait for the open event.
    socket.send(ping(1)).then(() => socket.send(ping(2)));
    void socket.send(ping(3));
    socket.closed.then(() => {});
    return response;
  });
  const client = await connectFrameSocket(server.url);
  const got = [
    await client.receive(),
    await client.receive(),
    await client.receive(),
  ];
  assert.deepEqual(got.map((f) => f!.decodeBody<[number]>()![0]), [1, 3, 2]);
  await client.close();
  await server.shutdown();
});

Deno.test("FrameSocket send rejects a wrong-direction frame at compile time and at run time", async () => {
  const server = await frameServer();
  const client: ClientFrameSocket = await connectFrameSocket(server.url);
  const session = await server.accepted();

  const handshakeAck = new SyncFrame(
    SyncMessageType.HandshakeAck,
    new Uint8Array([0xc0]),
  );
  const handshake = new SyncFrame(
    SyncMessageType.Handshake,
    new Uint8Array([0xc0]),
  );
  // A client may not send a server-only type...
  // @ts-expect-error HandshakeAck is not a ClientMessageType
  const fromClient = client.send(handshakeAck);
  await assert.rejects(
    fromClient,
    isFrameError("wrong_direction", (e) => assert.equal(e.msgType, 0x02)),
  );
  // ...and a server may not send a client-only type.
  // @ts-expect-error Handshake is not a ServerMessageType
  const fromServer = session.send(handshake);
  await assert.rejects(
    fromServer,
    isFrameError("wrong_direction", (e) => assert.equal(e.msgType, 0x01)),
  );
  // A frame of the general type must be narrowed first.
  const decoded: SyncFrame = SyncFrame.decode(frameBytes(0xff, [0xc0]));
  // @ts-expect-error SyncFrame<SyncMessageType> may hold any type
  await client.send(decoded);

  // The connection stays up.
  await client.send(handshake);
  assert.equal((await session.receive())?.msgType, 0xff);
  assert.equal((await session.receive())?.msgType, SyncMessageType.Handshake);
  await client.close();
  await session.closed;
  await server.shutdown();
});

Deno.test("FrameSocket client on ws closes with 1002 and wrong_direction when the server sends a client-only type", async () => {
  let raw: ReturnType<typeof rawPeer> | undefined;
  const server = serve((request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    raw = rawPeer(socket);
    socket.addEventListener(
      "open",
      () => socket.send(frameBytes(0x01, [0xc0])),
    );
    return response;
  });
  const client = await connectFrameSocket(server.url);
  await assert.rejects(
    client.receive(),
    isFrameError("wrong_direction", (e) => assert.equal(e.msgType, 0x01)),
  );
  await until(() => raw !== undefined, "the raw server socket exists");
  // The ws client sends the protocol's own code.
  assert.equal((await raw!.closed).code, CloseCode.ProtocolError);
  const info = await client.closed;
  assert.equal(info.error?.code, "wrong_direction");
  await server.shutdown();
});

Deno.test("FrameSocket.client over a platform WebSocket closes with 4002/4003: a platform client may not send 1002/1003", async () => {
  for (
    const [send, error, code] of [
      [frameBytes(0x01, [0xc0]), "wrong_direction", 4002],
      ["hello", "bad_message", 4003],
    ] as const
  ) {
    let raw: ReturnType<typeof rawPeer> | undefined;
    const server = serve((request) => {
      const { socket, response } = Deno.upgradeWebSocket(request);
      raw = rawPeer(socket);
      socket.addEventListener("open", () => socket.send(send));
      return response;
    });
    const client = FrameSocket.client(new WebSocket(server.url));
    await assert.rejects(client.receive(), isFrameError(error));
    await until(() => raw !== undefined, "the raw server socket exists");
    assert.equal((await raw!.closed).code, code);
    assert.equal((await client.closed).code, code);
    await server.shutdown();
  }
});

Deno.test("FrameSocket client on ws closes with 1003 when the server sends a text message", async () => {
  let raw: ReturnType<typeof rawPeer> | undefined;
  const server = serve((request) => {
    const { socket, response } = Deno.upgradeWebSocket(request);
    raw = rawPeer(socket);
    socket.addEventListener("open", () => socket.send("hello"));
    return response;
  });
  const client = await connectFrameSocket(server.url);
  await assert.rejects(client.receive(), isFrameError("bad_message"));
  await until(() => raw !== undefined, "the raw server socket exists");
  assert.equal((await raw!.closed).code, CloseCode.UnsupportedData);
  await client.closed;
  await server.shutdown();
});

Deno.test("FrameSocket wrongDirection skip policy drops wrong-side frames and keeps the connection", async () => {
  const server = await frameServer({ wrongDirection: "skip" });
  const raw = await rawClient(server.url);
  const session = await server.accepted();
  raw.ws.send(frameBytes(0x02, [0xc0])); // HandshakeAck from a client: dropped
  raw.ws.send(frameBytes(0xff, [0xc0]));
  assert.deepEqual(plain((await session.receive())!), {
    type: 0xff,
    body: [0xc0],
  });
  raw.ws.close();
  assert.equal(await session.receive(), undefined);
  await raw.closed;
  await server.shutdown();
});

Deno.test("FrameSocket unknownType skip policy drops unknown types and keeps the connection", async () => {
  const server = await frameServer({ unknownType: "skip" });
  const raw = await rawClient(server.url);
  const session = await server.accepted();
  raw.ws.send(frameBytes(0x13, [0xc0]));
  raw.ws.send(frameBytes(0x00, []));
  raw.ws.send(frameBytes(0x10, [0x01]));
  assert.deepEqual(plain((await session.receive())!), {
    type: 0x10,
    body: [0x01],
  });
  raw.ws.close();
  await session.closed;
  await raw.closed;
  await server.shutdown();
});

Deno.test("FrameSocket closes with 1008 when unread frames pass the byte limit", async () => {
  const server = await frameServer({ maxQueuedBytes: 3000 });
  const raw = await rawClient(server.url);
  const session = await server.accepted();
  for (let i = 0; i < 3; i++) {
    raw.ws.send(frameBytes(0x10, new Uint8Array(1200)));
  }
  assert.equal((await raw.closed).code, CloseCode.PolicyViolation);
  assert.equal((await session.receive())?.body.length, 1200);
  assert.equal((await session.receive())?.body.length, 1200);
  await assert.rejects(session.receive(), isFrameError("backpressure"));
  await server.shutdown();
});

Deno.test("FrameSocket admits one frame larger than maxQueuedBytes into an empty queue, and nothing after it", async () => {
  const server = await frameServer({ maxQueuedBytes: 100 });
  const raw = await rawClient(server.url);
  const session = await server.accepted();
  raw.ws.send(frameBytes(0x10, new Uint8Array(5000)));
  raw.ws.send(frameBytes(0xff, [0xc0]));
  assert.equal((await raw.closed).code, CloseCode.PolicyViolation);
  assert.equal((await session.receive())?.body.length, 5000);
  await assert.rejects(session.receive(), isFrameError("backpressure"));
  await server.shutdown();
});

Deno.test("FrameSocket close() rejects frames still waiting to be sent, and later sends", async () => {
  const server = await frameServer({ sendHighWaterMark: 1, closeTimeout: 500 });
  const conn = await stalledPeer(server.port);
  const session = await server.accepted();
  // Fill the socket so that later frames wait in the send queue.
  const big = new SyncFrame(
    SyncMessageType.ShapeSnapshot,
    new Uint8Array(1 << 20),
  );
  const sends: Promise<void>[] = [];
  for (let i = 0; i < 8; i++) sends.push(session.send(big));
  const results = Promise.allSettled(sends);
  await until(() => session.webSocket.bufferedAmount > 1, "the socket buffers");
  const closing = session.close();
  const settled = await results;
  const rejected = settled.filter((r) => r.status === "rejected");
  assert.ok(rejected.length > 0);
  for (const r of rejected) {
    assert.ok(isFrameError("closed")((r as PromiseRejectedResult).reason));
  }
  await assert.rejects(session.send(big), isFrameError("closed"));
  // The stalled peer never answers the close frame: closeTimeout settles it.
  assert.equal((await closing).code, 1000);
  conn.close();
  await server.shutdown();
});

Deno.test("FrameSocket close() refuses a code or reason no WebSocket may send, with bad_value", async () => {
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  for (const code of [999, 1004, 1005, 1006, 2000, 5000, 1000.5]) {
    await assert.rejects(client.close(code), isFrameError("bad_value"));
  }
  await assert.rejects(
    client.close(4000, "x".repeat(124)),
    isFrameError("bad_value"),
  );
  // @ts-expect-error not a code
  await assert.rejects(client.close("1000"), isFrameError("bad_value"));
  // Still open.
  await client.send(ping(5));
  assert.deepEqual((await session.receive())?.decodeBody(), [5, false]);
  await client.close(4000, "bye");
  const info = await session.closed;
  assert.equal(info.code, 4000);
  assert.equal(info.reason, "bye");
  await server.shutdown();
});

Deno.test("FrameSocket.client over a platform WebSocket refuses to close with 1002, with bad_value", async () => {
  const server = await frameServer();
  const client = FrameSocket.client(new WebSocket(server.url));
  const session = await server.accepted();
  await until(() => client.webSocket.readyState === 1, "the client is open");
  await assert.rejects(client.close(1002), isFrameError("bad_value"));
  await client.close();
  assert.equal((await session.closed).code, 1000);
  await server.shutdown();
});

Deno.test("FrameSocket supports await using, which closes normally", async () => {
  const server = await frameServer();
  {
    await using client = await connectFrameSocket(server.url);
    await client.send(ping(1));
  }
  const session = await server.accepted();
  assert.equal((await session.receive())?.msgType, SyncMessageType.PingPong);
  assert.equal((await session.closed).code, 1000);
  await server.shutdown();
});

Deno.test("FrameSocket.client wraps a platform WebSocket that is still connecting", async () => {
  const server = await frameServer();
  const client = FrameSocket.client(new WebSocket(server.url));
  await client.send(ping(9)); // waits for the open event
  const session = await server.accepted();
  assert.deepEqual((await session.receive())?.decodeBody(), [9, false]);
  await client.close();
  await session.closed;
  await server.shutdown();
});

Deno.test("FrameSocket.client and .server refuse what is not a WebSocket, with bad_value", () => {
  for (const value of [null, undefined, 5, {}, "ws://x"]) {
    assert.throws(
      () => FrameSocket.client(value as unknown as WebSocket),
      isFrameError("bad_value"),
    );
    assert.throws(
      () => FrameSocket.server(value as unknown as WebSocket),
      isFrameError("bad_value"),
    );
  }
});

Deno.test("frameSocketHandler answers 426 to a plain HTTP request", async () => {
  const server = serve(frameSocketHandler(() => {}));
  const response = await fetch(server.url.replace("ws:", "http:"));
  assert.equal(response.status, 426);
  assert.equal(response.headers.get("upgrade"), "websocket");
  await response.body?.cancel();
  await server.shutdown();
});

Deno.test("frameSocketHandler closes with 1011 and reports the error when the session callback throws", async () => {
  const errors: unknown[] = [];
  const server = serve(
    frameSocketHandler(async (socket) => {
      await socket.receive();
      throw new Error("handler bug");
    }, { onError: (e) => errors.push(e) }),
  );
  const raw = await rawClient(server.url);
  raw.ws.send(frameBytes(0xff, [0xc0]));
  assert.equal((await raw.closed).code, CloseCode.InternalError);
  assert.equal((errors[0] as Error).message, "handler bug");
  await server.shutdown();
});

Deno.test("frameSocketHandler passes the upgrade request to the session callback", async () => {
  const paths: string[] = [];
  const server = serve(
    frameSocketHandler(async (socket, request) => {
      paths.push(new URL(request.url).pathname);
      for await (const _ of socket) { /* drain */ }
    }),
  );
  const client = await connectFrameSocket(`${server.url}/sync`);
  await client.close();
  assert.deepEqual(paths, ["/sync"]);
  await server.shutdown();
});

for (const kind of SERVER_KINDS) {
  Deno.test(`FrameSocket send respects backpressure against a real loopback peer and delivers everything (${kind} server)`, async () => {
    // 64 frames of 256 KiB with a 512 KiB high-water mark: sends must wait
    // for the buffer to drain, and the peer still gets every byte in order.
    const server = await frameServer(undefined, kind);
    const client = await connectFrameSocket(server.url, {
      sendHighWaterMark: 512 * 1024,
    });
    const session = await server.accepted();
    const frames = Array.from(
      { length: 64 },
      (_, i) =>
        new SyncFrame(
          SyncMessageType.ArraySnapshotChunk,
          new Uint8Array(256 * 1024).fill(i),
        ),
    );
    let maxBuffered = 0;
    const sending = (async () => {
      for (const frame of frames) {
        await client.send(frame);
        maxBuffered = Math.max(maxBuffered, client.bufferedAmount);
      }
    })();
    const received: number[] = [];
    for (let i = 0; i < frames.length; i++) {
      const frame = (await session.receive())!;
      assert.equal(frame.body.length, 256 * 1024);
      received.push(frame.body[i % 1000]);
    }
    await sending;
    assert.deepEqual(received, frames.map((f) => f.body[0]));
    // Waiting at the mark: never more than the mark plus one frame in flight.
    assert.ok(
      maxBuffered <= 512 * 1024 + 256 * 1024 + 5,
      `buffered ${maxBuffered}`,
    );
    await client.close();
    await session.closed;
    await server.shutdown();
    await delay(0);
  });
}

Deno.test("frames of random bytes at many sizes arrive byte for byte both ways over ws (masking on Deno)", async () => {
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  const sizes = [0, 1, 3, 63, 64, 65, 127, 1000, 4097, 65_535, 65_536, 300_001];
  for (const size of sizes) {
    const body = new Uint8Array(size);
    for (let at = 0; at < size; at += 65_536) {
      crypto.getRandomValues(body.subarray(at, Math.min(size, at + 65_536)));
    }
    const frame = new SyncFrame(SyncMessageType.PingPong, body);
    await client.send(frame);
    const up = await session.receive();
    assert.deepEqual(up?.body, body, `client → server, ${size} bytes`);
    await session.send(frame);
    const down = await client.receive();
    assert.deepEqual(down?.body, body, `server → client, ${size} bytes`);
  }
  await client.close();
  await session.closed;
  await server.shutdown();
});

Deno.test("a consumer that awaits each frame keeps up with 20,000 small frames sent back to back over ws", async () => {
  // ws hands over one message per event-loop turn, as a platform WebSocket
  // does, so a whole TCP read of small frames never meets the queue limit.
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  const frame = new SyncFrame(SyncMessageType.DeltaPush, new Uint8Array(59));
  const sending = (async () => {
    for (let i = 0; i < 20_000; i++) await client.send(frame);
  })();
  let received = 0;
  for await (const _ of session) {
    if (++received === 20_000) break;
  }
  await sending;
  assert.equal(received, 20_000);
  await client.close();
  assert.equal((await session.closed).error, undefined);
  await server.shutdown();
});
