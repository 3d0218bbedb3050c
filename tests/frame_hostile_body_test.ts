// The generic-decoding cases (B01–B16) of ../shared/reference/bad-input-corpus.md.
import assert from "node:assert/strict";
import {
  DEFAULT_MAX_BODY_SIZE,
  FrameError,
  MAX_DEPTH,
  SyncFrame,
  SyncMessageType,
} from "../mod.ts";
import { hex } from "./_vectors.ts";

function bodyFrame(body: Uint8Array): SyncFrame {
  return new SyncFrame(SyncMessageType.PingPong, body);
}

function assertBadBody(body: Uint8Array, offset?: number): FrameError {
  const frame = bodyFrame(body);
  assert.equal(frame.decodeBody(), undefined);
  let caught: unknown;
  try {
    frame.decodeBodyOrThrow();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught instanceof FrameError, `expected FrameError, got ${caught}`);
  assert.equal(caught.code, "bad_body", caught.message);
  if (offset !== undefined) assert.equal(caught.offset, offset, caught.message);
  return caught;
}

function repeat(pattern: number[], totalBytes: number): Uint8Array {
  const out = new Uint8Array(totalBytes);
  for (let i = 0; i < totalBytes; i++) out[i] = pattern[i % pattern.length];
  return out;
}

Deno.test("B01 a __proto__ key becomes an own property and pollutes nothing", () => {
  const value = bodyFrame(hex("81 a9 5f5f70726f746f5f5f 81 a1 78 c3"))
    .decodeBodyOrThrow<Record<string, unknown>>();
  assert.equal(Object.getPrototypeOf(value), Object.prototype);
  assert.ok(Object.hasOwn(value, "__proto__"));
  assert.deepEqual(Object.getOwnPropertyDescriptor(value, "__proto__")?.value, {
    x: true,
  });
  assert.equal(({} as Record<string, unknown>).x, undefined);
});

Deno.test("B02 constructor.prototype keys stay data and pollute nothing", () => {
  const value = bodyFrame(
    hex("81 ab 636f6e7374727563746f72 81 a9 70726f746f74797065 81 a1 78 c3"),
  ).decodeBodyOrThrow<Record<string, unknown>>();
  assert.deepEqual(value.constructor, { prototype: { x: true } });
  assert.equal(({} as Record<string, unknown>).x, undefined);
  assert.equal(Object.prototype.constructor, Object);
});

Deno.test("B03 array32 claiming 2^32-1 items with no data is rejected at its header", () => {
  assertBadBody(hex("dd ff ff ff ff"), 0);
});

Deno.test("B04 map32 claiming 2^32-1 entries with no data is rejected at its header", () => {
  assertBadBody(hex("df ff ff ff ff"), 0);
});

Deno.test("B05 str32 claiming 4 GiB over 1 MiB of data is rejected at its header", () => {
  const body = new Uint8Array(5 + (1 << 20)).fill(0x61);
  body.set([0xdb, 0xff, 0xff, 0xff, 0xff]);
  assertBadBody(body, 0);
});

Deno.test("B06 bin32 and ext32 claiming 4 GiB are rejected", () => {
  assertBadBody(hex("c6 ff ff ff ff"), 0);
  assertBadBody(hex("c9 ff ff ff ff 01"), 0);
});

Deno.test("B07 100,000 nested arrays stop at the depth limit", () => {
  const body = new Uint8Array(100_001).fill(0x91);
  body[100_000] = 0xc0;
  const error = assertBadBody(body, MAX_DEPTH);
  assert.match(error.message, /deeper than 64/);
});

Deno.test("B08 100,000 nested maps stop at the depth limit", () => {
  const body = repeat([0x81, 0xa1, 0x61], 300_001);
  body[300_000] = 0xc0;
  assertBadBody(body, MAX_DEPTH * 3);
});

