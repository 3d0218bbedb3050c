// decode()/fromBytes() with `copy: true` in each of the pool's copy paths
// (short bodies copied by a loop, a whole small frame copied with its
// header, a frame followed by other bytes, bodies too big for the pool), in
// both revisions: the body equals the input's and shares no byte with it.
import assert from "node:assert/strict";
import * as april from "../mod.ts";
import * as july from "../entries/2026-07.ts";

interface Revision {
  name: string;
  /** The frame bytes of a DeltaPush with `body`. */
  frameOf(body: Uint8Array): Uint8Array;
  SyncFrame: {
    decode(
      data: Uint8Array,
      options?: { copy?: boolean },
    ): { body: Uint8Array };
    fromBytes(
      data: Uint8Array,
      options?: { copy?: boolean },
    ): { body: Uint8Array } | undefined;
  };
}

const REVISIONS: Revision[] = [
  {
    name: "2026-04",
    frameOf: (b) =>
      new april.SyncFrame(april.SyncMessageType.DeltaPush, b).toBytes(),
    SyncFrame: april.SyncFrame,
  },
  {
    name: "2026-07",
    frameOf: (b) =>
      new july.SyncFrame(july.SyncMessageType.DeltaPush, b).toBytes(),
    SyncFrame: july.SyncFrame,
  },
];

function body(length: number): Uint8Array {
  return Uint8Array.from({ length }, (_, i) => (i * 7 + 3) & 0xff);
}

for (const { name, SyncFrame, frameOf } of REVISIONS) {
  for (const length of [0, 1, 32, 33, 256, 4096, 4097, 70_000]) {
    for (const trailing of [0, 3]) {
      const what = `${length}-byte body${
        trailing ? " and trailing bytes" : ""
      }`;
      Deno.test(`${name} decode() with copy owns a ${what}`, () => {
        const frame = frameOf(body(length));
        const wire = new Uint8Array(frame.length + trailing).fill(0xee);
        wire.set(frame);
        const copied = SyncFrame.decode(wire, { copy: true });
        const fromBytes = SyncFrame.fromBytes(wire, { copy: true })!;
        assert.deepEqual(copied.body, body(length));
        assert.deepEqual(fromBytes.body, body(length));
        wire.fill(0);
        assert.deepEqual(copied.body, body(length));
        assert.deepEqual(fromBytes.body, body(length));
        if (length > 4096) {
          assert.equal(copied.body.byteOffset, 0);
          assert.equal(copied.body.buffer.byteLength, length);
        }
      });
    }
  }

  Deno.test(`${name} decode() copies never overlap one another`, () => {
    const wire = frameOf(body(256));
    const bodies = Array.from(
      { length: 600 },
      () => SyncFrame.decode(wire, { copy: true }).body,
    );
    bodies[0].fill(0);
    for (const b of bodies.slice(1)) assert.deepEqual(b, body(256));
    assert.deepEqual(SyncFrame.decode(wire).body, body(256));
  });

  Deno.test(`${name} decode() body view starts after the header of a frame at a non-zero byteOffset`, () => {
    const frame = frameOf(body(40));
    const backing = new Uint8Array(frame.length + 11);
    backing.set(frame, 11);
    const decoded = SyncFrame.decode(backing.subarray(11));
    assert.equal(decoded.body.buffer, backing.buffer);
    assert.equal(
      decoded.body.byteOffset,
      11 + july.HEADER_SIZE * 0 + (frame.length - 40),
    );
    assert.deepEqual(decoded.body, body(40));
  });
}
