// The options of a FrameSocket (shared by every way to make one), their
// defaults and validation, and the WebSocket close codes the sockets use.
// Invalid options are programming errors, reported as FrameError
// "bad_value" before anything is opened.

import { FrameError } from "../codec/error.ts";
import type { BodyDecodeOptions } from "../generated/2026-04/bodies.ts";
import { maxBodySizeOption, positiveOption } from "../codec/_options.ts";
import {
  type RevisionCodec,
  revisionCodec,
  type RevisionName,
} from "../generated/revisions.ts";

/** WebSocket close codes used by {@linkcode FrameSocket} (RFC 6455 §7.4.1). */
export const CloseCode = {
  /** The session ended normally. */
  Normal: 1000,
  /** The server is shutting down. */
  GoingAway: 1001,
  /** A message was not exactly one valid frame, or came from the wrong side. */
  ProtocolError: 1002,
  /** A text message arrived. */
  UnsupportedData: 1003,
  /** No close frame arrived: the connection dropped (reported, never sent). */
  Abnormal: 1006,
  /** A text or close reason is not valid UTF-8 (sent by `ws`). */
  InvalidPayload: 1007,
  /** The receive queue overflowed, or the peer stopped reading what we send. */
  PolicyViolation: 1008,
  /** A message is over the revision's header size + `maxBodySize`. */
  MessageTooBig: 1009,
  /** The server's handler failed. */
  InternalError: 1011,
} as const;

/** Default `sendHighWaterMark`: 1 MiB. */
export const DEFAULT_SEND_HIGH_WATER_MARK = 1024 * 1024;
/** Default `sendHardCap`: 16 MiB. */
export const DEFAULT_SEND_HARD_CAP = 16 * 1024 * 1024;
/** Default `maxQueuedFrames`: 1024 frames. */
export const DEFAULT_MAX_QUEUED_FRAMES = 1024;
/** Default `maxQueuedBytes`: 16 MiB. */
export const DEFAULT_MAX_QUEUED_BYTES = 16 * 1024 * 1024;
/** Default `closeTimeout`: 10 seconds. */
export const DEFAULT_CLOSE_TIMEOUT = 10_000;
/** Default `connectTimeout`: 30 seconds. */
export const DEFAULT_CONNECT_TIMEOUT = 30_000;

/** Options of a {@linkcode FrameSocket}, on either side. */
export interface FrameSocketOptions<R extends RevisionName = "2026-04"> {
  /**
   * The wire revision: `"2026-04"` (default) or `"2026-07"` (NodeDB ≥ 0.4.0:
   * 10-byte header with a CRC-32C). The socket's frames, typed messages and
   * message types are those of the revision, statically and at run time.
   */
  revision?: R;
  /**
   * What to do with a frame whose CRC-32C does not match its body (2026-07):
   * `"close"` (default) closes with 1002; `"skip"` drops it, as the Rust
   * Origin does.
   */
  badChecksum?: "close" | "skip";
  /**
   * What to do with a text message: `"close"` (default) closes with 1003;
   * `"skip"` drops it, as the Rust Origin does.
   */
  textMessages?: "close" | "skip";
  /**
   * Called with the reason for every inbound message a `"skip"` policy drops
   * (`unknown_type`, `bad_checksum`, `wrong_direction`, `bad_message` for a
   * text message), so that what the connection ignores stays visible.
   */
  onSkip?: (error: FrameError) => void;
  /**
   * Largest accepted inbound body length in bytes; a larger frame closes the
   * connection with 1009. Default `DEFAULT_MAX_BODY_SIZE` (16 MiB: the
   * largest body two Rust peers exchange).
   * Sockets on `ws` (every server of {@linkcode serveFrameSockets}, and
   * {@linkcode connectFrameSocket} on Deno and Node) also refuse a message
   * over the header size + this while its fragments arrive, so no more is
   * ever buffered.
   */
  maxBodySize?: number;
  /**
   * What to do with a message whose type byte is not a code of this
   * revision: `"close"` (default) closes with 1002; `"skip"` drops it.
   */
  unknownType?: "close" | "skip";
  /**
   * What to do with a frame of a type the peer's side may not send (e.g. a
   * `Handshake` arriving at a client): `"close"` (default) closes with 1002;
   * `"skip"` drops it.
   */
  wrongDirection?: "close" | "skip";
  /**
   * `send` waits while the socket's `bufferedAmount` is over this many bytes.
   * Default 1 MiB.
   */
  sendHighWaterMark?: number;
  /**
   * The connection is failed (1008) rather than let buffered plus waiting
   * outbound bytes pass this. Default 16 MiB.
   */
  sendHardCap?: number;
  /** Most inbound frames held unread before closing with 1008. Default 1024. */
  maxQueuedFrames?: number;
  /**
   * Most inbound bytes held unread before closing with 1008; one frame is
   * always accepted into an empty queue. Default 16 MiB.
   */
  maxQueuedBytes?: number;
  /**
   * Milliseconds to wait for the peer's answer after we send a close frame.
   * Then the TCP connection is destroyed (on `ws`; a platform `WebSocket`
   * cannot be) and {@linkcode FrameSocket.closed} resolves with the code we
   * sent. Default 10 000.
   */
  closeTimeout?: number;
}

