// The frame-level cases of ../shared/reference/bad-input-corpus.md (F01–F18,
// S01–S04), each as a named test with the exact expected outcome.

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  FrameDecoder,
  FrameDecoderStream,
  FrameError,
} from "../transport/stream.ts";
import { DEFAULT_MAX_BODY_SIZE, SyncMessageType } from "../mod.ts";
import { CloseCode, type UpgradeOptions } from "../transport/websocket.ts";
import { SyncFrame } from "../mod.ts";
import {
  concat,
  cut,
  decodeAll,
  frameBytes,
  frameServer,
  isFrameError,
  plain,
  rawClient,
  type ServerKind,
  stalledPeer,
  until,
} from "./_transport_helpers.ts";

const T = 0xff; // any known type

/** Feeds bytes one push each; returns frames, throws the first error. */
function pushEach(decoder: FrameDecoder, chunks: Uint8Array[]): SyncFrame[] {
  return chunks.flatMap((chunk) => [...decoder.push(chunk)]);
}

/** Sends one raw message to a FrameSocket server; returns the close codes and error. */
async function sendOneMessage(
  message: Uint8Array | string,
  options?: UpgradeOptions,
  kind: ServerKind = "ws",
): Promise<{ closeCode: number; error: unknown }> {
  const server = await frameServer(options, kind);
  const raw = await rawClient(server.url);
  const session = await server.accepted();
  raw.ws.send(message);
  const closeCode = (await raw.closed).code;
  const error = await session.receive().then(() => undefined, (e) => e);
  assert.equal((await session.closed).error, error);
  await server.shutdown();
  return { closeCode, error };
}

// --- F: frame layer ---------------------------------------------------------

Deno.test("F01 eof-clean: no bytes then end gives no frames and a clean end", async () => {
  const decoder = new FrameDecoder();
  assert.equal(decoder.push(new Uint8Array(0)).length, 0);
  decoder.end();
  assert.deepEqual(
    await Array.fromAsync(
      ReadableStream.from<Uint8Array>([]).pipeThrough(new FrameDecoderStream()),
    ),
    [],
  );
});

Deno.test("F02 header-partial-eof: T 05 00 then end is truncated", () => {
  const decoder = new FrameDecoder();
  decoder.push(new Uint8Array([T, 0x05, 0x00]));
  assert.throws(
    () => decoder.end(),
    isFrameError("truncated", (e) => assert.equal(e.msgType, T)),
  );
});

Deno.test("F03 body-partial-eof: a 10-byte body cut after 4 bytes then end is truncated", () => {
  const decoder = new FrameDecoder();
  decoder.push(new Uint8Array([T, 0x0a, 0, 0, 0, 1, 2, 3, 4]));
  assert.throws(
    () => decoder.end(),
    isFrameError("truncated", (e) => {
      assert.equal(e.length, 10);
      assert.equal(e.offset, 0);
    }),
  );
});

Deno.test("F04 len-u32-max: too_large as soon as the 5th byte arrives, with no body buffered", () => {
  const decoder = new FrameDecoder();
  for (const byte of [T, 0xff, 0xff, 0xff]) {
    assert.equal(decoder.push(new Uint8Array([byte])).length, 0);
  }
  assert.throws(
    () => decoder.push(new Uint8Array([0xff])),
    isFrameError("too_large", (e) => assert.equal(e.length, 0xffff_ffff)),
  );
  assert.equal(decoder.bufferedBytes, 0);
});

