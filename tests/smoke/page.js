// Runs inside headless Chromium: imports the bundled module, round-trips every
// vector, talks to the Deno test server over a real WebSocket, and POSTs the
// results back. Every check is a [name, ok, detail] triple.
// Loaded by URL at run time: the bundle exists only after `deno task smoke` builds it.
const lib = await import(new URL("/sync-frame.js", location.href).href);

const results = [];
function check(name, fn) {
  return Promise.resolve().then(fn).then(
    () => results.push([name, true, ""]),
    (error) => results.push([name, false, String(error?.stack ?? error)]),
  );
}
function hex(text) {
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}
function toHex(bytes) {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
function equal(actual, expected, what) {
  if (actual !== expected) {
    throw new Error(`${what}: ${actual} !== ${expected}`);
  }
}

const vectors = await (await fetch("/vectors.json")).json();

await check(
  "browser: every vector decodes and re-encodes byte for byte",
  () => {
    for (const v of vectors) {
      const frame = lib.SyncFrame.decode(hex(v.frame_hex));
      equal(frame.msgType, v.type_code, v.name);
      equal(toHex(frame.body), v.body_hex, v.name);
      equal(
        toHex(new lib.SyncFrame(v.type_code, hex(v.body_hex)).toBytes()),
        v.frame_hex,
        v.name,
      );
    }
  },
);

await check(
  "browser: every vector round-trips through the typed codecs",
  () => {
    for (const v of vectors) {
      const message = lib.decodeMessage(hex(v.frame_hex));
      equal(message.type, v.type_code, v.name);
      equal(
        toHex(lib.encodeMessage(message.type, message.body)),
        v.frame_hex,
        v.name,
      );
    }
  },
);

await check(
  "browser: FrameDecoder yields the same frames for 3-byte chunks",
  () => {
    const capture = hex(vectors.map((v) => v.frame_hex).join(""));
    const decoder = new lib.FrameDecoder();
    const frames = [];
    for (let i = 0; i < capture.length; i += 3) {
      frames.push(
        ...decoder.push(capture.subarray(i, i + 3)),
      );
    }
    decoder.end();
    equal(
      frames.map((f) => toHex(f.toBytes())).join(),
      vectors.map((v) => v.frame_hex).join(),
      "frames",
    );
  },
);

await check(
  "browser: a typed handshake through connectFrameSocket",
  async () => {
    const url = new URL("/ws", location.href);
    url.protocol = "ws:";
    const client = await lib.connectFrameSocket(url.href);
    await client.sendMessage(lib.SyncMessageType.Handshake, {
      jwtToken: "",
      vectorClock: new Map(),
      subscribedShapes: [],
      clientVersion: "ts",
      liteId: "",
      epoch: 0n,
      wireVersion: 4,
    });
    const ack = await client.receiveMessage();
    equal(ack.type, lib.SyncMessageType.HandshakeAck, "reply type");
    equal(ack.body.success, true, "success");
    equal(ack.body.sessionId, "browser-session-1", "session id");
    await client.close();
  },
);

await check(
  "browser: connectFrameSocket to a port where nothing listens rejects with closed",
  async () => {
    const port = new URL(location.href).searchParams.get("refused");
    try {
      await lib.connectFrameSocket(`ws://127.0.0.1:${port}/`);
    } catch (error) {
      equal(error instanceof lib.FrameError, true, "a FrameError");
      equal(error.code, "closed", "code");
      return;
    }
    throw new Error("connected");
  },
);

await check(
  "browser: an aborted receive takes no frame; the next receive gets it",
  async () => {
    const url = new URL("/ws", location.href);
    url.protocol = "ws:";
    const client = await lib.connectFrameSocket(url.href);
    const controller = new AbortController();
    const waiting = client.receive({ signal: controller.signal });
    controller.abort();
    const outcome = await waiting.then(() => "frame", (e) => e.code);
    equal(outcome, "aborted", "the aborted receive");
    await client.sendMessage(lib.SyncMessageType.Handshake, {
      jwtToken: "",
      vectorClock: new Map(),
      subscribedShapes: [],
      clientVersion: "ts",
      liteId: "",
      epoch: 0n,
      wireVersion: 4,
    });
    const ack = await client.receiveMessage();
    equal(ack.type, lib.SyncMessageType.HandshakeAck, "reply type");
    await client.close();
  },
);

await check("browser: a handshake over a plain WebSocket", async () => {
  const url = new URL("/ws", location.href);
  url.protocol = "ws:";
  const socket = new WebSocket(url);
  socket.binaryType = "arraybuffer";
  await new Promise((resolve, reject) => {
    socket.onopen = resolve;
    socket.onerror = () => reject(new Error("socket error"));
  });
  const reply = new Promise((resolve, reject) => {
    socket.onmessage = (event) => resolve(new Uint8Array(event.data));
    socket.onclose = () => reject(new Error("closed before a reply"));
  });
  // The reference's minimal handshake (vector handshake_minimal).
  const handshake = lib.SyncFrame.newMsgpack(lib.SyncMessageType.Handshake, [
    "",
    {},
    [],
    "ts",
    "",
    0,
    4,
  ]);
  equal(
    toHex(handshake.toBytes()),
    "010a00000097a08090a27473a00004",
    "handshake bytes",
  );
  socket.send(handshake.toBytes());
  const ack = lib.SyncFrame.decode(await reply);
  equal(ack.msgType, lib.SyncMessageType.HandshakeAck, "reply type");
  const body = ack.decodeBodyOrThrow();
  equal(body[0], true, "success");
  equal(body[1], "browser-session-1", "session id");
  socket.close(1000);
});

await fetch("/result", { method: "POST", body: JSON.stringify(results) });
