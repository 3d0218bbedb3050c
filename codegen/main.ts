/**
 * The generator's command line.
 *
 * - `deno task gen`: validate every `spec/<revision>.yaml` and write
 *   `generated/` (one folder per revision, plus `CHANGES.md`).
 * - `deno task gen:check`: regenerate in memory and fail, naming each stale
 *   file, when `generated/` differs from what the specs produce.
 *
 * Options: `--spec-dir <dir>` and `--out <dir>` (defaults: the repository's own).
 *
 * @module
 */

import { checkGenerated, generate, writeGenerated } from "./generate.ts";
import { SpecError } from "./spec.ts";

function option(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at >= 0 ? args[at + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
  const root = new URL("..", import.meta.url).pathname;
  const specDir = option(args, "--spec-dir") ?? `${root}spec`;
  const outDir = option(args, "--out") ?? `${root}generated`;
  const names: string[] = [];
  for await (const entry of Deno.readDir(specDir)) {
    if (entry.isFile && /^\d{4}-\d{2}\.yaml$/.test(entry.name)) {
      names.push(entry.name);
    }
  }
  names.sort();
  let files;
  try {
    files = await generate(
      await Promise.all(names.map(async (name) => ({
        text: await Deno.readTextFile(`${specDir}/${name}`),
        path: `${specDir}/${name}`,
      }))),
    );
  } catch (error) {
    if (error instanceof SpecError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  if (args.includes("--check")) {
    const stale = await checkGenerated(files, outDir);
    if (stale.length > 0) {
      for (const name of stale) {
        console.error(
          `stale: ${outDir}/${name} differs from what ${specDir} produces`,
        );
      }
      console.error("run `deno task gen` and commit the result");
      return 1;
    }
    console.log(`generated/ is up to date (${files.length} files)`);
    return 0;
  }
  await writeGenerated(files, outDir);
  console.log(`wrote ${files.length} files to ${outDir}`);
  return 0;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
