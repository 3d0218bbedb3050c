// Storage for one large body that arrives over several chunks. It is kept in
// blocks that grow geometrically from FIRST_BLOCK up to MAX_BLOCK, so memory
// follows the bytes received (a hostile header cannot make the decoder
// reserve its declared length up front), then copied once into a buffer of
// its exact size when its last byte arrives.

import { copyBytes } from "../codec/_copy_bytes.ts";

const FIRST_BLOCK = 16 * 1024;
const MAX_BLOCK = 1024 * 1024;

/** The blocks of one incomplete body; all but the last are full. */
export class BodyBlocks {
  #blocks: Uint8Array[] = [];
  #allocated = 0;
  /** Bytes used in the last block. */
  #fill = 0;

  /** Whether no byte is stored. */
  get empty(): boolean {
    return this.#blocks.length === 0;
  }

  /** Stores `chunk[from, from + length)`, the next bytes of a `bodyLength`-byte body. */
  append(
    bodyLength: number,
    chunk: Uint8Array,
    from: number,
    length: number,
  ): void {
    let rest = length;
    const blocks = this.#blocks;
    const last = blocks[blocks.length - 1];
    if (last !== undefined && this.#fill < last.length) {
      const take = Math.min(rest, last.length - this.#fill);
      copyBytes(last, this.#fill, chunk, from, take);
      this.#fill += take;
      from += take;
      rest -= take;
    }
    if (rest > 0) {
      const growth = Math.min(
        Math.max(this.#allocated, FIRST_BLOCK),
        MAX_BLOCK,
      );
      const size = Math.min(
        bodyLength - this.#allocated,
        Math.max(rest, growth),
      );
      const block = new Uint8Array(size);
      copyBytes(block, 0, chunk, from, rest);
      blocks.push(block);
      this.#allocated += size;
      this.#fill = rest;
    }
  }

  /**
   * The whole `bodyLength`-byte body, whose last `need` bytes are
   * `chunk[from, from + need)`, in a buffer of its exact size. Empties the
   * storage.
   */
  finish(
    bodyLength: number,
    chunk: Uint8Array,
    from: number,
    need: number,
  ): Uint8Array {
    const blocks = this.#blocks;
    let body: Uint8Array;
    if (blocks.length === 1 && blocks[0].length === bodyLength) {
      body = blocks[0];
    } else {
      body = new Uint8Array(bodyLength);
      let at = 0;
      const lastIndex = blocks.length - 1;
      for (let k = 0; k < lastIndex; k++) {
        body.set(blocks[k], at);
        at += blocks[k].length;
      }
      body.set(blocks[lastIndex].subarray(0, this.#fill), at);
    }
    copyBytes(body, bodyLength - need, chunk, from, need);
    this.clear();
    return body;
  }

  /** Drops what is stored. */
  clear(): void {
    if (this.#blocks.length === 0) return;
    this.#blocks = [];
    this.#allocated = 0;
    this.#fill = 0;
  }
}
