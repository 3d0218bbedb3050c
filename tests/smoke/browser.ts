// Browser smoke suite (run by `deno task smoke`, after the bundle is built):
// serves tests/smoke/page.js and dist/sync-frame.js from 127.0.0.1, starts
// Debian's headless Chromium on the page, and turns each check the page POSTs
// back into a Deno test step. Chromium must be installed (`deno task smoke`
// installs it with apt-get when missing).
import assert from "node:assert/strict";
import { SyncFrame, SyncMessageType } from "../../mod.ts";

const ROOT = new URL("../../", import.meta.url);
const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";

type Check = [name: string, ok: boolean, detail: string];

async function handleSocket(socket: WebSocket): Promise<void> {
  socket.binaryType = "arraybuffer";
  await new Promise((resolve) => socket.addEventListener("open", resolve));
  socket.addEventListener("message", (event) => {
    const frame = SyncFrame.decode(new Uint8Array(event.data as ArrayBuffer));
    if (frame.msgType !== SyncMessageType.Handshake) return;
    const ack = SyncFrame.newMsgpack(SyncMessageType.HandshakeAck, [
      true,
      "browser-session-1",
      {},
      null,
      false,
      4,
    ]);
    socket.send(ack!.toBytes());
  });
}

Deno.test("browser: the bundled module works in headless Chromium", async (t) => {
  const { promise: posted, resolve } = Promise.withResolvers<Check[]>();
  const files: Record<string, [URL, string]> = {
    "/": [new URL("tests/smoke/page.html", ROOT), "text/html"],
    "/page.js": [new URL("tests/smoke/page.js", ROOT), "text/javascript"],
    "/sync-frame.js": [new URL("dist/sync-frame.js", ROOT), "text/javascript"],
    "/vectors.json": [
      new URL("tests/fixtures/vectors-2026-04.json", ROOT),
      "application/json",
    ],
  };
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === "/ws") {
        const { socket, response } = Deno.upgradeWebSocket(request);
        handleSocket(socket);
        return response;
      }
      if (pathname === "/result" && request.method === "POST") {
        resolve(await request.json());
        return new Response("ok");
      }
      const file = files[pathname];
      if (!file) return new Response("not found", { status: 404 });
      return new Response(await Deno.readFile(file[0]), {
        headers: { "content-type": file[1] },
      });
    },
  );
  const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const refused = free.addr.port;
  free.close();
  const profile = await Deno.makeTempDir({ prefix: "sync-frame-chromium-" });
  const browser = new Deno.Command(CHROMIUM, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      `http://127.0.0.1:${server.addr.port}/?refused=${refused}`,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const timeout = setTimeout(
    () => resolve([["page finished", false, "no result within 60 s"]]),
    60_000,
  );
  try {
    const checks = await posted;
    assert.equal(checks.length, 7, "the page ran all its checks");
    for (const [name, ok, detail] of checks) {
      await t.step(name, () => assert.ok(ok, detail));
    }
  } finally {
    clearTimeout(timeout);
    browser.kill("SIGKILL");
    await browser.status;
    await server.shutdown();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
});
