/**
 * The capture inspector: prints the sync frames of a capture, one by one,
 * with their typed bodies; and builds frames from JSON for crafting traffic.
 *
 * ```sh
 * deno task inspect capture.bin             # or: deno run --allow-read jsr:@sync/frame/cli capture.bin
 * xxd -p capture.bin | deno task inspect    # hex (or base64) text on stdin
 * deno task inspect --json capture.bin      # one JSON object per line, for tools
 * deno task inspect --raw capture.bin       # headers and body bytes only
 * deno task inspect --encode PingPong '{"timestamp_ms": 12345, "is_pong": false}'
 * ```
 *
 * Input (a file, or stdin for `-` or no path): frames back to back as raw
 * bytes, or the same bytes as hex or base64 text (told apart automatically;
 * whitespace is ignored), or hex with one frame (or a few) per line. Hex
 * on several lines is read line by line when every line holds whole frames,
 * or when neither the lines nor the joined text do and the lines are not cut
 * at one fixed width; otherwise the lines are joined (as `xxd -p` wraps a
 * dump). Text made only of hex digits (and `0x` prefixes) is
 * hex, never base64.
 *
 * Output: per frame its byte offset (and line, for line-by-line hex), type
 * code, name, direction, body length and the body decoded strictly as the
 * Rust peer (zerompk 0.4.1) would, as a tree: integers exact, byte strings as
 * short hex with their length, nested structs and enums indented. With
 * `--json`, one object per line in the conventions of the reference vectors:
 * Rust field names, bytes as `"hex:…"`, a unit variant as its tag string, a
 * data variant as `{"Tag": {…}}`, None as `null`, and integers as exact bare
 * literals (parse them with a big-integer-aware reader; `--encode` takes them
 * back).
 *
 * Problems are reported with their byte offset and {@linkcode FrameErrorCode}
 * and the inspector goes on where the framing allows: after a bad body, with
 * the next frame; after a framing error inside a hex line, with the next
 * line. In one binary stream an unknown type, a too-large length or a
 * truncated frame loses the framing, so the inspector says so and stops.
 * Exit codes: 0 clean, 1 any problem (or a failed `--encode`), 2 bad usage
 * or an unexpected failure; never a stack trace.
 *
 * @example Inspecting a ping
 * ```ts
 * import { inspect } from "@sync/frame/cli";
 * import assert from "node:assert/strict";
 *
 * const frame = new Uint8Array([0xff, 0x05, 0x00, 0x00, 0x00, 0x92, 0xcd, 0x30, 0x39, 0xc2]);
 * const { lines, problems } = inspect(frame);
 * assert.deepEqual(lines, [
 *   "@0: 0xff PingPong (bidirectional), 5-byte body",
 *   "  timestamp_ms: 12345",
 *   "  is_pong: false",
 * ]);
 * assert.equal(problems.length, 0);
 * ```
 *
 * @module
 */

import {
  decodeMessageBody,
  encodeMessage,
  FrameError,
  type SyncMessageType,
} from "../mod.ts";
import type { FrameErrorCode } from "../mod.ts";
import { FrameCursor } from "../transport/decoder.ts";
import { declaredLength } from "../codec/_header.ts";
import { FRAME_LAYOUT, HEADER_SIZE } from "../generated/2026-04/message_type.ts";
import { maxBodySizeOption } from "../codec/_options.ts";
import { SYNC_SCHEMA } from "../generated/2026-04/schema.ts";
import type {
  SchemaMessage,
  SchemaStruct,
} from "../generated/2026-04/schema.ts";
import {
  bodyFromJson,
  bodyToJson,
  fromHex,
  JsonObject,
  JsonSyntaxError,
  parseJson,
  renderBody,
  shortBytes,
  stringifyJson,
  toHex,
} from "./_render.ts";
import type { JsonValue } from "./_render.ts";
import { classifyInput, decodeBase64 } from "./_render_input.ts";
import type { HexLine } from "./_render_input.ts";

export type { FrameErrorCode } from "../mod.ts";

