// The capture inspector (tools/cli.ts) and the run-time schema it renders
// with (generated/2026-04/schema.ts): every reference vector decoded and re-encoded,
// a capture of all of them as binary, hex, base64 and hex lines, --json and
// --raw output, and broken inputs with their messages and exit codes.
import assert from "node:assert/strict";
import {
  directionOf,
  encodeMessage,
  FrameError,
  SyncMessageType,
} from "../mod.ts";
import { encodeFromJson, inspect } from "../tools/cli.ts";
import { parseJson, stringifyJson } from "../tools/_render.ts";
import type { JsonObject } from "../tools/_render.ts";
import { SYNC_SCHEMA } from "../generated/2026-04/schema.ts";
import { parseSpec } from "../codegen/spec.ts";
import { hex, toHex, VECTORS } from "./_vectors.ts";

const ROOT = new URL("../", import.meta.url);
const CLI = new URL("tools/cli.ts", ROOT).pathname;
const text = new TextEncoder();

/** All 20 vectors back to back, and where each frame starts. */
const CAPTURE = hex(VECTORS.map((v) => v.frame_hex).join(""));
const OFFSETS = VECTORS.map((_, i) =>
  VECTORS.slice(0, i).reduce((n, v) => n + v.frame_hex.length / 2, 0)
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real command, with `stdin` piped in. */
async function cli(
  args: string[],
  stdin: string | Uint8Array = "",
): Promise<Run> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", CLI, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    env: { NO_COLOR: "1" },
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(typeof stdin === "string" ? text.encode(stdin) : stdin);
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  const decoder = new TextDecoder();
  return {
    code,
    stdout: decoder.decode(stdout),
    stderr: decoder.decode(stderr),
  };
}

/**
 * Parses a --json line into the vectors' own conventions: integers beyond
 * 2^53−1 (bare literals in the output) become decimal strings.
 */
function asVectorJson(line: string): Record<string, unknown> {
  return JSON.parse(
    line,
    (_key: string, value: unknown, context?: { source?: string }) =>
      typeof value === "number" && !Number.isSafeInteger(value) &&
        /^-?\d+$/.test(context?.source ?? "")
        ? context!.source
        : value,
  );
}

function headerLine(index: number, offset = OFFSETS[index]): string {
  const v = VECTORS[index];
  return `@${offset}: 0x${
    v.type_code.toString(16).padStart(2, "0")
  } ${v.type_name} (${directionOf(v.type_code as SyncMessageType)}), ${
    v.body_hex.length / 2
  }-byte body`;
}

function vectorIndex(name: string): number {
  const i = VECTORS.findIndex((v) => v.name === name);
  assert.ok(i >= 0, `vector ${name}`);
  return i;
}

function base64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}

// ---------------------------------------------------------------------------
// The schema

Deno.test("SYNC_SCHEMA holds every type, field and message of the spec in wire order", () => {
  const spec = parseSpec(
    Deno.readTextFileSync(new URL("spec/2026-04.yaml", ROOT)),
  );
  assert.equal(SYNC_SCHEMA.revision, spec.revision);
  assert.deepEqual(
    Object.keys(SYNC_SCHEMA.types),
    spec.types.map((t) => t.name),
  );
  const fields = (list: { name: string; tsName: string; type: unknown }[]) =>
    list.map((f) => ({ name: f.name, tsName: f.tsName, type: f.type }));
  for (const t of spec.types) {
    const s = SYNC_SCHEMA.types[t.name];
    if (t.kind === "struct") {
      assert.equal(s.kind, "struct");
      if (s.kind === "struct") {
        assert.deepEqual(fields([...s.fields]), fields(t.fields), t.name);
      }
    } else {
      assert.equal(s.kind, "enum");
      if (s.kind === "enum") {
        assert.deepEqual(
          s.variants.map((v) => [v.name, v.fields && fields([...v.fields])]),
          t.variants.map((v) => [v.name, v.fields && fields(v.fields)]),
          t.name,
        );
      }
    }
  }
  assert.deepEqual(
    SYNC_SCHEMA.messages.map((m) => [m.code, m.name, m.direction, m.body]),
    spec.messages.map((m) => [m.code, m.name, m.direction, m.body]),
  );
});

// ---------------------------------------------------------------------------
// Reference vectors

