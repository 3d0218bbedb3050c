// The inspector streams: output lines leave as frames are read, so memory
// stays bounded whatever the capture's size. Measured in a child process (an
// out-of-memory abort fails the test instead of killing the runner); the
// 100 MB version is `deno task stress:inspect`.
import assert from "node:assert/strict";

const SCRIPT = new URL("./stress/inspect_capture.ts", import.meta.url);
const MEGABYTES = 16;

async function run(args: string[]) {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", SCRIPT.pathname, String(MEGABYTES), ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(code, 0, new TextDecoder().decode(stderr));
  return JSON.parse(new TextDecoder().decode(stdout));
}

for (const mode of [[], ["--json"]]) {
  Deno.test(
    `inspect() with onLine keeps no lines and bounded memory on ${MEGABYTES} MB of small frames ${
      mode.join(" ")
    }`.trim(),
    async () => {
      const report = await run(mode);
      const frames = Math.floor(MEGABYTES * 1024 * 1024 / 10);
      assert.equal(report.frames, frames);
      assert.equal(report.problems, 0);
      assert.equal(report.kept, 0);
      assert.equal(report.lines, mode.length === 0 ? 3 * frames : frames);
      // The capture itself is 16 MiB; the output (~100+ MB of text) must not
      // be held. Keeping it would need well over 500 MB.
      assert.ok(
        report.peakRss < 300 * 1024 * 1024,
        `peak RSS ${Math.round(report.peakRss / 2 ** 20)} MiB`,
      );
    },
  );
}
