/**
 * `@sync/frame/origin`: {@linkcode serveOrigin}, a local Origin for
 * development and tests that behaves as §9 of each revision's reference
 * says NodeDB's Origin does, with fault injection (dropped connections,
 * late or duplicated acks, rejects with a given hint, refused handshakes,
 * unanswered pings).
 *
 * @example A session against it
 * ```ts
 * import { serveOrigin } from "@sync/frame/origin";
 * import { SyncClient } from "@sync/frame/client";
 * import assert from "node:assert/strict";
 *
 * await using origin = await serveOrigin({ revision: "2026-07" });
 * const applied: string[] = [];
 * origin.addEventListener("delta", (e) => applied.push(e.detail.documentId));
 * await using client = new SyncClient({ url: origin.url, revision: "2026-07" });
 * await client.connect();
 * const outcome = await client.pushDelta({ collection: "notes", documentId: "n1", delta: new Uint8Array([1]) });
 * assert.equal(outcome.status, "applied");
 * assert.deepEqual(applied, ["n1"]);
 * assert.equal(origin.applied.length, 1);
 * ```
 *
 * @module
 */

export { OriginServer, serveOrigin } from "../origin/serve_origin.ts";
export type * from "../origin/types.ts";
export { FrameError } from "../codec/error.ts";
export type { FrameErrorCode } from "../codec/error.ts";
export type { RevisionName } from "../generated/revisions.ts";
