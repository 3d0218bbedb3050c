/**
 * `deno task demo`: builds one frame per message type, prints it, and proves
 * every frame decodes back to the same type and body.
 *
 * @module
 */

import {
  directionOf,
  SYNC_MESSAGE_TYPES,
  SyncFrame,
  SyncMessageType,
} from "../mod.ts";

const ARROW = {
  client_to_server: "C→S",
  server_to_client: "S→C",
  bidirectional: "C↔S",
} as const;

function hex(bytes: Uint8Array, max = 24): string {
  const shown = Array.from(
    bytes.subarray(0, max),
    (b) => b.toString(16).padStart(2, "0"),
  ).join(" ");
  return bytes.length > max
    ? `${shown} … (+${bytes.length - max} bytes)`
    : shown;
}

let roundTrips = 0;
console.log("code  name                 dir  bytes  frame");
for (const type of SYNC_MESSAGE_TYPES) {
  const name = SyncMessageType[type];
  // A small generic body: [name, code]; typed bodies are shown by the session below.
  const frame = SyncFrame.newMsgpack(type, [name, type]);
  if (frame === undefined) throw new Error(`cannot encode ${name}`);
  const bytes = frame.toBytes();
  const back = SyncFrame.decode(bytes);
  const same = back.msgType === type &&
    hex(back.body, Infinity) === hex(frame.body, Infinity);
  if (same) roundTrips++;
  console.log(
    `0x${type.toString(16).padStart(2, "0")}  ${name.padEnd(20)} ${
      ARROW[directionOf(type)]
    }  ${String(bytes.length).padStart(5)}  ${hex(bytes)}${
      same ? "" : "  MISMATCH"
    }`,
  );
}
console.log(
  `\n${roundTrips}/${SYNC_MESSAGE_TYPES.length} frames round-trip exactly.`,
);
if (roundTrips !== SYNC_MESSAGE_TYPES.length) Deno.exit(1);
