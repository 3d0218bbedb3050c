// Typed bodies from the specs: regenerating after a body change, recursive
// types, and the validation rules of the `types` section.
import assert from "node:assert/strict";
import {
  checkAgainstRepository,
  frameBytes,
  generatedFrom,
  generatedFromSpecs,
  lineOf,
  oneLine,
  PREAMBLE,
  problemsOf,
  REVISIONS,
  ROOT_PATH,
  runGenerator,
  specOf,
  specText,
  stalePaths,
  withTempDir,
  writeSpecDir,
} from "./_codegen_helpers.ts";
import { FrameError } from "../mod.ts";

/** A spec with one more field at the end of PingPongMsg. */
function specWithPingNote(text: string): string {
  const anchor = "      - name: is_pong\n";
  const at = text.indexOf(anchor);
  assert.ok(at > 0, "the spec has PingPongMsg.is_pong");
  const end = text.indexOf("\n\n", at);
  const field = "\n      - name: note\n        type: option<string>\n" +
    "        doc: A note added by the regenerate test.";
  return text.slice(0, end) + field + text.slice(end);
}

for (const rev of REVISIONS) {
  Deno.test(`regenerating spec/${rev}.yaml after adding a field changes the interface, the codecs and the round trip`, async () => {
    await withTempDir(async (dir) => {
      const specDir = await writeSpecDir(dir, {
        [rev]: specWithPingNote(specText(rev)),
      });
      const run = await runGenerator(["--spec-dir", specDir, "--out", dir]);
      assert.equal(run.code, 0, run.stderr);

      const text = await Deno.readTextFile(`${dir}/${rev}/bodies.ts`);
      const ping = text.match(/export interface PingPongMsg \{[^}]*\}/)?.[0] ??
        "";
      assert.match(ping, /note: string \| null;/);
      assert.match(ping, /field #3 `note`, `nil\|str`/);
      assert.match(text, /function readPingPongMsg[\s\S]*?r\.struct\(3\)/);
      assert.match(text, /function writePingPongMsg[\s\S]*?w\.byte\(0x93\)/);
      const protocol = await Deno.readTextFile(`${dir}/${rev}/PROTOCOL.md`);
      assert.match(protocol, /\| 3 +\| `note` +\| `option<string>`/);

      const generated = await import(`file://${dir}/${rev}/bodies.ts`);
      const types = await import(`file://${dir}/${rev}/message_type.ts`);
      const body = { timestampMs: 12345n, isPong: false, note: "hi" };
      const frame: Uint8Array = generated.encodeMessage(
        types.SyncMessageType.PingPong,
        body,
      );
      const bodyBytes = [0x93, 0xcd, 0x30, 0x39, 0xc2, 0xa2, 0x68, 0x69];
      assert.deepEqual(
        Array.from(frame),
        frameBytes(specOf(rev), 0xff, bodyBytes),
      );
      assert.deepEqual(generated.decodeMessage(frame), { type: 0xff, body });
      assert.deepEqual(
        generated.decodePingPongMsg(
          generated.encodePingPongMsg({ ...body, note: null }),
        ),
        { ...body, note: null },
      );
      // The old two-field body no longer fits, and a missing field is refused.
      assert.throws(
        () => generated.decodePingPongMsg(new Uint8Array([0x92, 0x00, 0xc2])),
        (e) =>
          e instanceof FrameError && e.code === "bad_body" &&
          e.path === "PingPongMsg",
      );
      assert.throws(
        () => generated.encodePingPongMsg({ timestampMs: 1n, isPong: true }),
        (e) =>
          e instanceof FrameError && e.code === "bad_value" &&
          e.path === "PingPongMsg.note",
      );

      // gen:check against the repository's generated/ names this revision's
      // stale files and CHANGES.md (PingPong now differs between the
      // revisions), and no file that is not generated from this spec.
      const stale = await checkAgainstRepository(specDir);
      assert.equal(stale.code, 1);
      const names = stalePaths(stale, `${ROOT_PATH}/generated`);
      for (
        const name of [
          `${rev}/bodies.ts`,
          `${rev}/PROTOCOL.md`,
          `${rev}/schema.ts`,
          "CHANGES.md",
        ]
      ) {
        assert.ok(names.includes(name), `${name} in ${names.join(", ")}`);
      }
      assert.ok(!names.includes(`${rev}/message_type.ts`), names.join(", "));
      assert.ok(!names.includes(`${rev}/mod.ts`), names.join(", "));
      // Only files generated from the changed spec (by their headers) go stale.
      const from = generatedFrom(await generatedFromSpecs(), rev);
      assert.deepEqual(names.filter((n) => !from.has(n)), []);
      assert.ok(
        !names.includes(`${REVISIONS.find((r) => r !== rev)}/bodies.ts`),
      );
      const changes = await Deno.readTextFile(`${dir}/CHANGES.md`);
      assert.match(
        changes.replace(/\s+/g, " "),
        rev === REVISIONS.at(-1)
          ? /\*\*0xFF PingPong\*\*: 2 → 3 fields; field #3 `note: option<string>` added\./
          : /\*\*0xFF PingPong\*\*: 3 → 2 fields; field `note` removed\./,
      );
    });
  });
}

