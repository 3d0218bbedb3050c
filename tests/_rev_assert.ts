// Shared assertions of the 2026-07 revision tests: FrameError codes and
// paths, and hand-written MessagePack fragments.
import assert from "node:assert/strict";
import { FrameError } from "../codec/error.ts";
import type { FrameErrorCode } from "../codec/error.ts";
import { toHex } from "./_vectors.ts";

/** A fixstr's hex: header byte and UTF-8 bytes (under 32 bytes). */
export function fixstr(text: string): string {
  const bytes = new TextEncoder().encode(text);
  assert.ok(bytes.length < 32, `${text} does not fit a fixstr`);
  return toHex(new Uint8Array([0xa0 | bytes.length, ...bytes]));
}

/** Asserts that `f` throws a FrameError with `code` and returns it. */
export function frameError(f: () => unknown, code: FrameErrorCode): FrameError {
  try {
    f();
  } catch (error) {
    assert.ok(error instanceof FrameError, `not a FrameError: ${error}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected FrameError ${code}, nothing was thrown`);
}

/** Asserts a `bad_body` FrameError whose path starts with `path`. */
export function badBody(f: () => unknown, path: string): FrameError {
  const error = frameError(f, "bad_body");
  assert.ok(error.path?.startsWith(path), `${error.path} is not at ${path}`);
  return error;
}
