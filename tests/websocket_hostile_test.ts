// Hostile peers against serveFrameSockets and connectFrameSocket (both on
// ws), on 127.0.0.1: a message declared at 4 GiB and sent as 1 MiB
// continuation fragments is refused with 1009 once it passes the frame
// header + maxBodySize, and the victim's memory stays bounded (measured in
// a child process, so a blow-up fails the test instead of the runner); a
// well-behaved client sharing the server with an attacker loses nothing.
import assert from "node:assert/strict";
import {
  CloseCode,
  connectFrameSocket,
  serveFrameSockets,
  type ServerFrameSocket,
} from "../transport/websocket.ts";
import { DEFAULT_MAX_BODY_SIZE, SyncMessageType } from "../mod.ts";
import {
  acceptRawWs,
  closePayload,
  floodFragments,
  Opcode,
  rawWsClient,
  writeAll,
  wsFrame,
} from "./_ws_raw.ts";

const MiB = 1024 * 1024;
/** A 2026-04 DeltaPush header declaring a 4 GiB − 1 body. */
const HUGE_HEADER = new Uint8Array([0x10, 0xff, 0xff, 0xff, 0xff]);

interface Report {
  rssGrowthMiB: number;
  heapGrowthMiB: number;
  baselineRssMiB: number;
  closes?: { code: number; error?: string }[];
  close?: { code: number; error?: string };
  error?: string;
}

/** Starts `tests/_memory_child.ts` with `args`; its stdout as JSON lines. */
function child(args: string[]) {
  const process = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--v8-flags=--expose-gc",
      new URL("./_memory_child.ts", import.meta.url).pathname,
      ...args,
    ],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const lines = process.stdout.pipeThrough(new TextDecoderStream())
    .getReader();
  let text = "";
  const stderr = new Response(process.stderr).text();
  return {
    async line<T>(): Promise<T> {
      for (;;) {
        const end = text.indexOf("\n");
        if (end >= 0) {
          const line = text.slice(0, end);
          text = text.slice(end + 1);
          return JSON.parse(line);
        }
        const { value, done } = await lines.read();
        if (done) {
          throw new Error(`the child ended early: ${await stderr}`);
        }
        text += value;
      }
    },
    async send(line: string): Promise<void> {
      const writer = process.stdin.getWriter();
      await writer.write(new TextEncoder().encode(line + "\n"));
      await writer.close();
    },
    async end(): Promise<Deno.CommandStatus> {
      const status = await process.status;
      lines.releaseLock();
      await process.stdout.cancel().catch(() => {});
      await stderr;
      return status;
    },
  };
}

/** Floods a frame server at `port` with fragments; returns the close code and bytes sent. */
async function fragmentAttack(
  port: number,
  cap: number,
): Promise<{ closeCode: number | null; sent: number }> {
  const { conn, reader } = await rawWsClient(port);
  let closeCode: number | null | undefined;
  const reading = reader.closeCode().then((code) => closeCode = code);
  const sent = await floodFragments(conn, {
    header: HUGE_HEADER,
    fragment: MiB,
    cap,
    mask: true,
    stop: () => closeCode !== undefined,
  });
  // Answer the close frame as a peer does, and leave.
  await writeAll(
    conn,
    wsFrame(Opcode.Close, closePayload(1009), { mask: true }),
  ).catch(() => {});
  await reading;
  conn.close();
  return { closeCode: closeCode ?? null, sent };
}

for (
  const [maxBodySize, limitMiB] of [
    ["default", DEFAULT_MAX_BODY_SIZE / MiB],
    [String(MiB), 1],
    [String(64 * MiB), 64],
  ] as const
) {
  Deno.test(`serveFrameSockets refuses a client declaring a 4 GiB body in 1 MiB continuation fragments with 1009 and its memory stays bounded (maxBodySize ${limitMiB} MiB)`, async () => {
    const server = child(["server", maxBodySize, "ws"]);
    try {
      const { port } = await server.line<{ port: number }>();
      // Without a bound the attacker would go on to 8 × the limit.
      const attack = await fragmentAttack(port, 8 * limitMiB * MiB + 8 * MiB);
      await server.send("report");
      const report = await server.line<Report>();
      console.log(
        `server: refused after ${attack.sent / MiB} MiB sent; RSS +${
          report.rssGrowthMiB.toFixed(1)
        } MiB, heap+external +${report.heapGrowthMiB.toFixed(1)} MiB`,
      );
      assert.equal(attack.closeCode, CloseCode.MessageTooBig);
      assert.deepEqual(report.closes, [{ code: 1009, error: "too_large" }]);
      // Refused at the limit, not at the cap (what the attacker wrote also
      // counts the loopback socket buffers and the writes before it read the
      // close frame).
      assert.ok(attack.sent <= (limitMiB + 16) * MiB, `sent ${attack.sent}`);
      // At most one message of the limit buffered, plus working memory.
      const bound = 2 * limitMiB + 48;
      assert.ok(
        report.rssGrowthMiB < bound,
        `RSS grew ${report.rssGrowthMiB} MiB (bound ${bound})`,
      );
    } finally {
      assert.equal((await server.end()).code, 0);
    }
  });
}

