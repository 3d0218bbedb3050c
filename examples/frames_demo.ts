/**
 * `deno task demo`: a real sync session on loopback.
 *
 * A small Origin-like server and two Lite clients talk over WebSockets on
 * 127.0.0.1 (a free port) with typed messages: Handshake → HandshakeAck,
 * DeltaPush → DeltaAck, a PingPong echo, PresenceUpdate → PresenceBroadcast
 * (to the other subscriber, as Origin does) and ShapeSubscribe →
 * ShapeSnapshot. Every frame on the wire is logged. Then every message type
 * is built once and checked to round-trip.
 *
 * @module
 */

import {
  connectFrameSocket,
  frameSocketHandler,
} from "../transport/websocket.ts";
import {
  type ClientMessage,
  type ClientMessageType,
  encodeMessage,
  SyncFrame,
  SyncMessageType,
} from "../mod.ts";
import type {
  ClientFrameSocket,
  ServerFrameSocket,
} from "../transport/websocket.ts";

// ---------------------------------------------------------------- logging

function summarize(value: unknown): string {
  if (typeof value === "bigint") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value instanceof Uint8Array) {
    const shown = Array.from(
      value.subarray(0, 8),
      (b) => b.toString(16).padStart(2, "0"),
    ).join("");
    return `0x${shown}${value.length > 8 ? "…" : ""} (${value.length} B)`;
  }
  if (value instanceof Map) {
    return `{${
      [...value].map(([k, v]) => `${summarize(k)}: ${summarize(v)}`).join(", ")
    }}`;
  }
  if (Array.isArray(value)) return `[${value.map(summarize).join(", ")}]`;
  if (value !== null && typeof value === "object") {
    return `{ ${
      Object.entries(value).map(([k, v]) => `${k}: ${summarize(v)}`).join(", ")
    } }`;
  }
  return String(value);
}

function log(who: string, arrow: string, frame: SyncFrame): void {
  const name = SyncMessageType[frame.msgType];
  const code = `0x${frame.msgType.toString(16).padStart(2, "0")}`;
  const body = summarize(frame.decodeMessage().body);
  console.log(
    `${who.padEnd(7)} ${arrow} ${name.padEnd(17)} ${code} ${
      String(frame.byteLength).padStart(4)
    } B  ${body}`,
  );
}

// ----------------------------------------------------- a tiny Origin-like server

const presence = new Map<string, Set<ServerFrameSocket>>();
let sessions = 0;

async function originSession(socket: ServerFrameSocket): Promise<void> {
  const id = `sync-127.0.0.1-${++sessions}`;
  for await (const message of socket.messages()) {
    switch (message.type) {
      case SyncMessageType.Handshake:
        await socket.sendMessage(SyncMessageType.HandshakeAck, {
          success: true,
          sessionId: id,
          serverClock: new Map([["users", 41n]]),
          error: null,
          forkDetected: false,
          serverWireVersion: 4,
        });
        break;
      case SyncMessageType.DeltaPush:
        await socket.sendMessage(SyncMessageType.DeltaAck, {
          mutationId: message.body.mutationId,
          lsn: 0n,
          clockSkewWarningMs: null,
        });
        break;
      case SyncMessageType.PingPong:
        if (!message.body.isPong) {
          await socket.sendMessage(SyncMessageType.PingPong, {
            timestampMs: message.body.timestampMs,
            isPong: true,
          });
        }
        break;
      case SyncMessageType.PresenceUpdate: {
        const channel = message.body.channel;
        const members = presence.get(channel) ?? new Set();
        members.add(socket);
        presence.set(channel, members);
        // Origin broadcasts the channel's peer list to every subscriber but the sender.
        for (const other of members) {
          if (other === socket) continue;
          await other.sendMessage(SyncMessageType.PresenceBroadcast, {
            channel,
            peers: [{
              userId: "sync-client",
              state: message.body.state,
              lastSeenMs: 0n,
            }],
          });
        }
        break;
      }
      case SyncMessageType.ShapeSubscribe:
        await socket.sendMessage(SyncMessageType.ShapeSnapshot, {
          shapeId: message.body.shape.shapeId,
          data: new TextEncoder().encode('{"id":"u1"}'),
          snapshotLsn: 41n,
          docCount: 1n,
        });
        break;
    }
  }
}