Deno.test("B09 64 KiB of `dc ff ff` is rejected at the first header", () => {
  // 65535 declared items cannot fit in the 65533 bytes that follow.
  assertBadBody(repeat([0xdc, 0xff, 0xff], 64 * 1024), 0);
});

Deno.test("B09 a max-size body of `dc ff ff` fails at the depth limit, not the heap", () => {
  const body = repeat([0xdc, 0xff, 0xff], DEFAULT_MAX_BODY_SIZE);
  const before = Deno.memoryUsage().heapUsed;
  assertBadBody(body, MAX_DEPTH * 3);
  // Only the 64 arrays on the path were started; declared counts reserve nothing.
  const grown = Deno.memoryUsage().heapUsed - before;
  assert.ok(grown < 4 << 20, `heap grew by ${grown} bytes`);
});

Deno.test("B10 64 KiB of `9f` is rejected at the depth limit", () => {
  assertBadBody(new Uint8Array(64 * 1024).fill(0x9f), MAX_DEPTH);
});

Deno.test("B11 int64 edges decode to exact bigints", () => {
  const cases: Array<[string, bigint]> = [
    ["cf 00 20 00 00 00 00 00 01", 2n ** 53n + 1n],
    ["cf ff ff ff ff ff ff ff ff", 2n ** 64n - 1n],
    ["d3 80 00 00 00 00 00 00 00", -(2n ** 63n)],
  ];
  for (const [body, expected] of cases) {
    assert.equal(bodyFrame(hex(body)).decodeBodyOrThrow(), expected);
  }
});

Deno.test("B12 trailing bytes after the value are rejected at their offset", () => {
  const error = assertBadBody(hex("01 02"), 1);
  assert.match(error.message, /1 trailing bytes/);
});

Deno.test("B13 reserved c1 and an empty body are rejected", () => {
  assertBadBody(hex("c1"), 0);
  assertBadBody(new Uint8Array(0), 0);
});

Deno.test("B14 invalid UTF-8 is rejected at every string length", () => {
  assertBadBody(hex("a2 c3 28"), 0);
  const str16 = new Uint8Array(3 + 300).fill(0x61);
  str16.set([0xda, 0x01, 0x2c]);
  str16.set([0xc3, 0x28], 150);
  assertBadBody(str16, 0);
  assertBadBody(hex("a3 ed a0 80"), 0); // an encoded surrogate
});

Deno.test("B14 a leading byte-order mark is kept, not stripped", () => {
  assert.equal(bodyFrame(hex("a4 ef bb bf 41")).decodeBodyOrThrow(), "\ufeffA");
});

Deno.test("B15 array and nil map keys are rejected by generic decoding", () => {
  assertBadBody(hex("81 91 01 02"), 1);
  assertBadBody(hex("81 c0 02"), 1);
});

Deno.test("B15 integer map keys become their decimal text", () => {
  assert.deepEqual(
    bodyFrame(hex("82 07 01 cf ff ff ff ff ff ff ff ff 02"))
      .decodeBodyOrThrow(),
    { "7": 1, "18446744073709551615": 2 },
  );
});

Deno.test("B16 extension types are rejected", () => {
  assertBadBody(hex("d4 05 00"), 0);
  assertBadBody(hex("c7 03 ff 00 00 00"), 0);
});

Deno.test("every marker with a missing payload is rejected, never read past the end", () => {
  for (
    const marker of [
      0xc4,
      0xc5,
      0xc6,
      0xca,
      0xcb,
      0xcc,
      0xcd,
      0xce,
      0xcf,
      0xd0,
      0xd1,
      0xd2,
      0xd3,
      0xd9,
      0xda,
      0xdb,
      0xdc,
      0xdd,
      0xde,
      0xdf,
    ]
  ) {
    assertBadBody(new Uint8Array([marker]), 0);
  }
});

Deno.test("a map declaring more entries than half the remaining bytes is rejected", () => {
  assertBadBody(hex("83 01 02 03 04"), 0);
});
