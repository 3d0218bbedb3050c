// Decodes one hostile body in a process whose V8 heap is capped near the
// documented bound (16 × body + 64 MiB, plus the body itself and the
// runtime's own baseline): a decoder that retained more would abort the
// process with out-of-memory instead of printing. Prints one JSON line.
//
// Usage: decode_budget_child.ts <attack> <MiB> [<decodeBudget bytes>]
import * as r04 from "../../mod.ts";
import * as r07 from "../../entries/2026-07.ts";

const [attack, mib, budgetArg] = Deno.args;
const size = Number(mib) * 1024 * 1024;
const options = budgetArg === undefined
  ? undefined
  : { decodeBudget: Number(budgetArg) };

/** A MessagePack array32 header. */
function array32(n: number): number[] {
  return [0xdd, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}
function map32(n: number): number[] {
  return [0xdf, n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
}

function body(): Uint8Array {
  switch (attack) {
    case "array-delta-batch": {
      // [array: "a", op_payloads: n × empty Vec<u8>] — each a new buffer.
      const n = size - 16;
      const head = [0x92, 0xa1, 0x61, ...array32(n)];
      const out = new Uint8Array(head.length + n).fill(0x90);
      out.set(head);
      return out;
    }
    case "vector-clock": {
      // Handshake whose vector_clock is n × (distinct 4-char key → {}): a
      // Map and a string per 6 bytes.
      const n = Math.floor((size - 16) / 6);
      const head = [0x97, 0xa0, ...map32(n)];
      const tail = [0x90, 0xa0, 0xa0, 0x00, 0x01];
      const out = new Uint8Array(head.length + 6 * n + tail.length);
      out.set(head);
      for (let i = 0, at = head.length; i < n; i++, at += 6) {
        out[at] = 0xa4;
        let k = i;
        for (let c = 1; c <= 4; c++) {
          out[at + c] = 0x20 + (k % 95);
          k = Math.floor(k / 95);
        }
        out[at + 5] = 0x80;
      }
      out.set(tail, head.length + 6 * n);
      return out;
    }
    case "generic-empty-maps": {
      // A generic body: an array of n empty maps, a plain object per byte.
      const n = size - 16;
      const out = new Uint8Array(5 + n).fill(0x80);
      out.set(array32(n));
      return out;
    }
    default:
      throw new Error(`unknown attack ${attack}`);
  }
}

const bytes = body();
let outcome: Record<string, unknown>;
try {
  if (attack === "generic-empty-maps") {
    const frame = new r07.SyncFrame(r07.SyncMessageType.PingPong, bytes);
    if (options === undefined) frame.decodeBodyOrThrow();
    else {
      // The generic reader's budget option, through the codec support.
      const { decodeMsgpack } = await import("../../codec/_msgpack.ts");
      decodeMsgpack(bytes, options);
    }
  } else if (attack === "array-delta-batch") {
    r07.decodeMessageBody(r07.SyncMessageType.ArrayDeltaBatch, bytes, options);
    r04.decodeMessageBody(r04.SyncMessageType.ArrayDeltaBatch, bytes, options);
  } else {
    r04.decodeMessageBody(r04.SyncMessageType.Handshake, bytes, options);
  }
  outcome = { decoded: true };
} catch (error) {
  outcome = error instanceof r04.FrameError
    ? { code: error.code, message: error.message, offset: error.offset }
    : { other: String(error) };
}
console.log(
  JSON.stringify({ ...outcome, heapUsed: Deno.memoryUsage().heapUsed }),
);
