// Spec-driven helpers for the typed-body tests, per wire revision: the parsed
// spec, the conversion of the reference vectors' JSON values (§10 conventions)
// into the typed TS values the generated codecs use, property-test arbitraries
// and edge values. Every per-kind fact comes from the one table of field kinds
// (codegen/kinds.ts); only named types (structs and enums, which the table
// leaves to the caller) are resolved here, from the revision's spec.
import fc from "fast-check";
import { fieldKind } from "../codegen/kinds.ts";
import type { ValueEnv } from "../codegen/kinds.ts";
import { parseSpec } from "../codegen/spec.ts";
import type { Spec, SpecField, SpecType } from "../codegen/spec.ts";
import { typeText } from "../codegen/types.ts";
import type { TypeExpr } from "../codegen/types.ts";

const ROOT = new URL("../", import.meta.url);

/** The wire revisions the repository generates. */
export type Revision = "2026-04" | "2026-07";

/** Every revision, oldest first. */
export const REVISIONS: readonly Revision[] = ["2026-04", "2026-07"];

/** The test values of one revision, all derived from its spec. */
export interface RevisionValues {
  /** The revision label. */
  readonly revision: Revision;
  /** The revision's spec, parsed and validated. */
  readonly SPEC: Spec;
  /** Every named type of the spec by name. */
  readonly TYPES: Map<string, SpecType>;
  /** The body struct name of a message type code. */
  bodyNameOf(code: number): string;
  /** A vector's JSON value of type `t` as the typed TS value. */
  fromJson(t: TypeExpr, json: unknown): unknown;
  /** A vector's value as the typed body of message type `code`. */
  typedBody(code: number, value: unknown): unknown;
  /** A fast-check arbitrary of type `t`. */
  arbitrary(t: TypeExpr): fc.Arbitrary<unknown>;
  /** A value of `t` with every u64 set to `u64` and every i64 to `i64`. */
  edge(t: TypeExpr, u64: bigint, i64: bigint): unknown;
}

const CACHE = new Map<Revision, RevisionValues>();

/** The typed-value helpers of `revision` (built once per revision). */
export function revisionValues(revision: Revision): RevisionValues {
  let values = CACHE.get(revision);
  if (values === undefined) {
    values = build(revision);
    CACHE.set(revision, values);
  }
  return values;
}

