import assert from "node:assert/strict";
import fc from "fast-check";
import { FrameCursor, FrameDecoder, FrameError } from "../transport/stream.ts";
import { SYNC_MESSAGE_TYPES, SyncMessageType } from "../mod.ts";
import {
  concat,
  cut,
  decodeAll,
  frameBytes,
  isFrameError,
  type Plain,
  plain,
} from "./_transport_helpers.ts";

const PING = frameBytes(0xff, [0xc0]); // ff 01 00 00 00 c0
const ACK = frameBytes(0x11, [0x93, 0x07, 0x00, 0xc0]);

Deno.test("FrameDecoder decodes whole frames inside one chunk in order, with exact bodies", () => {
  const decoder = new FrameDecoder();
  const frames = decoder.push(concat([PING, ACK, PING]));
  assert.deepEqual(frames.map(plain), [
    { type: 0xff, body: [0xc0] },
    { type: 0x11, body: [0x93, 0x07, 0x00, 0xc0] },
    { type: 0xff, body: [0xc0] },
  ]);
  assert.equal(decoder.bufferedBytes, 0);
  decoder.end();
});

Deno.test("FrameDecoder returns the same frames for every pair of cut points", () => {
  const stream = concat([ACK, frameBytes(0x10, [1, 2, 3, 4, 5, 6, 7]), PING]);
  const expected = decodeAll([stream]);
  assert.equal(expected.frames.length, 3);
  for (let a = 0; a <= stream.length; a++) {
    for (let b = a; b <= stream.length; b++) {
      assert.deepEqual(
        decodeAll(cut(stream, [a, b])),
        expected,
        `cuts ${a}, ${b}`,
      );
      assert.deepEqual(
        decodeAll(cut(stream, [a, b]), { copy: true }),
        expected,
        `copy, cuts ${a}, ${b}`,
      );
    }
  }
});

Deno.test("FrameDecoder accepts empty chunks anywhere", () => {
  const decoder = new FrameDecoder();
  const empty = new Uint8Array(0);
  assert.equal(decoder.push(empty).length, 0);
  assert.equal(decoder.push(PING.subarray(0, 3)).length, 0);
  assert.equal(decoder.push(empty).length, 0);
  assert.deepEqual(decoder.push(PING.subarray(3)).map(plain), [{
    type: 0xff,
    body: [0xc0],
  }]);
  assert.equal(decoder.push(empty).length, 0);
  decoder.end();
});

Deno.test("FrameDecoder decodes a frame with an empty body", () => {
  const decoder = new FrameDecoder();
  const frames = [
    ...decoder.push(new Uint8Array([0x30, 0, 0])),
    ...decoder.push(new Uint8Array([0, 0])),
  ];
  assert.deepEqual(frames.map(plain), [{ type: 0x30, body: [] }]);
  decoder.end();
});

Deno.test("FrameDecoder rejects an oversize length as soon as the header arrives", () => {
  const decoder = new FrameDecoder({ maxBodySize: 100 });
  assert.equal(decoder.push(new Uint8Array([0x10, 101, 0])).length, 0);
  assert.throws(
    () => decoder.push(new Uint8Array([0, 0])),
    isFrameError("too_large", (e) => {
      assert.equal(e.length, 101);
      assert.equal(e.msgType, 0x10);
      assert.equal(e.offset, 0);
    }),
  );
  assert.equal(decoder.bufferedBytes, 0);
});

Deno.test("FrameDecoder accepts a body of exactly maxBodySize", () => {
  const body = new Uint8Array(100).fill(7);
  const decoder = new FrameDecoder({ maxBodySize: 100 });
  const frames = decoder.push(frameBytes(0x10, body));
  assert.deepEqual(frames.map(plain), [{ type: 0x10, body: Array.from(body) }]);
});

Deno.test("FrameDecoder with maxBodySize 0 accepts only empty bodies", () => {
  const decoder = new FrameDecoder({ maxBodySize: 0 });
  assert.equal(decoder.push(frameBytes(0xff, [])).length, 1);
  assert.throws(() => decoder.push(PING), isFrameError("too_large"));
});

Deno.test("FrameDecoder reports an unknown type byte as soon as it arrives", () => {
  const decoder = new FrameDecoder();
  assert.equal(decoder.push(PING).length, 1);
  assert.throws(
    () => decoder.push(new Uint8Array([0x13])),
    isFrameError("unknown_type", (e) => {
      assert.equal(e.msgType, 0x13);
      assert.equal(e.offset, 6);
    }),
  );
});

