// Helpers shared by the transport tests: frame bytes, chunking, and real
// loopback WebSocket peers that close everything they open.

import assert from "node:assert/strict";
import { FrameDecoder, FrameError } from "../transport/stream.ts";
import type { SyncFrame } from "../mod.ts";
import {
  type RevisionName,
  serveFrameSockets,
  type ServerFrameSocket,
  upgradeFrameSocket,
  type UpgradeOptions,
} from "../transport/websocket.ts";

/** The bytes of one frame: `[type][u32 LE length][body]`. */
export function frameBytes(
  type: number,
  body: ArrayLike<number>,
): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(5 + body.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, body.length, true);
  out.set(body, 5);
  return out;
}

/** Concatenates byte arrays. */
export function concat(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** Cuts `bytes` at the given sorted offsets (copies, so views cannot alias). */
export function cut(
  bytes: Uint8Array,
  offsets: readonly number[],
): Uint8Array[] {
  const out: Uint8Array[] = [];
  let from = 0;
  for (const at of offsets) {
    out.push(bytes.slice(from, at));
    from = at;
  }
  out.push(bytes.slice(from));
  return out;
}

/** A frame as plain data, for deepEqual. */
export interface Plain {
  type: number;
  body: number[];
}

export function plain(frame: SyncFrame): Plain {
  return { type: frame.msgType, body: Array.from(frame.body) };
}

/** What a decoder made of a chunked stream: frames, then the error if any. */
export interface Outcome {
  frames: Plain[];
  error?: { code: string; offset: number | undefined; msgType?: number };
}

/**
 * Feeds `chunks` to a new decoder and ends it, collecting frames until the
 * first error. Anything thrown that is not a FrameError is rethrown.
 */
export function decodeAll(
  chunks: readonly Uint8Array[],
  options?: { maxBodySize?: number; copy?: boolean },
): Outcome {
  const decoder = new FrameDecoder(options);
  const frames: Plain[] = [];
  try {
    for (const chunk of chunks) {
      for (const frame of decoder.push(chunk)) frames.push(plain(frame));
    }
    decoder.end();
  } catch (error) {
    if (!(error instanceof FrameError)) throw error;
    return {
      frames,
      error: { code: error.code, offset: error.offset, msgType: error.msgType },
    };
  }
  return { frames };
}

/** A running loopback server with its `ws://` URL. */
export interface TestServer {
  url: string;
  port: number;
  shutdown(): Promise<void>;
}

/** Serves `handler` on 127.0.0.1 at a free port. */
export function serve(
  handler: (request: Request) => Response | Promise<Response>,
): TestServer {
  const server = Deno.serve(
    { hostname: "127.0.0.1", port: 0, onListen() {} },
    handler,
  );
  return {
    url: `ws://127.0.0.1:${server.addr.port}`,
    port: server.addr.port,
    shutdown: () => server.shutdown(),
  };
}

/** A plain standard WebSocket peer that records what it receives. */
export interface RawPeer {
  ws: WebSocket;
  messages: (ArrayBuffer | string)[];
  closed: Promise<CloseEvent>;
}

/** Wraps an existing WebSocket as a recording peer. */
export function rawPeer(ws: WebSocket): RawPeer {
  ws.binaryType = "arraybuffer";
  const messages: (ArrayBuffer | string)[] = [];
  ws.addEventListener("message", (event) => messages.push(event.data));
  const closed = new Promise<CloseEvent>((resolve) =>
    ws.addEventListener("close", resolve, { once: true })
  );
  return { ws, messages, closed };
}

/** Opens a plain standard WebSocket client to `url`. */
export async function rawClient(url: string): Promise<RawPeer> {
  const peer = rawPeer(new WebSocket(url));
  await new Promise<void>((resolve, reject) => {
    peer.ws.addEventListener("open", () => resolve(), { once: true });
    peer.ws.addEventListener(
      "error",
      () => reject(new Error("no connection")),
      {
        once: true,
      },
    );
  });
  return peer;
}

/**
 * Completes a WebSocket handshake over a raw TCP connection and then reads
 * nothing: a peer that stalls.
 */
export async function stalledPeer(
  port: number,
  path = "/",
): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const key = btoa("stalled-peer-key");
  await conn.write(
    new TextEncoder().encode(
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\n` +
        `Sec-WebSocket-Version: 13\r\n\r\n`,
    ),
  );
  // Read the 101 response only, then never read again.
  const buffer = new Uint8Array(1024);
  let text = "";
  while (!text.includes("\r\n\r\n")) {
    const n = await conn.read(buffer);
    if (n === null) throw new Error("server closed during the handshake");
    text += new TextDecoder().decode(buffer.subarray(0, n));
  }
  if (!text.startsWith("HTTP/1.1 101")) throw new Error(text);
  return conn;
}

/** Resolves after `ms` milliseconds (used to wait for a state, never to assert speed). */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Waits until `condition()` holds, checking every 5 ms, failing after `limit` checks. */
export async function until(
  condition: () => boolean,
  what: string,
  limit = 2000,
): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (condition()) return;
    await delay(5);
  }
  throw new Error(`gave up waiting until ${what}`);
}

/** An `assert.throws`/`rejects` validator for a FrameError with `code`. */
export function isFrameError(
  code: string,
  check?: (e: FrameError) => void,
): (error: unknown) => true {
  return (error: unknown) => {
    assert.ok(error instanceof FrameError, `not a FrameError: ${error}`);
    assert.equal(error.code, code);
    check?.(error);
    return true;
  };
}

/** Which server a test runs against: `serveFrameSockets` (ws) or `Deno.serve`. */
export type ServerKind = "ws" | "deno";

/** Both server kinds, for tests that hold for each. */
export const SERVER_KINDS: readonly ServerKind[] = ["ws", "deno"];

/** A loopback server whose accepted FrameSockets are handed out by `accepted()`. */
export interface FrameTestServer<R extends RevisionName = "2026-04">
  extends TestServer {
  sockets: ServerFrameSocket<R>[];
  accepted(): Promise<ServerFrameSocket<R>>;
}

/**
 * A loopback frame server: `serveFrameSockets` (default) or a `Deno.serve`
 * handler over `upgradeFrameSocket`. `shutdown()` closes what is left.
 */
export async function frameServer<R extends RevisionName = "2026-04">(
  options?: UpgradeOptions<R>,
  kind: ServerKind = "ws",
): Promise<FrameTestServer<R>> {
  const sockets: ServerFrameSocket<R>[] = [];
  let server: TestServer;
  if (kind === "ws") {
    const ws = await serveFrameSockets<R>(options, (socket) => {
      sockets.push(socket);
    });
    server = {
      url: ws.url,
      port: ws.port,
      shutdown: () => ws.close(),
    };
  } else {
    server = serve((request) => {
      const { socket, response } = upgradeFrameSocket<R>(request, options);
      sockets.push(socket);
      return response;
    });
  }
  return {
    ...server,
    sockets,
    async accepted(): Promise<ServerFrameSocket<R>> {
      await until(() => sockets.length > 0, "a socket is accepted");
      return sockets.shift()!;
    },
  };
}
