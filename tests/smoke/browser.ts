// Browser smoke suite (run by `deno task smoke`, after the bundles are built):
// serves pages and the bundles in dist/ from 127.0.0.1, starts Debian's
// headless Chromium on a page, and turns each check the page POSTs back into a
// Deno test step.
// - tests/smoke/page.js checks dist/sync-frame.js (tests/smoke/entry.ts)
//   against a WebSocket served here;
// - tests/smoke/client_page.js runs a SyncClient session from
//   dist/sync-client.js (tests/smoke/client_entry.ts) against serveOrigin,
//   once per revision, which drops the connection once at its 50th frame.
// Chromium is $CHROMIUM or `chromium` on PATH (`deno task smoke` installs it
// with apt-get when missing); without it every test here is ignored, and
// that is said in one line.
import assert from "node:assert/strict";
import { SyncFrame, SyncMessageType } from "../../mod.ts";
import { serveOrigin } from "../../entries/origin.ts";
import type { RevisionName } from "../../generated/revisions.ts";
import { findChromium, missingChromium, onPath } from "./chromium.ts";

const ROOT = new URL("../../", import.meta.url);
const CHROMIUM = findChromium();
/** How long a page may take before its test fails. */
const PAGE_TIMEOUT_MS = 60_000;

if (CHROMIUM === undefined) {
  console.log(
    `browser smoke suite skipped: ${missingChromium()}${
      onPath("apt-get") === undefined
        ? " and no apt-get to install it"
        : " (`deno task smoke` installs it with apt-get)"
    }`,
  );
}

type Check = [name: string, ok: boolean, detail: string];
type Files = Record<string, [URL, string]>;

/**
 * Serves `files` on 127.0.0.1, opens `query` on it in headless Chromium, and
 * waits (at most {@linkcode PAGE_TIMEOUT_MS}) for the page to POST its
 * result to `resultPath`. Everything started is stopped before it returns.
 */
async function runPage<T>(options: {
  files: Files;
  resultPath: string;
  query: Record<string, string>;
  onTimeout: () => T;
  ws?: (socket: WebSocket) => void;
}): Promise<T> {
  for (const [path, [file]] of Object.entries(options.files)) {
    // A missing bundle would only show as a page that never answers.
    await Deno.stat(file).catch(() => {
      throw new Error(
        `${file.pathname} (served as ${path}) is missing: run \`deno task smoke\`, which builds dist/`,
      );
    });
  }
  const { promise: posted, resolve } = Promise.withResolvers<T>();
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen: () => {} },
    async (request) => {
      const { pathname } = new URL(request.url);
      if (pathname === "/ws" && options.ws) {
        const { socket, response } = Deno.upgradeWebSocket(request);
        options.ws(socket);
        return response;
      }
      if (pathname === options.resultPath && request.method === "POST") {
        resolve(await request.json());
        return new Response("ok");
      }
      const file = options.files[pathname];
      if (!file) return new Response("not found", { status: 404 });
      return new Response(await Deno.readFile(file[0]), {
        headers: { "content-type": file[1] },
      });
    },
  );
  const page = new URL(`http://127.0.0.1:${server.addr.port}/`);
  for (const [key, value] of Object.entries(options.query)) {
    page.searchParams.set(key, value);
  }
  const profile = await Deno.makeTempDir({ prefix: "sync-frame-chromium-" });
  const browser = new Deno.Command(CHROMIUM!, {
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
      page.href,
    ],
    stdout: "null",
    stderr: "null",
  }).spawn();
  const timeout = setTimeout(
    () => resolve(options.onTimeout()),
    PAGE_TIMEOUT_MS,
  );
  try {
    return await posted;
  } finally {
    clearTimeout(timeout);
    browser.kill("SIGKILL");
    await browser.status;
    await server.shutdown();
    await Deno.remove(profile, { recursive: true }).catch(() => {});
  }
}

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

