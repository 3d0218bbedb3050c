// Helpers shared by the spec readers (spec.ts, _spec_types.ts).

import { isScalar } from "yaml";
import type { Node as YamlNode, YAMLMap } from "yaml";

/** snake_case → camelCase. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** Records a problem at a YAML node for an entry. */
export type Problem = (
  node: YamlNode | null | undefined,
  entry: string,
  message: string,
) => void;

/** Reports every key of `node` that is not in `allowed`. */
export function checkKeys(
  node: YAMLMap,
  allowed: ReadonlySet<string>,
  fail: (at: YamlNode, message: string) => void,
): void {
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "?";
    if (!allowed.has(key)) fail(pair.key as YamlNode, `unknown key "${key}"`);
  }
}

/** PascalCase names of types and variants. */
export const PASCAL_CASE: RegExp = /^[A-Z][A-Za-z0-9]*$/;
/** snake_case names of fields. */
export const SNAKE_CASE: RegExp = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;