/** How a {@linkcode FrameSocket} ended. */
export interface FrameSocketCloseInfo {
  /**
   * The close code: the peer's (or its answer to ours); the one we sent when
   * the peer did not answer within `closeTimeout`; 1006 when the connection
   * dropped without a close frame.
   */
  readonly code: number;
  /** The close reason that goes with `code`. */
  readonly reason: string;
  /** Whether the closing handshake completed. */
  readonly wasClean: boolean;
  /**
   * Why the connection failed: the peer's protocol violation we closed for,
   * send backpressure, or (`"closed"`) an abnormal close by the peer or the
   * network; `undefined` for a normal close by either side.
   */
  readonly error: FrameError | undefined;
}

/** Options of {@linkcode FrameSocket.receive} and the iterators. */
export interface ReceiveOptions {
  /**
   * Cancels the wait: the call rejects with `"aborted"` and takes no frame
   * (the next receive gets it).
   */
  signal?: AbortSignal;
}

/** Options of {@linkcode FrameSocket.receiveMessage} and {@linkcode FrameSocket.messages}. */
export interface ReceiveMessageOptions
  extends ReceiveOptions, BodyDecodeOptions {}

/** Options of {@linkcode FrameSocket.send} and {@linkcode FrameSocket.sendMessage}. */
export interface SendOptions {
  /**
   * Cancels a frame still waiting for the send buffer to drain: the call
   * rejects with `"aborted"` and the frame is not sent. No effect once the
   * frame is handed to the socket.
   */
  signal?: AbortSignal;
}

/** Validated options. */
export interface SocketConfig {
  codec: RevisionCodec;
  skipBadChecksum: boolean;
  skipText: boolean;
  onSkip: ((error: FrameError) => void) | undefined;
  maxBodySize: number;
  /** The largest message: header + maxBodySize. */
  maxMessageSize: number;
  skipUnknown: boolean;
  skipWrongDirection: boolean;
  highWaterMark: number;
  hardCap: number;
  maxFrames: number;
  maxBytes: number;
  closeTimeout: number;
}

function skipHook(
  value: unknown,
): ((error: FrameError) => void) | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "function") {
    throw new FrameError("bad_value", "onSkip must be a function");
  }
  return value as (error: FrameError) => void;
}

function policyOption(name: string, value: unknown): boolean {
  if (value === undefined || value === "close") return false;
  if (value === "skip") return true;
  throw new FrameError(
    "bad_value",
    `${name} must be "close" or "skip", got ${String(value)}`,
  );
}

// setTimeout fires at once for delays past a signed 32-bit millisecond count.
const MAX_TIMEOUT = 0x7fff_ffff;

/** Validates a timeout in milliseconds (1 to 2^31 − 1). */
export function timeoutOption(
  name: string,
  value: unknown,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  if (
    typeof value !== "number" || !Number.isInteger(value) || value < 1 ||
    value > MAX_TIMEOUT
  ) {
    throw new FrameError(
      "bad_value",
      `${name} must be an integer number of milliseconds from 1 to ${MAX_TIMEOUT}, got ${
        String(value)
      }`,
    );
  }
  return value;
}

/** Checks that `options` is an options object (or absent). */
export function optionsObject<T>(
  what: string,
  options: T | undefined,
): T | undefined {
  if (options === undefined || options === null) return undefined;
  if (typeof options !== "object") {
    throw new FrameError(
      "bad_value",
      `${what} must be an object, got ${typeof options}`,
    );
  }
  return options;
}

