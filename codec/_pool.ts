// The one small-buffer pool. In V8 every `new Uint8Array(n)` (a fresh
// ArrayBuffer) costs about a microsecond, while a view into an existing buffer
// costs ~20 ns. Small frames, owned bodies and typed-encoder output are
// therefore carved out of 64 KiB slabs, as Node's Buffer pool does. A carved
// region is never handed out twice and is never written by the library after
// it is returned, so it is owned by the caller; its `byteOffset` may be
// non-zero and its `buffer` is shared.

import { copyBytes, SHORT_COPY } from "./_copy_bytes.ts";

/** Size of one slab. */
export const SLAB_SIZE = 64 * 1024;

/** Requests above this size get a buffer of their own. */
export const POOL_MAX = 4 * 1024;

/** The current slab and how much of it is handed out (shared with the typed encoders). */
export const POOL: { slab: Uint8Array; view: DataView; used: number } = {
  slab: new Uint8Array(SLAB_SIZE),
  view: new DataView(new ArrayBuffer(0)),
  used: 0,
};
POOL.view = new DataView(POOL.slab.buffer);

/** Replaces the current slab with a fresh one. */
export function freshSlab(): void {
  POOL.slab = new Uint8Array(SLAB_SIZE);
  POOL.view = new DataView(POOL.slab.buffer);
  POOL.used = 0;
}

/** Marks `slab[.., end)` as handed out; 8-byte alignment keeps DataView reads cheap. */
export function claim(end: number): void {
  POOL.used = (end + 7) & ~7;
}

/** Returns `n` zeroed bytes owned by the caller, pooled when small. */
export function allocate(n: number): Uint8Array {
  if (n > POOL_MAX) return new Uint8Array(n);
  if (POOL.used + n > SLAB_SIZE) freshSlab();
  const start = POOL.used;
  claim(start + n);
  // A view made from the buffer costs less than `subarray`.
  return new Uint8Array(POOL.slab.buffer, start, n);
}

/** Returns an owned copy of `source[start, end)`, pooled when small. */
export function copyOf(
  source: Uint8Array,
  start: number,
  end: number,
): Uint8Array {
  const n = end - start;
  if (n > POOL_MAX) return source.slice(start, end);
  if (POOL.used + end > SLAB_SIZE) freshSlab();
  const at = POOL.used;
  const slab = POOL.slab;
  if (n > SHORT_COPY && end === source.length && start <= 16) {
    // A whole small frame: copying its few header bytes too spares a view.
    slab.set(source, at);
    claim(at + end);
    return new Uint8Array(slab.buffer, at + start, n);
  }
  copyBytes(slab, at, source, start, n);
  claim(at + n);
  return new Uint8Array(slab.buffer, at, n);
}
