// The short byte copy of the frame core and the stream decoder: a loop for a
// few bytes, `set` above.

// Below this many bytes a copy loop beats creating a subarray for `set`.
export const SHORT_COPY = 32;

/** Copies `length` bytes of `source` at `from` into `target` at `to`. */
export function copyBytes(
  target: Uint8Array,
  to: number,
  source: Uint8Array,
  from: number,
  length: number,
): void {
  if (length <= SHORT_COPY) {
    for (let k = 0; k < length; k++) target[to + k] = source[from + k];
  } else if (from === 0 && length === source.length) {
    target.set(source, to);
  } else {
    target.set(source.subarray(from, from + length), to);
  }
}
