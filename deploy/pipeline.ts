import * as fs from "node:fs";
import * as path from "node:path";
import type { DeployOptions } from "./args";
import { DestructivePlanError, LockTimeoutError, ToolError, UsageError } from "./errors";
import { acquireDeployLock } from "./lock";
import type { Logger } from "./log";
import { disposableResources } from "./disposable";
import { checkPlan, formatRefusal, formatSummary, parsePlanJson } from "./plan-check";
import { describeStep, type Runner, type Step, type StepResult } from "./runner";
import { credentialPaths, readSecrets } from "./secrets";
import {
  backupStateFile,
  copyStackInputs,
  ensurePrivateDir,
  layout,
  locateStack,
  lockFile,
  readAddressList,
  readBackend,
  saveBackup,
  STACK_FILE,
  STATE_FILE,
  type Backend,
  type Layout,
} from "./state";
import {
  applyArgs,
  initArgs,
  isStateLockError,
  PLAN_FILE,
  planArgs,
  resolveBinary,
  showArgs,
  statePullArgs,
  toolEnv,
  versionArgs,
  type Binary,
} from "./terraform";

// synth -> copy -> init -> plan -> show -json -> check -> backup -> apply (the saved plan only).

export interface PipelineDeps {
  readonly log: Logger;
  readonly runner: Runner;
  /** Environment deploy was started with; the base of every child's environment. */
  readonly env: NodeJS.ProcessEnv;
  /** ANSI colours in terraform output: only on a terminal, never in the journal. */
  readonly color: boolean;
  readonly now?: () => Date;
}

export type Outcome =
  | { readonly kind: "dry-run" }
  | { readonly kind: "no-changes"; readonly stack: string }
  | { readonly kind: "applied"; readonly stack: string; readonly backup: string | undefined };

interface Context {
  readonly options: DeployOptions;
  readonly deps: PipelineDeps;
  readonly binary: Binary;
  readonly tfEnv: NodeJS.ProcessEnv;
  readonly allowDestroy: readonly string[];
}

