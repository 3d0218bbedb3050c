// The byte copy of the stream decoder: a loop for a few bytes, `set` above.

// Below this many bytes a copy loop beats creating a subarray for `set`.
const SHORT_COPY = 32;

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
  } else {
    target.set(source.subarray(from, from + length), to);
  }
}