Deno.test("FrameDecoder reports the stream offset of a bad header split across chunks", () => {
  const decoder = new FrameDecoder({ maxBodySize: 10 });
  decoder.push(concat([PING, PING, new Uint8Array([0xff, 0x0b])]));
  assert.throws(
    () => decoder.push(new Uint8Array([0, 0, 0])),
    isFrameError("too_large", (e) => assert.equal(e.offset, 12)),
  );
});

Deno.test("FrameDecoder stays failed after an error and throws the same error again", () => {
  const decoder = new FrameDecoder();
  let first: unknown;
  try {
    decoder.push(new Uint8Array([0x00]));
  } catch (error) {
    first = error;
  }
  assert.ok(first instanceof FrameError);
  assert.equal(decoder.error, first);
  assert.throws(() => decoder.push(PING), (e) => e === first);
  assert.throws(() => decoder.end(), (e) => e === first);
});

Deno.test("FrameDecoder returns the frames before a bad header, then fails on the next call", () => {
  const decoder = new FrameDecoder();
  const frames = decoder.push(
    concat([PING, ACK, new TextEncoder().encode("GET /")]),
  );
  assert.deepEqual(frames.map((f) => f.msgType), [0xff, 0x11]);
  assert.ok(decoder.error instanceof FrameError);
  assert.equal(decoder.error.code, "unknown_type");
  assert.equal(decoder.error.offset, 15);
  assert.throws(() => decoder.push(PING), (e) => e === decoder.error);
});

Deno.test("FrameDecoder.end throws truncated inside a header, with what is known", () => {
  const decoder = new FrameDecoder();
  decoder.push(concat([PING, new Uint8Array([0x11, 4, 0])]));
  assert.equal(decoder.bufferedBytes, 3);
  assert.throws(
    () => decoder.end(),
    isFrameError("truncated", (e) => {
      assert.equal(e.msgType, 0x11);
      assert.equal(e.length, undefined);
      assert.equal(e.offset, 6);
    }),
  );
  assert.equal(decoder.bufferedBytes, 0);
});

Deno.test("FrameDecoder.end throws truncated inside a body, with type and length", () => {
  const decoder = new FrameDecoder();
  decoder.push(ACK.subarray(0, 7));
  assert.throws(
    () => decoder.end(),
    isFrameError("truncated", (e) => {
      assert.equal(e.msgType, 0x11);
      assert.equal(e.length, 4);
      assert.equal(e.offset, 0);
    }),
  );
});

Deno.test("FrameDecoder.end is clean between frames, and push after end throws closed", () => {
  const decoder = new FrameDecoder();
  decoder.push(PING);
  decoder.end();
  decoder.end();
  assert.throws(() => decoder.push(PING), isFrameError("closed"));
});

Deno.test("FrameDecoder rejects a non-Uint8Array chunk with bad_value and stays usable", () => {
  const decoder = new FrameDecoder();
  assert.throws(
    () => decoder.push([0xff, 1, 0, 0, 0, 0xc0] as unknown as Uint8Array),
    isFrameError("bad_value"),
  );
  assert.equal(decoder.error, undefined);
  assert.equal(decoder.push(PING).length, 1);
});

Deno.test("FrameDecoder rejects an invalid maxBodySize with bad_value", () => {
  for (const maxBodySize of [-1, 1.5, 2 ** 32, NaN]) {
    assert.throws(
      () => new FrameDecoder({ maxBodySize }),
      isFrameError("bad_value"),
    );
  }
});

Deno.test("FrameDecoder bodies of frames whole inside a chunk are views of that chunk", () => {
  const chunk = concat([PING, ACK]);
  const frames = new FrameDecoder().push(chunk);
  assert.equal(frames[1].body.buffer, chunk.buffer);
  assert.equal(frames[1].body.byteOffset, 11);
  chunk[11] = 0x90;
  assert.equal(frames[1].body[0], 0x90);
});

Deno.test("FrameDecoder copy option gives bodies independent of the pushed chunks", () => {
  const big = new Uint8Array(20_000).fill(5);
  const chunk = concat([PING, frameBytes(0x10, big), ACK, PING.subarray(0, 3)]);
  const decoder = new FrameDecoder({ copy: true });
  const frames = [...decoder.push(chunk)];
  const tail = PING.slice(3);
  frames.push(...decoder.push(tail));
  const before = frames.map(plain);
  chunk.fill(0);
  tail.fill(0);
  assert.deepEqual(frames.map(plain), before);
  assert.deepEqual(before.map((f) => f.type), [0xff, 0x10, 0x11, 0xff]);
  for (const frame of frames) assert.notEqual(frame.body.buffer, chunk.buffer);
});