Deno.test("F05 len-max-boundary: a body of MAX is accepted and MAX+1 is too_large", () => {
  const MAX = 1000;
  const first = frameBytes(T, new Uint8Array(MAX).fill(9));
  const second = new Uint8Array([T, 0xe9, 0x03, 0, 0]); // LE(1001)
  const separate = new FrameDecoder({ maxBodySize: MAX });
  assert.deepEqual(separate.push(first).map((f) => f.body.length), [MAX]);
  assert.throws(
    () => separate.push(second),
    isFrameError("too_large", (e) => assert.equal(e.length, MAX + 1)),
  );

  // In one chunk: the first frame is still delivered, then the error.
  const together = new FrameDecoder({ maxBodySize: MAX });
  assert.deepEqual(
    together.push(concat([first, second])).map((f) => f.body.length),
    [MAX],
  );
  assert.equal(together.error?.code, "too_large");
  assert.throws(
    () => together.end(),
    isFrameError("too_large", (e) => assert.equal(e.offset, first.length)),
  );
});

Deno.test("F06 len-zero: the frame decodes with an empty body, and reading the body is bad_body", () => {
  const frames = new FrameDecoder().push(new Uint8Array([T, 0, 0, 0, 0]));
  assert.equal(frames.length, 1);
  assert.equal(frames[0].body.length, 0);
  assert.throws(() => frames[0].decodeBodyOrThrow(), isFrameError("bad_body"));
});

Deno.test("F07 unknown-type: 13 01 00 00 00 c0 is unknown_type", () => {
  assert.throws(
    () => new FrameDecoder().push(new Uint8Array([0x13, 1, 0, 0, 0, 0xc0])),
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x13)),
  );
});

Deno.test("F07 unknown-type over WebSocket closes with 1002 by default", async () => {
  const { closeCode, error } = await sendOneMessage(
    new Uint8Array([0x13, 1, 0, 0, 0, 0xc0]),
  );
  assert.equal(closeCode, CloseCode.ProtocolError);
  assert.ok(
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x13))(error),
  );
});

Deno.test("F07 unknown-type over WebSocket is skipped when configured", async () => {
  const server = await frameServer({ unknownType: "skip" });
  const raw = await rawClient(server.url);
  const session = await server.accepted();
  raw.ws.send(new Uint8Array([0x13, 1, 0, 0, 0, 0xc0]));
  raw.ws.send(new Uint8Array([0xff, 1, 0, 0, 0, 0xc3]));
  assert.deepEqual(plain((await session.receive())!), {
    type: 0xff,
    body: [0xc3],
  });
  raw.ws.close();
  assert.equal((await raw.closed).code, 1005);
  assert.equal(await session.receive(), undefined);
  await server.shutdown();
});

Deno.test("F08 unknown-type-0x00: 00 01 00 00 00 c0 is unknown_type", () => {
  assert.throws(
    () => new FrameDecoder().push(new Uint8Array([0x00, 1, 0, 0, 0, 0xc0])),
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x00)),
  );
});

Deno.test("F09 http-on-frame-port: GET / HTTP/1.1 is unknown_type 0x47 at its first byte", () => {
  const http = new TextEncoder().encode("GET / HTTP/1.1\r\n");
  assert.throws(
    () => new FrameDecoder().push(http),
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x47)),
  );
  // Without waiting for a header, let alone a body.
  assert.throws(
    () => new FrameDecoder().push(http.subarray(0, 1)),
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x47)),
  );
});

Deno.test("F10 tls-hello-on-plain-port: 16 03 01 … is unknown_type 0x16 at its first byte", () => {
  const hello = new Uint8Array([
    0x16,
    0x03,
    0x01,
    0x02,
    0x00,
    0x01,
    0x00,
    0x01,
    0xfc,
    0x03,
    0x03,
  ]);
  assert.throws(
    () => new FrameDecoder().push(hello),
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x16)),
  );
  assert.throws(
    () => new FrameDecoder().push(hello.subarray(0, 1)),
    isFrameError("unknown_type", (e) => assert.equal(e.msgType, 0x16)),
  );
});

Deno.test("F11 two-frames-one-chunk: ff 01 00 00 00 c0 ff 01 00 00 00 c3 gives two frames in order", () => {
  const frames = new FrameDecoder().push(
    new Uint8Array([0xff, 1, 0, 0, 0, 0xc0, 0xff, 1, 0, 0, 0, 0xc3]),
  );
  assert.deepEqual(frames.map(plain), [{ type: 0xff, body: [0xc0] }, {
    type: 0xff,
    body: [0xc3],
  }]);
});

