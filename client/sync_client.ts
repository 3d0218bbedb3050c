/**
 * {@linkcode SyncClient}: the Lite side of a sync session, for both revisions.
 *
 * @module
 */

import { FrameError } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import type * as r04 from "../generated/2026-04/mod.ts";
import type * as r07 from "../generated/2026-07/mod.ts";
import { aborted, ClientCore } from "./_core.ts";
import { clientConfig } from "./_options.ts";
import { T } from "./_session.ts";
import { TypedEventTarget } from "./events.ts";
import type {
  ByRevision,
  ClientMessageOf,
  ClientStatus,
  CloseReport,
  DeltaInput,
  DeltaOutcome,
  SignalOptions,
  SyncClientEventMap,
  SyncClientMetrics,
  SyncClientOptions,
} from "./types.ts";

/** A VectorClockSync body of revision `R`. */
export type VectorClockOf<R extends RevisionName> = ByRevision<
  R,
  r04.VectorClockSyncMsg,
  r07.VectorClockSyncMsg
>;
/** A ShapeDefinition of revision `R`. */
export type ShapeOf<R extends RevisionName> = ByRevision<
  R,
  r04.ShapeDefinition,
  r07.ShapeDefinition
>;
/** A ShapeSnapshot body of revision `R`. */
export type ShapeSnapshotOf<R extends RevisionName> = ByRevision<
  R,
  r04.ShapeSnapshotMsg,
  r07.ShapeSnapshotMsg
>;
/** A TokenRefreshAck body of revision `R`. */
export type TokenRefreshAckOf<R extends RevisionName> = ByRevision<
  R,
  r04.TokenRefreshAckMsg,
  r07.TokenRefreshAckMsg
>;

/**
 * The Lite side of a sync session: connects, handshakes, keeps the session
 * alive, pushes deltas with acknowledgment, and reconnects when the
 * connection is lost. An `EventTarget`; see {@linkcode SyncClientEventMap}.
 *
 * - Reconnects with full-jitter backoff (`random × min(maxMs, minMs × 2^n)`,
 *   reset after each successful handshake); every connection sends a
 *   strictly larger epoch from the `epochStore`.
 * - Deltas queue in the outbox and go out pipelined (`maxInFlight`), lowest
 *   first; after a reconnect every unacknowledged delta is re-sent in rising
 *   order; each `pushDelta` promise settles exactly once.
 * - 2026-04: the caller's `mutationId` correlates acks. Every ack has
 *   `lsn: 0` and a duplicate gets the same ack, so a duplicate reads as
 *   `"applied"`.
 * - 2026-07: the client fills `producerId`/`epoch` from the HandshakeAck and
 *   `seq` from its per-stream counters, and reads the `AckStatus`: `Accepted`
 *   stays queued, `Gap` is re-sent, `Rejected` settles, `Fenced` halts
 *   pushing and reconnects.
 * - A DeltaReject with `RateLimited` / `Retry` pauses pushing for
 *   `retry_after_ms`, then re-sends; any other DeltaReject settles as
 *   `"rejected"` with its hint.
 *
 * @typeParam R The wire revision.
 *
 * @example A session in a few lines
 * ```ts
 * import { SyncClient } from "@sync/frame/client";
 * import { serveOrigin } from "@sync/frame/origin";
 * import assert from "node:assert/strict";
 *
 * await using origin = await serveOrigin({ revision: "2026-07" });
 * await using client = new SyncClient({ url: origin.url, revision: "2026-07" });
 * await client.connect();
 * const outcome = await client.pushDelta({
 *   collection: "notes",
 *   documentId: "n1",
 *   delta: new Uint8Array([1, 2, 3]),
 * });
 * assert.equal(outcome.status, "applied");
 * ```
 */
