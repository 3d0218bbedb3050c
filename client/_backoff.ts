// Reconnect delays: exponential backoff with full jitter (AWS, "Exponential
// Backoff And Jitter"): the n-th delay is uniform in [0, min(max, min × 2^n)).
// The attempt counter resets after each successful handshake.

import { FrameError } from "../codec/error.ts";

/** Backoff settings, validated. */
export interface BackoffConfig {
  readonly minMs: number;
  readonly maxMs: number;
  readonly random: () => number;
}

/** Default smallest cap: 1 s. */
export const DEFAULT_BACKOFF_MIN_MS = 1_000;
/** Default largest cap: 60 s. */
export const DEFAULT_BACKOFF_MAX_MS = 60_000;

function msOption(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new FrameError(
      "bad_value",
      `${name} must be a finite number of milliseconds ≥ 0, got ${
        String(value)
      }`,
    );
  }
  return value;
}

/** Validates `{ minMs, maxMs, random }` (defaults 1 000 / 60 000 / `Math.random`). */
export function backoffConfig(
  value: { minMs?: number; maxMs?: number; random?: () => number } | undefined,
): BackoffConfig {
  if (value !== undefined && (typeof value !== "object" || value === null)) {
    throw new FrameError("bad_value", "backoff must be an object");
  }
  const minMs = msOption("backoff.minMs", value?.minMs, DEFAULT_BACKOFF_MIN_MS);
  const maxMs = msOption(
    "backoff.maxMs",
    value?.maxMs,
    Math.max(minMs, DEFAULT_BACKOFF_MAX_MS),
  );
  if (maxMs < minMs) {
    throw new FrameError(
      "bad_value",
      `backoff.maxMs (${maxMs}) must be at least backoff.minMs (${minMs})`,
    );
  }
  const random = value?.random ?? Math.random;
  if (typeof random !== "function") {
    throw new FrameError("bad_value", "backoff.random must be a function");
  }
  return { minMs, maxMs, random };
}

/** Full-jitter exponential backoff. */
export class Backoff {
  readonly #config: BackoffConfig;
  #attempt = 0;

  constructor(config: BackoffConfig) {
    this.#config = config;
  }

  /** Failed attempts since the last reset. */
  get attempt(): number {
    return this.#attempt;
  }

  /** The cap of the next delay: min(maxMs, minMs × 2^attempt). */
  get cap(): number {
    const { minMs, maxMs } = this.#config;
    if (minMs === 0) return 0;
    return Math.min(maxMs, minMs * 2 ** this.#attempt);
  }

  /** The delay before the next attempt, in whole ms, and counts the attempt. */
  next(): number {
    const cap = this.cap;
    if (cap < this.#config.maxMs && this.#attempt < 64) this.#attempt++;
    let r = Number(this.#config.random());
    if (!(r >= 0)) r = 0;
    if (r >= 1) r = 1 - Number.EPSILON;
    return Math.floor(r * cap);
  }

  /** Starts over from `minMs` (after a successful handshake). */
  reset(): void {
    this.#attempt = 0;
  }
}
