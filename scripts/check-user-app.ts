// npm run test:package: the construct library as a user gets it. Packs packages/cdktf-libvirt, installs
// examples/user-app into a fresh folder with that tarball (npm ci, offline, from npm's cache), type-checks the
// app, runs its jest tests, synthesizes it with `cdktf synth`, checks the stack against the provider
// schema, then synthesizes it again through the NixOS unit's own command line (nix/unit.nix with `app`).
// Exit 0 when all of it holds. Needs `npm ci` at the root first (it fills the cache) and nix-instantiate.
import { spawnSync, type SpawnSyncOptions } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { appCommand } from "../deploy/app-command";
import { parseDeployArgs } from "../deploy/args";
import { checkStack, libvirtSchemaFile, loadProviderSchemas } from "../schema-check";

const ROOT = path.resolve(__dirname, "..");
const LIBRARY = path.join(ROOT, "packages", "cdktf-libvirt");
const STACK = "web";

function step(what: string, file: string, args: readonly string[], options: SpawnSyncOptions = {}): string {
  const started = Date.now();
  const r = spawnSync(file, args, { encoding: "utf8", maxBuffer: 64 << 20, ...options, env: { ...process.env, CHECKPOINT_DISABLE: "1", ...options.env } });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (r.error || r.status !== 0) throw new Error(`${what} failed (${r.error?.message ?? `exit ${r.status}`}) after ${seconds} s:\n${r.stdout}${r.stderr}`);
  console.log(`test:package: ${what} (${seconds} s)`);
  return String(r.stdout);
}

/** The stacks' JSON under a synth output folder, checked against the provider schema. */
function expectValidStack(outdir: string): Record<string, any> {
  const file = path.join(outdir, "stacks", STACK, "cdk.tf.json");
  const stack = JSON.parse(fs.readFileSync(file, "utf8"));
  const issues = checkStack(stack, loadProviderSchemas([libvirtSchemaFile()]));
  if (issues.length > 0) throw new Error(`${file} does not match the provider schema:\n${issues.map((i) => `  ${i.path}: ${i.message}`).join("\n")}`);
  const domains = Object.values(stack.resource?.libvirt_domain ?? {}).map((d: any) => d.name).sort();
  const volumes = Object.values(stack.resource?.libvirt_volume ?? {}).map((v: any) => v.name).sort();
  if (JSON.stringify(domains) !== JSON.stringify(["web-a", "web-b"])) throw new Error(`${file}: expected domains web-a and web-b, got ${domains.join(", ")}`);
  for (const disk of ["web-a-data.qcow2", "web-b-data.qcow2"]) if (!volumes.includes(disk)) throw new Error(`${file}: no data disk ${disk} (volumes: ${volumes.join(", ")})`);
  return stack;
}

/** What is in the tarball: the compiled library and bindings, nothing to generate or compile at install. */
function checkTarball(tarball: string): void {
  const files = step("list the tarball", "tar", ["-tzf", tarball]).split("\n").filter(Boolean);
  const has = (name: string) => files.includes(`package/${name}`);
  const missing = ["package.json", "README.md", "lib/index.js", "lib/index.d.ts", ".gen/providers/libvirt/domain/index.js", ".gen/providers/libvirt/domain/index.d.ts"].filter((f) => !has(f));
  if (missing.length > 0) throw new Error(`the tarball lacks ${missing.join(", ")}`);
  const sources = files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts"));
  if (sources.length > 0) throw new Error(`the tarball carries TypeScript sources: ${sources.slice(0, 5).join(", ")}`);
  const manifest = JSON.parse(step("read the packed package.json", "tar", ["-xzOf", tarball, "package/package.json"]));
  const scripts = Object.keys(manifest.scripts ?? {}).filter((s) => /^(pre|post)?install$/.test(s));
  if (scripts.length > 0) throw new Error(`the packed package.json has install scripts: ${scripts.join(", ")}`);
  for (const peer of ["cdktf", "constructs"]) {
    if (!manifest.peerDependencies?.[peer] || manifest.dependencies?.[peer]) throw new Error(`${peer} must be a peer dependency only`);
  }
}

/** The unit's argv for services.cdktf-libvirt.app = <the installed app>, from nix/unit.nix. */
function unitArgv(appDir: string): string[] {
  const expr = `(import ${path.join(ROOT, "nix/unit.nix")} {
    stack = "${STACK}";
    deployProgram = "/nix/store/00000000000000000000000000000000-cdktf-libvirt/bin/cdktf-libvirt-deploy";
    tofuProgram = "/nix/store/11111111111111111111111111111111-opentofu/bin/tofu";
    app = ${JSON.stringify(appDir)};
  }).argv`;
  return JSON.parse(step("evaluate nix/unit.nix with app", "nix-instantiate", ["--eval", "--strict", "--json", "-E", expr]));
}

function main(): void {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "cdktf-libvirt-user-app-"));
  try {
    step("npm pack the library (its prepack builds it)", "npm", ["pack", "--pack-destination", work], { cwd: LIBRARY });
    const [packed] = fs.readdirSync(work).filter((f) => f.endsWith(".tgz"));
    const tarball = path.join(work, packed);
    checkTarball(tarball);

    const app = path.join(work, "web-pair-infra");
    fs.cpSync(path.join(ROOT, "examples", "user-app"), app, { recursive: true, filter: (src) => !/[/\\](node_modules|dist|cdktf\.out)$/.test(src) });
    // the app's lock names the tarball by file (without an integrity: every build packs different bytes)
    fs.copyFileSync(tarball, path.join(app, path.basename(tarball)));
    step("npm ci: the app and the tarball, offline, from npm's cache", "npm", ["ci", "--offline", "--no-audit", "--no-fund"], { cwd: app });
    const installed = fs.realpathSync(path.join(app, "node_modules", "cdktf-libvirt"));
    if (!installed.startsWith(app)) throw new Error(`node_modules/cdktf-libvirt is ${installed}, not a copy from the tarball`);
    step("type-check and build the app (tsc)", "npx", ["tsc"], { cwd: app });
    step("run its jest tests", "npx", ["jest"], { cwd: app });
    step("cdktf synth", "npx", ["cdktf", "synth"], { cwd: app });
    expectValidStack(path.join(app, "cdktf.out"));
    console.log("test:package: the stack synthesized by cdktf synth passes the provider schema check");

    // The unit's command line: deploy's own parser reads what nix/unit.nix wrote, and the synth step it
    // means (the app's cdktf.json "app", in the app's directory) synthesizes the app without the cdktf CLI.
    const argv = unitArgv(app);
    const parsed = parseDeployArgs(argv.slice(1), {}, "/");
    if (parsed.help || parsed.options.synthCommand !== "cdktf.json") throw new Error(`the unit's argv does not synthesize the app: ${argv.join(" ")}`);
    if (parsed.options.appDir !== app) throw new Error(`the unit's --app-dir is ${parsed.options.appDir}, not the app`);
    const synthDir = path.join(work, "unit-synth");
    const command = appCommand(parsed.options.appDir);
    step("synthesize as the unit does (cdktf.json's app, no cdktf CLI)", command.argv[0], command.argv.slice(1), {
      cwd: parsed.options.appDir,
      env: { CDKTF_OUTDIR: synthDir, CDKTF_CONTEXT_JSON: JSON.stringify(command.context) },
    });
    expectValidStack(synthDir);
    console.log("test:package: the unit's command line synthesizes the app too");
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  console.error(`test:package: ${(err as Error).message}`);
  process.exit(1);
}
