/**
 * The spec's type vocabulary: parsing type expressions. What each kind of
 * type means (TS type, Rust type, wire form, codecs, docs, samples) is in
 * `kinds.ts`.
 *
 * Grammar (whitespace allowed around `<`, `>` and `,`):
 *
 * ```text
 * type   = scalar | "u8x" N | "list<" type ">" | "map<" type "," type ">"
 *        | "option<" type ">" | "tuple<" type ("," type)+ ">" | TypeName
 * scalar = u8 | u16 | u32 | u64 | usize | i64 | f32 | bool | string | bytes
 *        | msgpack
 * ```
 *
 * @module
 */

/** The unsigned integer widths. */
export const UINTS = ["u8", "u16", "u32", "u64", "usize"] as const;

/** Scalar type names of the vocabulary (`msgpack` is one generic value). */
export const SCALARS = [
  ...UINTS,
  "i64",
  "f32",
  "bool",
  "string",
  "bytes",
  "msgpack",
] as const;

/** A scalar type name. */
export type Scalar = typeof SCALARS[number];

/** A parsed type expression. */
export type TypeExpr =
  | { kind: "scalar"; name: Scalar }
  | { kind: "fixed"; length: number }
  | { kind: "list"; item: TypeExpr }
  | { kind: "map"; key: TypeExpr; value: TypeExpr }
  | { kind: "option"; item: TypeExpr }
  | { kind: "tuple"; items: TypeExpr[] }
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
    if (word === "tuple") {
      expect("<");
      const items = [type()];
      while (peek() === ",") {
        at++;
        items.push(type());
      }
      expect(">");
      if (items.length < 2) {
        throw new TypeSyntaxError("a tuple needs at least two item types");
      }
      return { kind: "tuple", items };
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
      }, u8xN, list<T>, map<K, V>, option<T>, tuple<A, B, …> and the struct and enum names of \`types\`)`,
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
    case "tuple":
      return `tuple<${t.items.map(typeText).join(", ")}>`;
    case "named":
      return t.name;
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
    case "tuple":
      return t.items.flatMap(namedIn);
    case "named":
      return [t.name];
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
