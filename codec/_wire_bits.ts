// Small helpers of the typed reader: exact bigints from wire bytes without a
// runtime call, the shared small bigints, and marker names for errors.

/**
 * A scratch 8-byte view: DataView's 64-bit getters make a bigint far faster
 * than `BigInt(number)` (a runtime call), and no per-body DataView is needed.
 */
export const SCRATCH = new DataView(new ArrayBuffer(8));
export const SCRATCH_BYTES = new Uint8Array(SCRATCH.buffer);

/** A u32 number as a bigint. */
export function bigU32(n: number): bigint {
  SCRATCH.setUint32(0, 0);
  SCRATCH.setUint32(4, n);
  return SCRATCH.getBigUint64(0);
}

/** An int32 number as a bigint. */
export function bigI32(n: number): bigint {
  SCRATCH.setInt32(0, n >> 31);
  SCRATCH.setInt32(4, n);
  return SCRATCH.getBigInt64(0);
}

/** Copies the 8 big-endian bytes at `at` into the scratch view. */
export function scratch8(b: Uint8Array, at: number): DataView {
  const s = SCRATCH_BYTES;
  s[0] = b[at];
  s[1] = b[at + 1];
  s[2] = b[at + 2];
  s[3] = b[at + 3];
  s[4] = b[at + 4];
  s[5] = b[at + 5];
  s[6] = b[at + 6];
  s[7] = b[at + 7];
  return SCRATCH;
}

export const SMALL_BIGINTS: bigint[] = Array.from(
  { length: 256 },
  (_, i) => BigInt(i),
);

function markerName(m: number): string {
  return `0x${m.toString(16).padStart(2, "0")}`;
}

/** What a marker byte starts, for error messages. */
export function describe(m: number): string {
  if (m <= 0x7f) return `positive fixint (${markerName(m)})`;
  if (m >= 0xe0) return `negative fixint (${markerName(m)})`;
  if (m <= 0x8f) return `fixmap (${markerName(m)})`;
  if (m <= 0x9f) return `fixarray (${markerName(m)})`;
  if (m <= 0xbf) return `fixstr (${markerName(m)})`;
  const names: Record<number, string> = {
    0xc0: "nil",
    0xc1: "reserved",
    0xc2: "false",
    0xc3: "true",
    0xc4: "bin8",
    0xc5: "bin16",
    0xc6: "bin32",
    0xc7: "ext8",
    0xc8: "ext16",
    0xc9: "ext32",
    0xca: "float32",
    0xcb: "float64",
    0xcc: "uint8",
    0xcd: "uint16",
    0xce: "uint32",
    0xcf: "uint64",
    0xd0: "int8",
    0xd1: "int16",
    0xd2: "int32",
    0xd3: "int64",
    0xd4: "fixext1",
    0xd5: "fixext2",
    0xd6: "fixext4",
    0xd7: "fixext8",
    0xd8: "fixext16",
    0xd9: "str8",
    0xda: "str16",
    0xdb: "str32",
    0xdc: "array16",
    0xdd: "array32",
    0xde: "map16",
    0xdf: "map32",
  };
  return `${names[m]} (${markerName(m)})`;
}
