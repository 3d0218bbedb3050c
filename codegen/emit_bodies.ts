/**
 * Emits `generated/2026-04/bodies.ts`: a TypeScript interface plus a straight-line
 * encoder and decoder for every struct and enum of the spec, and the
 * message-level API (`SyncMessage`, `encodeMessage`, `decodeMessage`, …).
 *
 * The generated codecs call one `WireReader` method or one `put*` function per
 * scalar field (codec/_wire.ts); lists and maps get one small function per
 * distinct container type. Nothing is interpreted from the schema at run time.
 *
 * @module
 */

import type { SourceFile } from "ts-morph";
import { recursiveTypes } from "./spec.ts";
import type {
  Spec,
  SpecEnum,
  SpecField,
  SpecMessage,
  SpecStruct,
  SpecType,
  SpecVariant,
} from "./spec.ts";
import { isU8List, rustType, tsType, typeText, wireForm } from "./types.ts";
import type { TypeExpr } from "./types.ts";

/** Makes arbitrary text safe inside a `/** … *\/` block. */
function escapeDoc(text: string): string {
  return text.replaceAll("*/", "*\\/").replace(/^@/gm, "\\@");
}

/** Renders a code as `0xNN`. */
function hexCode(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

const DIRECTION_TEXT = {
  client_to_server: "client → server",
  server_to_client: "server → client",
  bidirectional: "bidirectional",
} as const;

/** Facts shared by the emitters of one spec. */
class Context {
  readonly spec: Spec;
  readonly byName: Map<string, SpecType>;
  readonly recursive: Set<string>;
  /** Container helpers by name, in first-use order. */
  readonly readers = new Map<string, string>();
  readonly writers = new Map<string, string>();

  constructor(spec: Spec) {
    this.spec = spec;
    this.byName = new Map(spec.types.map((t) => [t.name, t]));
    this.recursive = recursiveTypes(spec);
  }

  fieldCount = (name: string): number | undefined => {
    const t = this.byName.get(name);
    return t?.kind === "struct" ? t.fields.length : undefined;
  };

  wire(t: TypeExpr): string {
    return wireForm(t, this.fieldCount);
  }

  messagesOf(name: string): SpecMessage[] {
    return this.spec.messages.filter((m) => m.body === name);
  }
}

/** "a" or "an" before a name. */
function article(name: string): string {
  return /^[AEIOU]/.test(name) ? "an" : "a";
}

/** A stable identifier fragment for a container type, e.g. `map_string_u64`. */
function slug(t: TypeExpr): string {
  return typeText(t).replace(/[<>, ]+/g, "_").replace(/_+$/, "");
}

// ---------------------------------------------------------------------------
// Reading

function readExpr(ctx: Context, t: TypeExpr): string {
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "u8":
          return "r.u8()";
        case "u16":
          return "r.u16()";
        case "u32":
          return "r.u32()";
        case "u64":
        case "usize":
          return "r.u64()";
        case "i64":
          return "r.i64()";
        case "bool":
          return "r.bool()";
        case "string":
          return "r.str()";
        case "bytes":
          return "r.bin()";
      }
      break;
    case "fixed":
      return `r.fixedBytes(${t.length})`;
    case "list":
      if (isU8List(t)) return "r.u8List()";
      return `${listReader(ctx, t)}(r)`;
    case "map":
      return `${mapReader(ctx, t)}(r)`;
    case "option":
      return `(r.nil() ? null : ${readExpr(ctx, t.item)})`;
    case "named":
      return `read${t.name}(r)`;
  }
  throw new Error("unreachable");
}

function listReader(ctx: Context, t: TypeExpr & { kind: "list" }): string {
  const name = `read_${slug(t)}`;
  if (ctx.readers.has(name)) return name;
  ctx.readers.set(name, ""); // reserve before recursing
  ctx.readers.set(
    name,
    `function ${name}(r: WireReader): ${tsType(t)} {
  const n = r.arrayLen();
  const out: ${tsType(t)} = [];
  let i = 0;
  try {
    for (; i < n; i++) out.push(${readExpr(ctx, t.item)});
  } catch (e) {
    throw within(e, \`[\${i}]\`);
  }
  return out;
}
`,
  );
  return name;
}

