// Reading and validating the spec's `types` list: structs, enums, fields and
// variants, with every named type resolved and wire positions checked.

import { isMap, isScalar, isSeq } from "yaml";
import type { Node as YamlNode } from "yaml";
import {
  isU8List,
  isUint,
  namedIn,
  parseTypeExpr,
  TypeSyntaxError,
  typeText,
} from "./types.ts";
import type { TypeExpr } from "./types.ts";
import type { Spec, SpecField, SpecType, SpecVariant } from "./spec_model.ts";
import {
  camelCase,
  checkKeys,
  PASCAL_CASE,
  type Problem,
  SNAKE_CASE,
} from "./_spec_util.ts";

const TYPE_KEYS = new Set(["struct", "enum", "doc", "fields", "variants"]);
const FIELD_KEYS = new Set(["name", "type", "doc"]);
const VARIANT_KEYS = new Set(["name", "doc", "fields"]);

/**
 * Names the generated code defines or relies on; a type may not take one.
 * (JS globals the codecs use, and the generated message-level names.)
 */
const RESERVED_NAMES = new Set([
  "Array",
  "BigInt",
  "Boolean",
  "DataView",
  "Error",
  "JSON",
  "Map",
  "Number",
  "Object",
  "String",
  "Uint8Array",
  "BodyDecodeOptions",
  "ClientMessage",
  "Direction",
  "FrameError",
  "MessageBodies",
  "MsgpackWriter",
  "ServerMessage",
  "SyncMessage",
  "SyncMessageType",
  "WireReader",
]);

/** A field whose named types are resolved once every type name is known. */
interface PendingField {
  field: SpecField;
  typeNode: YamlNode;
  entry: string;
}

/** Fields (of a struct or a data variant), checked for names, docs and wire positions. */
function readFields(
  node: YamlNode | null | undefined,
  owner: YamlNode,
  entry: string,
  problem: Problem,
  pending: PendingField[],
  inVariant: boolean,
): SpecField[] | undefined {
  if (!isSeq(node) || node.items.length === 0) {
    problem(node ?? owner, entry, "fields must be a non-empty list");
    return undefined;
  }
  const fields: SpecField[] = [];
  const byName = new Map<string, string>();
  const byTsName = new Map<string, string>();
  let ok = true;
  node.items.forEach((item, index) => {
    const itemNode = item as YamlNode;
    if (!isMap(itemNode)) {
      ok = false;
      problem(itemNode, `${entry}.fields[${index}]`, "must be a mapping");
      return;
    }
    const nameNode = itemNode.get("name", true);
    const name = isScalar(nameNode) ? nameNode.value : undefined;
    const fieldEntry = `${entry}.fields[${index}]` +
      (typeof name === "string" ? ` (${name})` : "");
    let fieldOk = true;
    const fail = (at: YamlNode | null | undefined, message: string) => {
      fieldOk = false;
      problem(at ?? itemNode, fieldEntry, message);
    };
    checkKeys(itemNode, FIELD_KEYS, fail);
    if (nameNode === undefined) {
      fail(itemNode, 'missing key "name"');
    } else if (typeof name !== "string" || !SNAKE_CASE.test(name)) {
      fail(
        nameNode,
        `name must be a snake_case identifier, got ${JSON.stringify(name)}`,
      );
    } else {
      const tsName = camelCase(name);
      const clash = byName.get(name);
      const tsClash = byTsName.get(tsName);
      if (clash !== undefined) {
        fail(nameNode, `field "${name}" is already used by ${clash}`);
      } else if (tsClash !== undefined) {
        fail(
          nameNode,
          `field "${name}" has the same TypeScript name "${tsName}" as ${tsClash}`,
        );
      } else if (inVariant && tsName === "kind") {
        fail(
          nameNode,
          'field name "kind" is reserved: it is the variant discriminant in TypeScript',
        );
      }
      byName.set(name, `fields[${index}]`);
      byTsName.set(tsName, `fields[${index}] (${name})`);
    }
    const typeNode = itemNode.get("type", true);
    const typeSource = isScalar(typeNode) ? typeNode.value : undefined;
    let type: TypeExpr | undefined;
    if (typeNode === undefined) {
      fail(itemNode, 'missing key "type"');
    } else if (typeof typeSource !== "string") {
      fail(
        typeNode,
        `type must be a type expression, got ${JSON.stringify(typeSource)}`,
      );
    } else {
      try {
        type = parseTypeExpr(typeSource);
        const misplaced = positionProblem(type, true);
        if (misplaced !== undefined) {
          fail(typeNode, `type "${typeSource}": ${misplaced}`);
        }
      } catch (error) {
        if (!(error instanceof TypeSyntaxError)) throw error;
        fail(typeNode, `type "${typeSource}": ${error.message}`);
      }
    }
    const docNode = itemNode.get("doc", true);
    const doc = isScalar(docNode) ? docNode.value : undefined;
    if (docNode === undefined) {
      fail(itemNode, 'missing key "doc"');
    } else if (typeof doc !== "string" || doc.trim() === "") {
      fail(docNode, "doc must be a non-empty string");
    }
    if (!fieldOk) {
      ok = false;
      return;
    }
    const field: SpecField = {
      name: name as string,
      tsName: camelCase(name as string),
      type: type as TypeExpr,
      doc: (doc as string).trim(),
    };
    fields.push(field);
    pending.push({ field, typeNode: typeNode as YamlNode, entry: fieldEntry });
  });
  return ok ? fields : undefined;
}

