// connectFrameSocket settles on every outcome, with a FrameError that says
// which: refused, not upgraded, timed out, aborted, or an invalid argument.
import assert from "node:assert/strict";
import {
  connectFrameSocket,
  serveFrameSockets,
} from "../transport/websocket.ts";
import { isFrameError, serve } from "./_transport_helpers.ts";

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = listener.addr.port;
  listener.close();
  return port;
}

Deno.test("connectFrameSocket to a port where nothing listens rejects with closed: connection refused", async () => {
  await assert.rejects(
    connectFrameSocket(`ws://127.0.0.1:${freePort()}`),
    isFrameError("closed", (e) => assert.match(e.message, /refused/)),
  );
});

Deno.test("connectFrameSocket to an HTTP server that does not upgrade rejects with closed and the status", async () => {
  const server = serve(() => new Response("no", { status: 404 }));
  await assert.rejects(
    connectFrameSocket(server.url),
    isFrameError("closed", (e) => assert.match(e.message, /HTTP 404/)),
  );
  await server.shutdown();
  // serveFrameSockets answers 404 for a path it does not serve.
  await using sync = await serveFrameSockets({ path: "/sync" }, () => {});
  await assert.rejects(
    connectFrameSocket(`ws://127.0.0.1:${sync.port}/other`),
    isFrameError("closed", (e) => assert.match(e.message, /HTTP 404/)),
  );
});

Deno.test("connectFrameSocket to a server that never answers the upgrade rejects with closed after connectTimeout", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepting = listener.accept();
  const started = performance.now();
  await assert.rejects(
    connectFrameSocket(`ws://127.0.0.1:${listener.addr.port}`, {
      connectTimeout: 200,
    }),
    isFrameError("closed", (e) => assert.match(e.message, /timed out/)),
  );
  const took = performance.now() - started;
  assert.ok(took >= 150 && took < 2000, `took ${took} ms`);
  (await accepting).close();
});

Deno.test("connectFrameSocket rejects with aborted when its signal aborts, before or during the attempt", async () => {
  const reason = new Error("user gave up");
  await assert.rejects(
    connectFrameSocket("ws://127.0.0.1:1", {
      signal: AbortSignal.abort(reason),
    }),
    isFrameError("aborted", (e) => assert.equal(e.cause, reason)),
  );
  // A server that accepts TCP but never answers the upgrade.
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const accepting = listener.accept();
  const controller = new AbortController();
  const connecting = connectFrameSocket(
    `ws://127.0.0.1:${listener.addr.port}`,
    { signal: controller.signal },
  );
  const conn = await accepting;
  controller.abort(reason);
  await assert.rejects(
    connecting,
    isFrameError("aborted", (e) => {
      assert.match(e.message, /aborted/);
      assert.equal(e.cause, reason);
    }),
  );
  conn.close();
});

Deno.test("connectFrameSocket rejects a bad URL, option or argument type with bad_value", async () => {
  for (
    const url of [
      "http://[::1",
      "http://127.0.0.1:1",
      null,
      42,
      undefined,
    ] as unknown as string[]
  ) {
    await assert.rejects(connectFrameSocket(url), isFrameError("bad_value"));
  }
  for (
    const options of [
      { maxQueuedFrames: 0 },
      { unknownType: "ignore" },
      { revision: "2025-01" },
      { closeTimeout: -1 },
      { closeTimeout: 2 ** 31 },
      { connectTimeout: 0 },
      { maxBodySize: "big" },
      { signal: "stop" },
      { protocols: [1] },
      { protocols: ["a b"] },
      5,
    ]
  ) {
    await assert.rejects(
      connectFrameSocket("ws://127.0.0.1:1", options as never),
      isFrameError("bad_value"),
    );
  }
});

Deno.test("serveFrameSockets rejects bad options with bad_value and a taken port with closed", async () => {
  for (
    const options of [
      { port: -1 },
      { port: 70000 },
      { hostname: "" },
      { path: "sync" },
      { maxBodySize: -1 },
      { closeTimeout: 0 },
      "x",
    ]
  ) {
    await assert.rejects(
      serveFrameSockets(options as never, () => {}),
      isFrameError("bad_value"),
    );
  }
  await assert.rejects(
    serveFrameSockets({}, "not a function" as never),
    isFrameError("bad_value"),
  );
  await using server = await serveFrameSockets({}, () => {});
  await assert.rejects(
    serveFrameSockets({ port: server.port }, () => {}),
    isFrameError(
      "closed",
      (e) => assert.match(e.message, /EADDRINUSE|in use/i),
    ),
  );
});

Deno.test("serveFrameSockets answers 426 to a plain HTTP request", async () => {
  await using server = await serveFrameSockets({}, () => {});
  const response = await fetch(`http://127.0.0.1:${server.port}/`);
  assert.equal(response.status, 426);
  assert.equal(response.headers.get("upgrade"), "websocket");
  await response.body?.cancel();
});

Deno.test("serveFrameSockets accepts an offered subprotocol it knows", async () => {
  await using server = await serveFrameSockets(
    { protocol: "nodedb-sync" },
    () => {},
  );
  await using client = await connectFrameSocket(server.url, {
    protocols: ["other", "nodedb-sync"],
  });
  assert.equal(client.webSocket.protocol, "nodedb-sync");
});
