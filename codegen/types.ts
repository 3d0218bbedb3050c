/**
 * The spec's type vocabulary: parsing type expressions, and the facts the
 * emitters need about each type (TS type, Rust type, wire form).
 *
 * Grammar (whitespace allowed around `<`, `>` and `,`):
 *
 * ```text
 * type   = scalar | "u8x" N | "list<" type ">" | "map<" type "," type ">"
 *        | "option<" type ">" | TypeName
 * scalar = u8 | u16 | u32 | u64 | usize | i64 | bool | string | bytes
 * ```
 *
 * @module
 */

/** The unsigned integer widths. */
export const UINTS = ["u8", "u16", "u32", "u64", "usize"] as const;

/** Scalar type names of the vocabulary. */
export const SCALARS = [...UINTS, "i64", "bool", "string", "bytes"] as const;

/** A scalar type name. */
export type Scalar = typeof SCALARS[number];

/** A parsed type expression. */
export type TypeExpr =
  | { kind: "scalar"; name: Scalar }
  | { kind: "fixed"; length: number }
  | { kind: "list"; item: TypeExpr }
  | { kind: "map"; key: TypeExpr; value: TypeExpr }
  | { kind: "option"; item: TypeExpr }
  | { kind: "named"; name: string };

/** Largest N of `u8xN`. */
export const MAX_FIXED_LENGTH = 65535;

/** Thrown by {@linkcode parseTypeExpr} with a human-readable reason. */
export class TypeSyntaxError extends Error {}

/**
 * Parses a type expression. Named types are not resolved here.
 *
 * @param text The expression, e.g. `map<string, u64>`.
 * @returns The parsed expression.
 * @throws {TypeSyntaxError} when the text is not a type expression.
 */
export function parseTypeExpr(text: string): TypeExpr {
  const tokens = text.match(/[A-Za-z_][A-Za-z0-9_]*|[<>,]|\S/g) ?? [];
  let at = 0;
  const peek = () => tokens[at];
  const expect = (token: string) => {
    if (tokens[at] !== token) {
      throw new TypeSyntaxError(
        `expected "${token}" ${
          tokens[at] === undefined ? "at the end" : `before "${tokens[at]}"`
        }`,
      );
    }
    at++;
  };
  const type = (): TypeExpr => {
    const word = tokens[at];
    if (word === undefined) throw new TypeSyntaxError("expected a type");
    if (!/^[A-Za-z_]/.test(word)) {
      throw new TypeSyntaxError(`expected a type, found "${word}"`);
    }
    at++;
    if (word === "list" || word === "option") {
      expect("<");
      const item = type();
      expect(">");
      return { kind: word, item };
    }
    if (word === "map") {
      expect("<");
      const key = type();
      expect(",");
      const value = type();
      expect(">");
      return { kind: "map", key, value };
    }
    if ((SCALARS as readonly string[]).includes(word)) {
      return { kind: "scalar", name: word as Scalar };
    }
    const fixed = /^u8x(\d+)$/.exec(word);
    if (fixed) {
      const length = Number(fixed[1]);
      if (length < 1 || length > MAX_FIXED_LENGTH || fixed[1].startsWith("0")) {
        throw new TypeSyntaxError(
          `"${word}": the length of u8xN must be 1–${MAX_FIXED_LENGTH}`,
        );
      }
      return { kind: "fixed", length };
    }
    if (/^[A-Z][A-Za-z0-9]*$/.test(word)) return { kind: "named", name: word };
    throw new TypeSyntaxError(
      `unknown type "${word}" (the vocabulary is ${
        SCALARS.join(", ")
      }, u8xN, list<T>, map<K, V>, option<T> and the struct and enum names of \`types\`)`,
    );
  };
  const result = type();
  if (peek() !== undefined) {
    throw new TypeSyntaxError(`unexpected "${peek()}" after the type`);
  }
  return result;
}

