// The client's queue of unacknowledged deltas: every entry in push (id)
// order, which of them wait to be sent, which are in flight on the current
// connection, and the promise of each, settled exactly once.
//
// Sending always takes the queued entry with the lowest id, so deltas go out
// in rising order, also when they are re-sent after a reconnect or a gap.

import type { FrameError } from "../codec/error.ts";
import type { QueuedDelta } from "./errors.ts";

/** What a settled entry's promise resolves with (the client fills it in). */
export type Settle<O> = (outcome: O) => void;

/** One queued delta. */
export interface Entry<D, O> {
  /** Rising in push order. */
  readonly id: number;
  /** The delta, every field filled in. */
  readonly delta: D;
  /** Its `mutation_id` (the correlation key of acks and rejects). */
  readonly mutationId: bigint;
  /** Its collection: the 2026-07 stream of `seq`. */
  readonly collection: string;
  /** Delta bytes, for `pendingBytes`. */
  readonly size: number;
  /** 2026-07: the producer `seq` was given under. */
  producerId: bigint | undefined;
  /** 2026-07: its sequence number, reused for re-sends. */
  seq: bigint | undefined;
  /** 2026-04: the encoded DeltaPush body, sent as is every time. */
  encoded: Uint8Array | undefined;
  /** Waiting in the send queue. */
  queued: boolean;
  /** Sends on the current connection not answered yet. */
  outstanding: number;
  /** When it was last sent (ms). */
  sentAt: number;
  /** Times sent, over all connections. */
  sends: number;
  /** A 2026-07 `Accepted` ack arrived; it waits for a final status. */
  accepted: boolean;
  /** Its promise; `undefined` once settled or given up (aborted). */
  resolve: Settle<O> | undefined;
  reject: ((error: FrameError) => void) | undefined;
  /** Removes the abort listener. */
  unlisten: (() => void) | undefined;
}

/** Entry ids waiting to be sent, kept sorted; the lowest goes first. */
class SendQueue {
  #ids: number[] = [];
  #head = 0;

  get size(): number {
    return this.#ids.length - this.#head;
  }

  /** Inserts `id` in order (an append when it is the largest). */
  insert(id: number): void {
    const ids = this.#ids;
    if (ids.length === this.#head || ids[ids.length - 1] < id) {
      ids.push(id);
      return;
    }
    let lo = this.#head;
    let hi = ids.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (ids[mid] < id) lo = mid + 1;
      else hi = mid;
    }
    if (ids[lo] === id) return;
    if (lo === this.#head && this.#head > 0) {
      ids[--this.#head] = id;
      return;
    }
    ids.splice(lo, 0, id);
  }

  /** Takes the lowest id. */
  shift(): number | undefined {
    if (this.#head === this.#ids.length) return undefined;
    const id = this.#ids[this.#head++];
    if (this.#head === this.#ids.length) {
      this.#ids = [];
      this.#head = 0;
    } else if (this.#head > 1024 && this.#head * 2 > this.#ids.length) {
      this.#ids = this.#ids.slice(this.#head);
      this.#head = 0;
    }
    return id;
  }

  clear(): void {
    this.#ids = [];
    this.#head = 0;
  }
}

/** The entries, the send queue and the in-flight count. */
export class Outbox<D, O> {
  readonly #entries = new Map<number, Entry<D, O>>();
  readonly #byMutation = new Map<bigint, Entry<D, O>>();
  readonly #queue = new SendQueue();
  #bytes = 0;
  #inFlight = 0;

  /** Entries not settled (in flight included). */
  get pending(): number {
    return this.#entries.size;
  }

  /** Their delta bytes. */
  get pendingBytes(): number {
    return this.#bytes;
  }

  /** Entries sent on this connection and not answered. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /** Entries waiting to be sent. */
  get queued(): number {
    return this.#queue.size;
  }

  /** Whether a not-yet-settled entry has this mutation id. */
  hasMutation(mutationId: bigint): boolean {
    return this.#byMutation.has(mutationId);
  }

