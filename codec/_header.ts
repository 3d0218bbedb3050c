// Header parsing shared by SyncFrame.decode/fromBytes and the stream decoder.
// Returns a number instead of throwing so hot loops and Rust-parity paths pay
// no exception cost; callers turn the negative results into FrameErrors.

import { SYNC_MESSAGE_TYPES } from "../generated/2026-04/message_type.ts";
import { FrameError } from "./error.ts";

/**
 * Default limit on a frame's body length: 64 MiB, the Rust peer's own
 * WebSocket message cap (tungstenite's default).
 */
export const DEFAULT_MAX_BODY_SIZE: number = 64 * 1024 * 1024;

/** The largest body length the u32 length field can express. */
export const MAX_BODY_LENGTH = 0xffff_ffff;

/** Frame header size: type byte + u32 LE body length. */
export const HEADER_SIZE = 5;

// One table lookup per header instead of a 30-way switch: the header check
// sits on every hot decode path.
const KNOWN_TYPE = new Uint8Array(256);
for (const type of SYNC_MESSAGE_TYPES) KNOWN_TYPE[type] = 1;

/** Whether `byte` is a message type code of this revision. */
export function isKnownType(byte: number): boolean {
  return KNOWN_TYPE[byte] === 1;
}

/** Fewer than 5 bytes are available. */
export const HEADER_TOO_SHORT = -1;
/** The type byte is not a code of this revision. */
export const HEADER_UNKNOWN_TYPE = -2;
/** The declared body length is over the limit. */
export const HEADER_TOO_LARGE = -3;

/**
 * Reads the declared body length of the frame header at `offset`.
 *
 * @returns The body length (≥ 0), or one of the negative `HEADER_*` results.
 */
export function readHeader(
  data: Uint8Array,
  offset: number,
  maxBodySize: number,
): number {
  if (data.length - offset < HEADER_SIZE) return HEADER_TOO_SHORT;
  if (KNOWN_TYPE[data[offset]] !== 1) return HEADER_UNKNOWN_TYPE;
  const length = (data[offset + 1] | (data[offset + 2] << 8) |
    (data[offset + 3] << 16) | (data[offset + 4] << 24)) >>> 0;
  return length > maxBodySize ? HEADER_TOO_LARGE : length;
}

/** Reads the u32 LE length field of a header known to be complete. */
export function declaredLength(data: Uint8Array, offset: number): number {
  return (data[offset + 1] | (data[offset + 2] << 8) |
    (data[offset + 3] << 16) | (data[offset + 4] << 24)) >>> 0;
}

/** Writes a frame header for `msgType` and `length` at `offset`. */
export function writeHeader(
  target: Uint8Array,
  offset: number,
  msgType: number,
  length: number,
): void {
  target[offset] = msgType;
  target[offset + 1] = length & 0xff;
  target[offset + 2] = (length >>> 8) & 0xff;
  target[offset + 3] = (length >>> 16) & 0xff;
  target[offset + 4] = length >>> 24;
}

function hexByte(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}

/** Turns a negative `readHeader` result into its FrameError. */
export function headerError(
  data: Uint8Array,
  offset: number,
  result: number,
  max: number,
): FrameError {
  switch (result) {
    case HEADER_TOO_SHORT:
      return new FrameError(
        "too_short",
        `need ${HEADER_SIZE} header bytes, got ${data.length - offset}`,
      );
    case HEADER_UNKNOWN_TYPE:
      return new FrameError(
        "unknown_type",
        `unknown message type byte ${hexByte(data[offset])}`,
        { msgType: data[offset] },
      );
    case HEADER_TOO_LARGE: {
      const length = declaredLength(data, offset);
      return new FrameError(
        "too_large",
        `frame declares a ${length}-byte body, over the ${max}-byte limit`,
        { msgType: data[offset], length },
      );
    }
    default:
      return new FrameError("bad_value", `unexpected header result ${result}`);
  }
}

/**
 * Checks the whole frame at the start of `data` and returns its body length.
 *
 * @throws {FrameError} `too_short`, `unknown_type`, `too_large` or `truncated`.
 */
export function checkFrame(data: Uint8Array, maxBodySize: number): number {
  const length = readHeader(data, 0, maxBodySize);
  if (length < 0) throw headerError(data, 0, length, maxBodySize);
  if (data.length - HEADER_SIZE < length) {
    throw new FrameError(
      "truncated",
      `frame declares a ${length}-byte body but only ${
        data.length - HEADER_SIZE
      } bytes follow the header`,
      { msgType: data[0], length },
    );
  }
  return length;
}
