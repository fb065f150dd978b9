import { suggestName } from "./names";
import type { BlockType, CtyType, SchemaAttribute, SchemaBlock } from "./types";

/**
 * Validates a `lifecycle.ignore_changes` entry against the resource schema the way Terraform
 * does (StaticValidateTraversal): every step must exist in the resource's implied type.
 * cdktf passes these strings through untouched, so a camelCase name is a real mistake.
 */
export function traversalError(text: string, block: SchemaBlock, owner: string): string | undefined {
  const steps = parseTraversal(text);
  if (!steps) return `"${text}" is not an attribute path`;
  let node: Node = blockNode(block);
  let consumed = owner;
  for (const step of steps) {
    const next = stepInto(node, step, consumed);
    if (typeof next === "string") return next;
    node = next;
    consumed =
      step.kind === "name" ? (consumed === owner ? step.name : `${consumed}.${step.name}`) : `${consumed}[${JSON.stringify(step.key)}]`;
  }
  return undefined;
}

type Step = { kind: "name"; name: string } | { kind: "index"; key: number | string };

const IDENTIFIER = "[A-Za-z_][A-Za-z0-9_-]*";
const STEP = new RegExp(`^(?:\\.(${IDENTIFIER})|\\.(\\d+)|\\[(\\d+)\\]|\\[("(?:[^"\\\\]|\\\\.)*")\\])`);

function parseTraversal(text: string): Step[] | undefined {
  const first = new RegExp(`^${IDENTIFIER}`).exec(text);
  if (!first) return undefined;
  const steps: Step[] = [{ kind: "name", name: first[0] }];
  let rest = text.slice(first[0].length);
  while (rest.length > 0) {
    const m = STEP.exec(rest);
    if (!m) return undefined;
    if (m[1] !== undefined) steps.push({ kind: "name", name: m[1] });
    // `.0` is HCL's legacy index syntax.
    else if (m[2] !== undefined || m[3] !== undefined) steps.push({ kind: "index", key: Number(m[2] ?? m[3]) });
    else steps.push({ kind: "index", key: JSON.parse(m[4] as string) as string });
    rest = rest.slice(m[0].length);
  }
  return steps;
}

type Node =
  | { kind: "object"; attributes: Readonly<Record<string, SchemaAttribute>>; blocks: Readonly<Record<string, BlockType>> }
  | { kind: "collection"; mode: "list" | "set" | "map"; element: () => Node }
  | { kind: "tuple"; elements: readonly CtyType[] }
  | { kind: "primitive"; name: string }
  | { kind: "any" };

function blockNode(block: SchemaBlock): Node {
  return { kind: "object", attributes: block.attributes ?? {}, blocks: block.block_types ?? {} };
}

function collectionOr(mode: string, element: () => Node): Node {
  return mode === "list" || mode === "set" || mode === "map" ? { kind: "collection", mode, element } : element();
}

function attributeNode(attribute: SchemaAttribute): Node {
  const nested = attribute.nested_type;
  if (nested) return collectionOr(nested.nesting_mode, () => ({ kind: "object", attributes: nested.attributes ?? {}, blocks: {} }));
  return attribute.type === undefined ? { kind: "any" } : ctyNode(attribute.type);
}

function ctyNode(type: CtyType): Node {
  if (type === "dynamic") return { kind: "any" };
  if (typeof type === "string") return { kind: "primitive", name: type };
  switch (type[0]) {
    case "list":
    case "set":
    case "map": {
      const element = type[1];
      return { kind: "collection", mode: type[0], element: () => ctyNode(element) };
    }
    case "object":
      return { kind: "object", attributes: Object.fromEntries(Object.entries(type[1]).map(([k, t]) => [k, { type: t }])), blocks: {} };
    case "tuple":
      return { kind: "tuple", elements: type[1] };
  }
}

function stepInto(node: Node, step: Step, at: string): Node | string {
  switch (node.kind) {
    case "any":
      return node;
    case "primitive":
      return `${at} is a ${node.name}; it has no attributes or elements`;
    case "object": {
      if (step.kind === "index" && typeof step.key === "number") return `${at} is an object; it cannot be indexed by number`;
      const name = step.kind === "name" ? step.name : (step.key as string);
      const attribute = node.attributes[name];
      if (attribute) return attributeNode(attribute);
      const blockType = node.blocks[name];
      if (blockType) return collectionOr(blockType.nesting_mode, () => blockNode(blockType.block));
      const suggestion = suggestName(name, [...Object.keys(node.attributes), ...Object.keys(node.blocks)]);
      return `${at} has no attribute "${name}"${suggestion === undefined ? "" : `; did you mean "${suggestion}"?`}`;
    }
    case "collection":
      if (node.mode === "set") return `${at} is a set; its elements cannot be addressed`;
      if (node.mode === "list" && (step.kind === "name" || typeof step.key !== "number")) {
        return `${at} is a list; index it by number, e.g. ${at}[0]`;
      }
      // Maps accept both m["key"] and m.key.
      return node.element();
    case "tuple":
      if (step.kind === "index" && typeof step.key === "number" && step.key < node.elements.length) {
        return ctyNode(node.elements[step.key] as CtyType);
      }
      return `${at} is a tuple of ${node.elements.length} element(s)`;
  }
}