export class SyncClient<R extends RevisionName = "2026-04">
  extends TypedEventTarget<SyncClientEventMap<R>>
  implements AsyncDisposable {
  /** The wire revision. */
  readonly revision: R;
  /** This Lite's identity. */
  readonly liteId: string;
  /** The Origin's URL. */
  readonly url: string;
  readonly #core: ClientCore<R>;

  /**
   * Creates a client; nothing connects until {@linkcode SyncClient.connect}.
   * Deltas pushed before that wait in the outbox.
   *
   * @param options The Origin's URL, revision, identity, token, stores,
   * timing and limits.
   * @throws {FrameError} `"bad_value"` for an invalid option.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import assert from "node:assert/strict";
   *
   * const client = new SyncClient({ url: "ws://127.0.0.1:9090/sync", liteId: "lite-1" });
   * assert.equal(client.status, "idle");
   * assert.equal((await client.close()).queued.length, 0);
   * ```
   */
  constructor(options: SyncClientOptions<R>) {
    super();
    const config = clientConfig(options);
    this.revision = config.revision;
    this.liteId = config.liteId;
    this.url = config.url;
    this.#core = new ClientCore<R>(config, {
      emit: (type, detail) => this.emit(type, detail as never),
      listens: (type) => this.listens(type),
    });
  }

  /**
   * Where the client is (see {@linkcode ClientStatus}).
   *
   * @returns The status.
   */
  get status(): ClientStatus {
    return this.#core.status;
  }

  /**
   * Connects, if not connected, and waits for a HandshakeAck with
   * `success: true`. Connection failures are retried with backoff (status
   * `"reconnecting"`, `error` events); a refused handshake or a fork stops
   * the client (status `"idle"`).
   *
   * @param options `signal` stops waiting (and stops trying, when nothing
   * else waits and the session is not up).
   * @returns A promise that resolves when the session is ready.
   * @throws {SyncError} (as a rejection) `"handshake_rejected"` with the
   * server's `error`, or `"fork_detected"` (also a `fork` event).
   * @throws {FrameError} (as a rejection) `"aborted"`, or `"closed"` once
   * the client is closed.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * await using client = new SyncClient({ url: origin.url, liteId: "lite-1" });
   * await client.connect({ signal: AbortSignal.timeout(5_000) });
   * assert.equal(client.status, "ready");
   * assert.equal(origin.stats().handshakes, 1);
   * ```
   */
  connect(options?: SignalOptions): Promise<void> {
    return this.#core.whenReady(options?.signal, "connect", true).then(
      () => {},
    );
  }

  /**
   * Queues a delta and resolves with its outcome, once: `"applied"`,
   * `"duplicate"`, `"accepted"` (2026-07, with `settleOnAccepted`) or
   * `"rejected"` (with the DeltaReject and its hint). Deltas are kept (and
   * re-sent after reconnects) until an outcome arrives; pushing works while
   * offline.
   *
   * @param delta The DeltaPush body: in 2026-04 with your `mutationId`; in
   * 2026-07 without `producerId`/`epoch`/`seq`, which the client fills.
   * @param options `signal` gives up waiting: a delta not yet sent is
   * removed; one already sent stays queued until answered (the Origin may
   * apply it; in 2026-07 its `seq` must not leave a gap).
   * @returns The outcome.
   * @throws {FrameError} (as a rejection) `"bad_value"` for a field that does
   * not fit (nothing is queued), `"aborted"`, or a {@linkcode SyncError}
   * `"client_closed"` when the client closes first.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin({
   *   faults: { reject: { hint: { kind: "PermissionDenied" }, count: 1 } },
   * });
   * await using client = new SyncClient({ url: origin.url });
   * await client.connect();
   * const delta = new Uint8Array([1, 2, 3]);
   * const outcome = await client.pushDelta({ collection: "notes", documentId: "n1", delta, mutationId: 1n });
   * assert.equal(outcome.status, "rejected");
   * assert.equal(outcome.reject?.compensation?.kind, "PermissionDenied");
   * ```
   */
  pushDelta(
    delta: DeltaInput<R>,
    options?: SignalOptions,
  ): Promise<DeltaOutcome<R>> {
    if (this.#core.closing) {
      return Promise.reject(new FrameError("closed", "the client is closed"));
    }
    return this.#core.pusher.push(delta, options?.signal);
  }

  /**
   * Sends a VectorClockSync and waits for the Origin's (its own clock).
   *
   * @param body `clocks` (`{collection: max_lsn}`) and `senderId`.
   * @param options `signal` to stop waiting.
   * @returns The Origin's VectorClockSync.
   * @throws {FrameError} (as a rejection) `"bad_value"`, `"aborted"`, or
   * `"closed"` when not connected or the connection ends first.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * await using client = new SyncClient({ url: origin.url });
   * await client.connect();
   * const reply = await client.syncVectorClock({ clocks: new Map([["notes", 4n]]), senderId: 0n });
   * assert.equal(reply.clocks.get("notes"), 4n);
   * ```
   */
  async syncVectorClock(
    body: VectorClockOf<R>,
    options?: SignalOptions,
  ): Promise<VectorClockOf<R>> {
    const signal = options?.signal;
    const session = await this.#core.whenReady(
      signal,
      "syncVectorClock",
      false,
    );
    session.send(T.VectorClockSync, body);
    return session.clocks.wait(signal, "syncVectorClock");
  }

  /**
   * Subscribes to a shape and waits for its ShapeSnapshot.
   *
   * @param shape The shape definition.
   * @param options `signal` to stop waiting.
   * @returns The ShapeSnapshot with the same shape id.
   * @throws {FrameError} (as a rejection) `"bad_value"`, `"aborted"`, or
   * `"closed"` when not connected or the connection ends first.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * await using client = new SyncClient({ url: origin.url });
   * await client.connect();
   * await client.pushDelta({ collection: "notes", documentId: "n1", delta: new Uint8Array([1]), mutationId: 1n });
   * const snapshot = await client.subscribeShape({
   *   shapeId: "all-notes", tenantId: 0, description: "", fieldFilter: [],
   *   shapeType: { kind: "Document", collection: "notes", predicate: new Uint8Array() },
   * });
   * assert.equal(snapshot.shapeId, "all-notes");
   * assert.equal(snapshot.docCount, 1n);
   * ```
   */
  async subscribeShape(
    shape: ShapeOf<R>,
    options?: SignalOptions,
  ): Promise<ShapeSnapshotOf<R>> {
    const signal = options?.signal;
    const session = await this.#core.whenReady(signal, "subscribeShape", false);
    if (signal?.aborted) throw aborted("subscribeShape", signal);
    session.send(T.ShapeSubscribe, { shape });
    return session.snapshots.wait(shape.shapeId, signal, "subscribeShape");
  }

  /**
   * Sends a TokenRefresh with a token from the `token` provider and waits
   * for the TokenRefreshAck; the next refresh is scheduled at
   * `tokenRefreshRatio` of its `expires_in_secs`. A failure is an `error`
   * event and a `status` event (reason `token_refresh_failed: …`); it is
   * not retried until the next call or reconnect.
   *
   * @param options `signal` to stop waiting; `token` to send instead of
   * asking the provider.
   * @returns The TokenRefreshAck (`success: true`).
   * @throws {SyncError} (as a rejection) `"token_refresh_failed"`.
   * @throws {FrameError} (as a rejection) `"aborted"`, or `"closed"` when
   * not connected.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * await using client = new SyncClient({ url: origin.url, token: "token-1" });
   * await client.connect();
   * const ack = await client.refreshToken({ token: "token-2" });
   * assert.equal(ack.success, true);
   * assert.equal(ack.expiresInSecs, 3600n);
   * assert.equal(client.metrics().tokenRefreshes, 1);
   * ```
   */
  refreshToken(
    options?: SignalOptions & { token?: string },
  ): Promise<TokenRefreshAckOf<R>> {
    return this.#core.refreshToken(options);
  }

  /**
   * Sends a ping and resolves with the round trip (also in `metrics()`).
   *
   * @param options `signal` to stop waiting.
   * @returns The round trip in ms.
   * @throws {FrameError} (as a rejection) `"aborted"`, or `"closed"` when
   * not connected or the connection ends first.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * await using client = new SyncClient({ url: origin.url, pingInterval: 0 });
   * await client.connect();
   * const rtt = await client.ping();
   * assert.ok(rtt >= 0);
   * assert.equal(client.metrics().lastRttMs, rtt);
   * assert.equal(origin.stats().pongs, 1);
   * ```
   */
  async ping(options?: SignalOptions): Promise<number> {
    const signal = options?.signal;
    const session = await this.#core.whenReady(signal, "ping", false);
    if (signal === undefined) return session.ping();
    return await new Promise<number>((resolve, reject) => {
      const onAbort = () => reject(aborted("ping", signal));
      signal.addEventListener("abort", onAbort, { once: true });
      session.ping().then(resolve, reject).finally(() =>
        signal.removeEventListener("abort", onAbort)
      );
    });
  }

  /**
   * Sends any client message on the session (presence updates, shape
   * unsubscribes, …); replies arrive as `push` events.
   *
   * @param message The typed message.
   * @param options `signal` to stop waiting for the session.
   * @returns A promise that resolves once it is handed to the connection.
   * @throws {FrameError} (as a rejection) `"bad_value"`, `"aborted"`, or
   * `"closed"` when not connected.
   *
   * @example
   * ```ts
   * import { SyncMessageType } from "@sync/frame";
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * const seen: number[] = [];
   * origin.addEventListener("message", (e) => seen.push(e.detail.message.type));
   * await using client = new SyncClient({ url: origin.url });
   * await client.connect();
   * await client.send({ type: SyncMessageType.PresenceUpdate, body: { channel: "doc:1", state: new Uint8Array([0x80]) } });
   * await client.ping(); // answered after the update: the Origin has read it
   * assert.ok(seen.includes(SyncMessageType.PresenceUpdate));
   * ```
   */
  async send(
    message: ClientMessageOf<R>,
    options?: SignalOptions,
  ): Promise<void> {
    const signal = options?.signal;
    const session = await this.#core.whenReady(signal, "send", false);
    if (signal?.aborted) throw aborted("send", signal);
    session.send(message.type, message.body);
  }

  /**
   * A snapshot of the client's counters.
   *
   * @returns The metrics.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * await using client = new SyncClient({ url: origin.url });
   * const pushed = client.pushDelta({ collection: "notes", documentId: "n1", delta: new Uint8Array([1]), mutationId: 1n });
   * assert.equal(client.metrics().pending, 1); // queued while offline
   * await client.connect();
   * await pushed;
   * const { pending, inFlight, acked } = client.metrics();
   * assert.deepEqual({ pending, inFlight, acked }, { pending: 0, inFlight: 0, acked: 1 });
   * ```
   */
  metrics(): SyncClientMetrics {
    return this.#core.metrics();
  }

  /**
   * Closes the session and the client. Deltas still queued are reported (and
   * their `pushDelta` promises reject with {@linkcode SyncError}
   * `"client_closed"`, which lists them too); a durable outbox keeps them
   * for the next client.
   *
   * @param options `drain`: ms to wait for the outbox to empty first (only
   * while connected; default 0).
   * @returns What was still queued.
   *
   * @example
   * ```ts
   * import { SyncClient } from "@sync/frame/client";
   * import { serveOrigin } from "@sync/frame/origin";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * const client = new SyncClient({ url: origin.url });
   * await client.connect();
   * const pushed = client.pushDelta({ collection: "notes", documentId: "n1", delta: new Uint8Array([1]), mutationId: 1n });
   * const { queued } = await client.close({ drain: 1000 });
   * assert.equal(queued.length, 0);
   * assert.equal((await pushed).status, "applied");
   * assert.equal(client.status, "closed");
   * ```
   */
  close(options?: { drain?: number }): Promise<CloseReport> {
    return this.#core.close(options?.drain ?? 0);
  }

  /**
   * Closes the client, for `await using`; the queued deltas are in the
   * final `status` event's `queued`.
   *
   * @returns A promise that resolves once closed.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