function mapReader(ctx: Context, t: TypeExpr & { kind: "map" }): string {
  const name = `read_${slug(t)}`;
  if (ctx.readers.has(name)) return name;
  ctx.readers.set(name, "");
  const key = tsType(t.key);
  ctx.readers.set(
    name,
    `function ${name}(r: WireReader): ${tsType(t)} {
  const n = r.mapLen();
  const out: ${tsType(t)} = new Map();
  let key: ${key} | undefined;
  try {
    for (let i = 0; i < n; i++) {
      key = undefined;
      const k = ${readExpr(ctx, t.key)};
      key = k;
      out.set(k, ${readExpr(ctx, t.value)});
    }
  } catch (e) {
    throw within(e, key === undefined ? ".<key>" : keySegment(key));
  }
  return out;
}
`,
  );
  return name;
}

/** Statements reading `fields` into `v0…vN`, setting `f` to the path before each. */
function readFieldStatements(
  ctx: Context,
  fields: SpecField[],
  prefix: string,
): string {
  return fields.map((field, i) =>
    `f = ${JSON.stringify(`${prefix}.${field.name}`)};\n` +
    `const v${i} = ${readExpr(ctx, field.type)};`
  ).join("\n");
}

function objectLiteral(fields: SpecField[], kind?: string): string {
  const parts = kind === undefined ? [] : [`kind: ${JSON.stringify(kind)}`];
  fields.forEach((field, i) => parts.push(`${field.tsName}: v${i}`));
  return `{ ${parts.join(", ")} }`;
}

function structReader(ctx: Context, t: SpecStruct): string {
  const recursive = ctx.recursive.has(t.name);
  const result = objectLiteral(t.fields);
  return `function read${t.name}(r: WireReader): ${t.name} {
  let f = "";
  try {
    r.struct(${t.fields.length});${recursive ? "\nr.enter();" : ""}
    ${readFieldStatements(ctx, t.fields, "")}
    ${
    recursive
      ? `const result: ${t.name} = ${result};\nr.depth--;\nreturn result;`
      : `return ${result};`
  }
  } catch (e) {
    throw within(e, f);
  }
}
`;
}

function enumReader(ctx: Context, t: SpecEnum): string {
  const recursive = ctx.recursive.has(t.name);
  const cases = t.variants.map((v) => {
    const tag = JSON.stringify(v.name);
    const path = JSON.stringify(`.${v.name}`);
    const ret = (value: string) =>
      recursive
        ? `const result: ${t.name} = ${value};\nr.depth--;\nreturn result;`
        : `return ${value};`;
    if (v.fields === null) {
      return `case ${tag}:
  f = ${path};
  r.unit();
  ${ret(`{ kind: ${tag} }`)}`;
    }
    return `case ${tag}: {
  f = ${path};
  r.struct(${v.fields.length});
  ${readFieldStatements(ctx, v.fields, `.${v.name}`)}
  ${ret(objectLiteral(v.fields, v.name))}
}`;
  }).join("\n");
  return `function read${t.name}(r: WireReader): ${t.name} {
  const tag = r.enumTag();
  let f = "";
  try {${recursive ? "\nr.enter();" : ""}
    switch (tag) {
      ${cases}
      default:
        throw r.unknownVariant(tag, ${JSON.stringify(t.name)});
    }
  } catch (e) {
    throw within(e, f);
  }
}
`;
}

// ---------------------------------------------------------------------------
// Writing

let optionCounter = 0;

function writeStatement(ctx: Context, t: TypeExpr, value: string): string {
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "u8":
          return `putU8(w, ${value});`;
        case "u16":
          return `putU16(w, ${value});`;
        case "u32":
          return `putU32(w, ${value});`;
        case "u64":
        case "usize":
          return `putU64(w, ${value});`;
        case "i64":
          return `putI64(w, ${value});`;
        case "bool":
          return `putBool(w, ${value});`;
        case "string":
          return `putStr(w, ${value});`;
        case "bytes":
          return `putBin(w, ${value});`;
      }
      break;
    case "fixed":
      return `putFixedBytes(w, ${value}, ${t.length});`;
    case "list":
      if (isU8List(t)) return `putU8List(w, ${value});`;
      return `${listWriter(ctx, t)}(w, ${value});`;
    case "map":
      return `${mapWriter(ctx, t)}(w, ${value});`;
    case "option": {
      const local = `o${optionCounter++}`;
      return `{
  const ${local} = ${value};
  if (${local} === null) w.nil();
  else ${writeStatement(ctx, t.item, local)}
}`;
    }
    case "named":
      return `write${t.name}(w, ${value});`;
  }
  throw new Error("unreachable");
}

