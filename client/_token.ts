// Tokens: where they come from, and when to refresh them.
//
// A token's lifetime is known from its JWT `exp` claim (read without
// verifying: only the Origin verifies), or from a TokenRefreshAck's
// `expires_in_secs`. The client refreshes after `ratio` of that lifetime.

import { FrameError } from "../codec/error.ts";
import type { TokenSource } from "./types.ts";

/** Gets a token from a source; a provider's failure becomes a FrameError. */
export async function resolveToken(
  source: TokenSource,
  use: "handshake" | "refresh",
): Promise<string> {
  if (typeof source === "string") return source;
  let token: unknown;
  try {
    token = await source(use);
  } catch (error) {
    throw error instanceof FrameError ? error : new FrameError(
      "bad_value",
      `the token provider failed: ${
        error instanceof Error ? error.message : String(error)
      }`,
      { cause: error },
    );
  }
  if (typeof token !== "string") {
    throw new FrameError(
      "bad_value",
      `the token provider must return a string, got ${typeof token}`,
    );
  }
  return token;
}

function base64UrlDecode(text: string): string | undefined {
  try {
    const base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    const padded = base64 + "===".slice((base64.length + 3) % 4);
    const binary = atob(padded);
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The `exp` claim of a JWT in ms since the epoch, or `undefined` when the
 * token is not a JWT with a numeric `exp`.
 */
export function jwtExpiry(token: string): number | undefined {
  const parts = token.split(".");
  if (parts.length !== 3 || parts[1].length > 16_384) return undefined;
  const json = base64UrlDecode(parts[1]);
  if (json === undefined) return undefined;
  try {
    const claims: unknown = JSON.parse(json);
    if (typeof claims !== "object" || claims === null) return undefined;
    const exp = (claims as { exp?: unknown }).exp;
    return typeof exp === "number" && Number.isFinite(exp)
      ? exp * 1000
      : undefined;
  } catch {
    return undefined;
  }
}

/** Largest timer delay (setTimeout clamps larger ones to 1 ms). */
const MAX_DELAY_MS = 2 ** 31 - 1;

/**
 * Ms from `now` until the refresh of a token that expires at `expiresAt`
 * and was issued at `issuedAt`: `ratio` of its lifetime, at least 0.
 */
export function refreshDelay(
  issuedAt: number,
  expiresAt: number,
  now: number,
  ratio: number,
): number {
  const at = issuedAt + (expiresAt - issuedAt) * ratio;
  return Math.min(MAX_DELAY_MS, Math.max(0, Math.round(at - now)));
}
