// serveOrigin's other answers: PingPong, VectorClockSync, TokenRefresh,
// ShapeSubscribe → ShapeSnapshot, presence fan-out, server-side writes, the
// idle timeout, and its events.
import assert from "node:assert/strict";
import { serveOrigin } from "../entries/origin.ts";
import { decodeMsgpack } from "../codec/_msgpack.ts";
import { deltaPush, hello, rawPeer, waitFor } from "./_session_helpers.ts";

const HANDSHAKE = 0x01;
const DELTA_PUSH = 0x10;
const ROW_PUSH = 0x15;
const SHAPE_SUBSCRIBE = 0x20;
const SHAPE_SNAPSHOT = 0x21;
const VECTOR_CLOCK = 0x30;
const TOKEN_REFRESH = 0x60;
const TOKEN_REFRESH_ACK = 0x61;
const PRESENCE_UPDATE = 0x80;
const PRESENCE_BROADCAST = 0x81;
const PRESENCE_LEAVE = 0x82;
const PING = 0xff;

Deno.test("origin answers a ping with the same timestamp, ignores pongs, and stopPings stops answering", async () => {
  await using origin = await serveOrigin({
    faults: { stopPings: { after: 1 } },
  });
  const peer = await rawPeer(origin.url, "2026-04");
  try {
    await peer.send(PING, { timestampMs: 12345n, isPong: true });
    await peer.send(PING, { timestampMs: 12345n, isPong: false });
    assert.deepEqual(await peer.next(), {
      type: PING,
      body: { timestampMs: 12345n, isPong: true },
    });
    await peer.send(PING, { timestampMs: 7n, isPong: false });
    assert.equal(await peer.next(100), undefined);
  } finally {
    await peer.close();
  }
});

Deno.test("origin merges a VectorClockSync by max per collection and answers its own clock, sender 0", async () => {
  await using origin = await serveOrigin({ revision: "2026-07" });
  const peer = await rawPeer(origin.url, "2026-07");
  try {
    await peer.send(VECTOR_CLOCK, {
      clocks: new Map([["users", 5n], ["notes", 2n]]),
      senderId: 9n,
    });
    assert.deepEqual((await peer.next())?.body, {
      clocks: new Map([["users", 5n], ["notes", 2n]]),
      senderId: 0n,
    });
    await peer.send(VECTOR_CLOCK, {
      clocks: new Map([["users", 3n]]),
      senderId: 9n,
    });
    assert.deepEqual(
      (await peer.next())?.body.clocks,
      new Map([["users", 5n], ["notes", 2n]]),
    );
  } finally {
    await peer.close();
  }
});

Deno.test("origin TokenRefresh: empty token, invalid token, tenant mismatch, success with expires_in_secs", async () => {
  await using origin = await serveOrigin({
    tokenValidator: (token) =>
      token.startsWith("t")
        ? {
          ok: true,
          identity: { user: "u", tenant: Number(token.slice(1)) },
          expiresInSecs: token === "t1" ? 60 : undefined,
        }
        : { ok: false, error: "signature invalid" },
  });
  const peer = await rawPeer(origin.url, "2026-04");
  try {
    await peer.send(HANDSHAKE, hello("2026-04", { jwtToken: "t1" }));
    await peer.next();
    const answers = [];
    for (const newToken of ["", "x", "t2", "t1"]) {
      await peer.send(TOKEN_REFRESH, { newToken });
      const ack = await peer.next();
      assert.equal(ack?.type, TOKEN_REFRESH_ACK);
      answers.push(ack.body);
    }
    assert.deepEqual(answers, [
      { success: false, error: "empty token", expiresInSecs: 0n },
      { success: false, error: "signature invalid", expiresInSecs: 0n },
      { success: false, error: "tenant mismatch", expiresInSecs: 0n },
      { success: true, error: null, expiresInSecs: 60n },
    ]);
  } finally {
    await peer.close();
  }
});

Deno.test("origin ShapeSubscribe → ShapeSnapshot: Document holds the documents, doc_count 1; Vector the name", async () => {
  await using origin = await serveOrigin();
  const peer = await rawPeer(origin.url, "2026-04");
  try {
    await peer.send(HANDSHAKE, hello("2026-04"));
    await peer.next();
    await peer.send(
      DELTA_PUSH,
      deltaPush("2026-04", { documentId: "u1", delta: new Uint8Array([9]) }),
    );
    await peer.next();
    const shape = (shapeType: unknown) => ({
      shape: {
        shapeId: "s1",
        tenantId: 0,
        shapeType,
        description: "",
        fieldFilter: [],
      },
    });
    await peer.send(
      SHAPE_SUBSCRIBE,
      shape({
        kind: "Document",
        collection: "users",
        predicate: new Uint8Array(),
      }),
    );
    const doc = await peer.next();
    assert.equal(doc?.type, SHAPE_SNAPSHOT);
    assert.equal(doc.body.shapeId, "s1");
    assert.equal(doc.body.snapshotLsn, 1n);
    assert.equal(doc.body.docCount, 1n);
    assert.deepEqual(decodeMsgpack(doc.body.data), {
      u1: [new Uint8Array([9])],
    });
    await peer.send(
      SHAPE_SUBSCRIBE,
      shape({ kind: "Vector", collection: "vecs", fieldName: null }),
    );
    const vec = await peer.next();
    assert.deepEqual([
      new TextDecoder().decode(vec?.body.data),
      vec?.body.docCount,
    ], ["vecs", 0n]);
  } finally {
    await peer.close();
  }
});

