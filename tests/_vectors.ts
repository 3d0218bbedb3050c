// Loads the reference byte vectors (both revisions) shared by the test files.

/** One vector of `vectors-2026-04.json` or `vectors-2026-07.json`. */
export interface Vector {
  name: string;
  type_code: number;
  type_name: string;
  body_hex: string;
  frame_hex: string;
  value: unknown;
  note?: string;
}

const here = new URL(".", import.meta.url);

/**
 * The vectors are copied into `tests/fixtures/` so a clone tests on its own;
 * `frame_vectors_test.ts` checks the copy against `../shared/reference` when present.
 */
export const VECTORS_PATH: URL = new URL("fixtures/vectors-2026-04.json", here);

/** All 20 reference vectors. */
export const VECTORS: Vector[] = JSON.parse(
  Deno.readTextFileSync(VECTORS_PATH),
);

/** The July 2026 vectors' copy (`vectors-2026-07.json`, reference §10). */
export const VECTORS_2026_07_PATH: URL = new URL(
  "fixtures/vectors-2026-07.json",
  here,
);

/** All 77 reference vectors of the July 2026 revision. */
export const VECTORS_2026_07: Vector[] = JSON.parse(
  Deno.readTextFileSync(VECTORS_2026_07_PATH),
);

/** Hex text (spaces allowed) to bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

/** Bytes to lowercase hex text. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}
