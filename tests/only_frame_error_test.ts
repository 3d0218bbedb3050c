// Only FrameError leaves the public API: hostile values given to encoders and
// wrong argument types give FrameError "bad_value", never a TypeError.
import assert from "node:assert/strict";
import * as r04 from "../mod.ts";
import * as r07 from "../entries/2026-07.ts";
import { FrameCursor, FrameDecoder } from "../transport/stream.ts";
import { encodeFromJson, inspect } from "../tools/cli.ts";

function badValue(path?: string) {
  return (e: unknown) => {
    assert.ok(e instanceof r04.FrameError, `not a FrameError: ${e}`);
    assert.equal(e.code, "bad_value");
    if (path !== undefined) assert.equal(e.path, path);
    return true;
  };
}

// One loop over both revisions; their modules have the same names, but TS
// cannot call a union of two generic signatures, so the loop sees one shape.
const REVISIONS = [["2026-04", r04], [
  "2026-07",
  r07 as unknown as typeof r04,
]] as const;
for (const [name, rev] of REVISIONS) {
  Deno.test(`${name} typed encoders turn a throwing getter into bad_value naming the field`, () => {
    const evil = {
      get timestampMs(): bigint {
        throw new TypeError("boom");
      },
      isPong: false,
    };
    assert.throws(
      () => rev.encodeMessage(rev.SyncMessageType.PingPong, evil),
      (e) => {
        badValue("PingPongMsg.timestamp_ms")(e);
        assert.ok((e as Error).cause instanceof TypeError);
        return true;
      },
    );
  });

  Deno.test(`${name} typed encoders turn a Proxy trap's error into bad_value`, () => {
    const trap = new Proxy({}, {
      get() {
        throw new RangeError("trap");
      },
    });
    assert.throws(
      () => rev.encodePingPongMsg(trap as never),
      badValue("PingPongMsg.timestamp_ms"),
    );
  });

  Deno.test(`${name} typed encoders turn a Map iterator's error into bad_value`, () => {
    const clock = new Map([["users", 1n]]);
    clock[Symbol.iterator] = () => {
      throw new Error("iterator");
    };
    assert.throws(
      () => rev.encodeHandshakeAckMsg({ serverClock: clock } as never),
      (e) => e instanceof r04.FrameError && e.code === "bad_value",
    );
  });

  Deno.test(`${name} SyncFrame rejects non-Uint8Array arguments with bad_value`, () => {
    const frame = new rev.SyncFrame(
      rev.SyncMessageType.PingPong,
      new Uint8Array([0xc0]),
    );
    assert.throws(() => rev.SyncFrame.decode(null as never), badValue());
    assert.throws(
      () => rev.SyncFrame.decode(new ArrayBuffer(6) as never),
      badValue(),
    );
    assert.throws(
      () => rev.SyncFrame.fromBytes(undefined as never),
      badValue(),
    );
    assert.throws(() => frame.encodeInto(null as never), badValue());
    assert.throws(() => rev.decodeMessage(null as never), badValue());
    assert.throws(
      () => new rev.SyncFrame(rev.SyncMessageType.PingPong, [0xc0] as never),
      badValue(),
    );
  });
}

Deno.test("the transports and the inspector reject non-Uint8Array input with bad_value", () => {
  assert.throws(() => new FrameCursor(null as never), badValue());
  assert.throws(() => new FrameDecoder().push("ff" as never), badValue());
  assert.throws(() => inspect(null as never), badValue());
  assert.throws(() => encodeFromJson("PingPong", 5 as never), badValue());
});
