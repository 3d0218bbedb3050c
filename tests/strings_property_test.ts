// The strict UTF-8 fast paths against the platform: decoding (codec/_strings.ts:
// the cached JS decoder up to 64 B, the non-fatal TextDecoder checked for
// U+FFFD above, the fatal one when a U+FFFD is there) must
// accept and reject exactly what `new TextDecoder("utf-8", { fatal: true })`
// does, and produce the same string; encoding must write what TextEncoder
// writes and refuse lone surrogates with "bad_value".
import assert from "node:assert/strict";
import fc from "fast-check";
import { decodeStr } from "../codec/_strings.ts";
import { decodeMsgpack, MsgpackWriter } from "../codec/_msgpack.ts";
import { WireReader } from "../codec/_wire_reader.ts";
import { putStr } from "../codec/_wire_writer.ts";
import { WireFault } from "../codec/_wire_fault.ts";
import { FrameError } from "../codec/error.ts";
import * as april from "../mod.ts";
import * as july from "../entries/2026-07.ts";

// ignoreBOM: a leading U+FEFF is a character like any other (the codecs keep
// it); the set of rejected inputs is the same with or without it.
const FATAL = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
const ENCODER = new TextEncoder();

/** What the fatal decoder makes of `b[start, end)`: the string or `undefined`. */
function oracle(b: Uint8Array, start = 0, end = b.length): string | undefined {
  try {
    return FATAL.decode(b.subarray(start, end));
  } catch {
    return undefined;
  }
}

/** Checks `b[start, end)` directly, twice (a cache hit), and through WireReader.str(). */
function check(b: Uint8Array, start = 0, end = b.length): void {
  const want = oracle(b, start, end);
  assert.equal(decodeStr(b, start, end), want);
  assert.equal(decodeStr(b, start, end), want);
  // As a str8/str16 value in a body, followed by other bytes.
  const n = end - start;
  const body = new Uint8Array(3 + n + 2);
  body.set([0xda, n >> 8, n & 0xff]);
  body.set(b.subarray(start, end), 3);
  body.set([0xc3, 0xc4], 3 + n);
  const r = new WireReader(body.subarray(0, 3 + n), undefined);
  if (want === undefined) {
    assert.throws(() => r.str(), (e) => e instanceof WireFault);
  } else {
    assert.equal(r.str(), want);
  }
}

// Invalid (and edge-valid) pieces: stray continuation bytes, C0/C1 and F5–FF
// leads, overlongs, surrogates, > U+10FFFF, truncated sequences.
const PIECES: readonly number[][] = [
  [0x80],
  [0xbf],
  [0xc0, 0x80],
  [0xc1, 0xbf],
  [0xc2],
  [0xc2, 0x7f],
  [0xc2, 0xc0],
  [0xdf, 0xbf],
  [0xe0, 0x80, 0x80],
  [0xe0, 0x9f, 0xbf],
  [0xe0, 0xa0, 0x80],
  [0xe1, 0x80],
  [0xec, 0xbf, 0xbf],
  [0xed, 0x9f, 0xbf],
  [0xed, 0xa0, 0x80],
  [0xed, 0xbf, 0xbf],
  [0xee, 0x80, 0x80],
  [0xef, 0xbf, 0xbf],
  [0xef, 0xbb, 0xbf],
  [0xef, 0xbf, 0xbd],
  [0xf0, 0x80, 0x80, 0x80],
  [0xf0, 0x8f, 0xbf, 0xbf],
  [0xf0, 0x90, 0x80, 0x80],
  [0xf0, 0x90, 0x80],
  [0xf3, 0xbf, 0xbf, 0xbf],
  [0xf4, 0x8f, 0xbf, 0xbf],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf5, 0x80, 0x80, 0x80],
  [0xf8, 0x88, 0x80, 0x80, 0x80],
  [0xfe],
  [0xff],
  [0xf0, 0x9f, 0x98],
];

