// serveOrigin's DeltaPush checks in their documented order, with the
// documented DeltaReject reasons and hints: auth, empty delta, CRC-32C,
// dedup (per session or across sessions), rate limit, apply; and the 2026-07
// producer gate (Applied, Duplicate, Gap, Fenced).
import assert from "node:assert/strict";
import { serveOrigin } from "../entries/origin.ts";
import { crc32c } from "../codec/crc32c.ts";
import { deltaPush, hello, rawPeer } from "./_session_helpers.ts";

const HANDSHAKE = 0x01;
const DELTA_PUSH = 0x10;
const DELTA_ACK = 0x11;
const PING = 0xff;

Deno.test("2026-04 origin: auth, empty delta and CRC-32C are checked in order, with NodeDB's reasons", async () => {
  await using origin = await serveOrigin();
  const peer = await rawPeer(origin.url, "2026-04");
  try {
    await peer.send(
      DELTA_PUSH,
      deltaPush("2026-04", { mutationId: 5n, delta: new Uint8Array() }),
    );
    assert.deepEqual((await peer.next())?.body, {
      mutationId: 5n,
      reason: "not authenticated",
      compensation: { kind: "PermissionDenied" },
    });
    await peer.send(HANDSHAKE, hello("2026-04"));
    await peer.next();
    await peer.send(
      DELTA_PUSH,
      deltaPush("2026-04", { delta: new Uint8Array(), checksum: 1 }),
    );
    assert.deepEqual((await peer.next())?.body, {
      mutationId: 1n,
      reason: "empty delta",
      compensation: null,
    });
    const delta = new Uint8Array([1, 2, 3]);
    await peer.send(DELTA_PUSH, deltaPush("2026-04", { checksum: 1 }));
    const crc = (await peer.next())?.body;
    assert.equal(
      crc.reason,
      `CRC32C mismatch: expected 0x00000001, computed 0x${
        crc32c(delta).toString(16).padStart(8, "0")
      }`,
    );
    assert.deepEqual(crc.compensation, { kind: "IntegrityViolation" });
    await peer.send(
      DELTA_PUSH,
      deltaPush("2026-04", { checksum: crc32c(delta) }),
    );
    assert.deepEqual((await peer.next())?.body, {
      mutationId: 1n,
      lsn: 0n,
      clockSkewWarningMs: null,
    });
    assert.equal(origin.applied.length, 1);
  } finally {
    await peer.close();
  }
});

Deno.test("2026-04 origin dedups by mutation_id per peer: 'session' applies again on a new session, 'origin' does not", async () => {
  for (const dedup of ["session", "origin"] as const) {
    await using origin = await serveOrigin({ dedup });
    for (let session = 0; session < 2; session++) {
      const peer = await rawPeer(origin.url, "2026-04");
      await peer.send(HANDSHAKE, hello("2026-04"));
      await peer.next();
      for (const mutationId of [3n, 2n, 3n, 4n]) {
        await peer.send(DELTA_PUSH, deltaPush("2026-04", { mutationId }));
        // Every answer is the same DeltaAck: lsn 0, so a duplicate reads as applied.
        assert.deepEqual((await peer.next())?.body, {
          mutationId,
          lsn: 0n,
          clockSkewWarningMs: null,
        });
      }
      await peer.close();
    }
    assert.deepEqual(
      origin.applied.map((a) => a.mutationId),
      dedup === "session" ? [3n, 4n, 3n, 4n] : [3n, 4n],
      dedup,
    );
  }
});

Deno.test("2026-04 origin: a clock skew over 24 h is reported in the ack", async () => {
  await using origin = await serveOrigin();
  const peer = await rawPeer(origin.url, "2026-04");
  try {
    await peer.send(HANDSHAKE, hello("2026-04"));
    await peer.next();
    const twoDaysAgo = BigInt(Date.now() - 2 * 86_400_000);
    await peer.send(
      DELTA_PUSH,
      deltaPush("2026-04", { deviceValidTimeMs: twoDaysAgo }),
    );
    const skew = (await peer.next())?.body.clockSkewWarningMs;
    assert.ok(
      skew >= 2n * 86_400_000n && skew < 2n * 86_400_000n + 5000n,
      String(skew),
    );
  } finally {
    await peer.close();
  }
});

