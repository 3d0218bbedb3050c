// The main job (`deno task demo`): a SyncClient ↔ serveOrigin session with
// one injected drop and its recovery, then every 2026-07 message type as a
// real typed body; and the FrameSocket-level example.
import assert from "node:assert/strict";

async function run(example: string, args: string[] = []) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-read",
      new URL(`../examples/${example}`, import.meta.url).pathname,
      ...args,
    ],
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).output();
  const out = new TextDecoder().decode(stdout);
  assert.equal(code, 0, new TextDecoder().decode(stderr) + out);
  return out;
}

for (const revision of ["2026-07", "2026-04"]) {
  Deno.test(`the main demo (${revision}) recovers from the injected drop, prints the timeline and metrics, and round-trips every 2026-07 type`, async () => {
    const out = await run("demo.ts", [revision]);
    assert.match(
      out,
      new RegExp(
        `Origin \\(${revision}\\) listening on ws://127\\.0\\.0\\.1:\\d+`,
      ),
    );
    assert.match(
      out,
      /ready → reconnecting {2}\(the connection closed abnormally: code 4001/,
    );
    assert.match(out, /reconnecting → connecting {2}\(reconnect attempt 1\)/);
    assert.match(out, /Lite ⇒ Origin {2}Handshake .*epoch: 2/);
    assert.match(out, /reconnects 1, epoch 2/);
    assert.match(
      out,
      /Recovered: one connection drop, 1 reconnect, 8\/8 deltas applied exactly once\./,
    );
    assert.match(out, /^0xff {2}PingPong {16}C↔S/m);
    assert.match(
      out,
      /49\/49 message types decode to typed bodies and re-encode byte for byte\./,
    );
  });
}

Deno.test("the FrameSocket example runs its loopback session, logs every frame and exits 0", async () => {
  const out = await run("frames_demo.ts");
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
  assert.match(out, /Session complete\./);
});
