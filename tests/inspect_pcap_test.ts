// The inspect command reads pcap/pcapng captures through tshark, and relative
// paths from wherever `deno task inspect` is started.
import assert from "node:assert/strict";
import { ensureTshark, tsharkUnavailable } from "./_wireshark_helpers.ts";

const ROOT = new URL("../", import.meta.url).pathname;
const CLI = new URL("../tools/cli.ts", import.meta.url).pathname;
const CAPTURE = new URL("./fixtures/pingpong-2026-04.pcapng", import.meta.url)
  .pathname;
const missing = await tsharkUnavailable();
if (missing !== undefined) {
  console.log(`inspect_pcap_test: skipped: ${missing}`);
}

/** The environment minus INIT_CWD, which npm and npx set for their children. */
function cleanEnv(): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.INIT_CWD;
  return { ...env, NO_COLOR: "1" };
}

async function run(args: string[], cwd = ROOT) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    clearEnv: true,
    env: cleanEnv(),
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test({
  name:
    "the inspect command extracts the WebSocket messages of a pcapng capture with tshark",
  ignore: missing !== undefined,
  fn: async () => {
    await ensureTshark();
    const { code, stdout, stderr } = await run([
      "run",
      "--allow-read",
      "--allow-run=tshark",
      CLI,
      "--json",
      CAPTURE,
    ]);
    assert.equal(code, 0, stderr);
    const lines = stdout.trim().split("\n").map((l) => JSON.parse(l));
    assert.deepEqual(
      lines.map((l) => [l.line, l.type_name, l.value.is_pong]),
      [[1, "PingPong", false], [2, "PingPong", true]],
    );
  },
});

Deno.test("the inspect command says plainly that a pcap needs tshark when it cannot run it", async () => {
  // No --allow-run: tshark cannot be started, so the message must say why.
  const { code, stderr } = await run(["run", "--allow-read", CLI, CAPTURE]);
  assert.equal(code, 2);
  assert.match(
    stderr,
    /^inspect: this is a pcap\/pcapng capture; tshark could not be started/,
  );
});

Deno.test("deno task inspect resolves a relative path against the caller's directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeFile(
      `${dir}/ping.bin`,
      new Uint8Array([0xff, 5, 0, 0, 0, 0x92, 0xcd, 0x30, 0x39, 0xc2]),
    );
    // `deno task` runs in the project root; INIT_CWD names the caller's directory.
    const { code, stdout, stderr } = await run([
      "task",
      "--config",
      `${ROOT}deno.json`,
      "inspect",
      "ping.bin",
    ], dir);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /@0: 0xff PingPong \(bidirectional\), 5-byte body/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