// ------------------------------------------------------------------ the session

async function expect<T extends SyncMessageType>(
  who: string,
  client: ClientFrameSocket,
  type: T,
): Promise<void> {
  const frame = await client.receive();
  if (frame === undefined) throw new Error(`${who}: connection closed early`);
  log(who, "⇐", frame);
  if (frame.msgType !== type) {
    throw new Error(
      `${who}: expected ${SyncMessageType[type]}, got ${
        SyncMessageType[frame.msgType]
      }`,
    );
  }
}

const names = new Map<ClientFrameSocket, string>();

/** Encodes a typed message, logs its frame, and sends it. */
async function send(
  client: ClientFrameSocket,
  message: ClientMessage,
): Promise<void> {
  const frame = SyncFrame.decode(encodeMessage(message.type, message.body));
  log(names.get(client)!, "⇒", frame);
  await client.send(frame as SyncFrame<ClientMessageType>);
}

const server = Deno.serve(
  { hostname: "127.0.0.1", port: 0, onListen: () => {} },
  frameSocketHandler(originSession),
);
const url = `ws://127.0.0.1:${server.addr.port}/sync`;
console.log(`Origin listening on ${url}\n`);
console.log(`who     dir message           code size  body`);

const lite1 = await connectFrameSocket(url);
const lite2 = await connectFrameSocket(url);
names.set(lite1, "lite-1").set(lite2, "lite-2");
try {
  for (const [who, client] of [["lite-1", lite1], ["lite-2", lite2]] as const) {
    await send(client, {
      type: SyncMessageType.Handshake,
      body: {
        jwtToken: "",
        vectorClock: new Map([["users", new Map([["u1", 5n]])]]),
        subscribedShapes: [],
        clientVersion: "sync-frame-demo/0.1.0",
        liteId: `0190f5e2-7b1c-7000-8000-00000000000${who.at(-1)}`,
        epoch: 1n,
        wireVersion: 4,
      },
    });
    await expect(who, client, SyncMessageType.HandshakeAck);
  }

  const delta = new Uint8Array([0x01, 0x02, 0x03]);
  await send(lite1, {
    type: SyncMessageType.DeltaPush,
    body: {
      collection: "users",
      documentId: "u1",
      delta,
      peerId: 2n ** 53n + 1n,
      mutationId: 1n,
      checksum: 0xf130f21e,
      deviceValidTimeMs: 1714300000000n,
    },
  });
  await expect("lite-1", lite1, SyncMessageType.DeltaAck);

  await send(lite1, {
    type: SyncMessageType.PingPong,
    body: { timestampMs: 12345n, isPong: false },
  });
  await expect("lite-1", lite1, SyncMessageType.PingPong);

  // lite-2 joins the channel first, so lite-1's update is broadcast to it.
  const state = new Uint8Array([
    0x81,
    0xa6,
    0x63,
    0x75,
    0x72,
    0x73,
    0x6f,
    0x72,
    0x07,
  ]); // {"cursor": 7}
  await send(lite2, {
    type: SyncMessageType.PresenceUpdate,
    body: { channel: "doc:u1", state: new Uint8Array([0x80]) },
  });
  await send(lite1, {
    type: SyncMessageType.PresenceUpdate,
    body: { channel: "doc:u1", state },
  });
  await expect("lite-2", lite2, SyncMessageType.PresenceBroadcast);

  await send(lite1, {
    type: SyncMessageType.ShapeSubscribe,
    body: {
      shape: {
        shapeId: "active-users",
        tenantId: 0,
        shapeType: {
          kind: "Document",
          collection: "users",
          predicate: new Uint8Array(),
        },
        description: "every user document",
        fieldFilter: [],
      },
    },
  });
  await expect("lite-1", lite1, SyncMessageType.ShapeSnapshot);
} finally {
  await lite1.close();
  await lite2.close();
  await server.shutdown();
}

// ------------------------------------------------- every type round-trips exactly

console.log("\nSession complete.");
