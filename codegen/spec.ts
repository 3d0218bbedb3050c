/**
 * Reading and validating `spec/2026-04.yaml`.
 *
 * Validation runs before anything is emitted: every problem is collected with
 * the entry and YAML line it belongs to, and a spec with any problem yields no
 * output at all.
 *
 * @module
 */

import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Node as YamlNode, YAMLMap } from "yaml";
import {
  isU8List,
  isUint,
  namedIn,
  parseTypeExpr,
  TypeSyntaxError,
  typeText,
} from "./types.ts";
import type { TypeExpr } from "./types.ts";

/** The three directions a message may travel. */
export const DIRECTIONS = [
  "client_to_server",
  "server_to_client",
  "bidirectional",
] as const;

/** A direction as written in the spec. */
export type SpecDirection = typeof DIRECTIONS[number];

/** One validated message entry. */
export interface SpecMessage {
  /** Message type byte, 0–255. */
  code: number;
  /** PascalCase name, unique in the spec. */
  name: string;
  /** Who may send it. */
  direction: SpecDirection;
  /** The protocol's own description. */
  doc: string;
  /** Name of the body struct in {@linkcode Spec.types}. */
  body: string;
}

/** One field of a struct or data variant, in wire order. */
export interface SpecField {
  /** Wire (Rust) name, snake_case. */
  name: string;
  /** The TypeScript property name (camelCase). */
  tsName: string;
  /** The parsed type. */
  type: TypeExpr;
  /** Description. */
  doc: string;
}

/** A struct: a positional array of its fields. */
export interface SpecStruct {
  /** Discriminant. */
  kind: "struct";
  /** PascalCase name. */
  name: string;
  /** Description. */
  doc: string;
  /** Fields in wire order (non-empty). */
  fields: SpecField[];
}

/** One enum variant: unit when `fields` is `null`. */
export interface SpecVariant {
  /** The tag written on the wire (PascalCase). */
  name: string;
  /** Description. */
  doc: string;
  /** Fields of a data variant, or `null` for a unit variant. */
  fields: SpecField[] | null;
}

/** An enum: `[tag, nil]` or `[tag, [fields…]]`. */
export interface SpecEnum {
  /** Discriminant. */
  kind: "enum";
  /** PascalCase name. */
  name: string;
  /** Description. */
  doc: string;
  /** Variants in declaration order (non-empty). */
  variants: SpecVariant[];
}

/** A named type of the spec. */
export type SpecType = SpecStruct | SpecEnum;

/** The header fields a frame layout may have, each of a fixed size. */
export const HEADER_FIELDS = {
  version: 1,
  msg_type: 1,
  length: 4,
  crc32c: 4,
} as const;

/** A header field name. */
export type HeaderField = keyof typeof HEADER_FIELDS;

/** How a revision writes enum unit variants. */
export const UNIT_FORMS = ["tagged_nil", "bare_string"] as const;

/** A unit-variant form. */
export type UnitForm = typeof UNIT_FORMS[number];

/** A frame layout as the spec states it. */
export interface SpecFrame {
  /** Header fields in wire order. */
  header: HeaderField[];
  /** The format version byte, when `header` has `version`. */
  version: number | undefined;
}

/** The protocol's limits as the spec states them. */
export interface SpecLimits {
  /** Most nested structs the peer's reader follows (zerompk `MAX_DEPTH`). */
  maxStructDepth: number;
}

/** A validated spec. */
export interface Spec {
  /** Protocol revision label, e.g. `"2026-04"`. */
  revision: string;
  /** The module users import this revision from, e.g. `"@sync/frame/2026-07"`. */
  entry: string;
  /** The Rust serializer whose bytes the codecs match, e.g. `"zerompk 0.7.1"`. */
  serializer: string;
  /** The handshake `wire_version` of the revision. */
  wireVersion: number;
  /** How enum unit variants are written. */
  unitVariants: UnitForm;
  /** The frame layout. */
  frame: SpecFrame;
  /** The protocol's limits. */
  limits: SpecLimits;
  /** Every struct and enum, in spec order. */
  types: SpecType[];
  /** Messages in spec order. */
  messages: SpecMessage[];
}

