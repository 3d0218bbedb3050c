// serveOrigin's Handshake, as §9 of each reference says Origin answers it:
// the wire-version check and its text, trust mode, the token validator, fork
// detection by liteId/epoch, and malformed input skipped on an open connection.
import assert from "node:assert/strict";
import { serveOrigin } from "../entries/origin.ts";
import { crc32c } from "../codec/crc32c.ts";
import { hello, rawPeer, waitFor } from "./_session_helpers.ts";

const HANDSHAKE = 0x01;
const HANDSHAKE_ACK = 0x02;
const DELTA_PUSH = 0x10;
const DELTA_ACK = 0x11;
const PING = 0xff;

Deno.test("2026-04 origin: wire version 5 is refused with NodeDB's text; 0 is legacy 1", async () => {
  await using origin = await serveOrigin();
  const peer = await rawPeer(origin.url, "2026-04");
  try {
    await peer.send(HANDSHAKE, hello("2026-04", { wireVersion: 5 }));
    const refused = await peer.next();
    assert.equal(refused?.type, HANDSHAKE_ACK);
    assert.equal(refused.body.success, false);
    assert.equal(
      refused.body.error,
      "incompatible wire version: version compatibility: remote wire version 5 is newer than local 4; upgrade this node",
    );
    assert.equal(refused.body.serverWireVersion, 4);
    assert.equal(refused.body.forkDetected, false);
    await peer.send(HANDSHAKE, hello("2026-04", { wireVersion: 0 }));
    const accepted = await peer.next();
    assert.equal(accepted?.body.success, true);
    assert.match(accepted.body.sessionId, /^sync-127\.0\.0\.1:\d+-1$/);
    assert.equal(accepted.body.error, null);
  } finally {
    await peer.close();
  }
});

Deno.test("2026-07 origin: only wire version 1 passes; 0 and 6 are refused and the session id is echoed", async () => {
  await using origin = await serveOrigin({ revision: "2026-07" });
  const peer = await rawPeer(origin.url, "2026-07");
  try {
    for (const wireVersion of [0, 6]) {
      await peer.send(HANDSHAKE, hello("2026-07", { wireVersion }));
      const ack = await peer.next();
      assert.equal(ack?.body.success, false);
      assert.match(
        ack.body.error,
        /^incompatible wire version: .*only 1 is accepted$/,
      );
      assert.match(ack.body.sessionId, /^sync-127\.0\.0\.1:\d+-1$/);
      assert.equal(ack.body.serverWireVersion, 1);
    }
    await peer.send(
      HANDSHAKE,
      hello("2026-07", { liteId: "lite-a", epoch: 3n }),
    );
    const ack = await peer.next();
    assert.equal(ack?.body.success, true);
    assert.equal(ack.body.serverWireVersion, 1);
    assert.equal(ack.body.producerId, 1n);
    assert.equal(ack.body.acceptedEpoch, 3n);
    assert.deepEqual(ack.body.deltaSigningKey, new Uint8Array(32));
  } finally {
    await peer.close();
  }
});

Deno.test("origin trust mode: an empty token is accepted; 2026-07 without a trust identity refuses it", async () => {
  await using open = await serveOrigin({ revision: "2026-07" });
  await using closed = await serveOrigin({
    revision: "2026-07",
    trustIdentity: null,
  });
  for (
    const [origin, success, error] of [[open, true, null], [
      closed,
      false,
      "configured trust identity is unavailable",
    ]] as const
  ) {
    const peer = await rawPeer(origin.url, "2026-07");
    await peer.send(HANDSHAKE, hello("2026-07"));
    const ack = await peer.next();
    assert.equal(ack?.body.success, success);
    assert.equal(ack.body.error, error);
    assert.equal(ack.body.producerId, 0n); // no liteId: no fencing
    await peer.close();
  }
});

Deno.test("origin token validator: a refusal sends its text and an empty server clock", async () => {
  for (const revision of ["2026-04", "2026-07"] as const) {
    await using origin = await serveOrigin({
      revision,
      tokenValidator: (token) =>
        token === "good"
          ? { ok: true, identity: { user: "ann", tenant: 1 } }
          : { ok: false, error: `invalid token: ${token}` },
    });
    const peer = await rawPeer(origin.url, revision);
    await peer.send(HANDSHAKE, hello(revision, { jwtToken: "bad" }));
    const refused = await peer.next();
    assert.equal(refused?.body.success, false);
    assert.equal(refused.body.error, "invalid token: bad");
    assert.equal(refused.body.serverClock.size, 0);
    await peer.send(HANDSHAKE, hello(revision, { jwtToken: "good" }));
    assert.equal((await peer.next())?.body.success, true);
    await peer.close();
  }
});

Deno.test("2026-04 origin: a repeated epoch for a liteId is a fork, and the session stays authenticated", async () => {
  await using origin = await serveOrigin();
  const first = await rawPeer(origin.url, "2026-04");
  await first.send(
    HANDSHAKE,
    hello("2026-04", { liteId: "lite-a", epoch: 3n }),
  );
  assert.equal((await first.next())?.body.success, true);
  await first.close();
  const second = await rawPeer(origin.url, "2026-04");
  try {
    await second.send(
      HANDSHAKE,
      hello("2026-04", { liteId: "lite-a", epoch: 3n }),
    );
    const fork = await second.next();
    assert.equal(fork?.body.success, false);
    assert.equal(fork.body.forkDetected, true);
    assert.equal(
      fork.body.error,
      "FORK_DETECTED: regenerate LiteId and reconnect",
    );
    // NodeDB flags the session authenticated before the fork check.
    await second.send(DELTA_PUSH, {
      collection: "c",
      documentId: "d",
      delta: new Uint8Array([1]),
      peerId: 1n,
      mutationId: 1n,
      checksum: 0,
      deviceValidTimeMs: null,
    });
    assert.equal((await second.next())?.type, DELTA_ACK);
    // A larger epoch passes.
    await second.send(
      HANDSHAKE,
      hello("2026-04", { liteId: "lite-a", epoch: 4n }),
    );
    assert.equal((await second.next())?.body.success, true);
    assert.equal(origin.stats().forks, 1);
  } finally {
    await second.close();
  }
});

