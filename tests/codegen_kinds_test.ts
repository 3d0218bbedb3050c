// codegen/kinds.ts: one row for every scalar of the type vocabulary and for
// every composite kind, each complete.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  fieldKind,
  KIND_NAMES,
  kindNotes,
  kindOf,
  rustType,
  slug,
  tsType,
  typeEnv,
} from "../codegen/kinds.ts";
import type { CodecEnv, KindName, ValueEnv } from "../codegen/kinds.ts";
import { parseTypeExpr, SCALARS, typeText } from "../codegen/types.ts";
import type { TypeExpr } from "../codegen/types.ts";

/** The composite kinds: every `TypeExpr` kind but `scalar`, and `list<u8>`. */
const COMPOSITES = [
  "fixed",
  "u8list",
  "list",
  "map",
  "option",
  "tuple",
  "named",
] as const;

/** One type expression of each row, with its TS type, Rust type and wire form. */
const SAMPLES: Array<[string, KindName, string, string, string]> = [
  ["u8", "u8", "number", "u8", "uint"],
  ["u16", "u16", "number", "u16", "uint"],
  ["u32", "u32", "number", "u32", "uint"],
  ["u64", "u64", "bigint", "u64", "uint"],
  ["usize", "usize", "bigint", "usize", "uint"],
  ["i64", "i64", "bigint", "i64", "int"],
  ["f32", "f32", "number", "f32", "f32"],
  ["bool", "bool", "boolean", "bool", "bool"],
  ["string", "string", "string", "String", "str"],
  ["bytes", "bytes", "Uint8Array", "Vec<u8>", "bin"],
  ["msgpack", "msgpack", "unknown", "(any MessagePack value)", "any"],
  ["u8x4", "fixed", "Uint8Array", "[u8; 4]", "u8x4"],
  ["list<u8>", "u8list", "Uint8Array", "Vec<u8>", "arr[uint]"],
  ["list<string>", "list", "string[]", "Vec<String>", "arr[str]"],
  [
    "list<option<u8>>",
    "list",
    "Array<number | null>",
    "Vec<Option<u8>>",
    "arr[nil|uint]",
  ],
  [
    "map<string, u64>",
    "map",
    "Map<string, bigint>",
    "HashMap<String, u64>",
    "map{str:uint}",
  ],
  ["option<f32>", "option", "number | null", "Option<f32>", "nil|f32"],
  [
    "tuple<string, u64>",
    "tuple",
    "[string, bigint]",
    "(String, u64)",
    "[str,uint]",
  ],
  [
    "tuple<u8, list<f32>, bool>",
    "tuple",
    "[number, number[], boolean]",
    "(u8, Vec<f32>, bool)",
    "[uint,arr[f32],bool]",
  ],
  ["Hlc", "named", "Hlc", "Hlc", "[2 fields]"],
];

Deno.test("kinds.ts has a row for every scalar of types.ts and every composite kind, and no other", () => {
  for (const scalar of SCALARS) {
    assert.ok(KIND_NAMES.includes(scalar), `no row for scalar ${scalar}`);
  }
  for (const composite of COMPOSITES) {
    assert.ok(KIND_NAMES.includes(composite), `no row for ${composite}`);
  }
  assert.deepEqual(
    [...KIND_NAMES].sort(),
    [...SCALARS, ...COMPOSITES].sort(),
  );
  assert.equal(new Set(KIND_NAMES).size, KIND_NAMES.length);
  // The samples below cover every row.
  assert.deepEqual(
    [...new Set(SAMPLES.map((s) => s[1]))].sort(),
    [...KIND_NAMES].sort(),
  );
});

