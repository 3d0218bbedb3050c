// The delta pipeline of a SyncClient: queue, send (pipelined up to
// maxInFlight, lowest id first), correlate each DeltaAck / DeltaReject with
// its delta, and settle every pushDelta promise exactly once.

import { FrameError } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import { ackVerdict, planGap, rejectVerdict } from "./_correlate.ts";
import {
  checkDelta07,
  type DeltaEntry,
  isThenable,
  newEntry,
  normalizeDelta,
  recordOf,
  storeError,
} from "./_delta.ts";
import { Outbox } from "./_outbox.ts";
import { encodeBody, type Wire } from "./_wire.ts";
import type { QueuedDelta } from "./errors.ts";
import type {
  DeltaAckOf,
  DeltaInput,
  DeltaOutcome,
  DeltaRejectOf,
  OutboxSnapshot,
  OutboxStore,
  StoredDelta,
} from "./types.ts";

const DELTA_PUSH = 0x10;
/** Delay before re-sending a delta refused with `Gap{expected: its seq}`. */
const GAP_RETRY_MS = 100;

type Out<R extends RevisionName> = DeltaOutcome<R>;
type E<R extends RevisionName> = DeltaEntry<R>;

/** What the pipeline needs of its client. */
export interface PusherHost {
  /** Reports a DeltaPush going out (for the `frame` event), if anyone listens. */
  sentDelta?(body: unknown): void;
  /** A `Fenced` ack: the client should reconnect. */
  fenced(): void;
  /** Reports an error that does not stop the pipeline (a store failure). */
  error(error: FrameError): void;
}

/** Pipeline settings. */
export interface PusherConfig<R extends RevisionName> {
  readonly revision: R;
  readonly store: OutboxStore<R>;
  readonly maxInFlight: number;
  readonly ackTimeout: number;
  readonly settleOnAccepted: boolean;
  readonly peerId: bigint;
}

/** The delta pipeline. */
export class Pusher<R extends RevisionName> {
  readonly #host: PusherHost;
  readonly #config: PusherConfig<R>;
  readonly #v07: boolean;
  readonly #outbox = new Outbox<StoredDelta<R>, Out<R>>();
  readonly #seqs = new Map<string, bigint>();
  #nextId = 1;
  #loaded: Promise<void> | undefined;
  #isLoaded = false;
  #persisting: Promise<void> | undefined;

  #wire: Wire | undefined;
  #producerId = 0n;
  #epoch = 0n;
  #fenced = false;
  #pausedUntil = 0;
  #pauseTimer: ReturnType<typeof setTimeout> | undefined;
  #staleTimer: ReturnType<typeof setInterval> | undefined;
  #pumping = false;
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #closed = false;

  /** Counters for metrics(). */
  readonly counts = {
    pushed: 0,
    resent: 0,
    acked: 0,
    rejected: 0,
    slowedDown: 0,
    unmatched: 0,
  };

  constructor(host: PusherHost, config: PusherConfig<R>) {
    this.#host = host;
    this.#config = config;
    this.#v07 = config.revision === "2026-07";
  }

  get outbox(): Outbox<StoredDelta<R>, Out<R>> {
    return this.#outbox;
  }

  get fenced(): boolean {
    return this.#fenced;
  }

  /**
   * Reads the store once (synchronously when the store is): restored deltas
   * are re-sent; nobody awaits them.
   */
  load(): Promise<void> {
    if (this.#loaded !== undefined) return this.#loaded;
    let snapshot: ReturnType<OutboxStore<R>["load"]>;
    try {
      snapshot = this.#config.store.load();
    } catch (error) {
      return this.#loaded = Promise.reject(storeError("load", error));
    }
    if (!isThenable(snapshot)) {
      this.#restore(snapshot as OutboxSnapshot<R> | undefined);
      return this.#loaded = Promise.resolve();
    }
    return this.#loaded = Promise.resolve(snapshot).then(
      (s) => this.#restore(s as OutboxSnapshot<R> | undefined),
      (error) => {
        throw storeError("load", error);
      },
    );
  }