for (const [i, vector] of VECTORS.entries()) {
  Deno.test(`inspect --json reads vector ${vector.name} as its reference value`, () => {
    const result = inspect(hex(vector.frame_hex), { json: true });
    assert.equal(result.format, "binary");
    assert.deepEqual(result.problems, []);
    assert.equal(result.lines.length, 1);
    assert.deepEqual(asVectorJson(result.lines[0]), {
      offset: 0,
      type_code: vector.type_code,
      type_name: vector.type_name,
      direction: directionOf(vector.type_code as SyncMessageType),
      body_length: vector.body_hex.length / 2,
      value: vector.value,
    });
    assert.equal(inspect(hex(vector.frame_hex)).lines[0], headerLine(i, 0));
  });

  Deno.test(`--json output of vector ${vector.name} encodes back to the same frame`, () => {
    const line = parseJson(
      inspect(hex(vector.frame_hex), { json: true }).lines[0],
    ) as JsonObject;
    const value = stringifyJson(line.get("value")!);
    assert.equal(
      toHex(encodeFromJson(vector.type_name, value)),
      vector.frame_hex,
    );
    const code = `0x${vector.type_code.toString(16)}`;
    assert.equal(toHex(encodeFromJson(code, value)), vector.frame_hex);
  });
}

Deno.test("inspect --encode prints exactly frame_hex for every vector's type_name and value", async () => {
  const runs = await Promise.all(
    VECTORS.map((v) => cli(["--encode", v.type_name, JSON.stringify(v.value)])),
  );
  runs.forEach((run, i) => {
    assert.deepEqual(run, {
      code: 0,
      stdout: `${VECTORS[i].frame_hex}\n`,
      stderr: "",
    }, VECTORS[i].name);
  });
});

// ---------------------------------------------------------------------------
// A capture of all vectors

Deno.test("a binary capture of all 20 vectors lists every frame at its offset", () => {
  const result = inspect(CAPTURE);
  assert.equal(result.format, "binary");
  assert.equal(result.frames, 20);
  assert.deepEqual(result.problems, []);
  const headers = result.lines.filter((l) => l.startsWith("@"));
  assert.deepEqual(headers, VECTORS.map((_, i) => headerLine(i)));
});

Deno.test("the text tree shows integers exactly, bytes as short hex with length, and nested types indented", () => {
  const lines = inspect(CAPTURE).lines;
  const block = (name: string) => {
    const i = vectorIndex(name);
    const start = lines.indexOf(headerLine(i));
    const end = lines.findIndex((l, k) => k > start && l.startsWith("@"));
    return lines.slice(start, end < 0 ? undefined : end);
  };
  assert.deepEqual(block("delta_push"), [
    "@187: 0x10 DeltaPush (bidirectional), 39-byte body",
    '  collection: "users"',
    '  document_id: "u1"',
    "  delta: 3 bytes 010203",
    "  peer_id: 9007199254740993",
    "  mutation_id: 1",
    "  checksum: 4046516766",
    "  device_valid_time_ms: 1714300000000",
  ]);
  assert.deepEqual(block("handshake_with_clock"), [
    "@25: 0x01 Handshake (client_to_server), 69-byte body",
    '  jwt_token: "tok"',
    "  vector_clock: map of 1",
    '    "users": map of 1',
    '      "doc1": 5',
    "  subscribed_shapes: list of 1",
    '    [0]: "s1"',
    '  client_version: "0.1.0"',
    '  lite_id: "0190f5e2-7b1c-7000-8000-000000000001"',
    "  epoch: 3",
    "  wire_version: 4",
  ]);
  assert.deepEqual(block("delta_reject_unique_violation"), [
    "@253: 0x12 DeltaReject (server_to_client), 61-byte body",
    "  mutation_id: 42",
    '  reason: "unique violation"',
    "  compensation: UniqueViolation",
    '    field: "email"',
    '    conflicting_value: "alice@example.com"',
  ]);
  assert.deepEqual(block("delta_reject_permission_denied"), [
    "@319: 0x12 DeltaReject (server_to_client), 39-byte body",
    "  mutation_id: 5",
    '  reason: "not authenticated"',
    "  compensation: PermissionDenied",
  ]);
  assert.deepEqual(block("shape_subscribe_array"), [
    "@429: 0x20 ShapeSubscribe (client_to_server), 50-byte body",
    "  shape: ShapeDefinition",
    '    shape_id: "a3"',
    "    tenant_id: 7",
    "    shape_type: Array",
    '      array_name: "sensor_matrix"',
    "      coord_range: ArrayCoordRange",
    "        start: list of 2",
    "          [0]: 0",
    "          [1]: 0",
    "        end: null",
    '    description: "half-open range"',
    "    field_filter: []",
  ]);
  assert.deepEqual(block("timeseries_push"), [
    "@515: 0x40 TimeseriesPush (client_to_server), 50-byte body",
    '  lite_id: "lite-1"',
    '  collection: "cpu"',
    "  ts_block: 1 byte 01",
    "  val_block: 1 byte 02",
    "  series_block: 8 bytes 0100000000000000",
    "  sample_count: 1",
    "  min_ts: 1714300000000",
    "  max_ts: 1714300000000",
    "  watermarks: map of 1",
    "    1: 100",
  ]);
  assert.deepEqual(block("array_ack"), [
    "@624: 0x95 ArrayAck (client_to_server), 44-byte body",
    '  array: "prices"',
    "  replica_id: 12345678901234567890",
    "  ack_hlc_bytes: 18 bytes 0000018f243e17000001ab54a98ceb1f0ad2",
  ]);
  assert.deepEqual(block("array_delta_batch"), [
    "@757: 0x91 ArrayDeltaBatch (bidirectional), 19-byte body",
    '  array: "scores"',
    "  op_payloads: list of 2",
    "    [0]: 2 bytes aabb",
    "    [1]: 2 bytes ccdd",
  ]);
});

