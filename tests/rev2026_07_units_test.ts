// Revision 2026-07 unit enum variants (reference §4, §5 rule 9): a unit variant
// is its bare tag string; the zerompk ≤ 0.6.0 form `[tag, nil]` is rejected
// unless `legacyUnitVariants` is passed (to decode or to encode), a data
// variant never comes as a bare string, and in 2026-04 `[tag, nil]` is the only
// form. Bodies are written by hand from the reference's bytes.
import assert from "node:assert/strict";
import * as april from "../mod.ts";
import {
  decodeDeltaAckMsg,
  decodeDeltaRejectMsg,
  decodeMessage,
  decodeMessageBody,
  decodeResyncRequestMsg,
  decodeRowPushMsg,
  decodeRowPushRejectMsg,
  decodeShapeSubscribeMsg,
  encodeDeltaAckMsg,
  encodeMessage,
  encodeMessageBody,
  encodeRowPushMsg,
  SyncFrame,
  SyncMessageType,
} from "../entries/2026-07.ts";
import type { DeltaAckMsg } from "../entries/2026-07.ts";
import { hex, toHex, VECTORS, VECTORS_2026_07 } from "./_vectors.ts";
import { revisionValues } from "./_typed_values.ts";
import { badBody, fixstr as s, frameError } from "./_rev_assert.ts";

const JULY = revisionValues("2026-07");
const APRIL = revisionValues("2026-04");
const LEGACY = { legacyUnitVariants: true } as const;

function frameOf(type: SyncMessageType, body: string): Uint8Array {
  return new SyncFrame(type, hex(body)).toBytes();
}

// DeltaAck {7, 300, None, 0, status} (reference §8.4).
const DELTA_ACK_HEAD = "95 07 cd 01 2c c0 00";
const APPLIED: DeltaAckMsg = {
  mutationId: 7n,
  lsn: 300n,
  clockSkewWarningMs: null,
  appliedSeq: 0n,
  status: { kind: "Applied" },
};
// DeltaReject {300, "constraint", hint} (reference §8.5).
const DELTA_REJECT_HEAD = `93 cd 01 2c ${s("constraint")}`;
// RowPush {"users", "u1", empty, op, 1234, 42, 5} (reference §8.9).
const ROW_PUSH_HEAD = `97 ${s("users")} ${s("u1")} c4 00`;
const ROW_PUSH_TAIL = "cd 04 d2 2a 05";
// ---------------------------------------------------------------------------
// Unit variants

Deno.test('2026-07 decode rejects the old unit form ["Applied", nil] of DeltaAck.status with bad_body at DeltaAckMsg.status', () => {
  const legacy = `${DELTA_ACK_HEAD} 92 ${s("Applied")} c0`;
  const error = badBody(
    () => decodeDeltaAckMsg(hex(legacy)),
    "DeltaAckMsg.status",
  );
  assert.equal(error.offset, 8); // the tag, after the 2-array header
  badBody(
    () => decodeMessageBody(SyncMessageType.DeltaAck, hex(legacy)),
    "DeltaAckMsg.status",
  );
  badBody(
    () => decodeMessage(frameOf(SyncMessageType.DeltaAck, legacy)),
    "DeltaAckMsg.status",
  );
  // The bare string is what zerompk 0.7.1 writes and reads.
  assert.deepEqual(
    decodeDeltaAckMsg(hex(`${DELTA_ACK_HEAD} ${s("Applied")}`)),
    APPLIED,
  );
});

Deno.test('2026-07 decode accepts ["Applied", nil] with legacyUnitVariants (decodeXMsg, decodeMessageBody, decodeMessage, SyncFrame.decodeMessage)', () => {
  const legacy = `${DELTA_ACK_HEAD} 92 ${s("Applied")} c0`;
  assert.deepEqual(decodeDeltaAckMsg(hex(legacy), LEGACY), APPLIED);
  assert.deepEqual(
    decodeMessageBody(SyncMessageType.DeltaAck, hex(legacy), LEGACY).body,
    APPLIED,
  );
  const frame = frameOf(SyncMessageType.DeltaAck, legacy);
  assert.deepEqual(decodeMessage(frame, LEGACY).body, APPLIED);
  assert.deepEqual(SyncFrame.decode(frame).decodeMessage(LEGACY).body, APPLIED);
  // Legacy mode takes nil as the unit payload, nothing else.
  for (const payload of ["90", "00", "a0", "91 c0"]) {
    badBody(
      () =>
        decodeDeltaAckMsg(
          hex(`${DELTA_ACK_HEAD} 92 ${s("Applied")} ${payload}`),
          LEGACY,
        ),
      "DeltaAckMsg.status",
    );
  }
  // The bare string is still accepted in legacy mode.
  assert.deepEqual(
    decodeDeltaAckMsg(hex(`${DELTA_ACK_HEAD} ${s("Applied")}`), LEGACY),
    APPLIED,
  );
});

