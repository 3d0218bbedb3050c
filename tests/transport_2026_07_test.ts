// The transports with `revision: "2026-07"`: the 10-byte header, the CRC-32C
// checked as frames complete, and typed messages over a real WebSocket on
// 127.0.0.1.
import assert from "node:assert/strict";
import {
  FrameCursor,
  FrameDecoder,
  FrameDecoderStream,
  FrameEncoderStream,
} from "../transport/stream.ts";
import { connectFrameSocket } from "../transport/websocket.ts";
import * as r07 from "../entries/2026-07.ts";
import {
  frameServer,
  isFrameError,
  rawClient,
  until,
} from "./_transport_helpers.ts";
import { hex, toHex } from "./_vectors.ts";

interface Vector {
  name: string;
  type_code: number;
  body_hex: string;
  frame_hex: string;
}

const VECTORS: Vector[] = JSON.parse(
  Deno.readTextFileSync(
    new URL("./fixtures/vectors-2026-07.json", import.meta.url),
  ),
);
const STREAM = new Uint8Array(
  VECTORS.flatMap((v) => Array.from(hex(v.frame_hex))),
);

Deno.test("2026-07 FrameDecoder gives every vector's frame at every split point", () => {
  const expected = VECTORS.map((v) => [v.type_code, v.body_hex]);
  for (let cut = 1; cut < 200; cut += 7) {
    const decoder = new FrameDecoder({ revision: "2026-07" });
    const frames = [
      ...decoder.push(STREAM.subarray(0, cut)),
      ...decoder.push(STREAM.subarray(cut)),
    ];
    decoder.end();
    assert.deepEqual(frames.map((f) => [f.msgType, toHex(f.body)]), expected);
  }
});

Deno.test("2026-07 FrameDecoder decodes one byte at a time", () => {
  const decoder = new FrameDecoder({ revision: "2026-07", copy: true });
  const frames = [];
  for (let i = 0; i < STREAM.length; i++) {
    frames.push(...decoder.push(STREAM.subarray(i, i + 1)));
  }
  decoder.end();
  assert.equal(frames.length, VECTORS.length);
  assert.ok(frames[0] instanceof r07.SyncFrame);
});

Deno.test("2026-07 FrameDecoder rejects a flipped body bit with bad_checksum, whole or split", () => {
  const frame = hex(VECTORS[0].frame_hex);
  frame[frame.length - 1] ^= 0x01;
  const whole = new FrameDecoder({ revision: "2026-07" });
  assert.throws(
    () => whole.push(frame),
    isFrameError("bad_checksum", (e) => {
      assert.equal(e.offset, 0);
      assert.equal(e.expectedChecksum, r07.crc32c(hex(VECTORS[0].body_hex)));
    }),
  );
  const split = new FrameDecoder({ revision: "2026-07" });
  split.push(frame.subarray(0, 12));
  assert.throws(
    () => split.push(frame.subarray(12)),
    isFrameError("bad_checksum"),
  );
  assert.throws(
    () => split.push(new Uint8Array(0)),
    isFrameError("bad_checksum"),
  );
});

Deno.test("2026-07 FrameDecoder fails on a wrong version byte as soon as it arrives", () => {
  const decoder = new FrameDecoder({ revision: "2026-07" });
  // The April ping: byte 0 is the type 0xff, not the version 1.
  assert.throws(
    () => decoder.push(new Uint8Array([0xff])),
    isFrameError("bad_version", (e) => assert.equal(e.version, 0xff)),
  );
  const typed = new FrameDecoder({ revision: "2026-07" });
  assert.throws(
    () => typed.push(new Uint8Array([0x01, 0x03])),
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x03)),
  );
});

Deno.test("2026-07 FrameCursor walks the vectors and checks each CRC", () => {
  const cursor = new FrameCursor(STREAM, { revision: "2026-07" });
  let n = 0;
  while (cursor.next()) {
    assert.equal(cursor.msgType, VECTORS[n].type_code);
    assert.equal(
      toHex(STREAM.subarray(cursor.bodyStart, cursor.bodyEnd)),
      VECTORS[n].body_hex,
    );
    n++;
  }
  assert.equal(n, VECTORS.length);
  const bad = hex(VECTORS[1].frame_hex);
  bad[7] ^= 0xff;
  assert.throws(
    () => new FrameCursor(bad, { revision: "2026-07" }).next(),
    isFrameError("bad_checksum"),
  );
});

Deno.test("2026-07 FrameEncoderStream writes the header with the CRC-32C and the decoder stream reads it back", async () => {
  const frames = VECTORS.map((v) =>
    new r07.SyncFrame(v.type_code as r07.SyncMessageType, hex(v.body_hex))
  );
  const chunks = await Array.fromAsync(
    ReadableStream.from(frames).pipeThrough(
      new FrameEncoderStream({ revision: "2026-07" }),
    ),
  );
  assert.deepEqual(chunks.map(toHex), VECTORS.map((v) => v.frame_hex));
  const back = await Array.fromAsync(
    ReadableStream.from(chunks).pipeThrough(
      new FrameDecoderStream({ revision: "2026-07" }),
    ),
  );
  assert.deepEqual(
    back.map((f) => toHex(f.body)),
    VECTORS.map((v) => v.body_hex),
  );
});

Deno.test("transports reject an unknown revision with bad_value", () => {
  assert.throws(
    // @ts-expect-error not a revision
    () => new FrameDecoder({ revision: "2025-01" }),
    isFrameError("bad_value"),
  );
});

