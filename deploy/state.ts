import * as fs from "node:fs";
import * as path from "node:path";
import { UsageError } from "./errors";

// The on-disk layout under --state-dir, and the file operations on it:
//
//   <state-dir>/                 created 0700 if missing (an existing one keeps its mode)
//     deploy.lock                held while a deploy runs (see lock.ts)
//     <stack>/                   0700, terraform's working directory
//       cdk.tf.json, assets/     copied from the synth output on every run
//       .terraform/, .terraform.lock.hcl
//       terraform.tfstate        the state (local backend), kept across runs
//       tfplan                   the saved plan of the running deploy
//       backups/terraform.tfstate.<UTC timestamp>[.applied]   before [after] each apply
//       tmp/                     terraform's TMPDIR (see Layout.tmpDir)

export const STACK_FILE = "cdk.tf.json";
export const STATE_FILE = "terraform.tfstate";
// The only synth outputs terraform needs besides the JSON: cdktf asset copies
// (referenced by relative path) and a provider lock file if the project ships one.
const EXTRA_INPUTS = ["assets", ".terraform.lock.hcl"];

export interface Layout {
  readonly stateDir: string;
  readonly workDir: string;
  readonly stateFile: string;
  readonly backupsDir: string;
  /**
   * terraform's TMPDIR, kept across runs: the libvirt provider writes each cloud-init ISO there and
   * treats a missing file as a resource to create again, which (through replace_triggered_by) would
   * replace every seed volume on every run under systemd's PrivateTmp.
   */
  readonly tmpDir: string;
  readonly lockFile: string;
}

export function lockFile(stateDir: string): string {
  return path.join(stateDir, "deploy.lock");
}

export function layout(stateDir: string, stack: string): Layout {
  const workDir = path.join(stateDir, stack);
  return {
    stateDir,
    workDir,
    stateFile: path.join(workDir, STATE_FILE),
    backupsDir: path.join(workDir, "backups"),
    tmpDir: path.join(workDir, "tmp"),
    lockFile: lockFile(stateDir),
  };
}

function fsError(what: string, err: unknown): UsageError {
  const e = err as NodeJS.ErrnoException;
  return new UsageError(`${what}: ${e.code ?? ""} ${e.message}`.trim());
}

/**
 * Creates a directory with mode 0700. `own: true` also tightens an existing one:
 * used for the directories deploy owns (they hold state and plans, i.e. secrets),
 * not for --state-dir itself, whose mode may be managed by systemd's StateDirectoryMode.
 */
export function ensurePrivateDir(dir: string, own = true): void {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (own) fs.chmodSync(dir, 0o700);
  } catch (err) {
    throw fsError(`cannot create directory ${dir}`, err);
  }
}

/** Finds the stack in the synth output: the named one, or the only one. */
export function locateStack(synthDir: string, stack: string | undefined): { stack: string; dir: string } {
  const stacksDir = path.join(synthDir, "stacks");
  let names: string[];
  try {
    names = fs
      .readdirSync(stacksDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && fs.existsSync(path.join(stacksDir, d.name, STACK_FILE)))
      .map((d) => d.name)
      .sort();
  } catch (err) {
    throw fsError(`no synth output in ${synthDir} (run synth, or pass --synth-dir)`, err);
  }
  if (stack !== undefined) {
    if (!names.includes(stack)) {
      throw new UsageError(
        `stack "${stack}" not found: ${path.join(stacksDir, stack, STACK_FILE)} is missing` +
          (names.length ? ` (stacks present: ${names.join(", ")})` : ""),
      );
    }
    return { stack, dir: path.join(stacksDir, stack) };
  }
  if (names.length !== 1) {
    throw new UsageError(
      names.length === 0
        ? `no stack found under ${stacksDir}`
        : `several stacks under ${stacksDir} (${names.join(", ")}): pass --stack`,
    );
  }
  return { stack: names[0], dir: path.join(stacksDir, names[0]) };
}

