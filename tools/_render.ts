// Schema-driven conversions for the capture inspector (tools/cli.ts):
// typed body values ↔ JSON in the reference vectors' conventions, an exact
// JSON reader and writer, and the readable text tree.
//
// JSON conventions (sync-protocol-2026-04.md §10): field names are the wire
// (Rust) names, bytes are "hex:<hex>", None is null, a unit variant is its tag
// string and a data variant {"Tag": {fields}}. Integers are kept exact: the
// writer prints bigints as bare integer literals, and the reader returns
// integer literals beyond 2^53−1 as bigints and also accepts decimal strings,
// as the vectors write them. Objects keep their key order (JS objects would
// move integer-like keys such as map<u64, _> keys to the front), so a body
// printed with --json encodes back to the same bytes.

import { FrameError } from "../codec/error.ts";
// The 2026-07 schema types are a superset of 2026-04's (f32, msgpack, tuples),
// so one set of functions walks both revisions' schemas.
import type {
  SchemaField,
  SchemaNamedType,
  SchemaStruct,
  SchemaTypeRef,
  SyncSchema,
} from "../generated/2026-07/schema.ts";

import {
  fromHex,
  JsonObject,
  type JsonValue,
  shortBytes,
  stringifyJson,
  toHex,
} from "./_json.ts";
export {
  fromHex,
  JsonObject,
  JsonSyntaxError,
  parseJson,
  shortBytes,
  stringifyJson,
  toHex,
} from "./_json.ts";
export type { JsonValue } from "./_json.ts";

/** The named types of a revision's schema. */
export type SchemaTypes = SyncSchema["types"];

// ---------------------------------------------------------------------------
// Typed value → JSON and text

function named(types: SchemaTypes, name: string): SchemaNamedType {
  const t = types[name];
  // The codecs and the schema come from the same spec, so this is a bug.
  if (t === undefined) throw new Error(`no type ${name} in the schema`);
  return t;
}

function isByteString(t: SchemaTypeRef): boolean {
  return (t.kind === "scalar" && t.name === "bytes") || t.kind === "fixed" ||
    (t.kind === "list" && t.item.kind === "scalar" && t.item.name === "u8");
}

/** The variant of an enum value and its schema. */
function variantOf(t: SchemaNamedType, value: unknown) {
  if (t.kind !== "enum") throw new Error(`${t.name} is not an enum`);
  const kind = (value as { kind: string }).kind;
  const variant = t.variants.find((v) => v.name === kind);
  if (variant === undefined) throw new Error(`no variant ${kind} of ${t.name}`);
  return variant;
}

function fieldsToJson(
  types: SchemaTypes,
  fields: readonly SchemaField[],
  value: Record<string, unknown>,
): JsonObject {
  return new JsonObject(
    fields.map((f) => [f.name, toJsonValue(types, f.type, value[f.tsName])]),
  );
}

/**
 * Converts a decoded typed value of type `t` to JSON in the vectors'
 * conventions (u64/usize/i64 stay bigints, for exact output).
 */
function toJsonValue(
  types: SchemaTypes,
  t: SchemaTypeRef,
  value: unknown,
): JsonValue {
  if (isByteString(t)) return `hex:${toHex(value as Uint8Array)}`;
  switch (t.kind) {
    case "scalar":
      return t.name === "msgpack" ? genericToJson(value) : value as JsonValue;
    case "tuple":
      return t.items.map((item, i) =>
        toJsonValue(types, item, (value as unknown[])[i])
      );
    case "list":
      return (value as unknown[]).map((item) =>
        toJsonValue(types, t.item, item)
      );
    case "map":
      return new JsonObject(
        [...(value as Map<unknown, unknown>)].map((
          [k, v],
        ) => [String(k), toJsonValue(types, t.value, v)]),
      );
    case "option":
      return value === null ? null : toJsonValue(types, t.item, value);
    case "named": {
      const type = named(types, t.name);
      if (type.kind === "struct") {
        return fieldsToJson(
          types,
          type.fields,
          value as Record<string, unknown>,
        );
      }
      const variant = variantOf(type, value);
      if (variant.fields === null) return variant.name;
      return new JsonObject([[
        variant.name,
        fieldsToJson(types, variant.fields, value as Record<string, unknown>),
      ]]);
    }
    case "fixed":
      // Handled by isByteString above.
      break;
  }
  throw new Error("unreachable");
}