Deno.test("the committed generated/ includes each revision's bodies and protocol reference", async () => {
  const files = await generatedFromSpecs();
  const text = (path: string) => {
    const file = files.find((f) => f.path === path);
    assert.ok(file, path);
    return file.text;
  };
  for (const rev of REVISIONS) {
    const bodies = text(`${rev}/bodies.ts`);
    assert.ok(
      bodies.startsWith(
        `// Code generated by codegen/emit_bodies.ts from spec/${rev}.yaml. DO NOT EDIT.\n`,
      ),
    );
    assert.doesNotMatch(bodies, /from "\.\.\/(\.\.\/)?mod\.ts"/);
    assert.match(bodies, /from "\.\.\/\.\.\/codec\/_wire_reader\.ts"/);
    assert.match(bodies, /from "\.\/message_type\.ts"/);
    const spec = specOf(rev);
    assert.ok(bodies.includes(spec.serializer), rev);
    for (const t of spec.types) {
      assert.match(
        bodies,
        new RegExp(`^export (interface|type) ${t.name}\\b`, "m"),
        `${rev}: ${t.name}`,
      );
    }
    const protocol = text(`${rev}/PROTOCOL.md`);
    assert.ok(
      protocol.startsWith(
        `<!-- Code generated by codegen/emit_protocol.ts from spec/${rev}.yaml. DO NOT EDIT. -->\n`,
      ),
    );
    assert.match(
      protocol,
      new RegExp(`^# Sync protocol, revision ${rev}$`, "m"),
    );
    for (const t of spec.types) {
      assert.match(protocol, new RegExp(`^### ${t.name}$`, "m"), t.name);
    }
    for (const name of ["HandshakeMsg", "PeerPresence", "ArrayRejectReason"]) {
      assert.match(protocol, new RegExp(`### ${name}`));
    }
  }
  // Types only the newer revision has.
  const july = text("2026-07/PROTOCOL.md");
  for (const name of ["CollectionSchemaSyncMsg", "Hlc", "AckStatus"]) {
    assert.match(july, new RegExp(`^### ${name}$`, "m"));
    assert.doesNotMatch(
      text("2026-04/PROTOCOL.md"),
      new RegExp(`^### ${name}$`, "m"),
    );
  }
  assert.match(
    july,
    /\| `descriptor` +\| `msgpack` +\| `\(any MessagePack value\)` +\| `any` +\| `descriptor: unknown`/,
  );
  assert.match(
    july,
    /\| `fields` +\| `list<tuple<string, string>>` +\| `Vec<\(String, String\)>` +\| `arr\[\[str,str\]\]` +\| `fields: Array<\[string, string\]>`/,
  );
  assert.match(
    july,
    /\| `vector` +\| `list<f32>` +\| `Vec<f32>` +\| `arr\[f32\]`/,
  );
});

// Each PROTOCOL.md states its own revision's frame, serializer and unit form,
// and its wire-form table has a row for every field kind.
Deno.test({
  name:
    "PROTOCOL.md states its own revision's frame, serializer and unit-variant form",
  fn: async () => {
    const files = await generatedFromSpecs();
    const protocol = oneLine(
      files.find((f) => f.path === "2026-07/PROTOCOL.md")!.text,
    );
    assert.ok(
      protocol.includes(
        "`[version u8 = 1][msg_type u8][length u32 LE][crc32c(body) u32 LE][body]`",
      ),
    );
    assert.ok(!protocol.includes("zerompk 0.4.1"));
    assert.ok(protocol.includes("Wire form (zerompk 0.7.1)"));
    assert.ok(!protocol.includes('`["Applied", nil]`'));
    for (const type of ["`f32`", "`msgpack`", "`tuple<"]) {
      assert.match(protocol, new RegExp(`\\| ${type}[^|]*\\| `), type);
    }
  },
});

