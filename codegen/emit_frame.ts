/**
 * Emits `generated/<revision>/frame.ts`: the revision's `SyncFrame` class.
 * Its behaviour is written once in `codec/_frame.ts` for every frame layout;
 * the class gives it the revision's types, layout and docs (with example
 * bytes computed from the spec, checksum included).
 *
 * @module
 */

import { type SourceFile, VariableDeclarationKind } from "ts-morph";
import type { Spec } from "./spec.ts";
import { byteArrayText, exampleFrame, layoutOf } from "./layout.ts";

/**
 * Adds the `SyncFrame` class to `file`.
 *
 * @param file An empty in-memory source file.
 * @param spec A validated spec.
 */
export function addFrame(file: SourceFile, spec: Spec): void {
  const { headerSize } = layoutOf(spec);
  const hasVersion = spec.frame.header.includes("version");
  const hasChecksum = spec.frame.header.includes("crc32c");
  const nilPing = exampleFrame(spec, 0xff, [0xc0]);
  const ping = exampleFrame(spec, 0xff, [0x92, 0x07, 0xc2]);
  const huge = [...nilPing.slice(0, headerSize)];
  const lengthAt = layoutOf(spec).offsets.length;
  for (let i = 0; i < 4; i++) huge[lengthAt + i] = 0xff;
  const noneCases = [
    `the input is shorter than ${headerSize} bytes`,
    ...(hasVersion ? [`the version byte is not ${spec.frame.version}`] : []),
    "the type byte is unknown",
    "the body is truncated",
    ...(hasChecksum ? ["the body's CRC-32C differs from the header's"] : []),
  ];
  const headerErrors = [
    '`"too_short"`',
    ...(hasVersion ? ['`"bad_version"` (with `version`)'] : []),
    '`"unknown_type"` (with `msgType`)',
    '`"too_large"` (with `length`)',
    '`"truncated"` (with `length`)',
    ...(hasChecksum
      ? ['`"bad_checksum"` (with `expectedChecksum` and `actualChecksum`)']
      : []),
  ];
  const imports = [
    "checkFrameParts",
    "frameBodyOrNone",
    "frameBodyOrThrow",
    "frameEncodeInto",
    "frameToBytes",
    "genericBody",
    "msgpackBodyOrNone",
  ];
  file.addImportDeclarations([
    { moduleSpecifier: "../../codec/_frame.ts", namedImports: imports },
    {
      moduleSpecifier: "../../codec/_frame.ts",
      isTypeOnly: true,
      namedImports: ["DecodeOptions", "FromBytesOptions", "TryEncodeOptions"],
    },
    {
      moduleSpecifier: "../../codec/_wire_reader.ts",
      isTypeOnly: true,
      namedImports: ["BodyDecodeOptions"],
    },
    {
      moduleSpecifier: "../../codec/_msgpack.ts",
      namedImports: ["decodeMsgpack"],
    },
    {
      moduleSpecifier: "../../codec/error.ts",
      isTypeOnly: true,
      namedImports: ["FrameError"],
    },
    {
      moduleSpecifier: "./message_type.ts",
      namedImports: ["directionOf", "FRAME_LAYOUT"],
    },
    {
      moduleSpecifier: "./message_type.ts",
      isTypeOnly: true,
      namedImports: ["Direction", "SyncMessageType"],
    },
    { moduleSpecifier: "./bodies.ts", namedImports: ["decodeMessageBody"] },
    {
      moduleSpecifier: "./bodies.ts",
      isTypeOnly: true,
      namedImports: ["SyncMessage"],
    },
  ]);
  file.addExportDeclaration({
    moduleSpecifier: "../../codec/_frame.ts",
    isTypeOnly: true,
    namedExports: ["DecodeOptions", "FromBytesOptions", "TryEncodeOptions"],
  });
  const example = (title: string, body: string) =>
    `@example ${title}\n\`\`\`ts\n${body.trim()}\n\`\`\``;
  const imp = (names: string) =>
    `import { ${names} } from "«entry»";\nimport assert from "node:assert/strict";\n`;
  // Set by fromBytes/decode just before they construct a frame from parts
  // they have checked, so the constructor does not check them again.
  file.addVariableStatement({
    declarationKind: VariableDeclarationKind.Let,
    declarations: [{ name: "partsChecked", initializer: "false" }],
  });
  file.addClass({
    name: "SyncFrame",
    isExported: true,
    typeParameters: [{
      name: "T",
      constraint: "SyncMessageType",
      default: "SyncMessageType",
    }],
    docs: [
      `One wire frame of revision ${spec.revision}: a message type and its serialized body.\n\n` +
      `Layout: «frame»; the header is {@linkcode SyncFrame.HEADER_SIZE} = ${headerSize} bytes.${
        hasChecksum
          ? " The CRC-32C covers the body only; it is written by `toBytes`/`encodeInto` and checked by `fromBytes`/`decode`."
          : ""
      }\n\n` +
      "Bodies are kept as given: the constructor does not copy, and {@linkcode SyncFrame.decode} / {@linkcode SyncFrame.fromBytes} return views of their input unless `{ copy: true }` is passed.\n\n" +
      "@typeParam T The message type, so that transports can restrict what a side sends.\n\n" +
      example(
        "Round trip",
        `${imp("SyncFrame, SyncMessageType")}
const frame = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0x92, 0x07, 0xc2]));
const bytes = frame.toBytes();
const back = SyncFrame.decode(bytes);
assert.equal(back.msgType, SyncMessageType.PingPong);
assert.deepEqual(back.body, frame.body);`,
      ),
    ],
    properties: [
      {
        name: "HEADER_SIZE",
        isStatic: true,
        isReadonly: true,
        type: "number",
        initializer: String(headerSize),
        docs: [`Header size in bytes: «frame_fields».`],
      },
      ...(hasVersion
        ? [{
          name: "FORMAT_VERSION",
          isStatic: true,
          isReadonly: true,
          type: "number",
          initializer: String(spec.frame.version),
          docs: [
            "The frame format version byte this revision writes and accepts.",
          ],
        }]
        : []),
      {
        name: "msgType",
        isReadonly: true,
        type: "T",
        docs: ["The message type."],
      },
      {
        name: "body",
        isReadonly: true,
        type: "Uint8Array",
        docs: ["The serialized body (MessagePack)."],
      },
    ],
    ctors: [{
      parameters: [{ name: "msgType", type: "T" }, {
        name: "body",
        type: "Uint8Array",
      }],
      docs: [
        "Creates a frame. The body is kept by reference, not copied.\n\n" +
        "@param msgType A message type of this revision.\n@param body The serialized body.\n" +
        '@throws {FrameError} `"unknown_type"` if `msgType` is not a message type of this revision; `"bad_value"` if `body` is not a `Uint8Array`.',
      ],
      statements:
        "if (partsChecked) partsChecked = false;\nelse checkFrameParts(FRAME_LAYOUT, msgType, body);\nthis.msgType = msgType;\nthis.body = body;",
    }],
    getAccessors: [
      {
        name: "byteLength",
        returnType: "number",
        docs: ["Total encoded size: header plus body."],
        statements: `return ${headerSize} + this.body.length;`,
      },
      {
        name: "direction",
        returnType: "Direction",
        docs: [
          "Who may send this frame's type.\n\n@returns The direction from the spec.",
        ],
        statements: "return directionOf(this.msgType);",
      },
    ],
    methods: [
      {
        name: "toBytes",
        returnType: "Uint8Array",
        docs: [
          `Serializes the frame: «frame», byte-identical to the Rust \`to_bytes\`.\n\n` +
          "@returns The frame's bytes, owned by the caller. Frames up to 4 KiB are carved from a shared 64 KiB pool (a fresh `ArrayBuffer` costs about 1 µs in V8), so `byteOffset` may be non-zero and `buffer` is shared: pass the `Uint8Array` itself to `send`/`write` (as usual), or `.slice()` it when you need a standalone `ArrayBuffer`.\n" +
          '@throws {FrameError} `"too_large"` if the body is longer than 0xFFFFFFFF bytes (Rust\'s `as u32` would silently wrap the length).\n\n' +
          example(
            "",
            `${imp("SyncFrame, SyncMessageType")}
const bytes = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0xc0])).toBytes();
assert.deepEqual(Array.from(bytes), ${byteArrayText(nilPing)});`,
          ),
        ],
        statements:
          "return frameToBytes(FRAME_LAYOUT, this.msgType, this.body);",
      },
      {
        name: "encodeInto",
        parameters: [{ name: "target", type: "Uint8Array" }, {
          name: "offset",
          initializer: "0",
        }],
        returnType: "number",
        docs: [
          "Writes the frame into a caller's buffer, allocating nothing.\n\n" +
          "@param target The buffer to write into.\n@param offset Where the frame starts in `target` (default 0).\n" +
          "@returns The number of bytes written ({@linkcode SyncFrame.byteLength}).\n" +
          '@throws {FrameError} `"too_large"` if the body is longer than 0xFFFFFFFF bytes; `"bad_value"` if `target` is not a `Uint8Array` or the frame does not fit in it at `offset`.\n\n' +
          example(
            "",
            `${imp("SyncFrame, SyncMessageType")}
const out = new Uint8Array(64);
const n = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0xc0])).encodeInto(out, 10);
assert.equal(n, ${nilPing.length});
assert.deepEqual(Array.from(out.subarray(10, 10 + n)), ${
              byteArrayText(nilPing)
            });`,
          ),
        ],
        statements:
          "return frameEncodeInto(FRAME_LAYOUT, this.msgType, this.body, target, offset);",
      },
      {
        name: "fromBytes",
        isStatic: true,
        parameters: [{ name: "data", type: "Uint8Array" }, {
          name: "options",
          type: "FromBytesOptions",
          hasQuestionToken: true,
        }],
        returnType: "SyncFrame | undefined",
        docs: [
          `Parses a frame, as the Rust \`SyncFrame::from_bytes\`: \`undefined\` when ${
            noneCases.join(", ").replace(/, ([^,]*)$/, ", or $1")
          }. Bytes after the frame are ignored. No size limit applies beyond the u32 field; use {@linkcode SyncFrame.decode} for typed errors and a limit.\n\n` +
          "@param data Bytes starting with a frame header.\n@param options `copy: true` for an owned body (default: a view of `data`).\n@returns The frame, or `undefined`.\n" +
          '@throws {FrameError} `"bad_value"` if `data` is not a `Uint8Array`.\n\n' +
          example(
            "",
            `${imp("SyncFrame")}
assert.equal(SyncFrame.fromBytes(new Uint8Array(${
              byteArrayText(nilPing.slice(0, 3))
            })), undefined);
assert.equal(SyncFrame.fromBytes(new Uint8Array(${
              byteArrayText(nilPing)
            }))?.body.length, 1);`,
          ),
        ],
        statements:
          "const body = frameBodyOrNone(FRAME_LAYOUT, data, options);\nif (body === undefined) return undefined;\npartsChecked = true;\nreturn new SyncFrame(data[FRAME_LAYOUT.typeOffset] as SyncMessageType, body);",
      },
      {
        name: "decode",
        isStatic: true,
        parameters: [{ name: "data", type: "Uint8Array" }, {
          name: "options",
          type: "DecodeOptions",
          hasQuestionToken: true,
        }],
        returnType: "SyncFrame",
        docs: [
          "Parses a frame like {@linkcode SyncFrame.fromBytes}, but throws a typed error and enforces a body size limit from the header alone. Bytes after the frame are ignored.\n\n" +
          "@param data Bytes starting with a frame header.\n@param options `maxBodySize` (default 16 MiB) and `copy` (default: body is a view of `data`).\n@returns The frame.\n" +
          `@throws {FrameError} ${
            headerErrors.join(", ")
          }, or \`"bad_value"\` for a non-\`Uint8Array\` input or an invalid \`maxBodySize\`.\n\n` +
          example(
            "",
            `${imp("FrameError, SyncFrame")}
assert.throws(
  () => SyncFrame.decode(new Uint8Array(${byteArrayText(huge)})),
  (e) => e instanceof FrameError && e.code === "too_large" && e.length === 0xffffffff,
);`,
          ),
        ],
        statements:
          "const body = frameBodyOrThrow(FRAME_LAYOUT, data, options);\npartsChecked = true;\nreturn new SyncFrame(data[FRAME_LAYOUT.typeOffset] as SyncMessageType, body);",
      },
      {
        name: "newMsgpack",
        isStatic: true,
        typeParameters: [{ name: "T", constraint: "SyncMessageType" }],
        parameters: [{ name: "msgType", type: "T" }, {
          name: "value",
          type: "unknown",
        }],
        returnType: "SyncFrame<T> | undefined",
        docs: [
          "Creates a frame whose body is `value` serialized as MessagePack, as the Rust `SyncFrame::new_msgpack`: `undefined` when serialization fails (never a frame with a partial or wrong body).\n\n" +
          "Values map as in `@std/msgpack`: safe integers → smallest int form, other numbers → float64, bigint → 64-bit int, string → str, `Uint8Array` → bin, arrays → arrays, `Map`s and plain objects → maps, `null`/`undefined` → nil. A bigint outside the 64-bit range, a string with a lone surrogate, a function, a class instance or nesting deeper than 64 fails.\n\n" +
          "@typeParam T The message type.\n@param msgType The message type.\n@param value The body value.\n@returns The frame, or `undefined` if `value` cannot be serialized.\n\n" +
          example(
            "",
            `${imp("SyncFrame, SyncMessageType")}
const frame = SyncFrame.newMsgpack(SyncMessageType.PingPong, [7, false]);
assert.deepEqual(Array.from(frame!.body), [0x92, 0x07, 0xc2]);
assert.equal(SyncFrame.newMsgpack(SyncMessageType.PingPong, [2n ** 64n]), undefined);`,
          ),
        ],
        statements: "return SyncFrame.tryEncode(msgType, value);",
      },
      {
        name: "tryEncode",
        isStatic: true,
        typeParameters: [{ name: "T", constraint: "SyncMessageType" }],
        parameters: [
          { name: "msgType", type: "T" },
          { name: "value", type: "unknown" },
          { name: "options", type: "TryEncodeOptions", hasQuestionToken: true },
        ],
        returnType: "SyncFrame<T> | undefined",
        docs: [
          "Like {@linkcode SyncFrame.newMsgpack}, and reports why a value could not be encoded through `options.onError` (the Rust original logs; this library never does).\n\n" +
          "@typeParam T The message type.\n@param msgType The message type.\n@param value The body value.\n" +
          '@param options `onError` receives a {@linkcode FrameError} with code `"bad_value"` (and the path of the offending value) or `"unknown_type"`.\n' +
          "@returns The frame, or `undefined` if it cannot be built.\n\n" +
          example(
            "",
            `import { type FrameError, SyncFrame, SyncMessageType } from "«entry»";
import assert from "node:assert/strict";

const errors: FrameError[] = [];
const frame = SyncFrame.tryEncode(SyncMessageType.PingPong, [() => 1], {
  onError: (e) => errors.push(e),
});
assert.equal(frame, undefined);
assert.equal(errors[0].code, "bad_value");
assert.equal(errors[0].path, "value[0]");`,
          ),
        ],
        statements: `const body = msgpackBodyOrNone(value, options);
if (body === undefined) return undefined;
try {
  return new SyncFrame(msgType, body);
} catch (error) {
  options?.onError?.(error as FrameError);
  return undefined;
}`,
      },
      {
        name: "decodeBody",
        typeParameters: [{ name: "V", default: "unknown" }],
        returnType: "V | undefined",
        docs: [
          "Decodes the body as one generic MessagePack value, as the Rust `decode_body`: `undefined` on any failure. Use {@linkcode SyncFrame.decodeBodyOrThrow} to learn why.\n\n" +
          "The reader is bounded (see `decodeBodyOrThrow`) and safe on hostile bytes. `V` is not checked at run time; it only names what you expect.\n\n" +
          "@typeParam V The expected shape of the value.\n@returns The value, or `undefined`.\n\n" +
          example(
            "",
            `${imp("SyncFrame, SyncMessageType")}
const frame = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0x92, 0xcd, 0x30, 0x39, 0xc2]));
assert.deepEqual(frame.decodeBody<[number, boolean]>(), [12345, false]);
assert.equal(new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0xc1])).decodeBody(), undefined);`,
          ),
        ],
        statements: `try {
  return decodeMsgpack(this.body) as V;
} catch {
  return undefined;
}`,
      },
      {
        name: "decodeBodyOrThrow",
        typeParameters: [{ name: "V", default: "unknown" }],
        returnType: "V",
        docs: [
          "Decodes the body as one generic MessagePack value, or says why it cannot.\n\n" +
          "Safe on untrusted bytes: nesting depth at most 64; every declared str/bin/array/map length is checked against the bytes that remain before anything is allocated; strings must be valid UTF-8; reserved `c1`, extension types, an empty body and trailing bytes are rejected. uint64 and int64 markers decode to `bigint` (never a rounded number), other integers to `number`. Maps become plain objects with string keys (integer keys as their decimal text; `__proto__` becomes an own property). `bin` values are copies.\n\n" +
          '@typeParam V The expected shape of the value (not checked at run time).\n@returns The value.\n@throws {FrameError} `"bad_body"` with the reason, the byte `offset` and `msgType`.\n\n' +
          example(
            "",
            `${imp("FrameError, SyncFrame, SyncMessageType")}
const frame = new SyncFrame(SyncMessageType.PingPong, new Uint8Array([0x01, 0x02]));
assert.throws(
  () => frame.decodeBodyOrThrow(),
  (e) => e instanceof FrameError && e.code === "bad_body" && e.offset === 1,
);`,
          ),
        ],
        statements:
          "return genericBody(FRAME_LAYOUT, this.msgType, this.body) as V;",
      },
      {
        name: "decodeMessage",
        parameters: [{
          name: "options",
          type: "BodyDecodeOptions",
          hasQuestionToken: true,
        }],
        returnType: "SyncMessage<T>",
        docs: [
          "Reads the body as this frame's typed message, strictly: it accepts exactly what the Rust peer («serializer») accepts for the body struct of {@linkcode SyncFrame.msgType}.\n\n" +
          "@param options `copy: true` to copy `bytes` fields; by default they are views into {@linkcode SyncFrame.body}.\n" +
          "@returns `{ type, body }` with `body` typed by the frame's message type.\n" +
          '@throws {FrameError} `"bad_body"` with `msgType`, the field `path` (e.g. `HandshakeMsg.vector_clock`) and the byte `offset` inside the body.\n\n' +
          example(
            "",
            `${imp("SyncFrame, SyncMessageType")}
const frame = SyncFrame.decode(new Uint8Array(${byteArrayText(ping)}));
const message = frame.decodeMessage();
assert.equal(message.type, SyncMessageType.PingPong);
if (message.type === SyncMessageType.PingPong) {
  assert.equal(message.body.timestampMs, 7n);
}`,
          ),
        ],
        statements:
          "return decodeMessageBody(this.msgType, this.body, options);",
      },
    ],
  });
}
