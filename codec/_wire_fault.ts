// Faults raised while the generated typed codecs run. A fault unwinds through
// the generated code, which adds path segments (`.field`, `[3]`, `["key"]`) on
// the way out at no cost on the happy path; the public entry points turn it into
// a `FrameError`.

import { FrameError } from "./error.ts";

/** A decode or encode problem on its way out of the generated code. */
export class WireFault {
  /** Path segments, innermost first. */
  readonly segments: string[] = [];
  /** The FrameError code this fault becomes. */
  readonly code: "bad_body" | "bad_value";
  /** What is wrong. */
  readonly reason: string;
  /** Byte offset inside the body (decoding only). */
  readonly offset: number | undefined;

  constructor(
    code: "bad_body" | "bad_value",
    reason: string,
    offset: number | undefined,
  ) {
    this.code = code;
    this.reason = reason;
    this.offset = offset;
  }
}

/** Adds one path segment to a fault passing through; other errors pass unchanged. */
export function within(error: unknown, segment: string): unknown {
  if (error instanceof WireFault && segment !== "") {
    error.segments.push(segment);
  }
  return error;
}

/** The path segment of a map value, from its key. */
export function keySegment(key: string | number | bigint): string {
  return typeof key === "string" ? `[${JSON.stringify(key)}]` : `[${key}]`;
}

/**
 * Turns a fault into the public `FrameError`, rooted at a type name. Any other
 * error (a `FrameError` thrown directly, or a bug) passes unchanged.
 */
export function toFrameError(
  error: unknown,
  root: string,
  msgType?: number,
): unknown {
  if (!(error instanceof WireFault)) return error;
  let path = root;
  for (let i = error.segments.length - 1; i >= 0; i--) {
    path += error.segments[i];
  }
  if (error.code === "bad_body") {
    return new FrameError(
      "bad_body",
      `invalid ${root} body at ${path} (byte ${error.offset}): ${error.reason}`,
      { path, offset: error.offset, msgType },
    );
  }
  return new FrameError("bad_value", `cannot encode ${path}: ${error.reason}`, {
    path,
    msgType,
  });
}

/** A fault for a value that cannot be encoded. */
export function badValue(reason: string): WireFault {
  return new WireFault("bad_value", reason, undefined);
}

export function shown(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v.slice(0, 40));
  if (typeof v === "bigint") return `${v}n`;
  if (v === null || typeof v !== "object") return String(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  return `a ${
    (v as { constructor?: { name?: string } }).constructor?.name ?? "object"
  }`;
}
