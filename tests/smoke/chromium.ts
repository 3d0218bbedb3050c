// Where the browser smoke suite finds Chromium, shared by ensure_chromium.ts
// and browser.ts: $CHROMIUM when set, else the first `chromium` on PATH
// (Debian's package installs /usr/bin/chromium).

/**
 * The first executable file called `name` in a directory on PATH.
 *
 * @param name The command name.
 * @returns Its path, or `undefined` when no directory on PATH has it.
 */
export function onPath(name: string): string | undefined {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    if (dir === "") continue;
    const path = `${dir}/${name}`;
    try {
      const info = Deno.statSync(path);
      if (info.isFile && ((info.mode ?? 0o111) & 0o111) !== 0) return path;
    } catch {
      // Not in this directory.
    }
  }
  return undefined;
}

/**
 * The Chromium to run: $CHROMIUM when set and present, else `chromium` on PATH.
 *
 * @returns Its path, or `undefined` when there is none.
 */
export function findChromium(): string | undefined {
  const configured = Deno.env.get("CHROMIUM");
  if (configured === undefined) return onPath("chromium");
  try {
    return Deno.statSync(configured).isFile ? configured : undefined;
  } catch {
    return undefined;
  }
}

/**
 * What is missing when {@linkcode findChromium} finds nothing, for messages.
 *
 * @returns `"no chromium on PATH"` or `"CHROMIUM=… does not exist"`.
 */
export function missingChromium(): string {
  const configured = Deno.env.get("CHROMIUM");
  return configured === undefined
    ? "no chromium on PATH"
    : `CHROMIUM=${configured} does not exist`;
}
