/**
 * Emits the message-level API of `bodies.ts`: `MessageBodies`, the
 * `SyncMessage` unions, `encodeMessage`, `encodeMessageBody`,
 * `decodeMessageBody` and `decodeMessage`.
 *
 * @module
 */

import type { SourceFile } from "ts-morph";
import type { Context } from "./_emit_context.ts";
import { DIRECTION_TEXT, escapeDoc, hexCode } from "./print.ts";

/** The `@throws` text of every encoder. */
export const THROWS_ENCODE =
  '@throws {FrameError} `"bad_value"` with the field `path` when a value does not fit its type (a negative or too large integer, a non-integer, a number where a bigint is expected, a wrong fixed length, a string with a lone surrogate, an unknown variant `kind`).';
/** The `@throws` text of every decoder. */
export const THROWS_DECODE =
  '@throws {FrameError} `"bad_body"` with the field `path` (e.g. `HandshakeMsg.vector_clock`) and the byte `offset` when the bytes are not exactly what «serializer» accepts for this type: wrong array length, a marker outside the field\'s family, invalid UTF-8, bin where an integer array is required (or the reverse), an unknown variant, truncated input or trailing bytes.';

/**
 * Adds the message-level API to `file`.
 *
 * @param file The `bodies.ts` being built.
 * @param ctx The emission state.
 */
export function addMessageApi(file: SourceFile, ctx: Context): void {
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