/** Options for {@linkcode inspect}. */
export interface InspectOptions {
  /** One JSON object per frame or problem instead of the text tree. */
  json?: boolean;
  /** Do not decode bodies: show their bytes only. */
  raw?: boolean;
  /**
   * Largest accepted body length in bytes; a longer declared length is a
   * `"too_large"` problem. Default 64 MiB (`DEFAULT_MAX_BODY_SIZE`).
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

/** What {@linkcode inspect} found. */
export interface InspectResult {
  /** How the input was read. */
  format: InspectFormat;
  /** The number of frames whose header was read (including bad bodies). */
  frames: number;
  /** The output, in order: frames and problems, without line breaks. */
  lines: string[];
  /** Every problem, in input order. */
  problems: InspectProblem[];
}

const MESSAGES = new Map<number, SchemaMessage>(
  SYNC_SCHEMA.messages.map((m) => [m.code, m]),
);

function bodyStruct(message: SchemaMessage): SchemaStruct {
  const t = SYNC_SCHEMA.types[message.body];
  if (t?.kind !== "struct") {
    // The schema and the codecs come from one validated spec.
    throw new Error(`schema: the body of ${message.name} is not a struct`);
  }
  return t;
}

function hexByte(code: number): string {
  return `0x${code.toString(16).padStart(2, "0")}`;
}

/** Where something is: the line (for hex read line by line) and byte offset. */
interface Position {
  line?: number;
  offset: number;
}

/** A frame found by the cursor: its type byte and a view of its body. */
interface FrameView {
  msgType: number;
  body: Uint8Array;
}

/** Collects output lines and problems for one run. */
class Report {
  readonly lines: string[] = [];
  readonly problems: InspectProblem[] = [];
  frames = 0;
  readonly json: boolean;
  readonly raw: boolean;
  readonly maxBodySize: number;

  constructor(options: InspectOptions | undefined) {
    this.json = options?.json === true;
    this.raw = options?.raw === true;
    // Validated up front, so that even empty input reports a bad option.
    this.maxBodySize = maxBodySizeOption(options?.maxBodySize);
  }

  #where({ line, offset }: Position): string {
    return `${line === undefined ? "" : `line ${line} `}@${offset}`;
  }

  #jsonHead({ line, offset }: Position): [string, JsonValue][] {
    const head: [string, JsonValue][] = [];
    if (line !== undefined) head.push(["line", line]);
    head.push(["offset", offset]);
    return head;
  }

  problem(problem: InspectProblem): void {
    this.problems.push(problem);
    if (!this.json) {
      this.lines.push(
        `${this.#where(problem)}: error ${problem.code}: ${problem.message}`,
      );
      return;
    }
    this.lines.push(stringifyJson(
      new JsonObject([
        ...this.#jsonHead(problem),
        ["error", errorJson(problem)],
      ]),
    ));
  }

  frame(at: Position, { msgType, body }: FrameView): void {
    const { line, offset } = at;
    this.frames++;
    // The cursor only yields known types, so the schema has this message.
    const message = MESSAGES.get(msgType)!;
    const struct = bodyStruct(message);
    let typed: unknown;
    let bad: InspectProblem | undefined;
    if (!this.raw) {
      try {
        typed = decodeMessageBody(msgType as SyncMessageType, body).body;
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        bad = {
          ...(line === undefined ? {} : { line }),
          offset: offset + HEADER_SIZE + (error.offset ?? 0),
          code: error.code,
          message: error.message,
          ...(error.path === undefined ? {} : { path: error.path }),
        };
      }
    }
    if (this.json) {
      const entries: [string, JsonValue][] = [
        ...this.#jsonHead(at),
        ["type_code", msgType],
        ["type_name", message.name],
        ["direction", message.direction],
        ["body_length", body.length],
      ];
      if (this.raw || bad !== undefined) {
        entries.push(["body_hex", toHex(body)]);
      } else {
        entries.push(["value", bodyToJson(struct, typed)]);
      }
      if (bad !== undefined) {
        this.problems.push(bad);
        entries.push(["error", errorJson(bad)]);
      }
      this.lines.push(stringifyJson(new JsonObject(entries)));
      return;
    }
    this.lines.push(
      `${this.#where(at)}: ${
        hexByte(msgType)
      } ${message.name} (${message.direction}), ${body.length}-byte body`,
    );
    if (this.raw || bad !== undefined) {
      this.lines.push(`  body: ${shortBytes(body)}`);
      if (bad !== undefined) this.problem(bad);
      return;
    }
    this.lines.push(...renderBody(struct, typed));
  }
}

function errorJson(problem: InspectProblem): JsonObject {
  const entries: [string, JsonValue][] = [["code", problem.code]];
  if (problem.path !== undefined) entries.push(["path", problem.path]);
  // A bad body's own offset differs from its frame's, which the object has.
  if (problem.code === "bad_body") entries.push(["offset", problem.offset]);
  entries.push(["message", problem.message]);
  return new JsonObject(entries);
}

/** The framing error's own words, without the offset the cursor appends. */
function framingMessage(error: FrameError): string {
  return error.message.replace(/ \((?:frame )?at byte \d+\)$/, "");
}

