/**
 * The main job (`deno task demo`): a Lite ↔ Origin sync session of today's
 * NodeDB wire (revision 2026-07) through `SyncClient` and `serveOrigin` on
 * loopback, with one injected connection drop and its recovery; then one
 * frame of every message type of the revision, each a real typed body (the
 * reference vectors, written by the Rust serializer), decoded by the typed
 * decoder and encoded back to the same bytes.
 *
 * Run: deno run --allow-net --allow-read examples/demo.ts [2026-04|2026-07]
 *
 * @module
 */

import { runSession } from "./session_demo.ts";
import * as r07 from "../entries/2026-07.ts";

const revision = Deno.args[0] === "2026-04" ? "2026-04" : "2026-07";
const recovered = await runSession(revision);

interface Vector {
  name: string;
  type_code: number;
  frame_hex: string;
}

const ARROW = {
  client_to_server: "C→S",
  server_to_client: "S→C",
  bidirectional: "C↔S",
} as const;

function hex(text: string): Uint8Array {
  return Uint8Array.from(text.match(/../g) ?? [], (b) => parseInt(b, 16));
}

function shown(bytes: Uint8Array, max = 18): string {
  const head = Array.from(
    bytes.subarray(0, max),
    (b) => b.toString(16).padStart(2, "0"),
  ).join(" ");
  return bytes.length > max ? `${head} …` : head;
}

const vectors: Vector[] = JSON.parse(
  await Deno.readTextFile(
    new URL("../tests/fixtures/vectors-2026-07.json", import.meta.url),
  ),
);
console.log(
  "\nOne frame per message type of 2026-07, each a real typed body decoded and re-encoded:\ncode  name                    dir  bytes  fields  frame",
);
let exact = 0;
for (const type of r07.SYNC_MESSAGE_TYPES) {
  const vector = vectors.find((v) => v.type_code === type)!;
  const bytes = hex(vector.frame_hex);
  const message = r07.decodeMessage(bytes);
  const again = r07.encodeMessage(message.type, message.body);
  const same = again.length === bytes.length &&
    again.every((b, i) => b === bytes[i]);
  if (same) exact++;
  console.log(
    `0x${type.toString(16).padStart(2, "0")}  ${
      r07.SyncMessageType[type].padEnd(22)
    }  ${ARROW[r07.directionOf(type)]}  ${String(bytes.length).padStart(5)}  ${
      String(Object.keys(message.body).length).padStart(6)
    }  ${shown(bytes)}${same ? "" : "  MISMATCH"}`,
  );
}
console.log(
  `\n${exact}/${r07.SYNC_MESSAGE_TYPES.length} message types decode to typed bodies and re-encode byte for byte.`,
);
if (!recovered || exact !== r07.SYNC_MESSAGE_TYPES.length) Deno.exit(1);
