import assert from "node:assert/strict";
import fc from "npm:fast-check@4.10.2";
import { crc32c as awsCrc32c } from "npm:@aws-crypto/crc32c@5.2.0";
import { crc32c } from "../codec/crc32c.ts";
import { FrameError } from "../codec/error.ts";

// fast-check's default size keeps arrays to about 10 bytes, short of both
// 16-byte loops; `size: "max"` spreads lengths over the whole range.

interface Vector {
  name: string;
  body_hex: string;
  frame_hex: string;
}

function hexToBytes(text: string): Uint8Array {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/** `data` copied to `offset` inside a larger buffer with junk around it. */
function placedAt(data: Uint8Array, offset: number): Uint8Array {
  const buffer = new Uint8Array(offset + data.length + 7).fill(0xa5);
  buffer.set(data, offset);
  return buffer.subarray(offset, offset + data.length);
}

/** Deterministic pseudo-random bytes (xorshift32), any length. */
function pseudoRandomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed | 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

/** The local copy if there is one, else the shared reference; never neither. */
function readVectors(): Vector[] {
  const local = new URL("fixtures/vectors-2026-07.json", import.meta.url);
  const shared = new URL(
    "../../shared/reference/vectors-2026-07.json",
    import.meta.url,
  );
  try {
    return JSON.parse(Deno.readTextFileSync(local));
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
  return JSON.parse(Deno.readTextFileSync(shared));
}

Deno.test('crc32c() gives the check value 0xE3069283 for "123456789"', () => {
  assert.equal(crc32c(new TextEncoder().encode("123456789")), 0xe3069283);
});

Deno.test("crc32c() of the empty input is 0, with or without a seed of 0", () => {
  assert.equal(crc32c(new Uint8Array(0)), 0);
  assert.equal(crc32c(new Uint8Array(0), 0), 0);
});

Deno.test("crc32c() of the spec's ping body 92 cd 30 39 c2 is 0x005DEA76", () => {
  assert.equal(crc32c(hexToBytes("92cd3039c2")), 0x005dea76);
});

Deno.test("crc32c() of every 2026-07 reference body equals bytes 6..10 of its frame", () => {
  const vectors = readVectors();
  assert.ok(vectors.length > 0, "no 2026-07 vectors");
  for (const vector of vectors) {
    const frame = hexToBytes(vector.frame_hex);
    const stored = new DataView(frame.buffer).getUint32(6, true);
    assert.equal(crc32c(hexToBytes(vector.body_hex)), stored, vector.name);
  }
});

Deno.test("crc32c() agrees with @aws-crypto/crc32c on random arrays of 0..300 bytes", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300, size: "max" }), (data) => {
      assert.equal(crc32c(data), awsCrc32c(data));
    }),
    { numRuns: 2000 },
  );
});

Deno.test("crc32c() agrees with @aws-crypto/crc32c on subarrays at non-zero byteOffsets", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 1100, size: "max" }),
      fc.integer({ min: 1, max: 7 }),
      (data, offset) => {
        const view = placedAt(data, offset);
        assert.equal(view.byteOffset, offset);
        assert.equal(crc32c(view), awsCrc32c(data));
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test("crc32c() agrees with @aws-crypto/crc32c on 70 KiB buffers at every offset mod 4", () => {
  for (let offset = 0; offset < 8; offset++) {
    const data = pseudoRandomBytes(70 * 1024 + offset, 0x9e3779b9 + offset);
    assert.equal(crc32c(placedAt(data, offset)), awsCrc32c(data), `${offset}`);
  }
});

Deno.test("crc32c(b, crc32c(a)) equals crc32c(a followed by b)", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 600, size: "max" }),
      fc.uint8Array({ maxLength: 600, size: "max" }),
      (a, b) => {
        assert.equal(crc32c(b, crc32c(a)), crc32c(concat(a, b)));
      },
    ),
    { numRuns: 500 },
  );
});

Deno.test("crc32c() changes when any single bit of the input flips", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 1, maxLength: 600, size: "max" }),
      fc.nat(),
      fc.integer({ min: 0, max: 7 }),
      (data, at, bit) => {
        const flipped = data.slice();
        flipped[at % data.length] ^= 1 << bit;
        assert.notEqual(crc32c(flipped), crc32c(data));
      },
    ),
    { numRuns: 1000 },
  );
});

Deno.test('crc32c() throws FrameError "bad_value" for null, an ArrayBuffer and a number array', () => {
  for (const input of [null, new ArrayBuffer(4), [1, 2, 3]]) {
    assert.throws(
      () => crc32c(input as unknown as Uint8Array),
      (error: unknown) =>
        error instanceof FrameError && error.code === "bad_value",
      String(input),
    );
  }
});
