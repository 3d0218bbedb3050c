// The generated Wireshark dissector (generated/<rev>/sync_frame.lua) under
// tshark: a real loopback session of each revision, captured with dumpcap
// while this library's own WebSocket transport runs it, and every reference
// vector plus malformed frames fed to the dissector directly.
//
// tshark is installed with apt-get when missing (as root); with neither
// tshark nor apt-get the tests say so and are ignored. Everything runs on
// 127.0.0.1, in a temporary folder, with every wait bounded.
import assert from "node:assert/strict";
import {
  connectFrameSocket,
  upgradeFrameSocket,
} from "../transport/websocket.ts";
import * as r04 from "../mod.ts";
import * as r07 from "../entries/2026-07.ts";
import {
  type Capture,
  delay,
  ensureTshark,
  hex,
  sendRaw,
  startCapture,
  stopCapture,
  truthy,
  tsharkFields as fields,
  tsharkUnavailable,
  USER_DLT,
  userDltPcap,
  within,
} from "./_wireshark_helpers.ts";

type Revision = "2026-04" | "2026-07";

const ROOT = new URL("..", import.meta.url).pathname;
const REVISIONS: readonly Revision[] = ["2026-04", "2026-07"];
const MUTATION_ID = 2n ** 53n + 1n;
const WIRE_VERSION: Record<Revision, number> = { "2026-04": 4, "2026-07": 1 };

const script = (rev: Revision) => `${ROOT}generated/${rev}/sync_frame.lua`;

const UNAVAILABLE = await tsharkUnavailable();
const SKIP = UNAVAILABLE !== undefined;
if (SKIP) console.log(`wireshark_test: skipped: ${UNAVAILABLE}`);

/** The frame bytes of a ping of `rev`. */
function ping(rev: Revision, timestampMs: bigint): Uint8Array {
  const body = { timestampMs, isPong: false };
  return rev === "2026-07"
    ? r07.encodeMessage(r07.SyncMessageType.PingPong, body)
    : r04.encodeMessage(r04.SyncMessageType.PingPong, body);
}

/** What the session uses of a FrameSocket of either revision. */
interface Peer {
  sendMessage(type: never, body: never): Promise<void>;
  receive(): Promise<unknown>;
  close(): Promise<unknown>;
  readonly closed: Promise<unknown>;
}

/**
 * A session over 127.0.0.1 with this library's transport, captured: typed
 * Handshake, HandshakeAck, DeltaPush (mutation_id 2^53 + 1), DeltaAck, ping
 * and pong; then a foreign peer's ping with one body bit flipped, on a
 * connection of its own; then a last ping of the session.
 */
