// Small-buffer pool. In V8 every `new Uint8Array(n)` (a fresh ArrayBuffer)
// costs about a microsecond, while a view into an existing buffer costs ~20 ns.
// Small frames and owned bodies are therefore carved out of 64 KiB slabs, as
// Node's Buffer pool does. A carved region is never handed out twice and is
// never written by the library after it is returned, so it is owned by the
// caller; its `byteOffset` may be non-zero and its `buffer` is shared.

const SLAB_SIZE = 64 * 1024;

/** Requests above this size get a buffer of their own. */
export const POOL_MAX = 4 * 1024;

let slab = new Uint8Array(SLAB_SIZE);
let used = 0;

/** Returns `n` zeroed bytes owned by the caller, pooled when small. */
export function allocate(n: number): Uint8Array {
  if (n > POOL_MAX) return new Uint8Array(n);
  if (used + n > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    used = 0;
  }
  const start = used;
  // 8-byte alignment keeps DataView reads on later views cheap.
  used = (start + n + 7) & ~7;
  return slab.subarray(start, start + n);
}

/** Returns an owned copy of `source[start, end)`, pooled when small. */
export function copyOf(
  source: Uint8Array,
  start: number,
  end: number,
): Uint8Array {
  const out = allocate(end - start);
  out.set(source.subarray(start, end));
  return out;
}