Deno.test('2026-07 decode rejects DeltaReject hint ["PermissionDenied", nil] with bad_body unless legacyUnitVariants', () => {
  for (const tag of ["PermissionDenied", "IntegrityViolation"]) {
    const legacy = `${DELTA_REJECT_HEAD} 92 ${s(tag)} c0`;
    badBody(
      () => decodeDeltaRejectMsg(hex(legacy)),
      "DeltaRejectMsg.compensation",
    );
    const expected = {
      mutationId: 300n,
      reason: "constraint",
      compensation: { kind: tag },
    };
    assert.deepEqual(decodeDeltaRejectMsg(hex(legacy), LEGACY), expected);
    assert.deepEqual(
      decodeDeltaRejectMsg(hex(`${DELTA_REJECT_HEAD} ${s(tag)}`)),
      expected,
    );
  }
});

Deno.test('2026-07 decode rejects the unit-only enum RowOp as ["Delete", nil] with bad_body unless legacyUnitVariants', () => {
  const legacy = `${ROW_PUSH_HEAD} 92 ${s("Delete")} c0 ${ROW_PUSH_TAIL}`;
  badBody(() => decodeRowPushMsg(hex(legacy)), "RowPushMsg.op");
  const value = decodeRowPushMsg(hex(legacy), LEGACY);
  assert.deepEqual(value.op, { kind: "Delete" });
  assert.equal(
    toHex(encodeRowPushMsg(value)),
    toHex(hex(`${ROW_PUSH_HEAD} ${s("Delete")} ${ROW_PUSH_TAIL}`)),
  );
  // ResyncRequest {CorruptedState, 0, "users", ""} (reference §8.7).
  const resync = `94 92 ${s("CorruptedState")} c0 00 ${s("users")} a0`;
  badBody(() => decodeResyncRequestMsg(hex(resync)), "ResyncRequestMsg.reason");
  assert.deepEqual(decodeResyncRequestMsg(hex(resync), LEGACY).reason, {
    kind: "CorruptedState",
  });
});

Deno.test("2026-07 encode with legacyUnitVariants writes [tag, nil]; without it the bare tag", () => {
  const legacy = `${DELTA_ACK_HEAD} 92 ${s("Applied")} c0`;
  assert.equal(toHex(encodeDeltaAckMsg(APPLIED, LEGACY)), toHex(hex(legacy)));
  assert.equal(
    toHex(encodeMessageBody(SyncMessageType.DeltaAck, APPLIED, LEGACY)),
    toHex(hex(legacy)),
  );
  assert.equal(
    toHex(encodeDeltaAckMsg(APPLIED)),
    toHex(hex(`${DELTA_ACK_HEAD} ${s("Applied")}`)),
  );
  // A whole frame: correct length and CRC over the legacy body.
  const frame = encodeMessage(SyncMessageType.DeltaAck, APPLIED, LEGACY);
  assert.equal(toHex(frame), toHex(frameOf(SyncMessageType.DeltaAck, legacy)));
  assert.equal(toHex(SyncFrame.decode(frame).body), toHex(hex(legacy)));
  // Data variants are the same in both modes.
  const gap: DeltaAckMsg = {
    ...APPLIED,
    status: { kind: "Gap", expected: 5n },
  };
  assert.equal(
    toHex(encodeDeltaAckMsg(gap, LEGACY)),
    toHex(encodeDeltaAckMsg(gap)),
  );
  assert.ok(toHex(encodeDeltaAckMsg(gap)).endsWith(`92${s("Gap")}9105`));
});

Deno.test("2026-07 every vector round-trips in legacy mode; those with unit variants change and are then rejected by default, the others keep body_hex", () => {
  const changed: string[] = [];
  for (const vector of VECTORS_2026_07) {
    const type = vector.type_code as SyncMessageType;
    const typed = JULY.typedBody(vector.type_code, vector.value);
    const legacy = encodeMessageBody(type, typed as never, LEGACY);
    assert.deepEqual(decodeMessageBody(type, legacy, LEGACY).body, typed);
    if (toHex(legacy) === vector.body_hex) continue;
    changed.push(vector.name);
    // Each unit variant grows by its `92` header and `c0` payload.
    const growth = legacy.length - vector.body_hex.length / 2;
    assert.ok(growth > 0 && growth % 2 === 0, `${vector.name}: +${growth}`);
    badBody(() => decodeMessageBody(type, legacy), JULY.bodyNameOf(type));
  }
  for (
    const name of [
      "delta_ack_applied",
      "delta_reject_permission_denied",
      "delta_reject_integrity_violation",
      "row_push_delete",
      "row_push_upsert",
      "resync_corrupted_state",
      "array_reject_engine_rejected",
      "kv_push_delete",
    ]
  ) assert.ok(changed.includes(name), `${name} has a unit variant`);
  for (
    const name of [
      "ping",
      "delta_reject_retry",
      "resync_sequence_gap",
      "kv_push_put",
    ]
  ) {
    assert.ok(!changed.includes(name), `${name} has no unit variant`);
  }
});

