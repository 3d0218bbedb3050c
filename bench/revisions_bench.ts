// The two frame layouts side by side in one run: 2026-04 (5-byte header) and
// 2026-07 (10-byte header with the body's CRC-32C, written on encode and
// checked on decode), with CRC-32C alone over the same body as the baseline
// of the 2026-07 decode (issue target: decode with CRC check within 1.5× of
// CRC-32C alone at 4 KiB).
import * as r04 from "../mod.ts";
import * as r07 from "../entries/2026-07.ts";
import { crc32c } from "../codec/crc32c.ts";

const SIZES = [16, 256, 4096, 65536];
const FRAMES = 64;

let sink = 0;
for (const size of SIZES) {
  const bodies = Array.from(
    { length: FRAMES },
    (_, i) => new Uint8Array(size).fill(i & 0xff),
  );
  const old = bodies.map((b) =>
    new r04.SyncFrame(r04.SyncMessageType.DeltaPush, b)
  );
  const now = bodies.map((b) =>
    new r07.SyncFrame(r07.SyncMessageType.DeltaPush, b)
  );
  const oldWire = old.map((f) => f.toBytes().slice());
  const nowWire = now.map((f) => f.toBytes().slice());
  const target = new Uint8Array(size + 16);
  let i = 0;

  Deno.bench({
    name: `2026-04 SyncFrame.decode ${size} B`,
    group: `decode ${size} B`,
    fn: () => {
      sink ^= r04.SyncFrame.decode(oldWire[i++ & (FRAMES - 1)]).body.length;
    },
  });
  Deno.bench({
    name: `2026-07 SyncFrame.decode (CRC checked) ${size} B`,
    group: `decode ${size} B`,
    fn: () => {
      sink ^= r07.SyncFrame.decode(nowWire[i++ & (FRAMES - 1)]).body.length;
    },
  });
  Deno.bench({
    name: `CRC-32C alone ${size} B`,
    group: `decode ${size} B`,
    baseline: true,
    fn: () => {
      sink ^= crc32c(bodies[i++ & (FRAMES - 1)]);
    },
  });
  Deno.bench({
    name: `2026-04 encodeInto ${size} B`,
    group: `encodeInto ${size} B`,
    baseline: true,
    fn: () => {
      sink ^= old[i++ & (FRAMES - 1)].encodeInto(target);
    },
  });
  Deno.bench({
    name: `2026-07 encodeInto (CRC written) ${size} B`,
    group: `encodeInto ${size} B`,
    fn: () => {
      sink ^= now[i++ & (FRAMES - 1)].encodeInto(target);
    },
  });
}

addEventListener("unload", () => {
  if (sink === 0.5) console.log(sink);
});