Deno.test("FrameDecoder assembles a frame spanning chunks once, into a buffer of its exact size", () => {
  const body = Uint8Array.from({ length: 300_000 }, (_, i) => (i * 7) & 0xff);
  const bytes = frameBytes(0x93, body);
  const chunks = cut(bytes, [3, 1000, 1001, 70_000, 250_000, 299_999]);
  const decoder = new FrameDecoder();
  const frames = chunks.flatMap((c) => [...decoder.push(c)]);
  decoder.end();
  assert.equal(frames.length, 1);
  assert.equal(frames[0].body.buffer.byteLength, body.length);
  assert.deepEqual(frames[0].body, body);
});

Deno.test("FrameDecoder bodies never overlap one another", () => {
  // Small spanning bodies share slabs; writing one must not touch another.
  const parts = Array.from(
    { length: 200 },
    (_, i) => frameBytes(0x10, new Uint8Array(50 + i).fill(i)),
  );
  const stream = concat(parts);
  for (const copy of [false, true]) {
    const decoder = new FrameDecoder({ copy });
    const frames = cut(stream, Array.from({ length: 300 }, (_, k) => k * 97))
      .flatMap((c) => [...decoder.push(c)]);
    assert.equal(frames.length, 200);
    for (const frame of frames) frame.body.fill(0xee);
    for (const frame of frames) assert.ok(frame.body.every((b) => b === 0xee));
    assert.deepEqual(
      frames.map((f) => f.body.length),
      parts.map((p) => p.length - 5),
    );
  }
});

Deno.test("FrameDecoder bufferedBytes counts exactly the bytes of the incomplete frame", () => {
  const bytes = frameBytes(0x10, new Uint8Array(50_000).fill(1));
  const decoder = new FrameDecoder({ maxBodySize: 50_000 });
  let received = 0;
  for (const chunk of cut(bytes, [1, 4, 5, 6, 10_000, 49_000])) {
    const frames = decoder.push(chunk);
    received += chunk.length;
    assert.equal(decoder.bufferedBytes, frames.length === 0 ? received : 0);
    assert.ok(decoder.bufferedBytes <= decoder.maxBodySize + 5);
  }
});

Deno.test("FrameCursor walks the frames of a buffer and stops before an incomplete one", () => {
  const bytes = concat([PING, ACK, ACK.subarray(0, 6)]);
  const cursor = new FrameCursor(bytes);
  const seen: [number, number, number][] = [];
  while (cursor.next()) {
    seen.push([cursor.msgType, cursor.bodyStart, cursor.bodyEnd]);
  }
  assert.deepEqual(seen, [[SyncMessageType.PingPong, 5, 6], [
    SyncMessageType.DeltaAck,
    11,
    15,
  ]]);
  assert.equal(cursor.offset, 15);
  assert.equal(cursor.next(), false);
});

Deno.test("FrameCursor starts at the offset option and rejects an invalid one", () => {
  const bytes = concat([PING, ACK]);
  const cursor = new FrameCursor(bytes, { offset: 6 });
  assert.equal(cursor.next(), true);
  assert.equal(cursor.msgType, 0x11);
  assert.throws(
    () => new FrameCursor(bytes, { offset: 16 }),
    isFrameError("bad_value"),
  );
});

Deno.test("FrameCursor throws unknown_type and too_large at the bad header, every time", () => {
  const unknown = new FrameCursor(concat([PING, new Uint8Array([0x13])]));
  assert.equal(unknown.next(), true);
  for (let i = 0; i < 2; i++) {
    assert.throws(
      () => unknown.next(),
      isFrameError("unknown_type", (e) => assert.equal(e.offset, 6)),
    );
  }
  const large = new FrameCursor(new Uint8Array([0xff, 11, 0, 0, 0]), {
    maxBodySize: 10,
  });
  assert.throws(
    () => large.next(),
    isFrameError("too_large", (e) => assert.equal(e.length, 11)),
  );
});

// --- Property tests --------------------------------------------------------

const frameArbitrary = fc.record({
  type: fc.constantFrom(...SYNC_MESSAGE_TYPES),
  body: fc.oneof(
    { weight: 8, arbitrary: fc.uint8Array({ maxLength: 80 }) },
    {
      weight: 1,
      arbitrary: fc.uint8Array({ minLength: 8_000, maxLength: 20_000 }),
    },
  ),
});