Deno.test("byte fields longer than 24 bytes show their length and first 16 bytes", () => {
  const data = Uint8Array.from({ length: 300 }, (_, i) => i & 0xff);
  const frame = encodeMessage(SyncMessageType.ShapeSnapshot, {
    shapeId: "s",
    data,
    snapshotLsn: 1n,
    docCount: 2n,
  });
  assert.deepEqual(inspect(frame).lines, [
    "@0: 0x21 ShapeSnapshot (server_to_client), 308-byte body",
    '  shape_id: "s"',
    "  data: 300 bytes 000102030405060708090a0b0c0d0e0f…",
    "  snapshot_lsn: 1",
    "  doc_count: 2",
  ]);
});

Deno.test("--json prints one parseable object per frame of the capture", () => {
  const result = inspect(CAPTURE, { json: true });
  assert.equal(result.lines.length, 20);
  result.lines.forEach((line, i) => {
    assert.deepEqual(asVectorJson(line), {
      offset: OFFSETS[i],
      type_code: VECTORS[i].type_code,
      type_name: VECTORS[i].type_name,
      direction: directionOf(VECTORS[i].type_code as SyncMessageType),
      body_length: VECTORS[i].body_hex.length / 2,
      value: VECTORS[i].value,
    });
  });
  // Integers beyond 2^53 are exact bare literals, not strings or rounded numbers.
  assert.match(result.lines[4], /"peer_id":9007199254740993,/);
  assert.match(result.lines[17], /"replica_id":12345678901234567890,/);
});

Deno.test("--json keeps map order, so a map<u64, u64> body encodes back byte for byte", () => {
  const frame = encodeMessage(SyncMessageType.TimeseriesPush, {
    liteId: "l",
    collection: "c",
    tsBlock: new Uint8Array(0),
    valBlock: new Uint8Array(0),
    seriesBlock: new Uint8Array(0),
    sampleCount: 0n,
    minTs: -(2n ** 63n),
    maxTs: 2n ** 63n - 1n,
    watermarks: new Map([[2n ** 64n - 1n, 1n], [10n, 2n], [2n, 3n]]),
  });
  const [line] = inspect(frame, { json: true }).lines;
  assert.match(
    line,
    /"min_ts":-9223372036854775808,"max_ts":9223372036854775807,"watermarks":\{"18446744073709551615":1,"10":2,"2":3\}/,
  );
  const value = (parseJson(line) as JsonObject).get("value")!;
  assert.deepEqual(
    encodeFromJson("TimeseriesPush", stringifyJson(value)),
    frame,
  );
});

Deno.test("hex, spaced hex, 0x-prefixed hex and wrapped hex give the same frames as binary", () => {
  const binary = inspect(CAPTURE, { json: true }).lines;
  const digits = toHex(CAPTURE);
  const spaced = digits.replace(/(..)/g, "$1 ").replace(
    /((?:.. ){16})/g,
    "$1\n",
  );
  const wrapped = digits.replace(/(.{60})/g, "$1\n"); // as `xxd -p` writes it
  const prefixed = Array.from(
    CAPTURE,
    (b) => `0x${b.toString(16).padStart(2, "0")}`,
  ).join(" ");
  for (
    const input of [digits, digits.toUpperCase(), spaced, wrapped, prefixed]
  ) {
    const result = inspect(text.encode(input), { json: true });
    assert.equal(result.format, "hex");
    assert.deepEqual(result.lines, binary);
  }
});

Deno.test("base64 text, wrapped or not, standard or URL alphabet, gives the same frames as binary", () => {
  const binary = inspect(CAPTURE, { json: true }).lines;
  const b64 = base64(CAPTURE);
  const wrapped = b64.replace(/(.{76})/g, "$1\n") + "\n";
  const url = b64.replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
  for (const input of [b64, wrapped, url]) {
    const result = inspect(text.encode(input), { json: true });
    assert.equal(result.format, "base64");
    assert.deepEqual(result.lines, binary);
  }
});

Deno.test("hex with one frame per line is read line by line, with line numbers", () => {
  const input = "\n" + VECTORS.map((v) => v.frame_hex).join("\n") + "\n";
  const result = inspect(text.encode(input));
  assert.equal(result.format, "hex-lines");
  assert.equal(result.frames, 20);
  assert.deepEqual(
    result.lines.filter((l) => l.startsWith("line ")),
    VECTORS.map((_, i) => `line ${i + 2} ${headerLine(i, 0)}`),
  );
  const json = inspect(text.encode(input), { json: true }).lines;
  assert.deepEqual(asVectorJson(json[0]), {
    line: 2,
    offset: 0,
    type_code: 255,
    type_name: "PingPong",
    direction: "bidirectional",
    body_length: 5,
    value: { timestamp_ms: 12345, is_pong: false },
  });
});