/**
 * Where zerompk's wire form depends on position: `bytes` (bin) exists only as
 * the direct type of a field, and a direct `Vec<u8>` is always bin. Also map
 * keys and nested options.
 */
function positionProblem(t: TypeExpr, direct: boolean): string | undefined {
  switch (t.kind) {
    case "scalar":
      if (t.name === "bytes" && !direct) {
        return "`bytes` (bin) is only written for the direct type of a field; a nested Vec<u8> is `list<u8>` (an array of uint)";
      }
      return undefined;
    case "fixed":
    case "named":
      return undefined;
    case "list":
      if (direct && isU8List(t)) {
        return "a direct Vec<u8> field is written as bin: use `bytes`";
      }
      return positionProblem(t.item, false);
    case "option":
      if (t.item.kind === "option") {
        return "option<option<…>> cannot be told apart from None on the wire";
      }
      return positionProblem(t.item, false);
    case "tuple":
      return t.items.map((item) => positionProblem(item, false)).find((p) =>
        p !== undefined
      );
    case "map":
      if (
        !(t.key.kind === "scalar" && (t.key.name === "string" || isUint(t.key)))
      ) {
        return `map keys must be string or an unsigned integer type (u8, u16, u32, u64, usize), got ${
          typeText(t.key)
        }`;
      }
      return positionProblem(t.value, false);
  }
}

/** Reads and validates the `types` list, resolving every named type. */
export function readTypes(
  node: YamlNode | null | undefined,
  root: YamlNode,
  problem: Problem,
  declared: Set<string>,
): SpecType[] {
  if (node === undefined) {
    problem(root, "types", 'missing key "types"');
    return [];
  }
  if (!isSeq(node) || node.items.length === 0) {
    problem(node, "types", "must be a non-empty list");
    return [];
  }
  const types: SpecType[] = [];
  const entries = new Map<string, { entry: string; node: YamlNode }>();
  const pending: PendingField[] = [];
  const generatedNames: Array<{ name: string; entry: string; node: YamlNode }> =
    [];
  node.items.forEach((item, index) => {
    // Names of entries with problems still count as declared, so that one
    // problem is not reported again by every reference to the type.
    if (isMap(item)) {
      const nameNode = item.get("struct", true) ?? item.get("enum", true);
      if (isScalar(nameNode) && typeof nameNode.value === "string") {
        declared.add(nameNode.value);
      }
    }
    const type = readType(item as YamlNode, index, problem, pending);
    if (type === undefined) return;
    const { value: t, entry, nameNode } = type;
    const clash = entries.get(t.name);
    if (clash !== undefined) {
      problem(
        nameNode,
        entry,
        `type name "${t.name}" is already used by ${clash.entry}`,
      );
      return;
    }
    if (RESERVED_NAMES.has(t.name)) {
      problem(
        nameNode,
        entry,
        `type name "${t.name}" is reserved by the generated code`,
      );
      return;
    }
    entries.set(t.name, { entry, node: nameNode });
    if (t.kind === "enum") {
      for (const variant of t.variants) {
        generatedNames.push({
          name: `${t.name}${variant.name}`,
          entry: `${entry}.variants (${variant.name})`,
          node: nameNode,
        });
      }
    }
    types.push(t);
  });

  for (const generated of generatedNames) {
    const clash = entries.get(generated.name);
    if (clash !== undefined || RESERVED_NAMES.has(generated.name)) {
      problem(
        generated.node,
        generated.entry,
        `the variant's TypeScript interface name "${generated.name}" is already ${
          clash ? `the name of ${clash.entry}` : "reserved"
        }`,
      );
    }
  }

  const byName = new Map(types.map((t) => [t.name, t]));
  for (const { field, typeNode, entry } of pending) {
    for (const name of namedIn(field.type)) {
      if (!declared.has(name)) {
        problem(typeNode, entry, `unknown type "${name}"`);
      }
    }
  }

  // A type is finite when a value of it can be written: a struct when all its
  // fields are, an enum when one of its variants is. list, map and option are
  // always finite (empty, None). Unknown names count as finite (reported above).
  const finite = new Set<string>();
  const exprFinite = (t: TypeExpr): boolean =>
    t.kind !== "named" || finite.has(t.name) || !byName.has(t.name);
  for (let changed = true; changed;) {
    changed = false;
    for (const t of types) {
      if (finite.has(t.name)) continue;
      const ok = t.kind === "struct"
        ? t.fields.every((f) => exprFinite(f.type))
        : t.variants.some((v) =>
          v.fields === null || v.fields.every((f) => exprFinite(f.type))
        );
      if (ok) {
        finite.add(t.name);
        changed = true;
      }
    }
  }
  for (const t of types) {
    if (finite.has(t.name)) continue;
    const cycle = requiredCycle(t.name, byName, finite);
    const { entry, node: nameNode } = entries.get(t.name)!;
    problem(
      nameNode,
      entry,
      `"${t.name}" contains itself with no option, list or map in between (${
        cycle.join(" → ")
      }), so no value of it can be written`,
    );
  }
  return types;
}

