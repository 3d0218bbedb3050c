// Closing against peers that do not play along, on 127.0.0.1: after we send
// a close frame a silent peer has closeTimeout to answer, then its TCP
// connection is destroyed (on ws) and `closed` resolves with the code we
// sent; a connection that drops reports 1006; close() and `await using`
// never hang.
import assert from "node:assert/strict";
import {
  CloseCode,
  connectFrameSocket,
  DEFAULT_CLOSE_TIMEOUT,
} from "../transport/websocket.ts";
import {
  frameServer,
  isFrameError,
  SERVER_KINDS,
} from "./_transport_helpers.ts";
import { acceptRawWs, Opcode, rawWsClient, wsFrame } from "./_ws_raw.ts";

const CLOSE_TIMEOUT = 300;
/** What the clock may add to closeTimeout on a busy machine. */
const MARGIN = 1500;

function within(started: number, what: string): void {
  const took = performance.now() - started;
  assert.ok(
    took >= CLOSE_TIMEOUT - 50 && took <= CLOSE_TIMEOUT + MARGIN,
    `${what} took ${took.toFixed(0)} ms (closeTimeout ${CLOSE_TIMEOUT} ms)`,
  );
}

Deno.test("closeTimeout defaults to 10 seconds", () => {
  assert.equal(DEFAULT_CLOSE_TIMEOUT, 10_000);
});

for (const kind of SERVER_KINDS) {
  Deno.test(`a silent peer after our close frame: closed resolves with our code within closeTimeout (${kind} server)`, async () => {
    const server = await frameServer({ closeTimeout: CLOSE_TIMEOUT }, kind);
    const { conn, reader } = await rawWsClient(server.port);
    const session = await server.accepted();
    const started = performance.now();
    const info = await session.close(4001, "bye");
    within(started, "close()");
    assert.deepEqual(info, {
      code: 4001,
      reason: "bye",
      wasClean: false,
      error: undefined,
    });
    // The peer got our close frame.
    const frame = await reader.next();
    assert.equal(frame?.opcode, Opcode.Close);
    if (kind === "ws") {
      // ...and then lost its TCP connection, which we destroyed.
      assert.equal(await reader.next(), null);
    }
    conn.close();
    await server.shutdown();
  });
}

Deno.test("a peer that breaks a rule and then ignores our close frame is cut off: closed reports 1003 within closeTimeout", async () => {
  const server = await frameServer({ closeTimeout: CLOSE_TIMEOUT });
  const { conn, reader } = await rawWsClient(server.port);
  const session = await server.accepted();
  const started = performance.now();
  await conn.write(
    wsFrame(Opcode.Text, new TextEncoder().encode("hi"), { mask: true }),
  );
  await assert.rejects(session.receive(), isFrameError("bad_message"));
  const info = await session.closed;
  within(started, "closing after the violation");
  assert.equal(info.code, CloseCode.UnsupportedData);
  assert.equal(info.wasClean, false);
  assert.equal(info.error?.code, "bad_message");
  assert.equal(await reader.closeCode(), CloseCode.UnsupportedData);
  assert.equal(await reader.next(), null);
  conn.close();
  await server.shutdown();
});

Deno.test("close() and await using do not hang against a silent server: they settle within closeTimeout", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const url = `ws://127.0.0.1:${listener.addr.port}/`;
  for (const how of ["close()", "await using"]) {
    const connecting = connectFrameSocket(url, {
      closeTimeout: CLOSE_TIMEOUT,
    });
    const conn = await listener.accept();
    const reader = await acceptRawWs(conn);
    const client = await connecting;
    const started = performance.now();
    if (how === "close()") {
      const info = await client.close();
      assert.equal(info.code, 1000);
      assert.equal(info.wasClean, false);
    } else {
      await using _ = client;
    }
    within(started, how);
    // The server saw our close frame, then the connection ended.
    assert.equal(await reader.closeCode(), 1000);
    assert.equal(await reader.next(), null);
    conn.close();
  }
});

Deno.test("abnormal closure: a server that drops the TCP connection makes closed report 1006", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const connecting = connectFrameSocket(
    `ws://127.0.0.1:${listener.addr.port}/`,
  );
  const conn = await listener.accept();
  await acceptRawWs(conn);
  const client = await connecting;
  conn.close();
  await assert.rejects(client.receive(), isFrameError("closed"));
  const info = await client.closed;
  assert.equal(info.code, CloseCode.Abnormal);
  assert.equal(info.wasClean, false);
  assert.equal(info.error?.code, "closed");
  // Closing an ended socket settles at once.
  assert.equal((await client.close()).code, CloseCode.Abnormal);
});

Deno.test("a peer's close frame is answered and closed reports the peer's code and reason", async () => {
  const server = await frameServer({ closeTimeout: CLOSE_TIMEOUT });
  const { conn, reader } = await rawWsClient(server.port);
  const session = await server.accepted();
  const payload = new Uint8Array([
    0x0f,
    0xa5,
    ...new TextEncoder().encode("done"),
  ]);
  await conn.write(wsFrame(Opcode.Close, payload, { mask: true }));
  assert.equal(await reader.closeCode(), 4005);
  const info = await session.closed;
  assert.equal(info.code, 4005);
  assert.equal(info.reason, "done");
  assert.equal(info.error?.code, "closed");
  assert.equal(await reader.next(), null);
  conn.close();
  await server.shutdown();
});
