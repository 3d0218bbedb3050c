// Reconnect backoff: full jitter between 0 and min(maxMs, minMs × 2^n),
// with the random source injected, and a reset after each handshake.
import assert from "node:assert/strict";
import { Backoff, backoffConfig } from "../client/_backoff.ts";
import { FrameError } from "../codec/error.ts";

function backoff(minMs: number, maxMs: number, values: number[]): Backoff {
  let i = 0;
  return new Backoff(
    backoffConfig({ minMs, maxMs, random: () => values[i++ % values.length] }),
  );
}

Deno.test("backoff caps double from minMs up to maxMs and stay there", () => {
  // random() just below 1 gives the largest delay of each attempt: cap − 1.
  const b = backoff(100, 1000, [0.999999]);
  const delays = Array.from({ length: 7 }, () => b.next());
  assert.deepEqual(delays, [99, 199, 399, 799, 999, 999, 999]);
});

Deno.test("backoff is full jitter: random 0 waits 0, random r waits floor(r × cap)", () => {
  const b = backoff(1000, 60_000, [0, 0.5, 0.25, 0.1]);
  assert.deepEqual([b.next(), b.next(), b.next(), b.next()], [
    0,
    1000,
    1000,
    800,
  ]);
});

Deno.test("backoff delays stay in [0, cap) for any random value, even out of range", () => {
  const b = backoff(10, 80, [-1, 1, 2, Number.NaN, 0.5]);
  for (let attempt = 0; attempt < 20; attempt++) {
    const cap = b.cap;
    const delay = b.next();
    assert.ok(
      delay >= 0 && delay < cap,
      `attempt ${attempt}: ${delay} of ${cap}`,
    );
  }
});

Deno.test("backoff reset starts again at minMs", () => {
  const b = backoff(50, 5000, [0.999999]);
  b.next();
  b.next();
  b.next();
  assert.equal(b.attempt, 3);
  b.reset();
  assert.equal(b.attempt, 0);
  assert.equal(b.next(), 49);
});

Deno.test("backoff defaults are 1 000 / 60 000 ms with Math.random", () => {
  const config = backoffConfig(undefined);
  assert.equal(config.minMs, 1000);
  assert.equal(config.maxMs, 60_000);
  assert.equal(config.random, Math.random);
});

Deno.test("backoff refuses a maxMs below minMs, negative times and a non-function random", () => {
  for (
    const bad of [
      { minMs: 100, maxMs: 50 },
      { minMs: -1 },
      { maxMs: Number.POSITIVE_INFINITY },
      { random: 4 as unknown as () => number },
    ]
  ) {
    assert.throws(
      () => backoffConfig(bad),
      (e) => e instanceof FrameError && e.code === "bad_value",
    );
  }
});
