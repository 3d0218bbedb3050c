/**
 * The state of one emission of `bodies.ts`: the spec's facts, the container
 * helpers emitted so far and the codec-support symbols used (tracked as
 * symbols for the imports). It is the {@linkcode CodecEnv} the field-kind
 * table's rows render with.
 *
 * @module
 */

import { recursiveTypes } from "./spec.ts";
import type { Spec, SpecField, SpecMessage, SpecType } from "./spec.ts";
import type { TypeExpr } from "./types.ts";
import { fieldKind, slug, typeEnv } from "./kinds.ts";
import type { CodecEnv, TypeEnv } from "./kinds.ts";

/** Facts and state of one emission (nothing is kept between specs). */
export class Context implements CodecEnv {
  readonly spec: Spec;
  readonly byName: Map<string, SpecType>;
  readonly recursive: Set<string>;
  /** Container helpers by name, in first-use order. */
  readonly helpers = new Map<string, string>();
  /** Codec-support symbols the emitted code uses. */
  readonly used = new Set<string>();
  readonly types: TypeEnv;
  #locals = 0;

  constructor(spec: Spec) {
    this.spec = spec;
    this.byName = new Map(spec.types.map((t) => [t.name, t]));
    this.recursive = recursiveTypes(spec);
    this.types = typeEnv(this.fieldCount, (name) => this.sampleNamed(name));
  }

  fieldCount = (name: string): number | undefined => {
    const t = this.byName.get(name);
    return t?.kind === "struct" ? t.fields.length : undefined;
  };

  wire(t: TypeExpr): string {
    return this.types.wire(t);
  }

  ts(t: TypeExpr): string {
    return this.types.ts(t);
  }

  read(t: TypeExpr): string {
    return fieldKind(t).read(t, this);
  }

  write(t: TypeExpr, value: string): string {
    return fieldKind(t).write(t, this, value);
  }

  helper(
    direction: "read" | "write",
    t: TypeExpr,
    body: (name: string) => string,
  ): string {
    const name = `${direction}_${slug(t)}`;
    if (this.helpers.has(name)) return name;
    this.helpers.set(name, ""); // reserve before recursing
    this.helpers.set(name, body(name));
    return name;
  }

  local(): string {
    return `o${this.#locals++}`;
  }

  use(symbol: string): string {
    this.used.add(symbol);
    return symbol;
  }

  messagesOf(name: string): SpecMessage[] {
    return this.spec.messages.filter((m) => m.body === name);
  }

  #visiting = new Set<string>();

  /** A sample value (TS source) of a named type, for doc examples. */
  sampleNamed(name: string): string {
    const named = this.byName.get(name)!;
    this.#visiting.add(name);
    let text: string;
    if (named.kind === "struct") {
      text = this.sampleObject(named.fields);
    } else {
      const variant = named.variants.find((v) =>
        (v.fields ?? []).every((f) =>
          !(f.type.kind === "named" && this.#visiting.has(f.type.name))
        )
      ) ?? named.variants[0];
      text = this.sampleObject(variant.fields ?? [], variant.name);
    }
    this.#visiting.delete(name);
    return text;
  }

  sampleObject(fields: SpecField[], kind?: string): string {
    const parts = kind === undefined ? [] : [`kind: ${JSON.stringify(kind)}`];
    for (const field of fields) {
      parts.push(`${field.tsName}: ${this.types.sample(field.type)}`);
    }
    return `{ ${parts.join(", ")} }`;
  }
}
