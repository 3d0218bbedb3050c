/**
 * {@linkcode serveOrigin}: a local Origin for development and tests.
 *
 * @module
 */

import { FrameError } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import { serveFrameSockets } from "../transport/websocket.ts";
import { TypedEventTarget } from "../client/events.ts";
import { Presence } from "./_presence.ts";
import { OriginSession, type ServerSocketLike } from "./_session.ts";
import { originConfig, OriginState } from "./_state.ts";
import type {
  AppliedDelta,
  OriginEventMap,
  OriginFaults,
  OriginOptions,
  OriginSessionDetail,
  OriginStats,
  OriginWrite,
} from "./types.ts";

/** Dispatches one of an Origin's events. */
type Emit<R extends RevisionName> = (
  type: keyof OriginEventMap<R> & string,
  detail: () => unknown,
) => void;

const DELTA_PUSH = 0x10;
const ROW_PUSH = 0x15;

/** What the Origin uses of the transport's server. */
interface ListenerLike {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * A running local Origin: its address, its sessions' events, the deltas it
 * applied, its counters, and faults that can change while it runs.
 *
 * @typeParam R The wire revision.
 */
export class OriginServer<R extends RevisionName = "2026-04">
  extends TypedEventTarget<OriginEventMap<R>>
  implements AsyncDisposable {
  /** The address listened on. */
  readonly hostname: string;
  /** The port listened on. */
  readonly port: number;
  /** The `ws://` URL to give clients. */
  readonly url: string;
  /** The wire revision. */
  readonly revision: R;
  readonly #state: OriginState<R>;
  readonly #presence: Presence;
  readonly #sessions: Set<OriginSession<R>>;
  readonly #listener: ListenerLike;
  readonly #sweep: ReturnType<typeof setInterval>;
  #closing: Promise<void> | undefined;

  /**
   * Made by {@linkcode serveOrigin}.
   *
   * @param state The shared state.
   * @param presence The presence channels.
   * @param sessions The open sessions.
   * @param listener The WebSocket server.
   * @param bind Receives the function that dispatches this Origin's events.
   */
  constructor(
    state: OriginState<R>,
    presence: Presence,
    sessions: Set<OriginSession<R>>,
    listener: ListenerLike,
    bind: (emit: Emit<R>) => void,
  ) {
    super();
    bind((type, detail) => this.emit(type, detail as never));
    this.#state = state;
    this.#presence = presence;
    this.#sessions = sessions;
    this.#listener = listener;
    this.hostname = state.config.hostname;
    this.port = listener.port;
    this.url = listener.url;
    this.revision = state.config.revision;
    this.#sweep = setInterval(
      () => presence.sweep(Date.now()),
      state.config.sweepMs,
    );
  }

  /**
   * The faults injected now; assign to change them while the Origin runs.
   *
   * @returns The faults.
   */
  get faults(): OriginFaults<R> {
    return this.#state.faults;
  }

