import {
  type CheckContext,
  childPath,
  describeAttribute,
  describeCty,
  describeNested,
  indexPath,
  isComputedOnly,
  isRecord,
  isRequired,
  jsonKind,
  report,
} from "./context";
import { nestedLocations, suggestName } from "./names";
import { classifyString } from "./template";
import type { CtyType, NestedType, SchemaAttribute } from "./types";

type Attributes = Readonly<Record<string, SchemaAttribute>>;

/** Checks one attribute value: computed-only, required-but-null, then its type. */
export function checkAttribute(ctx: CheckContext, value: unknown, attribute: SchemaAttribute, path: string): void {
  if (isComputedOnly(attribute)) {
    if (value !== null) report(ctx, path, "computed-only attribute cannot be set; the provider assigns its value");
    return;
  }
  if (value === null) {
    if (isRequired(attribute)) report(ctx, path, `required attribute is null (expected ${describeAttribute(attribute)})`);
    return;
  }
  if (attribute.nested_type) checkNested(ctx, value, attribute.nested_type, path);
  else if (attribute.type !== undefined) checkCty(ctx, value, attribute.type, path);
}

export function reportMissingRequired(ctx: CheckContext, value: Record<string, unknown>, attributes: Attributes, path: string): void {
  for (const [name, attribute] of Object.entries(attributes)) {
    if (isRequired(attribute) && !(name in value)) {
      report(ctx, childPath(path, name), `missing required attribute (expected ${describeAttribute(attribute)})`);
    }
  }
}

/**
 * `nested`: inside an attribute value, where Terraform converts the object to the schema's
 * type and silently drops keys it does not know (hashicorp/terraform#33570), as opposed to a
 * block body, where an unknown key is an "Unsupported argument" error.
 */
export function reportUnknown(
  ctx: CheckContext,
  path: string,
  key: string,
  attributes: Attributes,
  otherNames: readonly string[],
  where: { nested: true } | { nested: false; owner: string }
): void {
  const base = where.nested
    ? `unknown attribute "${key}": not in the schema, so Terraform would drop it silently`
    : `unknown attribute "${key}": ${where.owner} has no such argument or block`;
  const suggestion = suggestName(key, [...Object.keys(attributes), ...otherNames]);
  const locations = suggestion === undefined ? nestedLocations(key, attributes) : undefined;
  const hint =
    suggestion !== undefined ? `; did you mean "${suggestion}"?` : locations ? `; "${key}" exists at ${locations.join(", ")}` : "";
  report(ctx, childPath(path, key), base + hint);
}

function checkObjectAttributes(ctx: CheckContext, value: Record<string, unknown>, attributes: Attributes, path: string): void {
  // JSON object keys in attribute values are templates too; a computed key may supply any attribute.
  let computedKeys = false;
  for (const [key, item] of Object.entries(value)) {
    if (classifyString(key) !== "literal") {
      computedKeys = true;
      continue;
    }
    const attribute = attributes[key];
    if (attribute) checkAttribute(ctx, item, attribute, childPath(path, key));
    else reportUnknown(ctx, path, key, attributes, [], { nested: true });
  }
  if (!computedKeys) reportMissingRequired(ctx, value, attributes, path);
}

/** An expression string stands for any type; anything else must match the expected shape. */
function isExpression(value: unknown): boolean {
  return typeof value === "string" && classifyString(value) === "expression";
}

function got(value: unknown): string {
  return typeof value === "string" && classifyString(value) === "template" ? "string template" : jsonKind(value);
}

function mismatch(ctx: CheckContext, path: string, expected: string, value: unknown): void {
  report(ctx, path, `expected ${expected}, got ${got(value)}`);
}

function checkCount(ctx: CheckContext, path: string, count: number, min: number | undefined, max: number | undefined): void {
  if (min !== undefined && count < min) report(ctx, path, `expected at least ${min} item(s), got ${count}`);
  if (max !== undefined && max > 0 && count > max) report(ctx, path, `expected at most ${max} item(s), got ${count}`);
}

function checkObjectValue(ctx: CheckContext, value: unknown, attributes: Attributes, path: string): void {
  if (value === null || isExpression(value)) return;
  if (!isRecord(value)) mismatch(ctx, path, "object", value);
  else checkObjectAttributes(ctx, value, attributes, path);
}

