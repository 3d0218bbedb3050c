/**
 * Reading and validating `spec/sync.yaml`.
 *
 * Validation runs before anything is emitted: every problem is collected with
 * the entry and YAML line it belongs to, and a spec with any problem yields no
 * output at all.
 *
 * @module
 */

import { isMap, isScalar, isSeq, LineCounter, parseDocument } from "yaml";
import type { Node as YamlNode, YAMLMap } from "yaml";

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
}

/** A validated spec. */
export interface Spec {
  /** Protocol revision label, e.g. `"2026-04"`. */
  revision: string;
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

const TOP_KEYS = new Set(["revision", "messages"]);
const MESSAGE_KEYS = new Set(["code", "name", "direction", "doc"]);
const PASCAL_CASE = /^[A-Z][A-Za-z0-9]*$/;

/**
 * Parses and validates spec text.
 *
 * @param text The YAML source.
 * @param file The path to name in errors.
 * @returns The validated spec.
 * @throws {SpecError} listing every problem, each with entry and line.
 */
export function parseSpec(text: string, file = "spec/sync.yaml"): Spec {
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
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "?";
    if (!TOP_KEYS.has(key)) {
      problem(pair.key as YamlNode, "spec", `unknown key "${key}"`);
    }
  }

  const revisionNode = root.get("revision", true);
  let revision = "";
  if (!isScalar(revisionNode) || typeof revisionNode.value !== "string") {
    problem(revisionNode ?? root, "revision", "must be a string");
  } else {
    revision = revisionNode.value;
  }

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
      messages.push(message);
    });
  }

  if (problems.length > 0) {
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
    throw new SpecError(file, problems);
  }
  return { revision, messages };
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(2, "0");
}

function readMessage(
  node: YamlNode,
  index: number,
  problem: (
    node: YamlNode | null | undefined,
    entry: string,
    msg: string,
  ) => void,
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

  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : "?";
    if (!MESSAGE_KEYS.has(key)) {
      fail(pair.key as YamlNode, `unknown key "${key}"`);
    }
  }

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
  };
}
