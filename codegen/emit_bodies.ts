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
import type { TypeExpr } from "./types.ts";
import {
  fieldKind,
  kindNotes,
  rustType,
  slug,
  tsType,
  typeEnv,
} from "./kinds.ts";
import type { CodecEnv, TypeEnv } from "./kinds.ts";
import { DIRECTION_TEXT, escapeDoc, hexCode, importsFor } from "./print.ts";

/** Facts and state of one emission (nothing is kept between specs). */
class Context implements CodecEnv {
  readonly spec: Spec;
  readonly byName: Map<string, SpecType>;
  readonly recursive: Set<string>;
  /** Container helpers by name, in first-use order. */
  readonly helpers = new Map<string, string>();
  /** Codec-support symbols the emitted code uses. */
  readonly used = new Set<string>();
  readonly types: TypeEnv;
  #locals = 0;

  constructor(spec: Spec) {
    this.spec = spec;
    this.byName = new Map(spec.types.map((t) => [t.name, t]));
    this.recursive = recursiveTypes(spec);
    this.types = typeEnv(this.fieldCount, (name) => this.sampleNamed(name));
  }

  fieldCount = (name: string): number | undefined => {
    const t = this.byName.get(name);
    return t?.kind === "struct" ? t.fields.length : undefined;
  };

  wire(t: TypeExpr): string {
    return this.types.wire(t);
  }

  ts(t: TypeExpr): string {
    return this.types.ts(t);
  }

  read(t: TypeExpr): string {
    return fieldKind(t).read(t, this);
  }

  write(t: TypeExpr, value: string): string {
    return fieldKind(t).write(t, this, value);
  }

  helper(
    direction: "read" | "write",
    t: TypeExpr,
    body: (name: string) => string,
  ): string {
    const name = `${direction}_${slug(t)}`;
    if (this.helpers.has(name)) return name;
    this.helpers.set(name, ""); // reserve before recursing
    this.helpers.set(name, body(name));
    return name;
  }

  local(): string {
    return `o${this.#locals++}`;
  }

  use(symbol: string): string {
    this.used.add(symbol);
    return symbol;
  }

  messagesOf(name: string): SpecMessage[] {
    return this.spec.messages.filter((m) => m.body === name);
  }

  #visiting = new Set<string>();