/** One problem found in a spec, located by entry and line. */
export interface SpecProblem {
  /** 1-based YAML line, when known. */
  line: number | undefined;
  /** The entry the problem belongs to, e.g. `messages[3] (DeltaAck)`. */
  entry: string;
  /** What is wrong. */
  message: string;
}

/** Thrown when a spec does not validate; lists every problem found. */
export class SpecError extends Error {
  /** All problems, in file order. */
  readonly problems: SpecProblem[];

  /**
   * @param file The spec's path, for the message.
   * @param problems The problems found.
   */
  constructor(file: string, problems: SpecProblem[]) {
    super(
      `${file}: ${problems.length} problem(s)\n` +
        problems.map((p) =>
          `  ${file}:${p.line ?? "?"}: ${p.entry}: ${p.message}`
        ).join("\n"),
    );
    this.name = "SpecError";
    this.problems = problems;
  }
}

const TOP_KEYS = new Set([
  "revision",
  "entry",
  "serializer",
  "wire_version",
  "unit_variants",
  "frame",
  "limits",
  "types",
  "messages",
]);
const FRAME_KEYS = new Set(["header", "version"]);
const LIMIT_KEYS = new Set(["max_struct_depth"]);
const MESSAGE_KEYS = new Set(["code", "name", "direction", "body", "doc"]);
const TYPE_KEYS = new Set(["struct", "enum", "doc", "fields", "variants"]);
const FIELD_KEYS = new Set(["name", "type", "doc"]);
const VARIANT_KEYS = new Set(["name", "doc", "fields"]);
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;
const SNAKE_CASE = /^[a-z][a-z0-9]*(_[a-z0-9]+)*$/;

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

/** snake_case → camelCase. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

type Problem = (
  node: YamlNode | null | undefined,
  entry: string,
  message: string,
) => void;

/**
 * Parses and validates spec text.
 *
 * @param text The YAML source.
 * @param file The path to name in errors.
 * @returns The validated spec.
 * @throws {SpecError} listing every problem, each with entry and line.
 */
