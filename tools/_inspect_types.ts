// The inspector's options and results.

import type { FrameErrorCode } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import type { InputFormat } from "./_render_input.ts";

/** Options for {@linkcode inspect}. */
export interface InspectOptions {
  /**
   * The wire revision of the capture: `"2026-04"` (default), `"2026-07"`, or
   * `"auto"`: the revision whose framing (version byte and CRC-32C) explains
   * the capture, named in {@linkcode InspectResult.revision}.
   */
  revision?: RevisionName | "auto";
  /** One JSON object per frame or problem instead of the text tree. */
  json?: boolean;
  /** Do not decode bodies: show their bytes only. */
  raw?: boolean;
  /**
   * Called with each output line as soon as it is produced, so a capture of
   * any size is printed in bounded memory. The result's `lines` is then
   * empty and its `problems` holds only the first
   * {@linkcode KEPT_PROBLEMS} (`problemCount` has them all).
   */
  onLine?: (line: string) => void;
  /**
   * The input form, instead of telling it apart automatically: `"binary"`,
   * `"hex"` (one dump, lines joined), `"hex-lines"` (each line its own
   * frames) or `"base64"`.
   */
  format?: InputFormat;
  /**
   * Largest accepted body length in bytes; a longer declared length is a
   * `"too_large"` problem. Default 16 MiB (`DEFAULT_MAX_BODY_SIZE`).
   */
  maxBodySize?: number;
}

/** How {@linkcode inspect} read its input. */
export type InspectFormat = "binary" | "hex" | "hex-lines" | "base64";

/** One problem found in the input. */
export interface InspectProblem {
  /** The 1-based input line, for hex read line by line. */
  line?: number;
  /** Byte offset of the problem (in the line's bytes, for hex lines). */
  offset: number;
  /** The stable error code. */
  code: FrameErrorCode;
  /** What is wrong, for people. */
  message: string;
  /** The field path inside the body, for `"bad_body"`. */
  path?: string;
}

/** With `onLine`, how many problems {@linkcode inspect} keeps in its result. */
export const KEPT_PROBLEMS = 100;

/** What {@linkcode inspect} found. */
export interface InspectResult {
  /** How many problems were found (all of them, even past `problems`). */
  problemCount: number;
  /** The revision the capture was read as. */
  revision: RevisionName;
  /** How the input was read. */
  format: InspectFormat;
  /** The number of frames whose header was read (including bad bodies). */
  frames: number;
  /** The output, in order: frames and problems, without line breaks. */
  lines: string[];
  /** Every problem, in input order. */
  problems: InspectProblem[];
}