async function captureSession(rev: Revision, dir: string) {
  const july = rev === "2026-07";
  const T = r04.SyncMessageType;
  const sockets: Peer[] = [];
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    (request) => {
      const { socket, response } = upgradeFrameSocket(request, {
        revision: rev,
        badChecksum: "skip",
      });
      sockets.push(socket);
      return response;
    },
  );
  const accepted = async (n: number): Promise<Peer> => {
    for (let waited = 0; sockets.length < n; waited += 10) {
      if (waited > 5000) throw new Error("the server did not accept in 5 s");
      await delay(10);
    }
    return sockets[n - 1];
  };
  const port = server.addr.port;
  const url = `ws://127.0.0.1:${port}/sync`;
  const file = `${dir}/${rev}.pcapng`;
  let capture: Capture | undefined;
  try {
    capture = await startCapture(port, file);
    const client: Peer = await within(
      connectFrameSocket(url, { revision: rev }),
      5000,
      "the WebSocket to open",
    );
    const session = await accepted(1);
    const arrive = async (peer: Peer) =>
      assert.ok(await within(peer.receive(), 5000, "a frame"));
    const send = (peer: Peer, type: number, body: Record<string, unknown>) =>
      peer.sendMessage(type as never, body as never);
    await send(client, T.Handshake, {
      jwtToken: "",
      vectorClock: new Map([["users", new Map([["doc-1", 7n]])]]),
      subscribedShapes: ["shape-a"],
      clientVersion: "wireshark-test",
      liteId: "",
      epoch: 0n,
      wireVersion: WIRE_VERSION[rev],
    });
    await arrive(session);
    await send(session, T.HandshakeAck, {
      success: true,
      sessionId: "sync-127.0.0.1-1",
      serverClock: new Map([["users", 42n]]),
      error: null,
      forkDetected: false,
      serverWireVersion: WIRE_VERSION[rev],
      ...(july
        ? {
          producerId: 3n,
          acceptedEpoch: 1n,
          deltaSigningKey: new Uint8Array(32).fill(0xab),
        }
        : {}),
    });
    await arrive(client);
    await send(client, T.DeltaPush, {
      collection: "users",
      documentId: "doc-1",
      delta: new Uint8Array([0xde, 0xad, 0xbe, 0xef]),
      peerId: 2n ** 64n - 1n,
      mutationId: MUTATION_ID,
      checksum: 0,
      deviceValidTimeMs: -5n,
      ...(july
        ? {
          producerId: 3n,
          epoch: 1n,
          seq: 1n,
          deviceId: 0n,
          deltaSignature: new Uint8Array(32),
        }
        : {}),
    });
    await arrive(session);
    await send(session, T.DeltaAck, {
      mutationId: MUTATION_ID,
      lsn: 0n,
      clockSkewWarningMs: null,
      ...(july ? { appliedSeq: 1n, status: { kind: "Applied" } } : {}),
    });
    await arrive(client);
    await send(client, T.PingPong, { timestampMs: 12345n, isPong: false });
    await arrive(session);
    await send(session, T.PingPong, { timestampMs: 12345n, isPong: true });
    await arrive(client);
    // One flipped body bit: a CRC mismatch at 2026-07 (the server skips the
    // frame); at 2026-04, which has no CRC, a body array of 3 instead of 2.
    const bad = ping(rev, 777n);
    bad[july ? bad.length - 1 : 5] ^= 0x01;
    await sendRaw(url, bad);
    const foreign = await accepted(2);
    await within(foreign.closed, 5000, "the foreign peer's session to close");
    await send(client, T.PingPong, { timestampMs: 99n, isPong: false });
    await arrive(session);
    await client.close();
    await within(session.closed, 5000, "the session to close");
  } finally {
    if (capture !== undefined) await stopCapture(capture);
    await server.shutdown();
  }
  return { file, port };
}

const FIELDS = [
  "syncframe.revision",
  "syncframe.type",
  "syncframe.length",
  "syncframe.crc_ok",
  "syncframe.handshake_msg.wire_version",
  "syncframe.handshake_msg.client_version",
  "syncframe.delta_push_msg.mutation_id",
  "syncframe.delta_push_msg.peer_id",
  "syncframe.delta_push_msg.delta",
  "syncframe.delta_push_msg.device_valid_time_ms",
  "syncframe.delta_ack_msg.mutation_id",
  "syncframe.delta_ack_msg.status",
  "syncframe.handshake_ack_msg.delta_signing_key",
  "syncframe.ping_pong_msg.timestamp_ms",
  "_ws.expert.message",
];

/** What every run over a session's capture must show. */
function checkSession(rev: Revision, rows: Array<Record<string, string[]>>) {
  const all = (name: string) => rows.flatMap((row) => row[name]);
  const row = (type: string) => {
    const found = rows.find((r) => r["syncframe.type"].includes(type));
    assert.ok(found, `a frame of type ${type}`);
    return found;
  };
  assert.deepEqual(
    all("syncframe.type"),
    ["0x01", "0x02", "0x10", "0x11", "0xff", "0xff", "0xff", "0xff"],
  );
  assert.ok(all("syncframe.revision").every((r) => r === rev));
  const handshake = row("0x01");
  assert.deepEqual(handshake["syncframe.handshake_msg.wire_version"], [
    String(WIRE_VERSION[rev]),
  ]);
  assert.deepEqual(handshake["syncframe.handshake_msg.client_version"], [
    "wireshark-test",
  ]);
  const push = row("0x10");
  assert.deepEqual(push["syncframe.delta_push_msg.mutation_id"], [
    "9007199254740993",
  ]);
  assert.deepEqual(push["syncframe.delta_push_msg.peer_id"], [
    "18446744073709551615",
  ]);
  assert.deepEqual(push["syncframe.delta_push_msg.delta"], ["deadbeef"]);
  assert.deepEqual(push["syncframe.delta_push_msg.device_valid_time_ms"], [
    "-5",
  ]);
  const ack = row("0x11");
  assert.deepEqual(ack["syncframe.delta_ack_msg.mutation_id"], [
    "9007199254740993",
  ]);
  assert.deepEqual(
    ack["syncframe.delta_ack_msg.status"],
    rev === "2026-07" ? ["Applied"] : [],
  );
  assert.deepEqual(all("syncframe.ping_pong_msg.timestamp_ms"), [
    "12345",
    "12345",
    ...(rev === "2026-07" ? ["777"] : []),
    "99",
  ]);
  const experts = all("_ws.expert.message");
  if (rev === "2026-07") {
    assert.deepEqual(
      row("0x02")["syncframe.handshake_ack_msg.delta_signing_key"],
      ["ab".repeat(32)],
    );
    // Every frame's CRC matches but the flipped one's.
    assert.deepEqual(
      all("syncframe.crc_ok").map(truthy),
      [true, true, true, true, true, true, false, true],
    );
    assert.equal(experts.length, 1, experts.join("\n"));
    assert.match(
      experts[0],
      /^CRC-32C 0x[0-9a-f]{8} stored, 0x[0-9a-f]{8} computed over the 5-byte body$/,
    );
  } else {
    assert.deepEqual(all("syncframe.crc_ok"), []);
    assert.deepEqual(experts, [
      "PingPongMsg at body offset 0: PingPongMsg has 2 fields, got an array of 3",
    ]);
  }
}

