// A pushed delta before it queues: defaults filled in, bytes copied, every
// field checked; and the queue entry made of it.

import { FrameError } from "../codec/error.ts";
import { crc32c } from "../codec/crc32c.ts";
import type { RevisionName } from "../generated/revisions.ts";
import type { Entry } from "./_outbox.ts";
import type {
  DeltaInput,
  DeltaOutcome,
  OutboxRecord,
  StoredDelta,
} from "./types.ts";

const ZERO_SIGNATURE = new Uint8Array(32);

/** A queue entry of revision `R`. */
export type DeltaEntry<R extends RevisionName> = Entry<
  StoredDelta<R>,
  DeltaOutcome<R>
>;

/** Whether a store returned a promise. */
export function isThenable(value: unknown): value is PromiseLike<void> {
  return typeof (value as PromiseLike<void> | undefined)?.then === "function";
}

/** A store's failure as a FrameError. */
export function storeError(what: string, error: unknown): FrameError {
  return error instanceof FrameError ? error : new FrameError(
    "bad_value",
    `the outbox store failed to ${what}: ${
      error instanceof Error ? error.message : String(error)
    }`,
    { cause: error },
  );
}

/** A new queue entry for a normalized delta. */
export function newEntry<R extends RevisionName>(
  id: number,
  delta: StoredDelta<R>,
): DeltaEntry<R> {
  return {
    id,
    delta,
    mutationId: delta.mutationId,
    collection: delta.collection,
    size: delta.delta.length,
    producerId: undefined,
    seq: undefined,
    encoded: undefined,
    queued: false,
    outstanding: 0,
    sentAt: 0,
    sends: 0,
    accepted: false,
    resolve: undefined,
    reject: undefined,
    unlisten: undefined,
  };
}

/** The store's record of an entry. */
export function recordOf<R extends RevisionName>(
  entry: DeltaEntry<R>,
): OutboxRecord<R> {
  return {
    id: entry.id,
    delta: entry.delta,
    producerId: entry.producerId,
    seq: entry.seq,
  };
}

/**
 * Fills in the defaults and copies the bytes of a pushed delta: `peerId`
 * (the client's), `checksum` (CRC-32C of the delta), `deviceValidTimeMs`
 * (null), 2026-07 `deviceId` (0), `deltaSignature` (zeros) and, when not
 * given, a `mutationId` (`suggested`, or the next one not queued).
 *
 * @throws {FrameError} `"bad_value"` for a missing or queued `mutationId`
 * or a delta that is not bytes.
 */
export function normalizeDelta<R extends RevisionName>(
  input: DeltaInput<R>,
  v07: boolean,
  peerId: bigint,
  suggested: bigint,
  queued: (mutationId: bigint) => boolean,
): StoredDelta<R> {
  if (typeof input !== "object" || input === null) {
    throw new FrameError("bad_value", "a delta must be an object");
  }
  const i = input as DeltaInput<"2026-07">;
  if (!(i.delta instanceof Uint8Array)) {
    throw new FrameError("bad_value", "delta.delta must be a Uint8Array", {
      path: "DeltaPushMsg.delta",
    });
  }
  const bytes = i.delta.slice();
  let mutationId = i.mutationId;
  if (mutationId === undefined) {
    if (!v07) {
      throw new FrameError(
        "bad_value",
        "revision 2026-04 needs the caller's mutationId",
        { path: "DeltaPushMsg.mutation_id" },
      );
    }
    mutationId = suggested;
    while (queued(mutationId)) mutationId++;
  } else if (queued(mutationId)) {
    throw new FrameError(
      "bad_value",
      `mutationId ${mutationId} is already queued`,
      { path: "DeltaPushMsg.mutation_id" },
    );
  }
  const base = {
    collection: i.collection,
    documentId: i.documentId,
    delta: bytes,
    peerId: i.peerId ?? peerId,
    mutationId,
    checksum: i.checksum ?? crc32c(bytes),
    deviceValidTimeMs: i.deviceValidTimeMs ?? null,
  };
  const delta = v07
    ? {
      ...base,
      deviceId: i.deviceId ?? 0n,
      deltaSignature: i.deltaSignature?.slice() ?? ZERO_SIGNATURE,
    }
    : base;
  return delta as unknown as StoredDelta<R>;
}

const U64 = 2n ** 64n;
const I64 = 2n ** 63n;

function field(name: string, message: string): FrameError {
  return new FrameError("bad_value", `DeltaPushMsg.${name} ${message}`, {
    path: `DeltaPushMsg.${name}`,
  });
}

function checkString(name: string, value: unknown): void {
  if (typeof value !== "string") throw field(name, "must be a string");
  const wellFormed = (value as { isWellFormed?: () => boolean }).isWellFormed;
  if (wellFormed !== undefined && !wellFormed.call(value)) {
    throw field(name, "holds a lone UTF-16 surrogate");
  }
}

function checkU64(name: string, value: unknown): void {
  if (typeof value !== "bigint" || value < 0n || value >= U64) {
    throw field(name, "must be a bigint from 0 to 2^64 − 1");
  }
}

/**
 * Checks a normalized 2026-07 delta field by field, as its encoder would
 * (cheaper than encoding it once more just to check; the send encodes it).
 *
 * @throws {FrameError} `"bad_value"` with the field's `path`.
 */
export function checkDelta07(d: StoredDelta<"2026-07">): void {
  checkString("collection", d.collection);
  checkString("document_id", d.documentId);
  checkU64("peer_id", d.peerId);
  checkU64("mutation_id", d.mutationId);
  checkU64("device_id", d.deviceId);
  if (
    !Number.isInteger(d.checksum) || d.checksum < 0 || d.checksum > 0xffff_ffff
  ) {
    throw field("checksum", "must be an integer from 0 to 2^32 − 1");
  }
  const t = d.deviceValidTimeMs;
  if (t !== null && (typeof t !== "bigint" || t < -I64 || t >= I64)) {
    throw field("device_valid_time_ms", "must be null or an i64 bigint");
  }
  if (
    !(d.deltaSignature instanceof Uint8Array) || d.deltaSignature.length !== 32
  ) {
    throw field("delta_signature", "must be a Uint8Array of 32 bytes");
  }
}