function listWriter(ctx: Context, t: TypeExpr & { kind: "list" }): string {
  const name = `write_${slug(t)}`;
  if (ctx.writers.has(name)) return name;
  ctx.writers.set(name, "");
  ctx.writers.set(
    name,
    `function ${name}(w: BodyWriter, v: ${tsType(t)}): void {
  const n = checkArray(v);
  w.arrayHeader(n);
  let i = 0;
  try {
    for (; i < n; i++) ${writeStatement(ctx, t.item, "v[i]")}
  } catch (e) {
    throw within(e, \`[\${i}]\`);
  }
}
`,
  );
  return name;
}

function mapWriter(ctx: Context, t: TypeExpr & { kind: "map" }): string {
  const name = `write_${slug(t)}`;
  if (ctx.writers.has(name)) return name;
  ctx.writers.set(name, "");
  ctx.writers.set(
    name,
    `function ${name}(w: BodyWriter, v: ${tsType(t)}): void {
  w.mapHeader(checkMap(v));
  let key: ${tsType(t.key)} | undefined;
  let inKey = true;
  try {
    for (const [k, x] of v) {
      inKey = true;
      key = k;
      ${writeStatement(ctx, t.key, "k")}
      inKey = false;
      ${writeStatement(ctx, t.value, "x")}
    }
  } catch (e) {
    throw within(e, inKey ? ".<key>" : keySegment(key!));
  }
}
`,
  );
  return name;
}

/** A struct or variant array header: one fixarray byte up to 15 fields. */
function arrayHeader(n: number): string {
  return n <= 15
    ? `w.byte(0x${(0x90 | n).toString(16)});`
    : `w.arrayHeader(${n});`;
}

function writeFieldStatements(
  ctx: Context,
  fields: SpecField[],
  prefix: string,
): string {
  return fields.map((field) =>
    `f = ${JSON.stringify(`${prefix}.${field.name}`)};\n` +
    writeStatement(ctx, field.type, `v.${field.tsName}`)
  ).join("\n");
}

function structWriter(ctx: Context, t: SpecStruct): string {
  const recursive = ctx.recursive.has(t.name);
  return `function write${t.name}(w: BodyWriter, v: ${t.name}): void {
  let f = "";
  try {
    checkObject(v, "${article(t.name)} ${t.name}");${
    recursive ? "\nenterWrite(w);" : ""
  }
    ${arrayHeader(t.fields.length)}
    ${writeFieldStatements(ctx, t.fields, "")}${recursive ? "\nw.depth--;" : ""}
  } catch (e) {
    throw within(e, f);
  }
}
`;
}

function enumWriter(ctx: Context, t: SpecEnum): string {
  const recursive = ctx.recursive.has(t.name);
  const hasData = t.variants.some((v) => v.fields !== null);
  const cases = t.variants.map((v) => {
    const tag = JSON.stringify(v.name);
    const head = `w.byte(0x92);\nw.str(${tag});`;
    const done = recursive ? "w.depth--;\nreturn;" : "return;";
    if (v.fields === null) {
      return `case ${tag}:
  ${head}
  w.nil();
  ${done}`;
    }
    return `case ${tag}:
  f = ${JSON.stringify(`.${v.name}`)};
  ${head}
  ${arrayHeader(v.fields.length)}
  ${writeFieldStatements(ctx, v.fields, `.${v.name}`)}
  ${done}`;
  }).join("\n");
  const body = `checkObject(v, "${article(t.name)} ${t.name} variant");${
    recursive ? "\nenterWrite(w);" : ""
  }
switch (v.kind) {
  ${cases}
  default:
    throw unknownKind(v, ${JSON.stringify(t.name)});
}`;
  return `function write${t.name}(w: BodyWriter, v: ${t.name}): void {
${
    hasData
      ? `let f = "";
try {
  ${body}
} catch (e) {
  throw within(e, f);
}`
      : body
  }
}
`;
}

// ---------------------------------------------------------------------------
// Docs and examples

function bodyOf(ctx: Context, name: string): string {
  const messages = ctx.messagesOf(name);
  if (messages.length === 0) return "";
  return "\n\n" +
    messages.map((m) =>
      `Body of {@linkcode SyncMessageType.${m.name}} (code \`${
        hexCode(m.code)
      }\`, ${DIRECTION_TEXT[m.direction]}).`
    ).join("\n");
}

