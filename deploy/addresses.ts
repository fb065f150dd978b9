// The guests' addresses in the VM outputs come from the provider's address lookup (a data source read
// through the guest agent or DHCP leases) at apply time, when a new guest has not booted yet. With
// --wait-for-addresses, deploy refreshes just those lookups until every VM lists an address, or the
// time is up. Pure helpers; the loop is in pipeline.ts.

const LOOKUP = /data\.libvirt_domain_interface_addresses\.([A-Za-z0-9_-]+)/;

export interface MissingAddress {
  readonly output: string;
  /** The data source to refresh, e.g. `data.libvirt_domain_interface_addresses.local_web`. */
  readonly lookup: string;
}

/**
 * The VM outputs (`{ name, macs, addresses }`) of `tofu output -json` whose guests have NICs but no
 * address yet, with the lookup each reads (found in the stack JSON's output expression).
 */
export function missingAddresses(outputJson: string, stack: unknown): MissingAddress[] {
  const outputs = JSON.parse(outputJson) as Record<string, { value?: unknown }>;
  const declared = isRecord(stack) && isRecord(stack.output) ? stack.output : {};
  const missing: MissingAddress[] = [];
  for (const [name, { value }] of Object.entries(outputs)) {
    if (!isRecord(value) || !Array.isArray(value.macs) || !Array.isArray(value.addresses)) continue;
    if (value.macs.length === 0 || value.addresses.length > 0) continue;
    const body = declared[name];
    const expression = isRecord(body) ? JSON.stringify(body.value) : "";
    const lookup = LOOKUP.exec(expression);
    if (lookup) missing.push({ output: name, lookup: `data.libvirt_domain_interface_addresses.${lookup[1]}` });
  }
  return missing;
}

export function outputArgs(): string[] {
  return ["output", "-json"];
}

/** A refresh of only these lookups (and, through -target, the domains they read). */
export function refreshArgs(lookups: readonly string[], o: { lockTimeout: string; color: boolean }): string[] {
  const args = ["apply", "-refresh-only", "-auto-approve", "-input=false", `-lock-timeout=${o.lockTimeout}`];
  if (!o.color) args.push("-no-color");
  for (const lookup of lookups) args.push(`-target=${lookup}`);
  return args;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