Deno.test("F12 every-split-point: a 3-frame stream cut at each offset gives identical frames", () => {
  const stream = concat([
    frameBytes(0x10, [
      0x97,
      0xa1,
      0x63,
      0xa1,
      0x64,
      0xc4,
      0x01,
      0x00,
      0x01,
      0x02,
      0x00,
      0xc0,
    ]),
    frameBytes(0x11, [0x93, 0x07, 0x00, 0xc0]),
    frameBytes(0xff, [0x92, 0xcd, 0x30, 0x39, 0xc2]),
  ]);
  const expected = decodeAll([stream]);
  assert.equal(expected.frames.length, 3);
  assert.equal(expected.error, undefined);
  for (let at = 1; at < stream.length; at++) {
    assert.deepEqual(decodeAll(cut(stream, [at])), expected, `cut at ${at}`);
    assert.deepEqual(
      decodeAll(cut(stream, [at]), { copy: true }),
      expected,
      `copy, cut at ${at}`,
    );
  }
});

Deno.test("F13 one-byte-chunks: a 1 MiB frame fed one byte per push gives one frame with the right body", () => {
  const body = Uint8Array.from(
    { length: 1 << 20 },
    (_, i) => (i * 31 + 7) & 0xff,
  );
  const bytes = frameBytes(0x93, body);
  const decoder = new FrameDecoder();
  const frames: SyncFrame[] = [];
  for (let i = 0; i < bytes.length; i++) {
    frames.push(...decoder.push(bytes.subarray(i, i + 1)));
  }
  decoder.end();
  assert.equal(frames.length, 1);
  assert.equal(frames[0].msgType, 0x93);
  assert.deepEqual(frames[0].body, body);
});

Deno.test("F14 sticky-after-error: after F04 a valid frame is not delivered and the error repeats", () => {
  const valid = new Uint8Array([0xff, 1, 0, 0, 0, 0xc0]);
  const f04 = new Uint8Array([T, 0xff, 0xff, 0xff, 0xff]);
  const decoder = new FrameDecoder();
  assert.throws(() => decoder.push(f04), isFrameError("too_large"));
  assert.throws(() => decoder.push(valid), isFrameError("too_large"));
  assert.throws(() => decoder.end(), isFrameError("too_large"));
  // Same in one chunk: nothing after the bad header is delivered.
  const oneChunk = new FrameDecoder();
  assert.throws(
    () => oneChunk.push(concat([f04, valid])),
    isFrameError("too_large"),
  );
  assert.throws(() => pushEach(oneChunk, [valid]), isFrameError("too_large"));
});

Deno.test("F15 ws-two-frames-one-message: one binary message holding two frames closes with 1002", async () => {
  const { closeCode, error } = await sendOneMessage(
    new Uint8Array([0xff, 1, 0, 0, 0, 0xc0, 0xff, 1, 0, 0, 0, 0xc3]),
  );
  assert.equal(closeCode, CloseCode.ProtocolError);
  assert.ok(
    isFrameError("bad_message", (e) => assert.equal(e.length, 1))(error),
  );
});

Deno.test("F16 ws-partial-frame-message: a message holding the first 7 bytes of a frame closes with 1002", async () => {
  const frame = frameBytes(0x11, [0x93, 0x07, 0x00, 0xc0]);
  const { closeCode, error } = await sendOneMessage(frame.subarray(0, 7));
  assert.equal(closeCode, CloseCode.ProtocolError);
  assert.ok(isFrameError("truncated", (e) => assert.equal(e.length, 4))(error));
});

Deno.test('F17 ws-text-message: a text message "hi" closes with 1003', async () => {
  const { closeCode, error } = await sendOneMessage("hi");
  assert.equal(closeCode, CloseCode.UnsupportedData);
  assert.ok(isFrameError("bad_message")(error));
});

