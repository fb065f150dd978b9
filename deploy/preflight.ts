// What the stack needs from the machine that applies, checked before terraform runs, so that a missing
// value fails at once with its cause instead of in the middle of a plan or an apply:
// - every Terraform variable without a default has a value (TF_VAR_<name>: a --secret, or the unit's
//   environment), named with its description;
// - the host's files the stack names exist, when libvirtd is local: the UEFI firmware a domain boots
//   (os.loader, its NVRAM template), given literally or through a variable the constructs mark
//   `"//": {"cdktf-libvirt": {"hostFile": "<what>"}}`. For a remote libvirtd they are the remote's.
import * as fs from "node:fs";
import { MARKER } from "./stack-marks";

export interface Missing {
  /** Where the stack names it: `var.<name>`, or a domain's address and field. */
  readonly where: string;
  readonly message: string;
}

type Doc = Record<string, any>;

const isRecord = (v: unknown): v is Doc => typeof v === "object" && v !== null && !Array.isArray(v);
// qemu:///system, qemu+unix:///system: no host part
const isLocal = (uri: unknown) => typeof uri === "string" && /^[a-z0-9+]+:\/\/\//.test(uri);

function providers(stack: Doc): Map<string, string | undefined> {
  const uris = new Map<string, string | undefined>();
  const blocks = isRecord(stack.provider) ? stack.provider.libvirt : undefined;
  for (const block of Array.isArray(blocks) ? blocks : blocks ? [blocks] : []) {
    if (isRecord(block)) uris.set(typeof block.alias === "string" ? `libvirt.${block.alias}` : "libvirt", block.uri);
  }
  return uris;
}

export function preflight(stack: unknown, env: NodeJS.ProcessEnv, fileExists: (path: string) => boolean = fs.existsSync): Missing[] {
  if (!isRecord(stack)) return [];
  const missing: Missing[] = [];
  const variables = isRecord(stack.variable) ? stack.variable : {};
  for (const [name, body] of Object.entries(variables)) {
    if (!isRecord(body) || "default" in body || env[`TF_VAR_${name}`] !== undefined) continue;
    missing.push({ where: `var.${name}`, message: `has no value: set TF_VAR_${name}${typeof body.description === "string" ? ` (${body.description})` : ""}` });
  }

  const uris = providers(stack);
  const anyLocal = uris.size === 0 || [...uris.values()].some(isLocal);
  if (!anyLocal) return missing;
  for (const [name, body] of Object.entries(variables)) {
    const hostFile = isRecord(body) && isRecord(body["//"]) && isRecord(body["//"][MARKER]) ? body["//"][MARKER].hostFile : undefined;
    const value = env[`TF_VAR_${name}`];
    if (typeof hostFile === "string" && value !== undefined && !fileExists(value)) {
      missing.push({ where: `var.${name}`, message: `${value} does not exist on this host (${hostFile})` });
    }
  }
  const domains = isRecord(stack.resource) && isRecord(stack.resource.libvirt_domain) ? stack.resource.libvirt_domain : {};
  for (const [name, body] of Object.entries(domains)) {
    if (!isRecord(body) || !isRecord(body.os) || !isLocal(uris.get(String(body.provider ?? "libvirt")) ?? (uris.size === 0 ? "qemu:///system" : undefined))) continue;
    const files: [string, unknown][] = [
      ["os.loader", body.os.loader],
      ["os.nv_ram.template", isRecord(body.os.nv_ram) ? body.os.nv_ram.template : undefined],
    ];
    for (const [field, path] of files) {
      if (typeof path === "string" && !path.includes("${") && !fileExists(path)) {
        missing.push({ where: `libvirt_domain.${name}.${field}`, message: `${path} does not exist on this host` });
      }
    }
  }
  return missing;
}