export async function deploy(options: DeployOptions, deps: PipelineDeps): Promise<Outcome> {
  const { log, env } = deps;
  // Prerequisites first: everything that can be checked without side effects.
  const binary = resolveBinary(options.binary, env, log);
  if (options.cliConfig !== undefined && !fs.existsSync(options.cliConfig)) {
    throw new UsageError(`--cli-config ${options.cliConfig} does not exist`);
  }
  for (const dir of options.pluginDirs) {
    if (!isDir(dir)) throw new UsageError(`--plugin-dir ${dir} is not a directory`);
  }
  const ctx: Context = {
    options,
    deps,
    binary,
    tfEnv: toolEnv(env, { cliConfig: options.cliConfig }, log),
    allowDestroy: [...options.allowDestroy, ...options.allowDestroyFiles.flatMap(readAddressList)],
  };
  if (options.dryRun) return dryRun(ctx);

  const secrets = readSecrets(options.secrets, env);
  const secretEnv = Object.fromEntries(secrets.map((s) => [s.envName, s.value]));
  const secretNames = secrets.map((s) => s.envName);

  ensurePrivateDir(options.stateDir, false);
  const lock = await acquireDeployLock(
    lockFile(options.stateDir),
    options.lockTimeoutMs,
    log,
    () => deps.runner.checkInterrupted(),
  );
  try {
    if (options.synthCommand) await synth(ctx, options.synthCommand);
    const found = locateStack(options.synthDir, options.stack);
    const l = layout(options.stateDir, found.stack);
    ensurePrivateDir(l.workDir);
    wrapFs(`copying ${found.dir} to ${l.workDir}`, () => copyStackInputs(found.dir, l.workDir));
    const stackText = fs.readFileSync(path.join(l.workDir, STACK_FILE), "utf8");
    const backend = readBackend(stackText);
    log.info(`stack ${found.stack}: working directory ${l.workDir}; ${describeBackend(backend, l)}`);

    ensurePrivateDir(l.tmpDir);
    const tfEnv = { ...ctx.tfEnv, TMPDIR: l.tmpDir };
    const tf = (sub: string, args: string[], extra: Partial<Step> = {}): Step => ({
      tool: `${binary.name} ${sub}`,
      file: binary.file,
      args,
      cwd: l.workDir,
      env: tfEnv,
      ...extra,
    });
    const withSecrets = { env: { ...tfEnv, ...secretEnv }, secretEnv: secretNames };

    const version = await mustSucceed(deps.runner, tf("version", versionArgs(), { captureStdout: true }));
    log.info(`using ${binary.name} ${toolVersion(version.stdout)} (${binary.file})`);

    await mustSucceed(deps.runner, tf("init", initArgs(initOptions(ctx, backend))));
    try {
      const plan = await deps.runner.run(tf("plan", planArgs({ lockTimeout: options.lockTimeout, color: deps.color }), withSecrets));
      if (plan.code === 0) {
        log.info(`no changes: stack ${found.stack} matches the configuration; nothing applied`);
        return { kind: "no-changes", stack: found.stack };
      }
      if (plan.code !== 2) throw failure(ctx, `${binary.name} plan`, plan);

      const shown = await mustSucceed(deps.runner, tf("show", showArgs(), { captureStdout: true }));
      const result = checkPlan(parsePlanJson(shown.stdout), {
        protectedTypes: options.protectTypes,
        allowDestroy: ctx.allowDestroy,
        disposable: disposableResources(JSON.parse(stackText)),
      });
      log.info(formatSummary(result).join("\n"));
      for (const a of result.unusedAllowances) log.warn(`--allow-destroy ${a} matches no deletion in this plan`);
      if (result.refused.length > 0) throw new DestructivePlanError(formatRefusal(result));

      const backup = await backupState(ctx, tf, backend, l);
      log.info(backup ? `state backed up to ${backup}` : "no state yet: nothing to back up");
      const applied = await deps.runner.run(tf("apply", applyArgs({ lockTimeout: options.lockTimeout, color: deps.color }), withSecrets));
      if (applied.code !== 0) {
        throw failure(ctx, `${binary.name} apply`, applied, backup ? `state before this apply is in ${backup}` : undefined);
      }
      log.info(`applied stack ${found.stack}`);
      return { kind: "applied", stack: found.stack, backup };
    } finally {
      // The plan file can hold sensitive values and is useless once this run ends.
      fs.rmSync(path.join(l.workDir, PLAN_FILE), { force: true });
    }
  } finally {
    lock.release();
  }
}

async function synth(ctx: Context, command: readonly string[]): Promise<void> {
  const { options, deps } = ctx;
  wrapFs(`creating ${options.synthDir}`, () => fs.mkdirSync(options.synthDir, { recursive: true }));
  await mustSucceed(deps.runner, synthStep(ctx, command));
}

function synthStep(ctx: Context, command: readonly string[]): Step {
  return {
    tool: "synth",
    file: command[0],
    args: command.slice(1),
    cwd: ctx.options.appDir,
    // cdktf's App honours CDKTF_OUTDIR, so a plain `node main.js` also writes to --synth-dir.
    env: { ...ctx.tfEnv, CDKTF_OUTDIR: ctx.options.synthDir },
  };
}

function initOptions(ctx: Context, backend: Backend) {
  return {
    pluginDirs: ctx.options.pluginDirs,
    localStatePath: backend.kind === "local" ? STATE_FILE : undefined,
    color: ctx.deps.color,
  };
}

async function backupState(
  ctx: Context,
  tf: (sub: string, args: string[], extra?: Partial<Step>) => Step,
  backend: Backend,
  l: Layout,
): Promise<string | undefined> {
  const { options, deps } = ctx;
  const now = (deps.now ?? (() => new Date()))();
  if (backend.kind !== "remote") {
    return wrapFs(`backing up ${l.stateFile}`, () => backupStateFile(l, options.keepBackups, now));
  }
  // A remote backend's state is not a local file: keep a pulled copy instead.
  const pulled = await mustSucceed(deps.runner, tf("state pull", statePullArgs(), { captureStdout: true }));
  if (pulled.stdout.trim() === "") return undefined;
  return wrapFs(`backing up pulled state`, () =>
    saveBackup(l.backupsDir, STATE_FILE, (dest) => fs.writeFileSync(dest, pulled.stdout, { flag: "wx", mode: 0o600 }), options.keepBackups, now),
  );
}

