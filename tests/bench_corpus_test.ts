// The speed bench's realistic corpus (bench/realistic_corpus.ts) is what the
// speed issue asks for, the same on every run, and made of real bodies: each
// sample's bytes decode back to its typed value, re-encode to the same bytes,
// and are what @msgpack/msgpack reads as the sample's generic value.
import assert from "node:assert/strict";
import { decode } from "@msgpack/msgpack";
import {
  buildCorpus,
  checkCoverage,
  corpusStats,
  DECODE_OPTIONS,
  REVISIONS,
} from "../bench/realistic_corpus.ts";

for (const revision of REVISIONS) {
  Deno.test(`${revision} realistic bench corpus covers every type, 2/3/4-byte UTF-8, strings of 1–300 bytes, maps of 0–20, u64s on both sides of 2^53`, () => {
    const stats = corpusStats(buildCorpus(revision, "realistic"));
    checkCoverage(revision, stats);
    assert.equal(stats.messages, stats.types * 16);
    assert.equal(stats.maxStringBytes, 300);
    assert.ok(stats.byWidth[4] > 0 && stats.byWidth[3] > 0);
  });

  Deno.test(`${revision} bench corpora are the same on every build and every sample round-trips`, () => {
    for (const profile of ["realistic", "ascii"] as const) {
      const a = buildCorpus(revision, profile);
      const b = buildCorpus(revision, profile);
      assert.equal(a.length, b.length);
      for (let t = 0; t < a.length; t++) {
        const { codec, samples, name } = a[t];
        assert.equal(samples.length, 16, name);
        for (let i = 0; i < samples.length; i++) {
          const s = samples[i];
          assert.deepEqual(s.bytes, b[t].samples[i].bytes, `${name} #${i}`);
          assert.deepEqual(codec.decode(s.bytes), s.value, `${name} #${i}`);
          assert.deepEqual(codec.encode(s.value), s.bytes, `${name} #${i}`);
          assert.deepEqual(decode(s.bytes, DECODE_OPTIONS), s.generic);
        }
      }
    }
  });
}

Deno.test("checkCoverage() names what a corpus lacks", () => {
  const stats = corpusStats(buildCorpus("2026-04", "ascii"));
  assert.throws(
    () => checkCoverage("2026-04", stats),
    /2026-04 corpus lacks .*UTF-8 width.*strings of 1–300 bytes/,
  );
});
