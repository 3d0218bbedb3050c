// The checks of one inbound WebSocket message: it must be binary, exactly one
// frame of the revision within the limits, with a matching checksum, of a
// type the peer's side may send. Returns the frame, or why the connection
// must close (or `null`: drop the message, as a "skip" policy asks).

import { FrameError } from "../codec/error.ts";
import {
  checksumError,
  checksumMatches,
  HEADER_TOO_LARGE,
  HEADER_UNKNOWN_TYPE,
  headerError,
  readHeader,
} from "../codec/_header.ts";
import type { FrameLike } from "./_encode.ts";
import { CloseCode, type SocketConfig, typeName } from "./_socket_config.ts";

/** Which end of a session a socket is. */
export type Side = "client" | "server";

/** Why an inbound message fails the connection, and the close code to send. */
export class Refusal {
  constructor(readonly error: FrameError, readonly closeCode: number) {}
}

/** Reports a message a skip policy drops; the hook's own errors are ignored. */
function skipped(config: SocketConfig, error: FrameError): null {
  try {
    config.onSkip?.(error);
  } catch {
    // A throwing hook must not take the connection down.
  }
  return null;
}

/** Who may send a type, as `directionOf` says. */
type Direction = "client_to_server" | "server_to_client" | "bidirectional";

/**
 * Checks one message. `ownDirection` is the direction only this side sends:
 * a frame of it arriving here came from the wrong side.
 */
export function inboundFrame(
  config: SocketConfig,
  side: Side,
  ownDirection: Direction,
  data: unknown,
  binary: boolean,
): FrameLike | Refusal | null {
  if (!binary || !(data instanceof ArrayBuffer)) {
    const text = !binary || typeof data === "string";
    const error = new FrameError(
      "bad_message",
      text
        ? "received a text message; sync frames travel as binary messages"
        : "received a binary message that is not an ArrayBuffer (was binaryType changed?)",
    );
    if (text && config.skipText) return skipped(config, error);
    return new Refusal(error, CloseCode.UnsupportedData);
  }
  const bytes = new Uint8Array(data);
  const { codec } = config;
  const layout = codec.layout;
  const length = readHeader(layout, bytes, 0, config.maxBodySize);
  if (length < 0) {
    const error = headerError(layout, bytes, 0, length, config.maxBodySize);
    if (length === HEADER_UNKNOWN_TYPE && config.skipUnknown) {
      return skipped(config, error);
    }
    return new Refusal(
      error,
      length === HEADER_TOO_LARGE
        ? CloseCode.MessageTooBig
        : CloseCode.ProtocolError,
    );
  }
  const type = bytes[layout.typeOffset];
  const size = layout.headerSize + length;
  if (bytes.length !== size) {
    return new Refusal(
      bytes.length < size
        ? new FrameError(
          "truncated",
          `a message of ${bytes.length} bytes holds part of a ${size}-byte frame; each message must be exactly one frame`,
          { msgType: type, length },
        )
        : new FrameError(
          "bad_message",
          `a message of ${bytes.length} bytes holds ${
            bytes.length - size
          } bytes after its ${size}-byte frame; each message must be exactly one frame`,
          { msgType: type, length },
        ),
      CloseCode.ProtocolError,
    );
  }
  if (!checksumMatches(layout, bytes, 0, length)) {
    const error = checksumError(layout, bytes, 0, length);
    if (config.skipBadChecksum) return skipped(config, error);
    return new Refusal(error, CloseCode.ProtocolError);
  }
  if (codec.directionOf(type) === ownDirection) {
    const error = new FrameError(
      "wrong_direction",
      `received ${typeName(codec, type)} from the ${
        side === "client" ? "server" : "client"
      }, but only a ${side} sends it`,
      { msgType: type, length },
    );
    if (config.skipWrongDirection) return skipped(config, error);
    return new Refusal(error, CloseCode.ProtocolError);
  }
  return codec.frame(type, bytes.subarray(layout.headerSize));
}
