/**
 * The generator pipeline: spec texts → validated specs → emitted files →
 * formatted text. Each spec yields `<revision>/…`; every consecutive pair of
 * revisions yields `CHANGES.md` (the newest pair).
 *
 * @module
 */

import { emit, specPath } from "./emit.ts";
import type { EmittedFile } from "./emit.ts";
import { emitChanges } from "./emit_changes.ts";
import { formatSource } from "./format.ts";
import { parseSpec } from "./spec.ts";
import type { Spec } from "./spec.ts";
import { SpecError } from "./spec.ts";

/** One spec to generate from: its text and the path to name in errors. */
export interface SpecSource {
  /** The YAML source. */
  text: string;
  /** The path, e.g. `spec/2026-07.yaml`. */
  path: string;
}

/**
 * Validates spec texts and produces every generated file, formatted.
 *
 * @param sources The specs, oldest revision first.
 * @returns Formatted files (paths relative to `generated/`), in a stable order.
 * @throws {SpecError} when a spec does not validate, or a spec's revision does
 * not match its file name (nothing is produced).
 */
export async function generate(sources: SpecSource[]): Promise<EmittedFile[]> {
  const specs: Spec[] = sources.map((s) => parseSpec(s.text, s.path));
  specs.forEach((spec, i) => {
    const path = sources[i].path;
    if (!path.endsWith(specPath(spec).slice("spec/".length))) {
      throw new SpecError(path, [{
        line: undefined,
        entry: "revision",
        message: `revision "${spec.revision}" must match the file name (${
          specPath(spec)
        })`,
      }]);
    }
  });
  const files: EmittedFile[] = specs.flatMap((spec) =>
    emit(spec).map((f) => ({
      path: `${spec.revision}/${f.path}`,
      text: f.text,
    }))
  );
  if (specs.length >= 2) {
    files.push({
      path: "CHANGES.md",
      text: emitChanges(specs[specs.length - 2], specs[specs.length - 1]),
    });
  }
  return await Promise.all(files.map(async (file) => ({
    path: file.path,
    text: await formatSource(file.text, file.path.split(".").pop()),
  })));
}

/**
 * Writes generated files into a folder, creating folders as needed.
 *
 * @param files The files from {@linkcode generate}.
 * @param outDir The target folder.
 */
export async function writeGenerated(
  files: EmittedFile[],
  outDir: string,
): Promise<void> {
  for (const file of files) {
    const path = `${outDir}/${file.path}`;
    await Deno.mkdir(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(path, file.text);
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
