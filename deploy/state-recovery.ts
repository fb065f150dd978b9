import * as fs from "node:fs";
import * as path from "node:path";
import type { Layout } from "./state";

// After a failed apply, the local state must still be one that the next run can use. Terraform writes
// the state in place, so a full disk leaves it truncated; it then tries errored.tfstate, and last prints
// the state (state-dump-filter.ts keeps that out of the log and hands it here). This puts the most
// complete readable state back, or says exactly what is left to do by hand.

const ERRORED_STATE = "errored.tfstate";

interface State {
  readonly lineage?: unknown;
  readonly serial?: unknown;
}

function parseState(text: string | undefined): State | undefined {
  if (text === undefined) return undefined;
  try {
    const doc = JSON.parse(text) as State & { version?: unknown; resources?: unknown };
    return typeof doc.version === "number" && Array.isArray(doc.resources) ? doc : undefined;
  } catch {
    return undefined;
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
 * Returns undefined when the state on disk is the newest there is; otherwise puts the best readable state
 * in its place and returns what was done, for the error message. `dumps` are the states terraform printed,
 * `applyLog` its streamed stdout.
 */
export function recoverState(l: Layout, dumps: readonly string[], backup: string | undefined, applyLog: string): string | undefined {
  const errored = path.join(l.workDir, ERRORED_STATE);
  const printed = "the state terraform printed (withheld from the log)";
  const currentText = readOrUndefined(l.stateFile);
  const current = parseState(currentText);
  const backupText = backup === undefined ? undefined : readOrUndefined(backup);
  // what terraform meant to save, if it is newer than what it managed to save
  const newer = [
    { what: errored, text: readOrUndefined(errored) },
    ...[...dumps].reverse().map((text) => ({ what: printed, text })),
  ].filter((c): c is { what: string; text: string } => {
    const state = parseState(c.text);
    // (terraform counts the serial up when a write succeeds: a state it failed to write may carry the old one)
    return state !== undefined && (current === undefined || (state.lineage === current.lineage && Number(state.serial) >= Number(current.serial) && c.text!.trim() !== currentText?.trim()));
  });
  if (current && newer.length === 0) return undefined;

  const candidates: Candidate[] = [
    ...newer.map((c) => ({ ...c, complete: true })),
    ...(backupText !== undefined && parseState(backupText) ? [{ what: `the backup from before this apply, ${backup}`, text: backupText, complete: false }] : []),
  ];
  const failures = new Map<string, string>();
  // the state on disk may give up its space when it is worthless (unreadable) or a copy of the backup
  const droppable = current === undefined || currentText === backupText;
  const installed = installFirst(l, candidates, droppable, failures);
  const changes = appliedChanges(applyLog);
  const why = current ? `${l.stateFile} lacks what the apply did (terraform could not save it)` : `${l.stateFile} was unreadable after the failed apply`;
  const lostNewer = newer.length > 0 && !installed?.complete ? ` (${newer.map((c) => `${c.what} could not be written: ${failures.get(c.what)}`).join("; ")}; it is gone)` : "";
  if (installed) {
    fs.rmSync(errored, { force: true });
    return (
      `${why}; deploy put ${installed.what} in its place${lostNewer}` +
      (installed.complete || changes.length === 0
        ? "; nothing the apply did is lost."
        : `. The apply may have made these changes, which that state does not know of: a rerun plans them again, so ` +
          `check first whether each object exists (keep it with \`terraform import ADDR ID\`, or delete it):\n` +
          changes.map((c) => `  ${c}`).join("\n"))
    );
  }
  return (
    `${why}, and deploy could not put a readable state in its place (${[...failures].map(([what, code]) => `${what}: ${code}`).join("; ") || "there is none to restore"}).` +
    (newer.length > 0 ? ` ${newer.map((c) => c.what).join(", ")} is gone.` : "") +
    `\nFree space on the filesystem of ${l.workDir}, then ` +
    (backup ? `restore the state from before this apply:\n  cp ${backup} ${l.stateFile}\n` : `import what the apply created:\n`) +
    (changes.length > 0 ? `What the apply may have changed (reconcile these by hand):\n${changes.map((c) => `  ${c}`).join("\n")}` : "")
  );
}

/**
 * Writes the first candidate that fits. On a full disk (the usual cause) a droppable state gives up its
 * space and the candidates are tried again; the last one, the backup, then fits where it stood.
 */
function installFirst(l: Layout, candidates: readonly Candidate[], droppable: boolean, failures: Map<string, string>): Candidate | undefined {
  for (const drop of droppable ? [false, true] : [false]) {
    if (drop) {
      try {
        fs.rmSync(l.stateFile, { force: true });
      } catch (err) {
        failures.set(`removing ${l.stateFile}`, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
        break;
      }
    }
    for (const c of candidates) {
      try {
        writeDurably(l.stateFile, c.text);
        return c;
      } catch (err) {
        failures.set(c.what, (err as NodeJS.ErrnoException).code ?? (err as Error).message);
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
      fs.writeFileSync(fd, text); // loops over short writes, unlike fs.writeSync
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

function readOrUndefined(file: string): string | undefined {
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
