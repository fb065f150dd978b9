import { randomUUID } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import { LockTimeoutError, UsageError } from "./errors";
import type { Logger } from "./log";

// The deploy lock serializes whole runs (synth, copy, init, plan, check, apply) on
// one state dir. Terraform's state lock alone is not enough: it is released
// between plan and apply, so a second deploy's saved plan would go stale (or its
// copy step would rewrite the config under the first one's apply).
//
// Node has no flock(), so this is an O_EXCL file naming its owner. A lock whose
// owner process is gone (e.g. SIGKILL) is stale and is taken over; the pid's start
// time from /proc guards against pid reuse. The lock also names the supervisor of the
// tool the owner is running (supervisor.ts): a deploy killed alone leaves its terraform
// stopping for a while, and the next deploy waits for it instead of applying beside it.

interface Proc {
  readonly pid: number;
  /** Process start time in clock ticks since boot (/proc/<pid>/stat field 22), if readable. */
  readonly start: string | undefined;
}

interface Owner extends Proc {
  readonly host: string;
  readonly nonce: string;
  readonly since: string;
  readonly child?: Proc;
}

const POLL_MS = 200;

function processStart(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command name, which may itself contain spaces.
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ")[19];
  } catch {
    return undefined;
  }
}

function isAlive(proc: Proc): boolean {
  try {
    process.kill(proc.pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ESRCH") return false;
  }
  const start = processStart(proc.pid);
  return proc.start === undefined || start === undefined || start === proc.start;
}

/** Which process still holds the lock: its owner, the tool its owner left running, or none (stale). */
function liveHolder(owner: Owner): string | undefined {
  if (owner.host !== os.hostname()) return `pid ${owner.pid} on ${owner.host}`; // cannot tell: assume it lives
  if (isAlive(owner)) return `pid ${owner.pid}`;
  if (owner.child && isAlive(owner.child)) return `the tool that deploy pid ${owner.pid} (gone) left running (supervisor pid ${owner.child.pid})`;
  return undefined;
}

function readOwner(file: string): { owner: Owner | undefined; raw: string } | undefined {
  let raw: string;
  try {
    raw = fs.readFileSync(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
  try {
    return { owner: JSON.parse(raw) as Owner, raw };
  } catch {
    // Not written by deploy (locks are linked into place complete): treat as stale.
    return { owner: undefined, raw };
  }
}

export interface DeployLock {
  /** Names the supervisor of the running tool in the lock, or clears it. */
  recordChild(pid: number | undefined): void;
  release(): void;
}

/**
 * Waits up to timeoutMs for the lock. `checkStop` is called while waiting and may
 * throw (e.g. InterruptedError) to give up early.
 */
export async function acquireDeployLock(
  file: string,
  timeoutMs: number,
  log: Logger,
  checkStop: () => void = () => {},
): Promise<DeployLock> {
  const me: Owner = {
    pid: process.pid,
    host: os.hostname(),
    start: processStart(process.pid),
    nonce: randomUUID(),
    since: new Date().toISOString(),
  };
  // Written aside and hard-linked into place, so the lock file is never seen half-written.
  const draft = `${file}.${process.pid}.${me.nonce}`;
  try {
    fs.writeFileSync(draft, JSON.stringify(me) + "\n", { flag: "wx", mode: 0o600 });
  } catch (err) {
    throw new UsageError(`cannot create lock file ${draft}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  try {
    return await waitForLock(file, draft, me, timeoutMs, log, checkStop);
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

async function waitForLock(
  file: string,
  draft: string,
  me: Owner,
  timeoutMs: number,
  log: Logger,
  checkStop: () => void,
): Promise<DeployLock> {
  const deadline = Date.now() + timeoutMs;
  let announced = false;
  for (;;) {
    try {
      fs.linkSync(draft, file);
      return { recordChild: (pid) => rewrite(file, draft, { ...me, child: pid === undefined ? undefined : { pid, start: processStart(pid) } }), release: () => releaseIfOwn(file, me.nonce) };
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== "EEXIST") throw new UsageError(`cannot create lock file ${file}: ${code ?? (err as Error).message}`);
    }
    const current = readOwner(file);
    if (current === undefined) continue; // released meanwhile: retry at once
    const holder = current.owner && liveHolder(current.owner);
    if (current.owner === undefined || holder === undefined) {
      log.info(`removing stale deploy lock ${file} (owner ${current.owner ? `pid ${current.owner.pid}` : "unknown"} is gone)`);
      breakStale(file, current.raw);
      continue;
    }
    if (Date.now() >= deadline) {
      throw new LockTimeoutError(
        `another deploy holds ${file} (${holder}, since ${current.owner.since}); gave up after --lock-timeout. ` +
          `If that process is really gone, delete the file.`,
      );
    }
    if (!announced) {
      log.info(`waiting for the deploy lock held by ${holder} (since ${current.owner.since})`);
      announced = true;
    }
    await new Promise((r) => setTimeout(r, Math.min(POLL_MS, Math.max(1, deadline - Date.now()))));
    checkStop();
  }
}

// Rename first, then check that what was moved is the stale lock that was read:
// if another process replaced it in between, put its lock back.
function breakStale(file: string, staleRaw: string): void {
  const aside = `${file}.stale.${process.pid}.${randomUUID()}`;
  try {
    fs.renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return;
    throw err;
  }
  if (fs.readFileSync(aside, "utf8") !== staleRaw) {
    try {
      fs.linkSync(aside, file);
    } catch {
      // A third process already took the lock; the moved owner is still running and
      // terraform's own state lock remains the last line of defence.
    }
  }
  fs.rmSync(aside, { force: true });
}

// Renamed over the lock in one step, so a waiting deploy never reads it half-written.
function rewrite(file: string, draft: string, owner: Owner): void {
  fs.writeFileSync(draft, JSON.stringify(owner) + "\n", { mode: 0o600 });
  fs.renameSync(draft, file);
}

function releaseIfOwn(file: string, nonce: string): void {
  const current = readOwner(file);
  if (current?.owner?.nonce === nonce) fs.rmSync(file, { force: true });
}
