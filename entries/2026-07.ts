/**
 * Wire frames of NodeDB's sync protocol, July 2026 revision (NodeDB ≥ 0.4.0):
 * frame format version 1, `[version=1][msg_type][u32 LE length][crc32c u32
 * LE][body]`, 49 message codes, bodies as zerompk 0.7.1 writes them (enum
 * unit variants as bare strings), handshake {@linkcode WIRE_VERSION} 1.
 *
 * The surface is the same as `@sync/frame` (the April 2026 revision):
 * {@linkcode SyncFrame}, {@linkcode SyncMessageType}, {@linkcode fromU8},
 * {@linkcode directionOf}, typed bodies with {@linkcode encodeMessage} /
 * {@linkcode decodeMessage}, {@linkcode FrameError} and {@linkcode crc32c}.
 * `SyncFrame.toBytes` writes the CRC-32C of the body; `fromBytes` returns
 * `undefined` and `decode` throws `"bad_version"` or `"bad_checksum"` when the
 * version byte or the checksum is wrong.
 *
 * @example A ping, with its checksum
 * ```ts
 * import { crc32c, decodeMessage, encodeMessage, SyncMessageType } from "@sync/frame/2026-07";
 * import assert from "node:assert/strict";
 *
 * const frame = encodeMessage(SyncMessageType.PingPong, { timestampMs: 12345n, isPong: false });
 * assert.deepEqual(
 *   Array.from(frame),
 *   [0x01, 0xff, 0x05, 0, 0, 0, 0x76, 0xea, 0x5d, 0x00, 0x92, 0xcd, 0x30, 0x39, 0xc2],
 * );
 * assert.equal(crc32c(frame.subarray(10)), 0x005dea76);
 * assert.deepEqual(decodeMessage(frame).body, { timestampMs: 12345n, isPong: false });
 * ```
 *
 * @example A corrupted body is refused
 * ```ts
 * import { FrameError, SyncFrame } from "@sync/frame/2026-07";
 * import assert from "node:assert/strict";
 *
 * const bytes = new Uint8Array([0x01, 0xff, 0x05, 0, 0, 0, 0x76, 0xea, 0x5d, 0x00, 0x92, 0xcd, 0x30, 0x39, 0xc3]);
 * assert.equal(SyncFrame.fromBytes(bytes), undefined);
 * assert.throws(
 *   () => SyncFrame.decode(bytes),
 *   (e) => e instanceof FrameError && e.code === "bad_checksum" && e.expectedChecksum === 0x005dea76,
 * );
 * ```
 *
 * @module
 */

export * from "../generated/2026-07/mod.ts";
