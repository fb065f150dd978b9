// npm run validate [-- [--strict] [--schema <file>]... [<dir | cdk.tf.json>...]]
// Checks synthesized stacks (default: every cdktf.out/stacks/*/cdk.tf.json) against the committed
// provider schema. Exit 0: clean; 1: issues; 2: nothing to check or bad usage.
import * as fs from "fs";
import * as path from "path";
import { parseArgs as parseCliArgs } from "util";
import { checkStack, libvirtSchemaFile, loadProviderSchemas, type ProviderSchemas } from "../schema-check";

const USAGE = `usage: npm run validate [-- [--strict] [--schema <provider-schema.json>]... [<dir | cdk.tf.json>...]]
  (no paths)   check every cdktf.out/stacks/*/cdk.tf.json
  <dir>        check every cdk.tf.json below it
  --strict     also flag values Terraform accepts only by implicit conversion (e.g. true for a string)
  --schema     load another provider's schema in addition to libvirt's`;

export interface Output {
  log(line: string): void;
  error(line: string): void;
}

interface Args {
  readonly strict: boolean;
  readonly schemaFiles: readonly string[];
  readonly targets: readonly string[];
}

function parseArgs(argv: readonly string[]): Args | string {
  try {
    const { values, positionals } = parseCliArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: { strict: { type: "boolean", default: false }, schema: { type: "string", multiple: true, default: [] } },
    });
    return { strict: values.strict, schemaFiles: values.schema, targets: positionals };
  } catch (err) {
    return (err as Error).message;
  }
}

const SKIPPED_DIRS = new Set(["node_modules", ".terraform", ".git"]);

function findStackFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory() && !SKIPPED_DIRS.has(entry.name)) found.push(...findStackFiles(p));
    else if (entry.isFile() && entry.name === "cdk.tf.json") found.push(p);
  }
  return found;
}

function checkFile(file: string, schemas: ProviderSchemas, strict: boolean): string[] {
  let stack: unknown;
  try {
    stack = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (err) {
    return [`(file): cannot read JSON: ${(err as Error).message}`];
  }
  return checkStack(stack, schemas, { strictTypes: strict }).map((issue) => issue.message);
}

/**
 * `cwd` is where default output is looked for (npm runs scripts in the project root);
 * `argsCwd` resolves paths typed by the user (npm passes the caller's directory as INIT_CWD).
 */
export function main(argv: readonly string[], out: Output = console, cwd = process.cwd(), argsCwd = process.env.INIT_CWD ?? cwd): number {
  const args = parseArgs(argv);
  if (typeof args === "string") {
    out.error(`validate: ${args}\n${USAGE}`);
    return 2;
  }
  const files: string[] = [];
  if (args.targets.length === 0) {
    const stacksDir = path.join(cwd, "cdktf.out", "stacks");
    if (fs.existsSync(stacksDir)) files.push(...findStackFiles(stacksDir));
    if (files.length === 0) {
      out.error(`validate: no synthesized stacks in ${path.relative(cwd, stacksDir) || stacksDir}; run \`npm run synth\` first`);
      return 2;
    }
  } else {
    for (const target of args.targets) {
      const resolved = path.resolve(argsCwd, target);
      if (!fs.existsSync(resolved)) {
        out.error(`validate: ${target}: no such file or directory`);
        return 2;
      }
      files.push(...(fs.statSync(resolved).isDirectory() ? findStackFiles(resolved) : [resolved]));
    }
    if (files.length === 0) {
      out.error(`validate: no cdk.tf.json under ${args.targets.join(", ")}; run \`npm run synth\` first`);
      return 2;
    }
  }

  let schemas: ProviderSchemas;
  try {
    schemas = loadProviderSchemas([libvirtSchemaFile(), ...args.schemaFiles.map((f) => path.resolve(argsCwd, f))]);
  } catch (err) {
    out.error(`validate: ${(err as Error).message}`);
    return 2;
  }

  let total = 0;
  for (const file of files) {
    const messages = checkFile(file, schemas, args.strict);
    const relative = path.relative(argsCwd, file);
    const shown = relative && !relative.startsWith("..") ? relative : file;
    total += messages.length;
    out.log(messages.length === 0 ? `${shown}: ok` : `${shown}: ${messages.length} issue(s)`);
    for (const message of messages) out.log(`  ${message}`);
  }
  out.log(`validate: ${files.length} stack(s), ${total} schema error${total === 1 ? "" : "s"}`);
  return total === 0 ? 0 : 1;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
