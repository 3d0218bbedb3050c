// Runs the inspector over a generated capture of small frames and prints one
// JSON line: frames seen, output lines, peak RSS (from /proc when present)
// and the final heap. Used by tests/inspect_stream_test.ts (scaled down) and
// `deno task stress:inspect` (100 MB).
//
// Usage: inspect_capture.ts <megabytes> [--json]
import { inspect } from "../../tools/cli.ts";

const megabytes = Number(Deno.args[0] ?? "100");
const json = Deno.args.includes("--json");
const frame = new Uint8Array([0xff, 5, 0, 0, 0, 0x92, 0xcd, 0x30, 0x39, 0xc2]);
const count = Math.floor(megabytes * 1024 * 1024 / frame.length);
const capture = new Uint8Array(count * frame.length);
for (let i = 0; i < count; i++) capture.set(frame, i * frame.length);

let lines = 0;
let bytes = 0;
const result = inspect(capture, {
  json,
  onLine: (line) => {
    lines++;
    bytes += line.length;
  },
});

function peakRss(): number | undefined {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const match = /VmHWM:\s+(\d+) kB/.exec(status);
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

console.log(JSON.stringify({
  frames: result.frames,
  problems: result.problemCount,
  kept: result.lines.length,
  lines,
  outputBytes: bytes,
  peakRss: peakRss() ?? Deno.memoryUsage().rss,
  heapUsed: Deno.memoryUsage().heapUsed,
}));
