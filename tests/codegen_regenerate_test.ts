// Regenerating each revision after adding a message whose body uses field
// kinds the revision did not have (a direct `f32`, `tuple<string, u64>`,
// `list<tuple<u8, f32>>`): the new enum member, interface and codecs appear,
// the generated module type-checks, and a value round-trips byte-exactly.
import assert from "node:assert/strict";
import {
  frameBytes,
  generatedFrom,
  generatedFromSpecs,
  REVISIONS,
  ROOT_PATH,
  runDeno,
  runGenerator,
  specOf,
  specText,
  stalePaths,
  withTempDir,
  writeSpecDir,
} from "./_codegen_helpers.ts";
import { parseSpec } from "../codegen/spec.ts";

const PROBE_TYPE = `  - struct: ProbeMsg
    doc: Body of Probe (added by the regenerate test).
    fields:
      - name: label
        type: tuple<string, u64>
        doc: A labelled count.
      - name: gain
        type: f32
        doc: A gain.
      - name: readings
        type: list<tuple<u8, f32>>
        doc: Readings as (channel, value).

`;

const PROBE_MESSAGE = `
  - code: 0xB0
    name: Probe
    direction: client_to_server
    body: ProbeMsg
    doc: A probe added by the regenerate test.
`;

/** The spec with ProbeMsg at the end of `types` and Probe at the end of `messages`. */
function specWithProbe(text: string): string {
  const at = text.search(/^messages:\n/m);
  assert.ok(at > 0, "the spec has a messages section");
  return text.slice(0, at) + PROBE_TYPE + text.slice(at).replace(/\n*$/, "\n") +
    PROBE_MESSAGE;
}

/** `ProbeMsg { label: ["x", 2^64 − 1], gain: 1.5, readings: [[7, -0.25]] }`, by hand. */
const PROBE_BODY = [
  0x93,
  // label: [str "x", u64 max]
  0x92,
  0xa1,
  0x78,
  0xcf,
  ...new Array(8).fill(0xff),
  // gain: float32 1.5
  0xca,
  0x3f,
  0xc0,
  0x00,
  0x00,
  // readings: [[7, float32 -0.25]]
  0x91,
  0x92,
  0x07,
  0xca,
  0xbe,
  0x80,
  0x00,
  0x00,
];