function build(revision: Revision): RevisionValues {
  const file = `spec/${revision}.yaml`;
  const SPEC = parseSpec(Deno.readTextFileSync(new URL(file, ROOT)), file);
  if (SPEC.revision !== revision) {
    throw new Error(`${file} says revision ${SPEC.revision}`);
  }
  const TYPES = new Map(SPEC.types.map((t) => [t.name, t]));

  const named = (t: TypeExpr): SpecType => {
    const type = TYPES.get((t as { name: string }).name);
    if (type === undefined) throw new Error(`no type ${typeText(t)}`);
    return type;
  };

  // fromJson: §10 — a struct is an object keyed by Rust field names; a unit
  // variant is its tag string, a data variant `{"Tag": {field: value}}`.
  const fieldsFromJson = (
    fields: readonly SpecField[],
    json: unknown,
    out: Record<string, unknown>,
  ): Record<string, unknown> => {
    const object = json as Record<string, unknown>;
    for (const field of fields) {
      if (!(field.name in object)) throw new Error(`missing ${field.name}`);
      out[field.tsName] = fromJson(field.type, object[field.name]);
    }
    return out;
  };
  const namedFromJson = (t: TypeExpr, json: unknown): unknown => {
    const type = named(t);
    if (type.kind === "struct") return fieldsFromJson(type.fields, json, {});
    const [tag, payload] = typeof json === "string"
      ? [json, undefined]
      : Object.entries(json as Record<string, unknown>)[0];
    const variant = type.variants.find((v) => v.name === tag);
    if (variant === undefined) {
      throw new Error(
        `${JSON.stringify(tag)} is not a variant of ${type.name}`,
      );
    }
    if ((variant.fields === null) !== (payload === undefined)) {
      throw new Error(`${type.name}.${tag}: unit/data form does not match`);
    }
    return fieldsFromJson(variant.fields ?? [], payload ?? {}, { kind: tag });
  };

  // arbitrary: records of the fields' arbitraries; an enum is one of its
  // variants, each `{ kind: tag, ...fields }`. Built once per named type.
  const namedArbitraries = new Map<string, fc.Arbitrary<unknown>>();
  const building = new Set<string>();
  const record = (
    fields: readonly SpecField[],
    kind?: string,
  ): fc.Arbitrary<Record<string, unknown>> => {
    const shape: Record<string, fc.Arbitrary<unknown>> = {};
    if (kind !== undefined) shape.kind = fc.constant(kind);
    for (const field of fields) shape[field.tsName] = arbitrary(field.type);
    return fc.record(shape, { noNullPrototype: true });
  };
  const namedArbitrary = (t: TypeExpr): fc.Arbitrary<unknown> => {
    const type = named(t);
    const cached = namedArbitraries.get(type.name);
    if (cached !== undefined) return cached;
    if (building.has(type.name)) {
      throw new Error(`${type.name} is recursive; no arbitrary for it yet`);
    }
    building.add(type.name);
    const result: fc.Arbitrary<unknown> = type.kind === "struct"
      ? record(type.fields)
      : fc.oneof(...type.variants.map((v) => record(v.fields ?? [], v.name)));
    building.delete(type.name);
    namedArbitraries.set(type.name, result);
    return result;
  };

  // edge: every field at its edge; an enum takes its first data variant (so
  // that its fields are filled too), else its first variant.
  const namedEdge = (t: TypeExpr, u64: bigint, i64: bigint): unknown => {
    const type = named(t);
    const out: Record<string, unknown> = {};
    let fields: readonly SpecField[];
    if (type.kind === "struct") {
      fields = type.fields;
    } else {
      const variant = type.variants.find((v) => v.fields !== null) ??
        type.variants[0];
      out.kind = variant.name;
      fields = variant.fields ?? [];
    }
    for (const f of fields) out[f.tsName] = edge(f.type, u64, i64);
    return out;
  };

  const env: ValueEnv = {
    fc,
    arbitrary: (t) => arbitrary(t),
    fromVector: (t, json) => fromJson(t, json),
    edge: (t, u64, i64) => edge(t, u64, i64),
  };
  function fromJson(t: TypeExpr, json: unknown): unknown {
    return t.kind === "named"
      ? namedFromJson(t, json)
      : fieldKind(t).fromVector(t, json, env);
  }
  function arbitrary(t: TypeExpr): fc.Arbitrary<unknown> {
    return t.kind === "named"
      ? namedArbitrary(t)
      : fieldKind(t).arbitrary(t, env);
  }
  function edge(t: TypeExpr, u64: bigint, i64: bigint): unknown {
    return t.kind === "named"
      ? namedEdge(t, u64, i64)
      : fieldKind(t).edge(t, env, u64, i64);
  }
  const bodyNameOf = (code: number): string => {
    const message = SPEC.messages.find((m) => m.code === code);
    if (message === undefined) {
      throw new Error(`no message 0x${code.toString(16)} in ${revision}`);
    }
    return message.body;
  };
  return {
    revision,
    SPEC,
    TYPES,
    bodyNameOf,
    fromJson,
    typedBody: (code, value) =>
      fromJson({ kind: "named", name: bodyNameOf(code) }, value),
    arbitrary,
    edge,
  };
}

// The 2026-04 defaults, for the tests written before the second revision.
const APRIL = revisionValues("2026-04");

/** The 2026-04 spec, parsed and validated. */
export const SPEC: Spec = APRIL.SPEC;

/** Every named type of the 2026-04 spec by name. */
export const TYPES: Map<string, SpecType> = APRIL.TYPES;

/** The 2026-04 body struct name of a message type code. */
export function bodyNameOf(code: number): string {
  return APRIL.bodyNameOf(code);
}

/** Converts a 2026-04 vector's JSON value of type `t` into the typed TS value. */
export function fromJson(t: TypeExpr, json: unknown): unknown {
  return APRIL.fromJson(t, json);
}

/** Converts a 2026-04 vector's value into the typed body of message type `code`. */
export function typedBody(code: number, value: unknown): unknown {
  return APRIL.typedBody(code, value);
}
