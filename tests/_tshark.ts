// tshark for the tests that need it: found on PATH, or installed with
// Debian's apt-get when missing. Where neither works, the reason is returned
// so the test is skipped and says why, never passed silently.

async function has(command: string, args: string[]): Promise<boolean> {
  try {
    const { code } = await new Deno.Command(command, {
      args,
      stdout: "null",
      stderr: "null",
    }).output();
    return code === 0;
  } catch {
    return false;
  }
}

let ready: Promise<string | undefined> | undefined;

/**
 * Makes sure tshark is installed.
 *
 * @returns `undefined` when tshark runs, else why it cannot.
 */
export function ensureTshark(): Promise<string | undefined> {
  ready ??= (async () => {
    if (await has("tshark", ["-v"])) return undefined;
    if (!(await has("apt-get", ["--version"]))) {
      return "tshark is not installed and there is no apt-get to install it";
    }
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    for (
      const args of [["update"], [
        "install",
        "-y",
        "--no-install-recommends",
        "tshark",
      ]]
    ) {
      const { code } = await new Deno.Command("apt-get", {
        args,
        env,
        stdout: "null",
        stderr: "null",
      }).output();
      if (code !== 0) return `apt-get ${args[0]} failed (exit ${code})`;
    }
    return (await has("tshark", ["-v"]))
      ? undefined
      : "apt-get installed tshark, but it does not run";
  })();
  return ready;
}