/** A valid string's bytes with crafted pieces spliced in. */
const spliced = fc.tuple(
  fc.string({ unit: "grapheme", maxLength: 80 }),
  fc.array(
    fc.tuple(fc.nat(), fc.constantFrom(...PIECES)),
    { maxLength: 3 },
  ),
).map(([s, pieces]) => {
  let bytes = Array.from(ENCODER.encode(s));
  for (const [at, piece] of pieces) {
    const i = at % (bytes.length + 1);
    bytes = [...bytes.slice(0, i), ...piece, ...bytes.slice(i)];
  }
  return new Uint8Array(bytes.slice(0, 300));
});

/** Bytes from a mix of valid code points of every width and raw bytes. */
const mixed = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 0x7f }).map((c) => [c]),
    fc.integer({ min: 0x80, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xffff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }),
    fc.integer({ min: 0, max: 0xff }).map((c) => [c]),
  ).map((x) =>
    typeof x === "number"
      ? Array.from(ENCODER.encode(
        x >= 0xd800 && x <= 0xdfff ? "\ufffd" : String.fromCodePoint(x),
      ))
      : x
  ),
  { maxLength: 120 },
).map((parts) => new Uint8Array(parts.flat().slice(0, 300)));

Deno.test("decodeStr: random bytes of 0–300 as the fatal decoder", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), (b) => check(b)),
    { numRuns: 3000 },
  );
  // Mostly high bytes, where sequences start and break.
  fc.assert(
    fc.property(
      fc.array(fc.integer({ min: 0x70, max: 0xff }), { maxLength: 300 }),
      (a) => check(new Uint8Array(a)),
    ),
    { numRuns: 3000 },
  );
});

Deno.test("decodeStr: valid text and crafted invalid sequences", () => {
  fc.assert(
    fc.property(fc.string({ unit: "grapheme", maxLength: 150 }), (s) => {
      const b = ENCODER.encode(s);
      assert.notEqual(oracle(b), undefined);
      check(b);
    }),
    { numRuns: 2000 },
  );
  fc.assert(fc.property(spliced, (b) => check(b)), { numRuns: 4000 });
  fc.assert(fc.property(mixed, (b) => check(b)), { numRuns: 4000 });
});

Deno.test("decodeStr: a sub-range never reads past its end", () => {
  fc.assert(
    fc.property(mixed, fc.nat(), fc.nat(), (b, x, y) => {
      const start = x % (b.length + 1);
      const end = start + y % (b.length - start + 1);
      check(b, start, end);
    }),
    { numRuns: 4000 },
  );
  // A sequence cut by `end` while its continuation bytes follow in the buffer.
  for (const piece of PIECES) {
    for (let cut = 0; cut < piece.length; cut++) {
      for (const pad of [0, 5, 40, 61, 62, 63, 64, 300]) {
        const b = new Uint8Array([...new Array(pad).fill(0x61), ...piece]);
        check(b, 0, pad + cut);
        check(b, 0, b.length);
      }
    }
  }
});

Deno.test("decodeStr: every 1- and 2-byte input, every lead and second byte of 3 and 4", () => {
  const quick = (b: Uint8Array, end: number) =>
    assert.equal(decodeStr(b, 0, end), oracle(b, 0, end));
  const next = [0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff];
  // After 0, 40, 62, 70 and 260 ASCII bytes: the cached JS decoder, across
  // its 64-byte limit, and TextDecoder (every second byte after no padding,
  // the edge ones after padding).
  for (const pad of [0, 40, 62, 70, 260]) {
    const b = new Uint8Array(pad + 4).fill(0x41);
    const seconds = pad === 0 ? Array.from({ length: 256 }, (_, i) => i) : next;
    for (let x = 0; x < 0x100; x++) {
      b[pad] = x;
      quick(b, pad + 1);
      if (x < 0xc0) continue;
      for (const y of seconds) {
        b[pad + 1] = y;
        quick(b, pad + 2);
        if (x < 0xe0) continue;
        for (const z of next) {
          b[pad + 2] = z;
          quick(b, pad + 3);
          if (x < 0xf0 || z < 0x80 || z > 0xbf) continue;
          for (const w of [0x7f, 0x80, 0xbf, 0xc0]) {
            b[pad + 3] = w;
            quick(b, pad + 4);
          }
        }
      }
    }
  }
});

