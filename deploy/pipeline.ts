import * as fs from "node:fs";
import * as path from "node:path";
import type { DeployOptions } from "./args";
import { missingAddresses, outputArgs, refreshArgs } from "./addresses";
import { appCommand } from "./app-command";
import { cloudInitNotes } from "./cloud-init-notes";
import { DestructivePlanError, InternalError, LockTimeoutError, ToolError, UsageError } from "./errors";
import { retainedRemovals, withRemovedBlocks } from "./forget";
import { acquireDeployLock } from "./lock";
import type { Logger } from "./log";
import { checkPlan, formatRefusal, formatSummary, parsePlanJson, type PlanJson } from "./plan-check";
import { preflight } from "./preflight";
import { makePrivate, removeLeftoverPlans } from "./private-files";
import { destroyedAddresses, hasShutdownTimeout, ID_FIX_RELEASE, idOnlyInconsistencies } from "./provider-quirks";
import { describeStep, type Runner, type Step, type StepResult } from "./runner";
import { isConcurrentBackendSetup, isStalePlan, STALE_PLAN_RETRIES } from "./shared-backend";
import { credentialPaths, parseSecretArg, readSecrets, type Secret } from "./secrets";
import { loadMarks, MARKS_FILE, mergeMarks, readMarks, saveMarks, type Marks } from "./stack-marks";
import { checkFreeSpace, checkStateNotLost, checkStateWritable, FREE_SPACE_MARGIN_BYTES, FREE_SPACE_STATE_COPIES, markApplied } from "./state-guard";
import { recoverState } from "./state-recovery";
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
  type BackupKind,
  type Layout,
} from "./state";
import {
  applyArgs,
  initArgs,
  isStateLockError,
  unwritableStateCause,
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
  /** --plan-only with changes to the stack's resources, none of them refused (those throw DestructivePlanError). */
  | { readonly kind: "planned"; readonly stack: string }
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
  const envOf = (list: Secret[]) => Object.fromEntries(list.map((s) => [s.envName, s.value]));
  const secretEnv = envOf(secrets.filter((s) => s.variable));
  const secretNames = secrets.filter((s) => s.variable).map((s) => s.envName);
  // a backend's credentials: terraform needs them for init, every state read and write
  const backendSecrets = secrets.filter((s) => !s.variable);

  ensurePrivateDir(options.stateDir, false);
  const lock = await acquireDeployLock(
    lockFile(options.stateDir),
    options.lockTimeoutMs,
    log,
    () => deps.runner.checkInterrupted(),
  );
  deps.runner.onChild = (pid) => {
    try {
      lock.recordChild(pid);
    } catch (err) {
      log.warn(`could not record the running tool in ${lockFile(options.stateDir)} (${(err as NodeJS.ErrnoException).code}): a deploy killed now could leave it running unseen`);
    }
  };
  try {
    // first of all: a killed run's saved plan holds its secrets
    for (const plan of wrapFs(`removing saved plans in ${options.stateDir}`, () => removeLeftoverPlans(options.stateDir))) {
      log.info(`removed ${plan}, left by a deploy that was killed`);
    }
    if (options.synthCommand) await synth(ctx, options.synthCommand);
    const found = locateStack(options.synthDir, options.stack);
    const l = layout(options.stateDir, found.stack);
    ensurePrivateDir(l.workDir);
    wrapFs(`copying ${found.dir} to ${l.workDir}`, () => copyStackInputs(found.dir, l.workDir));
    // after the copy, which keeps the synth output's modes
    wrapFs(`making ${l.workDir} private`, () => makePrivate(l.workDir));
    const stackText = fs.readFileSync(path.join(l.workDir, STACK_FILE), "utf8");
    const backend = readBackend(stackText);
    const missing = preflight(JSON.parse(stackText), { ...ctx.tfEnv, ...secretEnv });
    if (missing.length > 0) {
      throw new UsageError(`the stack cannot be applied on this host:\n${missing.map((m) => `  ${m.where}: ${m.message}`).join("\n")}`);
    }
    log.info(`stack ${found.stack}: working directory ${l.workDir}; ${describeBackend(backend, l)}`);
    const localState = backend.kind !== "remote";
    if (localState) {
      checkStateWritable(l);
      wrapFs(`reading ${l.stateFile}`, () => checkStateNotLost(l, options.acceptEmptyState, log));
    }

    ensurePrivateDir(l.tmpDir);
    const tfEnv = { ...ctx.tfEnv, TMPDIR: l.tmpDir, ...envOf(backendSecrets) };
    const backendSecretNames = backendSecrets.map((s) => s.envName);
    const tf = (sub: string, args: string[], extra: Partial<Step> = {}): Step => ({
      tool: `${binary.name} ${sub}`,
      file: binary.file,
      args,
      cwd: l.workDir,
      env: tfEnv,
      secretEnv: backendSecretNames,
      ...extra,
    });
    const withSecrets = { env: { ...tfEnv, ...secretEnv }, secretEnv: [...backendSecretNames, ...secretNames] };

    const version = await mustSucceed(deps.runner, tf("version", versionArgs(), { captureStdout: true }));
    log.info(`using ${binary.name} ${toolVersion(version.stdout)} (${binary.file})`);

    const initStep = tf("init", initArgs(initOptions(ctx, backend)));
    const initialized = await deps.runner.run(initStep);
    if (initialized.code !== 0 && backend.kind === "remote" && isConcurrentBackendSetup(initialized.stderr)) {
      log.info("another deploy set up the backend's tables at the same moment: initializing again");
      await mustSucceed(deps.runner, initStep);
    } else {
      succeeded(initStep, initialized);
    }
    const marksFile = path.join(l.workDir, MARKS_FILE);
    const currentMarks = readMarks(JSON.parse(stackText));
    const marks = mergeMarks(loadMarks(marksFile), currentMarks);
    // a plan-only run leaves what later applies remember as it was
    if (!options.planOnly) wrapFs(`writing ${marksFile}`, () => saveMarks(marksFile, marks));
    const planStep = tf("plan", planArgs({ lockTimeout: options.lockTimeout, color: deps.color }), withSecrets);
    const makePlan = async (): Promise<PlanJson | undefined> => {
      const plan = await deps.runner.run(planStep);
      if (plan.code === 0) return undefined;
      if (plan.code !== 2) throw failure(ctx, `${binary.name} plan`, plan);
      const shown = await mustSucceed(deps.runner, tf("show", showArgs(), { captureStdout: true }));
      return parsePlanJson(shown.stdout);
    };
    const settled = () => options.planOnly || wrapFs(`writing ${marksFile}`, () => saveMarks(marksFile, currentMarks));
    try {
      // a stale plan (another machine applied to a shared state in between) is planned and checked again
      for (let attempt = 1; ; attempt++) {
        let plan = await makePlan();
        if (!plan) {
          settled();
          log.info(`no changes: stack ${found.stack} matches the configuration${options.planOnly ? "" : "; nothing applied"}`);
          return { kind: "no-changes", stack: found.stack };
        }
        const forgotten = retainedRemovals(plan, marks, ctx.allowDestroy);
        if (forgotten.length > 0) {
          log.info(
            `retained resources left the configuration; they stay in libvirt and leave the state (delete one with --allow-destroy ADDR):\n` +
              forgotten.map((a) => `  ${a}`).join("\n"),
          );
          const stackFile = path.join(l.workDir, STACK_FILE);
          wrapFs(`writing ${stackFile}`, () => fs.writeFileSync(stackFile, withRemovedBlocks(stackText, forgotten)));
          plan = await makePlan();
          if (!plan) throw new InternalError("the plan that forgets retained resources shows no changes");
        }
        const result = checkPlan(plan, {
          protectedTypes: options.protectTypes,
          allowDestroy: ctx.allowDestroy,
          disposable: disposableReasons(marks),
        });
        log.info(formatSummary(result).join("\n"));
        if (result.changes.every((c) => c.kind === "read")) {
          log.info(`no changes to the stack's resources; saving ${result.outputChanges} changed output(s), such as addresses the guests report now`);
        }
        for (const note of cloudInitNotes(plan)) log.info(`note: ${note}`);
        for (const a of result.unusedAllowances) log.warn(`--allow-destroy ${a} matches no deletion in this plan`);
        if (result.refused.length > 0) throw new DestructivePlanError(formatRefusal(result));
        if (options.planOnly) {
          const resources = result.changes.some((c) => c.kind !== "read");
          log.info(resources ? `plan only: an apply would make these changes to stack ${found.stack}; nothing applied` : `plan only: nothing to apply`);
          return resources ? { kind: "planned", stack: found.stack } : { kind: "no-changes", stack: found.stack };
        }

        if (localState) wrapFs(`checking free space for ${l.stateFile}`, () => checkFreeSpace(l));
        const backup = await backupState(ctx, tf, backend, l, "before-apply");
        log.info(backup ? `state backed up to ${backup}` : "no state yet: nothing to back up");
        if (localState) wrapFs(`marking ${l.workDir}`, () => markApplied(l));
        const applyStep = () => tf("apply", applyArgs({ lockTimeout: options.lockTimeout, color: deps.color }), withSecrets);
        const applied = await deps.runner.run(applyStep());
        if (applied.code !== 0 && isStalePlan(applied.stderr) && attempt < STALE_PLAN_RETRIES) {
          log.info(`the state changed since the plan (another deploy applied in between): planning again`);
          continue;
        }
        if (applied.code !== 0) {
          if (localState) checkStateAfterFailedApply(ctx, l, applied, backup);
          await recoverFromApplyFailure(ctx, applied, plan, marks, makePlan, applyStep, backup);
        }
        settled();
        log.info(`applied stack ${found.stack}`);
        await backupAfterApply(ctx, tf, backend, l);
        if (options.addressWaitMs > 0) await waitForAddresses(ctx, tf, withSecrets, JSON.parse(stackText), localState ? l : undefined);
        return { kind: "applied", stack: found.stack, backup };
      }
    } finally {
      // The plan file can hold sensitive values and is useless once this run ends.
      fs.rmSync(path.join(l.workDir, PLAN_FILE), { force: true });
    }
  } finally {
    lock.release();
  }
}

