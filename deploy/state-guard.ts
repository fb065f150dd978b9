import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./errors";
import type { Logger } from "./log";
import { listBackups, type Layout } from "./state";

// Checks on a local state before terraform reads or writes it. Each catches a fault that terraform
// either reports as something else or does not notice at all.

/**
 * An apply needs room for terraform's rewrite of the state, its terraform.tfstate.backup and perhaps an
 * errored.tfstate, and deploy's own backups before and after: four times the state. The fixed part
 * covers what the apply adds to the state and the plan file.
 */
export const FREE_SPACE_STATE_COPIES = 4;
export const FREE_SPACE_MARGIN_BYTES = 8 * 1024 * 1024;

/**
 * Written before the first apply in a working directory: from then on a missing state means a lost one,
 * even when no backup exists yet (a first apply that failed to save its state).
 */
const APPLIED_MARK = ".applied";

/**
 * Terraform answers an unwritable state file with "Error acquiring the state lock", which reads as
 * another process holding it. Root passes permission bits, but not an immutable file or a read-only mount.
 */
export function checkStateWritable(l: Layout): void {
  for (const target of [l.stateFile, l.workDir]) {
    try {
      fs.accessSync(target, fs.constants.W_OK);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === "ENOENT") continue; // no state yet: the directory decides
      throw new UsageError(
        `${target === l.stateFile ? "the state file" : "the working directory"} ${target} is not writable (${code}): ` +
          `terraform could neither lock nor save the state. Check its mode, \`lsattr\` (immutable) and whether the filesystem is mounted read-only.`,
      );
    }
  }
}

/**
 * terraform reads a 0-byte or missing state as "nothing exists yet" and plans to create everything again.
 * That is right only before the first apply.
 */
export function checkStateNotLost(l: Layout, acceptEmpty: boolean, log: Logger): void {
  const size = fileSize(l.stateFile);
  if (size !== undefined && size > 0) return;
  const what = size === undefined ? `${l.stateFile} is missing` : `${l.stateFile} is empty (0 bytes)`;
  const backups = listBackups(l);
  const applied = fs.existsSync(path.join(l.workDir, APPLIED_MARK));
  if (backups.length === 0 && !applied) {
    if (size === 0) log.warn(`${what}: treating it as no state yet (no earlier apply left a backup or ${APPLIED_MARK} here)`);
    return;
  }
  const evidence = backups.length > 0 ? `the newest backup is ${backups[backups.length - 1]}` : `an earlier apply left ${APPLIED_MARK} and no backup`;
  if (acceptEmpty) {
    log.warn(`${what} although an earlier run left a state (${evidence}); going on from an empty state as --accept-empty-state says`);
    return;
  }
  throw new UsageError(
    `${what}, but an earlier run left a state here (${evidence}): planning from nothing would create every resource again.\n` +
      (backups.length > 0 ? `Restore the newest backup:\n  cp ${backups[backups.length - 1]} ${l.stateFile}\n` : "") +
      `Only if the resources are really gone, run again with --accept-empty-state.`,
  );
}

export function markApplied(l: Layout): void {
  fs.writeFileSync(path.join(l.workDir, APPLIED_MARK), "", { mode: 0o600 });
}

/** Refuses an apply that would run out of space while terraform writes the state (and then cannot save it). */
export function checkFreeSpace(l: Layout): void {
  const stats = fs.statfsSync(l.workDir);
  const free = stats.bavail * stats.bsize;
  const stateSize = fileSize(l.stateFile) ?? 0;
  const needed = FREE_SPACE_STATE_COPIES * stateSize + FREE_SPACE_MARGIN_BYTES;
  if (free >= needed) return;
  throw new UsageError(
    `only ${mib(free)} free on the filesystem of ${l.workDir}; an apply needs ${mib(needed)} ` +
      `(${FREE_SPACE_STATE_COPIES} × the state's ${mib(stateSize)} + ${mib(FREE_SPACE_MARGIN_BYTES)}) so that terraform can save the state. Nothing was applied.`,
  );
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function fileSize(file: string): number | undefined {
  try {
    return fs.statSync(file).size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw err;
  }
}