Deno.test("2026-07 origin: a lower epoch or another owner is a fork; the same epoch is accepted", async () => {
  await using origin = await serveOrigin({
    revision: "2026-07",
    tokenValidator: (token) => ({
      ok: true,
      identity: { user: token, tenant: 1 },
    }),
  });
  const peer = await rawPeer(origin.url, "2026-07");
  try {
    const ask = async (epoch: bigint, jwtToken = "ann") => {
      await peer.send(
        HANDSHAKE,
        hello("2026-07", { liteId: "lite-a", epoch, jwtToken }),
      );
      return (await peer.next())?.body;
    };
    assert.equal((await ask(5n)).success, true);
    assert.equal((await ask(5n)).success, true);
    const lower = await ask(4n);
    assert.deepEqual([lower.success, lower.forkDetected, lower.error], [
      false,
      true,
      "FORK_DETECTED: stale epoch — regenerate LiteId and reconnect",
    ]);
    const other = await ask(9n, "bob");
    assert.equal(other.forkDetected, true);
    const higher = await ask(6n);
    assert.equal(higher.success, true);
    assert.equal(higher.acceptedEpoch, 6n);
  } finally {
    await peer.close();
  }
});

Deno.test("origin skips an undecodable Handshake (2026-04: no reply; 2026-07: 'malformed handshake') and an unknown type, and stays open", async () => {
  for (const revision of ["2026-04", "2026-07"] as const) {
    await using origin = await serveOrigin({ revision });
    const v07 = revision === "2026-07";
    // deno-lint-ignore no-explicit-any
    const lib: any = v07
      ? await import("../entries/2026-07.ts")
      : await import("../mod.ts");
    const ws = new WebSocket(origin.url);
    ws.binaryType = "arraybuffer";
    const replies: number[] = [];
    ws.onmessage = (e) => replies.push(new Uint8Array(e.data)[v07 ? 1 : 0]);
    await new Promise((r) => ws.onopen = r);
    // A Handshake whose body is `[]`, not the 7 fields.
    ws.send(new lib.SyncFrame(HANDSHAKE, new Uint8Array([0x90])).toBytes());
    // A frame of type 0x77, which no revision has.
    const body = new Uint8Array([0xc0]);
    const crc = crc32c(body);
    ws.send(
      new Uint8Array(
        v07
          ? [
            1,
            0x77,
            1,
            0,
            0,
            0,
            crc & 255,
            (crc >>> 8) & 255,
            (crc >>> 16) & 255,
            crc >>> 24,
            0xc0,
          ]
          : [0x77, 1, 0, 0, 0, 0xc0],
      ),
    );
    ws.send(lib.encodeMessage(PING, { timestampMs: 3n, isPong: false }));
    await waitFor(() => replies.length >= (v07 ? 2 : 1), 2000, "the replies");
    const closed = new Promise((r) => ws.onclose = r);
    ws.close();
    await closed;
    assert.deepEqual(replies, v07 ? [HANDSHAKE_ACK, PING] : [PING], revision);
    assert.equal(origin.stats().malformed, 1);
  }
});

Deno.test("2026-07 origin answers a malformed Handshake with 'malformed handshake'", async () => {
  await using origin = await serveOrigin({ revision: "2026-07" });
  const lib = await import("../entries/2026-07.ts");
  const ws = new WebSocket(origin.url);
  ws.binaryType = "arraybuffer";
  const reply = new Promise<Uint8Array>((r) =>
    ws.onmessage = (e) => r(new Uint8Array(e.data))
  );
  await new Promise((r) => ws.onopen = r);
  ws.send(
    new lib.SyncFrame(HANDSHAKE as never, new Uint8Array([0x90])).toBytes(),
  );
  const ack = lib.decodeMessage(await reply);
  const closed = new Promise((r) => ws.onclose = r);
  ws.close();
  await closed;
  assert.equal(ack.type, HANDSHAKE_ACK);
  assert.equal((ack.body as { error: string }).error, "malformed handshake");
  assert.equal((ack.body as { success: boolean }).success, false);
});

Deno.test("origin refuseHandshakes fault: the first handshakes are refused with its text", async () => {
  await using origin = await serveOrigin({
    faults: {
      refuseHandshakes: { count: 1, error: "SYNC_UNAVAILABLE: registry down" },
    },
  });
  const peer = await rawPeer(origin.url, "2026-04");
  try {
    await peer.send(HANDSHAKE, hello("2026-04"));
    assert.equal(
      (await peer.next())?.body.error,
      "SYNC_UNAVAILABLE: registry down",
    );
    await peer.send(HANDSHAKE, hello("2026-04"));
    assert.equal((await peer.next())?.body.success, true);
  } finally {
    await peer.close();
  }
});
