// Makes sure Debian's Chromium is installed for the browser smoke suite,
// installing it with apt-get when missing (CI runs as root on a bare machine).
// Without apt-get it says so in one line and exits 0: browser.ts then ignores
// its tests.
import { findChromium, missingChromium, onPath } from "./chromium.ts";

async function run(cmd: string, args: string[]): Promise<void> {
  const { code } = await new Deno.Command(cmd, {
    args,
    env: { DEBIAN_FRONTEND: "noninteractive" },
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  if (code !== 0) {
    throw new Error(`${cmd} ${args.join(" ")} exited with ${code}`);
  }
}

if (findChromium() === undefined) {
  const aptGet = onPath("apt-get");
  if (aptGet === undefined) {
    console.log(
      `${missingChromium()} and no apt-get to install it: skipping the browser smoke suite`,
    );
    Deno.exit(0);
  }
  console.log(
    `${missingChromium()}: installing Debian's chromium with apt-get`,
  );
  await run(aptGet, ["update", "-qq"]);
  await run(aptGet, ["install", "-y", "-qq", "chromium"]);
  if (findChromium() === undefined) {
    throw new Error(
      `after apt-get install chromium, still ${missingChromium()}`,
    );
  }
}
