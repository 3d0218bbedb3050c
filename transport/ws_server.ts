// The WebSocket server on `ws`, the same code on Deno (through node:http)
// and Node: serveFrameSockets runs its own HTTP server; frameSocketUpgrader
// plugs into an existing one (the `upgrade` event), for web frameworks.

import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { FrameError } from "../codec/error.ts";
import type { RevisionName } from "../generated/revisions.ts";
import { frameSocketOf, type ServerFrameSocket } from "./frame_socket.ts";
import {
  CloseCode,
  configOf,
  type FrameSocketOptions,
  optionsObject,
} from "./_socket_config.ts";
import { loadWs, wsLink, type WsModule } from "./_ws_link.ts";

/** Runs one session; see {@linkcode serveFrameSockets}. */
export type FrameSocketSession<R extends RevisionName = "2026-04"> = (
  socket: ServerFrameSocket<R>,
  request: IncomingMessage,
) => void | Promise<void>;

/** Options of {@linkcode frameSocketUpgrader}, and of {@linkcode serveFrameSockets}. */
export interface UpgraderOptions<R extends RevisionName = "2026-04">
  extends FrameSocketOptions<R> {
  /**
   * The only path (e.g. `"/sync"`, query ignored) upgraded; default any.
   */
  path?: string;
  /** A subprotocol to accept when the client offers it. */
  protocol?: string;
  /**
   * Called with whatever a session throws or rejects with (the socket is
   * then closed with 1011). The library never logs.
   */
  onError?(error: unknown): void;
}

/** Options of {@linkcode serveFrameSockets}. */
export interface ServeOptions<R extends RevisionName = "2026-04">
  extends UpgraderOptions<R> {
  /** The address to listen on. Default `"127.0.0.1"` (loopback only). */
  hostname?: string;
  /** The port; 0 (default) takes any free one (read it from `port`). */
  port?: number;
}

/** WebSocket upgrades of an existing `node:http` server, as frame sockets. */
export interface FrameSocketUpgrader<R extends RevisionName = "2026-04">
  extends AsyncDisposable {
  /** The open sessions. */
  readonly sockets: ReadonlySet<ServerFrameSocket<R>>;
  /**
   * Takes one `upgrade` event of a `node:http` server.
   *
   * @returns `false`, leaving the socket alone, when the path is not
   * `options.path`; `true` when it took the socket (an invalid upgrade is
   * answered with 400 as `ws` does, and after `close()` with 503).
   */
  handleUpgrade(
    request: IncomingMessage,
    socket: Duplex,
    head: Uint8Array,
  ): boolean;
  /**
   * Listens to `server`'s `upgrade` events. An upgrade of another path is
   * answered with 404 when nothing else listens to them.
   *
   * @returns A function that stops listening.
   */
  attach(server: Server): () => void;
  /**
   * Refuses further upgrades, closes every session (1001 unless `code` says
   * otherwise) and waits for them to end (each within `closeTimeout`).
   */
  close(code?: number, reason?: string): Promise<void>;
}

/** A running {@linkcode serveFrameSockets} server. */
export interface FrameSocketServer<R extends RevisionName = "2026-04">
  extends AsyncDisposable {
  /** The address listened on. */
  readonly hostname: string;
  /** The port listened on. */
  readonly port: number;
  /** The `ws://` URL of the server (its `path`, if one is set). */
  readonly url: string;
  /** The open sessions. */
  readonly sockets: ReadonlySet<ServerFrameSocket<R>>;
  /**
   * Stops listening, closes every session with 1001 and waits for them to
   * end (each within `closeTimeout`).
   */
  close(): Promise<void>;
}