/** Whether `bytes` is one or more whole frames and nothing else. */
function isWholeFrames(bytes: Uint8Array, maxBodySize: number): boolean {
  if (bytes.length === 0) return false;
  const cursor = new FrameCursor(bytes, { maxBodySize });
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
  const cursor = new FrameCursor(bytes, { maxBodySize: report.maxBodySize });
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
  const message = rest < HEADER_SIZE
    ? `${what} ends after ${rest} of the ${HEADER_SIZE} header bytes`
    : `frame declares a ${declaredLength(FRAME_LAYOUT, bytes, at)}-byte body but only ${
      rest - HEADER_SIZE
    } bytes follow the header: ${what} ends inside the frame`;
  report.problem({
    ...(line === undefined ? {} : { line }),
    offset: at,
    code: "truncated",
    message,
  });
}

/** Hex lines: one frame (or more) per line, or one hex dump wrapped. */
function walkHex(report: Report, lines: HexLine[]): InspectFormat {
  const max = report.maxBodySize;
  const decoded = lines.map((l) => fromHex(l.digits));
  const joinedDigits = lines.map((l) => l.digits).join("");
  const allClean = decoded.every((b) =>
    b !== undefined && isWholeFrames(b, max)
  );
  const joined = fromHex(joinedDigits);
  const joinedIsClean = joined !== undefined && isWholeFrames(joined, max);
  // Hex dumps wrap at a fixed width (xxd -p: 60 digits); frames end anywhere.
  const width = lines[0]?.digits.length ?? 0;
  const fixedWidth = lines.every((l, i) =>
    i === lines.length - 1
      ? l.digits.length <= width
      : l.digits.length === width
  );
  const byLine = lines.length > 1 &&
    (allClean || (!joinedIsClean && !fixedWidth));
  if (!byLine) {
    if (joined === undefined) {
      report.problem({
        offset: Math.floor(joinedDigits.length / 2),
        code: "truncated",
        message:
          `odd number of hex digits (${joinedDigits.length}): the input ends inside a byte, so it is not read`,
      });
    } else {
      walk(report, joined);
    }
    return "hex";
  }
  lines.forEach((l, i) => {
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
 * @param options `json` for one JSON object per line, `raw` to skip body
 * decoding, `maxBodySize` (default 64 MiB).
 * @returns The output lines, the problems, the frame count and the input format.
 * @throws {FrameError} `"bad_value"` for an invalid `maxBodySize`.
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
  const report = new Report(options);
  const classified = classifyInput(input);
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
      format = walkHex(report, classified.lines);
      break;
  }
  return {
    format,
    frames: report.frames,
    lines: report.lines,
    problems: report.problems,
  };
}

function messageOf(type: string): SchemaMessage {
  const code = /^0x[0-9a-f]{1,2}$/i.test(type)
    ? parseInt(type.slice(2), 16)
    : /^\d{1,3}$/.test(type)
    ? Number(type)
    : undefined;
  const message = code === undefined
    ? SYNC_SCHEMA.messages.find((m) => m.name === type)
    : MESSAGES.get(code);
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
export function encodeFromJson(type: string, json: string): Uint8Array {
  const message = messageOf(type);
  let value: JsonValue;
  try {
    value = parseJson(json);
  } catch (error) {
    if (!(error instanceof JsonSyntaxError)) throw error;
    throw new FrameError("bad_value", `bad JSON: ${error.message}`, {
      cause: error,
    });
  }
  const body = bodyFromJson(bodyStruct(message), value);
  return encodeMessage(message.code as SyncMessageType, body as never);
}

const USAGE = `Usage:
  inspect [--json] [--raw] [--max-body-size N] [FILE | -]
  inspect --encode TYPE JSON

Prints the sync frames of a capture (FILE, or stdin for - or no FILE): raw
frames back to back, or their hex or base64 text, or hex with one frame per
line. --json prints one JSON object per line; --raw skips body decoding;
--max-body-size limits body lengths (default 67108864).

--encode builds one frame from a JSON body (TYPE is a message name such as
PingPong, or a code such as 0xff; JSON - reads stdin) and prints its hex.

Exit status: 0 clean, 1 problems found (or --encode failed), 2 bad usage.`;

/** Bad arguments: exit code 2 and a pointer to --help. */
class UsageError extends Error {}
/** An input that cannot be read: exit code 2. */
class InputError extends Error {}

interface Args {
  help: boolean;
  json: boolean;
  raw: boolean;
  maxBodySize: number | undefined;
  encode: [string, string] | undefined;
  path: string | undefined;
}

function parseArgs(args: string[]): Args {
  const out: Args = {
    help: false,
    json: false,
    raw: false,
    maxBodySize: undefined,
    encode: undefined,
    path: undefined,
  };
  const operands: string[] = [];
  let encode = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    if (arg === "--") {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg === "-h" || arg === "--help") out.help = true;
    else if (arg === "--json") out.json = true;
    else if (arg === "--raw") out.raw = true;
    else if (arg === "--encode") encode = true;
    else if (arg === "--max-body-size" || arg.startsWith("--max-body-size=")) {
      const value = arg.includes("=")
        ? arg.slice(arg.indexOf("=") + 1)
        : args[++i];
      if (value === undefined || !/^\d+$/.test(value)) {
        throw new UsageError(
          `--max-body-size needs a number of bytes, got ${
            value === undefined ? "nothing" : JSON.stringify(value)
          }`,
        );
      }
      out.maxBodySize = Number(value);
    } else if (arg.startsWith("-") && arg !== "-") {
      throw new UsageError(`unknown option ${arg}`);
    } else operands.push(arg);
  }
  if (out.help) return out;
  if (encode) {
    if (operands.length !== 2) {
      throw new UsageError("--encode needs TYPE and JSON");
    }
    if (out.json || out.raw || out.maxBodySize !== undefined) {
      throw new UsageError("--encode takes no other options");
    }
    out.encode = [operands[0], operands[1]];
    return out;
  }
  if (operands.length > 1) {
    throw new UsageError(`one input at a time, got ${operands.length}`);
  }
  out.path = operands[0];
  return out;
}

const encoder = new TextEncoder();

/** Writes all of `text`; a closed pipe (e.g. `| head`) ends the output quietly. */
async function write(
  stream: { write(p: Uint8Array): Promise<number> },
  text: string,
): Promise<void> {
  let bytes = encoder.encode(text);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(await stream.write(bytes));
  } catch (error) {
    if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
  }
}