function fieldDoc(
  ctx: Context,
  field: SpecField,
  index: number,
): string {
  const t = field.type;
  const notes: string[] = [];
  if (t.kind === "option") notes.push("`null` is None (nil).");
  if (t.kind === "fixed") {
    notes.push(
      `Exactly ${t.length} bytes, written as an array of integers (never bin).`,
    );
  }
  if (isU8List(t)) notes.push("Written as an array of integers (never bin).");
  if (t.kind === "scalar" && t.name === "bytes") {
    notes.push(
      "Decoded as a view into the body unless `copy: true` is passed.",
    );
  }
  if (t.kind === "scalar" && t.name === "i64") {
    notes.push(
      "Signed: written with int markers, never uint markers above 127.",
    );
  }
  return `${escapeDoc(field.doc)}\n\nWire: field #${
    index + 1
  } \`${field.name}\`, \`${escapeDoc(ctx.wire(t))}\` (Rust \`${
    escapeDoc(rustType(t))
  }\`).${notes.length > 0 ? " " + notes.join(" ") : ""}`;
}

/** A TS expression for a sample value of `t` (for examples). */
function sample(ctx: Context, t: TypeExpr, visiting: Set<string>): string {
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "u8":
        case "u16":
        case "u32":
          return "1";
        case "u64":
        case "usize":
        case "i64":
          return "1n";
        case "bool":
          return "true";
        case "string":
          return '"x"';
        case "bytes":
          return "new Uint8Array([1, 2])";
      }
      break;
    case "fixed":
      return `new Uint8Array(${t.length})`;
    case "list":
      return isU8List(t) ? "new Uint8Array([3])" : "[]";
    case "map":
      return "new Map()";
    case "option":
      return "null";
    case "named": {
      const named = ctx.byName.get(t.name)!;
      visiting.add(named.name);
      let text: string;
      if (named.kind === "struct") {
        text = sampleObject(ctx, named.fields, visiting);
      } else {
        const variant = named.variants.find((v) =>
          (v.fields ?? []).every((f) =>
            !(f.type.kind === "named" && visiting.has(f.type.name))
          )
        ) ?? named.variants[0];
        text = sampleObject(ctx, variant.fields ?? [], visiting, variant.name);
      }
      visiting.delete(named.name);
      return text;
    }
  }
  throw new Error("unreachable");
}

function sampleObject(
  ctx: Context,
  fields: SpecField[],
  visiting: Set<string>,
  kind?: string,
): string {
  const parts = kind === undefined ? [] : [`kind: ${JSON.stringify(kind)}`];
  for (const field of fields) {
    parts.push(`${field.tsName}: ${sample(ctx, field.type, visiting)}`);
  }
  return `{ ${parts.join(", ")} }`;
}

function structExample(ctx: Context, t: SpecStruct, fn: "encode" | "decode") {
  const value = sample(ctx, { kind: "named", name: t.name }, new Set());
  const title = fn === "encode" ? "Encoding a body" : "Decoding a body";
  return `@example ${title}
\`\`\`ts
import { decode${t.name}, encode${t.name}, type ${t.name} } from "@sync/frame";
import assert from "node:assert/strict";

const body: ${t.name} = ${value};
const bytes = encode${t.name}(body);${
    t.fields.length <= 15
      ? `\nassert.equal(bytes[0], 0x${
        (0x90 | t.fields.length).toString(16)
      }); // an array of ${t.fields.length} field(s)`
      : ""
  }
assert.deepEqual(decode${t.name}(bytes), body);
\`\`\``;
}

// ---------------------------------------------------------------------------
// Declarations

function addStruct(file: SourceFile, ctx: Context, t: SpecStruct): void {
  file.addInterface({
    name: t.name,
    isExported: true,
    docs: [
      `${
        escapeDoc(t.doc)
      }\n\nWire: a MessagePack array of exactly ${t.fields.length} field(s), in the order below (zerompk array mode; no field names on the wire).${
        bodyOf(ctx, t.name)
      }`,
    ],
    properties: t.fields.map((field, i) => ({
      name: field.tsName,
      type: tsType(field.type),
      docs: [fieldDoc(ctx, field, i)],
    })),
  });
}

function variantInterface(t: SpecEnum, v: SpecVariant): string {
  return `${t.name}${v.name}`;
}

