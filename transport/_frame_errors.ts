// Framing errors shared by FrameDecoder and FrameCursor: an error with the
// stream offset attached, and the first bad byte of a partial header.

import { FrameError } from "../codec/error.ts";
import type { FrameLayout } from "../codec/layout.ts";
import {
  HEADER_BAD_VERSION,
  HEADER_UNKNOWN_TYPE,
  headerError,
} from "../codec/_header.ts";

/** The same error with the stream position of the offending frame attached. */
export function withOffset(error: FrameError, offset: number): FrameError {
  return new FrameError(error.code, `${error.message} (at byte ${offset})`, {
    msgType: error.msgType,
    length: error.length,
    version: error.version,
    expectedChecksum: error.expectedChecksum,
    actualChecksum: error.actualChecksum,
    offset,
  });
}

/** A partial header's first bad byte (version or type), if it has one. */
export function partialHeaderError(
  layout: FrameLayout,
  bytes: Uint8Array,
  at: number,
  available: number,
  max: number,
): FrameError | undefined {
  const v = layout.versionOffset;
  if (v >= 0 && v < available && bytes[at + v] !== layout.version) {
    return headerError(layout, bytes, at, HEADER_BAD_VERSION, max);
  }
  const t = layout.typeOffset;
  if (t < available && layout.knownTypes[bytes[at + t]] !== 1) {
    return headerError(layout, bytes, at, HEADER_UNKNOWN_TYPE, max);
  }
  return undefined;
}
