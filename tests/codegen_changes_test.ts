// generated/CHANGES.md: what differs between the two newest revisions,
// computed from their specs.
import assert from "node:assert/strict";
import { emitChanges } from "../codegen/emit_changes.ts";
import { parseSpec } from "../codegen/spec.ts";
import type { Spec, SpecStruct } from "../codegen/spec.ts";
import { typeText } from "../codegen/types.ts";
import {
  generatedFromSpecs,
  oneLine,
  PREAMBLE,
  REVISIONS,
  ROOT,
  specOf,
} from "./_codegen_helpers.ts";

const OLDER = specOf(REVISIONS.at(-2)!);
const NEWER = specOf(REVISIONS.at(-1)!);

/** The committed CHANGES.md with its line wrapping undone. */
const CHANGES = oneLine(
  Deno.readTextFileSync(new URL("generated/CHANGES.md", ROOT)),
);

function hex(code: number): string {
  return `0x${code.toString(16).toUpperCase().padStart(2, "0")}`;
}

/** The bullet of a message (by code) in CHANGES.md, or `undefined`. */
function bullet(code: number): string | undefined {
  const message = NEWER.messages.find((m) => m.code === code) ??
    OLDER.messages.find((m) => m.code === code)!;
  const start = CHANGES.indexOf(`- **${hex(code)} ${message.name}**:`);
  if (start < 0) return undefined;
  const end = CHANGES.slice(start + 2).search(/ - \*\*| ## /);
  return CHANGES.slice(start, end < 0 ? undefined : start + 2 + end);
}

/** The body struct of the message with `code` in `spec`. */
function bodyOf(spec: Spec, code: number): SpecStruct {
  const message = spec.messages.find((m) => m.code === code);
  assert.ok(message, `${spec.revision} has ${hex(code)}`);
  const body = spec.types.find((t) => t.name === message.body);
  assert.ok(body?.kind === "struct");
  return body;
}

function fieldIndex(struct: SpecStruct, name: string): number {
  return struct.fields.findIndex((f) => f.name === name);
}

Deno.test("CHANGES.md compares the two newest revisions and is what generate() produces", async () => {
  assert.deepEqual([OLDER.revision, NEWER.revision], ["2026-04", "2026-07"]);
  const generated = (await generatedFromSpecs()).find((f) =>
    f.path === "CHANGES.md"
  );
  assert.ok(generated);
  assert.equal(oneLine(generated.text), CHANGES);
  assert.ok(
    CHANGES.includes(`# Changes from ${OLDER.revision} to ${NEWER.revision}`),
  );
});

Deno.test("CHANGES.md states the frame layout and encoding changes", () => {
  for (
    const line of [
      "- Frame: `[msg_type u8][length u32 LE][body]` → `[version u8 = 1][msg_type u8][length u32 LE][crc32c(body) u32 LE][body]`.",
      `- Serializer: ${OLDER.serializer} → ${NEWER.serializer}.`,
      `- Handshake \`wire_version\`: ${OLDER.wireVersion} → ${NEWER.wireVersion}.`,
      "- Enum unit variants: `tagged_nil` → `bare_string` (`[tag, nil]` ↔ the bare tag string).",
      `- Message codes: ${OLDER.messages.length} → ${NEWER.messages.length}.`,
    ]
  ) {
    assert.ok(CHANGES.includes(line), line);
  }
  // The facts come from the specs' `frame` sections.
  assert.deepEqual(OLDER.frame.header, ["msg_type", "length"]);
  assert.deepEqual(NEWER.frame.header, [
    "version",
    "msg_type",
    "length",
    "crc32c",
  ]);
  assert.equal(NEWER.frame.version, 1);
});

Deno.test("CHANGES.md: HandshakeAck gained producer_id (and the fields after it)", () => {
  const before = bodyOf(OLDER, 0x02);
  const after = bodyOf(NEWER, 0x02);
  assert.equal(fieldIndex(before, "producer_id"), -1);
  const at = fieldIndex(after, "producer_id");
  assert.equal(at, 6);
  const text = bullet(0x02)!;
  assert.ok(
    text.startsWith(
      `- **0x02 HandshakeAck**: ${before.fields.length} → ${after.fields.length} fields; field #${
        at + 1
      } \`producer_id: u64\` added;`,
    ),
    text,
  );
  for (const f of after.fields.slice(before.fields.length)) {
    assert.ok(
      text.includes(
        `field #${fieldIndex(after, f.name) + 1} \`${f.name}: ${
          typeText(f.type)
        }\` added`,
      ),
      f.name,
    );
  }
});

Deno.test("CHANGES.md: TimeseriesPush's batch_id is inserted at #2 and every later field moves", () => {
  const before = bodyOf(OLDER, 0x40);
  const after = bodyOf(NEWER, 0x40);
  assert.equal(fieldIndex(before, "batch_id"), -1);
  assert.equal(fieldIndex(after, "batch_id"), 1);
  const text = bullet(0x40)!;
  assert.ok(
    text.startsWith(
      `- **0x40 TimeseriesPush**: ${before.fields.length} → ${after.fields.length} fields; field #2 \`batch_id: u64\` added; \`collection\` moves from #2 to #3;`,
    ),
    text,
  );
  let moved = 0;
  before.fields.forEach((f, i) => {
    const j = fieldIndex(after, f.name);
    assert.ok(j >= 0, `${f.name} is kept`);
    const move = `\`${f.name}\` moves from #${i + 1} to #${j + 1}`;
    if (i === j) {
      assert.ok(!text.includes(`\`${f.name}\` moves`), f.name);
    } else {
      assert.ok(text.includes(move), move);
      moved++;
    }
  });
  assert.equal(moved, before.fields.length - 1, "all but lite_id move");
});

Deno.test("CHANGES.md: CollectionPurged's tenant_id widens from u32 to u64", () => {
  const before = bodyOf(OLDER, 0x14);
  const after = bodyOf(NEWER, 0x14);
  const old = before.fields[fieldIndex(before, "tenant_id")];
  const now = after.fields[fieldIndex(after, "tenant_id")];
  assert.equal(typeText(old.type), "u32");
  assert.equal(typeText(now.type), "u64");
  const text = bullet(0x14)!;
  assert.ok(text.includes("`tenant_id`: `u32` → `u64`"), text);
  assert.ok(text.includes("field #2 `database_id: u64` added"), text);
  assert.ok(text.includes("`name` moves from #2 to #3"), text);
});

Deno.test("CHANGES.md: 0x13 CollectionSchema is new, with its body's fields", () => {
  assert.ok(!OLDER.messages.some((m) => m.code === 0x13));
  const message = NEWER.messages.find((m) => m.code === 0x13)!;
  const body = bodyOf(NEWER, 0x13);
  assert.equal(
    bullet(0x13),
    `- **0x13 CollectionSchema**: new (${message.direction}); body \`${body.name}\`: ${
      body.fields.map((f) => `\`${f.name}: ${typeText(f.type)}\``).join(", ")
    }.`,
  );
  assert.ok(
    CHANGES.includes(
      "- **0x13 CollectionSchema**: new (bidirectional); body `CollectionSchemaSyncMsg`: `descriptor: msgpack`, `creation_hlc: Hlc`.",
    ),
  );
});

Deno.test("CHANGES.md lists exactly the messages that differ, and direction changes", () => {
  const describe = (spec: Spec, code: number) => {
    const m = spec.messages.find((m) => m.code === code);
    if (m === undefined) return undefined;
    const body = spec.types.find((t) => t.name === m.body);
    return JSON.stringify([
      m.name,
      m.direction,
      m.body,
      body?.kind === "struct"
        ? body.fields.map((f) => [f.name, typeText(f.type)])
        : body,
    ]);
  };
  const codes = new Set([
    ...OLDER.messages.map((m) => m.code),
    ...NEWER.messages.map((m) => m.code),
  ]);
  let listed = 0;
  for (const code of codes) {
    const changed = describe(OLDER, code) !== describe(NEWER, code);
    assert.equal(bullet(code) !== undefined, changed, hex(code));
    if (changed) listed++;
  }
  assert.ok(listed > 0);
  assert.equal(bullet(0xff), undefined, "PingPong is unchanged");
  assert.equal(
    bullet(0x92),
    "- **0x92 ArraySnapshot**: direction bidirectional → server_to_client.",
  );
  assert.ok(
    bullet(0x10)!.startsWith(
      "- **0x10 DeltaPush**: direction bidirectional → client_to_server;",
    ),
  );
});

Deno.test("CHANGES.md lists new and changed nested types", () => {
  const bodies = new Set(NEWER.messages.map((m) => m.body));
  const oldNames = new Set(OLDER.types.map((t) => t.name));
  for (const t of NEWER.types) {
    if (bodies.has(t.name) || oldNames.has(t.name)) continue;
    assert.ok(CHANGES.includes(`- **${t.name}**: new ${t.kind}.`), t.name);
  }
  assert.ok(CHANGES.includes("- **Hlc**: new struct."));
  assert.ok(CHANGES.includes("- **AckStatus**: new enum."));
  assert.ok(
    CHANGES.includes(
      "- **CompensationHint**: variant `Retry` added (`retry_after_ms: u64`).",
    ),
  );
});

// ---------------------------------------------------------------------------
// emitChanges on a small pair of specs, line by line

const OLD_PAIR = `revision: "2099-01"
${PREAMBLE}types:
  - struct: PingMsg
    doc: A ping.
    fields:
      - { name: at, type: u64, doc: When. }
      - { name: reason, type: option<Reason>, doc: Why. }
  - enum: Reason
    doc: Why.
    variants:
      - name: Gap
        doc: A gap.
        fields:
          - { name: from, type: u64, doc: From. }
      - name: Corrupt
        doc: Corrupt.
      - name: Gone
        doc: Gone.
  - struct: OldMsg
    doc: Old.
    fields:
      - { name: x, type: u8, doc: X. }
  - struct: SameMsg
    doc: Same.
    fields:
      - { name: x, type: u8, doc: X. }
messages:
  - { code: 0x01, name: Ping, direction: client_to_server, body: PingMsg, doc: Ping. }
  - { code: 0x02, name: Old, direction: server_to_client, body: OldMsg, doc: Old. }
  - { code: 0x04, name: Same, direction: bidirectional, body: SameMsg, doc: Same. }
`;

const NEW_PAIR = `revision: "2099-02"
entry: "@sync/frame/2099-02"
serializer: "zerompk 0.7.1"
wire_version: 1
unit_variants: bare_string
frame:
  header: [version, msg_type, length, crc32c]
  version: 3
limits:
  max_struct_depth: 500
types:
  - struct: PingMsg
    doc: A ping.
    fields:
      - { name: id, type: u64, doc: Id. }
      - { name: at, type: u32, doc: When. }
      - { name: reason, type: option<Reason>, doc: Why. }
  - enum: Reason
    doc: Why.
    variants:
      - name: Gap
        doc: A gap.
        fields:
          - { name: from, type: u64, doc: From. }
          - { name: to, type: u64, doc: To. }
      - name: Corrupt
        doc: Corrupt.
        fields:
          - { name: why, type: string, doc: Why. }
      - name: Stale
        doc: Stale.
  - struct: NewMsg
    doc: New.
    fields:
      - { name: y, type: f32, doc: Y. }
      - { name: z, type: "tuple<string, u64>", doc: Z. }
  - struct: SameMsg
    doc: Same, reworded.
    fields:
      - { name: x, type: u8, doc: "X, reworded." }
  - struct: Extra
    doc: A nested struct.
    fields:
      - { name: x, type: u8, doc: X. }
messages:
  - { code: 0x01, name: Pinger, direction: bidirectional, body: PingMsg, doc: Ping. }
  - { code: 0x03, name: New, direction: client_to_server, body: NewMsg, doc: New. }
  - { code: 0x04, name: Same, direction: bidirectional, body: SameMsg, doc: Same. }
`;

Deno.test("emitChanges renders every kind of difference between two specs", () => {
  const text = emitChanges(
    parseSpec(OLD_PAIR, "spec/2099-01.yaml"),
    parseSpec(NEW_PAIR, "spec/2099-02.yaml"),
  );
  assert.equal(
    text,
    `<!-- Code generated by codegen/emit_changes.ts from spec/2099-01.yaml and spec/2099-02.yaml. DO NOT EDIT. -->

# Changes from 2099-01 to 2099-02

Computed from the two specs. The revisions cannot talk to each other.

## Frame and encoding

- Frame: \`[msg_type u8][length u32 LE][body]\` → \`[version u8 = 3][msg_type u8][length u32 LE][crc32c(body) u32 LE][body]\`.
- Serializer: zerompk 0.4.1 → zerompk 0.7.1.
- Handshake \`wire_version\`: 4 → 1.
- Enum unit variants: \`tagged_nil\` → \`bare_string\` (\`[tag, nil]\` ↔ the bare tag string).
- Message codes: 3 → 3.

## Messages

- **0x01 Pinger**: renamed from Ping; direction client_to_server → bidirectional; 2 → 3 fields; field #1 \`id: u64\` added; \`at\`: \`u64\` → \`u32\`; \`at\` moves from #1 to #2; \`reason\` moves from #2 to #3.
- **0x03 New**: new (client_to_server); body \`NewMsg\`: \`y: f32\`, \`z: tuple<string, u64>\`.
- **0x02 Old**: removed.

## Nested types

- **Reason**: variant \`Gap\`: field #2 \`to: u64\` added; variant \`Corrupt\`: unit ↔ data; variant \`Stale\` added (unit); variant \`Gone\` removed.
- **Extra**: new struct.

Unchanged messages and types are not listed. Each revision's full layout is in its \`PROTOCOL.md\`.
`,
  );
});

Deno.test("emitChanges of two identical specs lists no message or type", () => {
  const spec = parseSpec(OLD_PAIR, "spec/2099-01.yaml");
  const text = emitChanges(spec, spec);
  assert.match(text, /- Frame: (`[^`]+`) → \1\./);
  assert.match(text, /- Enum unit variants: `tagged_nil` → `tagged_nil`\.\n/);
  assert.match(text, /## Messages\n+## Nested types\n+Unchanged/);
});

Deno.test({
  name: "a nested type the newer revision removes is listed",
  fn: () => {
    const older = OLD_PAIR.replace(
      "  - struct: SameMsg\n",
      "  - enum: Legacy\n    doc: Legacy.\n    variants:\n      - { name: A, doc: A. }\n  - struct: SameMsg\n",
    );
    const text = emitChanges(
      parseSpec(older, "spec/2099-01.yaml"),
      parseSpec(NEW_PAIR, "spec/2099-02.yaml"),
    );
    assert.match(text, /- \*\*Legacy\*\*: removed\./);
  },
});