Deno.test("every row describes its type: TS type, Rust type and wire form", () => {
  const env = typeEnv(
    (name) => (name === "Hlc" ? 2 : undefined),
    (name) => `sample${name}`,
  );
  for (const [text, kind, ts, rust, wire] of SAMPLES) {
    const t = parseTypeExpr(text);
    assert.equal(typeText(t), text);
    assert.equal(kindOf(t), kind, text);
    assert.equal(tsType(t), ts, text);
    assert.equal(rustType(t), rust, text);
    assert.equal(env.wire(t), wire, text);
    assert.equal(typeof env.sample(t), "string", text);
    const row = fieldKind(t);
    assert.ok(Array.isArray(row.notes), text);
    assert.ok(Array.isArray(kindNotes(t)), text);
  }
  assert.deepEqual(kindNotes(parseTypeExpr("option<f32>")), [
    "`null` is None (nil).",
    ...fieldKind(parseTypeExpr("f32")).notes,
  ]);
  assert.equal(
    slug(parseTypeExpr("list<tuple<string, u64>>")),
    "list_tuple_string_u64",
  );
});

Deno.test("every row renders a reader and a writer", () => {
  const used = new Set<string>();
  const helpers = new Map<string, string>();
  let locals = 0;
  const env: CodecEnv = {
    read: (t) => fieldKind(t).read(t, env),
    write: (t, v) => fieldKind(t).write(t, env, v),
    helper: (direction, t, body) => {
      const name = `${direction}_${slug(t)}`;
      if (!helpers.has(name)) {
        helpers.set(name, "");
        helpers.set(name, body(name));
      }
      return name;
    },
    local: () => `v${locals++}`,
    ts: (t) => tsType(t),
    use: (symbol) => {
      used.add(symbol);
      return symbol;
    },
  };
  for (const [text] of SAMPLES) {
    const t = parseTypeExpr(text);
    const read = env.read(t);
    const write = env.write(t, "value");
    assert.ok(read.length > 0 && write.length > 0, text);
    assert.match(write, /value/, text);
  }
  assert.equal(env.read(parseTypeExpr("f32")), "r.f32()");
  assert.equal(env.write(parseTypeExpr("f32"), "x"), "putF32(w, x);");
  assert.equal(env.read(parseTypeExpr("msgpack")), "r.anyValue()");
  assert.equal(
    env.read(parseTypeExpr("tuple<string, u64>")),
    "read_tuple_string_u64(r)",
  );
  assert.match(
    helpers.get("write_tuple_string_u64")!,
    /checkTuple\(v, 2\);\s+w\.byte\(0x92\);/,
  );
  for (const symbol of ["putF32", "putAny", "checkTuple", "WireReader"]) {
    assert.ok(used.has(symbol), symbol);
  }
});

Deno.test("every row but named gives test values: arbitraries, edges and vector values", () => {
  const env: ValueEnv = {
    fc,
    arbitrary: (t) => fieldKind(t).arbitrary(t, env),
    fromVector: (t, json) => fieldKind(t).fromVector(t, json, env),
    edge: (t, u64, i64) => fieldKind(t).edge(t, env, u64, i64),
  };
  for (const [text, kind] of SAMPLES) {
    const t: TypeExpr = parseTypeExpr(text);
    if (kind === "named") {
      assert.throws(() => env.arbitrary(t), /resolved by the caller/);
      continue;
    }
    assert.equal(fc.sample(env.arbitrary(t), 5).length, 5, text);
    env.edge(t, 2n ** 64n - 1n, -(2n ** 63n));
  }
  // f32 values are float32-exact; tuples have their arity.
  for (const v of fc.sample(env.arbitrary(parseTypeExpr("f32")), 50)) {
    assert.equal(Math.fround(v as number), v);
  }
  for (
    const v of fc.sample(env.arbitrary(parseTypeExpr("tuple<string, u64>")), 20)
  ) {
    assert.ok(Array.isArray(v) && v.length === 2);
    assert.equal(typeof v[0], "string");
    assert.equal(typeof v[1], "bigint");
  }
  assert.deepEqual(
    env.fromVector(parseTypeExpr("tuple<string, u64>"), [
      "a",
      "18446744073709551615",
    ]),
    ["a", 2n ** 64n - 1n],
  );
});
