import * as fs from "node:fs";
import * as path from "node:path";
import type { Layout } from "./state";

// After a failed apply, the local state must still be one that the next run can use. Terraform writes
// the state in place, so a full disk leaves it truncated; it then tries errored.tfstate, and last prints
// the state (state-dump-filter.ts keeps that out of the log and hands it here). This puts the most
// complete readable state back, or says exactly what is left to do by hand.

export const ERRORED_STATE = "errored.tfstate";

export function isReadableState(text: string): boolean {
  try {
    const doc = JSON.parse(text) as { version?: unknown; resources?: unknown };
    return typeof doc.version === "number" && Array.isArray(doc.resources);
  } catch {
    return false;
  }
}

interface Candidate {
  /** How the report names it. */
  readonly what: string;
  readonly text: string;
  /** Everything the apply did is in it: nothing to reconcile by hand. */
  readonly complete: boolean;
}

/**
 * Returns undefined when the state reads fine after the failed apply; otherwise what was done about it,
 * for the error message. `dumps` are the states terraform printed, `applyLog` its streamed stdout.
 */
export function recoverState(l: Layout, dumps: readonly string[], backup: string | undefined, applyLog: string): string | undefined {
  const errored = path.join(l.workDir, ERRORED_STATE);
  const printed = dumps.length > 0 ? "the state terraform printed (withheld from the log)" : undefined;
  if (isReadableState(readOr(l.stateFile, ""))) {
    return printed && `terraform saved ${l.stateFile} in the end; ${printed} was not needed and was dropped`;
  }
  const candidates: Candidate[] = [
    { what: errored, text: readOr(errored, ""), complete: true },
    ...[...dumps].reverse().map((text) => ({ what: printed!, text, complete: true })),
    ...(backup ? [{ what: `the backup from before this apply, ${backup}`, text: readOr(backup, ""), complete: false }] : []),
  ].filter((c) => isReadableState(c.text));

  const failures: string[] = [];
  const installed = installFirst(l, candidates, failures);
  const changes = appliedChanges(applyLog);
  const unreadable = `${l.stateFile} was unreadable after the failed apply`;
  if (installed) {
    fs.rmSync(errored, { force: true });
    const lost = !installed.complete && printed ? ` (${printed} did not fit: ${failures.join("; ")}; it is gone)` : "";
    return (
      `${unreadable}; deploy put ${installed.what} in its place${lost}` +
      (installed.complete || changes.length === 0
        ? "; nothing the apply did is lost."
        : `. The apply may have made these changes, which that state does not know of: a rerun plans them again, so ` +
          `check first whether each object exists (keep it with \`terraform import ADDR ID\`, or delete it):\n` +
          changes.map((c) => `  ${c}`).join("\n"))
    );
  }
  return (
    `${unreadable}, and deploy could not put a readable state in its place (${failures.join("; ") || "there is none to restore"}).` +
    (printed ? ` ${printed} is gone.` : "") +
    `\nFree space on the filesystem of ${l.workDir}, then ` +
    (backup ? `restore the state from before this apply:\n  cp ${backup} ${l.stateFile}\n` : `import what the apply created:\n`) +
    (changes.length > 0 ? `What the apply may have changed (reconcile these by hand):\n${changes.map((c) => `  ${c}`).join("\n")}` : "")
  );
}

/**
 * Writes the first candidate that fits; a full disk (the usual cause) first drops the truncated state, which
 * is worthless and holds the space another candidate needs.
 */
function installFirst(l: Layout, candidates: readonly Candidate[], failures: string[]): Candidate | undefined {
  for (const dropBroken of [false, true]) {
    if (dropBroken) fs.rmSync(l.stateFile, { force: true });
    for (const c of candidates) {
      try {
        writeDurably(l.stateFile, c.text);
        return c;
      } catch (err) {
        failures.push(`${c.what}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      }
    }
  }
  return undefined;
}

// Written aside and renamed over the state, so a failure never leaves a half-written one.
function writeDurably(file: string, text: string): void {
  const tmp = `${file}.restoring`;
  try {
    const fd = fs.openSync(tmp, "w", 0o600);
    try {
      fs.writeSync(fd, text);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw err;
  }
}

/** The apply's own account of what it finished or started, e.g. "terraform_data.a: Creation complete after 0s [id=…]". */
export function appliedChanges(applyLog: string): string[] {
  const done = new Map<string, string>();
  for (const line of applyLog.split("\n")) {
    const m = /^(\S+): (Creating|Modifying|Destroying|Creation complete|Modifications complete|Destruction complete)\b(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, address, event, rest] = m;
    const id = /\[id=([^\]]*)\]/.exec(rest)?.[1];
    done.set(address, /complete/.test(event) ? `${address}: ${event.toLowerCase()}${id ? ` (id ${id})` : ""}` : `${address}: ${event.toLowerCase()} started, not seen to finish`);
  }
  return [...done.values()];
}

function readOr(file: string, fallback: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return fallback;
  }
}