Deno.test("origin rate limit: 'drop' answers nothing (as NodeDB), 'reject' sends RateLimited{retry_after_ms}", async () => {
  for (const mode of ["drop", "reject"] as const) {
    await using origin = await serveOrigin({
      rateLimit: { perSecond: 0.001, burst: 2, mode, retryAfterMs: 250 },
    });
    const peer = await rawPeer(origin.url, "2026-04");
    await peer.send(HANDSHAKE, hello("2026-04"));
    await peer.next();
    for (const mutationId of [1n, 2n, 3n]) {
      await peer.send(DELTA_PUSH, deltaPush("2026-04", { mutationId }));
    }
    await peer.send(PING, { timestampMs: 9n, isPong: false });
    const answers = [];
    for (let i = 0; i < 4; i++) {
      answers.push(await peer.next(i === 3 ? 100 : 1000));
    }
    await peer.close();
    assert.deepEqual(answers.slice(0, 2).map((a) => a?.type), [
      DELTA_ACK,
      DELTA_ACK,
    ]);
    if (mode === "drop") {
      assert.equal(answers[2]?.type, PING);
      assert.equal(answers[3], undefined);
    } else {
      assert.deepEqual(answers[2]?.body, {
        mutationId: 3n,
        reason: "rate limited",
        compensation: { kind: "RateLimited", retryAfterMs: 250n },
      });
      assert.equal(answers[3]?.type, PING);
    }
    assert.equal(origin.stats().rateLimited, 1);
  }
});

Deno.test("origin apply failures become NodeDB's hints (2026-04: by the error text; 2026-07: apply_failed)", async () => {
  const apply = (delta: { documentId: string }) => {
    if (delta.documentId === "dup") {
      throw new Error("duplicate key violates UNIQUE index");
    }
    if (delta.documentId === "fk") throw new Error("FK constraint failed");
    if (delta.documentId === "other") throw new Error("disk full");
  };
  await using origin = await serveOrigin({ apply });
  const peer = await rawPeer(origin.url, "2026-04");
  await peer.send(HANDSHAKE, hello("2026-04"));
  await peer.next();
  const hints = [];
  let m = 0n;
  for (const documentId of ["dup", "fk", "other"]) {
    await peer.send(
      DELTA_PUSH,
      deltaPush("2026-04", { documentId, mutationId: ++m }),
    );
    hints.push((await peer.next())?.body.compensation);
  }
  await peer.close();
  assert.deepEqual(hints, [
    { kind: "UniqueViolation", field: "unknown", conflictingValue: "dup" },
    { kind: "ForeignKeyMissing", referencedId: "fk" },
    { kind: "Custom", constraint: "constraint", detail: "disk full" },
  ]);
  await using origin07 = await serveOrigin({ revision: "2026-07", apply });
  const peer07 = await rawPeer(origin07.url, "2026-07");
  await peer07.send(HANDSHAKE, hello("2026-07"));
  await peer07.next();
  await peer07.send(DELTA_PUSH, deltaPush("2026-07", { documentId: "other" }));
  assert.deepEqual((await peer07.next())?.body.compensation, {
    kind: "Custom",
    constraint: "apply_failed",
    detail: "disk full",
  });
  await peer07.close();
});

