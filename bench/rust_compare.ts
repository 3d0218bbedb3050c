// Side-by-side frame speed: a std-only Rust port (bench/rust_port.rs, built
// with `rustc -O`) and this library, measured in the same run on the same
// frame sizes, printed as one table with the TypeScript / Rust ratio.
// `deno task bench:rust`; needs `rustc` on PATH.
import { SyncFrame, SyncMessageType } from "../mod.ts";
import { FrameCursor } from "../transport/stream.ts";

const FRAMES = 256;
let sink = 0;

const collectGarbage = (globalThis as { gc?: () => void }).gc;

/** Nanoseconds per call of `fn(i)`, after a warm-up of the same length. */
function time(iterations: number, fn: (i: number) => void): number {
  for (let i = 0; i < iterations; i++) fn(i);
  // Start each case with no garbage left over from the one before.
  collectGarbage?.();
  const start = performance.now();
  for (let i = 0; i < iterations; i++) fn(i);
  return ((performance.now() - start) * 1e6) / iterations;
}

function typescriptCases(): Map<string, number> {
  const results = new Map<string, number>();
  for (const size of [16, 256, 4096, 65536]) {
    const frames = Array.from(
      { length: FRAMES },
      (_, i) =>
        new SyncFrame(
          SyncMessageType.DeltaPush,
          new Uint8Array(size).fill(i & 0xff),
        ),
    );
    const wire = frames.map((f) => f.toBytes().slice());
    const iterations = size >= 4096 ? 200_000 : 2_000_000;
    const out = new Uint8Array(5 + size);
    results.set(
      `decode view ${size} B`,
      time(iterations, (i) => {
        sink ^= SyncFrame.decode(wire[i & (FRAMES - 1)]).body.length;
      }),
    );
    results.set(
      `decode copy ${size} B`,
      time(iterations, (i) => {
        sink ^= SyncFrame.decode(wire[i & (FRAMES - 1)], { copy: true }).body
          .length;
      }),
    );
    results.set(
      `encode (allocating) ${size} B`,
      time(iterations, (i) => {
        sink ^= frames[i & (FRAMES - 1)].toBytes().length;
      }),
    );
    results.set(
      `encode into ${size} B`,
      time(iterations, (i) => {
        sink ^= frames[i & (FRAMES - 1)].encodeInto(out);
      }),
    );
  }
  const one = new SyncFrame(SyncMessageType.PingPong, new Uint8Array(16))
    .toBytes();
  const buffer = new Uint8Array(one.length * FRAMES);
  for (let k = 0; k < FRAMES; k++) buffer.set(one, k * one.length);
  const rounds = 100_000;
  results.set(
    "header walk",
    time(rounds, () => {
      const cursor = new FrameCursor(buffer);
      while (cursor.next()) sink ^= cursor.bodyEnd;
    }) / FRAMES,
  );
  return results;
}

async function rustCases(): Promise<Map<string, number>> {
  const dir = await Deno.makeTempDir({ prefix: "sync-frame-rust-" });
  try {
    const binary = `${dir}/rust_port`;
    const source = new URL("rust_port.rs", import.meta.url).pathname;
    const build = await new Deno.Command("rustc", {
      args: ["-O", "--edition", "2021", "-o", binary, source],
    }).output();
    if (build.code !== 0) {
      throw new Error(
        `rustc failed:\n${new TextDecoder().decode(build.stderr)}`,
      );
    }
    const run = await new Deno.Command(binary).output();
    const results = new Map<string, number>();
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

const rust = await rustCases();
const typescript = typescriptCases();
console.log(
  `frame codec, ns per frame (${Deno.build.arch}, Deno ${Deno.version.deno}, ${
    new Date().toISOString().slice(0, 10)
  })\n`,
);
console.log("| case | Rust (std) | @sync/frame | TS / Rust |");
console.log("| --- | ---: | ---: | ---: |");
for (const [name, rustNs] of rust) {
  const tsNs = typescript.get(name);
  if (tsNs === undefined) continue;
  console.log(
    `| ${name} | ${rustNs.toFixed(1)} | ${tsNs.toFixed(1)} | ${
      (tsNs / rustNs).toFixed(1)
    }× |`,
  );
}
if (sink === 0.5) console.log(sink);
