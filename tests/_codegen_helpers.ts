// Helpers shared by the generator tests: the repository's specs, running the
// generator's command line (and other deno subcommands), and temp folders
// where generated code resolves its `../../codec/` imports.
import assert from "node:assert/strict";
import { crc32c } from "../codec/crc32c.ts";
import { generate } from "../codegen/generate.ts";
import type { SpecSource } from "../codegen/generate.ts";
import type { EmittedFile } from "../codegen/emit.ts";
import { parseSpec, SpecError } from "../codegen/spec.ts";
import type { Spec, SpecProblem } from "../codegen/spec.ts";

/** The repository root. */
export const ROOT: URL = new URL("../", import.meta.url);

/** The repository root as a path, without the trailing slash. */
export const ROOT_PATH: string = new URL(".", ROOT).pathname.replace(/\/$/, "");

/** Every revision with a committed `spec/<revision>.yaml`, oldest first. */
export const REVISIONS: readonly string[] = [...Deno.readDirSync(
  new URL("spec/", ROOT),
)]
  .filter((e) => e.isFile && /^\d{4}-\d{2}\.yaml$/.test(e.name))
  .map((e) => e.name.slice(0, -".yaml".length))
  .sort();

/** The committed spec texts by revision. */
export const SPEC_TEXTS: Readonly<Record<string, string>> = Object.fromEntries(
  REVISIONS.map((rev) => [
    rev,
    Deno.readTextFileSync(new URL(`spec/${rev}.yaml`, ROOT)),
  ]),
);

/** The committed spec text of `revision`. */
export function specText(revision: string): string {
  const text = SPEC_TEXTS[revision];
  assert.ok(text !== undefined, `spec/${revision}.yaml exists`);
  return text;
}

/** The committed spec of `revision`, validated. */
export function specOf(revision: string): Spec {
  return parseSpec(specText(revision), `spec/${revision}.yaml`);
}

/**
 * Every committed spec as the generator's sources (oldest first), with the
 * text of some revisions replaced.
 */
export function specSources(
  overrides: Readonly<Record<string, string>> = {},
): SpecSource[] {
  return REVISIONS.map((rev) => ({
    text: overrides[rev] ?? specText(rev),
    path: `spec/${rev}.yaml`,
  }));
}

let committedOutput: Promise<EmittedFile[]> | undefined;

/** What the committed specs produce (computed once per test module). */
export function generatedFromSpecs(): Promise<EmittedFile[]> {
  committedOutput ??= generate(specSources());
  return committedOutput;
}

/** What a subprocess printed and how it ended. */
export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `deno <args>` in a subprocess (in the repository root unless `cwd`). */
export async function runDeno(args: string[], cwd?: string): Promise<Run> {
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: cwd ?? ROOT_PATH,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  return { code, stdout: text.decode(stdout), stderr: text.decode(stderr) };
}

/** Runs `codegen/main.ts` with `args` in a subprocess. */
export function runGenerator(args: string[]): Promise<Run> {
  return runDeno([
    "run",
    "-A",
    new URL("codegen/main.ts", ROOT).pathname,
    ...args,
  ]);
}

/**
 * Runs `fn` with a temp folder at the repository root (`.tmp_codegen_*`,
 * gitignored), removing it afterwards. Generated files written with
 * `--out <dir>` land in `<dir>/<revision>/`, two levels below the repository
 * root, so that their `../../codec/` imports resolve to the repository's
 * `codec/` (the same modules `mod.ts` uses, so `instanceof FrameError` holds).
 */
