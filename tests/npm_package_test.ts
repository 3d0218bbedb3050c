// The npm package: `deno task build:npm` writes dist/npm/, `npm pack` packs
// it, and a fresh Node project installs the tarball and runs
// tests/npm/consumer.mjs (every vector of both revisions, and a Node client ↔
// Node server round trip) with Node's test runner.
import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url).pathname;

async function run(cmd: string, args: string[], cwd: string) {
  const { code, stdout, stderr } = await new Deno.Command(cmd, {
    args,
    cwd,
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1", npm_config_update_notifier: "false" },
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

Deno.test("the packed npm tarball installs into a fresh Node project, passes every vector and a client ↔ server round trip", async () => {
  const build = await run(Deno.execPath(), ["task", "build:npm"], ROOT);
  assert.equal(build.code, 0, build.stderr);
  const dir = await Deno.makeTempDir({ prefix: "sync-frame-npm-" });
  try {
    const pack = await run(
      "npm",
      ["pack", "--silent", "--pack-destination", dir],
      `${ROOT}dist/npm`,
    );
    assert.equal(pack.code, 0, pack.stderr);
    const tarball = pack.stdout.trim().split("\n").at(-1)!;
    assert.match(tarball, /^sync-frame-\d+\.\d+\.\d+\.tgz$/);

    const project = `${dir}/project`;
    await Deno.mkdir(project);
    await Deno.writeTextFile(
      `${project}/package.json`,
      JSON.stringify({ name: "consumer", private: true, type: "module" }),
    );
    const install = await run("npm", [
      "install",
      "--no-audit",
      "--no-fund",
      "--prefer-offline",
      `${dir}/${tarball}`,
    ], project);
    assert.equal(install.code, 0, install.stderr);
    const pkg = JSON.parse(
      await Deno.readTextFile(
        `${project}/node_modules/@sync/frame/package.json`,
      ),
    );
    assert.ok(pkg.dependencies.ws, "ws is a dependency");
    assert.ok(
      (await Deno.stat(`${project}/node_modules/ws/package.json`)).isFile,
    );
    for (const revision of ["2026-04", "2026-07"]) {
      await Deno.copyFile(
        `${ROOT}tests/fixtures/vectors-${revision}.json`,
        `${project}/vectors-${revision}.json`,
      );
    }
    await Deno.copyFile(
      `${ROOT}tests/npm/consumer.mjs`,
      `${project}/consumer.test.mjs`,
    );
    const node = await run("node", [
      "--test",
      "--test-reporter=tap",
      "consumer.test.mjs",
    ], project);
    assert.equal(node.code, 0, node.stdout + node.stderr);
    assert.match(node.stdout, /^# pass 6$/m);
    assert.match(node.stdout, /^# fail 0$/m);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
