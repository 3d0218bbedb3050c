// Property tests for both wire revisions: arbitraries derived from each spec
// (through the field-kind table, tests/_typed_values.ts) for every message
// type. Random values round-trip exactly; random mutations of valid bodies
// and frames, and random bytes, decode or fail with FrameError only.
import assert from "node:assert/strict";
import fc from "fast-check";
import * as april from "../mod.ts";
import * as july from "../entries/2026-07.ts";
import { FrameError } from "../codec/error.ts";
import { decodeMsgpack } from "../codec/_msgpack.ts";
import { REVISIONS, revisionValues } from "./_typed_values.ts";
import type { Revision } from "./_typed_values.ts";

/** The part of a revision's public entry these tests use, without its enum types. */
interface Api {
  encodeMessage(type: number, body: unknown): Uint8Array;
  decodeMessage(bytes: Uint8Array): { type: number; body: unknown };
  encodeMessageBody(type: number, body: unknown): Uint8Array;
  decodeMessageBody(
    type: number,
    bytes: Uint8Array,
    options?: { copy?: boolean; legacyUnitVariants?: boolean },
  ): { type: number; body: unknown };
  HEADER_SIZE: number;
  FrameError: typeof FrameError;
  SyncFrame: {
    fromBytes(
      bytes: Uint8Array,
    ): { msgType: number; body: Uint8Array } | undefined;
  };
}

const APIS: Record<Revision, Api> = {
  "2026-04": april as unknown as Api,
  "2026-07": july as unknown as Api,
};

type Mutation = {
  op: "set" | "insert" | "delete" | "truncate";
  at: number;
  byte: number;
};

const MUTATION: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("set", "insert", "delete", "truncate"),
  at: fc.nat(),
  byte: fc.nat(255),
}) as fc.Arbitrary<Mutation>;

function mutate(input: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  const bytes = [...input];
  for (const m of mutations) {
    const at = bytes.length === 0 ? 0 : m.at % (bytes.length + 1);
    if (m.op === "set" && at < bytes.length) bytes[at] = m.byte;
    if (m.op === "insert") bytes.splice(at, 0, m.byte);
    if (m.op === "delete") bytes.splice(at, 1);
    if (m.op === "truncate") bytes.length = at;
  }
  return new Uint8Array(bytes);
}

const EDGE_PAIRS: Array<[bigint, bigint]> = [
  [0n, 0n],
  [2n ** 53n - 1n, 2n ** 63n - 1n],
  [2n ** 53n, -(2n ** 63n)],
  [2n ** 53n + 1n, -1n],
  [2n ** 64n - 1n, -33n],
];

