import assert from "node:assert/strict";
import fc from "fast-check";
import { FrameDecoderStream, FrameEncoderStream } from "../transport/stream.ts";
import { SYNC_MESSAGE_TYPES, SyncFrame, SyncMessageType } from "../mod.ts";
import {
  concat,
  cut,
  frameBytes,
  isFrameError,
  plain,
} from "./_transport_helpers.ts";

const PING = frameBytes(0xff, [0xc0]);
const ACK = frameBytes(0x11, [0x93, 0x07, 0x00, 0xc0]);

function decodeChunks(
  chunks: Uint8Array[],
  options?: { maxBodySize?: number; copy?: boolean },
) {
  return Array.fromAsync(
    ReadableStream.from(chunks).pipeThrough(new FrameDecoderStream(options)),
  );
}

Deno.test("FrameDecoderStream decodes frames cut across chunks, with exact bytes", async () => {
  const stream = concat([PING, ACK, PING]);
  const frames = await decodeChunks(cut(stream, [2, 7, 8, 12]));
  assert.deepEqual(frames.map(plain), [
    { type: 0xff, body: [0xc0] },
    { type: 0x11, body: [0x93, 0x07, 0x00, 0xc0] },
    { type: 0xff, body: [0xc0] },
  ]);
  assert.ok(frames.every((f) => f instanceof SyncFrame));
});

Deno.test("FrameDecoderStream with copy gives bodies independent of the chunks", async () => {
  const chunk = concat([PING, ACK]);
  const frames = await decodeChunks([chunk], { copy: true });
  chunk.fill(0);
  assert.deepEqual(frames.map(plain), [{ type: 0xff, body: [0xc0] }, {
    type: 0x11,
    body: [0x93, 0x07, 0x00, 0xc0],
  }]);
});

Deno.test("FrameDecoderStream errors with truncated when the source ends inside a frame", async () => {
  await assert.rejects(
    decodeChunks([PING, ACK.subarray(0, 7)]),
    isFrameError("truncated", (e) => {
      assert.equal(e.msgType, 0x11);
      assert.equal(e.length, 4);
      assert.equal(e.offset, 6);
    }),
  );
});

Deno.test("FrameDecoderStream errors with unknown_type at a bad type byte in the middle of a chunk", async () => {
  await assert.rejects(
    decodeChunks([concat([PING, new Uint8Array([0x16, 3, 1, 2, 0])])]),
    isFrameError("unknown_type", (e) => {
      assert.equal(e.msgType, 0x16);
      assert.equal(e.offset, 6);
    }),
  );
});

Deno.test("FrameDecoderStream errors with too_large from the header alone", async () => {
  // The source never ends: the error must not wait for more bytes.
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      controller.enqueue(new Uint8Array([0xff, 0x01, 0x00, 0x10, 0x00]));
    },
  });
  await assert.rejects(
    Array.fromAsync(
      source.pipeThrough(new FrameDecoderStream({ maxBodySize: 1024 })),
    ),
    isFrameError("too_large", (e) => assert.equal(e.length, 0x100001)),
  );
});

Deno.test("FrameDecoderStream errors with bad_value for a chunk that is not a Uint8Array", async () => {
  await assert.rejects(
    Array.fromAsync(
      ReadableStream.from(["text" as unknown as Uint8Array]).pipeThrough(
        new FrameDecoderStream(),
      ),
    ),
    isFrameError("bad_value"),
  );
});

Deno.test("FrameDecoderStream rejects an invalid maxBodySize with bad_value", () => {
  assert.throws(
    () => new FrameDecoderStream({ maxBodySize: -5 }),
    isFrameError("bad_value"),
  );
});

Deno.test("FrameEncoderStream writes each frame as one chunk of its exact bytes", async () => {
  const frames = [
    new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0xc0])),
    new SyncFrame(
      SyncMessageType.DeltaAck,
      new Uint8Array([0x93, 0x07, 0x00, 0xc0]),
    ),
    new SyncFrame(SyncMessageType.VectorClockSync, new Uint8Array(0)),
  ];
  const chunks = await Array.fromAsync(
    ReadableStream.from(frames).pipeThrough(new FrameEncoderStream()),
  );
  assert.deepEqual(chunks.map((c) => Array.from(c)), [
    Array.from(PING),
    Array.from(ACK),
    [0x30, 0, 0, 0, 0],
  ]);
});

