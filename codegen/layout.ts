/**
 * Frame-layout facts computed from a spec's `frame` section: field offsets,
 * the header size, the layout as prose, and example frame bytes (with their
 * CRC-32C) for doc examples.
 *
 * @module
 */

import { crc32c } from "../codec/crc32c.ts";
import { HEADER_FIELDS } from "./spec.ts";
import type { HeaderField, Spec } from "./spec.ts";

/** Offsets of the header fields (-1 when absent) and the header size. */
export interface LayoutFacts {
  /** Bytes before the body. */
  headerSize: number;
  /** Offset of each field, or -1. */
  offsets: Record<HeaderField, number>;
}

/** Computes a spec's layout facts. */
export function layoutOf(spec: Spec): LayoutFacts {
  const offsets: Record<HeaderField, number> = {
    version: -1,
    msg_type: -1,
    length: -1,
    crc32c: -1,
  };
  let at = 0;
  for (const field of spec.frame.header) {
    offsets[field] = at;
    at += HEADER_FIELDS[field];
  }
  return { headerSize: at, offsets };
}

const FIELD_TEXT: Record<HeaderField, (spec: Spec) => string> = {
  version: (spec) => `[version u8 = ${spec.frame.version}]`,
  msg_type: () => "[msg_type u8]",
  length: () => "[length u32 LE]",
  crc32c: () => "[crc32c(body) u32 LE]",
};

/** The layout in prose, e.g. `` `[msg_type u8][length u32 LE][body]` ``. */
export function frameText(spec: Spec): string {
  return "`" + spec.frame.header.map((f) => FIELD_TEXT[f](spec)).join("") +
    "[body]`";
}

/** The bytes of a frame of `type` with `body`, as the generated code writes it. */
export function exampleFrame(
  spec: Spec,
  type: number,
  body: number[],
): number[] {
  const { headerSize, offsets } = layoutOf(spec);
  const out = new Array<number>(headerSize).fill(0);
  const u32 = (at: number, v: number) => {
    for (let i = 0; i < 4; i++) out[at + i] = (v >>> (8 * i)) & 0xff;
  };
  if (offsets.version >= 0) out[offsets.version] = spec.frame.version!;
  out[offsets.msg_type] = type;
  u32(offsets.length, body.length);
  if (offsets.crc32c >= 0) u32(offsets.crc32c, crc32c(new Uint8Array(body)));
  return [...out, ...body];
}

/** Bytes as TS array source: `[0xff, 0x05, …]`. */
export function byteArrayText(bytes: number[]): string {
  return `[${
    bytes.map((b) => `0x${b.toString(16).padStart(2, "0")}`).join(", ")
  }]`;
}
