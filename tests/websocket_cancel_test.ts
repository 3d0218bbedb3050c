// Cancellation without loss: an aborted receive takes no frame (the next
// receive gets it), an aborted send that still waited sends nothing, and
// every rejection is a FrameError "aborted" with the signal's reason.
import assert from "node:assert/strict";
import {
  connectFrameSocket,
  type FrameSocket,
} from "../transport/websocket.ts";
import { FrameCursor, FrameDecoder } from "../transport/stream.ts";
import { SyncFrame, SyncMessageType } from "../mod.ts";
import {
  delay,
  frameServer,
  isFrameError,
  until,
} from "./_transport_helpers.ts";
import { Opcode, rawWsClient } from "./_ws_raw.ts";

const ping = (t: number) =>
  SyncFrame.newMsgpack(SyncMessageType.PingPong, [t, false])!;
const stampOf = (frame: { decodeBody<V>(): V | undefined } | undefined) =>
  frame?.decodeBody<[number, boolean]>()?.[0];

async function pair() {
  const server = await frameServer();
  const client = await connectFrameSocket(server.url);
  const session = await server.accepted();
  return {
    client,
    session,
    async [Symbol.asyncDispose]() {
      await client.close();
      await session.closed;
      await server.shutdown();
    },
  };
}

Deno.test("an aborted receive loses nothing: the next receive gets the frame", async () => {
  await using p = await pair();
  const controller = new AbortController();
  const waiting = p.session.receive({ signal: controller.signal });
  const reason = new Error("gave up");
  controller.abort(reason);
  await assert.rejects(
    waiting,
    isFrameError("aborted", (e) => assert.equal(e.cause, reason)),
  );
  await p.client.send(ping(1));
  assert.equal(stampOf(await p.session.receive()), 1);
});

Deno.test("receive with a timeout in a race loses nothing: a frame that arrives later goes to the next receive", async () => {
  await using p = await pair();
  // The natural pattern: give up after a while, then carry on.
  const first = await p.session.receive({ signal: AbortSignal.timeout(50) })
    .then(() => "frame", (e) => e.code);
  assert.equal(first, "aborted");
  await p.client.send(ping(2));
  await p.client.send(ping(3));
  assert.equal(stampOf(await p.session.receive()), 2);
  assert.equal(stampOf(await p.session.receive()), 3);
});

Deno.test("an already aborted signal takes no queued frame", async () => {
  await using p = await pair();
  await p.client.send(ping(4));
  await until(() => true, "nothing");
  await delay(20);
  await assert.rejects(
    p.session.receive({ signal: AbortSignal.abort() }),
    isFrameError("aborted"),
  );
  await assert.rejects(
    p.session.receiveMessage({ signal: AbortSignal.abort() }),
    isFrameError("aborted"),
  );
  assert.equal(stampOf(await p.session.receive()), 4);
});

Deno.test("of several waiting receivers, an aborted one is skipped and the others get the frames in order", async () => {
  await using p = await pair();
  const controller = new AbortController();
  const a = p.session.receive();
  const b = p.session.receive({ signal: controller.signal });
  const c = p.session.receive();
  controller.abort();
  await assert.rejects(b, isFrameError("aborted"));
  await p.client.send(ping(5));
  await p.client.send(ping(6));
  assert.equal(stampOf(await a), 5);
  assert.equal(stampOf(await c), 6);
});

Deno.test("messages() and frames() with a signal: the aborted step takes no frame, the next iteration gets it", async () => {
  await using p = await pair();
  const controller = new AbortController();
  const messages = p.session.messages({ signal: controller.signal });
  const step = messages.next();
  controller.abort();
  await assert.rejects(step, isFrameError("aborted"));
  await p.client.sendMessage(SyncMessageType.PingPong, {
    timestampMs: 7n,
    isPong: false,
  });
  const message = await p.session.receiveMessage({
    signal: AbortSignal.timeout(5000),
  });
  assert.deepEqual(message?.body, { timestampMs: 7n, isPong: false });

  const frames = p.session.frames({ signal: AbortSignal.timeout(30) });
  await assert.rejects(frames.next(), isFrameError("aborted"));
  await p.client.send(ping(8));
  const next = await p.session.frames().next();
  assert.equal(stampOf(next.value), 8);
});

