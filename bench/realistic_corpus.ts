// A realistic bench corpus for the typed body codecs, built deterministically
// (seeded) from each revision's generated schema: every message type of both
// revisions, with non-ASCII strings (2-, 3- and 4-byte UTF-8), strings of
// 1–300 bytes, maps of 0–20 entries and u64s on both sides of 2^53. The
// "ascii" profile is the old style of corpus (short ASCII strings, small maps,
// small integers), kept for comparison.
import { decode } from "@msgpack/msgpack";
import * as april from "../mod.ts";
import * as july from "../entries/2026-07.ts";
import { SYNC_SCHEMA as APRIL_SCHEMA } from "../generated/2026-04/schema.ts";
import { SYNC_SCHEMA as JULY_SCHEMA } from "../generated/2026-07/schema.ts";
import type {
  SchemaField,
  SchemaTypeRef,
  SyncSchema,
} from "../generated/2026-04/schema.ts";

/** The wire revisions. */
export type Revision = "2026-04" | "2026-07";
/** Every revision, oldest first. */
export const REVISIONS: readonly Revision[] = ["2026-04", "2026-07"];
/** `realistic`: the mix above; `ascii`: short ASCII strings, small maps and integers. */
export type Profile = "realistic" | "ascii";

/** The typed codec of one body struct. */
export interface BodyCodec {
  encode(value: unknown, options?: { shared?: boolean }): Uint8Array;
  decode(bytes: Uint8Array): unknown;
}

/** One message: the typed value, its typed encoding, and the generic equivalent. */
export interface Sample {
  /** The typed TS value. */
  readonly value: unknown;
  /** Its body as the typed encoder writes it (an owned copy). */
  readonly bytes: Uint8Array;
  /** The same body as `@msgpack/msgpack` decodes it (the generic value the baseline encodes). */
  readonly generic: unknown;
}

/** The samples of one message type. */
export interface TypeCorpus {
  readonly revision: Revision;
  /** The type byte. */
  readonly code: number;
  /** The `SyncMessageType` member name. */
  readonly name: string;
  /** The body struct name. */
  readonly body: string;
  /** Its typed codec. */
  readonly codec: BodyCodec;
  readonly samples: readonly Sample[];
}

/**
 * The baseline's decode options: 64-bit integers as bigints, and (as
 * `@msgpack/msgpack` refuses bigint map keys) u64 keys above 2^53 as strings.
 */
export const DECODE_OPTIONS = {
  useBigInt64: true,
  mapKeyConverter: (key: unknown): string | number =>
    typeof key === "bigint" ? String(key) : key as string | number,
} as const;

const SCHEMAS: Record<Revision, SyncSchema> = {
  "2026-04": APRIL_SCHEMA,
  "2026-07": JULY_SCHEMA as unknown as SyncSchema,
};
const MODULES: Record<Revision, Record<string, unknown>> = {
  "2026-04": april as unknown as Record<string, unknown>,
  "2026-07": july as unknown as Record<string, unknown>,
};

/** The typed `encode<Body>` / `decode<Body>` pair of a body struct. */
export function codecOf(revision: Revision, body: string): BodyCodec {
  const m = MODULES[revision];
  const encode = m[`encode${body}`];
  const decode = m[`decode${body}`];
  if (typeof encode !== "function" || typeof decode !== "function") {
    throw new Error(`${revision}: no typed codec for ${body}`);
  }
  return { encode, decode } as BodyCodec;
}

/** mulberry32: a small seeded PRNG, so the corpus is the same on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Word lists by script: 1-byte (ASCII), 2-byte (Latin-1 accents, Cyrillic,
// Greek), 3-byte (CJK, Devanagari) and 4-byte (emoji, astral CJK) UTF-8.
const SCRIPTS: readonly (readonly string[])[] = [
  ["order", "shipped", "customer", "note", "draft", "sync", "delta", "view"],
  ["café", "déjà", "über", "señal", "façade", "niño", "smørrebrød", "crème"],
  ["привет", "заказ", "данные", "клиент", "статус", "обновление", "мир"],
  ["αλφα", "δεδομένα", "σύνδεση", "κατάσταση", "μήνυμα"],
  ["同期", "文書", "データベース", "更新済み", "東京都", "注文履歴", "顧客"],
  ["नमस्ते", "डेटा", "स्थिति", "संदेश"],
  ["😀", "🚀", "📦", "🎉", "👍🏽", "🔥", "🧪", "𠜎𠜱", "👨‍👩‍👧"],
];
const UTF8 = new TextEncoder();
const FLAT = new TextDecoder();

function utf8Length(s: string): number {
  return UTF8.encode(s).length;
}

/** Cuts `s` to at most `max` UTF-8 bytes, at a code point boundary. */
function cut(s: string, max: number): string {
  let bytes = 0;
  let i = 0;
  while (i < s.length) {
    const c = s.codePointAt(i)!;
    const w = c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
    if (bytes + w > max) break;
    bytes += w;
    i += c >= 0x10000 ? 2 : 1;
  }
  return s.slice(0, i);
}

