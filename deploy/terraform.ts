import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./errors";
import type { Logger } from "./log";

// How tofu/terraform is found, the environment it runs with, and the argv of
// each subcommand. Building argv here keeps --dry-run and real runs identical.

export const DEFAULT_BINARY = "tofu";
export const FALLBACK_BINARY = "terraform";
export const PLAN_FILE = "tfplan";

export interface Binary {
  /** Absolute path that will be spawned. */
  readonly file: string;
  /** "tofu" or "terraform" (basename), for log and error messages. */
  readonly name: string;
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findOnPath(name: string, envPath: string | undefined): string | undefined {
  for (const dir of (envPath ?? "").split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

/** An explicit binary must exist; the default "tofu" falls back to "terraform" with a note. */
export function resolveBinary(explicit: string | undefined, env: NodeJS.ProcessEnv, log: Logger): Binary {
  if (explicit !== undefined) {
    const file = explicit.includes("/") ? (isExecutable(explicit) ? explicit : undefined) : findOnPath(explicit, env.PATH);
    if (!file) throw new UsageError(`binary "${explicit}" (from --binary or CDKTF_LIBVIRT_TOFU) is not an executable file or not on PATH`);
    return { file, name: path.basename(file) };
  }
  const tofu = findOnPath(DEFAULT_BINARY, env.PATH);
  if (tofu) return { file: tofu, name: DEFAULT_BINARY };
  const terraform = findOnPath(FALLBACK_BINARY, env.PATH);
  if (!terraform) {
    throw new UsageError(`neither ${DEFAULT_BINARY} nor ${FALLBACK_BINARY} is on PATH; pass --binary or set CDKTF_LIBVIRT_TOFU`);
  }
  log.info(`note: ${DEFAULT_BINARY} is not on PATH; using ${terraform}`);
  return { file: terraform, name: FALLBACK_BINARY };
}

export interface ToolEnvOptions {
  readonly cliConfig: string | undefined;
}

/**
 * The environment every terraform invocation gets. TF_CLI_ARGS* are dropped:
 * they could add flags (-destroy, -target, -replace) behind the plan check's back,
 * and apply must run exactly the saved plan.
 */
export function toolEnv(base: NodeJS.ProcessEnv, options: ToolEnvOptions, log?: Logger): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(base)) {
    if (k === "TF_CLI_ARGS" || k.startsWith("TF_CLI_ARGS_")) {
      log?.warn(`ignoring ${k} from the environment: deploy controls terraform's arguments`);
      continue;
    }
    env[k] = v;
  }
  env.TF_IN_AUTOMATION = "1";
  env.CHECKPOINT_DISABLE = "1";
  env.TF_INPUT = "0";
  if (options.cliConfig !== undefined) env.TF_CLI_CONFIG_FILE = options.cliConfig;
  return env;
}

export interface InitArgsOptions {
  readonly pluginDirs: readonly string[];
  /** Set when the stack declares a local backend: pins its state file into the working directory. */
  readonly localStatePath: string | undefined;
  readonly color: boolean;
}

export function initArgs(o: InitArgsOptions): string[] {
  const args = ["init", "-input=false"];
  if (!o.color) args.push("-no-color");
  // With plugin dirs the (Nix-built) directory is the source of truth, so let init
  // re-select from it and rewrite the lock file when the pinned provider changes.
  if (o.pluginDirs.length > 0) args.push("-upgrade");
  for (const dir of o.pluginDirs) args.push(`-plugin-dir=${dir}`);
  // cdktf bakes an absolute path (the synth cwd, e.g. the Nix store) into the local
  // backend; overriding it at init keeps the state under --state-dir without editing the JSON.
  if (o.localStatePath !== undefined) args.push(`-backend-config=path=${o.localStatePath}`);
  return args;
}

export function planArgs(o: { lockTimeout: string; color: boolean }): string[] {
  const args = ["plan", "-input=false", `-out=${PLAN_FILE}`, "-detailed-exitcode", `-lock-timeout=${o.lockTimeout}`];
  if (!o.color) args.push("-no-color");
  return args;
}

export function showArgs(): string[] {
  return ["show", "-json", PLAN_FILE];
}

export function applyArgs(o: { lockTimeout: string; color: boolean }): string[] {
  const args = ["apply", "-input=false", `-lock-timeout=${o.lockTimeout}`];
  if (!o.color) args.push("-no-color");
  args.push(PLAN_FILE);
  return args;
}

export function versionArgs(): string[] {
  return ["version", "-json"];
}

export function statePullArgs(): string[] {
  return ["state", "pull"];
}

/** terraform and tofu both print this when the state lock cannot be taken in time. */
export function isStateLockError(stderr: string): boolean {
  return stderr.includes("Error acquiring the state lock");
}

/**
 * The state lock is taken by opening the state file for writing, so a file that cannot be written also
 * fails as "Error acquiring the state lock"; returns the cause then, e.g. "open terraform.tfstate: operation not permitted".
 */
export function unwritableStateCause(stderr: string): string | undefined {
  return /Error message: (open \S+: (?:permission denied|operation not permitted|read-only file system))/.exec(stderr)?.[1];
}
