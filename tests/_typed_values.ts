// Spec-driven helpers for the typed-body tests: the parsed spec, and conversion of
// the reference vectors' JSON values (vectors-2026-04.json §10 conventions) into the
// typed TS values the generated codecs use.
import { parseSpec } from "../codegen/spec.ts";
import type { Spec, SpecField, SpecType } from "../codegen/spec.ts";
import type { TypeExpr } from "../codegen/types.ts";
import { hex } from "./_vectors.ts";

const ROOT = new URL("../", import.meta.url);

/** The repository's spec, parsed and validated. */
export const SPEC: Spec = parseSpec(
  Deno.readTextFileSync(new URL("spec/2026-04.yaml", ROOT)),
);

/** Every named type of the spec by name. */
export const TYPES: Map<string, SpecType> = new Map(
  SPEC.types.map((t) => [t.name, t]),
);

/** The body struct name of a message type code. */
export function bodyNameOf(code: number): string {
  const message = SPEC.messages.find((m) => m.code === code);
  if (message === undefined) {
    throw new Error(`no message 0x${code.toString(16)}`);
  }
  return message.body;
}

function bytesOf(json: unknown): Uint8Array {
  if (typeof json !== "string" || !json.startsWith("hex:")) {
    throw new Error(`expected "hex:…", got ${JSON.stringify(json)}`);
  }
  return hex(json.slice(4));
}

function fieldsFromJson(
  fields: SpecField[],
  json: Record<string, unknown>,
  out: Record<string, unknown>,
): Record<string, unknown> {
  for (const field of fields) {
    if (!(field.name in json)) throw new Error(`missing ${field.name}`);
    out[field.tsName] = fromJson(field.type, json[field.name]);
  }
  return out;
}

/** Converts a vector's JSON value of type `t` into the typed TS value. */
export function fromJson(t: TypeExpr, json: unknown): unknown {
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "u8":
        case "u16":
        case "u32":
          return Number(json);
        case "u64":
        case "usize":
        case "i64":
          return BigInt(json as string | number);
        case "bool":
        case "string":
          return json;
        case "bytes":
          return bytesOf(json);
      }
      break;
    case "fixed":
      return bytesOf(json);
    case "list":
      if (t.item.kind === "scalar" && t.item.name === "u8") {
        return bytesOf(json);
      }
      return (json as unknown[]).map((item) => fromJson(t.item, item));
    case "map":
      return new Map(
        Object.entries(json as Record<string, unknown>).map(([k, v]) => [
          fromJson(t.key, k),
          fromJson(t.value, v),
        ]),
      );
    case "option":
      return json === null ? null : fromJson(t.item, json);
    case "named": {
      const named = TYPES.get(t.name)!;
      if (named.kind === "struct") {
        return fieldsFromJson(
          named.fields,
          json as Record<string, unknown>,
          {},
        );
      }
      if (typeof json === "string") return { kind: json };
      const [[tag, payload]] = Object.entries(json as Record<string, unknown>);
      const variant = named.variants.find((v) => v.name === tag)!;
      return fieldsFromJson(
        variant.fields ?? [],
        payload as Record<string, unknown>,
        { kind: tag },
      );
    }
  }
  throw new Error("unreachable");
}

/** Converts a vector's value into the typed body of message type `code`. */
export function typedBody(code: number, value: unknown): unknown {
  return fromJson({ kind: "named", name: bodyNameOf(code) }, value);
}