Deno.test("--raw shows headers and body bytes without decoding them", () => {
  const ping = hex(VECTORS[0].frame_hex);
  assert.deepEqual(inspect(ping, { raw: true }).lines, [
    "@0: 0xff PingPong (bidirectional), 5-byte body",
    "  body: 5 bytes 92cd3039c2",
  ]);
  assert.deepEqual(inspect(ping, { raw: true, json: true }).lines, [
    '{"offset":0,"type_code":255,"type_name":"PingPong","direction":"bidirectional","body_length":5,"body_hex":"92cd3039c2"}',
  ]);
  // A body that does not decode is no problem when it is not decoded.
  const bad = hex("ff0500000092cd303900");
  assert.deepEqual(inspect(bad, { raw: true }).problems, []);
});

Deno.test("empty input has no frames and no problems", () => {
  assert.deepEqual(inspect(new Uint8Array(0)), {
    revision: "2026-04",
    format: "binary",
    frames: 0,
    lines: [],
    problems: [],
    problemCount: 0,
  });
});

Deno.test("whitespace-only text is empty hex: no frames and no problems", () => {
  assert.deepEqual(inspect(text.encode(" \n\t\r\n")), {
    revision: "2026-04",
    format: "hex",
    frames: 0,
    lines: [],
    problems: [],
    problemCount: 0,
  });
});

Deno.test("encodeFromJson takes integers exactly, as bare literals or decimal strings", () => {
  const max = "ff0b00000092cfffffffffffffffffc3";
  for (
    const json of [
      '{"timestamp_ms": 18446744073709551615, "is_pong": true}',
      '{"timestamp_ms": "18446744073709551615", "is_pong": true}',
      '{"is_pong": true, "timestamp_ms": 18446744073709551615}',
    ]
  ) {
    assert.equal(toHex(encodeFromJson("PingPong", json)), max);
  }
});

Deno.test("encodeFromJson refuses ambiguous or malformed JSON with bad_value", () => {
  const cases: Array<[string, string]> = [
    [
      '{"timestamp_ms": 1, "timestamp_ms": 2, "is_pong": true}',
      'bad JSON: duplicate key "timestamp_ms" at character 21 (found "\\"timestamp_m")',
    ],
    [
      '{"timestamp_ms": 01, "is_pong": true}',
      'bad JSON: expected "," or "}" at character 19 (found "1, \\"is_pong\\"")',
    ],
    [
      '{"timestamp_ms": 1, "is_pong": true} x',
      'bad JSON: unexpected text after the JSON value at character 38 (found "x")',
    ],
    [
      '{"timestamp_ms": 1e20, "is_pong": true}',
      "cannot encode PingPongMsg.timestamp_ms: expected an integer, got the number 100000000000000000000",
    ],
    [
      '{"timestamp_ms": 1.5, "is_pong": true}',
      "cannot encode PingPongMsg.timestamp_ms: expected an integer, got the number 1.5",
    ],
    [
      "[1, true]",
      "cannot encode PingPongMsg: expected an object, got an array",
    ],
    [
      "[".repeat(300),
      'bad JSON: nesting deeper than 256 at character 258 (found "[[[[[[[[[[[[")',
    ],
  ];
  for (const [json, message] of cases) {
    assert.throws(
      () => encodeFromJson("PingPong", json),
      (e) =>
        e instanceof FrameError && e.code === "bad_value" &&
        e.message === message,
      json,
    );
  }
});

// ---------------------------------------------------------------------------
// Broken inputs

Deno.test("a bad body is reported with its offset, code and path, and the next frame is read", () => {
  const bad = "ff0500000092cd303900"; // is_pong written as the integer 0
  const input = hex(bad + VECTORS[5].frame_hex);
  const result = inspect(input);
  assert.deepEqual(result.lines, [
    "@0: 0xff PingPong (bidirectional), 5-byte body",
    "  body: 5 bytes 92cd303900",
    "@9: error bad_body: invalid PingPongMsg body at PingPongMsg.is_pong (byte 4): expected a bool, found positive fixint (0x00)",
    "@10: 0x11 DeltaAck (server_to_client), 4-byte body",
    "  mutation_id: 7",
    "  lsn: 0",
    "  clock_skew_warning_ms: null",
  ]);
  assert.deepEqual(result.problems, [{
    offset: 9,
    code: "bad_body",
    message:
      "invalid PingPongMsg body at PingPongMsg.is_pong (byte 4): expected a bool, found positive fixint (0x00)",
    path: "PingPongMsg.is_pong",
  }]);
  assert.deepEqual(inspect(input, { json: true }).lines, [
    '{"offset":0,"type_code":255,"type_name":"PingPong","direction":"bidirectional","body_length":5,"body_hex":"92cd303900","error":{"code":"bad_body","path":"PingPongMsg.is_pong","offset":9,"message":"invalid PingPongMsg body at PingPongMsg.is_pong (byte 4): expected a bool, found positive fixint (0x00)"}}',
    '{"offset":10,"type_code":17,"type_name":"DeltaAck","direction":"server_to_client","body_length":4,"value":{"mutation_id":7,"lsn":0,"clock_skew_warning_ms":null}}',
  ]);
});

