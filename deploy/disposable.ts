// Which resources a synthesized stack marks as holding no data, so deploy may replace them without an
// allow-list entry. The constructs write `"//": {"cdktf-libvirt": {"disposable": "<why>"}}` on such
// resources (cloud-init seed volumes, rebuilt from configuration whenever it changes); Terraform ignores
// "//" keys. Pure: takes the parsed cdk.tf.json.

export const MARKER = "cdktf-libvirt";

/** Addresses (`type.name`) of the resources marked disposable, with the reason the stack gives. */
export function disposableResources(stack: unknown): Map<string, string> {
  const found = new Map<string, string>();
  const resources = isRecord(stack) && isRecord(stack.resource) ? stack.resource : {};
  for (const [type, byName] of Object.entries(resources)) {
    if (!isRecord(byName)) continue;
    for (const [name, body] of Object.entries(byName)) {
      const meta = isRecord(body) && isRecord(body["//"]) ? body["//"][MARKER] : undefined;
      if (isRecord(meta) && typeof meta.disposable === "string") found.set(`${type}.${name}`, meta.disposable);
    }
  }
  return found;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
