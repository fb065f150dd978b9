// What deploy needs to know about the stack's resources beyond what terraform's plan says, read from the
// synthesized cdk.tf.json and remembered across runs, because a resource removed from the configuration
// is still in the state (and in the plan, as a deletion) but no longer in the JSON:
// - disposable: the constructs write `"//": {"cdktf-libvirt": {"disposable": "<why>"}}` on resources
//   that hold no data (cloud-init seed volumes); they may be replaced or deleted without an allow-list entry;
// - retained: `lifecycle.prevent_destroy` (RemovalPolicy.RETAIN); when one leaves the configuration,
//   deploy forgets it (a `removed` block with destroy = false) instead of deleting it;
// - domain: a libvirt_domain's name and its host's URI, to name the command that stops it.
import * as fs from "node:fs";

export const MARKER = "cdktf-libvirt";
/** Kept in the stack's working directory beside the state. */
export const MARKS_FILE = "resource-marks.json";

export interface ResourceMark {
  readonly disposable?: string;
  readonly retained?: boolean;
  readonly domain?: { readonly name: string; readonly uri?: string };
}

export type Marks = ReadonlyMap<string, ResourceMark>;

/** The marks of every resource in a parsed cdk.tf.json, by address (`type.name`). */
export function readMarks(stack: unknown): Map<string, ResourceMark> {
  const found = new Map<string, ResourceMark>();
  const resources = isRecord(stack) && isRecord(stack.resource) ? stack.resource : {};
  const uris = providerUris(stack);
  for (const [type, byName] of Object.entries(resources)) {
    if (!isRecord(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      if (!isRecord(body)) continue;
      const meta = isRecord(body["//"]) ? body["//"][MARKER] : undefined;
      const disposable = isRecord(meta) && typeof meta.disposable === "string" ? meta.disposable : undefined;
      const retained = isRecord(body.lifecycle) && body.lifecycle.prevent_destroy === true;
      const domain =
        type === "libvirt_domain" && typeof body.name === "string"
          ? { name: body.name, uri: typeof body.provider === "string" ? uris.get(body.provider) : uris.get("libvirt") }
          : undefined;
      if (disposable === undefined && !retained && !domain) continue;
      found.set(`${type}.${name}`, { ...(disposable !== undefined && { disposable }), ...(retained && { retained }), ...(domain && { domain }) });
    }
  }
  return found;
}

/** `libvirt` or `libvirt.<alias>` → the provider block's uri. */
function providerUris(stack: unknown): Map<string, string> {
  const uris = new Map<string, string>();
  const blocks = isRecord(stack) && isRecord(stack.provider) ? stack.provider.libvirt : undefined;
  for (const block of Array.isArray(blocks) ? blocks : [blocks]) {
    if (!isRecord(block) || typeof block.uri !== "string") continue;
    uris.set(typeof block.alias === "string" ? `libvirt.${block.alias}` : "libvirt", block.uri);
  }
  return uris;
}

/** The marks remembered from earlier runs; none when the file is missing or unreadable. */
export function loadMarks(file: string): Map<string, ResourceMark> {
  try {
    const data: unknown = JSON.parse(fs.readFileSync(file, "utf8"));
    return new Map(isRecord(data) ? Object.entries(data).filter((e): e is [string, ResourceMark] => isRecord(e[1])) : []);
  } catch {
    return new Map();
  }
}

export function saveMarks(file: string, marks: Marks): void {
  const tmp = `${file}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(Object.fromEntries([...marks].sort(([a], [b]) => a.localeCompare(b))), null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, file);
}

/** The current configuration's marks, over the remembered ones of resources it no longer has. */
export function mergeMarks(remembered: Marks, current: Marks): Map<string, ResourceMark> {
  return new Map([...remembered, ...current]);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