/** A recursive spec of revision `revision`, with the frame and unit form given. */
function recursiveSpec(
  revision: string,
  options: { bare?: boolean; depth?: number } = {},
): string {
  const preamble =
    (options.bare
      ? PREAMBLE.replace("tagged_nil", "bare_string").replace(
        "  header: [msg_type, length]\n",
        "  header: [version, msg_type, length, crc32c]\n  version: 1\n",
      )
      : PREAMBLE).replace(
        "max_struct_depth: 500",
        `max_struct_depth: ${options.depth ?? 500}`,
      );
  return `revision: "${revision}"
${preamble}types:
  - struct: TreeMsg
    doc: A tree.
    fields:
      - name: label
        type: string
        doc: Label.
      - name: children
        type: list<TreeMsg>
        doc: Children.
      - name: next
        type: option<Chain>
        doc: A chain.
  - enum: Chain
    doc: A chain of links.
    variants:
      - name: Link
        doc: One more.
        fields:
          - name: tail
            type: Chain
            doc: The rest.
      - name: End
        doc: The end.
messages:
  - code: 0x01
    name: Handshake
    direction: client_to_server
    body: TreeMsg
    doc: A tree.
`;
}

const RECURSIVE = recursiveSpec("x");

Deno.test("recursive types broken by list/option/unit variants generate, with the spec's depth limit, in both unit-variant forms", async () => {
  await withTempDir(async (dir) => {
    const specDir = `${dir}/spec`;
    await Deno.mkdir(specDir);
    await Deno.writeTextFile(
      `${specDir}/2099-01.yaml`,
      recursiveSpec("2099-01"),
    );
    await Deno.writeTextFile(
      `${specDir}/2099-02.yaml`,
      recursiveSpec("2099-02", { bare: true, depth: 50 }),
    );
    const run = await runGenerator(["--spec-dir", specDir, "--out", dir]);
    assert.equal(run.code, 0, run.stderr);
    const changes = await Deno.readTextFile(`${dir}/CHANGES.md`);
    assert.match(
      changes.replace(/\s+/g, " "),
      /Enum unit variants: `tagged_nil` → `bare_string`/,
    );

    for (const rev of ["2099-01", "2099-02"]) {
      const generated = await import(`file://${dir}/${rev}/bodies.ts`);
      const tree = {
        label: "root",
        children: [{ label: "leaf", children: [], next: null }],
        next: { kind: "Link", tail: { kind: "Link", tail: { kind: "End" } } },
      };
      const bytes: Uint8Array = generated.encodeTreeMsg(tree);
      assert.deepEqual(generated.decodeTreeMsg(bytes), tree);

      // The unit variant's form follows the spec's `unit_variants`.
      const end = [0xa3, 0x45, 0x6e, 0x64]; // "End"
      assert.deepEqual(
        Array.from(
          generated.encodeTreeMsg({
            label: "",
            children: [],
            next: { kind: "End" },
          }),
        ),
        [
          0x93,
          0xa0,
          0x90,
          ...(rev === "2099-01" ? [0x92, ...end, 0xc0] : end),
        ],
      );

      // 600 nested trees: over either spec's max_struct_depth (500, 50).
      const limit = rev === "2099-01" ? 500 : 50;
      const depth = 600;
      const nested = (n: number): number[] =>
        n === 0
          ? [0x93, 0xa0, 0x90, 0xc0]
          : [0x93, 0xa0, 0x91, ...nested(n - 1), 0xc0];
      assert.throws(
        () => generated.decodeTreeMsg(new Uint8Array(nested(depth))),
        (e) =>
          e instanceof FrameError && e.code === "bad_body" &&
          e.message.includes(`deeper than ${limit} structs`),
      );
      // 100 levels: within 500, over 50.
      if (limit === 500) {
        assert.equal(
          generated.decodeTreeMsg(new Uint8Array(nested(100))).label,
          "",
        );
      } else {
        assert.throws(
          () => generated.decodeTreeMsg(new Uint8Array(nested(100))),
          (e) =>
            e instanceof FrameError && /deeper than 50 structs/.test(e.message),
        );
      }

      // A cyclic value is refused, not a stack overflow.
      const cyclic: Record<string, unknown> = {
        label: "x",
        children: [],
        next: null,
      };
      (cyclic.children as unknown[]).push(cyclic);
      assert.throws(
        () => generated.encodeTreeMsg(cyclic),
        (e) => e instanceof FrameError && e.code === "bad_value",
      );
    }
  });
});

