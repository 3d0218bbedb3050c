// Presence channels, as Origin keeps them: a PresenceUpdate joins its
// channel and sends the channel's full peer list (PresenceBroadcast) to every
// other subscriber; a peer that disconnects or is not updated within the TTL
// leaves, and every subscriber gets a PresenceLeave. Limits: 64 channels per
// session, 1024 subscribers per channel (further joins are ignored).

const PRESENCE_BROADCAST = 0x81;
const PRESENCE_LEAVE = 0x82;
const MAX_CHANNELS = 64;
const MAX_SUBSCRIBERS = 1024;

/** A session as presence sees it. */
export interface PresenceMember {
  /** Its user id (`sync-client` in trust mode). */
  readonly user: string;
  /** Queues an outbound message (the session decides when it goes out). */
  deliver(type: number, body: unknown): void;
}

interface PeerState {
  state: Uint8Array;
  at: number;
}

/** Every channel of one Origin. */
export class Presence {
  readonly #subscribers = new Map<string, Set<PresenceMember>>();
  readonly #states = new Map<string, Map<PresenceMember, PeerState>>();
  readonly #joined = new Map<PresenceMember, Set<string>>();
  readonly #ttlMs: number;

  constructor(ttlMs: number) {
    this.#ttlMs = ttlMs;
  }

  /** Subscribes `member` to `channel` (within the limits). */
  join(member: PresenceMember, channel: string): boolean {
    let joined = this.#joined.get(member);
    if (joined === undefined) this.#joined.set(member, joined = new Set());
    if (joined.has(channel)) return true;
    let subscribers = this.#subscribers.get(channel);
    if (joined.size >= MAX_CHANNELS) return false;
    if (subscribers === undefined) {
      this.#subscribers.set(channel, subscribers = new Set());
    }
    if (subscribers.size >= MAX_SUBSCRIBERS) return false;
    subscribers.add(member);
    joined.add(channel);
    return true;
  }

  /** A PresenceUpdate: store the state, broadcast the peer list to the others. */
  update(
    member: PresenceMember,
    channel: string,
    state: Uint8Array,
    now: number,
  ): void {
    if (!this.join(member, channel)) return;
    let states = this.#states.get(channel);
    if (states === undefined) this.#states.set(channel, states = new Map());
    states.set(member, { state: state.slice(), at: now });
    const peers = [...states].map(([peer, s]) => ({
      userId: peer.user,
      state: s.state,
      lastSeenMs: BigInt(Math.max(0, now - s.at)),
    }));
    for (const subscriber of this.#subscribers.get(channel) ?? []) {
      if (subscriber !== member) {
        subscriber.deliver(PRESENCE_BROADCAST, { channel, peers });
      }
    }
  }

  #leave(member: PresenceMember, channel: string): void {
    const states = this.#states.get(channel);
    if (states?.delete(member)) {
      for (const subscriber of this.#subscribers.get(channel) ?? []) {
        if (subscriber !== member) {
          subscriber.deliver(PRESENCE_LEAVE, { channel, userId: member.user });
        }
      }
    }
    if (states?.size === 0) this.#states.delete(channel);
  }

  /** A session ended: it leaves every channel. */
  remove(member: PresenceMember): void {
    for (const channel of this.#joined.get(member) ?? []) {
      this.#leave(member, channel);
      const subscribers = this.#subscribers.get(channel);
      subscribers?.delete(member);
      if (subscribers?.size === 0) this.#subscribers.delete(channel);
    }
    this.#joined.delete(member);
  }

  /** Drops peers not updated within the TTL. */
  sweep(now: number): void {
    for (const [channel, states] of [...this.#states]) {
      for (const [member, s] of [...states]) {
        if (now - s.at > this.#ttlMs) this.#leave(member, channel);
      }
    }
  }
}