/** The subprocess test: typed use of the regenerated module (checked by `deno test`) and the round trip. */
function probeTest(rev: string, frame: number[], schemaFields: string): string {
  return `import assert from "node:assert/strict";
import {
  decodeMessage,
  decodeProbeMsg,
  directionOf,
  encodeMessage,
  encodeProbeMsg,
  FRAME_LAYOUT,
  FrameError,
  SyncFrame,
  SyncMessageType,
} from "./${rev}/mod.ts";
import type { ClientToServerMessageType, MessageBodies, ProbeMsg } from "./${rev}/mod.ts";
import { SYNC_SCHEMA } from "./${rev}/schema.ts";

const body: ProbeMsg = {
  label: ["x", 2n ** 64n - 1n],
  gain: 1.5,
  readings: [[7, -0.25]],
};
const byType: MessageBodies[SyncMessageType.Probe] = body;
const sent: ClientToServerMessageType = SyncMessageType.Probe;
// @ts-expect-error a u64 tuple item is a bigint
const wrongCount: ProbeMsg = { label: ["x", 1], gain: 1, readings: [] };
// @ts-expect-error a tuple has exactly its items
const wrongArity: ProbeMsg = { label: ["x", 1n, 2n], gain: 1, readings: [] };
// @ts-expect-error an f32 is a number
const wrongGain: ProbeMsg = { label: ["x", 1n], gain: 1n, readings: [] };

const isBadValue = (path: string) => (e: unknown) =>
  e instanceof FrameError && e.code === "bad_value" && e.path === path;

Deno.test("${rev}: Probe round-trips byte-exactly", () => {
  void [wrongCount, wrongArity, wrongGain];
  assert.equal(sent, 0xb0);
  assert.equal(SyncMessageType[0xb0], "Probe");
  assert.equal(directionOf(SyncMessageType.Probe), "client_to_server");
  assert.equal(FRAME_LAYOUT.knownTypes[0xb0], 1);

  const bytes = encodeProbeMsg(byType);
  assert.deepEqual(Array.from(bytes), ${JSON.stringify(PROBE_BODY)});
  assert.deepEqual(decodeProbeMsg(bytes), body);

  const frame = encodeMessage(SyncMessageType.Probe, body);
  assert.deepEqual(Array.from(frame), ${JSON.stringify(frame)});
  assert.deepEqual(decodeMessage(frame), { type: SyncMessageType.Probe, body });
  const decoded = SyncFrame.decode(frame);
  assert.equal(decoded.msgType, SyncMessageType.Probe);
  assert.deepEqual(Array.from(decoded.body), ${JSON.stringify(PROBE_BODY)});

  assert.deepEqual(
    SYNC_SCHEMA.types.ProbeMsg,
    { kind: "struct", name: "ProbeMsg", fields: ${schemaFields} },
  );
  assert.deepEqual(SYNC_SCHEMA.messages.at(-1), {
    code: 0xb0,
    name: "Probe",
    direction: "client_to_server",
    body: "ProbeMsg",
  });
});

Deno.test("${rev}: Probe refuses values and bytes that do not fit", () => {
  assert.throws(() => encodeProbeMsg({ ...body, gain: 0.1 }), isBadValue("ProbeMsg.gain"));
  assert.throws(
    () => encodeProbeMsg({ ...body, label: ["x"] as unknown as [string, bigint] }),
    isBadValue("ProbeMsg.label"),
  );
  assert.throws(
    () => encodeProbeMsg({ ...body, label: ["x", 1] as unknown as [string, bigint] }),
    isBadValue("ProbeMsg.label[1]"),
  );
  assert.throws(
    () => encodeProbeMsg({ ...body, readings: [[7, 0.1]] }),
    isBadValue("ProbeMsg.readings[0][1]"),
  );
  // A float64 (cb) where the spec says f32, and a 3-item label.
  const f64 = [0x93, 0x92, 0xa1, 0x78, 0x01, 0xcb, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0, 0x90];
  assert.throws(
    () => decodeProbeMsg(new Uint8Array(f64)),
    (e) => e instanceof FrameError && e.code === "bad_body" && e.path === "ProbeMsg.gain",
  );
  const triple = [0x93, 0x93, 0xa1, 0x78, 0x01, 0x02, 0xca, 0x3f, 0xc0, 0, 0, 0x90];
  assert.throws(
    () => decodeProbeMsg(new Uint8Array(triple)),
    (e) => e instanceof FrameError && e.code === "bad_body" && e.path === "ProbeMsg.label",
  );
});
`;
}

