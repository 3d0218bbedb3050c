/**
 * The one table of field kinds: a row per kind of spec type, holding every
 * fact about it — the TypeScript type, the Rust type, the wire form (tag and
 * prose), the generated reader expression and writer statement, the doc
 * note, a sample value for doc examples, an edge value, the property-test
 * arbitrary, the conversion of a reference vector's JSON value and the
 * Wireshark schema node. `kinds.ts` is how emitters and tests read it;
 * adding a field kind means adding one row here.
 *
 * @module
 */

import type { TypeExpr } from "./types.ts";
import type { FieldKind, KindName } from "./kind_types.ts";

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
export const FIELD_KINDS: Record<KindName, FieldKind> = {
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