Deno.test("connectFrameSocket refuses a hostile server's 4 GiB body in 1 MiB continuation fragments with 1009 and the client's memory stays bounded", async () => {
  using listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const client = child([
    "client",
    `ws://127.0.0.1:${listener.addr.port}/`,
    "default",
  ]);
  try {
    const conn = await listener.accept();
    const reader = await acceptRawWs(conn);
    let closeCode: number | null | undefined;
    const reading = reader.closeCode().then((code) => closeCode = code);
    const sent = await floodFragments(conn, {
      header: HUGE_HEADER,
      fragment: MiB,
      cap: 512 * MiB,
      mask: false,
      stop: () => closeCode !== undefined,
    });
    await writeAll(conn, wsFrame(Opcode.Close, closePayload(1009)))
      .catch(() => {});
    await reading;
    conn.close();
    const report = await client.line<Report>();
    console.log(
      `client: refused after ${sent / MiB} MiB sent; RSS +${
        report.rssGrowthMiB.toFixed(1)
      } MiB, heap+external +${report.heapGrowthMiB.toFixed(1)} MiB`,
    );
    assert.equal(closeCode, CloseCode.MessageTooBig);
    assert.equal(report.error, "too_large");
    assert.deepEqual(report.close, { code: 1009, error: "too_large" });
    const limitMiB = DEFAULT_MAX_BODY_SIZE / MiB;
    assert.ok(sent <= (limitMiB + 16) * MiB, `sent ${sent}`);
    const bound = 2 * limitMiB + 48;
    assert.ok(
      report.rssGrowthMiB < bound,
      `RSS grew ${report.rssGrowthMiB} MiB (bound ${bound})`,
    );
  } finally {
    assert.equal((await client.end()).code, 0);
  }
});

Deno.test("a well-behaved client sharing the server with a fragmenting attacker loses nothing", async () => {
  const sessions: ServerFrameSocket[] = [];
  await using server = await serveFrameSockets(
    { maxBodySize: 2 * MiB, closeTimeout: 1000 },
    async (socket) => {
      sessions.push(socket);
      for await (const message of socket.messages()) {
        if (message.type === SyncMessageType.PingPong) {
          await socket.sendMessage(SyncMessageType.PingPong, {
            ...message.body,
            isPong: true,
          });
        }
      }
    },
  );
  await using client = await connectFrameSocket(server.url);
  const ROUNDS = 300;
  const talking = (async () => {
    const seen: bigint[] = [];
    for (let i = 0n; i < BigInt(ROUNDS); i++) {
      await client.sendMessage(SyncMessageType.PingPong, {
        timestampMs: i,
        isPong: false,
      });
      const pong = await client.receiveMessage();
      if (pong?.type !== SyncMessageType.PingPong) assert.fail("no pong");
      seen.push(pong.body.timestampMs);
    }
    return seen;
  })();
  // Three attackers at once, while the client talks.
  const attacks = await Promise.all(
    [0, 1, 2].map(() => fragmentAttack(server.port, 64 * MiB)),
  );
  const seen = await talking;
  assert.deepEqual(
    seen,
    Array.from({ length: ROUNDS }, (_, i) => BigInt(i)),
  );
  for (const attack of attacks) {
    assert.equal(attack.closeCode, CloseCode.MessageTooBig);
    assert.ok(attack.sent <= 18 * MiB, `sent ${attack.sent}`);
  }
  // The client's session is still up; the attackers' ended with too_large.
  const ours = sessions[0];
  assert.equal(ours.webSocket.readyState, 1);
  for (const attacker of sessions.slice(1)) {
    assert.equal((await attacker.closed).error?.code, "too_large");
  }
});
