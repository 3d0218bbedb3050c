/**
 * The session-level error of {@linkcode SyncClient}: a {@linkcode FrameError}
 * subclass with a stable {@linkcode SyncError.reason}.
 *
 * @module
 */

import { FrameError, type FrameErrorCode } from "../codec/error.ts";

/**
 * Why a sync session failed, as a stable string for programs:
 *
 * - `"handshake_rejected"`: the Origin answered the Handshake with
 *   `success: false` (bad token, incompatible wire version, …);
 *   {@linkcode SyncError.serverError} holds its `error` text. Not retried,
 *   except `SYNC_UNAVAILABLE: …` (2026-07), which is retried with backoff.
 * - `"fork_detected"`: the HandshakeAck had `fork_detected: true` (checked
 *   whatever `success` says): another client holds this `liteId` at a newer
 *   epoch. Never retried: make a new `liteId`.
 * - `"handshake_timeout"`: no HandshakeAck within `handshakeTimeout`, or the
 *   first message was not one (retried with backoff).
 * - `"pong_timeout"`: no PingPong reply within `pongTimeout`: a dead peer;
 *   the client reconnects.
 * - `"token_refresh_failed"`: a TokenRefreshAck with `success: false`, or no
 *   reply in time, or the token provider threw.
 * - `"fenced"`: 2026-07 DeltaAck status `Fenced`: pushing halts until the
 *   client reconnects (it does so at once, with a new epoch).
 * - `"connection_lost"`: the connection closed or failed; the client
 *   reconnects.
 * - `"client_closed"`: {@linkcode SyncClient.close} was called; what was still
 *   queued is in {@linkcode SyncError.queued}.
 */
export type SyncErrorReason =
  | "handshake_rejected"
  | "fork_detected"
  | "handshake_timeout"
  | "pong_timeout"
  | "token_refresh_failed"
  | "fenced"
  | "connection_lost"
  | "client_closed";

/** A delta still queued when the client closed. */
export interface QueuedDelta {
  /** The outbox id (rising in push order). */
  readonly id: number;
  /** The delta's `mutation_id`. */
  readonly mutationId: bigint;
  /** Its collection. */
  readonly collection: string;
  /** Its document id. */
  readonly documentId: string;
  /** The 2026-07 sequence number it was given, if it was sent. */
  readonly seq: bigint | undefined;
  /** Whether it was ever sent (its outcome may then be unknown). */
  readonly sent: boolean;
}

/** Details of a {@linkcode SyncError}. */
export interface SyncErrorDetails {
  /** The `FrameError` code (default `"closed"`). */
  code?: FrameErrorCode;
  /** The server's `error` text (HandshakeAck, TokenRefreshAck). */
  serverError?: string;
  /** The reply that failed (a typed HandshakeAck or TokenRefreshAck body). */
  reply?: unknown;
  /** What was still queued (`"client_closed"`). */
  queued?: readonly QueuedDelta[];
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A failed sync session step: handshake, fork, keepalive, token refresh,
 * fencing or closing. Its {@linkcode FrameError.code} is `"closed"` (the
 * session cannot go on as it was) unless noted; {@linkcode SyncError.reason}
 * says why.
 *
 * @example Telling a fork apart
 * ```ts
 * import { SyncError } from "@sync/frame/client";
 * import assert from "node:assert/strict";
 *
 * const error = new SyncError("fork_detected", "FORK_DETECTED: regenerate LiteId and reconnect");
 * assert.ok(error instanceof Error);
 * assert.equal(error.name, "SyncError");
 * assert.equal(error.reason, "fork_detected");
 * assert.equal(error.code, "closed");
 * ```
 */
export class SyncError extends FrameError {
  /** Why the step failed. */
  readonly reason: SyncErrorReason;
  /** The server's own error text, when it sent one. */
  readonly serverError: string | undefined;
  /** The server's reply that failed, when there was one. */
  readonly reply: unknown;
  /** The deltas still queued (`"client_closed"`), else empty. */
  readonly queued: readonly QueuedDelta[];

  /**
   * Creates a session error.
   *
   * @param reason The stable reason.
   * @param message A human-readable description.
   * @param details The server's text and reply, what was queued, the cause.
   */
  constructor(
    reason: SyncErrorReason,
    message: string,
    details: SyncErrorDetails = {},
  ) {
    super(details.code ?? "closed", message, { cause: details.cause });
    this.name = "SyncError";
    this.reason = reason;
    this.serverError = details.serverError;
    this.reply = details.reply;
    this.queued = details.queued ?? [];
  }
}
