/**
 * Emits `generated/<revision>/bodies.ts`: a TypeScript interface plus a
 * straight-line encoder and decoder for every struct and enum of the spec,
 * and (through `emit_message_api.ts`) the message-level API.
 *
 * The generated codecs call one `WireReader` method or one `put*` function per
 * scalar field (`codec/_wire_reader.ts`, `codec/_wire_writer.ts`), as the
 * field-kind table (`kinds.ts`) says; lists, maps and tuples get one small
 * function per distinct container type. Nothing is interpreted from the
 * schema at run time.
 *
 * @module
 */

import type { SourceFile } from "ts-morph";
import type {
  Spec,
  SpecEnum,
  SpecField,
  SpecStruct,
  SpecVariant,
} from "./spec.ts";
import { kindNotes, rustType, tsType } from "./kinds.ts";
import { DIRECTION_TEXT, escapeDoc, hexCode, importsFor } from "./print.ts";
import { Context } from "./_emit_context.ts";
import {
  addMessageApi,
  THROWS_DECODE,
  THROWS_ENCODE,
} from "./emit_message_api.ts";

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
    r.struct(${t.fields.length});${
    recursive ? `\nr.enter(${ctx.spec.limits.maxStructDepth});` : ""
  }
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
  try {${recursive ? `\nr.enter(${ctx.spec.limits.maxStructDepth});` : ""}
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
    recursive ? `\nenterWrite(w, ${ctx.spec.limits.maxStructDepth});` : ""
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
    recursive ? `\nenterWrite(w, ${ctx.spec.limits.maxStructDepth});` : ""
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