Deno.test("decodeStr: the generic reader agrees", () => {
  fc.assert(
    fc.property(spliced, (b) => {
      const body = new Uint8Array([0xd9, b.length, ...b]);
      const want = oracle(b);
      if (want === undefined) {
        assert.throws(() => decodeMsgpack(body), FrameError);
      } else {
        assert.equal(decodeMsgpack(body), want);
      }
    }),
    { numRuns: 2000 },
  );
});

/** Strings of any UTF-16 code units, lone surrogates included, 0–300 units. */
const anyUnits = fc.array(
  fc.oneof(
    fc.integer({ min: 0, max: 0x7f }),
    fc.integer({ min: 0x80, max: 0x7ff }),
    fc.integer({ min: 0x800, max: 0xffff }),
    fc.integer({ min: 0xd800, max: 0xdfff }),
    fc.integer({ min: 0x10000, max: 0x10ffff }).map((c) =>
      String.fromCodePoint(c)
    ),
  ),
  { maxLength: 300 },
).map((xs) =>
  xs.map((x) => typeof x === "number" ? String.fromCharCode(x) : x).join("")
    .slice(0, 300)
);

/** The str value msgpack writes for `bytes` (minimal header). */
function strValue(bytes: Uint8Array): number[] {
  const n = bytes.length;
  const head = n <= 31
    ? [0xa0 | n]
    : n < 0x100
    ? [0xd9, n]
    : n < 0x10000
    ? [0xda, n >> 8, n & 0xff]
    : [0xdb, n >>> 24, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff];
  return [...head, ...bytes];
}

function checkEncode(s: string): void {
  const w = new MsgpackWriter(8);
  w.byte(0x01);
  if (s.isWellFormed()) {
    putStr(w, s);
    assert.deepEqual(
      Array.from(w.buf.subarray(0, w.pos)),
      [0x01, ...strValue(ENCODER.encode(s))],
    );
  } else {
    assert.throws(
      () => putStr(w, s),
      (e) => e instanceof WireFault && e.code === "bad_value",
    );
    assert.equal(w.pos, 1);
  }
}

Deno.test("putStr: as TextEncoder, lone surrogates refused", () => {
  fc.assert(fc.property(anyUnits, checkEncode), { numRuns: 5000 });
  fc.assert(
    fc.property(fc.string({ unit: "binary", maxLength: 300 }), checkEncode),
    { numRuns: 2000 },
  );
  // Around the header boundaries (31, 255 bytes) and the JS/TextEncoder switch.
  for (const n of [0, 1, 10, 11, 31, 32, 85, 86, 255, 256, 257, 300, 70000]) {
    for (const unit of ["a", "é", "€", "😀", "\ud800", "\udc00"]) {
      checkEncode(unit.repeat(Math.ceil(n / unit.length)).slice(0, n));
      checkEncode("a".repeat(n) + unit);
      checkEncode(unit + "a".repeat(n));
    }
  }
});

Deno.test("typed encoders refuse lone surrogates with bad_value, both revisions", () => {
  for (const api of [april, july]) {
    for (const s of ["\ud800", "a\udc00b", "x".repeat(300) + "\udbff"]) {
      assert.throws(
        () => api.encodeShapeUnsubscribeMsg({ shapeId: s }),
        (e) => e instanceof FrameError && e.code === "bad_value",
      );
      assert.throws(
        () => api.encodeShapeUnsubscribeMsg({ shapeId: s }, { shared: true }),
        (e) => e instanceof FrameError && e.code === "bad_value",
      );
    }
    const ok = "żółw 🐢 " + "x".repeat(40);
    assert.deepEqual(
      api.decodeShapeUnsubscribeMsg(
        api.encodeShapeUnsubscribeMsg({ shapeId: ok }),
      ),
      { shapeId: ok },
    );
  }
});
