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
  /** The foreign error this fault wraps, if any. */
  readonly cause: unknown;

  constructor(
    code: "bad_body" | "bad_value",
    reason: string,
    offset: number | undefined,
    cause?: unknown,
  ) {
    this.code = code;
    this.reason = reason;
    this.offset = offset;
    this.cause = cause;
  }
}

/**
 * Adds one path segment to a fault passing through. Any other error — a
 * throwing getter, a Proxy trap or a Map iterator of the value being encoded —
 * becomes a `bad_value` fault first, so that only `FrameError` leaves the
 * public API and the error still names the field it came from.
 */
export function within(error: unknown, segment: string): unknown {
  const fault = error instanceof WireFault || error instanceof FrameError
    ? error
    : foreign(error);
  if (fault instanceof WireFault && segment !== "") {
    fault.segments.push(segment);
  }
  return fault;
}

/** A fault for an error that the value itself threw while being read. */
function foreign(error: unknown): WireFault {
  const text = error instanceof Error
    ? `${error.name}: ${error.message}`
    : String(error);
  return new WireFault(
    "bad_value",
    `reading the value threw ${text}`,
    undefined,
    error,
  );
}

/** The path segment of a map value, from its key. */
export function keySegment(key: string | number | bigint): string {
  return typeof key === "string" ? `[${JSON.stringify(key)}]` : `[${key}]`;
}

/**
 * Turns a fault into the public `FrameError`, rooted at a type name. A
 * `FrameError` thrown directly passes unchanged; any other error becomes
 * `bad_value` with the error as its `cause`.
 */
export function toFrameError(
  error: unknown,
  root: string,
  msgType?: number,
): unknown {
  if (error instanceof FrameError) return error;
  if (!(error instanceof WireFault)) {
    return toFrameError(foreign(error), root, msgType);
  }
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
    cause: error.cause,
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
