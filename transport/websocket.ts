/**
 * Sync frames over WebSocket, the protocol's transport: one frame per binary
 * message.
 *
 * - Server: {@linkcode serveFrameSockets} (its own HTTP server) or
 *   {@linkcode frameSocketUpgrader} (the `upgrade` event of an existing
 *   `node:http` server), both on the `ws` package, the same code on Deno and
 *   Node ≥ 20. {@linkcode frameSocketHandler} / {@linkcode upgradeFrameSocket}
 *   plug into `Deno.serve`, but Deno does not bound fragmented messages
 *   there.
 * - Client: {@linkcode connectFrameSocket}: on `ws` on Deno and Node, the
 *   platform `WebSocket` in browsers; or {@linkcode FrameSocket.client} over a
 *   `WebSocket` you made.
 *
 * Each gives a {@linkcode FrameSocket}: inbound frames as an async iterator,
 * `send(frame)` with backpressure, typed `sendMessage`/`receiveMessage`/
 * `messages()`, an `AbortSignal` on everything that waits, and a typed
 * direction: a client may only send client message types, a server only
 * server ones (checked at compile time, and at run time for what arrives).
 * The `revision` option (`"2026-04"` default, or `"2026-07"`) picks the wire
 * format and the static types: `connectFrameSocket(url, { revision:
 * "2026-07" })` gives 2026-07 frames and messages.
 *
 * Rules (a peer that breaks one gets the connection closed with the code
 * shown, and the iterator throws the {@linkcode FrameError}):
 *
 * | inbound message | error code | close code |
 * |---|---|---|
 * | text message | `bad_message` | 1003 |
 * | binary message with bytes after its frame (two frames) | `bad_message` | 1002 |
 * | binary message shorter than its frame / than a header | `truncated` / `too_short` | 1002 |
 * | frame body over `maxBodySize` (default 16 MiB) | `too_large` | 1009 |
 * | message over header + `maxBodySize`, while it arrives (`ws` only) | `too_large` | 1009 |
 * | CRC-32C mismatch (2026-07; policy `badChecksum`) | `bad_checksum` | 1002, or skipped |
 * | unknown type byte (policy `unknownType`, default `"close"`) | `unknown_type` | 1002, or skipped |
 * | a type the peer's side may not send (policy `wrongDirection`) | `wrong_direction` | 1002, or skipped |
 * | more than `maxQueuedFrames` (1024) / `maxQueuedBytes` (16 MiB) unread | `backpressure` | 1008 |
 *
 * Limits while a message arrives: on `ws` (every server of
 * {@linkcode serveFrameSockets} and {@linkcode frameSocketUpgrader}, and the
 * client on Deno and Node) `maxPayload` is the revision's header size +
 * `maxBodySize`, so a peer that declares a 4 GiB body and sends continuation
 * fragments is refused with 1009 once that many bytes arrived: a connection
 * never buffers more than one message of that size. Deno's own `WebSocket`
 * (`Deno.serve` handlers, `FrameSocket.client` over Deno's `WebSocket`) and
 * browsers reassemble a message before the library sees it, without that
 * bound.
 *
 * Sending: `send` resolves at once while the socket's `bufferedAmount` is at
 * most `sendHighWaterMark` (1 MiB); above it, frames wait (in order) until
 * the buffer drains. When what is buffered plus what waits would pass
 * `sendHardCap` (16 MiB), the connection is failed with 1008 and `send`
 * rejects with `"backpressure"`, instead of buffering without bound.
 *
 * Closing: after we send a close frame (`close()`, or a violation), the peer
 * has `closeTimeout` (10 s) to answer; then the TCP connection is destroyed
 * (on `ws`) and `closed` resolves with the code we sent, so `close()` and
 * `await using` never hang. A connection that drops without a close frame
 * reports 1006.
 *
 * Cancelling: `receive`, `receiveMessage`, `frames()`, `messages()`, `send`,
 * `sendMessage` and `connectFrameSocket` take a `signal`. An aborted call
 * rejects with `"aborted"` and changes nothing: a cancelled receive takes no
 * frame (the next receive gets it), a cancelled send that was still waiting
 * sends nothing.
 *
 * A browser's `WebSocket` lets a client close only with 1000 or 3000–4999,
 * so there the client side closes with 4000 + (code − 1000), e.g. 4002 for
 * 1002.
 *
 * Permissions on Deno: `--allow-net` is enough. (When it loads, `ws` reads
 * the environment variable `WS_NO_BUFFER_UTIL` unless `node:http` offers the
 * masking functions it looks for first; the library puts ws's own
 * JavaScript ones there, so it needs no `--allow-env`.)
 *
 * @example A server and a client on loopback, typed messages
 * ```ts
 * import { connectFrameSocket, serveFrameSockets } from "@sync/frame/websocket";
 * import { SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * // Origin-like server: answers each ping with a pong carrying the same timestamp.
 * await using server = await serveFrameSockets({ port: 0 }, async (socket) => {
 *   for await (const message of socket.messages()) {
 *     if (message.type === SyncMessageType.PingPong && !message.body.isPong) {
 *       await socket.sendMessage(SyncMessageType.PingPong, { ...message.body, isPong: true });
 *     }
 *   }
 * });
 *
 * await using client = await connectFrameSocket(server.url);
 * await client.sendMessage(SyncMessageType.PingPong, { timestampMs: 12345n, isPong: false });
 * const pong = await client.receiveMessage({ signal: AbortSignal.timeout(5000) });
 * assert.deepEqual(pong, {
 *   type: SyncMessageType.PingPong,
 *   body: { timestampMs: 12345n, isPong: true },
 * });
 * ```
 *
 * @example The 2026-07 revision
 * ```ts
 * import { connectFrameSocket, serveFrameSockets } from "@sync/frame/websocket";
 * import { SyncMessageType } from "@sync/frame/2026-07";
 * import assert from "node:assert/strict";
 *
 * await using server = await serveFrameSockets({ revision: "2026-07" }, async (socket) => {
 *   const hello = await socket.receiveMessage();
 *   if (hello?.type === SyncMessageType.KvPush) await socket.close(4000, "no kv here");
 * });
 * await using client = await connectFrameSocket(server.url, { revision: "2026-07" });
 * assert.equal(client.revision, "2026-07");
 * await client.sendMessage(SyncMessageType.PingPong, { timestampMs: 1n, isPong: false });
 * ```
 *
 * @module
 */

