import * as path from "node:path";
import { parseArgs } from "node:util";
import { UsageError } from "./errors";
import { DEFAULT_PROTECTED_TYPES } from "./plan-check";
import { parseSecretArg } from "./secrets";

export const DEFAULT_STATE_DIR = "/var/lib/cdktf-libvirt";
export const DEFAULT_LOCK_TIMEOUT = "5m";
export const DEFAULT_KEEP_BACKUPS = 20;

export interface DeployOptions {
  readonly appDir: string;
  readonly synthDir: string;
  /**
   * argv of --synth-command with {synthDir} substituted; "cdktf.json": the app command of the app's
   * cdktf.json (the default); undefined with --no-synth.
   */
  readonly synthCommand: readonly string[] | "cdktf.json" | undefined;
  readonly stack: string | undefined;
  readonly stateDir: string;
  /** --binary or $CDKTF_LIBVIRT_TOFU; undefined means "tofu, else terraform". */
  readonly binary: string | undefined;
  readonly pluginDirs: readonly string[];
  readonly cliConfig: string | undefined;
  /** Passed verbatim to terraform's -lock-timeout; also bounds the wait for the deploy lock. */
  readonly lockTimeout: string;
  readonly lockTimeoutMs: number;
  readonly allowDestroy: readonly string[];
  readonly allowDestroyFiles: readonly string[];
  readonly protectTypes: readonly string[];
  readonly keepBackups: number;
  /** Apply even though the state is empty or missing where an earlier run left one (see state-guard.ts). */
  readonly acceptEmptyState: boolean;
  readonly secrets: readonly string[];
  /** How long to wait after an apply for the guests' addresses to appear in the outputs; 0: do not wait. */
  readonly addressWaitMs: number;
  readonly dryRun: boolean;
  /** Plan (with a refresh) and report; apply nothing, back up nothing. */
  readonly planOnly: boolean;
}

export type ParsedArgs = { readonly help: true } | { readonly help: false; readonly options: DeployOptions };

export const USAGE = `Usage: cdktf-libvirt-deploy [options]
   or: npm run deploy -- [options]

Synthesizes the cdktf app, then plans and applies one stack with tofu/terraform,
refusing plans that delete or replace data-bearing libvirt resources.

Synth:
  --app-dir DIR            directory the synth command runs in (default: current directory)
  --synth-dir DIR          synth output directory, outside the Nix store
                           (default: <app-dir>/cdktf.out; the NixOS unit passes $CACHE_DIRECTORY)
  --synth-command CMD      synth command, split on whitespace, no shell; {synthDir} is replaced
                           (default: the "app" of <app-dir>/cdktf.json, as cdktf synth runs it,
                           without the cdktf CLI)
  --no-synth               use what --synth-dir already holds
  --stack NAME             stack to deploy (default: the only stack in <synth-dir>/stacks)

Terraform:
  --state-dir DIR          state, working directory and backups (default: ${DEFAULT_STATE_DIR})
  --binary PATH            tofu/terraform binary (env CDKTF_LIBVIRT_TOFU; default: tofu, else terraform)
  --plugin-dir DIR         provider plugin directory for init; repeatable (no registry is contacted)
  --cli-config FILE        CLI config file, e.g. with a provider_installation mirror (TF_CLI_CONFIG_FILE)
  --lock-timeout DURATION  how long to wait for the deploy lock and the state lock (default: ${DEFAULT_LOCK_TIMEOUT})
  --secret NAME            pass $CREDENTIALS_DIRECTORY/NAME as env TF_VAR_NAME; repeatable
  --secret ENV=NAME        pass it as env ENV to every step instead (a backend's PG_CONN_STR)

Safety:
  --allow-destroy ADDR     allow deleting/replacing this resource address; repeatable
  --allow-destroy-file F   file with one address per line (# comments); repeatable
  --protect-type TYPE      resource type whose deletion is refused; repeatable; replaces the default
                           (default: ${DEFAULT_PROTECTED_TYPES.join(", ")})
  --keep-backups N         state backups to keep (default: ${DEFAULT_KEEP_BACKUPS})
  --accept-empty-state     go on with an empty or missing state where an earlier run left one
                           (otherwise refused with exit 2: the plan would create everything again)
  --plan-only              synthesize, refresh and plan, print the summary and what would be
                           refused; apply nothing (exit 0 no changes, 2 changes, 3 would be refused)
  --dry-run                print each step's command; run nothing
  -h, --help               show this help

Outputs:
  --wait-for-addresses DURATION
                           after an apply, refresh the address lookups until every VM's output
                           lists an address, for at most DURATION (default: 0s, do not wait)

Exit codes: 0 applied or no changes, 1 tool failed, 2 usage/configuration error,
3 destructive plan refused, 4 lock timeout, 70 internal error, 130/143 interrupted.
With --plan-only, as terraform plan -detailed-exitcode: 0 no changes, 2 changes, 3 changes that an
apply would refuse, 1 any tool, usage or configuration error; 4, 70, 130/143 as above.`;

