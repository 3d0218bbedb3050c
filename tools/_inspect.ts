// The inspector's work, apart from its command line (tools/cli.ts): walking
// a capture frame by frame for a revision, reporting typed bodies and
// problems, and building frames from JSON.

import { FrameError } from "../codec/error.ts";
import { FrameCursor } from "../transport/decoder.ts";
import { declaredLength } from "../codec/_header.ts";
import { maxBodySizeOption } from "../codec/_options.ts";
import {
  REVISION_NAMES,
  type RevisionCodec,
  revisionCodec,
  type RevisionName,
} from "../generated/revisions.ts";
import type { SchemaMessage } from "../generated/2026-07/schema.ts";
import {
  bodyFromJson,
  fromHex,
  JsonSyntaxError,
  type JsonValue,
  parseJson,
} from "./_render.ts";
import { classifyInput, decodeBase64, type HexLine } from "./_render_input.ts";
import { bodyStruct, Report } from "./_report.ts";
import type {
  InspectFormat,
  InspectOptions,
  InspectProblem,
  InspectResult,
} from "./_inspect_types.ts";

export type {
  InspectFormat,
  InspectOptions,
  InspectProblem,
  InspectResult,
} from "./_inspect_types.ts";
export { KEPT_PROBLEMS } from "./_inspect_types.ts";

/** The framing error's own words, without the offset the cursor appends. */
function framingMessage(error: FrameError): string {
  return error.message.replace(/ \((?:frame )?at byte \d+\)$/, "");
}

/** Whether `bytes` is one or more whole frames and nothing else. */
function isWholeFrames(
  bytes: Uint8Array,
  maxBodySize: number,
  revision: RevisionName,
): boolean {
  if (bytes.length === 0) return false;
  const cursor = new FrameCursor(bytes, { maxBodySize, revision });
  try {
    while (cursor.next());
  } catch (error) {
    if (error instanceof FrameError) return false;
    throw error;
  }
  return cursor.offset === bytes.length;
}

/**
 * Reports every frame of `bytes` and the first framing problem, after which
 * the rest of `bytes` cannot be read.
 */
function walk(
  report: Report,
  bytes: Uint8Array,
  { line, note = "" }: { line?: number; note?: string } = {},
): void {
  const cursor = new FrameCursor(bytes, {
    maxBodySize: report.maxBodySize,
    revision: report.codec.name,
  });
  const lost = (rest: number) =>
    line === undefined
      ? `; the framing is lost, so the remaining ${rest} bytes are not read`
      : `; the rest of line ${line} (${rest} bytes) is skipped`;
  for (;;) {
    const at = cursor.offset;
    try {
      if (!cursor.next()) break;
    } catch (error) {
      if (!(error instanceof FrameError)) throw error;
      report.problem({
        ...(line === undefined ? {} : { line }),
        offset: at,
        code: error.code,
        message: framingMessage(error) + lost(bytes.length - at) + note,
      });
      return;
    }
    report.frame(line === undefined ? { offset: at } : { line, offset: at }, {
      msgType: cursor.msgType,
      body: bytes.subarray(cursor.bodyStart, cursor.bodyEnd),
    });
  }
  const at = cursor.offset;
  const rest = bytes.length - at;
  if (rest === 0) return;
  const what = line === undefined ? "the input" : `line ${line}`;
  // The cursor stops without an error only before an incomplete frame.
  const { layout } = report.codec;
  const message = rest < layout.headerSize
    ? `${what} ends after ${rest} of the ${layout.headerSize} header bytes`
    : `frame declares a ${
      declaredLength(layout, bytes, at)
    }-byte body but only ${
      rest - layout.headerSize
    } bytes follow the header: ${what} ends inside the frame`;
  report.problem({
    ...(line === undefined ? {} : { line }),
    offset: at,
    code: "truncated",
    message,
  });
}

/** The problem of a line's stray character. */
function strayProblem(l: HexLine, rest: string): InspectProblem {
  const stray = l.stray!;
  return {
    line: l.line,
    offset: Math.floor(l.digits.length / 2),
    code: "bad_message",
    message: `${
      JSON.stringify(stray.char)
    } at line ${l.line} column ${stray.column} (character ${stray.offset}) is not a hex digit${rest}`,
  };
}

/**
 * Hex lines: one frame (or more) per line, or one hex dump wrapped (`byLine`
 * forces the choice).
 */