/** A generic MessagePack value (the `msgpack` kind) as JSON. */
function genericToJson(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return `hex:${toHex(value)}`;
  if (Array.isArray(value)) return value.map(genericToJson);
  if (typeof value === "object") {
    return new JsonObject(
      Object.entries(value as Record<string, unknown>).map((
        [k, v],
      ) => [k, genericToJson(v)]),
    );
  }
  return value as JsonValue;
}

/** JSON as a generic MessagePack value (the `msgpack` kind). */
function genericFromJson(json: JsonValue): unknown {
  if (Array.isArray(json)) return json.map(genericFromJson);
  if (json instanceof JsonObject) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of json.entries) {
      Object.defineProperty(out, k, {
        value: genericFromJson(v),
        writable: true,
        enumerable: true,
        configurable: true,
      });
    }
    return out;
  }
  return json;
}

/** A map key or scalar as text: strings quoted, numbers bare. */
function scalarText(value: unknown): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/**
 * Appends `label: value` to `out` as a tree: scalars and byte strings on one
 * line, structs, data variants, lists and maps as a heading followed by their
 * members indented by two more spaces.
 */
function renderTree(
  types: SchemaTypes,
  out: string[],
  indent: string,
  label: string,
  t: SchemaTypeRef,
  value: unknown,
): void {
  const head = `${indent}${label}: `;
  if (value === null) {
    out.push(`${head}null`);
    return;
  }
  if (isByteString(t)) {
    out.push(`${head}${shortBytes(value as Uint8Array)}`);
    return;
  }
  const inner = `${indent}  `;
  switch (t.kind) {
    case "scalar":
      out.push(
        `${head}${
          t.name === "msgpack"
            ? stringifyJson(genericToJson(value))
            : scalarText(value)
        }`,
      );
      return;
    case "tuple":
      out.push(`${head}tuple of ${t.items.length}`);
      t.items.forEach((item, i) =>
        renderTree(types, out, inner, `[${i}]`, item, (value as unknown[])[i])
      );
      return;
    case "option":
      renderTree(types, out, indent, label, t.item, value);
      return;
    case "list": {
      const items = value as unknown[];
      if (items.length === 0) {
        out.push(`${head}[]`);
        return;
      }
      out.push(`${head}list of ${items.length}`);
      items.forEach((item, i) =>
        renderTree(types, out, inner, `[${i}]`, t.item, item)
      );
      return;
    }
    case "map": {
      const map = value as Map<unknown, unknown>;
      if (map.size === 0) {
        out.push(`${head}{}`);
        return;
      }
      out.push(`${head}map of ${map.size}`);
      for (const [k, v] of map) {
        renderTree(types, out, inner, scalarText(k), t.value, v);
      }
      return;
    }
    case "named": {
      const type = named(types, t.name);
      if (type.kind === "struct") {
        out.push(`${head}${type.name}`);
        renderFields(types, out, inner, type.fields, value);
        return;
      }
      const variant = variantOf(type, value);
      out.push(`${head}${variant.name}`);
      if (variant.fields !== null) {
        renderFields(types, out, inner, variant.fields, value);
      }
      return;
    }
    case "fixed":
      // Handled by isByteString above.
      break;
  }
  throw new Error("unreachable");
}

/** Appends one line (or subtree) per field of a struct or data variant. */
function renderFields(
  types: SchemaTypes,
  out: string[],
  indent: string,
  fields: readonly SchemaField[],
  value: unknown,
): void {
  const object = value as Record<string, unknown>;
  for (const f of fields) {
    renderTree(types, out, indent, f.name, f.type, object[f.tsName]);
  }
}

