// `{ shared: true }` encodes: byte-identical to owned ones for every vector of
// both revisions, overwritten by the next shared call (as documented), and
// correct across a shared buffer that grows past what is kept.
import assert from "node:assert/strict";
import * as april from "../mod.ts";
import * as july from "../entries/2026-07.ts";
import { hex, toHex, VECTORS, VECTORS_2026_07 } from "./_vectors.ts";
import { type Revision, revisionValues } from "./_typed_values.ts";

type Encode = (
  type: number,
  body: never,
  options?: { shared?: boolean },
) => Uint8Array;

const APIS = [
  {
    revision: "2026-04" as Revision,
    vectors: VECTORS,
    body: april.encodeMessageBody as unknown as Encode,
    frame: april.encodeMessage as unknown as Encode,
  },
  {
    revision: "2026-07" as Revision,
    vectors: VECTORS_2026_07,
    body: july.encodeMessageBody as unknown as Encode,
    frame: july.encodeMessage as unknown as Encode,
  },
];

for (const { revision, vectors, body, frame } of APIS) {
  const { typedBody } = revisionValues(revision);
  const cases = vectors.map((v) => ({
    type: v.type_code,
    value: typedBody(v.type_code, v.value) as never,
    bodyHex: v.body_hex,
    frameHex: v.frame_hex,
  }));

  Deno.test(`${revision} shared encodes equal owned ones for every vector, twice over`, () => {
    for (let round = 0; round < 2; round++) {
      for (const c of cases) {
        assert.equal(toHex(body(c.type, c.value, { shared: true })), c.bodyHex);
        assert.equal(
          toHex(frame(c.type, c.value, { shared: true })),
          c.frameHex,
        );
      }
    }
  });

  Deno.test(`${revision} a shared result is overwritten by the next shared encode, an owned one never`, () => {
    // Two bodies of the same length that differ in their first byte.
    const a = cases[0];
    const b = cases.find((c) =>
      c.bodyHex.length === a.bodyHex.length &&
      c.bodyHex.slice(0, 2) !== a.bodyHex.slice(0, 2)
    ) ?? cases.find((c) => c.bodyHex.slice(0, 2) !== a.bodyHex.slice(0, 2))!;
    const owned = body(a.type, a.value);
    const first = body(a.type, a.value, { shared: true });
    const second = body(b.type, b.value, { shared: true });
    assert.equal(toHex(second), b.bodyHex);
    assert.equal(toHex(first.subarray(0, 1)), b.bodyHex.slice(0, 2));
    assert.equal(toHex(owned), a.bodyHex);
  });

  Deno.test(`${revision} shared encodes stay exact after one grows past the kept size`, () => {
    const ping = cases.find((c) => c.type === 0xff)!;
    const text = "é".repeat(600_000); // 1.2 MB of UTF-8
    // TokenRefresh (0x60) in both revisions: one string field.
    const big = body(0x60, { newToken: text } as never, { shared: true });
    assert.ok(big.length > 1 << 20);
    const small = body(ping.type, ping.value, { shared: true });
    assert.equal(toHex(small), ping.bodyHex);
    // The big buffer was let go, not reused: its bytes are intact.
    assert.deepEqual(
      big.subarray(big.length - 4),
      hex("c3 a9 c3 a9"),
    );
    // A shared buffer that grows but is kept (10 KB here) serves the next calls.
    const mid = body(0x60, { newToken: "x".repeat(10_000) } as never, {
      shared: true,
    });
    assert.equal(mid.length, 10_004);
    assert.equal(
      toHex(body(ping.type, ping.value, { shared: true })),
      ping.bodyHex,
    );
    for (const c of cases.slice(0, 8)) {
      assert.equal(toHex(body(c.type, c.value, { shared: true })), c.bodyHex);
    }
  });
}
