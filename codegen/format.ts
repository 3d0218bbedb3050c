/**
 * Formats generated source with `deno fmt`, so that `deno fmt --check` is
 * clean and drift detection is a plain string comparison.
 *
 * @module
 */

/**
 * Formats TypeScript (or Markdown) text exactly as `deno fmt` would format the file.
 *
 * @param text Source text.
 * @param ext The file extension that selects the formatter, e.g. `"ts"` or `"md"`.
 * @returns The formatted text.
 * @throws {Error} if `deno fmt` fails (for example on a syntax error).
 */
export async function formatSource(text: string, ext = "ts"): Promise<string> {
  const command = new Deno.Command(Deno.execPath(), {
    args: ["fmt", `--ext=${ext}`, "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    // Pin the config so the output is the same wherever the generator runs.
    cwd: new URL("..", import.meta.url).pathname,
  });
  const child = command.spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) {
    throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  }
  return new TextDecoder().decode(stdout);
}