/**
 * Renders a decoded body as a tree: one line (or subtree) per field, indented
 * by two spaces.
 */
export function renderBody(
  types: SchemaTypes,
  body: SchemaStruct,
  value: unknown,
): string[] {
  const out: string[] = [];
  renderFields(types, out, "  ", body.fields, value);
  return out;
}

/** Converts a decoded body to JSON (see {@linkcode toJsonValue}). */
export function bodyToJson(
  types: SchemaTypes,
  body: SchemaStruct,
  value: unknown,
): JsonValue {
  return toJsonValue(types, { kind: "named", name: body.name }, value);
}

// ---------------------------------------------------------------------------
// JSON → typed value

/** A `bad_value` error at `path`, as the generated encoders report them. */
function badValue(path: string, reason: string): FrameError {
  return new FrameError("bad_value", `cannot encode ${path}: ${reason}`, {
    path,
  });
}

function describe(json: JsonValue): string {
  if (json === null) return "null";
  if (Array.isArray(json)) return "an array";
  if (json instanceof JsonObject) return "an object";
  if (typeof json === "string") {
    return `the string ${JSON.stringify(json.slice(0, 40))}`;
  }
  return `${typeof json === "boolean" ? "" : "the number "}${String(json)}`;
}

const UNSIGNED_KEYS = new Set(["u8", "u16", "u32", "u64", "usize"]);

/** An integer from a JSON number, bigint or decimal string, or `undefined`. */
function integerOf(json: JsonValue): bigint | undefined {
  if (typeof json === "bigint") return json;
  if (typeof json === "number") {
    return Number.isSafeInteger(json) ? BigInt(json) : undefined;
  }
  if (typeof json === "string" && /^-?\d+$/.test(json)) return BigInt(json);
  return undefined;
}

function bytesFromJson(json: JsonValue, path: string): Uint8Array {
  if (typeof json !== "string" || !json.startsWith("hex:")) {
    throw badValue(path, `expected bytes as "hex:…", got ${describe(json)}`);
  }
  const bytes = fromHex(json.slice(4));
  if (bytes === undefined) {
    throw badValue(
      path,
      `"${json.slice(0, 40)}" is not an even number of hex digits after "hex:"`,
    );
  }
  return bytes;
}

function fieldsFromJson(
  types: SchemaTypes,
  fields: readonly SchemaField[],
  json: JsonValue,
  path: string,
  out: Record<string, unknown>,
): Record<string, unknown> {
  if (!(json instanceof JsonObject)) {
    throw badValue(path, `expected an object, got ${describe(json)}`);
  }
  for (const [key] of json.entries) {
    if (!fields.some((f) => f.name === key)) {
      throw badValue(
        `${path}.${key}`,
        `unknown field (the fields are ${
          fields.map((f) => f.name).join(", ")
        })`,
      );
    }
  }
  for (const f of fields) {
    const value = json.get(f.name);
    if (value === undefined) {
      throw badValue(`${path}.${f.name}`, "missing field");
    }
    out[f.tsName] = fromJsonValue(types, f.type, value, `${path}.${f.name}`);
  }
  return out;
}

/**
 * Converts a JSON body in the vectors' conventions to the typed value that the
 * generated encoders take. Shapes are checked here; ranges, fixed lengths and
 * string well-formedness are left to the encoders, which report them with
 * the same path.
 *
 * @throws {FrameError} `"bad_value"` with the field `path`, rooted at the
 * body's name (e.g. `DeltaAckMsg.mutation_id`).
 */
export function bodyFromJson(
  types: SchemaTypes,
  body: SchemaStruct,
  json: JsonValue,
): unknown {
  return fromJsonValue(
    types,
    { kind: "named", name: body.name },
    json,
    body.name,
  );
}