  /**
   * Replaces the faults (their counters start over).
   *
   * @param faults The new faults (`{}` for none).
   */
  set faults(faults: OriginFaults<R>) {
    this.#state.faults = faults ?? {};
    Object.assign(this.#state.faultCounts, {
      drops: 0,
      rejects: 0,
      refusals: 0,
      pongs: 0,
    });
  }

  /**
   * Every delta applied so far, in order (empty with `keepLog: false`).
   *
   * @returns The applied deltas.
   */
  get applied(): readonly AppliedDelta[] {
    return this.#state.applied;
  }

  /**
   * The Origin's counters.
   *
   * @returns A snapshot.
   *
   * @example
   * ```ts
   * import { serveOrigin } from "@sync/frame/origin";
   * import { SyncClient } from "@sync/frame/client";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * await using client = new SyncClient({ url: origin.url });
   * await client.connect();
   * await client.pushDelta({ collection: "notes", documentId: "n1", delta: new Uint8Array([1]), mutationId: 1n });
   * const { sessions, handshakes, applied, duplicates } = origin.stats();
   * assert.deepEqual(
   *   { sessions, handshakes, applied, duplicates },
   *   { sessions: 1, handshakes: 1, applied: 1, duplicates: 0 },
   * );
   * ```
   */
  stats(): OriginStats {
    return { sessions: this.#sessions.size, ...this.#state.counters };
  }

  /**
   * A server-side write (as NodeDB's SQL side makes): stored, and fanned out
   * to every authenticated session, as DeltaPush (2026-04: `peer_id` 0,
   * `mutation_id` = a per-collection sequence, `checksum` 0) or RowPush
   * (2026-07: `Upsert`, or `Delete` for an empty payload). Sent after each
   * session's next inbound message unless `delivery: "immediate"`.
   *
   * @param write The collection, document and payload.
   * @returns The write's LSN.
   * @throws {FrameError} `"bad_value"` for a payload that is not bytes.
   *
   * @example
   * ```ts
   * import { serveOrigin } from "@sync/frame/origin";
   * import { SyncClient } from "@sync/frame/client";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin({ delivery: "immediate" });
   * await using client = new SyncClient({ url: origin.url });
   * await client.connect();
   * const received = new Promise((resolve) => client.addEventListener("push", (e) => resolve(e.detail.body)));
   * const lsn = origin.write({ collection: "notes", documentId: "n9", payload: new Uint8Array([0x80]) });
   * assert.equal(lsn, 1n);
   * assert.deepEqual(await received, { // a DeltaPush in 2026-04
   *   collection: "notes", documentId: "n9", delta: new Uint8Array([0x80]),
   *   peerId: 0n, mutationId: 1n, checksum: 0, deviceValidTimeMs: null,
   * });
   * ```
   */
  write(write: OriginWrite): bigint {
    if (!(write?.payload instanceof Uint8Array)) {
      throw new FrameError("bad_value", "write.payload must be a Uint8Array");
    }
    const state = this.#state;
    const lsn = state.nextLsn();
    const sequence = (state.writeSeqs.get(write.collection) ?? 0n) + 1n;
    state.writeSeqs.set(write.collection, sequence);
    state.store(
      {
        collection: write.collection,
        documentId: write.documentId,
        delta: write.payload,
      },
      lsn,
    );
    const v07 = this.revision === "2026-07";
    const body = v07
      ? {
        collection: write.collection,
        documentId: write.documentId,
        payload: write.payload,
        op: { kind: write.payload.length === 0 ? "Delete" : "Upsert" },
        lsn,
        peerId: 0n,
        sequence,
      }
      : {
        collection: write.collection,
        documentId: write.documentId,
        delta: write.payload,
        peerId: 0n,
        mutationId: sequence,
        checksum: 0,
        deviceValidTimeMs: null,
      };
    for (const session of this.#sessions) {
      if (session.authenticated) {
        session.deliver(v07 ? ROW_PUSH : DELTA_PUSH, body);
      }
    }
    return lsn;
  }

  /**
   * Stops listening, closes every session (1001) and waits for them.
   *
   * @returns A promise that resolves once everything is closed.
   *
   * @example
   * ```ts
   * import { serveOrigin } from "@sync/frame/origin";
   * import { SyncClient } from "@sync/frame/client";
   * import assert from "node:assert/strict";
   *
   * await using origin = await serveOrigin();
   * await using client = new SyncClient({ url: origin.url, backoff: { minMs: 10, maxMs: 50 } });
   * await client.connect();
   * const lost = new Promise((resolve) => client.addEventListener("status", (e) => resolve(e.detail.status)));
   * await origin.close();
   * assert.equal(origin.stats().sessions, 0);
   * assert.equal(await lost, "reconnecting");
   * ```
   */
  close(): Promise<void> {
    this.#closing ??= (async () => {
      clearInterval(this.#sweep);
      await this.#listener.close();
    })();
    return this.#closing;
  }

  /**
   * Closes the Origin, for `await using`.
   *
   * @returns A promise that resolves once closed.
   */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

