import { readFileSync } from "fs";
import { z } from "zod";
import { parseJsonBytes } from "./json";
import { Spec, specSchema } from "./schema";

/** A spec file that cannot be used; the message names the file and each offending field's path. */
export class SpecError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SpecError";
  }
}

/** Reads and validates a spec file; every problem is reported with its path, e.g. `stacks.lab.hosts.local.vms.web.memory`. */
export function loadSpec(file: string): Spec {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new SpecError(`spec ${file}: ${code === "ENOENT" ? "file not found" : (err as Error).message}`);
  }
  let data: unknown;
  try {
    data = parseJsonBytes(bytes);
  } catch (err) {
    throw new SpecError((err as Error).message.split("\n").map((line) => `spec ${file}: ${line}`).join("\n"));
  }
  return parseSpec(data, file);
}

export function parseSpec(data: unknown, source = "spec"): Spec {
  const result = specSchema.safeParse(data);
  if (result.success) return result.data;
  throw new SpecError(result.error.issues.flatMap((issue) => describeIssue(issue)).map((line) => `spec ${source}: ${line}`).join("\n"));
}

function describeIssue(issue: z.core.$ZodIssue): string[] {
  const path = formatPath(issue.path);
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${formatPath([...issue.path, key])}: unknown key`);
  }
  if (issue.code === "invalid_key") {
    // the key's own rule (e.g. an RFC 1123 label) says more than "Invalid key in record"
    return [`${path}: ${issue.issues[0]?.message ?? issue.message}`];
  }
  if (issue.code === "invalid_union" && "note" in issue && issue.note === "No matching discriminator") {
    return [`${path}: unknown type (expected one of host-bridge, bridge, nat)`];
  }
  if (issue.code === "invalid_union") {
    // the one alternative the value has the shape of (an object for an object) says what is wrong inside it
    const inside = issue.errors.filter((branch) => branch.some((inner) => inner.path.length > 0 || inner.code === "unrecognized_keys"));
    if (inside.length === 1) return inside[0].flatMap((inner) => describeIssue({ ...inner, path: [...issue.path, ...inner.path] }));
  }
  if (issue.code === "invalid_type" && issue.expected === "int") return [`${path}: must be a whole number`];
  return [`${path || "(top level)"}: ${issue.message}`];
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, part) => (typeof part === "number" ? `${text}[${part}]` : text ? `${text}.${String(part)}` : String(part)), "");
}
