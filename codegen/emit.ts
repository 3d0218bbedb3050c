/**
 * Turns a validated spec into the files of `generated/`: `message_type.ts`,
 * `bodies.ts` and `schema.ts` (TypeScript, built with ts-morph; bodies in
 * `emit_bodies.ts`, the run-time schema in `emit_schema.ts`) and `PROTOCOL.md`
 * (Markdown, `emit_protocol.ts`).
 *
 * Pure: data in, text out. Everything is built in an in-memory project; the
 * caller formats the text with `deno fmt` (see `format.ts`).
 *
 * @module
 */

import { Project, VariableDeclarationKind } from "ts-morph";
import type { SourceFile } from "ts-morph";
import type { Spec, SpecDirection, SpecMessage } from "./spec.ts";
import { addBodies } from "./emit_bodies.ts";
import { addFrame } from "./emit_frame.ts";
import { emitProtocol } from "./emit_protocol.ts";
import { addSchema } from "./emit_schema.ts";
import { escapeDoc, fileHeader, fillPlaceholders, hexCode } from "./print.ts";
import { DIRECTION_TEXT } from "./print.ts";
import { byteArrayText, exampleFrame, frameText, layoutOf } from "./layout.ts";

/** One emitted file: a path relative to the output folder, and its text. */
export interface EmittedFile {
  /** File name inside `generated/`. */
  path: string;
  /** Unformatted source (TypeScript or Markdown, by extension). */
  text: string;
}

function wireFacts(message: SpecMessage): string {
  return `Code: \`${hexCode(message.code)}\`. Direction: ${
    DIRECTION_TEXT[message.direction]
  } (\`${message.direction}\`).`;
}

function unionOf(members: string[]): string {
  return members.length === 0 ? "never" : members.join("\n  | ");
}

function memberRef(message: SpecMessage): string {
  return `SyncMessageType.${message.name}`;
}