function addEnum(file: SourceFile, ctx: Context, t: SpecEnum): void {
  for (const v of t.variants) {
    const wire = v.fields === null
      ? `\`["${v.name}", nil]\` (unit variant)`
      : `\`["${v.name}", [${
        v.fields.map((f) => f.name).join(", ")
      }]]\` (data variant: an array of exactly ${v.fields.length} field(s))`;
    file.addInterface({
      name: variantInterface(t, v),
      isExported: true,
      docs: [
        `${
          escapeDoc(v.doc)
        }\n\nVariant \`${v.name}\` of {@linkcode ${t.name}}. Wire: ${wire}.`,
      ],
      properties: [
        {
          name: "kind",
          type: JSON.stringify(v.name),
          docs: [`The variant: the tag \`"${v.name}"\` on the wire.`],
        },
        ...(v.fields ?? []).map((field, i) => ({
          name: field.tsName,
          type: tsType(field.type),
          docs: [fieldDoc(ctx, field, i)],
        })),
      ],
    });
  }
  file.addTypeAlias({
    name: t.name,
    isExported: true,
    type: t.variants.map((v) => variantInterface(t, v)).join("\n  | "),
    docs: [
      `${
        escapeDoc(t.doc)
      }\n\nWire: a 2-array \`[tag, payload]\`: the variant name as a str, then nil for a unit variant or an array of the variant's fields for a data variant (zerompk 0.4.1; the bare-string form of later versions is not accepted). In TypeScript, \`kind\` holds the variant name.\n\nVariants: ${
        t.variants.map((v) => `\`${v.name}\``).join(", ")
      }.`,
    ],
  });
}

const THROWS_ENCODE =
  '@throws {FrameError} `"bad_value"` with the field `path` when a value does not fit its type (a negative or too large integer, a non-integer, a number where a bigint is expected, a wrong fixed length, a string with a lone surrogate, an unknown variant `kind`).';
const THROWS_DECODE =
  '@throws {FrameError} `"bad_body"` with the field `path` (e.g. `HandshakeMsg.vector_clock`) and the byte `offset` when the bytes are not exactly what zerompk 0.4.1 accepts for this type: wrong array length, a marker outside the field\'s family, invalid UTF-8, bin where an integer array is required (or the reverse), an unknown variant, truncated input or trailing bytes.';

function addStructCodecs(file: SourceFile, ctx: Context, t: SpecStruct): void {
  file.addFunction({
    name: `encode${t.name}`,
    isExported: true,
    parameters: [
      { name: "body", type: t.name },
      { name: "options", type: "BodyEncodeOptions", hasQuestionToken: true },
    ],
    returnType: "Uint8Array",
    docs: [
      `Encodes a {@linkcode ${t.name}} exactly as zerompk 0.4.1 writes it: minimal integer forms, int markers for signed fields, bin for direct byte fields, integer arrays for fixed and nested byte arrays.\n\n` +
      `@param body The value.\n@param options \`shared: true\` for a view of an internal buffer that the next encode call overwrites (no allocation).\n@returns The MessagePack bytes (no frame header), owned by the caller unless \`shared\`.\n${THROWS_ENCODE}\n\n${
        structExample(ctx, t, "encode")
      }`,
    ],
    statements: `begin(WRITER, 0, options);
try {
  write${t.name}(WRITER, body);
} catch (e) {
  throw toFrameError(e, ${JSON.stringify(t.name)});
}
return endBody(WRITER);`,
  });
  file.addFunction({
    name: `decode${t.name}`,
    isExported: true,
    parameters: [
      { name: "bytes", type: "Uint8Array" },
      { name: "options", type: "BodyDecodeOptions", hasQuestionToken: true },
    ],
    returnType: t.name,
    docs: [
      `Decodes a {@linkcode ${t.name}} strictly, accepting exactly what zerompk 0.4.1 accepts. The whole input must be the one value.\n\n` +
      `@param bytes The MessagePack bytes (a body, without frame header).\n@param options \`copy: true\` to copy \`bytes\` fields instead of viewing \`bytes\`.\n@returns The value.\n${THROWS_DECODE}\n\n${
        structExample(ctx, t, "decode")
      }`,
    ],
    statements: `const r = new WireReader(bytes, options);
try {
  const value = read${t.name}(r);
  r.finish();
  return value;
} catch (e) {
  throw toFrameError(e, ${JSON.stringify(t.name)});
}`,
  });
}