Deno.test("a truncated capture lists the whole frames, then says where the input ends", () => {
  const result = inspect(CAPTURE.subarray(0, CAPTURE.length - 3));
  assert.equal(result.frames, 19);
  assert.deepEqual(
    result.lines.at(-1),
    [
      "@757: error truncated: frame declares a 19-byte body but only 16 bytes follow the header: the input ends inside the frame",
    ][0],
  );
  const header = inspect(CAPTURE.subarray(0, 12));
  assert.deepEqual(header.lines.slice(-1), [
    "@10: error truncated: the input ends after 2 of the 5 header bytes",
  ]);
  assert.deepEqual(header.problems.map((p) => [p.offset, p.code]), [[
    10,
    "truncated",
  ]]);
});

Deno.test("an unknown type byte in a binary stream loses the framing: it is reported and reading stops", () => {
  const input = new Uint8Array([
    ...hex(VECTORS[0].frame_hex),
    0x13,
    ...CAPTURE,
  ]);
  const result = inspect(input);
  assert.equal(result.frames, 1);
  assert.deepEqual(result.lines.slice(3), [
    `@10: error unknown_type: unknown message type byte 0x13; the framing is lost, so the remaining ${
      CAPTURE.length + 1
    } bytes are not read`,
  ]);
  assert.deepEqual(result.problems.map((p) => [p.offset, p.code]), [[
    10,
    "unknown_type",
  ]]);
  assert.deepEqual(inspect(input, { json: true }).lines.slice(1), [
    `{"offset":10,"error":{"code":"unknown_type","message":"unknown message type byte 0x13; the framing is lost, so the remaining ${
      CAPTURE.length + 1
    } bytes are not read"}}`,
  ]);
});

Deno.test("a body over maxBodySize is too_large, checked from the header", () => {
  const result = inspect(CAPTURE, { maxBodySize: 16 });
  assert.equal(result.frames, 2);
  assert.deepEqual(result.lines.slice(-1), [
    "@25: error too_large: frame declares a 69-byte body, over the 16-byte limit; the framing is lost, so the remaining 756 bytes are not read",
  ]);
  assert.deepEqual(result.problems.map((p) => [p.offset, p.code]), [[
    25,
    "too_large",
  ]]);
  assert.throws(() => inspect(CAPTURE, { maxBodySize: -1 }), /maxBodySize/);
});

Deno.test("in hex lines, a framing error skips the rest of its line and the next line is read", () => {
  const input = [
    VECTORS[0].frame_hex + "13" + VECTORS[0].frame_hex, // unknown type mid-line
    VECTORS[5].frame_hex.slice(0, -2), // truncated
    "fff", // odd number of digits
    VECTORS[0].frame_hex,
  ].join("\n");
  const result = inspect(text.encode(input));
  assert.equal(result.format, "hex-lines");
  assert.deepEqual(result.lines, [
    "line 1 @0: 0xff PingPong (bidirectional), 5-byte body",
    "  timestamp_ms: 12345",
    "  is_pong: false",
    "line 1 @10: error unknown_type: unknown message type byte 0x13; the rest of line 1 (11 bytes) is skipped",
    "line 2 @0: error truncated: frame declares a 4-byte body but only 3 bytes follow the header: line 2 ends inside the frame",
    "line 3 @1: error truncated: odd number of hex digits (3): line 3 ends inside a byte, so it is skipped",
    "line 4 @0: 0xff PingPong (bidirectional), 5-byte body",
    "  timestamp_ms: 12345",
    "  is_pong: false",
  ]);
  assert.deepEqual(
    result.problems.map((p) => [p.line, p.offset, p.code]),
    [[1, 10, "unknown_type"], [2, 0, "truncated"], [3, 1, "truncated"]],
  );
});