Deno.test("FrameEncoderStream errors with bad_value for a value that is not a frame", async () => {
  await assert.rejects(
    Array.fromAsync(
      ReadableStream.from([
        { msgType: 0xff, body: [1] } as unknown as SyncFrame,
      ]).pipeThrough(
        new FrameEncoderStream(),
      ),
    ),
    isFrameError("bad_value"),
  );
});

Deno.test("FrameEncoderStream errors with unknown_type for a frame-shaped value with a bad type", async () => {
  await assert.rejects(
    Array.fromAsync(
      ReadableStream.from([
        { msgType: 0x13, body: new Uint8Array(1) } as unknown as SyncFrame,
      ]).pipeThrough(
        new FrameEncoderStream(),
      ),
    ),
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x13)),
  );
});

Deno.test("FrameEncoderStream then FrameDecoderStream round-trip random frames (property)", async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.array(
        fc.record({
          type: fc.constantFrom(...SYNC_MESSAGE_TYPES),
          body: fc.uint8Array({ maxLength: 300 }),
        }),
        { maxLength: 20 },
      ),
      async (specs) => {
        const frames = specs.map((s) => new SyncFrame(s.type, s.body));
        const back = await Array.fromAsync(
          ReadableStream.from(frames)
            .pipeThrough(new FrameEncoderStream())
            .pipeThrough(new FrameDecoderStream()),
        );
        assert.deepEqual(back.map(plain), frames.map(plain));
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("FrameDecoderStream decodes frames from a real TCP connection", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const frames = Array.from(
    { length: 500 },
    (_, i) => frameBytes(0x10, new Uint8Array(i % 97).fill(i & 0xff)),
  );
  const stream = concat(frames);
  const serving = (async () => {
    const conn = await listener.accept();
    // Odd-sized writes so that frames and headers straddle TCP reads.
    for (let at = 0; at < stream.length; at += 1013) {
      await conn.write(stream.subarray(at, at + 1013));
    }
    conn.close();
  })();
  const conn = await Deno.connect({
    hostname: "127.0.0.1",
    port: listener.addr.port,
  });
  const received = await Array.fromAsync(
    conn.readable.pipeThrough(new FrameDecoderStream()),
  );
  await serving;
  listener.close();
  assert.equal(received.length, 500);
  assert.deepEqual(
    received.map(plain),
    frames.map((f) => ({ type: f[0], body: Array.from(f.subarray(5)) })),
  );
});

Deno.test("FrameDecoderStream decodes frames from a fetch response body", async () => {
  const stream = concat([PING, ACK, PING]);
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    () => new Response(stream),
  );
  const response = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  const frames = await Array.fromAsync(
    response.body!.pipeThrough(new FrameDecoderStream()),
  );
  await server.shutdown();
  assert.deepEqual(frames.map((f) => f.msgType), [0xff, 0x11, 0xff]);
});

Deno.test("FrameDecoderStream decodes frames from a file, and encodes frames into one", async () => {
  const path = await Deno.makeTempFile({ suffix: ".frames" });
  try {
    const frames = Array.from(
      { length: 100 },
      (_, i) =>
        new SyncFrame(SyncMessageType.DeltaPush, new Uint8Array(i).fill(i)),
    );
    const out = await Deno.open(path, { write: true, truncate: true });
    await ReadableStream.from(frames).pipeThrough(new FrameEncoderStream())
      .pipeTo(out.writable);
    const input = await Deno.open(path, { read: true });
    const back = await Array.fromAsync(
      input.readable.pipeThrough(new FrameDecoderStream()),
    );
    assert.deepEqual(back.map(plain), frames.map(plain));
    assert.equal(
      (await Deno.stat(path)).size,
      frames.reduce((n, f) => n + f.byteLength, 0),
    );
  } finally {
    await Deno.remove(path);
  }
});
