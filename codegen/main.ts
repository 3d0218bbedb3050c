/**
 * The generator's command line.
 *
 * - `deno task gen`: validate `spec/2026-04.yaml` and write `generated/`.
 * - `deno task gen:check`: regenerate in memory and fail, naming each stale
 *   file, when `generated/` differs from what the spec produces.
 *
 * Options: `--spec <file>` and `--out <dir>` (defaults: the repository's own).
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
  const specPath = option(args, "--spec") ?? `${root}spec/2026-04.yaml`;
  const outDir = option(args, "--out") ?? `${root}generated/2026-04`;
  let files;
  try {
    files = await generate(await Deno.readTextFile(specPath), specPath);
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
          `stale: ${outDir}/${name} differs from what ${specPath} produces`,
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