/** A path of required (direct) references from `start` back to a type already on it. */
function requiredCycle(
  start: string,
  byName: Map<string, SpecType>,
  finite: Set<string>,
): string[] {
  const path = [start];
  for (let current = byName.get(start); current !== undefined;) {
    const fields = current.kind === "struct"
      ? current.fields
      : current.variants.flatMap((v) => v.fields ?? []);
    const next = fields.map((f) => f.type).find((t) =>
      t.kind === "named" && byName.has(t.name) && !finite.has(t.name)
    );
    if (next === undefined || next.kind !== "named") break;
    const seen = path.includes(next.name);
    path.push(next.name);
    if (seen) break;
    current = byName.get(next.name);
  }
  return path;
}

/** Reads one `types` entry. */
function readType(
  node: YamlNode,
  index: number,
  problem: Problem,
  pending: PendingField[],
):
  | { value: SpecType; entry: string; nameNode: YamlNode }
  | undefined {
  if (!isMap(node)) {
    problem(node, `types[${index}]`, "must be a mapping");
    return undefined;
  }
  const structNode = node.get("struct", true);
  const enumNode = node.get("enum", true);
  const nameNode = structNode ?? enumNode;
  const rawName = isScalar(nameNode) ? nameNode.value : undefined;
  const entry = `types[${index}]` +
    (typeof rawName === "string" ? ` (${rawName})` : "");
  let ok = true;
  const fail = (at: YamlNode | null | undefined, message: string) => {
    ok = false;
    problem(at ?? node, entry, message);
  };
  checkKeys(node, TYPE_KEYS, fail);
  if (structNode !== undefined && enumNode !== undefined) {
    fail(enumNode, "a type is either `struct: Name` or `enum: Name`, not both");
  } else if (nameNode === undefined) {
    fail(node, "a type entry needs `struct: Name` or `enum: Name`");
  } else if (typeof rawName !== "string" || !PASCAL_CASE.test(rawName)) {
    fail(
      nameNode,
      `name must be a PascalCase identifier, got ${JSON.stringify(rawName)}`,
    );
  }
  const docNode = node.get("doc", true);
  const doc = isScalar(docNode) ? docNode.value : undefined;
  if (docNode === undefined) {
    fail(node, 'missing key "doc"');
  } else if (typeof doc !== "string" || doc.trim() === "") {
    fail(docNode, "doc must be a non-empty string");
  }
  const name = rawName as string;

  if (structNode !== undefined && enumNode === undefined) {
    if (node.has("variants")) {
      fail(
        node.get("variants", true) as YamlNode,
        "a struct has `fields`, not `variants`",
      );
    }
    const fields = readFields(
      node.get("fields", true) as YamlNode | undefined,
      node,
      entry,
      problem,
      pending,
      false,
    );
    if (!ok || fields === undefined) return undefined;
    return {
      value: { kind: "struct", name, doc: (doc as string).trim(), fields },
      entry,
      nameNode: nameNode as YamlNode,
    };
  }
  if (enumNode === undefined || structNode !== undefined) return undefined;

  if (node.has("fields")) {
    fail(
      node.get("fields", true) as YamlNode,
      "an enum has `variants`, not `fields`",
    );
  }
  const variantsNode = node.get("variants", true);
  if (!isSeq(variantsNode) || variantsNode.items.length === 0) {
    fail(variantsNode ?? node, "variants must be a non-empty list");
    return undefined;
  }
  const variants: SpecVariant[] = [];
  const byName = new Map<string, string>();
  variantsNode.items.forEach((item, vIndex) => {
    const vNode = item as YamlNode;
    if (!isMap(vNode)) {
      fail(vNode, `variants[${vIndex}] must be a mapping`);
      return;
    }
    const vNameNode = vNode.get("name", true);
    const vName = isScalar(vNameNode) ? vNameNode.value : undefined;
    const vEntry = `${entry}.variants[${vIndex}]` +
      (typeof vName === "string" ? ` (${vName})` : "");
    let vOk = true;
    const vFail = (at: YamlNode | null | undefined, message: string) => {
      vOk = false;
      ok = false;
      problem(at ?? vNode, vEntry, message);
    };
    checkKeys(vNode, VARIANT_KEYS, vFail);
    if (vNameNode === undefined) {
      vFail(vNode, 'missing key "name"');
    } else if (typeof vName !== "string" || !PASCAL_CASE.test(vName)) {
      vFail(
        vNameNode,
        `name must be a PascalCase identifier, got ${JSON.stringify(vName)}`,
      );
    } else {
      const clash = byName.get(vName);
      if (clash !== undefined) {
        vFail(vNameNode, `variant "${vName}" is already used by ${clash}`);
      }
      byName.set(vName, `variants[${vIndex}]`);
    }
    const vDocNode = vNode.get("doc", true);
    const vDoc = isScalar(vDocNode) ? vDocNode.value : undefined;
    if (vDocNode === undefined) {
      vFail(vNode, 'missing key "doc"');
    } else if (typeof vDoc !== "string" || vDoc.trim() === "") {
      vFail(vDocNode, "doc must be a non-empty string");
    }
    let fields: SpecField[] | null = null;
    if (vNode.has("fields")) {
      const fieldsNode = vNode.get("fields", true) as YamlNode;
      if (isSeq(fieldsNode) && fieldsNode.items.length === 0) {
        vFail(
          fieldsNode,
          "a variant without fields is a unit variant ([tag, nil]): leave out `fields`",
        );
      } else {
        const read = readFields(
          fieldsNode,
          vNode,
          vEntry,
          problem,
          pending,
          true,
        );
        if (read === undefined) {
          vOk = false;
          ok = false;
        } else {
          fields = read;
        }
      }
    }
    if (!vOk) return;
    variants.push({
      name: vName as string,
      doc: (vDoc as string).trim(),
      fields,
    });
  });
  if (!ok) return undefined;
  return {
    value: { kind: "enum", name, doc: (doc as string).trim(), variants },
    entry,
    nameNode: nameNode as YamlNode,
  };
}

/**
 * Names of the types that can contain themselves (through list, map or option),
 * whose codecs need a run-time depth limit.
 *
 * @param spec A validated spec.
 * @returns The names of recursive types.
 */
export function recursiveTypes(spec: Spec): Set<string> {
  const byName = new Map(spec.types.map((t) => [t.name, t]));
  const refs = (t: SpecType): string[] =>
    (t.kind === "struct" ? t.fields : t.variants.flatMap((v) => v.fields ?? []))
      .flatMap((f) => namedIn(f.type));
  const result = new Set<string>();
  for (const t of spec.types) {
    // Depth-first search for a path back to t.
    const seen = new Set<string>();
    const stack = [...refs(t)];
    while (stack.length > 0) {
      const name = stack.pop()!;
      if (name === t.name) {
        result.add(t.name);
        break;
      }
      if (seen.has(name)) continue;
      seen.add(name);
      const next = byName.get(name);
      if (next !== undefined) stack.push(...refs(next));
    }
  }
  return result;
}
