/**
 * How emitters and test helpers read the table of field kinds
 * (`kind_table.ts`, one row per kind; the row's shape is in
 * `kind_types.ts`): which row describes a type, and the TS type, Rust type,
 * wire form and doc notes of any type expression.
 *
 * @module
 */

import type { TypeExpr } from "./types.ts";
import { isU8List, typeText } from "./types.ts";
import { FIELD_KINDS } from "./kind_table.ts";
import type { FieldKind, KindName, TypeEnv } from "./kind_types.ts";

export type * from "./kind_types.ts";

/** Which row describes `t`. */
export function kindOf(t: TypeExpr): KindName {
  if (t.kind === "scalar") return t.name;
  if (isU8List(t)) return "u8list";
  return t.kind;
}

/** A stable identifier fragment for a container type, e.g. `map_string_u64`. */
export function slug(t: TypeExpr): string {
  return typeText(t).replace(/[<>, ]+/g, "_").replace(/_+$/, "");
}

/**
 * One example type per row, children named `T`, `K`, `V` (`u8xN` for fixed):
 * what the protocol reference's wire-form table shows.
 */
export const KIND_EXAMPLES: Readonly<Record<KindName, TypeExpr>> = {
  u8: { kind: "scalar", name: "u8" },
  u16: { kind: "scalar", name: "u16" },
  u32: { kind: "scalar", name: "u32" },
  u64: { kind: "scalar", name: "u64" },
  usize: { kind: "scalar", name: "usize" },
  i64: { kind: "scalar", name: "i64" },
  f32: { kind: "scalar", name: "f32" },
  bool: { kind: "scalar", name: "bool" },
  string: { kind: "scalar", name: "string" },
  bytes: { kind: "scalar", name: "bytes" },
  msgpack: { kind: "scalar", name: "msgpack" },
  // The length prints as `N` in the example.
  fixed: { kind: "fixed", length: "N" as unknown as number },
  u8list: { kind: "list", item: { kind: "scalar", name: "u8" } },
  list: { kind: "list", item: { kind: "named", name: "T" } },
  map: {
    kind: "map",
    key: { kind: "named", name: "K" },
    value: { kind: "named", name: "V" },
  },
  option: { kind: "option", item: { kind: "named", name: "T" } },
  tuple: {
    kind: "tuple",
    items: [{ kind: "named", name: "A" }, { kind: "named", name: "B" }],
  },
  named: { kind: "named", name: "Name" },
};

/** The row that describes `t`. */
export function fieldKind(t: TypeExpr): FieldKind {
  return FIELD_KINDS[kindOf(t)];
}

/** Every row, by name (for tests that check the table is complete). */
export const KIND_NAMES: readonly KindName[] = Object.keys(
  FIELD_KINDS,
) as KindName[];

/** A {@linkcode TypeEnv} over the named types of a spec. */
export function typeEnv(
  fieldCount: (name: string) => number | undefined,
  sampleNamed: (name: string) => string,
): TypeEnv {
  const env: TypeEnv = {
    fieldCount,
    ts: (t) => fieldKind(t).ts(t, env),
    rust: (t) => fieldKind(t).rust(t, env),
    wire: (t) => fieldKind(t).wire(t, env),
    sample: (t) =>
      t.kind === "named" ? sampleNamed(t.name) : fieldKind(t).sample(t, env),
  };
  return env;
}

/** The TypeScript type of `t` (named types by name). */
export function tsType(t: TypeExpr): string {
  return BASIC_ENV.ts(t);
}

/** The Rust type `t` stands for. */
export function rustType(t: TypeExpr): string {
  return BASIC_ENV.rust(t);
}

/** The doc notes of a field of type `t`: its own row's, and an option's item's. */
export function kindNotes(t: TypeExpr): string[] {
  const own = [...fieldKind(t).notes];
  if (t.kind === "option") own.push(...fieldKind(t.item).notes);
  return own;
}

const BASIC_ENV = typeEnv(() => undefined, (name) => name);