// ---------------------------------------------------------------------------
// Validation

const BASE = `revision: "x"
${PREAMBLE}types:
  - struct: PingMsg
    doc: A ping.
    fields:
      - name: at
        type: u64
        doc: When.
      - name: reason
        type: option<Reason>
        doc: Why.
  - enum: Reason
    doc: Why.
    variants:
      - name: Gap
        doc: A gap.
        fields:
          - name: from
            type: u64
            doc: From.
      - name: Corrupt
        doc: Corrupt.
messages:
  - code: 0x01
    name: Ping
    direction: client_to_server
    body: PingMsg
    doc: Ping.
`;

Deno.test("a valid spec with types has no problems", () => {
  assert.deepEqual(problemsOf(BASE), []);
  assert.deepEqual(problemsOf(RECURSIVE), []);
  for (
    const type of [
      "f32",
      "msgpack",
      "list<f32>",
      "tuple<string, u64>",
      "tuple<string, u64, option<Reason>>",
      "list<tuple<string, string>>",
      "option<tuple<u8, f32>>",
      "map<string, tuple<u64, msgpack>>",
    ]
  ) {
    assert.deepEqual(
      problemsOf(BASE.replace("type: option<Reason>", `type: ${type}`)),
      [],
      type,
    );
  }
});

Deno.test("type validation names each problem with its entry and YAML line", () => {
  const cases: Array<[string, string, string]> = [
    // [text, needle for the line, expected "entry: message"]
    [
      BASE.replace("type: option<Reason>", "type: option<Reasons>"),
      "type: option<Reasons>",
      'types[0] (PingMsg).fields[1] (reason): unknown type "Reasons"',
    ],
    [
      BASE.replace(
        "type: u64\n        doc: When.",
        "type: u128\n        doc: When.",
      ),
      "type: u128",
      'types[0] (PingMsg).fields[0] (at): type "u128": unknown type "u128" (the vocabulary is u8, u16, u32, u64, usize, i64, f32, bool, string, bytes, msgpack, u8xN, list<T>, map<K, V>, option<T>, tuple<A, B, …> and the struct and enum names of `types`)',
    ],
    [
      BASE.replace("- name: reason", "- name: at"),
      "- name: at\n        type: option",
      'types[0] (PingMsg).fields[1] (at): field "at" is already used by fields[0]',
    ],
    [
      BASE.replace("- name: Corrupt", "- name: Gap"),
      "- name: Gap\n        doc: Corrupt.",
      'types[1] (Reason).variants[1] (Gap): variant "Gap" is already used by variants[0]',
    ],
    [
      BASE.replace("type: option<Reason>", "type: map<i64, u64>"),
      "type: map<i64, u64>",
      'types[0] (PingMsg).fields[1] (reason): type "map<i64, u64>": map keys must be string or an unsigned integer type (u8, u16, u32, u64, usize), got i64',
    ],
    [
      BASE.replace("type: option<Reason>", "type: map<Reason, u64>"),
      "type: map<Reason, u64>",
      'types[0] (PingMsg).fields[1] (reason): type "map<Reason, u64>": map keys must be string or an unsigned integer type (u8, u16, u32, u64, usize), got Reason',
    ],
    [
      BASE.replace("type: option<Reason>", "type: map<f32, u64>"),
      "type: map<f32, u64>",
      'types[0] (PingMsg).fields[1] (reason): type "map<f32, u64>": map keys must be string or an unsigned integer type (u8, u16, u32, u64, usize), got f32',
    ],
    [
      BASE.replace("type: option<Reason>", "type: list<bytes>"),
      "type: list<bytes>",
      'types[0] (PingMsg).fields[1] (reason): type "list<bytes>": `bytes` (bin) is only written for the direct type of a field; a nested Vec<u8> is `list<u8>` (an array of uint)',
    ],
    [
      BASE.replace("type: option<Reason>", "type: list<u8>"),
      "type: list<u8>",
      'types[0] (PingMsg).fields[1] (reason): type "list<u8>": a direct Vec<u8> field is written as bin: use `bytes`',
    ],
    [
      BASE.replace("type: option<Reason>", "type: option<option<u64>>"),
      "type: option<option",
      'types[0] (PingMsg).fields[1] (reason): type "option<option<u64>>": option<option<…>> cannot be told apart from None on the wire',
    ],
    [
      BASE.replace("type: option<Reason>", "type: list<string"),
      "type: list<string",
      'types[0] (PingMsg).fields[1] (reason): type "list<string": expected ">" at the end',
    ],
    [
      BASE.replace("type: option<Reason>", "type: tuple<u64>"),
      "type: tuple<u64>",
      'types[0] (PingMsg).fields[1] (reason): type "tuple<u64>": a tuple needs at least two item types',
    ],
    [
      BASE.replace("type: option<Reason>", "type: tuple<string, u64"),
      "type: tuple<string, u64",
      'types[0] (PingMsg).fields[1] (reason): type "tuple<string, u64": expected ">" at the end',
    ],
    [
      BASE.replace("type: option<Reason>", "type: tuple<string, Reasons>"),
      "type: tuple<string, Reasons>",
      'types[0] (PingMsg).fields[1] (reason): unknown type "Reasons"',
    ],
    [
      BASE.replace("type: option<Reason>", "type: u8x0"),
      "type: u8x0",
      'types[0] (PingMsg).fields[1] (reason): type "u8x0": "u8x0": the length of u8xN must be 1–65535',
    ],
    [
      BASE.replace(
        "        doc: When.\n",
        "        doc: When.\n        color: red\n",
      ),
      "color: red",
      'types[0] (PingMsg).fields[0] (at): unknown key "color"',
    ],
    [
      BASE.replace("    doc: A ping.\n", "    doc: A ping.\n    size: 3\n"),
      "size: 3",
      'types[0] (PingMsg): unknown key "size"',
    ],
    [
      BASE.replace(
        "        doc: Corrupt.\n",
        "        doc: Corrupt.\n        tag: 7\n",
      ),
      "tag: 7",
      'types[1] (Reason).variants[1] (Corrupt): unknown key "tag"',
    ],
    [
      BASE.replace("- name: from", "- name: kind"),
      "- name: kind",
      'types[1] (Reason).variants[0] (Gap).fields[0] (kind): field name "kind" is reserved: it is the variant discriminant in TypeScript',
    ],
    [
      BASE.replace(
        "        doc: Corrupt.\n",
        "        doc: Corrupt.\n        fields: []\n",
      ),
      "fields: []",
      "types[1] (Reason).variants[1] (Corrupt): a variant without fields is a unit variant ([tag, nil]): leave out `fields`",
    ],
    [
      BASE.replace("- name: at", "- name: atTime"),
      "- name: atTime",
      'types[0] (PingMsg).fields[0] (atTime): name must be a snake_case identifier, got "atTime"',
    ],
    [
      BASE.replace("- enum: Reason", "- enum: Map").replace(
        "option<Reason>",
        "option<Map>",
      ),
      "- enum: Map",
      'types[1] (Map): type name "Map" is reserved by the generated code',
    ],
    [
      BASE.replace(
        "messages:",
        "  - struct: PingMsg\n    doc: Again.\n    fields:\n      - name: x\n        type: u8\n        doc: X.\nmessages:",
      ),
      "- struct: PingMsg\n    doc: Again.",
      'types[2] (PingMsg): type name "PingMsg" is already used by types[0] (PingMsg)',
    ],
    [
      BASE.replace("body: PingMsg", "body: PongMsg"),
      "body: PongMsg",
      'messages[0] (Ping): body "PongMsg" is not a type of `types`',
    ],
    [
      BASE.replace("body: PingMsg", "body: Reason"),
      "body: Reason",
      'messages[0] (Ping): body "Reason" must be a struct, not an enum',
    ],
    [
      BASE.replace("    body: PingMsg\n", ""),
      "- code: 0x01",
      'messages[0] (Ping): missing key "body"',
    ],
  ];
  for (const [text, needle, expected] of cases) {
    assert.deepEqual(
      problemsOf(text),
      [`${lineOf(text, needle)}: ${expected}`],
    );
  }
  const noTypes = BASE.slice(0, BASE.indexOf("types:")) +
    BASE.slice(BASE.indexOf("messages:"));
  assert.deepEqual(problemsOf(noTypes), ['1: types: missing key "types"']);
});