function addMessageTypes(file: SourceFile, spec: Spec): void {
  const { messages } = spec;

  file.addEnum({
    name: "SyncMessageType",
    isExported: true,
    docs: [
      `Sync message type identifiers (protocol revision ${spec.revision}).\n\n` +
      "The value of each member is the type byte that starts its frame.\n\n" +
      "@example Naming a type byte\n" +
      "```ts\n" +
      'import { SyncMessageType } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "assert.equal(SyncMessageType.PingPong, 0xff);\n" +
      'assert.equal(SyncMessageType[0xff], "PingPong");\n' +
      "```",
    ],
    members: messages.map((message) => ({
      name: message.name,
      initializer: hexCode(message.code),
      docs: [`${escapeDoc(message.doc)}\n\n${wireFacts(message)}`],
    })),
  });

  file.addFunction({
    name: "fromU8",
    isExported: true,
    parameters: [{ name: "value", type: "number" }],
    returnType: "SyncMessageType | undefined",
    docs: [
      "Maps a type byte to its message type, as the Rust `SyncMessageType::from_u8`.\n\n" +
      "@param value The type byte (any number; non-bytes are unknown).\n" +
      "@returns The message type, or `undefined` for a byte that is not a code of this revision.\n\n" +
      "@example Checking a type byte\n" +
      "```ts\n" +
      'import { fromU8, SyncMessageType } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      "assert.equal(fromU8(0x10), SyncMessageType.DeltaPush);\n" +
      "assert.equal(fromU8(0x03), undefined);\n" +
      "```",
    ],
    statements: (writer) => {
      writer.write("switch (value)").block(() => {
        for (const message of messages) {
          writer.writeLine(
            `case ${hexCode(message.code)}: return ${memberRef(message)};`,
          );
        }
        writer.writeLine("default: return undefined;");
      });
    },
  });

  file.addTypeAlias({
    name: "Direction",
    isExported: true,
    type: '"client_to_server" | "server_to_client" | "bidirectional"',
    docs: [
      "Who may send a message: the client (Lite), the server (Origin), or either.",
    ],
  });

  const byDirection = (direction: SpecDirection) =>
    messages.filter((m) => m.direction === direction).map(memberRef);
  const clientToServer = byDirection("client_to_server");
  const serverToClient = byDirection("server_to_client");
  const bidirectional = byDirection("bidirectional");

  const unions: Array<[string, string[], string]> = [
    [
      "ClientToServerMessageType",
      clientToServer,
      "Message types that only the client (Lite) sends.",
    ],
    [
      "ServerToClientMessageType",
      serverToClient,
      "Message types that only the server (Origin) sends.",
    ],
    [
      "BidirectionalMessageType",
      bidirectional,
      "Message types that either side may send.",
    ],
    [
      "ClientMessageType",
      [...clientToServer, ...bidirectional],
      "Everything a client may send: client → server and bidirectional types.",
    ],
    [
      "ServerMessageType",
      [...serverToClient, ...bidirectional],
      "Everything a server may send: server → client and bidirectional types.",
    ],
  ];
  for (const [name, members, doc] of unions) {
    file.addTypeAlias({
      name,
      isExported: true,
      type: unionOf(members),
      docs: [doc],
    });
  }

  file.addFunction({
    name: "directionOf",
    isExported: true,
    parameters: [{ name: "type", type: "SyncMessageType" }],
    returnType: "Direction",
    docs: [
      "Tells who may send a message type.\n\n" +
      "@param type A message type.\n" +
      "@returns Its direction from the spec.\n" +
      '@throws {FrameError} code `"unknown_type"` for a value that is not a message type.\n\n' +
      "@example\n" +
      "```ts\n" +
      'import { directionOf, SyncMessageType } from "«entry»";\n' +
      'import assert from "node:assert/strict";\n\n' +
      'assert.equal(directionOf(SyncMessageType.Handshake), "client_to_server");\n' +
      "```",
    ],
    statements: (writer) => {
      writer.write("switch (type)").block(() => {
        for (
          const direction of [
            "client_to_server",
            "server_to_client",
            "bidirectional",
          ] as const
        ) {
          const group = messages.filter((m) => m.direction === direction);
          for (const message of group) {
            writer.writeLine(`case ${memberRef(message)}:`);
          }
          if (group.length > 0) writer.writeLine(`return "${direction}";`);
        }
        writer.writeLine("default:");
        writer.writeLine(
          'throw new FrameError("unknown_type", `unknown message type ${String(type)}`, { msgType: type });',
        );
      });
    },
  });

  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{
      name: "SYNC_MESSAGE_TYPES",
      type: "readonly SyncMessageType[]",
      initializer: `Object.freeze([\n${
        messages.map((m) => `  ${memberRef(m)},`).join("\n")
      }\n])`,
    }],
    docs: ["Every message type of the spec, in spec order."],
  });

  const { headerSize, offsets } = layoutOf(spec);
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{
      name: "FRAME_LAYOUT",
      type: "FrameLayout",
      initializer: `Object.freeze({
  revision: ${JSON.stringify(spec.revision)},
  headerSize: ${headerSize},
  versionOffset: ${offsets.version},
  version: ${spec.frame.version ?? 0},
  typeOffset: ${offsets.msg_type},
  lengthOffset: ${offsets.length},
  checksumOffset: ${offsets.crc32c},
  knownTypes: knownTypeTable(),
  typeName: (type: number): string | undefined =>
    fromU8(type) === undefined ? undefined : SyncMessageType[type],
})`,
    }],
    docs: [
      `The frame layout of revision ${spec.revision}: «frame». Read by the header codecs, \`SyncFrame\`, the stream decoder and the transports.`,
    ],
  });
  file.addFunction({
    name: "knownTypeTable",
    returnType: "Uint8Array",
    docs: ["256 entries, 1 where the byte is a message type code."],
    statements:
      "const table = new Uint8Array(256);\nfor (const type of SYNC_MESSAGE_TYPES) table[type] = 1;\nreturn table;",
  });
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{
      name: "HEADER_SIZE",
      type: "number",
      initializer: String(headerSize),
    }],
    docs: [`Frame header size in bytes: «frame_fields».`],
  });
  if (spec.frame.version !== undefined) {
    file.addVariableStatement({
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{
        name: "FORMAT_VERSION",
        type: "number",
        initializer: String(spec.frame.version),
      }],
      docs: [
        "The frame format version byte (byte 0 of every frame). A separate number from the handshake {@linkcode WIRE_VERSION}.",
      ],
    });
  }
  file.addVariableStatement({
    isExported: true,
    declarationKind: VariableDeclarationKind.Const,
    declarations: [{
      name: "WIRE_VERSION",
      type: "number",
      initializer: String(spec.wireVersion),
    }],
    docs: [
      `The handshake \`wire_version\` of revision ${spec.revision} (\`HandshakeMsg.wire_version\`).`,
    ],
  });
}

