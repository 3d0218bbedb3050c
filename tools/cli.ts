/**
 * The capture inspector: prints the sync frames of a capture, one by one,
 * with their typed bodies; and builds frames from JSON for crafting traffic.
 *
 * ```sh
 * deno task inspect capture.bin             # or: deno run --allow-read jsr:@sync/frame/cli capture.bin
 * xxd -p capture.bin | deno task inspect    # hex (or base64) text on stdin
 * deno task inspect --json capture.bin      # one JSON object per line, for tools
 * deno task inspect --raw capture.bin       # headers and body bytes only
 * deno task inspect --revision 2026-07 capture.bin   # NodeDB ≥ 0.4.0 frames (or --revision auto)
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
 * Rust peer of the revision (zerompk 0.4.1 for 2026-04, 0.7.1 for 2026-07)
 * would, as a tree: integers exact, byte strings as
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

import { FrameError } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import { encodeFromJson, inspect } from "./_inspect.ts";
import { toHex } from "./_render.ts";
import { isPcap } from "./_render_input.ts";
import type { InputFormat } from "./_render_input.ts";

const INPUT_FORMATS = ["binary", "hex", "hex-lines", "base64"] as const;

export { encodeFromJson, inspect } from "./_inspect.ts";
export { KEPT_PROBLEMS } from "./_inspect.ts";
export type {
  EncodeFromJsonOptions,
  InspectFormat,
  InspectOptions,
  InspectProblem,
  InspectResult,
} from "./_inspect.ts";
export type { InputFormat } from "./_render_input.ts";
export type { FrameErrorCode } from "../codec/error.ts";
export type { RevisionName } from "../generated/revisions.ts";

const USAGE = `Usage:
  inspect [--revision R] [--format F] [--json] [--raw] [--max-body-size N] [FILE | -]
  inspect [--revision R] --encode TYPE JSON

Prints the sync frames of a capture (FILE, or stdin for - or no FILE): raw
frames back to back, or their hex or base64 text, or hex with one frame per
line. --json prints one JSON object per line; --raw skips body decoding;
--max-body-size limits body lengths (default 67108864). --revision picks the
wire revision: 2026-04 (default), 2026-07 (NodeDB >= 0.4.0) or auto (the one
whose framing explains the capture; named on stderr). --format forces the
input form: binary, hex (one dump), hex-lines (frames per line) or base64.
A pcap/pcapng capture is read through tshark (apt-get install tshark): each
WebSocket binary message in it is one line of frames.

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
  revision: RevisionName | "auto" | undefined;
  format: InputFormat | undefined;
  encode: [string, string] | undefined;
  path: string | undefined;
}

function parseArgs(args: string[]): Args {
  const out: Args = {
    help: false,
    json: false,
    raw: false,
    maxBodySize: undefined,
    revision: undefined,
    format: undefined,
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
    else if (arg === "--format" || arg.startsWith("--format=")) {
      const value = arg.includes("=")
        ? arg.slice(arg.indexOf("=") + 1)
        : args[++i];
      if (!(INPUT_FORMATS as readonly unknown[]).includes(value)) {
        throw new UsageError(
          `--format takes binary, hex, hex-lines or base64, got ${
            value === undefined ? "nothing" : JSON.stringify(value)
          }`,
        );
      }
      out.format = value as InputFormat;
    } else if (arg === "--revision" || arg.startsWith("--revision=")) {
      const value = arg.includes("=")
        ? arg.slice(arg.indexOf("=") + 1)
        : args[++i];
      if (value !== "2026-04" && value !== "2026-07" && value !== "auto") {
        throw new UsageError(
          `--revision takes 2026-04, 2026-07 or auto, got ${
            value === undefined ? "nothing" : JSON.stringify(value)
          }`,
        );
      }
      out.revision = value;
    } else if (
      arg === "--max-body-size" || arg.startsWith("--max-body-size=")
    ) {
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
    if (out.revision === "auto") {
      throw new UsageError("--encode needs --revision 2026-04 or 2026-07");
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

/**
 * Output lines batched into 64 KiB writes as they are produced: a capture of
 * any size is printed in bounded memory. A closed pipe (`| head`) ends the
 * output quietly.
 */
class LineWriter {
  #parts: string[] = [];
  #size = 0;
  #closed = false;

  line(text: string): void {
    this.#parts.push(text, "\n");
    this.#size += text.length + 1;
    if (this.#size >= 64 * 1024) this.flush();
  }

  flush(): void {
    if (this.#parts.length === 0) return;
    let bytes = encoder.encode(this.#parts.join(""));
    this.#parts = [];
    this.#size = 0;
    if (this.#closed) return;
    try {
      while (bytes.length > 0) {
        bytes = bytes.subarray(Deno.stdout.writeSync(bytes));
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.BrokenPipe)) throw error;
      this.#closed = true;
    }
  }
}

/**
 * A relative path resolved against the caller's working directory: `deno
 * task` runs in the project root and says where it was started in INIT_CWD.
 */
function resolveFromCaller(path: string): string {
  if (path.startsWith("/") || /^[A-Za-z]:[\\/]/.test(path)) return path;
  let base: string | undefined;
  try {
    base = Deno.env.get("INIT_CWD");
  } catch {
    base = undefined; // no --allow-env: the process's own cwd
  }
  return base === undefined ? path : `${base.replace(/\/$/, "")}/${path}`;
}

/**
 * The WebSocket binary messages of a pcap/pcapng capture, one per line as
 * hex, extracted by tshark (read from stdin, so no temporary file).
 */
async function websocketMessages(capture: Uint8Array): Promise<Uint8Array> {
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command("tshark", {
      args: [
        "-r",
        "-",
        "-Y",
        "websocket.opcode == 2",
        "-T",
        "fields",
        "-e",
        "data.data",
      ],
      stdin: "piped",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  } catch (error) {
    throw new InputError(
      error instanceof Deno.errors.NotFound
        ? "this is a pcap/pcapng capture; reading it needs tshark (Debian: apt-get install tshark), which is not installed"
        : `this is a pcap/pcapng capture; tshark could not be started: ${
          error instanceof Error ? error.message : error
        }`,
    );
  }
  const writer = child.stdin.getWriter();
  await writer.write(capture).catch(() => {});
  await writer.close().catch(() => {});
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) {
    throw new InputError(
      `tshark could not read the capture: ${
        new TextDecoder().decode(stderr).trim().split("\n").at(-1)
      }`,
    );
  }
  return stdout;
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
    return await Deno.readFile(resolveFromCaller(path));
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
        const frame = encodeFromJson(type, text, {
          revision: options.revision as RevisionName | undefined,
        });
        await write(Deno.stdout, `${toHex(frame)}\n`);
        return 0;
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        await write(Deno.stderr, `inspect: ${error.code}: ${error.message}\n`);
        return 1;
      }
    }
    let input = await readInput(options.path);
    let format = options.format;
    if (format === undefined && isPcap(input)) {
      input = await websocketMessages(input);
      format = "hex-lines";
    }
    const out = new LineWriter();
    const result = inspect(input, {
      format,
      onLine: (line) => out.line(line),
      json: options.json,
      raw: options.raw,
      maxBodySize: options.maxBodySize,
      revision: options.revision,
    });
    if (options.revision === "auto") {
      await write(
        Deno.stderr,
        `inspect: revision ${result.revision} (auto: its framing explains the capture)\n`,
      );
    }
    out.flush();
    const n = result.problemCount;
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