/**
 * A failed apply can leave the local state unreadable or without what the apply did (a full disk): put the
 * best readable state in place before anything else reads it, and report the failure with what was done.
 */
function checkStateAfterFailedApply(ctx: Context, l: Layout, applied: StepResult, backup: string | undefined): void {
  const report = wrapFs(`restoring ${l.stateFile}`, () => recoverState(l, applied.stateDumps, backup, applied.stdout));
  if (report !== undefined) throw toolError(`${ctx.binary.name} apply`, applied, report);
  if (applied.stateDumps.length > 0) ctx.deps.log.info(`${l.stateFile} is the newest state: the one ${ctx.binary.name} printed was not needed and was dropped`);
}

/**
 * Returns when an apply failed only in a way the provider is known to get wrong while the change itself
 * happened (a fresh plan shows nothing left to do); otherwise throws the error to report.
 */
async function recoverFromApplyFailure(
  ctx: Context,
  applied: StepResult,
  plan: PlanJson,
  marks: Marks,
  makePlan: () => Promise<PlanJson | undefined>,
  outputOnlyApply: () => Step,
  backup: string | undefined,
): Promise<void> {
  const { log } = ctx.deps;
  const tool = `${ctx.binary.name} apply`;
  const before = backup ? `state before this apply is in ${backup}` : undefined;
  if (isStateLockError(applied.stderrTail)) throw stateLockError(tool, applied.stderrTail, ctx.options.lockTimeout);

  const idOnly = idOnlyInconsistencies(applied.stderr);
  if (idOnly) {
    log.info(`${tool}: the provider reported only a changed runtime id for ${idOnly.join(", ")}; planning again to check that the update was applied`);
    const left = await makePlan();
    const resourcesLeft = left ? checkPlan(left).changes.filter((c) => c.kind !== "read") : [];
    if (resourcesLeft.length > 0) {
      throw toolError(tool, applied, [before, `a fresh plan still changes ${resourcesLeft.map((c) => c.address).join(", ")}, so the apply did not complete`].filter(Boolean).join("; "));
    }
    // only outputs differ (the restarted guest's addresses): saving them changes nothing in libvirt
    if (left) await mustSucceed(ctx.deps.runner, outputOnlyApply());
    log.warn(
      `${idOnly.join(", ")}: the update was applied, but the provider reported the domain's runtime id changing (a bug of ` +
        `dmacvicar/libvirt 0.9.7 and older, fixed in ${ID_FIX_RELEASE}); a fresh plan changes nothing more`,
    );
    return;
  }

  if (hasShutdownTimeout(applied.stderr)) {
    const destroyed = destroyedAddresses(applied.stdout);
    const stuck = (plan.resource_changes ?? [])
      .filter((rc) => rc.type === "libvirt_domain" && rc.change.actions.includes("delete") && !destroyed.has(rc.address))
      .map((rc) => ({ address: rc.address, domain: marks.get(rc.address)?.domain }));
    throw new ToolError(
      tool,
      applied.code,
      "",
      `a guest did not shut down within its shutdownTimeoutSeconds after the ACPI request (it ignores ACPI, or is still ` +
        `booting); nothing was forced and its domain still exists. Power it off, then run deploy again:\n` +
        stuck
          .map(({ address, domain }) => (domain ? `  virsh -c ${domain.uri ?? "qemu:///system"} destroy ${domain.name}    # ${address}` : `  (${address}: see virsh list)`))
          .join("\n") +
        (before ? `\n(${before})` : ""),
    );
  }
  throw toolError(tool, applied, before);
}