/** Converts JSON of type `t` at `path` (see {@linkcode bodyFromJson}). */
function fromJsonValue(
  types: SchemaTypes,
  t: SchemaTypeRef,
  json: JsonValue,
  path: string,
): unknown {
  if (isByteString(t)) return bytesFromJson(json, path);
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "bool":
          if (typeof json !== "boolean") {
            throw badValue(
              path,
              `expected true or false, got ${describe(json)}`,
            );
          }
          return json;
        case "string":
          if (typeof json !== "string") {
            throw badValue(path, `expected a string, got ${describe(json)}`);
          }
          return json;
        case "f32":
          if (typeof json !== "number") {
            throw badValue(path, `expected a number, got ${describe(json)}`);
          }
          return json;
        case "msgpack":
          return genericFromJson(json);
        default: {
          const n = integerOf(json);
          if (n === undefined) {
            throw badValue(path, `expected an integer, got ${describe(json)}`);
          }
          if (t.name === "u64" || t.name === "usize" || t.name === "i64") {
            return n;
          }
          // u8–u32: the encoder checks the range; out of the safe range the
          // number is out of range for them anyway.
          return Number(n);
        }
      }
    case "tuple":
      if (!Array.isArray(json) || json.length !== t.items.length) {
        throw badValue(
          path,
          `expected an array of ${t.items.length} items, got ${describe(json)}`,
        );
      }
      return t.items.map((item, i) =>
        fromJsonValue(types, item, json[i], `${path}[${i}]`)
      );
    case "list":
      if (!Array.isArray(json)) {
        throw badValue(path, `expected an array, got ${describe(json)}`);
      }
      return json.map((item, i) =>
        fromJsonValue(types, t.item, item, `${path}[${i}]`)
      );
    case "map": {
      if (!(json instanceof JsonObject)) {
        throw badValue(path, `expected an object, got ${describe(json)}`);
      }
      const key = t.key;
      const unsigned = key.kind === "scalar" && UNSIGNED_KEYS.has(key.name);
      const out = new Map<unknown, unknown>();
      for (const [k, v] of json.entries) {
        let typedKey: unknown = k;
        if (unsigned) {
          if (!/^\d+$/.test(k)) {
            throw badValue(
              `${path}[${JSON.stringify(k)}]`,
              "expected an unsigned integer key in decimal",
            );
          }
          typedKey = fromJsonValue(types, key, k, `${path}[${k}]`);
        }
        const segment = unsigned ? `[${k}]` : `[${JSON.stringify(k)}]`;
        out.set(
          typedKey,
          fromJsonValue(types, t.value, v, `${path}${segment}`),
        );
      }
      return out;
    }
    case "option":
      return json === null ? null : fromJsonValue(types, t.item, json, path);
    case "named": {
      const type = named(types, t.name);
      if (type.kind === "struct") {
        return fieldsFromJson(types, type.fields, json, path, {});
      }
      const names = type.variants.map((v) => v.name).join(", ");
      if (typeof json === "string") {
        const variant = type.variants.find((v) => v.name === json);
        if (variant === undefined) {
          throw badValue(
            path,
            `"${json}" is not a variant of ${type.name} (${names})`,
          );
        }
        if (variant.fields !== null) {
          throw badValue(
            path,
            `variant ${json} has fields: write {"${json}": {${
              variant.fields.map((f) => `"${f.name}": …`).join(", ")
            }}}`,
          );
        }
        return { kind: json };
      }
      if (!(json instanceof JsonObject) || json.entries.length !== 1) {
        throw badValue(
          path,
          `expected a ${type.name} variant: "Tag" or {"Tag": {…}} (${names}), got ${
            describe(json)
          }`,
        );
      }
      const [[tag, payload]] = json.entries;
      const variant = type.variants.find((v) => v.name === tag);
      if (variant === undefined) {
        throw badValue(
          path,
          `"${tag}" is not a variant of ${type.name} (${names})`,
        );
      }
      if (variant.fields === null) {
        throw badValue(
          path,
          `variant ${tag} has no fields: write it as the string "${tag}"`,
        );
      }
      return fieldsFromJson(types, variant.fields, payload, `${path}.${tag}`, {
        kind: tag,
      });
    }
    case "fixed":
      // Handled by isByteString above.
      break;
  }
  throw new Error("unreachable");
}