/**
 * No Lua error, no exception (a malformed-packet exception or dissector bug)
 * and no internal dissector error anywhere (our own malformed-body expert
 * infos are in the _ws.malformed group too, so that alone is not checked).
 */
async function checkClean(file: string, options: string[]) {
  const rows = await fields(
    file,
    options,
    ["frame.number", "_ws.expert.message"],
    "_ws.lua.error || _ws.malformed.expert || _ws.malformed.dissector_bug || syncframe.expert.internal",
  );
  assert.deepEqual(rows, [], JSON.stringify(rows));
}

for (const rev of REVISIONS) {
  Deno.test({
    name:
      `generated/${rev}/sync_frame.lua dissects a captured ${rev} loopback session`,
    ignore: SKIP,
    async fn() {
      await ensureTshark();
      const dir = await Deno.makeTempDir({ prefix: "syncframe_wireshark_" });
      try {
        const { file, port } = await captureSession(rev, dir);
        // The WebSocket port preference (the upgrade is on a port HTTP does
        // not know, so it is decoded as HTTP to follow the upgrade).
        const byPort = [
          "-X",
          `lua_script:${script(rev)}`,
          "-o",
          `syncframe.port:${port}`,
          "-d",
          `tcp.port==${port},http`,
        ];
        checkSession(rev, await fields(file, byPort, FIELDS));
        await checkClean(file, byPort);
        // The heuristic (the default port 9090 is not this one), with the
        // other revision's file and the revision preference.
        const other = REVISIONS.find((r) => r !== rev)!;
        checkSession(
          rev,
          await fields(file, [
            "-X",
            `lua_script:${script(other)}`,
            "-o",
            `syncframe.revision:${rev}`,
            "-d",
            `tcp.port==${port},http`,
          ], FIELDS),
        );
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    },
  });
}

/** A frame of `rev` (with its right CRC at 2026-07). */
function frame(rev: Revision, type: number, body: number[]): Uint8Array {
  const bytes = new Uint8Array(body);
  return rev === "2026-07"
    ? new r07.SyncFrame(type as r07.SyncMessageType, bytes).toBytes()
    : new r04.SyncFrame(type as r04.SyncMessageType, bytes).toBytes();
}

const utf8 = (text: string) => [...new TextEncoder().encode(text)];

/** Malformed frames of each revision and the expert text each must get. */
function malformed(rev: Revision): Array<[Uint8Array, string]> {
  const good = ping(rev, 12345n);
  const cut = good.slice(0, -1);
  const trailing = new Uint8Array([...good, 0xaa, 0xbb]);
  const common: Array<[Uint8Array, string]> = [
    [cut, "length 5, but 4 body byte(s) follow"],
    [trailing, "2 byte(s) after the frame"],
  ];
  const asInt = frame(rev, 0xff, [
    0x92,
    0xd3,
    0,
    0,
    0,
    0,
    0,
    0,
    0x30,
    0x39,
    0xc2,
  ]);
  common.push([
    asInt,
    "PingPongMsg.timestamp_ms at body offset 1: expected an unsigned integer (u64), got int (0xd3)",
  ]);
  if (rev === "2026-04") {
    return [
      ...common,
      [hex("ff05"), "2 byte(s); a frame header of revision 2026-04 is 5 bytes"],
      [
        hex("0305000000920102c2"),
        "0x03 is not a message type of revision 2026-04",
      ],
      // A bare unit tag is 2026-07's form, not 2026-04's.
      [
        frame(rev, 0x50, [0x93, 0xae, ...utf8("CorruptedState"), 0x00, 0xa0]),
        "ResyncRequestMsg.reason at body offset 1: expected an enum [tag, payload], got a bare tag string",
      ],
    ];
  }
  const flipped = good.slice();
  flipped[flipped.length - 1] ^= 0x01;
  const version = good.slice();
  version[0] = 2;
  const nested = [0x92, ...new Array(600).fill(0x91), 0xc0, 0x92, 0x00, 0x00];
  const applied = utf8("Applied");
  return [
    ...common,
    [
      hex("01ff05"),
      "3 byte(s); a frame header of revision 2026-07 is 10 bytes",
    ],
    [version, "version 2; frames of revision 2026-07 have version 1"],
    [
      hex("010305000000000000000000"),
      "0x03 is not a message type of revision 2026-07",
    ],
    [flipped, "CRC-32C 0x"],
    [
      frame(rev, 0x11, [
        0x95,
        0x01,
        0x00,
        0xc0,
        0x01,
        0x92,
        0xa7,
        ...applied,
        0xc0,
      ]),
      "([tag, nil] is zerompk <= 0.6.0's form)",
    ],
    [frame(rev, 0x13, nested), "nested deeper than 500 values"],
    [
      frame(rev, 0x23, [0x91, 0xa2, 0xc3, 0x28]),
      "the string is not valid UTF-8",
    ],
  ];
}

Deno.test({
  name:
    "the dissector reads every reference vector cleanly and marks malformed frames with expert info, never a Lua error",
  ignore: SKIP,
  async fn() {
    await ensureTshark();
    const dir = await Deno.makeTempDir({ prefix: "syncframe_wireshark_" });
    try {
      for (const rev of REVISIONS) {
        const vectors: Array<
          { name: string; type_code: number; frame_hex: string }
        > = JSON
          .parse(
            await Deno.readTextFile(
              `${ROOT}tests/fixtures/vectors-${rev}.json`,
            ),
          );
        const bad = malformed(rev);
        // Every vector with one bit flipped and cut short: no expectation but
        // that nothing throws.
        let seed = 7;
        const next = (n: number) => (seed = (seed * 48271) % 2147483647) % n;
        const mutants = vectors.flatMap((v) => {
          const frame = hex(v.frame_hex);
          const flipped = frame.slice();
          flipped[next(frame.length)] ^= 1 << next(8);
          return [flipped, frame.slice(0, next(frame.length))];
        });
        const file = `${dir}/${rev}-vectors.pcap`;
        await Deno.writeFile(
          file,
          userDltPcap([
            ...vectors.map((v) => hex(v.frame_hex)),
            ...bad.map(([frame]) => frame),
            ...mutants,
          ]),
        );
        const options = ["-X", `lua_script:${script(rev)}`, "-o", USER_DLT];
        const rows = await fields(file, options, [
          "syncframe.type",
          "_ws.expert.message",
        ], "frame");
        assert.equal(rows.length, vectors.length + bad.length + mutants.length);
        vectors.forEach((v, i) => {
          assert.deepEqual(
            rows[i]["syncframe.type"],
            [`0x${v.type_code.toString(16).padStart(2, "0")}`],
            v.name,
          );
          assert.deepEqual(rows[i]["_ws.expert.message"], [], v.name);
        });
        bad.forEach(([, expected], i) => {
          const experts = rows[vectors.length + i]["_ws.expert.message"];
          assert.ok(
            experts.some((text) => text.includes(expected)),
            `${rev} malformed #${i}: expected "${expected}", got ${
              JSON.stringify(experts)
            }`,
          );
        });
        await checkClean(file, options);
        // revision auto, in the other revision's file, picks this one.
        const other = REVISIONS.find((r) => r !== rev)!;
        const auto = await fields(
          file,
          [
            "-X",
            `lua_script:${script(other)}`,
            "-o",
            "syncframe.revision:auto",
            "-o",
            USER_DLT,
          ],
          ["syncframe.revision"],
          "frame",
        );
        assert.deepEqual(
          auto.slice(0, vectors.length).map((r) => r["syncframe.revision"]),
          vectors.map(() => [rev]),
        );
      }
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