for (const rev of REVISIONS) {
  Deno.test(`regenerating spec/${rev}.yaml after adding a message with f32 and tuple fields: enum member, interface, codecs, type check and round trip`, async () => {
    const text = specWithProbe(specText(rev));
    const spec = parseSpec(text, `spec/${rev}.yaml`);
    const probe = spec.types.find((t) => t.name === "ProbeMsg");
    assert.ok(probe?.kind === "struct");
    // The field kinds are new to the revision's messages as written.
    const before = specText(rev);
    assert.ok(!before.includes("type: f32\n"), `${rev} had a direct f32`);
    assert.ok(!before.includes("tuple<string, u64>"), rev);

    await withTempDir(async (dir) => {
      const specDir = await writeSpecDir(dir, { [rev]: text });
      const run = await runGenerator(["--spec-dir", specDir, "--out", dir]);
      assert.equal(run.code, 0, run.stderr);

      // The enum member, its case and its union.
      const types = await Deno.readTextFile(`${dir}/${rev}/message_type.ts`);
      assert.match(types, /^ {2}Probe = 0xB0,$/m);
      assert.match(types, /case 0xB0:\s+return SyncMessageType\.Probe;/);
      assert.match(
        types.match(/export type ClientToServerMessageType =([^;]*);/)?.[1] ??
          "",
        /SyncMessageType\.Probe\b/,
      );

      // The interface, typed by the kinds table, and its codecs.
      const bodies = await Deno.readTextFile(`${dir}/${rev}/bodies.ts`);
      const iface = bodies.match(/export interface ProbeMsg \{[^}]*\}/)?.[0] ??
        "";
      assert.match(iface, /^ {2}label: \[string, bigint\];$/m);
      assert.match(iface, /^ {2}gain: number;$/m);
      assert.match(iface, /^ {2}readings: Array<\[number, number\]>;$/m);
      assert.match(
        iface,
        /field #1 `label`, `\[str,uint\]` \(Rust `\(String, u64\)`\)/,
      );
      assert.match(iface, /field #2 `gain`, `f32` \(Rust `f32`\)/);
      assert.match(iface, /Written as float32 \(`ca`\)/);
      assert.match(bodies, /^\s+\[SyncMessageType\.Probe\]: ProbeMsg;$/m);
      for (
        const fn of [
          "function read_tuple_string_u64(r: WireReader): [string, bigint]",
          "function write_tuple_string_u64(w: BodyWriter, v: [string, bigint]): void",
          "function read_list_tuple_u8_f32(",
          "function readProbeMsg(",
          "function writeProbeMsg(",
          "export function encodeProbeMsg(",
          "export function decodeProbeMsg(",
        ]
      ) {
        assert.ok(bodies.includes(fn), fn);
      }
      assert.match(
        bodies,
        /import \{[^}]*\bputF32\b[^}]*\} from "\.\.\/\.\.\/codec\/_wire_writer\.ts";/,
      );
      assert.match(
        bodies,
        /import \{[^}]*\bcheckTuple\b[^}]*\} from "\.\.\/\.\.\/codec\/_wire_writer\.ts";/,
      );

      const protocol = await Deno.readTextFile(`${dir}/${rev}/PROTOCOL.md`);
      assert.match(protocol, /^### ProbeMsg$/m);
      assert.match(
        protocol,
        /\| 1 +\| `label` +\| `tuple<string, u64>` +\| `\(String, u64\)` +\| `\[str,uint\]` +\| `label: \[string, bigint\]`/,
      );
      assert.match(
        protocol,
        /\| 2 +\| `gain` +\| `f32` +\| `f32` +\| `f32` +\| `gain: number`/,
      );
      assert.match(protocol, /\| `0xB0` \| Probe +\| client → server \|/);

      // CHANGES.md is computed from the specs: Probe is new in the newer
      // revision, or gone from it when only the older one has it.
      const changes = (await Deno.readTextFile(`${dir}/CHANGES.md`)).replace(
        /\s+/g,
        " ",
      );
      assert.ok(
        changes.includes(
          rev === REVISIONS.at(-1)
            ? "**0xB0 Probe**: new (client_to_server); body `ProbeMsg`: `label: tuple<string, u64>`, `gain: f32`, `readings: list<tuple<u8, f32>>`."
            : "**0xB0 Probe**: removed.",
        ),
        changes,
      );

      // The other revisions' own files are untouched.
      const check = await runGenerator([
        "--check",
        "--spec-dir",
        specDir,
        "--out",
        `${ROOT_PATH}/generated`,
      ]);
      assert.equal(check.code, 1);
      const stale = stalePaths(check, `${ROOT_PATH}/generated`);
      assert.ok(stale.includes(`${rev}/bodies.ts`), stale.join(", "));
      assert.ok(stale.includes(`${rev}/message_type.ts`), stale.join(", "));
      // Only files generated from the changed spec (by their headers) go stale.
      const from = generatedFrom(await generatedFromSpecs(), rev);
      assert.deepEqual(stale.filter((p) => !from.has(p)), []);
      for (const other of REVISIONS.filter((r) => r !== rev)) {
        assert.ok(!stale.includes(`${other}/bodies.ts`), stale.join(", "));
        assert.ok(
          !stale.includes(`${other}/message_type.ts`),
          stale.join(", "),
        );
      }

      // Type-check the regenerated revision and run the typed round trip.
      const schemaFields = JSON.stringify(
        probe.fields.map((f) => ({
          name: f.name,
          tsName: f.tsName,
          type: f.type,
        })),
      );
      const frame = frameBytes(specOf(rev), 0xb0, PROBE_BODY);
      await Deno.writeTextFile(
        `${dir}/probe_test.ts`,
        probeTest(rev, frame, schemaFields),
      );
      // `deno test` type-checks the test and the whole regenerated module
      // graph (mod.ts and schema.ts) before running it.
      const tested = await runDeno(["test", `${dir}/probe_test.ts`]);
      assert.equal(tested.code, 0, tested.stdout + tested.stderr);
      assert.match(tested.stderr, /^Check .*probe_test\.ts$/m);
      assert.match(tested.stdout, /ok \| 2 passed \| 0 failed/);
    });
  });
}