  /** A sample value (TS source) of a named type, for doc examples. */
  sampleNamed(name: string): string {
    const named = this.byName.get(name)!;
    this.#visiting.add(name);
    let text: string;
    if (named.kind === "struct") {
      text = this.sampleObject(named.fields);
    } else {
      const variant = named.variants.find((v) =>
        (v.fields ?? []).every((f) =>
          !(f.type.kind === "named" && this.#visiting.has(f.type.name))
        )
      ) ?? named.variants[0];
      text = this.sampleObject(variant.fields ?? [], variant.name);
    }
    this.#visiting.delete(name);
    return text;
  }

  sampleObject(fields: SpecField[], kind?: string): string {
    const parts = kind === undefined ? [] : [`kind: ${JSON.stringify(kind)}`];
    for (const field of fields) {
      parts.push(`${field.tsName}: ${this.types.sample(field.type)}`);
    }
    return `{ ${parts.join(", ")} }`;
  }
}

/** "a" or "an" before a name. */
function article(name: string): string {
  return /^[AEIOU]/.test(name) ? "an" : "a";
}

/** Statements reading `fields` into `v0…vN`, setting `f` to the path before each. */
function readFieldStatements(
  ctx: Context,
  fields: SpecField[],
  prefix: string,
): string {
  return fields.map((field, i) =>
    `f = ${JSON.stringify(`${prefix}.${field.name}`)};\n` +
    `const v${i} = ${ctx.read(field.type)};`
  ).join("\n");
}

function objectLiteral(fields: SpecField[], kind?: string): string {
  const parts = kind === undefined ? [] : [`kind: ${JSON.stringify(kind)}`];
  fields.forEach((field, i) => parts.push(`${field.tsName}: v${i}`));
  return `{ ${parts.join(", ")} }`;
}

function structReader(ctx: Context, t: SpecStruct): string {
  ctx.use("WireReader");
  ctx.use("within");
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
  ctx.use("WireReader");
  ctx.use("within");
  const recursive = ctx.recursive.has(t.name);
  const bare = ctx.spec.unitVariants === "bare_string";
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
  ${bare ? `r.unitPayload(${tag});` : "r.unit();"}
  ${ret(`{ kind: ${tag} }`)}`;
    }
    return `case ${tag}: {
  f = ${path};${bare ? `\nr.dataPayload(${tag});` : ""}
  r.struct(${v.fields.length});
  ${readFieldStatements(ctx, v.fields, `.${v.name}`)}
  ${ret(objectLiteral(v.fields, v.name))}
}`;
  }).join("\n");
  return `function read${t.name}(r: WireReader): ${t.name} {
  const tag = ${bare ? "r.variant()" : "r.enumTag()"};
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
    ctx.write(field.type, `v.${field.tsName}`)
  ).join("\n");
}

function structWriter(ctx: Context, t: SpecStruct): string {
  for (const symbol of ["BodyWriter", "checkObject", "within"]) ctx.use(symbol);
  const recursive = ctx.recursive.has(t.name);
  if (recursive) ctx.use("enterWrite");
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
  for (const symbol of ["BodyWriter", "checkObject", "unknownKind"]) {
    ctx.use(symbol);
  }
  const recursive = ctx.recursive.has(t.name);
  if (recursive) ctx.use("enterWrite");
  const hasData = t.variants.some((v) => v.fields !== null);
  if (hasData) ctx.use("within");
  const bare = ctx.spec.unitVariants === "bare_string";
  const cases = t.variants.map((v) => {
    const tag = JSON.stringify(v.name);
    const head = `w.byte(0x92);\nw.str(${tag});`;
    const done = recursive ? "w.depth--;\nreturn;" : "return;";
    if (v.fields === null) {
      return `case ${tag}:
  ${bare ? `${ctx.use("putUnit")}(w, ${tag});` : `${head}\nw.nil();`}
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
  const notes = kindNotes(t);
  return `${escapeDoc(field.doc)}\n\nWire: field #${
    index + 1
  } \`${field.name}\`, \`${escapeDoc(ctx.wire(t))}\` (Rust \`${
    escapeDoc(rustType(t))
  }\`).${notes.length > 0 ? " " + notes.join(" ") : ""}`;
}

function structExample(ctx: Context, t: SpecStruct, fn: "encode" | "decode") {
  const value = ctx.sampleNamed(t.name);
  const title = fn === "encode" ? "Encoding a body" : "Decoding a body";
  return `@example ${title}
\`\`\`ts
import { decode${t.name}, encode${t.name}, type ${t.name} } from "«entry»";
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
      ? ctx.spec.unitVariants === "bare_string"
        ? `the bare tag string \`"${v.name}"\` (unit variant)`
        : `\`["${v.name}", nil]\` (unit variant)`
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
      `${escapeDoc(t.doc)}\n\n${
        ctx.spec.unitVariants === "bare_string"
          ? "Wire: a unit variant is its bare tag string (the variant name as a str); a data variant is a 2-array `[tag, [fields…]]` («serializer»; the `[tag, nil]` unit form of zerompk ≤ 0.6.0 is rejected unless `legacyUnitVariants` is passed)."
          : "Wire: a 2-array `[tag, payload]`: the variant name as a str, then nil for a unit variant or an array of the variant's fields for a data variant («serializer»; the bare-string form of later versions is not accepted)."
      } In TypeScript, \`kind\` holds the variant name.\n\nVariants: ${
        t.variants.map((v) => `\`${v.name}\``).join(", ")
      }.`,
    ],
  });
}

const THROWS_ENCODE =
  '@throws {FrameError} `"bad_value"` with the field `path` when a value does not fit its type (a negative or too large integer, a non-integer, a number where a bigint is expected, a wrong fixed length, a string with a lone surrogate, an unknown variant `kind`).';
const THROWS_DECODE =
  '@throws {FrameError} `"bad_body"` with the field `path` (e.g. `HandshakeMsg.vector_clock`) and the byte `offset` when the bytes are not exactly what «serializer» accepts for this type: wrong array length, a marker outside the field\'s family, invalid UTF-8, bin where an integer array is required (or the reverse), an unknown variant, truncated input or trailing bytes.';

function addStructCodecs(file: SourceFile, ctx: Context, t: SpecStruct): void {
  for (const symbol of ["begin", "endBody"]) ctx.use(symbol);
  file.addFunction({
    name: `encode${t.name}`,
    isExported: true,
    parameters: [
      { name: "body", type: t.name },
      { name: "options", type: "BodyEncodeOptions", hasQuestionToken: true },
    ],
    returnType: "Uint8Array",
    docs: [
      `Encodes a {@linkcode ${t.name}} exactly as «serializer» writes it: minimal integer forms, int markers for signed fields, bin for direct byte fields, integer arrays for fixed and nested byte arrays.\n\n` +
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
      `Decodes a {@linkcode ${t.name}} strictly, accepting exactly what «serializer» accepts. The whole input must be the one value.\n\n` +
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
  for (
    const symbol of ["begin", "endBody", "endFrame", "frameBody", "BodyWriter"]
  ) ctx.use(symbol);
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
      'import { decodeMessage, encodeMessage, SyncMessageType } from "«entry»";\n' +
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
      "Encodes a typed message as a whole frame: «frame», the body written exactly as «serializer» writes it.\n\n" +
      "@typeParam T The message type.\n" +
      "@param type The message type.\n" +
      "@param body Its body (see {@linkcode MessageBodies}).\n" +
      "@param options `shared: true` for a view of an internal buffer that the next encode call overwrites (no allocation; use it at once).\n" +
      "@returns The frame bytes, owned by the caller unless `shared`.\n" +
      `${THROWS_ENCODE} \`"unknown_type"\` for a type that is not a message type of this revision.\n\n` +
      "@example A ping, byte for byte\n" +
      "```ts\n" +
      'import { encodeMessage, SyncMessageType } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const frame = encodeMessage(SyncMessageType.PingPong, { timestampMs: 12345n, isPong: false });\n" +
      "assert.deepEqual(\n" +
      "  Array.from(frame),\n" +
      "  «ping»,\n" +
      ");\n" +
      "```\n\n" +
      "@example Values out of range are refused, never written differently\n" +
      "```ts\n" +
      'import { encodeMessage, FrameError, SyncMessageType } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "assert.throws(\n" +
      "  () => encodeMessage(SyncMessageType.PingPong, { timestampMs: -1n, isPong: false }),\n" +
      '  (e) => e instanceof FrameError && e.code === "bad_value" && e.path === "PingPongMsg.timestamp_ms",\n' +
      ");\n" +
      "```",
    ],
    statements: `begin(WRITER, FRAME_LAYOUT.headerSize, options);
writeMessageBody(WRITER, type, body as MessageBodies[SyncMessageType]);
return endFrame(WRITER, FRAME_LAYOUT, type);`,
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
      'import { encodeMessageBody, SyncMessageType } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const body = encodeMessageBody(SyncMessageType.PingPong, {\n" +
      "  timestampMs: 300n,\n" +
      "  isPong: true,\n" +
      "});\n" +
      "assert.deepEqual(Array.from(body), [0x92, 0xcd, 0x01, 0x2c, 0xc3]);\n" +
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
      "Decodes a body of a known message type strictly (as «serializer» accepts it) into a typed message.\n\n" +
      "@typeParam T The message type.\n" +
      "@param type The message type (the frame's type byte).\n" +
      "@param body The body bytes; the whole input must be the one value.\n" +
      "@param options `copy: true` to copy `bytes` fields (default: views into `body`).\n" +
      "@returns The typed message.\n" +
      `${THROWS_DECODE} \`"unknown_type"\` for a type that is not a message type of this revision.\n\n` +
      "@example\n" +
      "```ts\n" +
      'import { decodeMessageBody, SyncMessageType } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const message = decodeMessageBody(SyncMessageType.PingPong, new Uint8Array([0x92, 0x07, 0xc2]));\n" +
      "assert.deepEqual(message.body, { timestampMs: 7n, isPong: false });\n" +
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
      "Decodes a whole frame («frame») into a typed message. The body is read strictly, as «serializer» accepts it; bytes after the frame are ignored, as in `SyncFrame.decode`. Error offsets are relative to the start of the body.\n\n" +
      "@param bytes The frame bytes.\n" +
      "@param options `copy: true` to copy `bytes` fields (default: views into `bytes`).\n" +
      "@returns The typed message.\n" +
      '@throws {FrameError} «header_errors» for a bad frame; `"bad_body"` with the field `path` and byte `offset` for a body that is not exactly what «serializer» accepts.\n\n' +
      "@example Reading a frame\n" +
      "```ts\n" +
      'import { decodeMessage, SyncMessageType } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const frame = new Uint8Array(«ping»);\n" +
      "const message = decodeMessage(frame);\n" +
      "assert.equal(message.type, SyncMessageType.PingPong);\n" +
      "assert.deepEqual(message.body, { timestampMs: 12345n, isPong: false });\n" +
      "```\n\n" +
      "@example Strictness: a bool written as an integer is refused\n" +
      "```ts\n" +
      'import { decodeMessage, FrameError } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "const frame = new Uint8Array(«ping_int_bool»);\n" +
      "assert.throws(\n" +
      "  () => decodeMessage(frame),\n" +
      '  (e) => e instanceof FrameError && e.code === "bad_body" && e.path === "PingPongMsg.is_pong" && e.offset === 4,\n' +
      ");\n" +
      "```",
    ],
    statements:
      "const body = frameBody(FRAME_LAYOUT, bytes);\nreturn decodeMessageBody(bytes[FRAME_LAYOUT.typeOffset] as SyncMessageType, body, options);",
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
    `/** One writer for every encode call (encoding is synchronous). */\nconst WRITER = new ${
      ctx.use("BodyWriter")
    }();`,
  ];
  for (const t of spec.types) {
    privates.push(
      t.kind === "struct" ? structReader(ctx, t) : enumReader(ctx, t),
    );
    privates.push(
      t.kind === "struct" ? structWriter(ctx, t) : enumWriter(ctx, t),
    );
  }
  privates.push(...ctx.helpers.values());
  file.addStatements(privates.join("\n"));

  for (const symbol of ["FrameError", "toFrameError", "WireReader"]) {
    ctx.use(symbol);
  }
  file.insertImportDeclarations(0, [
    ...importsFor(ctx.used, "../../codec/"),
    {
      moduleSpecifier: "../../codec/_wire_reader.ts",
      isTypeOnly: true,
      namedImports: ["BodyDecodeOptions"],
    },
    {
      moduleSpecifier: "../../codec/_wire_writer.ts",
      isTypeOnly: true,
      namedImports: ["BodyEncodeOptions"],
    },
    {
      moduleSpecifier: "./message_type.ts",
      namedImports: ["FRAME_LAYOUT", "SyncMessageType"],
    },
    {
      moduleSpecifier: "./message_type.ts",
      isTypeOnly: true,
      namedImports: ["ClientMessageType", "ServerMessageType"],
    },
  ]);
  file.addExportDeclaration({
    moduleSpecifier: "../../codec/_wire_reader.ts",
    isTypeOnly: true,
    namedExports: ["BodyDecodeOptions"],
  });
  file.addExportDeclaration({
    moduleSpecifier: "../../codec/_wire_writer.ts",
    isTypeOnly: true,
    namedExports: ["BodyEncodeOptions"],
  });
}
