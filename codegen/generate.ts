/**
 * The generator pipeline: spec text → validated spec → emitted files → formatted text.
 *
 * @module
 */

import { emit } from "./emit.ts";
import type { EmittedFile } from "./emit.ts";
import { formatSource } from "./format.ts";
import { parseSpec } from "./spec.ts";

/**
 * Validates spec text and produces every generated file, formatted.
 *
 * @param specText The YAML source.
 * @param specPath The path to name in validation errors.
 * @returns Formatted files, in a stable order.
 * @throws {SpecError} when the spec does not validate (nothing is produced).
 */
export async function generate(
  specText: string,
  specPath: string,
): Promise<EmittedFile[]> {
  const spec = parseSpec(specText, specPath);
  const files = emit(spec);
  return await Promise.all(files.map(async (file) => ({
    path: file.path,
    text: await formatSource(file.text, file.path.split(".").pop()),
  })));
}

/**
 * Writes generated files into a folder, creating it if needed.
 *
 * @param files The files from {@linkcode generate}.
 * @param outDir The target folder.
 */
export async function writeGenerated(
  files: EmittedFile[],
  outDir: string,
): Promise<void> {
  await Deno.mkdir(outDir, { recursive: true });
  for (const file of files) {
    await Deno.writeTextFile(`${outDir}/${file.path}`, file.text);
  }
}

/**
 * Compares generated files with a folder's contents.
 *
 * @param files The files from {@linkcode generate}.
 * @param outDir The folder to compare against.
 * @returns The names of files that are missing or differ (empty when up to date).
 */
export async function checkGenerated(
  files: EmittedFile[],
  outDir: string,
): Promise<string[]> {
  const stale: string[] = [];
  for (const file of files) {
    let current: string | undefined;
    try {
      current = await Deno.readTextFile(`${outDir}/${file.path}`);
    } catch {
      current = undefined;
    }
    if (current !== file.text) stale.push(file.path);
  }
  return stale;
}
