import * as fs from "node:fs";
import * as path from "node:path";
import { PLAN_FILE } from "./terraform";

// Everything under the state dir can hold the stack's secrets: the state and its backups, the saved
// plan (its variables), cdk.tf.json, the provider's cloud-init ISOs. main.ts sets umask 077, so what
// deploy and terraform write from then on is private; these two mend what earlier runs left.

/**
 * Takes group and other bits off every file and directory under `dir`, and leaves the owner's bits as
 * they are (provider plugins stay executable). Symlinks are not followed: under .terraform they point
 * into a plugin directory that is not ours (the Nix store).
 */
export function makePrivate(dir: string): void {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isSymbolicLink()) continue;
    const p = path.join(dir, entry.name);
    const mode = fs.lstatSync(p).mode & 0o7777;
    if (mode & 0o077) fs.chmodSync(p, mode & ~0o077);
    if (entry.isDirectory()) makePrivate(p);
  }
}

/**
 * Saved plans left by a run that was killed before it could delete its own. Called holding the deploy
 * lock, so no running deploy's plan is among them. Returns the files removed.
 */
export function removeLeftoverPlans(stateDir: string): string[] {
  const removed: string[] = [];
  for (const entry of fs.readdirSync(stateDir, { withFileTypes: true })) {
    const plan = path.join(stateDir, entry.name, PLAN_FILE);
    if (entry.isDirectory() && fs.existsSync(plan)) {
      fs.rmSync(plan, { force: true });
      removed.push(plan);
    }
  }
  return removed;
}