/** Random cut offsets into a stream of `length` bytes. */
function cutsOf(length: number) {
  return fc.oneof(
    fc.uniqueArray(fc.integer({ min: 0, max: length }), { maxLength: 40 }).map((
      a,
    ) => a.sort((x, y) => x - y)),
    // Occasionally 1-byte chunks over a prefix, to stress header splits.
    fc.integer({ min: 0, max: Math.min(length, 200) }).map((n) =>
      Array.from({ length: n }, (_, i) => i + 1)
    ),
  );
}

Deno.test("FrameDecoder round-trips random frame sequences under random chunkings (property, 3000 runs)", () => {
  fc.assert(
    fc.property(
      fc.array(frameArbitrary, { maxLength: 12 }).chain((frames) => {
        const stream = concat(frames.map((f) => frameBytes(f.type, f.body)));
        return fc.tuple(
          fc.constant(frames),
          fc.constant(stream),
          cutsOf(stream.length),
          fc.boolean(),
        );
      }),
      ([frames, stream, offsets, copy]) => {
        const expected: Plain[] = frames.map((f) => ({
          type: f.type,
          body: Array.from(f.body),
        }));
        const decoder = new FrameDecoder({ copy });
        const got: Plain[] = [];
        let maxBuffered = 0;
        for (const chunk of cut(stream, offsets)) {
          for (const frame of decoder.push(chunk)) got.push(plain(frame));
          maxBuffered = Math.max(maxBuffered, decoder.bufferedBytes);
        }
        decoder.end();
        assert.deepEqual(got, expected);
        assert.ok(maxBuffered <= 20_005);
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("FrameDecoder gives the same frames and error for any chunking of random garbage (property)", () => {
  // A valid prefix followed by arbitrary bytes: errors at every stage of a frame.
  const garbage = fc.tuple(
    fc.array(frameArbitrary.filter((f) => f.body.length < 100), {
      maxLength: 3,
    }),
    fc.uint8Array({ maxLength: 64 }),
  ).map(([frames, tail]) =>
    concat([...frames.map((f) => frameBytes(f.type, f.body)), tail])
  );
  fc.assert(
    fc.property(
      garbage.chain((bytes) =>
        fc.tuple(
          fc.constant(bytes),
          cutsOf(bytes.length),
          fc.integer({ min: 0, max: 120 }),
        )
      ),
      ([bytes, offsets, maxBodySize]) => {
        const whole = decodeAll([bytes], { maxBodySize });
        assert.deepEqual(
          decodeAll(cut(bytes, offsets), { maxBodySize }),
          whole,
        );
      },
    ),
    { numRuns: 3000 },
  );
});

Deno.test("FrameDecoder fed one byte at a time rejects a non-Uint8Array chunk inside a header or a body and keeps the frame", () => {
  const frame = frameBytes(0x10, Array.from({ length: 40 }, (_, i) => i));
  for (const at of [2, 20]) {
    const decoder = new FrameDecoder();
    for (let i = 0; i < at; i++) decoder.push(frame.subarray(i, i + 1));
    assert.throws(
      () => decoder.push("x" as unknown as Uint8Array),
      isFrameError("bad_value"),
    );
    assert.equal(decoder.bufferedBytes, at);
    const frames = [];
    for (let i = at; i < frame.length; i++) {
      frames.push(...decoder.push(frame.subarray(i, i + 1)));
    }
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0].body, frame.subarray(5));
  }
});

Deno.test("FrameDecoder fed one byte at a time reports a bad header when its last byte arrives, then stays failed", () => {
  const decoder = new FrameDecoder({ revision: "2026-07" });
  // version 1, DeltaPush, a length over the 16-byte limit.
  const bytes = new Uint8Array([1, 0x10, 17, 0, 0, 0, 0, 0, 0, 0]);
  const small = new FrameDecoder({ revision: "2026-07", maxBodySize: 16 });
  for (let i = 0; i < 9; i++) {
    assert.equal(small.push(bytes.subarray(i, i + 1)).length, 0);
    decoder.push(bytes.subarray(i, i + 1));
  }
  assert.equal(small.bufferedBytes, 9);
  const error = (() => {
    try {
      small.push(bytes.subarray(9));
    } catch (e) {
      return e as FrameError;
    }
  })();
  assert.equal(error?.code, "too_large");
  assert.equal(error?.offset, 0);
  assert.throws(
    () => small.push(bytes.subarray(0, 1)),
    isFrameError("too_large"),
  );
  assert.throws(() => small.end(), isFrameError("too_large"));
  // The same bytes are a valid header without the limit: the body follows.
  assert.equal(decoder.push(bytes.subarray(9)).length, 0);
  assert.equal(decoder.bufferedBytes, 10);
});