Deno.test("the wire-position rules apply inside a tuple's items", () => {
  for (
    const [type, message] of [
      [
        "tuple<map<i64, u64>, u8>",
        "map keys must be string or an unsigned integer type (u8, u16, u32, u64, usize), got i64",
      ],
      [
        "tuple<option<option<u64>>, u8>",
        "option<option<…>> cannot be told apart from None on the wire",
      ],
      [
        "tuple<u8, bytes>",
        "`bytes` (bin) is only written for the direct type of a field; a nested Vec<u8> is `list<u8>` (an array of uint)",
      ],
      [
        "list<tuple<map<bool, u8>, u8>>",
        "map keys must be string or an unsigned integer type (u8, u16, u32, u64, usize), got bool",
      ],
    ]
  ) {
    const text = BASE.replace("type: option<Reason>", `type: ${type}`);
    assert.deepEqual(problemsOf(text), [
      `${
        lineOf(text, `type: ${type}`)
      }: types[0] (PingMsg).fields[1] (reason): type "${type}": ${message}`,
    ]);
  }
  // A nested Vec<u8> in a tuple is an integer array: allowed.
  assert.deepEqual(
    problemsOf(
      BASE.replace("type: option<Reason>", "type: tuple<list<u8>, u8>"),
    ),
    [],
  );
});