function refuse(socket: Duplex, status: number, text: string): void {
  socket.on("error", () => {});
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${
      text.length + 1
    }\r\n\r\n${text}\n`,
    () => socket.destroy(),
  );
}

function pathOf(url: string | undefined): string {
  const text = url ?? "/";
  const query = text.indexOf("?");
  return query < 0 ? text : text.slice(0, query);
}

function makeUpgrader<R extends RevisionName>(
  ws: WsModule,
  options: UpgraderOptions<R> | undefined,
  session: FrameSocketSession<R>,
): FrameSocketUpgrader<R> {
  const config = configOf(options);
  const { path, protocol, onError } = options ?? {};
  if (path !== undefined && (typeof path !== "string" || path[0] !== "/")) {
    throw new FrameError("bad_value", `path must start with "/", got ${path}`);
  }
  if (protocol !== undefined && typeof protocol !== "string") {
    throw new FrameError("bad_value", "protocol must be a string");
  }
  if (typeof session !== "function") {
    throw new FrameError("bad_value", "the session handler must be a function");
  }
  const server = new ws.WebSocketServer({
    noServer: true,
    clientTracking: false,
    perMessageDeflate: false,
    // One message per event-loop turn, as a platform WebSocket dispatches
    // them: a consumer awaiting each frame keeps up instead of meeting a
    // whole TCP read of messages at once (and the receive queue limit).
    allowSynchronousEvents: false,
    maxPayload: config.maxMessageSize,
    handleProtocols: (offered: Set<string>) =>
      protocol !== undefined && offered.has(protocol) ? protocol : false,
    ...{ closeTimeout: config.closeTimeout },
  });
  const sockets = new Set<ServerFrameSocket<R>>();
  let closing = false;
  const start = (
    webSocket: InstanceType<WsModule["WebSocket"]>,
    request: IncomingMessage,
  ) => {
    const socket = frameSocketOf<ServerFrameSocket<R>>(
      wsLink(webSocket, { maxMessageSize: config.maxMessageSize }),
      "server",
      config,
    );
    sockets.add(socket);
    socket.closed.then(() => sockets.delete(socket));
    Promise.resolve()
      .then(() => session(socket, request))
      .catch((error) => {
        socket.close(CloseCode.InternalError, "internal error").catch(
          () => {},
        );
        onError?.(error);
      });
  };
  const upgrader: FrameSocketUpgrader<R> = {
    sockets,
    handleUpgrade(request, socket, head) {
      if (path !== undefined && pathOf(request.url) !== path) return false;
      if (closing) {
        refuse(socket, 503, "Service Unavailable");
        return true;
      }
      server.handleUpgrade(
        request,
        socket,
        head as Parameters<typeof server.handleUpgrade>[2],
        (webSocket) => start(webSocket, request),
      );
      return true;
    },
    attach(http) {
      const listener = (
        request: IncomingMessage,
        socket: Duplex,
        head: Uint8Array,
      ) => {
        if (
          !upgrader.handleUpgrade(request, socket, head) &&
          http.listenerCount("upgrade") === 1
        ) {
          refuse(socket, 404, "Not Found");
        }
      };
      http.on("upgrade", listener);
      return () => void http.off("upgrade", listener);
    },
    async close(code = CloseCode.GoingAway, reason = "server closing") {
      closing = true;
      await Promise.all(
        [...sockets].map((socket) =>
          socket.close(code, reason).catch(() => socket.closed)
        ),
      );
      server.close();
    },
    [Symbol.asyncDispose]() {
      return upgrader.close();
    },
  };
  return upgrader;
}

/**
 * Makes an upgrader for an existing `node:http` (or `node:https`) server:
 * the frame sockets of {@linkcode serveFrameSockets}, for a server you run,
 * e.g. under a web framework. Pass it each `upgrade` event
 * (`handleUpgrade`), or let it listen (`attach`).
 *
 * @param options Limits and policies, `path`, `protocol`, `onError`.
 * @param session Runs one session, as for {@linkcode serveFrameSockets}.
 * @returns The upgrader (once `ws` is loaded).
 * @throws {FrameError} (as a rejection) `"bad_value"` for an invalid option.
 *
 * @example Sync at /sync beside the other routes of a server
 * ```ts
 * import { createServer } from "node:http";
 * import { connectFrameSocket, frameSocketUpgrader } from "@sync/frame/websocket";
 * import { SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const http = createServer((_request, response) => response.end("hello\n"));
 * await using sync = await frameSocketUpgrader({ path: "/sync" }, async (socket) => {
 *   for await (const message of socket.messages()) {
 *     if (message.type === SyncMessageType.PingPong) {
 *       await socket.sendMessage(SyncMessageType.PingPong, { ...message.body, isPong: true });
 *     }
 *   }
 * });
 * sync.attach(http);
 * await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
 * const { port } = http.address() as { port: number };
 *
 * await using client = await connectFrameSocket(`ws://127.0.0.1:${port}/sync`);
 * await client.sendMessage(SyncMessageType.PingPong, { timestampMs: 3n, isPong: false });
 * assert.deepEqual((await client.receiveMessage())?.body, { timestampMs: 3n, isPong: true });
 * await client.close();
 * await new Promise((resolve) => http.close(resolve));
 * ```
 */
export async function frameSocketUpgrader<R extends RevisionName = "2026-04">(
  options: UpgraderOptions<R> | undefined,
  session: FrameSocketSession<R>,
): Promise<FrameSocketUpgrader<R>> {
  const given = optionsObject("options", options);
  configOf(given);
  const ws = await loadWs("cannot make a WebSocket upgrader");
  return makeUpgrader(ws, given, session);
}

/**
 * Serves frame sockets: an HTTP server whose WebSocket upgrades (at `path`,
 * or any) become {@linkcode ServerFrameSocket}s handed to `session`. Other
 * requests get `426 Upgrade Required`.
 *
 * It runs on the `ws` package over `node:http`, the same code on Deno and
 * Node (20 and later): a message over the revision's header size +
 * `maxBodySize` is refused with 1009 while its fragments arrive, before more
 * is buffered, so no peer can make the server hold more than that per
 * connection. `closeTimeout` bounds every close.
 *
 * If `session` throws or rejects, the socket is closed with 1011 and the
 * error goes to `options.onError`; when it returns, the socket stays as it
 * is (close it when you are done).
 *
 * @param options `hostname` (default `"127.0.0.1"`), `port` (default 0: any
 * free one), `path`, `protocol`, `onError`, and the limits and policies of
 * every socket.
 * @param session Runs one session, with the upgrade request.
 * @returns The running server, once it listens.
 * @throws {FrameError} (as a rejection) `"bad_value"` for an invalid option;
 * `"closed"` when it cannot listen (the message says why).
 *
 * @example A ping server and a client on loopback
 * ```ts
 * import { connectFrameSocket, serveFrameSockets } from "@sync/frame/websocket";
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * // Origin-like server: answers each ping with a pong carrying the same timestamp.
 * await using server = await serveFrameSockets({ path: "/sync" }, async (socket) => {
 *   for await (const frame of socket) {
 *     if (frame.msgType !== SyncMessageType.PingPong) continue;
 *     const [timestamp] = frame.decodeBody<[number, boolean]>()!;
 *     await socket.send(SyncFrame.newMsgpack(SyncMessageType.PingPong, [timestamp, true])!);
 *   }
 * });
 *
 * await using client = await connectFrameSocket(server.url);
 * await client.send(SyncFrame.newMsgpack(SyncMessageType.PingPong, [12345, false])!);
 * const pong = await client.receive();
 * assert.deepEqual(pong?.decodeBody(), [12345, true]);
 * ```
 */
export async function serveFrameSockets<R extends RevisionName = "2026-04">(
  options: ServeOptions<R> | undefined,
  session: FrameSocketSession<R>,
): Promise<FrameSocketServer<R>> {
  const given = optionsObject("options", options);
  configOf(given);
  const hostname = given?.hostname ?? "127.0.0.1";
  const port = given?.port ?? 0;
  if (typeof hostname !== "string" || hostname === "") {
    throw new FrameError("bad_value", "hostname must be a non-empty string");
  }
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new FrameError(
      "bad_value",
      `port must be an integer from 0 to 65535, got ${port}`,
    );
  }
  const ws = await loadWs(`cannot serve on ${hostname}:${port}`);
  const upgrader = makeUpgrader(ws, given, session);
  const { createServer } = await import("node:http");
  const http = createServer((_request, response) => {
    response.writeHead(426, {
      "content-type": "text/plain",
      upgrade: "websocket",
      connection: "close",
    });
    response.end("expected a WebSocket upgrade\n");
  });
  upgrader.attach(http);
  await new Promise<void>((resolve, reject) => {
    http.once("error", (error: Error & { code?: string }) =>
      reject(
        new FrameError(
          "closed",
          `cannot listen on ${hostname}:${port}: ${error.message}`,
          { cause: error },
        ),
      ));
    http.listen(port, hostname, () => resolve());
  });
  http.on("error", () => {});
  const address = http.address() as { port: number };
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  let closing: Promise<void> | undefined;
  const server: FrameSocketServer<R> = {
    hostname,
    port: address.port,
    url: `ws://${host}:${address.port}${given?.path ?? ""}`,
    sockets: upgrader.sockets,
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) =>
          http.close(() => resolve())
        );
        http.closeAllConnections?.();
        await upgrader.close();
        await stopped;
      })();
      return closing;
    },
    [Symbol.asyncDispose]() {
      return server.close();
    },
  };
  return server;
}
