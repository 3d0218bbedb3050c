// Header codecs for every frame layout (codec/layout.ts), shared by SyncFrame,
// the typed codecs, the stream decoder and the transports. The check returns a
// number instead of throwing so hot loops and Rust-parity paths pay no
// exception cost; callers turn the negative results into FrameErrors.

import { crc32c } from "./crc32c.ts";
import { FrameError } from "./error.ts";
import type { FrameLayout } from "./layout.ts";
import { DEFAULT_MAX_BODY_SIZE, MAX_BODY_LENGTH } from "./constants.ts";

export { DEFAULT_MAX_BODY_SIZE, MAX_BODY_LENGTH };

/** Fewer than a header's bytes are available. */
export const HEADER_TOO_SHORT = -1;
/** The type byte is not a code of the revision. */
export const HEADER_UNKNOWN_TYPE = -2;
/** The declared body length is over the limit. */
export const HEADER_TOO_LARGE = -3;
/** The format version byte is not the revision's. */
export const HEADER_BAD_VERSION = -4;

/**
 * Reads the declared body length of the frame header at `offset`, checking
 * the checks Rust's `from_bytes` makes in its order: length, version, type.
 *
 * @returns The body length (≥ 0), or one of the negative `HEADER_*` results.
 */
export function readHeader(
  layout: FrameLayout,
  data: Uint8Array,
  offset: number,
  maxBodySize: number,
): number {
  if (data.length - offset < layout.headerSize) return HEADER_TOO_SHORT;
  const v = layout.versionOffset;
  if (v >= 0 && data[offset + v] !== layout.version) return HEADER_BAD_VERSION;
  if (layout.knownTypes[data[offset + layout.typeOffset]] !== 1) {
    return HEADER_UNKNOWN_TYPE;
  }
  const length = declaredLength(layout, data, offset);
  return length > maxBodySize ? HEADER_TOO_LARGE : length;
}

/** Reads the u32 LE length field of a header known to be complete. */
export function declaredLength(
  layout: FrameLayout,
  data: Uint8Array,
  offset: number,
): number {
  const at = offset + layout.lengthOffset;
  return (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) |
    (data[at + 3] << 24)) >>> 0;
}

/** Reads the u32 LE checksum field of a header known to be complete. */
export function declaredChecksum(
  layout: FrameLayout,
  data: Uint8Array,
  offset: number,
): number {
  const at = offset + layout.checksumOffset;
  return (data[at] | (data[at + 1] << 8) | (data[at + 2] << 16) |
    (data[at + 3] << 24)) >>> 0;
}

function putU32(target: Uint8Array, at: number, value: number): void {
  target[at] = value & 0xff;
  target[at + 1] = (value >>> 8) & 0xff;
  target[at + 2] = (value >>> 16) & 0xff;
  target[at + 3] = value >>> 24;
}

/**
 * Writes a frame header at `offset` for `msgType` and the body that is
 * already in place at `offset + headerSize` (its CRC-32C is computed there)
 * or is given as `body`.
 */
export function writeHeader(
  layout: FrameLayout,
  target: Uint8Array,
  offset: number,
  msgType: number,
  length: number,
  body?: Uint8Array,
): void {
  if (layout.versionOffset >= 0) {
    target[offset + layout.versionOffset] = layout.version;
  }
  target[offset + layout.typeOffset] = msgType;
  putU32(target, offset + layout.lengthOffset, length);
  if (layout.checksumOffset >= 0) {
    const start = offset + layout.headerSize;
    putU32(
      target,
      offset + layout.checksumOffset,
      crc32c(body ?? target.subarray(start, start + length)),
    );
  }
}

function hexByte(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}

/** Turns a negative `readHeader` result into its FrameError. */
export function headerError(
  layout: FrameLayout,
  data: Uint8Array,
  offset: number,
  result: number,
  max: number,
): FrameError {
  const msgType = data[offset + layout.typeOffset];
  switch (result) {
    case HEADER_TOO_SHORT:
      return new FrameError(
        "too_short",
        `need ${layout.headerSize} header bytes, got ${data.length - offset}`,
      );
    case HEADER_BAD_VERSION: {
      const version = data[offset + layout.versionOffset];
      return new FrameError(
        "bad_version",
        `frame format version ${version} is not ${layout.version} (revision ${layout.revision})`,
        { version },
      );
    }
    case HEADER_UNKNOWN_TYPE:
      return new FrameError(
        "unknown_type",
        `unknown message type byte ${hexByte(msgType)}`,
        { msgType },
      );
    case HEADER_TOO_LARGE: {
      const length = declaredLength(layout, data, offset);
      return new FrameError(
        "too_large",
        `frame declares a ${length}-byte body, over the ${max}-byte limit`,
        { msgType, length },
      );
    }
    default:
      return new FrameError("bad_value", `unexpected header result ${result}`);
  }
}

/**
 * Whether the checksum in the complete frame at `offset` matches its body
 * (always true for a layout without one).
 */
export function checksumMatches(
  layout: FrameLayout,
  data: Uint8Array,
  offset: number,
  length: number,
): boolean {
  if (layout.checksumOffset < 0) return true;
  const start = offset + layout.headerSize;
  return crc32c(data.subarray(start, start + length)) ===
    declaredChecksum(layout, data, offset);
}

/** The `bad_checksum` error for the complete frame at `offset`. */
export function checksumError(
  layout: FrameLayout,
  data: Uint8Array,
  offset: number,
  length: number,
): FrameError {
  const start = offset + layout.headerSize;
  return checksumMismatch(
    data[offset + layout.typeOffset],
    length,
    declaredChecksum(layout, data, offset),
    crc32c(data.subarray(start, start + length)),
  );
}

/** The `bad_checksum` error for a frame whose body's CRC-32C is `actual`. */
export function checksumMismatch(
  msgType: number,
  length: number,
  expected: number,
  actual: number,
): FrameError {
  const hex = (n: number) => `0x${n.toString(16).padStart(8, "0")}`;
  return new FrameError(
    "bad_checksum",
    `frame CRC-32C mismatch: the header says ${hex(expected)}, the body's is ${
      hex(actual)
    }`,
    { msgType, length, expectedChecksum: expected, actualChecksum: actual },
  );
}

/**
 * Checks the whole frame at the start of `data` and returns its body length.
 *
 * @throws {FrameError} `too_short`, `bad_version`, `unknown_type`,
 * `too_large`, `truncated` or `bad_checksum`.
 */
export function checkFrame(
  layout: FrameLayout,
  data: Uint8Array,
  maxBodySize: number,
): number {
  const length = readHeader(layout, data, 0, maxBodySize);
  if (length < 0) throw headerError(layout, data, 0, length, maxBodySize);
  const available = data.length - layout.headerSize;
  if (available < length) {
    throw new FrameError(
      "truncated",
      `frame declares a ${length}-byte body but only ${available} bytes follow the header`,
      { msgType: data[layout.typeOffset], length },
    );
  }
  if (!checksumMatches(layout, data, 0, length)) {
    throw checksumError(layout, data, 0, length);
  }
  return length;
}

/**
 * Rust `from_bytes`: the body length of the valid frame at the start of
 * `data`, or -1 in each of its "no frame" cases.
 */
export function frameLengthOrNone(
  layout: FrameLayout,
  data: Uint8Array,
): number {
  const length = readHeader(layout, data, 0, MAX_BODY_LENGTH);
  if (length < 0 || data.length - layout.headerSize < length) return -1;
  return checksumMatches(layout, data, 0, length) ? length : -1;
}
