// The Handshake and TokenRefresh checks of §9 of each revision's reference,
// in their documented order, with their documented error texts.

import type { RevisionName } from "../generated/revisions.ts";
import type { OriginState } from "./_state.ts";
import type { Identity, TokenVerdict } from "./types.ts";

/** What a session knows about who it talks to. */
export interface Auth {
  /** Set once a handshake passed the token check. */
  identity: Identity | undefined;
  /** Ms since the epoch when the token expires (validator's `expiresInSecs`). */
  expiresAt: number | undefined;
  liteId: string;
  epoch: bigint;
  /** 2026-07: the producer id (0 = no fencing). */
  producerId: bigint;
}

/** A new, unauthenticated session's state. */
export function noAuth(): Auth {
  return {
    identity: undefined,
    expiresAt: undefined,
    liteId: "",
    epoch: 0n,
    producerId: 0n,
  };
}

// deno-lint-ignore no-explicit-any
type Body = any;

/** The outcome of a handshake: the ack and what the session became. */
export interface HandshakeResult {
  readonly ack: Body;
  readonly event: "handshake" | "refused" | "fork";
}

async function checkToken<R extends RevisionName>(
  state: OriginState<R>,
  token: string,
  use: "handshake" | "refresh",
): Promise<TokenVerdict> {
  if (token === "") {
    const trust = state.config.trustIdentity;
    return trust === null
      ? { ok: false, error: "configured trust identity is unavailable" }
      : { ok: true, identity: trust };
  }
  try {
    const verdict = await state.config.validator(token, use);
    if (verdict?.ok === true || verdict?.ok === false) return verdict;
    return { ok: false, error: "the token validator gave no verdict" };
  } catch (error) {
    return {
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

function expiry(
  verdict: TokenVerdict & { ok: true },
  now: number,
): number | undefined {
  return verdict.expiresInSecs === undefined
    ? undefined
    : now + verdict.expiresInSecs * 1000;
}

/** The wire-version error text, or `undefined` when the version passes. */
export function wireVersionError(
  revision: RevisionName,
  version: number,
): string | undefined {
  if (revision === "2026-04") {
    // 0 is legacy and means 1; accepted 1..=4.
    const v = version === 0 ? 1 : version;
    if (v > 4) {
      return `incompatible wire version: version compatibility: remote wire version ${v} is newer than local 4; upgrade this node`;
    }
    return undefined;
  }
  if (version === 1) return undefined;
  return version < 1
    ? `incompatible wire version: remote wire version ${version} is too old (minimum 1); only 1 is accepted`
    : `incompatible wire version: remote wire version ${version} is newer than local 1; only 1 is accepted`;
}

/**
 * Runs a Handshake through the checks. 2026-04: wire version (0 = 1,
 * 1..=4), token (empty = trust), then the fork check by liteId/epoch (a
 * fork reply leaves the session authenticated, as NodeDB does). 2026-07:
 * any earlier binding is cleared first; wire version exactly 1; token;
 * producer fencing (lower epoch or another owner = fork; equal accepted).
 */
export async function handshake<R extends RevisionName>(
  state: OriginState<R>,
  auth: Auth,
  sessionId: string,
  body: Body,
  now: number,
): Promise<HandshakeResult> {
  const v07 = state.config.revision === "2026-07";
  const serverWireVersion = v07 ? 1 : 4;
  const tail = v07
    ? { producerId: 0n, acceptedEpoch: 0n, deltaSigningKey: new Uint8Array(32) }
    : {};
  const refuse = (error: string, forkDetected = false): HandshakeResult => ({
    ack: {
      success: false,
      sessionId,
      serverClock: new Map(),
      error,
      forkDetected,
      serverWireVersion,
      ...tail,
    },
    event: forkDetected ? "fork" : "refused",
  });
  if (v07) Object.assign(auth, noAuth());
  const versionError = wireVersionError(
    state.config.revision,
    body.wireVersion,
  );
  if (versionError !== undefined) return refuse(versionError);
  const fault = state.faults.refuseHandshakes;
  if (fault !== undefined && fault !== 0) {
    const f = typeof fault === "number" ? { count: fault } : fault;
    if (f.count === undefined || state.faultCounts.refusals < f.count) {
      state.faultCounts.refusals++;
      return refuse(
        f.error ?? "refused by fault injection",
        f.forkDetected === true,
      );
    }
  }
  const verdict = await checkToken(state, body.jwtToken, "handshake");
  if (!verdict.ok) return refuse(verdict.error);
  const liteId: string = body.liteId;
  const epoch: bigint = body.epoch;
  if (!v07) {
    // Authenticated before the fork check; a fork reply keeps the session.
    auth.identity = verdict.identity;
    auth.expiresAt = expiry(verdict, now);
    auth.liteId = liteId;
    auth.epoch = epoch;
    if (liteId !== "" && epoch !== 0n) {
      const last = state.epochs.get(liteId);
      if (last !== undefined && epoch <= last) {
        return refuse("FORK_DETECTED: regenerate LiteId and reconnect", true);
      }
      state.epochs.set(liteId, epoch);
    }
    return {
      ack: {
        success: true,
        sessionId,
        serverClock: new Map(state.clock),
        error: null,
        forkDetected: false,
        serverWireVersion,
      },
      event: "handshake",
    };
  }
  let producerId = 0n;
  let acceptedEpoch = 0n;
  if (liteId !== "" && epoch !== 0n) {
    const identity = verdict.identity;
    let row = state.producers.get(liteId);
    if (row === undefined) {
      row = {
        producerId: state.producerId(),
        epoch: 0n,
        tenant: identity.tenant,
        user: identity.user,
      };
      state.producers.set(liteId, row);
    }
    if (
      row.tenant !== identity.tenant || row.user !== identity.user ||
      epoch < row.epoch
    ) {
      return refuse(
        "FORK_DETECTED: stale epoch — regenerate LiteId and reconnect",
        true,
      );
    }
    row.epoch = epoch;
    producerId = row.producerId;
    acceptedEpoch = epoch;
    const floor = state.floors.get(producerId) ?? 0n;
    if (epoch > floor) state.floors.set(producerId, epoch);
  }
  auth.identity = verdict.identity;
  auth.expiresAt = expiry(verdict, now);
  auth.liteId = liteId;
  auth.epoch = epoch;
  auth.producerId = producerId;
  return {
    ack: {
      success: true,
      sessionId,
      serverClock: new Map(state.clock),
      error: null,
      forkDetected: false,
      serverWireVersion,
      producerId,
      acceptedEpoch,
      deltaSigningKey: new Uint8Array(32),
    },
    event: "handshake",
  };
}

/**
 * Answers a TokenRefresh: `""` → "empty token"; invalid → the validator's
 * text; another tenant → "tenant mismatch" (2026-07 also "user mismatch",
 * "database mismatch"); valid → success with `expires_in_secs` (the
 * validator's, else 3600). Failures keep the old credentials.
 */
export async function tokenRefresh<R extends RevisionName>(
  state: OriginState<R>,
  auth: Auth,
  token: string,
  now: number,
): Promise<Body> {
  const fail = (error: string) => ({
    success: false,
    error,
    expiresInSecs: 0n,
  });
  if (token === "") return fail("empty token");
  const verdict = await checkToken(state, token, "refresh");
  if (!verdict.ok) return fail(verdict.error);
  const next = verdict.identity;
  const current = auth.identity;
  if (current !== undefined) {
    if (next.tenant !== current.tenant) return fail("tenant mismatch");
    if (state.config.revision === "2026-07") {
      if (next.user !== current.user) return fail("user mismatch");
      if ((next.database ?? 0) !== (current.database ?? 0)) {
        return fail("database mismatch");
      }
    }
  }
  auth.identity = next;
  auth.expiresAt = expiry(verdict, now);
  const secs = verdict.expiresInSecs ?? 3600;
  return {
    success: true,
    error: null,
    expiresInSecs: BigInt(Math.max(0, Math.floor(secs))),
  };
}
