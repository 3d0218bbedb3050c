/**
 * Emits `generated/<revision>/schema.ts`: the spec's types and messages as run-time data
 * (every struct with its fields in wire order, every enum with its variants,
 * and the body struct of each message type), for tools that walk typed values
 * without knowing the protocol at compile time, such as the capture inspector
 * (`tools/cli.ts`).
 *
 * Data in, declarations out: the descriptor is the validated spec minus its
 * docs, so it can never disagree with the generated codecs.
 *
 * @module
 */

import type { SourceFile } from "ts-morph";
import { VariableDeclarationKind } from "ts-morph";
import { DIRECTIONS } from "./spec.ts";
import type { Spec, SpecField, SpecType } from "./spec.ts";
import { SCALARS } from "./types.ts";
import type { TypeExpr } from "./types.ts";

/** Adds an exported interface whose properties are all readonly and documented. */
function addReadonlyInterface(
  file: SourceFile,
  name: string,
  doc: string,
  properties: ReadonlyArray<readonly [string, string, string]>,
): void {
  file.addInterface({
    name,
    isExported: true,
    docs: [doc],
    properties: properties.map(([prop, type, propDoc]) => ({
      name: prop,
      type,
      isReadonly: true,
      docs: [propDoc],
    })),
  });
}

/** Renders a code as `0xNN`, as the other generated files do. */
function hexCode(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** A type expression as an object literal (a `SchemaTypeRef`). */
function typeLiteral(t: TypeExpr): string {
  switch (t.kind) {
    case "scalar":
      return `{ kind: "scalar", name: ${JSON.stringify(t.name)} }`;
    case "fixed":
      return `{ kind: "fixed", length: ${t.length} }`;
    case "list":
    case "option":
      return `{ kind: "${t.kind}", item: ${typeLiteral(t.item)} }`;
    case "map":
      return `{ kind: "map", key: ${typeLiteral(t.key)}, value: ${
        typeLiteral(t.value)
      } }`;
    case "tuple":
      return `{ kind: "tuple", items: [${
        t.items.map(typeLiteral).join(", ")
      }] }`;
    case "named":
      return `{ kind: "named", name: ${JSON.stringify(t.name)} }`;
  }
}

function fieldsLiteral(fields: SpecField[]): string {
  return `[\n${
    fields.map((f) =>
      `{ name: ${JSON.stringify(f.name)}, tsName: ${
        JSON.stringify(f.tsName)
      }, type: ${typeLiteral(f.type)} },`
    ).join("\n")
  }\n]`;
}

function namedLiteral(t: SpecType): string {
  if (t.kind === "struct") {
    return `{ kind: "struct", name: ${JSON.stringify(t.name)}, fields: ${
      fieldsLiteral(t.fields)
    } }`;
  }
  const variants = t.variants.map((v) =>
    `{ name: ${JSON.stringify(v.name)}, fields: ${
      v.fields === null ? "null" : fieldsLiteral(v.fields)
    } },`
  ).join("\n");
  return `{ kind: "enum", name: ${
    JSON.stringify(t.name)
  }, variants: [\n${variants}\n] }`;
}

/** Interfaces of the descriptor: [name, doc, properties as [name, type, doc]]. */
const TYPE_REF_INTERFACES: Array<
  [string, string, Array<[string, string, string]>]
> = [
  ["SchemaScalarRef", "A scalar type (`u8`, `string`, `bytes`, …).", [
    ["kind", '"scalar"', "Discriminant."],
    ["name", "SchemaScalar", "The scalar's name in the spec."],
  ]],
  [
    "SchemaFixedRef",
    "`u8xN`: exactly N bytes, written as an array of N uints (TS `Uint8Array`).",
    [
      ["kind", '"fixed"', "Discriminant."],
      ["length", "number", "N, the number of bytes."],
    ],
  ],
  [
    "SchemaListRef",
    "`list<T>`: an array of T (`list<u8>` is a `Uint8Array` written as an array of uints).",
    [
      ["kind", '"list"', "Discriminant."],
      ["item", "SchemaTypeRef", "The item type."],
    ],
  ],
  ["SchemaMapRef", "`map<K, V>` (TS `Map`).", [
    ["kind", '"map"', "Discriminant."],
    ["key", "SchemaTypeRef", "The key type: `string` or an unsigned scalar."],
    ["value", "SchemaTypeRef", "The value type."],
  ]],
  ["SchemaOptionRef", "`option<T>`: nil for None (TS `T | null`).", [
    ["kind", '"option"', "Discriminant."],
    ["item", "SchemaTypeRef", "The type of the present value."],
  ]],
  [
    "SchemaTupleRef",
    "`tuple<A, B, …>`: an array of exactly its items (TS a tuple).",
    [
      ["kind", '"tuple"', "Discriminant."],
      ["items", "readonly SchemaTypeRef[]", "The item types, in order."],
    ],
  ],
  ["SchemaNamedRef", "A struct or enum of {@linkcode SYNC_SCHEMA}`.types`.", [
    ["kind", '"named"', "Discriminant."],
    ["name", "string", "The type's name, a key of `SYNC_SCHEMA.types`."],
  ]],
];

/**
 * Adds every declaration of `schema.ts` to `file`.
 *
 * @param file An empty in-memory source file.
 * @param spec A validated spec.
 */
export function addSchema(file: SourceFile, spec: Spec): void {
  file.addTypeAlias({
    name: "SchemaScalar",
    isExported: true,
    type: SCALARS.map((s) => JSON.stringify(s)).join(" | "),
    docs: [
      "The scalar types of the spec's vocabulary. `u8`–`u32` are TS `number`s; `u64`, `usize` and `i64` are `bigint`s; `bytes` is a `Uint8Array` written as bin.",
    ],
  });
  for (const [name, doc, properties] of TYPE_REF_INTERFACES) {
    addReadonlyInterface(file, name, doc, properties);
  }
  file.addTypeAlias({
    name: "SchemaTypeRef",
    isExported: true,
    type: TYPE_REF_INTERFACES.map(([name]) => name).join("\n  | "),
    docs: [
      'The type of a field, as parsed from the spec (`map<string, u64>` is `{ kind: "map", key: …, value: … }`).',
    ],
  });
  addReadonlyInterface(
    file,
    "SchemaField",
    "One field of a struct or data variant.",
    [
      ["name", "string", "The wire (Rust) name, snake_case."],
      ["tsName", "string", "The property name in the generated interface."],
      ["type", "SchemaTypeRef", "The field's type."],
    ],
  );
  addReadonlyInterface(
    file,
    "SchemaStruct",
    "A struct: on the wire an array of exactly its fields, in this order.",
    [
      ["kind", '"struct"', "Discriminant."],
      ["name", "string", "The struct's name (its generated interface)."],
      ["fields", "readonly SchemaField[]", "The fields, in wire order."],
    ],
  );
  addReadonlyInterface(
    file,
    "SchemaVariant",
    "One enum variant: a unit variant when `fields` is `null` (the bare tag string in 2026-07, `[tag, nil]` in 2026-04), else `[tag, [fields…]]`.",
    [
      [
        "name",
        "string",
        "The tag on the wire, and the `kind` of the TS value.",
      ],
      [
        "fields",
        "readonly SchemaField[] | null",
        "The fields of a data variant in wire order, or `null` for a unit variant.",
      ],
    ],
  );
  addReadonlyInterface(
    file,
    "SchemaEnum",
    "An enum: a union on `kind` in TypeScript.",
    [
      ["kind", '"enum"', "Discriminant."],
      ["name", "string", "The enum's name (its generated union type)."],
      ["variants", "readonly SchemaVariant[]", "The variants, in spec order."],
    ],
  );
  file.addTypeAlias({
    name: "SchemaNamedType",
    isExported: true,
    type: "SchemaStruct | SchemaEnum",
    docs: ["A named type of the spec."],
  });
  addReadonlyInterface(
    file,
    "SchemaMessage",
    "One message type and its body struct.",
    [
      ["code", "number", "The type byte."],
      ["name", "string", "The `SyncMessageType` member name."],
      [
        "direction",
        DIRECTIONS.map((d) => JSON.stringify(d)).join(" | "),
        "Who may send it (the `Direction` of `directionOf`).",
      ],
      ["body", "string", "The body struct, a key of `SYNC_SCHEMA.types`."],
    ],
  );
  addReadonlyInterface(
    file,
    "SyncSchema",
    "The type of {@linkcode SYNC_SCHEMA}.",
    [
      ["revision", "string", "The protocol revision."],
      [
        "types",
        "Readonly<Record<string, SchemaNamedType>>",
        "Every struct and enum by name, in spec order.",
      ],
      [
        "messages",
        "readonly SchemaMessage[]",
        "Every message type, in spec order.",
      ],
    ],
  );

  const types = spec.types.map((t) => `${t.name}: ${namedLiteral(t)},`).join(
    "\n",
  );
  const messages = spec.messages.map((m) =>
    `{ code: ${hexCode(m.code)}, name: ${JSON.stringify(m.name)}, direction: ${
      JSON.stringify(m.direction)
    }, body: ${JSON.stringify(m.body)} },`
  ).join("\n");
  // The example shows the message with the shortest body, to stay short.
  const fieldsOf = (name: string) => {
    const t = spec.types.find((t) => t.name === name);
    return t?.kind === "struct" ? t.fields : [];
  };
  const sample = spec.messages.reduce((best, m) =>
    fieldsOf(m.body).length < fieldsOf(best.body).length ? m : best
  );
  const sampleFields = fieldsOf(sample.body).map((f) => JSON.stringify(f.name))
    .join(", ");
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{
      name: "SYNC_SCHEMA",
      type: "SyncSchema",
      initializer: `{\nrevision: ${
        JSON.stringify(spec.revision)
      },\ntypes: {\n${types}\n},\nmessages: [\n${messages}\n],\n}`,
    }],
    docs: [
      "Every struct, enum and message of the spec, as data (read-only: do not modify it).\n\n" +
      "@example The body layout of a message type\n" +
      "```ts\n" +
      'import { SYNC_SCHEMA } from "./schema.ts";\n' +
      'import assert from "node:assert/strict";\n\n' +
      `const message = SYNC_SCHEMA.messages.find((m) => m.code === ${
        hexCode(sample.code)
      })!;\n` +
      `assert.equal(message.body, ${JSON.stringify(sample.body)});\n` +
      "const body = SYNC_SCHEMA.types[message.body];\n" +
      'assert.equal(body.kind, "struct");\n' +
      'if (body.kind === "struct") {\n' +
      `  assert.deepEqual(body.fields.map((f) => f.name), [${sampleFields}]);\n` +
      "}\n" +
      "```",
    ],
  });
}
