/**
 * The one table of field kinds. Every fact about a kind of spec type lives in
 * its row: the TypeScript type, the Rust type, the wire form in the
 * reference's notation, the generated reader expression and writer statement,
 * the doc note, a sample value for doc examples, an edge value, the
 * property-test arbitrary, the conversion of a reference vector's JSON value
 * and the Wireshark dissector's schema node. Emitters and test helpers read
 * the table through the functions at the end of this file; adding a field
 * kind means adding one row.
 *
 * @module
 */

import type { Arbitrary } from "fast-check";
import type fcModule from "fast-check";
import type { Scalar, TypeExpr } from "./types.ts";
import { isU8List, typeText } from "./types.ts";

/** The fast-check module, passed in so the generator itself never loads it. */
export type FastCheck = typeof fcModule;

/** What a row needs from the emitter that renders codecs. */
export interface CodecEnv {
  /** The read expression of a child type. */
  read(t: TypeExpr): string;
  /** The write statement of a child type for the expression `value`. */
  write(t: TypeExpr, value: string): string;
  /**
   * A named helper function for a container type, emitted once per distinct
   * type; `body(name)` renders it. Returns the helper's name.
   */
  helper(
    direction: "read" | "write",
    t: TypeExpr,
    body: (name: string) => string,
  ): string;
  /** A fresh local variable name. */
  local(): string;
  /** The TS type of a type (for helper signatures). */
  ts(t: TypeExpr): string;
  /** Records that the emitted code uses a codec-support symbol; returns its name. */
  use(symbol: string): string;
}

/** What a row needs to describe or sample a type. */
export interface TypeEnv {
  /** Field count of a named struct, or `undefined` for an enum. */
  fieldCount(name: string): number | undefined;
  /** The TS type of a child. */
  ts(t: TypeExpr): string;
  /** The Rust type of a child. */
  rust(t: TypeExpr): string;
  /** The wire form of a child. */
  wire(t: TypeExpr): string;
  /** A sample value (TS source) of a child; named types are resolved by the caller. */
  sample(t: TypeExpr): string;
}

/** What a row needs to build test values of a type. */
export interface ValueEnv {
  /** fast-check. */
  fc: FastCheck;
  /** The arbitrary of a child type. */
  arbitrary(t: TypeExpr): Arbitrary<unknown>;
  /** A typed value converted from a reference vector's JSON (§10 conventions). */
  fromVector(t: TypeExpr, json: unknown): unknown;
  /** A value of a child with every u64 set to `u64` and every i64 to `i64`. */
  edge(t: TypeExpr, u64: bigint, i64: bigint): unknown;
}

/** What a row needs to describe a type to the Wireshark dissector. */
export interface LuaEnv {
  /** The Lua schema node of a child type. */
  lua(t: TypeExpr): string;
  /** Whether a named type is an enum (else a struct). */
  isEnum(name: string): boolean;
}

/** One row of the table. */
export interface FieldKind {
  /** The TypeScript type. */
  ts(t: TypeExpr, env: TypeEnv): string;
  /** The Rust type it stands for. */
  rust(t: TypeExpr, env: TypeEnv): string;
  /** The wire form (`uint`, `int`, `str`, `bin`, `arr[T]`, `map{K:V}`, …). */
  wire(t: TypeExpr, env: TypeEnv): string;
  /** The generated expression reading one value with `r: WireReader`. */
  read(t: TypeExpr, env: CodecEnv): string;
  /** The generated statement writing `value` with `w: BodyWriter`. */
  write(t: TypeExpr, env: CodecEnv, value: string): string;
  /** Doc sentences for a field of this kind (may be empty). */
  notes: readonly string[];
  /** The wire form in prose, for the protocol reference. */
  form: string;
  /** A sample value as TS source, for doc examples. */
  sample(t: TypeExpr, env: TypeEnv): string;
  /** A property-test arbitrary. */
  arbitrary(t: TypeExpr, env: ValueEnv): Arbitrary<unknown>;
  /** A value with every u64 at `u64` and every i64 at `i64`. */
  edge(t: TypeExpr, env: ValueEnv, u64: bigint, i64: bigint): unknown;
  /** The typed value of a reference vector's JSON value. */
  fromVector(t: TypeExpr, json: unknown, env: ValueEnv): unknown;
  /**
   * The Wireshark dissector's schema node: a Lua expression over the
   * constructors `T.*` of `codegen/_lua_runtime.ts`, which read this wire
   * form and show the value (and pick the ProtoField type it is shown with).
   */
  lua(t: TypeExpr, env: LuaEnv): string;
}