/** The values of the doc-text placeholders for one spec. */
function placeholders(spec: Spec): Record<string, string> {
  const { headerSize } = layoutOf(spec);
  const ping = exampleFrame(spec, 0xff, [0x92, 0xcd, 0x30, 0x39, 0xc2]);
  const intBool = exampleFrame(spec, 0xff, [0x92, 0xcd, 0x30, 0x39, 0x00]);
  const hasVersion = spec.frame.header.includes("version");
  const hasChecksum = spec.frame.header.includes("crc32c");
  return {
    entry: spec.entry,
    serializer: spec.serializer,
    frame: frameText(spec),
    frame_fields: `${headerSize} (${
      spec.frame.header.map((f) =>
        f === "length" || f === "crc32c" ? `${f} 4` : `${f} 1`
      ).join(" + ")
    })`,
    ping: byteArrayText(ping),
    ping_int_bool: byteArrayText(intBool),
    header_errors: [
      '`"too_short"`',
      ...(hasVersion ? ['`"bad_version"`'] : []),
      '`"unknown_type"`',
      '`"truncated"`',
      ...(hasChecksum ? ['`"bad_checksum"`'] : []),
    ].join(", "),
  };
}

/** The revision's module: everything a user of the revision imports. */
function revisionModule(spec: Spec): string {
  return `${fileHeader("codegen/emit.ts", specPath(spec))}
/**
 * Everything of revision ${spec.revision}: message types, the frame layout,
 * \`SyncFrame\`, typed bodies and their codecs, errors and CRC-32C. The entry
 * modules re-export it.
 *
 * @module
 */

export * from "./message_type.ts";
export * from "./bodies.ts";
export * from "./frame.ts";
export { FrameError } from "../../codec/error.ts";
export type { FrameErrorCode, FrameErrorDetails } from "../../codec/error.ts";
export type { FrameLayout } from "../../codec/layout.ts";
export { crc32c } from "../../codec/crc32c.ts";
export { DEFAULT_MAX_BODY_SIZE, MAX_BODY_LENGTH } from "../../codec/constants.ts";
export { MAX_DEPTH } from "../../codec/_msgpack.ts";
`;
}

/** Where a spec lives, as named in generated headers. */
export function specPath(spec: Spec): string {
  return `spec/${spec.revision}.yaml`;
}

/**
 * Emits every generated file for a spec.
 *
 * @param spec A validated spec.
 * @returns The files, unformatted, in a stable order.
 */
export function emit(spec: Spec): EmittedFile[] {
  const project = new Project({ useInMemoryFileSystem: true });
  const values = placeholders(spec);
  const source = (
    path: string,
    generator: string,
    moduleDoc: string,
    fill: (file: SourceFile) => void,
  ): EmittedFile => {
    const file = project.createSourceFile(path, "");
    fill(file);
    file.insertStatements(
      0,
      `${
        fileHeader(generator, specPath(spec))
      }\n/**\n * ${moduleDoc}\n *\n * @module\n */\n`,
    );
    return { path, text: fillPlaceholders(file.getFullText(), values) };
  };
  const rev = escapeDoc(spec.revision);
  return [
    source(
      "message_type.ts",
      "codegen/emit.ts",
      `Message types and the frame layout of the sync protocol, revision ${rev}.`,
      (file) => {
        file.addImportDeclaration({
          moduleSpecifier: "../../codec/error.ts",
          namedImports: ["FrameError"],
        });
        file.addImportDeclaration({
          moduleSpecifier: "../../codec/layout.ts",
          isTypeOnly: true,
          namedImports: ["FrameLayout"],
        });
        addMessageTypes(file, spec);
      },
    ),
    source(
      "bodies.ts",
      "codegen/emit_bodies.ts",
      `Typed message bodies of the sync protocol, revision ${rev}: an interface, an encoder and a\n * strict decoder for every struct and enum of the spec, byte-exact with ${
        escapeDoc(spec.serializer)
      }.`,
      (file) => addBodies(file, spec),
    ),
    source(
      "frame.ts",
      "codegen/emit_frame.ts",
      `\`SyncFrame\` of the sync protocol, revision ${rev}.`,
      (file) => addFrame(file, spec),
    ),
    source(
      "schema.ts",
      "codegen/emit_schema.ts",
      `The structs, enums and messages of the sync protocol, revision ${rev}, as run-time data: for tools that\n * walk typed bodies generically (the capture inspector renders and parses them with it).`,
      (file) => addSchema(file, spec),
    ),
    {
      path: "mod.ts",
      text: revisionModule(spec),
    },
    {
      path: "PROTOCOL.md",
      text: fillPlaceholders(emitProtocol(spec, specPath(spec)), values),
    },
  ];
}
