// The WebSocket transport on Node 20: the library bundled for Node
// (`deno bundle --platform node`, with ws inside) runs `connectFrameSocket`
// against a Deno `serveFrameSockets` server, and `serveFrameSockets` for a
// Deno client and a fragmenting attacker, on 127.0.0.1.
import assert from "node:assert/strict";
import {
  CloseCode,
  connectFrameSocket,
  serveFrameSockets,
} from "../transport/websocket.ts";
import { SyncMessageType } from "../mod.ts";
import {
  closePayload,
  floodFragments,
  Opcode,
  rawWsClient,
  writeAll,
  wsFrame,
} from "./_ws_raw.ts";

const ROOT = new URL("../", import.meta.url);
const SCRIPT = new URL("smoke/node_websocket.mjs", import.meta.url).pathname;

async function nodeVersion(): Promise<string> {
  const { stdout } = await new Deno.Command("node", {
    args: ["--version"],
    stdout: "piped",
    stderr: "null",
  }).output();
  return new TextDecoder().decode(stdout).trim();
}

async function bundleForNode(dir: string): Promise<string> {
  const out = `${dir}/sync-frame-node.js`;
  const { code, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--platform",
      "node",
      "--format",
      "esm",
      "-o",
      out,
      new URL("tests/smoke/entry.ts", ROOT).pathname,
    ],
    cwd: ROOT.pathname,
    stdout: "null",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return out;
}

Deno.test({
  name:
    "Node 20 runs the WebSocket transport: client and server on ws, typed Handshake and PingPong round trips with Deno",
  async fn(t) {
    const version = await nodeVersion();
    assert.match(
      version,
      /^v(2\d|[3-9]\d)\./,
      `Node 20 or later, got ${version}`,
    );
    const dir = await Deno.makeTempDir({ prefix: "sync-frame-node-" });
    try {
      const bundle = await bundleForNode(dir);

      await t.step(
        "a Node client against a Deno serveFrameSockets server",
        async () => {
          await using server = await serveFrameSockets({}, async (socket) => {
            for await (const message of socket.messages()) {
              if (message.type === SyncMessageType.Handshake) {
                await socket.sendMessage(SyncMessageType.HandshakeAck, {
                  success: true,
                  sessionId: `deno-session-${message.body.liteId}`,
                  serverClock: new Map([["users", 42n]]),
                  error: null,
                  forkDetected: false,
                  serverWireVersion: 4,
                });
              } else if (message.type === SyncMessageType.PingPong) {
                await socket.sendMessage(SyncMessageType.PingPong, {
                  ...message.body,
                  isPong: true,
                });
              }
            }
          });
          const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
          const refused = `ws://127.0.0.1:${listener.addr.port}/`;
          listener.close();
          const { code, stdout, stderr } = await new Deno.Command("node", {
            args: [SCRIPT, "client", bundle, server.url, refused],
            stdout: "piped",
            stderr: "piped",
          }).output();
          assert.equal(code, 0, new TextDecoder().decode(stderr));
          const result = JSON.parse(new TextDecoder().decode(stdout));
          assert.deepEqual(result.ack, {
            type: SyncMessageType.HandshakeAck,
            success: true,
            sessionId: "deno-session-lite-node",
            serverClock: { users: "42n" },
            error: null,
            forkDetected: false,
            serverWireVersion: 4,
          });
          assert.deepEqual(result.pong, {
            timestampMs: "12345n",
            isPong: true,
          });
          assert.equal(result.side, "client");
          assert.equal(result.close, 1000);
          assert.equal(result.refused.frameError, true);
          assert.equal(result.refused.code, "closed");
          assert.match(result.refused.message, /refused/);
        },
      );

      await t.step(
        "a Deno client and an attacker against serveFrameSockets on Node",
        async () => {
          const node = new Deno.Command("node", {
            args: [SCRIPT, "server", bundle],
            stdin: "piped",
            stdout: "piped",
            stderr: "piped",
          }).spawn();
          const lines = node.stdout.pipeThrough(new TextDecoderStream())
            .getReader();
          let text = "";
          const line = async () => {
            while (!text.includes("\n")) {
              const { value, done } = await lines.read();
              if (done) throw new Error("node ended early");
              text += value;
            }
            const end = text.indexOf("\n");
            const got = JSON.parse(text.slice(0, end));
            text = text.slice(end + 1);
            return got;
          };
          const stderr = new Response(node.stderr).text();
          try {
            const { url } = await line();
            {
              await using client = await connectFrameSocket(url);
              await client.sendMessage(SyncMessageType.Handshake, {
                jwtToken: "",
                vectorClock: new Map(),
                subscribedShapes: [],
                clientVersion: "deno",
                liteId: "lite-deno",
                epoch: 0n,
                wireVersion: 4,
              });
              const ack = await client.receiveMessage();
              if (ack?.type !== SyncMessageType.HandshakeAck) {
                assert.fail("no ack");
              }
              assert.equal(ack.body.sessionId, "node-session-lite-deno");
              assert.deepEqual(ack.body.serverClock, new Map([["users", 7n]]));
              await client.sendMessage(SyncMessageType.PingPong, {
                timestampMs: 99n,
                isPong: false,
              });
              assert.deepEqual((await client.receiveMessage())?.body, {
                timestampMs: 99n,
                isPong: true,
              });
            }
            // A 4 GiB declared body in 1 MiB fragments: Node's ws refuses it at
            // header + maxBodySize (1 MiB).
            const port = Number(new URL(url).port);
            const { conn, reader } = await rawWsClient(port);
            let closeCode: number | null | undefined;
            const reading = reader.closeCode().then((c) => closeCode = c);
            const sent = await floodFragments(conn, {
              header: new Uint8Array([0x10, 0xff, 0xff, 0xff, 0xff]),
              fragment: 1024 * 1024,
              cap: 64 * 1024 * 1024,
              mask: true,
              stop: () => closeCode !== undefined,
            });
            await writeAll(
              conn,
              wsFrame(Opcode.Close, closePayload(1009), { mask: true }),
            )
              .catch(() => {});
            await reading;
            conn.close();
            assert.equal(closeCode, CloseCode.MessageTooBig);
            assert.ok(sent <= 20 * 1024 * 1024, `sent ${sent}`);
          } finally {
            await node.stdin.close();
          }
          const { closes } = await line();
          lines.releaseLock();
          await node.stdout.cancel().catch(() => {});
          const status = await node.status;
          assert.equal(status.code, 0, await stderr);
          assert.deepEqual(closes, [
            { code: 1000 },
            { code: 1009, error: "too_large" },
          ]);
        },
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
