// The frame-core targets of the speed issue, each case measured in a process
// of its own (so no case's garbage lands in another's timing), several times,
// next to the std-only Rust port (rust_port.rs) where it has the same case:
//
//   deno run --allow-read --allow-write --allow-run bench/frame_core.ts \
//     [runs=3] [--filter=text]
//
// `--filter` keeps the rows whose label contains the text. Each run of a case
// is one `deno bench --json --filter /^name$/` process over frame_bench.ts,
// decoder_bench.ts, revisions_bench.ts or crc32c_bench.ts; the table shows
// the median over the runs of deno bench's average, and the spread. The Rust
// column needs `rustc` on PATH (it is left empty otherwise). The last line
// counts the targets missed; the exit code is 0 either way (a bench reports,
// it does not gate).

import { median } from "./_stats.ts";

interface Case {
  /** The row's label. */
  label: string;
  /** The bench file, relative to this one. */
  file: string;
  /** The exact `Deno.bench` names to run in one process; a ratio is first / second. */
  names: string[];
  /** Which of `names` is this library's (default 0), for the ns column. */
  ours?: number;
  /** Frames per bench iteration. */
  perIteration: number;
  /** Bytes per operation, for a rate in GB/s. */
  bytes?: number;
  /** What is compared with the target. */
  unit: "ns" | "M/s" | "GB/s" | "×";
  /** The target, in `unit`, and whether more is better. */
  target?: { value: number; atLeast: boolean };
  /** The Rust port's case name, when it has one. */
  rust?: string;
}

const SIZES = [16, 256, 4096, 65536];
const FRAME = "frame_bench.ts";

const CASES: Case[] = [
  ...SIZES.map((size): Case => ({
    label: `decode → view, ${size} B body`,
    file: FRAME,
    names: [`SyncFrame.decode view ${size} B`],
    perIteration: 256,
    unit: "M/s",
    target: { value: 25, atLeast: true },
    rust: `decode view ${size} B`,
  })),
  ...SIZES.map((size): Case => ({
    label: `decode → owned copy, ${size} B body`,
    file: FRAME,
    names: [`SyncFrame.decode copy ${size} B`],
    perIteration: 256,
    unit: "M/s",
    target: size <= 256 ? { value: 10, atLeast: true } : undefined,
    rust: `decode copy ${size} B`,
  })),
  ...SIZES.map((size): Case => ({
    label: `allocating encode (toBytes), ${size} B body`,
    file: FRAME,
    names: [`SyncFrame.toBytes ${size} B`],
    perIteration: 256,
    unit: "ns",
    target: size <= 256 ? { value: 70, atLeast: false } : undefined,
    rust: `encode (allocating) ${size} B`,
  })),
  ...SIZES.map((size): Case => ({
    label: `encodeInto, ${size} B body`,
    file: FRAME,
    names: [`SyncFrame.encodeInto ${size} B`],
    perIteration: 256,
    bytes: size + 5,
    unit: "GB/s",
    target: size === 4096 ? { value: 40, atLeast: true } : undefined,
    rust: `encode into ${size} B`,
  })),
  {
    label: "FrameCursor header walk, 21 B frames (an earlier issue's target)",
    file: FRAME,
    names: ["FrameCursor header walk, 256 frames of 21 B"],
    perIteration: 256,
    unit: "M/s",
    target: { value: 150, atLeast: true },
    rust: "header walk",
  },
  {
    label: "FrameDecoder, 64 B frames in 1-byte chunks",
    file: "decoder_bench.ts",
    names: ["64 B frames, 1-byte chunks (10,000 frames, 640,000 pushes)"],
    perIteration: 10_000,
    unit: "M/s",
    target: { value: 1.5, atLeast: true },
  },
  {
    label: "2026-07 decode (CRC checked) / CRC-32C alone, 4 KiB",
    file: "revisions_bench.ts",
    names: [
      "2026-07 SyncFrame.decode (CRC checked) 4096 B",
      "CRC-32C alone 4096 B",
    ],
    perIteration: 1,
    unit: "×",
    target: { value: 1.5, atLeast: false },
    rust: "decode 2026-07 4 KiB",
  },
  {
    label: "CRC-32C alone, 64 KiB",
    file: "crc32c_bench.ts",
    names: ["crc32c 64 KiB (ours)"],
    perIteration: 1,
    bytes: 65536,
    unit: "GB/s",
    target: { value: 1.5, atLeast: true },
    rust: "crc32c 64 KiB",
  },
  {
    label: "CRC-32C, 64 KiB: `@aws-crypto/crc32c` time / ours",
    file: "crc32c_bench.ts",
    names: ["crc32c 64 KiB (@aws-crypto/crc32c)", "crc32c 64 KiB (ours)"],
    ours: 1,
    perIteration: 1,
    unit: "×",
    target: { value: 15, atLeast: true },
    rust: "crc32c 64 KiB",
  },
];