export { FrameError } from "../codec/error.ts";
export type { FrameErrorCode } from "../codec/error.ts";
export type { RevisionName } from "../generated/revisions.ts";
export type { WebSocketLike } from "./_link.ts";
export {
  CloseCode,
  DEFAULT_CLOSE_TIMEOUT,
  DEFAULT_CONNECT_TIMEOUT,
  DEFAULT_MAX_QUEUED_BYTES,
  DEFAULT_MAX_QUEUED_FRAMES,
  DEFAULT_SEND_HARD_CAP,
  DEFAULT_SEND_HIGH_WATER_MARK,
} from "./_socket_config.ts";
export type {
  FrameSocketCloseInfo,
  FrameSocketOptions,
  ReceiveMessageOptions,
  ReceiveOptions,
  SendOptions,
} from "./_socket_config.ts";
export type {
  BodyOf,
  ClientMessageTypeOf,
  FrameOf,
  MessageOf,
  MessageTypeOf,
  RevisionMessageTypes,
  ServerMessageTypeOf,
} from "./_socket_types.ts";
export { FrameSocket } from "./frame_socket.ts";
export type { ClientFrameSocket, ServerFrameSocket } from "./frame_socket.ts";
export { connectFrameSocket } from "./ws_client.ts";
export type { ConnectOptions } from "./ws_client.ts";
export { frameSocketUpgrader, serveFrameSockets } from "./ws_server.ts";
export type {
  FrameSocketServer,
  FrameSocketSession,
  FrameSocketUpgrader,
  ServeOptions,
  UpgraderOptions,
} from "./ws_server.ts";
export { frameSocketHandler, upgradeFrameSocket } from "./deno_handler.ts";
export type {
  FrameSocketHandlerOptions,
  UpgradeOptions,
} from "./deno_handler.ts";
