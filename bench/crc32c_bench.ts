// CRC-32C speed of `codec/crc32c.ts` against `@aws-crypto/crc32c` (the
// baseline, so `deno bench` prints the ratio) at three body sizes.
import { crc32c as awsCrc32c } from "npm:@aws-crypto/crc32c@5.2.0";
import { crc32c } from "../codec/crc32c.ts";

const SIZES: Array<[string, number]> = [
  ["64 B", 64],
  ["4 KiB", 4096],
  ["64 KiB", 65536],
];

for (const [label, size] of SIZES) {
  // getRandomValues fills at most 64 KiB per call.
  const data = crypto.getRandomValues(new Uint8Array(size));
  if (crc32c(data) !== awsCrc32c(data)) throw new Error(`mismatch ${label}`);
  let sink = 0; // results kept so the calls cannot be dropped
  Deno.bench(`crc32c ${label} (ours)`, { group: label }, () => {
    sink ^= crc32c(data);
  });
  Deno.bench(
    `crc32c ${label} (@aws-crypto/crc32c)`,
    { group: label, baseline: true },
    () => {
      sink ^= awsCrc32c(data);
    },
  );
}
