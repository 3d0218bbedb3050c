// SyncClient options, validated once, with their defaults; and the small
// helpers around identity (UUID v7 liteIds, random peer ids, epochs).

import { FrameError } from "../codec/error.ts";
import { revisionCodec, type RevisionName } from "../generated/revisions.ts";
import { type BackoffConfig, backoffConfig } from "./_backoff.ts";
import { MemoryEpochStore } from "./stores.ts";
import type {
  Awaitable,
  ClientTransportOptions,
  EpochStore,
  OutboxStore,
  SyncClientOptions,
  TokenSource,
} from "./types.ts";

/** Validated options. */
export interface ClientConfig<R extends RevisionName> {
  readonly url: string;
  readonly revision: R;
  readonly wireVersion: number;
  readonly liteId: string;
  readonly clientVersion: string;
  readonly token: TokenSource;
  readonly vectorClock: () => Awaitable<Map<string, Map<string, bigint>>>;
  readonly subscribedShapes: () => Awaitable<readonly string[]>;
  readonly epochStore: EpochStore;
  readonly outbox: OutboxStore<R>;
  readonly peerId: bigint;
  readonly pingInterval: number;
  readonly pongTimeout: number;
  readonly handshakeTimeout: number;
  readonly ackTimeout: number;
  readonly backoff: BackoffConfig;
  readonly maxInFlight: number;
  readonly settleOnAccepted: boolean;
  readonly tokenRefreshRatio: number;
  readonly transport: ClientTransportOptions | undefined;
}

/** The handshake `wire_version` of each revision. */
const WIRE_VERSIONS: Record<RevisionName, number> = {
  "2026-04": 4,
  "2026-07": 1,
};

function bad(message: string): FrameError {
  return new FrameError("bad_value", message);
}

function ms(
  name: string,
  value: unknown,
  fallback: number,
  zero = false,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" || !Number.isFinite(value) ||
    value < (zero ? 0 : 1) || value > 2 ** 31 - 1
  ) {
    throw bad(
      `${name} must be a number of milliseconds from ${
        zero ? 0 : 1
      } to 2^31 − 1, got ${String(value)}`,
    );
  }
  return value;
}

function fn<T>(name: string, value: unknown, fallback: T): T {
  if (value === undefined) return fallback;
  if (typeof value !== "function") throw bad(`${name} must be a function`);
  return value as T;
}

function store<S>(
  name: string,
  value: unknown,
  methods: string[],
  fallback: S,
): S {
  if (value === undefined) return fallback;
  for (const method of methods) {
    if (typeof (value as Record<string, unknown>)?.[method] !== "function") {
      throw bad(`${name} must have a ${method}() method`);
    }
  }
  return value as S;
}

/**
 * The default outbox: the client's own queue is the memory; nothing more to
 * keep (a `MemoryOutboxStore` would hold the same deltas a second time).
 */
function memoryOnly<R extends RevisionName>(): OutboxStore<R> {
  return {
    load: () => undefined,
    put: () => {},
    delete: () => {},
    saveSeq: () => {},
  };
}

