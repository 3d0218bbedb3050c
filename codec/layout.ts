/**
 * The frame layout of a wire revision, as data: where each header field sits
 * and which type bytes exist. Each revision's generated `message_type.ts`
 * defines one; the header codecs, `SyncFrame`, the stream decoder and the
 * transports read it, so no code knows a revision's header by heart.
 *
 * @module
 */

/** Where the fields of a frame header sit, and which message types exist. */
export interface FrameLayout {
  /** The revision label, e.g. `"2026-07"`. */
  readonly revision: string;
  /** Header size in bytes (5 in 2026-04, 10 in 2026-07). */
  readonly headerSize: number;
  /** Offset of the format version byte, or -1 when the layout has none. */
  readonly versionOffset: number;
  /** The only accepted format version byte (ignored when `versionOffset` is -1). */
  readonly version: number;
  /** Offset of the message type byte. */
  readonly typeOffset: number;
  /** Offset of the u32 little-endian body length. */
  readonly lengthOffset: number;
  /** Offset of the u32 little-endian CRC-32C of the body, or -1 when there is none. */
  readonly checksumOffset: number;
  /** 256 entries: 1 where the byte is a message type code of the revision. */
  readonly knownTypes: Uint8Array;
  /** The message type's name, or `undefined` for a byte that is not a code. */
  readonly typeName: (type: number) => string | undefined;
}