/** Copies the stack JSON (atomically) and the few other inputs terraform reads into the working dir. */
export function copyStackInputs(fromDir: string, workDir: string): void {
  const tmp = path.join(workDir, `.${STACK_FILE}.tmp`);
  fs.copyFileSync(path.join(fromDir, STACK_FILE), tmp);
  fs.renameSync(tmp, path.join(workDir, STACK_FILE));
  for (const name of EXTRA_INPUTS) {
    const src = path.join(fromDir, name);
    const dest = path.join(workDir, name);
    // Replace wholesale so files dropped from the app do not linger from an older run.
    if (name === "assets") fs.rmSync(dest, { recursive: true, force: true });
    if (fs.existsSync(src)) fs.cpSync(src, dest, { recursive: true });
  }
}

export type Backend = { readonly kind: "none" } | { readonly kind: "local" } | { readonly kind: "remote"; readonly type: string };

/** Which backend the stack declares; decides where state lives and how it is backed up. */
export function readBackend(stackJson: string): Backend {
  let doc: unknown;
  try {
    doc = JSON.parse(stackJson);
  } catch (err) {
    throw new UsageError(`${STACK_FILE} is not valid JSON: ${(err as Error).message}`);
  }
  const tf = (doc as { terraform?: { backend?: Record<string, unknown>; cloud?: unknown } }).terraform;
  if (tf?.cloud !== undefined) return { kind: "remote", type: "cloud" };
  const types = Object.keys(tf?.backend ?? {});
  if (types.length === 0) return { kind: "none" };
  if (types.length === 1 && types[0] === "local") return { kind: "local" };
  return { kind: "remote", type: types.join(",") };
}

/** Filesystem-safe, sortable UTC timestamp: 20250102T030405.678Z. */
export function timestamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, "");
}

/** Which side of an apply a backup was taken on; the label ends the name of one taken after. */
export type BackupKind = "before-apply" | "after-apply";
const AFTER_APPLY_SUFFIX = ".applied";

/**
 * Writes one backup named `<baseName>.<timestamp>` (never overwriting another),
 * then deletes the oldest so that `keep` remain. Returns the new backup's path.
 */
export function saveBackup(
  backupsDir: string,
  baseName: string,
  write: (dest: string) => void,
  keep: number,
  now: Date,
  kind: BackupKind = "before-apply",
): string {
  ensurePrivateDir(backupsDir);
  const stem = path.join(backupsDir, `${baseName}.${timestamp(now)}${kind === "after-apply" ? AFTER_APPLY_SUFFIX : ""}`);
  let dest = stem;
  for (let n = 1; fs.existsSync(dest); n++) dest = `${stem}-${n}`;
  write(dest);
  const prefix = `${baseName}.`;
  const all = fs
    .readdirSync(backupsDir)
    .filter((f) => f.startsWith(prefix))
    .sort();
  for (const old of all.slice(0, Math.max(0, all.length - keep))) fs.rmSync(path.join(backupsDir, old));
  return dest;
}

/** Backs up a local state file; returns undefined when there is no state yet (first apply). */
export function backupStateFile(l: Layout, keep: number, now: Date, kind: BackupKind = "before-apply"): string | undefined {
  if (!fs.existsSync(l.stateFile)) return undefined;
  return saveBackup(l.backupsDir, STATE_FILE, (dest) => fs.copyFileSync(l.stateFile, dest, fs.constants.COPYFILE_EXCL), keep, now, kind);
}

/** The state backups, oldest first, as paths. */
export function listBackups(l: Layout): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(l.backupsDir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
  return names.filter((f) => f.startsWith(`${STATE_FILE}.`)).sort().map((f) => path.join(l.backupsDir, f));
}

/** Reads --allow-destroy-file: one address per line; blank lines and # comments ignored. */
export function readAddressList(file: string): string[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw fsError(`cannot read --allow-destroy-file ${file}`, err);
  }
  return text
    .split("\n")
    .map((line) => line.replace(/(^|\s)#.*$/, "").trim())
    .filter(Boolean);
}
