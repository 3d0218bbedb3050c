/**
 * The shape of a row of the field-kind table (`kind_table.ts`) and of the
 * environments its rows render with.
 *
 * @module
 */

import type { Arbitrary } from "fast-check";
import type fcModule from "fast-check";
import type { Scalar, TypeExpr } from "./types.ts";

/** The fast-check module, passed in so the generator itself never loads it. */
export type FastCheck = typeof fcModule;

/** What a row needs from the emitter that renders codecs. */
export interface CodecEnv {
  /** The read expression of a child type. */
  read(t: TypeExpr): string;
  /** The write statement of a child type for the expression `value`. */
  write(t: TypeExpr, value: string): string;
  /**
   * A named helper function for a container type, emitted once per distinct
   * type; `body(name)` renders it. Returns the helper's name.
   */
  helper(
    direction: "read" | "write",
    t: TypeExpr,
    body: (name: string) => string,
  ): string;
  /** A fresh local variable name. */
  local(): string;
  /** The TS type of a type (for helper signatures). */
  ts(t: TypeExpr): string;
  /** Records that the emitted code uses a codec-support symbol; returns its name. */
  use(symbol: string): string;
}

/** What a row needs to describe or sample a type. */
export interface TypeEnv {
  /** Field count of a named struct, or `undefined` for an enum. */
  fieldCount(name: string): number | undefined;
  /** The TS type of a child. */
  ts(t: TypeExpr): string;
  /** The Rust type of a child. */
  rust(t: TypeExpr): string;
  /** The wire form of a child. */
  wire(t: TypeExpr): string;
  /** A sample value (TS source) of a child; named types are resolved by the caller. */
  sample(t: TypeExpr): string;
}

/** What a row needs to build test values of a type. */
export interface ValueEnv {
  /** fast-check. */
  fc: FastCheck;
  /** The arbitrary of a child type. */
  arbitrary(t: TypeExpr): Arbitrary<unknown>;
  /** A typed value converted from a reference vector's JSON (§10 conventions). */
  fromVector(t: TypeExpr, json: unknown): unknown;
  /** A value of a child with every u64 set to `u64` and every i64 to `i64`. */
  edge(t: TypeExpr, u64: bigint, i64: bigint): unknown;
}

/** What a row needs to describe a type to the Wireshark dissector. */
export interface LuaEnv {
  /** The Lua schema node of a child type. */
  lua(t: TypeExpr): string;
  /** Whether a named type is an enum (else a struct). */
  isEnum(name: string): boolean;
}

/** One row of the table. */
export interface FieldKind {
  /** The TypeScript type. */
  ts(t: TypeExpr, env: TypeEnv): string;
  /** The Rust type it stands for. */
  rust(t: TypeExpr, env: TypeEnv): string;
  /** The wire form (`uint`, `int`, `str`, `bin`, `arr[T]`, `map{K:V}`, …). */
  wire(t: TypeExpr, env: TypeEnv): string;
  /** The generated expression reading one value with `r: WireReader`. */
  read(t: TypeExpr, env: CodecEnv): string;
  /** The generated statement writing `value` with `w: BodyWriter`. */
  write(t: TypeExpr, env: CodecEnv, value: string): string;
  /** Doc sentences for a field of this kind (may be empty). */
  notes: readonly string[];
  /** The wire form in prose, for the protocol reference. */
  form: string;
  /** A sample value as TS source, for doc examples. */
  sample(t: TypeExpr, env: TypeEnv): string;
  /** A property-test arbitrary. */
  arbitrary(t: TypeExpr, env: ValueEnv): Arbitrary<unknown>;
  /** A value with every u64 at `u64` and every i64 at `i64`. */
  edge(t: TypeExpr, env: ValueEnv, u64: bigint, i64: bigint): unknown;
  /** The typed value of a reference vector's JSON value. */
  fromVector(t: TypeExpr, json: unknown, env: ValueEnv): unknown;
  /**
   * The Wireshark dissector's schema node: a Lua expression over the
   * constructors `T.*` of `codegen/_lua_runtime.ts`, which read this wire
   * form and show the value (and pick the ProtoField type it is shown with).
   */
  lua(t: TypeExpr, env: LuaEnv): string;
}

/** The name of a row: a scalar's name, or a composite kind. */
export type KindName =
  | Scalar
  | "fixed"
  | "u8list"
  | "list"
  | "map"
  | "option"
  | "tuple"
  | "named";
