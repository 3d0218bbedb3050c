/**
 * Wire frames of NodeDB's sync protocol, April 2026 revision (NodeDB ≤ 0.3),
 * for Deno, browsers and Node. Today's NodeDB (≥ 0.4.0) speaks the July 2026
 * revision: import `@sync/frame/2026-07` for it; the names are the same.
 *
 * A frame is `[msg_type: 1 byte][length: u32 LE][body: length bytes]`; the
 * body is one MessagePack value. {@linkcode SyncFrame} mirrors the Rust
 * `SyncFrame` one-to-one (`toBytes`, `fromBytes`, `newMsgpack`, `tryEncode`,
 * `decodeBody`) and adds what a TypeScript user of an untrusted peer needs:
 * typed errors ({@linkcode FrameError} with a stable `code`), a body size
 * limit checked from the header alone, a bounded MessagePack reader, typed
 * bodies ({@linkcode encodeMessage} / {@linkcode decodeMessage}) and CRC-32C
 * ({@linkcode crc32c}, for `DeltaPushMsg.checksum`).
 *
 * @example Build, send and read a ping
 * ```ts
 * import { SyncFrame, SyncMessageType } from "@sync/frame";
 * import assert from "node:assert/strict";
 *
 * const ping = SyncFrame.newMsgpack(SyncMessageType.PingPong, [12345, false]);
 * assert.ok(ping);
 * const bytes = ping.toBytes();
 * assert.deepEqual(
 *   Array.from(bytes),
 *   [0xff, 0x05, 0x00, 0x00, 0x00, 0x92, 0xcd, 0x30, 0x39, 0xc2],
 * );
 *
 * const received = SyncFrame.decode(bytes);
 * assert.equal(received.msgType, SyncMessageType.PingPong);
 * assert.deepEqual(received.decodeBody(), [12345, false]);
 * ```
 *
 * @module
 */

export * from "./generated/2026-04/mod.ts";