Deno.test("recursion without an option, list or map in between is refused", () => {
  const direct = BASE.replace("type: option<Reason>", "type: PingMsg");
  assert.deepEqual(problemsOf(direct), [
    `${
      lineOf(direct, "- struct: PingMsg")
    }: types[0] (PingMsg): "PingMsg" contains itself with no option, list or map in between (PingMsg → PingMsg), so no value of it can be written`,
  ]);
  // Through an enum whose every variant recurses.
  const viaEnum = BASE.replace("type: option<Reason>", "type: Reason")
    .replace(
      "            type: u64\n            doc: From.",
      "            type: PingMsg\n            doc: From.",
    )
    .replace(
      "        doc: Corrupt.\n",
      "        doc: Corrupt.\n        fields:\n          - name: again\n            type: PingMsg\n            doc: Again.\n",
    );
  assert.deepEqual(problemsOf(viaEnum), [
    `${
      lineOf(viaEnum, "- struct: PingMsg")
    }: types[0] (PingMsg): "PingMsg" contains itself with no option, list or map in between (PingMsg → Reason → PingMsg), so no value of it can be written`,
    `${
      lineOf(viaEnum, "- enum: Reason")
    }: types[1] (Reason): "Reason" contains itself with no option, list or map in between (Reason → PingMsg → Reason), so no value of it can be written`,
  ]);
  // A map value breaks the cycle too; a unit variant breaks an enum's.
  assert.deepEqual(
    problemsOf(
      BASE.replace("type: option<Reason>", "type: map<string, PingMsg>"),
    ),
    [],
  );
  assert.deepEqual(
    problemsOf(
      BASE.replace("type: option<Reason>", "type: Reason").replace(
        "            type: u64\n            doc: From.",
        "            type: PingMsg\n            doc: From.",
      ),
    ),
    [],
  );
});

for (const rev of REVISIONS) {
  Deno.test(`an invalid type entry in spec/${rev}.yaml fails generation and writes nothing`, async () => {
    await withTempDir(async (dir) => {
      const text = specText(rev);
      const bad = text.replace("type: map<u64, u64>", "type: map<bool, u64>");
      assert.notEqual(bad, text);
      const spec = specOf(rev);
      const index = spec.types.findIndex((t) => t.name === "TimeseriesPushMsg");
      const push = spec.types[index];
      assert.equal(push.kind, "struct");
      const field = push.fields.findIndex((f) => f.name === "watermarks");
      assert.ok(field >= 0);
      const specDir = await writeSpecDir(dir, { [rev]: bad });
      const outDir = `${dir}/generated`;
      const run = await runGenerator(["--spec-dir", specDir, "--out", outDir]);
      assert.equal(run.code, 1);
      assert.ok(
        run.stderr.includes(
          `spec/${rev}.yaml:${
            lineOf(bad, "type: map<bool, u64>")
          }: types[${index}] (TimeseriesPushMsg).fields[${field}] (watermarks): type "map<bool, u64>": map keys must be`,
        ),
        run.stderr,
      );
      await assert.rejects(() => Deno.stat(outDir), Deno.errors.NotFound);
    });
  });
}