/**
 * Starts a local Origin on a WebSocket server (`serveFrameSockets` on `ws`,
 * Deno and Node) that behaves as §9 of the revision's reference says NodeDB's
 * Origin does:
 *
 * - input: undecodable frames and bodies are skipped, the connection stays
 *   open (2026-07: a malformed Handshake gets `"malformed handshake"`);
 * - Handshake: wire version (2026-04: 0 = 1, 1..=4; 2026-07: exactly 1),
 *   trust mode for an empty token, the `tokenValidator`, fork detection by
 *   liteId/epoch (2026-04: each connection needs a larger epoch; 2026-07: a
 *   producer registry, lower epoch or other owner = fork);
 * - DeltaPush: the documented checks in order (see `dedup`, `rateLimit`),
 *   DeltaAck (2026-07 with `AckStatus`) or DeltaReject with its hint;
 * - PingPong, VectorClockSync (merged, answered with the Origin's clock),
 *   TokenRefresh, ShapeSubscribe → ShapeSnapshot, presence fan-out, the idle
 *   timeout (checked when a message arrives, as NodeDB).
 *
 * Chosen where the reference is silent: a token past the validator's
 * `expiresInSecs` makes DeltaPush answer `PermissionDenied` until a
 * TokenRefresh; an idle or fault-dropped session is closed with a close frame
 * (1001 / 4001), since the transport has no abrupt drop; text messages are
 * refused by the transport (close 1003), not skipped.
 *
 * @param options Address, revision, token validator, dedup scope, rate
 * limit, timeouts, faults.
 * @returns The running Origin.
 * @throws {FrameError} `"bad_value"` for an invalid option; `"closed"` when
 * it cannot listen.
 *
 * @example
 * ```ts
 * import { serveOrigin } from "@sync/frame/origin";
 * import assert from "node:assert/strict";
 *
 * await using origin = await serveOrigin({ revision: "2026-07", dedup: "origin" });
 * assert.match(origin.url, /^ws:\/\/127\.0\.0\.1:\d+$/);
 * assert.equal(origin.stats().sessions, 0);
 * ```
 */
export async function serveOrigin<R extends RevisionName = "2026-04">(
  options?: OriginOptions<R>,
): Promise<OriginServer<R>> {
  const config = originConfig(options);
  const state = new OriginState<R>(config, options?.faults);
  const presence = new Presence(config.ttlMs);
  const sessions = new Set<OriginSession<R>>();
  const ref: { emit?: Emit<R> } = {};
  const owner = {
    state,
    presence,
    message: (sessionId: string, type: number, body: unknown) =>
      ref.emit?.(
        "message",
        () => ({ sessionId, message: { type, body } }),
      ),
    applied: (delta: AppliedDelta) => ref.emit?.("delta", () => delta),
    session: (detail: OriginSessionDetail) =>
      ref.emit?.("session", () => detail),
  };
  const listener = await serveFrameSockets({
    hostname: config.hostname,
    port: config.port,
    revision: config.revision,
    maxBodySize: config.maxBodySize,
    closeTimeout: config.closeTimeout,
    // As Origin: what it cannot read is skipped, the connection stays.
    unknownType: "skip",
    wrongDirection: "skip",
    badChecksum: "skip",
    textMessages: "skip",
  }, async (socket, request) => {
    state.counters.connections++;
    const address = `${request.socket.remoteAddress ?? "127.0.0.1"}:${
      request.socket.remotePort ?? 0
    }`;
    const session = new OriginSession<R>(
      owner,
      socket as unknown as ServerSocketLike,
      address,
    );
    if (sessions.size >= config.maxSessions) {
      await session.close(1013, "too many sessions");
      return;
    }
    sessions.add(session);
    try {
      await session.run();
    } finally {
      sessions.delete(session);
      await session.close(1000, "");
    }
  });
  return new OriginServer<R>(
    state,
    presence,
    sessions,
    listener,
    (emit) => ref.emit = emit,
  );
}