/** One process: deno bench's average (ns) of each of `names`. */
async function runOnce(file: string, names: string[]): Promise<number[]> {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
  const filter = `/^(${names.map(escape).join("|")})$/`;
  const path = new URL(file, import.meta.url).pathname;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["bench", "--allow-read", "--allow-net", "--json", path, "--filter"]
      .concat(filter),
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`deno bench failed:\n${new TextDecoder().decode(stderr)}`);
  }
  type Bench = { name: string; results: { ok?: { avg: number } }[] };
  const benches = (JSON.parse(new TextDecoder().decode(stdout)) as {
    benches: Bench[];
  }).benches;
  return names.map((name) => {
    const avg = benches.find((b) => b.name === name)?.results[0]?.ok?.avg;
    if (avg === undefined) throw new Error(`no result for "${name}"`);
    return avg;
  });
}

/** The case's figure in its unit, from the averages of one run. */
function figure(c: Case, averages: number[]): number {
  const ns = averages[0] / c.perIteration;
  switch (c.unit) {
    case "ns":
      return ns;
    case "M/s":
      return 1e3 / ns;
    case "GB/s":
      return (c.bytes ?? 1) / ns;
    case "×":
      return averages[0] / averages[1];
  }
}

function show(value: number, unit: Case["unit"]): string {
  const digits = value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return unit === "×"
    ? `${value.toFixed(2)}×`
    : `${value.toFixed(digits)} ${unit}`;
}

/** The Rust port's ns per frame by case name, or an empty map without rustc. */
async function rustCases(): Promise<Map<string, number>> {
  const results = new Map<string, number>();
  const dir = await Deno.makeTempDir({ prefix: "sync-frame-rust-" });
  try {
    const binary = `${dir}/rust_port`;
    const source = new URL("rust_port.rs", import.meta.url).pathname;
    let build;
    try {
      build = await new Deno.Command("rustc", {
        args: ["-O", "--edition", "2021", "-o", binary, source],
        stderr: "piped",
      }).output();
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return results;
      throw error;
    }
    if (build.code !== 0) {
      throw new Error(
        `rustc failed:\n${new TextDecoder().decode(build.stderr)}`,
      );
    }
    const run = await new Deno.Command(binary).output();
    for (
      const line of new TextDecoder().decode(run.stdout).trim().split("\n")
    ) {
      const { case: name, ns } = JSON.parse(line);
      results.set(name, ns);
    }
    return results;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const runs = Number(Deno.args.find((a) => /^\d+$/.test(a)) ?? 3);
const only = Deno.args.find((a) => a.startsWith("--filter="))?.slice(9);
const rust = await rustCases();
console.log(
  `frame core, each case in its own process, median of ${runs} run(s); ${Deno.build.target}, Deno ${Deno.version.deno}, ${navigator.hardwareConcurrency} CPUs, ${
    new Date().toISOString().slice(0, 10)
  }\n`,
);
console.log(
  "| case | target | median | over the runs | ours, ns per frame | Rust (std), ns | |",
);
console.log("| --- | --- | ---: | --- | ---: | ---: | --- |");
let missed = 0;
for (const c of CASES) {
  if (only !== undefined && !c.label.includes(only)) continue;
  const perRun: number[][] = [];
  for (let i = 0; i < runs; i++) perRun.push(await runOnce(c.file, c.names));
  const values = perRun.map((averages) => figure(c, averages));
  const value = median(values);
  const nsPerFrame = median(perRun.map((a) => a[c.ours ?? 0])) /
    c.perIteration;
  let verdict = "";
  if (c.target !== undefined) {
    const met = c.target.atLeast
      ? value >= c.target.value
      : value <= c.target.value;
    verdict = met ? "met" : "**missed**";
    if (!met) missed++;
  }
  const spread = `${show(Math.min(...values), c.unit)} – ${
    show(Math.max(...values), c.unit)
  }`;
  const rustNs = c.rust === undefined ? undefined : rust.get(c.rust);
  console.log(
    `| ${c.label} | ${
      c.target === undefined
        ? "–"
        : `${c.target.atLeast ? "≥" : "≤"} ${show(c.target.value, c.unit)}`
    } | ${show(value, c.unit)} | ${spread} | ${nsPerFrame.toFixed(1)} | ${
      rustNs === undefined ? "–" : rustNs.toFixed(1)
    } | ${verdict} |`,
  );
}
console.log(`\n${missed} target(s) missed`);