/** A value generator for one revision and profile. */
class Generator {
  readonly next: () => number;
  readonly profile: Profile;
  readonly schema: SyncSchema;
  /** Repeating names (collections, shapes, map keys), as real traffic has. */
  readonly names: string[] = [];
  serial = 0;

  constructor(schema: SyncSchema, profile: Profile, seed: number) {
    this.schema = schema;
    this.profile = profile;
    this.next = prng(seed);
    for (let i = 0; i < 48; i++) {
      this.names.push(FLAT.decode(UTF8.encode(this.freshName(i))));
    }
  }

  int(n: number): number {
    return Math.floor(this.next() * n);
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }

  /** A byte length: 1–300, weighted towards names and short text. */
  length(): number {
    const r = this.next();
    if (r < 0.15) return 1 + this.int(8);
    if (r < 0.4) return 9 + this.int(16);
    if (r < 0.7) return 25 + this.int(40);
    if (r < 0.85) return 65 + this.int(64);
    return 129 + this.int(172);
  }

  /** Text of about `bytes` UTF-8 bytes in one or two scripts. */
  text(bytes: number): string {
    const first = this.int(SCRIPTS.length);
    const second = this.next() < 0.3 ? this.int(SCRIPTS.length) : first;
    let s = "";
    while (utf8Length(s) < bytes) {
      const words = SCRIPTS[this.next() < 0.7 ? first : second];
      s += (s === "" ? "" : this.next() < 0.2 ? "-" : " ") + this.pick(words);
    }
    const out = cut(s, bytes);
    return out === "" ? "x" : out;
  }

  asciiName(): string {
    const stems = ["orders", "users", "doc", "shape", "peer", "tenant", "row"];
    return `${this.pick(stems)}-${this.int(1000)}`;
  }

  freshName(i: number): string {
    if (this.profile === "ascii") return this.asciiName();
    switch (i % 4) {
      case 0:
        return this.asciiName();
      case 1: // a 25–64-byte path-like key
        return cut(
          `tenant:${this.asciiName()}/collection:${this.asciiName()}/doc:${this.uuid()}`,
          25 + this.int(40),
        );
      default:
        return this.text(2 + this.int(30));
    }
  }

  uuid(): string {
    const hex = () => this.int(0x10000).toString(16).padStart(4, "0");
    return `${hex()}${hex()}-${hex()}-7${hex().slice(1)}-8${
      hex().slice(1)
    }-${hex()}${hex()}${hex()}`;
  }

  /** A string as a decoder or JSON.parse hands it out: flat, not a rope. */
  string(field: string): string {
    return FLAT.decode(UTF8.encode(this.anyString(field)));
  }

  anyString(field: string): string {
    if (this.profile === "ascii") {
      return this.next() < 0.5 ? this.pick(this.names) : this.asciiName();
    }
    if (/token/.test(field)) {
      const jwt = "eyJhbGciOiJIUzI1NiJ9." +
        btoa(String.fromCharCode(...this.bytes(220)));
      return cut(jwt, 150 + this.int(151));
    }
    if (/(^|_)id$|_ids?$|lite_id|session/.test(field)) {
      return this.next() < 0.7 ? this.uuid() : this.pick(this.names);
    }
    const r = this.next();
    if (r < 0.3) return this.pick(this.names);
    if (r < 0.4) return this.uuid();
    return this.text(this.length());
  }

