// Typed body codecs vs @msgpack/msgpack on the realistic corpus
// (bench/realistic_corpus.ts): `deno bench --allow-read bench/realistic_bench.ts`.
//
// Per revision and message type, three groups, each over the type's 16 samples:
//   decode:        typed `decode<Body>` vs `decode` (the baseline; useBigInt64)
//   encode:        typed `encode<Body>` (owned result) vs `Encoder.encode`
//   encode shared: typed `encode<Body>(v, { shared: true })` vs `encodeSharedRef`
// and the same three over each revision's whole corpus (every sample of every
// type), for the realistic and the old-style ASCII profile.
// `deno run --allow-read --allow-run bench/realistic_summary.ts` runs this file
// several times and prints the median ratios against the targets.
import { decode, Encoder } from "@msgpack/msgpack";
import {
  buildCorpus,
  checkCoverage,
  corpusStats,
  DECODE_OPTIONS,
  REVISIONS,
} from "./realistic_corpus.ts";
import type { Profile, Revision, TypeCorpus } from "./realistic_corpus.ts";

const encoder = new Encoder({ useBigInt64: true });
let sink: unknown;

interface Flat {
  decode: (bytes: Uint8Array) => unknown;
  encode: (value: unknown, options?: { shared?: boolean }) => Uint8Array;
  bytes: Uint8Array;
  value: unknown;
  generic: unknown;
}

function flatten(types: readonly TypeCorpus[]): Flat[] {
  return types.flatMap((t) =>
    t.samples.map((s) => ({
      decode: t.codec.decode,
      encode: t.codec.encode,
      bytes: s.bytes,
      value: s.value,
      generic: s.generic,
    }))
  );
}

const SHARED = { shared: true } as const;

/** The three groups of one set of messages. */
function groups(label: string, items: readonly Flat[]): void {
  const n = items.length;
  Deno.bench(`${label} decode: @msgpack/msgpack decode`, {
    group: `${label} decode`,
    baseline: true,
  }, () => {
    for (let i = 0; i < n; i++) sink = decode(items[i].bytes, DECODE_OPTIONS);
  });
  Deno.bench(`${label} decode: typed`, { group: `${label} decode` }, () => {
    for (let i = 0; i < n; i++) sink = items[i].decode(items[i].bytes);
  });
  Deno.bench(`${label} encode: @msgpack/msgpack encode`, {
    group: `${label} encode`,
    baseline: true,
  }, () => {
    for (let i = 0; i < n; i++) sink = encoder.encode(items[i].generic);
  });
  Deno.bench(`${label} encode: typed (owned)`, {
    group: `${label} encode`,
  }, () => {
    for (let i = 0; i < n; i++) sink = items[i].encode(items[i].value);
  });
  Deno.bench(`${label} encode shared: @msgpack/msgpack encodeSharedRef`, {
    group: `${label} encode shared`,
    baseline: true,
  }, () => {
    for (let i = 0; i < n; i++) {
      sink = encoder.encodeSharedRef(items[i].generic);
    }
  });
  Deno.bench(`${label} encode shared: typed { shared: true }`, {
    group: `${label} encode shared`,
  }, () => {
    for (let i = 0; i < n; i++) sink = items[i].encode(items[i].value, SHARED);
  });
}

const corpora = new Map<string, TypeCorpus[]>();
for (const revision of REVISIONS as readonly Revision[]) {
  for (const profile of ["realistic", "ascii"] as Profile[]) {
    const corpus = buildCorpus(revision, profile);
    if (profile === "realistic") checkCoverage(revision, corpusStats(corpus));
    corpora.set(`${revision} ${profile}`, corpus);
  }
}

for (const revision of REVISIONS) {
  groups(`${revision} corpus`, flatten(corpora.get(`${revision} realistic`)!));
  groups(
    `${revision} ascii corpus`,
    flatten(corpora.get(`${revision} ascii`)!),
  );
}
for (const revision of REVISIONS) {
  for (const t of corpora.get(`${revision} realistic`)!) {
    groups(`${revision} ${t.name}`, flatten([t]));
  }
}

// Keep the results observable so nothing is optimized away.
globalThis.addEventListener("unload", () => {
  if (sink === undefined) console.log("no result");
});
