// Runs bench/realistic_bench.ts several times and prints, per group, the median
// over the runs of the ratio baseline time / typed time (deno bench's averages
// in each run, as its summary compares them), against the targets of the
// realistic-bodies issue; and, as a check on a busy machine, the median ratio
// of the fastest iterations (`min`), which another process's load distorts
// far less:
//
//   deno run --allow-read --allow-run [--allow-write] bench/realistic_summary.ts \
//     [runs=3] [--filter=text] [--save=prefix]
//   deno run --allow-read bench/realistic_summary.ts --from=run1.json,run2.json
//
// `--save` keeps each run's `deno bench --json` output as prefix<i>.json; the
// second form reads such outputs back.

import { median } from "./_stats.ts";

interface BenchResult {
  group: string;
  name: string;
  baseline: boolean;
  results: { ok?: { avg: number; min: number } }[];
}

/** The target ratio of a group, by its kind. */
function target(group: string): number | undefined {
  if (group.includes("ascii corpus")) return undefined;
  if (group.endsWith(" decode")) return group.includes(" corpus ") ? 2 : 1.3;
  if (group.endsWith(" encode shared")) return 1;
  if (group.endsWith(" encode")) return 1.5;
  return undefined;
}

interface Ratio {
  /** Baseline average / typed average. */
  ratio: number;
  /** Baseline min / typed min. */
  minRatio: number;
  /** The typed average, in ns. */
  typed: number;
}

/** The ratios of every group in one run. */
function ratios(json: string): Map<string, Ratio> {
  const out = new Map<string, Ratio>();
  const benches = (JSON.parse(json) as { benches: BenchResult[] }).benches;
  type Stats = { avg: number; min: number };
  const groups = new Map<string, { base?: Stats; typed?: Stats }>();
  for (const b of benches) {
    const ok = b.results[0]?.ok;
    if (ok === undefined) continue;
    const g = groups.get(b.group) ?? {};
    if (b.baseline) g.base = ok;
    else g.typed = ok;
    groups.set(b.group, g);
  }
  for (const [group, { base, typed }] of groups) {
    if (base !== undefined && typed !== undefined) {
      out.set(group, {
        ratio: base.avg / typed.avg,
        minRatio: base.min / typed.min,
        typed: typed.avg,
      });
    }
  }
  return out;
}

function time(ns: number): string {
  return ns >= 1e6
    ? `${(ns / 1e6).toFixed(2)} ms`
    : ns >= 1e3
    ? `${(ns / 1e3).toFixed(1)} µs`
    : `${ns.toFixed(0)} ns`;
}

const args = Deno.args;
const from = args.find((a) => a.startsWith("--from="))?.slice(7);
const filter = args.find((a) => a.startsWith("--filter="))?.slice(9);
const save = args.find((a) => a.startsWith("--save="))?.slice(7);
const runs: string[] = [];
if (from !== undefined) {
  for (const file of from.split(",")) runs.push(Deno.readTextFileSync(file));
} else {
  const count = Number(args.find((a) => /^\d+$/.test(a)) ?? 3);
  const bench = new URL("./realistic_bench.ts", import.meta.url).pathname;
  for (let i = 0; i < count; i++) {
    const cmd = ["bench", "--allow-read", "--json", bench];
    if (filter !== undefined) cmd.push("--filter", filter);
    const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: cmd,
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (code !== 0) {
      console.error(new TextDecoder().decode(stderr));
      Deno.exit(code);
    }
    runs.push(new TextDecoder().decode(stdout));
    if (save !== undefined) {
      Deno.writeTextFileSync(`${save}${i + 1}.json`, runs[i]);
    }
    console.error(`run ${i + 1}/${count} done`);
  }
}

const perRun = runs.map(ratios);
const groups = [...perRun[0].keys()];
console.log(
  `${perRun.length} run(s), ${Deno.version.deno}, ${Deno.build.target}\n`,
);
console.log(
  "| group | target | median ratio (avg) | per run | median ratio (min) | typed avg (median) | |",
);
console.log("|---|---|---|---|---|---|---|");
let missed = 0;
for (const group of groups) {
  const rs = perRun.map((r) => r.get(group)).filter((x) => x !== undefined);
  const ratio = median(rs.map((r) => r.ratio));
  const want = target(group);
  const ok = want === undefined ? "" : ratio >= want ? "met" : "**missed**";
  if (want !== undefined && ratio < want) missed++;
  console.log(
    `| ${group} | ${want === undefined ? "–" : `≥ ${want}×`} | ${
      ratio.toFixed(2)
    }× | ${rs.map((r) => r.ratio.toFixed(2)).join(" ")} | ${
      median(rs.map((r) => r.minRatio)).toFixed(2)
    }× | ${time(median(rs.map((r) => r.typed)))} | ${ok} |`,
  );
}
console.log(`\n${missed} group(s) below target`);