Deno.test("an aborted send that still waits for the buffer to drain sends nothing; the frames around it go out in order", async () => {
  const server = await frameServer({ sendHighWaterMark: 1 });
  const { conn, reader } = await rawWsClient(server.port);
  const session = await server.accepted();
  try {
    // The peer does not read yet: fill its TCP window, then queue three.
    const big = new SyncFrame(
      SyncMessageType.ShapeSnapshot,
      new Uint8Array(1 << 20),
    );
    const fill = Array.from({ length: 8 }, () => session.send(big));
    await until(() => session.bufferedAmount > 4 << 20, "the socket buffers");
    const controller = new AbortController();
    const a = session.send(ping(10));
    const b = session.send(ping(11), { signal: controller.signal });
    const c = session.send(ping(12));
    controller.abort();
    await assert.rejects(b, isFrameError("aborted"));
    // Now the peer reads everything.
    const stamps: number[] = [];
    while (stamps.length < 2) {
      const frame = await reader.next();
      assert.ok(frame, "the connection ended early");
      if (frame.opcode !== Opcode.Binary || frame.payload[0] !== 0xff) continue;
      const decoded = SyncFrame.decode(frame.payload);
      stamps.push(stampOf(decoded)!);
    }
    await Promise.all([...fill, a, c]);
    assert.deepEqual(stamps, [10, 12]);
  } finally {
    conn.close();
    await session.closed;
    await server.shutdown();
  }
});

Deno.test("send with an already aborted signal sends nothing", async () => {
  await using p = await pair();
  await assert.rejects(
    p.client.send(ping(20), { signal: AbortSignal.abort() }),
    isFrameError("aborted"),
  );
  await assert.rejects(
    p.client.sendMessage(SyncMessageType.PingPong, {
      timestampMs: 21n,
      isPong: false,
    }, { signal: AbortSignal.abort() }),
    isFrameError("aborted"),
  );
  await p.client.send(ping(22));
  assert.equal(stampOf(await p.session.receive()), 22);
});

Deno.test("the transport's API refuses wrong argument types with bad_value, not TypeError", async () => {
  await using p = await pair();
  const socket: FrameSocket = p.client as unknown as FrameSocket;
  for (const options of [5, "x", { signal: 5 }, { signal: {} }]) {
    await assert.rejects(
      socket.receive(options as never),
      isFrameError("bad_value"),
    );
    await assert.rejects(
      socket.send(ping(1), options as never),
      isFrameError("bad_value"),
    );
  }
  for (const frame of [null, undefined, 5, {}, { msgType: 0xff, body: [] }]) {
    await assert.rejects(
      socket.send(frame as never),
      isFrameError("bad_value"),
    );
  }
  // A body whose getter throws: the TypeError does not escape.
  const hostile = {
    get timestampMs(): bigint {
      throw new TypeError("no");
    },
    isPong: false,
  };
  await assert.rejects(
    p.client.sendMessage(SyncMessageType.PingPong, hostile),
    isFrameError("bad_value"),
  );
  await assert.rejects(
    p.client.sendMessage(SyncMessageType.PingPong, null as never),
    isFrameError("bad_value"),
  );
  // The stream side of the transport.
  for (const bytes of [null, undefined, 5, "x", [1, 2]]) {
    assert.throws(
      () => new FrameCursor(bytes as never),
      isFrameError("bad_value"),
    );
    assert.throws(
      () => new FrameDecoder().push(bytes as never),
      isFrameError("bad_value"),
    );
  }
  assert.throws(
    () => new FrameDecoder({ maxBodySize: "x" as never }),
    isFrameError("bad_value"),
  );
  assert.throws(
    () => new FrameCursor(new Uint8Array(1), { offset: "0" as never }),
    isFrameError("bad_value"),
  );
});