Deno.test({
  name: "browser: the bundled module works in headless Chromium",
  ignore: CHROMIUM === undefined,
  async fn(t) {
    const free = Deno.listen({ hostname: "127.0.0.1", port: 0 });
    const refused = free.addr.port;
    free.close();
    const checks = await runPage<Check[]>({
      files: {
        "/": [new URL("tests/smoke/page.html", ROOT), "text/html"],
        "/page.js": [new URL("tests/smoke/page.js", ROOT), "text/javascript"],
        "/sync-frame.js": [
          new URL("dist/sync-frame.js", ROOT),
          "text/javascript",
        ],
        "/vectors.json": [
          new URL("tests/fixtures/vectors-2026-04.json", ROOT),
          "application/json",
        ],
      },
      resultPath: "/result",
      query: { refused: String(refused) },
      onTimeout: () => [[
        "page finished",
        false,
        `no result within ${PAGE_TIMEOUT_MS / 1000} s`,
      ]],
      ws: handleSocket,
    });
    assert.equal(checks.length, 7, "the page ran all its checks");
    for (const [name, ok, detail] of checks) {
      await t.step(name, () => assert.ok(ok, detail));
    }
  },
});

const CLIENT_FILES: Files = {
  "/": [new URL("tests/smoke/client_page.html", ROOT), "text/html"],
  "/client_page.js": [
    new URL("tests/smoke/client_page.js", ROOT),
    "text/javascript",
  ],
  "/sync-client.js": [new URL("dist/sync-client.js", ROOT), "text/javascript"],
};

for (
  const revision of ["2026-04", "2026-07"] as const satisfies RevisionName[]
) {
  Deno.test({
    name:
      `browser ${revision}: a bundled SyncClient session against serveOrigin in headless Chromium`,
    ignore: CHROMIUM === undefined,
    async fn(t) {
      await using origin = await serveOrigin({
        revision,
        dedup: "origin",
        rateLimit: false,
        faults: { dropAfterFrames: { frames: 50, times: 1 } },
      });
      const handshakes: { liteId?: string; epoch?: bigint }[] = [];
      origin.addEventListener("session", ({ detail }) => {
        if (detail.event === "handshake") {
          handshakes.push({ liteId: detail.liteId, epoch: detail.epoch });
        }
      });
      const posted = await runPage<{ results: Check[]; revision: string }>({
        files: CLIENT_FILES,
        resultPath: "/client-result",
        query: { origin: origin.url, revision },
        onTimeout: () => ({
          revision,
          results: [[
            `browser ${revision}: page finished`,
            false,
            `no result within ${PAGE_TIMEOUT_MS / 1000} s`,
          ]],
        }),
      });
      assert.equal(posted.revision, revision, "the page ran this revision");
      assert.equal(posted.results.length, 4, "the page ran all its checks");
      for (const [name, ok, detail] of posted.results) {
        await t.step(name, () => assert.ok(ok, detail));
      }
      await t.step(
        `origin ${revision}: applied each of the 100 deltas once, through one dropped connection`,
        () => {
          const stats = origin.stats();
          assert.equal(stats.applied, 100, "applied (counter)");
          assert.equal(origin.applied.length, 100, "applied (log)");
          assert.deepEqual(
            origin.applied.map((d) => d.mutationId).sort((a, b) =>
              a < b ? -1 : a > b ? 1 : 0
            ),
            Array.from({ length: 100 }, (_, i) => BigInt(i + 1)),
            "mutation ids 1..100, once each",
          );
          assert.equal(stats.droppedConnections, 1, "dropped connections");
          assert.equal(stats.connections, 2, "connections");
          assert.equal(stats.handshakes, 2, "handshakes");
          assert.equal(stats.rejected, 0, "rejected");
          assert.equal(stats.rateLimited, 0, "rate limited");
        },
      );
      await t.step(
        `origin ${revision}: the reconnect handshook with a larger epoch`,
        () => {
          assert.equal(handshakes.length, 2, "handshakes seen");
          const [first, second] = handshakes;
          assert.equal(first.liteId, "browser-lite-1", "first liteId");
          assert.equal(second.liteId, "browser-lite-1", "second liteId");
          assert.equal(typeof first.epoch, "bigint", "first epoch");
          assert.equal(typeof second.epoch, "bigint", "second epoch");
          assert.ok(
            second.epoch! > first.epoch!,
            `epochs rise: ${first.epoch} then ${second.epoch}`,
          );
        },
      );
    },
  });
}
