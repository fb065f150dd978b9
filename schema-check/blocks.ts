import { type CheckContext, childPath, indexPath, isRecord, jsonKind, report } from "./context";
import { traversalError } from "./traversal";
import type { BlockType, SchemaBlock } from "./types";
import { checkAttribute, reportMissingRequired, reportUnknown } from "./values";

export interface BodyOptions {
  /** Keys Terraform handles itself (count, lifecycle, alias, …); never looked up in the provider schema. */
  readonly meta: ReadonlySet<string>;
  /** Names the block in messages, e.g. "libvirt_volume". */
  readonly owner: string;
}

const NO_META: ReadonlySet<string> = new Set();

/** Checks a block body: a resource, data source or provider configuration, or a nested block. */
export function checkBody(ctx: CheckContext, body: unknown, block: SchemaBlock, path: string, options: BodyOptions): void {
  if (!isRecord(body)) return report(ctx, path, `expected object, got ${jsonKind(body)}`);
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  const generated = new Set<string>();
  for (const [key, value] of Object.entries(body)) {
    // "//" is a comment in HCL's JSON syntax; cdktf keeps construct metadata there.
    if (key === "//") continue;
    if (options.meta.has(key)) {
      if (key === "lifecycle") checkLifecycle(ctx, value, block, childPath(path, key), options.owner);
      continue;
    }
    const attribute = attributes[key];
    const blockType = blockTypes[key];
    if (key === "dynamic") checkDynamic(ctx, value, block, childPath(path, key), generated);
    else if (attribute) checkAttribute(ctx, value, attribute, childPath(path, key));
    else if (blockType) checkBlocks(ctx, value, blockType, childPath(path, key), key);
    else reportUnknown(ctx, path, key, attributes, Object.keys(blockTypes), { nested: false, owner: options.owner });
  }
  reportMissingRequired(ctx, body, attributes, path);
  for (const [name, blockType] of Object.entries(blockTypes)) {
    const min = blockType.min_items ?? 0;
    if (min > 0 && (body[name] === undefined || body[name] === null) && !generated.has(name)) {
      report(ctx, childPath(path, name), `missing required block (expected at least ${min})`);
    }
  }
}

/** HCL's JSON syntax writes one block as an object and several as an array of objects. */
function blockBodies(value: unknown, path: string): Array<[unknown, string]> {
  return Array.isArray(value) ? value.map((body, i): [unknown, string] => [body, indexPath(path, i)]) : [[value, path]];
}

function checkBlocks(ctx: CheckContext, value: unknown, blockType: BlockType, path: string, name: string): void {
  if (value === null) return;
  const nestedOptions: BodyOptions = { meta: NO_META, owner: `block ${name}` };
  let bodies: Array<[unknown, string]>;
  if (blockType.nesting_mode === "map") {
    // One object keyed by the block label.
    if (!isRecord(value)) return report(ctx, path, `expected object of labelled blocks, got ${jsonKind(value)}`);
    bodies = Object.entries(value).flatMap(([label, body]) => blockBodies(body, childPath(path, label)));
  } else {
    bodies = blockBodies(value, path);
  }
  const single = blockType.nesting_mode === "single" || blockType.nesting_mode === "group";
  const max = single ? 1 : blockType.max_items ?? 0;
  const min = blockType.min_items ?? 0;
  if (max > 0 && bodies.length > max) report(ctx, path, `expected at most ${max} block(s), got ${bodies.length}`);
  if (bodies.length < min) report(ctx, path, `expected at least ${min} block(s), got ${bodies.length}`);
  for (const [body, bodyPath] of bodies) checkBody(ctx, body, blockType.block, bodyPath, nestedOptions);
}

/** `dynamic` generates blocks only; the provider's nested attributes take for expressions instead. */
function checkDynamic(ctx: CheckContext, value: unknown, block: SchemaBlock, path: string, generated: Set<string>): void {
  if (!isRecord(value)) return report(ctx, path, `expected object, got ${jsonKind(value)}`);
  for (const [name, specs] of Object.entries(value)) {
    const namePath = childPath(path, name);
    const blockType = block.block_types?.[name];
    if (!blockType) {
      const what = block.attributes?.[name]
        ? "is an attribute, not a block type; use a for expression"
        : "is not a block type of this schema";
      report(ctx, namePath, `dynamic "${name}" ${what}`);
      continue;
    }
    generated.add(name);
    for (const [spec, specPath] of blockBodies(specs, namePath)) {
      if (isRecord(spec) && spec.content !== undefined) {
        checkBody(ctx, spec.content, blockType.block, childPath(specPath, "content"), { meta: NO_META, owner: `block ${name}` });
      }
    }
  }
}

function checkLifecycle(ctx: CheckContext, value: unknown, block: SchemaBlock, path: string, owner: string): void {
  for (const [lifecycle, lifecyclePath] of blockBodies(value, path)) {
    if (!isRecord(lifecycle) || !Array.isArray(lifecycle.ignore_changes)) continue;
    const ignorePath = childPath(lifecyclePath, "ignore_changes");
    lifecycle.ignore_changes.forEach((entry, i) => {
      if (typeof entry !== "string") return;
      const error = traversalError(entry, block, owner);
      if (error) report(ctx, indexPath(ignorePath, i), `ignore_changes entry "${entry}" does not match the schema: ${error}`);
    });
  }
}