function walkHex(
  report: Report,
  lines: HexLine[],
  forceByLine?: boolean,
): InspectFormat {
  const max = report.maxBodySize;
  const revision = report.codec.name;
  const decoded = lines.map((l) => fromHex(l.digits));
  const allClean = lines.every((l, i) =>
    l.stray === undefined && decoded[i] !== undefined &&
    isWholeFrames(decoded[i]!, max, revision)
  );
  const strayAt = lines.findIndex((l) => l.stray !== undefined);
  const usable = strayAt < 0 ? lines : lines.slice(0, strayAt + 1);
  const joinedDigits = usable.map((l) => l.digits).join("");
  const joined = fromHex(joinedDigits);
  const joinedIsClean = strayAt < 0 && joined !== undefined &&
    isWholeFrames(joined, max, revision);
  // Hex dumps wrap at a fixed width (xxd -p: 60 digits); frames end anywhere.
  const width = lines[0]?.digits.length ?? 0;
  const fixedWidth = lines.every((l, i) =>
    i === lines.length - 1
      ? l.digits.length <= width
      : l.digits.length === width
  );
  const byLine = forceByLine ??
    (lines.length > 1 && (allClean || (!joinedIsClean && !fixedWidth)));
  if (!byLine) {
    // An odd last digit costs only the last frame: read the whole bytes.
    const odd = joinedDigits.length % 2 === 1;
    const bytes = fromHex(odd ? joinedDigits.slice(0, -1) : joinedDigits)!;
    walk(report, bytes);
    if (strayAt >= 0) {
      report.problem(
        strayProblem(
          lines[strayAt],
          `: the hex text is read up to it (${bytes.length} bytes) and not after`,
        ),
      );
    } else if (odd) {
      report.problem({
        offset: bytes.length,
        code: "truncated",
        message:
          `odd number of hex digits (${joinedDigits.length}): the last digit is not a whole byte and is dropped`,
      });
    }
    return "hex";
  }
  lines.forEach((l, i) => {
    if (l.stray !== undefined) {
      report.problem(strayProblem(l, `, so line ${l.line} is skipped`));
      return;
    }
    const bytes = decoded[i];
    if (bytes === undefined) {
      report.problem({
        line: l.line,
        offset: Math.floor(l.digits.length / 2),
        code: "truncated",
        message:
          `odd number of hex digits (${l.digits.length}): line ${l.line} ends inside a byte, so it is skipped`,
      });
      return;
    }
    walk(report, bytes, { line: l.line });
  });
  return "hex-lines";
}

/**
 * Inspects a capture: every frame with its typed body, and every problem.
 *
 * Never throws for bad input: each problem becomes an
 * {@linkcode InspectProblem} and an output line, and reading goes on where
 * the framing allows (see the module documentation).
 *
 * @param input The capture: raw frames back to back, or their hex or base64
 * text (detected automatically), or hex with one frame per line.
 * @param options `revision` (`"2026-04"` by default, `"2026-07"` or
 * `"auto"`), `json` for one JSON object per line, `raw` to skip body
 * decoding, `maxBodySize` (default 16 MiB).
 * @returns The output lines, the problems, the frame count and the input format.
 * @throws {FrameError} `"bad_value"` for an input that is not a `Uint8Array`,
 * or an invalid `maxBodySize` or revision.
 *
 * @example A bad body is reported and the next frame is still read
 * ```ts
 * import { inspect } from "@sync/frame/cli";
 * import assert from "node:assert/strict";
 *
 * // A pong whose is_pong is the integer 0 instead of a bool, then a good ping.
 * const text = "ff0500000092cd303900\nff0500000092cd3039c2\n";
 * const result = inspect(new TextEncoder().encode(text), { json: true });
 * assert.equal(result.format, "hex-lines");
 * assert.deepEqual(result.problems.map((p) => [p.line, p.offset, p.code, p.path]), [
 *   [1, 9, "bad_body", "PingPongMsg.is_pong"],
 * ]);
 * assert.equal(
 *   result.lines[1],
 *   '{"line":2,"offset":0,"type_code":255,"type_name":"PingPong","direction":"bidirectional","body_length":5,"value":{"timestamp_ms":12345,"is_pong":false}}',
 * );
 * ```
 */
export function inspect(
  input: Uint8Array,
  options?: InspectOptions,
): InspectResult {
  if (!(input instanceof Uint8Array)) {
    throw new FrameError("bad_value", "inspect() reads a Uint8Array");
  }
  const classified = classifyInput(input, options?.format);
  const report = new Report(
    options,
    chooseRevision(classified, options, input),
  );
  let format: InspectFormat;
  switch (classified.kind) {
    case "binary":
      format = "binary";
      walk(report, input, {
        note: classified.text
          ? " (the input is text, but neither hex nor base64)"
          : "",
      });
      break;
    case "base64": {
      format = "base64";
      const bytes = decodeBase64(classified.text);
      if (bytes === undefined) {
        report.problem({
          offset: Math.floor(classified.text.replace(/=+$/, "").length * 3 / 4),
          code: "truncated",
          message:
            "the base64 text ends inside a byte (its length is 1 more than a multiple of 4), so it is not read",
        });
      } else {
        walk(report, bytes);
      }
      break;
    }
    case "hex":
      format = walkHex(report, classified.lines, classified.byLine);
      break;
    case "pcap":
      format = "binary";
      report.problem({
        offset: 0,
        code: "bad_message",
        message:
          "this is a pcap/pcapng packet capture: its WebSocket messages must be extracted first (the inspect command does it with tshark)",
      });
      break;
  }
  return {
    revision: report.codec.name,
    format,
    frames: report.frames,
    lines: report.lines,
    problems: report.problems,
    problemCount: report.problemCount,
  };
}