/** Canonical text of a type expression, e.g. `map<string, u64>`. */
export function typeText(t: TypeExpr): string {
  switch (t.kind) {
    case "scalar":
      return t.name;
    case "fixed":
      return `u8x${t.length}`;
    case "list":
    case "option":
      return `${t.kind}<${typeText(t.item)}>`;
    case "map":
      return `map<${typeText(t.key)}, ${typeText(t.value)}>`;
    case "named":
      return t.name;
  }
}

/** Whether `t` is `list<u8>`: a nested byte string written as an integer array. */
export function isU8List(t: TypeExpr): boolean {
  return t.kind === "list" && t.item.kind === "scalar" && t.item.name === "u8";
}

/** Whether `t` is an unsigned integer scalar. */
export function isUint(t: TypeExpr): boolean {
  return t.kind === "scalar" &&
    (UINTS as readonly string[]).includes(t.name);
}

/** Whether `t` decodes to a bigint (u64, usize, i64). */
export function isBigint(t: TypeExpr): boolean {
  return t.kind === "scalar" &&
    (t.name === "u64" || t.name === "usize" || t.name === "i64");
}

/** The TypeScript type of a type expression. */
export function tsType(t: TypeExpr): string {
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "u8":
        case "u16":
        case "u32":
          return "number";
        case "u64":
        case "usize":
        case "i64":
          return "bigint";
        case "bool":
          return "boolean";
        case "string":
          return "string";
        case "bytes":
          return "Uint8Array";
      }
      break;
    case "fixed":
      return "Uint8Array";
    case "list": {
      if (isU8List(t)) return "Uint8Array";
      const item = tsType(t.item);
      return /[ |]/.test(item) ? `Array<${item}>` : `${item}[]`;
    }
    case "map":
      return `Map<${tsType(t.key)}, ${tsType(t.value)}>`;
    case "option":
      return `${tsType(t.item)} | null`;
    case "named":
      return t.name;
  }
  throw new Error("unreachable");
}

/** The Rust type a type expression stands for. */
export function rustType(t: TypeExpr): string {
  switch (t.kind) {
    case "scalar":
      return t.name === "string"
        ? "String"
        : t.name === "bytes"
        ? "Vec<u8>"
        : t.name;
    case "fixed":
      return `[u8; ${t.length}]`;
    case "list":
      return `Vec<${rustType(t.item)}>`;
    case "map":
      return `HashMap<${rustType(t.key)}, ${rustType(t.value)}>`;
    case "option":
      return `Option<${rustType(t.item)}>`;
    case "named":
      return t.name;
  }
}

/**
 * The wire form of a type expression, in the reference's notation
 * (`uint`, `int`, `str`, `bin`, `arr[T]`, `map{K:V}`, `nil|T`, `u8xN`, …).
 *
 * @param t The type.
 * @param fieldCount Field count of a named struct, or `undefined` for an enum.
 */
export function wireForm(
  t: TypeExpr,
  fieldCount: (name: string) => number | undefined,
): string {
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "i64":
          return "int";
        case "bool":
          return "bool";
        case "string":
          return "str";
        case "bytes":
          return "bin";
        default:
          return "uint";
      }
    case "fixed":
      return `u8x${t.length}`;
    case "list":
      return `arr[${wireForm(t.item, fieldCount)}]`;
    case "map":
      return `map{${wireForm(t.key, fieldCount)}:${
        wireForm(t.value, fieldCount)
      }}`;
    case "option":
      return `nil|${wireForm(t.item, fieldCount)}`;
    case "named": {
      const n = fieldCount(t.name);
      return n === undefined ? "enum" : `[${n} fields]`;
    }
  }
}

/** Every named type a type expression mentions. */
export function namedIn(t: TypeExpr): string[] {
  switch (t.kind) {
    case "scalar":
    case "fixed":
      return [];
    case "list":
    case "option":
      return namedIn(t.item);
    case "map":
      return [...namedIn(t.key), ...namedIn(t.value)];
    case "named":
      return [t.name];
  }
}