Deno.test("F18 ws-oversize: a message whose frame declares MAX+1 closes with 1009", async () => {
  const MAX = 1024;
  // On ws the whole message passes header + MAX while it arrives: refused
  // before the frame is looked at.
  const whole = await sendOneMessage(
    frameBytes(0x10, new Uint8Array(MAX + 1)),
    { maxBodySize: MAX },
  );
  assert.equal(whole.closeCode, CloseCode.MessageTooBig);
  assert.ok(isFrameError("too_large")(whole.error));
  // A header alone that declares MAX+1 is refused by the frame check.
  const header = await sendOneMessage(
    frameBytes(0x10, new Uint8Array(MAX + 1)).subarray(0, 5),
    { maxBodySize: MAX },
  );
  assert.equal(header.closeCode, CloseCode.MessageTooBig);
  assert.ok(
    isFrameError("too_large", (e) => assert.equal(e.length, MAX + 1))(
      header.error,
    ),
  );
  // Deno's own server sees the whole message, then the frame check refuses it.
  const deno = await sendOneMessage(
    frameBytes(0x10, new Uint8Array(MAX + 1)),
    { maxBodySize: MAX },
    "deno",
  );
  assert.equal(deno.closeCode, CloseCode.MessageTooBig);
  assert.ok(
    isFrameError("too_large", (e) => assert.equal(e.length, MAX + 1))(
      deno.error,
    ),
  );
});

// --- S: stream and load -------------------------------------------------------

Deno.test("S01 slowloris: a header declaring MAX then single bytes holds memory equal to the bytes received", () => {
  const MAX = DEFAULT_MAX_BODY_SIZE; // the default limit
  const decoder = new FrameDecoder();
  assert.equal(decoder.maxBodySize, MAX);
  // ArrayBuffers count in `external`; the objects that hold them in `heapUsed`.
  const held = () => {
    const { external, heapUsed } = Deno.memoryUsage();
    return external + heapUsed;
  };
  const before = held();
  const header = new Uint8Array([0x93, 0, 0, 0, 0]);
  new DataView(header.buffer).setUint32(1, MAX, true); // declares exactly MAX
  decoder.push(header);
  assert.equal(decoder.bufferedBytes, 5);
  const trickle = 1 << 20;
  const byte = new Uint8Array([0x5a]);
  for (let i = 1; i <= trickle; i++) {
    assert.equal(decoder.push(byte).length, 0);
    if (decoder.bufferedBytes !== 5 + i) {
      assert.fail(`after ${i} bytes ${decoder.bufferedBytes} are buffered`);
    }
  }
  // Block storage grows with what arrived (at most about twice it), never
  // toward the MAX the header declared.
  const grown = held() - before;
  assert.ok(
    grown < 4 * trickle,
    `memory grew by ${grown} bytes for ${trickle} received`,
  );
  assert.throws(
    () => decoder.end(),
    isFrameError("truncated", (e) => assert.equal(e.length, MAX)),
  );
});

