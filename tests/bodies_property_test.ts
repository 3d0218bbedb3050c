// Property tests: arbitraries derived from spec/2026-04.yaml for every message type.
// Random values round-trip exactly; random mutations of valid bodies decode or fail
// with FrameError "bad_body" only.
import assert from "node:assert/strict";
import fc from "fast-check";
import {
  decodeMessage,
  decodeMessageBody,
  encodeMessage,
  encodeMessageBody,
  FrameError,
  type SyncMessageType,
} from "../mod.ts";
import { decodeMsgpack } from "../codec/_msgpack.ts";
import type { SpecField } from "../codegen/spec.ts";
import type { TypeExpr } from "../codegen/types.ts";
import { SPEC, TYPES } from "./_typed_values.ts";

const U64_EDGES = [
  0n,
  1n,
  127n,
  128n,
  255n,
  256n,
  65535n,
  65536n,
  2n ** 32n - 1n,
  2n ** 32n,
  2n ** 53n - 1n,
  2n ** 53n,
  2n ** 53n + 1n,
  2n ** 63n,
  2n ** 64n - 1n,
];
const I64_EDGES = [
  0n,
  127n,
  128n,
  -1n,
  -32n,
  -33n,
  -128n,
  -129n,
  2n ** 31n - 1n,
  2n ** 31n,
  -(2n ** 31n),
  -(2n ** 31n) - 1n,
  2n ** 53n + 1n,
  -(2n ** 53n) - 1n,
  2n ** 63n - 1n,
  -(2n ** 63n),
];

function uint(max: number): fc.Arbitrary<number> {
  const edges = [0, 1, 127, 128, 255, 256, 65535, 65536, 0xffffffff].filter((
    n,
  ) => n <= max);
  return fc.oneof(fc.constantFrom(...edges), fc.integer({ min: 0, max }));
}

const STRING: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.string({ unit: "grapheme", minLength: 20, maxLength: 80 }),
  fc.string({ minLength: 250, maxLength: 300 }),
);

/** An arbitrary for a spec type expression. */
function arbitrary(t: TypeExpr): fc.Arbitrary<unknown> {
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "u8":
          return uint(0xff);
        case "u16":
          return uint(0xffff);
        case "u32":
          return uint(0xffffffff);
        case "u64":
        case "usize":
          return fc.oneof(
            fc.constantFrom(...U64_EDGES),
            fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }),
          );
        case "i64":
          return fc.oneof(
            fc.constantFrom(...I64_EDGES),
            fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
          );
        case "bool":
          return fc.boolean();
        case "string":
          return STRING;
        case "bytes":
          return fc.oneof(
            fc.uint8Array({ maxLength: 8 }),
            fc.uint8Array({ minLength: 250, maxLength: 300 }),
          );
      }
      break;
    case "fixed":
      return fc.uint8Array({ minLength: t.length, maxLength: t.length });
    case "list":
      if (t.item.kind === "scalar" && t.item.name === "u8") {
        return fc.uint8Array({ maxLength: 20 });
      }
      return fc.array(arbitrary(t.item), { maxLength: 17, size: "-1" });
    case "map":
      return fc.uniqueArray(fc.tuple(arbitrary(t.key), arbitrary(t.value)), {
        selector: (entry) => entry[0],
        maxLength: 17,
        size: "-1",
      }).map((entries) => new Map(entries));
    case "option":
      return fc.option(arbitrary(t.item), { nil: null });
    case "named": {
      const named = TYPES.get(t.name)!;
      if (named.kind === "struct") return record(named.fields);
      return fc.oneof(
        ...named.variants.map((v) => record(v.fields ?? [], v.name)),
      );
    }
  }
  throw new Error("unreachable");
}

function record(
  fields: SpecField[],
  kind?: string,
): fc.Arbitrary<Record<string, unknown>> {
  const shape: Record<string, fc.Arbitrary<unknown>> = {};
  if (kind !== undefined) shape.kind = fc.constant(kind);
  for (const field of fields) shape[field.tsName] = arbitrary(field.type);
  return fc.record(shape, { noNullPrototype: true });
}

/** A value of `t` with every u64 and every i64 set to the given edges. */
function filled(t: TypeExpr, u64: bigint, i64: bigint): unknown {
  switch (t.kind) {
    case "scalar":
      switch (t.name) {
        case "u8":
          return 0xff;
        case "u16":
          return 0xffff;
        case "u32":
          return 0xffffffff;
        case "u64":
        case "usize":
          return u64;
        case "i64":
          return i64;
        case "bool":
          return true;
        case "string":
          return "é😀";
        case "bytes":
          return new Uint8Array([0, 0x80, 0xff]);
      }
      break;
    case "fixed":
      return new Uint8Array(t.length).fill(0xff);
    case "list":
      if (t.item.kind === "scalar" && t.item.name === "u8") {
        return new Uint8Array([0x7f, 0x80]);
      }
      return [filled(t.item, u64, i64)];
    case "map":
      return new Map([[filled(t.key, u64, i64), filled(t.value, u64, i64)]]);
    case "option":
      return filled(t.item, u64, i64);
    case "named": {
      const named = TYPES.get(t.name)!;
      const fields = named.kind === "struct"
        ? named.fields
        : named.variants.find((v) => v.fields !== null)?.fields ?? [];
      const out: Record<string, unknown> = {};
      if (named.kind === "enum") {
        out.kind = named.variants.find((v) => v.fields !== null)?.name ??
          named.variants[0].name;
      }
      for (const f of fields) out[f.tsName] = filled(f.type, u64, i64);
      return out;
    }
  }
  throw new Error("unreachable");
}