/** The name of a row: a scalar's name, or a composite kind. */
export type KindName =
  | Scalar
  | "fixed"
  | "u8list"
  | "list"
  | "map"
  | "option"
  | "tuple"
  | "named";

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

function hexBytes(json: unknown): Uint8Array {
  if (typeof json !== "string" || !json.startsWith("hex:")) {
    throw new Error(`expected "hex:…", got ${JSON.stringify(json)}`);
  }
  const text = json.slice(4);
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  }
  return out;
}

const U64_EDGES = [0n, 1n, 127n, 128n, 255n, 256n, 65535n, 65536n] as const;
const U64_BIG = [2n ** 32n - 1n, 2n ** 32n, 2n ** 53n - 1n, 2n ** 53n] as const;
const U64_TOP = [2n ** 53n + 1n, 2n ** 63n, 2n ** 64n - 1n] as const;
const I64_EDGES = [
  0n,
  127n,
  128n,
  -1n,
  -32n,
  -33n,
  -128n,
  -129n,
  2n ** 31n - 1n,
  2n ** 31n,
  -(2n ** 31n),
  -(2n ** 31n) - 1n,
  2n ** 53n + 1n,
  -(2n ** 53n) - 1n,
  2n ** 63n - 1n,
  -(2n ** 63n),
] as const;

/** A row for u8, u16 or u32 (TS number). */
function smallUint(
  name: "u8" | "u16" | "u32",
  max: number,
  reader: string,
  writer: string,
): FieldKind {
  // The widest uint marker the type accepts: cc (1 byte), cd (2) or ce (4).
  const width = max === 0xff ? 1 : max === 0xffff ? 2 : 4;
  return {
    ts: () => "number",
    rust: () => name,
    wire: () => "uint",
    read: () => `r.${reader}()`,
    write: (_t, env, v) => `${env.use(writer)}(w, ${v});`,
    notes: [],
    form:
      "positive fixint `00–7f`, else the smallest of `cc`/`cd`/`ce` that fits; a reader accepts any uint marker up to the type's width",
    sample: () => "1",
    arbitrary: (_t, { fc }) => {
      const edges = [0, 1, 127, 128, 255, 256, 65535, 65536, 0xffffffff]
        .filter((n) => n <= max);
      return fc.oneof(fc.constantFrom(...edges), fc.integer({ min: 0, max }));
    },
    edge: () => max,
    fromVector: (_t, json) => Number(json),
    lua: () => `T.uint("${name}", ${width})`,
  };
}

/** A row for u64 or usize (TS bigint). */
function bigUint(name: "u64" | "usize"): FieldKind {
  return {
    ts: () => "bigint",
    rust: () => name,
    wire: () => "uint",
    read: () => "r.u64()",
    write: (_t, env, v) => `${env.use("putU64")}(w, ${v});`,
    notes: [],
    form:
      "positive fixint `00–7f`, else `cc`/`cd`/`ce`/`cf`, the smallest that fits",
    sample: () => "1n",
    arbitrary: (_t, { fc }) =>
      fc.oneof(
        fc.constantFrom(...U64_EDGES, ...U64_BIG, ...U64_TOP),
        fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
      ),
    edge: (_t, _env, u64) => u64,
    fromVector: (_t, json) => BigInt(json as string | number),
    lua: () => `T.uint("${name}", 8)`,
  };
}