export async function withTempDir(
  fn: (dir: string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({
    dir: ROOT_PATH,
    prefix: ".tmp_codegen_",
  });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/**
 * Writes `<dir>/spec/<revision>.yaml` for every committed revision (with the
 * text of some replaced, and extra files added), for `--spec-dir`.
 *
 * @returns The spec folder.
 */
export async function writeSpecDir(
  dir: string,
  overrides: Readonly<Record<string, string>> = {},
): Promise<string> {
  const specDir = `${dir}/spec`;
  await Deno.mkdir(specDir, { recursive: true });
  for (const rev of new Set([...REVISIONS, ...Object.keys(overrides)])) {
    await Deno.writeTextFile(
      `${specDir}/${rev}.yaml`,
      overrides[rev] ?? specText(rev),
    );
  }
  return specDir;
}

/** Runs `gen:check` for the specs in `specDir` against the repository's generated/. */
export function checkAgainstRepository(specDir: string): Promise<Run> {
  return runGenerator([
    "--check",
    "--spec-dir",
    specDir,
    "--out",
    new URL("generated", ROOT).pathname,
  ]);
}

/** The stale paths (relative to the output folder) a `--check` run names. */
export function stalePaths(run: Run, outDir: string): string[] {
  return [...run.stderr.matchAll(/^stale: (\S+) differs/gm)].map((m) => {
    assert.ok(m[1].startsWith(`${outDir}/`), m[1]);
    return m[1].slice(outDir.length + 1);
  }).sort();
}

/**
 * The keys every spec needs besides `revision`, `types` and `messages`
 * (8 lines), in the form of the April 2026 revision.
 */
export const PREAMBLE = `entry: "@sync/frame"
serializer: "zerompk 0.4.1"
wire_version: 4
unit_variants: tagged_nil
frame:
  header: [msg_type, length]
limits:
  max_struct_depth: 500
`;

/** Every validation problem of a spec text as `line: entry: message`. */
export function problemsOf(text: string, path = "spec/x.yaml"): string[] {
  try {
    parseSpec(text, path);
  } catch (error) {
    assert.ok(error instanceof SpecError);
    return error.problems.map((p) => `${p.line}: ${p.entry}: ${p.message}`);
  }
  return [];
}

/** The problems `generate` reports for `sources` (it must refuse them). */
export async function generateProblems(
  sources: SpecSource[],
): Promise<SpecProblem[]> {
  try {
    await generate(sources);
  } catch (error) {
    assert.ok(error instanceof SpecError, String(error));
    return error.problems;
  }
  assert.fail("generate accepted the specs");
}

/** 1-based line of the first line containing `needle` (after `from`). */
export function lineOf(text: string, needle: string, from = ""): number {
  const start = from === "" ? 0 : text.indexOf(from);
  assert.ok(start >= 0, `"${from}" is in the text`);
  const at = text.indexOf(needle, start);
  assert.ok(at >= 0, `"${needle}" is in the text`);
  return text.slice(0, at).split("\n").length;
}

/** Text with every run of whitespace (e.g. Markdown line wrapping) as one space. */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, " ");
}

/** Every file under `dir`, as paths relative to it, sorted. */
export async function listFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (sub: string) => {
    for await (const entry of Deno.readDir(`${dir}/${sub}`)) {
      const path = sub === "" ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory) await walk(path);
      else out.push(path);
    }
  };
  await walk("");
  return out.sort();
}

/**
 * The bytes of a frame of `type` with `body` as the spec's `frame` section
 * lays it out (computed here from the spec, not by the generator).
 */
export function frameBytes(spec: Spec, type: number, body: number[]): number[] {
  const u32 = (v: number) => [0, 8, 16, 24].map((s) => (v >>> s) & 0xff);
  const header = spec.frame.header.flatMap((field): number[] => {
    switch (field) {
      case "version":
        return [spec.frame.version!];
      case "msg_type":
        return [type];
      case "length":
        return u32(body.length);
      case "crc32c":
        return u32(crc32c(new Uint8Array(body)));
    }
  });
  return [...header, ...body];
}

/**
 * The generator and specs a generated file's first line names
 * (`// Code generated by codegen/x.ts from spec/a.yaml, spec/b.yaml. DO NOT EDIT.`,
 * as a `//`, `--` or `<!-- -->` comment), or `undefined` without that header.
 */
export function generatedHeader(
  text: string,
): { generator: string; specs: string[] } | undefined {
  const first = text.slice(0, text.indexOf("\n"));
  const match =
    /^(?:\/\/|--|<!--) Code generated by (codegen\/\S+\.ts) from (.+?)\. DO NOT EDIT\.(?: -->)?$/
      .exec(first);
  if (match === null) return undefined;
  if (first.startsWith("<!--") !== first.endsWith(" -->")) return undefined;
  return { generator: match[1], specs: match[2].split(/, | and /) };
}

/**
 * The paths of `files` generated from `spec/<revision>.yaml`, by their
 * headers: what may go stale when that spec changes.
 */
export function generatedFrom(
  files: EmittedFile[],
  revision: string,
): Set<string> {
  return new Set(
    files.filter((f) =>
      generatedHeader(f.text)?.specs.includes(`spec/${revision}.yaml`)
    ).map((f) => f.path),
  );
}