export function parseSpec(text: string, file = "spec/2026-04.yaml"): Spec {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false });
  const problems: SpecProblem[] = [];
  const lineOf = (node: YamlNode | null | undefined): number | undefined =>
    node?.range ? lines.linePos(node.range[0]).line : undefined;
  const problem = (
    node: YamlNode | null | undefined,
    entry: string,
    message: string,
  ) => problems.push({ line: lineOf(node), entry, message });

  for (const error of doc.errors) {
    problems.push({
      line: error.linePos?.[0].line,
      entry: "yaml",
      message: error.message,
    });
  }
  if (problems.length > 0) throw new SpecError(file, problems);

  const root = doc.contents;
  if (!isMap(root)) {
    throw new SpecError(file, [{
      line: 1,
      entry: "spec",
      message: "the top level must be a mapping",
    }]);
  }
  checkKeys(root, TOP_KEYS, (at, message) => problem(at, "spec", message));

  const revisionNode = root.get("revision", true);
  let revision = "";
  if (!isScalar(revisionNode) || typeof revisionNode.value !== "string") {
    problem(revisionNode ?? root, "revision", "must be a string");
  } else {
    revision = revisionNode.value;
  }

  const stringKey = (key: string): string => {
    const node = root.get(key, true);
    if (
      !isScalar(node) || typeof node.value !== "string" || node.value === ""
    ) {
      problem(node ?? root, key, "must be a non-empty string");
      return "";
    }
    return node.value;
  };
  const intKey = (
    map: YAMLMap,
    key: string,
    entry: string,
    max: number,
  ): number => {
    const node = map.get(key, true);
    if (
      !isScalar(node) || typeof node.value !== "number" ||
      !Number.isInteger(node.value) || node.value < 0 || node.value > max
    ) {
      problem(
        node ?? map,
        entry,
        `"${key}" must be an integer from 0 to ${max}`,
      );
      return 0;
    }
    return node.value;
  };
  const entry = stringKey("entry");
  const serializer = stringKey("serializer");
  const wireVersion = intKey(root, "wire_version", "wire_version", 0xffff);
  const unitNode = root.get("unit_variants", true);
  let unitVariants: UnitForm = "tagged_nil";
  if (
    !isScalar(unitNode) ||
    !(UNIT_FORMS as readonly unknown[]).includes(unitNode.value)
  ) {
    problem(
      unitNode ?? root,
      "unit_variants",
      `must be one of ${UNIT_FORMS.join(", ")}`,
    );
  } else {
    unitVariants = (unitNode as { value: unknown }).value as UnitForm;
  }
  const frame = readFrame(root.get("frame", true), root, problem, intKey);
  const limitsNode = root.get("limits", true);
  const limits: SpecLimits = { maxStructDepth: 0 };
  if (!isMap(limitsNode)) {
    problem(limitsNode ?? root, "limits", "must be a mapping");
  } else {
    checkKeys(limitsNode, LIMIT_KEYS, (at, m) => problem(at, "limits", m));
    limits.maxStructDepth = intKey(
      limitsNode,
      "max_struct_depth",
      "limits",
      100_000,
    );
  }

  const declared = new Set<string>();
  const types = readTypes(root.get("types", true), root, problem, declared);
  const typeByName = new Map(types.map((t) => [t.name, t]));

  const messagesNode = root.get("messages", true);
  const messages: SpecMessage[] = [];
  if (!isSeq(messagesNode) || messagesNode.items.length === 0) {
    problem(messagesNode ?? root, "messages", "must be a non-empty list");
  } else {
    const byCode = new Map<number, string>();
    const byName = new Map<string, string>();
    messagesNode.items.forEach((item, index) => {
      const message = readMessage(
        item as YamlNode,
        index,
        problem,
      );
      if (message === undefined) return;
      const entry = `messages[${index}] (${message.name})`;
      const node = item as YamlNode;
      const codeClash = byCode.get(message.code);
      if (codeClash !== undefined) {
        problem(
          (node as YAMLMap).get("code", true) as YamlNode,
          entry,
          `code 0x${hex(message.code)} is already used by ${codeClash}`,
        );
      }
      const nameClash = byName.get(message.name);
      if (nameClash !== undefined) {
        problem(
          (node as YAMLMap).get("name", true) as YamlNode,
          entry,
          `name "${message.name}" is already used by ${nameClash}`,
        );
      }
      byCode.set(message.code, entry);
      byName.set(message.name, entry);
      const bodyType = typeByName.get(message.body);
      if (declared.size > 0 && !declared.has(message.body)) {
        problem(
          (node as YAMLMap).get("body", true) as YamlNode,
          entry,
          `body "${message.body}" is not a type of \`types\``,
        );
      } else if (bodyType?.kind === "enum") {
        problem(
          (node as YAMLMap).get("body", true) as YamlNode,
          entry,
          `body "${message.body}" must be a struct, not an enum`,
        );
      }
      messages.push(message);
    });
  }

  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new SpecError(file, problems);
  }
  return {
    revision,
    entry,
    serializer,
    wireVersion,
    unitVariants,
    frame,
    limits,
    types,
    messages,
  };
}

/** Reads and validates `frame`: header fields (each once) and the version byte. */
function readFrame(
  node: YamlNode | null | undefined,
  root: YAMLMap,
  problem: Problem,
  intKey: (map: YAMLMap, key: string, entry: string, max: number) => number,
): SpecFrame {
  const frame: SpecFrame = { header: [], version: undefined };
  if (!isMap(node)) {
    problem(node ?? root, "frame", "must be a mapping");
    return frame;
  }
  checkKeys(node, FRAME_KEYS, (at, m) => problem(at, "frame", m));
  const header = node.get("header", true);
  if (!isSeq(header)) {
    problem(header ?? node, "frame.header", "must be a list of header fields");
    return frame;
  }
  for (const item of header.items) {
    const name = isScalar(item) ? item.value : undefined;
    if (typeof name !== "string" || !(name in HEADER_FIELDS)) {
      problem(
        item as YamlNode,
        "frame.header",
        `unknown header field ${JSON.stringify(name)} (fields: ${
          Object.keys(HEADER_FIELDS).join(", ")
        })`,
      );
    } else if (frame.header.includes(name as HeaderField)) {
      problem(item as YamlNode, "frame.header", `"${name}" appears twice`);
    } else {
      frame.header.push(name as HeaderField);
    }
  }
  for (const required of ["msg_type", "length"] as const) {
    if (!frame.header.includes(required)) {
      problem(header, "frame.header", `must include "${required}"`);
    }
  }
  const hasVersion = frame.header.includes("version");
  if (hasVersion) {
    frame.version = intKey(node, "version", "frame", 0xff);
  } else if (node.has("version")) {
    problem(
      node.get("version", true) as YamlNode,
      "frame",
      '"version" needs a "version" header field',
    );
  }
  return frame;
}