const DURATION = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+$/;
const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, "µs": 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/** Parses a Go duration as terraform's -lock-timeout does, so both get the same value. */
export function parseDuration(text: string, flag = "lock-timeout"): number {
  if (!DURATION.test(text)) {
    throw new UsageError(`--${flag}: expected a duration such as 30s, 5m or 1h30m (got "${text}")`);
  }
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g)) ms += Number(n) * UNIT_MS[unit];
  return Math.round(ms);
}

// Credential names become part of an env var name and a file name: keep them plain.
// The stack name becomes a directory under the state dir.
const STACK_NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/;

export function parseDeployArgs(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): ParsedArgs {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        "app-dir": { type: "string" },
        "synth-dir": { type: "string" },
        "synth-command": { type: "string" },
        "no-synth": { type: "boolean", default: false },
        stack: { type: "string" },
        "state-dir": { type: "string" },
        binary: { type: "string" },
        "plugin-dir": { type: "string", multiple: true, default: [] },
        "cli-config": { type: "string" },
        "lock-timeout": { type: "string", default: DEFAULT_LOCK_TIMEOUT },
        secret: { type: "string", multiple: true, default: [] },
        "allow-destroy": { type: "string", multiple: true, default: [] },
        "allow-destroy-file": { type: "string", multiple: true, default: [] },
        "protect-type": { type: "string", multiple: true, default: [] },
        "keep-backups": { type: "string" },
        "accept-empty-state": { type: "boolean", default: false },
        "wait-for-addresses": { type: "string", default: "0s" },
        "dry-run": { type: "boolean", default: false },
        "plan-only": { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
    }));
  } catch (err) {
    throw new UsageError(`${(err as Error).message}\nRun with --help for the list of options.`);
  }
  if (values.help) return { help: true };
  if (values["plan-only"] && values["dry-run"]) throw new UsageError("--plan-only and --dry-run contradict each other: pass one of them");

  const abs = (p: string) => path.resolve(cwd, p);
  const nonEmpty = (flag: string, v: string | undefined) => {
    if (v !== undefined && v.trim() === "") throw new UsageError(`--${flag}: must not be empty`);
    return v;
  };

  const appDir = abs(nonEmpty("app-dir", values["app-dir"]) ?? ".");
  const synthDir = abs(nonEmpty("synth-dir", values["synth-dir"]) ?? path.join(appDir, "cdktf.out"));

  if (values["no-synth"] && values["synth-command"] !== undefined) {
    throw new UsageError("--synth-command and --no-synth contradict each other: pass one of them");
  }
  let synthCommand: string[] | "cdktf.json" | undefined;
  if (values["synth-command"] !== undefined) {
    const words = values["synth-command"].trim().split(/\s+/).filter(Boolean);
    if (words.length === 0) throw new UsageError("--synth-command: must name a program");
    synthCommand = words.map((w) => w.split("{synthDir}").join(synthDir));
  } else if (!values["no-synth"]) {
    synthCommand = "cdktf.json";
  }

  const stack = nonEmpty("stack", values.stack);
  if (stack !== undefined && !STACK_NAME.test(stack)) {
    throw new UsageError(`--stack: "${stack}" is not a plain stack name (letters, digits, _ . -)`);
  }

  for (const arg of values.secret) {
    if (!parseSecretArg(arg)) {
      throw new UsageError(`--secret: "${arg}" must be a variable name (letters, digits, _; not starting with a digit), or ENV=NAME with an upper-case ENV`);
    }
  }

  let keepBackups = DEFAULT_KEEP_BACKUPS;
  if (values["keep-backups"] !== undefined) {
    keepBackups = Number(values["keep-backups"]);
    if (!Number.isInteger(keepBackups) || keepBackups < 1) {
      throw new UsageError(`--keep-backups: expected a whole number of at least 1 (got "${values["keep-backups"]}")`);
    }
  }

  const lockTimeout = values["lock-timeout"];
  const binaryName = nonEmpty("binary", values.binary) ?? (env.CDKTF_LIBVIRT_TOFU || undefined);
  // A bare name is looked up on PATH later; anything with a slash is a path relative to cwd.
  const binary = binaryName?.includes("/") ? abs(binaryName) : binaryName;

  return {
    help: false,
    options: {
      appDir,
      synthDir,
      synthCommand,
      stack,
      stateDir: abs(nonEmpty("state-dir", values["state-dir"]) ?? DEFAULT_STATE_DIR),
      binary,
      pluginDirs: values["plugin-dir"].map(abs),
      cliConfig: values["cli-config"] === undefined ? undefined : abs(values["cli-config"]),
      lockTimeout,
      lockTimeoutMs: parseDuration(lockTimeout),
      allowDestroy: values["allow-destroy"],
      allowDestroyFiles: values["allow-destroy-file"].map(abs),
      protectTypes: values["protect-type"].length > 0 ? values["protect-type"] : DEFAULT_PROTECTED_TYPES,
      keepBackups,
      acceptEmptyState: values["accept-empty-state"],
      secrets: values.secret,
      addressWaitMs: values["wait-for-addresses"] === "0" ? 0 : parseDuration(values["wait-for-addresses"], "wait-for-addresses"),
      dryRun: values["dry-run"],
      planOnly: values["plan-only"],
    },
  };
}