Deno.test("2026-07 origin gate: producer and epoch from the session, seq from the push — Applied, Duplicate, Gap, Fenced", async () => {
  await using origin = await serveOrigin({ revision: "2026-07" });
  const a = await rawPeer(origin.url, "2026-07");
  const b = await rawPeer(origin.url, "2026-07");
  try {
    await a.send(HANDSHAKE, hello("2026-07", { liteId: "lite-a", epoch: 1n }));
    assert.equal((await a.next())?.body.producerId, 1n);
    const push = async (seq: bigint, peer = a) => {
      // producer_id and epoch in the body are ignored: the session's count.
      await peer.send(
        DELTA_PUSH,
        deltaPush("2026-07", {
          seq,
          mutationId: seq,
          producerId: 99n,
          epoch: 99n,
        }),
      );
      const ack = (await peer.next())?.body;
      return [ack.appliedSeq, ack.status];
    };
    assert.deepEqual(await push(1n), [1n, { kind: "Applied" }]);
    assert.deepEqual(await push(1n), [1n, { kind: "Duplicate" }]);
    assert.deepEqual(await push(3n), [1n, { kind: "Gap", expected: 2n }]);
    assert.deepEqual(await push(2n), [2n, { kind: "Applied" }]);
    // A newer epoch for the producer raises the floor: the old session is fenced.
    await b.send(HANDSHAKE, hello("2026-07", { liteId: "lite-a", epoch: 2n }));
    await b.next();
    assert.deepEqual(await push(3n), [0n, { kind: "Fenced" }]);
    assert.deepEqual(await push(3n, b), [3n, { kind: "Applied" }]);
    assert.deepEqual(origin.applied.map((d) => [d.seq, d.epoch]), [[1n, 1n], [
      2n,
      1n,
    ], [3n, 2n]]);
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("2026-07 origin: no permission, empty and oversize deltas are refused before the gate", async () => {
  await using origin = await serveOrigin({
    revision: "2026-07",
    maxDeltaBytes: 4,
  });
  const peer = await rawPeer(origin.url, "2026-07");
  try {
    await peer.send(DELTA_PUSH, deltaPush("2026-07"));
    assert.deepEqual((await peer.next())?.body, {
      mutationId: 1n,
      reason: "permission denied",
      compensation: { kind: "PermissionDenied" },
    });
    await peer.send(HANDSHAKE, hello("2026-07"));
    await peer.next();
    await peer.send(
      DELTA_PUSH,
      deltaPush("2026-07", { delta: new Uint8Array(5) }),
    );
    assert.deepEqual(
      (await peer.next())?.body.reason,
      "CRDT delta exceeds maximum size",
    );
    // Producer 0 (no liteId): applied, never deduplicated.
    for (let i = 0; i < 2; i++) {
      await peer.send(DELTA_PUSH, deltaPush("2026-07", { seq: 1n }));
      assert.deepEqual((await peer.next())?.body.status, { kind: "Applied" });
    }
  } finally {
    await peer.close();
  }
});

Deno.test("origin faults: reject with a given hint, duplicate acks, late acks", async () => {
  await using origin = await serveOrigin({
    revision: "2026-07",
    faults: {
      reject: {
        hint: { kind: "Retry", retryAfterMs: 30n },
        reason: "busy",
        count: 1,
      },
      duplicateAcks: true,
      delayAcksMs: 40,
    },
  });
  const peer = await rawPeer(origin.url, "2026-07");
  try {
    await peer.send(HANDSHAKE, hello("2026-07", { liteId: "l", epoch: 1n }));
    await peer.next();
    const t0 = Date.now();
    await peer.send(DELTA_PUSH, deltaPush("2026-07", { seq: 1n }));
    const refused = await peer.next();
    assert.ok(Date.now() - t0 >= 35, "late");
    assert.deepEqual(refused?.body, {
      mutationId: 1n,
      reason: "busy",
      compensation: { kind: "Retry", retryAfterMs: 30n },
    });
    // A Retry refusal does not use up the seq: the same seq is applied next.
    await peer.send(DELTA_PUSH, deltaPush("2026-07", { seq: 1n }));
    const first = await peer.next();
    const second = await peer.next();
    assert.deepEqual(first?.body.status, { kind: "Applied" });
    assert.deepEqual(second?.body, first?.body);
  } finally {
    await peer.close();
  }
});

Deno.test("origin dropAfterFrames fault: the N-th frame closes the connection unprocessed, `times` times", async () => {
  await using origin = await serveOrigin({
    faults: { dropAfterFrames: { frames: 3, times: 1 } },
  });
  const peer = await rawPeer(origin.url, "2026-04");
  await peer.send(HANDSHAKE, hello("2026-04"));
  await peer.send(DELTA_PUSH, deltaPush("2026-04"));
  await peer.send(DELTA_PUSH, deltaPush("2026-04", { mutationId: 2n }));
  assert.equal((await peer.next())?.type, 0x02);
  assert.equal((await peer.next())?.type, DELTA_ACK);
  assert.equal(await peer.next(100), undefined);
  assert.equal((await peer.closed).code, 4001);
  assert.deepEqual(origin.applied.map((a) => a.mutationId), [1n]);
  const again = await rawPeer(origin.url, "2026-04");
  for (let i = 0; i < 4; i++) {
    await again.send(PING, { timestampMs: BigInt(i), isPong: false });
  }
  for (let i = 0; i < 4; i++) assert.equal((await again.next())?.type, PING);
  await again.close();
  assert.equal(origin.stats().droppedConnections, 1);
});
