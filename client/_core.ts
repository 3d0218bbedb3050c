// What a SyncClient does, behind its public methods: the connection loop
// (connect → handshake → serve → backoff → again), the status, the waiters
// for a ready session, token refresh scheduling and the counters.

import { FrameError } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import { Backoff } from "./_backoff.ts";
import { type ClientConfig, nextEpoch } from "./_options.ts";
import { Pusher } from "./_pusher.ts";
import { Session, type SessionHost, T } from "./_session.ts";
import { jwtExpiry, refreshDelay, resolveToken } from "./_token.ts";
import { Wire } from "./_wire.ts";
import { SyncError } from "./errors.ts";
import type {
  ClientStatus,
  CloseReport,
  DropReason,
  SyncClientEventMap,
  SyncClientMetrics,
} from "./types.ts";

// deno-lint-ignore no-explicit-any
type Body = any;

/** How the core reaches the client's events. */
export interface CoreEvents<R extends RevisionName> {
  emit(type: keyof SyncClientEventMap<R> & string, detail: () => unknown): void;
  listens(type: keyof SyncClientEventMap<R> & string): boolean;
}

interface Waiter {
  resolve(session: Session): void;
  reject(error: FrameError): void;
}

/** A FrameError `"aborted"` for `what`. */
export function aborted(what: string, signal: AbortSignal): FrameError {
  return new FrameError("aborted", `${what} was aborted`, {
    cause: signal.reason,
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}

/** The client's machinery. */
export class ClientCore<R extends RevisionName> {
  readonly config: ClientConfig<R>;
  readonly pusher: Pusher<R>;
  readonly #events: CoreEvents<R>;
  readonly #backoff: Backoff;
  #status: ClientStatus = "idle";
  #session: Session | undefined;
  #ready: Session | undefined;
  #loop: Promise<void> | undefined;
  #stopLoop: AbortController | undefined;
  #waiters: Waiter[] = [];
  readonly #wires = new Set<Promise<unknown>>();
  #closing: Promise<CloseReport> | undefined;
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;
  #handshakes = 0;
  #epoch: bigint | undefined;
  #producerId: bigint | undefined;
  #sessionId: string | undefined;
  #rtt: number | undefined;
  #lastRtt: number | undefined;
  #framesIn = 0;
  #framesOut = 0;
  readonly #dropped: Record<DropReason, number> = {
    bad_body: 0,
    bad_checksum: 0,
    unknown_type: 0,
    wrong_direction: 0,
    unexpected: 0,
  };
  #refreshes = 0;
  #refreshFailures = 0;
  readonly #host: SessionHost;

  constructor(config: ClientConfig<R>, events: CoreEvents<R>) {
    this.config = config;
    this.#events = events;
    this.#backoff = new Backoff(config.backoff);
    this.pusher = new Pusher<R>({
      sentDelta: (body) => this.#frame("out", T.DeltaPush, body),
      fenced: () => {
        const error = new SyncError(
          "fenced",
          "the Origin fenced this producer's epoch; reconnecting with a new one",
        );
        this.#events.emit("error", () => error);
        this.#session?.kill(error);
      },
      error: (error) => this.#events.emit("error", () => error),
    }, {
      revision: config.revision,
      store: config.outbox,
      maxInFlight: config.maxInFlight,
      ackTimeout: config.ackTimeout,
      settleOnAccepted: config.settleOnAccepted,
      peerId: config.peerId,
    });
    this.#host = {
      frame: (direction, type, body) => this.#frame(direction, type, body),
      push: (type, body) => this.#events.emit("push", () => ({ type, body })),
      drop: (detail) => {
        this.#dropped[detail.reason]++;
        this.#events.emit("drop", () => detail);
      },
      ack: (body) => this.pusher.ack(body),
      reject: (body) => this.pusher.reject(body),
      rtt: (ms) => {
        this.#lastRtt = ms;
        this.#rtt = this.#rtt === undefined
          ? ms
          : this.#rtt + (ms - this.#rtt) / 8;
      },
    };
  }

  get status(): ClientStatus {
    return this.#status;
  }

  get closing(): boolean {
    return this.#closing !== undefined;
  }

  #frame(direction: "in" | "out", type: number, body: unknown): void {
    if (direction === "in") this.#framesIn++;
    else this.#framesOut++;
    if (!this.#events.listens("frame")) return;
    this.#events.emit("frame", () => ({ direction, message: { type, body } }));
  }

  #setStatus(
    status: ClientStatus,
    reason: string,
    error?: FrameError,
    queued?: CloseReport["queued"],
  ): void {
    const previous = this.#status;
    if (previous === "closed") return;
    this.#status = status;
    this.#events.emit(
      "status",
      () => ({ status, previous, reason, error, queued }),
    );
  }

  /** The ready session; starts connecting first when `start`. */
  whenReady(
    signal: AbortSignal | undefined,
    what: string,
    start: boolean,
  ): Promise<Session> {
    if (this.#closing !== undefined) {
      return Promise.reject(new FrameError("closed", "the client is closed"));
    }
    if (signal?.aborted) return Promise.reject(aborted(what, signal));
    if (this.#ready !== undefined) return Promise.resolve(this.#ready);
    if (this.#loop === undefined) {
      if (!start) {
        return Promise.reject(
          new FrameError("closed", `${what}: not connected; call connect()`),
        );
      }
      this.#start();
    }
    return new Promise<Session>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject };
      this.#waiters.push(waiter);
      if (signal === undefined) return;
      const onAbort = () => {
        this.#waiters = this.#waiters.filter((w) => w !== waiter);
        reject(aborted(what, signal));
        if (start && this.#waiters.length === 0 && this.#ready === undefined) {
          this.#halt(aborted(what, signal), "connect aborted");
        }
      };
      signal.addEventListener("abort", onAbort, { once: true });
      waiter.resolve = (s) => {
        signal.removeEventListener("abort", onAbort);
        resolve(s);
      };
      waiter.reject = (e) => {
        signal.removeEventListener("abort", onAbort);
        reject(e);
      };
    });
  }

  #start(): void {
    const stop = new AbortController();
    this.#stopLoop = stop;
    this.#loop = this.pusher.load().then(
      () => this.#run(stop.signal),
      (error) => this.#halt(error, "the outbox store failed"),
    );
  }

  /** Stops trying: status idle, waiters rejected. */
  #halt(error: FrameError, reason: string): void {
    this.#stopLoop?.abort();
    this.#stopLoop = undefined;
    this.#loop = undefined;
    this.#session?.kill(error);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.reject(error);
    this.#setStatus("idle", reason, error);
  }

  async #run(stop: AbortSignal): Promise<void> {
    let reason = "connect()";
    while (!stop.aborted) {
      this.#setStatus("connecting", reason);
      const failure = await this.#attempt(stop);
      if (stop.aborted || failure === "fatal") return;
      if (failure !== undefined) this.#events.emit("error", () => failure);
      reason = failure?.message ?? "the connection closed";
      this.#setStatus("reconnecting", reason, failure);
      await sleep(this.#backoff.next(), stop);
      reason = `reconnect attempt ${this.#backoff.attempt}`;
    }
  }

  /** One connection; returns why it ended ("fatal": the client stopped). */
  async #attempt(stop: AbortSignal): Promise<FrameError | "fatal" | undefined> {
    const config = this.config;
    let wire: Wire;
    try {
      wire = await Wire.open(
        config.url,
        config.revision,
        config.transport,
        stop,
        (drop) => this.#host.drop(drop),
      );
    } catch (error) {
      return error as FrameError;
    }
    const closed = wire.closed.finally(() => this.#wires.delete(closed));
    this.#wires.add(closed);
    if (stop.aborted) {
      await wire.close();
      return undefined;
    }
    const session = new Session(this.#host, wire, config);
    this.#session = session;
    this.#setStatus("handshaking", "connected");
    let ack: Body;
    let epoch: bigint;
    let token: string;
    try {
      epoch = await nextEpoch(config.epochStore, config.liteId);
      this.#epoch = epoch;
      token = await resolveToken(config.token, "handshake");
      ack = await session.handshake({
        jwtToken: token,
        vectorClock: await config.vectorClock(),
        subscribedShapes: [...await config.subscribedShapes()],
        clientVersion: config.clientVersion,
        liteId: config.liteId,
        epoch,
        wireVersion: config.wireVersion,
      });
    } catch (error) {
      session.kill(error as FrameError);
      return error as FrameError;
    }
    // fork_detected is checked whatever `success` says.
    if (ack.forkDetected || !ack.success) {
      const fork: boolean = ack.forkDetected;
      const text: string = ack.error ?? (fork ? "fork detected" : "refused");
      const error = new SyncError(
        fork ? "fork_detected" : "handshake_rejected",
        `the Origin refused the handshake: ${text}`,
        { serverError: ack.error ?? undefined, reply: ack },
      );
      session.kill(error);
      if (!fork && text.startsWith("SYNC_UNAVAILABLE")) return error;
      if (fork) {
        this.#events.emit(
          "fork",
          () => ({ liteId: config.liteId, epoch, ack }),
        );
      }
      this.#events.emit("error", () => error);
      this.#halt(error, fork ? "fork_detected" : "handshake_rejected");
      return "fatal";
    }
    this.#backoff.reset();
    this.#handshakes++;
    this.#sessionId = ack.sessionId;
    this.#producerId = ack.producerId;
    const accepted: bigint = ack.acceptedEpoch ?? 0n;
    this.#ready = session;
    this.#setStatus("ready", `session ${ack.sessionId}`);
    // Then the queued deltas go out (re-sends after a reconnect first).
    this.pusher.attach(
      wire,
      ack.producerId ?? 0n,
      accepted === 0n ? epoch : accepted,
    );
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const waiter of waiters) waiter.resolve(session);
    const expiresAt = jwtExpiry(token);
    if (expiresAt !== undefined) this.#scheduleRefresh(Date.now(), expiresAt);
    const end = await session.serve();
    this.#ready = undefined;
    this.#session = undefined;
    this.pusher.detach();
    if (stop.aborted) return undefined;
    return end ??
      new SyncError("connection_lost", "the Origin closed the connection");
  }

  #scheduleRefresh(issuedAt: number, expiresAt: number): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = undefined;
    if (typeof this.config.token === "string" || this.#closing) return;
    const delay = refreshDelay(
      issuedAt,
      expiresAt,
      Date.now(),
      this.config.tokenRefreshRatio,
    );
    this.#refreshTimer = setTimeout(() => {
      this.#refreshTimer = undefined;
      if (this.#ready !== undefined) this.refreshToken().catch(() => {});
    }, delay);
  }

  /** See `SyncClient.refreshToken`. */
  async refreshToken(
    options?: { signal?: AbortSignal; token?: string },
  ): Promise<Body> {
    const session = await this.whenReady(
      options?.signal,
      "refreshToken",
      false,
    );
    let ack: Body;
    try {
      const token = options?.token ??
        await resolveToken(this.config.token, "refresh");
      const issuedAt = Date.now();
      if (options?.signal?.aborted) {
        throw aborted("refreshToken", options.signal);
      }
      session.send(T.TokenRefresh, { newToken: token });
      ack = await session.refreshes.wait(options?.signal, "refreshToken");
      if (ack.success) {
        this.#refreshes++;
        const secs = Number(ack.expiresInSecs);
        const jwt = jwtExpiry(token);
        const at = secs > 0 ? issuedAt + secs * 1000 : jwt;
        if (at !== undefined) {
          this.#scheduleRefresh(issuedAt, Math.min(at, jwt ?? at));
        }
        return ack;
      }
    } catch (error) {
      if ((error as FrameError).code === "aborted") throw error;
      throw this.#refreshFailed((error as Error).message, undefined, error);
    }
    throw this.#refreshFailed(ack.error ?? "refused", ack);
  }

  /** A failed refresh: an `error` event and a `status` event, no retry loop. */
  #refreshFailed(text: string, reply: unknown, cause?: unknown): SyncError {
    this.#refreshFailures++;
    const error = new SyncError(
      "token_refresh_failed",
      `token refresh failed: ${text}`,
      { serverError: reply === undefined ? undefined : text, reply, cause },
    );
    this.#events.emit("error", () => error);
    const status = this.#status;
    this.#events.emit("status", () => ({
      status,
      previous: status,
      reason: `token_refresh_failed: ${text}`,
      error,
      queued: undefined,
    }));
    return error;
  }

  metrics(): SyncClientMetrics {
    const p = this.pusher;
    return {
      status: this.#status,
      pending: p.outbox.pending,
      pendingBytes: p.outbox.pendingBytes,
      inFlight: p.outbox.inFlight,
      pushed: p.counts.pushed,
      resent: p.counts.resent,
      acked: p.counts.acked,
      rejected: p.counts.rejected,
      slowedDown: p.counts.slowedDown,
      reconnects: Math.max(0, this.#handshakes - 1),
      rttMs: this.#rtt,
      lastRttMs: this.#lastRtt,
      dropped: { ...this.#dropped },
      framesIn: this.#framesIn,
      framesOut: this.#framesOut,
      epoch: this.#epoch,
      producerId: this.#producerId,
      sessionId: this.#sessionId,
      tokenRefreshes: this.#refreshes,
      tokenRefreshFailures: this.#refreshFailures,
      fenced: p.fenced,
    };
  }

  /** See `SyncClient.close`. */
  close(drain: number): Promise<CloseReport> {
    this.#closing ??= (async () => {
      if (drain > 0 && this.#ready !== undefined) {
        await this.pusher.drain(drain);
      }
      clearTimeout(this.#refreshTimer);
      this.#stopLoop?.abort();
      const closed = new SyncError("client_closed", "the client was closed");
      this.#session?.kill(closed, 1000);
      const queued = this.pusher.close((q) =>
        new SyncError(
          "client_closed",
          `the client was closed with ${q.length} deltas queued`,
          { queued: q },
        )
      );
      const waiters = this.#waiters;
      this.#waiters = [];
      for (const waiter of waiters) waiter.reject(closed);
      await this.#loop;
      await Promise.all(this.#wires);
      this.#setStatus("closed", "closed by the application", undefined, queued);
      this.#status = "closed";
      return { queued };
    })();
    return this.#closing;
  }
}