Deno.test("garbage is reported once at offset 0, with a note when it is text", () => {
  const words = inspect(text.encode("hello world\n"));
  assert.deepEqual(words.lines, [
    "@0: error unknown_type: unknown message type byte 0x68; the framing is lost, so the remaining 12 bytes are not read (the input is text, but neither hex nor base64)",
  ]);
  const noise = inspect(new Uint8Array([0x00, 0xde, 0xad, 0xbe, 0xef]));
  assert.deepEqual(noise.lines, [
    "@0: error unknown_type: unknown message type byte 0x00; the framing is lost, so the remaining 5 bytes are not read",
  ]);
  const odd = inspect(text.encode(toHex(CAPTURE).slice(1)));
  assert.deepEqual(odd.lines, [
    "@0: error unknown_type: unknown message type byte 0xf0; the framing is lost, so the remaining 780 bytes are not read",
    "@780: error truncated: odd number of hex digits (1561): the last digit is not a whole byte and is dropped",
  ]);
  const b64 = inspect(text.encode("QUJDRAEAA")); // 9 characters
  assert.deepEqual(b64.problems.map((p) => [p.offset, p.code]), [[
    6,
    "truncated",
  ]]);
});

Deno.test("the command exits 0 on a clean capture from a file and from stdin", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/capture.bin`;
    await Deno.writeFile(path, CAPTURE);
    const fromFile = await cli([path]);
    assert.equal(fromFile.code, 0);
    assert.equal(fromFile.stderr, "");
    assert.equal(fromFile.stdout, inspect(CAPTURE).lines.join("\n") + "\n");
    const fromStdin = await cli(["-"], CAPTURE);
    assert.deepEqual(fromStdin, fromFile);
    const implicit = await cli(["--json"], base64(CAPTURE));
    assert.equal(implicit.code, 0);
    assert.equal(
      implicit.stdout,
      inspect(CAPTURE, { json: true }).lines.join("\n") + "\n",
    );
    const limited = await cli(["--raw", "--max-body-size=5", path]);
    assert.equal(limited.code, 1);
    assert.equal(
      limited.stdout,
      "@0: 0xff PingPong (bidirectional), 5-byte body\n" +
        "  body: 5 bytes 92cd3039c2\n" +
        "@10: error too_large: frame declares a 10-byte body, over the 5-byte limit; the framing is lost, so the remaining 771 bytes are not read\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the command exits 1 on broken input, printing every problem and a summary", async () => {
  const truncated = await cli([], CAPTURE.subarray(0, 20));
  assert.deepEqual(truncated, {
    code: 1,
    stdout: "@0: 0xff PingPong (bidirectional), 5-byte body\n" +
      "  timestamp_ms: 12345\n" +
      "  is_pong: false\n" +
      "@10: error truncated: frame declares a 10-byte body but only 5 bytes follow the header: the input ends inside the frame\n",
    stderr: "inspect: 1 problem (1 frame read)\n",
  });
  const unknown = await cli(["--json", "-"], "ff0500000092cd3039c2 13000000");
  assert.deepEqual(unknown, {
    code: 1,
    stdout:
      '{"offset":0,"type_code":255,"type_name":"PingPong","direction":"bidirectional","body_length":5,"value":{"timestamp_ms":12345,"is_pong":false}}\n' +
      '{"offset":10,"error":{"code":"unknown_type","message":"unknown message type byte 0x13; the framing is lost, so the remaining 4 bytes are not read"}}\n',
    stderr: "inspect: 1 problem (1 frame read)\n",
  });
  const badBody = await cli([], "ff0500000092cd303900\nff0500000092cd3039c2\n");
  assert.equal(badBody.code, 1);
  assert.equal(
    badBody.stdout.split("\n")[2],
    "line 1 @9: error bad_body: invalid PingPongMsg body at PingPongMsg.is_pong (byte 4): expected a bool, found positive fixint (0x00)",
  );
  assert.equal(badBody.stderr, "inspect: 1 problem (2 frames read)\n");
  // A PNG file is not a capture.
  const png = new Uint8Array(64);
  png.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const garbage = await cli([], png);
  assert.deepEqual(garbage, {
    code: 1,
    stdout:
      "@0: error unknown_type: unknown message type byte 0x89; the framing is lost, so the remaining 64 bytes are not read\n",
    stderr: "inspect: 1 problem (0 frames read)\n",
  });
});

Deno.test("--encode errors print one line with the code and field path, and exit 1", async () => {
  const cases: Array<[string[], string]> = [
    [
      ["--encode", "Pingpong", "{}"],
      'inspect: unknown_type: unknown message type "Pingpong" (a name such as PingPong, case-sensitive, or a code such as 0xff)\n',
    ],
    [
      ["--encode", "0x13", "{}"],
      'inspect: unknown_type: unknown message type "0x13" (a name such as PingPong, case-sensitive, or a code such as 0xff)\n',
    ],
    [
      ["--encode", "PingPong", '{"timestamp_ms": 1,}'],
      'inspect: bad_value: bad JSON: expected a string key at character 20 (found "}")\n',
    ],
    [
      [
        "--encode",
        "DeltaAck",
        '{"mutation_id": 18446744073709551616, "lsn": 0, "clock_skew_warning_ms": null}',
      ],
      "inspect: bad_value: cannot encode DeltaAckMsg.mutation_id: expected a u64 bigint (0n–2n**64n-1n), got 18446744073709551616n\n",
    ],
    [
      ["--encode", "0xff", '{"timestamp_ms": 1}'],
      "inspect: bad_value: cannot encode PingPongMsg.is_pong: missing field\n",
    ],
    [
      [
        "--encode",
        "PingPong",
        '{"timestamp_ms": 1, "is_pong": false, "isPong": true}',
      ],
      "inspect: bad_value: cannot encode PingPongMsg.isPong: unknown field (the fields are timestamp_ms, is_pong)\n",
    ],
    [
      [
        "--encode",
        "ResyncRequest",
        '{"reason": "SequenceGap", "from_mutation_id": 0, "collection": ""}',
      ],
      'inspect: bad_value: cannot encode ResyncRequestMsg.reason: variant SequenceGap has fields: write {"SequenceGap": {"expected": …, "received": …}}\n',
    ],
    [
      [
        "--encode",
        "ArrayAck",
        '{"array": "a", "replica_id": 1, "ack_hlc_bytes": "hex:00"}',
      ],
      "inspect: bad_value: cannot encode ArrayAckMsg.ack_hlc_bytes: expected exactly 18 bytes, got 1\n",
    ],
    [
      [
        "--encode",
        "Handshake",
        '{"jwt_token": "", "vector_clock": {"users": {"d": 1.5}}, "subscribed_shapes": [], "client_version": "", "lite_id": "", "epoch": 0, "wire_version": 4}',
      ],
      'inspect: bad_value: cannot encode HandshakeMsg.vector_clock["users"]["d"]: expected an integer, got the number 1.5\n',
    ],
  ];
  const runs = await Promise.all(cases.map(([args]) => cli(args)));
  runs.forEach((run, i) => {
    assert.deepEqual(run, { code: 1, stdout: "", stderr: cases[i][1] });
  });
});

Deno.test("--encode reads the JSON from stdin when given -", async () => {
  const run = await cli(
    ["--encode", "0xff", "-"],
    '{"timestamp_ms": 12345, "is_pong": false}\n',
  );
  assert.deepEqual(run, {
    code: 0,
    stdout: "ff0500000092cd3039c2\n",
    stderr: "",
  });
});

Deno.test("bad usage and unreadable files exit 2 with one line and no stack trace", async () => {
  const runs = await Promise.all([
    cli(["--bogus"]),
    cli(["a", "b"]),
    cli(["--max-body-size", "lots"]),
    cli(["--encode", "PingPong"]),
    cli(["/nonexistent/capture.bin"]),
    cli(["--max-body-size", "99999999999"]),
  ]);
  assert.deepEqual(
    runs.map((r) => [r.code, r.stdout]),
    runs.map(() => [2, ""]),
  );
  assert.deepEqual(runs.slice(0, 4).map((r) => r.stderr), [
    "inspect: unknown option --bogus (see --help)\n",
    "inspect: one input at a time, got 2 (see --help)\n",
    'inspect: --max-body-size needs a number of bytes, got "lots" (see --help)\n',
    "inspect: --encode needs TYPE and JSON (see --help)\n",
  ]);
  assert.match(
    runs[4].stderr,
    /^inspect: cannot read \/nonexistent\/capture\.bin: [^\n]*\n$/,
  );
  assert.equal(
    runs[5].stderr,
    "inspect: bad_value: maxBodySize must be an integer from 0 to 4294967295, got 99999999999\n",
  );
});

Deno.test("--help prints the usage and exits 0", async () => {
  const run = await cli(["--help"]);
  assert.equal(run.code, 0);
  assert.match(
    run.stdout,
    /^Usage:\n {2}inspect \[--revision R\] \[--format F\] \[--json\] \[--raw\] \[--max-body-size N\] \[FILE \| -\]\n {2}inspect \[--revision R\] --encode TYPE JSON\n/,
  );
  assert.equal(run.stderr, "");
});

// ---------------------------------------------------------------- revisions

const PING_2026_07 = "01ff0500000076ea5d0092cd3039c2";

Deno.test("inspect() reads 2026-07 frames with --revision 2026-07, CRC checked", () => {
  const result = inspect(hex(PING_2026_07), { revision: "2026-07" });
  assert.equal(result.revision, "2026-07");
  assert.deepEqual(result.lines, [
    "@0: 0xff PingPong (bidirectional), 5-byte body",
    "  timestamp_ms: 12345",
    "  is_pong: false",
  ]);
  const bad = hex(PING_2026_07);
  bad[14] ^= 1;
  const broken = inspect(bad, { revision: "2026-07" });
  assert.deepEqual(broken.problems.map((p) => [p.offset, p.code]), [[
    0,
    "bad_checksum",
  ]]);
});

Deno.test("inspect() with revision auto picks the revision whose framing explains the capture", () => {
  assert.equal(
    inspect(hex(PING_2026_07), { revision: "auto" }).revision,
    "2026-07",
  );
  assert.equal(
    inspect(hex("ff0500000092cd3039c2"), { revision: "auto" }).revision,
    "2026-04",
  );
  // Read as 2026-04, the 2026-07 ping's version byte 0x01 is a Handshake
  // type and its length field is garbage: the framing fails.
  assert.equal(inspect(hex(PING_2026_07)).problems.length, 1);
});

Deno.test("inspect() renders 2026-07 enums, f32 lists and tuples", () => {
  const vectors = JSON.parse(
    Deno.readTextFileSync(
      new URL("./fixtures/vectors-2026-07.json", import.meta.url),
    ),
  ) as { name: string; frame_hex: string }[];
  const all = vectors.map((v) => v.frame_hex).join("\n");
  const result = inspect(text.encode(all), { revision: "2026-07", json: true });
  assert.deepEqual(result.problems, []);
  assert.equal(result.frames, vectors.length);
  const ack = vectors.findIndex((v) => v.name === "delta_ack_applied");
  assert.match(result.lines[ack], /"status":"Applied"/);
});

Deno.test("encodeFromJson() builds a 2026-07 frame with its CRC-32C", () => {
  const frame = encodeFromJson(
    "PingPong",
    '{"timestamp_ms": 12345, "is_pong": false}',
    { revision: "2026-07" },
  );
  assert.equal(toHex(frame), PING_2026_07);
});

Deno.test("--revision takes only a known revision", async () => {
  const { code, stderr } = await cli(["--revision", "2025-01", "-"]);
  assert.equal(code, 2);
  assert.match(stderr, /--revision takes 2026-04, 2026-07 or auto/);
});

// ---------------------------------------------------------------- input forms

const PING = "ff0500000092cd3039c2";

Deno.test("a stray character in a hex dump is reported at its offset, never read as another format", () => {
  const result = inspect(
    text.encode(`${PING}${PING.slice(0, 6)}zz${PING.slice(8)}`),
  );
  assert.equal(result.format, "hex");
  assert.equal(result.frames, 1);
  assert.deepEqual(result.problems.at(-1), {
    line: 1,
    offset: 13,
    code: "bad_message",
    message:
      '"z" at line 1 column 27 (character 26) is not a hex digit: the hex text is read up to it (13 bytes) and not after',
  });
});

Deno.test("in one-frame-per-line hex a broken line is reported and the next line is read", () => {
  const result = inspect(
    text.encode(`${PING}\n${PING.slice(0, 6)}zz${PING.slice(8)}\n${PING}\n`),
  );
  assert.equal(result.format, "hex-lines");
  assert.equal(result.frames, 2);
  assert.deepEqual(result.problems.map((p) => [p.line, p.code]), [[
    2,
    "bad_message",
  ]]);
});

Deno.test("an odd trailing hex digit costs only the last frame", () => {
  const result = inspect(text.encode(`${PING}${PING}${PING.slice(0, 19)}`));
  assert.equal(result.frames, 2);
  assert.deepEqual(result.problems.map((p) => [p.offset, p.code]), [
    [20, "truncated"],
    [29, "truncated"],
  ]);
  assert.match(
    result.problems[0].message,
    /declares a 5-byte body but only 4 bytes follow the header/,
  );
});

Deno.test("format forces the input form", () => {
  // Hex digits only, but read as base64 when told so.
  const forced = inspect(text.encode(PING), { format: "base64" });
  assert.equal(forced.format, "base64");
  assert.equal(forced.frames, 0);
  assert.equal(
    inspect(text.encode(`${PING}\n${PING}`), { format: "hex" }).format,
    "hex",
  );
  const lines = inspect(text.encode(PING + PING), { format: "hex-lines" });
  assert.equal(lines.format, "hex-lines");
  assert.equal(lines.frames, 2);
  // Hex text forced as binary is garbage bytes.
  assert.deepEqual(
    inspect(text.encode(PING), { format: "binary" }).problems.map((p) =>
      p.code
    ),
    ["unknown_type"],
  );
});

Deno.test("--format takes binary, hex, hex-lines or base64", async () => {
  const ok = await cli(["--format", "hex-lines", "-"], `${PING}${PING}\n`);
  assert.equal(ok.code, 0);
  assert.equal(
    ok.stdout.split("\n").filter((l) => l.startsWith("line 1 @")).length,
    2,
  );
  const bad = await cli(["--format", "xml", "-"]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--format takes binary, hex, hex-lines or base64/);
});

Deno.test("inspect() tells a pcap capture apart and says the command extracts it", () => {
  const pcapng = new Uint8Array([0x0a, 0x0d, 0x0d, 0x0a, 0x1c, 0, 0, 0]);
  const result = inspect(pcapng);
  assert.deepEqual(result.problems.map((p) => p.code), ["bad_message"]);
  assert.match(result.problems[0].message, /pcap/);
});
