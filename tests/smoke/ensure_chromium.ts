// Makes sure Debian's Chromium is installed for the browser smoke suite,
// installing it with apt-get when missing (CI runs as root on a bare machine).
const CHROMIUM = Deno.env.get("CHROMIUM") ?? "/usr/bin/chromium";

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

try {
  await Deno.stat(CHROMIUM);
} catch {
  console.log(
    `${CHROMIUM} is missing: installing Debian's chromium with apt-get`,
  );
  await run("apt-get", ["update", "-qq"]);
  await run("apt-get", ["install", "-y", "-qq", "chromium"]);
  await Deno.stat(CHROMIUM);
}