  /** The entry with this mutation id. */
  byMutation(mutationId: bigint): Entry<D, O> | undefined {
    return this.#byMutation.get(mutationId);
  }

  /** Every entry in id order. */
  entries(): IterableIterator<Entry<D, O>> {
    return this.#entries.values();
  }

  /** Adds an entry (ids must rise) and queues it. */
  add(entry: Entry<D, O>): void {
    this.#entries.set(entry.id, entry);
    this.#byMutation.set(entry.mutationId, entry);
    this.#bytes += entry.size;
    entry.queued = true;
    this.#queue.insert(entry.id);
  }

  /** Takes the queued entry with the lowest id. */
  next(): Entry<D, O> | undefined {
    for (;;) {
      const id = this.#queue.shift();
      if (id === undefined) return undefined;
      const entry = this.#entries.get(id);
      if (entry !== undefined && entry.queued) {
        entry.queued = false;
        return entry;
      }
    }
  }

  /** Forgets the unanswered sends of an entry (they were lost). */
  forget(entry: Entry<D, O>): void {
    if (entry.outstanding !== 0) {
      entry.outstanding = 0;
      this.#inFlight--;
    }
  }

  /** Records a send of an entry on the current connection. */
  sent(entry: Entry<D, O>, now: number): void {
    if (entry.outstanding === 0) this.#inFlight++;
    entry.outstanding++;
    entry.sends++;
    entry.sentAt = now;
  }

  /**
   * Records one answer to a send (acks arrive in send order per entry).
   *
   * @returns Whether it answered the entry's latest send.
   */
  answered(entry: Entry<D, O>): boolean {
    if (entry.outstanding === 0) return true;
    entry.outstanding--;
    if (entry.outstanding === 0) {
      this.#inFlight--;
      return true;
    }
    return false;
  }

  /** Queues an entry again (a re-send), unless settled or already queued. */
  requeue(entry: Entry<D, O>): void {
    if (!this.#entries.has(entry.id) || entry.queued) return;
    entry.queued = true;
    this.#queue.insert(entry.id);
  }

  /** The connection ended: nothing is in flight; everything is queued again. */
  reset(): void {
    this.#queue.clear();
    this.#inFlight = 0;
    for (const entry of this.#entries.values()) {
      entry.outstanding = 0;
      entry.queued = true;
      this.#queue.insert(entry.id);
    }
  }

  /**
   * Removes an entry (settled). Returns its promise's handlers, cleared so
   * that nothing settles it twice.
   */
  remove(
    entry: Entry<D, O>,
  ): Pick<Entry<D, O>, "resolve" | "reject"> | undefined {
    if (this.#entries.get(entry.id) !== entry) return undefined;
    this.#entries.delete(entry.id);
    this.#byMutation.delete(entry.mutationId);
    this.#bytes -= entry.size;
    if (entry.outstanding !== 0) {
      entry.outstanding = 0;
      this.#inFlight--;
    }
    entry.queued = false;
    const handlers = { resolve: entry.resolve, reject: entry.reject };
    entry.resolve = undefined;
    entry.reject = undefined;
    entry.unlisten?.();
    entry.unlisten = undefined;
    return handlers;
  }

  /** Entries in flight whose last send is older than `before` (ms). */
  stale(before: number): Entry<D, O>[] {
    const out: Entry<D, O>[] = [];
    if (this.#inFlight === 0) return out;
    for (const entry of this.#entries.values()) {
      if (entry.outstanding !== 0 && !entry.accepted && entry.sentAt < before) {
        out.push(entry);
      }
    }
    return out;
  }

  /** What is queued, for a close report. */
  report(): QueuedDelta[] {
    const out: QueuedDelta[] = [];
    for (const entry of this.#entries.values()) {
      out.push({
        id: entry.id,
        mutationId: entry.mutationId,
        collection: entry.collection,
        documentId: (entry.delta as { documentId: string }).documentId,
        seq: entry.seq,
        sent: entry.sends !== 0,
      });
    }
    return out;
  }
}
