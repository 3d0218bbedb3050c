/**
 * The in-memory stores a {@linkcode SyncClient} uses by default. Give it your
 * own {@linkcode EpochStore} / {@linkcode OutboxStore} (IndexedDB, a file) to
 * keep epochs and unacknowledged deltas across restarts.
 *
 * @module
 */

import type { RevisionName } from "../generated/revisions.ts";
import type {
  EpochStore,
  OutboxRecord,
  OutboxSnapshot,
  OutboxStore,
} from "./types.ts";

/**
 * Epochs in memory: lost when the process ends, so a restarted process with
 * the same `liteId` starts again at epoch 1 (and a long-running Origin sees
 * a fork). Persist epochs when the `liteId` is persisted.
 *
 * @example
 * ```ts
 * import { MemoryEpochStore } from "@sync/frame/client";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryEpochStore();
 * store.save("lite-1", 3n);
 * assert.equal(store.load("lite-1"), 3n);
 * assert.equal(store.load("lite-2"), undefined);
 * ```
 */
export class MemoryEpochStore implements EpochStore {
  readonly #epochs = new Map<string, bigint>();

  /**
   * The last epoch saved for a liteId.
   *
   * @param liteId The Lite identity.
   * @returns The epoch, or `undefined`.
   */
  load(liteId: string): bigint | undefined {
    return this.#epochs.get(liteId);
  }

  /**
   * Saves an epoch.
   *
   * @param liteId The Lite identity.
   * @param epoch The epoch about to be sent.
   */
  save(liteId: string, epoch: bigint): void {
    this.#epochs.set(liteId, epoch);
  }
}

/**
 * Queued deltas in memory (the default outbox): all synchronous, so the
 * client never waits on it. Lost when the process ends; the client's
 * `close()` reports what was still queued.
 *
 * @typeParam R The wire revision.
 *
 * @example
 * ```ts
 * import { MemoryOutboxStore } from "@sync/frame/client";
 * import assert from "node:assert/strict";
 *
 * const store = new MemoryOutboxStore();
 * store.saveSeq("7:users", 41n);
 * assert.equal(store.load().seqs.get("7:users"), 41n);
 * assert.equal(store.size, 0);
 * ```
 */
export class MemoryOutboxStore<R extends RevisionName = "2026-04">
  implements OutboxStore<R> {
  readonly #records = new Map<number, OutboxRecord<R>>();
  readonly #seqs = new Map<string, bigint>();

  /**
   * How many records are stored.
   *
   * @returns The count.
   */
  get size(): number {
    return this.#records.size;
  }

  /**
   * Everything stored.
   *
   * @returns The records in id order and the `seq` counters.
   */
  load(): OutboxSnapshot<R> {
    return {
      records: [...this.#records.values()].sort((a, b) => a.id - b.id),
      seqs: new Map(this.#seqs),
    };
  }

  /**
   * Inserts or replaces a record.
   *
   * @param record The record.
   */
  put(record: OutboxRecord<R>): void {
    this.#records.set(record.id, record);
  }

  /**
   * Removes a record.
   *
   * @param id Its id.
   */
  delete(id: number): void {
    this.#records.delete(id);
  }

  /**
   * Saves a stream's last `seq`.
   *
   * @param stream The stream key (`producerId:collection`).
   * @param seq The last `seq` given.
   */
  saveSeq(stream: string, seq: bigint): void {
    this.#seqs.set(stream, seq);
  }
}
