// Helpers shared by the SyncClient / serveOrigin suites: fake JWTs with an
// `exp` claim, a bounded wait for a condition, and event recorders.

import type { SyncClient } from "../entries/client.ts";
import {
  connectFrameSocket,
  serveFrameSockets,
} from "../transport/websocket.ts";
import type { RevisionName } from "../generated/revisions.ts";

function base64Url(value: unknown): string {
  return btoa(JSON.stringify(value)).replace(/=+$/, "").replace(/\+/g, "-")
    .replace(/\//g, "_");
}

/** An unsigned JWT whose `exp` is `secondsFromNow` away (fractions allowed). */
export function fakeJwt(secondsFromNow: number, sub = "user-1"): string {
  const exp = Date.now() / 1000 + secondsFromNow;
  return `${base64Url({ alg: "none", typ: "JWT" })}.${
    base64Url({ sub, exp })
  }.sig`;
}

/** The `exp` claim of a fake JWT, in seconds. */
export function jwtExp(token: string): number {
  const payload = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(payload)).exp;
}

/** Waits until `condition()` holds, polling every 5 ms; fails after `ms`. */
export async function waitFor(
  condition: () => boolean,
  ms: number,
  what: string,
): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** Records a client's status changes as `status` strings (with reasons). */
export function recordStatuses<R extends RevisionName>(
  client: SyncClient<R>,
): { status: string; reason: string }[] {
  const seen: { status: string; reason: string }[] = [];
  client.addEventListener("status", (event) => {
    seen.push({ status: event.detail.status, reason: event.detail.reason });
  });
  return seen;
}

/** Records the epochs of every Handshake a client sends. */
export function recordEpochs<R extends RevisionName>(
  client: SyncClient<R>,
): bigint[] {
  const epochs: bigint[] = [];
  client.addEventListener("frame", (event) => {
    const { message } = event.detail;
    if (event.detail.direction === "out" && message.type === 0x01) {
      epochs.push((message.body as { epoch: bigint }).epoch);
    }
  });
  return epochs;
}

/** Whether each value is larger than the one before. */
export function strictlyRising(values: readonly bigint[]): boolean {
  return values.every((v, i) => i === 0 || v > values[i - 1]);
}

/** A Handshake body for revision `revision`, with overrides. */
export function hello(
  revision: RevisionName,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    jwtToken: "",
    vectorClock: new Map(),
    subscribedShapes: [],
    clientVersion: "test",
    liteId: "",
    epoch: 0n,
    wireVersion: revision === "2026-07" ? 1 : 4,
    ...over,
  };
}

/** A DeltaPush body for revision `revision`, with overrides. */
export function deltaPush(
  revision: RevisionName,
  over: Record<string, unknown> = {},
): Record<string, unknown> {
  const base = {
    collection: "users",
    documentId: "u1",
    delta: new Uint8Array([1, 2, 3]),
    peerId: 7n,
    mutationId: 1n,
    checksum: 0,
    deviceValidTimeMs: null,
  };
  return revision === "2026-07"
    ? {
      ...base,
      producerId: 0n,
      epoch: 0n,
      seq: 1n,
      deviceId: 0n,
      deltaSignature: new Uint8Array(32),
      ...over,
    }
    : { ...base, ...over };
}

/** A raw typed connection to an Origin, for checking its answers frame by frame. */
export interface RawPeer {
  send(type: number, body: unknown): Promise<void>;
  /** The next message, or `undefined` if none arrives within `ms`. */
  // deno-lint-ignore no-explicit-any
  next(ms?: number): Promise<{ type: number; body: any } | undefined>;
  close(): Promise<void>;
  readonly closed: Promise<{ code: number }>;
}

/** Opens a raw typed connection. */
export async function rawPeer(
  url: string,
  revision: RevisionName,
): Promise<RawPeer> {
  // deno-lint-ignore no-explicit-any
  const socket = await connectFrameSocket(url, { revision } as never) as any;
  return {
    send: (type, body) => socket.sendMessage(type, body),
    async next(ms = 1000) {
      const timeout = new AbortController();
      const timer = setTimeout(() => timeout.abort(), ms);
      try {
        return await socket.receiveMessage({ signal: timeout.signal });
      } catch (error) {
        const code = (error as { code?: string }).code;
        // Nothing came in time, or the connection ended (as the test expects).
        if (code === "aborted" || code === "closed") return undefined;
        throw error;
      } finally {
        clearTimeout(timer);
      }
    },
    close: () => socket.close().then(() => {}),
    closed: socket.closed,
  };
}

/**
 * A scripted Origin for one test: `answer` gets each typed message of each
 * connection (numbered from 0) and returns the typed replies to send.
 */
export async function scriptedOrigin(
  revision: RevisionName,
  answer: (
    // deno-lint-ignore no-explicit-any
    message: { type: number; body: any },
    connection: number,
  ) => { type: number; body?: unknown; raw?: Uint8Array; delayMs?: number }[],
): Promise<{ url: string; close(): Promise<void>; connections(): number }> {
  let connections = 0;
  const server = await serveFrameSockets(
    { revision } as never,
    // deno-lint-ignore no-explicit-any
    async (socket: any) => {
      const connection = connections++;
      const timers = new Set<ReturnType<typeof setTimeout>>();
      try {
        for (;;) {
          const message = await socket.receiveMessage().catch(() => undefined);
          if (message === undefined) break;
          for (const reply of answer(message, connection)) {
            const send = () =>
              (reply.raw !== undefined
                ? socket.send({ msgType: reply.type, body: reply.raw })
                : socket.sendMessage(reply.type, reply.body)).catch(() => {});
            if (!reply.delayMs) send();
            else {
              const timer = setTimeout(() => {
                timers.delete(timer);
                send();
              }, reply.delayMs);
              timers.add(timer);
            }
          }
        }
      } finally {
        for (const timer of timers) clearTimeout(timer);
      }
    },
  );
  return {
    url: server.url,
    close: () => server.close(),
    connections: () => connections,
  };
}

/** A successful HandshakeAck of a revision. */
export function welcome(
  revision: RevisionName,
  producerId = 1n,
  epoch = 1n,
): { type: number; body: unknown } {
  const body = {
    success: true,
    sessionId: "sync-test-1",
    serverClock: new Map(),
    error: null,
    forkDetected: false,
    serverWireVersion: revision === "2026-07" ? 1 : 4,
  };
  return {
    type: 0x02,
    body: revision === "2026-07"
      ? {
        ...body,
        producerId,
        acceptedEpoch: epoch,
        deltaSigningKey: new Uint8Array(32),
      }
      : body,
  };
}