function addMessageApi(file: SourceFile, ctx: Context): void {
  const { messages } = ctx.spec;
  file.addInterface({
    name: "MessageBodies",
    isExported: true,
    docs: [
      "The body type of each message type: `MessageBodies[SyncMessageType.PingPong]` is {@linkcode PingPongMsg}.",
    ],
    properties: messages.map((m) => ({
      name: `[SyncMessageType.${m.name}]`,
      type: m.body,
      docs: [
        `${escapeDoc(m.doc)}\n\nCode \`${hexCode(m.code)}\`, ${
          DIRECTION_TEXT[m.direction]
        } (\`${m.direction}\`); body {@linkcode ${m.body}}.`,
      ],
    })),
  });
  file.addTypeAlias({
    name: "SyncMessage",
    isExported: true,
    typeParameters: [{
      name: "T",
      constraint: "SyncMessageType",
      default: "SyncMessageType",
    }],
    type: "{ [K in T]: { type: K; body: MessageBodies[K] } }[T]",
    docs: [
      "A typed message: the discriminated union `{ type: SyncMessageType.X; body: XMsg }` over the message types `T` (default: all). Narrow it by `type`.\n\n" +
      "@typeParam T The message types to include, e.g. {@linkcode ClientMessageType}.\n\n" +
      "@example Narrowing by type\n" +
      "```ts\n" +
      'import { decodeMessage, encodeMessage, SyncMessageType } from "@sync/frame";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const message = decodeMessage(\n" +
      "  encodeMessage(SyncMessageType.PingPong, { timestampMs: 12345n, isPong: false }),\n" +
      ");\n" +
      "if (message.type === SyncMessageType.PingPong) {\n" +
      "  assert.equal(message.body.timestampMs, 12345n); // body is a PingPongMsg here\n" +
      "} else {\n" +
      '  assert.fail("expected a ping");\n' +
      "}\n" +
      "```",
    ],
  });
  file.addTypeAlias({
    name: "ClientMessage",
    isExported: true,
    type: "SyncMessage<ClientMessageType>",
    docs: [
      "Every typed message a client (Lite) may send: client → server and bidirectional types.",
    ],
  });
  file.addTypeAlias({
    name: "ServerMessage",
    isExported: true,
    type: "SyncMessage<ServerMessageType>",
    docs: [
      "Every typed message a server (Origin) may send: server → client and bidirectional types.",
    ],
  });

  const writeCases = (target: string) =>
    messages.map((m) =>
      `case SyncMessageType.${m.name}:
  root = ${JSON.stringify(m.body)};
  write${m.body}(${target}, value as ${m.body});
  break;`
    ).join("\n");
  const unknownType =
    'default:\n  throw new FrameError("unknown_type", `unknown message type ${String(type)}`, { msgType: typeof type === "number" ? type : undefined });';

  // One switch over the message types, shared by both encoders.
  file.addFunction({
    name: "writeMessageBody",
    parameters: [
      { name: "w", type: "BodyWriter" },
      { name: "type", type: "SyncMessageType" },
      { name: "value", type: "MessageBodies[SyncMessageType]" },
    ],
    returnType: "void",
    docs: [
      "Writes the body of a message of `type`; errors name the body struct.",
    ],
    statements: `let root = "";
try {
  switch (type) {
    ${writeCases("w")}
    ${unknownType}
  }
} catch (e) {
  throw toFrameError(e, root, type);
}`,
  });

  file.addFunction({
    name: "encodeMessage",
    isExported: true,
    typeParameters: [{ name: "T", constraint: "SyncMessageType" }],
    parameters: [
      { name: "type", type: "T" },
      { name: "body", type: "MessageBodies[T]" },
      { name: "options", type: "BodyEncodeOptions", hasQuestionToken: true },
    ],
    returnType: "Uint8Array",
    docs: [
      "Encodes a typed message as a whole frame: `[type][u32 LE length][body]`, the body written exactly as zerompk 0.4.1 writes it.\n\n" +
      "@typeParam T The message type.\n" +
      "@param type The message type.\n" +
      "@param body Its body (see {@linkcode MessageBodies}).\n" +
      "@param options `shared: true` for a view of an internal buffer that the next encode call overwrites (no allocation; use it at once).\n" +
      "@returns The frame bytes, owned by the caller unless `shared`.\n" +
      `${THROWS_ENCODE} \`"unknown_type"\` for a type that is not a message type of this revision.\n\n` +
      "@example A ping, byte for byte\n" +
      "```ts\n" +
      'import { encodeMessage, SyncMessageType } from "@sync/frame";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const frame = encodeMessage(SyncMessageType.PingPong, { timestampMs: 12345n, isPong: false });\n" +
      "assert.deepEqual(\n" +
      "  Array.from(frame),\n" +
      "  [0xff, 0x05, 0x00, 0x00, 0x00, 0x92, 0xcd, 0x30, 0x39, 0xc2],\n" +
      ");\n" +
      "```\n\n" +
      "@example Values out of range are refused, never written differently\n" +
      "```ts\n" +
      'import { encodeMessage, FrameError, SyncMessageType } from "@sync/frame";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "assert.throws(\n" +
      "  () => encodeMessage(SyncMessageType.DeltaAck, { mutationId: -1n, lsn: 0n, clockSkewWarningMs: null }),\n" +
      '  (e) => e instanceof FrameError && e.code === "bad_value" && e.path === "DeltaAckMsg.mutation_id",\n' +
      ");\n" +
      "```",
    ],
    statements: `begin(WRITER, 5, options);
writeMessageBody(WRITER, type, body as MessageBodies[SyncMessageType]);
return endFrame(WRITER, type);`,
  });

  file.addFunction({
    name: "encodeMessageBody",
    isExported: true,
    typeParameters: [{ name: "T", constraint: "SyncMessageType" }],
    parameters: [
      { name: "type", type: "T" },
      { name: "body", type: "MessageBodies[T]" },
      { name: "options", type: "BodyEncodeOptions", hasQuestionToken: true },
    ],
    returnType: "Uint8Array",
    docs: [
      "Encodes a typed message's body only (no frame header), e.g. for `new SyncFrame(type, body)`.\n\n" +
      "@typeParam T The message type.\n" +
      "@param type The message type.\n" +
      "@param body Its body (see {@linkcode MessageBodies}).\n" +
      "@param options `shared: true` for a view of an internal buffer that the next encode call overwrites (no allocation; use it at once).\n" +
      "@returns The body bytes, owned by the caller unless `shared`.\n" +
      `${THROWS_ENCODE} \`"unknown_type"\` for a type that is not a message type of this revision.\n\n` +
      "@example\n" +
      "```ts\n" +
      'import { encodeMessageBody, SyncMessageType } from "@sync/frame";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const body = encodeMessageBody(SyncMessageType.DeltaAck, {\n" +
      "  mutationId: 8n,\n" +
      "  lsn: 0n,\n" +
      "  clockSkewWarningMs: -90000000n,\n" +
      "});\n" +
      "assert.deepEqual(Array.from(body), [0x93, 0x08, 0x00, 0xd2, 0xfa, 0xa2, 0xb5, 0x80]);\n" +
      "```",
    ],
    statements: `begin(WRITER, 0, options);
writeMessageBody(WRITER, type, body as MessageBodies[SyncMessageType]);
return endBody(WRITER);`,
  });

  const readCases = messages.map((m) =>
    `case SyncMessageType.${m.name}:
  root = ${JSON.stringify(m.body)};
  value = read${m.body}(r);
  break;`
  ).join("\n");

  file.addFunction({
    name: "decodeMessageBody",
    isExported: true,
    typeParameters: [{ name: "T", constraint: "SyncMessageType" }],
    parameters: [
      { name: "type", type: "T" },
      { name: "body", type: "Uint8Array" },
      { name: "options", type: "BodyDecodeOptions", hasQuestionToken: true },
    ],
    returnType: "SyncMessage<T>",
    docs: [
      "Decodes a body of a known message type strictly (as zerompk 0.4.1 accepts it) into a typed message.\n\n" +
      "@typeParam T The message type.\n" +
      "@param type The message type (the frame's type byte).\n" +
      "@param body The body bytes; the whole input must be the one value.\n" +
      "@param options `copy: true` to copy `bytes` fields (default: views into `body`).\n" +
      "@returns The typed message.\n" +
      `${THROWS_DECODE} \`"unknown_type"\` for a type that is not a message type of this revision.\n\n` +
      "@example\n" +
      "```ts\n" +
      'import { decodeMessageBody, SyncMessageType } from "@sync/frame";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const message = decodeMessageBody(SyncMessageType.DeltaAck, new Uint8Array([0x93, 0x07, 0x00, 0xc0]));\n" +
      "assert.deepEqual(message.body, { mutationId: 7n, lsn: 0n, clockSkewWarningMs: null });\n" +
      "```",
    ],
    statements: `const r = new WireReader(body, options);
let root = "";
try {
  let value: MessageBodies[SyncMessageType];
  switch (type as SyncMessageType) {
    ${readCases}
    ${unknownType}
  }
  r.finish();
  return { type, body: value } as unknown as SyncMessage<T>;
} catch (e) {
  throw toFrameError(e, root, type);
}`,
  });

  file.addFunction({
    name: "decodeMessage",
    isExported: true,
    parameters: [
      { name: "bytes", type: "Uint8Array" },
      { name: "options", type: "BodyDecodeOptions", hasQuestionToken: true },
    ],
    returnType: "SyncMessage",
    docs: [
      "Decodes a whole frame (`[type][u32 LE length][body]`) into a typed message. The body is read strictly, as zerompk 0.4.1 accepts it; bytes after the frame are ignored, as in `SyncFrame.decode`. Error offsets are relative to the start of the body.\n\n" +
      "@param bytes The frame bytes.\n" +
      "@param options `copy: true` to copy `bytes` fields (default: views into `bytes`).\n" +
      "@returns The typed message.\n" +
      '@throws {FrameError} `"too_short"`, `"unknown_type"` or `"truncated"` for a bad header; `"bad_body"` with the field `path` and byte `offset` for a body that is not exactly what zerompk 0.4.1 accepts.\n\n' +
      "@example Reading a frame\n" +
      "```ts\n" +
      'import { decodeMessage, SyncMessageType } from "@sync/frame";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const frame = new Uint8Array([0xff, 0x05, 0x00, 0x00, 0x00, 0x92, 0xcd, 0x30, 0x39, 0xc2]);\n" +
      "const message = decodeMessage(frame);\n" +
      "assert.equal(message.type, SyncMessageType.PingPong);\n" +
      "assert.deepEqual(message.body, { timestampMs: 12345n, isPong: false });\n" +
      "```\n\n" +
      "@example Strictness: a bool written as an integer is refused\n" +
      "```ts\n" +
      'import { decodeMessage, FrameError } from "@sync/frame";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const frame = new Uint8Array([0xff, 0x05, 0x00, 0x00, 0x00, 0x92, 0xcd, 0x30, 0x39, 0x00]);\n" +
      "assert.throws(\n" +
      "  () => decodeMessage(frame),\n" +
      '  (e) => e instanceof FrameError && e.code === "bad_body" && e.path === "PingPongMsg.is_pong" && e.offset === 4,\n' +
      ");\n" +
      "```",
    ],
    statements:
      "const body = frameBody(bytes);\nreturn decodeMessageBody(bytes[0] as SyncMessageType, body, options);",
  });
}

