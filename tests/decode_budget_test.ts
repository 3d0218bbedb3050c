// The decoding budget: no body, whatever its bytes, makes the process retain
// more than 16 × its length + 64 MiB. Each attack runs in a child process
// whose heap is capped just above that bound, so a decoder that kept more
// would abort the child (failing the test) instead of the runner.
import assert from "node:assert/strict";
import { decodeMessageBody, FrameError, SyncMessageType } from "../mod.ts";

const CHILD = new URL("./stress/decode_budget_child.ts", import.meta.url)
  .pathname;
async function attack(name: string, MIB: number, extra: string[] = []) {
  // The bound for the body (16 × body + 64 MiB), the body itself (and its
  // builder's copy), and the runtime's baseline.
  const heapMiB = 16 * MIB + 64 + 2 * MIB + 48;
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      `--v8-flags=--max-old-space-size=${heapMiB}`,
      CHILD,
      name,
      String(MIB),
      ...extra,
    ],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const text = new TextDecoder();
  assert.equal(
    code,
    0,
    `child exited ${code}: ${text.decode(stderr).slice(-400)}`,
  );
  return JSON.parse(text.decode(stdout));
}

// Sizes at which each attack, without the budget, takes the child past its
// heap cap (checked by hand with decodeBudget: 1e15): 50–200 bytes per byte.
for (
  const [name, MIB] of [["array-delta-batch", 8], ["vector-clock", 16]] as const
) {
  Deno.test(`a ${MIB} MiB ${name} body stops at the decoding budget with bad_body, within the heap bound`, async () => {
    const result = await attack(name, MIB);
    assert.equal(result.code, "bad_body", JSON.stringify(result));
    assert.match(result.message, /decoding budget exceeded/);
  });
}

Deno.test("decodeBudget lowers the budget for one call", () => {
  // Four empty lists of bytes: 4 × 200 bytes charged, over a 500-byte budget.
  const body = new Uint8Array([0x92, 0xa1, 0x61, 0x94, 0x90, 0x90, 0x90, 0x90]);
  assert.deepEqual(
    decodeMessageBody(SyncMessageType.ArrayDeltaBatch, body).body.opPayloads
      .length,
    4,
  );
  assert.throws(
    () =>
      decodeMessageBody(SyncMessageType.ArrayDeltaBatch, body, {
        decodeBudget: 500,
      }),
    (e) =>
      e instanceof FrameError && e.code === "bad_body" &&
      /decoding budget exceeded/.test(e.message) &&
      e.path === "ArrayDeltaBatchMsg.op_payloads[0]",
  );
});

Deno.test("decodeBudget must be a number of bytes", () => {
  assert.throws(
    () =>
      decodeMessageBody(
        SyncMessageType.PingPong,
        new Uint8Array([0x92, 0, 0xc2]),
        {
          decodeBudget: -1,
        },
      ),
    (e) => e instanceof FrameError && e.code === "bad_value",
  );
});

Deno.test("generic decoding (decodeBody) stops at the same budget", async () => {
  const { SyncFrame, SyncMessageType } = await import("../mod.ts");
  // 200 empty maps: 200 × 56 bytes charged, over a 10 000-byte budget.
  const body = new Uint8Array([0xdc, 0x00, 0xc8, ...new Array(200).fill(0x80)]);
  const frame = new SyncFrame(SyncMessageType.PingPong, body);
  assert.equal((frame.decodeBodyOrThrow() as unknown[]).length, 200);
  const { decodeMsgpack } = await import("../codec/_msgpack.ts");
  assert.throws(
    () => decodeMsgpack(body, { decodeBudget: 10_000 }),
    (e) =>
      e instanceof FrameError && e.code === "bad_body" &&
      /decoding budget exceeded/.test(e.message),
  );
});
