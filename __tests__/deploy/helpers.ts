// Shared by the deploy tests: temp dirs, terraform_data stacks written the way
// cdktf writes them, and ways to run deploy in-process or as a real CLI process.
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { Writable } from "node:stream";
import { createLogger, type Logger } from "../../deploy/log";
import { main } from "../../deploy/main";

export const REPO = path.resolve(__dirname, "../..");
export const BINARY = process.env.TF_BINARY ?? "terraform";

const made: string[] = [];
export function tmpDir(prefix = "deploy-test-"): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}
export function cleanup(): void {
  for (const dir of made.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
}

/** An environment with no user terraform config: an empty CLI config file, no TF_CLI_ARGS. */
export function testEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dir = tmpDir("deploy-env-");
  const rc = path.join(dir, "empty.tfrc");
  fs.writeFileSync(rc, "");
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith("TF_") && k !== "CDKTF_LIBVIRT_TOFU") env[k] = v;
  return { ...env, TF_CLI_CONFIG_FILE: rc, CHECKPOINT_DISABLE: "1", ...extra };
}

export type Resources = Record<string, Record<string, unknown>>;

/**
 * Writes <synthDir>/stacks/<stack>/cdk.tf.json. Like cdktf, the local backend path is
 * absolute and points at the synth cwd, which deploy must not use.
 */
export function writeStack(synthDir: string, stack: string, resources: Resources, extra: Record<string, unknown> = {}): void {
  const dir = path.join(synthDir, "stacks", stack);
  fs.mkdirSync(dir, { recursive: true });
  const doc = {
    terraform: { backend: { local: { path: path.join(synthDir, "synth-cwd", `terraform.${stack}.tfstate`) } } },
    resource: { terraform_data: resources },
    ...extra,
  };
  fs.writeFileSync(path.join(dir, "cdk.tf.json"), JSON.stringify(doc, null, 2));
}

class Sink extends Writable {
  text = "";
  _write(chunk: Buffer | string, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly all: string;
}

/** deploy in-process (same code path as the CLI minus process.exit); terraform is real. */
export async function runDeploy(args: readonly string[], env: NodeJS.ProcessEnv): Promise<RunResult> {
  const stdout = new Sink();
  const stderr = new Sink();
  const code = await main(["--binary", BINARY, ...args], { stdout, stderr, env, cwd: REPO });
  return { code, stdout: stdout.text, stderr: stderr.text, all: stdout.text + stderr.text };
}

/** deploy as a separate process, in its own process group so a test can kill the whole tree. */
export function spawnDeploy(args: readonly string[], env: NodeJS.ProcessEnv): ChildProcess & { output(): string; done: Promise<number | null> } {
  const child = spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "deploy/main.ts", "--binary", BINARY, ...args], {
    cwd: REPO,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let out = "";
  child.stdout.on("data", (c: Buffer) => (out += c.toString()));
  child.stderr.on("data", (c: Buffer) => (out += c.toString()));
  const done = new Promise<number | null>((resolve) => child.on("close", (code) => resolve(code)));
  return Object.assign(child, { output: () => out, done });
}

export async function waitFor(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export interface TfState {
  serial: number;
  lineage: string;
  resources: { type: string; name: string; instances: { attributes: Record<string, unknown> }[] }[];
}

export function readState(file: string): TfState {
  return JSON.parse(fs.readFileSync(file, "utf8")) as TfState;
}

/** A terraform_data's attributes; its dynamic ones (input, output, triggers_replace) are stored as {type, value}. */
export function attrs(state: TfState, name: string): Record<string, unknown> {
  const r = state.resources.find((x) => x.type === "terraform_data" && x.name === name);
  if (!r) throw new Error(`terraform_data.${name} not in state`);
  return Object.fromEntries(
    Object.entries(r.instances[0].attributes).map(([k, v]) => [
      k,
      v !== null && typeof v === "object" && "value" in v ? (v as { value: unknown }).value : v,
    ]),
  );
}

/** A logger whose lines are kept in memory. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const sink = new Sink();
  const log = createLogger({ stdout: sink, stderr: sink });
  return {
    log: { ...log, info: (m) => (lines.push(m), log.info(m)), warn: (m) => (lines.push(m), log.warn(m)) },
    lines,
  };
}
