// The main job (`deno task demo`) runs a full loopback session and exits 0.
import assert from "node:assert/strict";

Deno.test("the demo runs the loopback session, logs every frame and exits 0", async () => {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      new URL("../examples/demo.ts", import.meta.url).pathname,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  const flow = out.split("\n").filter((line) => /^lite-\d/.test(line)).map(
    (line) => line.split(/\s+/).slice(0, 3).join(" "),
  );
  assert.deepEqual(flow, [
    "lite-1 ⇒ Handshake",
    "lite-1 ⇐ HandshakeAck",
    "lite-2 ⇒ Handshake",
    "lite-2 ⇐ HandshakeAck",
    "lite-1 ⇒ DeltaPush",
    "lite-1 ⇐ DeltaAck",
    "lite-1 ⇒ PingPong",
    "lite-1 ⇐ PingPong",
    "lite-2 ⇒ PresenceUpdate",
    "lite-1 ⇒ PresenceUpdate",
    "lite-2 ⇐ PresenceBroadcast",
    "lite-1 ⇒ ShapeSubscribe",
    "lite-1 ⇐ ShapeSnapshot",
  ]);
  // Typed field values, not generic maps.
  assert.match(out, /DeltaPush .*peerId: 9007199254740993, mutationId: 1/);
  assert.match(out, /⇐ PingPong .*\{ timestampMs: 12345, isPong: true \}/);
  assert.match(out, /^0xff {2}PingPong {13}C↔S/m);
  assert.match(out, /30\/30 message types round-trip exactly/);
});