  u64(): bigint {
    const r = this.next();
    const small = this.profile === "ascii";
    if (r < 0.25 || small && r < 0.6) return BigInt(this.int(128));
    if (r < 0.4 || small) return BigInt(this.int(0x1_0000_0000));
    // Millisecond timestamps, LSNs and counters: 2^32–2^53.
    if (r < 0.7) return BigInt(1_700_000_000_000 + this.int(2 ** 40));
    // HLCs, hashes and random ids: 2^53–2^64.
    const hi = BigInt(0x20_0000 + this.int(0xffff_ffff - 0x20_0000));
    return (hi << 32n) | BigInt(this.int(0x1_0000_0000));
  }

  i64(): bigint {
    const v = this.u64() & 0x7fff_ffff_ffff_ffffn;
    return this.next() < 0.3 ? -v : v;
  }

  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }

  /** A generic (`msgpack`) value: a small document. */
  any(): unknown {
    const fields: Record<string, unknown> = {};
    const n = this.int(8);
    for (let i = 0; i < n; i++) {
      const key = this.pick(this.names);
      const r = this.next();
      fields[key] = r < 0.4
        ? this.string("value")
        : r < 0.7
        ? this.int(1_000_000)
        : r < 0.85
        ? this.next() < 0.5
        : [this.string("tag"), this.int(100)];
    }
    return { name: this.string("name"), version: this.int(50), fields };
  }

  scalar(name: string, field: string): unknown {
    switch (name) {
      case "u8":
        return this.int(256);
      case "u16":
        return this.profile === "ascii" ? this.int(256) : this.int(0x10000);
      case "u32":
        return this.next() < 0.5 ? this.int(1000) : this.int(0x1_0000_0000);
      case "u64":
        return this.u64();
      case "usize":
        return BigInt(this.int(this.next() < 0.8 ? 10_000 : 2 ** 40));
      case "i64":
        return this.i64();
      case "f32":
        return Math.fround((this.next() - 0.5) * 1000);
      case "bool":
        return this.next() < 0.5;
      case "string":
        return this.string(field);
      case "bytes":
        return this.bytes(
          this.profile === "ascii" ? this.int(32) : this.int(512),
        );
      case "msgpack":
        return this.any();
    }
    throw new Error(`no generator for scalar ${name}`);
  }

  mapSize(): number {
    return this.profile === "ascii" ? this.int(4) : this.int(21);
  }

  value(t: SchemaTypeRef, field: string, depth: number): unknown {
    switch (t.kind) {
      case "scalar":
        return this.scalar(t.name, field);
      case "fixed":
        return this.bytes(t.length);
      case "option":
        return this.next() < 0.3 ? null : this.value(t.item, field, depth);
      case "tuple":
        return t.items.map((item) => this.value(item, field, depth));
      case "list": {
        if (t.item.kind === "scalar" && t.item.name === "u8") {
          return this.bytes(this.int(64));
        }
        const n = depth > 3 ? 0 : this.int(t.item.kind === "named" ? 6 : 12);
        return Array.from(
          { length: n },
          () => this.value(t.item, field, depth + 1),
        );
      }
      case "map": {
        const out = new Map<unknown, unknown>();
        const n = depth > 3 ? 0 : this.mapSize();
        for (let tries = 0; out.size < n && tries < 4 * n; tries++) {
          const key = t.key.kind === "scalar" && t.key.name === "string"
            ? this.next() < 0.6 ? this.pick(this.names) : this.string(field)
            : this.value(t.key, field, depth + 1);
          out.set(key, this.value(t.value, field, depth + 1));
        }
        return out;
      }
      case "named":
        return this.named(t.name, depth);
    }
  }

  fields(fields: readonly SchemaField[], out: Record<string, unknown>, d = 0) {
    for (const f of fields) out[f.tsName] = this.value(f.type, f.name, d + 1);
    return out;
  }

  named(name: string, depth: number): unknown {
    const type = this.schema.types[name];
    if (type.kind === "struct") return this.fields(type.fields, {}, depth);
    const variant = this.pick(type.variants);
    return this.fields(variant.fields ?? [], { kind: variant.name }, depth);
  }
}

const SEED: Record<Revision, number> = {
  "2026-04": 0x2026_04,
  "2026-07": 0x2026_07,
};

/**
 * The corpus of one revision: `samples` messages of every message type, the
 * same on every call.
 */