async function mustSucceed(runner: Runner, step: Step): Promise<StepResult> {
  const result = await runner.run(step);
  if (result.code !== 0) {
    if (isStateLockError(result.stderrTail)) throw stateLockError(step.tool);
    throw toolError(step.tool, result);
  }
  return result;
}

function failure(ctx: Context, tool: string, result: StepResult, detail?: string): Error {
  if (isStateLockError(result.stderrTail)) return stateLockError(tool, ctx.options.lockTimeout);
  return toolError(tool, result, detail);
}

function toolError(tool: string, result: StepResult, detail?: string): ToolError {
  const killed = result.signal ? `killed by ${result.signal}` : undefined;
  return new ToolError(tool, result.code, result.stderrTail, [killed, detail].filter(Boolean).join("; ") || undefined);
}

function stateLockError(tool: string, timeout?: string): LockTimeoutError {
  return new LockTimeoutError(
    `${tool}: the terraform state is locked by another process${timeout ? ` (waited -lock-timeout=${timeout})` : ""}. ` +
      `If no other terraform/tofu is running, the lock is stale.`,
  );
}

function describeBackend(backend: Backend, l: Layout): string {
  switch (backend.kind) {
    case "none":
    case "local":
      return `state ${l.stateFile}`;
    case "remote":
      return `state in the stack's ${backend.type} backend (backups are pulled copies)`;
  }
}

function toolVersion(json: string): string {
  try {
    return String((JSON.parse(json) as { terraform_version?: unknown }).terraform_version ?? "(unknown version)");
  } catch {
    return "(unknown version)";
  }
}

function isDir(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

// Filesystem failures in the state/synth dirs are environment problems, not bugs.
function wrapFs<T>(what: string, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    if (typeof e.code === "string") throw new UsageError(`${what}: ${e.code} ${e.message}`);
    throw err;
  }
}

/** --dry-run: print what each step would run or write, reading only what is already on disk. */
function dryRun(ctx: Context): Outcome {
  const { options, deps, binary } = ctx;
  const say = (line: string) => deps.log.out.stdout.write(`${line}\n`);
  say("dry run: nothing is run or written");
  const secretNames = credentialPaths(options.secrets, deps.env).map((_, i) => `TF_VAR_${options.secrets[i]}`);
  if (options.synthCommand) say(`would run: ${describeStep(synthStep(ctx, options.synthCommand)).slice(2)}`);

  let stack = options.stack ?? "<stack>";
  let backend: Backend = { kind: "local" };
  try {
    const found = locateStack(options.synthDir, options.stack);
    stack = found.stack;
    backend = readBackend(fs.readFileSync(path.join(found.dir, STACK_FILE), "utf8"));
  } catch {
    say(`(no synth output to inspect yet: assuming cdktf's default local backend)`);
  }
  const l = layout(options.stateDir, stack);
  say(`would take the deploy lock ${l.lockFile} (waiting up to ${options.lockTimeout})`);
  say(`would copy ${path.join(options.synthDir, "stacks", stack)}/{${STACK_FILE},assets/,.terraform.lock.hcl} to ${l.workDir}/`);
  const step = (args: string[], secrets = false): string =>
    `would run: ${describeStep({ tool: "", file: binary.file, args, cwd: l.workDir, env: {}, secretEnv: secrets ? secretNames : [] }).slice(2)}`;
  say(step(versionArgs()));
  say(step(initArgs(initOptions(ctx, backend))));
  say(step(planArgs({ lockTimeout: options.lockTimeout, color: deps.color }), true));
  say(`  exit 0 = no changes: stop here; 2 = changes: continue`);
  say(step(showArgs()));
  say(
    `would refuse deleting or replacing: ${options.protectTypes.join(", ")}` +
      (ctx.allowDestroy.length ? ` (except ${ctx.allowDestroy.join(", ")})` : ""),
  );
  say(
    backend.kind === "remote"
      ? `would run: ${binary.file} ${statePullArgs().join(" ")} into ${l.backupsDir}/ (keeping ${options.keepBackups})`
      : `would back up ${l.stateFile} to ${l.backupsDir}/${STATE_FILE}.<timestamp> (keeping ${options.keepBackups})`,
  );
  say(step(applyArgs({ lockTimeout: options.lockTimeout, color: deps.color }), true));
  return { kind: "dry-run" };
}