/** Validates the options of a FrameSocket. */
export function configOf(
  given: FrameSocketOptions<RevisionName> | undefined,
): SocketConfig {
  const options = optionsObject("options", given);
  const codec = revisionCodec(options?.revision);
  const maxBodySize = maxBodySizeOption(
    options?.maxBodySize as number | undefined,
  );
  return {
    codec,
    skipBadChecksum: policyOption("badChecksum", options?.badChecksum),
    skipText: policyOption("textMessages", options?.textMessages),
    onSkip: skipHook(options?.onSkip),
    maxBodySize,
    maxMessageSize: codec.layout.headerSize + maxBodySize,
    skipUnknown: policyOption("unknownType", options?.unknownType),
    skipWrongDirection: policyOption(
      "wrongDirection",
      options?.wrongDirection,
    ),
    highWaterMark: positiveOption(
      "sendHighWaterMark",
      options?.sendHighWaterMark,
      DEFAULT_SEND_HIGH_WATER_MARK,
    ),
    hardCap: positiveOption(
      "sendHardCap",
      options?.sendHardCap,
      DEFAULT_SEND_HARD_CAP,
    ),
    maxFrames: positiveOption(
      "maxQueuedFrames",
      options?.maxQueuedFrames,
      DEFAULT_MAX_QUEUED_FRAMES,
    ),
    maxBytes: positiveOption(
      "maxQueuedBytes",
      options?.maxQueuedBytes,
      DEFAULT_MAX_QUEUED_BYTES,
    ),
    closeTimeout: timeoutOption(
      "closeTimeout",
      options?.closeTimeout,
      DEFAULT_CLOSE_TIMEOUT,
    ),
  };
}

/** Checks an optional `signal` option. */
export function signalOption(value: unknown): AbortSignal | undefined {
  if (value === undefined) return undefined;
  if (!(value instanceof AbortSignal)) {
    throw new FrameError(
      "bad_value",
      `signal must be an AbortSignal, got ${
        value === null ? "null" : typeof value
      }`,
    );
  }
  return value;
}

/** The FrameError of an aborted operation. */
export function abortError(what: string, signal: AbortSignal): FrameError {
  return new FrameError("aborted", `${what} was aborted`, {
    cause: signal.reason,
  });
}

// A close reason may hold at most 123 UTF-8 bytes.
const MAX_REASON_BYTES = 123;
const encoder = new TextEncoder();

/** `text` cut to fit a close reason. */
export function shortReason(text: string): string {
  let reason = text;
  while (encoder.encode(reason).length > MAX_REASON_BYTES) {
    reason = reason.slice(0, -1);
  }
  return reason;
}

/** Checks the arguments of `close(code, reason)`. */
export function closeArguments(
  code: unknown,
  reason: unknown,
): FrameError | undefined {
  if (
    typeof code !== "number" || !Number.isInteger(code) ||
    !((code >= 1000 && code <= 1014 && code !== 1004 && code !== 1005 &&
      code !== 1006) || (code >= 3000 && code <= 4999))
  ) {
    return new FrameError(
      "bad_value",
      `cannot close with code ${
        String(code)
      }: a close code is 1000–1003, 1007–1014 or 3000–4999`,
    );
  }
  if (typeof reason !== "string") {
    return new FrameError(
      "bad_value",
      `a close reason must be a string, got ${typeof reason}`,
    );
  }
  if (encoder.encode(reason).length > MAX_REASON_BYTES) {
    return new FrameError(
      "bad_value",
      `a close reason may hold at most ${MAX_REASON_BYTES} UTF-8 bytes`,
    );
  }
  return undefined;
}

function hexByte(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}

/** A message type's name and code, for messages. */
export function typeName(codec: RevisionCodec, type: number): string {
  return `${codec.typeName(type)} (${hexByte(type)})`;
}

/** The error of sending a type only the other side sends. */
export function directionError(
  codec: RevisionCodec,
  side: "client" | "server",
  type: number,
): FrameError {
  return new FrameError(
    "wrong_direction",
    `${typeName(codec, type)} is sent only by the ${
      side === "client" ? "server" : "client"
    }; a ${side} may not send it`,
    { msgType: type },
  );
}