async function readInput(path: string | undefined): Promise<Uint8Array> {
  if (path === undefined && Deno.stdin.isTerminal()) {
    // Waiting for a capture typed at the keyboard helps nobody.
    throw new UsageError("no input: give a FILE, or pipe a capture to stdin");
  }
  if (path === undefined || path === "-") {
    return new Uint8Array(
      await new Response(Deno.stdin.readable).arrayBuffer(),
    );
  }
  try {
    return await Deno.readFile(path);
  } catch (error) {
    throw new InputError(
      `cannot read ${path}: ${error instanceof Error ? error.message : error}`,
    );
  }
}

/**
 * Runs the inspector as a command: reads a capture from a file or stdin and
 * prints it, or with `--encode` prints the hex of one frame built from JSON.
 * Output goes to stdout, the one-line summary of problems and errors to
 * stderr. Never throws: every failure becomes one line on stderr.
 *
 * @param args The command-line arguments (see `--help`).
 * @returns The exit code: 0 clean, 1 problems in the input or a failed
 * `--encode`, 2 bad usage or an unexpected failure.
 *
 * @example Crafting a frame
 * ```ts
 * import { main } from "@sync/frame/cli";
 * import assert from "node:assert/strict";
 *
 * // Prints ff0500000092cd3039c2
 * const code = await main(["--encode", "PingPong", '{"timestamp_ms":12345,"is_pong":false}']);
 * assert.equal(code, 0);
 * ```
 */
export async function main(args: string[]): Promise<number> {
  try {
    const options = parseArgs(args);
    if (options.help) {
      await write(Deno.stdout, `${USAGE}\n`);
      return 0;
    }
    if (options.encode !== undefined) {
      const [type, json] = options.encode;
      const text = json === "-"
        ? new TextDecoder().decode(await readInput("-"))
        : json;
      try {
        await write(Deno.stdout, `${toHex(encodeFromJson(type, text))}\n`);
        return 0;
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        await write(Deno.stderr, `inspect: ${error.code}: ${error.message}\n`);
        return 1;
      }
    }
    const input = await readInput(options.path);
    const result = inspect(input, {
      json: options.json,
      raw: options.raw,
      maxBodySize: options.maxBodySize,
    });
    if (result.lines.length > 0) {
      await write(Deno.stdout, `${result.lines.join("\n")}\n`);
    }
    const n = result.problems.length;
    if (n === 0) return 0;
    await write(
      Deno.stderr,
      `inspect: ${n} problem${n === 1 ? "" : "s"} (${result.frames} frame${
        result.frames === 1 ? "" : "s"
      } read)\n`,
    );
    return 1;
  } catch (error) {
    try {
      if (error instanceof UsageError) {
        await write(Deno.stderr, `inspect: ${error.message} (see --help)\n`);
      } else if (error instanceof InputError) {
        await write(Deno.stderr, `inspect: ${error.message}\n`);
      } else if (error instanceof FrameError) {
        await write(Deno.stderr, `inspect: ${error.code}: ${error.message}\n`);
      } else {
        const text = error instanceof Error
          ? `${error.name}: ${error.message}`
          : String(error);
        await write(
          Deno.stderr,
          `inspect: unexpected error: ${text.split("\n")[0]}\n`,
        );
      }
    } catch {
      // stderr itself failed; the exit code still tells.
    }
    return 2;
  }
}

if (import.meta.main) Deno.exit(await main(Deno.args));