Deno.test("2026-07 FrameSocket carries a typed ping and pong over 127.0.0.1", async () => {
  const server = await frameServer({ revision: "2026-07" });
  const client = await connectFrameSocket(server.url, { revision: "2026-07" });
  const session = await server.accepted();
  try {
    assert.equal(client.revision, "2026-07");
    await client.sendMessage(r07.SyncMessageType.PingPong, {
      timestampMs: 12345n,
      isPong: false,
    });
    const raw = await session.receive();
    assert.ok(raw instanceof r07.SyncFrame);
    assert.equal(toHex(raw.toBytes()), "01ff0500000076ea5d0092cd3039c2");
    const message = raw.decodeMessage();
    assert.deepEqual(message.body, { timestampMs: 12345n, isPong: false });
    await session.send(
      new r07.SyncFrame(r07.SyncMessageType.PingPong, hex("92cd3039c3")),
    );
    const pong = await client.receive();
    assert.ok(pong instanceof r07.SyncFrame);
    assert.equal(toHex(pong.toBytes()), "01ff05000000756936f292cd3039c3");
  } finally {
    await client.close();
    await session.closed;
    await server.shutdown();
  }
});

Deno.test("2026-07 FrameSocket is typed for its revision: 2026-07 messages and frames, and their directions", async () => {
  const server = await frameServer({ revision: "2026-07" });
  const client = await connectFrameSocket(server.url, { revision: "2026-07" });
  const session = await server.accepted();
  try {
    // KvPush exists only in 2026-07: a 2026-07 client sends it typed.
    await client.sendMessage(r07.SyncMessageType.KvPush, {
      liteId: "lite-1",
      collection: "kv",
      key: new Uint8Array([1, 2]),
      op: { kind: "Put", row: new Uint8Array([3]), expireAtMs: 0n },
      batchId: 1n,
      producerId: 2n,
      epoch: 3n,
      seq: 4n,
    });
    const message = await session.receiveMessage();
    // The message union is the 2026-07 one: narrowing gives its body type.
    if (message?.type !== r07.SyncMessageType.KvPush) {
      assert.fail("expected a KvPush");
    }
    const seq: bigint = message.body.seq;
    assert.equal(seq, 4n);
    assert.equal(message.body.op.kind, "Put");
    // A server-only 2026-07 type does not compile on a client...
    await assert.rejects(
      // @ts-expect-error HandshakeAck is not a 2026-07 ClientMessageType
      client.sendMessage(r07.SyncMessageType.HandshakeAck, {} as never),
      isFrameError("wrong_direction"),
    );
    // ...and a 2026-04 client has no KvPush.
    const april = await connectFrameSocket(server.url.replace(/\/?$/, ""), {
      revision: "2026-04",
    });
    await assert.rejects(
      // @ts-expect-error KvPush is not a 2026-04 message type
      april.sendMessage(r07.SyncMessageType.KvPush, message.body),
      isFrameError("unknown_type"),
    );
    await april.close();
    // The inbound frames are 2026-07 frames.
    await session.sendMessage(r07.SyncMessageType.PingPong, {
      timestampMs: 9n,
      isPong: true,
    });
    const pong: r07.SyncFrame | undefined = await client.receive();
    assert.ok(pong instanceof r07.SyncFrame);
  } finally {
    await client.close();
    await session.closed;
    await server.shutdown();
  }
});

Deno.test("2026-07 FrameSocket closes with 1002 on a bad checksum, or skips it when asked", async () => {
  for (const badChecksum of ["close", "skip"] as const) {
    const server = await frameServer({ revision: "2026-07", badChecksum });
    const peer = await rawClient(server.url);
    const session = await server.accepted();
    try {
      const bad = hex("01ff0500000076ea5d0092cd3039c3");
      peer.ws.send(bad);
      if (badChecksum === "close") {
        const event = await peer.closed;
        assert.equal(event.code, 1002);
        await assert.rejects(session.receive(), isFrameError("bad_checksum"));
      } else {
        peer.ws.send(hex("01ff0500000076ea5d0092cd3039c2"));
        const frame = await session.receive();
        assert.equal(toHex(frame!.body), "92cd3039c2");
        peer.ws.close();
        await peer.closed;
      }
    } finally {
      await until(() => session.webSocket.readyState === 3, "closed");
      await server.shutdown();
    }
  }
});

Deno.test("skip policies report each dropped message through onSkip, and text can be skipped", async () => {
  const skipped: string[] = [];
  const server = await frameServer({
    revision: "2026-07",
    badChecksum: "skip",
    unknownType: "skip",
    textMessages: "skip",
    onSkip: (error) => skipped.push(error.code),
  });
  const peer = await rawClient(server.url);
  const session = await server.accepted();
  try {
    peer.ws.send(hex("01ff0500000076ea5d0092cd3039c3")); // bad CRC
    peer.ws.send(hex("01030000000000000000")); // unknown type 0x03
    peer.ws.send("hello"); // text
    peer.ws.send(hex("01ff0500000076ea5d0092cd3039c2")); // a good ping
    const frame = await session.receive();
    assert.equal(toHex(frame!.body), "92cd3039c2");
    assert.deepEqual(skipped, ["bad_checksum", "unknown_type", "bad_message"]);
    peer.ws.close();
    await peer.closed;
  } finally {
    await until(() => session.webSocket.readyState === 3, "closed");
    await server.shutdown();
  }
});
