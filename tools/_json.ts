// Exact JSON for the capture inspector: a writer that prints bigints as bare
// integer literals, a reader that returns integers beyond 2^53−1 as bigints,
// objects that keep their key order, and hex helpers.

/** A JSON value; integers may be bigints, objects keep their key order. */
export type JsonValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | JsonValue[]
  | JsonObject;

/** A JSON object as its entries, in order. */
export class JsonObject {
  /** The members, in order; keys are unique. */
  readonly entries: [string, JsonValue][];

  constructor(entries: [string, JsonValue][] = []) {
    this.entries = entries;
  }

  /** The value of `key`, or `undefined`. */
  get(key: string): JsonValue | undefined {
    for (const [k, v] of this.entries) if (k === key) return v;
    return undefined;
  }
}

// ---------------------------------------------------------------------------
// JSON text

/** Writes compact JSON; bigints become bare integer literals (exact). */
export function stringifyJson(value: JsonValue): string {
  if (value === null) return "null";
  switch (typeof value) {
    case "boolean":
      return value ? "true" : "false";
    case "number":
      // Only integers reach here from typed bodies; guard anyway so the
      // output is always valid JSON.
      if (Object.is(value, -0)) return "-0.0";
      return Number.isFinite(value) ? String(value) : "null";
    case "bigint":
      return value.toString();
    case "string":
      // JSON.stringify escapes lone surrogates, so the output is valid UTF-8.
      return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(stringifyJson).join(",")}]`;
  return `{${
    value.entries.map(([k, v]) => `${JSON.stringify(k)}:${stringifyJson(v)}`)
      .join(",")
  }}`;
}

/** Thrown by {@linkcode parseJson}; the caller turns it into its own error. */
export class JsonSyntaxError extends Error {}

// Nesting deeper than any body of the spec needs, but bounded so that hostile
// text cannot exhaust the stack.
const MAX_JSON_DEPTH = 256;

/**
 * Parses JSON text strictly (RFC 8259): integer literals beyond the safe range
 * become bigints, objects keep their key order, duplicate keys are refused.
 */
export function parseJson(text: string): JsonValue {
  let at = 0;
  const fail = (what: string): never => {
    const found = at < text.length
      ? JSON.stringify(text.slice(at, at + 12))
      : "the end";
    throw new JsonSyntaxError(
      `${what} at character ${at + 1} (found ${found})`,
    );
  };
  const space = () => {
    while (at < text.length && " \t\n\r".includes(text[at])) at++;
  };
  const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
  const value = (depth: number): JsonValue => {
    if (depth > MAX_JSON_DEPTH) fail(`nesting deeper than ${MAX_JSON_DEPTH}`);
    space();
    const c = text[at];
    if (c === "{") {
      at++;
      const object = new JsonObject();
      const seen = new Set<string>();
      space();
      if (text[at] === "}") {
        at++;
        return object;
      }
      for (;;) {
        space();
        if (text[at] !== '"') fail("expected a string key");
        const keyAt = at;
        const key = string();
        if (seen.has(key)) {
          at = keyAt;
          fail(`duplicate key ${JSON.stringify(key)}`);
        }
        seen.add(key);
        space();
        if (text[at] !== ":") fail('expected ":"');
        at++;
        object.entries.push([key, value(depth + 1)]);
        space();
        if (text[at] === ",") {
          at++;
          continue;
        }
        if (text[at] === "}") {
          at++;
          return object;
        }
        fail('expected "," or "}"');
      }
    }
    if (c === "[") {
      at++;
      const array: JsonValue[] = [];
      space();
      if (text[at] === "]") {
        at++;
        return array;
      }
      for (;;) {
        array.push(value(depth + 1));
        space();
        if (text[at] === ",") {
          at++;
          continue;
        }
        if (text[at] === "]") {
          at++;
          return array;
        }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') return string();
    for (const [word, result] of [["true", true], ["false", false]] as const) {
      if (text.startsWith(word, at)) {
        at += word.length;
        return result;
      }
    }
    if (text.startsWith("null", at)) {
      at += 4;
      return null;
    }
    NUMBER.lastIndex = at;
    const number = NUMBER.exec(text);
    if (number === null) fail("expected a JSON value");
    const literal = number![0];
    at += literal.length;
    if (number![1] === undefined && number![2] === undefined) {
      const n = Number(literal);
      return Number.isSafeInteger(n) ? n : BigInt(literal);
    }
    return Number(literal);
  };
  const string = (): string => {
    // Find the closing quote, then let JSON.parse do the escapes (it rejects
    // raw control characters and bad escapes, as RFC 8259 does).
    const start = at;
    at++;
    for (;;) {
      if (at >= text.length) {
        at = start;
        fail("unterminated string");
      }
      const c = text[at];
      if (c === "\\") at += 2;
      else if (c === '"') break;
      else at++;
    }
    at++;
    try {
      return JSON.parse(text.slice(start, at));
    } catch {
      at = start;
      return fail("invalid string");
    }
  };
  const result = value(0);
  space();
  if (at < text.length) fail("unexpected text after the JSON value");
  return result;
}

// ---------------------------------------------------------------------------
// Hex

const HEX_DIGITS = "0123456789abcdef";

/** Bytes as lowercase hex. */
export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += HEX_DIGITS[b >> 4] + HEX_DIGITS[b & 15];
  return out;
}

/** Hex text (no whitespace) to bytes, or `undefined` if it is not hex. */
export function fromHex(text: string): Uint8Array | undefined {
  if (text.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(text)) return undefined;
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

/** Bytes shown in full up to this length in the text tree, else shortened. */
const SHORT_BYTES = 24;
/** How many leading bytes a shortened byte string shows. */
const SHORT_HEAD = 16;

/** `3 bytes 010203`; long byte strings show their first bytes and `…`. */
export function shortBytes(bytes: Uint8Array): string {
  const n = bytes.length;
  const count = `${n} byte${n === 1 ? "" : "s"}`;
  if (n === 0) return count;
  return n <= SHORT_BYTES
    ? `${count} ${toHex(bytes)}`
    : `${count} ${toHex(bytes.subarray(0, SHORT_HEAD))}…`;
}
