/**
 * The validated spec model: what `parseSpec` returns and every emitter reads,
 * and the error it throws.
 *
 * @module
 */

import type { TypeExpr } from "./types.ts";

/** The three directions a message may travel. */
export const DIRECTIONS = [
  "client_to_server",
  "server_to_client",
  "bidirectional",
] as const;

/** A direction as written in the spec. */
export type SpecDirection = typeof DIRECTIONS[number];

/** One validated message entry. */
export interface SpecMessage {
  /** Message type byte, 0–255. */
  code: number;
  /** PascalCase name, unique in the spec. */
  name: string;
  /** Who may send it. */
  direction: SpecDirection;
  /** The protocol's own description. */
  doc: string;
  /** Name of the body struct in {@linkcode Spec.types}. */
  body: string;
}

/** One field of a struct or data variant, in wire order. */
export interface SpecField {
  /** Wire (Rust) name, snake_case. */
  name: string;
  /** The TypeScript property name (camelCase). */
  tsName: string;
  /** The parsed type. */
  type: TypeExpr;
  /** Description. */
  doc: string;
}

/** A struct: a positional array of its fields. */
export interface SpecStruct {
  /** Discriminant. */
  kind: "struct";
  /** PascalCase name. */
  name: string;
  /** Description. */
  doc: string;
  /** Fields in wire order (non-empty). */
  fields: SpecField[];
}

/** One enum variant: unit when `fields` is `null`. */
export interface SpecVariant {
  /** The tag written on the wire (PascalCase). */
  name: string;
  /** Description. */
  doc: string;
  /** Fields of a data variant, or `null` for a unit variant. */
  fields: SpecField[] | null;
}

/** An enum: `[tag, nil]` or `[tag, [fields…]]`. */
export interface SpecEnum {
  /** Discriminant. */
  kind: "enum";
  /** PascalCase name. */
  name: string;
  /** Description. */
  doc: string;
  /** Variants in declaration order (non-empty). */
  variants: SpecVariant[];
}

/** A named type of the spec. */
export type SpecType = SpecStruct | SpecEnum;

/** The header fields a frame layout may have, each of a fixed size. */
export const HEADER_FIELDS = {
  version: 1,
  msg_type: 1,
  length: 4,
  crc32c: 4,
} as const;

/** A header field name. */
export type HeaderField = keyof typeof HEADER_FIELDS;

/** How a revision writes enum unit variants. */
export const UNIT_FORMS = ["tagged_nil", "bare_string"] as const;

/** A unit-variant form. */
export type UnitForm = typeof UNIT_FORMS[number];

/** A frame layout as the spec states it. */
export interface SpecFrame {
  /** Header fields in wire order. */
  header: HeaderField[];
  /** The format version byte, when `header` has `version`. */
  version: number | undefined;
}

/** The protocol's limits as the spec states them. */
export interface SpecLimits {
  /** Most nested structs the peer's reader follows (zerompk `MAX_DEPTH`). */
  maxStructDepth: number;
}

/** A validated spec. */
export interface Spec {
  /** Protocol revision label, e.g. `"2026-04"`. */
  revision: string;
  /** The module users import this revision from, e.g. `"@sync/frame/2026-07"`. */
  entry: string;
  /** The Rust serializer whose bytes the codecs match, e.g. `"zerompk 0.7.1"`. */
  serializer: string;
  /** The handshake `wire_version` of the revision. */
  wireVersion: number;
  /** How enum unit variants are written. */
  unitVariants: UnitForm;
  /** The frame layout. */
  frame: SpecFrame;
  /** The protocol's limits. */
  limits: SpecLimits;
  /** Every struct and enum, in spec order. */
  types: SpecType[];
  /** Messages in spec order. */
  messages: SpecMessage[];
}

/** One problem found in a spec, located by entry and line. */
export interface SpecProblem {
  /** 1-based YAML line, when known. */
  line: number | undefined;
  /** The entry the problem belongs to, e.g. `messages[3] (DeltaAck)`. */
  entry: string;
  /** What is wrong. */
  message: string;
}

/** Thrown when a spec does not validate; lists every problem found. */
export class SpecError extends Error {
  /** All problems, in file order. */
  readonly problems: SpecProblem[];

  /**
   * @param file The spec's path, for the message.
   * @param problems The problems found.
   */
  constructor(file: string, problems: SpecProblem[]) {
    super(
      `${file}: ${problems.length} problem(s)\n` +
        problems.map((p) =>
          `  ${file}:${p.line ?? "?"}: ${p.entry}: ${p.message}`
        ).join("\n"),
    );
    this.name = "SpecError";
    this.problems = problems;
  }
}
