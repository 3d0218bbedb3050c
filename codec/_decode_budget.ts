// The decoding budget: what each decoded value costs in memory, charged as it
// is created by the typed reader (_wire_reader.ts) and the generic reader
// (_msgpack.ts), so that no body makes the process retain more than its
// budget (default 16 × the body + 64 MiB).

import { FrameError } from "./error.ts";

/**
 * What each decoded value is charged against the decoding budget, in bytes:
 * its V8 heap cost measured with `Deno.memoryUsage()` (Deno 2.9, 64-bit,
 * pointer compression), rounded up. `n` is the item, entry or byte count.
 */
export const DECODE_COSTS = {
  /** A JS array of `n` items, grown by push (empty: 32). */
  array: (n: number): number => n === 0 ? 32 : 184 + 12 * n,
  /** A struct object or tuple of `n` fields. */
  struct: (n: number): number => 48 + 8 * n,
  /** A plain object of `n` keys (generic maps). */
  object: (n: number): number => 56 + 40 * n,
  /** A `Map` of `n` entries. */
  map: (n: number): number => 184 + 40 * n,
  /** A string of `n` UTF-8 bytes. */
  string: (n: number): number => 24 + n,
  /** A `Uint8Array` view of the body. */
  view: 104,
  /** A `Uint8Array` of its own of `n` bytes. */
  buffer: (n: number): number => 200 + n,
  /** A bigint outside the shared small ones (0–255). */
  bigint: 24,
  /** A float. */
  float: 16,
  /** A unit-variant object `{ kind }`. */
  unit: 32,
  /** Per input byte of a generic MessagePack value (its worst case: `c4 00`). */
  genericByte: 104,
} as const;

/** The default decoding budget of a body of `length` bytes. */
export function defaultDecodeBudget(length: number): number {
  return 16 * length + 64 * 1024 * 1024;
}

/** The reason text of a passed budget. */
export function budgetExceeded(length: number, budget: number): string {
  return `decoding budget exceeded: the values of this ${length}-byte body would take more than ${budget} bytes of memory (the default is 16 × the body + 64 MiB; see decodeBudget)`;
}

/**
 * Validates a `decodeBudget` option.
 *
 * @throws {FrameError} `"bad_value"` unless it is a number ≥ 0.
 */
export function budgetOption(value: unknown, length: number): number {
  if (value === undefined) return defaultDecodeBudget(length);
  if (typeof value !== "number" || !(value >= 0)) {
    throw new FrameError(
      "bad_value",
      `decodeBudget must be a number of bytes ≥ 0, got ${String(value)}`,
    );
  }
  return value;
}
