import assert from "node:assert/strict";
import fc from "fast-check";
import { decode as oracleDecode, Encoder } from "@msgpack/msgpack";
import {
  FrameError,
  SYNC_MESSAGE_TYPES,
  SyncFrame,
  type SyncMessageType,
} from "../mod.ts";

const messageType = fc.constantFrom(...SYNC_MESSAGE_TYPES);
const body = fc.uint8Array({ maxLength: 512 });

Deno.test("encode → decode is the identity for random types and bodies", () => {
  fc.assert(
    fc.property(messageType, body, (type, bytes) => {
      const frame = new SyncFrame(type, bytes);
      const wire = frame.toBytes();
      assert.equal(wire.length, 5 + bytes.length);
      const back = SyncFrame.decode(wire);
      assert.equal(back.msgType, type);
      assert.deepEqual(back.body, bytes);
      const parity = SyncFrame.fromBytes(wire);
      assert.deepEqual(parity?.body, bytes);
    }),
    { numRuns: 2000 },
  );
});

Deno.test("random garbage never throws anything but FrameError", () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ maxLength: 64 }),
      fc.integer({ min: 0, max: 64 }),
      (bytes, maxBodySize) => {
        try {
          const frame = SyncFrame.decode(bytes, { maxBodySize });
          frame.decodeBody();
          frame.decodeBodyOrThrow();
        } catch (error) {
          assert.ok(error instanceof FrameError, String(error));
        }
        // Rust parity never throws at all.
        SyncFrame.fromBytes(bytes)?.decodeBody();
      },
    ),
    { numRuns: 5000 },
  );
});

Deno.test("decode() and fromBytes() agree on which inputs hold a frame", () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 16 }), (bytes) => {
      let decoded: SyncFrame | undefined;
      try {
        decoded = SyncFrame.decode(bytes, { maxBodySize: 0xffffffff });
      } catch (error) {
        assert.ok(error instanceof FrameError);
      }
      const parity = SyncFrame.fromBytes(bytes);
      assert.equal(decoded === undefined, parity === undefined);
      if (decoded && parity) assert.deepEqual(decoded.body, parity.body);
    }),
    { numRuns: 3000 },
  );
});

// Values that MessagePack can carry without ambiguity between encoders.
const leaf = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }),
  fc.bigInt({ min: 2n ** 32n, max: 2n ** 64n - 1n }),
  fc.bigInt({ min: -(2n ** 63n), max: -(2n ** 31n) - 1n }),
  fc.double({ noNaN: true }).filter((d) => !Number.isInteger(d)),
  fc.string({ unit: "grapheme", maxLength: 40 }),
  fc.uint8Array({ maxLength: 40 }),
);
const { value: msgpackValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.array(tie("value"), { maxLength: 5 }),
    fc.dictionary(fc.string({ maxLength: 8 }), tie("value"), { maxKeys: 5 }),
  ),
}));

Deno.test("decodeBody() agrees with @msgpack/msgpack on valid bodies", () => {
  const oracle = new Encoder({ useBigInt64: true });
  fc.assert(
    fc.property(msgpackValue, (value) => {
      const bytes = oracle.encode(value);
      const frame = new SyncFrame(0xff as SyncMessageType, bytes);
      assert.deepEqual(
        frame.decodeBodyOrThrow(),
        oracleDecode(bytes, { useBigInt64: true }),
      );
    }),
    { numRuns: 1000 },
  );
});

Deno.test("newMsgpack() output is read back by @msgpack/msgpack and by decodeBody()", () => {
  fc.assert(
    fc.property(msgpackValue, (value) => {
      const frame = SyncFrame.newMsgpack(0xff as SyncMessageType, value);
      assert.ok(frame);
      const ours = frame.decodeBodyOrThrow();
      assert.deepEqual(ours, oracleDecode(frame.body, { useBigInt64: true }));
    }),
    { numRuns: 1000 },
  );
});

Deno.test("random mutations of valid bodies decode or fail only with FrameError", () => {
  const oracle = new Encoder({ useBigInt64: true });
  fc.assert(
    fc.property(
      msgpackValue,
      fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), {
        minLength: 1,
        maxLength: 4,
      }),
      (value, edits) => {
        const bytes = oracle.encode(value).slice();
        for (const [at, byte] of edits) bytes[at % bytes.length] = byte;
        try {
          new SyncFrame(0xff as SyncMessageType, bytes).decodeBodyOrThrow();
        } catch (error) {
          assert.ok(error instanceof FrameError, String(error));
          assert.equal(error.code, "bad_body");
        }
      },
    ),
    { numRuns: 3000 },
  );
});
