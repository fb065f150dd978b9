import * as fs from "fs";
import * as path from "path";
import { isRecord } from "./context";
import type { SchemaBlock } from "./types";

/** Kinds of configuration blocks a provider schema describes, keyed by their top-level cdk.tf.json key. */
export type ObjectKind = "resource" | "data" | "ephemeral";

const SCHEMA_KEYS: Readonly<Record<ObjectKind, string>> = {
  resource: "resource_schemas",
  data: "data_source_schemas",
  ephemeral: "ephemeral_resource_schemas",
};

export interface LoadedProviderSchema {
  /** Provider source address as the schema document spells it, e.g. registry.terraform.io/dmacvicar/libvirt. */
  readonly address: string;
  /** Where it was loaded from, for messages. */
  readonly origin: string;
  readonly provider: SchemaBlock | undefined;
  readonly kinds: Readonly<Record<ObjectKind, ReadonlyMap<string, SchemaBlock>>>;
}

/** The set of provider schemas a stack is checked against; any number of providers. */
export interface ProviderSchemas {
  readonly providers: readonly LoadedProviderSchema[];
}

const SCHEMA_FILE_NAME = "dmacvicar-libvirt-0.9.7.json";

const SCHEMA_DIR = path.join("packages", "cdktf-libvirt", "schemas");

/**
 * The libvirt schema the construct library's bindings are generated from. Searched upwards from this
 * file because the module runs both from source (schema-check/) and compiled (dist/schema-check/).
 */
export function libvirtSchemaFile(): string {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, SCHEMA_DIR, SCHEMA_FILE_NAME);
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`${path.join(SCHEMA_DIR, SCHEMA_FILE_NAME)} not found above ${__dirname}`);
  }
}

function blockMap(value: unknown): Map<string, SchemaBlock> {
  const map = new Map<string, SchemaBlock>();
  if (isRecord(value)) {
    for (const [name, entry] of Object.entries(value)) {
      if (isRecord(entry) && isRecord(entry.block)) map.set(name, entry.block as SchemaBlock);
    }
  }
  return map;
}

/** Indexes parsed `terraform providers schema -json` documents; `origins[i]` names `documents[i]` in errors. */
export function indexProviderSchemas(documents: readonly unknown[], origins: readonly string[] = []): ProviderSchemas {
  const providers: LoadedProviderSchema[] = [];
  documents.forEach((doc, i) => {
    const origin = origins[i] ?? `schema document ${i}`;
    if (!isRecord(doc) || typeof doc.format_version !== "string" || !isRecord(doc.provider_schemas)) {
      throw new Error(`${origin}: not the output of \`terraform providers schema -json\``);
    }
    if (!doc.format_version.startsWith("1.")) {
      throw new Error(`${origin}: unsupported format_version ${doc.format_version}`);
    }
    for (const [address, entry] of Object.entries(doc.provider_schemas)) {
      if (!isRecord(entry)) throw new Error(`${origin}: provider_schemas["${address}"] is not an object`);
      const clash = providers.find((p) => sameProvider(p.address, address));
      if (clash) throw new Error(`${origin}: ${address} is already loaded from ${clash.origin}`);
      const provider = isRecord(entry.provider) && isRecord(entry.provider.block) ? (entry.provider.block as SchemaBlock) : undefined;
      providers.push({
        address,
        origin,
        provider,
        kinds: {
          resource: blockMap(entry[SCHEMA_KEYS.resource]),
          data: blockMap(entry[SCHEMA_KEYS.data]),
          ephemeral: blockMap(entry[SCHEMA_KEYS.ephemeral]),
        },
      });
    }
  });
  return { providers };
}

/** Reads and indexes schema files; defaults to the committed libvirt schema. */
export function loadProviderSchemas(files: readonly string[] = [libvirtSchemaFile()]): ProviderSchemas {
  const documents = files.map((file) => {
    try {
      return JSON.parse(fs.readFileSync(file, "utf8")) as unknown;
    } catch (err) {
      throw new Error(`${file}: ${(err as Error).message}`);
    }
  });
  return indexProviderSchemas(documents, files);
}

// Terraform and OpenTofu resolve a host-less source to their own public registry, so a schema
// printed by either tool must match a source written for the other.
const PUBLIC_REGISTRIES = new Set(["registry.terraform.io", "registry.opentofu.org"]);

function splitAddress(address: string): { host: string; rest: string } {
  const parts = address.toLowerCase().split("/");
  return parts.length === 2
    ? { host: "registry.terraform.io", rest: parts.join("/") }
    : { host: parts[0] ?? "", rest: parts.slice(1).join("/") };
}

/** Compares provider source addresses the way `required_providers` resolves them. */
export function sameProvider(a: string, b: string): boolean {
  const x = splitAddress(a);
  const y = splitAddress(b);
  if (x.rest !== y.rest) return false;
  return x.host === y.host || (PUBLIC_REGISTRIES.has(x.host) && PUBLIC_REGISTRIES.has(y.host));
}

/**
 * Source address Terraform uses for a provider local name: the `terraform.required_providers`
 * entry, else the implied hashicorp/<name> (or the built-in provider for "terraform").
 */
export function resolveSource(stack: Record<string, unknown>, localName: string): string {
  const terraform = stack.terraform;
  const required = isRecord(terraform) ? terraform.required_providers : undefined;
  // required_providers may be one object or, as HCL JSON allows for blocks, an array of them.
  for (const entries of Array.isArray(required) ? required : [required]) {
    if (!isRecord(entries)) continue;
    // A bare string entry is a pre-0.13 version constraint, not a source.
    const entry = entries[localName];
    if (isRecord(entry) && typeof entry.source === "string") return entry.source;
  }
  return localName === "terraform" ? "terraform.io/builtin/terraform" : `registry.terraform.io/hashicorp/${localName}`;
}