Deno.test("S02 stalled-reader: send waits at the high-water mark and the connection fails at the hard cap", async () => {
  const HIGH_WATER = 1024 * 1024; // defaults
  const HARD_CAP = 16 * 1024 * 1024;
  const server = await frameServer();
  const conn = await stalledPeer(server.port);
  const session = await server.accepted();
  const frame = new SyncFrame(
    SyncMessageType.ShapeSnapshot,
    new Uint8Array(1024 * 1024),
  );
  const size = frame.byteLength;

  // An awaiting sender: fills the socket until the peer's TCP window closes,
  // then waits at the high-water mark.
  let maxBuffered = 0;
  let waiting = false;
  const sender = (async () => {
    for (;;) {
      waiting = true;
      await session.send(frame);
      waiting = false;
      maxBuffered = Math.max(maxBuffered, session.bufferedAmount);
    }
  })();
  const senderOutcome = sender.then(() => undefined, (e) => e);
  let stuck = 0;
  await until(() => {
    maxBuffered = Math.max(maxBuffered, session.bufferedAmount);
    stuck = waiting && session.webSocket.bufferedAmount > HIGH_WATER
      ? stuck + 1
      : 0;
    return stuck >= 20;
  }, "send waits at the high-water mark");
  assert.ok(maxBuffered <= HIGH_WATER + 2 * size, `buffered ${maxBuffered}`);

  // Senders that do not wait: the one that would pass the hard cap fails the
  // connection instead of buffering it.
  const extra = Array.from(
    { length: 24 },
    () => session.send(frame).then(() => "sent", (e) => e),
  );
  const outcomes = await Promise.all(extra);
  const failed = outcomes.filter((o) => o instanceof FrameError);
  assert.ok(failed.length > 0);
  assert.ok(isFrameError("backpressure")(failed[0]));
  for (const o of failed) {
    assert.ok(o instanceof FrameError && (o.code === "backpressure"));
  }
  assert.ok(isFrameError("backpressure")(await senderOutcome));
  assert.ok(
    session.webSocket.bufferedAmount <= HARD_CAP,
    `socket holds ${session.webSocket.bufferedAmount}`,
  );
  assert.equal(session.bufferedAmount, session.webSocket.bufferedAmount);
  await assert.rejects(session.receive(), isFrameError("backpressure"));
  await assert.rejects(session.send(frame), isFrameError("backpressure"));

  conn.close();
  const info = await session.closed;
  assert.equal(info.error?.code, "backpressure");
  await server.shutdown();
});

Deno.test("S03 flood-small: 1,000,000 frames of 6 bytes in one chunk are all delivered, in order", () => {
  const N = 1_000_000;
  const bytes = new Uint8Array(6 * N);
  for (let i = 0; i < N; i++) bytes.set([0xff, 1, 0, 0, 0, 0xc0], 6 * i);
  for (const copy of [false, true]) {
    const frames = new FrameDecoder({ copy }).push(bytes);
    assert.equal(frames.length, N);
    for (let i = 0; i < N; i++) {
      const f = frames[i];
      if (f.msgType !== 0xff || f.body.length !== 1 || f.body[0] !== 0xc0) {
        assert.fail(`frame ${i} is ${f.msgType} ${Array.from(f.body)}`);
      }
      if (!copy && f.body.byteOffset !== 6 * i + 5) {
        assert.fail(`frame ${i} is out of order`);
      }
    }
  }
});

Deno.test("S04 random-garbage: random byte streams raise only FrameError and always settle (property)", async () => {
  const bytes = fc.oneof(
    fc.uint8Array({ maxLength: 200 }),
    // Known type bytes make the garbage reach the length and body checks.
    fc.tuple(
      fc.constantFrom(0x01, 0x10, 0x93, 0xff),
      fc.uint8Array({ maxLength: 200 }),
    ).map(([t, rest]) => concat([new Uint8Array([t]), rest])),
  );
  await fc.assert(
    fc.asyncProperty(
      bytes.chain((b) =>
        fc.tuple(
          fc.constant(b),
          fc.uniqueArray(fc.integer({ min: 0, max: b.length }), {
            maxLength: 10,
          }).map((a) => a.sort((x, y) => x - y)),
          fc.integer({ min: 0, max: 300 }),
        )
      ),
      async ([garbage, offsets, maxBodySize]) => {
        // decodeAll rethrows anything that is not a FrameError.
        decodeAll(cut(garbage, offsets), { maxBodySize });
        decodeAll(cut(garbage, offsets), { maxBodySize, copy: true });
        // The stream settles: it ends or errors with a FrameError.
        const source = ReadableStream.from(cut(garbage, offsets));
        await Array.fromAsync(
          source.pipeThrough(new FrameDecoderStream({ maxBodySize })),
        ).catch((error) => {
          if (!(error instanceof FrameError)) throw error;
        });
      },
    ),
    { numRuns: 2000 },
  );
});
