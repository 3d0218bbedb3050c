// Helpers of tests/wireshark_test.ts: bounded subprocesses, installing
// tshark, capturing on lo with dumpcap, tshark -T fields, and pcaps of raw
// frames.
import assert from "node:assert/strict";

/** A finished subprocess. */
export interface Output {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion, killed after `timeoutMs`. */
export async function run(
  cmd: string,
  args: string[],
  timeoutMs: number,
  env?: Record<string, string>,
): Promise<Output> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const out = await new Deno.Command(cmd, {
      args,
      env,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
      signal: controller.signal,
    }).output();
    const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
    if (controller.signal.aborted) {
      throw new Error(`${cmd} did not finish within ${timeoutMs} ms`);
    }
    return {
      code: out.code,
      stdout: text(out.stdout),
      stderr: text(out.stderr),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** Whether a command is on PATH. */
export async function has(name: string): Promise<boolean> {
  try {
    return (await run("sh", ["-c", `command -v ${name}`], 5000)).code === 0;
  } catch {
    return false;
  }
}

/**
 * Why the tshark tests cannot run here (neither tshark nor apt-get), or
 * `undefined` when they can: they are then skipped with this reason, never
 * passed silently.
 */
export async function tsharkUnavailable(): Promise<string | undefined> {
  if (await has("tshark") || await has("apt-get")) return undefined;
  return "tshark is not installed and there is no apt-get to install it";
}

let installing: Promise<void> | undefined;
/** Installs Debian's tshark when it is missing (once per run). */
export function ensureTshark(): Promise<void> {
  installing ??= (async () => {
    if (await has("tshark")) return;
    const uid = (await run("id", ["-u"], 5000)).stdout.trim();
    if (uid !== "0") {
      throw new Error(
        "tshark is missing, and installing it with apt-get needs root: install the tshark package",
      );
    }
    const env = { DEBIAN_FRONTEND: "noninteractive" };
    for (const args of [["update"], ["install", "-y", "tshark"]]) {
      const out = await run("apt-get", args, 15 * 60_000, env);
      assert.equal(out.code, 0, `apt-get ${args.join(" ")}:\n${out.stderr}`);
    }
    assert.ok(await has("tshark"), "apt-get installed tshark");
  })();
  return installing;
}

/** Settles with `promise`, or rejects naming `what` after `ms`. */
export async function within<T>(promise: Promise<T>, ms: number, what: string) {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)),
      ms,
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Resolves after `ms`. */
export const delay = (ms: number) =>
  new Promise((resolve) => setTimeout(resolve, ms));

/** A running capture. */
export interface Capture {
  child: Deno.ChildProcess;
  stderr: Promise<string>;
}

/** Starts capturing `tcp port <port>` on lo into `file`; resolves once it captures. */
export async function startCapture(
  port: number,
  file: string,
): Promise<Capture> {
  const tool = await has("dumpcap") ? "dumpcap" : "tshark";
  const child = new Deno.Command(tool, {
    args: ["-q", "-i", "lo", "-f", `tcp port ${port}`, "-w", file],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  const stderr = new Response(child.stderr).text();
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (exited) throw new Error(`${tool} exited: ${await stderr}`);
    const size = await Deno.stat(file).then((s) => s.size, () => 0);
    if (size > 0) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      await child.status;
      throw new Error(`${tool} did not start capturing within 10 s`);
    }
    await delay(50);
  }
  // The file exists before the capture filter is live; give it a moment.
  await delay(500);
  return { child, stderr };
}

/** Stops a capture with SIGINT (then SIGKILL), bounded. */
export async function stopCapture(capture: Capture): Promise<void> {
  // Let the last packets reach the file.
  await delay(300);
  const kill = (signal: Deno.Signal) => {
    try {
      capture.child.kill(signal);
    } catch {
      // It has exited already.
    }
  };
  kill("SIGINT");
  try {
    await within(capture.child.status, 10_000, "the capture to stop");
  } catch (error) {
    kill("SIGKILL");
    await capture.child.status;
    throw error;
  } finally {
    await capture.stderr;
  }
}

/** tshark -T fields over `file` with a dissector; one row per packet, values split on `|`. */
export async function tsharkFields(
  file: string,
  options: string[],
  names: string[],
  filter = "syncframe",
): Promise<Array<Record<string, string[]>>> {
  const out = await run("tshark", [
    "-r",
    file,
    ...options,
    "-Y",
    filter,
    "-T",
    "fields",
    "-E",
    "occurrence=a",
    "-E",
    "aggregator=|",
    ...names.flatMap((name) => ["-e", name]),
  ], 120_000);
  assert.equal(out.code, 0, `tshark failed:\n${out.stderr}`);
  return out.stdout.split("\n").filter((line) => line !== "").map((line) => {
    const columns = line.split("\t");
    return Object.fromEntries(
      names.map((name, i) => [
        name,
        (columns[i] ?? "").split("|").filter((v) => v !== ""),
      ]),
    );
  });
}

/** Whether a boolean as tshark prints it (1/0 or True/False) is true. */
export const truthy = (v: string) => v === "1" || v.toLowerCase() === "true";

/** Hex text → bytes. */
export const hex = (text: string) =>
  new Uint8Array(text.match(/../g)!.map((b) => parseInt(b, 16)));

/** A pcap of DLT_USER0 packets, which {@linkcode USER_DLT} hands to syncframe. */
export function userDltPcap(packets: readonly Uint8Array[]): Uint8Array {
  const size = 24 + packets.reduce((n, p) => n + 16 + p.length, 0);
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  view.setUint32(0, 0xa1b2c3d4, true);
  view.setUint16(4, 2, true);
  view.setUint16(6, 4, true);
  view.setUint32(16, 65535, true);
  view.setUint32(20, 147, true);
  let at = 24;
  for (const packet of packets) {
    view.setUint32(at + 8, packet.length, true);
    view.setUint32(at + 12, packet.length, true);
    out.set(packet, at + 16);
    at += 16 + packet.length;
  }
  return out;
}

/** The tshark option that hands DLT_USER0 packets to syncframe. */
export const USER_DLT =
  'uat:user_dlts:"User 0 (DLT=147)","syncframe","0","","0",""';

/** Sends one binary message on a plain WebSocket of its own, then closes it. */
export async function sendRaw(url: string, bytes: Uint8Array): Promise<void> {
  const ws = new WebSocket(url);
  const closed = new Promise((resolve) => ws.onclose = resolve);
  try {
    await within(
      new Promise((resolve, reject) => {
        ws.onopen = resolve;
        ws.onerror = reject;
      }),
      5000,
      "a plain WebSocket to open",
    );
    ws.send(bytes);
  } finally {
    ws.close();
    await within(closed, 5000, "a plain WebSocket to close");
  }
}