function assertRoundTrip(type: SyncMessageType, body: unknown): Uint8Array {
  const frame = encodeMessage(type, body as never);
  assert.deepEqual(decodeMessage(frame), { type, body });
  const bytes = encodeMessageBody(type, body as never);
  assert.deepEqual(Array.from(frame.subarray(5)), Array.from(bytes));
  assert.deepEqual(decodeMessageBody(type, bytes, { copy: true }).body, body);
  // Valid MessagePack for a generic reader too: an array of the struct's fields.
  const generic = decodeMsgpack(bytes) as unknown[];
  const struct = TYPES.get(bodyOf(type))!;
  assert.ok(Array.isArray(generic));
  assert.equal(
    generic.length,
    struct.kind === "struct" ? struct.fields.length : -1,
  );
  return bytes;
}

function bodyOf(type: SyncMessageType): string {
  return SPEC.messages.find((m) => m.code === type)!.body;
}

for (const message of SPEC.messages) {
  const type = message.code as SyncMessageType;
  const body = arbitrary({ kind: "named", name: message.body });

  Deno.test(`property: random ${message.body} values round-trip exactly`, () => {
    fc.assert(
      fc.property(body, (value) => {
        assertRoundTrip(type, value);
      }),
      { numRuns: 150 },
    );
  });

  Deno.test(`property: mutated ${message.body} bodies decode or fail with bad_body only`, () => {
    const mutation = fc.oneof(
      fc.record({ op: fc.constant("set"), at: fc.nat(), byte: fc.nat(255) }),
      fc.record({ op: fc.constant("insert"), at: fc.nat(), byte: fc.nat(255) }),
      fc.record({ op: fc.constant("delete"), at: fc.nat() }),
      fc.record({ op: fc.constant("truncate"), at: fc.nat() }),
    );
    fc.assert(
      fc.property(
        body,
        fc.array(mutation, { minLength: 1, maxLength: 4 }),
        (value, mutations) => {
          const bytes = [...encodeMessageBody(type, value as never)];
          for (const m of mutations) {
            const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
            if (m.op === "set" && at < bytes.length) bytes[at] = m.byte!;
            if (m.op === "insert") bytes.splice(at, 0, m.byte!);
            if (m.op === "delete") bytes.splice(at, 1);
            if (m.op === "truncate") bytes.length = at;
          }
          const input = new Uint8Array(bytes);
          let decoded: unknown;
          try {
            decoded = decodeMessageBody(type, input).body;
          } catch (error) {
            assert.ok(error instanceof FrameError, String(error));
            assert.equal(error.code, "bad_body");
            assert.ok(error.path?.startsWith(message.body), error.path);
            assert.ok(
              error.offset !== undefined && error.offset >= 0 &&
                error.offset <= input.length,
              `offset ${error.offset} of ${input.length}`,
            );
            return;
          }
          // Whatever decodes is a valid value of the type: it encodes, and
          // decodes back to itself.
          const again = encodeMessageBody(type, decoded as never);
          assert.deepEqual(decodeMessageBody(type, again).body, decoded);
        },
      ),
      { numRuns: 150 },
    );
  });
}

Deno.test("every message type round-trips with u64 and i64 at their edges", () => {
  const pairs: Array<[bigint, bigint]> = [
    [0n, 0n],
    [2n ** 53n - 1n, 2n ** 63n - 1n],
    [2n ** 53n, -(2n ** 63n)],
    [2n ** 53n + 1n, -1n],
    [2n ** 64n - 1n, -33n],
  ];
  for (const message of SPEC.messages) {
    for (const [u64, i64] of pairs) {
      const value = filled({ kind: "named", name: message.body }, u64, i64);
      assertRoundTrip(message.code as SyncMessageType, value);
    }
  }
});

Deno.test("random byte strings as any body: bad_body or a valid value, nothing else", () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...SPEC.messages.map((m) => m.code as SyncMessageType)),
      fc.uint8Array({ maxLength: 64 }),
      (type, bytes) => {
        try {
          decodeMessageBody(type, bytes);
        } catch (error) {
          assert.ok(error instanceof FrameError, String(error));
          assert.equal(error.code, "bad_body");
        }
      },
    ),
    { numRuns: 2000 },
  );
});
