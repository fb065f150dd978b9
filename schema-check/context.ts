import type { CtyType, NestedType, SchemaAttribute, SchemaIssue } from "./types";

/** State shared by one checkStack run. */
export interface CheckContext {
  readonly issues: SchemaIssue[];
  readonly strictTypes: boolean;
}

export function report(ctx: CheckContext, path: string, text: string): void {
  ctx.issues.push({ path, message: `${path}: ${text}` });
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `a.b` for identifiers, `a["key.with.dots"]` otherwise, so map keys stay unambiguous. */
export function childPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

export function indexPath(path: string, index: number): string {
  return `${path}[${index}]`;
}

/** What a JSON value looks like to Terraform's JSON syntax, for "got …". */
export function jsonKind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "array";
  if (typeof value === "boolean") return "bool";
  return typeof value;
}

export function describeCty(type: CtyType): string {
  if (typeof type === "string") return type;
  switch (type[0]) {
    case "list":
    case "set":
    case "map":
      return `${type[0]} of ${describeCty(type[1])}`;
    default:
      return type[0];
  }
}

export function describeNested(nested: NestedType): string {
  return nested.nesting_mode === "single" || nested.nesting_mode === "group" ? "object" : `${nested.nesting_mode} of object`;
}

export function describeAttribute(attribute: SchemaAttribute): string {
  if (attribute.nested_type) return describeNested(attribute.nested_type);
  return attribute.type === undefined ? "dynamic" : describeCty(attribute.type);
}

/** Terraform's required flag for nested attributes also covers min_items (see configschema decoderSpec). */
export function isRequired(attribute: SchemaAttribute): boolean {
  return attribute.required === true || (attribute.nested_type?.min_items ?? 0) > 0;
}

export function isComputedOnly(attribute: SchemaAttribute): boolean {
  return attribute.computed === true && attribute.optional !== true && attribute.required !== true;
}
