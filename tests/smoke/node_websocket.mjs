// Node side of tests/websocket_node_test.ts: runs the library bundled for
// Node (`deno bundle --platform node`, ws inside) as a client or a server.
// Prints one JSON line per result.
//
//   node node_websocket.mjs client <bundle> <url> <refused-url>
//   node node_websocket.mjs server <bundle>     (prints {"url"}; stops when stdin ends)
import { pathToFileURL } from "node:url";

const [mode, bundle, url, refused] = process.argv.slice(2);
const lib = await import(pathToFileURL(bundle).href);
const { SyncMessageType } = lib;
const print = (value) =>
  console.log(
    JSON.stringify(
      value,
      (_, v) =>
        typeof v === "bigint"
          ? `${v}n`
          : v instanceof Map
          ? Object.fromEntries(v)
          : v,
    ),
  );

const handshake = {
  jwtToken: "",
  vectorClock: new Map(),
  subscribedShapes: [],
  clientVersion: "node",
  liteId: "lite-node",
  epoch: 0n,
  wireVersion: 4,
};

async function session(socket) {
  for await (const message of socket.messages()) {
    if (message.type === SyncMessageType.Handshake) {
      await socket.sendMessage(SyncMessageType.HandshakeAck, {
        success: true,
        sessionId: `node-session-${message.body.liteId}`,
        serverClock: new Map([["users", 7n]]),
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
}

if (mode === "client") {
  const result = { node: process.versions.node };
  const client = await lib.connectFrameSocket(url, {
    signal: AbortSignal.timeout(10_000),
  });
  result.side = client.side;
  await client.sendMessage(SyncMessageType.Handshake, handshake);
  const ack = await client.receiveMessage();
  result.ack = { type: ack.type, ...ack.body };
  await client.sendMessage(SyncMessageType.PingPong, {
    timestampMs: 12345n,
    isPong: false,
  });
  result.pong = (await client.receiveMessage()).body;
  result.close = (await client.close()).code;
  try {
    await lib.connectFrameSocket(refused);
    result.refused = "connected";
  } catch (error) {
    result.refused = {
      frameError: error instanceof lib.FrameError,
      code: error.code,
      message: error.message,
    };
  }
  print(result);
} else if (mode === "server") {
  const server = await lib.serveFrameSockets(
    { maxBodySize: 1024 * 1024, closeTimeout: 2000 },
    session,
  );
  const closes = [];
  const seen = new Set();
  const poll = setInterval(() => {
    for (const socket of server.sockets) {
      if (seen.has(socket)) continue;
      seen.add(socket);
      socket.closed.then((info) =>
        closes.push({ code: info.code, error: info.error?.code })
      );
    }
  }, 1);
  print({ url: server.url, node: process.versions.node });
  process.stdin.resume();
  await new Promise((resolve) => process.stdin.on("end", resolve));
  clearInterval(poll);
  await server.close();
  print({ closes });
} else {
  throw new Error(`unknown mode ${mode}`);
}