Deno.test("origin presence: the peer list goes to the other subscribers after their next message; a leave on disconnect", async () => {
  await using origin = await serveOrigin();
  const a = await rawPeer(origin.url, "2026-04");
  const b = await rawPeer(origin.url, "2026-04");
  try {
    for (const peer of [a, b]) {
      await peer.send(HANDSHAKE, hello("2026-04"));
      await peer.next();
    }
    await b.send(PRESENCE_UPDATE, {
      channel: "doc:1",
      state: new Uint8Array([0x80]),
    });
    await b.send(PING, { timestampMs: 0n, isPong: false });
    assert.equal((await b.next())?.type, PING); // b's update is in
    await a.send(PRESENCE_UPDATE, {
      channel: "doc:1",
      state: new Uint8Array([0x81, 0xa1, 0x78, 0x01]),
    });
    // As NodeDB: queued until b sends something.
    assert.equal(await b.next(100), undefined);
    await b.send(PING, { timestampMs: 1n, isPong: false });
    // The reply to the message first, then what was queued.
    assert.equal((await b.next())?.type, PING);
    const broadcast = await b.next();
    assert.equal(broadcast?.type, PRESENCE_BROADCAST);
    assert.equal(broadcast.body.channel, "doc:1");
    assert.deepEqual(
      broadcast.body.peers.map((
        p: { userId: string; state: Uint8Array },
      ) => [p.userId, p.state.length]),
      [
        ["sync-client", 1],
        ["sync-client", 4],
      ],
    );
    await a.close();
    await waitFor(
      () => origin.stats().sessions === 1,
      2000,
      "a's session to end",
    );
    await b.send(PING, { timestampMs: 2n, isPong: false });
    assert.equal((await b.next())?.type, PING);
    const leave = await b.next();
    assert.equal(leave?.type, PRESENCE_LEAVE);
    assert.deepEqual(leave.body, { channel: "doc:1", userId: "sync-client" });
  } finally {
    await a.close();
    await b.close();
  }
});

Deno.test("origin write() fans out to authenticated sessions: DeltaPush in 2026-04, RowPush in 2026-07", async () => {
  for (const revision of ["2026-04", "2026-07"] as const) {
    await using origin = await serveOrigin({ revision, delivery: "immediate" });
    const peer = await rawPeer(origin.url, revision);
    await peer.send(HANDSHAKE, hello(revision));
    await peer.next();
    origin.write({
      collection: "users",
      documentId: "u9",
      payload: new Uint8Array([0x80]),
    });
    const pushed = await peer.next();
    await peer.close();
    assert.equal(pushed?.type, revision === "2026-07" ? ROW_PUSH : DELTA_PUSH);
    assert.equal(pushed.body.documentId, "u9");
    if (revision === "2026-07") {
      assert.deepEqual(pushed.body.op, { kind: "Upsert" });
    } else assert.equal(pushed.body.mutationId, 1n);
  }
});

Deno.test("origin idle timeout: the first message after it closes the session (1001), unanswered", async () => {
  await using origin = await serveOrigin({ idleTimeoutMs: 50 });
  const peer = await rawPeer(origin.url, "2026-04");
  await peer.send(PING, { timestampMs: 1n, isPong: false });
  assert.equal((await peer.next())?.type, PING);
  await new Promise((r) => setTimeout(r, 80));
  await peer.send(PING, { timestampMs: 2n, isPong: false });
  assert.equal(await peer.next(500), undefined);
  assert.equal((await peer.closed).code, 1001);
});

Deno.test("origin events: each message received, each delta applied, each session's handshake and close", async () => {
  await using origin = await serveOrigin({ revision: "2026-07" });
  const seen: string[] = [];
  origin.addEventListener(
    "message",
    (e) => seen.push(`message ${e.detail.message.type}`),
  );
  origin.addEventListener(
    "delta",
    (e) => seen.push(`delta ${e.detail.documentId} seq ${e.detail.seq}`),
  );
  origin.addEventListener(
    "session",
    (e) => seen.push(`session ${e.detail.event}`),
  );
  const peer = await rawPeer(origin.url, "2026-07");
  await peer.send(HANDSHAKE, hello("2026-07", { liteId: "l", epoch: 1n }));
  await peer.next();
  await peer.send(DELTA_PUSH, deltaPush("2026-07", { documentId: "d7" }));
  await peer.next();
  await peer.close();
  await waitFor(() => seen.includes("session close"), 2000, "the close event");
  assert.deepEqual(seen, [
    "session open",
    "message 1",
    "session handshake",
    "message 16",
    "delta d7 seq 1",
    "session close",
  ]);
});
