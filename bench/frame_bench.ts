// Frame encode/decode speed against the literal port of the Rust code
// (`new Uint8Array` + `set` to encode, `slice()` to decode), in one run.
// Every iteration handles all 256 frames of its size, so time per frame =
// time per iteration / 256 (a single ~35 ns call is too short for the
// bench's clock). bench/frame_core.ts runs each case in its own process and
// checks the targets; bench/README.md quotes it.
import { SyncFrame, SyncMessageType } from "../mod.ts";
import { FrameCursor } from "../transport/stream.ts";

const SIZES = [16, 256, 4096, 65536];
// Enough distinct frames that nothing is folded into a constant.
const FRAMES = 256;

function wireFrames(bodySize: number): Uint8Array[] {
  return Array.from({ length: FRAMES }, (_, i) => {
    const body = new Uint8Array(bodySize).fill(i & 0xff);
    return new SyncFrame(SyncMessageType.DeltaPush, body).toBytes().slice();
  });
}

/** The literal port of Rust `from_bytes` (copying body). */
function baselineDecode(data: Uint8Array): { type: number; body: Uint8Array } {
  if (data.length < 5) throw new Error("short");
  const length = new DataView(data.buffer, data.byteOffset).getUint32(1, true);
  if (data.length < 5 + length) throw new Error("truncated");
  return { type: data[0], body: data.slice(5, 5 + length) };
}

/** The literal port of Rust `to_bytes`. */
function baselineEncode(type: number, body: Uint8Array): Uint8Array {
  const out = new Uint8Array(5 + body.length);
  out[0] = type;
  new DataView(out.buffer).setUint32(1, body.length, true);
  out.set(body, 5);
  return out;
}

let sink = 0;
for (const size of SIZES) {
  // Built on a case's first call, so that a process running one case (as
  // bench/frame_core.ts does) holds only that size's frames.
  let built: { wire: Uint8Array[]; frames: SyncFrame[] } | undefined;
  const data = () => {
    if (built === undefined) {
      const wire = wireFrames(size);
      built = {
        wire,
        frames: wire.map((bytes) => SyncFrame.decode(bytes, { copy: true })),
      };
    }
    return built;
  };

  Deno.bench({
    name: `baseline decode (slice) ${size} B`,
    group: `decode ${size} B`,
    baseline: true,
    fn: () => {
      const { wire } = data();
      for (let i = 0; i < FRAMES; i++) {
        sink ^= baselineDecode(wire[i]).body.length;
      }
    },
  });
  Deno.bench({
    name: `SyncFrame.decode view ${size} B`,
    group: `decode ${size} B`,
    fn: () => {
      const { wire } = data();
      for (let i = 0; i < FRAMES; i++) {
        sink ^= SyncFrame.decode(wire[i]).body.length;
      }
    },
  });
  Deno.bench({
    name: `SyncFrame.decode copy ${size} B`,
    group: `decode ${size} B`,
    fn: () => {
      const { wire } = data();
      for (let i = 0; i < FRAMES; i++) {
        sink ^= SyncFrame.decode(wire[i], { copy: true }).body.length;
      }
    },
  });

  const target = new Uint8Array(5 + size);
  Deno.bench({
    name: `baseline encode (new Uint8Array + set) ${size} B`,
    group: `encode ${size} B`,
    baseline: true,
    fn: () => {
      const { frames } = data();
      for (let i = 0; i < FRAMES; i++) {
        sink ^= baselineEncode(frames[i].msgType, frames[i].body).length;
      }
    },
  });
  Deno.bench({
    name: `SyncFrame.toBytes ${size} B`,
    group: `encode ${size} B`,
    fn: () => {
      const { frames } = data();
      for (let i = 0; i < FRAMES; i++) sink ^= frames[i].toBytes().length;
    },
  });
  Deno.bench({
    name: `SyncFrame.encodeInto ${size} B`,
    group: `encode ${size} B`,
    fn: () => {
      const { frames } = data();
      for (let i = 0; i < FRAMES; i++) sink ^= frames[i].encodeInto(target);
    },
  });
}

globalThis.addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});

// Header-only walk: no frame objects, no views. 256 small frames stay in
// cache, so this measures the per-frame cost of the header path itself.
{
  const FRAMES_IN_BUFFER = 256;
  const one = new SyncFrame(SyncMessageType.PingPong, new Uint8Array(16))
    .toBytes();
  const buffer = new Uint8Array(one.length * FRAMES_IN_BUFFER);
  for (let k = 0; k < FRAMES_IN_BUFFER; k++) buffer.set(one, k * one.length);
  Deno.bench({
    name: `FrameCursor header walk, ${FRAMES_IN_BUFFER} frames of 21 B`,
    group: "header only",
    n: 20_000,
    fn: () => {
      const cursor = new FrameCursor(buffer);
      while (cursor.next()) sink ^= cursor.bodyEnd;
    },
  });
  Deno.bench({
    name: `baseline header walk (DataView), ${FRAMES_IN_BUFFER} frames of 21 B`,
    group: "header only",
    baseline: true,
    n: 20_000,
    fn: () => {
      const view = new DataView(buffer.buffer);
      let at = 0;
      while (at + 5 <= buffer.length) {
        const length = view.getUint32(at + 1, true);
        if (at + 5 + length > buffer.length) break;
        sink ^= at + 5 + length;
        at += 5 + length;
      }
    },
  });
}
