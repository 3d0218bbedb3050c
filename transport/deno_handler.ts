// Frame sockets over Deno's own WebSocket server (`Deno.upgradeWebSocket`,
// for `Deno.serve`). Deno reassembles a fragmented message without bound
// before the library sees it; serveFrameSockets (on ws) does not.

import { FrameError } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import { FrameSocket, type ServerFrameSocket } from "./frame_socket.ts";
import {
  CloseCode,
  configOf,
  type FrameSocketOptions,
} from "./_socket_config.ts";

/** Options of {@linkcode upgradeFrameSocket}. */
export interface UpgradeOptions<R extends RevisionName = "2026-04">
  extends FrameSocketOptions<R> {
  /** The subprotocol to accept, as for `Deno.upgradeWebSocket`. */
  protocol?: string;
  /** Seconds without a pong before Deno closes the socket (Deno's default 120; 0 disables). */
  idleTimeout?: number;
}

/** Options of {@linkcode frameSocketHandler}. */
export interface FrameSocketHandlerOptions<R extends RevisionName = "2026-04">
  extends UpgradeOptions<R> {
  /**
   * Called with whatever your socket callback throws or rejects with (the
   * socket is then closed with 1011). The library never logs.
   */
  onError?(error: unknown): void;
}

/**
 * Accepts a WebSocket upgrade request as a server endpoint
 * (`Deno.upgradeWebSocket` underneath). Return `response` from your
 * `Deno.serve` handler; frames sent before that wait until the socket opens.
 *
 * **Deno does not bound fragmented messages**: its WebSocket reassembles a
 * whole message, however many fragments and bytes, before the library sees
 * its frame header, so a peer that declares a huge body and keeps sending
 * continuation fragments makes the process buffer them all (`maxBodySize` is
 * checked only at the end). Nor can the socket's TCP connection be destroyed
 * when a peer ignores our close frame (`closed` still settles within
 * `closeTimeout`). For a server that faces untrusted peers, use
 * {@linkcode serveFrameSockets}, which bounds every message as it arrives.
 *
 * @param request The upgrade request.
 * @param options Limits and policies, `protocol` and `idleTimeout`.
 * @returns The server endpoint and the response to return.
 * @throws {FrameError} `"bad_value"` if `request` is not a WebSocket upgrade
 * or an option is invalid.
 *
 * @example
 * ```ts
 * import { upgradeFrameSocket } from "@sync/frame/websocket";
 *
 * export function handle(request: Request): Response {
 *   if (request.headers.get("upgrade") !== "websocket") return new Response("sync only", { status: 426 });
 *   const { socket, response } = upgradeFrameSocket(request);
 *   (async () => {
 *     for await (const frame of socket) console.log(frame.msgType);
 *   })();
 *   return response;
 * }
 * ```
 */
export function upgradeFrameSocket<R extends RevisionName = "2026-04">(
  request: Request,
  options?: UpgradeOptions<R>,
): { socket: ServerFrameSocket<R>; response: Response } {
  // Validate the options before upgrading.
  configOf(options);
  if (!(request instanceof Request)) {
    throw new FrameError("bad_value", "expected a Request");
  }
  let upgraded: { socket: WebSocket; response: Response };
  try {
    upgraded = Deno.upgradeWebSocket(request, {
      protocol: options?.protocol,
      idleTimeout: options?.idleTimeout,
    });
  } catch (error) {
    throw new FrameError(
      "bad_value",
      `cannot upgrade the request to a WebSocket: ${(error as Error).message}`,
      { cause: error },
    );
  }
  return {
    socket: FrameSocket.server(upgraded.socket, options),
    response: upgraded.response,
  };
}

/**
 * Makes a `Deno.serve` handler that accepts every WebSocket upgrade as a
 * server endpoint and runs `onSocket` with it. Other requests get
 * `426 Upgrade Required`. If `onSocket` throws or rejects, the socket is
 * closed with 1011 and the error goes to `options.onError`; when it returns,
 * the socket stays as it is (close it when you are done).
 *
 * **Deno does not bound fragmented messages** (see
 * {@linkcode upgradeFrameSocket}): a peer can make the process buffer a
 * message of any size before `maxBodySize` is checked. Facing untrusted
 * peers, use {@linkcode serveFrameSockets} instead.
 *
 * @param onSocket Runs one session.
 * @param options Limits and policies of every socket, and `onError`.
 * @returns The request handler.
 * @throws {FrameError} `"bad_value"` for an invalid option.
 *
 * @example A ping echo server, and a client
 * ```ts
 * import { connectFrameSocket, frameSocketHandler } from "@sync/frame/websocket";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const server = Deno.serve(
 *   { hostname: "127.0.0.1", port: 0, onListen() {} },
 *   frameSocketHandler(async (socket) => {
 *     for await (const message of socket.messages()) {
 *       if (message.type === SyncMessageType.PingPong) {
 *         await socket.sendMessage(SyncMessageType.PingPong, message.body);
 *       }
 *     }
 *   }),
 * );
 * const client = await connectFrameSocket(`ws://127.0.0.1:${server.addr.port}`);
 * await client.send(SyncFrame.newMsgpack(SyncMessageType.PingPong, [7, false])!);
 * assert.deepEqual((await client.receive())?.decodeBody(), [7, false]);
 * await client.close();
 * await server.shutdown();
 * ```
 */
export function frameSocketHandler<R extends RevisionName = "2026-04">(
  onSocket: (
    socket: ServerFrameSocket<R>,
    request: Request,
  ) => void | Promise<void>,
  options?: FrameSocketHandlerOptions<R>,
): (request: Request) => Response {
  configOf(options);
  if (typeof onSocket !== "function") {
    throw new FrameError("bad_value", "onSocket must be a function");
  }
  return (request) => {
    if (request.headers.get("upgrade")?.toLowerCase() !== "websocket") {
      return new Response("expected a WebSocket upgrade\n", {
        status: 426,
        headers: { upgrade: "websocket" },
      });
    }
    let upgraded: { socket: ServerFrameSocket<R>; response: Response };
    try {
      upgraded = upgradeFrameSocket(request, options);
    } catch (error) {
      return new Response(`${(error as Error).message}\n`, { status: 400 });
    }
    const { socket } = upgraded;
    Promise.resolve()
      .then(() => onSocket(socket, request))
      .catch((error) => {
        socket.close(CloseCode.InternalError, "internal error").catch(
          () => {},
        );
        options?.onError?.(error);
      });
    return upgraded.response;
  };
}
