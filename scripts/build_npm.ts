/**
 * `deno task build:npm`: writes `dist/npm/`, the npm package of
 * `@sync/frame` — ESM JavaScript (one module per entry, shared chunks, so
 * that `FrameError` is one class across entries), `.d.ts` declarations, and a
 * `package.json` with one export per entry of `deno.json` and `ws` as its
 * dependency. `npm pack` in `dist/npm/` makes the tarball.
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;
const OUT = `${ROOT}dist/npm`;

interface DenoJson {
  name: string;
  version: string;
  license: string;
  exports: Record<string, string>;
  imports: Record<string, string>;
}

/** `npm:ws@8.18.3` → `8.18.3`. */
function npmVersion(specifier: string | undefined, name: string): string {
  const match = specifier?.match(/^npm:(?:@[^/]+\/)?[^@]+@(.+)$/);
  if (!match) throw new Error(`deno.json has no npm import for ${name}`);
  return match[1];
}

/** The output module of an entry, as deno bundle names it. */
function bundled(entry: string): string {
  return entry.replace(/^\.\//, "").replace(/\.ts$/, "");
}

async function main(): Promise<number> {
  const config: DenoJson = JSON.parse(
    await Deno.readTextFile(`${ROOT}deno.json`),
  );
  await Deno.remove(OUT, { recursive: true }).catch(() => {});
  const entries = Object.values(config.exports);
  const bundle = await new Deno.Command(Deno.execPath(), {
    args: [
      "bundle",
      "--quiet",
      "--outdir",
      `${OUT}/esm`,
      "--code-splitting",
      "--declaration",
      "--packages",
      "external",
      "--format",
      "esm",
      "--platform",
      "deno",
      ...entries,
    ],
    cwd: ROOT,
  }).output();
  if (bundle.code !== 0) {
    console.error(new TextDecoder().decode(bundle.stderr));
    return 1;
  }
  // deno bundle keeps each entry's JavaScript at its path below the common
  // root (mod.ts is at the top) and writes one self-contained declaration
  // file per entry, named after the entry's file, at the top.
  const exports: Record<string, { types: string; import: string }> = {};
  for (const [subpath, entry] of Object.entries(config.exports)) {
    const js = `./esm/${bundled(entry)}.js`;
    const types = `./esm/${bundled(entry).split("/").pop()}.d.ts`;
    exports[subpath] = { types, import: js };
    for (const file of [js, types]) await Deno.stat(`${OUT}/${file.slice(2)}`);
  }
  const dependencies: Record<string, string> = {};
  for (const name of ["ws"]) {
    if (config.imports[name] !== undefined) {
      dependencies[name] = `^${npmVersion(config.imports[name], name)}`;
    }
  }
  const pkg = {
    name: config.name,
    version: config.version,
    description:
      "Wire frames of NodeDB's sync protocol (2026-04 and 2026-07 revisions): typed bodies, streams, WebSocket client and server, a Lite client and a test Origin.",
    license: config.license,
    type: "module",
    exports,
    files: ["esm/", "README.md", "LICENSE"],
    engines: { node: ">=20" },
    dependencies,
    sideEffects: false,
  };
  await Deno.writeTextFile(
    `${OUT}/package.json`,
    JSON.stringify(pkg, null, 2) + "\n",
  );
  for (const file of ["README.md", "LICENSE"]) {
    await Deno.copyFile(`${ROOT}${file}`, `${OUT}/${file}`);
  }
  console.log(
    `wrote ${OUT}: ${Object.keys(exports).length} entries (${
      Object.keys(exports).join(", ")
    })`,
  );
  return 0;
}

if (import.meta.main) Deno.exit(await main());