/** A UUID v7 (RFC 9562): 48-bit Unix ms, version 7, variant 10, random bits. */
export function uuidV7(now = Date.now()): string {
  const b = crypto.getRandomValues(new Uint8Array(16));
  for (let i = 5; i >= 0; i--) {
    b[i] = now % 256;
    now = Math.floor(now / 256);
  }
  b[6] = 0x70 | (b[6] & 0x0f);
  b[8] = 0x80 | (b[8] & 0x3f);
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${
    h.slice(16, 20)
  }-${h.slice(20)}`;
}

/** A random non-zero 48-bit peer id. */
export function randomPeerId(): bigint {
  const b = crypto.getRandomValues(new Uint8Array(6));
  let id = 0n;
  for (const x of b) id = (id << 8n) | BigInt(x);
  return id === 0n ? 1n : id;
}

/** Validates the options of a SyncClient. */
export function clientConfig<R extends RevisionName>(
  options: SyncClientOptions<R>,
): ClientConfig<R> {
  if (typeof options !== "object" || options === null) {
    throw bad("SyncClient needs an options object with a url");
  }
  const o = options;
  let url: string;
  try {
    url = new URL(String(o.url)).href;
  } catch {
    throw bad(`url must be a ws: or wss: URL, got ${String(o.url)}`);
  }
  if (!/^wss?:/.test(url)) {
    throw bad(`url must be a ws: or wss: URL, got ${url}`);
  }
  const revision = revisionCodec(o.revision).name as R;
  const token = o.token ?? "";
  if (typeof token !== "string" && typeof token !== "function") {
    throw bad("token must be a string or a function returning one");
  }
  const shapes = o.subscribedShapes;
  let subscribedShapes: () => Awaitable<readonly string[]>;
  if (shapes === undefined) subscribedShapes = () => [];
  else if (typeof shapes === "function") subscribedShapes = shapes;
  else if (Array.isArray(shapes)) {
    const copy = [...shapes];
    subscribedShapes = () => copy;
  } else throw bad("subscribedShapes must be an array or a function");
  const maxInFlight = o.maxInFlight ?? 64;
  if (!Number.isSafeInteger(maxInFlight) || maxInFlight < 1) {
    throw bad(`maxInFlight must be a positive integer, got ${maxInFlight}`);
  }
  const ratio = o.tokenRefreshRatio ?? 0.8;
  if (typeof ratio !== "number" || !(ratio > 0 && ratio <= 1)) {
    throw bad(`tokenRefreshRatio must be in (0, 1], got ${String(ratio)}`);
  }
  const peerId = o.peerId ?? randomPeerId();
  if (typeof peerId !== "bigint" || peerId < 0n || peerId >= 2n ** 64n) {
    throw bad("peerId must be a u64 bigint");
  }
  const liteId = o.liteId ?? uuidV7();
  if (typeof liteId !== "string") throw bad("liteId must be a string");
  const clientVersion = o.clientVersion ?? "@sync/frame";
  if (typeof clientVersion !== "string") {
    throw bad("clientVersion must be a string");
  }
  return {
    url,
    revision,
    wireVersion: WIRE_VERSIONS[revision],
    liteId,
    clientVersion,
    token,
    vectorClock: fn("vectorClock", o.vectorClock, () => new Map()),
    subscribedShapes,
    epochStore: store(
      "epochStore",
      o.epochStore,
      ["load", "save"],
      new MemoryEpochStore(),
    ),
    outbox: store(
      "outbox",
      o.outbox,
      ["load", "put", "delete", "saveSeq"],
      memoryOnly<R>(),
    ),
    peerId,
    pingInterval: ms("pingInterval", o.pingInterval, 30_000, true),
    pongTimeout: ms("pongTimeout", o.pongTimeout, 10_000),
    handshakeTimeout: ms("handshakeTimeout", o.handshakeTimeout, 10_000),
    ackTimeout: ms("ackTimeout", o.ackTimeout, 30_000),
    backoff: backoffConfig(o.backoff),
    maxInFlight,
    settleOnAccepted: o.settleOnAccepted === true,
    tokenRefreshRatio: ratio,
    transport: o.transport,
  };
}

/**
 * The next epoch for `liteId`: one more than the last saved, saved before it
 * is sent, so every connection sends a strictly larger epoch.
 *
 * @throws {FrameError} `"bad_value"` when the store fails or holds a non-bigint.
 */
export async function nextEpoch(
  epochs: EpochStore,
  liteId: string,
): Promise<bigint> {
  let last: unknown;
  try {
    last = await epochs.load(liteId);
  } catch (error) {
    throw new FrameError(
      "bad_value",
      `the epoch store failed to load: ${
        (error as Error)?.message ?? String(error)
      }`,
      { cause: error },
    );
  }
  if (last !== undefined && typeof last !== "bigint") {
    throw bad(`the epoch store returned ${typeof last}, not a bigint`);
  }
  const next = (last ?? 0n) + 1n;
  try {
    await epochs.save(liteId, next);
  } catch (error) {
    throw new FrameError(
      "bad_value",
      `the epoch store failed to save: ${
        (error as Error)?.message ?? String(error)
      }`,
      { cause: error },
    );
  }
  return next;
}