/** Composite rows never name themselves in an error path; the children do. */
const FIELD_KINDS: Record<KindName, FieldKind> = {
  u8: smallUint("u8", 0xff, "u8", "putU8"),
  u16: smallUint("u16", 0xffff, "u16", "putU16"),
  u32: smallUint("u32", 0xffffffff, "u32", "putU32"),
  u64: bigUint("u64"),
  usize: bigUint("usize"),
  i64: {
    ts: () => "bigint",
    rust: () => "i64",
    wire: () => "int",
    read: () => "r.i64()",
    write: (_t, env, v) => `${env.use("putI64")}(w, ${v});`,
    notes: ["Signed: written with int markers, never uint markers above 127."],
    form:
      "fixint `00–7f` or `e0–ff`, else `d0`/`d1`/`d2`/`d3`, the smallest that fits; never `cc–cf`",
    sample: () => "1n",
    arbitrary: (_t, { fc }) =>
      fc.oneof(
        fc.constantFrom(...I64_EDGES),
        fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
      ),
    edge: (_t, _env, _u64, i64) => i64,
    fromVector: (_t, json) => BigInt(json as string | number),
    lua: () => "T.i64",
  },
  f32: {
    ts: () => "number",
    rust: () => "f32",
    wire: () => "f32",
    read: () => "r.f32()",
    write: (_t, env, v) => `${env.use("putF32")}(w, ${v});`,
    notes: [
      "Written as float32 (`ca`), always, even for integral values; a number that float32 cannot hold exactly is refused.",
    ],
    form: "float32 `ca` + 4 bytes big-endian, always (even integral values)",
    sample: () => "1.5",
    arbitrary: (_t, { fc }) =>
      fc.float({ noNaN: true, noDefaultInfinity: true }),
    edge: () => 3.4028234663852886e38,
    fromVector: (_t, json) => json as number,
    lua: () => "T.f32",
  },
  bool: {
    ts: () => "boolean",
    rust: () => "bool",
    wire: () => "bool",
    read: () => "r.bool()",
    write: (_t, env, v) => `${env.use("putBool")}(w, ${v});`,
    notes: [],
    form: "`c2` / `c3`",
    sample: () => "true",
    arbitrary: (_t, { fc }) => fc.boolean(),
    edge: () => true,
    fromVector: (_t, json) => json,
    lua: () => "T.bool",
  },
  string: {
    ts: () => "string",
    rust: () => "String",
    wire: () => "str",
    read: () => "r.str()",
    write: (_t, env, v) => `${env.use("putStr")}(w, ${v});`,
    notes: [],
    form: "str family `a0–bf`/`d9`/`da`/`db`, valid UTF-8",
    sample: () => '"x"',
    arbitrary: (_t, { fc }) =>
      fc.oneof(
        fc.string({ maxLength: 12 }),
        fc.string({ unit: "binary", maxLength: 12 }),
        fc.string({ unit: "grapheme", minLength: 20, maxLength: 80 }),
        fc.string({ minLength: 250, maxLength: 300 }),
      ),
    edge: () => "é😀",
    fromVector: (_t, json) => json,
    lua: () => "T.str",
  },
  bytes: {
    ts: () => "Uint8Array",
    rust: () => "Vec<u8>",
    wire: () => "bin",
    read: () => "r.bin()",
    write: (_t, env, v) => `${env.use("putBin")}(w, ${v});`,
    notes: ["Decoded as a view into the body unless `copy: true` is passed."],
    form: "bin `c4`/`c5`/`c6` (only as the direct type of a field)",
    sample: () => "new Uint8Array([1, 2])",
    arbitrary: (_t, { fc }) =>
      fc.oneof(
        fc.uint8Array({ maxLength: 8 }),
        fc.uint8Array({ minLength: 250, maxLength: 300 }),
      ),
    edge: () => new Uint8Array([0, 0x80, 0xff]),
    fromVector: (_t, json) => hexBytes(json),
    lua: () => "T.bin",
  },
  msgpack: {
    ts: () => "unknown",
    rust: () => "(any MessagePack value)",
    wire: () => "any",
    read: () => "r.anyValue()",
    write: (_t, env, v) => `${env.use("putAny")}(w, ${v});`,
    notes: [
      "One generic MessagePack value, read by the bounded generic reader (maps become plain objects with string keys, 64-bit integers bigints, bin a Uint8Array) and written by the generic writer.",
    ],
    form: "any one MessagePack value, read by the bounded generic reader",
    sample: () => '{ name: "x" }',
    arbitrary: (_t, { fc }) =>
      fc.dictionary(
        fc.string({ minLength: 1, maxLength: 8 }).filter((k) =>
          !/^\d+$/.test(k) && k !== "__proto__"
        ),
        fc.oneof(
          fc.integer({ min: -1000, max: 1000 }),
          fc.string(),
          fc.boolean(),
          fc.constant(null),
        ),
        { maxKeys: 6, noNullPrototype: true },
      ),
    edge: () => ({ tenant_id: 1, name: "é😀" }),
    fromVector: (_t, json) => json,
    lua: () => "T.any",
  },
  fixed: {
    ts: () => "Uint8Array",
    rust: (t) => `[u8; ${(t as { length: number }).length}]`,
    wire: (t) => `u8x${(t as { length: number }).length}`,
    read: (t) => `r.fixedBytes(${(t as { length: number }).length})`,
    write: (t, env, v) =>
      `${env.use("putFixedBytes")}(w, ${v}, ${
        (t as { length: number }).length
      });`,
    notes: [
      "Written as an array of integers (never bin), of exactly the length above.",
    ],
    form: "array of exactly N uint items (`[u8; N]`), never bin",
    sample: (t) => `new Uint8Array(${(t as { length: number }).length})`,
    arbitrary: (t, { fc }) => {
      const n = (t as { length: number }).length;
      return fc.uint8Array({ minLength: n, maxLength: n });
    },
    edge: (t) => new Uint8Array((t as { length: number }).length).fill(0xff),
    fromVector: (_t, json) => hexBytes(json),
    lua: (t) => `T.fixed(${(t as { length: number }).length})`,
  },
  u8list: {
    ts: () => "Uint8Array",
    rust: () => "Vec<u8>",
    wire: () => "arr[uint]",
    read: () => "r.u8List()",
    write: (_t, env, v) => `${env.use("putU8List")}(w, ${v});`,
    notes: ["Written as an array of integers (never bin)."],
    form: "array of uint items (a nested `Vec<u8>`), never bin",
    sample: () => "new Uint8Array([3])",
    arbitrary: (_t, { fc }) => fc.uint8Array({ maxLength: 20 }),
    edge: () => new Uint8Array([0x7f, 0x80]),
    fromVector: (_t, json) => hexBytes(json),
    lua: () => "T.u8list",
  },
  list: {
    ts: (t, env) => {
      const item = env.ts((t as { item: TypeExpr }).item);
      return /[ |]/.test(item) ? `Array<${item}>` : `${item}[]`;
    },
    rust: (t, env) => `Vec<${env.rust((t as { item: TypeExpr }).item)}>`,
    wire: (t, env) => `arr[${env.wire((t as { item: TypeExpr }).item)}]`,
    read: (t, env) => {
      const item = (t as { item: TypeExpr }).item;
      const name = env.helper(
        "read",
        t,
        (name) =>
          `function ${name}(r: ${env.use("WireReader")}): ${env.ts(t)} {
  const n = r.arrayLen();
  const out: ${env.ts(t)} = [];
  let i = 0;
  try {
    for (; i < n; i++) out.push(${env.read(item)});
  } catch (e) {
    throw ${env.use("within")}(e, \`[\${i}]\`);
  }
  return out;
}
`,
      );
      return `${name}(r)`;
    },
    write: (t, env, v) => {
      const item = (t as { item: TypeExpr }).item;
      const name = env.helper(
        "write",
        t,
        (name) =>
          `function ${name}(w: ${env.use("BodyWriter")}, v: ${
            env.ts(t)
          }): void {
  const n = ${env.use("checkArray")}(v);
  w.arrayHeader(n);
  let i = 0;
  try {
    for (; i < n; i++) ${env.write(item, "v[i]")}
  } catch (e) {
    throw ${env.use("within")}(e, \`[\${i}]\`);
  }
}
`,
      );
      return `${name}(w, ${v});`;
    },
    notes: [],
    form: "array `90–9f`/`dc`/`dd` of T",
    sample: () => "[]",
    arbitrary: (t, env) =>
      env.fc.array(env.arbitrary((t as { item: TypeExpr }).item), {
        maxLength: 17,
        size: "-1",
      }),
    edge: (t, env, u64, i64) => [
      env.edge((t as { item: TypeExpr }).item, u64, i64),
    ],
    fromVector: (t, json, env) =>
      (json as unknown[]).map((item) =>
        env.fromVector((t as { item: TypeExpr }).item, item)
      ),
    lua: (t, env) => `T.list(${env.lua((t as { item: TypeExpr }).item)})`,
  },
  map: {
    ts: (t, env) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      return `Map<${env.ts(m.key)}, ${env.ts(m.value)}>`;
    },
    rust: (t, env) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      return `HashMap<${env.rust(m.key)}, ${env.rust(m.value)}>`;
    },
    wire: (t, env) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      return `map{${env.wire(m.key)}:${env.wire(m.value)}}`;
    },
    read: (t, env) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      const name = env.helper(
        "read",
        t,
        (name) =>
          `function ${name}(r: ${env.use("WireReader")}): ${env.ts(t)} {
  const n = r.mapLen();
  const out: ${env.ts(t)} = new Map();
  let key: ${env.ts(m.key)} | undefined;
  try {
    for (let i = 0; i < n; i++) {
      key = undefined;
      const k = ${env.read(m.key)};
      key = k;
      out.set(k, ${env.read(m.value)});
    }
  } catch (e) {
    throw ${env.use("within")}(e, key === undefined ? ".<key>" : ${
            env.use("keySegment")
          }(key));
  }
  return out;
}
`,
      );
      return `${name}(r)`;
    },
    write: (t, env, v) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      const name = env.helper(
        "write",
        t,
        (name) =>
          `function ${name}(w: ${env.use("BodyWriter")}, v: ${
            env.ts(t)
          }): void {
  w.mapHeader(${env.use("checkMap")}(v));
  let key: ${env.ts(m.key)} | undefined;
  let inKey = true;
  try {
    for (const [k, x] of v) {
      inKey = true;
      key = k;
      ${env.write(m.key, "k")}
      inKey = false;
      ${env.write(m.value, "x")}
    }
  } catch (e) {
    throw ${env.use("within")}(e, inKey ? ".<key>" : ${
            env.use("keySegment")
          }(key!));
  }
}
`,
      );
      return `${name}(w, ${v});`;
    },
    notes: [],
    form: "map `80–8f`/`de`/`df`; K is `string` or unsigned",
    sample: () => "new Map()",
    arbitrary: (t, env) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      return env.fc.uniqueArray(
        env.fc.tuple(env.arbitrary(m.key), env.arbitrary(m.value)),
        { selector: (entry) => entry[0], maxLength: 17, size: "-1" },
      ).map((entries) => new Map(entries));
    },
    edge: (t, env, u64, i64) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      return new Map([[
        env.edge(m.key, u64, i64),
        env.edge(m.value, u64, i64),
      ]]);
    },
    fromVector: (t, json, env) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      return new Map(
        Object.entries(json as Record<string, unknown>).map(([k, v]) => [
          env.fromVector(m.key, k),
          env.fromVector(m.value, v),
        ]),
      );
    },
    lua: (t, env) => {
      const m = t as { key: TypeExpr; value: TypeExpr };
      return `T.map(${env.lua(m.key)}, ${env.lua(m.value)})`;
    },
  },
  option: {
    ts: (t, env) => `${env.ts((t as { item: TypeExpr }).item)} | null`,
    rust: (t, env) => `Option<${env.rust((t as { item: TypeExpr }).item)}>`,
    wire: (t, env) => `nil|${env.wire((t as { item: TypeExpr }).item)}`,
    read: (t, env) =>
      `(r.nil() ? null : ${env.read((t as { item: TypeExpr }).item)})`,
    write: (t, env, v) => {
      const local = env.local();
      return `{
  const ${local} = ${v};
  if (${local} === null) w.nil();
  else ${env.write((t as { item: TypeExpr }).item, local)}
}`;
    },
    notes: ["`null` is None (nil)."],
    form: "`c0` for None, else T's own form",
    sample: () => "null",
    arbitrary: (t, env) =>
      env.fc.option(env.arbitrary((t as { item: TypeExpr }).item), {
        nil: null,
      }),
    edge: (t, env, u64, i64) =>
      env.edge((t as { item: TypeExpr }).item, u64, i64),
    fromVector: (t, json, env) =>
      json === null
        ? null
        : env.fromVector((t as { item: TypeExpr }).item, json),
    lua: (t, env) => `T.option(${env.lua((t as { item: TypeExpr }).item)})`,
  },
  tuple: {
    ts: (t, env) =>
      `[${(t as { items: TypeExpr[] }).items.map(env.ts).join(", ")}]`,
    rust: (t, env) =>
      `(${(t as { items: TypeExpr[] }).items.map(env.rust).join(", ")})`,
    wire: (t, env) =>
      `[${(t as { items: TypeExpr[] }).items.map(env.wire).join(",")}]`,
    read: (t, env) => {
      const items = (t as { items: TypeExpr[] }).items;
      const name = env.helper(
        "read",
        t,
        (name) =>
          `function ${name}(r: ${env.use("WireReader")}): ${env.ts(t)} {
  r.struct(${items.length});
  let i = 0;
  try {
    ${
            items.map((item, i) => `const v${i} = ${env.read(item)};\ni++;`)
              .join("\n")
          }
    return [${items.map((_, i) => `v${i}`).join(", ")}];
  } catch (e) {
    throw ${env.use("within")}(e, \`[\${i}]\`);
  }
}
`,
      );
      return `${name}(r)`;
    },
    write: (t, env, v) => {
      const items = (t as { items: TypeExpr[] }).items;
      const name = env.helper(
        "write",
        t,
        (name) =>
          `function ${name}(w: ${env.use("BodyWriter")}, v: ${
            env.ts(t)
          }): void {
  ${env.use("checkTuple")}(v, ${items.length});
  w.byte(0x${(0x90 | items.length).toString(16)});
  let i = 0;
  try {
    ${items.map((item, i) => `${env.write(item, `v[${i}]`)}\ni++;`).join("\n")}
  } catch (e) {
    throw ${env.use("within")}(e, \`[\${i}]\`);
  }
}
`,
      );
      return `${name}(w, ${v});`;
    },
    notes: ["A tuple: an array of exactly its items, in order."],
    form: "array of exactly its items, in order",
    sample: (t, env) =>
      `[${(t as { items: TypeExpr[] }).items.map(env.sample).join(", ")}]`,
    arbitrary: (t, env) =>
      env.fc.tuple(...(t as { items: TypeExpr[] }).items.map(env.arbitrary)),
    edge: (t, env, u64, i64) =>
      (t as { items: TypeExpr[] }).items.map((item) =>
        env.edge(item, u64, i64)
      ),
    fromVector: (t, json, env) =>
      (t as { items: TypeExpr[] }).items.map((item, i) =>
        env.fromVector(item, (json as unknown[])[i])
      ),
    lua: (t, env) =>
      `T.tuple({ ${
        (t as { items: TypeExpr[] }).items.map(env.lua).join(", ")
      } })`,
  },
  named: {
    ts: (t) => (t as { name: string }).name,
    rust: (t) => (t as { name: string }).name,
    wire: (t, env) => {
      const n = env.fieldCount((t as { name: string }).name);
      return n === undefined ? "enum" : `[${n} fields]`;
    },
    read: (t) => `read${(t as { name: string }).name}(r)`,
    write: (t, _env, v) => `write${(t as { name: string }).name}(w, ${v});`,
    notes: [],
    form: "its own positional array (struct) or its variant form (enum)",
    // Named samples, arbitraries, edges and vector values are resolved by the
    // caller, which knows the struct's fields or the enum's variants.
    sample: () => {
      throw new Error("named types are sampled by the caller");
    },
    arbitrary: () => {
      throw new Error("named types are resolved by the caller");
    },
    edge: () => {
      throw new Error("named types are resolved by the caller");
    },
    fromVector: () => {
      throw new Error("named types are resolved by the caller");
    },
    lua: (t, env) => {
      const name = (t as { name: string }).name;
      return `T.${env.isEnum(name) ? "enum_ref" : "struct_ref"}(${
        JSON.stringify(name)
      })`;
    },
  },
};

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
