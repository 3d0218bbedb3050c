// The inspector's report: output lines (text or JSON) and problems, one
// frame at a time, bounded when streaming.

import { FrameError } from "../codec/error.ts";
import { maxBodySizeOption } from "../codec/_options.ts";
import {
  type RevisionCodec,
  revisionCodec,
  type RevisionName,
} from "../generated/revisions.ts";
import type {
  SchemaMessage,
  SchemaStruct,
} from "../generated/2026-07/schema.ts";
import {
  bodyToJson,
  JsonObject,
  type JsonValue,
  renderBody,
  shortBytes,
  stringifyJson,
  toHex,
} from "./_render.ts";
import {
  type InspectOptions,
  type InspectProblem,
  KEPT_PROBLEMS,
} from "./_inspect_types.ts";

export function bodyStruct(
  codec: RevisionCodec,
  message: SchemaMessage,
): SchemaStruct {
  const t = codec.schema.types[message.body];
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
export interface Position {
  line?: number;
  offset: number;
}

/** A frame found by the cursor: its type byte and a view of its body. */
export interface FrameView {
  msgType: number;
  body: Uint8Array;
}

/** Collects output lines and problems for one run. */
export class Report {
  readonly lines: string[] = [];
  readonly problems: InspectProblem[] = [];
  problemCount = 0;
  frames = 0;
  readonly #onLine: ((line: string) => void) | undefined;
  readonly json: boolean;
  readonly raw: boolean;
  readonly maxBodySize: number;
  readonly codec: RevisionCodec;
  readonly messages: Map<number, SchemaMessage>;

  constructor(options: InspectOptions | undefined, revision: RevisionName) {
    this.codec = revisionCodec(revision);
    this.messages = new Map(
      this.codec.schema.messages.map((m) => [m.code, m as SchemaMessage]),
    );
    this.#onLine = options?.onLine;
    this.json = options?.json === true;
    this.raw = options?.raw === true;
    // Validated up front, so that even empty input reports a bad option.
    this.maxBodySize = maxBodySizeOption(options?.maxBodySize);
  }

  /** Emits one output line: to `onLine` at once, or kept for the result. */
  #out(text: string): void {
    if (this.#onLine === undefined) this.lines.push(text);
    else this.#onLine(text);
  }

  /** Records a problem (bounded when streaming). */
  #keep(problem: InspectProblem): void {
    this.problemCount++;
    if (this.#onLine === undefined || this.problems.length < KEPT_PROBLEMS) {
      this.problems.push(problem);
    }
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
    this.#keep(problem);
    if (!this.json) {
      this.#out(
        `${this.#where(problem)}: error ${problem.code}: ${problem.message}`,
      );
      return;
    }
    this.#out(stringifyJson(
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
    const message = this.messages.get(msgType)!;
    const struct = bodyStruct(this.codec, message);
    let typed: unknown;
    let bad: InspectProblem | undefined;
    if (!this.raw) {
      try {
        typed = this.codec.decodeMessageBody(msgType, body).body;
      } catch (error) {
        if (!(error instanceof FrameError)) throw error;
        bad = {
          ...(line === undefined ? {} : { line }),
          offset: offset + this.codec.layout.headerSize + (error.offset ?? 0),
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
        entries.push([
          "value",
          bodyToJson(this.codec.schema.types, struct, typed),
        ]);
      }
      if (bad !== undefined) {
        this.#keep(bad);
        entries.push(["error", errorJson(bad)]);
      }
      this.#out(stringifyJson(new JsonObject(entries)));
      return;
    }
    this.#out(
      `${this.#where(at)}: ${
        hexByte(msgType)
      } ${message.name} (${message.direction}), ${body.length}-byte body`,
    );
    if (this.raw || bad !== undefined) {
      this.#out(`  body: ${shortBytes(body)}`);
      if (bad !== undefined) this.problem(bad);
      return;
    }
    for (const text of renderBody(this.codec.schema.types, struct, typed)) {
      this.#out(text);
    }
  }
}

export function errorJson(problem: InspectProblem): JsonObject {
  const entries: [string, JsonValue][] = [["code", problem.code]];
  if (problem.path !== undefined) entries.push(["path", problem.path]);
  // A bad body's own offset differs from its frame's, which the object has.
  if (problem.code === "bad_body") entries.push(["offset", problem.offset]);
  entries.push(["message", problem.message]);
  return new JsonObject(entries);
}