for (const revision of REVISIONS) {
  const api = APIS[revision];
  const { SPEC, TYPES, arbitrary, edge } = revisionValues(revision);
  const fieldCount = (body: string): number => {
    const struct = TYPES.get(body)!;
    return struct.kind === "struct" ? struct.fields.length : -1;
  };

  /** Encodes both ways, decodes both ways; returns the body bytes. */
  const assertRoundTrip = (type: number, body: unknown): Uint8Array => {
    const frame = api.encodeMessage(type, body);
    assert.deepEqual(api.decodeMessage(frame), { type, body });
    const bytes = api.encodeMessageBody(type, body);
    assert.deepEqual(
      Array.from(frame.subarray(api.HEADER_SIZE)),
      Array.from(bytes),
    );
    assert.deepEqual(
      api.decodeMessageBody(type, bytes, { copy: true }).body,
      body,
    );
    // The frame's header is valid for SyncFrame (version, length, checksum).
    const parsed = api.SyncFrame.fromBytes(frame);
    assert.ok(
      parsed !== undefined,
      "SyncFrame.fromBytes refused an encoded frame",
    );
    assert.equal(parsed.msgType, type);
    assert.deepEqual(Array.from(parsed.body), Array.from(bytes));
    // Valid MessagePack for a generic reader too: an array of the struct's fields.
    const generic = decodeMsgpack(bytes) as unknown[];
    assert.ok(Array.isArray(generic));
    assert.equal(
      generic.length,
      fieldCount(SPEC.messages.find((m) => m.code === type)!.body),
    );
    return bytes;
  };

  for (const message of SPEC.messages) {
    const type = message.code;
    const body = arbitrary({ kind: "named", name: message.body });

    Deno.test(`${revision} property: random ${message.body} values round-trip exactly`, () => {
      fc.assert(
        fc.property(body, (value) => {
          assertRoundTrip(type, value);
        }),
        { numRuns: 120 },
      );
    });

    Deno.test(`${revision} property: mutated ${message.body} bodies decode or fail with bad_body only`, () => {
      fc.assert(
        fc.property(
          body,
          fc.array(MUTATION, { minLength: 1, maxLength: 4 }),
          (value, mutations) => {
            const input = mutate(api.encodeMessageBody(type, value), mutations);
            let decoded: unknown;
            try {
              decoded = api.decodeMessageBody(type, input).body;
            } catch (error) {
              assert.ok(error instanceof FrameError, String(error));
              assert.equal(error.code, "bad_body", error.message);
              assert.ok(
                error.path?.startsWith(message.body),
                String(error.path),
              );
              assert.ok(
                error.offset !== undefined && error.offset >= 0 &&
                  error.offset <= input.length,
                `offset ${error.offset} of ${input.length}`,
              );
              return;
            }
            // Whatever decodes is a valid value of the type: it encodes, and
            // decodes back to itself.
            const again = api.encodeMessageBody(type, decoded);
            assert.deepEqual(api.decodeMessageBody(type, again).body, decoded);
          },
        ),
        { numRuns: 120 },
      );
    });
  }

  Deno.test(`${revision}: every message type round-trips with u64 and i64 at their edges`, () => {
    for (const message of SPEC.messages) {
      for (const [u64, i64] of EDGE_PAIRS) {
        const value = edge({ kind: "named", name: message.body }, u64, i64);
        assertRoundTrip(message.code, value);
      }
    }
  });

  Deno.test(`${revision}: random byte strings as any body give bad_body or a valid value, nothing else (legacyUnitVariants or not)`, () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SPEC.messages.map((m) => m.code)),
        fc.uint8Array({ maxLength: 64 }),
        fc.boolean(),
        (type, bytes, legacyUnitVariants) => {
          try {
            api.decodeMessageBody(type, bytes, { legacyUnitVariants });
          } catch (error) {
            assert.ok(error instanceof FrameError, String(error));
            assert.equal(error.code, "bad_body", error.message);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });

  Deno.test(`${revision}: mutated whole frames fail with FrameError only (never another error)`, () => {
    const anyMessage = fc.oneof(
      ...SPEC.messages.map((m) =>
        arbitrary({ kind: "named", name: m.body }).map((body) => ({
          type: m.code,
          body,
        }))
      ),
    );
    fc.assert(
      fc.property(
        anyMessage,
        fc.array(MUTATION, { minLength: 1, maxLength: 4 }),
        ({ type, body }, mutations) => {
          const input = mutate(api.encodeMessage(type, body), mutations);
          try {
            api.decodeMessage(input);
          } catch (error) {
            assert.ok(error instanceof FrameError, String(error));
          }
          // fromBytes never throws for a Uint8Array.
          api.SyncFrame.fromBytes(input);
        },
      ),
      { numRuns: 1000 },
    );
  });

  Deno.test(`${revision}: random bytes as a frame fail with FrameError only`, () => {
    const knownTypes = SPEC.messages.map((m) => m.code);
    const header = revision === "2026-07"
      ? fc.tuple(fc.constantFrom(0, 1, 2), fc.constantFrom(...knownTypes, 0x0a))
        .map(([v, t]) => [v, t])
      : fc.constantFrom(...knownTypes, 0x0a).map((t) => [t]);
    fc.assert(
      fc.property(header, fc.uint8Array({ maxLength: 48 }), (head, rest) => {
        const input = new Uint8Array([...head, ...rest]);
        try {
          api.decodeMessage(input);
        } catch (error) {
          assert.ok(error instanceof FrameError, String(error));
        }
        api.SyncFrame.fromBytes(input);
      }),
      { numRuns: 2000 },
    );
  });
}