Deno.test("2026-07 decode rejects a data variant sent as a bare string, with or without legacyUnitVariants", () => {
  for (const options of [undefined, LEGACY]) {
    badBody(
      () => decodeDeltaAckMsg(hex(`${DELTA_ACK_HEAD} ${s("Gap")}`), options),
      "DeltaAckMsg.status",
    );
    badBody(
      () =>
        decodeDeltaRejectMsg(
          hex(`${DELTA_REJECT_HEAD} ${s("Retry")}`),
          options,
        ),
      "DeltaRejectMsg.compensation",
    );
    // RowPushRefusal has data variants only.
    badBody(
      () =>
        decodeRowPushRejectMsg(
          hex(`95 ${s("users")} ${s("u2")} 06 00 ${s("Malformed")}`),
          options,
        ),
      "RowPushRejectMsg.refusal",
    );
    // [tag, nil] is no data variant either.
    badBody(
      () =>
        decodeDeltaAckMsg(hex(`${DELTA_ACK_HEAD} 92 ${s("Gap")} c0`), options),
      "DeltaAckMsg.status",
    );
  }
  // ShapeType (data only): `ShapeSubscribe {shape: {"a1", 1, Document, "", []}}` with a bare tag.
  badBody(
    () =>
      decodeShapeSubscribeMsg(
        hex(`91 95 ${s("a1")} 01 ${s("Document")} a0 90`),
      ),
    "ShapeSubscribeMsg.shape",
  );
});

Deno.test("2026-07 decode rejects unknown variant names and integer tags", () => {
  badBody(
    () => decodeDeltaAckMsg(hex(`${DELTA_ACK_HEAD} ${s("Applid")}`)),
    "DeltaAckMsg.status",
  );
  badBody(
    () => decodeDeltaAckMsg(hex(`${DELTA_ACK_HEAD} 00`)),
    "DeltaAckMsg.status",
  );
  badBody(
    () => decodeDeltaAckMsg(hex(`${DELTA_ACK_HEAD} 92 00 c0`), LEGACY),
    "DeltaAckMsg.status",
  );
  frameError(
    () => encodeDeltaAckMsg({ ...APPLIED, status: { kind: "Nope" } } as never),
    "bad_value",
  );
});

Deno.test("2026-04 requires [tag, nil] unit variants: a bare-string unit variant is rejected, legacyUnitVariants is ignored", () => {
  // April DeltaReject {5, "not authenticated", Some(PermissionDenied)}.
  const head = `93 05 ${s("not authenticated")}`;
  const tagged = `${head} 92 ${s("PermissionDenied")} c0`;
  const expected = {
    mutationId: 5n,
    reason: "not authenticated",
    compensation: { kind: "PermissionDenied" },
  };
  assert.deepEqual(april.decodeDeltaRejectMsg(hex(tagged)), expected);
  assert.equal(
    toHex(april.encodeDeltaRejectMsg(expected as never)),
    toHex(hex(tagged)),
  );
  const vector = VECTORS.find((v) =>
    v.name === "delta_reject_permission_denied"
  )!;
  assert.equal(toHex(hex(tagged)), vector.body_hex);
  assert.deepEqual(APRIL.typedBody(vector.type_code, vector.value), expected);

  const bare = `${head} ${s("PermissionDenied")}`;
  for (const options of [undefined, LEGACY]) {
    badBody(
      () => april.decodeDeltaRejectMsg(hex(bare), options as never),
      "DeltaRejectMsg.compensation",
    );
    badBody(
      () =>
        april.decodeMessageBody(
          april.SyncMessageType.DeltaReject,
          hex(bare),
          options as never,
        ),
      "DeltaRejectMsg.compensation",
    );
    assert.equal(
      toHex(april.encodeDeltaRejectMsg(expected as never, options as never)),
      toHex(hex(tagged)),
    );
  }
  // April ResyncRequest {CorruptedState, 0, ""} (3 fields).
  const resync = `93 92 ${s("CorruptedState")} c0 00 a0`;
  assert.deepEqual(april.decodeResyncRequestMsg(hex(resync)).reason, {
    kind: "CorruptedState",
  });
  badBody(
    () => april.decodeResyncRequestMsg(hex(`93 ${s("CorruptedState")} 00 a0`)),
    "ResyncRequestMsg.reason",
  );
  // And a July body with a bare tag is no April body, nor the reverse.
  badBody(
    () => decodeDeltaRejectMsg(hex(tagged)),
    "DeltaRejectMsg.compensation",
  );
});
