// The client's one connection, over the WebSocket transport's public API:
// typed messages out, typed messages (or the reason one was dropped) in.
// Bodies are decoded here rather than by the transport, so an undecodable
// body is reported as a drop and the connection stays up, as Lite does.

import { FrameError } from "../codec/error.ts";
import {
  type RevisionCodec,
  revisionCodec,
  type RevisionName,
} from "../generated/revisions.ts";
import { encodeMessageBody as encode04 } from "../generated/2026-04/bodies.ts";
import { encodeMessageBody as encode07 } from "../generated/2026-07/bodies.ts";
import { connectFrameSocket } from "../transport/websocket.ts";
import type { ClientTransportOptions, DropReason } from "./types.ts";

/** What the client uses of a FrameSocket (any revision). */
interface SocketLike {
  send(
    frame: { msgType: number; body: Uint8Array },
    options?: { signal?: AbortSignal },
  ): Promise<void>;
  receive(
    options?: { signal?: AbortSignal },
  ): Promise<{ msgType: number; body: Uint8Array } | undefined>;
  close(code?: number, reason?: string): Promise<unknown>;
  readonly closed: Promise<{ code: number; reason: string; error?: unknown }>;
}

/** One inbound frame: a typed message, or why it was dropped. */
export type Inbound =
  | {
    readonly kind: "message";
    readonly type: number;
    readonly body: unknown;
  }
  | {
    readonly kind: "drop";
    readonly reason: DropReason;
    readonly msgType: number | undefined;
    readonly error: FrameError;
  };

/** The drop reason of a frame the transport skipped. */
function dropReason(code: string): DropReason {
  return code === "bad_checksum" || code === "unknown_type" ||
      code === "wrong_direction"
    ? code
    : "unexpected";
}

/** Encodes a typed body of a revision (no header). */
export function encodeBody(
  revision: RevisionName,
  type: number,
  body: unknown,
): Uint8Array {
  return revision === "2026-07"
    ? encode07(type as never, body as never)
    : encode04(type as never, body as never);
}

/** An open connection. */
export class Wire {
  readonly #socket: SocketLike;
  readonly #codec: RevisionCodec;
  #closing = false;

  private constructor(socket: SocketLike, codec: RevisionCodec) {
    this.#socket = socket;
    this.#codec = codec;
  }

  /**
   * Opens a connection.
   *
   * @throws {FrameError} `"closed"` when it cannot be opened or the signal
   * aborts; `"bad_value"` for a bad URL or option.
   */
  static async open(
    url: string | URL,
    revision: RevisionName,
    options: ClientTransportOptions | undefined,
    signal: AbortSignal | undefined,
    onDrop?: (drop: Inbound & { kind: "drop" }) => void,
  ): Promise<Wire> {
    const socket = await connectFrameSocket(url, {
      ...options,
      revision,
      signal,
      // Lite skips what it cannot use and keeps the connection; the skipped
      // frames are still reported (`drop` events).
      unknownType: "skip",
      badChecksum: "skip",
      wrongDirection: "skip",
      onSkip: (error: FrameError) =>
        onDrop?.({
          kind: "drop",
          reason: dropReason(error.code),
          msgType: error.msgType,
          error,
        }),
    } as never) as unknown as SocketLike;
    return new Wire(socket, revisionCodec(revision));
  }

  /** Settles when the connection has ended. */
  get closed(): Promise<{ code: number; reason: string; error?: unknown }> {
    return this.#socket.closed;
  }

  /** Whether `close` was called. */
  get closing(): boolean {
    return this.#closing;
  }

  /**
   * Sends an encoded body. Never rejects: a failed send means the
   * connection ended, which `receive` reports.
   */
  sendBody(type: number, body: Uint8Array): void {
    this.#socket.send({ msgType: type, body }).catch(() => {});
  }

  /**
   * Encodes and sends a typed message.
   *
   * @throws {FrameError} `"bad_value"` when the body does not fit its type.
   */
  send(type: number, body: unknown): void {
    this.sendBody(type, encodeBody(this.#codec.name, type, body));
  }

  /**
   * The next inbound frame, decoded; `undefined` once the connection ended
   * normally.
   *
   * @throws {FrameError} the connection's failure, or `"aborted"`.
   */
  async receive(signal?: AbortSignal): Promise<Inbound | undefined> {
    const frame = await this.#socket.receive(
      signal === undefined ? undefined : { signal },
    );
    if (frame === undefined) return undefined;
    try {
      const message = this.#codec.decodeMessageBody(frame.msgType, frame.body);
      return { kind: "message", type: message.type, body: message.body };
    } catch (error) {
      const failure = error instanceof FrameError ? error : new FrameError(
        "bad_body",
        String(error),
        { cause: error, msgType: frame.msgType },
      );
      return {
        kind: "drop",
        reason: "bad_body",
        msgType: frame.msgType,
        error: failure,
      };
    }
  }

  /** Closes the connection (never rejects). */
  close(code = 1000, reason = ""): Promise<void> {
    this.#closing = true;
    return this.#socket.close(code, reason).then(() => {}, () => {});
  }
}