/** The bytes of the capture for telling revisions apart (hex lines joined). */
function captureBytes(
  classified: ReturnType<typeof classifyInput>,
  input: Uint8Array,
): Uint8Array[] {
  switch (classified.kind) {
    case "binary":
      return [input];
    case "base64": {
      const bytes = decodeBase64(classified.text);
      return bytes === undefined ? [] : [bytes];
    }
    case "hex":
      return classified.lines.map((l) => fromHex(l.digits)).filter((b) =>
        b !== undefined
      ) as Uint8Array[];
    case "pcap":
      return [];
  }
}

/**
 * The revision to read with: the option, or for `"auto"` the first revision
 * whose framing explains the most frames of the capture (ties: the newest).
 */
function chooseRevision(
  classified: ReturnType<typeof classifyInput>,
  options: InspectOptions | undefined,
  input?: Uint8Array,
): RevisionName {
  const wanted = options?.revision;
  if (wanted !== "auto") return revisionCodec(wanted).name;
  const max = maxBodySizeOption(options?.maxBodySize);
  const pieces = captureBytes(classified, input ?? new Uint8Array(0));
  let best: RevisionName = REVISION_NAMES[0];
  let bestFrames = -1;
  for (const name of REVISION_NAMES) {
    let frames = 0;
    for (const bytes of pieces) {
      const cursor = new FrameCursor(bytes, {
        maxBodySize: max,
        revision: name,
      });
      try {
        while (cursor.next()) frames++;
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
      }
    }
    if (frames >= bestFrames) {
      best = name;
      bestFrames = frames;
    }
  }
  return best;
}

function messageOf(codec: RevisionCodec, type: string): SchemaMessage {
  const code = /^0x[0-9a-f]{1,2}$/i.test(type)
    ? parseInt(type.slice(2), 16)
    : /^\d{1,3}$/.test(type)
    ? Number(type)
    : undefined;
  const messages = codec.schema.messages as readonly SchemaMessage[];
  const message = code === undefined
    ? messages.find((m) => m.name === type)
    : messages.find((m) => m.code === code);
  if (message === undefined) {
    throw new FrameError(
      "unknown_type",
      `unknown message type ${
        JSON.stringify(type)
      } (a name such as PingPong, case-sensitive, or a code such as 0xff)`,
      code === undefined || code > 0xff ? {} : { msgType: code },
    );
  }
  return message;
}

/** Options for {@linkcode encodeFromJson}. */
export interface EncodeFromJsonOptions {
  /** The wire revision of the frame (default `"2026-04"`). */
  revision?: RevisionName;
}

/**
 * Builds one frame from a JSON body, in the conventions of `--json` output
 * and of the reference vectors (Rust field names, `"hex:…"` bytes, integers
 * as literals or decimal strings, unit variants as tag strings, data variants
 * as `{"Tag": {…}}`, None as `null`). Every field is required and unknown
 * fields are refused.
 *
 * @param type A message name such as `"PingPong"` (case-sensitive), or a type
 * code such as `"0xff"` or `"255"`.
 * @param json The body as JSON text.
 * @param options `revision` (default `"2026-04"`).
 * @returns The frame's bytes, as the Rust peer would write them.
 * @throws {FrameError} `"unknown_type"` for an unknown type; `"bad_value"`
 * for text that is not JSON, or a value that does not fit its field, with the
 * field `path` (e.g. `DeltaAckMsg.mutation_id`).
 *
 * @example
 * ```ts
 * import { encodeFromJson } from "@sync/frame/cli";
 * import { FrameError } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const frame = encodeFromJson("PingPong", '{"timestamp_ms": 12345, "is_pong": false}');
 * assert.deepEqual(Array.from(frame), [0xff, 0x05, 0x00, 0x00, 0x00, 0x92, 0xcd, 0x30, 0x39, 0xc2]);
 * assert.throws(
 *   () => encodeFromJson("0x11", '{"mutation_id": -1, "lsn": 0, "clock_skew_warning_ms": null}'),
 *   (e) => e instanceof FrameError && e.code === "bad_value" && e.path === "DeltaAckMsg.mutation_id",
 * );
 * ```
 */
export function encodeFromJson(
  type: string,
  json: string,
  options?: EncodeFromJsonOptions,
): Uint8Array {
  if (typeof type !== "string" || typeof json !== "string") {
    throw new FrameError(
      "bad_value",
      "encodeFromJson() takes a type name and JSON text",
    );
  }
  const codec = revisionCodec(options?.revision);
  const message = messageOf(codec, type);
  let value: JsonValue;
  try {
    value = parseJson(json);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new FrameError("bad_value", `bad JSON: ${error.message}`, {
      cause: error,
    });
  }
  const body = bodyFromJson(
    codec.schema.types,
    bodyStruct(codec, message),
    value,
  );
  return codec.encodeMessage(message.code, body);
}