/** Reports every key of `node` that is not in `allowed`. */
function checkKeys(
  node: YAMLMap,
  allowed: ReadonlySet<string>,
  fail: (at: YamlNode, message: string) => void,
): void {
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "?";
    if (!allowed.has(key)) fail(pair.key as YamlNode, `unknown key "${key}"`);
  }
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, "0");
}

function readMessage(
  node: YamlNode,
  index: number,
  problem: Problem,
): SpecMessage | undefined {
  if (!isMap(node)) {
    problem(node, `messages[${index}]`, "must be a mapping");
    return undefined;
  }
  const nameNode = node.get("name", true);
  const rawName = isScalar(nameNode) ? nameNode.value : undefined;
  const entry = `messages[${index}]` +
    (typeof rawName === "string" ? ` (${rawName})` : "");
  let ok = true;
  const fail = (at: YamlNode | null | undefined, message: string) => {
    ok = false;
    problem(at ?? node, entry, message);
  };

  checkKeys(node, MESSAGE_KEYS, fail);

  const codeNode = node.get("code", true);
  const code = isScalar(codeNode) ? codeNode.value : undefined;
  if (codeNode === undefined) {
    fail(node, 'missing key "code"');
  } else if (
    typeof code !== "number" || !Number.isInteger(code) || code < 0 ||
    code > 255
  ) {
    fail(
      codeNode,
      `code must be an integer 0–255, got ${JSON.stringify(code)}`,
    );
  } else if (!/^0x[0-9a-fA-F]+$/.test(String(codeNode.source ?? ""))) {
    fail(codeNode, `code must be written in hex, e.g. 0x${hex(code)}`);
  }

  if (nameNode === undefined) {
    fail(node, 'missing key "name"');
  } else if (typeof rawName !== "string" || !PASCAL_CASE.test(rawName)) {
    fail(
      nameNode,
      `name must be a PascalCase identifier, got ${JSON.stringify(rawName)}`,
    );
  }

  const directionNode = node.get("direction", true);
  const direction = isScalar(directionNode) ? directionNode.value : undefined;
  if (directionNode === undefined) {
    fail(node, 'missing key "direction"');
  } else if (
    typeof direction !== "string" ||
    !(DIRECTIONS as readonly string[]).includes(direction)
  ) {
    fail(
      directionNode,
      `direction must be one of ${DIRECTIONS.join(", ")}, got ${
        JSON.stringify(direction)
      }`,
    );
  }

  const bodyNode = node.get("body", true);
  const body = isScalar(bodyNode) ? bodyNode.value : undefined;
  if (bodyNode === undefined) {
    fail(node, 'missing key "body"');
  } else if (typeof body !== "string" || !PASCAL_CASE.test(body)) {
    fail(
      bodyNode,
      `body must name a struct of \`types\`, got ${JSON.stringify(body)}`,
    );
  }

  const docNode = node.get("doc", true);
  const doc = isScalar(docNode) ? docNode.value : undefined;
  if (docNode === undefined) {
    fail(node, 'missing key "doc"');
  } else if (typeof doc !== "string" || doc.trim() === "") {
    fail(docNode, "doc must be a non-empty string");
  }

  if (!ok) return undefined;
  return {
    code: code as number,
    name: rawName as string,
    direction: direction as SpecDirection,
    doc: (doc as string).trim(),
    body: body as string,
  };
}

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
function readTypes(
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
