import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// Shared by the tests of the Nix files. They need `nix-instantiate` (Debian: nix-bin) and
// `shellcheck`, but no nixpkgs: everything evaluated here uses builtins only.

export const ROOT = path.resolve(__dirname, "..", "..");
export const NIX_DIR = path.join(ROOT, "nix");

/** Store paths the module would pass to nix/unit.nix; the tests use stand-ins. */
export const FAKE_PATHS = {
  deployProgram: "/nix/store/00000000000000000000000000000000-cdktf-libvirt-0.1.0/bin/cdktf-libvirt-deploy",
  tofuProgram: "/nix/store/11111111111111111111111111111111-opentofu-1.10.0/bin/tofu",
  pluginDir: "/nix/store/22222222222222222222222222222222-cdktf-libvirt-terraform-plugins",
  specFile: "/nix/store/33333333333333333333333333333333-cdktf-libvirt-testvm.spec.json",
};

/**
 * Absolute path of a required tool. A missing tool fails the test that needs it, with the package to
 * install: these tests must never pass by skipping.
 */
export function requireTool(name: string, hint: string): string {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      return candidate;
    } catch {
      // keep looking
    }
  }
  throw new Error(`${name} is not on PATH; the Nix tests need it (${hint})`);
}

export const nixInstantiate = () => requireTool("nix-instantiate", "Debian/Ubuntu: apt-get install nix-bin");
export const shellcheck = () => requireTool("shellcheck", "Debian/Ubuntu: apt-get install shellcheck");

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(file: string, args: readonly string[], options: { cwd?: string; input?: string; env?: NodeJS.ProcessEnv } = {}): RunResult {
  const r = spawnSync(file, [...args], {
    cwd: options.cwd ?? ROOT,
    input: options.input,
    env: options.env ?? process.env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A Nix string literal: JSON's escapes are Nix's, except that "${" must be escaped too. */
export function nixString(value: string): string {
  return JSON.stringify(value).replace(/\$\{/g, "\\${");
}

/** A Nix path expression for a file of this repository (import reads it; nothing is copied to the store). */
export function nixFile(relative: string): string {
  const abs = path.join(ROOT, relative);
  if (/[^A-Za-z0-9._\/+-]/.test(abs)) throw new Error(`path not usable as a Nix path literal: ${abs}`);
  return abs;
}

/** Evaluates a Nix expression with `nix-instantiate --eval --strict --json`; returns the raw JSON text. */
export function nixEvalText(expression: string): string {
  const r = run(nixInstantiate(), ["--eval", "--strict", "--json", "--expr", expression]);
  if (r.status !== 0) throw new Error(`nix-instantiate --eval failed (exit ${r.status}):\n${r.stderr}\nexpression:\n${expression}`);
  return r.stdout;
}

export function nixEval<T>(expression: string): T {
  return JSON.parse(nixEvalText(expression)) as T;
}

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `cdktf-libvirt-${prefix}-`));
}

/** Every file under dir (recursively) whose name passes the filter. */
export function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const found: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...filesUnder(p, keep));
    else if (keep(entry.name)) found.push(p);
  }
  return found.sort();
}

/** flake.nix and every .nix file under nix/. */
export function nixFiles(): string[] {
  return [path.join(ROOT, "flake.nix"), ...filesUnder(NIX_DIR, (n) => n.endsWith(".nix"))];
}