/**
 * Adds every declaration of `bodies.ts` to `file`.
 *
 * @param file An empty in-memory source file.
 * @param spec A validated spec.
 */
export function addBodies(file: SourceFile, spec: Spec): void {
  const ctx = new Context(spec);
  optionCounter = 0;
  file.addExportDeclaration({
    moduleSpecifier: "../../codec/_wire.ts",
    isTypeOnly: true,
    namedExports: ["BodyDecodeOptions", "BodyEncodeOptions"],
  });

  for (const t of spec.types) {
    if (t.kind === "struct") addStruct(file, ctx, t);
    else addEnum(file, ctx, t);
  }
  addMessageApi(file, ctx);
  for (const t of spec.types) {
    if (t.kind === "struct") addStructCodecs(file, ctx, t);
  }

  // Private codecs: one reader and one writer per type, then the container helpers.
  const privates: string[] = [
    "/** One writer for every encode call (encoding is synchronous). */\nconst WRITER = new BodyWriter();",
  ];
  for (const t of spec.types) {
    privates.push(
      t.kind === "struct" ? structReader(ctx, t) : enumReader(ctx, t),
    );
    privates.push(
      t.kind === "struct" ? structWriter(ctx, t) : enumWriter(ctx, t),
    );
  }
  privates.push(...ctx.readers.values(), ...ctx.writers.values());
  file.addStatements(privates.join("\n"));

  // Import exactly the runtime helpers the emitted code uses.
  const text = file.getFullText();
  const used = (names: string[]) =>
    names.filter((name) => new RegExp(`\\b${name}\\b`).test(text));
  file.insertImportDeclarations(0, [
    { moduleSpecifier: "../../codec/error.ts", namedImports: ["FrameError"] },
    {
      moduleSpecifier: "../../codec/_wire.ts",
      namedImports: used(RUNTIME_HELPERS),
    },
    {
      moduleSpecifier: "../../codec/_wire.ts",
      isTypeOnly: true,
      namedImports: ["BodyDecodeOptions", "BodyEncodeOptions"],
    },
    {
      moduleSpecifier: "./message_type.ts",
      namedImports: ["SyncMessageType"],
    },
    {
      moduleSpecifier: "./message_type.ts",
      isTypeOnly: true,
      namedImports: ["ClientMessageType", "ServerMessageType"],
    },
  ]);
}

/** Every value the generated code may import from codec/_wire.ts. */
const RUNTIME_HELPERS = [
  "begin",
  "BodyWriter",
  "checkArray",
  "checkMap",
  "checkObject",
  "endBody",
  "endFrame",
  "enterWrite",
  "frameBody",
  "keySegment",
  "putBin",
  "putBool",
  "putFixedBytes",
  "putI64",
  "putStr",
  "putU16",
  "putU32",
  "putU64",
  "putU8",
  "putU8List",
  "toFrameError",
  "unknownKind",
  "within",
  "WireReader",
];