  #restore(snapshot: OutboxSnapshot<R> | undefined): void {
    for (const [key, seq] of snapshot?.seqs ?? []) this.#seqs.set(key, seq);
    const records = [...(snapshot?.records ?? [])].sort((a, b) => a.id - b.id);
    for (const record of records) {
      const entry = newEntry<R>(record.id, record.delta);
      entry.producerId = record.producerId;
      entry.seq = record.seq;
      if (!this.#v07) {
        entry.encoded = encodeBody("2026-04", DELTA_PUSH, record.delta);
      }
      this.#outbox.add(entry);
      this.#nextId = Math.max(this.#nextId, record.id + 1);
    }
    this.#isLoaded = true;
    this.#pump();
  }

  /** Queues a delta; see `SyncClient.pushDelta`. */
  push(input: DeltaInput<R>, signal: AbortSignal | undefined): Promise<Out<R>> {
    if (this.#closed) {
      return Promise.reject(
        new FrameError("closed", "the client is closed"),
      );
    }
    if (!this.#isLoaded) {
      const loading = this.load();
      if (!this.#isLoaded) return loading.then(() => this.push(input, signal));
    }
    let delta: StoredDelta<R>;
    let encoded: Uint8Array | undefined;
    try {
      signal?.throwIfAborted();
      delta = normalizeDelta(
        input,
        this.#v07,
        this.#config.peerId,
        BigInt(this.#nextId),
        (m) => this.#outbox.hasMutation(m),
      );
      // Checks every field now, so a bad delta is refused before it queues
      // (2026-04: the encoded body is what every send sends).
      if (this.#v07) checkDelta07(delta as StoredDelta<"2026-07">);
      else encoded = encodeBody("2026-04", DELTA_PUSH, delta);
    } catch (error) {
      if (signal?.aborted) {
        return Promise.reject(
          new FrameError("aborted", "pushDelta was aborted", {
            cause: signal.reason,
          }),
        );
      }
      return Promise.reject(error);
    }
    const entry = newEntry<R>(this.#nextId++, delta);
    if (!this.#v07) entry.encoded = encoded;
    const promise = new Promise<Out<R>>((resolve, reject) => {
      entry.resolve = resolve;
      entry.reject = reject;
    });
    if (signal !== undefined) {
      const onAbort = () => this.#abort(entry, signal);
      signal.addEventListener("abort", onAbort, { once: true });
      entry.unlisten = () => signal.removeEventListener("abort", onAbort);
    }
    let put: unknown;
    try {
      put = this.#config.store.put(recordOf(entry));
    } catch (error) {
      entry.unlisten?.();
      return Promise.reject(storeError("save a delta", error));
    }
    if (!isThenable(put) && this.#persisting === undefined) {
      this.#outbox.add(entry);
      this.#pump();
      return promise;
    }
    // Keep push order although the store answers asynchronously.
    const prior = this.#persisting;
    const done: Promise<void> = Promise.all([prior, put]).then(
      () => {
        if (this.#persisting === done) this.#persisting = undefined;
        if (this.#closed || entry.resolve === undefined) return;
        this.#outbox.add(entry);
        this.#pump();
      },
      (error) => {
        if (this.#persisting === done) this.#persisting = undefined;
        const reject = entry.reject;
        entry.resolve = entry.reject = undefined;
        entry.unlisten?.();
        reject?.(storeError("save a delta", error));
      },
    );
    this.#persisting = done;
    return promise;
  }

  #abort(entry: E<R>, signal: AbortSignal): void {
    const reject = entry.reject;
    if (reject === undefined) return;
    const error = new FrameError("aborted", "pushDelta was aborted", {
      cause: signal.reason,
    });
    if (entry.sends === 0) {
      // Never sent: it is as if it was never pushed.
      this.#outbox.remove(entry);
      this.#delete(entry);
    } else {
      // Sent: the Origin may apply it, and in 2026-07 its seq must not leave
      // a hole, so it stays queued until answered; only the promise gives up.
      entry.resolve = entry.reject = undefined;
      entry.unlisten?.();
      entry.unlisten = undefined;
    }
    entry.resolve = entry.reject = undefined;
    reject(error);
  }

  #delete(entry: E<R>): void {
    try {
      const done = this.#config.store.delete(entry.id);
      if (isThenable(done)) {
        done.then(undefined, (e) => this.#host.error(storeError("delete", e)));
      }
    } catch (error) {
      this.#host.error(storeError("delete", error));
    }
  }

  /** A session is up: send what is queued, with its producer id and epoch. */
  attach(wire: Wire, producerId: bigint, epoch: bigint): void {
    this.#wire = wire;
    this.#producerId = producerId;
    this.#epoch = epoch;
    this.#fenced = false;
    const every = Math.max(10, Math.min(1000, this.#config.ackTimeout / 4));
    this.#staleTimer = setInterval(() => this.#checkStale(), every);
    this.#pump();
  }

  /** The session ended: nothing is in flight; everything is re-sent next time. */
  detach(): void {
    this.#wire = undefined;
    if (this.#staleTimer !== undefined) clearInterval(this.#staleTimer);
    this.#staleTimer = undefined;
    this.#outbox.reset();
  }

  #canSend(): boolean {
    return this.#wire !== undefined && !this.#fenced && !this.#closed &&
      this.#outbox.inFlight < this.#config.maxInFlight &&
      this.#outbox.queued !== 0 && !this.#paused();
  }

  #paused(): boolean {
    if (this.#pausedUntil === 0) return false;
    const wait = this.#pausedUntil - Date.now();
    if (wait <= 0) {
      this.#pausedUntil = 0;
      return false;
    }
    if (this.#pauseTimer === undefined) {
      this.#pauseTimer = setTimeout(() => {
        this.#pauseTimer = undefined;
        this.#pump();
      }, wait);
    }
    return true;
  }

  #pump(): void {
    if (this.#pumping) return;
    this.#pumping = true;
    try {
      while (this.#canSend()) {
        const entry = this.#outbox.next();
        if (entry === undefined) break;
        const wire = this.#wire!;
        const wait = this.#v07 ? this.#assignSeq(entry) : undefined;
        if (wait !== undefined) {
          wait.then(
            () => {
              this.#pumping = false;
              if (this.#wire === wire && !entry.queued) this.#send(entry);
              this.#pump();
            },
            (error) => {
              this.#pumping = false;
              this.#host.error(storeError("save a seq", error));
              this.#outbox.requeue(entry);
            },
          );
          return;
        }
        this.#send(entry);
      }
    } catch (error) {
      this.#host.error(
        error instanceof FrameError ? error : storeError("save", error),
      );
    }
    this.#pumping = false;
  }

  /** Gives a 2026-07 entry its seq under the session's producer, once. */
  #assignSeq(entry: E<R>): Promise<void> | undefined {
    if (entry.seq !== undefined && entry.producerId === this.#producerId) {
      return undefined;
    }
    const key = `${this.#producerId}:${entry.collection}`;
    const seq = (this.#seqs.get(key) ?? 0n) + 1n;
    this.#seqs.set(key, seq);
    entry.producerId = this.#producerId;
    entry.seq = seq;
    const store = this.#config.store;
    const saved = store.saveSeq(key, seq);
    const put = store.put(recordOf(entry));
    if (isThenable(saved) || isThenable(put)) {
      return Promise.all([saved, put]).then(() => {});
    }
    return undefined;
  }

  #send(entry: E<R>): void {
    const wire = this.#wire!;
    if (entry.sends !== 0) this.counts.resent++;
    this.counts.pushed++;
    this.#outbox.sent(entry, Date.now());
    if (this.#v07) {
      const body = {
        ...entry.delta,
        producerId: this.#producerId,
        epoch: this.#epoch,
        seq: entry.seq!,
      };
      try {
        wire.send(DELTA_PUSH, body);
      } catch (error) {
        // Not caught by checkDelta07: refuse this delta, keep the others.
        const handlers = this.#outbox.remove(entry);
        this.#delete(entry);
        const failure = error instanceof FrameError
          ? error
          : new FrameError("bad_value", String(error), { cause: error });
        this.#host.error(failure);
        handlers?.reject?.(failure);
        return;
      }
      this.#host.sentDelta?.(body);
    } else {
      wire.sendBody(DELTA_PUSH, entry.encoded!);
      this.#host.sentDelta?.(entry.delta);
    }
  }

  #settle(entry: E<R>, outcome: Out<R>): void {
    const handlers = this.#outbox.remove(entry);
    if (handlers === undefined) return;
    if (outcome.status === "rejected") this.counts.rejected++;
    else this.counts.acked++;
    this.#delete(entry);
    handlers.resolve?.(outcome);
  }

  /** Handles a DeltaAck. */
  ack(ack: DeltaAckOf<R>): void {
    const entry = this.#outbox.byMutation(ack.mutationId);
    if (entry === undefined) {
      this.counts.unmatched++;
      return;
    }
    const latest = this.#outbox.answered(entry);
    const verdict = ackVerdict(ack as { status?: { kind: string } });
    const outcome = (status: Out<R>["status"]): Out<R> => ({
      status,
      mutationId: entry.mutationId,
      seq: entry.seq,
      ack,
      reject: undefined,
    });
    switch (verdict.kind) {
      case "settle":
        this.#settle(entry, outcome(verdict.status));
        break;
      case "accepted":
        entry.accepted = true;
        if (this.#config.settleOnAccepted && entry.resolve !== undefined) {
          const resolve = entry.resolve;
          entry.resolve = entry.reject = undefined;
          entry.unlisten?.();
          this.counts.acked++;
          resolve(outcome("accepted"));
        }
        break;
      case "gap":
        if (latest) this.#gap(entry, verdict.expected);
        break;
      case "fenced":
        this.#outbox.requeue(entry);
        if (!this.#fenced) {
          this.#fenced = true;
          this.#host.fenced();
        }
        break;
    }
    this.#pump();
  }

  #gap(entry: E<R>, expected: bigint): void {
    const plan = planGap(this.#outbox.entries(), entry, expected);
    if (plan.renumber) {
      let seq = expected - 1n;
      const key = `${entry.producerId}:${entry.collection}`;
      for (const other of this.#outbox.entries()) {
        if (
          other.collection !== entry.collection ||
          other.producerId !== entry.producerId || other.seq === undefined ||
          other.seq < expected
        ) continue;
        other.seq = ++seq;
        this.#lost(other);
        const put = this.#config.store.put(recordOf(other));
        if (isThenable(put)) put.then(undefined, () => {});
      }
      this.#seqs.set(key, seq);
      const saved = this.#config.store.saveSeq(key, seq);
      if (isThenable(saved)) saved.then(undefined, () => {});
      return;
    }
    for (const other of plan.resend) this.#lost(other);
    if (expected < (entry.seq ?? 0n)) {
      this.#outbox.requeue(entry);
      return;
    }
    // A retryable refusal at its own seq: try again shortly, not in a loop.
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      this.#outbox.requeue(entry);
      this.#pump();
    }, GAP_RETRY_MS);
    this.#timers.add(timer);
  }

  /** A send that will never be answered: forget it and queue a re-send. */
  #lost(entry: E<R>): void {
    this.#outbox.forget(entry);
    this.#outbox.requeue(entry);
  }

  /** Handles a DeltaReject. */
  reject(reject: DeltaRejectOf<R>): void {
    const entry = this.#outbox.byMutation(reject.mutationId);
    if (entry === undefined) {
      this.counts.unmatched++;
      return;
    }
    this.#outbox.answered(entry);
    const verdict = rejectVerdict(reject);
    if (verdict.kind === "slow") {
      this.counts.slowedDown++;
      this.#pausedUntil = Math.max(
        this.#pausedUntil,
        Date.now() + verdict.retryAfterMs,
      );
      this.#outbox.requeue(entry);
    } else {
      this.#settle(entry, {
        status: "rejected",
        mutationId: entry.mutationId,
        seq: entry.seq,
        ack: undefined,
        reject,
      });
    }
    this.#pump();
  }

  /** Re-sends deltas whose answer is overdue (a silent drop). */
  #checkStale(): void {
    const overdue = this.#outbox.stale(Date.now() - this.#config.ackTimeout);
    for (const entry of overdue) this.#lost(entry);
    if (overdue.length !== 0) this.#pump();
  }

  /** Closes the pipeline: every waiting promise rejects with `error`. */
  close(error: (queued: readonly QueuedDelta[]) => FrameError): QueuedDelta[] {
    this.#closed = true;
    this.detach();
    if (this.#pauseTimer !== undefined) clearTimeout(this.#pauseTimer);
    this.#pauseTimer = undefined;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    const queued = this.#outbox.report();
    const failure = error(queued);
    for (const entry of [...this.#outbox.entries()]) {
      const reject = entry.reject;
      entry.resolve = entry.reject = undefined;
      entry.unlisten?.();
      entry.unlisten = undefined;
      reject?.(failure);
    }
    return queued;
  }

  /** Resolves once nothing is queued, or after `ms`. */
  async drain(ms: number): Promise<void> {
    const end = Date.now() + ms;
    while (this.#outbox.pending !== 0 && Date.now() < end) {
      await new Promise((r) => setTimeout(r, Math.min(10, end - Date.now())));
    }
  }
}