function checkNested(ctx: CheckContext, value: unknown, nested: NestedType, path: string): void {
  if (isExpression(value)) return;
  const attributes = nested.attributes ?? {};
  switch (nested.nesting_mode) {
    case "single":
    case "group":
      checkObjectValue(ctx, value, attributes, path);
      return;
    case "list":
    case "set":
      if (!Array.isArray(value)) return mismatch(ctx, path, describeNested(nested), value);
      checkCount(ctx, path, value.length, nested.min_items, nested.max_items);
      value.forEach((item, i) => checkObjectValue(ctx, item, attributes, indexPath(path, i)));
      return;
    case "map":
      if (!isRecord(value)) return mismatch(ctx, path, describeNested(nested), value);
      for (const [key, item] of Object.entries(value)) checkObjectValue(ctx, item, attributes, childPath(path, key));
  }
}

/** Attribute table of a cty object type; names not listed as optional are required by conversion. */
function objectTypeAttributes(type: readonly ["object", Readonly<Record<string, CtyType>>, ...unknown[]]): Attributes {
  const optional = Array.isArray(type[2]) ? (type[2] as readonly string[]) : [];
  return Object.fromEntries(
    Object.entries(type[1]).map(([name, t]) => [name, optional.includes(name) ? { type: t, optional: true } : { type: t, required: true }])
  );
}

function checkCty(ctx: CheckContext, value: unknown, type: CtyType, path: string): void {
  if (value === null || type === "dynamic" || isExpression(value)) return;
  if (typeof type === "string") return checkPrimitive(ctx, value, type, path);
  switch (type[0]) {
    case "list":
    case "set": {
      if (!Array.isArray(value)) return mismatch(ctx, path, describeCty(type), value);
      const element = type[1];
      value.forEach((item, i) => checkCty(ctx, item, element, indexPath(path, i)));
      return;
    }
    case "map": {
      if (!isRecord(value)) return mismatch(ctx, path, describeCty(type), value);
      const element = type[1];
      for (const [key, item] of Object.entries(value)) checkCty(ctx, item, element, childPath(path, key));
      return;
    }
    case "object":
      if (!isRecord(value)) return mismatch(ctx, path, "object", value);
      return checkObjectAttributes(ctx, value, objectTypeAttributes(type), path);
    case "tuple": {
      if (!Array.isArray(value)) return mismatch(ctx, path, "tuple", value);
      const elements = type[1];
      if (value.length !== elements.length)
        return report(ctx, path, `expected tuple of ${elements.length} element(s), got ${value.length}`);
      value.forEach((item, i) => checkCty(ctx, item, elements[i] as CtyType, indexPath(path, i)));
    }
  }
}

// Go's big.Float.Parse in base 10, which cty uses to turn strings into numbers (so "Inf" passes).
const NUMERIC = /^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[Ii]nf)$/;
// cty's string→bool conversion accepts exactly these.
const BOOL_STRINGS = new Set(["true", "false", "1", "0"]);

function quote(s: string): string {
  return JSON.stringify(s.length > 40 ? `${s.slice(0, 37)}...` : s);
}

function checkPrimitive(ctx: CheckContext, value: unknown, type: "string" | "number" | "bool", path: string): void {
  if (typeof value === "string") {
    // A template's value is only known at plan time; Terraform converts it then.
    if (type === "string" || classifyString(value) === "template") return;
    if (type === "number" && !NUMERIC.test(value)) return report(ctx, path, `expected number, got string ${quote(value)}`);
    if (type === "bool" && !BOOL_STRINGS.has(value)) {
      return report(ctx, path, `expected bool, got string ${quote(value)} (Terraform converts only "true", "false", "1" and "0")`);
    }
    if (ctx.strictTypes) report(ctx, path, `expected ${type}, got string ${quote(value)} (Terraform would convert it; strictTypes)`);
    return;
  }
  if ((typeof value === "number" || typeof value === "boolean") && type === "string") {
    if (ctx.strictTypes)
      report(ctx, path, `expected string, got ${jsonKind(value)} (Terraform would convert it to "${String(value)}"; strictTypes)`);
    return;
  }
  if (jsonKind(value) !== type) mismatch(ctx, path, type, value);
}
