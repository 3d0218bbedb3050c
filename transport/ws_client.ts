// connectFrameSocket: a client connection on `ws` (Deno, Node) or the
// platform WebSocket (browsers), settled as open, failed, timed out or
// aborted.

import { FrameError } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import { type ClientFrameSocket, frameSocketOf } from "./frame_socket.ts";
import { type Link, platformLink } from "./_link.ts";
import {
  abortError,
  configOf,
  DEFAULT_CONNECT_TIMEOUT,
  type FrameSocketOptions,
  optionsObject,
  signalOption,
  timeoutOption,
} from "./_socket_config.ts";
import { loadWs, runsWs, wsLink } from "./_ws_link.ts";

/** Options of {@linkcode connectFrameSocket}. */
export interface ConnectOptions<R extends RevisionName = "2026-04">
  extends FrameSocketOptions<R> {
  /** WebSocket subprotocols to offer. */
  protocols?: string | string[];
  /**
   * Aborts the connection attempt: it rejects with `"aborted"` (no effect
   * once the socket is open).
   */
  signal?: AbortSignal;
  /**
   * Milliseconds the whole attempt (TCP, TLS, upgrade) may take before it
   * fails with `"closed"`. Default 30 000.
   */
  connectTimeout?: number;
}

function protocolsOption(value: unknown): string[] {
  if (value === undefined) return [];
  const list = typeof value === "string" ? [value] : value;
  if (!Array.isArray(list) || !list.every((p) => typeof p === "string")) {
    throw new FrameError(
      "bad_value",
      "protocols must be a string or an array of strings",
    );
  }
  return list;
}

function urlOption(url: unknown): URL {
  if (typeof url !== "string" && !(url instanceof URL)) {
    throw new FrameError(
      "bad_value",
      `a URL must be a string or a URL, got ${
        url === null ? "null" : typeof url
      }`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch (error) {
    throw new FrameError("bad_value", `invalid URL ${String(url)}`, {
      cause: error,
    });
  }
  if (parsed.protocol !== "ws:" && parsed.protocol !== "wss:") {
    throw new FrameError(
      "bad_value",
      `a WebSocket URL starts with ws: or wss:, got ${parsed.protocol}`,
    );
  }
  return parsed;
}

/**
 * Opens a client connection and waits until it is open.
 *
 * On Deno and Node (20 and later) the connection runs on the `ws` package,
 * which refuses a message over the revision's header size + `maxBodySize`
 * while its fragments arrive (1009; the socket then fails with
 * `"too_large"`), so a hostile server cannot make the client buffer more. In
 * browsers it is the platform `WebSocket`, which reassembles a whole message
 * before the library sees any of it: there the limit applies only once the
 * message is complete, and the browser's own limits bound the rest.
 *
 * @param url The server's `ws:` or `wss:` URL, e.g. `ws://127.0.0.1:9090`.
 * @param options Limits and policies, `protocols`, `connectTimeout`,
 * `closeTimeout`, and a `signal` to abort.
 * @returns The open client endpoint, typed for the `revision`.
 * @throws {FrameError} (as a rejection) `"closed"` when the connection
 * cannot be opened (refused, not upgraded, timed out; the message says
 * which); `"aborted"` when `signal` aborts first; `"bad_value"` for an
 * invalid URL or option.
 *
 * @example Connect with a deadline
 * ```ts
 * import { connectFrameSocket, serveFrameSockets } from "@sync/frame/websocket";
 * import { SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * await using server = await serveFrameSockets({}, async (socket) => {
 *   for await (const message of socket.messages()) {
 *     if (message.type === SyncMessageType.PingPong) {
 *       await socket.sendMessage(SyncMessageType.PingPong, { ...message.body, isPong: true });
 *     }
 *   }
 * });
 * await using client = await connectFrameSocket(server.url, {
 *   signal: AbortSignal.timeout(5000),
 * });
 * await client.sendMessage(SyncMessageType.PingPong, { timestampMs: 1n, isPong: false });
 * const pong = await client.receiveMessage();
 * assert.deepEqual(pong?.body, { timestampMs: 1n, isPong: true });
 * ```
 */
export function connectFrameSocket<R extends RevisionName = "2026-04">(
  url: string | URL,
  options?: ConnectOptions<R>,
): Promise<ClientFrameSocket<R>> {
  let target: URL;
  let signal: AbortSignal | undefined;
  let protocols: string[];
  let timeout: number;
  let config: ReturnType<typeof configOf>;
  try {
    const given = optionsObject("options", options);
    config = configOf(given);
    target = urlOption(url);
    signal = signalOption(given?.signal);
    protocols = protocolsOption(given?.protocols);
    timeout = timeoutOption(
      "connectTimeout",
      given?.connectTimeout,
      DEFAULT_CONNECT_TIMEOUT,
    );
  } catch (error) {
    return Promise.reject(error);
  }
  const href = target.href;
  if (signal?.aborted) {
    return Promise.reject(abortError(`connecting to ${href}`, signal));
  }
  return new Promise((resolve, reject) => {
    let settled = false;
    let link: Link | undefined;
    const finish = (error?: FrameError) => {
      if (settled) return false;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener("abort", onAbort);
      if (error !== undefined) {
        reject(error);
        link?.terminate();
        try {
          link?.close(1000, "");
        } catch {
          // Already closing.
        }
      }
      return true;
    };
    const onAbort = () => finish(abortError(`connecting to ${href}`, signal!));
    const timer = setTimeout(
      () =>
        finish(
          new FrameError(
            "closed",
            `cannot connect to ${href}: timed out after ${timeout} ms`,
          ),
        ),
      timeout,
    );
    signal?.addEventListener("abort", onAbort, { once: true });
    const open = (made: Link) => {
      if (settled) {
        made.terminate();
        return;
      }
      link = made;
      const socket = frameSocketOf<ClientFrameSocket<R>>(
        made,
        "client",
        config,
      );
      made.opened().then(() => finish() && resolve(socket), finish);
    };
    const refused = (error: unknown) =>
      finish(
        new FrameError(
          "bad_value",
          `cannot connect to ${href}: ${(error as Error).message}`,
          { cause: error },
        ),
      );
    if (!runsWs()) {
      try {
        open(platformLink(new WebSocket(href, protocols)));
      } catch (error) {
        refused(error);
      }
      return;
    }
    loadWs(`cannot connect to ${href}`).then((ws) => {
      if (settled) return;
      let webSocket: InstanceType<typeof ws.WebSocket>;
      try {
        webSocket = new ws.WebSocket(href, protocols, {
          maxPayload: config.maxMessageSize,
          perMessageDeflate: false,
          // One message per event-loop turn, as a platform WebSocket
          // dispatches them: a consumer awaiting each frame keeps up instead
          // of meeting a whole TCP read of messages at once (and the receive
          // queue limit).
          allowSynchronousEvents: false,
          ...{ closeTimeout: config.closeTimeout },
        });
      } catch (error) {
        refused(error);
        return;
      }
      open(
        wsLink(webSocket, { maxMessageSize: config.maxMessageSize, url: href }),
      );
    }, finish);
  });
}
