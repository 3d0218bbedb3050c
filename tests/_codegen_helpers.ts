// Helpers shared by the generator tests: the repository's spec, running the
// generator's command line, and temp folders where generated code resolves.
import assert from "node:assert/strict";
import { parseSpec, SpecError } from "../codegen/spec.ts";

/** The repository root. */
export const ROOT: URL = new URL("../", import.meta.url);

/** The committed spec's text. */
export const SPEC_TEXT: string = Deno.readTextFileSync(
  new URL("spec/2026-04.yaml", ROOT),
);

/** What a generator run printed and how it ended. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `codegen/main.ts` with `args` in a subprocess. */
export async function runGenerator(args: string[]): Promise<Run> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("codegen/main.ts", ROOT).pathname, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

/**
 * Runs `fn` with a temp folder at the repository root, so that `../runtime/`
 * resolves from generated code written into it; removes it afterwards.
 */
export async function withTempDir(
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({
    dir: new URL(".", ROOT).pathname,
    prefix: ".tmp_codegen_",
  });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Every validation problem of a spec text as `line: entry: message`. */
export function problemsOf(text: string): string[] {
  try {
    parseSpec(text, "spec.yaml");
  } catch (error) {
    assert.ok(error instanceof SpecError);
    return error.problems.map((p) => `${p.line}: ${p.entry}: ${p.message}`);
  }
  return [];
}

/** Runs `gen:check` for `specPath` against the repository's own generated/. */
export function checkAgainstRepository(specPath: string): Promise<Run> {
  return runGenerator([
    "--check",
    "--spec",
    specPath,
    "--out",
    new URL("generated", ROOT).pathname,
  ]);
}