/** --wait-for-addresses: refresh the address lookups of VMs that list none yet, until all do or time is up. */
async function waitForAddresses(
  ctx: Context,
  tf: (sub: string, args: string[], extra?: Partial<Step>) => Step,
  withSecrets: Partial<Step>,
  stack: unknown,
  localState: Layout | undefined,
): Promise<void> {
  const { log, runner } = ctx.deps;
  const deadline = Date.now() + ctx.options.addressWaitMs;
  for (;;) {
    const shown = await mustSucceed(runner, tf("output", outputArgs(), { captureStdout: true }));
    const missing = missingAddresses(shown.stdout, stack);
    if (missing.length === 0) {
      log.info("addresses: every VM output lists its guest's addresses");
      return;
    }
    if (Date.now() >= deadline) {
      log.warn(
        `no address yet for ${missing.map((m) => m.output).join(", ")} after ${ctx.options.addressWaitMs / 1000} s: their outputs fill on a ` +
          `later deploy, once the guest reports one (its agent is up, or it took a DHCP lease)`,
      );
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, Math.min(ADDRESS_POLL_MS, Math.max(0, deadline - Date.now()))));
    const refresh = tf("apply", refreshArgs(missing.map((m) => m.lookup), { lockTimeout: ctx.options.lockTimeout, color: ctx.deps.color }), withSecrets);
    const refreshed = await runner.run(refresh);
    // a refresh writes the state too, and can fail the same way
    if (refreshed.code !== 0 && localState) checkStateAfterFailedApply(ctx, localState, refreshed, undefined);
    if (refreshed.code !== 0) throw failure(ctx, refresh.tool, refreshed);
  }
}

