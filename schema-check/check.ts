import { checkBody } from "./blocks";
import { type CheckContext, childPath, isRecord, jsonKind, report } from "./context";
import { type LoadedProviderSchema, type ObjectKind, type ProviderSchemas, resolveSource, sameProvider } from "./provider-schema";
import type { CheckOptions, SchemaIssue } from "./types";

const RESOURCE_META = new Set(["count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection"]);
const READ_META = new Set(["count", "for_each", "depends_on", "provider", "lifecycle"]);
const PROVIDER_META = new Set(["alias", "version"]);

const KINDS: ReadonlyArray<{ kind: ObjectKind; label: string; meta: ReadonlySet<string> }> = [
  { kind: "resource", label: "resource type", meta: RESOURCE_META },
  { kind: "data", label: "data source", meta: READ_META },
  { kind: "ephemeral", label: "ephemeral resource type", meta: READ_META },
];

/**
 * Checks a parsed cdk.tf.json against the loaded provider schemas and returns every issue found.
 * Objects whose provider has no loaded schema (null, the built-in terraform_data, …) are skipped.
 */
export function checkStack(stack: unknown, schemas: ProviderSchemas, options: CheckOptions = {}): SchemaIssue[] {
  const ctx: CheckContext = { issues: [], strictTypes: options.strictTypes === true };
  if (!isRecord(stack)) {
    report(ctx, "(stack)", `expected a cdk.tf.json object, got ${jsonKind(stack)}`);
    return ctx.issues;
  }
  const misrouted = new Map<string, LoadedProviderSchema>();
  for (const { kind, label, meta } of KINDS) {
    const section = stack[kind];
    if (section === undefined) continue;
    if (!isRecord(section)) {
      report(ctx, kind, `expected object, got ${jsonKind(section)}`);
      continue;
    }
    for (const [type, byName] of Object.entries(section)) {
      const typePath = childPath(kind, type);
      if (!isRecord(byName)) {
        report(ctx, typePath, `expected object keyed by ${kind} name, got ${jsonKind(byName)}`);
        continue;
      }
      for (const [name, body] of Object.entries(byName)) {
        const path = childPath(typePath, name);
        const localName = providerLocalName(body, type);
        const source = resolveSource(stack, localName);
        let provider = findProvider(schemas, source);
        if (!provider) {
          // Without a required_providers entry Terraform would look for hashicorp/<name>; say so
          // once per local name, and still check the body against the schema that has the type.
          provider = schemas.providers.find((p) => p.kinds[kind].has(type));
          if (!provider) continue;
          if (!misrouted.has(localName)) {
            misrouted.set(localName, provider);
            report(
              ctx,
              childPath("terraform.required_providers", localName),
              `local name "${localName}" resolves to ${source}, but ${type} is from ${provider.address}; map it there`
            );
          }
        }
        const block = provider.kinds[kind].get(type);
        if (block) checkBody(ctx, body, block, path, { meta, owner: type });
        else report(ctx, path, `unknown ${label} "${type}": not in the schema of ${provider.address}`);
      }
    }
  }
  checkProviderConfigs(ctx, stack, schemas, misrouted);
  return ctx.issues;
}

function checkProviderConfigs(
  ctx: CheckContext,
  stack: Record<string, unknown>,
  schemas: ProviderSchemas,
  misrouted: ReadonlyMap<string, LoadedProviderSchema>
): void {
  const configs = stack.provider;
  if (!isRecord(configs)) return;
  for (const [localName, value] of Object.entries(configs)) {
    const block = (findProvider(schemas, resolveSource(stack, localName)) ?? misrouted.get(localName))?.provider;
    if (!block) continue;
    const path = childPath("provider", localName);
    const owner = `provider ${localName}`;
    // One configuration is an object; several (aliases) are an array.
    if (Array.isArray(value)) {
      value.forEach((body, i) => checkBody(ctx, body, block, `${path}[${i}]`, { meta: PROVIDER_META, owner }));
    } else {
      checkBody(ctx, value, block, path, { meta: PROVIDER_META, owner });
    }
  }
}

/** The `provider` meta-argument ("libvirt.kvm1") names the local name; else the type's prefix does. */
function providerLocalName(body: unknown, type: string): string {
  if (isRecord(body) && typeof body.provider === "string") {
    return body.provider.replace(/^\$\{(.*)\}$/, "$1").split(".")[0] ?? type;
  }
  return type.split("_")[0] ?? type;
}

function findProvider(schemas: ProviderSchemas, source: string): LoadedProviderSchema | undefined {
  return schemas.providers.find((p) => sameProvider(p.address, source));
}