export function buildCorpus(
  revision: Revision,
  profile: Profile = "realistic",
  samples = 16,
): TypeCorpus[] {
  const schema = SCHEMAS[revision];
  const seed = SEED[revision] ^ (profile === "ascii" ? 0x5a5a : 0);
  const gen = new Generator(schema, profile, seed);
  return schema.messages.map((m) => {
    const codec = codecOf(revision, m.body);
    const list: Sample[] = [];
    for (let i = 0; i < samples; i++) {
      const value = gen.named(m.body, 0);
      const bytes = codec.encode(value).slice();
      // The typed codec must read back what it wrote, byte for byte.
      const again = codec.encode(codec.decode(bytes));
      if (
        again.length !== bytes.length || again.some((b, j) => b !== bytes[j])
      ) {
        throw new Error(
          `${revision} ${m.body}: sample ${i} does not round-trip`,
        );
      }
      const generic = decode(bytes, DECODE_OPTIONS);
      list.push({ value, bytes, generic });
    }
    return {
      revision,
      code: m.code,
      name: m.name,
      body: m.body,
      codec,
      samples: list,
    };
  });
}

/** What a corpus holds, to check its coverage. */
export interface CorpusStats {
  types: number;
  messages: number;
  bodyBytes: number;
  strings: number;
  /** Strings by widest UTF-8 sequence (index 1–4). */
  byWidth: number[];
  minStringBytes: number;
  maxStringBytes: number;
  minMapSize: number;
  maxMapSize: number;
  u64Below2p53: number;
  u64Above2p53: number;
}

/** Walks the typed values of a corpus and counts what they hold. */
export function corpusStats(corpus: readonly TypeCorpus[]): CorpusStats {
  const s: CorpusStats = {
    types: corpus.length,
    messages: 0,
    bodyBytes: 0,
    strings: 0,
    byWidth: [0, 0, 0, 0, 0],
    minStringBytes: Infinity,
    maxStringBytes: 0,
    minMapSize: Infinity,
    maxMapSize: 0,
    u64Below2p53: 0,
    u64Above2p53: 0,
  };
  const walk = (v: unknown): void => {
    if (typeof v === "string") {
      const n = utf8Length(v);
      s.strings++;
      s.minStringBytes = Math.min(s.minStringBytes, n);
      s.maxStringBytes = Math.max(s.maxStringBytes, n);
      let width = 1;
      for (const ch of v) {
        const c = ch.codePointAt(0)!;
        width = Math.max(
          width,
          c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4,
        );
      }
      s.byWidth[width]++;
    } else if (typeof v === "bigint") {
      if (v >= 2n ** 53n) s.u64Above2p53++;
      else if (v >= 0n) s.u64Below2p53++;
    } else if (v instanceof Map) {
      s.minMapSize = Math.min(s.minMapSize, v.size);
      s.maxMapSize = Math.max(s.maxMapSize, v.size);
      for (const [k, x] of v) {
        walk(k);
        walk(x);
      }
    } else if (Array.isArray(v)) {
      v.forEach(walk);
    } else if (
      typeof v === "object" && v !== null && !(v instanceof Uint8Array)
    ) {
      Object.values(v).forEach(walk);
    }
  };
  for (const t of corpus) {
    for (const sample of t.samples) {
      s.messages++;
      s.bodyBytes += sample.bytes.length;
      walk(sample.value);
    }
  }
  return s;
}

/** Throws unless a realistic corpus covers what the issue asks for. */
export function checkCoverage(revision: Revision, s: CorpusStats): void {
  const missing: string[] = [];
  if (s.types !== SCHEMAS[revision].messages.length) missing.push("a type");
  if (s.byWidth.slice(2).some((n) => n === 0)) missing.push("a UTF-8 width");
  if (s.minStringBytes > 1 || s.maxStringBytes !== 300) {
    missing.push("strings of 1–300 bytes");
  }
  if (s.minMapSize !== 0 || s.maxMapSize !== 20) missing.push("maps of 0–20");
  if (s.u64Below2p53 === 0 || s.u64Above2p53 === 0) missing.push("u64 ranges");
  if (missing.length > 0) {
    throw new Error(`${revision} corpus lacks ${missing.join(", ")}`);
  }
}

if (import.meta.main) {
  for (const revision of REVISIONS) {
    for (const profile of ["realistic", "ascii"] as const) {
      const stats = corpusStats(buildCorpus(revision, profile));
      if (profile === "realistic") checkCoverage(revision, stats);
      console.log(revision, profile, stats);
    }
  }
}