const ADDRESS_POLL_MS = 10_000;

function disposableReasons(marks: Marks): Map<string, string> {
  return new Map([...marks].flatMap(([address, mark]) => (mark.disposable === undefined ? [] : [[address, mark.disposable] as [string, string]])));
}

async function synth(ctx: Context, command: readonly string[] | "cdktf.json"): Promise<void> {
  const { options, deps } = ctx;
  const step = synthStep(ctx, command);
  wrapFs(`creating ${options.synthDir}`, () => fs.mkdirSync(options.synthDir, { recursive: true }));
  await mustSucceed(deps.runner, step);
}

function synthStep(ctx: Context, command: readonly string[] | "cdktf.json"): Step {
  const app = command === "cdktf.json" ? appCommand(ctx.options.appDir) : undefined;
  const argv = app ? app.argv : (command as readonly string[]);
  return {
    tool: "synth",
    file: argv[0],
    args: argv.slice(1),
    cwd: ctx.options.appDir,
    // cdktf's App honours CDKTF_OUTDIR (and reads its context from CDKTF_CONTEXT_JSON, as cdktf synth sets it)
    env: { ...ctx.tfEnv, CDKTF_OUTDIR: ctx.options.synthDir, ...(app && { CDKTF_CONTEXT_JSON: JSON.stringify(app.context) }) },
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
  kind: BackupKind,
): Promise<string | undefined> {
  const { options, deps } = ctx;
  const now = (deps.now ?? (() => new Date()))();
  if (backend.kind !== "remote") {
    return wrapFs(`backing up ${l.stateFile}`, () => backupStateFile(l, options.keepBackups, now, kind));
  }
  // A remote backend's state is not a local file: keep a pulled copy instead.
  const pulled = await mustSucceed(deps.runner, tf("state pull", statePullArgs(), { captureStdout: true }));
  if (pulled.stdout.trim() === "") return undefined;
  return wrapFs(`backing up pulled state`, () =>
    saveBackup(l.backupsDir, STATE_FILE, (dest) => fs.writeFileSync(dest, pulled.stdout, { flag: "wx", mode: 0o600 }), options.keepBackups, now, kind),
  );
}

/** The apply succeeded: a backup that fails now (a full disk) is worth a warning, not a failed run. */
async function backupAfterApply(
  ctx: Context,
  tf: (sub: string, args: string[], extra?: Partial<Step>) => Step,
  backend: Backend,
  l: Layout,
): Promise<void> {
  try {
    const after = await backupState(ctx, tf, backend, l, "after-apply");
    if (after) ctx.deps.log.info(`state after the apply backed up to ${after}`);
  } catch (err) {
    if (!(err instanceof UsageError || err instanceof ToolError)) throw err;
    ctx.deps.log.warn(`the apply succeeded, but the state could not be backed up after it: ${err.message}`);
  }
}

async function mustSucceed(runner: Runner, step: Step): Promise<StepResult> {
  return succeeded(step, await runner.run(step));
}

function succeeded(step: Step, result: StepResult): StepResult {
  if (result.code !== 0) {
    if (isStateLockError(result.stderrTail)) throw stateLockError(step.tool, result.stderrTail);
    throw toolError(step.tool, result);
  }
  return result;
}

function failure(ctx: Context, tool: string, result: StepResult, detail?: string): Error {
  if (isStateLockError(result.stderrTail)) return stateLockError(tool, result.stderrTail, ctx.options.lockTimeout);
  return toolError(tool, result, detail);
}

function toolError(tool: string, result: StepResult, detail?: string): ToolError {
  const killed = result.signal ? `killed by ${result.signal}` : undefined;
  return new ToolError(tool, result.code, result.stderrTail, [killed, detail].filter(Boolean).join("; ") || undefined);
}

function stateLockError(tool: string, stderr: string, timeout?: string): LockTimeoutError | UsageError {
  const unwritable = unwritableStateCause(stderr);
  if (unwritable) return new UsageError(`${tool}: terraform cannot lock the state because it cannot open it for writing (${unwritable}); no other process holds it`);
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
  credentialPaths(options.secrets, deps.env);
  const secretNames = options.secrets.map((arg) => parseSecretArg(arg)!.envName);
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
  if (backend.kind !== "remote") {
    say(`would refuse a state that cannot be written, or is empty or missing after an earlier apply${options.acceptEmptyState ? " (accepted: --accept-empty-state)" : ""}`);
    say(`would check for ${FREE_SPACE_STATE_COPIES} × the state's size + ${FREE_SPACE_MARGIN_BYTES / 1024 / 1024} MiB free on the state's filesystem`);
  }
  say(
    backend.kind === "remote"
      ? `would run: ${binary.file} ${statePullArgs().join(" ")} into ${l.backupsDir}/ (keeping ${options.keepBackups})`
      : `would back up ${l.stateFile} to ${l.backupsDir}/${STATE_FILE}.<timestamp> (keeping ${options.keepBackups})`,
  );
  say(step(applyArgs({ lockTimeout: options.lockTimeout, color: deps.color }), true));
  return { kind: "dry-run" };
}
