/**
 * `@sync/frame/client`: {@linkcode SyncClient}, the Lite side of NodeDB's
 * sync protocol for browsers, Deno and Node — handshake, keepalive with RTT,
 * pushed deltas with acknowledgment and an outbox re-sent after reconnects,
 * full-jitter backoff, strictly increasing epochs, token refresh and the
 * request/response helpers — for revisions 2026-04 and 2026-07.
 *
 * @example Push a delta to a local Origin
 * ```ts
 * import { SyncClient } from "@sync/frame/client";
 * import { serveOrigin } from "@sync/frame/origin";
 * import assert from "node:assert/strict";
 *
 * await using origin = await serveOrigin();
 * await using client = new SyncClient({ url: origin.url, liteId: "lite-1" });
 * const statuses: string[] = [];
 * client.addEventListener("status", (e) => statuses.push(e.detail.status));
 * await client.connect();
 * assert.deepEqual(statuses, ["connecting", "handshaking", "ready"]);
 * const outcome = await client.pushDelta({
 *   collection: "notes",
 *   documentId: "n1",
 *   delta: new Uint8Array([1, 2, 3]),
 *   mutationId: 1n,
 * });
 * assert.equal(outcome.status, "applied");
 * assert.equal(client.metrics().pending, 0);
 * ```
 *
 * @module
 */

export { SyncClient } from "../client/sync_client.ts";
export type {
  ShapeOf,
  ShapeSnapshotOf,
  TokenRefreshAckOf,
  VectorClockOf,
} from "../client/sync_client.ts";
export { SyncError } from "../client/errors.ts";
export { TypedEventTarget } from "../client/events.ts";
export type {
  QueuedDelta,
  SyncErrorDetails,
  SyncErrorReason,
} from "../client/errors.ts";
export { MemoryEpochStore, MemoryOutboxStore } from "../client/stores.ts";
export type * from "../client/types.ts";
export { FrameError } from "../codec/error.ts";
export type { FrameErrorCode } from "../codec/error.ts";
export type { RevisionName } from "../generated/revisions.ts";
