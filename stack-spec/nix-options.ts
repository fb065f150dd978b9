import { z } from "zod";
import { HOST_LABEL, PROVIDER_RANGE, PROVIDER_VERSIONS, UEFI_VARIABLES } from "cdktf-libvirt";
import { backendSchema, hostSchema } from "./schema";

// The NixOS module's option declarations for one host's spec, generated from the spec's zod schema (via
// its JSON Schema) so that a spec key is written once. nix/module.nix imports the result, nix/options.nix,
// beside its hand-written parts (the host side, the unit, assertions that need Nix).
//
// Optional lists and attribute sets default to empty, other optional values to null; nix/spec.nix drops
// both, so the app's defaults apply.

interface Schema {
  readonly type?: string;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly additionalProperties?: Schema | boolean;
  readonly items?: Schema;
  readonly enum?: readonly string[];
  readonly const?: string;
  readonly pattern?: string;
  readonly description?: string;
  readonly anyOf?: readonly Schema[];
  readonly oneOf?: readonly Schema[];
  readonly exclusiveMinimum?: number;
  readonly minimum?: number;
  /** What the Nix side accepts beyond JSON: "path", a file given as a Nix path or derivation too. */
  readonly nix?: string;
}

/** A JavaScript regex of the spec as a POSIX extended one (builtins.match, whole string); refuses what it cannot translate. */
export function posixPattern(js: string): string {
  let text = js.replace(/^\^/, "").replace(/\$$/, "");
  text = text.replace(/\(\?:/g, "(").replace(/\\s/g, "[[:space:]]").replace(/\\d/g, "[0-9]").replace(/\\\./g, "[.]");
  if (/\\|\(\?/.test(text)) throw new Error(`cannot translate the pattern /${js}/ to a POSIX regex for Nix`);
  return text;
}

/** A type expression as an argument: in parentheses unless it is one word. */
function wrap(type: string): string {
  return /\s/.test(type) ? `(${type})` : type;
}

function nixString(text: string): string {
  return `"${text.replace(/\\/g, "\\\\").replace(/"/g, '\\"').replace(/\$\{/g, "\\${")}"`;
}

/** The alternatives of a union whose members are objects told apart by one constant field, and that field. */
function discriminated(alternatives: readonly Schema[]): string | undefined {
  if (!alternatives.every((a) => a.type === "object" && a.properties)) return undefined;
  const first = alternatives[0].properties!;
  return Object.keys(first).find((key) => alternatives.every((a) => a.properties![key]?.const !== undefined));
}

class Emitter {
  /** For each discriminated union: its path (the record key it sits under) and the fields of each variant. */
  public readonly fieldsByType: Record<string, Record<string, string[]>> = {};
  /** The same for the fields each variant requires. */
  public readonly requiredByType: Record<string, Record<string, string[]>> = {};

  public type(s: Schema, at: string, indent: string): string {
    if (s.nix === "path") return "types.either types.str types.path";
    const alternatives = s.anyOf ?? s.oneOf;
    if (alternatives) {
      const tag = discriminated(alternatives);
      if (tag) return this.variants(alternatives, tag, at, indent);
      const parts = alternatives.map((a) => wrap(this.type(a, at, indent)));
      return `types.oneOf [ ${parts.join(" ")} ]`;
    }
    if (s.enum) return `types.enum [ ${s.enum.map(nixString).join(" ")} ]`;
    if (s.const !== undefined) return `types.enum [ ${nixString(s.const)} ]`;
    switch (s.type) {
      case "string":
        return s.pattern ? `types.strMatching ${nixString(posixPattern(s.pattern))}` : "types.str";
      case "integer":
        return s.exclusiveMinimum === 0 || s.minimum === 1 ? "types.ints.positive" : "types.int";
      case "number":
        return "types.number";
      case "boolean":
        return "types.bool";
      case "array":
        return `types.listOf ${wrap(this.type(s.items!, at, indent))}`;
      case "object":
        if (s.properties) return this.submodule(s, indent);
        if (typeof s.additionalProperties === "object") return `types.attrsOf ${wrap(this.type(s.additionalProperties, at, indent))}`;
    }
    throw new Error(`${at}: no Nix type for ${JSON.stringify(s)}`);
  }

  public options(s: Schema, indent: string): string {
    const required = new Set(s.required ?? []);
    return Object.entries(s.properties ?? {})
      .map(([name, prop]) => `${indent}${name} = ${this.option(prop, required.has(name), name, indent)};`)
      .join("\n");
  }

  public option(s: Schema, required: boolean, at: string, indent: string): string {
    const inner = `${indent}  `;
    const type = this.type(s, at, inner);
    const description = s.description ?? s.anyOf?.[0]?.description ?? "";
    const empty = s.type === "array" ? "[ ]" : s.type === "object" && !s.properties ? "{ }" : undefined;
    const lines = [
      `type = ${required || empty ? type : `types.nullOr ${type.includes(" ") ? `(${type})` : type}`};`,
      ...(required ? [] : [`default = ${empty ?? "null"};`]),
      `description = ${nixString(description)};`,
    ];
    return `mkOption {\n${lines.map((l) => `${inner}${l}`).join("\n")}\n${indent}}`;
  }

  private submodule(s: Schema, indent: string): string {
    const inner = `${indent}  `;
    return `types.submodule {\n${inner}options = {\n${this.options(s, `${inner}  `)}\n${inner}};\n${indent}}`;
  }

  /**
   * One submodule for all variants: the tag is an enum of theirs, every other field optional. Which fields
   * each variant takes goes to `fieldsByType`, for the module's assertions (the app's loader checks too).
   */
  private variants(alternatives: readonly Schema[], tag: string, at: string, indent: string): string {
    const properties: Record<string, Schema> = {};
    const tags = alternatives.map((a) => a.properties![tag].const!);
    const byTag = (names: (a: Schema) => string[]) => Object.fromEntries(alternatives.map((a) => [a.properties![tag].const!, names(a).filter((k) => k !== tag)]));
    this.fieldsByType[at] = byTag((a) => Object.keys(a.properties!));
    this.requiredByType[at] = byTag((a) => [...(a.required ?? [])]);
    properties[tag] = {
      enum: tags,
      description: alternatives.map((a) => `\`${a.properties![tag].const}\`: ${a.properties![tag].description ?? ""}`).join("; "),
    };
    for (const a of alternatives) {
      for (const [name, prop] of Object.entries(a.properties!)) {
        if (name === tag || properties[name]) continue;
        const takers = alternatives.filter((b) => b.properties![name]).map((b) => `\`${b.properties![tag].const}\``);
        properties[name] = { ...prop, description: `${prop.description ?? ""} (${takers.join(", ")})`.trim() };
      }
    }
    return this.submodule({ type: "object", properties, required: [tag] }, indent);
  }
}

/** The text of nix/options.nix, from the spec's zod schema. */
export function nixOptionsText(): string {
  const schema = z.toJSONSchema(hostSchema, { target: "draft-2020-12" }) as Schema;
  const emitter = new Emitter();
  const host = emitter.options(schema, "    ");
  const backend = emitter.option(z.toJSONSchema(backendSchema, { target: "draft-2020-12" }) as Schema, false, "backend", "  ");
  const byType = (table: Record<string, Record<string, string[]>>) =>
    Object.entries(table)
      .map(([at, byTag]) => `    ${at} = {\n${Object.entries(byTag).map(([tag, names]) => `      ${tag} = [ ${names.map(nixString).join(" ")} ];`).join("\n")}\n    };`)
      .join("\n");
  return `# GENERATED from stack-spec/schema.ts by \`npm run spec-schema\`; do not edit (a test fails when it is stale).
#
# The options of one host's spec (uri, pools, images, networks, vms, groups) and of the stack's state
# backend for nix/module.nix, with their types and documentation; the defaults the descriptions name are
# the construct library's.
#
# \`patterns\`, \`providerVersions\` and \`uefiVariables\` need no lib: builtins-only files read them with \`lib = null\`.
{ lib }:
let
  inherit (lib) mkOption types;
in
{
  host = {
${host}
  };

  backend = ${backend};

  # The fields each variant of a union takes (e.g. what a network of type "nat" may set), and requires.
  fieldsByType = {
${byType(emitter.fieldsByType)}
  };
  requiredByType = {
${byType(emitter.requiredByType)}
  };

  patterns = {
    # an RFC 1123 label: VM, pool and stack names, the spec's keys
    label = ${nixString(posixPattern(HOST_LABEL.source))};
  };

  # The dmacvicar/libvirt releases the stacks accept (their required_providers), for the module's check.
  providerVersions = {
    minimum = ${nixString(PROVIDER_RANGE.minimum)};
    below = ${nixString(PROVIDER_RANGE.below)};
    constraint = ${nixString(PROVIDER_VERSIONS)};
  };

  # The Terraform variables a UEFI VM without its own paths reads the host's firmware files from.
  uefiVariables = {
${Object.entries(UEFI_VARIABLES).map(([field, v]) => `    ${field} = ${nixString(v.name)};`).join("\n")}
  };
}
`;
}
