/**
 * Reading and validating a spec (`spec/<revision>.yaml`).
 *
 * Validation runs before anything is emitted: every problem is collected with
 * the entry and YAML line it belongs to, and a spec with any problem yields no
 * output at all. The model is in `spec_model.ts`, the `types` reader in
 * `_spec_types.ts`.
 *
 * @module
 */

import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Node as YamlNode, YAMLMap } from "yaml";
import {
  DIRECTIONS,
  HEADER_FIELDS,
  SpecError,
  UNIT_FORMS,
} from "./spec_model.ts";
import type {
  HeaderField,
  Spec,
  SpecDirection,
  SpecFrame,
  SpecLimits,
  SpecMessage,
  SpecProblem,
  UnitForm,
} from "./spec_model.ts";
import { checkKeys, PASCAL_CASE, type Problem } from "./_spec_util.ts";
import { readTypes } from "./_spec_types.ts";

export * from "./spec_model.ts";
export { camelCase } from "./_spec_util.ts";
export { recursiveTypes } from "./_spec_types.ts";

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
