// Validation of the numeric options shared by the stream decoder and the
// WebSocket transport. Invalid options are programming errors, reported as
// FrameError "bad_value" so that only FrameError leaves the public API.

import { DEFAULT_MAX_BODY_SIZE, MAX_BODY_LENGTH } from "./constants.ts";
import { FrameError } from "./error.ts";

/** Validates a `maxBodySize` option (default 16 MiB). */
export function maxBodySizeOption(value: number | undefined): number {
  if (value === undefined) return DEFAULT_MAX_BODY_SIZE;
  if (!Number.isInteger(value) || value < 0 || value > MAX_BODY_LENGTH) {
    throw new FrameError(
      "bad_value",
      `maxBodySize must be an integer from 0 to ${MAX_BODY_LENGTH}, got ${value}`,
    );
  }
  return value;
}

/** Validates a positive integer option such as a queue or buffer limit. */
export function positiveOption(
  name: string,
  value: number | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new FrameError(
      "bad_value",
      `${name} must be a positive integer, got ${value}`,
    );
  }
  return value;
}
